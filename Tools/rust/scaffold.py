"""`Tools/rust new NAME`: the start of a new Rust object, wired in.

    python3 Tools/rust new NAME [--c-file Objects/NAME.c] [--srcdir DIR]

For a C file of the pinned CPython (default Objects/NAME.c) it creates:

  Objects/NAME/Cargo.toml, build.rs, cbindgen.toml, src/lib.rs
        the crate: workspace lints, docstrings and layout parity from the
        C twin (and its Argument Clinic header, when there is one), an
        empty src/lib.rs with the C file's sections to fill in;
  Tools/rust/objects.json
        the registry entry: not selected by default (`make RUST=1
        RUST_OBJECTS=NAME` opts in), c_sha256 of the C twin as it is now;
  Cargo.toml, Objects/rustobjects/Cargo.toml, Objects/rustobjects/src/lib.rs
        the workspace member, the bundling crate's feature, dependency and
        re-export (what `check` verifies for every registry entry);
  Include/internal/pycore_NAME_rs.h
        the generated header (empty until the crate exports something);
  Lib/test/test_rust_NAME.py
        the object's regression tests: a stub that fails until written.

What stays to do is what a port is: `check` fails (twins) until every C
function has a Rust twin, the test stub fails until it has tests, and
`Tools/rust review NAME` shows the C functions still unpaired.  The README's
"Adding an object" section lists the rest (safety table rows, difftest
generator, benchmark rows).
"""

import argparse
import json
import os
import re
import sys

import contract
import registry
from common import CPYTHON_VERSION
from contract import ContractError

NAME = re.compile(r"^[a-z][a-z0-9_]*object$")


def crate_files(name, c_file, clinic):
    """{relative path: text} of the new crate."""
    docfiles = [c_file] + ([clinic] if clinic else [])
    docs = ", ".join(f'"{f}"' for f in docfiles)
    guard = f"Py_INTERNAL_{name.upper()}_RS_H"
    return {
        "Cargo.toml": f"""[package]
name = "{name}"
description = "{c_file} in Rust"
version.workspace = true
edition.workspace = true
rust-version.workspace = true
license.workspace = true
publish.workspace = true

[dependencies]
cpython-sys.workspace = true

[build-dependencies]
cpython-build.workspace = true

[lints]
workspace = true
""",
        "build.rs": f"""//! Docstrings come from the C twin (and its Argument Clinic output); the
//! layout of the `#[repr(C)]` structs is checked against the C twin's.
fn main() {{
    cpython_build::abi_cfgs();
    cpython_build::generate_docstrings(&[{docs}]);
    cpython_build::check_layouts("{c_file}");
}}
""",
        "cbindgen.toml": f"""# cbindgen configuration of the {name} crate.  `python3 Tools/rust regen`
# (or `make regen-rust`) writes Include/internal/pycore_{name}_rs.h from
# it: the declarations of exactly what the crate exports to C.
language = "C"
include_guard = "{guard}"
no_includes = true
documentation = false
style = "type"
after_includes = \"\"\"
#ifndef Py_BUILD_CORE
#  error "this header requires Py_BUILD_CORE define"
#endif\"\"\"

[export]
item_types = ["globals", "functions"]
""",
        os.path.join("src", "lib.rs"): f"""//! {name}: the Rust twin of `{c_file}`.
//!
//! The sections follow the C file's, in its order; functions at the C
//! boundary keep their C names, and a C function folded into another is
//! marked `// C: name` where its work is done (`Tools/rust review {name}`
//! pairs them; `Tools/rust check` fails while one is missing).  Calls into
//! CPython go through `cpython_sys::api`, one module per C API area.

#![cfg_attr(not(test), no_std)]
#![allow(non_upper_case_globals, non_snake_case, non_camel_case_types)]

#[cfg(not(test))]
include!(concat!(env!("OUT_DIR"), "/docstrings.rs"));
// Compile-time layout parity with the C twin (cpython-build::layout).
#[cfg(not(test))]
include!(concat!(env!("OUT_DIR"), "/layout_checks.rs"));
""",
    }


def test_stub(name, c_file):
    return f'''"""Regression tests of the Rust {name} ({c_file}).

Written by `python3 Tools/rust new {name}`: a stub that fails until the
object has its tests (the cases C and Rust must agree on, and the safety
cases where C crashes and Rust must not).
"""

import unittest


class {name.capitalize()}Tests(unittest.TestCase):

    def test_written(self):
        self.fail("{name}: write the tests of the Rust twin of {c_file} "
                  "here (Tools/rust new made this stub)")


if __name__ == "__main__":
    unittest.main()
'''


def _insert_sorted_line(text, head_re, line, what):
    """`line` added to the lines that follow the text `head_re` matches, up
    to the next blank line, section header or closing bracket, kept
    sorted."""
    m = re.search(head_re, text)
    if not m:
        raise ContractError(f"cannot find {what}")
    start = end = m.end()
    while end < len(text):
        nl = text.find("\n", end)
        nl = len(text) if nl < 0 else nl + 1
        current = text[end:nl]
        if not current.strip() or current.lstrip().startswith(("[", "]")):
            break
        end = nl
    lines = text[start:end].splitlines()
    if line.strip() in (x.strip() for x in lines):
        return text
    indent = re.match(r"\s*", lines[0]).group(0) if lines else "    "
    lines.append(indent + line.strip())
    lines.sort(key=str.strip)
    return text[:start] + "\n".join(lines) + "\n" + text[end:]


def wire(root, name, crate):
    """Adds the workspace member, the bundling crate's feature, dependency
    and re-export for `name`."""
    base = os.path.basename(crate)
    path = os.path.join(root, "Cargo.toml")
    text = contract.read_text(path)
    text = _insert_sorted_line(text, r"members = \[\n",
                               f'"{crate}",', "the workspace members")
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    path = os.path.join(root, "Objects", "rustobjects", "Cargo.toml")
    text = contract.read_text(path)
    text = _insert_sorted_line(text, r"\[features\]\n",
                               f'{name} = ["dep:{name}"]',
                               "the [features] of rustobjects")
    text = _insert_sorted_line(
        text, r"\[dependencies\]\n",
        f'{name} = {{ path = "../{base}", optional = true }}',
        "the [dependencies] of rustobjects")
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    path = os.path.join(root, "Objects", "rustobjects", "src", "lib.rs")
    text = contract.read_text(path)
    entry = f'#[cfg(feature = "{name}")]\npub use {name};\n'
    if entry not in text:
        uses = list(re.finditer(r'#\[cfg\(feature = "\w+"\)\]\npub use \w+;\n',
                                text))
        if not uses:
            raise ContractError(f"{path}: no re-export to add {name} after")
        at = uses[-1].end()
        for m in uses:
            if m.group(0) > entry:
                at = m.start()
                break
        text = text[:at] + entry + text[at:]
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)


# The justification a new entry starts with (the report calls it missing).
PLACEHOLDER = "TODO: why this object, with its measured reasons"


def register(root, name, c_file, crate, c_sha256):
    path = os.path.join(root, registry.REGISTRY)
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    if name in data["objects"]:
        raise ContractError(f"{name}: already in {registry.REGISTRY}")
    data["objects"][name] = {
        "c_file": c_file, "crate": crate,
        "replaces": [os.path.splitext(c_file)[0] + ".o"],
        "default": False, "tests": [f"test_rust_{name}"],
        "c_sha256": c_sha256, "c_release": CPYTHON_VERSION,
        # For `Tools/rust report`, which says "missing" until they are
        # filled in: why this object, who answers for it, and when to
        # promote or drop it (see registry.py).
        "justification": PLACEHOLDER, "status": "experimental",
        "responsible": [], "exit_criterion": {},
    }
    text = json.dumps(data, indent=2) + "\n"
    # The registry keeps short lists on one line.
    text = re.sub(r"\[\n\s+([^\[\]{}]*?)\n\s+\]",
                  lambda m: "[" + " ".join(m.group(1).split()) + "]", text)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def new(root, srcdir, name, c_file=None):
    """Creates the object `name`; returns the paths written."""
    if not NAME.match(name):
        raise ContractError(f"{name}: an object is named after its C file "
                            f"(lower case, ending in 'object', as "
                            f"enumobject for Objects/enumobject.c)")
    c_file = c_file or os.path.join("Objects", f"{name}.c")
    c_path = os.path.join(srcdir, c_file)
    if not os.path.isfile(c_path):
        raise ContractError(f"{c_path}: no such C file in the CPython tree")
    crate = os.path.join("Objects", name)
    if os.path.exists(os.path.join(root, crate)):
        raise ContractError(f"{crate}: already exists")
    clinic = os.path.join(os.path.dirname(c_file), "clinic",
                          os.path.basename(c_file) + ".h")
    if not os.path.isfile(os.path.join(srcdir, clinic)):
        clinic = None
    written = []
    for rel_path, text in crate_files(name, c_file, clinic).items():
        path = os.path.join(root, crate, rel_path)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        written.append(path)
    test = os.path.join(root, "Lib", "test", f"test_rust_{name}.py")
    os.makedirs(os.path.dirname(test), exist_ok=True)
    with open(test, "w", encoding="utf-8") as f:
        f.write(test_stub(name, c_file))
    written.append(test)
    register(root, name, c_file, crate, contract.sha256_file(c_path))
    wire(root, name, crate)
    written += [os.path.join(root, p) for p in (
        registry.REGISTRY, "Cargo.toml",
        os.path.join("Objects", "rustobjects", "Cargo.toml"),
        os.path.join("Objects", "rustobjects", "src", "lib.rs"))]
    return written


def main(argv):
    parser = argparse.ArgumentParser(prog="python3 Tools/rust new",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("name", help="the object, named after its C file "
                                     "(bytearrayobject)")
    parser.add_argument("--c-file", help="the C twin (default "
                                         "Objects/NAME.c)")
    parser.add_argument("--srcdir", help="the CPython tree holding it "
                                         "(default: as for check)")
    args = parser.parse_args(argv)
    root = contract.tool_root()
    try:
        srcdir = args.srcdir or contract.default_srcdir(root)
        written = new(root, srcdir, args.name, args.c_file)
        import regen
        regen.regen(root)
    except (ContractError, registry.RegistryError) as exc:
        print(f"error: Tools/rust new: {exc}", file=sys.stderr)
        return 1
    for path in written:
        print(f"new: wrote {contract.rel(root, path)}")
    print(f"new: now port {args.c_file or f'Objects/{args.name}.c'}; "
          f"`python3 Tools/rust review {args.name}` lists the C functions "
          f"without a Rust twin, `python3 Tools/rust check` fails until "
          f"there are none.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
