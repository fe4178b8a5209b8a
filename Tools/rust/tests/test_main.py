"""Tests of the command dispatch in __main__.py."""

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


class DispatchTests(unittest.TestCase):

    def setUp(self):
        self.main = load_main()
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        self.tmp = tmp.name
        sys.path.insert(0, self.tmp)
        self.addCleanup(sys.path.remove, self.tmp)

    def test_internal_commands(self):
        self.assertEqual(self.main.INTERNAL_COMMANDS,
                         ("makeconf", "relink", "regen", "check",
                          "difftest", "panics"))

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
