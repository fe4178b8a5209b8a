"""`Tools/rust build`: lay the repository over the pinned CPython release and
build it out of tree in one or more variants.

    build/pristine-<version>/   the release as unpacked (never modified)
    build/cpython-<version>/    a copy of it with the repository's files laid
                                over it (Makefile.pre.in: the repository's
                                fragment spliced into CPython's)
    build/<variant>/            an out-of-tree build of build/cpython-<version>
    build/pristine-build/       an out-of-tree build of the pristine release
    build/logs/<variant>-<step>.log   the full output of every step
"""

import json
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
import time
from dataclasses import dataclass

import fetch
import registry
from common import (CPYTHON_VERSION, Layout, ToolError, display_path, ncpu,
                    progress, run_step, write_if_changed)

# The line of CPython's Makefile.pre.in before which the repository's
# Makefile.pre.in fragment is inserted.
MAKEFILE_ANCHOR = "LINK_PYTHON_OBJS=@LINK_PYTHON_OBJS@"
MAKEFILE = "Makefile.pre.in"

# Repository files that are not laid over CPython: (exact names, prefixes).
# (The report's screenshot is binary: the patch holds text files only.)
NOT_OVERLAID = ({"README.md", ".gitignore", "Tools/rust/report.png"},
                (".ci/", "build/"))

PRISTINE_MARKER = ".cpython-rust-pristine"
TREE_STATE = ".cpython-rust-tree.json"
CONFIGURE_STATE = ".cpython-rust-configure.json"


# Debian's packaged Rust (packages rustc-web and cargo-web), for the
# distro-rust variant.
DISTRO_RUST_PACKAGES = ("rustc-web", "cargo-web")
DISTRO_RUST_ENV = (("CARGO", "/usr/bin/cargo"), ("RUSTC", "/usr/bin/rustc"),
                   ("RUSTDOC", "/usr/bin/rustdoc"))


@dataclass(frozen=True)
class Variant:
    configure_flags: tuple = ()
    make_args: tuple = ()
    rust: bool = False          # links Rust objects (needs cargo, libclang)
    pristine: bool = False      # builds the unmodified release
    shared: bool = False        # libpython is a shared library
    # (name, value) pairs set for configure and make: the distribution's
    # toolchain for distro-rust
    env: tuple = ()


VARIANTS = {
    "c": Variant(),
    "rust": Variant(make_args=("RUST=1",), rust=True),
    "debug-c": Variant(configure_flags=("--with-pydebug",)),
    "debug-rust": Variant(configure_flags=("--with-pydebug",),
                          make_args=("RUST=1",), rust=True),
    "ft-c": Variant(configure_flags=("--disable-gil",)),
    "ft-rust": Variant(configure_flags=("--disable-gil",),
                       make_args=("RUST=1",), rust=True),
    "shared-rust": Variant(configure_flags=("--enable-shared",),
                           make_args=("RUST=1",), rust=True, shared=True),
    # Sanitizers: the C objects and the Rust ones in one build, the Rust
    # ones with debug assertions and overflow checks (RUST_PROFILE=pydebug,
    # see Makefile.pre.in) and, for ASan and TSan, instrumented by rustc
    # (RUST_SANITIZER: -Zsanitizer on the nightly toolchain).  Run by
    # `Tools/rust test --sanitizers`.
    "asan-rust": Variant(configure_flags=("--with-address-sanitizer",
                                          "--without-pymalloc"),
                         make_args=("RUST=1", "RUST_PROFILE=pydebug",
                                    "RUST_SANITIZER=address"),
                         rust=True),
    # ThreadSanitizer on the free-threaded build, where the objects' data
    # races would be.
    "tsan-ft-rust": Variant(configure_flags=("--disable-gil",
                                             "--with-thread-sanitizer"),
                            make_args=("RUST=1", "RUST_PROFILE=pydebug",
                                       "RUST_SANITIZER=thread"),
                            rust=True),
    "ubsan-rust": Variant(configure_flags=(
                              "--with-undefined-behavior-sanitizer",),
                          make_args=("RUST=1", "RUST_PROFILE=pydebug"),
                          rust=True),
    "pristine": Variant(pristine=True),
    # The Rust a distribution ships: Debian 12's rustc-web and cargo-web
    # (Rust 1.85, also Debian 13's rustc), the workspace's rust-version.
    # Run by `Tools/rust test --distro-rust`.
    "distro-rust": Variant(make_args=("RUST=1",), rust=True,
                           env=DISTRO_RUST_ENV),
}
DEFAULT_VARIANTS = ("c", "rust")


# --- The Makefile splice ----------------------------------------------------

def splice_makefile(pristine_text, fragment_text):
    """CPython's Makefile.pre.in (`pristine_text`) with `fragment_text`
    inserted immediately before the line MAKEFILE_ANCHOR."""
    lines = pristine_text.splitlines(keepends=True)
    hits = [i for i, line in enumerate(lines)
            if line.rstrip("\r\n") == MAKEFILE_ANCHOR]
    if len(hits) != 1:
        raise ToolError(
            f"{MAKEFILE}: the line {MAKEFILE_ANCHOR!r}, before which the "
            f"Rust fragment goes, occurs {len(hits)} times in CPython's "
            f"{MAKEFILE}; expected exactly once")
    if fragment_text and not fragment_text.endswith("\n"):
        fragment_text += "\n"
    at = hits[0]
    return "".join(lines[:at]) + fragment_text + "".join(lines[at:])


# --- Variants and paths -----------------------------------------------------

def variant_builddir(layout, name):
    return layout.builddir("pristine-build" if VARIANTS[name].pristine
                           else name)


def variant_srcdir(layout, name):
    return layout.pristine if VARIANTS[name].pristine else layout.tree


def python_path(builddir):
    for exe in ("python", "python.exe"):
        path = os.path.join(builddir, exe)
        if os.path.isfile(path):
            return path
    return os.path.join(builddir, "python")


def python_env(layout, name, environ=None):
    env = dict(os.environ if environ is None else environ)
    if VARIANTS[name].shared:
        builddir = variant_builddir(layout, name)
        old = env.get("LD_LIBRARY_PATH")
        env["LD_LIBRARY_PATH"] = builddir + (f":{old}" if old else "")
    return env


def rust_objects_of(layout, name):
    """PY_RUST_OBJECTS of the built interpreter of variant `name` (a string,
    'None' when the variable is not set)."""
    cmd = [python_path(variant_builddir(layout, name)), "-c",
           "import sysconfig; "
           "print(sysconfig.get_config_var('PY_RUST_OBJECTS'))"]
    env = python_env(layout, name)
    # A sanitizer build: CPython does not free everything at exit.
    env.setdefault("ASAN_OPTIONS", "detect_leaks=0")
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True,
                              env=env, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ToolError(f"cannot run {display_path(cmd[0])}: {exc}") from None
    if proc.returncode:
        raise ToolError(f"{display_path(cmd[0])} -c 'import sysconfig ...' "
                        f"failed: {proc.stderr.strip()}")
    return proc.stdout.strip()


def parse_variants(values):
    """Variant names from --variant values (repeatable, comma separated)."""
    names = []
    for value in values or ():
        for name in value.replace(",", " ").split():
            if name not in VARIANTS:
                raise ToolError(f"unknown variant {name!r}; valid variants: "
                                f"{', '.join(VARIANTS)}")
            if name not in names:
                names.append(name)
    return names or list(DEFAULT_VARIANTS)


# --- Toolchain for the Rust variants ----------------------------------------

_LIBCLANG_NAME = re.compile(r"libclang(-\d+(\.\d+)*)?\.so(\.\d+)*$")
LIBCLANG_DIRS = ("/usr/lib/llvm-*/lib", "/usr/lib", "/usr/lib/*-linux-gnu",
                 "/usr/lib64", "/usr/local/lib")


def find_libclang(environ=os.environ, dirs=None):
    import glob
    patterns = list(LIBCLANG_DIRS if dirs is None else dirs)
    if environ.get("LIBCLANG_PATH"):
        patterns.insert(0, environ["LIBCLANG_PATH"])
    for pattern in patterns:
        for directory in sorted(glob.glob(pattern)):
            try:
                names = os.listdir(directory)
            except OSError:
                continue
            for name in sorted(names):
                if _LIBCLANG_NAME.match(name):
                    return os.path.join(directory, name)
    return None


def apt_install(layout, packages, what):
    """apt-get install `packages` (root on Debian only; `what` says why
    they are needed).  Raises ToolError when that cannot be done."""
    apt = shutil.which("apt-get")
    if not (apt and os.path.exists("/etc/debian_version")
            and hasattr(os, "geteuid") and os.geteuid() == 0):
        raise ToolError(what)
    names = " ".join(packages)
    progress(f"{what}: apt-get install -y --no-install-recommends {names}")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    install = [apt, "install", "-y", "--no-install-recommends", *packages]
    log = layout.log(f"apt-{packages[0]}.log")
    try:
        run_step(f"apt-get install {names}", install, log, env=env)
    except ToolError:
        # A fresh machine may have no package lists yet.
        progress("apt-get install failed: updating the package lists and "
                 "trying again")
        run_step("apt-get update", [apt, "update"],
                 layout.log("apt-update.log"), env=env)
        run_step(f"apt-get install {names}", install, log, env=env)


def check_rust_toolchain(layout, environ=os.environ, variant=None):
    """Make sure cargo and libclang (for bindgen) are there; install
    libclang-dev (and, for a variant with the distribution's toolchain,
    Debian's Rust) with apt-get when we can.  Raises ToolError otherwise."""
    environ = dict(environ, **dict(variant.env if variant else ()))
    cargo = environ.get("CARGO") or "cargo"
    if variant is not None and variant.env and not all(
            os.path.exists(path) for _, path in variant.env):
        os.makedirs(layout.logs, exist_ok=True)
        apt_install(layout, DISTRO_RUST_PACKAGES,
                    f"{cargo} (the distribution's Rust) is missing")
    if shutil.which(cargo, path=environ.get("PATH")) is None:
        hint = ""
        if os.path.exists(os.path.expanduser("~/.cargo/bin/cargo")):
            hint = " (~/.cargo/bin/cargo exists: run '. ~/.cargo/env')"
        raise ToolError(f"{cargo} not found on PATH{hint}: the Rust variants "
                        f"need Rust; install it with rustup "
                        f"(https://rustup.rs)")
    if find_libclang(environ):
        return
    what = ("libclang (used by bindgen to build the Rust objects) not found: "
            "install libclang-dev (Debian, Ubuntu), clang-devel (Fedora) or "
            "set LIBCLANG_PATH to the directory holding libclang.so")
    os.makedirs(layout.logs, exist_ok=True)
    apt_install(layout, ("libclang-dev",), what)
    if not find_libclang(environ):
        raise ToolError(f"{what} (apt-get installed libclang-dev but no "
                        f"libclang.so was found)")


# --- The pristine release and the working tree -------------------------------

def _remove_tree(path):
    """Remove a directory: rename it away first so that a half-removed
    tree is never taken for a good one."""
    if not os.path.lexists(path):
        return
    doomed = f"{path}.removing-{os.getpid()}"
    os.rename(path, doomed)
    shutil.rmtree(doomed)


def _read(path):
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except (OSError, UnicodeDecodeError):
        return None


def _marker_text(source):
    return f"CPython {CPYTHON_VERSION}\n{source.identity()}\n"


def ensure_pristine(layout, cpython_src=None, cpython_tarball=None,
                    environ=os.environ):
    """Make build/pristine-<version> (once) and return its marker text,
    which identifies the source it came from."""
    marker_path = os.path.join(layout.pristine, PRISTINE_MARKER)
    marker = _read(marker_path)
    explicit = (cpython_src or cpython_tarball or environ.get("CPYTHON_SRC")
                or environ.get("CPYTHON_TARBALL"))
    if os.path.isdir(layout.pristine):
        good = (marker is not None
                and marker.startswith(f"CPython {CPYTHON_VERSION}\n")
                and fetch.tree_version(layout.pristine) == CPYTHON_VERSION)
        if good and not explicit:
            return marker
        source = fetch.find_source(layout.root, cpython_src, cpython_tarball,
                                   environ)
        if good and marker == _marker_text(source):
            return marker
        why = ("comes from another source" if good else
               "is incomplete or not of this release")
        progress(f"extract: {display_path(layout.pristine)} {why}: "
                 f"making it again")
        _remove_tree(layout.pristine)
    elif os.path.lexists(layout.pristine):
        raise ToolError(f"{display_path(layout.pristine)} exists and is not "
                        f"a directory; remove it")
    else:
        source = fetch.find_source(layout.root, cpython_src, cpython_tarball,
                                   environ)
    return extract(layout, source)


def extract_tarball(tarball, dest, version=CPYTHON_VERSION):
    """Unpack the release tarball of `version` under `dest`; returns the
    path of its top directory (checked to be the only one)."""
    top = f"Python-{version}"
    with tarfile.open(tarball, "r:*") as archive:
        members = archive.getmembers()
        bad = [m.name for m in members
               if m.name != top and not m.name.startswith(top + "/")]
        if bad:
            raise ToolError(f"{tarball}: unexpected member {bad[0]!r} (not "
                            f"under {top}/)")
        if hasattr(tarfile, "data_filter"):
            archive.extractall(dest, members=members, filter="data")
        else:
            archive.extractall(dest, members=members)
    return os.path.join(dest, top)


def extract(layout, source):
    """Unpack (or copy) `source` to build/pristine-<version> through a
    temporary directory renamed at the end."""
    os.makedirs(layout.build, exist_ok=True)
    start = time.monotonic()
    progress(f"extract: {display_path(source.path)} -> "
             f"{display_path(layout.pristine)}")
    tmp = tempfile.mkdtemp(prefix=".tmp-extract-", dir=layout.build)
    try:
        if source.kind == "tarball":
            top = extract_tarball(source.path, tmp)
        else:
            top = os.path.join(tmp, "tree")
            shutil.copytree(source.path, top, symlinks=True,
                            ignore=shutil.ignore_patterns(".git",
                                                          "__pycache__"))
        if fetch.tree_version(top) != CPYTHON_VERSION:
            raise ToolError(f"{source.origin}: does not hold CPython "
                            f"{CPYTHON_VERSION}")
        marker = _marker_text(source)
        with open(os.path.join(top, PRISTINE_MARKER), "w",
                  encoding="utf-8") as f:
            f.write(marker)
        os.rename(top, layout.pristine)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    progress(f"extract: done ({time.monotonic() - start:.1f}s)")
    return marker


def _tree_state(layout):
    text = _read(os.path.join(layout.tree, TREE_STATE))
    try:
        state = json.loads(text) if text else None
    except ValueError:
        state = None
    return state if isinstance(state, dict) else None


def _write_tree_state(path, state):
    tmp = f"{path}.tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(state, f, indent=1, sort_keys=True)
        f.write("\n")
    os.replace(tmp, path)


def ensure_tree(layout, pristine_marker):
    """Make build/cpython-<version>, a copy of the pristine release (kept
    while that release does not change).  Returns whether it was made."""
    state = _tree_state(layout)
    if (os.path.isdir(layout.tree) and state is not None
            and state.get("pristine") == pristine_marker):
        return False
    start = time.monotonic()
    if os.path.lexists(layout.tree):
        progress(f"copy: {display_path(layout.tree)} is stale: "
                 f"making it again")
        _remove_tree(layout.tree)
    progress(f"copy: {display_path(layout.pristine)} -> "
             f"{display_path(layout.tree)}")
    tmp = tempfile.mkdtemp(prefix=".tmp-tree-", dir=layout.build)
    try:
        top = os.path.join(tmp, "tree")
        # copy2 keeps the release's mtimes, so make regenerates nothing.
        shutil.copytree(layout.pristine, top, symlinks=True,
                        ignore=shutil.ignore_patterns(PRISTINE_MARKER,
                                                      "__pycache__"))
        _write_tree_state(os.path.join(top, TREE_STATE),
                          {"pristine": pristine_marker, "overlaid": []})
        os.rename(top, layout.tree)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    progress(f"copy: done ({time.monotonic() - start:.1f}s)")
    return True


def is_overlaid(path):
    """Whether the repository file `path` (relative, '/'-separated) is laid
    over CPython."""
    names, prefixes = NOT_OVERLAID
    return path not in names and not path.startswith(prefixes)


def repo_files(root):
    """The repository's files that are laid over CPython: what git tracks
    plus untracked files that are not ignored, that exist on disk."""
    cmd = ["git", "ls-files", "-z", "--cached", "--others",
           "--exclude-standard"]
    try:
        proc = subprocess.run(cmd, cwd=root, capture_output=True, check=True)
    except OSError as exc:
        raise ToolError(f"cannot run git to list the repository's files: "
                        f"{exc.strerror}") from None
    except subprocess.CalledProcessError as exc:
        raise ToolError(f"git ls-files failed in {root}: "
                        f"{exc.stderr.decode(errors='replace').strip()}"
                        ) from None
    names = set(proc.stdout.decode("utf-8", "surrogateescape").split("\0"))
    return sorted(name for name in names
                  if name and is_overlaid(name)
                  and os.path.isfile(os.path.join(root, name)))


def overlay(layout, files=None):
    """Lay the repository's files over build/cpython-<version>.  Files laid
    there by an earlier run that the repository no longer has are put back
    as in the release (or removed).  Returns the list of files written."""
    start = time.monotonic()
    if files is None:
        files = repo_files(layout.root)
    state_path = os.path.join(layout.tree, TREE_STATE)
    state = _tree_state(layout) or {}
    before = set(state.get("overlaid", ()))
    # Record the union first: an interrupted overlay still knows every file
    # it may have touched.
    _write_tree_state(state_path, dict(state, overlaid=sorted(
        before | set(files))))
    changed = []
    for rel in files:
        src = os.path.join(layout.root, rel)
        with open(src, "rb") as f:
            data = f.read()
        if rel == MAKEFILE:
            with open(os.path.join(layout.pristine, MAKEFILE),
                      encoding="utf-8") as f:
                pristine_text = f.read()
            data = splice_makefile(pristine_text,
                                   data.decode("utf-8")).encode("utf-8")
        mode = os.stat(src).st_mode & 0o777
        if write_if_changed(os.path.join(layout.tree, rel), data, mode):
            changed.append(rel)
    for rel in sorted(before - set(files)):
        dest = os.path.join(layout.tree, rel)
        original = os.path.join(layout.pristine, rel)
        if os.path.isfile(original):
            # A fresh mtime, so that make rebuilds what used the overlay.
            with open(original, "rb") as f:
                data = f.read()
            if write_if_changed(dest, data, os.stat(original).st_mode & 0o777):
                changed.append(rel)
        elif os.path.lexists(dest):
            os.unlink(dest)
            changed.append(rel)
    _write_tree_state(state_path, dict(state, overlaid=sorted(files)))
    shown = ", ".join(changed[:5]) + (", ..." if len(changed) > 5 else "")
    progress(f"overlay: {len(files)} files, {len(changed)} changed"
             + (f" ({shown})" if changed else "")
             + f" ({time.monotonic() - start:.1f}s)")
    return changed


# --- Configure and make ------------------------------------------------------

def configure_reason(builddir, configure_script, flags, source):
    """Why variant `builddir` must be configured (again), or None."""
    makefile = os.path.join(builddir, "Makefile")
    status = os.path.join(builddir, "config.status")
    if not os.path.isfile(makefile):
        return "no Makefile"
    if not os.path.isfile(status):
        return "no config.status"
    if os.path.getmtime(status) < os.path.getmtime(configure_script):
        return "configure is newer than config.status"
    text = _read(os.path.join(builddir, CONFIGURE_STATE))
    try:
        state = json.loads(text) if text else None
    except ValueError:
        state = None
    if not isinstance(state, dict):
        return "no record of the configure flags"
    if state.get("source") != source:
        return "the source tree changed"
    if state.get("flags") != list(flags):
        return (f"the configure flags changed (were "
                f"{' '.join(state.get('flags') or ()) or 'none'})")
    return None


# Programs a C variant must never run: they are shadowed on its PATH.
RUST_TOOLS = ("cargo", "rustc", "rustup", "cbindgen")


def no_rust_path(layout=None):
    """A directory of stand-ins for RUST_TOOLS that fail with a clear
    message: put first on PATH, it shows that a C variant builds with no
    Rust toolchain at all."""
    layout = layout or Layout()
    path = os.path.join(layout.build, "tools", "no-rust")
    os.makedirs(path, exist_ok=True)
    for tool in RUST_TOOLS:
        script = ("#!/bin/sh\n"
                  f"echo \"error: a C variant ran {tool}: with RUST unset the "
                  f"build must not need the Rust toolchain\" >&2\n"
                  "exit 1\n")
        write_if_changed(os.path.join(path, tool), script.encode(), 0o755)
    return path


def build_env(variant=None, layout=None):
    """The environment for configure and make: without RUST and RUST_OBJECTS,
    which would change what a variant is; for a C variant, with the Rust
    toolchain shadowed (no_rust_path)."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("RUST", "RUST_OBJECTS")}
    # The sanitizer variants run the interpreter they build (to freeze
    # modules, ...); CPython does not free everything at exit, so
    # LeakSanitizer would fail the build.
    env.setdefault("ASAN_OPTIONS", "detect_leaks=0")
    if variant is not None and not variant.rust:
        env["PATH"] = no_rust_path(layout) + os.pathsep + env.get("PATH", "")
    if variant is not None:
        env.update(variant.env)
    return env


def configure(layout, name, source):
    variant = VARIANTS[name]
    builddir = variant_builddir(layout, name)
    script = os.path.join(variant_srcdir(layout, name), "configure")
    reason = configure_reason(builddir, script, variant.configure_flags,
                              source)
    if reason is None:
        return False
    state_path = os.path.join(builddir, CONFIGURE_STATE)
    old = _read(state_path)
    if old and "the source tree changed" == reason:
        progress(f"configure {name}: {display_path(builddir)} was built "
                 f"from another source: removing it")
        _remove_tree(builddir)
    os.makedirs(builddir, exist_ok=True)
    if os.path.exists(state_path):
        os.unlink(state_path)
    run_step(f"configure {name} ({reason})",
             [script, *variant.configure_flags],
             layout.log(f"{name}-configure.log"), cwd=builddir,
             env=build_env(variant, layout))
    with open(state_path, "w", encoding="utf-8") as f:
        json.dump({"flags": list(variant.configure_flags),
                   "source": source}, f)
        f.write("\n")
    return True


def make(layout, name, objects=None, jobs=None):
    variant = VARIANTS[name]
    cmd = ["make", f"-j{jobs or ncpu()}", *variant.make_args]
    if variant.rust and objects:
        cmd.append(f"RUST_OBJECTS={objects}")
    builddir = variant_builddir(layout, name)
    log = layout.log(f"{name}-make.log")
    run_step(f"make {name}", cmd, log, cwd=builddir,
             env=build_env(variant, layout))
    python = python_path(builddir)
    if not os.path.isfile(python):
        raise ToolError(f"make {name} succeeded but made no "
                        f"{display_path(python)} (is 'all' still the "
                        f"Makefile's first target?); see {display_path(log)}")


def build(layout=None, names=DEFAULT_VARIANTS, objects=None, jobs=None,
          cpython_src=None, cpython_tarball=None, summary=True):
    """Build the variants `names`; returns {name: path of its python}."""
    layout = layout or Layout()
    names = list(names)
    if objects:
        registry.select(registry.load(layout.root), objects)
    for n in names:
        if VARIANTS[n].rust:
            check_rust_toolchain(layout, variant=VARIANTS[n])
    os.makedirs(layout.logs, exist_ok=True)
    _clean_temporaries(layout)
    marker = ensure_pristine(layout, cpython_src, cpython_tarball)
    if any(not VARIANTS[n].pristine for n in names):
        ensure_tree(layout, marker)
        overlay(layout)
    if any(VARIANTS[n].rust for n in names):
        # The crates of Cargo.lock, vendored: make RUST=1 builds offline
        # from them, as in a release tree with the patch's archive.
        import vendor
        vendor.vendor(layout, layout.tree)
    pythons = {}
    for name in names:
        configure(layout, name, marker)
        make(layout, name, objects, jobs)
        pythons[name] = python_path(variant_builddir(layout, name))
    if summary:
        print_summary(layout, names)
    return pythons


def print_summary(layout, names):
    print("Interpreters:")
    width = max(len(n) for n in names)
    for name in names:
        line = (f"  {name:<{width}}  "
                f"{display_path(python_path(variant_builddir(layout, name)))}")
        if VARIANTS[name].rust:
            try:
                line += f"  (Rust objects: {rust_objects_of(layout, name)})"
            except ToolError as exc:
                line += f"  (cannot tell its Rust objects: {exc})"
        print(line, flush=True)


def _clean_temporaries(layout):
    """Remove what interrupted runs left behind."""
    try:
        names = os.listdir(layout.build)
    except OSError:
        return
    for name in names:
        if name.startswith(".tmp-") or ".removing-" in name:
            shutil.rmtree(os.path.join(layout.build, name),
                          ignore_errors=True)


def main(args):
    """Entry point of `Tools/rust build` (args from cli.py)."""
    layout = Layout()
    build(layout, parse_variants(args.variant), objects=args.objects,
          jobs=args.jobs, cpython_src=args.cpython_src,
          cpython_tarball=args.cpython_tarball)
    return 0
