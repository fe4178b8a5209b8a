"""Tests of builder.splice_makefile()."""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import builder  # noqa: E402
from common import ToolError  # noqa: E402

ANCHOR = "LINK_PYTHON_OBJS=@LINK_PYTHON_OBJS@\n"
PRISTINE = ("LIBRARY_OBJS= a.o b.o\n"
            "\n" + ANCHOR + "\n"
            "all: python\n")


class SpliceTests(unittest.TestCase):

    def test_fragment_goes_right_before_the_anchor(self):
        result = builder.splice_makefile(PRISTINE, "RUST ?= 0\n")
        self.assertEqual(result, "LIBRARY_OBJS= a.o b.o\n\nRUST ?= 0\n"
                                 + ANCHOR + "\nall: python\n")

    def test_pristine_text_is_kept_whole(self):
        fragment = "X = 1\nY = 2\n"
        result = builder.splice_makefile(PRISTINE, fragment)
        self.assertEqual(result.replace(fragment, "", 1), PRISTINE)

    def test_fragment_without_final_newline(self):
        result = builder.splice_makefile(PRISTINE, "RUST ?= 0")
        self.assertIn("RUST ?= 0\n" + ANCHOR, result)

    def test_crlf_anchor_line(self):
        text = PRISTINE.replace("\n", "\r\n")
        result = builder.splice_makefile(text, "R = 1\n")
        self.assertIn("R = 1\n" + ANCHOR.replace("\n", "\r\n"), result)

    def test_missing_anchor(self):
        with self.assertRaisesRegex(ToolError, "occurs 0 times"):
            builder.splice_makefile("all: python\n", "R = 1\n")

    def test_anchor_must_be_the_whole_line(self):
        text = PRISTINE.replace(ANCHOR, "# " + ANCHOR)
        with self.assertRaisesRegex(ToolError, "occurs 0 times"):
            builder.splice_makefile(text, "R = 1\n")

    def test_anchor_twice(self):
        with self.assertRaisesRegex(ToolError, "occurs 2 times"):
            builder.splice_makefile(PRISTINE + ANCHOR, "R = 1\n")

    def test_anchor_on_the_last_line_without_newline(self):
        text = "A = 1\n" + ANCHOR.rstrip("\n")
        result = builder.splice_makefile(text, "R = 1\n")
        self.assertEqual(result, "A = 1\nR = 1\n" + ANCHOR.rstrip("\n"))


if __name__ == "__main__":
    unittest.main()
