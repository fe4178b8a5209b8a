"""Regression tests of the Rust bytearrayobject (Objects/bytearrayobject.c).

Written by `python3 Tools/rust new bytearrayobject`: a stub that fails until the
object has its tests (the cases C and Rust must agree on, and the safety
cases where C crashes and Rust must not).
"""

import unittest


class BytearrayobjectTests(unittest.TestCase):

    def test_written(self):
        self.fail("bytearrayobject: write the tests of the Rust twin of Objects/bytearrayobject.c "
                  "here (Tools/rust new made this stub)")


if __name__ == "__main__":
    unittest.main()
