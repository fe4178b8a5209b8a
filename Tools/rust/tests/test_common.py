"""Tests of common: running a step with its output in a log."""

import contextlib
import io
import os
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import common  # noqa: E402


def alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False
    except OSError:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True


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

    def test_sigterm_stops_the_step_and_its_children(self):
        pidfile = os.path.join(os.path.dirname(self.log), "pid")
        script = (
            "import sys; sys.path.insert(0, %r)\n"
            "import common\n"
            "common.interrupt_on_sigterm()\n"
            "try:\n"
            "    common.run_step('x', ['sh', '-c', 'sleep 60 & echo $! > %s;"
            " wait'], %r)\n"
            "except KeyboardInterrupt:\n"
            "    print('interrupted')\n"
            % (os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
               pidfile, self.log))
        proc = subprocess.Popen([sys.executable, "-c", script],
                                stdout=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 30
        while not os.path.exists(pidfile) or not open(pidfile).read():
            self.assertLess(time.monotonic(), deadline)
            time.sleep(0.05)
        with open(pidfile) as f:
            grandchild = int(f.read())
        proc.terminate()
        out, _ = proc.communicate(timeout=30)
        self.assertIn("interrupted", out)
        # The step's own child (sleep, in its process group) is gone too
        # (or a zombie waiting for init).
        time.sleep(0.2)
        self.assertFalse(alive(grandchild))

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
