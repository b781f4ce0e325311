#!/usr/bin/python3
# test_readme_screen: the README's sample screen is what the program really
# draws (readme_screen.py takes it; `make docs` writes it into the README),
# relative times aside.

import unittest

import readme_screen


class TestReadmeScreen(unittest.TestCase):
    def test_readme_shows_the_real_screen(self):
        shot = readme_screen.masked(readme_screen.capture())
        self.assertEqual(readme_screen.masked(readme_screen.readme_block()), shot,
                         "README's sample screen is out of date: run make docs")


if __name__ == "__main__":
    unittest.main()
