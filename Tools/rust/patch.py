"""`Tools/rust patch`: the repository as one patch against the pristine
CPython release.

    python3 Tools/rust patch [-o FILE] [--pristine DIR]

The patch adds every file the build lays over CPython (the Cargo workspace,
the crates, the generated headers, Tools/rust, Lib/test files; see
builder.repo_files) and changes Makefile.pre.in by the same splice the
build uses (builder.splice_makefile).  It applies with `git apply` or
`patch -p1` in an unpacked CPython release; then `./configure && make`
builds plain C and `./configure && make RUST=1` the Rust objects.
`python3 Tools/rust check --patch` verifies exactly that.

With `-o FILE`, the crates the build needs (every package of Cargo.lock,
vendored) go beside it in FILE's stem + `-vendor.tar.xz`; unpacked at the
root of the patched tree, `make RUST=1` builds offline from them
(Tools/rust/vendor.py).  `check --patch` builds that way inside a network
namespace with no interfaces and an empty CARGO_HOME when it runs as root.
"""

import argparse
import difflib
import os
import shutil
import subprocess
import sys
import tempfile

import contract
from contract import ContractError


def _lines(text):
    """Lines of a unified diff hunk body, with git's marker for a last line
    without newline."""
    return text.splitlines(True)


def file_diff(path, old, new):
    """A git-style unified diff of one file (`old` None: a new file)."""
    if old == new:
        return ""
    a = _lines(old) if old is not None else []
    b = _lines(new)
    out = [f"diff --git a/{path} b/{path}\n"]
    if old is None:
        out.append("new file mode 100644\n")
    out.append(f"--- {'/dev/null' if old is None else 'a/' + path}\n")
    out.append(f"+++ b/{path}\n")
    body = list(difflib.unified_diff(a, b, n=3, lineterm="\n"))[2:]
    for line in body:
        if line.endswith("\n"):
            out.append(line)
        else:
            out.append(line + "\n\\ No newline at end of file\n")
    return "".join(out)


def _read(path):
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except FileNotFoundError:
        return None
    except UnicodeDecodeError:
        raise ContractError(f"{path}: not UTF-8 text; the patch holds text "
                            f"files only") from None


def find_pristine(root, pristine=None):
    if pristine:
        if not os.path.isfile(os.path.join(pristine, "Makefile.pre.in")):
            raise ContractError(f"{pristine}: not a CPython source tree")
        return pristine
    import builder
    from common import Layout, ToolError
    layout = Layout(root)
    try:
        builder.ensure_pristine(layout)
    except ToolError as exc:
        raise ContractError(str(exc)) from None
    return layout.pristine


def make_patch(root, pristine):
    import builder
    files = builder.repo_files(root)
    chunks = []
    for path in files:
        if path == builder.MAKEFILE:
            continue
        full = os.path.join(root, path)
        if not os.path.isfile(full):
            continue
        new = _read(full)
        old = _read(os.path.join(pristine, path))
        chunks.append(file_diff(path, old, new))
    if builder.MAKEFILE in files:
        old = _read(os.path.join(pristine, builder.MAKEFILE))
        if old is None:
            raise ContractError(f"{pristine}/{builder.MAKEFILE}: missing")
        try:
            new = builder.splice_makefile(
                old, _read(os.path.join(root, builder.MAKEFILE)))
        except Exception as exc:   # builder's ToolError
            raise ContractError(str(exc)) from None
        chunks.append(file_diff(builder.MAKEFILE, old, new))
    return "".join(chunks)


def outside_git(tree, env=None):
    """An environment in which git run in `tree` does not find a repository
    above it: `git apply` inside a repository applies paths relative to
    the repository's root, and silently skips those outside `tree`."""
    env = dict(os.environ if env is None else env)
    env["GIT_CEILING_DIRECTORIES"] = os.path.dirname(os.path.abspath(tree))
    return env


def _run(cmd, cwd, log, env=None):
    with open(log, "a", encoding="utf-8") as f:
        f.write(f"\n$ cd {cwd} && {' '.join(cmd)}\n")
        f.flush()
        proc = subprocess.run(cmd, cwd=cwd, stdout=f, stderr=subprocess.STDOUT,
                              stdin=subprocess.DEVNULL, env=env)
    if proc.returncode:
        with open(log, encoding="utf-8", errors="replace") as f:
            tail = "".join(f.readlines()[-25:])
        raise ContractError(f"{' '.join(cmd)} failed in {cwd} (log {log}):\n"
                            f"{tail}")


def apply_patch(patch_file, tree, log):
    """Apply `patch_file` to `tree` with git apply, after checking that
    `patch -p1` would apply it too.  Raises ContractError naming the files
    that do not apply."""
    for cmd in (["patch", "-p1", "--dry-run", "-f", "-i", patch_file],
                ["git", "apply", "--whitespace=nowarn", patch_file]):
        try:
            _run(cmd, tree, log, outside_git(tree))
        except ContractError as exc:
            raise ContractError(f"{patch_file} does not apply to {tree} "
                                f"({cmd[0]}): {exc}") from None


def offline_prefix():
    """The command prefix that runs a command with no network: a new
    network namespace (only loopback, down) when we are root and unshare
    works, else [] (cargo's --offline then is the only guard)."""
    unshare = shutil.which("unshare")
    if not unshare or not hasattr(os, "geteuid") or os.geteuid() != 0:
        return []
    probe = subprocess.run([unshare, "-n", "true"], capture_output=True)
    return [unshare, "-n"] if probe.returncode == 0 else []


def verify(root, report, variants="rust", pristine=None, workdir=None):
    """Apply the patch to fresh copies of the pristine release with
    `git apply` and `patch -p1`, then configure and build (make RUST=1 for
    'rust', make for 'c')."""
    pristine = find_pristine(root, pristine)
    text = make_patch(root, pristine)
    from common import Layout, ncpu
    base = workdir or os.path.join(Layout(root).build, "patch-check")
    shutil.rmtree(base, ignore_errors=True)
    os.makedirs(base)
    log = os.path.join(base, "patch-check.log")
    patch_file = os.path.join(base, "cpython-rust.patch")
    with open(patch_file, "w", encoding="utf-8") as f:
        f.write(text)
    tree = os.path.join(base, "tree")
    report.note(f"patch: copying {pristine} to {tree}")
    shutil.copytree(pristine, tree, symlinks=True,
                    ignore=shutil.ignore_patterns(".cpython-rust-*"))
    apply_patch(patch_file, tree, log)
    report.ok(f"patch: {os.path.basename(patch_file)} applies with patch -p1 "
              f"and git apply")
    import vendor
    from common import Layout
    archive = vendor.archive_name(patch_file)
    count = vendor.write_archive(vendor.ensure_cache(Layout(root), root),
                                 archive)
    vendor.unpack_archive(archive, tree)
    problems = vendor.check_vendored(tree)
    if problems:
        raise ContractError("; ".join(problems[:5]))
    report.ok(f"patch: {os.path.basename(archive)} ({count} files, "
              f"{os.path.getsize(archive) / 1e6:.1f} MB) holds every crate "
              f"of Cargo.lock")
    env = dict(os.environ)
    env.pop("RUST", None)
    # No network and an empty cargo home: the build must take every crate
    # from the vendored sources (unshare needs root; without it cargo's
    # --offline still forbids the network).
    cargo_home = os.path.join(base, "empty-cargo-home")
    os.makedirs(cargo_home)
    env["CARGO_HOME"] = cargo_home
    isolate = offline_prefix()
    for variant in [v for v in variants.replace(",", " ").split() if v]:
        if variant not in ("rust", "c"):
            raise ContractError(f"--patch-make: unknown build {variant!r} "
                                f"(rust or c)")
        bdir = os.path.join(base, f"build-{variant}")
        os.makedirs(bdir)
        report.note(f"patch: configure and make {variant} in {bdir} "
                    f"(a full CPython build; log {log})")
        _run(isolate + [os.path.join(tree, "configure"), "-q"], bdir, log,
             env)
        make = ["make", f"-j{ncpu()}"] + (["RUST=1"] if variant == "rust"
                                          else [])
        _run(isolate + make, bdir, log, env)
        probe = ("import sysconfig; print(sysconfig.get_config_var("
                 "'PY_RUST_OBJECTS') or ''); "
                 "assert list(enumerate('ab', 1)) == [(1, 'a'), (2, 'b')]; "
                 "assert list(reversed([1, 2])) == [2, 1]")
        proc = subprocess.run([os.path.join(bdir, "python"), "-c", probe],
                              capture_output=True, text=True)
        linked = proc.stdout.strip()
        if proc.returncode:
            raise ContractError(f"{bdir}/python does not work:\n"
                                f"{proc.stderr.strip()}")
        if variant == "rust" and not linked:
            raise ContractError(f"{bdir}: make RUST=1 linked no Rust object "
                                f"(PY_RUST_OBJECTS is empty)")
        if variant == "c" and linked:
            raise ContractError(f"{bdir}: plain make linked Rust objects "
                                f"({linked})")
        report.ok(f"patch: make {'RUST=1 ' if variant == 'rust' else ''}"
                  f"builds a working python"
                  + (f" with Rust objects {linked}" if linked else "")
                  + (", offline (no network, empty CARGO_HOME)"
                     if isolate else ", with an empty CARGO_HOME"))


def main(argv):
    parser = argparse.ArgumentParser(prog="python3 Tools/rust patch",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("-o", "--output", metavar="FILE",
                        help="write the patch here (default: stdout)")
    parser.add_argument("--pristine", metavar="DIR",
                        help="the unpacked pristine release (default: "
                             "build/pristine-<version>, made when missing)")
    args = parser.parse_args(argv)
    root = contract.tool_root()
    try:
        text = make_patch(root, find_pristine(root, args.pristine))
    except ContractError as exc:
        print(f"error: Tools/rust patch: {exc}", file=sys.stderr)
        return 1
    if args.output:
        with open(args.output, "w", encoding="utf-8") as f:
            f.write(text)
        import vendor
        from common import Layout, ToolError
        archive = vendor.archive_name(args.output)
        try:
            count = vendor.write_archive(
                vendor.ensure_cache(Layout(root), root), archive)
        except ToolError as exc:
            print(f"error: Tools/rust patch: {exc}", file=sys.stderr)
            return 1
        print(f"{args.output}: the patch; {archive}: the {count} files of "
              f"the vendored crates (unpack at the tree's root for an "
              f"offline build)", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
