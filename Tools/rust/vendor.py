"""The crates the build needs, vendored: offline builds.

`make RUST=1` builds the Rust objects with cargo, whose build script
(Modules/cpython-sys/build.rs) uses bindgen and its dependencies, all from
crates.io.  A CPython release tarball is built without a network, so the
build takes every crate from a directory of vendored sources when the tree
has one:

    Tools/rust/vendor/<name>-<version>/   one per package of Cargo.lock

`Tools/rust build` fills it in the build tree (`cargo vendor`, cached under
build/vendor-cache/ by the lock file's hash) and builds through it, as
`make RUST=1` does in a tree with the patch applied and the companion
archive `Tools/rust patch -o FILE` writes beside the patch
(FILE's stem + `-vendor.tar.xz`) unpacked at its root.  makeconf then
passes cargo `--offline` and a source replacement (`cargo_args`), so cargo
never asks a registry.

`check` compares the vendored sources with Cargo.lock (every package, at
its version and checksum, nothing else) and keeps Tools/rust/DEPENDENCIES.md
(every crate: version, licence, build time or linked into libpython,
vendored size) current.
"""

import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import tarfile

from common import ToolError, display_path, progress, run_step

VENDOR = os.path.join("Tools", "rust", "vendor")
DEPENDENCIES = os.path.join("Tools", "rust", "DEPENDENCIES.md")
CACHE = "vendor-cache"
# The crate that the make fragment builds: what it (transitively) depends on
# with normal dependencies is linked into libpython.
LINKED_ROOT = "rustobjects"


# --- Cargo.lock ---------------------------------------------------------

def lock_packages(text):
    """[{name, version, source, checksum, dependencies}] of a Cargo.lock."""
    packages = []
    for block in re.split(r"(?m)^\[\[package\]\]\s*$", text)[1:]:
        pkg = {"dependencies": []}
        for m in re.finditer(r'(?m)^(\w+)\s*=\s*"([^"]*)"\s*$', block):
            pkg[m.group(1)] = m.group(2)
        deps = re.search(r"(?ms)^dependencies\s*=\s*\[(.*?)\]", block)
        if deps:
            pkg["dependencies"] = re.findall(r'"([^"]+)"', deps.group(1))
        packages.append(pkg)
    return packages


def registry_packages(text):
    """The packages of a Cargo.lock that come from a registry (the ones
    vendoring copies; the workspace's own crates have no source)."""
    return [p for p in lock_packages(text)
            if p.get("source", "").startswith("registry+")]


def lock_digest(text):
    return hashlib.sha256(text.encode()).hexdigest()[:16]


# --- The vendored directory ---------------------------------------------

def dir_size(path):
    total = 0
    for base, _, files in os.walk(path):
        for name in files:
            total += os.path.getsize(os.path.join(base, name))
    return total


def check_vendor_dir(lock_text, vendor_dir):
    """Problems: where the vendored sources in `vendor_dir` disagree with
    the lock file (a package missing, at another version or checksum, or a
    directory that is no package of the lock file)."""
    if not os.path.isdir(vendor_dir):
        return [f"{display_path(vendor_dir)}: missing (Tools/rust build "
                f"vendors the crates of Cargo.lock there)"]
    problems = []
    expected = set()
    for pkg in registry_packages(lock_text):
        name = f"{pkg['name']}-{pkg['version']}"
        expected.add(name)
        meta = os.path.join(vendor_dir, name, ".cargo-checksum.json")
        try:
            with open(meta, encoding="utf-8") as f:
                got = json.load(f).get("package")
        except (OSError, ValueError):
            problems.append(f"{VENDOR}/{name}: missing (Cargo.lock has "
                            f"{pkg['name']} {pkg['version']})")
            continue
        if got != pkg.get("checksum"):
            problems.append(f"{VENDOR}/{name}: checksum {got} is not "
                            f"Cargo.lock's {pkg.get('checksum')}")
    for name in sorted(os.listdir(vendor_dir)):
        if name not in expected:
            problems.append(f"{VENDOR}/{name}: not a package of Cargo.lock")
    return problems


def check_vendored(tree):
    """check_vendor_dir for `tree`'s Cargo.lock and Tools/rust/vendor."""
    with open(os.path.join(tree, "Cargo.lock"), encoding="utf-8") as f:
        return check_vendor_dir(f.read(), os.path.join(tree, VENDOR))


def ensure_cache(layout, workspace, cargo="cargo"):
    """build/vendor-cache/<hash of Cargo.lock>: the crates of
    `workspace`'s Cargo.lock, made by `cargo vendor` (from a registry, or
    cargo's local cache when offline) the first time."""
    with open(os.path.join(workspace, "Cargo.lock"), encoding="utf-8") as f:
        lock = f.read()
    cache = os.path.join(layout.build, CACHE, lock_digest(lock))
    if os.path.isdir(cache):
        return cache
    tmp = f"{cache}.tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(os.path.dirname(tmp), exist_ok=True)
    os.makedirs(layout.logs, exist_ok=True)
    cmd = [cargo, "vendor", "--locked", "--versioned-dirs",
           "--manifest-path", os.path.join(workspace, "Cargo.toml"), tmp]
    run_step("cargo vendor (the crates of Cargo.lock)", cmd,
             layout.log("cargo-vendor.log"), cwd=workspace)
    os.replace(tmp, cache)
    return cache


def vendor(layout, tree, cargo="cargo"):
    """Fill `tree`/Tools/rust/vendor with the crates of its Cargo.lock
    (from ensure_cache)."""
    dest = os.path.join(tree, VENDOR)
    if os.path.isdir(dest) and not check_vendored(tree):
        return dest
    cache = ensure_cache(layout, tree, cargo)
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(cache, dest, symlinks=True)
    problems = check_vendored(tree)
    if problems:
        raise ToolError("vendored crates: " + "; ".join(problems[:5]))
    progress(f"vendor: {len(os.listdir(dest))} crates in "
             f"{display_path(dest)}")
    return dest


def cargo_args(srcdir, vendor_dir=None):
    """The cargo options that build `srcdir` from its vendored crates
    (or those in `vendor_dir`) without a network; [] when it has none."""
    vendor_dir = os.path.abspath(vendor_dir
                                 or os.path.join(srcdir, VENDOR))
    if not os.path.isdir(vendor_dir):
        return []
    return ["--offline",
            "--config", 'source.crates-io.replace-with="vendored-sources"',
            "--config",
            f'source.vendored-sources.directory="{vendor_dir}"']


def archive_name(patch_path):
    stem = patch_path[:-len(".patch")] if patch_path.endswith(".patch") \
        else patch_path
    return f"{stem}-vendor.tar.xz"


def write_archive(vendor_dir, path):
    """A reproducible tar.xz of the vendored crates in `vendor_dir`, under
    Tools/rust/vendor/ (sorted, no owners or times), to unpack at the root
    of a tree the patch was applied to.  Returns the number of files."""
    entries = []
    for dirpath, dirnames, filenames in os.walk(vendor_dir):
        dirnames.sort()
        for name in sorted(filenames):
            entries.append(os.path.join(dirpath, name))
    with tarfile.open(path, "w:xz") as tar:
        for full in entries:
            rel = os.path.join(VENDOR, os.path.relpath(full, vendor_dir))
            info = tarfile.TarInfo(rel.replace(os.sep, "/"))
            with open(full, "rb") as f:
                data = f.read()
            info.size = len(data)
            info.mode = 0o755 if os.access(full, os.X_OK) else 0o644
            tar.addfile(info, io.BytesIO(data))
    return len(entries)


def unpack_archive(path, tree):
    with tarfile.open(path, "r:xz") as tar:
        for member in tar.getmembers():
            if not member.isfile() or member.name.startswith(("/", "..")) \
                    or "/../" in member.name \
                    or not member.name.startswith("Tools/rust/vendor/"):
                raise ToolError(f"{path}: unexpected member {member.name!r}")
        if hasattr(tarfile, "data_filter"):
            tar.extractall(tree, filter="data")
        else:
            tar.extractall(tree)


# --- The dependency table -----------------------------------------------

def _toml_field(text, key):
    m = re.search(r'(?m)^%s\s*=\s*"([^"]*)"' % re.escape(key), text)
    return m.group(1) if m else None


def crate_licence(crate_dir):
    try:
        with open(os.path.join(crate_dir, "Cargo.toml"),
                  encoding="utf-8") as f:
            text = f.read()
    except OSError:
        return "?"
    return (_toml_field(text, "license")
            or (f"file {_toml_field(text, 'license-file')}"
                if _toml_field(text, "license-file") else "?"))


def closure(metadata, roots, kinds=None):
    """Names of the packages the packages named `roots` reach in `cargo
    metadata` output, through dependencies of `kinds` (None: any kind;
    {None}: normal dependencies only, not build or dev ones)."""
    ids = {p["id"]: p["name"] for p in metadata["packages"]}
    nodes = {n["id"]: n for n in metadata["resolve"]["nodes"]}
    todo = [i for i, name in ids.items() if name in roots]
    seen = set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for dep in nodes.get(node, {}).get("deps", []):
            if kinds is None or any(k.get("kind") in kinds
                                    for k in dep.get("dep_kinds", [])):
                todo.append(dep["pkg"])
    return {ids[i] for i in seen}


def host_triple():
    from common import rustc_host
    triple = rustc_host()
    if not triple:
        raise ToolError("rustc -vV names no host")
    return triple


def cargo_metadata(workspace, vendor_dir, cargo="cargo", platform=None):
    # --all-features: what any selection of objects (rustobjects' optional
    # dependencies, one per object) can link.
    cmd = [cargo, "metadata", "--format-version", "1", "--locked",
           "--all-features",
           "--manifest-path", os.path.join(workspace, "Cargo.toml"),
           *cargo_args(workspace, vendor_dir)]
    if platform:
        cmd += ["--filter-platform", platform]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=workspace)
    if proc.returncode:
        raise ToolError(f"{' '.join(cmd)} failed: {proc.stderr.strip()}")
    return json.loads(proc.stdout)


def dependency_rows(workspace, vendor_dir, cargo="cargo"):
    """[(name, version, licence, use, size in bytes)] for every registry
    package of `workspace`'s Cargo.lock, from the vendored sources."""
    with open(os.path.join(workspace, "Cargo.lock"), encoding="utf-8") as f:
        packages = registry_packages(f.read())
    here = cargo_metadata(workspace, vendor_dir, cargo, host_triple())
    members = {p["name"] for p in here["packages"] if p.get("source") is None}
    linked = closure(here, {LINKED_ROOT}, kinds={None})
    built = closure(here, members)
    rows = []
    for p in packages:
        crate = os.path.join(vendor_dir, f"{p['name']}-{p['version']}")
        if p["name"] in linked:
            use = "linked into libpython"
        elif p["name"] in built:
            use = "build scripts (bindgen, cc)"
        else:
            use = "not built here (other platforms)"
        rows.append((p["name"], p["version"], crate_licence(crate), use,
                     dir_size(crate) if os.path.isdir(crate) else 0))
    return rows


def check_dependencies(layout, root, fail, ok, write=False):
    """The vendored crates of the repository's Cargo.lock are complete and
    Tools/rust/DEPENDENCIES.md is their table (`write`: rewrite it)."""
    from common import write_if_changed
    try:
        with open(os.path.join(root, "Cargo.lock"), encoding="utf-8") as f:
            lock = f.read()
    except FileNotFoundError:
        ok(f"vendor: {display_path(root)} has no Cargo.lock (a tree without "
           f"the workspace): nothing to vendor")
        return
    try:
        cache = ensure_cache(layout, root)
    except ToolError as exc:
        fail(f"vendor: {exc}")
        return
    problems = check_vendor_dir(lock, cache)
    for p in problems:
        fail(f"vendor: {p}")
    if not problems:
        ok(f"vendor: the {len(os.listdir(cache))} vendored crates are "
           f"Cargo.lock's")
    try:
        text = render_dependencies(dependency_rows(root, cache))
    except ToolError as exc:
        fail(f"vendor: {exc}")
        return
    path = os.path.join(root, DEPENDENCIES)
    if write:
        if write_if_changed(path, text):
            progress(f"regen: wrote {DEPENDENCIES}")
        return
    try:
        with open(path, encoding="utf-8") as f:
            old = f.read()
    except OSError:
        old = None
    if old != text:
        fail(f"{DEPENDENCIES} is not the table of Cargo.lock's crates: "
             f"run python3 Tools/rust regen")
    else:
        ok(f"{DEPENDENCIES} is current")


def render_dependencies(rows):
    total = sum(r[4] for r in rows)
    linked = [r for r in rows if r[3].startswith("linked")]
    lines = [
        "# Crates the Rust objects build with",
        "",
        "Generated by `python3 Tools/rust regen` from Cargo.lock and the "
        "vendored sources (Tools/rust/vendor.py); `python3 Tools/rust "
        "check` fails when it is stale.  The build takes every crate from "
        "the vendored sources, offline.",
        "",
        f"{len(rows)} crates from crates.io, {total / 1e6:.1f} MB vendored; "
        f"linked into libpython: "
        + (", ".join(r[0] for r in linked) if linked else
           "none (only the workspace's own crates and `core`)") + ".",
        "",
        "| crate | version | licence | use | vendored size |",
        "|---|---|---|---|---:|",
    ]
    for name, version, licence, use, size in sorted(rows):
        lines.append(f"| {name} | {version} | {licence} | {use} | "
                     f"{size / 1024:.0f} KiB |")
    return "\n".join(lines) + "\n"
