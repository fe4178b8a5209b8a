"""Tests of the checks of `Tools/rust test` beyond the test suite
(verify.py): the parsers of regrtest -R, sanitizer and valgrind output, the
threads stress, and RUST_PROFILE in makeconf."""

import argparse
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

import makeconf  # noqa: E402
import verify  # noqa: E402


class RefleakTests(unittest.TestCase):

    OUTPUT = """\
0:00:05 load avg: 1.0 [1/3/1] test_enumerate failed (reference leak)
beginning 6 repetitions
123456
......
test_enumerate leaked [1, 1, 1] references, sum=3
test_enumerate leaked [1, 1, 1] memory blocks, sum=3
0:00:09 [2/3/1] test_iter passed
test_x leaked [0, 0, 1] file descriptors, sum=1
"""

    def test_parse(self):
        leaks = verify.parse_leaks(self.OUTPUT)
        self.assertEqual(leaks, {
            ("test_enumerate", "references"): [1, 1, 1],
            ("test_enumerate", "memory blocks"): [1, 1, 1],
            ("test_x", "file descriptors"): [0, 0, 1]})

    def test_rust_only_leaks_fail(self):
        c = {("test_x", "file descriptors"): [0, 0, 1]}
        rust = verify.parse_leaks(self.OUTPUT)
        self.assertEqual(verify.compare_leaks(c, rust), [
            ("test_enumerate", "memory blocks", [1, 1, 1]),
            ("test_enumerate", "references", [1, 1, 1])])
        self.assertEqual(verify.compare_leaks(rust, c), [])


class SanitizerTests(unittest.TestCase):

    def test_reports(self):
        with tempfile.TemporaryDirectory() as d:
            with open(os.path.join(d, "asan.123"), "w") as f:
                f.write("=================================================\n"
                        "==123==ERROR: AddressSanitizer: heap-use-after-free "
                        "on address 0x602\n"
                        "    #0 0x55 in enumobject::enum_next lib.rs:10\n"
                        "    #1 0x56 in main\n")
            with open(os.path.join(d, "ubsan.124"), "w") as f:
                f.write("Objects/longobject.c:12:5: runtime error: signed "
                        "integer overflow\n    #0 0x1 in PyLong_Foo\n")
            reports = verify.sanitizer_reports(d)
        self.assertEqual(len(reports), 2)
        self.assertTrue(reports[0][2])      # a Rust frame
        self.assertIn("heap-use-after-free", reports[0][1])
        self.assertFalse(reports[1][2])

    def test_no_report(self):
        with tempfile.TemporaryDirectory() as d:
            self.assertEqual(verify.sanitizer_reports(d), [])


class ValgrindTests(unittest.TestCase):

    LOG = """\
==7== Memcheck, a memory error detector
==7== Command: python -m test
==7== 
==7== Invalid read of size 8
==7==    at 0x4A: _ZN10enumobject9enum_next17h0123456789abcdefE (lib.rs:1)
==7==    by 0x4B: PyIter_Next (abstract.c:1)
==7==  Address 0x0 is not stack'd, malloc'd or (recently) free'd
==7== 
==7== Conditional jump or move depends on uninitialised value(s)
==7==    at 0x4C: PyObject_Foo (object.c:1)
==7==    by 0x4D: main (python.c:1)
==7== 
==7== HEAP SUMMARY:
==7==     in use at exit: 0 bytes in 0 blocks
==7== 
"""

    def test_errors(self):
        errors = verify.valgrind_errors(self.LOG)
        self.assertEqual(errors, [("Invalid read of size 8", True), (
            "Conditional jump or move depends on uninitialised value(s)",
            False)])


class ThreadsTests(unittest.TestCase):

    def test_stress_runs(self):
        out = subprocess.run(
            [sys.executable, os.path.join(HERE, "stress_threads.py"),
             "--seconds", "0.5", "--threads", "4"],
            capture_output=True, text=True, timeout=120)
        self.assertEqual(out.returncode, 0, out.stderr)
        import json
        result = json.loads(out.stdout)
        self.assertEqual(result["threads"], 4)
        self.assertGreater(result["ops"], 0)
        # Out-of-range items (numbers in messages become N).
        self.assertIn("IndexError: index out of bounds on dimension N",
                      result["exceptions"])


class CheckThreadsTests(unittest.TestCase):
    """check_threads: a crash of the C reference is C's, one of Rust fails."""

    def run_check(self, outcomes):
        calls = []

        def fake(python, seconds, threads, log, seed=1):
            calls.append((python, seed))
            outcome = outcomes[(python, seed)]
            if outcome == "crash":
                return None, f"{python}: stress_threads.py exit status -11: "
            return {"ops": 1, "gil": False, "exceptions": dict.fromkeys(
                outcome, 1)}, None

        class Layout:
            def log(self, name):
                return os.path.join(self.dir, name)
        layout = Layout()
        saved = verify.run_stress, verify.progress
        verify.run_stress, verify.progress = fake, lambda *a: None
        try:
            with tempfile.TemporaryDirectory() as tmp:
                layout.dir = tmp
                return verify.check_threads(layout, "c", "rust", 1, 2), calls
        finally:
            verify.run_stress, verify.progress = saved

    def test_c_crash_takes_another_seed(self):
        problems, calls = self.run_check({
            ("c", 1): "crash", ("c", 2): ["E: a"], ("rust", 1): ["E: a"]})
        self.assertEqual(problems, [])
        self.assertEqual(calls, [("c", 1), ("c", 2), ("rust", 1)])

    def test_rust_kinds_are_compared_with_the_new_reference(self):
        problems, _ = self.run_check({
            ("c", 1): "crash", ("c", 2): ["E: a"], ("rust", 1): ["E: b"],
            ("c", 3): [], ("c", 4): []})
        self.assertEqual(len(problems), 1)
        self.assertIn("E: b", problems[0])

    def test_c_crashing_on_every_seed_leaves_the_rust_checks(self):
        crash = dict.fromkeys([("c", n) for n in (1, 2, 3, 4)], "crash")
        problems, _ = self.run_check({**crash, ("rust", 1): ["E: b"]})
        self.assertEqual(problems, [])
        problems, _ = self.run_check({**crash, ("rust", 1): "crash"})
        self.assertEqual(len(problems), 1)
        self.assertIn("threads (rust)", problems[0])

    def test_a_rust_crash_fails(self):
        problems, _ = self.run_check({("c", 1): [], ("rust", 1): "crash"})
        self.assertEqual(len(problems), 1)
        self.assertIn("exit status -11", problems[0])


class ArgumentTests(unittest.TestCase):

    def parse(self, *argv):
        parser = argparse.ArgumentParser()
        verify.add_arguments(parser)
        return parser.parse_args(argv)

    def test_requested(self):
        self.assertEqual(verify.requested(self.parse()), [])
        self.assertEqual(verify.requested(self.parse("--threads",
                                                     "--refleaks")),
                         ["refleaks", "threads"])

    def test_defaults_are_checks(self):
        self.assertTrue(set(verify.DEFAULT_CHECKS) <= set(verify.CHECKS))


class ProfileTests(unittest.TestCase):

    def run_makeconf(self, *extra):
        with tempfile.TemporaryDirectory() as d:
            pyconfig = os.path.join(d, "pyconfig.h")
            with open(pyconfig, "w") as f:
                f.write("#define HAVE_X 1\n")
            out = os.path.join(d, "rust-objects.mk")
            root = os.path.dirname(os.path.dirname(HERE))
            status = makeconf.main(["--srcdir", root, "--output", out,
                                    "--pyconfig", pyconfig,
                                    "--cargo", sys.executable, *extra])
            text = open(out).read() if os.path.exists(out) else ""
        return status, text

    def test_profile_follows_the_build(self):
        status, text = self.run_makeconf()
        self.assertEqual(status, 0)
        self.assertIn("RUST_PROFILE := release\n", text)

    def test_profile_override(self):
        status, text = self.run_makeconf("--profile", "pydebug")
        self.assertEqual(status, 0)
        self.assertIn("RUST_PROFILE := pydebug\n", text)

    def test_bad_profile(self):
        import contextlib
        import io
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            status, _ = self.run_makeconf("--profile", "dev")
        self.assertEqual(status, 1)
        self.assertIn("RUST_PROFILE=dev", out.getvalue())


class RunChecksTests(unittest.TestCase):
    """run_checks builds what a check needs and runs it (both faked)."""

    def setUp(self):
        self.calls = []
        saved = {n: getattr(verify, n) for n in (
            "_build", "check_difftest", "check_panics", "check_refleaks",
            "check_sanitizers", "check_valgrind", "check_threads",
            "check_distro_rust", "check_tsan", "object_tests",
            "_record")}
        self.addCleanup(lambda: [setattr(verify, n, f)
                                 for n, f in saved.items()])
        verify._build = lambda layout, args, variants: self.calls.append(
            ("build",) + tuple(variants))

        def fake(name, problems=()):
            def check(*a):
                self.calls.append((name,))
                return list(problems)
            return check
        verify.check_difftest = fake("difftest")
        verify.check_panics = fake("panics")
        verify.check_refleaks = fake("refleaks", ["refleaks: leak"])
        verify.check_sanitizers = fake("sanitizers")
        verify.check_valgrind = fake("valgrind")
        verify.check_threads = fake("threads")
        verify.check_distro_rust = fake("distro-rust")
        verify.check_tsan = fake("tsan")
        verify.object_tests = lambda layout, rust_only=False: ["test_x"]
        self.recorded = []
        verify._record = lambda layout, name, found, seconds, tests: \
            self.recorded.append((name, found))

    def test_builds_and_checks(self):
        class Layout:
            tree = "/nowhere"

            def builddir(self, name):
                return f"/nowhere/{name}"
        args = argparse.Namespace(tests=None, jobs=1)
        import builder
        saved = builder.variant_builddir
        builder.variant_builddir = lambda layout, name: f"/nowhere/{name}"
        self.addCleanup(setattr, builder, "variant_builddir", saved)
        problems, durations = verify.run_checks(
            args, Layout(), ["difftest", "refleaks", "threads"])
        self.assertEqual(problems, ["refleaks: leak"])
        self.assertEqual(list(durations), ["difftest", "refleaks", "threads"])
        # Each check's result is recorded (for `Tools/rust report`).
        self.assertEqual(self.recorded, [("difftest", []),
                                         ("refleaks", ["refleaks: leak"]),
                                         ("threads", [])])
        self.assertEqual(self.calls, [
            ("build", "c", "rust"), ("difftest",),
            ("build", "debug-c", "debug-rust"), ("refleaks",), ("panics",),
            ("build", "ft-c", "ft-rust"), ("threads",)])

    def test_distro_rust_builds_c_and_distro_rust(self):
        class Layout:
            tree = "/nowhere"
        args = argparse.Namespace(tests=None, jobs=1)
        problems, _ = verify.run_checks(args, Layout(), ["distro_rust"])
        self.assertEqual(problems, [])
        self.assertEqual(self.calls, [("build", "c", "distro-rust"),
                                      ("distro-rust",)])

    def test_distro_rust_is_a_default_check_and_an_option(self):
        self.assertIn("distro_rust", verify.DEFAULT_CHECKS)
        parser = argparse.ArgumentParser()
        verify.add_arguments(parser)
        self.assertEqual(verify.requested(parser.parse_args(
            ["--distro-rust"])), ["distro_rust"])


class DistroRustTests(unittest.TestCase):

    def test_rust_version_is_read_from_the_workspace(self):
        with tempfile.TemporaryDirectory() as d:
            with open(os.path.join(d, "Cargo.toml"), "w") as f:
                f.write('[workspace.package]\nedition = "2021"\n'
                        'rust-version = "1.85"\n')
            self.assertEqual(verify.rust_version(d), (1, 85))
            with open(os.path.join(d, "Cargo.toml"), "w") as f:
                f.write('[workspace.package]\nedition = "2021"\n')
            with self.assertRaises(verify.ToolError):
                verify.rust_version(d)

    def test_the_repository_declares_the_distro_rust(self):
        # What CI builds distro-rust with (Debian's rustc-web, 1.85).
        root = os.path.dirname(os.path.dirname(HERE))
        self.assertEqual(verify.rust_version(root), (1, 85))

    def test_rustc_version_parses_the_output(self):
        with tempfile.TemporaryDirectory() as d:
            fake = os.path.join(d, "rustc")
            with open(fake, "w") as f:
                f.write("#!/bin/sh\necho 'rustc 1.85.0 (4d91de4e4 "
                        "2025-02-17) (built from a source tarball)'\n")
            os.chmod(fake, 0o755)
            self.assertEqual(verify.rustc_version(fake), (1, 85))
            with open(fake, "w") as f:
                f.write("#!/bin/sh\necho nonsense\n")
            with self.assertRaises(verify.ToolError):
                verify.rustc_version(fake)

    def test_variant_uses_the_distribution_toolchain(self):
        import builder
        variant = builder.VARIANTS["distro-rust"]
        self.assertTrue(variant.rust)
        env = builder.build_env(variant)
        self.assertEqual(env["CARGO"], "/usr/bin/cargo")
        self.assertEqual(env["RUSTC"], "/usr/bin/rustc")
        # The other Rust variants use the toolchain on PATH.
        self.assertNotEqual(builder.build_env(builder.VARIANTS["rust"])
                            .get("RUSTC"), "/usr/bin/rustc")


class TsanTests(unittest.TestCase):

    REPORT = """==================
WARNING: ThreadSanitizer: data race (pid=7)
  Write of size 8 at 0x7b0 by thread T1:
%s    #9 _PyEval_EvalFrameDefault ceval.c:2 (python+0x2)

  Previous atomic read of size 8 at 0x7b0 by main thread:
%s
SUMMARY: ThreadSanitizer: data race /x.c:1 in top
==================
"""

    @staticmethod
    def stack(*frames):
        return "".join(
            f"    #{i} {f} ../sanitizer_common/sanitizer_common_interceptors"
            f".inc:827 (libtsan.so.2+0x1)\n" if f == "memcpy" else
            f"    #{i} {f} /x.c:1 (python+0x1)\n"
            for i, f in enumerate(frames))

    def report(self, first, previous):
        return self.REPORT % (self.stack(*first), self.stack(*previous))

    def test_reports_and_rust_frames(self):
        iter_next = "_ZN12memoryobject4iter15memoryiter_next17h0E"
        load = ("_RINvNtCs0_12memoryobject6native14load_unaligned"
                "hEB4_")
        atomic = "_RINvNtNtCs1_4core4sync6atomic11atomic_loadhECs0_12memoryobject"
        with tempfile.TemporaryDirectory() as d:
            with open(os.path.join(d, "tsan.1"), "w") as f:
                # 0: C against C.
                f.write(self.report(["list_get_item_ref"], ["other"]))
                # 1: our access first.
                f.write(self.report([iter_next], ["other"]))
                # 2: a C access with a Rust frame further down, against C:
                # C's race.
                f.write(self.report(["bytearray_releasebuffer", iter_next],
                                    ["other"]))
                # 3: our access second (the previous one): ours too.
                f.write(self.report(["list_get_item_ref"], [iter_next]))
                # 4: libc's memcpy (the sanitizer's interceptor), called by
                # our code: a bulk copy of items, a content race.
                f.write(self.report(["memcpy", iter_next], ["other"]))
                # 5: items of a buffer (an item accessor, or libc's memcpy
                # or bcmp on them) against C's write of the same bytes: a
                # content race, not a race on our state.
                f.write(self.report([atomic, load, "pack_single"],
                                    ["bytearray_ass_subscript"]))
                # 6: a content access against a race on our state: ours.
                f.write(self.report([atomic, load], [iter_next]))
                f.write("ThreadSanitizer: reported 2 warnings\n"
                        "Suppressions used:\n  count      type: name\n"
                        "      3 race_top:assign_version_tag\n"
                        "      1 race:free_threadstate\n")
            reports, used = verify.tsan_reports(d)
        self.assertEqual([r[2] for r in reports],
                         [False, True, False, True, False, False, True])
        self.assertEqual([r[3] for r in reports],
                         [False, False, False, False, True, True, False])
        self.assertIn("data race /x.c:1 in top", reports[0][1])
        self.assertEqual(used, {"race_top:assign_version_tag": 3,
                                "race:free_threadstate": 1})

    def test_upstream_reference(self):
        text = ("## Free-threaded suppressions\n\n"
                "# gh-124878: race condition when interpreter finalized\n"
                "race:free_threadstate\n\nrace_top:new_reference\n")
        self.assertEqual(verify.upstream_reference(
            text, "race:free_threadstate"),
            "gh-124878: race condition when interpreter finalized")
        self.assertEqual(verify.upstream_reference(
            text, "race_top:new_reference"), "(no comment upstream)")
        self.assertEqual(verify.upstream_reference(text, "race:x"),
                         "(not in upstream's file)")


if __name__ == "__main__":
    unittest.main()
