"""`Tools/rust drift`: the drift log, what following upstream cost.

    python3 Tools/rust drift [MOVE] [--json] [--verify]

Each move of the pinned release (3.13.5 -> 3.13.15, ...) has a log in
Tools/rust/drift/<from>-<to>.json, committed with the port: per object (and
for the shared layer, `cpython-sys`), the C lines upstream added and removed
in each file the Rust code mirrors, every upstream change with what it was
about, whether it needed a Rust edit and how many Rust lines, what caught
it before the Rust was edited (the drift check, one of our tests, the
difftest, CPython's own tests), and the effort spent.  Beside it,
<from>-<to>.check.txt is the drift check's output on the unported tree.

Without options: a table of each move.  MOVE (`3.13.5-3.13.15`) picks one;
--json prints the log as it is; --verify recomputes the C line counts from
the two releases' tarballs and checks that the log has every file and item
of Tools/rust/mirrors.json (and every C twin) that differs between them.
"""

import argparse
import difflib
import glob
import json
import os
import sys

from common import RELEASES, read_json, repo_root

DRIFT_DIR = os.path.join("Tools", "rust", "drift")


class DriftError(Exception):
    pass


def log_paths(root):
    return sorted(glob.glob(os.path.join(root, DRIFT_DIR, "*-*.json")),
                  key=lambda p: [int(x) for part in
                                 os.path.basename(p)[:-5].split("-")
                                 for x in part.split(".")])


def load(path):
    data = read_json(path, DriftError)
    for key in ("from", "to", "objects"):
        if key not in data:
            raise DriftError(f"{path}: no {key!r}")
    for name, entry in data["objects"].items():
        for key in ("c_files", "changes", "rust_lines", "effort_hours"):
            if key not in entry:
                raise DriftError(f"{path}: {name}: no {key!r}")
        for change in entry["changes"]:
            for key in ("what", "c_files", "rust_edit", "rust_lines",
                        "caught_before_edit"):
                if key not in change:
                    raise DriftError(f"{path}: {name}: a change has no "
                                     f"{key!r}")
    return data


def count_lines(old, new):
    """(added, removed) lines from text `old` to text `new`."""
    added = removed = 0
    for line in difflib.unified_diff(old.splitlines(), new.splitlines(),
                                     lineterm="", n=0):
        if line.startswith(("+++", "---")):
            continue
        if line.startswith("+"):
            added += 1
        elif line.startswith("-"):
            removed += 1
    return added, removed


def _read(tree, path):
    try:
        with open(os.path.join(tree, path), encoding="utf-8",
                  errors="surrogateescape") as f:
            return f.read()
    except OSError:
        return ""


def verify(root, data, out):
    """Problems (strings) where the log disagrees with the two releases."""
    import mirrors
    import registry
    problems = []
    old_tree = mirrors.release_tree(root, data["from"])
    new_tree = mirrors.release_tree(root, data["to"])
    if not old_tree or not new_tree:
        return [f"the tarballs of CPython {data['from']} and {data['to']} "
                f"are needed (../shared/cpython/)"]
    objects = registry.load(root)
    record = mirrors.load(root)
    # The files mirrored whole (the C twins, the clinic headers) and the
    # objects they belong to; the rest are mirrored item by item.
    files = {}
    for name, obj in objects.items():
        files.setdefault(obj.c_file, set()).add(name)
    changed_items = {}
    for m in record["mirrors"]:
        owner = mirrors.owner(m, objects)
        if not m.get("item"):
            files.setdefault(m["path"], set()).add(owner)
            continue
        a = mirrors.item_text(old_tree, m["path"], m["item"])
        b = mirrors.item_text(new_tree, m["path"], m["item"])
        if a != b:
            changed_items.setdefault(owner, []).append(mirrors.label(m))
    checked = 0
    for path, owners in sorted(files.items()):
        added, removed = count_lines(_read(old_tree, path),
                                     _read(new_tree, path))
        for owner in owners:
            if owner in data.get("ported_later", {}):
                # Ported from the new release after this move: nothing of
                # it was followed.
                continue
            if owner not in data["objects"]:
                if added or removed:
                    problems.append(f"{path} changed (+{added} -{removed}) "
                                    f"but the log has no entry for {owner}")
                continue
            logged = data["objects"][owner]["c_files"].get(path)
            checked += 1
            if logged is None:
                if added or removed:
                    problems.append(f"{owner}: {path} changed (+{added} "
                                    f"-{removed}) and is not in the log")
            elif (logged.get("added"), logged.get("removed")) != (added,
                                                                  removed):
                problems.append(f"{owner}: {path}: the log says "
                                f"+{logged.get('added')} "
                                f"-{logged.get('removed')}, the releases "
                                f"differ by +{added} -{removed}")
    for owner, labels in changed_items.items():
        entry = data["objects"].get(owner, {})
        logged = set(entry.get("items_changed", []))
        for lab in labels:
            if lab not in logged:
                problems.append(f"{owner}: {lab} differs between "
                                f"{data['from']} and {data['to']} and is not "
                                f"in the log's items_changed")
    print(f"drift --verify: {checked} file counts and "
          f"{sum(map(len, changed_items.values()))} changed item(s) "
          f"compared with CPython {data['from']} and {data['to']}",
          file=out)
    return problems


def table(data):
    rows = [f"CPython {data['from']} -> {data['to']}"
            + (f" (ported {data['ported']})" if data.get("ported") else ""),
            ""]
    head = ("object", "C +/-", "changes", "Rust edits", "Rust +/-",
            "caught by a test", "hours")
    body = []
    total = [0, 0, 0, 0, 0, 0, 0.0]
    for name, e in data["objects"].items():
        ca = sum(f["added"] for f in e["c_files"].values())
        cr = sum(f["removed"] for f in e["c_files"].values())
        n = len(e["changes"])
        edits = sum(1 for c in e["changes"] if c["rust_edit"])
        # Caught by a test or the difftest, not only by the drift check.
        caught = sum(1 for c in e["changes"]
                     if any(not w.startswith("Tools/rust check")
                            for w in c["caught_before_edit"]))
        ra, rr = e["rust_lines"]["added"], e["rust_lines"]["removed"]
        body.append((name, f"+{ca} -{cr}", str(n), str(edits),
                     f"+{ra} -{rr}", f"{caught}/{n}",
                     f"{e['effort_hours']:g}"))
        for i, v in enumerate((ca, cr, n, edits, ra, rr, e["effort_hours"])):
            total[i] += v
    body.append(("total", f"+{total[0]} -{total[1]}", str(total[2]),
                 str(total[3]), f"+{total[4]} -{total[5]}", "",
                 f"{total[6]:g}"))
    widths = [max(len(r[i]) for r in [head] + body) for i in range(len(head))]
    for r in [head] + body:
        rows.append("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip())
    if data.get("tooling_hours"):
        rows.append(f"(and {data['tooling_hours']:g} hours on the tooling: "
                    f"{data.get('tooling', '')})")
    rows.append("")
    for name, e in data["objects"].items():
        for c in e["changes"]:
            tag = "Rust edit" if c["rust_edit"] else "no Rust edit"
            ref = f" [{c['upstream']}]" if c.get("upstream") else ""
            caught = ", ".join(c["caught_before_edit"]) or "nothing"
            rows.append(f"- {name}: {c['what']}{ref}: {tag} "
                        f"(+{c['rust_lines']['added']} "
                        f"-{c['rust_lines']['removed']}); caught before the "
                        f"edit by: {caught}")
    return "\n".join(rows)


def main(argv, out=sys.stdout):
    parser = argparse.ArgumentParser(
        prog="python3 Tools/rust drift", description=__doc__.split("\n\n")[0],
        epilog=__doc__.split("\n\n", 2)[2],
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("move", nargs="?", metavar="MOVE",
                        help="one move, FROM-TO (default: all)")
    parser.add_argument("--json", action="store_true",
                        help="print the log(s) as JSON")
    parser.add_argument("--verify", action="store_true",
                        help="check the log against the two releases")
    parser.add_argument("--root", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    root = os.path.abspath(args.root or repo_root())
    paths = log_paths(root)
    if args.move:
        paths = [p for p in paths
                 if os.path.basename(p) == f"{args.move}.json"]
    if not paths:
        print(f"error: no drift log{' ' + args.move if args.move else ''} "
              f"in {DRIFT_DIR}", file=sys.stderr)
        return 1
    status = 0
    logs = []
    for path in paths:
        try:
            data = load(path)
        except (OSError, ValueError, DriftError) as exc:
            print(f"error: {path}: {exc}", file=sys.stderr)
            return 1
        if data["from"] not in RELEASES or data["to"] not in RELEASES:
            print(f"error: {path}: unknown release", file=sys.stderr)
            return 1
        logs.append(data)
        if args.verify:
            problems = verify(root, data, out)
            for p in problems:
                print(f"drift: FAIL: {p}", file=out)
            if problems:
                status = 1
            else:
                print(f"drift: ok: {os.path.basename(path)} agrees with the "
                      f"releases", file=out)
    if args.json:
        print(json.dumps(logs if len(logs) > 1 else logs[0], indent=1),
              file=out)
    elif not args.verify:
        print("\n\n".join(table(d) for d in logs), file=out)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
