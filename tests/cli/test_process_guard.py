#!/usr/bin/python3
# test_process_guard.py: a crash of acmetop leaves the Vault token nowhere.
# acmetop is started the way an operator with `ulimit -c unlimited` starts
# it (`--once` against the simulator, every Vault call held up for a minute
# so it stays alive, the token in VAULT_TOKEN), as an ordinary user (nobody
# when the test runs as root).  Then:
#   - its core file limit is 0, soft and hard (/proc/PID/limits);
#   - it is not dumpable: /proc/PID/{environ,mem,maps} are root's, and
#     another process of the same user cannot read its environment (where
#     VAULT_TOKEN is);
#   - SIGSEGV and SIGABRT kill it without a core file.
# What the test cannot see: with a core_pattern that pipes to a handler
# (systemd-coredump, apport) the kernel writes no file into the working
# directory whatever the limit; the first two checks still hold there (a
# process that is not dumpable is not dumped through a pipe either while
# fs.suid_dumpable is 0).
# The binary is $ACMETOP_BIN (make check points it at the ASan build), else
# build/acmetop; the sanitizer is told to leave core files and SIGSEGV to the
# kernel, as a build without it would.
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "vaultsim"))
from vsim.testkit import SimProcess  # noqa: E402

BIN = os.path.abspath(os.environ.get("ACMETOP_BIN", os.path.join(ROOT, "build", "acmetop")))
TOKEN = "s.process-guard-token-5d1e"
NOBODY = 65534
RUN_AS = NOBODY if os.getuid() == 0 else os.getuid()


def as_user():
    """preexec_fn: become RUN_AS (when root) with `ulimit -c unlimited`."""
    resource.setrlimit(resource.RLIMIT_CORE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
    if os.getuid() == 0:
        os.setgroups([])
        os.setgid(NOBODY)
        os.setuid(NOBODY)


def user_dir(test, prefix):
    d = tempfile.mkdtemp(prefix=prefix)
    os.chown(d, RUN_AS, -1)
    test.addCleanup(shutil.rmtree, d, ignore_errors=True)
    return d


def core_limit(pid):
    with open(f"/proc/{pid}/limits") as f:
        for line in f:
            if line.startswith("Max core file size"):
                return line.split()[4:6]
    raise AssertionError("no core line in /proc/PID/limits")


class ACrashLeavesNoToken(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sim = SimProcess("--time-scale", "0", tokens=(TOKEN,))
        cls.sim.start()
        cls.vault = cls.sim.client(TOKEN)
        r = cls.vault.sim("POST", "faults", {"latency_ms": 60000})
        assert r.status == 200, r

    @classmethod
    def tearDownClass(cls):
        cls.vault.sim("DELETE", "faults")
        cls.vault.close()
        cls.sim.stop()

    def start(self):
        self.cwd = user_dir(self, "acmetop-cwd-")
        home = user_dir(self, "acmetop-home-")
        asan = os.environ.get("ASAN_OPTIONS", "")
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": home,
               "XDG_CONFIG_HOME": os.path.join(home, ".config"),
               "XDG_CACHE_HOME": os.path.join(home, ".cache"),
               "VAULT_ADDR": self.sim.addr, "VAULT_TOKEN": TOKEN,
               "ASAN_OPTIONS": asan + ":disable_coredump=0:handle_segv=0:handle_abort=0"}
        p = subprocess.Popen([BIN, "--once", "--no-cache"], cwd=self.cwd, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             preexec_fn=as_user)
        self.addCleanup(self.reap, p)
        # main() guards the process first thing: wait for it (or give up)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and os.stat(f"/proc/{p.pid}/environ").st_uid != 0:
            time.sleep(0.05)
        time.sleep(0.3)  # on into its first Vault call, held up for a minute
        self.assertIsNone(p.poll(), p.stderr.read() if p.poll() is not None else "")
        return p

    def reap(self, p):
        if p.poll() is None:
            p.kill()
        p.communicate(timeout=30)

    def test_no_core_limit_and_not_dumpable(self):
        p = self.start()
        self.assertEqual(core_limit(p.pid), ["0", "0"])
        self.assertEqual(os.stat(f"/proc/{p.pid}").st_uid, RUN_AS)  # its user
        for name in ("environ", "mem", "maps"):  # root's: not dumpable
            self.assertEqual(os.stat(f"/proc/{p.pid}/{name}").st_uid, 0, name)
        # a process of the same user cannot read the token from its environment
        peek = subprocess.run(["cat", f"/proc/{p.pid}/environ"], capture_output=True,
                              preexec_fn=as_user, timeout=10)
        self.assertNotIn(TOKEN.encode(), peek.stdout)
        self.assertNotEqual(peek.returncode, 0)
        self.assertIn(b"Permission denied", peek.stderr)

    def test_a_crash_writes_no_core_file(self):
        with open("/proc/sys/kernel/core_pattern") as f:
            pattern = f.read().strip()
        for sig in (signal.SIGSEGV, signal.SIGABRT):
            with self.subTest(signal=sig.name):
                p = self.start()
                os.kill(p.pid, sig)
                p.communicate(timeout=30)
                self.assertEqual(p.returncode, -sig)
                # an empty directory before: whatever the pattern's name, a
                # core written here shows up (core_pattern: see the top)
                self.assertEqual(os.listdir(self.cwd), [], f"core_pattern {pattern!r}")


if __name__ == "__main__":
    unittest.main()
