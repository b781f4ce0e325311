#!/usr/bin/python3
# test_pebble_accounts: account creation and key rotation from the console
# against a real ACME CA: pebble behind the simulator's pebble backend. The
# account form (directory URL, contact, the CA file pebble's directory is
# served with) makes the engine register at pebble; a directory nobody
# serves is refused with the registration error in the form and every field
# kept; R registers the new key version at pebble.

import unittest

from tuikit import MOUNT, SimProcess, Tmux
from vsim.pebble_env import PebbleEnv  # noqa: E402  (tuikit put tests/vaultsim on the path)


class TestPebbleAccounts(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.pebble = PebbleEnv().start()
        cls.sim = SimProcess("--backend", "pebble")
        cls.sim.start()
        cls.client = cls.sim.client()

    @classmethod
    def tearDownClass(cls):
        cls.client.close()
        cls.sim.stop()
        cls.pebble.stop()

    def setUp(self):
        self.t = Tmux(100, 40)
        self.addCleanup(self.t.close)
        self.t.start_acmetop(self.sim.addr)
        self.t.wait_for(r"connected")
        self.t.type(":accounts")
        self.t.keys("Enter")
        self.t.wait_for(r"Vault has no accounts|NAME")

    def answer(self, prompt, text):
        self.t.wait_for(rf"(?m){prompt.rstrip()}( |$)")
        self.t.keys("C-u")
        if text:
            self.t.type(text)
        self.t.keys("Enter")

    def fill(self, name, directory):
        self.t.keys("a")
        self.answer("Name: ", name)
        self.answer("Directory URL: ", directory)
        self.answer("Contacts: ", "ops@demo.test")
        self.t.wait_for(r"Key type: the account")
        self.t.keys("Enter")  # ec-256, what pebble's backend registers
        self.answer("EAB key ID: ", "")
        self.answer("EAB key: ", "")
        self.answer("Trusted CA file: ", self.pebble.ca_bundle)
        self.t.wait_for(r"This sends:")

    def test_create_then_rotate_at_pebble(self):
        # a directory nobody serves: the registration fails, said in the form
        self.fill("at-pebble", "https://127.0.0.1:9/dir")
        self.t.keys("y")
        self.t.wait_for(r"registering ACME account")
        self.assertEqual(self.client.read(f"{MOUNT}/config/acme-account/at-pebble").status, 404)
        # back to the directory field, fixed, sent again: pebble registers it
        for _ in range(6):  # trusted CA, EAB key, EAB key ID, key type, contacts, directory
            self.t.keys("Escape")
        self.answer("Directory URL: ", self.pebble.directory_url)
        self.t.wait_for(r"Contacts: ops@demo\.test")
        self.t.keys("Enter", "Enter", "Enter", "Enter", "Enter")
        self.t.wait_for(r"This sends:")
        self.t.keys("y")
        self.t.wait_for(r"ACME account at-pebble created", timeout=30)
        a = self.client.read(f"{MOUNT}/config/acme-account/at-pebble").data
        self.assertEqual(a["directory_url"], self.pebble.directory_url)
        self.assertEqual(a["active_key_version"], 1)
        # rotate: a new key version, registered at pebble
        self.t.wait_for(r"at-pebble\s+127\.0\.0\.1:\d+")
        self.t.type("/at-pebble")
        self.t.keys("Enter", "R")
        self.t.wait_for(r"Rotate account key")
        self.t.keys("Enter")
        self.t.wait_for(r"rotate-key")
        self.t.keys("y")
        self.t.wait_for(r"the key of at-pebble is rotated: v1 -> v2", timeout=30)
        a = self.client.read(f"{MOUNT}/config/acme-account/at-pebble").data
        self.assertEqual(a["active_key_version"], 2)
        self.assertEqual(sorted(a["account_keys"]), ["1", "2"])
        self.t.wait_for(r"at-pebble\s+127\.0\.0\.1:\d+.*\sv2\s")


if __name__ == "__main__":
    unittest.main()
