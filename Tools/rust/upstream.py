"""Checks that the build stays upstream CPython where it should.

* The C variant (RUST unset) compiles the same objects as a build of the
  unmodified release: every object file of build/pristine-build has a twin
  in build/c defining the same symbols (name, kind, size).  (The bytes
  differ only where the source path is embedded, as in __FILE__.)
* `make smelly` passes in the C and in the Rust variant: libpython exports
  only Py/_Py symbols, so the Rust objects add no symbol of their own.
* The C variants are built with a PATH on which cargo, rustc, rustup and
  cbindgen fail loudly (builder.no_rust_path), so a C build that needed the
  Rust toolchain would fail; nothing to check here beyond that build.
"""

import os
import subprocess

import builder
from common import display_path, run_step


def defined_symbols(path):
    """{(name, kind, size)} of the symbols `path` defines."""
    out = subprocess.run(["nm", "--defined-only", "-P", "-S", path],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True, check=True).stdout
    symbols = set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) >= 2:
            symbols.add((parts[0], parts[1],
                         parts[3] if len(parts) > 3 else ""))
    return symbols


def compare_objects(pristine_dir, c_dir):
    """Problems (strings) where the C variant's objects differ from the
    pristine build's; returns (problems, number of objects compared)."""
    problems, compared = [], 0
    for root, _dirs, files in os.walk(pristine_dir):
        for name in sorted(files):
            if not name.endswith(".o"):
                continue
            ours = os.path.join(root, name)
            rel = os.path.relpath(ours, pristine_dir)
            theirs = os.path.join(c_dir, rel)
            if not os.path.exists(theirs):
                problems.append(f"{rel}: in the pristine build, not in "
                                f"{display_path(c_dir)}")
                continue
            compared += 1
            a, b = defined_symbols(ours), defined_symbols(theirs)
            if a != b:
                diff = sorted(s[0] for s in a ^ b)[:5]
                problems.append(f"{rel}: defines other symbols than the "
                                f"pristine build ({', '.join(diff)} ...)")
    if compared == 0:
        problems.append(f"no object files in {display_path(pristine_dir)}")
    return problems, compared


def smelly(layout, name):
    """`make smelly` with the variant's own make arguments (RUST=1 for a
    Rust variant: without it make would relink the C objects)."""
    variant = builder.VARIANTS[name]
    builddir = builder.variant_builddir(layout, name)
    run_step(f"make smelly ({name})",
             ["make", "smelly", *variant.make_args],
             layout.log(f"{name}-smelly.log"), cwd=builddir,
             env=builder.build_env(variant))


def run(layout, c_variant="c", rust_variant="rust"):
    """All of the above; returns a list of problems."""
    problems = []
    builder.build(layout, ["pristine"], summary=False)
    found, compared = compare_objects(
        builder.variant_builddir(layout, "pristine"),
        builder.variant_builddir(layout, c_variant))
    problems += found
    from common import progress
    progress(f"upstream: {compared} object files of {c_variant} compared "
             f"with the pristine build: {len(found)} differ")
    for name in (c_variant, rust_variant):
        try:
            smelly(layout, name)
        except Exception as exc:  # StepFailed: the log says why
            problems.append(f"make smelly failed in {name}: {exc}")
    return problems
