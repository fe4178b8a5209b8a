"""Tests of Tools/rust difftest: it must catch a divergence.

The "Rust" interpreter here is the Python running the tests with a
sitecustomize that changes one thing (an error message of enumerate, or a
crash in one function); the "C" interpreter is the same Python unpatched.
"""

import contextlib
import io
import os
import stat
import subprocess
import sys
import tempfile
import textwrap
import unittest

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

import difftest  # noqa: E402
import difftest_gen  # noqa: E402

PATCH_MESSAGE = """\
import pickle
_dumps = pickle.dumps
def dumps(*args, **kwargs):
    try:
        return _dumps(*args, **kwargs)
    except TypeError as exc:
        raise TypeError(str(exc) + " (patched)") from None
pickle.dumps = dumps
"""

PATCH_ONCE = """\
import pickle
_dumps = pickle.dumps
_seen = []
def dumps(*args, **kwargs):
    try:
        return _dumps(*args, **kwargs)
    except TypeError as exc:
        if _seen:
            raise
        _seen.append(1)
        raise TypeError(str(exc) + " (patched once)") from None
pickle.dumps = dumps
"""

PATCH_CRASH = """\
import os, sys
def getrefcount(obj):
    os.abort()
sys.getrefcount = getrefcount  # used by refs() of difftest_worker.py
"""

# A bytearray whose hex() differs (upper-case digits) and nothing else:
# the name, repr and every other method are the builtin's.
PATCH_BYTEARRAY = """\
import builtins
class bytearray(builtins.bytearray):
    __slots__ = ()
    def hex(self, *args, **kwargs):
        return super().hex(*args, **kwargs).upper()
bytearray.__module__ = "builtins"
builtins.bytearray = bytearray
"""


def fake_python(directory, site_code):
    """A wrapper script: this Python with `site_code` as sitecustomize."""
    site = os.path.join(directory, "site")
    os.makedirs(site)
    with open(os.path.join(site, "sitecustomize.py"), "w") as f:
        f.write(site_code)
    script = os.path.join(directory, "python")
    with open(script, "w") as f:
        f.write(f"#!/bin/sh\nPYTHONPATH={site} exec {sys.executable} "
                f'"$@"\n')
    os.chmod(script, os.stat(script).st_mode | stat.S_IXUSR)
    return script


def run_difftest(*argv):
    out = io.StringIO()
    with contextlib.redirect_stdout(out), \
            contextlib.redirect_stderr(out):
        status = difftest.main(list(argv))
    return status, out.getvalue()


class GeneratorTests(unittest.TestCase):

    def test_deterministic(self):
        for name in difftest_gen.GENERATORS:
            with self.subTest(name):
                a = [difftest_gen.generate(name, 5, i) for i in range(50)]
                b = [difftest_gen.generate(name, 5, i) for i in range(50)]
                self.assertEqual(a, b)
                c = [difftest_gen.generate(name, 6, i) for i in range(50)]
                self.assertNotEqual(a, c)

    def test_intended_markers_name_a_safety_case(self):
        # A generated step marked "# intended: NAME" is left out of the
        # comparison only if NAME is a case of test_rust_safety.py.
        names = {i.name for i in difftest.INTENDED}
        marked = set()
        for name in difftest_gen.GENERATORS:
            for i in range(2000):
                for step in difftest_gen.generate(name, 1, i):
                    if "# intended: " in step:
                        marked.add(step.split("# intended: ", 1)[1])
        self.assertIn("bytearray-extend-buffer-clears", marked)
        self.assertIn("bytearray-init-list-fails-uninit", marked)
        self.assertLessEqual(marked, names)

    def test_bytearray_generator_covers(self):
        steps = "\n".join(
            "\n".join(difftest_gen.generate("bytearrayobject", 1, i))
            for i in range(3000))
        for needle in ("MutIndex(", "MutBuffer(", "MutIter(", "MutStr(",
                       "MutRepr(", "with memoryview(", ".__alloc__()",
                       ".__reduce_ex__(", "roundtrip(", " += ", " *= ",
                       "bytearray(", ".readinto(", "::-", "del b0[",
                       ".translate(", ".fromhex(", ".hex(", ".join(",
                       ".partition(", ".rsplit(", ".splitlines(",
                       ".removeprefix(", ".zfill(", ".expandtabs(",
                       ".decode(", "% (", ".insert(", ".remove(",
                       ".pop(", ".reverse()", ".copy()", ".__init__(",
                       ".isalnum()", ".istitle()", ".swapcase()",
                       ".center(", ".ljust(", ".rjust(", ".lstrip(",
                       ".count(", ".rindex(", ".endswith(", " in b0",
                       " <= ", ".__sizeof__()"):
            with self.subTest(needle=needle):
                self.assertIn(needle, steps)

    def test_steps_compile(self):
        for name in difftest_gen.GENERATORS:
            for i in range(200):
                for step in difftest_gen.generate(name, 1, i):
                    with self.subTest(step=step):
                        compile(step, "<step>", "exec")


class DifftestTests(unittest.TestCase):

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)
        self.out = os.path.join(self.tmp.name, "out")

    def test_same_interpreter_agrees(self):
        status, output = run_difftest(
            "--c-python", sys.executable, "--rust-python", sys.executable,
            "--object", "enumobject", "--cases", "150", "--output", self.out)
        self.assertEqual(status, 0, output)
        self.assertIn("150 cases", output)
        self.assertIn("0 divergence(s)", output)
        self.assertFalse(os.path.exists(self.out))

    def test_changed_message_is_caught(self):
        fake = fake_python(self.tmp.name, PATCH_MESSAGE)
        status, output = run_difftest(
            "--c-python", sys.executable, "--rust-python", fake,
            "--object", "enumobject", "--cases", "1000", "--output", self.out,
            "--max-reproducers", "1")
        self.assertEqual(status, 1, output)
        self.assertRegex(output, r"[1-9]\d* divergence\(s\)")
        files = os.listdir(self.out)
        self.assertEqual(len(files), 1, output)
        path = os.path.join(self.out, files[0])
        with open(path) as f:
            text = f.read()
        self.assertIn("(patched)", text)
        self.assertIn("STEPS = [", text)
        # Shrunk: the constructor call alone (maybe with its input).
        steps = text.split("STEPS = [", 1)[1].split("]\n", 1)[0]
        self.assertLessEqual(steps.count("\n"), 4, steps)
        # The reproducer runs on both and shows the difference.
        env = difftest.worker_env()
        c = subprocess.run([sys.executable, path], capture_output=True,
                           text=True, env=env)
        r = subprocess.run([fake, path], capture_output=True, text=True,
                           env=env)
        self.assertEqual(c.returncode, 0, c.stderr)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertNotIn("(patched)", c.stdout)
        self.assertIn("(patched)", r.stdout)

    # The Python running these tests may be older than the fixes of the
    # safety rows (gh-143195: 3.13.12, ...): its re-entrant cases read
    # freed memory, which is no test of the tool.
    REENTRANT = r"Mut\w+\("

    def test_bytearray_same_interpreter_agrees(self):
        status, output = run_difftest(
            "--c-python", sys.executable, "--rust-python", sys.executable,
            "--object", "bytearrayobject", "--cases", "300",
            "--output", self.out, "--exclude-step", self.REENTRANT)
        self.assertEqual(status, 0, output)
        self.assertIn("0 divergence(s)", output)
        self.assertFalse(os.path.exists(self.out))

    def test_bytearray_divergence_is_caught(self):
        fake = fake_python(self.tmp.name, PATCH_BYTEARRAY)
        status, output = run_difftest(
            "--c-python", sys.executable, "--rust-python", fake,
            "--object", "bytearrayobject", "--cases", "300",
            "--output", self.out, "--max-reproducers", "1",
            "--exclude-step", self.REENTRANT)
        self.assertEqual(status, 1, output)
        self.assertRegex(output, r"[1-9]\d* divergence\(s\)")
        files = os.listdir(self.out)
        self.assertEqual(len(files), 1, output)
        with open(os.path.join(self.out, files[0])) as f:
            text = f.read()
        steps = text.split("STEPS = [", 1)[1].split("]\n", 1)[0]
        self.assertIn("hex(", steps)

    def test_bytearray_default_run_has_more_cases(self):
        self.assertGreaterEqual(
            difftest.DEFAULT_CASES_FOR["bytearrayobject"], 10000)

    def test_divergence_that_goes_away_is_not_counted(self):
        fake = fake_python(self.tmp.name, PATCH_ONCE)
        status, output = run_difftest(
            "--c-python", sys.executable, "--rust-python", fake,
            "--object", "enumobject", "--cases", "1000", "--output", self.out)
        self.assertEqual(status, 0, output)
        self.assertIn("diverged, then agreed when run again", output)
        self.assertIn("1 diverged once only", output)
        self.assertFalse(os.path.exists(self.out))

    def test_crash_is_caught(self):
        fake = fake_python(self.tmp.name, PATCH_CRASH)
        status, output = run_difftest(
            "--c-python", sys.executable, "--rust-python", fake,
            "--object", "enumobject", "--cases", "200", "--output", self.out,
            "--max-reproducers", "1")
        self.assertEqual(status, 1, output)
        self.assertIn('"crash"', output)
        files = os.listdir(self.out)
        self.assertEqual(len(files), 1)
        with open(os.path.join(self.out, files[0])) as f:
            self.assertIn("refs(", f.read())

    def test_single_case(self):
        status, output = run_difftest(
            "--c-python", sys.executable, "--rust-python", sys.executable,
            "--object", "memoryobject", "--case", "3")
        self.assertEqual(status, 0, output)
        self.assertIn("--- C", output)
        self.assertIn("--- Rust", output)

    def test_intended_differences(self):
        status, output = run_difftest("--list-intended")
        self.assertEqual(status, 0)
        for intended in difftest.INTENDED:
            self.assertIn(intended.name, output)
        status, output = run_difftest(
            "--c-python", sys.executable, "--rust-python", sys.executable,
            "--include-intended", "no-such-difference")
        self.assertEqual(status, 2)

    def test_excluded_cases_are_counted(self):
        intended = difftest.Intended("hex-colon", "memoryobject",
                                     "a test entry", r"\.hex\(':'\)")
        saved = difftest.INTENDED
        difftest.INTENDED = saved + (intended,)
        self.addCleanup(setattr, difftest, "INTENDED", saved)
        hits = [i for i in range(400) if intended.matches(
            difftest_gen.generate(intended.object, 1, i))]
        self.assertTrue(hits)
        status, output = run_difftest(
            "--c-python", sys.executable, "--rust-python", sys.executable,
            "--object", intended.object, "--seed", "1",
            "--cases", str(hits[0] + 1), "--output", self.out)
        self.assertEqual(status, 0, output)
        self.assertIn("left out (intended differences, --exclude-step): "
                      "hex-colon: 1",
                      output)
        status, output = run_difftest(
            "--c-python", sys.executable, "--rust-python", sys.executable,
            "--object", intended.object, "--seed", "1",
            "--cases", str(hits[0] + 1), "--output", self.out,
            "--include-intended", "hex-colon")
        self.assertEqual(status, 0, output)
        self.assertNotIn("left out", output)
        status, output = run_difftest("--list-intended")
        self.assertIn("hex-colon (memoryobject): a test entry", output)


class ShrinkTests(unittest.TestCase):

    def test_simpler_steps(self):
        self.assertEqual(list(difftest.simpler_steps("f(10, 'a1')")),
                         ["f(0, 'a1')", "f(1, 'a1')", "f(5, 'a1')"])

    def test_first_difference(self):
        self.assertEqual(difftest.first_difference([1, 2, 3], [1, 5, 3]), 1)
        self.assertEqual(difftest.first_difference([1, 2], [1, 2, 3]), 2)


if __name__ == "__main__":
    unittest.main()
