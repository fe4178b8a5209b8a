"""What the Rust code mirrors of CPython besides the C twins, and drift.

A Rust twin follows more C than its `.c` file: the Argument Clinic header
(signatures, argument errors), the static inline functions, macros,
constants and struct layouts of the headers that `Modules/cpython-sys`
reimplements (reference counting, tuple access, GC tracking, ...), and
functions of other C files whose logic it reproduces (slice index
adjustment, the struct module's format decoding).  Each of these is a
*mirror*, recorded in Tools/rust/mirrors.json:

    path      the C file, relative to the CPython root
    item      the name of the definition the Rust code follows (a function,
              a macro, a struct, a typedef), or null for the whole file
    by        the Rust files that reproduce it
    release   the CPython release the hash was recorded from
    sha256    of the item's definition text (`extract`), or of the file

`python3 Tools/rust check` extracts every item from the CPython tree it
checks and fails on any whose text changed, printing the C diff against the
recorded release's text (unpacked from that release's tarball when it is not
the pinned one).  `check --accept NAME` re-records the mirrors of object NAME
(`--accept cpython-sys` those of the shared layer) after the port.

The messages check: every error message and `PyDoc_STR` docstring literal of
a C twin is copied into the Rust crate verbatim, or listed under
`messages_not_copied` with the reason; a message upstream rewords is then
caught even where the C diff is easy to misread.  (`PyDoc_STRVAR` docstrings
and the clinic's are extracted from the C files at build time, so they
cannot go stale.)
"""

import difflib
import functools
import glob
import hashlib
import json
import os
import re

from common import RELEASES, Layout, display_path, progress, read_json
from csource import c_functions, mask_c, match_backward, match_forward

MIRRORS = os.path.join("Tools", "rust", "mirrors.json")
SHARED = "cpython-sys"
SHARED_DIR = os.path.join("Modules", "cpython-sys")


class MirrorError(Exception):
    """mirrors.json cannot be used."""


# --- Extracting one definition from C source ---------------------------------

def _line_start(text, i):
    return text.rfind("\n", 0, i) + 1


def _macros(text, item):
    out = []
    pattern = re.compile(r"^[ \t]*#[ \t]*define[ \t]+%s\b" % re.escape(item),
                         re.M)
    for m in pattern.finditer(text):
        end = m.start()
        while True:
            nl = text.find("\n", end)
            if nl < 0:
                end = len(text)
                break
            if text[nl - 1] != "\\":
                end = nl
                break
            end = nl + 1
        out.append((m.start(), text[m.start():end]))
    return out


_HEAD = re.compile(r"^[\w \t\*]*$")
_NOT_A_TYPE = re.compile(r"\b(return|else|if|while|for|switch|case|do)\b")


def _aggregates(text, masked, item):
    out = []
    name = re.escape(item)
    for m in re.finditer(r"\b(struct|union|enum)\s+%s\s*\{" % name, masked):
        start = _line_start(text, m.start())
        end = match_forward(masked, m.end() - 1, "{", "}") + 1
        semi = masked.find(";", end)
        out.append((start, text[start:semi + 1 if semi >= 0 else end]))
    for m in re.finditer(r"\}\s*%s\s*;" % name, masked):
        # typedef struct { ... } NAME;  the opening brace of that body.
        i = match_backward(masked, m.start(), "{", "}")
        start = _line_start(text, max(i, 0))
        head = masked[start:i]
        if "typedef" not in head and "struct" not in head:
            continue
        out.append((start, text[start:m.end()]))
    return out


def _variables(text, masked, item):
    """`[static] [const] TYPE NAME[...] = ...;` at file level."""
    out = []
    for m in re.finditer(r"\b%s\s*(\[[^\]]*\])?\s*=" % re.escape(item),
                         masked):
        start = _line_start(text, m.start())
        prefix = masked[start:m.start()]
        if (not _HEAD.match(prefix) or _NOT_A_TYPE.search(prefix)
                or not prefix.strip() or prefix[0] in " \t"):
            continue
        i = m.end()
        while i < len(masked) and masked[i] != ";":
            if masked[i] == "{":
                i = match_forward(masked, i, "{", "}")
            i += 1
        out.append((start, text[start:i + 1]))
    return out


def extract(text, item, masked=None, functions=None):
    """The definitions of `item` in the C source `text`, in file order and
    joined by blank lines: each `#define` of it (continuation lines
    included), each function definition (its return type to its closing
    brace), each struct/union/enum of that name or typedef'd to it,
    each file-level variable of that name with its initialiser.
    Several definitions under `#ifdef`s are all kept.  None when there is
    none.  `masked` and `functions` are `text` as csource.mask_c and
    csource.c_functions see it, when the caller has them already."""
    if masked is None:
        masked = mask_c(text)
    if functions is None:
        functions = c_functions(text, masked)
    found = dict(_macros(text, item))
    defs = [(s, text[s:e]) for name, s, e in functions if name == item]
    for start, body in (defs + _aggregates(text, masked, item)
                        + _variables(text, masked, item)):
        found.setdefault(start, body)
    if not found:
        return None
    return "\n\n".join(found[k] for k in sorted(found)) + "\n"


def item_text(tree, path, item):
    """The text a mirror follows in the CPython tree `tree` (None when the
    file or the item is missing)."""
    path = os.path.join(tree, path)
    try:
        st = os.stat(path)
    except OSError:
        return None
    scanned = _scan(path, st.st_mtime_ns, st.st_size)
    if scanned is None:
        return None
    text, masked, functions = scanned
    return text if item is None else extract(text, item, masked, functions)


@functools.lru_cache(maxsize=64)
def _scan(path, mtime_ns, size):
    """A C file's text, masked text and function definitions (each file
    is scanned once however many of its definitions are mirrored; the
    file's mtime and size in the key, so an edited file is read again)."""
    try:
        with open(path, encoding="utf-8", errors="surrogateescape") as f:
            text = f.read()
    except OSError:
        return None
    masked = mask_c(text)
    return text, masked, c_functions(text, masked)


def digest(text):
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()


# --- The record --------------------------------------------------------------

def load(root):
    path = os.path.join(root, MIRRORS)
    data = read_json(path, MirrorError)
    mirrors = data.get("mirrors")
    if not isinstance(mirrors, list):
        raise MirrorError(f"{path}: no 'mirrors' list")
    for i, m in enumerate(mirrors):
        if (not isinstance(m, dict) or not isinstance(m.get("path"), str)
                or not isinstance(m.get("by"), list) or not m["by"]
                or m.get("release") not in RELEASES
                or not isinstance(m.get("sha256"), str)
                or not (m.get("item") is None
                        or isinstance(m.get("item"), str))):
            raise MirrorError(f"{path}: mirror #{i} needs path, item (or "
                              f"null), by (a list), release (one of "
                              f"{', '.join(RELEASES)}) and sha256")
    data.setdefault("messages_not_copied", [])
    return data


def save(root, data):
    from common import write_if_changed
    write_if_changed(os.path.join(root, MIRRORS),
                     json.dumps(data, indent=1, ensure_ascii=False) + "\n")


def label(m):
    return m["path"] + (f": {m['item']}" if m.get("item") else "")


def owner(m, objects):
    """The object NAME (or SHARED) whose `--accept` re-records `m`."""
    for name, obj in objects.items():
        if all(b.startswith(obj.crate + "/") for b in m["by"]):
            return name
    return SHARED


# --- Trees of other releases -------------------------------------------------

def release_tree(root, version):
    """An unpacked CPython `version` (build/pristine-<version>), made from
    its tarball (../shared/cpython/, the cache) when missing; None when the
    tarball cannot be found."""
    import fetch
    layout = Layout(root)
    tree = os.path.join(layout.build, f"pristine-{version}")
    if fetch.tree_version(tree) == version:
        return tree
    try:
        source = fetch.find_source(root, version=version,
                                   sha256=RELEASES[version], downloader=None)
    except Exception:  # SourceNotFound: the caller says what is missing
        return None
    if source.kind != "tarball":
        return source.path
    import builder
    import tempfile
    progress(f"extract: {display_path(source.path)} -> "
             f"{display_path(tree)} (release {version}, for the drift diff)")
    os.makedirs(layout.build, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix=".tmp-release-", dir=layout.build)
    try:
        top = builder.extract_tarball(source.path, tmp, version)
        os.rename(top, tree)
    finally:
        import shutil
        shutil.rmtree(tmp, ignore_errors=True)
    return tree


# --- The check ---------------------------------------------------------------

def check(root, srcdir, data, objects, fail, ok):
    """Every mirror of `data` against the tree `srcdir`: `fail(message)`
    for each that changed (with the C diff), `ok(message)` once if none."""
    changed = 0
    trees = {}
    for m in data["mirrors"]:
        current = item_text(srcdir, m["path"], m.get("item"))
        if current is None:
            changed += 1
            what = m.get("item") or "the file"
            fail(f"{os.path.join(srcdir, m['path'])}: {what}"
                 f" is gone (mirrored by {', '.join(m['by'])}): port the "
                 f"change, then `python3 Tools/rust check --accept "
                 f"{owner(m, objects)}`")
            continue
        if digest(current) == m["sha256"]:
            continue
        changed += 1
        release = m["release"]
        if release not in trees:
            trees[release] = release_tree(root, release)
        old = (item_text(trees[release], m["path"], m.get("item"))
               if trees[release] else None)
        diff = ""
        if old is not None and digest(old) == m["sha256"]:
            diff = "".join(difflib.unified_diff(
                old.splitlines(True), current.splitlines(True),
                f"{label(m)} ({release}, ported)",
                f"{label(m)} (now)"))
        elif old is not None:
            diff = (f"(the {release} text does not have the recorded hash "
                    f"either: mirrors.json was edited by hand?)")
        else:
            diff = f"(the {release} release is not here to diff against)"
        fail(f"{os.path.join(srcdir, m['path'])}: "
             f"{m.get('item') or 'the file'} changed since the port "
             f"(mirrored by {', '.join(m['by'])}): port the change, then "
             f"`python3 Tools/rust check --accept "
             f"{owner(m, objects)}`\n{diff}")
    if not changed:
        ok(f"drift: {len(data['mirrors'])} mirrored C definitions and files "
           f"(clinic headers, inline functions, macros, structs) unchanged "
           f"in {srcdir}")
    return changed


def accept(root, srcdir, data, names, objects, note):
    """Re-record the mirrors owned by `names` from `srcdir`; returns the
    release `srcdir` holds."""
    import fetch
    version = fetch.tree_version(srcdir)
    if version not in RELEASES:
        raise MirrorError(f"{srcdir}: CPython {version} is not a release the "
                          f"tool knows (common.RELEASES)")
    count = 0
    for m in data["mirrors"]:
        if owner(m, objects) not in names:
            continue
        text = item_text(srcdir, m["path"], m.get("item"))
        if text is None:
            raise MirrorError(f"{os.path.join(srcdir, m['path'])}: "
                              f"{m.get('item') or 'the file'} is missing: "
                              f"remove or rename the mirror in {MIRRORS}")
        m["sha256"], m["release"] = digest(text), version
        count += 1
    note(f"accepted {count} mirror(s) of {', '.join(names)} from {srcdir} "
         f"(CPython {version})")
    return version


# --- Coverage ----------------------------------------------------------------

# Rust files whose every public item reproduces a C definition: each must
# name one listed in mirrors.json (its own name, or a `C_NAME` in its doc
# comment), so a new reimplementation cannot be added without its mirror.
COVERED = (os.path.join(SHARED_DIR, "src", "inline.rs"),)
_PUB_ITEM = re.compile(r"pub (?:const )?(?:unsafe )?(?:fn|const|static) "
                       r"(\w+)")


def uncovered(source, items):
    """Names of the public items of Rust `source` that name no C item of
    `items` (their own name or a backticked name in their doc comment)."""
    missing, doc = [], []
    for line in source.splitlines():
        t = line.strip()
        if t.startswith("///"):
            doc.append(t)
            continue
        if t.startswith("#["):
            continue
        m = _PUB_ITEM.match(t)
        if m and not line.startswith((" ", "\t")):
            named = set(re.findall(r"`([A-Za-z_]\w*)", " ".join(doc)))
            if m.group(1) not in items and not named & items:
                missing.append(m.group(1))
        doc = []
    return missing


def check_coverage(root, data, fail, ok):
    items = {m["item"] for m in data["mirrors"] if m.get("item")}
    missing = 0
    for rel in COVERED:
        try:
            with open(os.path.join(root, rel), encoding="utf-8") as f:
                source = f.read()
        except OSError:
            continue
        for name in uncovered(source, items):
            missing += 1
            fail(f"{rel}: {name} names no C definition listed in {MIRRORS} "
                 f"(add the one it reproduces, so that the drift check "
                 f"follows it)")
    if not missing:
        ok(f"mirrors: every public item of {', '.join(COVERED)} follows a "
           f"C definition listed in {MIRRORS}")
    return missing


# --- Messages ----------------------------------------------------------------

_MESSAGE_CALL = re.compile(
    r"\b(PyErr_Format|PyErr_SetString|PyErr_WarnFormat|PyErr_WarnEx|"
    r"PyDoc_STR)\s*\(")
_LITERAL = re.compile(r'"((?:[^"\\\n]|\\.)*)"')


def _split_args(masked, start, end):
    """(start, end) of each top-level comma-separated argument of a call
    whose arguments are masked[start:end]."""
    out, depth = [], 0
    for i in range(start, end):
        c = masked[i]
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        elif c == "," and depth == 0:
            out.append((start, i))
            start = i + 1
    out.append((start, end))
    return out


_ONLY_LITERALS = re.compile(r'\s*("(?:[^"\\\n]|\\.)*"\s*|/\*.*?\*/\s*)+',
                            re.S)


def c_messages(text):
    """The message literals of C source `text`: the first argument made of
    string literals only (adjacent ones joined) of each PyErr_Format,
    PyErr_SetString, PyErr_WarnFormat, PyErr_WarnEx and PyDoc_STR call,
    in macros too.  A message built with a macro (`#name " must be ..."`)
    is not a literal the Rust code can copy and is left out."""
    masked = mask_c(text, directives=False)
    out = []
    for m in _MESSAGE_CALL.finditer(masked):
        end = match_forward(masked, m.end() - 1, "(", ")")
        for a, b in _split_args(masked, m.end(), end):
            arg = text[a:b]
            if '"' not in arg:
                continue
            if _ONLY_LITERALS.fullmatch(arg):
                out.append(("".join(_LITERAL.findall(arg)), m.group(1)))
            break
    return out


def rust_text(root, crate_dirs):
    chunks = []
    for crate in crate_dirs:
        for path in sorted(glob.glob(os.path.join(root, crate, "src", "**",
                                                  "*.rs"), recursive=True)):
            with open(path, encoding="utf-8") as f:
                chunks.append(f.read())
    return "\n".join(chunks)


def check_messages(root, srcdir, objects, data, fail, ok):
    exempt = {(e.get("object"), e.get("message"))
              for e in data.get("messages_not_copied", [])}
    missing_total, counted = 0, 0
    for obj in objects.values():
        path = os.path.join(srcdir, obj.c_file)
        try:
            with open(path, encoding="utf-8", errors="surrogateescape") as f:
                messages = c_messages(f.read())
        except OSError:
            continue  # reported by the twin check
        rust = rust_text(root, [obj.crate, SHARED_DIR])
        missing = [(msg, call) for msg, call in messages
                   if (obj.name, msg) not in exempt
                   and f'"{msg}"' not in rust]
        counted += len(messages)
        missing_total += len(missing)
        for msg, call in missing:
            fail(f"{path}: the {call} text \"{msg}\" is in none of "
                 f"{obj.crate}'s Rust sources (copy it, or list it under "
                 f"messages_not_copied in {MIRRORS} with the reason)")
    if not missing_total:
        ok(f"messages: the {counted} error messages and PyDoc_STR "
           f"docstrings of the C twins are in the Rust crates")
    return missing_total
