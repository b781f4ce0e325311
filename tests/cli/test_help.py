# test_help: what --help and --version tell a new user: every environment
# variable the man page's ENVIRONMENT section names and every exit status
# it lists are in --help; --version names the libraries acmetop runs with,
# at the versions Debian's packages installed.
import os
import re
import subprocess
import unittest

from clikit import run_acmetop

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.environ.get("ACMETOP_BIN") or os.path.join(ROOT, "build", "acmetop")


def man_section(name):
    with open(os.path.join(ROOT, "doc", "acmetop.1")) as f:
        text = f.read()
    at = text.index(f".SH {name}\n")
    end = text.index("\n.SH ", at + 1)
    return text[at:end].replace("\\-", "-")


def pkg_version(pkg):
    return subprocess.run(["pkg-config", "--modversion", pkg], capture_output=True,
                          text=True, check=True).stdout.strip()


class HelpAndVersion(unittest.TestCase):
    def test_help_names_every_variable_and_exit_status(self):
        r = run_acmetop([BIN, "--help"], {})
        self.assertEqual(r.returncode, 0, r.stderr)
        out = r.stdout
        names = set(re.findall(r"\b(?:VAULT|ACMETOP|XDG|NO|LC|LANG)[A-Z0-9_]*\b",
                               man_section("ENVIRONMENT")))
        self.assertIn("VAULT_TOKEN", names)
        for name in sorted(names):
            demo = name.startswith("ACMETOP_DEMO_")
            self.assertIn("ACMETOP_DEMO_*" if demo else name, out, name)
        statuses = man_section("EXIT STATUS")
        self.assertIn("Exit status:", out)
        for code in ("0", "1", "2", "3", "128+N"):
            self.assertRegex(out, rf"\n  {re.escape(code)} +\S", code)
        self.assertIn("--deadline", statuses)      # the man page's 3 is --deadline's
        self.assertRegex(out, r"\n  3 +with --once, --deadline passed")

    def test_version_names_the_libraries_it_runs_with(self):
        r = run_acmetop([BIN, "--version"], {})
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = r.stdout.splitlines()
        self.assertRegex(lines[0], r"^acmetop \d+\.\d+\.\d+$")
        self.assertRegex(lines[1], r"^ncurses \d+\.\d+")
        self.assertIn(f"libcurl {pkg_version('libcurl')} (OpenSSL/", r.stdout)
        self.assertIn(f"OpenSSL {pkg_version('openssl')}", r.stdout)
        self.assertIn(f"cJSON {pkg_version('libcjson')}", r.stdout)
        self.assertIn(f"ldns {pkg_version('ldns')}", r.stdout)
        self.assertNotIn("root", r.stdout)


if __name__ == "__main__":
    unittest.main()
