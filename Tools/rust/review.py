"""`Tools/rust review NAME`: one self-contained HTML page putting each C
function of the C twin beside its Rust twin: the Rust function of the same
name, or the code marked `// C: name` (a C function folded into another,
or done by a generic helper; `check` fails when a C function has
neither).

    python3 Tools/rust review NAME [-o FILE] [--srcdir DIR]

Rows follow the C file's order (the Argument Clinic functions of
Objects/clinic/NAME.c.h appear where the C file includes it).  The page
ends with the C functions that have no Rust twin and the Rust functions
that have no C twin.  Default output: build/review/NAME.html.
"""

import argparse
import html
import os
import re
import sys

import contract
from contract import ContractError
from csource import c_functions, match_forward


def mask_rust(text):
    """`text` with comments and string/char literals blanked."""
    out = list(text)
    i, n = 0, len(text)

    def blank(a, b):
        for m in range(a, min(b, n)):
            if out[m] != "\n":
                out[m] = " "
    while i < n:
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
        elif text.startswith("/*", i):
            depth, j = 1, i + 2
            while j < n and depth:
                if text.startswith("/*", j):
                    depth, j = depth + 1, j + 2
                elif text.startswith("*/", j):
                    depth, j = depth - 1, j + 2
                else:
                    j += 1
        elif (m := re.match(r'(?:b|c|br|cr)?r(#*)"', text[i:i + 8])) and \
                (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")):
            close = '"' + m.group(1)
            j = text.find(close, i + m.end())
            j = n if j < 0 else j + len(close)
        elif text[i] == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            j += 1
        elif text[i] == "'" and (m := re.match(r"'(\\.[^']*|[^\\'])'",
                                               text[i:i + 12])):
            j = i + m.end()
        else:
            i += 1
            continue
        blank(i, j)
        i = j
    return "".join(out)


def rust_functions(text):
    """[(name, start, end)] of the `fn` items of a Rust source (with their
    attributes and doc comments)."""
    masked = mask_rust(text)
    out = []
    for m in re.finditer(r"\bfn\s+([A-Za-z_]\w*)", masked):
        # body: the first '{' outside (), [] and <> after the name
        j, depth = m.end(), 0
        while j < len(masked):
            ch = masked[j]
            if ch in "([":
                depth += 1
            elif ch in ")]":
                depth -= 1
            elif depth == 0 and ch in "{;":
                break
            j += 1
        if j >= len(masked) or masked[j] == ";":
            continue
        end = match_forward(masked, j, "{", "}")
        start = text.rfind("\n", 0, m.start()) + 1
        while start > 0:
            prev = text.rfind("\n", 0, start - 1) + 1
            line = text[prev:start].strip()
            if line.startswith(("#[", "///", "//")):
                start = prev
            else:
                break
        out.append((m.group(1), start, end + 1))
    return out


# `// C: name` (or `// C: a, b`): the code here does the work of those C
# functions, which have no Rust function of their name (folded into a
# caller, or done by a generic helper).
_MARKER = re.compile(r"//\s*C:\s*([A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*)")


def rust_markers(text):
    """[(C name, start, end)] of the `// C:` markers of a Rust source: the
    span is the innermost function holding the marker (its doc comment
    included), else the item that follows it (to the next blank line)."""
    funcs = rust_functions(text)
    out = []
    for m in _MARKER.finditer(text):
        line_start = text.rfind("\n", 0, m.start()) + 1
        if text[line_start:m.start()].strip():
            continue        # a `// C:` inside code or another comment
        holders = [(e - s, s, e) for _, s, e in funcs
                   if s <= m.start() < e]
        if holders:
            _, start, end = min(holders)
        else:
            start = line_start
            blank = text.find("\n\n", m.end())
            end = len(text) if blank < 0 else blank + 1
        for name in re.split(r"\s*,\s*", m.group(1)):
            out.append((name, start, end))
    return out


def c_twin_functions(srcdir, obj):
    """[(name, code, origin)] of the C twin, clinic functions where the C
    file includes them."""
    path = contract.c_twin_path(srcdir, obj)
    text = contract.read_text(path)
    clinic_rel = os.path.join(os.path.dirname(obj.c_file), "clinic",
                              os.path.basename(obj.c_file) + ".h")
    clinic_path = os.path.join(srcdir, clinic_rel)
    clinic = contract.read_text(clinic_path)
    funcs = [(n, text[s:e], obj.c_file, s) for n, s, e in c_functions(text)]
    if clinic is not None:
        m = re.search(r'#\s*include\s*"clinic/[^"]+"', text)
        at = m.start() if m else 0
        funcs += [(n, clinic[s:e], clinic_rel, at)
                  for n, s, e in c_functions(clinic)]
    funcs.sort(key=lambda f: f[3])
    return [(n, code, origin) for n, code, origin, _ in funcs]


def _crate_sources(root, obj):
    src = os.path.join(root, obj.crate, "src")
    files = []
    for dirpath, _, names in os.walk(src):
        files += [os.path.join(dirpath, f) for f in names if f.endswith(".rs")]
    files.sort(key=lambda p: (os.path.basename(p) != "lib.rs", p))
    return [(path, contract.read_text(path)) for path in files]


def rust_crate_functions(root, obj):
    """[(name, code, origin)] of the crate's functions, then of its
    `// C:` markers (origin "path (C: name)")."""
    out, marked = [], []
    for path, text in _crate_sources(root, obj):
        origin = contract.rel(root, path)
        out += [(n, text[s:e], origin) for n, s, e in rust_functions(text)]
        marked += [(n, text[s:e], f"{origin} (// C: {n})")
                   for n, s, e in rust_markers(text)]
    return out, marked


def pair(c_funcs, rust_funcs, marked=()):
    """{C name: (Rust code, origin)}: the Rust function of the same name,
    else the code a `// C: name` marker names."""
    by_name = {}
    for name, code, origin in rust_funcs:
        by_name.setdefault(name, (code, origin))
    for name, code, origin in marked:
        by_name.setdefault(name, (code, origin))
    return {n: by_name[n] for n, _, _ in c_funcs if n in by_name}


CSS = """
body { font-family: sans-serif; margin: 1em; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; }
td, th { border: 1px solid #ccc; vertical-align: top; padding: 4px; }
th { background: #eee; position: sticky; top: 0; }
pre { margin: 0; font-size: 12px; white-space: pre-wrap; }
.name { background: #f6f6ff; font-weight: bold; }
.missing { color: #a00; font-style: italic; }
.origin { color: #666; font-weight: normal; font-size: 11px; }
"""


def render(obj, c_funcs, rust_funcs, marked=()):
    rust_by_name = pair(c_funcs, rust_funcs, marked)
    c_names = {n for n, _, _ in c_funcs}
    unpaired_c = [n for n, _, _ in c_funcs if n not in rust_by_name]
    unpaired_rust = [n for n, _, _ in rust_funcs if n not in c_names]
    esc = html.escape
    rows = []
    for name, code, origin in c_funcs:
        rust = rust_by_name.get(name)
        rust_cell = (f"<pre>{esc(rust[0])}</pre>" if rust else
                     '<span class="missing">no Rust function of this '
                     'name and no <code>// C:</code> marker</span>')
        rows.append(
            f'<tr class="name" id="{esc(name)}"><td colspan="2">{esc(name)} '
            f'<span class="origin">{esc(origin)}'
            + (f" &harr; {esc(rust[1])}" if rust else "")
            + f'</span></td></tr>\n<tr><td><pre>{esc(code)}</pre></td>'
              f"<td>{rust_cell}</td></tr>")

    def listing(names):
        if not names:
            return "<p>(none)</p>"
        return "<ul>" + "".join(f"<li><code>{esc(n)}</code></li>"
                                for n in names) + "</ul>"
    paired = len(c_funcs) - len(unpaired_c)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Review: {esc(obj.c_file)} and {esc(obj.crate)}</title>
<style>{CSS}</style></head><body>
<h1>{esc(obj.c_file)} &harr; {esc(obj.crate)}</h1>
<p>{paired} of {len(c_funcs)} C functions have a Rust twin (a function of
the same name, or a <code>// C: name</code> comment at the code that does
its work); {len(unpaired_rust)} Rust functions have no C twin.  Generated by
<code>python3 Tools/rust review {esc(obj.name)}</code>.</p>
<table><tr><th>C ({esc(obj.c_file)})</th><th>Rust ({esc(obj.crate)})</th></tr>
{chr(10).join(rows)}
</table>
<h2 id="c-only">C functions without a Rust twin</h2>
{listing(unpaired_c)}
<h2 id="rust-only">Rust functions without a C twin</h2>
{listing(unpaired_rust)}
</body></html>
"""


def review(root, srcdir, obj):
    """(page, C functions, Rust functions, markers)."""
    contract.check_crate(root, obj)
    c_funcs = c_twin_functions(srcdir, obj)
    rust_funcs, marked = rust_crate_functions(root, obj)
    return (render(obj, c_funcs, rust_funcs, marked), c_funcs, rust_funcs,
            marked)


def main(argv):
    parser = argparse.ArgumentParser(prog="python3 Tools/rust review",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("name", help="a registry object (objects.json)")
    parser.add_argument("-o", "--output", metavar="FILE")
    parser.add_argument("--srcdir", help="the CPython tree holding the C "
                                         "twin (default: as for check)")
    args = parser.parse_args(argv)
    root = contract.tool_root()
    try:
        objects = contract.load_objects(root)
        if args.name not in objects:
            raise ContractError(f"{args.name}: no such object in the "
                                f"registry; valid names: {', '.join(objects)}")
        obj = objects[args.name]
        srcdir = args.srcdir or contract.default_srcdir(root)
        page, c_funcs, rust_funcs, marked = review(root, srcdir, obj)
    except ContractError as exc:
        print(f"error: Tools/rust review: {exc}", file=sys.stderr)
        return 1
    output = args.output or os.path.join(root, "build", "review",
                                         f"{obj.name}.html")
    os.makedirs(os.path.dirname(os.path.abspath(output)), exist_ok=True)
    with open(output, "w", encoding="utf-8") as f:
        f.write(page)
    pairs = pair(c_funcs, rust_funcs, marked)
    c_names = {n for n, _, _ in c_funcs}
    missing = [n for n, _, _ in c_funcs if n not in pairs]
    extra = [n for n, _, _ in rust_funcs if n not in c_names]
    print(f"review: wrote {output}: {len(c_funcs) - len(missing)}/"
          f"{len(c_funcs)} C functions paired"
          + (f"; without Rust twin: {', '.join(missing)}" if missing else "")
          + (f"; Rust only: {', '.join(extra)}" if extra else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
