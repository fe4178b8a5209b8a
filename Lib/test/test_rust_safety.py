"""memoryview cases where CPython's C code crashes or reads freed memory.

The Rust memoryview (make RUST=1 with memoryobject selected) must make
each of them impossible: it pins a view for the whole of an operation,
including every call back into Python, and normalises foreign Py_buffers
(NULL strides mean C-contiguous).  These are the only intended
differences between the two implementations.

Each case runs in a subprocess.  In a build whose memoryview is Rust, the
case must exit normally with the stated result.  In a C build the test
checks that C still behaves as recorded (a crash by signal, or a normal
exit after reading freed memory, which valgrind shows: see
`python3 Tools/rust safety --valgrind`), so the table in README.md stays
measured rather than remembered.
"""

import os
import re
import signal
import subprocess
import sys
import sysconfig
import tempfile
import unittest
from dataclasses import dataclass

_CATCH = """
def report(f):
    try:
        print(f())
    except Exception as e:
        print(type(e).__name__, e)
"""


@dataclass(frozen=True)
class Case:
    name: str
    upstream: str
    summary: str
    code: str
    # What C does: "SIGSEGV"/"SIGBUS" (killed by that signal), or
    # "freed" (exits normally after reading freed memory).
    c_result: str
    # What the Rust memoryview prints (a regular expression for the whole
    # stripped output).
    rust_output: str
    rust_description: str
    needs: tuple = ()
    # True for a case where Rust cannot differ from C: both get the same
    # signal from the kernel (kept in the table because it was reported
    # as a memoryview crash).
    same_as_c: bool = False
    # The CPython release whose C no longer crashes (upstream fixed it the
    # way the Rust twin was safe from the start): the C build of that
    # release or later must then print what Rust prints.  The row stays.
    fixed_in: str = ""
    # The last release whose C was measured with the crash (c_result).
    unfixed_in: str = ""


CASES = [
    Case(
        "ctypes-null-strides-eq",
        "gh-57060",
        "`memoryview(a) == a` for a ctypes array (ctypes exports strides=NULL)",
        _CATCH + """
import ctypes
a = (ctypes.c_int * 3)(1, 2, 3)
report(lambda: memoryview(a) == a)
report(lambda: a == memoryview(a))
""",
        "SIGSEGV", r"True\nTrue", "True (NULL strides read as C-contiguous)",
        needs=("ctypes",)),
    Case(
        "ctypes-null-strides-2d",
        "gh-57060",
        "the same with a 2-D ctypes array",
        _CATCH + """
import ctypes
a = ((ctypes.c_int * 2) * 3)((1, 2), (3, 4), (5, 6))
report(lambda: memoryview(a) == a)
report(lambda: a == memoryview(a))
""",
        "SIGSEGV", r"True\nTrue", "True", needs=("ctypes",)),
    Case(
        "mmap-slice-index-releases",
        "gh-142665",
        "`mv[Bound():]` on an mmap where `Bound.__index__` releases the view "
        "and truncates the file, then reading the sub-view.  Not a memoryview "
        "bug: the sub-view legitimately keeps the mapping exported (CPython's "
        "own test_memoryview requires slicing to succeed when `__index__` "
        "releases the view), and reading a mapping past the end of its "
        "truncated file raises SIGBUS in the kernel, with or without a "
        "release (see `mmap-truncated-file`)",
        _CATCH + """
import mmap, os, tempfile
fd, path = tempfile.mkstemp()
os.write(fd, b'x' * mmap.PAGESIZE * 4)
mm = mmap.mmap(fd, mmap.PAGESIZE * 4)
m = memoryview(mm)
class Bound:
    def __index__(self):
        m.release()
        os.ftruncate(fd, 0)
        return 0
def f():
    s = m[Bound():]
    return s[mmap.PAGESIZE * 3]
report(f)
""",
        "SIGBUS", "", "SIGBUS, as C (the kernel's signal for a truncated "
        "mapping)", needs=("mmap",), same_as_c=True),
    Case(
        "mmap-truncated-file",
        "(control)",
        "the same without any release: a plain sub-view of an mmap whose "
        "file is truncated",
        _CATCH + """
import mmap, os, tempfile
fd, path = tempfile.mkstemp()
os.write(fd, b'x' * mmap.PAGESIZE * 4)
mm = mmap.mmap(fd, mmap.PAGESIZE * 4)
s = memoryview(mm)[0:]
os.ftruncate(fd, 0)
report(lambda: s[mmap.PAGESIZE * 3])
""",
        "SIGBUS", "", "SIGBUS, as C", needs=("mmap",), same_as_c=True),
    Case(
        "struct-unpack-releases",
        "gh-142663",
        "`==` of different formats through the struct module, with a "
        "`struct.Struct` subclass whose `unpack_from` releases the view and "
        "grows the array",
        _CATCH + """
import array, struct
a = array.array('i', [1, 2, 3])
m = memoryview(a)
class S(struct.Struct):
    def unpack_from(self, buf, offset=0):
        m.release()
        a.extend(range(100000))
        return super().unpack_from(bytes(self.size))
struct.Struct = S
report(lambda: m == memoryview(array.array('l', [1, 2, 3])))
""",
        "freed", r"(BufferError|ValueError) .*|True|False",
        "BufferError (pinned during the struct call)", needs=("array",)),
    Case(
        "hash-exporter-releases",
        "gh-142664",
        "`hash(mv)` of a read-only view of an `array` subclass whose "
        "`__hash__` releases the view and clears the array",
        _CATCH + """
import array
class A(array.array):
    def __hash__(self):
        m.release()
        self.clear()
        self.extend(bytes(100000))
        return 1
a = A('B', range(200))
m = memoryview(a).toreadonly()
report(lambda: hash(m) == hash(bytes(range(200))))
""",
        "freed", r"(BufferError|ValueError) .*|True",
        "BufferError (pinned while the exporter's __hash__ runs)",
        needs=("array",), fixed_in="3.13.15", unfixed_in="3.13.5"),
    Case(
        "setitem-index-releases",
        "gh-92888",
        "`view[Idx()] = v` where `__index__` releases the view and clears "
        "the bytearray (fixed in 3.13: keep it that way)",
        _CATCH + """
b = bytearray(10)
m = memoryview(b)
class Idx:
    def __index__(self):
        m.release()
        b.clear()
        return 3
def f():
    m[Idx()] = 1
report(f)
""",
        "ValueError", r"(ValueError|BufferError) .*",
        "ValueError or BufferError, as C"),
    Case(
        "setitem-c-format-index-releases",
        "(new)",
        "`m[Idx(), 2] = b'x'` on a 2-D `'c'` view where `__index__` releases "
        "the view and clears the bytearray: C's gh-92888 re-check skips the "
        "`'c'` format and writes to freed memory",
        _CATCH + """
b = bytearray(b'abcdefgh' * 1000)
m = memoryview(b).cast('c', (8, 1000))
class Idx:
    def __index__(self):
        m.release()
        b.clear()
        return 1
def f():
    m[Idx(), 2] = b'x'
report(f)
""",
        "freed", r"(ValueError|BufferError) .*",
        "ValueError (re-checked after __index__)"),
    Case(
        "hex-sep-len-releases",
        "gh-143195",
        "`mv.hex(sep)` with a `str` subclass whose `__len__` releases the "
        "view and clears the bytearray (the single-threaded form of "
        "gh-149816)",
        _CATCH + """
b = bytearray(b'abcdef' * 10000)
m = memoryview(b)
class Sep(str):
    def __len__(self):
        m.release()
        b.clear()
        b.extend(bytes(60000))
        return 1
report(lambda: m.hex(Sep(':'))[:17])
""",
        "freed", r"(BufferError|ValueError) .*|61:62:63:64:65:66",
        "BufferError, or the hex of the bytes (pinned)",
        fixed_in="3.13.15", unfixed_in="3.13.5"),
    Case(
        "eq-other-buffer-releases",
        "(new)",
        "`mv == other` where `other.__buffer__` releases the view and "
        "clears its bytearray",
        _CATCH + """
b = bytearray(b'x' * 100)
m = memoryview(b)
class Other:
    def __buffer__(self, flags):
        m.release()
        b.clear()
        b.extend(bytes(1000))
        return memoryview(b'x' * 100)
report(lambda: m == Other())
""",
        "freed", r"(BufferError|ValueError) .*|True|False",
        "BufferError (pinned while the other operand exports)"),
]


def rust_memoryview():
    built = (sysconfig.get_config_var("PY_RUST_OBJECTS") or "").split()
    return "memoryobject" in built


def release_tuple(text):
    return tuple(int(x) for x in text.split("."))


def run_case(case, python=sys.executable, prefix=(), expect_signal=False):
    # A case that dies of a signal leaves its temporary files behind: give
    # it a temporary directory of its own and remove that afterwards.
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, TMPDIR=tmp)
        if expect_signal:
            # The recorded outcome is the signal itself: in an
            # AddressSanitizer build, let it kill the process as it does
            # elsewhere instead of ASan's handler turning it into a report
            # and exit status 1.
            asan = env.get("ASAN_OPTIONS", "")
            env["ASAN_OPTIONS"] = (asan + ":" if asan else "") + \
                "handle_segv=0:handle_sigbus=0"
        return subprocess.run(
            [*prefix, python, "-I", "-c", case.code],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            timeout=300, env=env)


def c_outcome(proc):
    """The recorded form of a C run's result."""
    if proc.returncode < 0:
        return signal.Signals(-proc.returncode).name
    return "exit %d" % proc.returncode


class SafetyCases(unittest.TestCase):

    def check(self, case):
        for module in case.needs:
            try:
                __import__(module)
            except ImportError:
                self.skipTest(f"needs {module}")
        crashes = case.c_result in ("SIGSEGV", "SIGBUS")
        proc = run_case(case, expect_signal=crashes and (
            case.same_as_c or not rust_memoryview()))
        if case.same_as_c:
            self.assertEqual(c_outcome(proc), case.c_result,
                             f"{case.name}: {proc.stdout}{proc.stderr}")
        elif rust_memoryview():
            self.assertEqual(proc.returncode, 0,
                             f"{case.name}: {c_outcome(proc)}\n{proc.stderr}")
            out = proc.stdout.strip()
            self.assertIsNotNone(re.fullmatch(case.rust_output, out, re.S),
                                 f"{case.name}: unexpected output {out!r}")
        elif (case.fixed_in
              and sys.version_info[:3] >= release_tuple(case.fixed_in)):
            # Fixed upstream: C must now behave as the Rust twin does.
            self.assertEqual(proc.returncode, 0,
                             f"{case.name}: {c_outcome(proc)}\n{proc.stderr}")
            out = proc.stdout.strip()
            self.assertIsNotNone(re.fullmatch(case.rust_output, out, re.S),
                                 f"{case.name}: C {case.fixed_in} was to be "
                                 f"fixed, but prints {out!r}")
        elif case.c_result in ("SIGSEGV", "SIGBUS"):
            # A --with-pydebug build may stop at one of C's asserts first.
            self.assertIn(c_outcome(proc), (case.c_result, "SIGABRT"),
                          f"{case.name}: C no longer crashes as recorded; "
                          f"update the table\n{proc.stdout}{proc.stderr}")
        else:
            # C exits normally; whether it read freed memory only valgrind
            # tells (Tools/rust safety --valgrind).
            self.assertEqual(proc.returncode, 0, proc.stderr)
            if case.c_result != "freed":
                self.assertTrue(proc.stdout.startswith(case.c_result),
                                proc.stdout)


def _make_test(case):
    def test(self):
        self.check(case)
    test.__doc__ = f"{case.name} ({case.upstream})"
    return test


for _case in CASES:
    setattr(SafetyCases, "test_" + _case.name.replace("-", "_"),
            _make_test(_case))


if __name__ == "__main__":
    unittest.main()
