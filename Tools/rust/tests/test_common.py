"""Tests of common: running a step with its output in a log."""

import contextlib
import io
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import common  # noqa: E402


class StepTests(unittest.TestCase):

    def setUp(self):
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        self.log = os.path.join(tmp.name, "logs", "c-make.log")
        self.out = io.StringIO()

    def run_step(self, script):
        with contextlib.redirect_stdout(self.out):
            return common.run_step("make c", ["sh", "-c", script], self.log)

    def test_success(self):
        self.run_step("echo compiler output; echo more >&2")
        with open(self.log) as f:
            log = f.read()
        self.assertIn("compiler output\nmore\n", log)
        self.assertIn("$ sh -c", log)
        # Progress only, not the command's output.
        self.assertNotIn("compiler output", self.out.getvalue())
        self.assertIn("make c: done", self.out.getvalue())

    def test_failure(self):
        script = ("echo 'x.c:1: error: bad'; "
                  "for i in $(seq 1 40); do echo line $i; done; exit 3")
        with self.assertRaises(common.StepFailed) as cm:
            self.run_step(script)
        exc = cm.exception
        self.assertEqual(exc.returncode, 3)
        message = str(exc)
        self.assertIn("make c failed (exit status 3)", message)
        self.assertIn(self.log, os.path.abspath(message.split(
            "full log: ")[1].splitlines()[0]))
        self.assertIn("line 40", message)
        self.assertIn("line 11", message)
        self.assertNotIn("line 10\n", message)
        # The error line scrolled out of the tail is shown too.
        self.assertIn("x.c:1: error: bad", message)

    def test_missing_program(self):
        with contextlib.redirect_stdout(self.out), \
                self.assertRaisesRegex(common.ToolError, "cannot run"):
            common.run_step("x", ["/nonexistent/prog"], self.log)

    def test_error_lines(self):
        path = os.path.join(os.path.dirname(self.log), "l.log")
        os.makedirs(os.path.dirname(path))
        with open(path, "w") as f:
            f.write("gcc -c a.c\n"
                    "error[E0599]: no method named `x`\n"
                    "a.c:3:1: error: expected ';'\n"
                    "gcc -c b.c\n"
                    "make: *** [Makefile:781: Objects/rustobjects.o] Error 1\n"
                    "error[E0599]: no method named `x`\n")
        self.assertEqual([line.split(":")[0] for line in
                          common.error_lines(path)],
                         ["error[E0599]", "a.c", "make"])


if __name__ == "__main__":
    unittest.main()
