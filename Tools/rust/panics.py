"""`Tools/rust panics BUILD_DIR`: list the panic sites the Rust objects can
reach, and fail when one appears that the baseline does not have.

No panic may cross into C: the workspace builds with panic="abort" and
Objects/rustobjects has a panic handler that calls Py_FatalError, so a
panic ends the process.  The objects are written never to get there; this
check shows where they still could.

Tools/rust relink links the Rust library with --gc-sections and the
objects' exports as the only roots, so whatever survives in
BUILD_DIR/Objects/rustobjects.o is reachable from an exported function.
Every function of core/alloc that panics (core::panicking::*, bounds
checks, unwrap/expect failures, slice index failures, arithmetic overflow,
...) that is still there is therefore reachable; a "panic site" is a
function that is not itself one of those and references one.  Each site is
printed with a chain of callers from an exported symbol.

The baseline (Tools/rust/panics-baseline.json) holds the accepted sites of
each cargo profile (release, pydebug: debug assertions and overflow checks
add sites) as "caller -> panic function" with the hashes left out.  A site
that is not in the baseline fails the check; `--update` writes the sites
found into the baseline instead.
"""

import argparse
import json
import os
import re
import subprocess
import sys
from collections import defaultdict, deque

BASELINE = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                        "panics-baseline.json")
OBJECT = os.path.join("Objects", "rustobjects.o")

# Demangled names of the functions that panic.
PANIC = re.compile(
    r"^(core::panicking::|core::option::(expect|unwrap)_failed"
    r"|core::result::unwrap_failed|core::slice::index::"
    r"|core::str::slice_error_fail|core::cell::panic_already_"
    r"|alloc::raw_vec::capacity_overflow|alloc::raw_vec::handle_error"
    r"|alloc::alloc::handle_alloc_error|core::num::.*::panic"
    r"|core::fmt::.*::panic|(__rustc::)?rust_begin_unwind$|rust_panic$"
    r"|std::panicking::|core::hint::unreachable_unchecked::precondition"
    r"|core::ub_checks::)")
_HASH = re.compile(r"::h[0-9a-f]{16}$")
_CRATE_HASH = re.compile(r"\[[0-9a-f]{16}\]")      # v0 mangling: core[1a2b..]
_SECTION_PREFIX = re.compile(r"^\.(text|rodata|data\.rel\.ro|data)"
                             r"(\.unlikely|\.hot|\.startup)?\.")


# Sections whose relocations are references from code (or from tables of
# function pointers); .eh_frame and .debug_* name every function.
CODE_AND_DATA = (".text", ".rodata", ".data")


class PanicsError(Exception):
    pass


def run(cmd):
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True)
    except OSError as exc:
        raise PanicsError(f"cannot run {cmd[0]}: {exc.strerror}") from None
    if proc.returncode:
        raise PanicsError(f"{' '.join(cmd)} failed: {proc.stderr.strip()}")
    return proc.stdout


def demangle_all(names):
    names = sorted(set(names))
    if not names:
        return {}
    try:
        proc = subprocess.run(["c++filt"], input="\n".join(names) + "\n",
                              capture_output=True, text=True)
        out = proc.stdout.splitlines()
    except OSError:
        out = []
    if len(out) != len(names):
        out = names
    return {n: _CRATE_HASH.sub("", _HASH.sub("", d))
            for n, d in zip(names, out)}


def read_object(path):
    """(functions, references, exports): functions maps a symbol to its
    (section index, start, end); references maps a referring symbol to the
    set of symbols (or section names) it references; exports is the set of
    global defined symbols."""
    sections = {}
    for line in run(["readelf", "-SW", path]).splitlines():
        m = re.match(r"^\s*\[\s*(\d+)\]\s+(\S+)", line)
        if m:
            sections[int(m.group(1))] = m.group(2)
    functions = {}
    by_section = defaultdict(list)
    exports = set()
    undefined = set()
    for line in run(["readelf", "-sW", path]).splitlines():
        parts = line.split()
        if len(parts) < 8 or not parts[0].rstrip(":").isdigit():
            continue
        value, size, kind, bind, ndx, name = (parts[1], parts[2], parts[3],
                                              parts[4], parts[6], parts[7])
        if ndx == "UND":
            if name:
                undefined.add(name)
            continue
        if kind not in ("FUNC", "OBJECT") or not ndx.isdigit():
            continue
        start = int(value, 16)
        size = int(size, 0) if size.isdigit() else int(size, 16)
        functions[name] = (int(ndx), start, start + max(size, 1))
        by_section[sections.get(int(ndx))].append((start, start + max(size, 1),
                                                   name))
        if bind == "GLOBAL":
            exports.add(name)
    section_symbol = {}
    for sec, syms in by_section.items():
        if sec and len(syms) >= 1:
            section_symbol[sec] = min(syms)[2]
    references = defaultdict(set)
    current = None
    for line in run(["objdump", "-rw", path]).splitlines():
        m = re.match(r"^RELOCATION RECORDS FOR \[(.+)\]:", line)
        if m:
            current = m.group(1)
            continue
        parts = line.split()
        if current is None or len(parts) < 3 or not re.match(
                r"^[0-9a-f]+$", parts[0]):
            continue
        offset = int(parts[0], 16)
        target = re.sub(r"[+-]0x[0-9a-f]+$", "", parts[2])
        # The section a relocation of `current` (".rela.text.x" or the
        # section itself) applies to.
        sec = current[len(".rela"):] if current.startswith(".rela") \
            else current
        if not sec.startswith(CODE_AND_DATA):
            continue        # unwind tables, debug info: not calls
        caller = None
        for start, end, name in by_section.get(sec, ()):
            if start <= offset < end:
                caller = name
                break
        if caller is None:
            caller = section_symbol.get(sec, sec)
        if target in by_section or target.startswith("."):
            target = section_symbol.get(target, target)
        references[caller].add(target)
    return functions, references, exports, undefined


def plain(name, names):
    """A symbol or section name as a readable, hash-free name."""
    if name.startswith("."):
        stripped = _SECTION_PREFIX.sub("", name)
        return names.get(stripped, stripped)
    return names.get(name, name)


def find_sites(path):
    functions, references, exports, undefined = read_object(path)
    every = set(functions) | set(undefined) | set(references)
    for targets in references.values():
        every |= targets
    names = demangle_all([_SECTION_PREFIX.sub("", n) if n.startswith(".")
                          else n for n in every])
    panic = {n for n in every if PANIC.match(plain(n, names))}
    sites = defaultdict(set)        # caller -> panic functions
    callers_of = defaultdict(set)
    for caller, targets in references.items():
        for t in targets:
            callers_of[t].add(caller)
        if caller in panic:
            continue
        for t in targets & panic:
            sites[caller].add(t)
    result = {}
    for caller, targets in sorted(sites.items()):
        chain = path_from_export(caller, callers_of, exports)
        for t in targets:
            # Copies of one function (monomorphised twice) are one site.
            site = f"{plain(caller, names)} -> {plain(t, names)}"
            result.setdefault(site, {
                "site": site, "chain": [plain(c, names) for c in chain]})
    result = list(result.values())
    panic_defined = sorted({plain(n, names) for n in panic
                            if n in functions})
    return sorted(result, key=lambda s: s["site"]), panic_defined


def path_from_export(target, callers_of, exports):
    """A shortest chain export -> ... -> target, following references."""
    queue = deque([[target]])
    seen = {target}
    while queue:
        chain = queue.popleft()
        if chain[-1] in exports:
            return list(reversed(chain))
        for c in sorted(callers_of.get(chain[-1], ())):
            if c not in seen:
                seen.add(c)
                queue.append(chain + [c])
    return [target]


def profile_of(builddir):
    try:
        with open(os.path.join(builddir, "rust-objects.mk"),
                  encoding="utf-8") as f:
            for line in f:
                m = re.match(r"^RUST_PROFILE\s*:?=\s*(\S+)", line)
                if m:
                    return m.group(1)
    except OSError:
        pass
    return None


def load_baseline(path=BASELINE):
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except FileNotFoundError:
        return {}
    except ValueError as exc:
        raise PanicsError(f"{path}: invalid JSON: {exc}") from None
    return {k: v for k, v in data.items() if not k.startswith("_")}


def save_baseline(baseline, path=BASELINE):
    data = {"_comment": "Accepted panic sites of the Rust objects per cargo "
                        "profile, as 'caller -> panic function' (see "
                        "Tools/rust/panics.py; update with `python3 "
                        "Tools/rust panics BUILD --update`).  Aim: none."}
    data.update({k: sorted(v) for k, v in sorted(baseline.items())})
    with open(path, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=1)
        f.write("\n")


def check(builddir, profile=None, update=False, baseline_path=BASELINE,
          out=print):
    """Returns 0 when every site is in the baseline, 1 otherwise."""
    obj = os.path.join(builddir, OBJECT)
    if not os.path.isfile(obj):
        raise PanicsError(f"{obj} not found: build with make RUST=1 first")
    profile = profile or profile_of(builddir)
    if profile is None:
        raise PanicsError(f"cannot tell the cargo profile of {builddir} "
                          f"(no rust-objects.mk): give --profile")
    sites, panic_defined = find_sites(obj)
    baseline = load_baseline(baseline_path)
    accepted = set(baseline.get(profile, ()))
    found = {s["site"] for s in sites}
    out(f"{obj} ({profile}): {len(sites)} panic site(s), "
        f"{len(panic_defined)} panicking function(s) linked in")
    for s in sites:
        mark = "" if s["site"] in accepted else "NEW "
        out(f"  {mark}{s['site']}")
        if len(s["chain"]) > 1:
            out(f"      via {' -> '.join(s['chain'])}")
    if not sites and panic_defined:
        out(f"  (panicking functions without a caller outside them: "
            f"{', '.join(panic_defined)})")
    gone = sorted(accepted - found)
    if gone:
        out(f"  no longer found (remove from the baseline with --update): "
            f"{'; '.join(gone)}")
    if update:
        baseline[profile] = sorted(found)
        save_baseline(baseline, baseline_path)
        out(f"  baseline for {profile} updated: {baseline_path}")
        return 0
    new = sorted(found - accepted)
    if new:
        out(f"  {len(new)} panic site(s) not in the baseline "
            f"{os.path.relpath(baseline_path)}")
        return 1
    return 0


def main(argv):
    parser = argparse.ArgumentParser(
        prog="python3 Tools/rust panics",
        description="List the panic sites reachable from the Rust objects' "
                    "exports in BUILD_DIR/Objects/rustobjects.o and compare "
                    "them with the baseline.")
    parser.add_argument("builddir", nargs="+", metavar="BUILD_DIR")
    parser.add_argument("--profile", choices=("release", "pydebug"),
                        help="the cargo profile of the build (default: "
                             "read from BUILD_DIR/rust-objects.mk)")
    parser.add_argument("--update", action="store_true",
                        help="write the sites found into the baseline")
    parser.add_argument("--baseline", default=BASELINE,
                        help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    status = 0
    try:
        for builddir in args.builddir:
            status |= check(builddir, args.profile, args.update,
                            args.baseline)
    except PanicsError as exc:
        print(f"Tools/rust panics: {exc}", file=sys.stderr)
        return 2
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
