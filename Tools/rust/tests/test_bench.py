"""Tests of bench: the suite's coverage and the report (no timing here)."""

import math
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import bench  # noqa: E402


class SuiteTests(unittest.TestCase):
    def names(self, obj):
        return [n for n, (o, _, _) in bench.BENCHMARKS.items() if o == obj]

    def test_memoryview_operations_of_the_issue_are_covered(self):
        names = " | ".join(self.names("memoryobject"))
        for op in ["memoryview(bytes)", "m[i, j] 2-D", "slice m[", "len(m)",
                   "attributes", "cast", "iterate", "slice assignment",
                   "== mixed", "== struct '<i'"]:
            self.assertIn(op, names)
        for fmt in "BidQ":
            self.assertIn(f"m[i] get '{fmt}'", names)
            self.assertIn(f"m[i] set '{fmt}'", names)
        for fmt in "Bid?":
            self.assertIn(f"tolist '{fmt}'", names)
        for size in (1, 1024, 1 << 20):
            for op in ("tobytes contiguous", "bytes(m) strided",
                       "tobytes strided", "hex strided", "hash strided",
                       "== same 'B'"):
                self.assertIn(f"{op} {size}", names)

    def test_enumobject_iterations_are_covered(self):
        names = self.names("enumobject")
        for kind in ("list", "range", "tuple"):
            self.assertIn(f"enumerate({kind}) 1000", names)
            self.assertIn(f"reversed({kind}) 1000", names)

    def test_every_benchmark_compiles(self):
        for name, (_, setup, stmt) in bench.BENCHMARKS.items():
            with self.subTest(name):
                compile(setup, name, "exec")
                compile(stmt, name, "exec")


class ReportTests(unittest.TestCase):
    def test_geomean_skips_what_has_no_logarithm(self):
        self.assertAlmostEqual(bench.geomean([2.0, 8.0]), 4.0)
        self.assertAlmostEqual(bench.geomean([2.0, 0.0, -1.0, math.inf, 8.0]),
                               4.0)
        self.assertTrue(math.isnan(bench.geomean([])))

    def test_markdown_has_every_section(self):
        report = {
            "command": "python3 Tools/rust bench", "date": "d", "machine": "m",
            "time": {"x": {"object": "o", "c_ns": 10.0, "rust_ns": 5.0,
                           "ratio": 0.5, "ratio_min": 0.4, "ratio_max": 0.6}},
            "time_geomean": 0.5,
            "instructions": {"x": {"object": "o", "c_instr": 100,
                                   "rust_instr": 50, "ratio": 0.5}},
            "instr_geomean": 0.5,
            "build_times": {
                "c": {"configure_s": 20.0, "make_s": 100.0, "total_s": 120.0},
                "rust": {"configure_s": 20.0, "make_s": 130.0,
                         "total_s": 150.0}},
            "sizes": {"c": {"file_bytes": 1, "loaded_bytes": 2}},
        }
        md = bench.markdown(report)
        self.assertIn("| x | o | 10.0 | 5.0 | 0.500 | 0.400-0.600 |", md)
        self.assertIn("| x | o | 100 | 50 | 0.500 |", md)
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
