"""`Tools/rust report`: the experience report, per object, from data.

    python3 Tools/rust report [--refresh] [-o DIR]

Writes DIR/index.html (one self-contained page, charts as inline SVG) and
DIR/report.md (default DIR: build/report) for every object of the
registry: why it is there (the registry's justification, status, people
and exit criterion, the criterion evaluated against the data), what
keeping two versions costs (the drift log, C and Rust lines, `unsafe` and
its `// SAFETY:` proofs, panic sites, the C functions paired with a Rust
twin), what it buys (the safety table, the C bugs this project found, the
divergences caught before the Rust was edited, the benchmark, the build
cost) and whether it holds (the last test comparison, difftest,
refleaks, sanitizers, valgrind, threads), then the totals.

Nothing is typed: every figure is read from a file a command wrote (the
drift log, Tools/rust/bench-results.json, the README's safety table,
Tools/rust/panics-baseline.json, build/results/*.json that `test`,
`difftest` and `report --refresh` write, build/logs/) or counted in the
tree when the report runs.  Each long measurement is shown with the date
and commit it ran on, and is called stale when a file of the object
(its crate, its C twin, the crates it depends on, the shared layer)
changed after it; a figure no file holds is "missing", never an old
number.

--refresh first reruns the cheap measurements: the panic sites of
build/rust and build/debug-rust (read from their objects) and the sizes
of build/c/python and build/rust/python, into build/results/.
"""

import argparse
import ast
import glob
import html
import json
import math
import os
import re
import subprocess
import sys
import time

import registry
from common import RESULTS_DIR, git_state, record_result

# --- The exit criterion -------------------------------------------------------
#
# A registry entry's exit_criterion is {"promote_when": {COND: LIMIT},
# "drop_if": {COND: LIMIT}}.  Promotion needs every promote_when condition
# met; a drop_if condition is met when one of the values passes its limit.

PROMOTE = {
    "moves_followed": ("upstream moves followed (drift log)", ">="),
    "uncaught_changes": ("upstream changes no check caught before the "
                         "Rust was edited", "<="),
    "test_differences": ("test cases with another outcome than C in the "
                         "last test comparison", "<="),
    "difftest_divergences": ("divergences in the last difftest run", "<="),
    "max_instr_ratio": ("highest Rust/C instruction ratio of its "
                        "benchmark rows", "<="),
    "instr_geomean": ("geometric mean of its Rust/C instruction ratios",
                      "<="),
    "new_panic_sites": ("release panic sites in its own crate", "<="),
}
DROP = {
    "move_hours": ("hours one upstream move took (drift log)", ">"),
    "move_rust_lines": ("Rust lines changed (added + removed) by one "
                        "upstream move", ">"),
    "instr_geomean": ("geometric mean of its Rust/C instruction ratios",
                      ">"),
    "test_differences": ("test cases with another outcome than C in the "
                         "last test comparison", ">"),
}

MET, NOT_MET, UNKNOWN = "met", "not met", "cannot tell"

# Where a figure stands: measured on the tree as it is, on an older tree
# (the object's files changed since), or of unknown provenance.
CURRENT, STALE, MISSING = "current", "stale", "missing"

# The shared layer every object depends on.
SHARED = ("Modules/cpython-sys", "Modules/cpython-build")


# --- git and files --------------------------------------------------------------

def git(root, *args):
    try:
        proc = subprocess.run(["git", "-C", root, *args],
                              stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, text=True,
                              timeout=120)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return proc.stdout if proc.returncode == 0 else None


def read_json_or_none(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def read_text(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()
    except OSError:
        return None


def mtime_iso(path):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ",
                         time.gmtime(os.path.getmtime(path)))


def _toml_table(text, table):
    """{name: value text} of the `key = value` lines of a [table] of a
    Cargo.toml (enough for dependency tables; no TOML parser in 3.10)."""
    out, section = {}, None
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        m = re.match(r"^\[([^\]]+)\]$", line)
        if m:
            section = m.group(1).strip()
            continue
        if section == table and "=" in line:
            key, value = line.split("=", 1)
            out[key.strip()] = value.strip()
    return out


def crate_dependencies(root, crate):
    """({path dependency dir}, {other dependency names}) of a crate's
    Cargo.toml [dependencies] (not dev- or build-dependencies); `NAME.
    workspace = true` is looked up in the workspace's Cargo.toml."""
    deps = _toml_table(read_text(os.path.join(root, crate, "Cargo.toml"))
                       or "", "dependencies")
    workspace = None
    paths, names = set(), set()
    for key, value in deps.items():
        name, base = key, crate
        if key.endswith(".workspace") or "workspace = true" in value:
            name = key.split(".")[0]
            if workspace is None:
                workspace = _toml_table(
                    read_text(os.path.join(root, "Cargo.toml")) or "",
                    "workspace.dependencies")
            value, base = workspace.get(name, ""), ""
        m = re.search(r'path\s*=\s*"([^"]+)"', value)
        if m:
            paths.add(os.path.normpath(os.path.join(base, m.group(1))))
        else:
            names.add(name)
    return paths, names


def all_dependencies(root, crate):
    """Like crate_dependencies, through the path dependencies too."""
    paths, names = set(), set()
    todo = [crate]
    while todo:
        more, named = crate_dependencies(root, todo.pop())
        names |= named
        for p in more - paths:
            paths.add(p)
            todo.append(p)
    return paths, names


def object_paths(root, obj):
    """The files whose change makes a measurement of `obj` stale."""
    deps, _ = all_dependencies(root, obj.crate)
    clinic = os.path.join(os.path.dirname(obj.c_file), "clinic",
                          os.path.basename(obj.c_file) + ".h")
    return sorted({obj.crate, obj.c_file, clinic, *SHARED, *deps})


def freshness(root, paths, commit=None, date=None, dirty_now=None):
    """(CURRENT | STALE | MISSING, why) of a measurement made on `commit`
    (or, when no commit was recorded, at `date`) for the files `paths`."""
    if not commit and not date:
        return MISSING, "no date or commit recorded"
    if commit:
        if git(root, "cat-file", "-e", f"{commit}^{{commit}}") is None:
            return STALE, f"commit {commit[:12]} is not in this repository"
        log = git(root, "log", "--format=%h", f"{commit}..HEAD", "--",
                  *paths)
        since = f"commit {commit[:12]}"
    else:
        log = git(root, "log", "--format=%h", f"--since={date}", "--",
                  *paths)
        since = f"{date} (no commit recorded: judged by date)"
    changed = (log or "").split()
    dirty = [p for p in (dirty_now or ())
             if any(p == q or p.startswith(q.rstrip("/") + "/")
                    for q in paths)]
    if changed:
        return STALE, (f"{len(changed)} commit(s) changed its files since "
                       f"{since} ({', '.join(changed[:3])}"
                       f"{', ...' if len(changed) > 3 else ''})")
    if dirty:
        return STALE, (f"uncommitted changes in {', '.join(dirty[:3])}"
                       f"{', ...' if len(dirty) > 3 else ''}")
    return CURRENT, f"no change to its files since {since}"


# --- Counting in the tree ---------------------------------------------------

def _mask_c(text):
    """C `text` with comments and string literals blanked."""
    def blank(m):
        return re.sub(r"[^\n]", " ", m.group(0))
    return re.sub(r'/\*.*?\*/|//[^\n]*|"(?:\\.|[^"\\\n])*"', blank, text,
                  flags=re.S)


def code_lines(masked):
    return sum(1 for line in masked.splitlines() if line.strip())


def _test_spans(masked):
    """(start, end) of the #[cfg(test)] modules of a masked Rust text."""
    from csource import match_forward
    spans = []
    for m in re.finditer(r"#\[cfg\(test\)\]\s*(?:pub\s+)?mod\s+\w+\s*\{",
                         masked):
        end = match_forward(masked, m.end() - 1, "{", "}")
        spans.append((m.start(), end + 1))
    return spans


def rust_sources(root, crate):
    out = []
    for dirpath, _, names in os.walk(os.path.join(root, crate, "src")):
        out += [os.path.join(dirpath, n) for n in names if n.endswith(".rs")]
    return sorted(out)


def _has_safety_comment(lines, index):
    """A `// SAFETY:` comment on line `index` or in the comment lines and
    the statement lines just above it (clippy's rule)."""
    if "SAFETY:" in lines[index]:
        return True
    i = index - 1
    while i >= 0 and index - i <= 25:
        line = lines[i].strip()
        if "SAFETY:" in line:
            return True
        if line.startswith("//") or line.startswith("#["):
            i -= 1
            continue
        if not line or line.endswith((";", "{", "}")):
            return False
        i -= 1
    return False


def _has_safety_doc(lines, index):
    """A `# Safety` section in the doc comment above line `index`."""
    i = index - 1
    while i >= 0:
        line = lines[i].strip()
        if line.startswith(("///", "#[", "//")):
            if re.match(r"///\s*#\s*Safety", line) or "SAFETY:" in line:
                return True
            i -= 1
            continue
        return False
    return False


def count_rust(text):
    """{"lines", "unsafe_blocks", "unsafe_blocks_proved", "unsafe_fns",
    "unsafe_fns_documented", "unsafe_impls", "unsafe_impls_proved"} of a
    Rust source, tests (#[cfg(test)] modules) left out."""
    from review import mask_rust
    masked = mask_rust(text)
    for start, end in reversed(_test_spans(masked)):
        masked = masked[:start] + re.sub(r"[^\n]", " ",
                                         masked[start:end]) + masked[end:]
    lines = text.splitlines()
    counts = {"lines": code_lines(masked), "unsafe_blocks": 0,
              "unsafe_blocks_proved": 0, "unsafe_fns": 0,
              "unsafe_fns_documented": 0, "unsafe_impls": 0,
              "unsafe_impls_proved": 0, "c_entry_points": 0}
    for m in re.finditer(r"\bunsafe\b(\s*\{|\s+(?:extern\s+)?fn\b|"
                         r"\s+impl\b)", masked):
        line = masked.count("\n", 0, m.start())
        kind = m.group(1).split()[-1] if m.group(1).strip() != "{" else "{"
        if kind == "{":
            counts["unsafe_blocks"] += 1
            counts["unsafe_blocks_proved"] += _has_safety_comment(lines, line)
        elif kind == "fn" and "extern" in m.group(1):
            # A function C calls (a slot, an exported API function): its
            # contract is C's, not a `# Safety` section.
            counts["c_entry_points"] += 1
        elif kind == "fn":
            counts["unsafe_fns"] += 1
            counts["unsafe_fns_documented"] += _has_safety_doc(lines, line)
        else:
            counts["unsafe_impls"] += 1
            counts["unsafe_impls_proved"] += _has_safety_comment(lines, line)
    return counts


def count_crate(root, crate):
    total = {}
    files = rust_sources(root, crate)
    for path in files:
        for key, n in count_rust(read_text(path) or "").items():
            total[key] = total.get(key, 0) + n
    total["files"] = len(files)
    return total


def srcdir_of(root):
    import contract
    try:
        return contract.default_srcdir(root)
    except Exception:  # noqa: BLE001 - any failure: the C side is missing
        return None


def count_c(srcdir, obj):
    if not srcdir:
        return None
    text = read_text(os.path.join(srcdir, obj.c_file))
    if text is None:
        return None
    clinic = read_text(os.path.join(
        srcdir, os.path.dirname(obj.c_file), "clinic",
        os.path.basename(obj.c_file) + ".h"))
    return {"lines": code_lines(_mask_c(text)),
            "clinic_lines": code_lines(_mask_c(clinic)) if clinic else 0,
            "srcdir": srcdir}


def twins(root, srcdir, obj):
    """The review page's pairing: {"c_functions", "paired", "unpaired"}."""
    import review
    if not srcdir:
        return None
    try:
        c_funcs = review.c_twin_functions(srcdir, obj)
        rust_funcs, marked = review.rust_crate_functions(root, obj)
    except Exception:  # noqa: BLE001 - a missing crate or C twin
        return None
    paired = review.pair(c_funcs, rust_funcs, marked)
    names = [n for n, _, _ in c_funcs]
    return {"c_functions": len(names), "paired": len(paired),
            "unpaired": [n for n in names if n not in paired],
            "c_names": names}


# --- Panic sites ----------------------------------------------------------------

def attribute_site(site, obj, c_names, deps, dep_names):
    """Whether a panic site 'caller -> panic' (or its export chain) is
    `obj`'s: its crate's code, a function of its C twin (an export), a
    crate only it depends on."""
    caller = site.split(" -> ")[0]
    bare = caller.lstrip("<")
    crate_names = {os.path.basename(obj.crate)} | {
        os.path.basename(d) for d in deps} | set(dep_names)
    head = re.split(r"::|\s", bare, 1)[0]
    if head in crate_names:
        return "own" if head == os.path.basename(obj.crate) else "dependency"
    if caller in c_names:
        return "own"
    return None


def panic_sites(root, objects, c_names_of):
    """{object: {profile: {"own": [...], "dependency": [...]}}, the
    source} from the --refresh measurement when present, else from the
    committed baseline."""
    measured = read_json_or_none(os.path.join(
        root, "build", RESULTS_DIR, "panics.json"))
    if measured and measured.get("profiles"):
        profiles = {p: [s["site"] if isinstance(s, dict) else s
                        for s in v.get("sites", [])]
                    for p, v in measured["profiles"].items()}
        chains = {p: {s["site"]: s.get("chain", []) for s in v["sites"]
                      if isinstance(s, dict)}
                  for p, v in measured["profiles"].items()}
        built = sorted(v.get("built") or "" for v in
                       measured["profiles"].values())
        source = {"what": "Objects/rustobjects.o of "
                          + ", ".join(v.get("builddir", "?") for v in
                                      measured["profiles"].values())
                          + f" (read by report --refresh at "
                            f"{measured.get('date')}; built)",
                  "date": built[0] or None, "commit": None,
                  "dirty": []}
    else:
        path = os.path.join(root, "Tools", "rust", "panics-baseline.json")
        data = read_json_or_none(path) or {}
        profiles = {k: v for k, v in data.items() if not k.startswith("_")}
        chains = {}
        last = (git(root, "log", "-1", "--format=%H %cI", "--", path)
                or "").split()
        source = {"what": "Tools/rust/panics-baseline.json (the sites "
                          "`test --panics` accepts)",
                  "commit": last[0] if last else None,
                  "date": last[1] if len(last) > 1 else None,
                  "dirty": []}
    out = {}
    for name, obj in objects.items():
        deps, dep_names = all_dependencies(root, obj.crate)
        deps = {d for d in deps if not d.startswith("Modules/")}
        per = {}
        for profile, sites in profiles.items():
            got = {"own": [], "dependency": []}
            for site in sites:
                who = attribute_site(site, obj, c_names_of.get(name, ()),
                                     deps, dep_names)
                chain = chains.get(profile, {}).get(site) or []
                if who is None and chain:
                    who = attribute_site(chain[0] + " -> x", obj,
                                         c_names_of.get(name, ()), deps,
                                         dep_names)
                if who:
                    got[who].append(site)
            per[profile] = got
        out[name] = per
    return out, source


# --- Data read from files that commands wrote --------------------------------

def drift_moves(root):
    """[(move name, log)] of Tools/rust/drift, oldest first."""
    import drift
    out = []
    for path in drift.log_paths(root):
        try:
            out.append((os.path.basename(path)[:-5], drift.load(path)))
        except drift.DriftError:
            continue
    return out


def drift_of(moves, name):
    """The moves `name` was followed through, with its figures."""
    out = []
    for move, log in moves:
        entry = log["objects"].get(name)
        if entry is None:
            later = (log.get("ported_later") or {}).get(name)
            if later:
                out.append({"move": move, "followed": False,
                            "note": later})
            continue
        c_added = sum(f.get("added", 0) for f in entry["c_files"].values())
        c_removed = sum(f.get("removed", 0)
                        for f in entry["c_files"].values())
        changes = entry["changes"]
        uncaught = [c for c in changes if not c["caught_before_edit"]]
        by_difftest = [c for c in changes
                       if any("difftest" in w.lower()
                              for w in c["caught_before_edit"])]
        by_tests = [c for c in changes
                    if any(w.startswith("test_") or " test_" in w
                           for w in c["caught_before_edit"])]
        out.append({
            "move": move, "followed": True, "ported": log.get("ported"),
            "c_added": c_added, "c_removed": c_removed,
            "items_changed": len(entry.get("items_changed", ())),
            "rust_added": entry["rust_lines"].get("added", 0),
            "rust_removed": entry["rust_lines"].get("removed", 0),
            "test_added": (entry.get("test_lines") or {}).get("added", 0),
            "hours": entry["effort_hours"],
            "changes": len(changes),
            "rust_edits": sum(1 for c in changes if c["rust_edit"]),
            "uncaught": len(uncaught),
            "caught_by_difftest": [c["what"] for c in by_difftest],
            "caught_by_tests": len(by_tests),
            "change_list": changes})
    return out


def safety_rows(root):
    """[{case, upstream, what, c, rust, object}] of the README's measured
    safety table, with the commit that last changed its rows."""
    readme = read_text(os.path.join(root, "README.md")) or ""
    import safety
    if safety.START not in readme or safety.END not in readme:
        return [], None
    table = readme.split(safety.START, 1)[1].split(safety.END, 1)[0]
    objects = safety_case_objects(root)
    rows = []
    for line in table.splitlines():
        m = re.match(r"^\| `([^`]+)` \|(.*)\|\s*$", line)
        if not m:
            continue
        cells = [c.strip() for c in m.group(2).split(" | ")]
        if len(cells) < 4:
            continue
        name = m.group(1)
        rows.append({"case": name, "upstream": cells[0], "what": cells[1],
                     "c": cells[2], "rust": " | ".join(cells[3:]),
                     "object": objects.get(name, "memoryobject")})
    log = (git(root, "log", "-1", "--format=%H %cI", r"-G^\| `[a-z]",
               "--", "README.md") or "").split()
    measured = {"commit": log[0] if log else None,
                "date": log[1] if len(log) > 1 else None}
    return rows, measured


def safety_case_objects(root):
    """{case name: object} read from Lib/test/test_rust_safety.py's
    Case(...) calls (its default object is memoryobject)."""
    text = read_text(os.path.join(root, "Lib", "test",
                                  "test_rust_safety.py"))
    out = {}
    if not text:
        return out
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return out
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and getattr(node.func, "id", "")
                == "Case" and node.args
                and isinstance(node.args[0], ast.Constant)):
            obj = "memoryobject"
            for kw in node.keywords:
                if kw.arg == "object" and isinstance(kw.value,
                                                     ast.Constant):
                    obj = kw.value.value
            out[node.args[0].value] = obj
    return out


def bench_of(report, name):
    """The benchmark figures of object `name` in a recorded bench report."""
    inst = {k: r for k, r in (report.get("instructions") or {}).items()
            if r.get("object") == name}
    timed = {k: r for k, r in (report.get("time") or {}).items()
             if r.get("object") == name}
    if not inst:
        return None
    from bench import geomean
    ratios = [r["ratio"] for r in inst.values()]
    worst = max(inst.items(), key=lambda kr: kr[1]["ratio"])
    groups = {}
    for k, r in inst.items():
        groups.setdefault(r.get("group", "?"), []).append(r["ratio"])
    return {
        "rows": len(inst), "geomean": geomean(ratios),
        "highest": worst[1]["ratio"], "highest_row": worst[0],
        "above_c": sum(1 for v in ratios if v > 1.0),
        "groups": [(g, len(v), geomean(v), min(v), max(v))
                   for g, v in groups.items()],
        "time_rows": len(timed),
        "time_geomean": geomean([r["ratio"] for r in timed.values()])
        if timed else None,
        "slowest_time": max(timed.items(),
                            key=lambda kr: kr[1]["ratio"])[0]
        if timed else None}


def results(root, name):
    return read_json_or_none(os.path.join(root, "build", RESULTS_DIR,
                                          f"{name}.json"))


# The checks of `Tools/rust test` and where each wrote its output before
# the results were recorded (build/logs/...): (title, result name, logs).
CHECKS = [
    ("refleaks", "check-refleaks", ["refleaks-*.log", "*-refleaks*.log"]),
    ("sanitizers (ASan, UBSan)", "check-sanitizers",
     ["asan-rust-tests.log", "ubsan-rust-tests.log"]),
    ("TSan (free-threaded)", "check-sanitizers",
     ["tsan-ft-rust-tests.log", "tsan-ft-rust-stress.log"]),
    ("valgrind memcheck", "check-valgrind", ["valgrind-debug-rust.log"]),
    ("free-threaded stress", "check-threads", ["threads.log"]),
    ("distribution's Rust", "check-distro-rust",
     ["distro-rust-distro-regrtest.log"]),
    ("panic sites", "check-panics", []),
]


def check_results(root, name):
    """[(title, status, detail, date, commit, source)] of the test
    command's checks for object `name`."""
    out = []
    logs = os.path.join(root, "build", "logs")
    for title, result_name, patterns in CHECKS:
        res = results(root, result_name)
        if res and (not res.get("objects") or name in res["objects"]):
            detail = ("passed" if res.get("ok") else
                      "FAILED: " + "; ".join(res.get("problems", []))[:300])
            out.append((title, "ok" if res.get("ok") else "failed", detail,
                        res.get("date"), res.get("commit"),
                        res.get("dirty", []),
                        f"build/{RESULTS_DIR}/{result_name}.json"))
            continue
        found = []
        for pattern in patterns:
            found += glob.glob(os.path.join(logs, pattern))
        if found:
            newest = max(found, key=os.path.getmtime)
            out.append((title, "log only",
                        "a log without a recorded result (the command "
                        "ran before results were recorded, or is running)",
                        mtime_iso(newest), None, [],
                        os.path.relpath(newest, root)))
        else:
            out.append((title, MISSING, "never run here", None, None, [],
                        ""))
    return out


def build_cost(root, bench_report):
    """The cold build ratio and the size `python` gains: recorded by
    `bench --build-time` / the bench record, else from the bench-cold
    logs' times, else missing."""
    out = {}
    times = (bench_report or {}).get("build_times")
    if times and "c" in times and "rust" in times:
        out["cold"] = {"c_s": times["c"]["total_s"],
                       "rust_s": times["rust"]["total_s"],
                       "source": "Tools/rust/bench-results.json",
                       "date": bench_report.get("date"),
                       "commit": bench_report.get("commit")}
    else:
        logs = os.path.join(root, "build", "logs")
        spans = {}
        for v in ("c", "rust"):
            conf = os.path.join(logs, f"bench-cold-{v}-configure.log")
            make = os.path.join(logs, f"bench-cold-{v}-make.log")
            if os.path.exists(conf) and os.path.exists(make):
                spans[v] = os.path.getmtime(make) - os.path.getmtime(conf)
        if len(spans) == 2 and min(spans.values()) > 0:
            out["cold"] = {
                "c_s": spans["c"], "rust_s": spans["rust"],
                "source": "build/logs/bench-cold-*-make.log (the make "
                          "step's time: its log's last write after the "
                          "configure log's)",
                "date": mtime_iso(os.path.join(
                    logs, "bench-cold-rust-make.log")),
                "commit": None}
    sized = results(root, "sizes")
    sizes = (sized or {}).get("sizes") or (bench_report or {}).get("sizes")
    if sizes and "c" in sizes and "rust" in sizes:
        src = sized or bench_report
        out["size"] = {
            "c_file": sizes["c"]["file_bytes"],
            "rust_file": sizes["rust"]["file_bytes"],
            "c_loaded": sizes["c"]["loaded_bytes"],
            "rust_loaded": sizes["rust"]["loaded_bytes"],
            "source": (f"build/{RESULTS_DIR}/sizes.json (of build/c and "
                       f"build/rust as built)" if sized else
                       "Tools/rust/bench-results.json"),
            "date": src.get("built") or src.get("date"),
            "commit": None if sized else src.get("commit"),
            "objects": src.get("objects")}
    return out


# --- Refresh: the cheap measurements -------------------------------------------

def refresh(root, log=print):
    """Panic sites and sizes, measured now, into build/results/."""
    import panics
    import bench
    build = os.path.join(root, "build")
    linked = [o.name for o in registry.select(registry.load(root))]
    profiles = {}
    for variant in ("rust", "debug-rust"):
        builddir = os.path.join(build, variant)
        obj = os.path.join(builddir, panics.OBJECT)
        profile = panics.profile_of(builddir)
        if not os.path.isfile(obj) or not profile:
            log(f"report: no {panics.OBJECT} in build/{variant}: its panic "
                f"sites are not measured")
            continue
        try:
            sites, _ = panics.find_sites(obj)
        except panics.PanicsError as exc:
            log(f"report: panic sites of build/{variant}: {exc}")
            continue
        # The build measured is as old as its object, whatever the tree
        # is now: its date is what staleness is judged by.
        profiles[profile] = {"builddir": f"build/{variant}",
                             "built": mtime_iso(obj), "sites": sites}
        log(f"report: build/{variant} ({profile}): {len(sites)} panic "
            f"site(s)")
    if profiles:
        record_result(root, "panics", {"profiles": profiles})
    sizes = bench.sizes(build)
    if sizes:
        # Measured now, of binaries built then: their date is the one
        # staleness is judged by.
        built = sorted(mtime_iso(os.path.join(build, v, "python"))
                       for v in sizes)
        record_result(root, "sizes", {"sizes": sizes, "objects": linked,
                                      "built": built[0]})
        log("report: sizes of " + ", ".join(f"build/{v}/python"
                                            for v in sizes))


# --- Gathering everything --------------------------------------------------------

def collect(root, objects=None, bench_report=None, moves=None):
    """Every figure of the report, as a dict (see render_md/render_html)."""
    objects = objects if objects is not None else registry.load(root)
    if bench_report is None:
        bench_report = read_json_or_none(os.path.join(
            root, "Tools", "rust", "bench-results.json")) or {}
    moves = moves if moves is not None else drift_moves(root)
    state = git_state(root)
    head = (git(root, "log", "-1", "--format=%h %cI") or "").split()
    srcdir = srcdir_of(root)
    rows, safety_measured = safety_rows(root)
    test_result = results(root, "test-c-rust")
    difftest = results(root, "difftest")
    data = {"tree": {"commit": state["commit"], "dirty": state["dirty"],
                     "short": head[0] if head else None,
                     "date": head[1] if len(head) > 1 else None},
            "generated": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "bench": {k: bench_report.get(k) for k in
                      ("date", "commit", "command", "machine",
                       "instr_geomean", "time_geomean")},
            "objects": {}}
    twins_of = {}
    for name, obj in objects.items():
        twins_of[name] = twins(root, srcdir, obj)
    c_names = {n: set((t or {}).get("c_names", ()))
               for n, t in twins_of.items()}
    sites, sites_source = panic_sites(root, objects, c_names)
    data["panics_source"] = sites_source
    data["build_cost"] = build_cost(root, bench_report)
    for name, obj in objects.items():
        paths = object_paths(root, obj)

        def fresh(commit=None, date=None, paths=paths):
            return freshness(root, paths, commit, date, state["dirty"])
        entry = {"registry": {
            "justification": (None if is_placeholder(obj.justification)
                              else obj.justification),
            "status": obj.status,
            "responsible": list(obj.responsible) if obj.responsible
            else None, "exit_criterion": obj.exit_criterion or None,
            "default": obj.default, "c_file": obj.c_file,
            "crate": obj.crate, "c_release": obj.c_release},
            "paths": paths}
        deps, _ = all_dependencies(root, obj.crate)
        entry["rust"] = (count_crate(root, obj.crate)
                         if os.path.isdir(os.path.join(root, obj.crate))
                         else None)
        entry["rust_deps"] = {d: count_crate(root, d)["lines"]
                              for d in sorted(deps)
                              if not d.startswith("Modules/")}
        entry["c"] = count_c(srcdir, obj)
        entry["twins"] = twins_of[name]
        entry["panics"] = sites.get(name)
        entry["panics_fresh"] = fresh(sites_source.get("commit"),
                                      sites_source.get("date"))
        entry["drift"] = drift_of(moves, name)
        entry["safety"] = [r for r in rows if r["object"] == name]
        entry["safety_fresh"] = (fresh(safety_measured["commit"])
                                 if safety_measured else
                                 (MISSING, "no safety table in README.md"))
        entry["safety_measured"] = safety_measured
        b = bench_of(bench_report, name)
        if b:
            b["fresh"] = fresh(bench_report.get("commit"),
                               bench_report.get("date"))
        entry["bench"] = b
        if test_result and name in test_result.get("objects", ()):
            entry["test"] = dict(test_result, fresh=fresh(
                test_result.get("commit"), test_result.get("date")))
        else:
            entry["test"] = None
        d = (difftest or {}).get("objects", {}).get(name)
        if d and d.get("rust_linked", True):
            entry["difftest"] = dict(d, date=difftest.get("date"),
                                     commit=difftest.get("commit"),
                                     fresh=fresh(difftest.get("commit"),
                                                 difftest.get("date")))
        else:
            entry["difftest"] = None
        entry["checks"] = [
            (title, status, detail, date, commit, src,
             fresh(commit, date) if status != MISSING else
             (MISSING, "never run here"))
            for title, status, detail, date, commit, dirty, src
            in check_results(root, name)]
        entry["reproducers"] = [
            (os.path.relpath(p, root), mtime_iso(p))
            for p in sorted(glob.glob(os.path.join(
                root, "build", "difftest", f"{name}-*.py")))]
        entry["verdict"] = evaluate(entry)
        data["objects"][name] = entry
    data["totals"] = totals(data)
    return data


# --- Verdicts -------------------------------------------------------------------

def is_placeholder(text):
    """An absent justification, or the one `Tools/rust new` writes."""
    return not text or not text.strip() or text.startswith("TODO")


def _usable(fresh):
    return fresh is not None and fresh[0] == CURRENT


def values(entry):
    """{condition: (value or None, why)} for the exit criterion."""
    out = {}
    followed = [m for m in entry["drift"] if m["followed"]]
    out["moves_followed"] = (len(followed), f"{len(followed)} move(s) in "
                             f"the drift log" + (
                                 f" ({', '.join(m['move'] for m in followed)})"
                                 if followed else ""))
    out["uncaught_changes"] = (
        sum(m["uncaught"] for m in followed),
        f"over {sum(m['changes'] for m in followed)} change(s) of "
        f"{len(followed)} move(s)")
    out["move_hours"] = ((max(m["hours"] for m in followed), "the costliest "
                          "move") if followed else (0, "no move followed"))
    out["move_rust_lines"] = (
        (max(m["rust_added"] + m["rust_removed"] for m in followed),
         "the costliest move") if followed else (0, "no move followed"))
    t = entry["test"]
    if t is None:
        out["test_differences"] = (None, "no recorded test comparison "
                                   "(build/results/test-c-rust.json)")
    elif not _usable(t["fresh"]):
        out["test_differences"] = (None, f"the test comparison is "
                                   f"{t['fresh'][0]}: {t['fresh'][1]}")
    else:
        out["test_differences"] = (t["differences"], f"test comparison of "
                                   f"{t['date']}")
    d = entry["difftest"]
    if d is None:
        out["difftest_divergences"] = (None, "no recorded difftest run "
                                       "(build/results/difftest.json)")
    elif not _usable(d["fresh"]):
        out["difftest_divergences"] = (None, f"the difftest run is "
                                       f"{d['fresh'][0]}: {d['fresh'][1]}")
    else:
        out["difftest_divergences"] = (d["divergences"],
                                       f"{d['cases']} cases, {d['date']}")
    b = entry["bench"]
    if b is None:
        out["max_instr_ratio"] = out["instr_geomean"] = (
            None, "no row of this object in the recorded benchmark")
    elif not _usable(b["fresh"]):
        why = (f"the benchmark record is {b['fresh'][0]} "
               f"({b['fresh'][1]}); it said ")
        out["max_instr_ratio"] = (None, why + f"{b['highest']:.3f}")
        out["instr_geomean"] = (None, why + f"{b['geomean']:.3f}")
    else:
        out["max_instr_ratio"] = (round(b["highest"], 3),
                                  f"{b['highest_row']}")
        out["instr_geomean"] = (round(b["geomean"], 3),
                                f"over {b['rows']} rows")
    p = entry["panics"]
    if p and "release" in p and not _usable(entry.get("panics_fresh")):
        out["new_panic_sites"] = (
            None, f"the panic sites are {entry['panics_fresh'][0]} "
                  f"({entry['panics_fresh'][1]}); they said "
                  f"{len(p['release']['own'])}")
    elif p and "release" in p:
        out["new_panic_sites"] = (len(p["release"]["own"]),
                                  "release profile")
    else:
        out["new_panic_sites"] = (None, "no release panic sites recorded")
    return out


def _compare(value, op, limit):
    return {">=": value >= limit, "<=": value <= limit,
            ">": value > limit}[op]


def evaluate(entry):
    """{"promote": (MET|NOT_MET|UNKNOWN, [rows]), "drop": (...),
    "summary": text}; a row is (condition, description, op, limit, value,
    outcome, why)."""
    crit = entry["registry"]["exit_criterion"]
    if not crit:
        return {"promote": (UNKNOWN, []), "drop": (UNKNOWN, []),
                "summary": "cannot tell: the registry entry has no "
                           "exit_criterion (missing)"}
    vals = values(entry)
    result = {}
    for part, table in (("promote", PROMOTE), ("drop", DROP)):
        key = "promote_when" if part == "promote" else "drop_if"
        rows = []
        for cond, limit in (crit.get(key) or {}).items():
            if cond not in table:
                rows.append((cond, "unknown condition", "", limit, None,
                             UNKNOWN, "not a condition the report knows"))
                continue
            desc, op = table[cond]
            value, why = vals.get(cond, (None, "not measured"))
            if value is None:
                outcome = UNKNOWN
            else:
                outcome = MET if _compare(value, op, limit) else NOT_MET
            rows.append((cond, desc, op, limit, value, outcome, why))
        outcomes = [r[5] for r in rows]
        if not rows:
            status = UNKNOWN
        elif part == "promote":
            status = (NOT_MET if NOT_MET in outcomes else
                      UNKNOWN if UNKNOWN in outcomes else MET)
        else:
            status = (MET if MET in outcomes else
                      UNKNOWN if UNKNOWN in outcomes else NOT_MET)
        result[part] = (status, rows)
    promote, drop = result["promote"][0], result["drop"][0]
    if drop == MET:
        why = [r[1] for r in result["drop"][1] if r[5] == MET]
        summary = "drop: " + "; ".join(why)
    elif promote == MET:
        summary = "promote: every promotion condition is met"
    else:
        failing = [f"`{r[0]}` {r[4]}, needs {r[2]} {r[3]}"
                   for r in result["promote"][1] if r[5] == NOT_MET]
        unknown = [f"`{r[0]}`" for r in result["promote"][1]
                   if r[5] == UNKNOWN]
        drop_unknown = [f"`{r[0]}`" for r in result["drop"][1]
                        if r[5] == UNKNOWN]
        summary = (f"keep on trial. Promotion {promote}"
                   + (f" ({'; '.join(failing)})" if failing else "")
                   + (f"; cannot tell {', '.join(unknown)} (missing or "
                      f"stale data)" if unknown else "")
                   + f". Drop {drop}"
                   + (f" (cannot tell {', '.join(drop_unknown)})"
                      if drop_unknown else "") + ".")
    result["summary"] = summary
    return result


def criterion_text(crit):
    if not crit:
        return "missing"
    parts = []
    for key, table, word in (("promote_when", PROMOTE, "Promote when"),
                             ("drop_if", DROP, "drop if")):
        conds = [f"{table.get(c, (c, '?'))[0]} {table.get(c, ('', '?'))[1]}"
                 f" {v}" for c, v in (crit.get(key) or {}).items()]
        if conds:
            parts.append(f"{word} " + ", ".join(conds))
    return "; ".join(parts) + "."


def totals(data):
    objs = data["objects"].values()

    def tot(fn):
        vals = [fn(e) for e in objs]
        known = [v for v in vals if v is not None]
        return (sum(known), len(vals) - len(known))
    return {
        "objects": len(data["objects"]),
        "c_lines": tot(lambda e: e["c"]["lines"] if e["c"] else None),
        "rust_lines": tot(lambda e: e["rust"]["lines"] if e["rust"]
                          else None),
        "unsafe_blocks": tot(lambda e: e["rust"]["unsafe_blocks"]
                             if e["rust"] else None),
        "unsafe_blocks_proved": tot(
            lambda e: e["rust"]["unsafe_blocks_proved"] if e["rust"]
            else None),
        "drift_hours": tot(lambda e: sum(m["hours"] for m in e["drift"]
                                         if m["followed"])),
        "drift_rust_lines": tot(lambda e: sum(
            m["rust_added"] + m["rust_removed"] for m in e["drift"]
            if m["followed"])),
        "drift_c_lines": tot(lambda e: sum(
            m["c_added"] + m["c_removed"] for m in e["drift"]
            if m["followed"])),
        "safety_rows": tot(lambda e: len(e["safety"])),
        "new_c_bugs": tot(lambda e: sum(1 for r in e["safety"]
                                        if r["upstream"] == "(new)")),
        "c_crashes_or_bad_memory": tot(lambda e: sum(
            1 for r in e["safety"] if r["c"].startswith("**")
            and not r["rust"].startswith("**"))),
        "bench_rows": tot(lambda e: e["bench"]["rows"] if e["bench"]
                          else None),
        "twins_paired": tot(lambda e: e["twins"]["paired"] if e["twins"]
                            else None),
        "c_functions": tot(lambda e: e["twins"]["c_functions"]
                           if e["twins"] else None),
        "release_panic_sites": tot(
            lambda e: len(e["panics"]["release"]["own"])
            + len(e["panics"]["release"]["dependency"])
            if e["panics"] and "release" in e["panics"] else None),
    }


# --- Rendering ------------------------------------------------------------------

def fmt(value, digits=3):
    if value is None:
        return "missing"
    if isinstance(value, float):
        if math.isnan(value):
            return "missing"
        return f"{value:.{digits}f}"
    return str(value)


def share(part, whole):
    return "n/a (none)" if not whole else f"{part}/{whole} ({100 * part / whole:.0f}%)"


def when(date, commit):
    if not date and not commit:
        return "date and commit not recorded"
    return (f"{date or 'date not recorded'}, "
            + (f"commit {commit[:12]}" if commit else "commit not recorded"))


def fresh_text(fresh):
    if fresh is None:
        return MISSING
    state, why = fresh
    return f"{state.upper()}: {why}" if state != CURRENT else \
        f"current ({why})"


def sections(data):
    """The report as a list of blocks, shared by both renderings:
    ("h1"|"h2"|"h3", text), ("p", text), ("table", header, rows),
    ("chart", kind, payload)."""
    out = []
    tree = data["tree"]
    out.append(("h1", "Rust twins of CPython's objects: the experience "
                      "report"))
    out.append(("p", f"Generated {data['generated']} by `python3 Tools/rust "
                     f"report` on commit {tree['short'] or 'unknown'} "
                     f"({tree['date'] or 'no git'})"
                + (f", with uncommitted changes in "
                   f"{len(tree['dirty'])} file(s)" if tree["dirty"] else "")
                + ".  Every figure below is read from a file a command "
                  "wrote or counted in the tree now; a figure measured "
                  "before a change to the object's files is marked STALE "
                  "and is not used for a verdict, and an absent one says "
                  "missing."))
    rows = []
    for name, e in data["objects"].items():
        reg = e["registry"]
        rows.append([name, reg["status"] or "missing",
                     "on" if reg["default"] else "off",
                     e["verdict"]["promote"][0], e["verdict"]["drop"][0],
                     e["verdict"]["summary"]])
    out.append(("h2", "Verdicts"))
    out.append(("table", ["object", "status", "`make RUST=1` default",
                          "promote criterion", "drop criterion",
                          "verdict"], rows))
    out += total_sections(data)
    for name, e in data["objects"].items():
        out += object_sections(name, e, data)
    return out


def total_sections(data):
    t = data["totals"]
    out = [("h2", "All objects: cost and benefit")]

    def cell(pair, unit=""):
        total, missing = pair
        return f"{total}{unit}" + (f" ({missing} object(s) missing)"
                                   if missing else "")
    out.append(("table", ["", "total"], [
        ["objects registered", str(t["objects"])],
        ["C twin code lines (non-blank, non-comment)", cell(t["c_lines"])],
        ["Rust code lines of the object crates (tests left out)",
         cell(t["rust_lines"])],
        ["`unsafe` blocks (with a `// SAFETY:` proof)",
         f"{cell(t['unsafe_blocks'])} ({cell(t['unsafe_blocks_proved'])})"],
        ["C functions paired with a Rust twin",
         f"{cell(t['twins_paired'])} of {cell(t['c_functions'])}"],
        ["release panic sites attributed to the objects",
         cell(t["release_panic_sites"])],
        ["upstream drift: C lines changed / Rust lines changed / hours",
         f"{cell(t['drift_c_lines'])} / {cell(t['drift_rust_lines'])} / "
         f"{cell(t['drift_hours'], ' h')}"],
        ["safety rows (cases where C crashes or misuses memory)",
         cell(t["safety_rows"])],
        ["of them, C 3.13.15 still crashes or misuses memory and the Rust "
         "does not", cell(t["c_crashes_or_bad_memory"])],
        ["C bugs first found by this project", cell(t["new_c_bugs"])],
        ["benchmark rows (instructions)", cell(t["bench_rows"])],
    ]))
    b = data["bench"]
    if b.get("date"):
        out.append(("p", f"Recorded benchmark (`{b['command']}`, "
                         f"{b['machine']}): {when(b['date'], b.get('commit'))}"
                         f"; instruction geometric mean over every row "
                         f"{fmt(b['instr_geomean'])}, time geometric mean "
                         f"(quick rows) {fmt(b['time_geomean'])}."))
    else:
        out.append(("p", "Recorded benchmark: missing "
                         "(Tools/rust/bench-results.json)."))
    chart = [(n, e["bench"]["geomean"], e["bench"]["highest"])
             for n, e in data["objects"].items() if e["bench"]]
    if chart:
        out.append(("chart", "objects", chart))
        out.append(("p", "Standing of these figures: " + "; ".join(
            f"{n}: {fresh_text(e['bench']['fresh'])}"
            for n, e in data["objects"].items() if e["bench"]) + "."))
    no_bench = [n for n, e in data["objects"].items() if not e["bench"]]
    if no_bench:
        out.append(("p", f"Not in the recorded benchmark: "
                         f"{', '.join(no_bench)} (missing)."))
    costs = [(n, e["c"]["lines"] if e["c"] else None,
              e["rust"]["lines"] if e["rust"] else None)
             for n, e in data["objects"].items()]
    if any(c and r for _, c, r in costs):
        out.append(("chart", "lines", [x for x in costs if x[1] and x[2]]))
    bc = data["build_cost"]
    rows = []
    cold = bc.get("cold")
    if cold:
        rows.append(["cold build, make (Rust build / C build)",
                     f"{cold['rust_s']:.0f} s / {cold['c_s']:.0f} s = "
                     f"{cold['rust_s'] / cold['c_s']:.2f}x",
                     cold["source"], when(cold["date"], cold["commit"])])
    else:
        rows.append(["cold build", "missing (run `python3 Tools/rust bench "
                     "--build-time`)", "", ""])
    size = bc.get("size")
    if size:
        rows.append(["`python` file size, Rust - C",
                     f"{size['rust_file'] - size['c_file']:+,} bytes",
                     size["source"], when(size["date"], size.get("commit"))])
        rows.append(["`python` loaded sections, Rust - C",
                     f"{size['rust_loaded'] - size['c_loaded']:+,} bytes "
                     f"({100 * (size['rust_loaded'] / size['c_loaded'] - 1):+.1f}%)",
                     size["source"], when(size["date"], size.get("commit"))])
    else:
        rows.append(["size of `python`", "missing", "", ""])
    out.append(("h3", "Build cost (all Rust objects together; not "
                      "measured per object: they are linked as one "
                      "library)"))
    out.append(("table", ["", "figure", "source", "measured"], rows))
    return out


def object_sections(name, e, data):
    reg = e["registry"]
    out = [("h2", f"{name}"),
           ("p", f"C twin `{reg['c_file']}` ({reg['c_release']}), Rust "
                 f"crate `{reg['crate']}`; `make RUST=1` default: "
                 f"{'on' if reg['default'] else 'off'}.")]
    # Why
    out.append(("h3", "Why this object"))
    out.append(("p", reg["justification"] or
                "Justification: missing (registry field `justification`)."))
    out.append(("table", ["", ""], [
        ["status", reg["status"] or "missing"],
        ["responsible", ", ".join(reg["responsible"])
         if reg["responsible"] else "missing"],
        ["exit criterion", criterion_text(reg["exit_criterion"])],
        ["verdict", e["verdict"]["summary"]]]))
    vrows = []
    for part in ("promote", "drop"):
        for cond, desc, op, limit, value, outcome, why in \
                e["verdict"][part][1]:
            vrows.append([part, f"{desc} (`{cond}`)", f"{op} {limit}",
                          fmt(value), outcome, why])
    if vrows:
        out.append(("table", ["", "condition", "limit", "value", "outcome",
                              "why"], vrows))
    # Cost
    out.append(("h3", "What it costs to keep two versions"))
    drows = []
    for m in e["drift"]:
        if not m["followed"]:
            drows.append([m["move"], "not followed", "", "", "", "",
                          m["note"]])
            continue
        caught = (f"{m['changes'] - m['uncaught']} of {m['changes']} "
                  f"caught before the Rust edit"
                  + (f"; by the difftest: "
                     f"{'; '.join(m['caught_by_difftest'])}"
                     if m["caught_by_difftest"] else "")
                  + (f"; {m['caught_by_tests']} by a test"
                     if m["caught_by_tests"] else ""))
        drows.append([m["move"], f"+{m['c_added']} -{m['c_removed']}"
                      + (f" (+{m['items_changed']} mirrored definitions)"
                         if m["items_changed"] else ""),
                      f"+{m['rust_added']} -{m['rust_removed']}",
                      f"{m['rust_edits']} of {m['changes']}",
                      f"{m['hours']} h", f"+{m['test_added']}", caught])
    if drows:
        out.append(("table", ["upstream move", "C lines", "Rust lines",
                              "changes needing a Rust edit", "effort",
                              "test lines", "caught first"], drows))
    else:
        out.append(("p", "Drift: no upstream move in the drift log "
                         "(Tools/rust/drift/) for this object yet."))
    r, c, tw = e["rust"], e["c"], e["twins"]
    rows = [["C twin code lines", fmt(c["lines"]) if c else "missing "
             "(no C source tree: run `python3 Tools/rust build`)"],
            ["its Argument Clinic header (generated)",
             fmt(c["clinic_lines"]) if c else "missing"],
            ["Rust code lines (tests left out)",
             f"{r['lines']} in {r['files']} file(s)" if r else "missing"]]
    for dep, n in e["rust_deps"].items():
        rows.append([f"Rust code lines of `{dep}` (a crate it uses)",
                     str(n)])
    if r:
        rows += [["`unsafe` blocks with a `// SAFETY:` proof",
                  share(r["unsafe_blocks_proved"], r["unsafe_blocks"])],
                 ["`unsafe fn` (Rust callers) with a `# Safety` section",
                  share(r["unsafe_fns_documented"], r["unsafe_fns"])],
                 ["`unsafe extern \"C\" fn` (called by C: slots and the "
                  "exported API, under C's contract)",
                  str(r["c_entry_points"])],
                 ["`unsafe impl` with a `// SAFETY:` proof",
                  share(r["unsafe_impls_proved"], r["unsafe_impls"])]]
    if tw:
        rows.append(["C functions paired with a Rust twin (review page)",
                     f"{tw['paired']} of {tw['c_functions']}"
                     + (f"; unpaired: {', '.join(tw['unpaired'])}"
                        if tw["unpaired"] else "")])
    else:
        rows.append(["C functions paired", "missing (no C source tree)"])
    p = e["panics"]
    src = data["panics_source"]
    for profile in ("release", "pydebug"):
        if p and profile in p:
            own, dep = p[profile]["own"], p[profile]["dependency"]
            rows.append([f"panic sites, {profile} profile",
                         f"{len(own)} in its code, {len(dep)} in crates it "
                         f"uses"])
        else:
            rows.append([f"panic sites, {profile} profile", "missing"])
    out.append(("table", ["", ""], rows))
    out.append(("p", f"Counted in the tree now; panic sites from "
                     f"{src['what']} ({when(src.get('date'), src.get('commit'))}"
                     f"; {fresh_text(e.get('panics_fresh'))}), attributed "
                     f"to the object by their function, their export or "
                     f"the crate they are in."))
    # Buys
    out.append(("h3", "What it buys"))
    if e["safety"]:
        out.append(("table", ["case", "upstream", "what",
                              f"C {reg['c_release']}", "Rust"],
                    [[f"`{s['case']}`", s["upstream"], s["what"], s["c"],
                      s["rust"]] for s in e["safety"]]))
        m = e["safety_measured"] or {}
        out.append(("p", f"The safety table of README.md (`python3 "
                         f"Tools/rust safety --valgrind`), its rows last "
                         f"changed {when(m.get('date'), m.get('commit'))}: "
                         f"{fresh_text(e['safety_fresh'])}."))
        new = [s["case"] for s in e["safety"] if s["upstream"] == "(new)"]
        out.append(("p", "C bugs found by this project (reproducer: the "
                         "case of Lib/test/test_rust_safety.py): "
                         + (", ".join(f"`{n}`" for n in new) if new
                            else "none")))
    else:
        out.append(("p", "Safety rows: none for this object."))
    dev = [w for m in e["drift"] if m["followed"]
           for w in m["caught_by_difftest"]]
    out.append(("p", "Divergences of the Rust found by the difftest, from "
                     "the committed drift log: "
                + ("; ".join(dev) if dev else "none recorded")
                + ".  Reproducers now under build/difftest/ (not "
                  "committed): "
                + (", ".join(f"{p} ({d})" for p, d in e["reproducers"])
                   if e["reproducers"] else "none") + "."))
    b = e["bench"]
    if b:
        out.append(("p", f"Benchmark: {b['rows']} operations, instruction "
                         f"ratio Rust/C geometric mean {fmt(b['geomean'])}, "
                         f"highest {fmt(b['highest'])} "
                         f"(`{b['highest_row']}`), {b['above_c']} above C; "
                         f"time (quick rows): {b['time_rows']} rows, "
                         f"geometric mean {fmt(b['time_geomean'])}, slowest "
                         f"`{b['slowest_time'] or 'missing'}`.  Recorded "
                         f"{when(data['bench']['date'], data['bench'].get('commit'))}"
                         f": {fresh_text(b['fresh'])}."))
        out.append(("chart", "groups", (name, b["groups"])))
        out.append(("table", ["group", "operations", "geomean", "lowest",
                              "highest"],
                    [[g, str(n), fmt(gm), fmt(lo), fmt(hi)]
                     for g, n, gm, lo, hi in b["groups"]]))
    else:
        out.append(("p", "Benchmark: missing (no row of this object in "
                         "Tools/rust/bench-results.json)."))
    # Holds
    out.append(("h3", "Does it hold"))
    rows = []
    t = e["test"]
    if t:
        v = t["variants"]
        tests = t.get("tests")
        rows.append(["test comparison (c, rust)",
                     ("all tests" if tests in (None, "all") else
                      f"{len(tests)} test module(s)") + ": "
                     f"{t['differences']} differing test case(s); "
                     + ", ".join(f"{k}: {x['cases']} cases, {x['passed']} "
                                 f"passed, {x['failed']} failed"
                                 for k, x in v.items()),
                     when(t["date"], t.get("commit")),
                     fresh_text(t["fresh"])])
    else:
        rows.append(["test comparison (c, rust)", "missing (no "
                     f"build/{RESULTS_DIR}/test-c-rust.json: run `python3 "
                     "Tools/rust test`)", "", MISSING])
    d = e["difftest"]
    if d:
        rows.append(["difftest", f"{d['cases']} cases, {d['divergences']} "
                     f"divergence(s)", when(d["date"], d.get("commit")),
                     fresh_text(d["fresh"])])
    else:
        rows.append(["difftest", f"missing (no build/{RESULTS_DIR}/"
                     f"difftest.json with this object on the Rust build)",
                     "", MISSING])
    for title, status, detail, date, commit, src, fresh in e["checks"]:
        rows.append([title, f"{status}: {detail}" + (f" ({src})" if src
                                                      else ""),
                     when(date, commit) if status != MISSING else "",
                     fresh_text(fresh)])
    out.append(("table", ["check", "result", "measured", "standing"],
                rows))
    return out


def render_md(data):
    lines = []
    for block in sections(data):
        kind = block[0]
        if kind in ("h1", "h2", "h3"):
            lines += ["#" * int(kind[1]) + " " + block[1], ""]
        elif kind == "p":
            lines += [block[1], ""]
        elif kind == "table":
            header, rows = block[1], block[2]
            lines.append("| " + " | ".join(header) + " |")
            lines.append("|" + "---|" * len(header))
            for row in rows:
                lines.append("| " + " | ".join(
                    str(c).replace("|", "\\|").replace("\n", " ")
                    for c in row) + " |")
            lines.append("")
        elif kind == "chart":
            lines += [f"(chart: {chart_title(block)}; see index.html)", ""]
    return "\n".join(lines)


def chart_title(block):
    kind, payload = block[1], block[2]
    if kind == "groups":
        return (f"{payload[0]}: Rust/C instructions per group (geometric "
                f"mean, lowest to highest)")
    if kind == "objects":
        return "Rust/C instructions per object (geometric mean, highest)"
    return "code lines per object, C twin and Rust crate"


# --- SVG charts -------------------------------------------------------------------

def _svg(width, height, body, title):
    return (f'<svg class="chart" role="img" width="{width}" '
            f'height="{height}" viewBox="0 0 {width} {height}" '
            f'xmlns="http://www.w3.org/2000/svg"><title>'
            f'{html.escape(title)}</title>{body}</svg>')


def ratio_chart(rows, title):
    """Horizontal bars of Rust/C ratios: rows (label, value, low, high);
    lines at 1.0 and at the gate's 1.02."""
    label_w, bar_w, row_h = 260, 420, 22
    hi = max([1.1] + [r[1] for r in rows]
             + [r[3] for r in rows if r[3] is not None])
    scale = bar_w / hi
    height = 40 + row_h * len(rows)
    parts = []
    for i, (label, value, low, high) in enumerate(rows):
        y = 10 + i * row_h
        w = max(1.0, value * scale)
        color = "#2a7" if value <= 1.0 else "#d62"
        parts.append(f'<text x="{label_w - 6}" y="{y + 14}" '
                     f'text-anchor="end" font-size="12">'
                     f'{html.escape(label[:40])}</text>')
        parts.append(f'<rect class="mark" x="{label_w}" y="{y + 3}" '
                     f'width="{w:.1f}" height="{row_h - 8}" fill="{color}">'
                     f'<title>{html.escape(label)}: {value:.3f}</title>'
                     f'</rect>')
        if low is not None and high is not None:
            parts.append(f'<line class="mark" x1="{label_w + low * scale:.1f}"'
                         f' x2="{label_w + high * scale:.1f}" '
                         f'y1="{y + row_h / 2 - 1}" y2="{y + row_h / 2 - 1}" '
                         f'stroke="#333" stroke-width="1.5"/>')
        parts.append(f'<text x="{label_w + w + 4:.1f}" y="{y + 14}" '
                     f'font-size="11">{value:.3f}</text>')
    for x, dash, anchor in ((1.0, "", "end"),
                            (1.02, ' stroke-dasharray="4 3"', "start")):
        px = label_w + x * scale
        parts.append(f'<line x1="{px:.1f}" x2="{px:.1f}" y1="5" '
                     f'y2="{height - 22}" stroke="#000"{dash}/>')
        parts.append(f'<text x="{px:.1f}" y="{height - 8}" font-size="11" '
                     f'text-anchor="{anchor}">{x:g}</text>')
    return _svg(label_w + bar_w + 80, height, "".join(parts), title)


def lines_chart(rows, title):
    """Paired bars: C twin lines and Rust crate lines per object."""
    label_w, bar_w, row_h = 160, 440, 18
    top = max(max(c, r) for _, c, r in rows)
    scale = bar_w / top
    parts = []
    for i, (name, c, r) in enumerate(rows):
        y = 10 + i * (2 * row_h + 10)
        parts.append(f'<text x="{label_w - 6}" y="{y + row_h + 4}" '
                     f'text-anchor="end" font-size="12">'
                     f'{html.escape(name)}</text>')
        for j, (what, n, color) in enumerate((("C", c, "#789"),
                                             ("Rust", r, "#b52"))):
            yy = y + j * row_h
            parts.append(f'<rect class="mark" x="{label_w}" y="{yy}" '
                         f'width="{max(1, n * scale):.1f}" '
                         f'height="{row_h - 3}" fill="{color}"><title>'
                         f'{what}: {n}</title></rect>')
            parts.append(f'<text x="{label_w + n * scale + 4:.1f}" '
                         f'y="{yy + 12}" font-size="11">{what} {n}</text>')
    height = 20 + len(rows) * (2 * row_h + 10)
    return _svg(label_w + bar_w + 90, height, "".join(parts), title)


def chart_svg(block):
    kind, payload = block[1], block[2]
    title = chart_title(block)
    if kind == "groups":
        rows = [(g, gm, lo, hi) for g, n, gm, lo, hi in payload[1]]
        return ratio_chart(rows, title)
    if kind == "objects":
        rows = []
        for name, gm, hi in payload:
            rows.append((f"{name} geomean", gm, None, None))
            rows.append((f"{name} highest", hi, None, None))
        return ratio_chart(rows, title)
    return lines_chart(payload, title)


CSS = """
body { font-family: sans-serif; margin: 2em auto; max-width: 1150px;
       color: #222; }
table { border-collapse: collapse; margin: 0.6em 0 1.2em; font-size: 13px; }
th, td { border: 1px solid #bbb; padding: 3px 6px; vertical-align: top;
         text-align: left; }
th { background: #eee; }
code { background: #f3f3f3; padding: 0 2px; }
h2 { border-bottom: 2px solid #444; margin-top: 2em; }
.met { background: #dfd; } .notmet { background: #fdd; }
.unknown { background: #ffd; } .stale { color: #a40; font-weight: bold; }
figure { margin: 0.5em 0 1.5em; } figcaption { font-size: 12px; }
#script-errors { color: #c00; }
"""

# Checks that the page works in a browser: every chart has drawn marks and
# no script error happened (the browser test reads what this writes).
SCRIPT = """
var errors = [];
window.addEventListener('error', function (e) {
  errors.push(String(e.message));
  document.getElementById('script-errors').textContent = errors.join('; ');
});
window.addEventListener('load', function () {
  var charts = document.querySelectorAll('svg.chart');
  var empty = 0;
  for (var i = 0; i < charts.length; i++) {
    var marks = charts[i].querySelectorAll('.mark');
    var drawn = 0;
    for (var j = 0; j < marks.length; j++) {
      var box = marks[j].getBBox();
      if (box.width > 0 || box.height > 0) drawn++;
    }
    charts[i].setAttribute('data-drawn', String(drawn));
    if (drawn === 0) empty++;
  }
  // Where each chart is on the page (CSS pixels), for the browser test's
  // look at the screenshot.
  for (var k = 0; k < charts.length; k++) {
    var r = charts[k].getBoundingClientRect();
    charts[k].setAttribute('data-box', [r.left + window.scrollX,
      r.top + window.scrollY, r.width, r.height].map(Math.round).join(','));
  }
  document.body.setAttribute('data-height',
                             String(document.documentElement.scrollHeight));
  document.body.setAttribute('data-charts', String(charts.length));
  document.body.setAttribute('data-empty-charts', String(empty));
  document.body.setAttribute('data-ready', errors.length ? 'error' : 'ok');
});
"""


def _inline(text):
    """Markdown-ish inline text to HTML: `code` and **bold**."""
    out = html.escape(text)
    out = re.sub(r"`([^`]+)`", r"<code>\1</code>", out)
    out = re.sub(r"\*\*([^*]+)\*\*", r"<b>\1</b>", out)
    return out


def _cell_class(text):
    if text == MET:
        return ' class="met"'
    if text == NOT_MET:
        return ' class="notmet"'
    if text == UNKNOWN or text.startswith(("STALE", "MISSING", "missing")):
        return ' class="unknown"'
    return ""


def render_html(data):
    body = []
    for block in sections(data):
        kind = block[0]
        if kind in ("h1", "h2", "h3"):
            ident = re.sub(r"\W+", "-", block[1].lower()).strip("-")
            body.append(f'<{kind} id="{ident}">{_inline(block[1])}</{kind}>')
        elif kind == "p":
            body.append(f"<p>{_inline(block[1])}</p>")
        elif kind == "table":
            head = "".join(f"<th>{_inline(h)}</th>" for h in block[1])
            rows = "".join(
                "<tr>" + "".join(f"<td{_cell_class(str(c))}>"
                                 f"{_inline(str(c))}</td>" for c in row)
                + "</tr>" for row in block[2])
            body.append(f"<table><tr>{head}</tr>{rows}</table>")
        elif kind == "chart":
            body.append(f"<figure>{chart_svg(block)}<figcaption>"
                        f"{html.escape(chart_title(block))}</figcaption>"
                        f"</figure>")
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<title>Rust twins: experience report</title>"
            f"<style>{CSS}</style><script>{SCRIPT}</script></head>"
            "<body><div id=\"script-errors\"></div>"
            + "\n".join(body) + "</body></html>\n")


# --- In a browser -----------------------------------------------------------------
#
# Headless Chromium (Debian's package `chromium`) loads the page, runs its
# script and renders it: the page must load without a script error, and
# every chart must have drawn marks, in the DOM and in the pixels of the
# screenshot.

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")


def find_chromium():
    import shutil
    env = os.environ.get("CHROMIUM")
    if env:
        return shutil.which(env) or (env if os.path.isfile(env) else None)
    for name in CHROMIUM_NAMES:
        path = shutil.which(name)
        if path:
            return path
    return None


def ensure_chromium(layout=None):
    """The path of a headless Chromium, installed with apt-get (Debian's
    `chromium`, as root) when missing.  Raises ToolError otherwise."""
    path = find_chromium()
    if path:
        return path
    import builder
    from common import Layout, ToolError
    builder.apt_install(layout or Layout(), ["chromium"],
                        "the report's browser test needs Chromium "
                        "(Debian: apt-get install chromium)")
    path = find_chromium()
    if not path:
        raise ToolError("apt-get installed chromium but no chromium "
                        "command is on PATH")
    return path


# A run whose browser process dies by a signal is run again, up to this
# many times in all: a crash of Chromium itself (seen once in CI: SIGSEGV
# in a --dump-dom run that passes everywhere else) says nothing about the
# page.  A page that fails does so on every run, and still fails.
CHROMIUM_ATTEMPTS = 3


def _chromium(chromium, args, timeout=180, attempts=CHROMIUM_ATTEMPTS):
    """Run headless Chromium with `args`: the last CompletedProcess, with
    `crashes`, the signal of each run that died (the last one's too)."""
    import tempfile
    crashes = []
    for _ in range(attempts):
        # A profile of its own each run: no lock, session or crash state
        # left by an earlier run.  --no-sandbox: CI runs as root, where
        # Chromium's sandbox cannot start.  --disable-dev-shm-usage: a
        # container's /dev/shm can be a few MiB.
        with tempfile.TemporaryDirectory(prefix="chromium-") as profile:
            cmd = [chromium, "--headless", "--no-sandbox", "--disable-gpu",
                   "--disable-dev-shm-usage", f"--user-data-dir={profile}",
                   "--hide-scrollbars", "--mute-audio", "--no-first-run",
                   "--disable-extensions", "--enable-logging=stderr",
                   "--v=0", "--virtual-time-budget=10000", *args]
            proc = subprocess.run(cmd, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True,
                                  timeout=timeout, stdin=subprocess.DEVNULL)
        proc.crashes = crashes
        if proc.returncode >= 0:
            break
        crashes.append(-proc.returncode)
    return proc


def _tail(proc):
    """What a failed run printed last, and the signals of the runs that
    died, for a problem's message."""
    died = (f"; {len(proc.crashes)} run(s) died by signal "
            f"{', '.join(map(str, proc.crashes))}" if proc.crashes else "")
    return f"{died}: {proc.stderr[-300:].strip()}" if proc.stderr else died


def read_png(path):
    """(width, height, rows of RGB tuples) of an 8-bit, non-interlaced
    PNG (what Chromium writes)."""
    import struct
    import zlib
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"{path}: not a PNG")
    pos, idat, header = 8, [], None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", chunk)
        elif kind == b"IDAT":
            idat.append(chunk)
        pos += 12 + length
    width, height, depth, color, _, _, interlace = header
    channels = {2: 3, 6: 4}.get(color)
    if depth != 8 or channels is None or interlace:
        raise ValueError(f"{path}: PNG of depth {depth}, colour type "
                         f"{color}, interlace {interlace}: not read here")
    raw = zlib.decompress(b"".join(idat))
    stride = width * channels
    rows, prev = [], bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind = raw[start]
        line = bytearray(raw[start + 1:start + 1 + stride])
        if kind == 1:
            for i in range(channels, stride):
                line[i] = (line[i] + line[i - channels]) & 255
        elif kind == 2:
            line = bytearray((a + b) & 255 for a, b in zip(line, prev))
        elif kind == 3:
            for i in range(stride):
                left = line[i - channels] if i >= channels else 0
                line[i] = (line[i] + ((left + prev[i]) >> 1)) & 255
        elif kind == 4:
            for i in range(stride):
                a = line[i - channels] if i >= channels else 0
                b = prev[i]
                c = prev[i - channels] if i >= channels else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else b if pb <= pc else c
                line[i] = (line[i] + pred) & 255
        rows.append(line)
        prev = line
    return width, height, [
        [tuple(r[x * channels:x * channels + 3]) for x in range(width)]
        for r in rows]


def colored_pixels(rows, box, scale):
    """How many clearly coloured (not grey, not white) pixels the
    screenshot `rows` has inside `box` (x, y, w, h in CSS pixels)."""
    x, y, w, h = box
    count = 0
    for yy in range(int(y * scale), int((y + h) * scale)):
        if yy >= len(rows):
            break
        row = rows[yy]
        for xx in range(int(x * scale), min(len(row),
                                            int((x + w) * scale))):
            r, g, b = row[xx]
            if max(r, g, b) - min(r, g, b) > 60:
                count += 1
    return count


def browser_check(html_path, png_path=None, chromium=None, scale=0.25,
                  width=1280):
    """Load `html_path` in headless Chromium: returns (problems, facts).
    Problems: a script error (on the console or caught by the page), a
    page that did not finish its script, a chart without drawn marks in
    the DOM or without coloured pixels in the screenshot (taken at
    `scale`; also written to `png_path` when given)."""
    import tempfile
    chromium = chromium or find_chromium()
    if not chromium:
        return ["no Chromium (Debian: apt-get install chromium)"], {}
    url = "file://" + os.path.abspath(html_path)
    problems, facts = [], {}
    # The same width and scale as the screenshot: the same layout, the same
    # boxes (text wraps by the scaled fonts' metrics: at another scale a
    # paragraph can take another line, and every box below it moves).
    proc = _chromium(chromium, [f"--window-size={width},2000",
                                f"--force-device-scale-factor={scale}",
                                "--dump-dom", url])
    dom = proc.stdout
    if proc.crashes:
        facts["dom_crashes"] = proc.crashes
    errors = [line for line in proc.stderr.splitlines()
              if "Uncaught" in line or ("CONSOLE" in line
                                         and "error" in line.lower())]
    problems += [f"script error: {e.strip()[:300]}" for e in errors]
    body = re.search(r"<body([^>]*)>", dom)
    attrs = dict(re.findall(r'(data-[\w-]+)="([^"]*)"',
                            body.group(1))) if body else {}
    facts["body"] = attrs
    if attrs.get("data-ready") != "ok":
        problems.append(f"the page's script did not finish cleanly "
                        f"(data-ready={attrs.get('data-ready')!r}; "
                        f"Chromium exit status {proc.returncode}"
                        f"{_tail(proc)})")
    m = re.search(r'<div id="script-errors">(.*?)</div>', dom, re.S)
    if m and m.group(1).strip():
        problems.append(f"script error caught by the page: "
                        f"{html.unescape(m.group(1).strip())[:300]}")
    charts = re.findall(r"<svg[^>]*class=\"chart\"[^>]*>", dom)
    facts["charts"] = len(charts)
    boxes = []
    for i, tag in enumerate(charts):
        drawn = re.search(r'data-drawn="(\d+)"', tag)
        box = re.search(r'data-box="([\d,.-]+)"', tag)
        if not drawn or int(drawn.group(1)) == 0:
            problems.append(f"chart {i + 1} is empty (no drawn mark)")
        if box:
            boxes.append([float(v) for v in box.group(1).split(",")])
    height = int(attrs.get("data-height") or 2000)
    with tempfile.TemporaryDirectory() as tmp:
        shot = png_path or os.path.join(tmp, "page.png")
        proc = _chromium(chromium, [
            f"--window-size={width},{height}",
            f"--force-device-scale-factor={scale}",
            f"--screenshot={os.path.abspath(shot)}", url])
        if proc.crashes:
            facts["shot_crashes"] = proc.crashes
        if not os.path.isfile(shot):
            problems.append(f"Chromium wrote no screenshot (exit status "
                            f"{proc.returncode}{_tail(proc)})")
            return problems, facts
        try:
            w, h, rows = read_png(shot)
        except (ValueError, OSError, TypeError) as exc:
            problems.append(f"the screenshot cannot be read: {exc}")
            return problems, facts
        facts["png"] = (w, h)
        real = w / width
        facts["chart_pixels"] = []
        for i, box in enumerate(boxes):
            n = colored_pixels(rows, box, real)
            facts["chart_pixels"].append(n)
            if n == 0:
                problems.append(f"chart {i + 1} has no coloured pixel in "
                                f"the screenshot")
    return problems, facts


# --- Command ------------------------------------------------------------------------

def main(argv, root=None):
    root = root or os.path.dirname(os.path.dirname(
        os.path.dirname(os.path.abspath(__file__))))
    parser = argparse.ArgumentParser(prog="python3 Tools/rust report",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--refresh", action="store_true",
                        help="rerun the cheap measurements first (panic "
                             "sites, sizes of python)")
    parser.add_argument("-o", "--output",
                        default=os.path.join(root, "build", "report"),
                        help="output directory (default: build/report)")
    parser.add_argument("--json", action="store_true",
                        help="also write report.json (every figure)")
    parser.add_argument("--png", metavar="FILE",
                        help="render the page in headless Chromium to FILE "
                             "(PNG) and fail on a script error or an empty "
                             "chart")
    args = parser.parse_args(argv)
    try:
        objects = registry.load(root)
    except registry.RegistryError as exc:
        print(f"report: {exc}", file=sys.stderr)
        return 2
    if args.refresh:
        refresh(root)
    data = collect(root, objects)
    os.makedirs(args.output, exist_ok=True)
    with open(os.path.join(args.output, "index.html"), "w",
              encoding="utf-8") as f:
        f.write(render_html(data))
    with open(os.path.join(args.output, "report.md"), "w",
              encoding="utf-8") as f:
        f.write(render_md(data) + "\n")
    if args.json:
        with open(os.path.join(args.output, "report.json"), "w",
                  encoding="utf-8") as f:
            json.dump(data, f, indent=1, default=str)
    for name, e in data["objects"].items():
        print(f"{name}: {e['verdict']['summary']}")
    if args.png:
        from common import ToolError
        try:
            chromium = ensure_chromium()
        except ToolError as exc:
            print(f"report: {exc}", file=sys.stderr)
            return 2
        problems, facts = browser_check(
            os.path.join(args.output, "index.html"), args.png, chromium,
            scale=1)
        for problem in problems:
            print(f"report: browser: {problem}", file=sys.stderr)
        if problems:
            return 1
        print(f"report: {args.png}: {facts['png'][0]}x{facts['png'][1]}, "
              f"{facts['charts']} chart(s) drawn, no script error")
    print(f"report: {os.path.join(args.output, 'index.html')}, "
          f"{os.path.join(args.output, 'report.md')}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
