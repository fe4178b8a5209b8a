"""`Tools/rust safety`: the table of the cases where C crashes or reads
freed memory (memoryview, bytearray).

Runs every case of Lib/test/test_rust_safety.py on the C and the Rust
interpreter (optionally under valgrind memcheck with PYTHONMALLOC=malloc,
which is how the silent reads of freed memory in C show), prints the
Markdown table, and with --write-readme puts it into README.md between
the safety-table markers.  The table is measured, never typed.
"""

import argparse
import importlib.util
import os
import re
import subprocess
import sys

START = "<!-- safety-table:start (python3 Tools/rust safety --write-readme) -->"
END = "<!-- safety-table:end -->"


def load_cases(root):
    path = os.path.join(root, "Lib", "test", "test_rust_safety.py")
    spec = importlib.util.spec_from_file_location("test_rust_safety", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses need the module registered
    spec.loader.exec_module(module)
    return module


def describe(module, case, python, valgrind):
    prefix = ()
    env = dict(os.environ)
    if valgrind:
        prefix = ("valgrind", "--error-exitcode=99", "-q",
                  "--suppressions=" + valgrind)
        env["PYTHONMALLOC"] = "malloc"
    proc = subprocess.run(
        [*prefix, python, "-s", "-c", case.code],  # not -I: it ignores PYTHONMALLOC
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        timeout=1800, env=env)
    out = " / ".join(proc.stdout.strip().splitlines())
    if proc.returncode < 0:
        return f"**{module.c_outcome(proc)}**"
    invalid = len(re.findall(r"Invalid (read|write)", proc.stderr))
    if valgrind and (invalid or proc.returncode == 99):
        if not invalid and "uninitialised" in proc.stderr:
            return (f"**use of uninitialised memory** (valgrind), prints "
                    f"`{out}`")
        what = "read" if "Invalid read" in proc.stderr else "write"
        return f"**invalid {what} of freed memory** (valgrind), prints `{out}`"
    if proc.returncode:
        return f"exit {proc.returncode}: `{out}`"
    return f"`{out}`"


# How the table words a recorded C result of an older release.
C_RESULTS = {
    "freed": "reads freed memory",
    "freed-write": "writes to freed memory",
    "uninit": "exposes uninitialised memory",
    "overflow": "writes past the shared empty buffer",
}


def linked_objects(python):
    """The registry names `python` links from Rust (None: unknown)."""
    try:
        proc = subprocess.run(
            [python, "-I", "-c", "import sysconfig; print(sysconfig."
             "get_config_var('PY_RUST_OBJECTS') or '')"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
            timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if proc.returncode:
        return None
    return proc.stdout.replace(",", " ").split()


def table(root, c_python, rust_python, valgrind):
    module = load_cases(root)
    from common import CPYTHON_VERSION
    linked = linked_objects(rust_python)

    def variant(python):
        return os.path.basename(os.path.dirname(os.path.abspath(python)))
    rows = [f"| case | upstream | what | C {CPYTHON_VERSION} | Rust |",
            "|---|---|---|---|---|"]
    for case in module.CASES:
        obj = getattr(case, "object", "memoryobject")
        c = describe(module, case, c_python, valgrind)
        if linked is not None and obj not in linked:
            r = (f"(build/{variant(rust_python)} links {obj} from C; "
                 f"the Rust twin must give: {case.rust_description})")
        else:
            r = describe(module, case, rust_python, valgrind)
        upstream = case.upstream
        if getattr(case, "fixed_in", ""):
            before = C_RESULTS.get(case.c_result, case.c_result)
            upstream += (f" (fixed upstream in {case.fixed_in}; C "
                         f"{case.unfixed_in or 'before'}: **{before}**)")
        rows.append(f"| `{case.name}` | {upstream} | {case.summary} | "
                    f"{c} | {r} |")
    note = ("Measured with `python3 Tools/rust safety"
            + (" --valgrind" if valgrind else "") + "` (C: build/"
            f"{variant(c_python)}, Rust: build/{variant(rust_python)}).  "
            "What a release before the fix did is read from its source "
            "(3.13.5's for the bytearray rows; no older interpreter is "
            "built), the release of the fix from CPython's Misc/NEWS.")
    return "\n".join(rows) + "\n\n" + note + "\n"


def write_readme(root, text):
    path = os.path.join(root, "README.md")
    with open(path, encoding="utf-8") as f:
        readme = f.read()
    block = f"{START}\n{text}{END}"
    if START in readme and END in readme:
        head, rest = readme.split(START, 1)
        _, tail = rest.split(END, 1)
        new = head + block + tail
    else:
        new = readme.rstrip("\n") + "\n\n" + block + "\n"
    if new != readme:
        with open(path, "w", encoding="utf-8") as f:
            f.write(new)


def main(argv, root=None):
    root = root or os.path.dirname(os.path.dirname(
        os.path.dirname(os.path.abspath(__file__))))
    parser = argparse.ArgumentParser(prog="Tools/rust safety")
    parser.add_argument("--c-python",
                        default=os.path.join(root, "build", "c", "python"))
    parser.add_argument("--rust-python",
                        default=os.path.join(root, "build", "rust", "python"))
    parser.add_argument("--valgrind", action="store_true",
                        help="run under valgrind memcheck (PYTHONMALLOC=malloc)")
    parser.add_argument("--write-readme", action="store_true")
    args = parser.parse_args(argv)
    supp = None
    if args.valgrind:
        from common import CPYTHON_VERSION
        supp = os.path.join(root, "build", f"cpython-{CPYTHON_VERSION}",
                            "Misc", "valgrind-python.supp")
        if not os.path.exists(supp):
            print(f"safety: {supp} not found: run `python3 Tools/rust build`",
                  file=sys.stderr)
            return 2
    for p in (args.c_python, args.rust_python):
        if not os.path.exists(p):
            print(f"safety: {p} not found: run `python3 Tools/rust build`",
                  file=sys.stderr)
            return 2
    text = table(root, args.c_python, args.rust_python, supp)
    print(text)
    if args.write_readme:
        write_readme(root, text)
    return 0
