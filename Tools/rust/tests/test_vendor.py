"""Tests for vendor.py: the vendored crates and the dependency table."""

import json
import os
import sys
import tarfile
import tempfile
import unittest

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, HERE)

import makeconf  # noqa: E402
import vendor  # noqa: E402
from common import ToolError  # noqa: E402

LOCK = """\
version = 4

[[package]]
name = "cpython-sys"
version = "0.1.0"
dependencies = [
 "bindgen",
]

[[package]]
name = "bindgen"
version = "0.72.1"
source = "registry+https://github.com/rust-lang/crates.io-index"
checksum = "aaaa"
dependencies = [
 "shlex 1.3.0",
]

[[package]]
name = "shlex"
version = "1.3.0"
source = "registry+https://github.com/rust-lang/crates.io-index"
checksum = "bbbb"
"""


def write_crate(vendor_dir, name, version, checksum, licence="MIT"):
    crate = os.path.join(vendor_dir, f"{name}-{version}")
    os.makedirs(os.path.join(crate, "src"))
    with open(os.path.join(crate, ".cargo-checksum.json"), "w") as f:
        json.dump({"files": {}, "package": checksum}, f)
    with open(os.path.join(crate, "Cargo.toml"), "w") as f:
        f.write(f'[package]\nname = "{name}"\nversion = "{version}"\n'
                f'license = "{licence}"\n')
    with open(os.path.join(crate, "src", "lib.rs"), "w") as f:
        f.write("// crate\n")
    return crate


class LockTests(unittest.TestCase):

    def test_packages_and_dependencies(self):
        packages = vendor.lock_packages(LOCK)
        self.assertEqual([p["name"] for p in packages],
                         ["cpython-sys", "bindgen", "shlex"])
        self.assertEqual(packages[1]["dependencies"], ["shlex 1.3.0"])
        self.assertEqual([p["name"] for p in vendor.registry_packages(LOCK)],
                         ["bindgen", "shlex"])

    def test_the_repository_lock_has_only_registry_crates_outside(self):
        with open(os.path.join(os.path.dirname(os.path.dirname(HERE)),
                               "Cargo.lock")) as f:
            text = f.read()
        own = [p["name"] for p in vendor.lock_packages(text)
               if "source" not in p]
        self.assertIn("cpython-sys", own)
        self.assertIn("rustobjects", own)


class VendorDirTests(unittest.TestCase):

    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.addCleanup(__import__("shutil").rmtree, self.dir)
        self.vendor = os.path.join(self.dir, "vendor")
        write_crate(self.vendor, "bindgen", "0.72.1", "aaaa", "BSD-3-Clause")
        write_crate(self.vendor, "shlex", "1.3.0", "bbbb")

    def test_complete(self):
        self.assertEqual(vendor.check_vendor_dir(LOCK, self.vendor), [])

    def test_missing_extra_and_changed(self):
        __import__("shutil").rmtree(os.path.join(self.vendor, "shlex-1.3.0"))
        write_crate(self.vendor, "libc", "0.2.1", "cccc")
        with open(os.path.join(self.vendor, "bindgen-0.72.1",
                               ".cargo-checksum.json"), "w") as f:
            json.dump({"files": {}, "package": "other"}, f)
        problems = vendor.check_vendor_dir(LOCK, self.vendor)
        self.assertEqual(len(problems), 3, problems)
        text = "\n".join(problems)
        self.assertIn("shlex-1.3.0: missing", text)
        self.assertIn("libc-0.2.1: not a package of Cargo.lock", text)
        self.assertIn("bindgen-0.72.1: checksum other", text)

    def test_no_directory(self):
        problems = vendor.check_vendor_dir(LOCK, os.path.join(self.dir, "x"))
        self.assertEqual(len(problems), 1)

    def test_cargo_args_only_with_vendored_sources(self):
        tree = os.path.join(self.dir, "tree")
        os.makedirs(tree)
        self.assertEqual(vendor.cargo_args(tree), [])
        os.makedirs(os.path.join(tree, vendor.VENDOR))
        args = vendor.cargo_args(tree)
        self.assertEqual(args[0], "--offline")
        self.assertIn('source.crates-io.replace-with="vendored-sources"',
                      args)
        self.assertIn(f'source.vendored-sources.directory='
                      f'"{os.path.join(tree, vendor.VENDOR)}"', args)

    def test_makeconf_passes_them_to_cargo(self):
        tree = os.path.join(self.dir, "tr$ee")
        vendored = os.path.join(tree, vendor.VENDOR)
        os.makedirs(vendored)
        text = makeconf.render([], "release", vendor.cargo_args(tree))
        line = [x for x in text.splitlines()
                if x.startswith("RUST_CARGO_SOURCE := ")][0]
        self.assertIn("--offline", line)
        # make would expand a lone $: it is doubled.
        self.assertIn("tr$$ee", line)
        self.assertIn("RUST_CARGO_SOURCE := \n",
                      makeconf.render([], "release"))

    def test_makeconf_sanitizer(self):
        text = makeconf.render([], "pydebug", (), "address",
                               "x86_64-unknown-linux-gnu")
        self.assertIn("RUST_CARGO_TOOLCHAIN := +nightly\n", text)
        self.assertIn("RUST_CARGO_TARGET := --target "
                      "x86_64-unknown-linux-gnu\n", text)
        self.assertIn("RUST_LIB_SUBDIR := x86_64-unknown-linux-gnu/\n", text)
        self.assertIn("RUST_SANITIZER_FLAGS := -Zsanitizer=address "
                      "-Cunsafe-allow-abi-mismatch=sanitizer\n", text)
        plain = makeconf.render([], "release")
        self.assertIn("RUST_SANITIZER_FLAGS := \n", plain)
        self.assertIn("RUST_LIB_SUBDIR := \n", plain)

    def test_archive_round_trip(self):
        archive = os.path.join(self.dir, "x-vendor.tar.xz")
        count = vendor.write_archive(self.vendor, archive)
        self.assertEqual(count, 6)
        again = os.path.join(self.dir, "again.tar.xz")
        vendor.write_archive(self.vendor, again)
        with open(archive, "rb") as a, open(again, "rb") as b:
            self.assertEqual(a.read(), b.read(), "not reproducible")
        tree = os.path.join(self.dir, "tree")
        os.makedirs(tree)
        with open(os.path.join(tree, "Cargo.lock"), "w") as f:
            f.write(LOCK)
        vendor.unpack_archive(archive, tree)
        self.assertEqual(vendor.check_vendored(tree), [])

    def test_archive_rejects_other_paths(self):
        archive = os.path.join(self.dir, "bad.tar.xz")
        with tarfile.open(archive, "w:xz") as tar:
            tar.add(os.path.join(self.vendor, "shlex-1.3.0", "Cargo.toml"),
                    arcname="../evil")
        with self.assertRaises(ToolError):
            vendor.unpack_archive(archive, self.dir)

    def test_archive_name(self):
        self.assertEqual(vendor.archive_name("/x/cpython-rust.patch"),
                         "/x/cpython-rust-vendor.tar.xz")
        self.assertEqual(vendor.archive_name("p"), "p-vendor.tar.xz")


class TableTests(unittest.TestCase):

    def metadata(self):
        def pkg(name, source=True):
            return {"id": name, "name": name,
                    "source": "registry+x" if source else None}

        def dep(name, *kinds):
            return {"pkg": name, "dep_kinds": [{"kind": k} for k in kinds]}
        return {
            "packages": [pkg("rustobjects", False), pkg("cpython-sys", False),
                         pkg("bindgen"), pkg("memchr"), pkg("shlex")],
            "resolve": {"nodes": [
                {"id": "rustobjects", "deps": [dep("cpython-sys", None)]},
                {"id": "cpython-sys", "deps": [dep("bindgen", "build"),
                                               dep("memchr", None)]},
                {"id": "bindgen", "deps": [dep("shlex", None)]},
                {"id": "memchr", "deps": []},
                {"id": "shlex", "deps": []}]}}

    def test_linked_is_the_normal_closure(self):
        m = self.metadata()
        self.assertEqual(vendor.closure(m, {"rustobjects"}, kinds={None}),
                         {"rustobjects", "cpython-sys", "memchr"})
        self.assertEqual(vendor.closure(m, {"rustobjects"}),
                         {"rustobjects", "cpython-sys", "memchr", "bindgen",
                          "shlex"})

    def test_render(self):
        text = vendor.render_dependencies([
            ("bindgen", "0.72.1", "BSD-3-Clause", "build scripts", 2048),
            ("memchr", "2.7.4", "MIT", "linked into libpython", 1024)])
        self.assertIn("linked into libpython: memchr.", text)
        self.assertIn("| bindgen | 0.72.1 | BSD-3-Clause | build scripts "
                      "| 2 KiB |", text)
        none = vendor.render_dependencies([
            ("bindgen", "0.72.1", "BSD-3-Clause", "build scripts", 2048)])
        self.assertIn("linked into libpython: none", none)


if __name__ == "__main__":
    unittest.main()
