"""mirrors: extracting one C definition, the drift of mirrored definitions
against a recorded release, and the messages check."""

import json
import os
import shutil
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import mirrors  # noqa: E402
import registry  # noqa: E402
from common import CPYTHON_VERSION, RELEASES  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))

HEADER = """\
#ifndef X_H
#define Py_SIZE_MAX 4
#define TWICE(x) \\
    ((x) + \\
     (x))
static inline Py_ssize_t Py_SIZE(PyObject *ob) {
    if (ob) { return 1; }   /* } in a comment */
    return "}" [0];
}
#define Py_SIZE(ob) Py_SIZE(_PyObject_CAST(ob))
int
PySlice_AdjustIndices(Py_ssize_t length, Py_ssize_t *start)
{
    return (int)length;
}
static void use(void) { int n = Py_SIZE(x); return Py_SIZE(y); }
typedef struct {
    PyObject_HEAD
    int flags;
} PyThingObject;
struct _other {
    int a;
};
#endif
"""


# A registry of one object, `thing` (Objects/thing.c, crate Objects/thing).
THING = {"thing": registry.RustObject(
    "thing", "Objects/thing.c", "Objects/thing", (), True, (), "", "3.13.15")}


class Extract(unittest.TestCase):

    def test_macro_with_continuations(self):
        self.assertEqual(mirrors.extract(HEADER, "TWICE"),
                         "#define TWICE(x) \\\n    ((x) + \\\n     (x))\n")

    def test_inline_function_and_its_macro(self):
        text = mirrors.extract(HEADER, "Py_SIZE")
        self.assertTrue(text.startswith("static inline Py_ssize_t Py_SIZE("))
        self.assertIn('return "}" [0];\n}', text)
        self.assertTrue(text.endswith(
            "#define Py_SIZE(ob) Py_SIZE(_PyObject_CAST(ob))\n"))
        # Calls are not definitions.
        self.assertNotIn("use(void)", text)
        # The macro whose name only starts the same is another item.
        self.assertNotIn("Py_SIZE_MAX", text)

    def test_c_file_style_function(self):
        text = mirrors.extract(HEADER, "PySlice_AdjustIndices")
        self.assertTrue(text.startswith("int\nPySlice_AdjustIndices("))
        self.assertTrue(text.rstrip().endswith("return (int)length;\n}"))

    def test_structs(self):
        self.assertIn("int flags;", mirrors.extract(HEADER, "PyThingObject"))
        self.assertEqual(mirrors.extract(HEADER, "_other"),
                         "struct _other {\n    int a;\n};\n")

    def test_missing(self):
        self.assertIsNone(mirrors.extract(HEADER, "Py_REFCNT"))

    def test_inside_extern_c(self):
        # CPython's headers wrap their definitions in extern "C" { }.
        wrapped = ('#ifdef __cplusplus\nextern "C" {\n#endif\n' + HEADER
                   + '#ifdef __cplusplus\n}\n#endif\n')
        self.assertEqual(mirrors.extract(wrapped, "Py_SIZE"),
                         mirrors.extract(HEADER, "Py_SIZE"))
        self.assertEqual(mirrors.extract(wrapped, "PySlice_AdjustIndices"),
                         mirrors.extract(HEADER, "PySlice_AdjustIndices"))

    def test_a_change_changes_the_digest(self):
        before = mirrors.digest(mirrors.extract(HEADER, "Py_SIZE"))
        changed = HEADER.replace("return 1;", "return 2;")
        self.assertNotEqual(before, mirrors.digest(
            mirrors.extract(changed, "Py_SIZE")))
        # A change elsewhere in the file leaves the item's digest alone.
        other = HEADER.replace("int a;", "long a;")
        self.assertEqual(before, mirrors.digest(
            mirrors.extract(other, "Py_SIZE")))


class Drift(unittest.TestCase):
    """check() on a scratch tree: a recorded item, then a changed one."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.tmp)
        self.tree = os.path.join(self.tmp, "src")
        os.makedirs(os.path.join(self.tree, "Include"))
        self.write(HEADER)
        self.data = {"mirrors": [
            {"path": "Include/x.h", "item": "Py_SIZE",
             "by": ["Modules/cpython-sys/src/inline.rs"],
             "release": CPYTHON_VERSION,
             "sha256": mirrors.digest(mirrors.extract(HEADER, "Py_SIZE"))},
            {"path": "Include/x.h", "item": None,
             "by": ["Objects/thing/src/lib.rs"], "release": CPYTHON_VERSION,
             "sha256": mirrors.digest(HEADER)}]}

    def write(self, text):
        with open(os.path.join(self.tree, "Include", "x.h"), "w") as f:
            f.write(text)

    def run_check(self):
        failed, passed = [], []
        objects = THING
        mirrors.check(self.tmp, self.tree, self.data, objects,
                      failed.append, passed.append)
        return failed, passed

    def test_unchanged_passes(self):
        failed, passed = self.run_check()
        self.assertEqual(failed, [])
        self.assertIn("2 mirrored C definitions", passed[0])

    def test_changed_item_fails_and_names_its_owner(self):
        self.write(HEADER.replace("return 1;", "return 2;"))
        failed, _ = self.run_check()
        self.assertEqual(len(failed), 2)
        self.assertIn("Py_SIZE changed since the port", failed[0])
        self.assertIn("--accept cpython-sys", failed[0])
        self.assertIn("the file changed since the port", failed[1])
        self.assertIn("--accept thing", failed[1])

    def test_other_change_fails_only_the_file(self):
        self.write(HEADER.replace("int a;", "long a;"))
        failed, _ = self.run_check()
        self.assertEqual(len(failed), 1)
        self.assertIn("Include/x.h: the file changed", failed[0])

    def test_removed_item_fails(self):
        self.write(HEADER.replace("Py_SIZE", "Py_SIZE2"))
        failed, _ = self.run_check()
        self.assertIn("Py_SIZE is gone", failed[0])

    def test_accept_records_the_new_text(self):
        changed = HEADER.replace("return 1;", "return 2;")
        self.write(changed)
        with open(os.path.join(self.tree, "Include", "patchlevel.h"),
                  "w") as f:
            f.write(f'#define PY_VERSION "{CPYTHON_VERSION}"\n')
        notes = []
        objects = THING
        mirrors.accept(self.tmp, self.tree, self.data, ["cpython-sys"],
                       objects, notes.append)
        self.assertIn("accepted 1 mirror(s)", notes[0])
        failed, _ = self.run_check()
        # The shared item is re-recorded; the file (thing's) is not.
        self.assertEqual(len(failed), 1)
        self.assertIn("--accept thing", failed[0])


class Messages(unittest.TestCase):

    def test_c_messages(self):
        text = ('PyErr_Format(PyExc_TypeError,\n  "a %zd "\n /* x */ "b%s",'
                ' n, n == 1 ? "" : "s");\n'
                '{"m", f, METH_O, PyDoc_STR("See PEP 585")},\n'
                'PyErr_SetString(PyExc_ValueError, msg);\n'
                '/* PyErr_SetString(PyExc_ValueError, "commented"); */\n'
                '#define CHECK(x) if (!x) { \\\n'
                '    PyErr_SetString(PyExc_ValueError, "in a macro"); }\n')
        self.assertEqual(mirrors.c_messages(text),
                         [("a %zd b%s", "PyErr_Format"),
                          ("See PEP 585", "PyDoc_STR"),
                          ("in a macro", "PyErr_SetString")])

    def test_missing_message_fails(self):
        tmp = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, tmp)
        os.makedirs(os.path.join(tmp, "Objects", "thing", "src"))
        with open(os.path.join(tmp, "Objects", "thing.c"), "w") as f:
            f.write('PyErr_Format(PyExc_TypeError, "new %zd", n);\n'
                    'PyErr_SetString(PyExc_TypeError, "old");\n'
                    'PyErr_SetString(PyExc_TypeError, "unreachable");\n')
        with open(os.path.join(tmp, "Objects", "thing", "src", "lib.rs"),
                  "w") as f:
            f.write('const A: &CStr = c"new %d";\nconst B: &CStr = c"old";\n')
        objects = THING
        data = {"messages_not_copied": [
            {"object": "thing", "message": "unreachable", "why": "test"}]}
        failed, passed = [], []
        mirrors.check_messages(tmp, tmp, objects, data, failed.append,
                               passed.append)
        self.assertEqual(len(failed), 1)
        self.assertIn('"new %zd" is in none of', failed[0])


class Coverage(unittest.TestCase):

    def test_every_public_item_names_a_mirror(self):
        src = ("/// `Py_TYPE(ob)`.\n#[inline]\npub unsafe fn Py_TYPE() {}\n"
               "/// `_PyTuple_ITEMS`.\npub fn items() {}\n"
               "pub fn Py_SIZE() {}\n"
               "/// Something new.\npub const fn Py_NEW() {}\n"
               "    pub fn nested() {}\n")
        self.assertEqual(mirrors.uncovered(src, {"Py_TYPE", "_PyTuple_ITEMS",
                                                 "Py_SIZE"}), ["Py_NEW"])

    def test_the_repository_is_covered(self):
        failed = []
        mirrors.check_coverage(ROOT, mirrors.load(ROOT), failed.append,
                               lambda m: None)
        self.assertEqual(failed, [])


class Record(unittest.TestCase):
    """The committed record itself."""

    def test_loads_and_names_known_releases(self):
        data = mirrors.load(ROOT)
        self.assertGreater(len(data["mirrors"]), 10)
        for m in data["mirrors"]:
            self.assertIn(m["release"], RELEASES)
            for rust in m["by"]:
                self.assertTrue(os.path.isfile(os.path.join(ROOT, rust)),
                                f"{mirrors.label(m)}: by {rust}: no file")

    def test_every_mirror_is_found_in_the_pinned_release(self):
        from common import Layout
        tree = Layout(ROOT).pristine
        if not os.path.isdir(tree):
            self.skipTest("needs the pristine release (Tools/rust build)")
        for m in mirrors.load(ROOT)["mirrors"]:
            self.assertIsNotNone(
                mirrors.item_text(tree, m["path"], m.get("item")),
                mirrors.label(m))

    def test_unknown_release_is_refused(self):
        tmp = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, tmp)
        os.makedirs(os.path.join(tmp, "Tools", "rust"))
        with open(os.path.join(tmp, mirrors.MIRRORS), "w") as f:
            json.dump({"mirrors": [{"path": "a.h", "item": None, "by": ["x"],
                                    "release": "2.7", "sha256": ""}]}, f)
        with self.assertRaises(mirrors.MirrorError):
            mirrors.load(tmp)


if __name__ == "__main__":
    unittest.main()
