"""Shared pieces of the Tools/rust command-line tool: the pinned CPython
release, the layout of the build folder, progress messages and running a
command with its output sent to a log file."""

import json
import os
import re
import signal
import subprocess
import sys
import time

# The releases the tool knows, by the sha256 of their source tarball: the
# pinned one, and the earlier pins the drift log (Tools/rust/drift/) was
# measured from, so that their C twins can be unpacked and compared.
RELEASES = {
    "3.13.5": ("93e583f243454e6e9e4588ca2c2662206ad961659863277afcdb968016"
               "47d640"),
    "3.13.15": ("1e66a7945a48390ee4c2a4268a0e4185884059a13c4aab6d148aa208de"
                "ea4a76"),
}
CPYTHON_VERSION = "3.13.15"
TARBALL_NAME = f"Python-{CPYTHON_VERSION}.tar.xz"
TARBALL_SHA256 = RELEASES[CPYTHON_VERSION]
TARBALL_URL = (f"https://www.python.org/ftp/python/{CPYTHON_VERSION}/"
               f"{TARBALL_NAME}")

# How often a long step says that it is still running.
HEARTBEAT_SECONDS = 60
# How many lines of a failed step's log are shown.
TAIL_LINES = 30
# How many error-looking lines of a failed step's log are shown besides.
ERROR_LINES = 15

_START = time.monotonic()


class ToolError(Exception):
    """An error reported to the user as one message, without a traceback."""


class StepFailed(ToolError):
    """A command run by run_step() exited with a non-zero status."""

    def __init__(self, label, returncode, log_path, seconds):
        self.label = label
        self.returncode = returncode
        self.log_path = log_path
        self.seconds = seconds
        tail = read_tail(log_path, TAIL_LINES)
        message = (f"{label} failed (exit status {returncode}) after "
                   f"{seconds:.1f}s; full log: {display_path(log_path)}")
        errors = [line for line in error_lines(log_path) if line not in tail]
        if errors:
            message += ("\n--- error lines earlier in the log ---\n"
                        + "".join(errors).rstrip("\n"))
        if tail:
            message += (f"\n--- last {len(tail)} lines of the log ---\n"
                        + "".join(tail).rstrip("\n")
                        + "\n--- end of log ---")
        super().__init__(message)


def repo_root():
    """The root of the repository this tool lives in (Tools/rust/..)."""
    return os.path.dirname(os.path.dirname(
        os.path.dirname(os.path.abspath(__file__))))


class Layout:
    """Where things are under the repository's build/ folder."""

    def __init__(self, root=None):
        self.root = os.path.abspath(root or repo_root())
        self.build = os.path.join(self.root, "build")
        self.logs = os.path.join(self.build, "logs")
        # The release as unpacked, never modified.
        self.pristine = os.path.join(self.build,
                                     f"pristine-{CPYTHON_VERSION}")
        # The release with the repository's files laid over it.
        self.tree = os.path.join(self.build, f"cpython-{CPYTHON_VERSION}")

    def builddir(self, name):
        return os.path.join(self.build, name)

    def log(self, name):
        return os.path.join(self.logs, name)


def elapsed():
    return time.monotonic() - _START


def progress(message):
    """Print one progress line, prefixed by the time since the tool started."""
    print(f"[{elapsed():7.1f}s] {message}", flush=True)


def display_path(path):
    """`path` relative to the current directory when it is below it."""
    path = os.path.abspath(path)
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return path
    return path if rel.startswith(os.pardir) else rel


def read_tail(path, count):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            lines = f.readlines()
    except OSError:
        return []
    return lines[-count:]


# Lines of compiler and make output worth showing when a step fails.
_ERROR_LINE = re.compile(r"^error(\[\w+\])?:|: (fatal )?error:|\*\*\* |"
                         r"^Traceback |^\w*Error: ")


def error_lines(path, count=ERROR_LINES):
    """The first `count` distinct lines of a log that look like errors."""
    found = []
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                if _ERROR_LINE.search(line) and line not in found:
                    found.append(line)
                    if len(found) == count:
                        break
    except OSError:
        pass
    return found


def ncpu():
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def run_step(label, cmd, log_path, cwd=None, env=None, status=None):
    """Run `cmd` with its output going to `log_path` and print progress.

    Prints a line when the step starts, one every HEARTBEAT_SECONDS while it
    runs (with `status()` appended when given: a callable returning a short
    string such as the last progress line of the log, or None) and one when
    it ends.  Raises StepFailed when the command fails.  Returns the number of
    seconds the step took."""
    os.makedirs(os.path.dirname(log_path), exist_ok=True)
    progress(f"{label} ...")
    start = time.monotonic()
    with open(log_path, "w", encoding="utf-8") as log:
        log.write(f"$ cd {cwd or os.getcwd()}\n$ {format_cmd(cmd)}\n\n")
        log.flush()
        try:
            # Its own process group, so that an interrupted step takes all
            # of its processes (make's compilers, regrtest's workers) along.
            proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=log,
                                    stderr=subprocess.STDOUT,
                                    stdin=subprocess.DEVNULL,
                                    start_new_session=True)
        except OSError as exc:
            raise ToolError(f"{label}: cannot run {cmd[0]}: "
                            f"{exc.strerror}") from None
        try:
            while True:
                try:
                    returncode = proc.wait(timeout=HEARTBEAT_SECONDS)
                    break
                except subprocess.TimeoutExpired:
                    extra = status() if status else None
                    progress(f"{label}: still running "
                             f"({time.monotonic() - start:.0f}s)"
                             + (f": {extra}" if extra else ""))
        except BaseException:
            _stop(proc)
            raise
    seconds = time.monotonic() - start
    if returncode:
        raise StepFailed(label, returncode, log_path, seconds)
    progress(f"{label}: done ({seconds:.1f}s)")
    return seconds


def _stop(proc):
    """End a step's process group: SIGTERM, then SIGKILL after 10s."""
    for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, None)):
        try:
            os.killpg(proc.pid, sig)
        except OSError:
            try:
                proc.send_signal(sig)
            except OSError:
                pass
        try:
            proc.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            pass


def interrupt_on_sigterm():
    """Make SIGTERM behave like Ctrl-C (KeyboardInterrupt), so that the
    running step is stopped and the summary still printed."""
    def handler(signum, frame):
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, handler)


def rustc_host(toolchain=""):
    """The target triple rustc builds for by default (`rustc -vV`'s host;
    `toolchain` such as "+nightly" for rustup), or None when rustc cannot
    tell.  $RUSTC is the rustc when set."""
    rustc = os.environ.get("RUSTC") or "rustc"
    cmd = [rustc] + ([toolchain] if toolchain else []) + ["-vV"]
    try:
        out = subprocess.run(cmd, capture_output=True, text=True).stdout
    except OSError:
        return None
    m = re.search(r"(?m)^host:\s*(\S+)", out)
    return m.group(1) if m else None


def format_cmd(cmd):
    import shlex
    return " ".join(shlex.quote(str(arg)) for arg in cmd)


def error(message):
    """Print an error message (possibly several lines) on stderr."""
    sys.stdout.flush()
    print(f"error: {message}", file=sys.stderr, flush=True)


def read_json(path, error):
    """The JSON document in `path`; a file that cannot be read or parsed
    raises `error` (an exception class) with one message naming it."""
    import json
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except OSError as exc:
        raise error(f"cannot read {path}: {exc.strerror}") from None
    except ValueError as exc:
        raise error(f"{path}: invalid JSON: {exc}") from None


def write_if_changed(path, data, mode=None):
    """Write `data` (bytes, or str as UTF-8) to `path` unless it already
    holds it (so that its mtime, and what make thinks of it, stays); through
    a temporary file, so a reader never sees half a file.  Returns whether
    it wrote."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    try:
        with open(path, "rb") as f:
            same = f.read() == data
    except OSError:
        same = False
    if same:
        if mode is not None and os.stat(path).st_mode & 0o777 != mode:
            os.chmod(path, mode)
        return False
    parent = os.path.dirname(path)
    if parent:
        os.makedirs(parent, exist_ok=True)
    tmp = f"{path}.tmp-{os.getpid()}"
    with open(tmp, "wb") as f:
        f.write(data)
    if mode is not None:
        os.chmod(tmp, mode)
    os.replace(tmp, path)
    return True


# What a long measurement found, with the date and commit it ran on:
# build/results/<name>.json, read by `Tools/rust report` (which calls a
# figure stale when the object's files changed after that commit).
RESULTS_DIR = "results"


def git_state(root):
    """{"commit": HEAD, "dirty": [paths with uncommitted changes]} of the
    repository at `root`; commit None outside a git checkout."""
    import subprocess

    def git(*args):
        try:
            proc = subprocess.run(["git", "-C", root, *args],
                                  stdout=subprocess.PIPE,
                                  stderr=subprocess.DEVNULL, text=True,
                                  timeout=60)
        except (OSError, subprocess.TimeoutExpired):
            return None
        return proc.stdout if proc.returncode == 0 else None
    head = git("rev-parse", "HEAD")
    status = git("status", "--porcelain", "--untracked-files=no") or ""
    return {"commit": head.strip() if head else None,
            "dirty": sorted(line[3:] for line in status.splitlines()
                            if len(line) > 3)}


def record_result(root, name, data):
    """Write build/results/NAME.json: `data` (a dict) with the date (UTC),
    the commit and the uncommitted files of the tree it was measured on.
    Never fails the command that measured: a write error is printed."""
    state = git_state(root)
    doc = {"name": name,
           "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
           "commit": state["commit"], "dirty": state["dirty"], **data}
    path = os.path.join(root, "build", RESULTS_DIR, f"{name}.json")
    try:
        write_if_changed(path, json.dumps(doc, indent=1) + "\n")
    except OSError as exc:
        progress(f"warning: cannot record {name} in {path}: {exc}")
