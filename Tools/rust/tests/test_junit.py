"""Tests of the JUnit XML parsing and the comparison in testrunner."""

import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import testrunner as tr  # noqa: E402
from common import ToolError  # noqa: E402

# As regrtest 3.13 writes it: one <testsuite> per unittest run, the test id
# in name=, no classname; a test whose subtests failed leaves a <testcase>
# without attributes.
REGRTEST_XML = """<?xml version="1.0" encoding="utf-8"?>
<testsuites tests="9" errors="1" failures="2">
 <testsuite start="2025-01-01 00:00:00" tests="7" errors="1" failures="2">
  <testcase name="test.test_enumerate.EnumerateTestCase.test_basic"
            status="run" result="completed" time="0.001"/>
  <testcase name="test.test_enumerate.EnumerateTestCase.test_fail"
            status="run" result="completed">
   <system-out>out</system-out>
   <failure type="AssertionError" message="1 != 2">Traceback</failure>
  </testcase>
  <testcase name="test.test_enumerate.EnumerateTestCase.test_error"
            status="run" result="completed">
   <error type="TypeError" message="boom">Traceback</error>
  </testcase>
  <testcase name="test.test_enumerate.EnumerateTestCase.test_skip"
            status="run" result="completed">
   <skipped>no reason</skipped>
  </testcase>
  <testcase name="test.test_enumerate.EnumerateTestCase.test_xfail"
            status="run" result="completed">
   <output type="AssertionError" message="expected">Traceback</output>
  </testcase>
  <testcase name="test.test_enumerate.EnumerateTestCase.test_xpass"
            status="run" result="completed">
   <outcome>UNEXPECTED_SUCCESS</outcome>
  </testcase>
  <testcase/>
  <testcase name="enum.Flag" status="run" result="completed"/>
 </testsuite>
 <testsuite start="2025-01-01 00:00:01" tests="1" errors="0" failures="0">
  <testcase name="test.test_asyncio.test_tasks.TaskTests.test_x"
            status="run" result="completed"/>
 </testsuite>
</testsuites>
"""

E = "test.test_enumerate.EnumerateTestCase."


def results(*cases):
    return tr.index(tr.TestCase(i, o, m) for i, o, m in cases)


class ParseTests(unittest.TestCase):

    def setUp(self):
        self.cases = {c.id: c for c in tr.parse_junit(REGRTEST_XML)}

    def test_outcomes(self):
        outcomes = {i: c.outcome for i, c in self.cases.items()}
        self.assertEqual(outcomes, {
            E + "test_basic": "passed",
            E + "test_fail": "failed",
            E + "test_error": "error",
            E + "test_skip": "skipped",
            E + "test_xfail": "passed",
            E + "test_xpass": "unexpected success",
            f"<test without result after {E}test_xpass>": "failed",
            "enum.Flag": "passed",
            "test.test_asyncio.test_tasks.TaskTests.test_x": "passed",
        })

    def test_modules(self):
        modules = {i: c.module for i, c in self.cases.items()}
        self.assertEqual(modules[E + "test_basic"], "test_enumerate")
        # A doctest id gets the module of its suite.
        self.assertEqual(modules["enum.Flag"], "test_enumerate")
        self.assertEqual(modules["test.test_asyncio.test_tasks.TaskTests."
                                 "test_x"], "test_asyncio")

    def test_forced_module(self):
        cases = tr.parse_junit(REGRTEST_XML, module="test_mine")
        self.assertEqual({c.module for c in cases}, {"test_mine"})

    def test_classname_and_name(self):
        cases = tr.parse_junit(
            '<testsuite><testcase classname="test.test_x.C" name="test_a">'
            '<failure/></testcase></testsuite>')
        self.assertEqual(cases, [tr.TestCase("test.test_x.C.test_a",
                                             "failed", "test_x")])

    def test_addresses_are_masked(self):
        xml = ('<testsuite><testcase name="test.test_u.T.test_a (parse=&lt;f'
               ' object at 0x7f8387c596f0&gt;, n=0x10)"/></testsuite>')
        other = xml.replace("0x7f8387c596f0", "0x7f92f77857a0")
        first = tr.index(tr.parse_junit(xml))
        self.assertEqual(list(first), ["test.test_u.T.test_a (parse=<f "
                                       "object at 0x...>, n=0x10)"])
        self.assertEqual(tr.compare(first, tr.index(tr.parse_junit(other))),
                         [])

    def test_file(self):
        with tempfile.NamedTemporaryFile("w", suffix=".xml",
                                         delete=False) as f:
            f.write(REGRTEST_XML)
        self.addCleanup(os.unlink, f.name)
        self.assertEqual(len(tr.parse_junit(f.name)), len(self.cases))

    def test_bad_xml(self):
        with self.assertRaises(ToolError):
            tr.parse_junit("<testsuites><testsuite>")

    def test_totals(self):
        res = tr.index(tr.parse_junit(REGRTEST_XML))
        # passed: basic, xfail, enum.Flag, asyncio; failed: fail, error,
        # xpass and the test without result.
        self.assertEqual(tr.totals(res), (4, 4, 1))
        self.assertEqual(tr.summary_line(res), "4 passed, 4 failed")

    def test_module_of(self):
        self.assertEqual(tr.module_of("test.test_os.T.test_a"), "test_os")
        self.assertIsNone(tr.module_of("pickletools"))
        self.assertIsNone(tr.module_of("test.support.x"))
        self.assertEqual(tr.module_of("test.datetimetester.T.test_a"),
                         "test_datetime")
        self.assertEqual(tr.module_of("idlelib.idle_test.test_run.T.test_a"),
                         "test_idle")


class CompareTests(unittest.TestCase):

    def test_same(self):
        a = results(("t.a", "passed", "m"), ("t.b", "failed", "m"))
        self.assertEqual(tr.compare(a, dict(a)), [])

    def test_different_outcome(self):
        a = results(("t.a", "passed", "m"), ("t.b", "skipped", "m"))
        b = results(("t.a", "failed", "m"), ("t.b", "skipped", "m"))
        self.assertEqual(tr.compare(a, b),
                         [tr.Difference("t.a", "passed", "failed", "m")])

    def test_absent_is_a_difference(self):
        a = results(("t.a", "passed", "m1"))
        b = results(("t.b", "skipped", "m2"))
        self.assertEqual(tr.compare(a, b), [
            tr.Difference("t.a", "passed", "absent", "m1"),
            tr.Difference("t.b", "absent", "skipped", "m2")])

    def test_duplicate_id_keeps_the_worst(self):
        res = results(("t.a", "passed", "m"), ("t.a", "error", "m"),
                      ("t.a", "skipped", "m"))
        self.assertEqual(res["t.a"].outcome, "error")


class RerunTests(unittest.TestCase):

    def test_rerun_replaces_the_module(self):
        a = results(("x.1", "passed", "m"), ("x.2", "passed", "m"),
                    ("y.1", "failed", "other"))
        b = results(("x.1", "failed", "m"), ("<after x.1>", "failed", "m"),
                    ("y.1", "failed", "other"))
        new_a = [tr.TestCase("x.1", "passed", "m"),
                 tr.TestCase("x.2", "passed", "m")]
        new_b = list(new_a)
        self.assertTrue(tr.merge_rerun(a, b, "m", new_a, new_b))
        self.assertEqual(tr.compare(a, b), [])
        self.assertEqual(b["y.1"].outcome, "failed")
        self.assertNotIn("<after x.1>", b)

    def test_rerun_still_different(self):
        a = results(("x.1", "passed", "m"))
        b = results(("x.1", "failed", "m"))
        tr.merge_rerun(a, b, "m", [tr.TestCase("x.1", "passed", "m")], [])
        self.assertEqual(tr.compare(a, b),
                         [tr.Difference("x.1", "passed", "absent", "m")])

    def test_empty_rerun_keeps_the_first_results(self):
        a = results(("x.1", "passed", "m"))
        b = results(("x.1", "failed", "m"))
        self.assertFalse(tr.merge_rerun(a, b, "m", [], []))
        self.assertEqual(len(tr.compare(a, b)), 1)


class OwnTestsTests(unittest.TestCase):

    def test_passing(self):
        res = results(("test.test_rust_x.T.a", "passed", "test_rust_x"),
                      ("test.test_rust_x.T.b", "skipped", "test_rust_x"))
        self.assertEqual(tr.check_own_tests(["test_rust_x"], res, "rust"),
                         ([], []))

    def test_failing(self):
        res = results(("test.test_rust_x.T.a", "error", "test_rust_x"),
                      ("test.test_rust_x.T.b", "passed", "test_rust_x"),
                      ("test.test_os.T.c", "failed", "test_os"))
        problems, failing = tr.check_own_tests(["test_rust_x"], res, "rust")
        self.assertEqual(problems,
                         ["test_rust_x: 1 test case(s) failed in rust"])
        self.assertEqual([c.id for c in failing], ["test.test_rust_x.T.a"])

    def test_not_run(self):
        res = results(("test.test_os.T.c", "passed", "test_os"))
        problems, _ = tr.check_own_tests(["test_rust_x"], res, "rust")
        self.assertEqual(problems, ["test_rust_x ran no test case in rust"])

    def test_own_modules(self):
        with tempfile.TemporaryDirectory() as tmp:
            os.makedirs(os.path.join(tmp, "Lib", "test"))
            open(os.path.join(tmp, "Lib", "test", "test_rust_a.py"),
                 "w").close()
            layout = tr.Layout(tmp)
            self.assertEqual(tr.own_test_modules(
                layout, ["test_enumerate", "test_rust_a", "test_rust_b"]),
                ["test_rust_a"])


class TableTests(unittest.TestCase):

    def test_table(self):
        diffs = [tr.Difference("test.test_a.T.test_long_name", "passed",
                               "failed"),
                 tr.Difference("t.b", "absent", "error")]
        table = tr.format_table(diffs, ("c", "rust")).splitlines()
        self.assertEqual(table[0].split(), ["test", "c", "rust"])
        self.assertEqual(table[1].split(), ["test.test_a.T.test_long_name",
                                            "passed", "failed"])
        self.assertEqual(table[2].split(), ["t.b", "absent", "error"])
        # Columns line up.
        self.assertEqual(table[1].index("passed"), table[2].index("absent"))

    def test_table_limit(self):
        diffs = [tr.Difference(f"t.{i}", "passed", "failed")
                 for i in range(5)]
        table = tr.format_table(diffs, ("c", "rust"), limit=2)
        self.assertEqual(len(table.splitlines()), 4)
        self.assertTrue(table.endswith("... and 3 more"))


class PairTests(unittest.TestCase):

    def test_pair(self):
        self.assertEqual(tr.parse_pair("c,rust"), ["c", "rust"])
        self.assertEqual(tr.parse_pair("debug-c, debug-rust"),
                         ["debug-c", "debug-rust"])

    def test_bad_pair(self):
        for value in ("c", "c,c", "c,rust,ft-c", "c,nope"):
            with self.subTest(value=value):
                with self.assertRaises(ToolError):
                    tr.parse_pair(value)


if __name__ == "__main__":
    unittest.main()
