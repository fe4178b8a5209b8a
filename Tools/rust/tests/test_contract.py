"""Tests of the C/Rust contract: Tools/rust regen, check, patch and review.

Each test works on a scratch copy of the repository's registry, crates,
headers and recorded C twins, breaks one thing and shows that `check` fails
(naming the file).  cbindgen is installed by the tool when missing.  The
tests that need a configured CPython build directory (prototypes, symbols
of a real build) use build/*-rust, build/c or $RUST_CHECK_BUILDDIR and are
skipped when there is none; those that need the pristine release use
build/pristine-<version> and are skipped without it.
"""

import io
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, HERE)

import check      # noqa: E402
import contract   # noqa: E402
import patch      # noqa: E402
import review     # noqa: E402
import mirrors    # noqa: E402
from common import Layout  # noqa: E402

ROOT = contract.tool_root()


def configured_builddir():
    cands = [os.environ.get("RUST_CHECK_BUILDDIR")]
    cands += contract.rust_builddirs(ROOT)
    cands += [os.path.join(ROOT, "build", "c")]
    for c in cands:
        if c and os.path.isfile(os.path.join(c, "Makefile")) and \
                os.path.isfile(os.path.join(c, "pyconfig.h")):
            return c
    return None


def rust_builddir():
    cands = [os.environ.get("RUST_CHECK_BUILDDIR")] + \
        contract.rust_builddirs(ROOT)
    for c in cands:
        if c and os.path.isfile(os.path.join(c, "Objects", "rustobjects.o")):
            return c
    return None


def pristine_dir():
    from common import Layout
    p = Layout(ROOT).pristine
    return p if os.path.isfile(os.path.join(p, "Makefile.pre.in")) else None


class Scratch(unittest.TestCase):
    """A scratch root with the registry, crates, headers and twins, and a
    scratch CPython source dir holding the recorded C twins."""

    @classmethod
    def setUpClass(cls):
        cls.cbindgen = contract.find_cbindgen(ROOT)
        os.environ["CBINDGEN"] = cls.cbindgen

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="test-contract-")
        self.addCleanup(shutil.rmtree, self.tmp, True)
        self.root = os.path.join(self.tmp, "repo")
        self.src = os.path.join(self.tmp, "cpython")
        shutil.copytree(os.path.join(ROOT, "Tools", "rust"),
                        os.path.join(self.root, "Tools", "rust"),
                        ignore=shutil.ignore_patterns("__pycache__", "tests"))
        self.objects = contract.load_objects(ROOT)
        # The workspace around the crates (check verifies the wiring;
        # without Cargo.lock it vendors nothing).
        for name in ("Cargo.toml", "clippy.toml"):
            shutil.copy(os.path.join(ROOT, name), self.root)
        shutil.copytree(os.path.join(ROOT, "Objects", "rustobjects"),
                        os.path.join(self.root, "Objects", "rustobjects"))
        shutil.copytree(os.path.join(ROOT, "Objects", "stringlib"),
                        os.path.join(self.root, "Objects", "stringlib"))
        for obj in self.objects.values():
            shutil.copytree(os.path.join(ROOT, obj.crate),
                            os.path.join(self.root, obj.crate))
            os.makedirs(os.path.join(self.root, contract.HEADER_DIR),
                        exist_ok=True)
            shutil.copy(contract.header_path(ROOT, obj),
                        contract.header_path(self.root, obj))
            text, _ = check.recorded_twin(ROOT, obj)
            if text is None:
                self.skipTest("needs the recorded C twins: the pristine "
                              "release unpacked by `python3 Tools/rust build`")
            # The scratch root keeps its own copy (Tools/rust/twins/), as
            # an accepted twin that differs from the release would be.
            for dest in (os.path.join(self.src, obj.c_file),
                         contract.twin_copy_path(self.root, obj)):
                os.makedirs(os.path.dirname(dest), exist_ok=True)
                with open(dest, "w", encoding="utf-8",
                          errors="surrogateescape") as f:
                    f.write(text)
            self.add_layout_hook(obj)
        # What else the Rust mirrors (Tools/rust/mirrors.json): the
        # release's own files in the scratch source dir.
        pristine = Layout(ROOT).pristine
        # The recorded release's text, for the drift diffs.
        os.makedirs(os.path.join(self.root, "build"))
        os.symlink(pristine, Layout(self.root).pristine)
        paths = [m["path"] for m in mirrors.load(ROOT)["mirrors"]]
        for path in paths + [os.path.join("Include", "patchlevel.h")]:
            dest = os.path.join(self.src, path)
            if not os.path.exists(dest):
                os.makedirs(os.path.dirname(dest), exist_ok=True)
                shutil.copyfile(os.path.join(pristine, path), dest)

    def add_layout_hook(self, obj):
        """These tests test the checker, not the repository's state: a
        crate that lacks the layout hook gets it in the scratch copy."""
        build_rs = os.path.join(self.root, obj.crate, "build.rs")
        with open(build_rs, encoding="utf-8") as f:
            text = f.read()
        if "check_layouts(" not in text:
            with open(build_rs, "a", encoding="utf-8") as f:
                f.write(f"// cpython_build::check_layouts(\"{obj.c_file}\");\n")
        lib = os.path.join(self.root, obj.crate, "src", "lib.rs")
        with open(lib, encoding="utf-8") as f:
            text = f.read()
        if "layout_checks.rs" not in text:
            with open(lib, "a", encoding="utf-8") as f:
                f.write("// layout_checks.rs\n")

    def run_check(self, *extra):
        out = io.StringIO()
        status = check.main(["--root", self.root, "--srcdir", self.src,
                             "--no-cargo"] + list(extra), out=out)
        return status, out.getvalue()

    def assertCheckFails(self, *needles, extra=()):
        status, out = self.run_check(*extra)
        self.assertEqual(status, 1, out)
        for needle in needles:
            self.assertIn(needle, out)
        return out

    def edit(self, path, old, new):
        with open(path, encoding="utf-8") as f:
            text = f.read()
        self.assertIn(old, text)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text.replace(old, new, 1))

    def header(self, name="enumobject"):
        return contract.header_path(self.root, self.objects[name])


class CheckTests(Scratch):

    def test_clean_copy_passes(self):
        status, out = self.run_check()
        self.assertEqual(status, 0, out)
        self.assertIn("headers:", out)
        self.assertIn("drift:", out)

    def test_hand_edited_header_fails(self):
        with open(self.header(), "a", encoding="utf-8") as f:
            f.write("/* a hand edit */\n")
        out = self.assertCheckFails("pycore_enumobject_rs.h differs",
                                    "a hand edit")
        self.assertIn("python3 Tools/rust regen", out)

    def test_missing_header_fails(self):
        os.unlink(self.header())
        self.assertCheckFails("pycore_enumobject_rs.h: missing")

    def test_regen_repairs_and_is_idempotent(self):
        import regen
        with open(self.header(), "a", encoding="utf-8") as f:
            f.write("x\n")
        self.assertEqual(len(regen.regen(self.root, out=io.StringIO())), 1)
        self.assertEqual(regen.regen(self.root, out=io.StringIO()), [])
        with open(self.header(), encoding="utf-8") as f:
            self.assertTrue(f.readline().startswith(
                "/* Generated -- do not edit, regenerate with "
                "`python3 Tools/rust regen` (or `make regen-rust`)"))
        self.assertEqual(self.run_check()[0], 0)

    def test_changed_export_signature_fails(self):
        lib = os.path.join(self.root, "Objects", "enumobject", "src",
                           "lib.rs")
        self.edit(lib, "pub static mut PyEnum_Type: PyTypeObject",
                  "pub static mut PyEnum_Type: PyObject")
        self.assertCheckFails("pycore_enumobject_rs.h differs",
                              "+extern PyObject PyEnum_Type;")

    def test_stray_export_fails(self):
        lib = os.path.join(self.root, "Objects", "enumobject", "src",
                           "lib.rs")
        with open(lib, "a", encoding="utf-8") as f:
            f.write('\n#[no_mangle]\npub extern "C" fn stray_export() {}\n')
        self.assertCheckFails("pycore_enumobject_rs.h differs",
                              "+void stray_export(void);")

    def test_mirrored_header_item_fails_and_accept(self):
        # An upstream change to an inline function the Rust reimplements
        # (not the C twin) fails the check with its diff.
        path = os.path.join(self.src, "Include", "object.h")
        self.edit(path, "op->ob_refcnt_split[PY_BIG_ENDIAN] = new_refcnt;",
                  "op->ob_refcnt_split[PY_BIG_ENDIAN] = new_refcnt + 0;")
        out = self.assertCheckFails(
            "Include/object.h: Py_INCREF changed since the port",
            "mirrored by Modules/cpython-sys/src/inline.rs",
            "--accept cpython-sys",
            "+    op->ob_refcnt_split[PY_BIG_ENDIAN] = new_refcnt + 0;")
        self.assertNotIn("Py_DECREF changed", out)
        # A changed message of the C twin is caught too.
        twin = os.path.join(self.src, "Objects", "enumobject.c")
        self.edit(twin, "object is not reversible", "object is not reversable")
        self.assertCheckFails("\"'%.200s' object is not reversable\" is in "
                              "none of Objects/enumobject's Rust sources")
        self.edit(twin, "object is not reversable", "object is not reversible")
        status, out = self.run_check("--accept", "cpython-sys")
        self.assertEqual(status, 0, out)
        self.assertIn("accepted", out)
        data = mirrors.load(self.root)
        entry = [m for m in data["mirrors"] if m.get("item") == "Py_INCREF"]
        with open(path, encoding="utf-8") as f:
            self.assertEqual(entry[0]["sha256"], mirrors.digest(
                mirrors.extract(f.read(), "Py_INCREF")))

    def test_one_byte_of_c_twin_fails_and_accept(self):
        obj = self.objects["enumobject"]
        path = os.path.join(self.src, obj.c_file)
        with open(path, "rb") as f:
            data = bytearray(f.read())
        at = data.index(b"enumerate")
        data[at] = ord("E")
        with open(path, "wb") as f:
            f.write(data)
        out = self.assertCheckFails(f"{path}: the C twin of enumobject "
                                    "changed since the port",
                                    "check --accept enumobject")
        self.assertIn("+", out)           # the C diff is shown
        self.assertIn("Enumerate", out)
        # --accept records it deliberately: hash and text.
        status, out = self.run_check("--accept", "enumobject")
        self.assertEqual(status, 0, out)
        self.assertEqual(contract.load_objects(self.root)["enumobject"]
                         .c_sha256, contract.sha256_file(path))
        with open(contract.twin_copy_path(self.root, obj), "rb") as f:
            self.assertEqual(f.read(), bytes(data))

    def test_missing_cbindgen_toml_fails(self):
        os.unlink(os.path.join(self.root, "Objects", "enumobject",
                               "cbindgen.toml"))
        self.assertCheckFails("Objects/enumobject/cbindgen.toml: missing")

    def test_registry_object_without_crate_fails(self):
        shutil.rmtree(os.path.join(self.root, "Objects", "enumobject"))
        self.assertCheckFails("Objects/enumobject: the crate of enumobject "
                              "is missing")

    def test_registry_object_without_c_twin_fails(self):
        os.unlink(os.path.join(self.src, "Objects", "enumobject.c"))
        self.assertCheckFails(os.path.join(self.src, "Objects",
                                           "enumobject.c")
                              + ": the C twin of enumobject is missing")

    def test_missing_layout_hook_fails(self):
        build_rs = os.path.join(self.root, "Objects", "enumobject",
                                "build.rs")
        self.edit(build_rs, 'cpython_build::check_layouts(',
                  '// cpython_build::no_layouts(')
        self.assertCheckFails("Objects/enumobject/build.rs: does not call "
                              "cpython_build::check_layouts")

    def test_accept_unknown_name_fails(self):
        self.assertCheckFails("--accept nosuch: no such object",
                              extra=("--accept", "nosuch"))


class SymbolTests(unittest.TestCase):
    """Symbol parity on objects compiled here, both directions."""

    def compile(self, tmp, name, code):
        src = os.path.join(tmp, name + ".c")
        with open(src, "w") as f:
            f.write(code)
        obj = os.path.join(tmp, name + ".o")
        subprocess.run(["cc", "-c", "-o", obj, src], check=True)
        return obj

    def test_parity(self):
        with tempfile.TemporaryDirectory() as tmp:
            c = contract.defined_globals(self.compile(
                tmp, "c", "int Py_Thing(void) { return 1; }\n"
                          "int Py_Data = 1;\nstatic int hidden;\n"))
            same = contract.defined_globals(self.compile(
                tmp, "r1", "int Py_Thing(void) { return 2; }\n"
                           "int Py_Data = 2;\n"))
            stray = contract.defined_globals(self.compile(
                tmp, "r2", "int Py_Thing(void) { return 2; }\n"
                           "int Py_Data = 2;\nint stray_export(void) "
                           "{ return 0; }\n"))
            missing = contract.defined_globals(self.compile(
                tmp, "r3", "int Py_Thing(void) { return 2; }\n"))
            kind = contract.defined_globals(self.compile(
                tmp, "r4", "int Py_Thing = 1;\nint Py_Data = 2;\n"))
        self.assertEqual(c, {"Py_Thing": "function", "Py_Data": "data"})
        self.assertEqual(contract.compare_symbols(c, same), [])
        self.assertEqual(contract.compare_symbols(c, stray),
                         ["extra in Rust (C does not define it): "
                          "stray_export (function)"])
        self.assertEqual(contract.compare_symbols(c, missing),
                         ["missing in Rust: Py_Data (data)"])
        self.assertEqual(contract.compare_symbols(c, kind),
                         ["Py_Thing: function in C, data in Rust"])

    def test_out_of_line_inlines(self):
        with tempfile.TemporaryDirectory() as tmp:
            calls = self.compile(
                tmp, "calls", "void Py_IncRef(void *);\n"
                              "void Py_Other(void *);\n"
                              "void f(void *p) { Py_IncRef(p); "
                              "Py_Other(p); }\n")
            clean = self.compile(
                tmp, "clean", "void Py_Other(void *);\n"
                              "void f(void *p) { Py_Other(p); }\n")
            bad, good = (check.Report(io.StringIO()),
                         check.Report(io.StringIO()))
            check.check_inlined(calls, bad)
            check.check_inlined(clean, good)
        self.assertEqual(len(bad.problems), 1)
        self.assertIn("Py_IncRef", bad.problems[0])
        self.assertNotIn("Py_Other", bad.problems[0])
        self.assertEqual(good.problems, [])


class BuildDirTests(Scratch):
    """Checks against a configured CPython build directory."""

    def setUp(self):
        super().setUp()
        self.builddir = configured_builddir()
        if not self.builddir:
            self.skipTest("no configured CPython build directory")
        self.bdir = contract.BuildDir(self.builddir)
        # The C twins of that build's sources, not the scratch copies.
        self.src = self.bdir.srcdir

    def prototypes(self, name):
        report = check.Report(io.StringIO())
        with tempfile.TemporaryDirectory() as tmp:
            check.check_prototypes(self.root, self.bdir, self.objects[name],
                                   tmp, report)
        return report

    def test_prototypes_agree(self):
        for name in self.objects:
            self.assertEqual(self.prototypes(name).problems, [], name)

    def test_changed_data_type_fails_to_compile(self):
        self.edit(self.header(), "extern PyTypeObject PyEnum_Type;",
                  "extern PyObject PyEnum_Type;")
        problems = self.prototypes("enumobject").problems
        self.assertEqual(len(problems), 1)
        self.assertIn("pycore_enumobject_rs.h: does not agree", problems[0])
        self.assertIn("conflicting types", problems[0])

    def test_changed_function_signature_fails_to_compile(self):
        if "memoryobject" not in self.objects:
            self.skipTest("no memoryobject in the registry")
        # A Rust signature change, regenerated: the header is consistent
        # with the crate but not with C's declaration.
        src = os.path.join(self.root, "Objects", "memoryobject", "src")
        for dirpath, _, names in os.walk(src):
            for n in names:
                p = os.path.join(dirpath, n)
                with open(p, encoding="utf-8") as f:
                    text = f.read()
                old = "fn PyMemoryView_FromObject(v: *mut PyObject)"
                if old in text:
                    with open(p, "w", encoding="utf-8") as f:
                        f.write(text.replace(
                            old, "fn PyMemoryView_FromObject(v: *const "
                                 "PyObject)"))
        import regen
        self.assertEqual(len(regen.regen(self.root, out=io.StringIO())), 1)
        problems = self.prototypes("memoryobject").problems
        self.assertEqual(len(problems), 1, problems)
        self.assertIn("PyMemoryView_FromObject", problems[0])
        self.assertIn("conflicting types", problems[0])

    def test_layout_difference_fails_cargo_check(self):
        if shutil.which(os.environ.get("CARGO") or "cargo") is None:
            self.skipTest("no cargo")
        self.copy_workspace()
        lib = os.path.join(self.root, "Objects", "enumobject", "src",
                           "lib.rs")
        self.edit(lib, "    index: SsizeCell,\n    seq: ObjField,",
                  "    seq: ObjField,\n    index: SsizeCell,")
        report = check.Report(io.StringIO())
        target = os.path.join(ROOT, "build", "contract-test-target")
        check.check_layouts(self.root, self.bdir, [self.objects["enumobject"]],
                            report, target_dir=target)
        self.assertEqual(len(report.problems), 1, report.problems)
        self.assertIn("layout: crate::reversedobject.index: offset differs "
                      "from C's reversedobject.index", report.problems[0])

    def copy_workspace(self):
        """The whole Cargo workspace in the scratch root (for cargo)."""
        for name in ("Cargo.toml", "Cargo.lock", "clippy.toml"):
            shutil.copy(os.path.join(ROOT, name), self.root)
        # The workspace members that are not registry objects (the
        # support crates) are copied too.
        for crate in ("Modules/cpython-sys", "Modules/cpython-build",
                      "Objects/rustobjects", "Objects/stringlib"):
            shutil.copytree(os.path.join(ROOT, crate),
                            os.path.join(self.root, crate),
                            dirs_exist_ok=True)

    def test_lints_fail_on_a_missing_safety_comment_and_an_unwrap(self):
        builddir = rust_builddir()
        if not builddir or shutil.which(os.environ.get("CARGO") or
                                        "cargo") is None:
            self.skipTest("no Rust build directory or no cargo")
        self.copy_workspace()
        lib = os.path.join(self.root, "Objects", "enumobject", "src",
                           "lib.rs")
        self.edit(lib, "    // SAFETY: caller's contract.\n"
                       "    unsafe { Borrowed::from_ptr(op) }",
                  "    unsafe { Borrowed::from_ptr(op) }")
        self.edit(lib, "let n = api::sequence::size(seq)?;",
                  "let n = api::sequence::size(seq).unwrap();")
        report = check.Report(io.StringIO())
        target = os.path.join(ROOT, "build", "contract-test-target")
        check.check_lints(self.root, contract.BuildDir(builddir), report,
                          target_dir=target)
        self.assertEqual(len(report.problems), 1, report.problems)
        self.assertIn("unsafe block missing a safety comment",
                      report.problems[0])
        self.assertIn("used `unwrap()` on a `Result` value",
                      report.problems[0])

    def test_real_rust_build_symbols(self):
        builddir = rust_builddir()
        if not builddir:
            self.skipTest("no Rust build directory with Objects/rustobjects.o")
        out = io.StringIO()
        status = check.main(["--root", ROOT, "--builddir", builddir,
                             "--no-cargo", "--srcdir",
                             contract.BuildDir(builddir).srcdir], out=out)
        text = out.getvalue()
        self.assertIn("symbols: enumobject", text)
        self.assertIn("undefined: every symbol", text)
        self.assertNotIn("FAIL: " + builddir, text)
        self.assertNotIn("symbols differ", text)
        del status


class PatchTests(unittest.TestCase):

    def setUp(self):
        self.pristine = pristine_dir()
        if not self.pristine:
            self.skipTest("no build/pristine-<version>")

    def test_patch_applies_to_pristine(self):
        text = patch.make_patch(ROOT, self.pristine)
        self.assertIn("+++ b/Include/internal/pycore_enumobject_rs.h", text)
        self.assertIn("+++ b/Makefile.pre.in", text)
        self.assertIn("+++ b/Cargo.toml", text)
        with tempfile.TemporaryDirectory() as tmp:
            pfile = os.path.join(tmp, "p.patch")
            with open(pfile, "w", encoding="utf-8") as f:
                f.write(text)
            proc = subprocess.run(["git", "apply", "--check", "-v", pfile],
                                  cwd=self.pristine, capture_output=True,
                                  text=True,
                                  env=patch.outside_git(self.pristine))
            self.assertIn("Checking patch Makefile.pre.in", proc.stderr)
            self.assertEqual(proc.returncode, 0, proc.stderr)
            proc = subprocess.run(["patch", "-p1", "--dry-run", "-s", "-i",
                                   pfile], cwd=self.pristine,
                                  capture_output=True, text=True)
            self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)

    def test_patch_that_no_longer_applies_fails(self):
        text = patch.make_patch(ROOT, self.pristine)
        with tempfile.TemporaryDirectory() as tmp:
            pfile = os.path.join(tmp, "p.patch")
            with open(pfile, "w", encoding="utf-8") as f:
                f.write(text)
            tree = os.path.join(tmp, "tree")
            os.makedirs(tree)
            # A CPython whose Makefile.pre.in is not the pinned release's.
            with open(os.path.join(tree, "Makefile.pre.in"), "w") as f:
                f.write("all:\n")
            with self.assertRaises(contract.ContractError) as cm:
                patch.apply_patch(pfile, tree, os.path.join(tmp, "log"))
            self.assertIn("does not apply", str(cm.exception))
            self.assertIn("Makefile.pre.in", str(cm.exception))

    def test_makefile_without_anchor_fails(self):
        with tempfile.TemporaryDirectory() as tmp:
            with open(os.path.join(tmp, "Makefile.pre.in"), "w") as f:
                f.write("all:\n")
            with self.assertRaises(contract.ContractError) as cm:
                patch.make_patch(ROOT, tmp)
            self.assertIn("Makefile.pre.in", str(cm.exception))


class ReviewTests(unittest.TestCase):

    def test_enumobject_pairs_every_function(self):
        try:
            srcdir = contract.default_srcdir(ROOT)
        except contract.ContractError:
            self.skipTest("no CPython source tree")
        obj = contract.load_objects(ROOT)["enumobject"]
        page, c_funcs, rust_funcs, marked = review.review(ROOT, srcdir, obj)
        names = [n for n, _, _ in c_funcs]
        rust = set(review.pair(c_funcs, rust_funcs, marked))
        self.assertIn("enum_new", names)          # clinic
        self.assertIn("reversed_setstate", names)
        self.assertEqual(names.index("enum_new"), 0)   # C file order
        self.assertEqual([n for n in names if n not in rust], [])
        self.assertIn("<!DOCTYPE html>", page)
        self.assertIn("C functions without a Rust twin", page)

    def test_parsers(self):
        c = ("#include \"x.h\"\n/* f(void) { */\nstatic int\nf(int a)\n{\n"
             "    if (a) { return 1; }\n    return 0;\n}\n"
             "static PyMethodDef m[] = {\n    {\"g\", g},\n};\n"
             "int h(void) { return '}'; }\n")
        self.assertEqual([n for n, _, _ in review.c_functions(c)], ["f", "h"])
        r = ("/// doc\n#[inline]\nfn a<'x>(s: &'x str) -> char { '}' }\n"
             "impl T { pub(crate) unsafe fn b(&self) { let s = \"fn c() {\";"
             " } }\ntrait U { fn d(); }\n")
        self.assertEqual([n for n, _, _ in review.rust_functions(r)],
                         ["a", "b"])

    def test_markers(self):
        r = ("/// Folds two C functions.\n// C: cmp_base, cmp_rec\n"
             "fn compare(a: u8) -> bool {\n    // C: unpack_cmp\n"
             "    let x = \"// C: not_a_marker\";\n    a == 0\n}\n\n"
             "fn other() {}\n\n// C: lookup_dimension\n"
             "const TABLE: [u8; 1] = [0];\n\nfn after() {}\n")
        marks = {n: r[s:e] for n, s, e in review.rust_markers(r)}
        self.assertEqual(sorted(marks), ["cmp_base", "cmp_rec",
                                         "lookup_dimension", "unpack_cmp"])
        self.assertTrue(marks["cmp_base"].startswith("/// Folds"))
        self.assertIn("fn compare", marks["unpack_cmp"])
        self.assertNotIn("fn other", marks["unpack_cmp"])
        self.assertIn("const TABLE", marks["lookup_dimension"])
        self.assertNotIn("fn after", marks["lookup_dimension"])
        c_funcs = [(n, "", "x.c") for n in ("cmp_base", "other", "gone")]
        rust = [(n, r[s:e], "lib.rs") for n, s, e in review.rust_functions(r)]
        marked = [(n, r[s:e], "lib.rs") for n, s, e in review.rust_markers(r)]
        self.assertEqual(sorted(review.pair(c_funcs, rust, marked)),
                         ["cmp_base", "other"])

    def test_check_fails_on_a_function_without_twin(self):
        import check
        try:
            srcdir = contract.default_srcdir(ROOT)
        except contract.ContractError:
            self.skipTest("no CPython source tree")
        obj = contract.load_objects(ROOT)["enumobject"]
        report = check.Report(io.StringIO())
        check.check_twins(ROOT, srcdir, [obj], report)
        self.assertEqual(report.problems, [])
        with tempfile.TemporaryDirectory() as tmp:
            shutil.copytree(os.path.join(ROOT, obj.crate),
                            os.path.join(tmp, obj.crate))
            lib = os.path.join(tmp, obj.crate, "src", "lib.rs")
            with open(lib, encoding="utf-8") as f:
                text = f.read()
            self.assertIn("fn reversed_setstate(", text)
            with open(lib, "w", encoding="utf-8") as f:
                f.write(text.replace("fn reversed_setstate(",
                                     "fn reversed_set_state("))
            check.check_twins(tmp, srcdir, [obj], report)
        self.assertEqual(len(report.problems), 1, report.problems)
        self.assertIn("reversed_setstate", report.problems[0])

    def test_boundary_finds_raw_calls(self):
        import check
        text = ("use cpython_sys::ffi;\n// ffi::PyDict_Size(x) in a comment\n"
                "static T: X = X { f: Some(ffi::PyObject_GenericGetAttr) };\n"
                "fn f(p: *mut ffi::PyObject) -> isize {\n"
                "    let s = \"ffi::Py_Foo(\";\n"
                "    unsafe { ffi::PyDict_Size(p) } + unsafe {\n"
                "        cpython_sys::inline::Py_INCREF (p) }\n}\n"
                "use cpython_sys::inline::{small_int, Py_Bool};\n"
                "use cpython_sys::ffi::{PyObject, PyTuple_New as new};\n"
                "fn g() -> *mut PyObject { unsafe { new(0) } }\n")
        self.assertEqual(check.raw_calls(text),
                         [(6, "ffi::PyDict_Size"), (7, "inline::Py_INCREF"),
                          (9, "inline::{small_int, Py_Bool}"),
                          (11, "ffi::new")])


class ScaffoldTests(Scratch):

    C_FILE = ("#include \"Python.h\"\n\n"
              "static PyObject *\nfake_new(PyObject *self)\n{\n"
              "    Py_RETURN_NONE;\n}\n\n"
              "static int\nfake_helper(int a)\n{\n    return a + 1;\n}\n")

    def test_new_object_is_wired_and_fails_until_ported(self):
        import scaffold
        c_path = os.path.join(self.src, "Objects", "fakeobject.c")
        with open(c_path, "w", encoding="utf-8") as f:
            f.write(self.C_FILE)
        with self.assertRaises(contract.ContractError):
            scaffold.new(self.root, self.src, "Fake")
        scaffold.new(self.root, self.src, "fakeobject")
        objects = contract.load_objects(self.root)
        obj = objects["fakeobject"]
        self.assertFalse(obj.default)
        self.assertEqual(obj.c_sha256, contract.sha256_file(c_path))
        # The report's fields start as placeholders it calls missing.
        self.assertEqual(obj.status, "experimental")
        self.assertEqual(obj.responsible, ())
        self.assertEqual(obj.exit_criterion, {})
        import report as experience
        self.assertTrue(experience.is_placeholder(obj.justification))
        data = experience.collect(self.root, {"fakeobject": obj},
                                  bench_report={}, moves=[])
        entry = data["objects"]["fakeobject"]
        self.assertIsNone(entry["registry"]["justification"])
        self.assertEqual(entry["verdict"]["promote"][0],
                         experience.UNKNOWN)
        self.assertIn("no exit_criterion", entry["verdict"]["summary"])
        self.assertTrue(os.path.isfile(os.path.join(
            self.root, "Lib", "test", "test_rust_fakeobject.py")))
        import regen
        regen.regen(self.root, out=io.StringIO())
        self.assertTrue(os.path.isfile(contract.header_path(self.root, obj)))

        report = check.Report(io.StringIO())
        check.check_registry(self.root, objects, report)
        check.check_wiring(self.root, objects.values(), report)
        self.assertEqual(report.problems, [])
        # The stub pairs no C function: check fails until it is ported.
        check.check_twins(self.root, self.src, [obj], report)
        self.assertEqual(len(report.problems), 1, report.problems)
        self.assertIn("fake_new, fake_helper", report.problems[0])
        lib = os.path.join(self.root, obj.crate, "src", "lib.rs")
        with open(lib, "a", encoding="utf-8") as f:
            f.write("\nfn fake_new() {}\n\n// C: fake_helper\n"
                    "fn helper() {}\n")
        report = check.Report(io.StringIO())
        check.check_twins(self.root, self.src, [obj], report)
        self.assertEqual(report.problems, [])

        # A missed piece of wiring fails.
        bundle = os.path.join(self.root, "Objects", "rustobjects",
                              "Cargo.toml")
        self.edit(bundle, 'fakeobject = ["dep:fakeobject"]\n', "")
        report = check.Report(io.StringIO())
        check.check_wiring(self.root, objects.values(), report)
        self.assertEqual(len(report.problems), 1, report.problems)
        self.assertIn("no feature fakeobject", report.problems[0])


class RegenPatchInputTests(Scratch):

    def test_regen_command_errors_name_the_file(self):
        import regen
        os.unlink(os.path.join(self.root, "Objects", "enumobject",
                               "cbindgen.toml"))
        err = io.StringIO()
        old = sys.stderr
        sys.stderr = err
        try:
            status = regen.main(["--srcdir", self.root])
        finally:
            sys.stderr = old
        self.assertEqual(status, 1)
        self.assertIn("Objects/enumobject/cbindgen.toml: missing",
                      err.getvalue())


class SanitizerRuntime(unittest.TestCase):

    def test_prefixes_follow_the_configure_options(self):
        self.assertEqual(check.sanitizer_runtime(""), ())
        self.assertEqual(check.sanitizer_runtime(
            " '--with-undefined-behavior-sanitizer'"), ("__ubsan_",))
        self.assertEqual(check.sanitizer_runtime(
            "--with-pydebug --with-address-sanitizer"), ("__asan_",))


if __name__ == "__main__":
    unittest.main()
