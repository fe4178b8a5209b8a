"""Tests of Tools/rust panics on a small object made with the C compiler,
whose functions carry the (mangled) names of Rust and core functions."""

import io
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

import panics  # noqa: E402

BOUNDS = "_ZN4core9panicking18panic_bounds_check17h0123456789abcdefE"
FMT = "_ZN4core9panicking9panic_fmt17h1111111111111111E"
HELPER = "_ZN10enumobject6helper17h2222222222222222E"
# v0 mangling (what core uses): core[hash]::panicking::panic_const::...
OVERFLOW = ("_RNvNtNtCsgEmfK2I1SDS_4core9panicking11panic_const"
            "24panic_const_add_overflow")
SOURCE = f"""
__attribute__((noinline)) static void {BOUNDS}(int i) {{ __builtin_trap(); }}
__attribute__((noinline)) static void {FMT}(void) {{ __builtin_trap(); }}
__attribute__((noinline)) static int {HELPER}(int i) {{
    if (i > 3) {BOUNDS}(i);
    return i;
}}
int PyEnum_Export(int i) {{ return {HELPER}(i) + 1; }}
__attribute__((noinline)) static void {OVERFLOW}(void) {{ __builtin_trap(); }}
int PyEnum_Clean(int i) {{ if (i > 100) {OVERFLOW}(); return i * 2; }}
int PyEnum_Unused(int i) {{ if (i) {FMT}(); return 0; }}
"""


@unittest.skipUnless(shutil.which("cc") and shutil.which("ld")
                     and shutil.which("objdump") and shutil.which("readelf"),
                     "needs cc, ld, objdump and readelf")
class PanicsTests(unittest.TestCase):

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)
        self.build = self.tmp.name
        os.makedirs(os.path.join(self.build, "Objects"))
        src = os.path.join(self.build, "t.c")
        with open(src, "w") as f:
            f.write(SOURCE)
        obj = os.path.join(self.build, "t.o")
        subprocess.run(["cc", "-O1", "-c", "-ffunction-sections", src, "-o",
                        obj], check=True)
        # What relink does: exports as roots, --gc-sections.
        subprocess.run(["ld", "-r", "--gc-sections", "-e", "PyEnum_Export",
                        "--require-defined=PyEnum_Clean", obj, "-o",
                        os.path.join(self.build, panics.OBJECT)], check=True)
        with open(os.path.join(self.build, "rust-objects.mk"), "w") as f:
            f.write("RUST_PROFILE := release\n")
        self.baseline = os.path.join(self.build, "baseline.json")

    def check(self, update=False):
        lines = []
        status = panics.check(self.build, update=update,
                              baseline_path=self.baseline,
                              out=lines.append)
        return status, "\n".join(lines)

    def test_new_site_fails_with_its_callers(self):
        status, out = self.check()
        self.assertEqual(status, 1, out)
        self.assertIn("NEW enumobject::helper -> "
                      "core::panicking::panic_bounds_check", out)
        self.assertIn("via PyEnum_Export -> enumobject::helper", out)
        self.assertIn("NEW PyEnum_Clean -> core::panicking::panic_const::"
                      "panic_const_add_overflow", out)
        # Dropped by --gc-sections: not reachable, not reported.
        self.assertNotIn("panic_fmt", out)
        self.assertIn("(release): 2 panic site(s)", out)

    def test_baseline(self):
        status, out = self.check(update=True)
        self.assertEqual(status, 0, out)
        with open(self.baseline) as f:
            data = json.load(f)
        self.assertEqual(data["release"], [
            "PyEnum_Clean -> core::panicking::panic_const::"
            "panic_const_add_overflow",
            "enumobject::helper -> core::panicking::panic_bounds_check"])
        status, out = self.check()
        self.assertEqual(status, 0, out)
        self.assertNotIn("NEW", out)
        # A baseline of another profile does not count.
        with open(os.path.join(self.build, "rust-objects.mk"), "w") as f:
            f.write("RUST_PROFILE := pydebug\n")
        status, out = self.check()
        self.assertEqual(status, 1, out)

    def test_command_line(self):
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            status = panics.main([os.path.join(self.build, "nowhere")])
        self.assertEqual(status, 2)
        self.assertIn("not found", err.getvalue())

    def test_committed_baseline_is_valid(self):
        baseline = panics.load_baseline()
        self.assertTrue(set(baseline) <= {"release", "pydebug"}, baseline)
        for sites in baseline.values():
            self.assertIsInstance(sites, list)


if __name__ == "__main__":
    unittest.main()
