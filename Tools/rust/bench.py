"""`Tools/rust bench`: the Rust objects against their C twins, side by side.

The rows are the generated matrix of `benchmatrix.py` (2000-odd
operations; `--rows quick` is its daily subset).  Two measurements, both
comparing the C and the Rust interpreter of the same build configuration
(build/c/python and build/rust/python):

* instructions (`--instructions`, the full matrix by default): each
  interpreter runs every row in callgrind, a few processes at once; in a
  process, callgrind dumps its counters at a marker call between the
  setup, a call of no iteration and a call of L iterations of each row,
  so (L - 0) / L is the exact count of one iteration, and the empty
  loop's count is subtracted; each row is counted at three heap layouts
  and the lowest count kept (see LAYOUTS).  This is the gate: no row
  above GATE_MAX of C, geometric mean at most GATE_GEOMEAN;
* time (the quick subset by default): worker processes of the two
  interpreters alternate (C, Rust, Rust, C, ...), each timing every row
  with the same loop count (best of a few repeats).  Per row the Rust/C
  ratio of the medians is reported with its spread, and the geometric
  mean; time is reported, not gated (the machines' noise is about 15 %).

Results go to build/bench/results.json and build/bench/BENCHMARKS.md (and
a PNG chart when matplotlib can be imported); `--record` also writes the
committed Tools/rust/bench-results.json and Tools/rust/BENCHMARKS.md, which
`Tools/rust check` keeps in step with the matrix.  The regular tests time
nothing; this is a separate command.
"""

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time

import benchmatrix  # noqa: E402

# name -> benchmatrix.Row, the full generated matrix.
BENCHMARKS = benchmatrix.generate()


# The statement of a row runs in a function's loop, as timeit does: over
# itertools.repeat, which allocates nothing per iteration (a range's ints
# would make every count depend on the allocator's state), with the cyclic
# GC off (timeit's default too: a collection would land in whichever row
# happened to cross the threshold).
LOOP = ("def _f(_n, _repeat=__import__('itertools').repeat):\n"
        " for _i in _repeat(None, _n):\n  {}\n")

WORKER = r"""
import gc, json, sys, time
spec = json.load(sys.stdin)
out = {}
gc.disable()
for name, setup, stmt, loops, repeat in spec:
    ns = {}
    try:
        exec(setup, ns)
        exec(compile(LOOP.format(stmt.replace("\n", "\n  ")), name, "exec"),
             ns)
        f = ns["_f"]
        f(1)
        if loops is None:          # calibration: time about 100 us
            loops = 1
            while True:
                t0 = time.perf_counter_ns()
                f(loops)
                dt = time.perf_counter_ns() - t0
                if dt > 100_000 or loops >= 1 << 20:
                    break
                loops *= 4
            out[name] = dt / loops
            continue
        best = None
        for _ in range(repeat):
            t0 = time.perf_counter_ns()
            f(loops)
            dt = time.perf_counter_ns() - t0
            best = dt if best is None or dt < best else best
        out[name] = best / loops
    except Exception as exc:
        out[name] = repr(exc)
print(json.dumps(out))
""".replace("LOOP", repr(LOOP))

# One callgrind process runs many rows, each in a child forked from the
# same state (so that no row's count depends on the rows before it: the
# type cache, the allocator and the dicts start alike for every row).
# sys.getswitchinterval, which nothing else calls, is the marker: callgrind
# dumps the child's counters before each call (--dump-before), so a
# measurement leaves three dumps: its setup, a call of no iteration and a
# call of L iterations.  (L - 0) / L is the count of one iteration,
# without the setup, the call, the startup or the dump itself.  Two
# iterations first warm it up (the specialising interpreter rewrites an
# instruction on its second run).  The empty loop is measured the same
# way and subtracted: what remains is the statement's own count.
#
# Each row is measured at LAYOUTS heap layouts and the lowest count is
# kept, a cost of the code being in every count, and a cost of where the
# objects landed in some.  Where they land depends on everything the
# interpreter allocated before, startup included, so on the binary:
# - glibc's memcmp and memchr take a longer path when a load could cross a
#   4 KiB page (within 32 bytes of its end): one layout let
#   `bytearray.endswith` of 16 bytes count 8 instructions more in C's own
#   code in one build than in the other, from one binary to the next;
# - obmalloc makes a pool anew each time the one block it holds is freed
#   and taken again: a row that makes and frees one object an iteration
#   counts about 20 instructions more when its object is alone in a pool
#   (`bytearray.lower` of 16 bytes, 1.037 of C in one recorded run).
# The first layout is the setup as it comes.  The second runs the setup
# again with the first's objects still alive and a block of every size
# class (16 to 512 bytes) taken first, so each object sits at least two
# blocks from where it was.  The third takes two blocks of every size
# class after its setup and frees the first, so that the next block of
# each size comes from a pool that holds another (a pool that was full
# is the one the freed block goes back to).
LAYOUTS = 3
MARKER = "sys_getswitchinterval"
CALLGRIND_WORKER = r"""
import gc, json, os, sys
mark = sys.getswitchinterval
spec = json.load(sys.stdin)
base = os.environ["BENCH_CALLGRIND_BASE"]
gc.disable()
done = []
for row, (name, setup, stmt, loops) in enumerate(spec):
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        try:
            # a block of each obmalloc size class (16 to 512 bytes)
            pad = lambda: ([object(), (1 << 40) + len(kept)] +
                           [bytes(n) for n in range(15, 480, 16)])
            kept = []
            for layout in range(LAYOUTS):
                if layout == 1:
                    kept.append(pad())
                ns = {}
                kept.append(ns)
                exec(setup, ns)
                exec(compile(LOOP.format(stmt.replace("\n", "\n  ")), name,
                             "exec"), ns)
                f = ns["_f"]
                f(2)
                if layout == 2:
                    first = pad()
                    kept.append(pad())
                    del first
                mark(); f(0); mark(); f(loops); mark()
            os.write(w, b"ok")
        except BaseException as exc:
            os.write(w, repr(exc).encode()[:4000] or b"error")
        os._exit(0)
    os.close(w)
    with os.fdopen(r, "rb") as f:
        status = f.read().decode()
    os.waitpid(pid, 0)
    # The child's dumps get the row's name at once: a later child may get
    # the same pid (pids wrap at 32768 on a busy machine).
    i = 1
    while os.path.exists(f"{base}.{pid}.{i}"):
        os.rename(f"{base}.{pid}.{i}", f"{base}.row{row}.{i}")
        i += 1
    if os.path.exists(f"{base}.{pid}"):
        os.unlink(f"{base}.{pid}")
    done.append([name, f"row{row}",
                 None if status == "ok" else status or "died"])
print(json.dumps(done))
""".replace("LOOP", repr(LOOP)).replace("LAYOUTS", str(LAYOUTS))

EMPTY = "(empty loop)"
# Loop counts give each measured block about this much native time.
CALLGRIND_BLOCK_NS = 300_000


def run_worker(python, spec, script=WORKER, prefix=(), env=None):
    proc = subprocess.run([*prefix, python, "-I", "-S", "-c", script],
                          input=json.dumps(spec), stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, timeout=7200,
                          env=env)
    if proc.returncode:
        raise RuntimeError(f"{python}: worker failed:\n{proc.stderr[-2000:]}")
    return json.loads(proc.stdout)


def calibrate(python, names):
    """{name: ns per iteration} (or an error string) in one process."""
    spec = [[n, BENCHMARKS[n].setup, BENCHMARKS[n].stmt, None, 1]
            for n in names]
    return run_worker(python, spec)


def time_suite(c_python, rust_python, names, processes, repeat, log,
               target_ns=5_000_000):
    per = calibrate(c_python, names)
    spec, errors = [], {}
    for name in names:
        if isinstance(per[name], str):
            errors[name] = per[name]
            continue
        loops = max(1, min(1_000_000, int(target_ns / max(per[name], 1.0))))
        row = BENCHMARKS[name]
        spec.append([name, row.setup, row.stmt, loops, repeat])
    samples = {"c": [], "rust": []}
    for i in range(processes):
        order = [("c", c_python), ("rust", rust_python)]
        if i % 2:
            order.reverse()
        for label, python in order:
            samples[label].append(run_worker(python, spec))
        log(f"  process pair {i + 1}/{processes} done")
    results = {}
    for name, *_ in spec:
        c = [s[name] for s in samples["c"] if not isinstance(s[name], str)]
        r = [s[name] for s in samples["rust"] if not isinstance(s[name], str)]
        if not c or not r:
            errors[name] = next(s[name] for s in samples["c"] + samples["rust"]
                                if isinstance(s[name], str))
            continue
        pair_ratios = sorted(rv / cv for rv, cv in zip(r, c))
        results[name] = {
            "object": BENCHMARKS[name].obj,
            "c_ns": statistics.median(c),
            "rust_ns": statistics.median(r),
            "ratio": statistics.median(r) / statistics.median(c),
            "ratio_min": pair_ratios[0],
            "ratio_max": pair_ratios[-1],
        }
    return results, errors


def read_dumps(base):
    """The instruction totals of callgrind's dumps base.1, base.2, ..."""
    totals = []
    i = 1
    while os.path.exists(f"{base}.{i}"):
        with open(f"{base}.{i}", encoding="utf-8") as f:
            for line in f:
                if line.startswith("totals:") or line.startswith("summary:"):
                    totals.append(int(line.split()[1]))
                    break
            else:
                raise RuntimeError(f"{base}.{i}: no totals line")
        os.unlink(f"{base}.{i}")
        i += 1
    return totals


def per_iteration(totals, loops):
    """The lowest count of one iteration over the layouts, from a row's
    dumps (per layout: the setup, the call of no iteration and the call of
    L), or an error string when the dumps are not all there."""
    if len(totals) != 3 * LAYOUTS:
        return f"{len(totals)} callgrind dumps, {3 * LAYOUTS} expected"
    return min((totals[i + 2] - totals[i + 1]) / loops
               for i in range(0, len(totals), 3))


def callgrind_counts(python, spec):
    """{name: instructions per iteration (or an error string)} of the rows
    of spec ([name, setup, stmt, loops]), in one callgrind process."""
    with tempfile.TemporaryDirectory() as tmp:
        base = os.path.join(tmp, "cg.out")
        # A fixed hash seed: dict and set layouts (and so the instruction
        # counts) must not change from run to run.
        env = dict(os.environ, PYTHONHASHSEED="0",
                   BENCH_CALLGRIND_BASE=base)
        done = run_worker(python, spec, CALLGRIND_WORKER, prefix=[
            "valgrind", "--tool=callgrind",
            f"--callgrind-out-file={base}.%p",
            f"--dump-before={MARKER}", "--dump-line=no"], env=env)
        loops = {row[0]: row[3] for row in spec}
        out = {}
        for name, tag, error in done:
            totals = read_dumps(f"{base}.{tag}")
            if error:
                out[name] = error
            else:
                out[name] = per_iteration(totals, loops[name])
    return out


def instruction_suite(c_python, rust_python, names, jobs, log):
    """{name: {object, c_instr, rust_instr, ratio}} and {name: error}:
    every row counted in both interpreters, net of the empty loop."""
    per = calibrate(c_python, names)
    errors = {n: per[n] for n in names if isinstance(per[n], str)}
    spec = [[n, BENCHMARKS[n].setup, BENCHMARKS[n].stmt,
             max(1, min(20000, round(CALLGRIND_BLOCK_NS / max(per[n], 1.0))))]
            for n in names if n not in errors]
    chunks = [spec[i::jobs] for i in range(jobs)]
    empty = [EMPTY, "", "pass", 20000]
    tasks = [(label, python, [empty] + chunk)
             for chunk in chunks if chunk
             for label, python in (("c", c_python), ("rust", rust_python))]
    import concurrent.futures
    counts = {"c": {}, "rust": {}}
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = {pool.submit(callgrind_counts, python, chunk): label
                   for label, python, chunk in tasks}
        for i, fut in enumerate(concurrent.futures.as_completed(futures)):
            got = fut.result()
            label = futures[fut]
            base = got.pop(EMPTY)
            for name, value in got.items():
                counts[label][name] = (value if isinstance(value, str)
                                       else value - base)
            log(f"  callgrind process {i + 1}/{len(tasks)} done "
                f"({label}, {len(got)} rows, empty loop {base:.1f})")
    results = {}
    for name in names:
        if name in errors:
            continue
        c, r = counts["c"].get(name), counts["rust"].get(name)
        if isinstance(c, str) or isinstance(r, str) or c is None or r is None:
            errors[name] = c if isinstance(c, str) else r
            continue
        results[name] = {
            "object": BENCHMARKS[name].obj, "group": BENCHMARKS[name].group,
            "c_instr": c, "rust_instr": r,
            "ratio": r / c if c > 0 else float("nan"),
        }
    return results, errors


def geomean(values):
    values = [v for v in values if v > 0 and math.isfinite(v)]
    if not values:
        return float("nan")
    return math.exp(sum(math.log(v) for v in values) / len(values))


def sizes(build_root):
    out = {}
    for variant in ("c", "rust"):
        path = os.path.join(build_root, variant, "python")
        if os.path.exists(path):
            proc = subprocess.run(["size", "-A", path], stdout=subprocess.PIPE,
                                  text=True)
            lines = proc.stdout.splitlines()
            total = sum(int(line.split()[1]) for line in lines
                        if line.startswith(".") and len(line.split()) >= 2
                        and line.split()[1].isdigit()
                        and not line.startswith(".debug"))
            out[variant] = {"file_bytes": os.path.getsize(path),
                            "loaded_bytes": total}
    return out


# The file an incremental build touches, per variant.
INCREMENTAL_FILE = {"c": os.path.join("Objects", "enumobject.c"),
                    "rust": os.path.join("Objects", "enumobject", "src",
                                         "lib.rs")}


def cold_build_times(root, jobs, log):
    """Cold builds of the C and the Rust variant, one after the other:
    configure and make in fresh build directories (for the Rust variant
    that includes its cargo target directory, so every crate is compiled;
    crates already downloaded are not downloaded again).  The source tree
    is the overlaid one `Tools/rust build` made.  Returns
    {variant: {"configure_s", "make_s", "total_s"}}."""
    import shutil
    import builder
    from common import Layout, run_step
    layout = Layout(root)
    src = builder.variant_srcdir(layout, "c")
    if not os.path.exists(os.path.join(src, "configure")):
        raise SystemExit("bench: no overlaid source tree: run "
                         "`python3 Tools/rust build` first")
    out = {}
    for name in ("c", "rust"):
        variant = builder.VARIANTS[name]
        builddir = os.path.join(layout.build, "bench-cold", name)
        if os.path.exists(builddir):
            shutil.rmtree(builddir)
        os.makedirs(builddir)
        env = builder.build_env(variant, layout)
        try:
            conf = run_step(f"cold build {name}: configure",
                            [os.path.join(src, "configure"),
                             *variant.configure_flags],
                            layout.log(f"bench-cold-{name}-configure.log"),
                            cwd=builddir, env=env)
            mk = run_step(f"cold build {name}: make",
                          ["make", f"-j{jobs}", *variant.make_args],
                          layout.log(f"bench-cold-{name}-make.log"),
                          cwd=builddir, env=env)
            # Incremental: one source file of enumerate touched (the C file,
            # or the Rust crate's), then make again.
            touched = os.path.join(src, INCREMENTAL_FILE[name])
            os.utime(touched)
            inc = run_step(f"incremental build {name}: make",
                           ["make", f"-j{jobs}", *variant.make_args],
                           layout.log(f"bench-inc-{name}-make.log"),
                           cwd=builddir, env=env)
        finally:
            shutil.rmtree(builddir, ignore_errors=True)
        out[name] = {"configure_s": conf, "make_s": mk, "total_s": conf + mk,
                     "incremental_s": inc}
        log(f"cold build {name}: configure {conf:.0f} s, make {mk:.0f} s; "
            f"incremental ({INCREMENTAL_FILE[name]} touched) {inc:.1f} s")
    return out


GATE_MAX = 1.02          # no row above this many of C's instructions
GATE_GEOMEAN = 0.75      # the geometric mean over the full matrix
WORST = 15


def gate(report):
    """The gate's failures (strings) on the instruction results."""
    out = []
    inst = report.get("instructions") or {}
    for name, r in inst.items():
        if not r["ratio"] <= GATE_MAX:
            out.append(f"{name}: {r['ratio']:.3f} of C's instructions "
                       f"(limit {GATE_MAX})")
    if inst and not report["instr_geomean"] <= GATE_GEOMEAN:
        out.append(f"geometric mean {report['instr_geomean']:.3f} "
                   f"(limit {GATE_GEOMEAN})")
    for name, error in sorted(report.get("errors", {}).items()):
        out.append(f"{name}: {error}")
    return out


def _groups(results):
    groups = {}
    for name, r in results.items():
        groups.setdefault((r["object"], r["group"]), []).append((name, r))
    return groups


def markdown(report):
    """BENCHMARKS.md: the gate, per group, the worst rows, time, sizes and
    build times, then every row."""
    lines = ["# Rust objects vs C: benchmark results", "",
             "<!-- Generated by `python3 Tools/rust bench --record`; "
             "do not edit. -->", "",
             f"Command: `{report['command']}`  ",
             f"CPython: {report.get('cpython', '?')}  ",
             f"Date: {report['date']}  ", f"Machine: {report['machine']}", ""]
    inst = report.get("instructions") or {}
    if inst:
        ratios = [r["ratio"] for r in inst.values()]
        failures = gate(report)
        lines += [
            "## Instructions (callgrind, Rust/C, lower is better)", "",
            f"{len(inst)} operations of the generated matrix "
            "(`Tools/rust/benchmatrix.py`), each counted in a child process "
            "forked from the same state of the interpreter: instructions per "
            "execution of the statement, net of the empty loop, the lowest "
            "of three heap layouts (where an object lands decides whether "
            "libc's memcmp and memchr take their page-crossing path, and "
            "whether obmalloc makes a pool anew at each iteration).", "",
            f"- geometric mean: **{report['instr_geomean']:.3f}** "
            f"(gate: <= {GATE_GEOMEAN})",
            f"- highest: **{max(ratios):.3f}** (gate: every operation <= "
            f"{GATE_MAX})",
            f"- operations above C (> 1.000): "
            f"{sum(1 for x in ratios if x > 1.0)}",
            f"- gate: **{'passed' if not failures else 'FAILED'}**", "",
            "| object | group | operations | geomean | lowest | highest "
            "| highest operation |", "|---|---|---:|---:|---:|---:|---|"]
        for (obj, group), rows in _groups(inst).items():
            worst = max(rows, key=lambda nr: nr[1]["ratio"])
            rs = [r["ratio"] for _, r in rows]
            lines.append(f"| {obj} | {group} | {len(rows)} | "
                         f"{geomean(rs):.3f} | {min(rs):.3f} | {max(rs):.3f}"
                         f" | `{worst[0]}` |")
        lines += ["", f"### The {WORST} highest", "",
                  "| operation | C instr | Rust instr | Rust/C |",
                  "|---|---:|---:|---:|"]
        for name, r in sorted(inst.items(), key=lambda nr: -nr[1]["ratio"]
                              )[:WORST]:
            lines.append(f"| `{name}` | {r['c_instr']:.1f} | "
                         f"{r['rust_instr']:.1f} | {r['ratio']:.3f} |")
        lines.append("")
    if report.get("time"):
        lines += ["## Time (Rust/C, lower is better)", "",
                  "Interleaved worker processes, the "
                  f"{report.get('time_rows', 'quick')} rows; reported, not "
                  "gated (the noise here is about +-15 %).", "",
                  "| operation | object | C ns | Rust ns | Rust/C | spread |",
                  "|---|---|---:|---:|---:|---|"]
        for name, r in report["time"].items():
            lines.append(f"| `{name}` | {r['object']} | {r['c_ns']:.1f} | "
                         f"{r['rust_ns']:.1f} | {r['ratio']:.3f} | "
                         f"{r['ratio_min']:.3f}-{r['ratio_max']:.3f} |")
        lines += ["", f"Geometric mean (time): {report['time_geomean']:.3f}",
                  ""]
    if report.get("build_times"):
        bt = report["build_times"]
        lines += ["## Cold build (configure + make, fresh build directory)",
                  "",
                  "The incremental build: `make` again after touching "
                  "`Objects/enumobject.c` (C) or "
                  "`Objects/enumobject/src/lib.rs` (Rust).",
                  "",
                  "| variant | configure s | make s | total s "
                  "| incremental s |",
                  "|---|---:|---:|---:|---:|"]
        for v, t in bt.items():
            inc = t.get("incremental_s")
            lines.append(f"| {v} | {t['configure_s']:.0f} | {t['make_s']:.0f} "
                         f"| {t['total_s']:.0f} | "
                         f"{'' if inc is None else f'{inc:.1f}'} |")
        if "c" in bt and "rust" in bt:
            lines += ["", "Rust/C cold build time: "
                      f"{bt['rust']['total_s'] / bt['c']['total_s']:.2f} "
                      "(make only: "
                      f"{bt['rust']['make_s'] / bt['c']['make_s']:.2f})"]
        lines.append("")
    if report.get("sizes"):
        lines += ["## Size of `python`", "",
                  "| variant | file | loaded sections |",
                  "|---|---:|---:|"]
        for v, s in report["sizes"].items():
            lines.append(f"| {v} | {s['file_bytes']} | {s['loaded_bytes']} |")
        lines.append("")
    if report.get("errors"):
        lines += ["## Errors", ""]
        lines += [f"- `{n}`: {e}" for n, e in sorted(report["errors"].items())]
        lines.append("")
    if inst:
        lines += ["## Every operation (instructions)", "",
                  "| operation | object | group | C instr | Rust instr "
                  "| Rust/C |", "|---|---|---|---:|---:|---:|"]
        for name, r in inst.items():
            lines.append(f"| `{name}` | {r['object']} | {r['group']} | "
                         f"{r['c_instr']:.1f} | {r['rust_instr']:.1f} | "
                         f"{r['ratio']:.3f} |")
        lines.append("")
    return "\n".join(lines)


def chart(report, path):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    items = list(report.get("time", {}).items())
    if not items:
        return False
    fig, ax = plt.subplots(figsize=(10, max(4, len(items) * 0.25)))
    ax.barh([n for n, _ in items], [r["ratio"] for _, r in items])
    ax.axvline(1.0, color="black", linewidth=0.8)
    ax.set_xlabel("Rust/C time ratio (lower is better)")
    fig.tight_layout()
    fig.savefig(path)
    return True


RECORD_JSON = os.path.join("Tools", "rust", "bench-results.json")
RECORD_MD = os.path.join("Tools", "rust", "BENCHMARKS.md")


def select(rows, which, objects=None, text=None):
    return [n for n, r in BENCHMARKS.items()
            if (which == "full" or r.quick)
            and (not objects or r.obj in objects)
            and (not text or text in n)]


def check_record(root, fail, ok):
    """`Tools/rust check`: BENCHMARKS.md is the rendering of the recorded
    results, and those cover exactly the rows of the current matrix."""
    try:
        with open(os.path.join(root, RECORD_JSON), encoding="utf-8") as f:
            report = json.load(f)
        with open(os.path.join(root, RECORD_MD), encoding="utf-8") as f:
            md = f.read()
    except (OSError, ValueError) as exc:
        fail(f"bench: the recorded results: {exc} (run `python3 Tools/rust "
             "bench --instructions --record`)")
        return
    if md != markdown(report) + "\n":
        fail(f"{RECORD_MD} is not the rendering of {RECORD_JSON}: run "
             "`python3 Tools/rust bench --render`")
    else:
        ok(f"{RECORD_MD} renders {RECORD_JSON}")
    recorded = set(report.get("instructions", {})) | set(
        report.get("errors", {}))
    current = set(BENCHMARKS)
    if recorded != current:
        new, gone = sorted(current - recorded), sorted(recorded - current)
        fail(f"{RECORD_JSON} is stale: the matrix has {len(new)} rows it "
             f"lacks ({', '.join(new[:3])}{', ...' if len(new) > 3 else ''})"
             f" and it has {len(gone)} rows the matrix lacks "
             f"({', '.join(gone[:3])}{', ...' if len(gone) > 3 else ''}): "
             "run `python3 Tools/rust bench --instructions --record`")
    else:
        ok(f"{RECORD_JSON} covers the {len(current)} rows of the matrix")


def main(argv, root=None):
    root = root or os.path.dirname(os.path.dirname(
        os.path.dirname(os.path.abspath(__file__))))
    parser = argparse.ArgumentParser(prog="Tools/rust bench")
    parser.add_argument("--c-python",
                        default=os.path.join(root, "build", "c", "python"))
    parser.add_argument("--rust-python",
                        default=os.path.join(root, "build", "rust", "python"))
    parser.add_argument("--object", action="append",
                        help="only the rows of this object")
    parser.add_argument("--filter", help="only rows whose name contains this")
    parser.add_argument("--rows", choices=("quick", "full"),
                        help="the matrix's quick subset or all of it "
                             "(default: full for --instructions, quick for "
                             "time)")
    parser.add_argument("--processes", type=int, default=6,
                        help="worker processes per interpreter (alternating)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--instructions", action="store_true",
                        help="count instructions with callgrind and apply "
                             f"the gate (every row <= {GATE_MAX} of C, "
                             f"geometric mean <= {GATE_GEOMEAN})")
    parser.add_argument("--no-time", action="store_true")
    parser.add_argument("--output",
                        default=os.path.join(root, "build", "bench"))
    parser.add_argument("--record", action="store_true",
                        help=f"also write {RECORD_JSON} and {RECORD_MD}")
    parser.add_argument("--render", action="store_true",
                        help=f"only render {RECORD_MD} from {RECORD_JSON}")
    parser.add_argument("--list", action="store_true",
                        help="list the selected rows and stop")
    parser.add_argument("--build-time", action="store_true",
                        help="also time a cold build (configure + make in a "
                             "fresh directory) of the C and the Rust variant")
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1,
                        help="callgrind processes at once; make -jN for "
                             "--build-time")
    args = parser.parse_args(argv)
    if args.render:
        with open(os.path.join(root, RECORD_JSON), encoding="utf-8") as f:
            report = json.load(f)
        with open(os.path.join(root, RECORD_MD), "w", encoding="utf-8") as f:
            f.write(markdown(report) + "\n")
        return 0
    if args.list:
        for n in select(BENCHMARKS, args.rows or "full", args.object,
                        args.filter):
            print(n)
        return 0
    for p in (args.c_python, args.rust_python):
        if not os.path.exists(p):
            print(f"bench: {p} not found: run `python3 Tools/rust build` "
                  "first",
                  file=sys.stderr)
            return 2

    def log(msg):
        print(msg, flush=True)

    from common import CPYTHON_VERSION, git_state
    report = {"command": "python3 Tools/rust bench " + " ".join(argv),
              "cpython": CPYTHON_VERSION,
              "date": time.strftime("%Y-%m-%d %H:%M:%S"),
              # The tree measured, for `Tools/rust report` (staleness).
              **git_state(root),
              "machine": f"{os.cpu_count()} cores, {os.uname().machine}",
              "errors": {}}
    if not args.no_time:
        names = select(BENCHMARKS, args.rows or "quick", args.object,
                       args.filter)
        report["time_rows"] = f"{args.rows or 'quick'} ({len(names)})"
        log(f"timing {len(names)} rows, {args.processes} processes each ...")
        report["time"], errors = time_suite(
            args.c_python, args.rust_python, names, args.processes,
            args.repeat, log)
        report["errors"].update(errors)
        report["time_geomean"] = geomean(
            r["ratio"] for r in report["time"].values())
    if args.instructions:
        names = select(BENCHMARKS, args.rows or "full", args.object,
                       args.filter)
        log(f"counting instructions of {len(names)} rows with callgrind "
            f"({args.jobs} at once) ...")
        t0 = time.monotonic()
        report["instructions"], errors = instruction_suite(
            args.c_python, args.rust_python, names, max(1, args.jobs), log)
        report["instructions_s"] = round(time.monotonic() - t0)
        report["errors"].update(errors)
        report["instr_geomean"] = geomean(
            r["ratio"] for r in report["instructions"].values())
    if args.build_time:
        report["build_times"] = cold_build_times(root, args.jobs, log)
    report["sizes"] = sizes(os.path.join(root, "build"))
    os.makedirs(args.output, exist_ok=True)
    out = args.output
    with open(os.path.join(out, "results.json"), "w", encoding="utf-8") as f:
        json.dump(report, f, indent=1)
    md = markdown(report)
    with open(os.path.join(out, "BENCHMARKS.md"), "w", encoding="utf-8") as f:
        f.write(md + "\n")
    if chart(report, os.path.join(args.output, "ratios.png")):
        log(f"chart: {os.path.join(args.output, 'ratios.png')}")
    if args.record:
        with open(os.path.join(root, RECORD_JSON), "w", encoding="utf-8") as f:
            json.dump(report, f, indent=0, sort_keys=False)
            f.write("\n")
        with open(os.path.join(root, RECORD_MD), "w", encoding="utf-8") as f:
            f.write(md + "\n")
        log(f"recorded: {RECORD_JSON}, {RECORD_MD}")
    failures = gate(report)
    inst = report.get("instructions") or {}
    if inst:
        worst = sorted(inst.items(), key=lambda nr: -nr[1]["ratio"])[:WORST]
        log(f"\ninstructions: {len(inst)} rows in "
            f"{report['instructions_s']} s, geometric mean "
            f"{report['instr_geomean']:.3f}; the highest:")
        for name, r in worst:
            log(f"  {r['ratio']:.3f}  {name}")
    if report.get("time"):
        log(f"time: {len(report['time'])} rows, geometric mean "
            f"{report['time_geomean']:.3f} (reported, not gated)")
    log(f"results: {os.path.join(args.output, 'BENCHMARKS.md')}")
    if failures:
        log(f"\nbench: FAILED, {len(failures)} problem(s):")
        for line in failures[:50]:
            log(f"  {line}")
        return 1
    return 0
