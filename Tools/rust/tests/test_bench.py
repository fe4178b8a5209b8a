"""Tests of bench: the suite's coverage and the report (no timing here)."""

import json
import math
import os
import shutil
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import bench  # noqa: E402


ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))

import benchmatrix  # noqa: E402
import registry  # noqa: E402


def release_tree():
    """The pinned release, unpacked (from ../shared/cpython when needed)."""
    import mirrors
    from common import CPYTHON_VERSION
    tree = mirrors.release_tree(ROOT, CPYTHON_VERSION)
    if tree is None:
        raise AssertionError(f"CPython {CPYTHON_VERSION} is not reachable "
                             "(../shared/cpython)")
    return tree


class MatrixTests(unittest.TestCase):
    def rows(self, obj=None, group=None):
        return {n: r for n, r in bench.BENCHMARKS.items()
                if (obj is None or r.obj == obj)
                and (group is None or r.group == group)}

    def test_every_format_of_the_table_is_in_every_format_group(self):
        formats = benchmatrix.native_formats()
        self.assertEqual(len(formats), 18)
        names = " | ".join(self.rows("memoryobject"))
        for fmt, kind in formats:
            with self.subTest(fmt):
                for op in (f"get '{fmt}' 1-D [int]", f"get '{fmt}' 0-D",
                           f"get '{fmt}' 3-D [__index__]",
                           f"set '{fmt}' 2-D [negative]",
                           f"tolist '{fmt}' 4096", f"iterate '{fmt}' 4096",
                           f"cast 'B' -> '{fmt}'",
                           f"memoryview(ndarray '{fmt}' 3-D)",
                           f"slice assignment '{fmt}' strided"):
                    self.assertIn(op, names)
                for label, _ in benchmatrix.value_kinds(fmt, kind):
                    for view in benchmatrix.VIEWS:
                        self.assertIn(f"set '{fmt}' {view} value {label}",
                                      names)
                for other, _ in formats:
                    self.assertIn(f"== '{fmt}' vs '{other}' 64", names)

    def test_the_table_is_read_from_the_rust_source(self):
        with tempfile.TemporaryDirectory() as root:
            path = os.path.join(root, benchmatrix.NATIVE_RS)
            os.makedirs(os.path.dirname(path))
            with open(path, "w") as f:
                f.write("macro_rules! for_each_native {\n"
                        "  (Fb, b'b', i8, Signed, c\"@b\", c\"b\"),\n"
                        "  (Fd, b'd', f64, Float, c\"@d\", c\"d\"),\n"
                        "] }\n")
            self.assertEqual(benchmatrix.native_formats(root),
                             [("b", "Signed"), ("d", "Float")])
            rows = benchmatrix.generate(root)
            self.assertIn("== 'b' vs 'd' 64", rows)
            self.assertNotIn("get 'B' 1-D [int]", rows)

    def test_value_kinds_cover_the_extremes_of_each_size(self):
        kinds = dict(benchmatrix.value_kinds("h", "Signed"))
        self.assertEqual(kinds["min"], "-32768")
        self.assertEqual(kinds["max"], "32767")
        self.assertEqual(kinds["error: out of range"], "32768")
        kinds = dict(benchmatrix.value_kinds("Q", "Unsigned"))
        self.assertEqual(kinds["max"], str(2 ** 64 - 1))
        self.assertIn("multi-digit int", kinds)
        self.assertNotIn("multi-digit int",
                         dict(benchmatrix.value_kinds("H", "Unsigned")))

    def test_the_matrix_covers_every_operation_of_the_c_twins(self):
        tree = release_tree()
        c_files = [o.c_file for o in registry.load(ROOT).values()]
        self.assertEqual(
            benchmatrix.uncovered(bench.BENCHMARKS, tree, c_files), [])
        with open(os.path.join(tree, "Objects", "memoryobject.c")) as f:
            text = f.read()
        with open(os.path.join(tree, "Objects", "clinic",
                               "memoryobject.c.h")) as f:
            ops = benchmatrix.c_operations(text, f.read())
        for op in ("memoryview.tolist", "memoryview.shape",
                   "memoryview.mp_ass_subscript", "memoryview.tp_hash",
                   "memory_iterator.tp_iternext", "managedbuffer.tp_clear",
                   "memoryview.__enter__"):
            self.assertIn(op, ops)
        # generic slot functions are not the twin's
        self.assertNotIn("memoryview.tp_getattro", ops)
        self.assertNotIn("memory_iterator.tp_iter", ops)

    def test_a_method_without_a_row_fails(self):
        tree = release_tree()
        with tempfile.TemporaryDirectory() as src:
            for rel in ("Objects/memoryobject.c",
                        "Objects/clinic/memoryobject.c.h"):
                os.makedirs(os.path.join(src, os.path.dirname(rel)),
                            exist_ok=True)
                shutil.copy(os.path.join(tree, rel), os.path.join(src, rel))
            path = os.path.join(src, "Objects", "memoryobject.c")
            with open(path) as f:
                text = f.read()
            text = text.replace(
                '{"__enter__",   memory_enter, METH_NOARGS, NULL},',
                '{"__enter__",   memory_enter, METH_NOARGS, NULL},\n'
                '    {"frobnicate", memory_enter, METH_NOARGS, NULL},')
            text = text.replace("0,                                "
                                "        /* tp_str */",
                                "memory_repr,                      "
                                "        /* tp_str */")
            with open(path, "w") as f:
                f.write(text)
            self.assertEqual(
                benchmatrix.uncovered(bench.BENCHMARKS, src,
                                      ["Objects/memoryobject.c"]),
                [("Objects/memoryobject.c", "memoryview.frobnicate"),
                 ("Objects/memoryobject.c", "memoryview.tp_str")])

    def test_rows_are_unique_and_compile(self):
        for name, row in bench.BENCHMARKS.items():
            with self.subTest(name):
                self.assertEqual(row.name, name)
                self.assertTrue(row.covers)
                compile(row.setup, name, "exec")
                compile(bench.LOOP.format(row.stmt.replace("\n", "\n  ")),
                        name, "exec")

    def test_the_quick_subset_spans_every_group_of_both_objects(self):
        quick = [r for r in bench.BENCHMARKS.values() if r.quick]
        self.assertLess(len(quick), len(bench.BENCHMARKS) / 10)
        for obj in ("memoryobject", "enumobject", "bytearrayobject"):
            self.assertTrue(any(r.obj == obj for r in quick))
        for group in ("get item", "set item", "set value", "create", "cast",
                      "tolist", "hex", "hash", "== formats", "enumerate",
                      "reversed"):
            self.assertTrue(any(r.group == group for r in quick), group)

    def test_bytearray_search_is_a_product(self):
        names = set(self.rows("bytearrayobject"))
        count = 0
        self.assertLessEqual(set(benchmatrix.BA_SIZES),
                             set(benchmatrix.BA_SEARCH_SIZES))
        for size in benchmatrix.BA_SEARCH_SIZES:
            for kind, (_, is_int, present) in benchmatrix.BA_NEEDLES.items():
                for op, (_, _, need, takes_int) in (
                        benchmatrix.BA_SEARCH.items()):
                    if (is_int and not takes_int) or (need and not present):
                        continue
                    count += 1
                    self.assertIn(f"bytearray.{op}({kind}) {size}", names)
        self.assertGreater(count, 100)
        for op in ("find", "count", "split", "replace"):
            for needle in ("1-byte at end", "4-byte at end"):
                for size in ("16 B", "256 B", "1 KiB", "1 MiB"):
                    self.assertIn(f"bytearray.{op}({needle}) {size}", names)

    def test_bytearray_rows_of_the_issue(self):
        names = " | ".join(self.rows("bytearrayobject"))
        for op in ("bytearray(int) 1 MiB", "bytearray(bytes) 16 B",
                   "bytearray(list) 1 MiB", "bytearray(iterable) 16 B",
                   "bytearray.append", "bytearray.extend(list 4 KiB)",
                   "bytearray[int] 16 B", "bytearray[::2] 1 MiB",
                   "bytearray[slice] = same length 16 B",
                   "bytearray[slice] = resize in the middle 1 MiB",
                   "bytearray[::2] = stepped 16 B",
                   "bytearray.join(1000 bytes of 16 B)",
                   "bytearray.hex() 1 MiB", "bytearray.fromhex 16 B",
                   "bytearray.translate(table) 1 MiB",
                   "bytearray.upper 1 MiB", "bytearray.lower 16 B",
                   "bytearray.strip() 1 MiB", "iterate bytearray 4 KiB",
                   "BytesIO.readinto(bytearray) 1 MiB",
                   "bytearray == bytes 16 B", "bytearray < bytes",
                   "bytearray + bytes 1 MiB", "bytearray * 2 16 B",
                   "bytearray += bytes 16 B", "bytearray.in(4-byte at end)"):
            with self.subTest(op):
                self.assertIn(op, names)

    def test_bytearray_rows_leave_their_data_as_they_found_it(self):
        # A row runs its statement many times: one that grows or shrinks
        # `d` would measure a different size each time.
        for name, row in self.rows("bytearrayobject").items():
            ns = {}
            try:
                exec(row.setup, ns)
            except (ImportError, AttributeError):
                continue        # (the Python running the tests lacks it)
            if not isinstance(ns.get("d"), bytearray):
                continue
            before = len(ns["d"])
            code = bench.LOOP.format(row.stmt.replace("\n", "\n  "))
            exec(compile(code, name, "exec"), ns)
            try:
                ns["_f"](3)
            except TypeError:
                continue        # (Python < 3.12: no __buffer__ protocol)
            with self.subTest(name):
                self.assertEqual(len(ns["d"]), before)


class CallgrindWorkerTests(unittest.TestCase):
    def test_the_lower_layout_is_kept(self):
        # per layout: the setup, the call of no iteration, the call of L
        # (loops = 10)
        low, high = [50, 1000, 2000], [70, 1000, 2080]
        self.assertEqual(bench.LAYOUTS, 3)
        self.assertEqual(bench.per_iteration(low + high + high, 10), 100.0)
        self.assertEqual(bench.per_iteration(high + high + low, 10), 100.0)
        self.assertEqual(bench.per_iteration(high + low + low[:2], 10),
                         "8 callgrind dumps, 9 expected")

    def test_each_layout_has_its_own_objects(self):
        # The worker without callgrind: every row runs once per layout,
        # each time with objects of its own at other addresses.
        with tempfile.TemporaryDirectory() as tmp:
            log = os.path.join(tmp, "ids")
            setup = ("d = bytearray(b'abcdefghijklWXYZ')\n"
                     f"open({log!r}, 'a').write(f'{{id(d)}} {{id(d[:])}}\\n')")
            spec = [["row", setup, "d.endswith(b'WXYZ')", 3],
                    ["bad", "", "1 / 0", 3]]
            env = dict(os.environ, BENCH_CALLGRIND_BASE=os.path.join(tmp, "x"))
            done = bench.run_worker(sys.executable, spec,
                                    bench.CALLGRIND_WORKER, env=env)
            with open(log, encoding="utf-8") as f:
                ids = f.read().split()
        self.assertEqual(done[0], ["row", "row0", None])
        self.assertEqual(done[1][:2], ["bad", "row1"])
        self.assertIn("ZeroDivisionError", done[1][2])
        self.assertEqual(len(ids), 2 * bench.LAYOUTS)
        self.assertEqual(len(set(ids[0::2])), bench.LAYOUTS)


class ReportTests(unittest.TestCase):
    def test_geomean_skips_what_has_no_logarithm(self):
        self.assertAlmostEqual(bench.geomean([2.0, 8.0]), 4.0)
        self.assertAlmostEqual(bench.geomean([2.0, 0.0, -1.0, math.inf, 8.0]),
                               4.0)
        self.assertTrue(math.isnan(bench.geomean([])))

    def report(self, ratios, geomean=None):
        inst = {n: {"object": "o", "group": "g", "c_instr": 100.0,
                    "rust_instr": 100.0 * r, "ratio": r}
                for n, r in ratios.items()}
        return {"command": "c", "date": "d", "machine": "m", "errors": {},
                "instructions": inst,
                "instr_geomean": geomean or bench.geomean(ratios.values())}

    def test_the_gate(self):
        self.assertEqual(bench.gate(self.report({"a": 0.5, "b": 1.02})), [])
        self.assertEqual(
            bench.gate(self.report({"a": 0.5, "b": 1.021})),
            ["b: 1.021 of C's instructions (limit 1.02)"])
        self.assertEqual(
            bench.gate(self.report({"a": 0.9, "b": 0.8})),
            ["geometric mean 0.849 (limit 0.75)"])
        r = self.report({"a": 0.5})
        r["errors"] = {"x": "ValueError()"}
        self.assertEqual(bench.gate(r), ["x: ValueError()"])
        self.assertEqual(
            bench.gate(self.report({"a": float("nan")})),
            ["a: nan of C's instructions (limit 1.02)",
             "geometric mean nan (limit 0.75)"])

    def test_the_record_is_checked_against_the_matrix(self):
        with tempfile.TemporaryDirectory() as root:
            os.makedirs(os.path.join(root, "Tools", "rust"))
            report = self.report({n: 0.5 for n in bench.BENCHMARKS})

            def write(report, md=None):
                with open(os.path.join(root, bench.RECORD_JSON), "w") as f:
                    json.dump(report, f)
                with open(os.path.join(root, bench.RECORD_MD), "w") as f:
                    f.write(md if md is not None
                            else bench.markdown(report) + "\n")

            def check():
                fails, oks = [], []
                bench.check_record(root, fails.append, oks.append)
                return fails
            write(report)
            self.assertEqual(check(), [])
            write(report, "edited\n")
            self.assertIn("is not the rendering", check()[0])
            del report["instructions"][next(iter(bench.BENCHMARKS))]
            write(report)
            self.assertIn("is stale: the matrix has 1 rows it lacks",
                          check()[0])
            os.unlink(os.path.join(root, bench.RECORD_JSON))
            self.assertIn("the recorded results", check()[0])

    def test_markdown_has_every_section(self):
        report = {
            "command": "python3 Tools/rust bench", "date": "d", "machine": "m",
            "time": {"x": {"object": "o", "c_ns": 10.0, "rust_ns": 5.0,
                           "ratio": 0.5, "ratio_min": 0.4, "ratio_max": 0.6}},
            "time_geomean": 0.5,
            "instructions": {"x": {"object": "o", "group": "g",
                                   "c_instr": 100, "rust_instr": 50,
                                   "ratio": 0.5},
                             "y": {"object": "o", "group": "g",
                                   "c_instr": 100, "rust_instr": 103,
                                   "ratio": 1.03}},
            "instr_geomean": 0.718,
            "build_times": {
                "c": {"configure_s": 20.0, "make_s": 100.0, "total_s": 120.0},
                "rust": {"configure_s": 20.0, "make_s": 130.0,
                         "total_s": 150.0}},
            "sizes": {"c": {"file_bytes": 1, "loaded_bytes": 2}},
        }
        md = bench.markdown(report)
        self.assertIn("| `x` | o | 10.0 | 5.0 | 0.500 | 0.400-0.600 |", md)
        self.assertIn("| `x` | o | g | 100.0 | 50.0 | 0.500 |", md)
        self.assertIn("| o | g | 2 | 0.718 | 0.500 | 1.030 | `y` |", md)
        self.assertIn("- gate: **FAILED**", md)
        self.assertIn("- operations above C (> 1.000): 1", md)
        self.assertIn("| rust | 20 | 130 | 150 |", md)
        self.assertIn("Rust/C cold build time: 1.25 (make only: 1.30)", md)
        self.assertIn("| c | 1 | 2 |", md)

    def test_cold_build_needs_the_overlaid_tree(self):
        with tempfile.TemporaryDirectory() as root:
            with self.assertRaises(SystemExit) as cm:
                bench.cold_build_times(root, 1, print)
            self.assertIn("Tools/rust build", str(cm.exception))


if __name__ == "__main__":
    unittest.main()
