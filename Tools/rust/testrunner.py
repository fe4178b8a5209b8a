"""`Tools/rust test`: the tool's own unit tests, the Rust crates' tests, then
CPython's test suite (regrtest) on a C and a Rust variant, compared test case
by test case.

The bar is "the same outcome as C", not "everything passes": some tests fail
for reasons of the machine in both variants.  A test module with a difference
is run again alone in both variants (up to RERUNS times) to tell flaky tests
from real differences.  The last line printed is always "N passed, M failed",
counting the Rust variant's test cases (failed = failures + errors).
"""

import os
import re
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass

import builder
import registry
import report as report_page
import upstream
import verify
from common import (Layout, ToolError, StepFailed, display_path, error,
                    ncpu, progress, record_result, run_step)

REGRTEST_TIMEOUT = 900
RERUNS = 2
MAX_RERUN_MODULES = 20
MAX_TABLE_ROWS = 200

PASSED = "passed"
FAILED = "failed"
ERROR = "error"
SKIPPED = "skipped"
UNEXPECTED_SUCCESS = "unexpected success"
ABSENT = "absent"
# Outcomes counted as failed in the totals.
FAILING = (FAILED, ERROR, UNEXPECTED_SUCCESS)
# When one run holds a test id twice, the first of these wins.
_PRECEDENCE = (ERROR, FAILED, UNEXPECTED_SUCCESS, PASSED, SKIPPED)


@dataclass(frozen=True)
class TestCase:
    id: str
    outcome: str
    module: str = None      # the regrtest test it belongs to (test_x)


@dataclass(frozen=True)
class Difference:
    id: str
    first: str              # outcome in the C variant (or ABSENT)
    second: str             # outcome in the Rust variant (or ABSENT)
    module: str = None


# --- JUnit XML -----------------------------------------------------------

# Test cases that live outside the regrtest test that runs them.
_RUN_BY = (("test.datetimetester.", "test_datetime"),
           ("idlelib.idle_test.", "test_idle"))


def module_of(test_id):
    """The regrtest test that a test id of regrtest's JUnit XML belongs to
    ('test.test_x.Class.test_y' -> 'test_x'), or None when the id does not
    tell (doctests of stdlib modules, say)."""
    for prefix, module in _RUN_BY:
        if test_id.startswith(prefix):
            return module
    parts = test_id.split(".")
    if len(parts) >= 2 and parts[0] == "test" and parts[1].startswith("test"):
        return parts[1]
    return None


_ADDRESS = re.compile(r"\b0x[0-9a-fA-F]{4,}\b")


def normalize_id(test_id):
    """A test id without what changes from run to run: the memory addresses
    in the reprs of subtest parameters ('<function f at 0x7f...>')."""
    return _ADDRESS.sub("0x...", test_id)


def _outcome(element):
    tags = {child.tag for child in element}
    if "error" in tags:
        return ERROR
    if "failure" in tags:
        return FAILED
    if "skipped" in tags:
        return SKIPPED
    outcome = element.find("outcome")
    if outcome is not None and "UNEXPECTED_SUCCESS" in (outcome.text or ""):
        return UNEXPECTED_SUCCESS
    return PASSED


def parse_junit(source, module=None):
    """The test cases of a JUnit XML file (a path, or the XML as a string
    when it starts with '<').

    regrtest writes one <testsuite> per unittest run with <testcase
    name="full test id"> elements (other writers: classname + name).  A
    testcase without a name is one that started but recorded no result,
    which is what regrtest writes for a test whose subtests failed: it is
    reported as failed, named after the test before it.  Memory addresses
    in ids are masked (normalize_id).  Each case gets the
    regrtest test it belongs to: `module` when given, else from its id, else
    the one most of its <testsuite> belongs to."""
    try:
        if source.lstrip().startswith("<"):
            root = ET.fromstring(source)
        else:
            root = ET.parse(source).getroot()
    except (ET.ParseError, OSError) as exc:
        raise ToolError(f"cannot read JUnit XML {source[:200]}: {exc}"
                        ) from None
    suites = [root] if root.tag == "testsuite" else root.iter("testsuite")
    cases = []
    for suite in suites:
        found = []
        previous = None
        for element in suite.findall("testcase"):
            name = element.get("name")
            classname = element.get("classname")
            if name and classname:
                test_id = normalize_id(f"{classname}.{name}")
            elif name:
                test_id = normalize_id(name)
            else:
                test_id = (f"<test without result after "
                           f"{previous or 'the start of its suite'}>")
            outcome = _outcome(element) if name else FAILED
            if name:
                previous = test_id
            found.append((test_id, outcome))
        modules = Counter(m for m in (module_of(i) for i, _ in found) if m)
        common_module = modules.most_common(1)[0][0] if modules else None
        for test_id, outcome in found:
            cases.append(TestCase(test_id, outcome,
                                  module or module_of(test_id)
                                  or common_module))
    return cases


def index(cases):
    """{id: TestCase}; for an id seen twice the worse outcome wins."""
    result = {}
    for case in cases:
        old = result.get(case.id)
        if old is None or (_PRECEDENCE.index(case.outcome)
                           < _PRECEDENCE.index(old.outcome)):
            result[case.id] = case
    return result


def compare(first, second):
    """Differences between two {id: TestCase} maps, sorted by id.  A test
    case present in one map only is a difference."""
    diffs = []
    for test_id in sorted(set(first) | set(second)):
        a, b = first.get(test_id), second.get(test_id)
        outcome_a = a.outcome if a else ABSENT
        outcome_b = b.outcome if b else ABSENT
        if outcome_a != outcome_b:
            diffs.append(Difference(test_id, outcome_a, outcome_b,
                                    (a or b).module))
    return diffs


def merge_rerun(first, second, module, first_new, second_new):
    """Replace what `first` and `second` ({id: TestCase}) hold of `module`
    with the cases of a rerun of it.  Returns False (changing nothing) when
    the rerun gave no test case at all in either variant."""
    if not first_new and not second_new:
        return False
    new_ids = {c.id for c in first_new} | {c.id for c in second_new}
    for results, new in ((first, first_new), (second, second_new)):
        for test_id in [i for i, c in results.items()
                        if c.module == module or i in new_ids]:
            del results[test_id]
        results.update(index(new))
    return True


def totals(results):
    counts = Counter(c.outcome for c in results.values())
    passed = counts[PASSED]
    failed = sum(counts[o] for o in FAILING)
    return passed, failed, counts[SKIPPED]


def summary_line(results):
    passed, failed, _ = totals(results)
    return f"{passed} passed, {failed} failed"


def format_table(diffs, names, limit=None):
    rows = [(d.id, d.first, d.second) for d in diffs]
    shown = rows if limit is None else rows[:limit]
    header = ("test", names[0], names[1])
    widths = [max(len(r[i]) for r in [header] + shown) for i in range(3)]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip()
             for row in [header] + shown]
    if len(shown) < len(rows):
        lines.append(f"... and {len(rows) - len(shown)} more")
    return "\n".join(lines)


# --- Running things --------------------------------------------------------

def run_unit_tests(layout):
    tests = os.path.join(layout.root, "Tools", "rust", "tests")
    log = layout.log("unittest.log")
    run_step("unit tests (Tools/rust/tests)",
             [sys.executable, "-m", "unittest", "discover", "-s", tests],
             log, cwd=layout.root)


def run_cargo_tests(env=None, layout=None, variant="rust"):
    """cargo test over the overlaid tree, against the configured build of
    `variant`.  `env` is the base environment (default: os.environ)."""
    layout = layout or Layout()
    builddir = builder.variant_builddir(layout, variant)
    env = dict(os.environ if env is None else env,
               CPYTHON_SRCDIR=layout.tree, CPYTHON_BUILDDIR=builddir)
    cargo = env.get("CARGO") or "cargo"
    # rustobjects is the no_std staticlib bundle: it has no tests, and the
    # test profile (panic=unwind) cannot build a no_std staticlib.
    cmd = [cargo, "test", "--locked", "--workspace", "--exclude", "rustobjects",
           "--target-dir", os.path.join(builddir, "rust-target")]
    run_step(f"cargo test ({variant})", cmd,
             layout.log(f"{variant}-cargo-test.log"), cwd=layout.tree,
             env=env)


def run_contract_check(layout, variant):
    """`Tools/rust check` (the C/Rust contract, check.py) against the build
    of `variant`."""
    # --patch: the exported patch applies to a pristine tree (git apply and
    # patch -p1) and that tree builds with make RUST=1.
    cmd = [sys.executable, os.path.join(layout.root, "Tools", "rust"),
           "check", "--builddir", builder.variant_builddir(layout, variant),
           "--patch"]
    run_step(f"Tools/rust check ({variant})", cmd,
             layout.log(f"{variant}-check.log"), cwd=layout.root)


def expected_objects(layout, variant):
    """The registry objects `variant` links from Rust."""
    if not builder.VARIANTS[variant].rust:
        return []
    return [o.name for o in registry.select(registry.load(layout.root))]


def check_rust_objects(layout, variant):
    """The Rust variant must link the objects enabled by default."""
    expected = [o.name for o in registry.select(registry.load(layout.root))]
    value = builder.rust_objects_of(layout, variant)
    got = sorted(value.replace(",", " ").split()) if value != "None" else []
    python = display_path(builder.python_path(
        builder.variant_builddir(layout, variant)))
    if got != sorted(expected):
        raise ToolError(f"{python}: sysconfig PY_RUST_OBJECTS is {value!r}; "
                        f"expected the default objects "
                        f"{', '.join(expected) or '(none)'}")
    progress(f"{python}: Rust objects {', '.join(got)}")


_PROGRESS = re.compile(r"\[\s*\d+/\d+(/\d+)?\].*")


def _last_progress(log_path):
    """The last regrtest progress line ("[ 12/480] test_x passed") of a
    log, for the still-running messages."""
    def status():
        try:
            with open(log_path, "rb") as f:
                f.seek(0, os.SEEK_END)
                f.seek(max(0, f.tell() - 16384))
                text = f.read().decode("utf-8", "replace")
        except OSError:
            return None
        matches = [m.group(0) for m in _PROGRESS.finditer(text)]
        return matches[-1].strip()[:100] if matches else None
    return status


def probe_env(layout, variant, reference):
    """Environment for our own tests (Lib/test/test_rust_objects.py): the
    reference interpreter their probes compare with (the C variant of the
    pair) and the Rust objects this variant must report."""
    rust = builder.VARIANTS[variant].rust
    expected = ([o.name for o in registry.select(registry.load(layout.root))]
                if rust else [])
    return {
        "PY_RUST_REFERENCE_PYTHON": builder.python_path(
            builder.variant_builddir(layout, reference)),
        "PY_RUST_EXPECTED_OBJECTS": " ".join(expected),
    }


def run_regrtest(layout, variant, tests, jobs, tag, module=None, note="",
                 reference=None):
    """Run regrtest in `variant` (all tests when `tests` is empty) and return
    its test cases.  `tag` names the log and XML files; `note` is added to
    the progress lines; `reference` is the C variant our probe tests
    compare with."""
    builddir = builder.variant_builddir(layout, variant)
    junit = layout.log(f"{variant}-{tag}.xml")
    log = layout.log(f"{variant}-{tag}.log")
    if os.path.exists(junit):
        os.unlink(junit)
    cmd = [builder.python_path(builddir), "-E", "-m", "test",
           "--junit-xml", junit, "--timeout", str(REGRTEST_TIMEOUT)]
    if jobs:
        cmd.append(f"-j{jobs}")
    cmd += list(tests)
    what = " ".join(tests) if len(tests) <= 3 else f"{len(tests)} tests"
    label = f"regrtest {variant} ({what or 'all tests'}{note})"
    try:
        env = builder.python_env(layout, variant)
        if reference:
            env.update(probe_env(layout, variant, reference))
        run_step(label, cmd, log, cwd=builddir, env=env,
                 status=_last_progress(log))
    except StepFailed as exc:
        # Failing tests make regrtest exit non-zero: the XML tells which.
        progress(f"{label}: exit status {exc.returncode} "
                 f"({exc.seconds:.1f}s), log: {display_path(log)}")
    if not os.path.exists(junit):
        progress(f"warning: {label} wrote no JUnit XML; see "
                 f"{display_path(log)}")
        return []
    return parse_junit(junit, module)


def own_test_modules(layout, tests):
    """The registry's test modules that live in this repository
    (Lib/test/test_rust_*)."""
    lib = os.path.join(layout.root, "Lib", "test")
    return [t for t in tests if t.startswith("test_rust_") and (
        os.path.isfile(os.path.join(lib, f"{t}.py"))
        or os.path.isdir(os.path.join(lib, t)))]


def registry_tests(layout):
    tests = []
    for obj in registry.load(layout.root).values():
        tests += [t for t in obj.tests if t not in tests]
    return tests


def check_own_tests(modules, results, variant):
    """Our own test modules must run and pass in the Rust variant, whatever
    C does.  Returns (problems, failing test cases)."""
    problems, failing = [], []
    for module in modules:
        cases = [c for c in results.values() if c.module == module]
        bad = [c for c in cases if c.outcome in FAILING]
        if not cases:
            problems.append(f"{module} ran no test case in {variant}")
        elif bad:
            problems.append(f"{module}: {len(bad)} test case(s) failed in "
                            f"{variant}")
            failing += bad
    return problems, failing


class Report:
    """What `test` found; its summary line is printed last in any case."""

    def __init__(self):
        self.second = {}
        self.problems = []

    def final_line(self):
        return summary_line(self.second)


def parse_pair(value):
    names = [n for n in value.replace(" ", "").split(",") if n]
    if len(names) != 2 or names[0] == names[1]:
        raise ToolError(f"--variant-pair wants two different variants, "
                        f"C first (c,rust), not {value!r}")
    for name in names:
        if name not in builder.VARIANTS:
            raise ToolError(f"unknown variant {name!r}; valid variants: "
                            f"{', '.join(builder.VARIANTS)}")
    return names


def run(args, layout, report):
    checks = verify.requested(args)
    if checks:
        return verify.run_only(args, layout, report, checks)
    first, second = parse_pair(args.variant_pair)
    if args.tests:
        tests = list(args.tests)
    elif args.quick:
        tests = registry_tests(layout)
    else:
        tests = []
    own = own_test_modules(layout, tests if tests else registry_tests(layout))
    jobs = args.jobs or 2 * ncpu()

    # The unit tests read the pristine release (the recorded C twins).
    builder.ensure_pristine(layout, args.cpython_src, args.cpython_tarball)
    # The report's browser test renders the page in headless Chromium.
    report_page.ensure_chromium(layout)
    run_unit_tests(layout)
    builder.build(layout, [first, second], cpython_src=args.cpython_src,
                  cpython_tarball=args.cpython_tarball, summary=False)
    if builder.VARIANTS[second].rust:
        check_rust_objects(layout, second)
        try:
            run_cargo_tests(layout=layout, variant=second)
        except StepFailed as exc:
            error(str(exc))
            report.problems.append("cargo test failed")
        try:
            run_contract_check(layout, second)
        except StepFailed as exc:
            error(str(exc))
            report.problems.append("Tools/rust check failed")
        if not builder.VARIANTS[first].rust:
            # The C variant is upstream: same objects as a pristine build,
            # `make smelly` in both (upstream.py).
            for problem in upstream.run(layout, first, second):
                error(problem)
                report.problems.append(f"upstream: {problem}")

    results = {}
    for name in (first, second):
        results[name] = index(run_regrtest(layout, name, tests, jobs,
                                           "regrtest", reference=first))
    report.second = results[second]
    a, b = results[first], results[second]

    diffs = compare(a, b)
    modules = sorted({d.module for d in diffs if d.module})
    flaky = []
    if len(modules) > MAX_RERUN_MODULES:
        progress(f"{len(modules)} test modules differ: too many to rerun")
    elif modules:
        progress(f"{len(diffs)} test cases differ in {len(modules)} "
                 f"module(s): running them again ({', '.join(modules)})")
        pending = modules
        for attempt in range(1, RERUNS + 1):
            for module in pending:
                tag = f"rerun{attempt}-{module}"
                note = f", rerun {attempt}/{RERUNS}"
                new = [run_regrtest(layout, name, [module], None, tag,
                                    module=module, note=note, reference=first)
                       for name in (first, second)]
                if not merge_rerun(a, b, module, *new):
                    progress(f"rerun of {module} ran no test case: "
                             f"keeping the first results")
            diffs = compare(a, b)
            still = {d.module for d in diffs}
            pending = [m for m in pending if m in still]
            if not pending:
                break
        flaky = [m for m in modules if m not in pending]

    print()
    width = max(len(first), len(second))
    for name in (first, second):
        passed, failed, skipped = totals(results[name])
        print(f"{name:<{width}}: {passed} passed, {failed} failed, "
              f"{skipped} skipped ({len(results[name])} test cases)")
    if flaky:
        print(f"Flaky (differed, then agreed when run again): "
              f"{', '.join(flaky)}")
    diff_file = layout.log("test-differences.txt")
    with open(diff_file, "w", encoding="utf-8") as f:
        f.write(format_table(diffs, (first, second)) + "\n"
                if diffs else "no differences\n")
    if diffs:
        print(f"\n{len(diffs)} test case(s) with a different outcome in "
              f"{first} and {second} (also in {display_path(diff_file)}):")
        print(format_table(diffs, (first, second), MAX_TABLE_ROWS))
        report.problems.append(f"{len(diffs)} test case(s) differ")
    else:
        print(f"No test case has a different outcome in {first} and "
              f"{second}.")

    counts = {}
    for name in (first, second):
        passed, failed, skipped = totals(results[name])
        counts[name] = {"cases": len(results[name]), "passed": passed,
                        "failed": failed, "skipped": skipped}
    record_result(layout.root, f"test-{first}-{second}", {
        "command": "python3 Tools/rust test " + " ".join(sys.argv[2:]),
        "tests": list(tests) or "all", "variants": counts,
        "differences": len(diffs), "flaky": flaky,
        "objects": expected_objects(layout, second),
        "log": display_path(diff_file)})

    problems, failing = check_own_tests(own, b, second)
    if failing:
        print(f"\nOur own tests that fail in {second}:")
        for case in failing[:50]:
            print(f"  {case.id}: {case.outcome}")
    report.problems += problems
    report.problems += verify.run_default(args, layout)
    if report.problems:
        error("; ".join(report.problems))
        return 1
    return 0


def main(args):
    layout = Layout()
    report = Report()
    try:
        status = run(args, layout, report)
    except (ToolError, registry.RegistryError) as exc:
        error(str(exc))
        status = 1
    except KeyboardInterrupt:
        error("interrupted")
        status = 130
    sys.stderr.flush()
    print(report.final_line(), flush=True)
    return status
