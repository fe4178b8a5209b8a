"""Finding the pinned CPython release (common.CPYTHON_VERSION).

The places tried, in order:

  1. --cpython-src DIR, or the environment variable CPYTHON_SRC: an unpacked
     CPython source tree of that version (not configured in place);
  2. --cpython-tarball FILE, or the environment variable CPYTHON_TARBALL;
  3. ../shared/cpython/Python-<version>.tar.xz beside the repository;
  4. the cache, ~/.cache/cpython-rust/Python-<version>.tar.xz (under
     $XDG_CACHE_HOME when that is set);
  5. a download from python.org into the cache.

Every tarball is checked against the pinned sha256 before it is used.  When
nothing works, SourceNotFound lists what was tried and why it failed.
"""

import hashlib
import os
import re
import urllib.error
import urllib.request
from dataclasses import dataclass

from common import (CPYTHON_VERSION, TARBALL_NAME, TARBALL_SHA256,
                    TARBALL_URL, ToolError, display_path, progress)

DOWNLOAD_TIMEOUT = 30


class SourceNotFound(ToolError):
    pass


@dataclass(frozen=True)
class Source:
    kind: str       # "tree" or "tarball"
    path: str
    origin: str     # how it was found, for messages

    def identity(self):
        """A string that tells whether two sources give the same files."""
        if self.kind == "tarball":
            return f"tarball sha256 {TARBALL_SHA256}"
        return f"tree {os.path.abspath(self.path)}"


def sha256_file(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def check_tarball(path, sha256=TARBALL_SHA256):
    """None if `path` is a file with the pinned sha256, else why not."""
    if not os.path.exists(path):
        return "not found"
    if not os.path.isfile(path):
        return "not a file"
    try:
        actual = sha256_file(path)
    except OSError as exc:
        return f"cannot read it: {exc.strerror}"
    if actual != sha256:
        return f"sha256 mismatch: it is {actual}, expected {sha256}"
    return None


def tree_version(path):
    """PY_VERSION from Include/patchlevel.h under `path`, or None."""
    try:
        with open(os.path.join(path, "Include", "patchlevel.h"),
                  encoding="utf-8", errors="replace") as f:
            text = f.read()
    except OSError:
        return None
    match = re.search(r'^#define\s+PY_VERSION\s+"([^"]*)"', text, re.M)
    return match.group(1) if match else None


def check_tree(path, version=CPYTHON_VERSION):
    """None if `path` is an unconfigured CPython source tree of `version`,
    else why not."""
    if not os.path.isdir(path):
        return "not a directory"
    found = tree_version(path)
    if found is None:
        return "no PY_VERSION in Include/patchlevel.h: not a CPython tree"
    if found != version:
        return f"Include/patchlevel.h says {found}, not {version}"
    if not os.path.isfile(os.path.join(path, "configure")):
        return "no configure script"
    for name in ("config.status", "pyconfig.h"):
        if os.path.exists(os.path.join(path, name)):
            return (f"it has been configured in place ({name} exists; "
                    f"run 'make distclean' there)")
    return None


def cache_dir(environ=os.environ):
    base = environ.get("XDG_CACHE_HOME") or os.path.join(
        os.path.expanduser("~"), ".cache")
    return os.path.join(base, "cpython-rust")


def download(url, dest, sha256=TARBALL_SHA256, timeout=DOWNLOAD_TIMEOUT):
    """Download `url` to `dest` through a temporary file that is renamed
    only once its sha256 is right.  Returns None or why it failed."""
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    tmp = f"{dest}.part-{os.getpid()}"
    progress(f"download: {url}")
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response, \
                open(tmp, "wb") as out:
            while True:
                block = response.read(1 << 20)
                if not block:
                    break
                out.write(block)
        reason = check_tarball(tmp, sha256)
        if reason:
            return f"downloaded file: {reason}"
        os.replace(tmp, dest)
        return None
    except urllib.error.URLError as exc:
        return f"download failed: {getattr(exc, 'reason', exc)}"
    except (OSError, ValueError) as exc:
        return f"download failed: {exc}"
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def candidates(root, cpython_src=None, cpython_tarball=None,
               environ=os.environ, name=TARBALL_NAME):
    """The places to look, in order: (kind, label, path); `name` is the
    tarball's file name."""
    result = []
    if cpython_src:
        result.append(("tree", f"--cpython-src {cpython_src}", cpython_src))
    elif environ.get("CPYTHON_SRC"):
        result.append(("tree", f"CPYTHON_SRC={environ['CPYTHON_SRC']}",
                       environ["CPYTHON_SRC"]))
    if cpython_tarball:
        result.append(("tarball", f"--cpython-tarball {cpython_tarball}",
                       cpython_tarball))
    elif environ.get("CPYTHON_TARBALL"):
        result.append(("tarball",
                       f"CPYTHON_TARBALL={environ['CPYTHON_TARBALL']}",
                       environ["CPYTHON_TARBALL"]))
    shared = os.path.join(os.path.dirname(os.path.abspath(root)), "shared",
                          "cpython", name)
    result.append(("tarball", f"shared copy {shared}", shared))
    cached = os.path.join(cache_dir(environ), name)
    result.append(("tarball", f"cache {cached}", cached))
    return result


def find_source(root, cpython_src=None, cpython_tarball=None,
                environ=os.environ, sha256=TARBALL_SHA256, version=None,
                downloader=download, url=TARBALL_URL):
    """Return a Source for the pinned release, or raise SourceNotFound."""
    version = version or CPYTHON_VERSION
    tried = []
    for kind, label, path in candidates(root, cpython_src, cpython_tarball,
                                        environ, f"Python-{version}.tar.xz"):
        path = os.path.abspath(os.path.expanduser(path))
        if kind == "tree":
            reason = check_tree(path, version)
        else:
            reason = check_tarball(path, sha256)
        if reason is None:
            return Source(kind, path, label)
        tried.append((label, reason))
        if label.startswith(("--", "CPYTHON_")):
            # Asked for explicitly: say so even if a later place works.
            progress(f"warning: {label}: {reason}; trying the next place")
    if downloader is not None:
        dest = os.path.join(cache_dir(environ), TARBALL_NAME)
        reason = downloader(url, dest, sha256)
        if reason is None:
            return Source("tarball", dest, f"download {url}")
        tried.append((f"download {url}", reason))
    raise SourceNotFound(not_found_message(tried, version, sha256,
                                           cache_dir(environ)))


def not_found_message(tried, version=CPYTHON_VERSION, sha256=TARBALL_SHA256,
                      cache=None):
    name = f"Python-{version}.tar.xz"
    lines = [f"cannot find the CPython {version} source. Tried:"]
    lines += [f"  - {label}: {reason}" for label, reason in tried]
    lines += [
        "Provide it in one of these ways:",
        f"  --cpython-src DIR (or CPYTHON_SRC=DIR): an unpacked, unconfigured "
        f"CPython {version} tree",
        f"  --cpython-tarball FILE (or CPYTHON_TARBALL=FILE): {name}",
        f"  put {name} in ../shared/cpython/ beside the repository or in "
        f"{display_path(cache or cache_dir())}/",
        f"  (any tarball must have sha256 {sha256})",
    ]
    return "\n".join(lines)
