"""drift: the committed drift logs load, print, and agree with the two
releases; a log that miscounts or leaves out a change fails --verify."""

import copy
import io
import json
import os
import shutil
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import drift  # noqa: E402
import mirrors  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))
MOVE = os.path.join(ROOT, drift.DRIFT_DIR, "3.13.5-3.13.15.json")


def have_releases(data):
    return all(mirrors.release_tree(ROOT, v)
               for v in (data["from"], data["to"]))


class Logs(unittest.TestCase):

    def test_every_log_loads_and_prints(self):
        paths = drift.log_paths(ROOT)
        self.assertIn(MOVE, paths)
        out = io.StringIO()
        self.assertEqual(drift.main(["--root", ROOT], out=out), 0)
        text = out.getvalue()
        self.assertIn("CPython 3.13.5 -> 3.13.15", text)
        self.assertIn("memoryobject", text)
        out = io.StringIO()
        drift.main(["--root", ROOT, "--json", "3.13.5-3.13.15"], out=out)
        self.assertEqual(json.loads(out.getvalue())["to"], "3.13.15")

    def test_first_and_final_check_outputs_are_kept(self):
        data = drift.load(MOVE)
        first = os.path.join(ROOT, data["first_check"])
        final = os.path.join(ROOT, data["final_check"])
        with open(first, encoding="utf-8") as f:
            self.assertIn("check: FAIL:", f.read())
        with open(final, encoding="utf-8") as f:
            text = f.read()
        self.assertNotIn("FAIL", text)
        self.assertIn("all checks passed", text)

    def test_count_lines(self):
        self.assertEqual(drift.count_lines("a\nb\nc\n", "a\nB\nc\nd\n"),
                         (2, 1))
        self.assertEqual(drift.count_lines("x\n", "x\n"), (0, 0))

    def test_missing_field_is_an_error(self):
        tmp = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, tmp)
        path = os.path.join(tmp, "3.13.5-3.13.15.json")
        with open(path, "w") as f:
            json.dump({"from": "3.13.5", "to": "3.13.15",
                       "objects": {"x": {"c_files": {}}}}, f)
        with self.assertRaises(drift.DriftError):
            drift.load(path)


class Verify(unittest.TestCase):

    def setUp(self):
        self.data = drift.load(MOVE)
        if not have_releases(self.data):
            self.skipTest("needs the 3.13.5 and 3.13.15 tarballs "
                          "(../shared/cpython/)")

    def verify(self, data):
        return drift.verify(ROOT, data, io.StringIO())

    def test_the_committed_log_agrees(self):
        self.assertEqual(self.verify(self.data), [])

    def test_a_wrong_count_fails(self):
        data = copy.deepcopy(self.data)
        data["objects"]["memoryobject"]["c_files"][
            "Objects/memoryobject.c"]["added"] += 1
        problems = self.verify(data)
        self.assertEqual(len(problems), 1)
        self.assertIn("Objects/memoryobject.c", problems[0])

    def test_a_missing_file_or_item_fails(self):
        data = copy.deepcopy(self.data)
        del data["objects"]["memoryobject"]["c_files"][
            "Objects/clinic/memoryobject.c.h"]
        data["objects"]["cpython-sys"]["items_changed"] = []
        problems = "\n".join(self.verify(data))
        self.assertIn("Objects/clinic/memoryobject.c.h changed", problems)
        self.assertIn("IS_SMALL_INT differs", problems)


if __name__ == "__main__":
    unittest.main()
