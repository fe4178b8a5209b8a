"""Tests of the command dispatch in __main__.py."""

import ast
import contextlib
import importlib.util
import io
import os
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, HERE)


def load_main():
    spec = importlib.util.spec_from_file_location(
        "rust_tool_main", os.path.join(HERE, "__main__.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class VersionCheckTests(unittest.TestCase):

    def test_old_syntax(self):
        with open(os.path.join(HERE, "__main__.py"), encoding="utf-8") as f:
            source = f.read()
        # Old Pythons must get as far as the version check.
        ast.parse(source, feature_version=(3, 6))

    def test_old_python_is_refused(self):
        saved = sys.version_info
        err = io.StringIO()
        sys.version_info = (3, 9, 18, "final", 0)
        try:
            with contextlib.redirect_stderr(err), \
                    self.assertRaises(SystemExit) as cm:
                load_main()
        finally:
            sys.version_info = saved
        self.assertEqual(cm.exception.code, 2)
        self.assertIn("needs Python >= 3.10", err.getvalue())

    def test_current_python_is_accepted(self):
        self.assertTrue(hasattr(load_main(), "main"))


class DispatchTests(unittest.TestCase):

    def setUp(self):
        self.main = load_main()
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        self.tmp = tmp.name
        sys.path.insert(0, self.tmp)
        self.addCleanup(sys.path.remove, self.tmp)

    def test_internal_commands(self):
        # Dispatched before argparse (and cli.py) is imported.
        for name in ("makeconf", "relink", "regen", "check"):
            self.assertIn(name, self.main.INTERNAL_COMMANDS)

    def test_module_main_gets_the_remaining_arguments(self):
        with open(os.path.join(self.tmp, "fakecmd_rt.py"), "w") as f:
            f.write("def main(argv):\n    return len(argv) + 40\n")
        self.addCleanup(sys.modules.pop, "fakecmd_rt", None)
        self.assertEqual(self.main.run_internal("fakecmd_rt", ["a", "b"]), 42)

    def test_missing_module(self):
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            status = self.main.run_internal("nosuchcmd_rt", [])
        self.assertEqual(status, 2)
        self.assertIn("'Tools/rust nosuchcmd_rt' is not available",
                      err.getvalue())

    def test_import_error_inside_the_module_is_not_hidden(self):
        with open(os.path.join(self.tmp, "brokencmd_rt.py"), "w") as f:
            f.write("import no_such_module_rt\n")
        self.addCleanup(sys.modules.pop, "brokencmd_rt", None)
        with self.assertRaises(ModuleNotFoundError):
            self.main.run_internal("brokencmd_rt", [])


if __name__ == "__main__":
    unittest.main()


class SigintTests(unittest.TestCase):

    def test_children_can_be_interrupted(self):
        # Started with SIGINT ignored (a background job of a
        # non-interactive shell), the tool still starts its children with
        # SIGINT deliverable: Python in them installs its handler.
        import signal
        import subprocess
        child = ("import signal; print(signal.getsignal(signal.SIGINT) is "
                 "signal.default_int_handler)")
        script = (
            "import importlib.util, subprocess, sys\n"
            "spec = importlib.util.spec_from_file_location('m', %r)\n"
            "m = importlib.util.module_from_spec(spec)\n"
            "spec.loader.exec_module(m)\n"
            "if sys.argv[1] == 'fix':\n"
            "    m.deliver_sigint()\n"
            "subprocess.run([sys.executable, '-c', %r])\n"
            % (os.path.join(HERE, "__main__.py"), child))

        def ignore():
            signal.signal(signal.SIGINT, signal.SIG_IGN)

        out = {}
        for mode in ("fix", "nofix"):
            proc = subprocess.run([sys.executable, "-c", script, mode],
                                  capture_output=True, text=True,
                                  preexec_fn=ignore, check=True)
            out[mode] = proc.stdout.strip()
        self.assertEqual(out, {"fix": "True", "nofix": "False"})
