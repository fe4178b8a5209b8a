"""`Tools/rust regen` (also `make regen-rust`): write the cbindgen headers
Include/internal/pycore_<name>_rs.h of every registry object (see
contract.py), each only when its content changes; run by hand, also
Tools/rust/DEPENDENCIES.md, the table of the vendored crates (vendor.py).

    python3 Tools/rust regen [--srcdir DIR] [--builddir DIR] [--check]

--srcdir is the tree holding the crates and Include/ (default: the tree this
tool is in); --builddir is accepted for `make regen-rust` and not needed
(the headers depend on the Rust sources only); --check writes nothing and
fails when a header is not up to date.
"""

import argparse
import difflib
import os
import sys

import contract
from contract import ContractError
from common import write_if_changed


def regen(root, write=True, out=sys.stdout):
    """Regenerate every header; returns the list of (path, problem) of the
    headers that were (write) or would be (not write) changed."""
    objects = contract.load_objects(root)
    for obj in objects.values():        # every bad entry before any work
        contract.check_crate(root, obj)
    cbindgen = contract.find_cbindgen(root)
    changed = []
    for obj in objects.values():
        text = contract.generate_header(root, obj, cbindgen)
        path = contract.header_path(root, obj)
        old = contract.read_text(path)
        if old == text:
            continue
        name = contract.rel(root, path)
        if write:
            write_if_changed(path, text)
            print(f"regen: wrote {name}", file=out)
            changed.append((path, "written"))
        elif old is None:
            changed.append((path, f"{name}: missing; run `python3 Tools/rust "
                                  f"regen` and commit it"))
        else:
            diff = "".join(difflib.unified_diff(
                old.splitlines(True), text.splitlines(True),
                f"{name} (committed)", f"{name} (generated from {obj.crate})"))
            changed.append((path, f"{name} differs from what {obj.crate} "
                                  f"generates (hand-edited, or the crate's "
                                  f"exports changed): run `python3 Tools/rust "
                                  f"regen`\n{diff}"))
    return changed


def main(argv):
    parser = argparse.ArgumentParser(prog="python3 Tools/rust regen",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--srcdir", help="the tree to regenerate (default: "
                                         "the one this tool is in)")
    parser.add_argument("--builddir", help="(ignored; for make regen-rust)")
    parser.add_argument("--check", action="store_true",
                        help="change nothing; fail when a header is stale")
    args = parser.parse_args(argv)
    root = os.path.abspath(args.srcdir or contract.tool_root())
    try:
        changed = regen(root, write=not args.check)
    except ContractError as exc:
        print(f"error: Tools/rust regen: {exc}", file=sys.stderr)
        return 1
    if args.check and changed:
        for _, problem in changed:
            print(f"error: {problem}", file=sys.stderr)
        return 1
    if not args.check and args.builddir is None:
        # Run by hand (not by make regen-rust): the dependency table too.
        import vendor
        from common import Layout
        problems = []
        vendor.check_dependencies(Layout(root), root, problems.append,
                                  lambda message: None, write=True)
        for problem in problems:
            print(f"error: {problem}", file=sys.stderr)
        if problems:
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
