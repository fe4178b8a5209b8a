"""`Tools/rust difftest`: differential testing of the Rust objects against C.

Generates random programs of operations on random inputs (difftest_gen.py),
runs each in the C and in the Rust interpreter and compares their traces
(difftest_worker.py): what every step returned (type, repr with addresses
masked, bytes) or raised (type and message), and the state of the objects
at the end.  Each interpreter is one long-lived worker process fed batches
of programs over a pipe; a worker that crashes or hangs is restarted and
the crash (or hang) is the result of the case it was running.

A divergence is shrunk (steps removed, numbers made smaller while the
traces still differ) and written out as a standalone script under
build/difftest/ that runs on either interpreter and prints its trace.

Everything follows from --seed: case N of object X is always the same
program.  The default run is the bounded CI run: DEFAULT_CASES cases per
object (DEFAULT_CASES_FOR names the objects that get more) with seed
DEFAULT_SEED.  It exits 1 when a divergence was found.

Intended differences (C crashes where Rust must not) are listed in INTENDED:
programs that match one are not run, and every run says how many it left
out and why (`--list-intended` shows them, `--include-intended NAME` runs
them anyway).
"""

import argparse
import json
import os
import re
import select
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass

import difftest_gen
import registry
from common import Layout, display_path, record_result

DEFAULT_CASES = 10000
# Objects whose bounded run has more cases than DEFAULT_CASES (the
# bytearray programs are short: 20000 take about a minute here).
DEFAULT_CASES_FOR = {"bytearrayobject": 20000}
DEFAULT_SEED = 20250613
BATCH = 100
CASE_TIMEOUT = 30.0        # seconds a single case may take
MAX_REPRODUCERS = 3        # distinct divergences shrunk and written per object
MAX_SHRINK_RUNS = 400
WORKER = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                      "difftest_worker.py")


@dataclass(frozen=True)
class Intended:
    """A documented difference: C crashes (or misbehaves) where the Rust
    object must not.  Programs with a step matching `pattern` (a regular
    expression) are left out of the comparison, and counted by name."""
    name: str
    object: str
    description: str
    pattern: str

    def matches(self, steps):
        return any(re.search(self.pattern, step) for step in steps)


def _safety_cases():
    """The intended differences: the cases of Lib/test/test_rust_safety.py
    where C crashes, reads freed memory or exposes uninitialised memory and
    the Rust object must not
    (the test pins both sides; README.md has the measured table).  Their
    programs are written out there; a generated program that contains one
    (marked `# intended: NAME`) is left out of the comparison.  The
    memoryview port also documents an exporter giving ndim > 1 with a NULL
    shape (Objects/memoryobject/src/constructors.rs), which Python code
    cannot make."""
    import importlib.util
    path = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
        os.path.abspath(__file__)))), "Lib", "test", "test_rust_safety.py")
    spec = importlib.util.spec_from_file_location("test_rust_safety", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(spec.name, module)
    try:
        spec.loader.exec_module(module)
    except (OSError, ImportError):
        return ()
    return tuple(
        Intended(c.name, getattr(c, "object", "memoryobject"),
                 f"{c.summary} [{c.upstream}; Lib/test/test_rust_safety.py]",
                 re.escape(f"# intended: {c.name}"))
        for c in module.CASES
        if not c.same_as_c and c.c_result in (
            "SIGSEGV", "SIGBUS", "freed", "freed-write", "uninit"))


INTENDED = _safety_cases()


class WorkerCrashed(Exception):
    pass


class Worker:
    """One interpreter running difftest_worker.py --serve."""

    def __init__(self, python, label, env, timeout=CASE_TIMEOUT):
        self.python, self.label, self.env = python, label, env
        self.timeout = timeout
        self.proc = None
        self.buffer = b""
        self.errlog = tempfile.TemporaryFile()
        self.restarts = 0

    def start(self):
        self.errlog.seek(0)
        self.errlog.truncate()
        self.buffer = b""
        self.proc = subprocess.Popen(
            [self.python, "-X", "faulthandler", WORKER, "--serve"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=self.errlog, env=self.env, cwd=tempfile.gettempdir())

    def stop(self):
        if self.proc is not None:
            try:
                self.proc.stdin.close()
            except OSError:
                pass
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            self.proc.stdout.close()
            self.proc = None

    def kill(self):
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait()
            try:
                self.proc.stdin.close()
            except OSError:
                pass
            self.proc.stdout.close()
            self.proc = None
        self.restarts += 1

    def _readline(self, deadline):
        fd = self.proc.stdout.fileno()
        while b"\n" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                return "timeout"
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                return "timeout"
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                return None
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        return line

    def stderr_tail(self, count=15):
        self.errlog.seek(0)
        lines = self.errlog.read().decode("utf-8", "replace").splitlines()
        return lines[-count:]

    def run(self, cases):
        """The trace of every program of `cases`.  A crash or a hang is the
        trace [["crash", how]] or [["timeout"]] of the case it ended."""
        results = []
        pending = list(cases)
        while pending:
            if self.proc is None:
                self.start()
            try:
                data = json.dumps({"cases": pending}).encode() + b"\n"
                self.proc.stdin.write(data)
                self.proc.stdin.flush()
            except BrokenPipeError:
                pass
            done = 0
            for _ in pending:
                line = self._readline(time.monotonic() + self.timeout)
                if line == "timeout":
                    self.kill()
                    results.append([["timeout"]])
                    break
                if line is None:
                    status = self.proc.wait()
                    how = (f"signal {-status}" if status < 0
                           else f"exit {status}")
                    self.last_crash = self.stderr_tail()
                    self.kill()
                    results.append([["crash", how]])
                    break
                results.append(json.loads(line))
                done += 1
            else:
                end = self._readline(time.monotonic() + self.timeout)
                if end != b'"end"':
                    self.kill()
                pending = []
                continue
            pending = pending[done + 1:]
        return results


def run_both(workers, cases):
    """Run `cases` in both workers at the same time."""
    out = [None, None]
    errors = [None, None]

    def target(k):
        try:
            out[k] = workers[k].run(cases)
        except BaseException as exc:  # re-raised in the calling thread
            errors[k] = exc
    threads = [threading.Thread(target=target, args=(k,)) for k in (0, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for exc in errors:
        if exc is not None:
            raise exc
    return out


# --- Shrinking and reproducers -------------------------------------------------

_NUMBER = re.compile(r"(?<![\w.'\"])(\d+)(?![\w.])")


def simpler_steps(step):
    """Versions of `step` with one number made smaller."""
    for m in _NUMBER.finditer(step):
        value = int(m.group(1))
        for smaller in (0, 1, value // 2):
            if smaller < value:
                yield step[:m.start()] + str(smaller) + step[m.end():]


def first_difference(a, b):
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return i
    return min(len(a), len(b))


def shrink(workers, steps):
    """A smaller program whose traces still differ."""
    runs = 0

    def diverges(candidate):
        nonlocal runs
        runs += 1
        c, r = run_both(workers, [candidate])
        return c[0] != r[0]

    steps = list(steps)
    # Remove chunks of steps, halving the chunk size.
    size = max(1, len(steps) // 2)
    while size >= 1 and runs < MAX_SHRINK_RUNS:
        i = len(steps) - size
        while i >= 0 and runs < MAX_SHRINK_RUNS:
            candidate = steps[:i] + steps[i + size:]
            if candidate and diverges(candidate):
                steps = candidate
            i -= size
        size //= 2
    # Make numbers smaller.
    changed = True
    while changed and runs < MAX_SHRINK_RUNS:
        changed = False
        for i, step in enumerate(steps):
            for simpler in simpler_steps(step):
                if runs >= MAX_SHRINK_RUNS:
                    break
                candidate = steps[:i] + [simpler] + steps[i + 1:]
                if diverges(candidate):
                    steps = candidate
                    changed = True
                    break
    return steps


def reproducer_text(obj, seed, index, steps, c_trace, r_trace, names):
    k = first_difference(c_trace, r_trace)
    step = steps[k] if k < len(steps) else "(end of program)"
    c_line = json.dumps(c_trace[k]) if k < len(c_trace) else "(nothing)"
    r_line = json.dumps(r_trace[k]) if k < len(r_trace) else "(nothing)"
    with open(WORKER, encoding="utf-8") as f:
        body = f.read()
    header = (
        f"#!/usr/bin/env python3\n"
        f'"""difftest reproducer: object {obj}, seed {seed}, case {index} '
        f"(shrunk).\n\n"
        f"Run it with both interpreters (PYTHONHASHSEED=0):\n"
        f"    {names[0]} {{this file}}\n    {names[1]} {{this file}}\n"
        f"Their traces differ first at step {k}:\n"
        f"    {step}\n"
        f"    C:    {c_line}\n    Rust: {r_line}\n"
        f'"""\n\n'
        "# ---- difftest_worker.py (the trace runner) ----\n")
    steps_text = "STEPS = [\n" + "".join(
        f"    {s!r},\n" for s in steps) + "]\n"
    return (header + body.replace('"""The side of', '"""(From) the side of',
                                  1)
            + "\n\n# ---- the program ----\n" + steps_text
            + "\nif __name__ == \"__main__\":\n    main(STEPS)\n")


# --- The run --------------------------------------------------------------------

def worker_env(environ=os.environ):
    env = {k: v for k, v in environ.items() if not k.startswith("PYTHON")}
    env["PYTHONHASHSEED"] = "0"
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def rust_objects(python, env):
    try:
        proc = subprocess.run(
            [python, "-c", "import sysconfig; print(sysconfig.get_config_var"
                           "('PY_RUST_OBJECTS'))"],
            capture_output=True, text=True, env=env, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if proc.returncode:
        return None
    value = proc.stdout.strip()
    return [] if value == "None" else value.replace(",", " ").split()


@dataclass
class ObjectResult:
    name: str
    cases: int = 0
    seconds: float = 0.0
    divergences: int = 0
    crashes_both: int = 0
    timeouts: int = 0
    flaky: int = 0
    excluded: dict = None
    reproducers: list = None


def run_object(obj, workers, args, outdir, deadline, log):
    result = ObjectResult(obj, excluded={}, reproducers=[])
    intended = [i for i in INTENDED if i.object == obj
                and i.name not in args.include_intended]
    intended += [Intended(f"--exclude-step {p}", obj, "from the command "
                          "line", p) for p in args.exclude_step]
    start = time.monotonic()
    divergent = []
    index = 0
    limit = args.cases
    if getattr(args, "default_cases", False):
        limit = DEFAULT_CASES_FOR.get(obj, limit)
    while (limit is None or index < limit) and (
            deadline is None or time.monotonic() < deadline):
        count = BATCH if limit is None else min(BATCH, limit - index)
        batch = []
        for j in range(index, index + count):
            steps = difftest_gen.generate(obj, args.seed, j)
            hit = next((i for i in intended if i.matches(steps)), None)
            if hit:
                result.excluded[hit.name] = result.excluded.get(
                    hit.name, 0) + 1
                continue
            batch.append((j, steps))
        index += count
        traces = run_both(workers, [s for _, s in batch])
        for (j, steps), c, r in zip(batch, *traces):
            result.cases += 1
            if c != r:
                # Run it again: a load spike can make one side time out.
                c2, r2 = run_both(workers, [steps])
                if c2[0] == r2[0]:
                    result.flaky += 1
                    log(f"  case {j}: diverged, then agreed when run again "
                        f"(not counted): C {json.dumps(c[-1])[:80]}, "
                        f"Rust {json.dumps(r[-1])[:80]}")
                    continue
                result.divergences += 1
                divergent.append((j, steps, c2[0], r2[0]))
            elif c and c[-1][0] == "crash":
                result.crashes_both += 1
                log(f"  case {j}: both interpreters crashed ({c[-1][1]})")
            elif c and c[-1][0] == "timeout":
                result.timeouts += 1
                log(f"  case {j}: both interpreters timed out "
                    f"(--case {j} shows it)")
    result.seconds = time.monotonic() - start
    seen = set()
    for j, steps, c, r in divergent:
        k = first_difference(c, r)
        # One reproducer per kind of divergence: what each side did (the
        # type of the result, or the exception and its message).
        signature = tuple(
            json.dumps(t[k][:3] if t[k][0] == "raise" else t[k][:2])
            if k < len(t) else "" for t in (c, r))
        if signature in seen:
            continue
        seen.add(signature)
        if len(result.reproducers) >= args.max_reproducers:
            break
        small = shrink(workers, steps)
        c2, r2 = run_both(workers, [small])
        if c2[0] == r2[0]:          # flaky: keep the original program
            small, c2, r2 = steps, [c], [r]
        path = os.path.join(outdir, f"{obj}-seed{args.seed}-case{j}.py")
        os.makedirs(outdir, exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(reproducer_text(obj, args.seed, j, small, c2[0], r2[0],
                                    (args.c_python, args.rust_python)))
        result.reproducers.append(path)
        k = first_difference(c2[0], r2[0])
        log(f"  divergence in case {j}, shrunk to {len(small)} steps: "
            f"{display_path(path)}")
        if k < len(small):
            log(f"    {small[k]}")
        log(f"    C:    {json.dumps(c2[0][k]) if k < len(c2[0]) else '-'}")
        log(f"    Rust: {json.dumps(r2[0][k]) if k < len(r2[0]) else '-'}")
    return result


def make_parser():
    parser = argparse.ArgumentParser(
        prog="python3 Tools/rust difftest",
        description="Run random programs in the C and the Rust interpreter "
                    "and compare their traces.  Without options: the bounded "
                    f"CI run ({DEFAULT_CASES} cases per object, seed "
                    f"{DEFAULT_SEED}).")
    parser.add_argument("--object", action="append", metavar="NAME",
                        help="object to test (repeatable; default: every "
                             "registry object that has a generator; "
                             f"generators: {', '.join(difftest_gen.GENERATORS)})")
    parser.add_argument("--cases", type=int, metavar="N",
                        help=f"cases per object (default {DEFAULT_CASES}, "
                             + ", ".join(f"{n} for {o}" for o, n in
                                         DEFAULT_CASES_FOR.items())
                             + "; unlimited with --seconds)")
    parser.add_argument("--seconds", type=float, metavar="S",
                        help="stop each object after S seconds")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--case", type=int, metavar="N",
                        help="run case N alone and print its two traces")
    parser.add_argument("--c-python", metavar="P",
                        help="the C interpreter (default: build/c/python)")
    parser.add_argument("--rust-python", metavar="P",
                        help="the Rust interpreter (default: "
                             "build/rust/python)")
    parser.add_argument("--output", metavar="DIR",
                        help="where reproducers go (default: build/difftest)")
    parser.add_argument("--max-reproducers", type=int,
                        default=MAX_REPRODUCERS, metavar="N")
    parser.add_argument("--list-intended", action="store_true",
                        help="list the intended differences and exit")
    parser.add_argument("--exclude-step", action="append", default=[],
                        metavar="REGEX",
                        help="leave out the programs with a step matching "
                             "REGEX (counted; to look past a known "
                             "divergence)")
    parser.add_argument("--include-intended", action="append", default=[],
                        metavar="NAME",
                        help="run the programs of an intended difference too")
    return parser


def main(argv):
    args = make_parser().parse_args(argv)
    if args.list_intended:
        if not INTENDED:
            print("no intended differences are listed")
        for i in INTENDED:
            print(f"{i.name} ({i.object}): {i.description}\n"
                  f"    programs matching: {i.pattern}")
        return 0
    unknown = set(args.include_intended) - {i.name for i in INTENDED}
    if unknown:
        print(f"error: unknown intended difference(s): "
              f"{', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    layout = Layout()
    args.c_python = args.c_python or os.path.join(layout.builddir("c"),
                                                  "python")
    args.rust_python = args.rust_python or os.path.join(
        layout.builddir("rust"), "python")
    # The workers run in their own directory: paths become absolute
    # (a bare command name is looked up on PATH as it is).
    args.c_python, args.rust_python = (
        os.path.abspath(p) if os.sep in p else p
        for p in (args.c_python, args.rust_python))
    for p in (args.c_python, args.rust_python):
        if not (os.path.isfile(p) or shutil.which(p)):
            print(f"error: no interpreter {p}: build it (python3 Tools/rust "
                  f"build) or give --c-python/--rust-python",
                  file=sys.stderr)
            return 2
    if args.object:
        objects = []
        for value in args.object:
            objects += [n for n in value.replace(",", " ").split()
                        if n not in objects]
        bad = [n for n in objects if n not in difftest_gen.GENERATORS]
        if bad:
            print(f"error: no generator for {', '.join(bad)}; generators: "
                  f"{', '.join(difftest_gen.GENERATORS)}", file=sys.stderr)
            return 2
    else:
        objects = [n for n in registry.load(layout.root)
                   if n in difftest_gen.GENERATORS]
    args.default_cases = args.cases is None and args.seconds is None
    if args.default_cases:
        args.cases = DEFAULT_CASES
    outdir = args.output or os.path.join(layout.build, "difftest")
    env = worker_env()
    linked = rust_objects(args.rust_python, env)

    def log(text):
        print(text, flush=True)

    log(f"difftest: seed {args.seed}, "
        + (f"{args.cases} cases" if args.cases is not None else "no case limit")
        + ("".join(f" ({n} for {o})" for o, n in DEFAULT_CASES_FOR.items()
                   if o in objects) if args.default_cases else "")
        + (f", {args.seconds:g}s" if args.seconds is not None else "")
        + " per object")
    log(f"  C:    {args.c_python}\n  Rust: {args.rust_python} "
        f"(Rust objects: {', '.join(linked) if linked else 'none'})")
    workers = (Worker(args.c_python, "C", env),
               Worker(args.rust_python, "Rust", env))
    total_div = 0
    per_object = {}
    try:
        if args.case is not None:
            obj = objects[0]
            steps = difftest_gen.generate(obj, args.seed, args.case)
            c, r = run_both(workers, [steps])
            for name, trace in (("C", c[0]), ("Rust", r[0])):
                log(f"--- {name}")
                for step, entry in zip(steps, trace):
                    log(f"{step}\n    -> {json.dumps(entry)}")
            return 1 if c != r else 0
        for obj in objects:
            if not args.object and linked is not None and obj not in linked:
                log(f"{obj}: skipped, the Rust interpreter does not link it "
                    f"(--object {obj} runs it anyway)")
                continue
            note = ("" if linked is None or obj in linked else
                    " (the Rust interpreter does not link it: C against C)")
            log(f"{obj}{note}:")
            deadline = (time.monotonic() + args.seconds
                        if args.seconds is not None else None)
            res = run_object(obj, workers, args, outdir, deadline, log)
            total_div += res.divergences
            per_object[obj] = {
                "cases": res.cases, "divergences": res.divergences,
                "seconds": round(res.seconds, 1),
                "rust_linked": linked is None or obj in linked}
            rate = res.cases / res.seconds if res.seconds else 0.0
            excluded = ", ".join(f"{n}: {c}" for n, c in
                                 sorted(res.excluded.items()))
            log(f"  {res.cases} cases in {res.seconds:.1f}s "
                f"({rate:.0f} cases/s), {res.divergences} divergence(s)"
                + (f", both crashed in {res.crashes_both}"
                   if res.crashes_both else "")
                + (f", {res.timeouts} timed out in both"
                   if res.timeouts else "")
                + (f", {res.flaky} diverged once only" if res.flaky else "")
                + (f"; left out (intended differences, --exclude-step): {excluded}"
                   if excluded else ""))
    finally:
        for w in workers:
            w.stop()
    log(f"difftest: {total_div} divergence(s)")
    if per_object and args.output is None and os.path.abspath(
            args.rust_python).startswith(layout.build + os.sep):
        # The date and commit of this run of a build of ours, for
        # `Tools/rust report` (runs against other interpreters or into
        # another directory, as the unit tests make, are not recorded).
        record_result(layout.root, "difftest", {
            "seed": args.seed, "objects": per_object,
            "c_python": display_path(args.c_python),
            "rust_python": display_path(args.rust_python),
            "reproducers": display_path(outdir)})
    return 1 if total_div else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
