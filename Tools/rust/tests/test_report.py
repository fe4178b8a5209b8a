"""report: the exit criterion evaluated against a drift log, a bench result
and a registry entry (met, not met, cannot tell when a figure is missing
or stale); the page rendered by headless Chromium without a script error
and with every chart drawn."""

import copy
import json
import os
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import registry  # noqa: E402
import report  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))

C_TWIN = """\
#include "Python.h"

/* A thing. */
static PyObject *
thing_new(PyObject *self)
{
    return NULL;
}

static void
thing_dealloc(PyObject *self)
{
}
"""

RUST = """\
//! The thing.

/// # Safety
/// `op` is a live thing.
pub unsafe fn helper(op: *mut u8) -> u8 {
    // SAFETY: the caller's contract.
    unsafe { *op }
}

unsafe extern "C" fn thing_new(op: *mut u8) -> u8 {
    // SAFETY: C passes a live object.
    unsafe { helper(op) }
}

// C: thing_dealloc
fn dealloc() {
    let x = unsafe { 1 };
    let _ = x;
}

#[cfg(test)]
mod tests {
    #[test]
    fn t() {
        let _ = unsafe { 2 };
    }
}
"""

CRITERION = {
    "promote_when": {"moves_followed": 2, "uncaught_changes": 0,
                     "test_differences": 0, "max_instr_ratio": 1.02,
                     "instr_geomean": 0.9},
    "drop_if": {"move_hours": 8, "move_rust_lines": 100,
                "instr_geomean": 1.05},
}

ENTRY = {
    "c_file": "Objects/thingobject.c", "crate": "Objects/thingobject",
    "replaces": ["Objects/thingobject.o"], "default": True,
    "tests": ["test_rust_thingobject"], "c_sha256": "0" * 64,
    "c_release": "3.13.15",
    "justification": "Chosen for the test.",
    "status": "experimental",
    "responsible": ["A Person <a@example.org>"],
    "exit_criterion": CRITERION,
}


def change(caught=("Tools/rust check: drift (C twin diff)",)):
    return {"what": "a change", "upstream": "gh-1", "c_files": [],
            "behaviour": "result of ==", "rust_edit": True,
            "rust_files": {}, "rust_lines": {"added": 3, "removed": 1},
            "caught_before_edit": list(caught)}


def move(frm, to, hours=0.5, rust=(3, 1), changes=None):
    return {"from": frm, "to": to, "ported": "2026-01-01",
            "objects": {"thingobject": {
                "c_files": {"Objects/thingobject.c": {"added": 2,
                                                      "removed": 1}},
                "items_changed": [], "test_lines": {"added": 5,
                                                    "removed": 0},
                "rust_lines": {"added": rust[0], "removed": rust[1]},
                "effort_hours": hours,
                "changes": changes if changes is not None else [change()],
            }}}


def bench(commit, ratios=(0.8, 0.9, 1.01)):
    return {"command": "python3 Tools/rust bench --instructions --record",
            "date": "2026-01-02 00:00:00", "commit": commit,
            "machine": "test", "instr_geomean": 0.9, "time_geomean": None,
            "instructions": {f"row {i}": {"object": "thingobject",
                                          "group": "g" + str(i % 2),
                                          "c_instr": 100.0,
                                          "rust_instr": 100.0 * r,
                                          "ratio": r}
                             for i, r in enumerate(ratios)},
            "sizes": {"c": {"file_bytes": 1000, "loaded_bytes": 500},
                      "rust": {"file_bytes": 1100, "loaded_bytes": 550}}}


class Fixture(unittest.TestCase):
    """A git repository with one object, `thingobject`: its C twin, its
    crate, its registry entry."""

    def setUp(self):
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        self.root = tmp.name
        self.write("Include/Python.h", "")
        self.write("Objects/thingobject.c", C_TWIN)
        self.write("Objects/thingobject/Cargo.toml",
                   '[package]\nname = "thingobject"\n\n[dependencies]\n'
                   'cpython-sys = { path = "../../Modules/cpython-sys" }\n')
        self.write("Objects/thingobject/src/lib.rs", RUST)
        self.write("Objects/thingobject/cbindgen.toml", "")
        self.entry = copy.deepcopy(ENTRY)
        self.write_registry()
        self.git("init", "-q")
        self.commit("the thing")

    def write(self, path, text):
        path = os.path.join(self.root, path)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text if isinstance(text, str) else json.dumps(text))

    def write_registry(self):
        self.write(registry.REGISTRY,
                   {"objects": {"thingobject": self.entry}})

    def git(self, *args):
        return subprocess.run(
            ["git", "-C", self.root, "-c", "user.name=T", "-c",
             "user.email=t@example.org", *args], check=True,
            stdout=subprocess.PIPE, text=True).stdout.strip()

    def commit(self, message):
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message)
        return self.git("rev-parse", "HEAD")

    def head(self):
        return self.git("rev-parse", "HEAD")

    def record(self, name, data):
        state = {"date": "2026-01-02T00:00:00Z", "commit": self.head(),
                 "dirty": []}
        self.write(f"build/results/{name}.json", {**state, **data})

    def collect(self, bench_report=None, moves=()):
        objects = registry.load(self.root)
        return report.collect(self.root, objects,
                              bench_report=bench_report or {},
                              moves=list(moves))

    def passing(self):
        """Everything the promotion needs, measured on HEAD."""
        self.record("test-c-rust", {"objects": ["thingobject"],
                                    "differences": 0, "variants": {}})
        return (bench(self.head()),
                [("1-2", move("1", "2")), ("2-3", move("2", "3"))])

    def verdict(self, data):
        return data["objects"]["thingobject"]["verdict"]


class Verdicts(Fixture):

    def test_promotion_met(self):
        b, moves = self.passing()
        v = self.verdict(self.collect(b, moves))
        self.assertEqual(v["promote"][0], report.MET, v)
        self.assertEqual(v["drop"][0], report.NOT_MET, v)
        self.assertTrue(v["summary"].startswith("promote"), v["summary"])

    def test_too_few_moves_is_not_met(self):
        b, moves = self.passing()
        v = self.verdict(self.collect(b, moves[:1]))
        self.assertEqual(v["promote"][0], report.NOT_MET)
        rows = {r[0]: r for r in v["promote"][1]}
        self.assertEqual(rows["moves_followed"][4], 1)
        self.assertEqual(rows["moves_followed"][5], report.NOT_MET)
        self.assertIn("`moves_followed` 1, needs >= 2", v["summary"])

    def test_a_slow_row_is_not_met(self):
        b, moves = self.passing()
        b = bench(self.head(), ratios=(0.8, 1.05))
        v = self.verdict(self.collect(b, moves))
        rows = {r[0]: r for r in v["promote"][1]}
        self.assertEqual(rows["max_instr_ratio"][4], 1.05)
        self.assertEqual(rows["max_instr_ratio"][5], report.NOT_MET)
        self.assertEqual(v["promote"][0], report.NOT_MET)

    def test_an_uncaught_change_is_not_met(self):
        b, moves = self.passing()
        moves[1] = ("2-3", move("2", "3", changes=[change(caught=())]))
        v = self.verdict(self.collect(b, moves))
        rows = {r[0]: r for r in v["promote"][1]}
        self.assertEqual(rows["uncaught_changes"][4], 1)
        self.assertEqual(v["promote"][0], report.NOT_MET)

    def test_a_costly_move_means_drop(self):
        b, moves = self.passing()
        moves.append(("3-4", move("3", "4", hours=12)))
        v = self.verdict(self.collect(b, moves))
        self.assertEqual(v["drop"][0], report.MET)
        self.assertTrue(v["summary"].startswith("drop"), v["summary"])
        moves[-1] = ("3-4", move("3", "4", rust=(90, 20)))
        v = self.verdict(self.collect(b, moves))
        rows = {r[0]: r for r in v["drop"][1]}
        self.assertEqual(rows["move_rust_lines"][4], 110)
        self.assertEqual(v["drop"][0], report.MET)

    def test_missing_bench_rows_cannot_tell(self):
        b, moves = self.passing()
        b["instructions"] = {}
        v = self.verdict(self.collect(b, moves))
        self.assertEqual(v["promote"][0], report.UNKNOWN)
        self.assertEqual(v["drop"][0], report.UNKNOWN)
        rows = {r[0]: r for r in v["promote"][1]}
        self.assertIsNone(rows["instr_geomean"][4])
        self.assertIn("no row", rows["instr_geomean"][6])

    def test_missing_test_comparison_cannot_tell(self):
        b, moves = self.passing()
        os.unlink(os.path.join(self.root, "build", "results",
                               "test-c-rust.json"))
        v = self.verdict(self.collect(b, moves))
        self.assertEqual(v["promote"][0], report.UNKNOWN)

    def test_bench_older_than_the_crate_is_stale(self):
        b, moves = self.passing()
        self.write("Objects/thingobject/src/lib.rs", RUST + "\n// more\n")
        self.commit("the Rust changed after the benchmark")
        self.record("test-c-rust", {"objects": ["thingobject"],
                                    "differences": 0, "variants": {}})
        data = self.collect(b, moves)
        entry = data["objects"]["thingobject"]
        self.assertEqual(entry["bench"]["fresh"][0], report.STALE)
        v = self.verdict(data)
        rows = {r[0]: r for r in v["promote"][1]}
        self.assertEqual(rows["max_instr_ratio"][5], report.UNKNOWN)
        self.assertIn("stale", rows["max_instr_ratio"][6])
        self.assertEqual(v["promote"][0], report.UNKNOWN)
        # A change elsewhere in the tree leaves the figure current.
        b2 = bench(self.head())
        self.write("README.md", "other\n")
        self.commit("unrelated")
        entry = self.collect(b2, moves)["objects"]["thingobject"]
        self.assertEqual(entry["bench"]["fresh"][0], report.CURRENT)

    def test_uncommitted_change_is_stale(self):
        b, moves = self.passing()
        self.write("Objects/thingobject/src/lib.rs", RUST + "\n// edit\n")
        entry = self.collect(b, moves)["objects"]["thingobject"]
        self.assertEqual(entry["bench"]["fresh"][0], report.STALE)
        self.assertIn("uncommitted", entry["bench"]["fresh"][1])

    def test_no_commit_recorded_is_judged_by_date(self):
        b, moves = self.passing()
        del b["commit"]
        b["date"] = "2000-01-01 00:00:00"
        entry = self.collect(b, moves)["objects"]["thingobject"]
        self.assertEqual(entry["bench"]["fresh"][0], report.STALE)
        self.assertIn("judged by date", entry["bench"]["fresh"][1])

    def test_entry_without_report_fields_says_missing(self):
        for key in ("justification", "status", "responsible",
                    "exit_criterion"):
            del self.entry[key]
        self.write_registry()
        data = self.collect(*self.passing())
        v = self.verdict(data)
        self.assertEqual(v["promote"][0], report.UNKNOWN)
        self.assertIn("no exit_criterion", v["summary"])
        md = report.render_md(data)
        self.assertIn("Justification: missing", md)
        self.assertIn("| status | missing |", md)
        self.assertIn("| responsible | missing |", md)

    def test_unknown_condition_cannot_tell(self):
        self.entry["exit_criterion"]["promote_when"]["happiness"] = 1
        self.write_registry()
        v = self.verdict(self.collect(*self.passing()))
        self.assertEqual(v["promote"][0], report.UNKNOWN)

    def test_counts(self):
        entry = self.collect(*self.passing())["objects"]["thingobject"]
        rust = entry["rust"]
        # The test module's block is left out.
        self.assertEqual(rust["unsafe_blocks"], 3)
        self.assertEqual(rust["unsafe_blocks_proved"], 2)
        self.assertEqual(rust["unsafe_fns"], 1)
        self.assertEqual(rust["unsafe_fns_documented"], 1)
        self.assertEqual(rust["c_entry_points"], 1)
        self.assertEqual(entry["twins"]["c_functions"], 2)
        self.assertEqual(entry["twins"]["paired"], 2)
        self.assertEqual(entry["c"]["lines"], 10)
        m = entry["drift"][0]
        self.assertEqual((m["c_added"], m["c_removed"], m["rust_added"],
                          m["hours"]), (2, 1, 3, 0.5))

    def test_registry_rejects_a_bad_status(self):
        self.entry["status"] = "promoted"
        self.write_registry()
        with self.assertRaises(registry.RegistryError):
            registry.load(self.root)
        self.entry["status"] = "default"
        self.entry["default"] = False
        self.write_registry()
        with self.assertRaises(registry.RegistryError):
            registry.load(self.root)

    def test_renders_both_forms(self):
        data = self.collect(*self.passing())
        md = report.render_md(data)
        page = report.render_html(data)
        for text in (md, page):
            self.assertIn("thingobject", text)
            self.assertIn("Chosen for the test.", text)
            self.assertIn("A Person", text)
        self.assertIn('<svg class="chart"', page)
        self.assertNotIn("<script src", page)     # self-contained


class Repository(unittest.TestCase):
    """The report of this repository: every registered object, whatever
    data it has."""

    def test_every_registered_object_is_reported(self):
        objects = registry.load(ROOT)
        data = report.collect(ROOT, objects)
        self.assertEqual(list(data["objects"]), list(objects))
        md = report.render_md(data)
        for name in objects:
            self.assertIn(f"## {name}", md)
        for name, entry in data["objects"].items():
            self.assertIn(entry["verdict"]["promote"][0],
                          (report.MET, report.NOT_MET, report.UNKNOWN))


class ChromiumRuns(unittest.TestCase):
    """A Chromium that dies by a signal is run again; one that exits, with
    any status, is not; one that always dies is reported with its
    signals.  A stand-in script plays Chromium."""

    def setUp(self):
        self.root = tempfile.mkdtemp()
        self.addCleanup(__import__("shutil").rmtree, self.root)
        self.count = os.path.join(self.root, "count")

    def fake(self, dies):
        # Dies by SIGSEGV on its first `dies` runs, then prints its
        # arguments and exits 3.
        path = os.path.join(self.root, "chromium")
        with open(path, "w") as f:
            f.write(f"#!/bin/sh\n"
                    f"echo x >> {self.count}\n"
                    f"if [ $(wc -l < {self.count}) -le {dies} ]; then\n"
                    f"  kill -SEGV $$\n"
                    f"fi\n"
                    f"echo \"$@\"; exit 3\n")
        os.chmod(path, 0o755)
        return path

    def runs(self):
        with open(self.count) as f:
            return len(f.read().split())

    def test_a_crash_is_run_again(self):
        proc = report._chromium(self.fake(1), ["--dump-dom", "page"])
        self.assertEqual((proc.returncode, proc.crashes, self.runs()),
                         (3, [11], 2))
        self.assertIn("--dump-dom page", proc.stdout)
        # A profile of its own.
        self.assertIn("--user-data-dir=", proc.stdout)

    def test_an_exit_is_not_run_again(self):
        proc = report._chromium(self.fake(0), ["x"])
        self.assertEqual((proc.returncode, proc.crashes, self.runs()),
                         (3, [], 1))

    def test_a_browser_that_always_dies_fails_the_check(self):
        chromium = self.fake(99)
        page = os.path.join(self.root, "index.html")
        with open(page, "w") as f:
            f.write("<body></body>")
        problems, facts = report.browser_check(page, chromium=chromium)
        self.assertEqual(self.runs(), 2 * report.CHROMIUM_ATTEMPTS)
        self.assertEqual(facts["dom_crashes"],
                         [11] * report.CHROMIUM_ATTEMPTS)
        self.assertTrue(any("did not finish" in p and "signal 11" in p
                            for p in problems), problems)
        self.assertTrue(any("no screenshot" in p for p in problems),
                        problems)


class Browser(Fixture):
    """The page in headless Chromium (Debian's `chromium`; `Tools/rust
    test` and .ci/run install it): no script error, every chart drawn."""

    def setUp(self):
        super().setUp()
        self.chromium = report.find_chromium()
        if not self.chromium:
            self.fail("no Chromium to render the report: apt-get install "
                      "chromium (Tools/rust test and .ci/run install it "
                      "as root)")

    def page(self, text=None):
        if text is None:
            text = report.render_html(self.collect(*self.passing()))
        path = os.path.join(self.root, "index.html")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    def test_the_page_renders_with_its_charts(self):
        png = os.path.join(self.root, "page.png")
        problems, facts = report.browser_check(self.page(), png,
                                               self.chromium)
        self.assertEqual(problems, [], facts)
        self.assertGreaterEqual(facts["charts"], 3)
        self.assertTrue(all(n > 0 for n in facts["chart_pixels"]), facts)
        self.assertTrue(os.path.getsize(png) > 0)

    def test_a_script_error_fails(self):
        text = report.render_html(self.collect(*self.passing()))
        text = text.replace("</body>", "<script>undefinedFunction();"
                                       "</script></body>")
        problems, _ = report.browser_check(self.page(text),
                                           chromium=self.chromium)
        self.assertTrue(any("script" in p for p in problems), problems)

    def test_an_empty_chart_fails(self):
        text = report.render_html(self.collect(*self.passing()))
        empty = ('<svg class="chart" width="300" height="100" '
                 'viewBox="0 0 300 100"></svg>')
        text = text.replace("</body>", empty + "</body>")
        problems, _ = report.browser_check(self.page(text),
                                           chromium=self.chromium)
        self.assertTrue(any("empty" in p for p in problems), problems)

    def test_a_chart_drawn_invisible_fails(self):
        # Marks in the DOM but nothing on the screen (white bars).
        text = report.render_html(self.collect(*self.passing()))
        for color in ("#2a7", "#d62", "#789", "#b52"):
            text = text.replace(f'fill="{color}"', 'fill="#fff"')
        problems, _ = report.browser_check(self.page(text),
                                           chromium=self.chromium)
        self.assertTrue(any("coloured pixel" in p for p in problems),
                        problems)

    def test_this_repository_s_page(self):
        data = report.collect(ROOT, registry.load(ROOT))
        problems, facts = report.browser_check(
            self.page(report.render_html(data)), chromium=self.chromium)
        self.assertEqual(problems, [], facts)
        self.assertGreater(facts["charts"], 0)


if __name__ == "__main__":
    unittest.main()
