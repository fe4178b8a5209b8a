"""Tests of fetch: the sha256 check and the order in which the CPython
source is looked for."""

import contextlib
import hashlib
import io
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import fetch  # noqa: E402

CONTENT = b"not really a tarball\n"
SHA = hashlib.sha256(CONTENT).hexdigest()
NAME = fetch.TARBALL_NAME


def write(path, data=CONTENT):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)
    return path


def make_tree(path, version=fetch.CPYTHON_VERSION):
    write(os.path.join(path, "Include", "patchlevel.h"),
          f'#define PY_MAJOR_VERSION 3\n#define PY_VERSION "{version}"\n'
          .encode())
    write(os.path.join(path, "configure"), b"#!/bin/sh\n")
    return path


class Sandbox(unittest.TestCase):
    """A temporary directory holding repo/, shared/cpython/ and cache/."""

    def setUp(self):
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        self.tmp = tmp.name
        self.root = os.path.join(self.tmp, "repo")
        os.makedirs(self.root)
        self.shared = os.path.join(self.tmp, "shared", "cpython", NAME)
        self.cache = os.path.join(self.tmp, "cache", "cpython-rust", NAME)
        self.environ = {"XDG_CACHE_HOME": os.path.join(self.tmp, "cache")}
        self.downloads = []

    def fake_download(self, data=None):
        def download(url, dest, sha256):
            self.downloads.append((url, dest))
            if data is None:
                return "download failed: no network"
            write(dest, data)
            return fetch.check_tarball(dest, sha256)
        return download

    def find(self, **kwargs):
        kwargs.setdefault("environ", self.environ)
        kwargs.setdefault("downloader", self.fake_download())
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            source = fetch.find_source(self.root, sha256=SHA, **kwargs)
        self.output = out.getvalue()
        return source


class Sha256Tests(Sandbox):

    def test_sha256_file(self):
        path = write(os.path.join(self.tmp, "f"), b"abc")
        self.assertEqual(fetch.sha256_file(path), "ba7816bf8f01cfea414140de5d"
                         "ae2223b00361a396177a9cb410ff61f20015ad")

    def test_good_tarball(self):
        self.assertIsNone(fetch.check_tarball(
            write(os.path.join(self.tmp, NAME)), SHA))

    def test_bad_tarball(self):
        path = write(os.path.join(self.tmp, NAME), CONTENT + b"x")
        reason = fetch.check_tarball(path, SHA)
        self.assertIn("sha256 mismatch", reason)
        self.assertIn(SHA, reason)

    def test_missing_tarball(self):
        self.assertEqual(fetch.check_tarball(os.path.join(self.tmp, "no"),
                                             SHA), "not found")

    def test_pinned_checksum(self):
        self.assertEqual(fetch.CPYTHON_VERSION, "3.13.15")
        self.assertEqual(fetch.TARBALL_SHA256, "1e66a7945a48390ee4c2a4268a0e4"
                         "185884059a13c4aab6d148aa208deea4a76")


class TreeTests(Sandbox):

    def test_good_tree(self):
        self.assertIsNone(fetch.check_tree(make_tree(
            os.path.join(self.tmp, "src"))))

    def test_other_version(self):
        tree = make_tree(os.path.join(self.tmp, "src"), "3.12.1")
        self.assertIn("says 3.12.1", fetch.check_tree(tree))

    def test_not_a_cpython_tree(self):
        os.makedirs(os.path.join(self.tmp, "src"))
        self.assertIn("not a CPython tree",
                      fetch.check_tree(os.path.join(self.tmp, "src")))

    def test_configured_in_place(self):
        tree = make_tree(os.path.join(self.tmp, "src"))
        write(os.path.join(tree, "config.status"))
        self.assertIn("configured in place", fetch.check_tree(tree))


class OrderTests(Sandbox):

    def test_src_option_comes_first(self):
        tree = make_tree(os.path.join(self.tmp, "src"))
        write(self.shared)
        source = self.find(cpython_src=tree)
        self.assertEqual((source.kind, source.path), ("tree", tree))

    def test_src_from_environment(self):
        tree = make_tree(os.path.join(self.tmp, "src"))
        self.environ["CPYTHON_SRC"] = tree
        self.assertEqual(self.find().path, tree)

    def test_tarball_option_before_shared(self):
        mine = write(os.path.join(self.tmp, "mine", NAME))
        write(self.shared)
        self.assertEqual(self.find(cpython_tarball=mine).path, mine)

    def test_tarball_from_environment(self):
        mine = write(os.path.join(self.tmp, "mine", NAME))
        write(self.shared)
        self.environ["CPYTHON_TARBALL"] = mine
        self.assertEqual(self.find().path, mine)

    def test_shared_before_cache(self):
        write(self.shared)
        write(self.cache)
        self.assertEqual(self.find().path, self.shared)

    def test_cache_when_no_shared_copy(self):
        write(self.cache)
        self.assertEqual(self.find().path, self.cache)
        self.assertEqual(self.downloads, [])

    def test_bad_explicit_source_falls_through_with_a_warning(self):
        write(self.shared)
        bad = write(os.path.join(self.tmp, "bad", NAME), b"corrupt")
        source = self.find(cpython_tarball=bad)
        self.assertEqual(source.path, self.shared)
        self.assertIn("sha256 mismatch", self.output)

    def test_bad_cache_is_replaced_by_a_download(self):
        write(self.cache, b"truncated")
        source = self.find(downloader=self.fake_download(CONTENT))
        self.assertEqual(source.path, self.cache)
        self.assertEqual(self.downloads, [(fetch.TARBALL_URL, self.cache)])
        self.assertEqual(fetch.sha256_file(self.cache), SHA)

    def test_nothing_works(self):
        bad_tree = make_tree(os.path.join(self.tmp, "src"), "3.12.0")
        with self.assertRaises(fetch.SourceNotFound) as cm:
            self.find(cpython_src=bad_tree,
                      cpython_tarball=os.path.join(self.tmp, "none"))
        message = str(cm.exception)
        lines = message.splitlines()
        self.assertIn(f"cannot find the CPython {fetch.CPYTHON_VERSION}",
                      lines[0])
        tried = [line for line in lines if line.startswith("  - ")]
        self.assertEqual(len(tried), 5, message)
        self.assertIn("--cpython-src", tried[0])
        self.assertIn("says 3.12.0", tried[0])
        self.assertIn("--cpython-tarball", tried[1])
        self.assertIn("not found", tried[1])
        self.assertIn(self.shared, tried[2])
        self.assertIn(self.cache, tried[3])
        self.assertIn("no network", tried[4])
        self.assertIn("CPYTHON_TARBALL=FILE", message)
        self.assertIn(SHA, message)

    def test_no_download_when_a_source_is_found(self):
        write(self.shared)
        self.find()
        self.assertEqual(self.downloads, [])


if __name__ == "__main__":
    unittest.main()
