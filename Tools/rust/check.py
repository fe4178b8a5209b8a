"""`Tools/rust check`: check the Rust objects against their C twins.

    python3 Tools/rust check [--srcdir DIR] [--builddir DIR ...]
                             [--accept NAME ...] [--no-cargo] [--patch]

For every registry object (Tools/rust/objects.json):

  registry  the crate, its Cargo.toml, cbindgen.toml and src/lib.rs exist;
            its build script calls cpython_build::check_layouts and the
            crate includes layout_checks.rs;
  headers   Include/internal/pycore_<name>_rs.h is what cbindgen makes
            from the crate (not hand-edited, not stale);
  drift     the C twin in the source tree (--srcdir) is the one the port
            was made from (`c_sha256`); if not, the C diff since the
            recorded text (the release `c_release`'s, or
            Tools/rust/twins/<name>.c for an accepted twin that differs
            from it) is printed.  The same for everything else the Rust
            code mirrors (Tools/rust/mirrors.json, see mirrors.py): the
            clinic headers, and each inline function, macro, constant and
            struct of the headers and other C files that it reproduces,
            compared definition by definition.  And every error message and
            PyDoc_STR docstring of a C twin must be in its Rust crate.
            `--accept NAME` records the current C twin and the object's
            mirrors deliberately (`--accept cpython-sys`: the shared ones).
  vendor    every package of Cargo.lock is vendored (cargo vendor, cached
            under build/vendor-cache/) at its version and checksum, and
            Tools/rust/DEPENDENCIES.md is their table (crate, version,
            licence, build time or linked into libpython, size; `Tools/rust
            regen` rewrites it);
  bench     the benchmark matrix (Tools/rust/benchmatrix.py) has a row for
            every method, getter and slot of each C twin, and the recorded
            results (Tools/rust/bench-results.json, rendered as
            BENCHMARKS.md) are of the current matrix;
  wiring    the workspace member, the bundling crate's feature, optional
            dependency and re-export, the crate's package name and
            workspace lints (what `Tools/rust new NAME` writes);
  twins     every C function of the C twin has a Rust twin: a function of
            the same name, or a `// C: name` comment at the code that does
            its work (`Tools/rust review NAME` shows the pairs);
  boundary  the object crates call no raw binding (`ffi::Name(...)`) and no
            reimplemented inline function (`inline::Name(...)`): every call
            goes through the safe layer of Modules/cpython-sys.

and, for every Rust build directory (--builddir, default: each build/*-rust
variant of the repository that is configured):

  prototypes  a C file including Python.h, the headers the C twin includes
              and the generated header compiles with the build's flags and
              -Werror: a Rust export whose type disagrees with C's
              declaration is a "conflicting types" error;
  symbols     the global symbols (name and function/data) of the C twin
              compiled with the build's flags equal what the crate
              contributes to Objects/rustobjects.o, both ways; every symbol
              Objects/rustobjects.o needs comes from libpython, libc or libm;
  layout      `cargo check` of the crates against the build's headers: the
              compile-time layout assertions (cpython-build::layout) hold
              in this variant (--no-cargo skips it);
  lints       clippy -D warnings with the workspace lints of Cargo.toml
              (every unsafe block has its `// SAFETY:` comment, every
              unsafe fn its `# Safety` section, `unsafe_op_in_unsafe_fn`,
              no unwrap/expect/panic!/unreachable! outside tests), once per
              configuration (GIL or free-threaded, release or debug: their
              cfgs differ); then `cargo fmt --check`.

The symbols are those of the build as built: rebuild (make RUST=1) after
changing a crate.  --patch also applies `Tools/rust patch` to a fresh copy of
the pristine release and builds it with RUST=1 (a full CPython build).

Exit status 0 when everything holds, 1 otherwise; each problem names the
file it is about.
"""

import argparse
import difflib
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

import contract
import mirrors
import registry
from contract import ContractError, rel
from common import write_if_changed


class Report:
    def __init__(self, out=sys.stdout):
        self.problems = []
        self.out = out

    def ok(self, message):
        print(f"check: ok: {message}", file=self.out, flush=True)

    def note(self, message):
        print(f"check: {message}", file=self.out, flush=True)

    def fail(self, message):
        self.problems.append(message)
        print(f"check: FAIL: {message}", file=self.out, flush=True)


# --- Registry, crates, hooks ------------------------------------------------------

def check_registry(root, objects, report):
    good = []
    for obj in objects.values():
        try:
            contract.check_crate(root, obj)
        except ContractError as exc:
            report.fail(str(exc))
            continue
        good.append(obj)
        build_rs = os.path.join(root, obj.crate, "build.rs")
        text = contract.read_text(build_rs) or ""
        if not re.search(r"\bcheck_layouts(_except)?\(", text):
            report.fail(f"{obj.crate}/build.rs: does not call "
                        f"cpython_build::check_layouts(\"{obj.c_file}\") "
                        f"(layout parity with the C twin)")
            continue
        srcs = []
        for dirpath, _, files in os.walk(os.path.join(root, obj.crate, "src")):
            srcs += [os.path.join(dirpath, f) for f in files
                     if f.endswith(".rs")]
        if not any("layout_checks.rs" in (contract.read_text(p) or "")
                   for p in srcs):
            report.fail(f"{obj.crate}/src/lib.rs: does not include "
                        f"layout_checks.rs (add `include!(concat!(env!("
                        f"\"OUT_DIR\"), \"/layout_checks.rs\"));`)")
    if len(good) == len(objects):
        report.ok(f"registry: {len(objects)} object(s), crates complete")
    return good


def check_headers(root, objects, report):
    import regen
    try:
        problems = regen.regen(root, write=False)
    except ContractError as exc:
        report.fail(str(exc))
        return
    for _, problem in problems:
        report.fail(problem)
    if not problems:
        report.ok("headers: " + ", ".join(
            contract.rel(root, contract.header_path(root, o))
            for o in objects.values()) + " up to date")


# --- Drift --------------------------------------------------------------------------

def pristine_twin_path(root, obj):
    """The C twin in the pristine release the tool unpacked (build/)."""
    from common import Layout
    return os.path.join(Layout(root).pristine, obj.c_file)


def release_twin_path(root, obj):
    """The C twin in the release it was recorded from (`c_release`), when
    that is not the pinned one and its tarball is at hand."""
    from common import CPYTHON_VERSION
    if not obj.c_release or obj.c_release == CPYTHON_VERSION:
        return None
    try:
        tree = mirrors.release_tree(root, obj.c_release)
    except (KeyError, mirrors.MirrorError):
        return None
    return os.path.join(tree, obj.c_file) if tree else None


def recorded_twin(root, obj):
    """The text of the C twin the port was made from, and where it came from
    (None, reason when it is not available).  A port of the pinned release
    needs no copy in the repository (CPython's own files are never
    committed): the text is the pristine release's.  Only an accepted twin
    that differs from the release is kept in Tools/rust/twins/."""
    candidates = [contract.twin_copy_path(root, obj),
                  pristine_twin_path(root, obj)]
    older = release_twin_path(root, obj)
    if older:
        candidates.append(older)
    for path in candidates:
        if os.path.isfile(path) and contract.sha256_file(path) == obj.c_sha256:
            with open(path, encoding="utf-8", errors="surrogateescape") as f:
                return f.read(), rel(root, path)
    return None, (f"neither {' nor '.join(rel(root, p) for p in candidates)} "
                  f"has the recorded c_sha256 {obj.c_sha256[:12]}")


def check_drift(root, srcdir, objects, report):
    before = len(report.problems)
    for obj in objects.values():
        try:
            path = contract.c_twin_path(srcdir, obj)
        except ContractError as exc:
            report.fail(str(exc))
            continue
        recorded, origin = recorded_twin(root, obj)
        if recorded is None:
            report.fail(f"{origin}: the recorded C twin of {obj.name} is "
                        f"needed (`python3 Tools/rust check --accept "
                        f"{obj.name}` records the current one)")
        digest = contract.sha256_file(path)
        if digest == obj.c_sha256:
            continue
        with open(path, encoding="utf-8", errors="surrogateescape") as f:
            current = f.read()
        diff = ""
        if recorded is not None:
            diff = "".join(difflib.unified_diff(
                recorded.splitlines(True), current.splitlines(True),
                f"{obj.c_file} (ported, {origin})", f"{path} (now)"))
        report.fail(
            f"{path}: the C twin of {obj.name} changed since the port "
            f"(sha256 {digest[:12]}, recorded {obj.c_sha256[:12]}): port the "
            f"change to {obj.crate}, then `python3 Tools/rust check --accept "
            f"{obj.name}`" + (f"\n{diff}" if diff else ""))
    if len(report.problems) == before:
        report.ok(f"drift: the C twins in {srcdir} are the ported ones")
    try:
        data = mirrors.load(root)
    except mirrors.MirrorError as exc:
        report.fail(str(exc))
        return
    mirrors.check(root, srcdir, data, objects, report.fail, report.ok)
    mirrors.check_coverage(root, data, report.fail, report.ok)
    mirrors.check_messages(root, srcdir, objects, data, report.fail,
                           report.ok)


def check_bench(root, srcdir, objects, report):
    """The benchmark matrix covers every method, getter and slot of each C
    twin, and the recorded results (BENCHMARKS.md) are the matrix's."""
    import bench
    import benchmatrix
    c_files = [obj.c_file for obj in objects.values()]
    try:
        missing = benchmatrix.uncovered(bench.BENCHMARKS, srcdir, c_files)
    except OSError as exc:
        report.fail(f"bench: cannot read a C twin: {exc}")
        return
    for c_file, op in missing:
        report.fail(f"bench: {op} ({c_file}) has no row in the benchmark "
                    "matrix: add one to Tools/rust/benchmatrix.py (with "
                    f"covers=[{op!r}])")
    if not missing:
        report.ok(f"bench: the matrix ({len(bench.BENCHMARKS)} rows) covers "
                  "every method, getter and slot of the C twins")
    bench.check_record(root, report.fail, report.ok)


def check_vendor(root, report):
    """Every crate of Cargo.lock vendored at its version and checksum, and
    Tools/rust/DEPENDENCIES.md their current table (vendor.py)."""
    import vendor
    from common import Layout
    vendor.check_dependencies(Layout(root), root, report.fail, report.ok)


def accept(root, srcdir, objects, names, report):
    """Record the current C twin of each of `names`."""
    reg_path = os.path.join(root, registry.REGISTRY)
    try:
        data = mirrors.load(root)
        version = mirrors.accept(root, srcdir, data, names, objects,
                                 report.note)
    except mirrors.MirrorError as exc:
        raise ContractError(str(exc)) from None
    mirrors.save(root, data)
    for name in names:
        if name == mirrors.SHARED:
            continue
        if name not in objects:
            raise ContractError(f"--accept {name}: no such object in "
                                f"{registry.REGISTRY}; valid names: "
                                f"{', '.join(objects)}, {mirrors.SHARED}")
        obj = objects[name]
        path = contract.c_twin_path(srcdir, obj)
        digest = contract.sha256_file(path)
        text = contract.read_text(reg_path)
        text = _set_field(reg_path, text, name, "c_sha256", digest)
        text = _set_field(reg_path, text, name, "c_release", version)
        write_if_changed(reg_path, text)
        copy = contract.twin_copy_path(root, obj)
        pristine = pristine_twin_path(root, obj)
        if (os.path.isfile(pristine)
                and contract.sha256_file(pristine) == digest):
            # The release's own text: no copy of a CPython file is kept.
            if os.path.exists(copy):
                os.unlink(copy)
            where = rel(root, pristine)
        else:
            os.makedirs(os.path.dirname(copy), exist_ok=True)
            shutil.copyfile(path, copy)
            where = rel(root, copy)
        report.note(f"accepted {path} for {name}: c_sha256 {digest}, text "
                    f"recorded in {where}")


def _set_field(reg_path, text, name, field, value):
    """The registry text with the string `field` of entry `name` set to
    `value` (edited in place, so the file keeps its layout)."""
    pattern = re.compile(r'("%s"\s*:\s*\{[^{}]*?"%s"\s*:\s*")([^"]*)(")'
                         % (re.escape(name), re.escape(field)))
    if len(pattern.findall(text)) != 1:
        raise ContractError(f"{reg_path}: cannot find the {field} of "
                            f"{name!r} to update")
    return pattern.sub(lambda m: m.group(1) + value + m.group(3), text)


# --- Per build directory --------------------------------------------------------

def check_prototypes(root, bdir, obj, tmp, report):
    srcdir = bdir.srcdir
    header = contract.header_path(root, obj)
    if not os.path.isfile(header):
        return  # reported by the header check
    c_path = contract.c_twin_path(srcdir, obj)
    with open(c_path, encoding="utf-8", errors="replace") as f:
        includes = contract.twin_includes(f.read())
    tu = os.path.join(tmp, f"prototypes_{obj.name}.c")
    with open(tu, "w", encoding="utf-8") as f:
        f.write(f"/* Tools/rust check: the declarations {obj.c_file} sees, "
                f"then what {obj.crate} exports. */\n")
        if '"Python.h"' not in includes:
            f.write('#include "Python.h"\n')
        for inc in includes:
            f.write(f"#include {inc}\n")
        f.write(f'#include "{header}"\n')
    status, output, cmd = bdir.compile(tu, tu[:-2] + ".o", ["-Werror"])
    where = rel(root, header)
    if status:
        report.fail(f"{where}: does not agree with the C declarations "
                    f"({bdir.path}):\n$ {shlex.join(cmd)}\n{output}")
    else:
        report.ok(f"prototypes: {where} agrees with C's declarations "
                  f"({os.path.basename(bdir.path)})")


def check_symbols(root, bdir, obj, lib, rustobj_defs, tmp, report):
    c_path = contract.c_twin_path(bdir.srcdir, obj)
    c_obj = os.path.join(tmp, f"{obj.name}.o")
    status, output, cmd = bdir.compile(c_path, c_obj)
    if status:
        report.fail(f"{c_path}: does not compile with the flags of "
                    f"{bdir.path}:\n{output}")
        return
    # ASan's one-definition-rule indicators (`__odr_asan.NAME`) of the C
    # object's globals are instrumentation, not part of the C API.
    c_syms = {s: k for s, k in contract.defined_globals(c_obj).items()
              if not s.startswith("__odr_asan")}
    rust_syms = contract.crate_exports(lib, obj.name)
    # What the crate contributes is what survives in rustobjects.o.
    lost = sorted(s for s in rust_syms if s not in rustobj_defs)
    for sym in lost:
        report.fail(f"{bdir.path}/Objects/rustobjects.o: {sym}, exported by "
                    f"{obj.crate}, is not global in it")
    rust_syms = {s: k for s, k in rust_syms.items() if s in rustobj_defs}
    problems = contract.compare_symbols(c_syms, rust_syms)
    if problems:
        report.fail(f"{obj.crate}: symbols differ from {obj.c_file}'s "
                    f"({os.path.basename(bdir.path)}):\n  "
                    + "\n  ".join(problems))
    else:
        report.ok(f"symbols: {obj.name}: {len(c_syms)} global symbol(s), "
                  f"the same in C and Rust ({os.path.basename(bdir.path)})")


# configure option -> the prefix of what its sanitizer runtime defines.
SANITIZER_RUNTIMES = (
    ("--with-address-sanitizer", "__asan_"),
    ("--with-undefined-behavior-sanitizer", "__ubsan_"),
    ("--with-memory-sanitizer", "__msan_"),
    ("--with-thread-sanitizer", "__tsan_"),
)


def sanitizer_runtime(config_args):
    """The symbol prefixes of the sanitizer runtimes a build configured
    with `config_args` links (the compiler driver adds them): the hooks
    of instrumented code, defined by neither libpython nor libc."""
    return tuple(prefix for option, prefix in SANITIZER_RUNTIMES
                 if option in config_args)


def check_undefined(bdir, rustobj, report):
    libs = bdir.libpython()
    if not libs:
        report.fail(f"{bdir.path}: no libpython ({bdir.var('LIBRARY')}) to "
                    f"resolve Objects/rustobjects.o against: build it first")
        return
    provided = set(contract.LINKER_DEFINED)
    for lib in libs:
        dynamic = ".so" in os.path.basename(lib)
        provided |= set(contract.defined_globals(lib, dynamic=dynamic))
    program = os.path.join(bdir.path, "python")
    for lib in contract.system_libs(bdir.cc, program):
        provided |= set(contract.defined_globals(lib, dynamic=True))
    runtime = sanitizer_runtime(bdir.var("CONFIG_ARGS"))
    # __start_SECTION/__stop_SECTION: defined by the linker for a section
    # of that name (ASan's instrumented globals, asan_globals).
    missing = [s for s in contract.undefined(rustobj) if s not in provided
               and not (runtime and s.startswith(runtime))
               and not s.startswith(("__start_", "__stop_"))]
    if missing:
        report.fail(f"{rustobj}: needs symbols that neither libpython nor "
                    f"libc/libm (or the dynamic loader) define: "
                    f"{', '.join(missing)}")
    else:
        report.ok(f"undefined: every symbol Objects/rustobjects.o needs is "
                  f"in libpython, libc or libm ({os.path.basename(bdir.path)})")


# The function forms of what C's object code gets inline (reference
# counting, type and size access, tuple/list item access): the Rust objects
# reimplement these (Modules/cpython-sys/src/inline.rs, checked against the
# C macros by tests/inline.rs), so a call to one of them in the Rust
# library means a hot path lost its inlining.
OUT_OF_LINE_INLINES = (
    "Py_IncRef", "Py_DecRef", "Py_XIncRef", "Py_XDecRef", "Py_NewRef",
    "Py_XNewRef", "_Py_IncRef", "_Py_DecRef", "Py_TYPE", "Py_SIZE",
    "Py_REFCNT", "Py_Is", "PyTuple_Size", "PyTuple_GetItem",
    "PyTuple_SetItem", "PyList_Size", "PyList_GetItem", "PyList_SetItem",
    "PyType_HasFeature", "PyType_GetFlags",
)


def check_inlined(rustobj, report):
    undefined = set(contract.undefined(rustobj))
    calls = sorted(undefined & set(OUT_OF_LINE_INLINES))
    if calls:
        report.fail(f"{rustobj}: calls the out-of-line forms of inline "
                    f"C API: {', '.join(calls)} (use cpython_sys::inline)")
    else:
        report.ok("inline: the Rust objects call none of "
                  + ", ".join(OUT_OF_LINE_INLINES[:4]) + ", ... ("
                  + str(len(OUT_OF_LINE_INLINES)) + " functions)")


def check_layouts(root, bdir, objects, report, target_dir=None):
    cargo = os.environ.get("CARGO") or "cargo"
    env = dict(os.environ, CPYTHON_SRCDIR=bdir.srcdir,
               CPYTHON_BUILDDIR=bdir.path,
               CPYTHON_CFLAGS=bdir.var("PY_CORE_CFLAGS"))
    cmd = [cargo, "check", "--locked", "--quiet",
           "--manifest-path", os.path.join(root, "Cargo.toml"),
           "--profile", bdir.profile(),
           "--target-dir", target_dir or os.path.join(bdir.path,
                                                      "rust-target")]
    for obj in objects:
        cmd += ["-p", obj.name]
    # In the repository, so that cargo reads its .cargo/config.toml: the
    # same flags as the build's, no rebuild of the crates for one another.
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True,
                          cwd=root)
    if proc.returncode:
        errors = [line for line in proc.stderr.splitlines()
                  if "layout:" in line or line.startswith("error")]
        report.fail(f"cargo check against {bdir.path} failed"
                    + (" (layout parity)" if any("layout:" in e
                                                 for e in errors) else "")
                    + f":\n$ {shlex.join(cmd)}\n"
                    + "\n".join(proc.stderr.splitlines()[-40:]))
    else:
        report.ok(f"layout: the #[repr(C)] structs of "
                  f"{', '.join(o.name for o in objects)} match C's "
                  f"({os.path.basename(bdir.path)}, cargo check)")


def check_builddir(root, path, objects, report, cargo=True,
                   target_dir=None):
    try:
        bdir = contract.BuildDir(path)
    except ContractError as exc:
        report.fail(str(exc))
        return
    name = os.path.basename(bdir.path)
    report.note(f"build directory {bdir.path} (sources {bdir.srcdir})")
    mk = bdir.rust_mk()
    selected = mk.get("RUST_SELECTED", "").split()
    with tempfile.TemporaryDirectory(prefix="rust-check-") as tmp:
        for obj in objects:
            try:
                check_prototypes(root, bdir, obj, tmp, report)
            except ContractError as exc:
                report.fail(str(exc))
        rustobj = os.path.join(bdir.path, "Objects", "rustobjects.o")
        profile = mk.get("RUST_PROFILE") or bdir.profile()
        # A sanitizer build names its target: rust-target/<triple>/...
        lib = os.path.join(bdir.path, "rust-target",
                           mk.get("RUST_LIB_SUBDIR", ""), profile,
                           "librustobjects.a")
        if not selected or not os.path.isfile(rustobj):
            report.fail(f"{rustobj}: missing: {bdir.path} was not built "
                        f"with make RUST=1")
        elif not os.path.isfile(lib):
            report.fail(f"{lib}: missing (the cargo output of make RUST=1)")
        else:
            rustobj_defs = contract.defined_globals(rustobj)
            for obj in objects:
                if obj.name not in selected:
                    report.note(f"symbols: {obj.name} is not linked in "
                                f"{name} (RUST_OBJECTS): skipped")
                    continue
                try:
                    check_symbols(root, bdir, obj, lib, rustobj_defs, tmp,
                                  report)
                except ContractError as exc:
                    report.fail(str(exc))
            check_undefined(bdir, rustobj, report)
            check_inlined(rustobj, report)
    if cargo:
        check_layouts(root, bdir, objects, report, target_dir)


# --- Wiring, lints, twins, boundary -----------------------------------------------

def _toml(path):
    import tomllib      # Python 3.11+ (the tool itself needs 3.10)
    with open(path, "rb") as f:
        return tomllib.load(f)


def check_wiring(root, objects, report):
    """What the registry implies outside the object's crate, present: the
    workspace member, the bundling crate's feature, optional dependency
    and re-export, and the crate's package name and workspace lints (what
    `Tools/rust new` writes)."""
    import importlib.util
    if importlib.util.find_spec("tomllib") is None:
        report.note("wiring: not checked (needs Python 3.11's tomllib)")
        return
    try:
        ws = _toml(os.path.join(root, "Cargo.toml"))
        bundle = _toml(os.path.join(root, "Objects", "rustobjects",
                                    "Cargo.toml"))
    except (OSError, ValueError) as exc:
        report.fail(f"wiring: cannot read the workspace manifests: {exc}")
        return
    members = ws.get("workspace", {}).get("members", [])
    features = bundle.get("features", {})
    deps = bundle.get("dependencies", {})
    lib = contract.read_text(os.path.join(
        root, "Objects", "rustobjects", "src", "lib.rs")) or ""
    for obj in objects:
        missing = []
        if obj.crate not in members:
            missing.append(f"Cargo.toml: [workspace] members has no "
                           f"\"{obj.crate}\"")
        if features.get(obj.name) != [f"dep:{obj.name}"]:
            missing.append(f"Objects/rustobjects/Cargo.toml: no feature "
                           f"{obj.name} = [\"dep:{obj.name}\"]")
        dep = deps.get(obj.name)
        if not (isinstance(dep, dict) and dep.get("optional") and
                os.path.normpath(os.path.join("Objects", "rustobjects",
                                              dep.get("path", ""))) ==
                os.path.normpath(obj.crate)):
            missing.append(f"Objects/rustobjects/Cargo.toml: no optional "
                           f"dependency {obj.name} = {{ path = "
                           f"\"../{os.path.basename(obj.crate)}\" }}")
        if not re.search(r'#\[cfg\(feature = "%s"\)\]\s*pub use %s;'
                         % (obj.name, obj.name), lib):
            missing.append(f"Objects/rustobjects/src/lib.rs: no "
                           f"`#[cfg(feature = \"{obj.name}\")] pub use "
                           f"{obj.name};`")
        try:
            own = _toml(os.path.join(root, obj.crate, "Cargo.toml"))
        except (OSError, ValueError) as exc:
            missing.append(f"{obj.crate}/Cargo.toml: {exc}")
            own = {}
        if own and own.get("package", {}).get("name") != obj.name:
            missing.append(f"{obj.crate}/Cargo.toml: the package is not "
                           f"named {obj.name}")
        if own and own.get("lints", {}).get("workspace") is not True:
            missing.append(f"{obj.crate}/Cargo.toml: no [lints] workspace "
                           "= true (the unsafe rules)")
        if missing:
            report.fail(f"wiring: {obj.name} (registry entry) is not wired "
                        "in: " + "; ".join(missing) + " (`Tools/rust new` "
                        "writes all of it)")
        else:
            report.ok(f"wiring: {obj.name}: workspace member, feature, "
                      f"dependency, re-export, lints")


def check_lints(root, bdir, report, target_dir=None):
    """clippy with -D warnings over the workspace, with the build's cfgs:
    the workspace lints of Cargo.toml (`// SAFETY:` on every unsafe block,
    `# Safety` on every unsafe fn, no panicking shortcuts in library code)
    and clippy's defaults; and rustfmt."""
    cargo = os.environ.get("CARGO") or "cargo"
    env = dict(os.environ, CPYTHON_SRCDIR=bdir.srcdir,
               CPYTHON_BUILDDIR=bdir.path,
               CPYTHON_CFLAGS=bdir.var("PY_CORE_CFLAGS"))
    target = ["--target-dir", target_dir or os.path.join(bdir.path,
                                                         "rust-target")]
    manifest = ["--manifest-path", os.path.join(root, "Cargo.toml")]
    # The build's crate source (the vendored crates, offline), as make
    # RUST=1 used it.
    source = shlex.split(bdir.rust_mk().get("RUST_CARGO_SOURCE", ""))
    objects = [o.name for o in contract.load_objects(root).values()]
    runs = [
        # Every crate and target but the bundling crate's test harness (a
        # no_std staticlib with its panic handler cannot be a test binary).
        [cargo, "clippy", "--locked", "--quiet", *source, *manifest,
         *target, "--workspace", "--exclude", "rustobjects", "--all-targets",
         "--", "-D", "warnings"],
        [cargo, "clippy", "--locked", "--quiet", *source, *manifest,
         *target, "-p", "rustobjects", "--lib", "--features",
         ",".join(objects), "--", "-D", "warnings"],
    ]
    failed = False
    for cmd in runs:
        if failed:
            break       # the second run lints the same crates again
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True,
                              cwd=root)
        if proc.returncode:
            failed = True
            report.fail(f"lints: clippy against {bdir.path} failed:\n"
                        f"$ {shlex.join(cmd)}\n"
                        + "\n".join(proc.stderr.splitlines()[-60:]))
    if not failed:
        report.ok(f"lints: clippy -D warnings with the workspace lints "
                  f"(SAFETY comments, Safety sections, no panicking "
                  f"shortcuts) ({os.path.basename(bdir.path)})")


def check_format(root, report):
    """rustfmt over the workspace (`cargo fmt --check`)."""
    cargo = os.environ.get("CARGO") or "cargo"
    manifest = ["--manifest-path", os.path.join(root, "Cargo.toml")]
    rustfmt = shutil.which("rustfmt") or os.path.join(
        os.path.dirname(shutil.which(cargo) or cargo), "rustfmt")
    if not os.path.exists(rustfmt):
        report.note("lints: rustfmt not installed: formatting not checked")
        return
    cmd = [cargo, "fmt", "--all", *manifest, "--", "--check"]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=root)
    if proc.returncode:
        lines = (proc.stdout + proc.stderr).splitlines()[:40]
        report.fail("lints: cargo fmt --check: files not formatted (run "
                    "`cargo fmt --all`):\n" + "\n".join(lines))
    else:
        report.ok("lints: cargo fmt --check")


def check_twins(root, srcdir, objects, report):
    """Every C function of a registered object has a findable Rust twin:
    a function of the same name or a `// C: name` marker (review.py)."""
    import review
    for obj in objects:
        try:
            _, c_funcs, rust_funcs, marked = review.review(root, srcdir, obj)
        except ContractError as exc:
            report.fail(str(exc))
            continue
        pairs = review.pair(c_funcs, rust_funcs, marked)
        missing = [n for n, _, _ in c_funcs if n not in pairs]
        if missing:
            report.fail(f"twins: {obj.name}: {len(missing)} C function(s) "
                        f"of {obj.c_file} without a Rust twin (a function "
                        f"of the same name, or a `// C: NAME` comment at "
                        f"the code that does its work): "
                        f"{', '.join(missing)}")
        else:
            report.ok(f"twins: {obj.name}: all {len(c_funcs)} C functions "
                      f"of {obj.c_file} have a Rust twin")


# A call of a raw binding (`ffi::Name(`) in an object crate, and any use
# of the reimplemented inline functions (`inline::`).  Naming a binding
# without calling it (a type, a constant, a function pointer in a slot
# table) is a declaration and allowed.
_RAW_CALL = re.compile(r"\bffi::([A-Za-z_]\w*)\s*\(")
_INLINE = re.compile(r"\binline::(\{[^}]*\}|[A-Za-z_]\w*)")
_FFI_IMPORT = re.compile(r"\buse\s+cpython_sys::ffi::(\{[^}]*\}|[A-Za-z_]\w*)\s*;")


def raw_calls(text):
    """[(line number, "ffi::Name")] of the raw calls in Rust source `text`
    (comments and literals ignored): `ffi::Name(...)`, a function imported
    from `ffi` and called by its bare name, and any `inline::` path."""
    import review
    masked = review.mask_rust(text)
    found = []
    for m in _RAW_CALL.finditer(masked):
        found.append((m.start(), f"ffi::{m.group(1)}"))
    for m in _INLINE.finditer(masked):
        found.append((m.start(), f"inline::{m.group(1)}"))
    imported = set()
    for m in _FFI_IMPORT.finditer(masked):
        imported |= {n.strip().split(" as ")[-1].strip()
                     for n in m.group(1).strip("{}").split(",")
                     if n.strip() and n.strip() != "self"}
    for name in sorted(imported):
        for m in re.finditer(r"(?<![\w:])%s\s*\(" % re.escape(name),
                             masked):
            found.append((m.start(), f"ffi::{name}"))
    return sorted((masked.count("\n", 0, pos) + 1, what)
                  for pos, what in found)


def check_boundary(root, objects, report):
    """Object crates call CPython only through cpython-sys's safe layer:
    no call of a raw binding or of `inline::` outside cpython-sys."""
    for obj in objects:
        src = os.path.join(root, obj.crate, "src")
        found = []
        for dirpath, _, names in os.walk(src):
            for name in sorted(names):
                if not name.endswith(".rs"):
                    continue
                path = os.path.join(dirpath, name)
                with open(path, encoding="utf-8") as f:
                    text = f.read()
                found += [f"{rel(root, path)}:{line}: {what}"
                          for line, what in raw_calls(text)]
        if found:
            report.fail(f"boundary: {obj.name} calls raw bindings (use or "
                        f"add a wrapper in Modules/cpython-sys, by C API "
                        f"area):\n  " + "\n  ".join(found))
        else:
            report.ok(f"boundary: {obj.name} calls no raw binding")


# --- Main ----------------------------------------------------------------------

def run(args, report):
    root = os.path.abspath(args.root or contract.tool_root())
    objects = contract.load_objects(root)
    srcdir = os.path.abspath(args.srcdir or contract.default_srcdir(root))
    if args.accept:
        accept(root, srcdir, objects, args.accept, report)
        objects = contract.load_objects(root)
    good = check_registry(root, objects, report)
    check_headers(root, objects, report)
    check_drift(root, srcdir, objects, report)
    check_bench(root, srcdir, objects, report)
    check_vendor(root, report)
    builddirs = args.builddir
    if builddirs is None:
        builddirs = contract.rust_builddirs(root)
        if not builddirs:
            report.note("no Rust build directory (build/rust, ... or "
                        "--builddir): prototypes, symbols and layout not "
                        "checked")
    check_wiring(root, good, report)
    check_twins(root, srcdir, good, report)
    check_boundary(root, good, report)
    linted = set()
    for path in builddirs or ():
        check_builddir(root, path, good, report, cargo=not args.no_cargo,
                       target_dir=args.cargo_target_dir)
        if args.no_cargo:
            continue
        # Once per configuration the cfgs differ in (GIL or free-threaded,
        # release or debug).
        try:
            bdir = contract.BuildDir(path)
        except ContractError:
            continue
        config = tuple(sorted(contract.abi_macros(bdir.path)))
        if config not in linted:
            linted.add(config)
            check_lints(root, bdir, report, args.cargo_target_dir)
    if linted:
        check_format(root, report)
    if args.patch:
        import patch
        try:
            patch.verify(root, report, variants=args.patch_make)
        except ContractError as exc:
            report.fail(str(exc))


def main(argv, out=sys.stdout):
    parser = argparse.ArgumentParser(
        prog="python3 Tools/rust check",
        description=__doc__.split("\n\n")[0],
        epilog=__doc__.split("\n\n", 2)[2],
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--srcdir", help="the CPython tree holding the C "
                        "twins (default: this tree if it is CPython, else "
                        "build/cpython-<version>)")
    parser.add_argument("--builddir", action="append", metavar="DIR",
                        help="a Rust (make RUST=1) build directory; "
                             "repeatable (default: build/*-rust)")
    parser.add_argument("--accept", action="append", metavar="NAME",
                        help="record the current C twin of NAME (updates "
                             "c_sha256 and Tools/rust/twins/NAME.c)")
    parser.add_argument("--no-cargo", action="store_true",
                        help="skip the cargo check of the layouts")
    parser.add_argument("--cargo-target-dir", metavar="DIR",
                        help="cargo's target dir for the layout check "
                             "(default: BUILDDIR/rust-target, shared with "
                             "the build: crates of another tree get their "
                             "own artifacts there)")
    parser.add_argument("--patch", action="store_true",
                        help="also apply the patch to a fresh pristine "
                             "copy and build it (slow)")
    parser.add_argument("--patch-make", default="rust", metavar="V,...",
                        help="with --patch: the builds to make after "
                             "applying: rust (make RUST=1), c (make), or "
                             "both (default: rust)")
    parser.add_argument("--root", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    report = Report(out)
    try:
        run(args, report)
    except ContractError as exc:
        report.fail(str(exc))
    if report.problems:
        print(f"error: Tools/rust check: {len(report.problems)} problem(s)",
              file=sys.stderr if out is sys.stdout else out)
        return 1
    report.note("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
