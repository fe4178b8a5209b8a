"""Tests of builder: which files are laid over CPython, how, and when a
variant is configured again."""

import contextlib
import io
import json
import os
import sys
import tarfile
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import builder  # noqa: E402
import fetch  # noqa: E402
from common import CPYTHON_VERSION, Layout, ToolError  # noqa: E402

ANCHOR = "LINK_PYTHON_OBJS=@LINK_PYTHON_OBJS@\n"


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w" if isinstance(data, str) else "wb") as f:
        f.write(data)
    return path


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def quiet():
    return contextlib.redirect_stdout(io.StringIO())


class TempDir(unittest.TestCase):

    def setUp(self):
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        self.tmp = tmp.name


class OverlaidTests(unittest.TestCase):

    def test_excluded(self):
        for path in ("README.md", ".gitignore", ".ci/run", "build/c/x.o",
                     "build/logs/c-make.log", "Tools/rust/report.png"):
            with self.subTest(path=path):
                self.assertFalse(builder.is_overlaid(path))

    def test_included(self):
        for path in ("Makefile.pre.in", "Cargo.toml", "Objects/enumobject/"
                     "src/lib.rs", "Tools/rust/objects.json",
                     "Lib/test/test_rust_objects.py", "docs/README.md",
                     "buildtools/x"):
            with self.subTest(path=path):
                self.assertTrue(builder.is_overlaid(path))


class WriteIfChangedTests(TempDir):

    def test_same_content_is_not_written(self):
        path = write(os.path.join(self.tmp, "f"), b"data")
        os.utime(path, (1000, 1000))
        self.assertFalse(builder.write_if_changed(path, b"data"))
        self.assertEqual(os.path.getmtime(path), 1000)

    def test_other_content_is_written(self):
        path = write(os.path.join(self.tmp, "f"), b"data")
        os.utime(path, (1000, 1000))
        self.assertTrue(builder.write_if_changed(path, b"other"))
        self.assertEqual(read(path), "other")
        self.assertGreater(os.path.getmtime(path), 1000)

    def test_new_file_and_mode(self):
        path = os.path.join(self.tmp, "a", "b", "run")
        self.assertTrue(builder.write_if_changed(path, b"#!/bin/sh\n", 0o755))
        self.assertEqual(os.stat(path).st_mode & 0o777, 0o755)
        self.assertEqual(os.listdir(os.path.dirname(path)), ["run"])

    def test_bare_file_name_in_current_directory(self):
        # What makeconf is given from a build directory: `rust-objects.mk`,
        # no directory part at all.
        old = os.getcwd()
        os.chdir(self.tmp)
        try:
            self.assertTrue(builder.write_if_changed("rust-objects.mk", "x"))
            self.assertFalse(builder.write_if_changed("rust-objects.mk", "x"))
        finally:
            os.chdir(old)
        self.assertEqual(read(os.path.join(self.tmp, "rust-objects.mk")), "x")


class OverlayTests(TempDir):

    def setUp(self):
        super().setUp()
        self.layout = Layout(os.path.join(self.tmp, "repo"))
        lay = self.layout
        write(os.path.join(lay.pristine, "Makefile.pre.in"),
              "A = 1\n" + ANCHOR + "all:\n")
        write(os.path.join(lay.pristine, "Objects", "abstract.c"), "C\n")
        write(os.path.join(lay.root, "Makefile.pre.in"), "RUST ?= 0\n")
        write(os.path.join(lay.root, "Objects", "abstract.c"), "Rust's\n")
        write(os.path.join(lay.root, "Objects", "x", "lib.rs"), "fn x()\n")
        with quiet():
            builder.ensure_tree(lay, "marker\n")

    def overlay(self, files):
        with quiet():
            return builder.overlay(self.layout, files)

    def test_overlay(self):
        files = ["Makefile.pre.in", "Objects/abstract.c", "Objects/x/lib.rs"]
        self.assertEqual(self.overlay(files), files)
        tree = self.layout.tree
        self.assertEqual(read(os.path.join(tree, "Makefile.pre.in")),
                         "A = 1\nRUST ?= 0\n" + ANCHOR + "all:\n")
        self.assertEqual(read(os.path.join(tree, "Objects", "abstract.c")),
                         "Rust's\n")
        self.assertEqual(read(os.path.join(tree, "Objects", "x", "lib.rs")),
                         "fn x()\n")
        # The pristine release is left alone.
        self.assertEqual(read(os.path.join(self.layout.pristine, "Objects",
                                           "abstract.c")), "C\n")
        # A second overlay changes nothing.
        self.assertEqual(self.overlay(files), [])

    def test_files_gone_from_the_repo(self):
        self.overlay(["Objects/abstract.c", "Objects/x/lib.rs"])
        tree = self.layout.tree
        old = time.time() - 1000
        os.utime(os.path.join(tree, "Objects", "abstract.c"), (old, old))
        self.assertEqual(self.overlay([]),
                         ["Objects/abstract.c", "Objects/x/lib.rs"])
        # Put back as released, with a new mtime so make rebuilds it.
        path = os.path.join(tree, "Objects", "abstract.c")
        self.assertEqual(read(path), "C\n")
        self.assertGreater(os.path.getmtime(path), old)
        self.assertFalse(os.path.exists(os.path.join(tree, "Objects", "x",
                                                     "lib.rs")))

    def test_tree_is_kept_while_the_pristine_marker_is_the_same(self):
        self.overlay(["Objects/x/lib.rs"])
        with quiet():
            self.assertFalse(builder.ensure_tree(self.layout, "marker\n"))
            self.assertTrue(builder.ensure_tree(self.layout, "other\n"))
        self.assertFalse(os.path.exists(os.path.join(
            self.layout.tree, "Objects", "x", "lib.rs")))


class ExtractTests(TempDir):

    def make_tarball(self, top=f"Python-{CPYTHON_VERSION}",
                     version=CPYTHON_VERSION):
        path = os.path.join(self.tmp, "src.tar.xz")
        with tarfile.open(path, "w:xz") as tar:
            for name, text in (("Include/patchlevel.h",
                                f'#define PY_VERSION "{version}"\n'),
                               ("configure", "#!/bin/sh\n")):
                data = text.encode()
                info = tarfile.TarInfo(f"{top}/{name}")
                info.size = len(data)
                info.mode = 0o755
                tar.addfile(info, io.BytesIO(data))
        return path

    def test_extract(self):
        layout = Layout(os.path.join(self.tmp, "repo"))
        source = fetch.Source("tarball", self.make_tarball(), "test")
        with quiet():
            marker = builder.extract(layout, source)
        self.assertEqual(fetch.tree_version(layout.pristine), CPYTHON_VERSION)
        self.assertEqual(read(os.path.join(layout.pristine,
                                           builder.PRISTINE_MARKER)), marker)
        self.assertIn(fetch.TARBALL_SHA256, marker)
        # No temporary directory is left behind.
        self.assertEqual(sorted(os.listdir(layout.build)),
                         [os.path.basename(layout.pristine)])
        # Once there, it is used without looking for the source.
        with quiet():
            self.assertEqual(builder.ensure_pristine(layout, environ={}),
                             marker)

    def test_member_outside_the_top_directory(self):
        layout = Layout(os.path.join(self.tmp, "repo"))
        source = fetch.Source("tarball", self.make_tarball(top="other"),
                              "test")
        with quiet(), self.assertRaisesRegex(ToolError, "unexpected member"):
            builder.extract(layout, source)
        self.assertFalse(os.path.exists(layout.pristine))
        self.assertEqual(os.listdir(layout.build), [])

    def test_wrong_version(self):
        layout = Layout(os.path.join(self.tmp, "repo"))
        source = fetch.Source("tarball", self.make_tarball(version="3.12.0"),
                              "test")
        with quiet(), self.assertRaisesRegex(ToolError, "does not hold"):
            builder.extract(layout, source)
        self.assertFalse(os.path.exists(layout.pristine))


class ConfigureReasonTests(TempDir):

    def setUp(self):
        super().setUp()
        self.configure = write(os.path.join(self.tmp, "src", "configure"),
                               "#!/bin/sh\n")
        os.utime(self.configure, (1000, 1000))
        self.builddir = os.path.join(self.tmp, "c")

    def reason(self, flags=("--with-pydebug",), source="s"):
        return builder.configure_reason(self.builddir, self.configure, flags,
                                        source)

    def configured(self, flags=("--with-pydebug",), source="s"):
        write(os.path.join(self.builddir, "Makefile"), "all:\n")
        write(os.path.join(self.builddir, "config.status"), "")
        write(os.path.join(self.builddir, builder.CONFIGURE_STATE),
              json.dumps({"flags": list(flags), "source": source}))

    def test_up_to_date(self):
        self.configured()
        self.assertIsNone(self.reason())

    def test_no_makefile(self):
        self.assertEqual(self.reason(), "no Makefile")

    def test_configure_newer(self):
        self.configured()
        os.utime(os.path.join(self.builddir, "config.status"), (500, 500))
        self.assertEqual(self.reason(), "configure is newer than "
                                        "config.status")

    def test_flags_changed(self):
        self.configured(flags=())
        self.assertIn("flags changed", self.reason())

    def test_source_changed(self):
        self.configured(source="other")
        self.assertEqual(self.reason(), "the source tree changed")

    def test_no_record(self):
        self.configured()
        os.unlink(os.path.join(self.builddir, builder.CONFIGURE_STATE))
        self.assertEqual(self.reason(), "no record of the configure flags")


class VariantTests(unittest.TestCase):

    def test_default(self):
        self.assertEqual(builder.parse_variants(None), ["c", "rust"])

    def test_comma_and_repeat(self):
        self.assertEqual(builder.parse_variants(["c,ft-c", "c", "pristine"]),
                         ["c", "ft-c", "pristine"])

    def test_unknown(self):
        with self.assertRaisesRegex(ToolError, "unknown variant 'nope'"):
            builder.parse_variants(["c,nope"])

    def test_table(self):
        v = builder.VARIANTS
        self.assertEqual(v["rust"].make_args, ("RUST=1",))
        self.assertEqual(v["c"], builder.Variant())
        self.assertEqual(v["debug-rust"].configure_flags, ("--with-pydebug",))
        self.assertEqual(v["ft-c"].configure_flags, ("--disable-gil",))
        self.assertTrue(v["shared-rust"].shared and v["shared-rust"].rust)
        layout = Layout("/r")
        self.assertEqual(builder.variant_builddir(layout, "pristine"),
                         "/r/build/pristine-build")
        self.assertEqual(builder.variant_srcdir(layout, "pristine"),
                         layout.pristine)
        self.assertEqual(builder.variant_srcdir(layout, "ft-rust"),
                         layout.tree)


class LibclangTests(TempDir):

    def test_found(self):
        write(os.path.join(self.tmp, "llvm-14", "lib", "libclang-14.so.1"),
              "")
        self.assertEqual(builder.find_libclang(
            {}, dirs=[os.path.join(self.tmp, "llvm-*", "lib")]),
            os.path.join(self.tmp, "llvm-14", "lib", "libclang-14.so.1"))

    def test_libclang_cpp_is_not_libclang(self):
        write(os.path.join(self.tmp, "lib", "libclang-cpp.so.14"), "")
        self.assertIsNone(builder.find_libclang(
            {}, dirs=[os.path.join(self.tmp, "lib")]))

    def test_libclang_path(self):
        write(os.path.join(self.tmp, "mine", "libclang.so"), "")
        self.assertIsNotNone(builder.find_libclang(
            {"LIBCLANG_PATH": os.path.join(self.tmp, "mine")}, dirs=[]))


if __name__ == "__main__":
    unittest.main()
