#!/usr/bin/python3
# test_raw: `y` (the raw answer) and `Y` (the commands that read or recreate
# the selected object) in tmux against the scripted simulator: an order's
# answer as Vault gives it, pretty-printed and copyable; a completed order's
# certificate answer with its private key replaced by "<N bytes, hidden>"
# (never on screen, never copied); the copied curl line, run against the
# simulator, reads the same object; the copied text holds $VAULT_TOKEN and
# no secret, and the terraform import line has the provider's ID format.

import json
import os
import re
import subprocess
import unittest

from tuikit import MOUNT, Sim, Tmux


def curl_line(text):
    lines = [ln for ln in text.splitlines() if ln.startswith("curl ")]
    assert len(lines) == 1, text
    return lines[0]


def box(screen, cols=100):
    """The dialog's text (it is 78 columns wide, centred), a path wrapped at a
    '/' joined again."""
    x = (cols - 78) // 2 + 2
    text = "\n".join(line[x:x + 74] for line in screen.split("\n"))
    return re.sub(r"/ *\n *", "/", text)


def run_shell(line, token):
    env = {"PATH": "/usr/bin:/bin", "VAULT_TOKEN": token}
    r = subprocess.run(["/bin/sh", "-c", line], env=env, capture_output=True, text=True,
                       timeout=20)
    assert r.returncode == 0, (line, r.stderr)
    return json.loads(r.stdout)


class TestRaw(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sim = Sim("--seed-orders", "20", "--seed", "7", "--time-scale", "0").__enter__()
        cls.orders = cls.sim.orders()

    @classmethod
    def tearDownClass(cls):
        cls.sim.__exit__(None, None, None)

    def setUp(self):
        self.t = Tmux(100, 40)
        self.addCleanup(self.t.close)
        self.t.start_acmetop(self.sim.addr)
        self.t.wait_for(rf"\b{len(self.orders)} orders\b")

    def select_order(self, oid):
        self.t.type("/" + oid[:13])
        self.t.keys("Enter")
        self.t.wait_for(rf"Order\s+{oid}")

    def completed_order(self):
        for oid, o in sorted(self.orders.items()):
            if o["order_status"] == "completed" and not o["csr"]:
                return oid, o
        self.fail("no completed identifier order in the seed")

    def test_raw_answer_of_an_order_and_its_certificate_without_the_key(self):
        oid, o = self.completed_order()
        role = o["role_name"]
        self.select_order(oid)
        self.t.keys("y")
        s = self.t.wait_for(r'"order_status": "completed"')
        self.assertIn(f"GET {MOUNT}/role/{role}/order/{oid}/status", box(s))
        self.assertRegex(s, rf"order {oid[:8]}: Vault's answer")
        self.t.keys("c")
        self.t.wait_for(r"copied the raw answer of order")
        copied = json.loads(self.t.buffer())
        self.assertEqual(copied["data"], self.sim.client.read(
            f"{MOUNT}/role/{role}/order/{oid}/status").data)
        # the certificate answer: the key is replaced, on screen and in the copy
        self.t.keys("C")
        s = self.t.wait_for(r"its certificate answer(.|\n)*\"ca_chain\"")
        self.assertIn(f"GET {MOUNT}/role/{role}/order/{oid}/fetch-cert", box(s))
        self.assertNotIn("PRIVATE KEY", s)
        self.t.keys("G")  # the key comes after the certificate and its chain
        s = self.t.wait_for(r'"private_key": "<\d+ bytes, hidden>"')
        self.assertNotIn("PRIVATE KEY", s)
        cert = self.sim.client.read(f"{MOUNT}/role/{role}/order/{oid}/fetch-cert").data
        n = len(cert["private_key"].encode())
        self.assertIn(f'"private_key": "<{n} bytes, hidden>"', s)
        self.t.keys("c")
        self.t.wait_for(r"copied the raw answer of order")
        buf = self.t.buffer()
        self.assertNotIn("PRIVATE KEY", buf)
        copied = json.loads(buf)["data"]
        self.assertEqual(copied["private_key"], f"<{n} bytes, hidden>")
        self.assertEqual(copied["certificate"], cert["certificate"])
        self.assertEqual(copied["serial_number"], cert["serial_number"])
        self.t.keys("Escape")
        self.t.wait_for(r"STATUS\S*\s+ID\s+ROLE")

    def test_copied_curl_reads_the_same_order_and_import_has_the_provider_format(self):
        oid, o = self.completed_order()
        role = o["role_name"]
        self.select_order(oid)
        self.t.keys("Y")
        self.t.wait_for(r"Commands for order")
        self.t.wait_for(r"copied the commands of order")
        text = self.t.buffer()
        self.assertIn('"X-Vault-Token: $VAULT_TOKEN"', text)
        self.assertNotIn("root", text.replace("$VAULT_TOKEN", ""))  # the token's value
        data = run_shell(curl_line(text), "root")["data"]
        self.assertEqual(data, self.sim.client.read(f"{MOUNT}/role/{role}/order/{oid}/status").data)
        self.assertRegex(text, rf"(?m)^terraform import vault_pki_external_ca_secret_backend_order"
                               rf"\.order_[0-9a-f_]{{8}} {MOUNT}/role/{role}/order/{oid}$")
        self.assertRegex(text, r'resource "vault_pki_external_ca_secret_backend_order"')
        idents = ",".join(o["identifiers"])
        self.assertIn(f"{MOUNT}/role/{role}/new-order identifiers={idents}", text)

    def test_commands_of_a_role_and_a_dns_provider(self):
        self.t.type(":roles")
        self.t.keys("Enter")
        self.t.wait_for(r"web-servers\s+letsencrypt-prod")
        self.t.type("/web-servers")
        self.t.keys("Enter", "Y")
        self.t.wait_for(r"copied the commands of role web-servers")
        text = self.t.buffer()
        data = run_shell(curl_line(text), "root")["data"]
        self.assertEqual(data, self.sim.client.read(f"{MOUNT}/role/web-servers").data)
        self.assertIn(f"vault write -address={self.sim.addr} {MOUNT}/role/web-servers "
                      "acme_account_name=letsencrypt-prod allowed_domains=example.com", text)
        self.assertIn('resource "vault_pki_external_ca_secret_backend_role" "web_servers" {',
                      text)
        self.assertIn(f"terraform import vault_pki_external_ca_secret_backend_role.web_servers "
                      f"{MOUNT}/role/web-servers", text)
        # y shows the role as its view read it
        self.t.keys("Escape", "y")
        s = self.t.wait_for(r'"acme_account_name": "letsencrypt-prod"')
        self.assertIn(f"GET {MOUNT}/role/web-servers", s)
        self.assertIn("role web-servers: its data as read", s)
        self.t.keys("Escape")
        # a DNS provider: no secret value anywhere, the secret left to fill in
        self.t.type(":dns")
        self.t.keys("Enter")
        self.t.wait_for(r"internal-dns\s+rfc2136")
        self.t.keys("Y")
        self.t.wait_for(r"copied the commands of DNS provider rfc2136/internal-dns")
        text = self.t.buffer()
        self.assertNotIn("c2VlZGVkLXRzaWctc2VjcmV0", text)
        self.assertIn('tsig_secret="$TSIG_SECRET"', text)
        self.assertIn("# tsig_secret = var.tsig_secret", text)
        data = run_shell(curl_line(text), "root")["data"]
        self.assertEqual(data, self.sim.client.read(
            f"{MOUNT}/config/dns/rfc2136/internal-dns").data)
        self.assertNotIn("tsig_secret", data)
        self.assertIn("terraform import vault_pki_external_ca_secret_backend_dns_provider_rfc2136."
                      f"internal_dns {MOUNT}/config/dns/rfc2136/internal-dns", text)


if __name__ == "__main__":
    unittest.main()
