"""`Tools/rust bench`: the Rust objects against their C twins, side by side.

Two measurements, both comparing the C and the Rust interpreter of the
same build configuration (build/c/python and build/rust/python):

* time: worker processes of the two interpreters alternate (C, Rust,
  Rust, C, ...), each timing every benchmark with the same loop count
  (best of a few repeats).  Per benchmark the Rust/C ratio of the medians
  is reported with its spread (the ratios of the individual pairs of
  processes), and the geometric mean over the suite;
* instructions (`--instructions`): `valgrind --tool=callgrind` counts the
  instructions of one process running a benchmark L times and one running
  it 2L times; the difference over L is the per-iteration count, free of
  interpreter startup.  Each interpreter runs from a few heap states (a
  different amount of memory allocated first) and the median is taken.

Results go to build/bench/results.json and build/bench/BENCHMARKS.md (and
a PNG chart when matplotlib can be imported).  The regular tests time
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

# name -> (object, setup, statement).  The statement is timed; setup runs
# once per worker.  Sizes go from one item to 1 MiB.
BENCHMARKS = {}


def _bench(name, obj, setup, stmt):
    BENCHMARKS[name] = (obj, setup, stmt)


# enumobject
for _kind, _make in (("list", "list(range(1000))"), ("range", "range(1000)"),
                     ("tuple", "tuple(range(1000))")):
    _bench(f"enumerate({_kind}) 1000", "enumobject", f"s = {_make}",
           "for _ in enumerate(s): pass")
    _bench(f"reversed({_kind}) 1000", "enumobject",
           f"s = {_make}\nclass S:\n  def __len__(self): return len(s)\n"
           f"  def __getitem__(self, i): return s[i]\nseq = S() if "
           f"{_kind!r} == 'list' else s",
           "for _ in reversed(seq): pass")
_bench("enumerate(list, start=2**70) 1000", "enumobject",
       "s = list(range(1000))", "for _ in enumerate(s, 2**70): pass")
_bench("enumerate() create", "enumobject", "s = ()", "enumerate(s)")

# memoryobject
_MV = "import array, struct\n"
_bench("memoryview(bytes)", "memoryobject", "b = b'x' * 64", "memoryview(b)")
for _fmt, _n in (("B", 1 << 20), ("i", 1 << 18), ("d", 1 << 17), ("Q", 1 << 17)):
    _setup = (_MV + f"a = array.array({_fmt!r}, bytes({_n * 8 if _fmt in 'dQ' else _n * (4 if _fmt == 'i' else 1)}))\n"
              f"m = memoryview(a)\nv = m[0]")
    _bench(f"m[i] get '{_fmt}'", "memoryobject", _setup, "m[5]")
    _bench(f"m[i] set '{_fmt}'", "memoryobject", _setup, "m[5] = v")
    _bench(f"tolist '{_fmt}' 1MiB", "memoryobject", _setup, "m.tolist()")
_bench("tolist '?' 1MiB", "memoryobject",
       "m = memoryview(bytes(1 << 20)).cast('?')", "m.tolist()")
_bench("tolist 'b' 1MiB", "memoryobject",
       "m = memoryview(bytes(1 << 20)).cast('b')", "m.tolist()")
_bench("m[i, j] 2-D", "memoryobject",
       "m = memoryview(bytes(10000)).cast('B', (100, 100))", "m[5, 7]")
_bench("slice m[10:-10]", "memoryobject", "m = memoryview(bytes(4096))",
       "m[10:-10]")
_bench("len(m)", "memoryobject", "m = memoryview(bytes(4096))", "len(m)")
_bench("attributes", "memoryobject", "m = memoryview(bytes(4096))",
       "m.shape; m.strides; m.format; m.itemsize; m.nbytes; m.readonly")
for _size in (1, 1024, 1 << 20):
    _bench(f"tobytes contiguous {_size}", "memoryobject",
           f"m = memoryview(bytes({_size}))", "m.tobytes()")
    _bench(f"bytes(m) strided {_size}", "memoryobject",
           f"m = memoryview(bytes({_size} * 2))[::2]", "bytes(m)")
    _bench(f"tobytes strided {_size}", "memoryobject",
           f"m = memoryview(bytes({_size} * 2))[::2]", "m.tobytes()")
    _bench(f"hex strided {_size}", "memoryobject",
           f"m = memoryview(bytes({_size} * 2))[::2]", "m.hex()")
    _bench(f"hash strided {_size}", "memoryobject",
           f"b = bytes({_size} * 2)\n", "hash(memoryview(b)[::2])")
    _bench(f"== same 'B' {_size}", "memoryobject",
           f"a = memoryview(bytes({_size})); b = memoryview(bytearray({_size}))",
           "a == b")
_bench("== same 'i' 1MiB", "memoryobject",
       _MV + "a = memoryview(array.array('i', bytes(1 << 20)))\n"
       "b = memoryview(array.array('i', bytes(1 << 20)))", "a == b")
# '?' items compare as they unpack (gh-148390): equal bytes answer at
# once, other true bytes go through the item loop.
_bench("== same '?' 64KiB", "memoryobject",
       "a = memoryview(bytes(range(256)) * 256).cast('?')\n"
       "b = memoryview(bytearray(range(256)) * 256).cast('?')", "a == b")
_bench("== '?' other true bytes 64KiB", "memoryobject",
       "a = memoryview(bytes(range(256)) * 256).cast('?')\n"
       "b = memoryview(bytes(min(x, 1) for x in range(256)) * 256)"
       ".cast('?')", "a == b")
_bench("== mixed 'i' vs 'l' 64KiB", "memoryobject",
       _MV + "a = memoryview(array.array('i', bytes(1 << 16)))\n"
       "b = memoryview(array.array('l', bytes(1 << 17)))", "a == b")
_bench("== struct '<i' 64KiB", "memoryobject",
       "a = memoryview(bytes(1 << 16)).cast('B').cast('c')\n"
       "import _testbuffer\n"
       "x = _testbuffer.ndarray(list(range(1 << 14)), shape=[1 << 14], format='<i')\n"
       "y = _testbuffer.ndarray(list(range(1 << 14)), shape=[1 << 14], format='<i')\n"
       "a = memoryview(x); b = memoryview(y)", "a == b")
_bench("cast", "memoryobject", "m = memoryview(bytes(4096))", "m.cast('i')")
_bench("iterate 'B' 4096", "memoryobject", "m = memoryview(bytes(4096))",
       "for _ in m: pass")
_bench("slice assignment", "memoryobject",
       "m = memoryview(bytearray(4096)); s = bytes(1024)", "m[100:1124] = s")


WORKER = r'''
import json, sys, time
spec = json.loads(sys.argv[1])
out = {}
for name, setup, stmt, loops, repeat in spec:
    ns = {}
    try:
        exec(setup, ns)
        code = compile("def _f(_n):\n for _i in range(_n):\n  " +
                       stmt.replace("\n", "\n  ") + "\n", name, "exec")
        exec(code, ns)
        f = ns["_f"]
        f(1)
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
'''

CALLGRIND_WORKER = r'''
import sys
junk = [bytearray(int(sys.argv[4])) for _ in range(3)]
ns = {}
exec(sys.argv[1], ns)
exec(compile("def _f(_n):\n for _i in range(_n):\n  " +
             sys.argv[2].replace("\n", "\n  ") + "\n", "bench", "exec"), ns)
ns["_f"](int(sys.argv[3]))
'''


def calibrate(python, name, setup, stmt, target_ns=20_000_000):
    """A loop count that makes one repeat last about target_ns."""
    spec = [[name, setup, stmt, 1, 3]]
    per = run_worker(python, spec)[name]
    if isinstance(per, str):
        return None, per
    return max(1, min(1_000_000, int(target_ns / max(per, 1.0)))), None


def run_worker(python, spec):
    proc = subprocess.run([python, "-I", "-S", "-c", WORKER, json.dumps(spec)],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, timeout=1800)
    if proc.returncode:
        raise RuntimeError(f"{python}: worker failed:\n{proc.stderr[-2000:]}")
    return json.loads(proc.stdout)


def time_suite(c_python, rust_python, names, processes, repeat, log):
    spec = []
    for name in names:
        obj, setup, stmt = BENCHMARKS[name]
        loops, error = calibrate(c_python, name, setup, stmt)
        if error:
            log(f"  skip {name}: {error}")
            continue
        spec.append([name, setup, stmt, loops, repeat])
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
            continue
        pair_ratios = sorted(rv / cv for rv, cv in zip(r, c))
        results[name] = {
            "object": BENCHMARKS[name][0],
            "c_ns": statistics.median(c),
            "rust_ns": statistics.median(r),
            "ratio": statistics.median(r) / statistics.median(c),
            "ratio_min": pair_ratios[0],
            "ratio_max": pair_ratios[-1],
        }
    return results


def callgrind_instructions(python, setup, stmt, loops, heap):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "cg.out")
        # A fixed hash seed: dict and set layouts (and so the instruction
        # counts) must not change from run to run.
        env = dict(os.environ, PYTHONHASHSEED="0")
        proc = subprocess.run(
            ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
             python, "-S", "-c", CALLGRIND_WORKER, setup, stmt,
             str(loops), str(heap)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            timeout=3600, env=env)
        if proc.returncode:
            raise RuntimeError(f"callgrind failed:\n{proc.stderr[-2000:]}")
        with open(out, encoding="utf-8") as f:
            for line in f:
                if line.startswith("summary:"):
                    return int(line.split()[1])
    raise RuntimeError("callgrind wrote no summary")


def instruction_suite(c_python, rust_python, names, heaps, log):
    results = {}
    for name in names:
        obj, setup, stmt = BENCHMARKS[name]
        loops, error = calibrate(c_python, name, setup, stmt, target_ns=2_000_000)
        if error:
            continue
        loops = max(1, loops // 4)
        per = {}
        for label, python in (("c", c_python), ("rust", rust_python)):
            counts = []
            for heap in heaps:
                one = callgrind_instructions(python, setup, stmt, loops, heap)
                two = callgrind_instructions(python, setup, stmt, 2 * loops, heap)
                counts.append((two - one) / loops)
            per[label] = statistics.median(counts)
        results[name] = {
            "object": obj, "c_instr": per["c"], "rust_instr": per["rust"],
            "ratio": per["rust"] / per["c"] if per["c"] else float("nan"),
        }
        log(f"  {name}: {results[name]['ratio']:.3f}")
    return results


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
            total = sum(int(line.split()[1]) for line in proc.stdout.splitlines()
                        if line.startswith(".") and len(line.split()) >= 2
                        and line.split()[1].isdigit()
                        and not line.startswith(".debug"))
            out[variant] = {"file_bytes": os.path.getsize(path),
                            "loaded_bytes": total}
    return out


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
        finally:
            shutil.rmtree(builddir, ignore_errors=True)
        out[name] = {"configure_s": conf, "make_s": mk, "total_s": conf + mk}
        log(f"cold build {name}: configure {conf:.0f} s, make {mk:.0f} s")
    return out


def markdown(report):
    lines = ["# Rust objects vs C: benchmark results", "",
             f"Command: `{report['command']}`  ", f"Date: {report['date']}  ",
             f"Machine: {report['machine']}", ""]
    if report.get("time"):
        lines += ["## Time (Rust/C, lower is better)", "",
                  "| benchmark | object | C ns | Rust ns | Rust/C | spread |",
                  "|---|---|---:|---:|---:|---|"]
        for name, r in report["time"].items():
            lines.append(f"| {name} | {r['object']} | {r['c_ns']:.1f} | "
                         f"{r['rust_ns']:.1f} | {r['ratio']:.3f} | "
                         f"{r['ratio_min']:.3f}-{r['ratio_max']:.3f} |")
        lines += ["", f"Geometric mean (time): {report['time_geomean']:.3f}", ""]
    if report.get("instructions"):
        lines += ["## Instructions (callgrind, Rust/C)", "",
                  "| benchmark | object | C instr | Rust instr | Rust/C |",
                  "|---|---|---:|---:|---:|"]
        for name, r in report["instructions"].items():
            lines.append(f"| {name} | {r['object']} | {r['c_instr']:.0f} | "
                         f"{r['rust_instr']:.0f} | {r['ratio']:.3f} |")
        lines += ["", "Geometric mean (instructions): "
                  f"{report['instr_geomean']:.3f}", ""]
    if report.get("build_times"):
        bt = report["build_times"]
        lines += ["## Cold build (configure + make, fresh build directory)", "",
                  "| variant | configure s | make s | total s |",
                  "|---|---:|---:|---:|"]
        for v, t in bt.items():
            lines.append(f"| {v} | {t['configure_s']:.0f} | {t['make_s']:.0f} "
                         f"| {t['total_s']:.0f} |")
        if "c" in bt and "rust" in bt:
            lines += ["", "Rust/C cold build time: "
                      f"{bt['rust']['total_s'] / bt['c']['total_s']:.2f} "
                      "(make only: "
                      f"{bt['rust']['make_s'] / bt['c']['make_s']:.2f})"]
        lines.append("")
    if report.get("sizes"):
        lines += ["## Size of `python`", "", "| variant | file | loaded sections |",
                  "|---|---:|---:|"]
        for v, s in report["sizes"].items():
            lines.append(f"| {v} | {s['file_bytes']} | {s['loaded_bytes']} |")
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


def main(argv, root=None):
    root = root or os.path.dirname(os.path.dirname(
        os.path.dirname(os.path.abspath(__file__))))
    parser = argparse.ArgumentParser(prog="Tools/rust bench")
    parser.add_argument("--c-python", default=os.path.join(root, "build", "c", "python"))
    parser.add_argument("--rust-python", default=os.path.join(root, "build", "rust", "python"))
    parser.add_argument("--object", action="append",
                        help="only the benchmarks of this object")
    parser.add_argument("--filter", help="only benchmarks whose name contains this")
    parser.add_argument("--processes", type=int, default=6,
                        help="worker processes per interpreter (alternating)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--instructions", action="store_true",
                        help="also count instructions with callgrind")
    parser.add_argument("--no-time", action="store_true")
    parser.add_argument("--heaps", default="0,100000,1000000",
                        help="heap states for callgrind (bytes allocated first)")
    parser.add_argument("--output", default=os.path.join(root, "build", "bench"))
    parser.add_argument("--build-time", action="store_true",
                        help="also time a cold build (configure + make in a "
                             "fresh directory) of the C and the Rust variant")
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1,
                        help="make -jN for --build-time")
    args = parser.parse_args(argv)
    for p in (args.c_python, args.rust_python):
        if not os.path.exists(p):
            print(f"bench: {p} not found: run `python3 Tools/rust build` first",
                  file=sys.stderr)
            return 2
    names = [n for n, (obj, _, _) in BENCHMARKS.items()
             if (not args.object or obj in args.object)
             and (not args.filter or args.filter in n)]

    def log(msg):
        print(msg, flush=True)

    report = {"command": "python3 Tools/rust bench " + " ".join(argv),
              "date": time.strftime("%Y-%m-%d %H:%M:%S"),
              "machine": f"{os.cpu_count()} cores, {os.uname().machine}"}
    if not args.no_time:
        log(f"timing {len(names)} benchmarks, {args.processes} processes each ...")
        report["time"] = time_suite(args.c_python, args.rust_python, names,
                                    args.processes, args.repeat, log)
        report["time_geomean"] = geomean(r["ratio"] for r in report["time"].values())
    if args.instructions:
        heaps = [int(h) for h in args.heaps.split(",")]
        log("counting instructions with callgrind ...")
        report["instructions"] = instruction_suite(
            args.c_python, args.rust_python, names, heaps, log)
        report["instr_geomean"] = geomean(
            r["ratio"] for r in report["instructions"].values())
    if args.build_time:
        report["build_times"] = cold_build_times(root, args.jobs, log)
    report["sizes"] = sizes(os.path.join(root, "build"))
    os.makedirs(args.output, exist_ok=True)
    with open(os.path.join(args.output, "results.json"), "w", encoding="utf-8") as f:
        json.dump(report, f, indent=1)
    md = markdown(report)
    with open(os.path.join(args.output, "BENCHMARKS.md"), "w", encoding="utf-8") as f:
        f.write(md)
    if chart(report, os.path.join(args.output, "ratios.png")):
        log(f"chart: {os.path.join(args.output, 'ratios.png')}")
    print(md)
    return 0
