"""memoryview and bytearray cases where CPython's C code crashes, reads
freed memory or exposes uninitialised memory.

The Rust memoryview (make RUST=1 with memoryobject selected) must make
each of them impossible: it pins a view for the whole of an operation,
including every call back into Python, and normalises foreign Py_buffers
(NULL strides mean C-contiguous).  The Rust bytearray (bytearrayobject
selected) must hold its storage (an export pin, so that resizing raises
BufferError) or re-read size and pointer after every call back into
Python.  These are the only intended differences between the two
implementations.

Each case names the object it is about (`object`, a registry name).  It
runs in a subprocess.  In a build that links that object from Rust, the
case must exit normally with the stated result.  Otherwise (a C build,
or a Rust build that links the object from C) the test checks that C
still behaves as recorded (a crash by signal, a normal exit after reading
freed memory, which valgrind shows: see `python3 Tools/rust safety
--valgrind`, or the recorded output), so the table in README.md stays
measured rather than remembered.  A case fixed upstream (`fixed_in`) must
print on C what the Rust twin prints.
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
    # What C does: "SIGSEGV"/"SIGBUS" (killed by that signal), "freed"
    # (exits normally after reading freed memory), "freed-write" (after
    # writing to it), "uninit" (exits normally with uninitialised memory in
    # its result: c_output pins what it prints; a pydebug build may stop
    # at an assert, c_assert), another word for a failure of an older
    # release (`crash`, `overflow`), or the start of what it prints.
    c_result: str
    # What the Rust object prints (a regular expression for the whole
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
    # The registry name of the object whose C code the case is about: the
    # Rust outcome is required only where the build links it from Rust.
    object: str = "memoryobject"
    # For c_result "uninit": what C prints (a regular expression for the
    # whole stripped output).
    c_output: str = ""
    # The C assert a --with-pydebug build stops at first (a regular
    # expression for its stderr), if any.
    c_assert: str = ""


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
        needs=("array",), fixed_in="3.13.12", unfixed_in="3.13.5"),
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
        fixed_in="3.13.12", unfixed_in="3.13.5"),
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

# bytearray (Objects/bytearrayobject.c).  Releases: the C of 3.13.15 is
# measured (build/c); the release a bug was fixed in is Misc/NEWS's, and
# what the release before it did is read from its source (3.13.5's, in
# build/pristine-3.13.5: no 3.13.5 interpreter is built here).
_BUFFER_ERROR = ("BufferError Existing exports of data: object cannot be "
                 "re-sized")

_SEARCH = """
b = bytearray(b'A' * 64)
class Evil:
    def __index__(self):
        b.clear()
        return 65
report(lambda: b.{0}(Evil()))
report(lambda: len(b))
"""

CASES += [
    Case(
        "bytearray-setitem-key-index-resizes",
        "gh-91153",
        "`b[Idx()] = 65` where `Idx.__index__` grows (reallocates) or "
        "clears the bytearray: C before 3.13.6 wrote through the pointer it "
        "took before the call",
        _CATCH + """
b = bytearray(16)
class Grow:
    def __index__(self):
        b.extend(bytes(1 << 20))
        return 3
class Clear:
    def __index__(self):
        b.clear()
        return 3
def f():
    b[Grow()] = 65
    return bytes(b[:5]), len(b)
report(f)
def g():
    b[Clear()] = 65
report(g)
""",
        "freed-write",
        r"\(b'\\x00\\x00\\x00A\\x00', 1048592\)\n"
        r"IndexError bytearray index out of range",
        "the write lands in the grown storage; IndexError after a clear, "
        "as C 3.13.15",
        fixed_in="3.13.6", unfixed_in="3.13.5", object="bytearrayobject"),
    Case(
        "bytearray-setitem-value-index-resizes",
        "gh-91153",
        "`b[3] = Val()` where the value's `__index__` grows or clears the "
        "bytearray",
        _CATCH + """
b = bytearray(16)
class Grow:
    def __index__(self):
        b.extend(bytes(1 << 20))
        return 65
class Clear:
    def __index__(self):
        b.clear()
        return 65
def f():
    b[3] = Grow()
    return bytes(b[:5]), len(b)
report(f)
def g():
    b[3] = Clear()
report(g)
""",
        "freed-write",
        r"\(b'\\x00\\x00\\x00A\\x00', 1048592\)\n"
        r"IndexError bytearray index out of range",
        "as C 3.13.15", fixed_in="3.13.6", unfixed_in="3.13.5",
        object="bytearrayobject"),
    Case(
        "bytearray-extslice-index-resizes",
        "gh-91153",
        "`b[Idx():8:2] = b'wxyz'` and `del b[Idx():8:2]` where the slice "
        "bound's `__index__` reallocates the bytearray (C before 3.13.6 "
        "wrote and moved bytes in the freed storage)",
        _CATCH + """
b = bytearray(16)
class Grow:
    def __index__(self):
        b.extend(bytes(1 << 20))
        return 0
def f():
    b[Grow():8:2] = b'wxyz'
    return bytes(b[:8]), len(b)
report(f)
def g():
    del b[Grow():8:2]
    return bytes(b[:8]), len(b)
report(g)
""",
        "freed-write",
        r"\(b'w\\x00x\\x00y\\x00z\\x00', 2097168\)\n"
        r"\(b'\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00', 3145740\)",
        "as C 3.13.15 (slice indices adjusted to the size after __index__)",
        fixed_in="3.13.6", unfixed_in="3.13.5", object="bytearrayobject"),
    Case(
        "bytearray-count-index-clears",
        "gh-142558",
        "`b.count(Evil())` where `Evil.__index__` clears the bytearray",
        _CATCH + _SEARCH.format("count"),
        "freed", re.escape(_BUFFER_ERROR) + r"\n64",
        "BufferError (storage held during the search), as C 3.13.15",
        fixed_in="3.13.12", unfixed_in="3.13.5", object="bytearrayobject"),
    Case(
        "bytearray-find-index-clears",
        "gh-142559",
        "`b.find(Evil())`, the same",
        _CATCH + _SEARCH.format("find"),
        "freed", re.escape(_BUFFER_ERROR) + r"\n64",
        "BufferError, as C 3.13.15",
        fixed_in="3.13.12", unfixed_in="3.13.5", object="bytearrayobject"),
    Case(
        "bytearray-index-index-clears",
        "gh-142560",
        "`b.index(Evil())`, the same",
        _CATCH + _SEARCH.format("index"),
        "freed", re.escape(_BUFFER_ERROR) + r"\n64",
        "BufferError, as C 3.13.15",
        fixed_in="3.13.12", unfixed_in="3.13.5", object="bytearrayobject"),
    Case(
        "bytearray-rfind-rindex-index-clears",
        "gh-142560",
        "`b.rfind(Evil())` and `b.rindex(Evil())`, the same",
        _CATCH + _SEARCH.format("rfind") + _SEARCH.format("rindex"),
        "freed", re.escape(_BUFFER_ERROR) + r"\n64\n"
        + re.escape(_BUFFER_ERROR) + r"\n64",
        "BufferError, as C 3.13.15",
        fixed_in="3.13.12", unfixed_in="3.13.5", object="bytearrayobject"),
    Case(
        "bytearray-contains-index-clears",
        "gh-142560",
        "`Evil() in b` where `Evil.__index__` clears the bytearray (C "
        "3.13.15 holds the storage, and the BufferError becomes the "
        "TypeError of the buffer fallback)",
        _CATCH + """
b = bytearray(b'A' * 64)
class Evil:
    def __index__(self):
        b.clear()
        return 65
report(lambda: Evil() in b)
report(lambda: len(b))
""",
        "freed", r"TypeError a bytes-like object is required, not 'Evil'\n64",
        "TypeError, as C 3.13.15",
        fixed_in="3.13.12", unfixed_in="3.13.5", object="bytearrayobject"),
    Case(
        "bytearray-split-sep-buffer-clears",
        "gh-142560",
        "`b.split(sep)`, `b.rsplit(sep)`, `b.startswith((sep,))` where "
        "`sep.__buffer__` clears the bytearray",
        _CATCH + """
b = bytearray(b'a,b,' * 64)
class Sep:
    def __buffer__(self, flags):
        b.clear()
        return memoryview(b',')
report(lambda: len(b.split(Sep())))
report(lambda: len(b.rsplit(Sep())))
report(lambda: b.startswith((Sep(),)))
report(lambda: len(b))
""",
        "freed", (re.escape(_BUFFER_ERROR) + r"\n") * 3 + r"256",
        "BufferError, as C 3.13.15",
        fixed_in="3.13.12", unfixed_in="3.13.5", object="bytearrayobject"),
    Case(
        "bytearray-mod-arg-repr-clears",
        "gh-142557",
        "`b % (Evil(), Evil())` with `%r` where `Evil.__repr__` clears the "
        "bytearray",
        _CATCH + """
b = bytearray(b'%r %r' + b' ' * 1000)
class Evil:
    def __repr__(self):
        b.clear()
        return 'evil'
report(lambda: (b % (Evil(), Evil()))[:9])
report(lambda: len(b))
""",
        "freed", re.escape(_BUFFER_ERROR) + r"\n1005",
        "BufferError, as C 3.13.15",
        fixed_in="3.13.12", unfixed_in="3.13.5", object="bytearrayobject"),
    Case(
        "bytearray-hex-sep-len-clears",
        "gh-143195",
        "`b.hex(sep)` with a `str` subclass whose `__len__` clears the "
        "bytearray",
        _CATCH + """
b = bytearray(b'abcdef' * 10000)
class Sep(str):
    def __len__(self):
        b.clear()
        return 1
report(lambda: b.hex(Sep(':'))[:17])
report(lambda: len(b))
""",
        "freed", re.escape(_BUFFER_ERROR) + r"\n60000",
        "BufferError, as C 3.13.15",
        fixed_in="3.13.12", unfixed_in="3.13.5", object="bytearrayobject"),
    Case(
        "bytearray-extend-length-hint-zero",
        "gh-143003",
        "`b.extend(it)` where `it.__length_hint__()` is 0 but it yields 100 "
        "items (C before 3.13.12 wrote the first byte into the shared "
        "empty buffer)",
        _CATCH + """
class It:
    def __init__(self):
        self.n = 0
    def __iter__(self):
        return self
    def __next__(self):
        self.n += 1
        if self.n > 100:
            raise StopIteration
        return 65
    def __length_hint__(self):
        return 0
b = bytearray()
b.extend(It())
report(lambda: (len(b), bytes(b) == b'A' * 100, bytearray() == b''))
""",
        "overflow", r"\(100, True, True\)", "as C 3.13.15",
        fixed_in="3.13.12", unfixed_in="3.13.5", object="bytearrayobject"),
    Case(
        "bytearray-join-item-buffer-mutates",
        "gh-151295",
        "`b.join(items)` where an item's `__buffer__` clears the list "
        "being joined",
        _CATCH + """
items = [b'x'] * 10
class Item:
    def __buffer__(self, flags):
        items.clear()
        return memoryview(b'yy')
items[1] = Item()
report(lambda: bytearray(b'-').join(items))
""",
        "freed", r"RuntimeError sequence changed size during iteration",
        "RuntimeError, as C 3.13.15",
        fixed_in="3.13.15", unfixed_in="3.13.5", object="bytearrayobject"),
    Case(
        "bytearray-join-iter-clears-self",
        "gh-112625",
        "`b.join(gen)` where the generator clears the separator `b`",
        _CATCH + """
b = bytearray(b'-' * 100)
def gen():
    yield b'x'
    b.clear()
    yield b'y'
report(lambda: b.join(gen()))
report(lambda: len(b))
""",
        "freed", re.escape(_BUFFER_ERROR) + r"\n100",
        "BufferError, as C 3.13.15",
        fixed_in="3.13.0", object="bytearrayobject"),
    Case(
        "bytearray-buffer-read-write-flags",
        "gh-126980",
        "`b.__buffer__(inspect.BufferFlags.READ)` (and `WRITE`): C 3.13.0 "
        "ignored PyBuffer_FillInfo's failure and counted an export",
        _CATCH + """
import inspect
b = bytearray(b'abc')
report(lambda: b.__buffer__(inspect.BufferFlags.READ))
report(lambda: b.__buffer__(inspect.BufferFlags.WRITE))
b.append(1)
report(lambda: bytes(b))
""",
        "crash",
        r"SystemError .*bad argument to internal function\n"
        r"SystemError .*bad argument to internal function\n"
        r"b'abc\\x01'",
        "SystemError (no export counted, so the append works), as C 3.13.15",
        fixed_in="3.13.1", unfixed_in="3.13.0", object="bytearrayobject"),
    Case(
        "bytearray-take-bytes-index-clears",
        "gh-153570",
        "`b.take_bytes(Evil())` where `__index__` clears the bytearray: "
        "`take_bytes` is 3.15's, 3.13 has no such method (the row pins "
        "that the twin adds none)",
        _CATCH + """
b = bytearray(b'A' * (1 << 20))
class Evil:
    def __index__(self):
        b.clear()
        return 1 << 19
report(lambda: len(b.take_bytes(Evil())))
""",
        "AttributeError",
        r"AttributeError 'bytearray' object has no attribute 'take_bytes'",
        "AttributeError, as C 3.13.15", object="bytearrayobject"),
    Case(
        "bytearray-extend-buffer-clears",
        "(new)",
        "`b.extend(other)` where `other.__buffer__` clears the bytearray: C "
        "3.13.15 takes the insertion point (the old size) before the "
        "export call and appends there, leaving the 100 bytes before it "
        "uninitialised heap memory (ASan's 0xbe fill on build/asan-rust); "
        "`b += other` and `b[len(b):] = other` append at the end",
        _CATCH + """
b = bytearray(b'x' * 100)
class Other:
    def __buffer__(self, flags):
        b.clear()
        return memoryview(b'abc')
b.extend(Other())
# The count reads the first 100 bytes (valgrind: uninitialised in C).
report(lambda: (len(b), bytes(b[-3:]), b[:100].count(120) >= 0))
""",
        "uninit", r"\(3, b'abc', True\)",
        "`(3, b'abc', True)` (the end is read after the export call), as "
        "`+=`",
        object="bytearrayobject", c_output=r"\(103, b'abc', True\)",
        c_assert=r"bytearray_setslice_linear: Assertion `avail >= 0' failed"),
    Case(
        "bytearray-init-list-fails-uninit",
        "(new)",
        "`b.__init__([1, 2] + [256] * 1000)` on an existing bytearray: C "
        "3.13.15's list fast path resizes to the list's length first and "
        "stops at the bad item with ValueError, leaving the bytes from "
        "there on uninitialised heap memory (no call back into Python; "
        "found by the difftest)",
        _CATCH + """
b = bytearray(b'x' * 64)
report(lambda: b.__init__([1, 2] + [256] * 1000))
# The count reads the bytes after the first two (valgrind: uninitialised
# in C).
report(lambda: (len(b), bytes(b[:2]), b[2:].count(0) == len(b) - 2))
""",
        "uninit",
        r"ValueError byte must be in range\(0, 256\)\n"
        r"\((\d+, b'\\x01\\x02'|0, b''), True\)",
        "ValueError, and no uninitialised byte (zeroed, or emptied)",
        object="bytearrayobject",
        c_output=r"ValueError byte must be in range\(0, 256\)\n"
                 r"\(1002, b'\\x01\\x02', (True|False)\)"),
]


def rust_objects():
    """The registry names of the objects this build links from Rust."""
    built = sysconfig.get_config_var("PY_RUST_OBJECTS") or ""
    return built.replace(",", " ").split()


def rust_object(name):
    return name in rust_objects()


def rust_memoryview():
    return rust_object("memoryobject")


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
        rust = rust_object(case.object)
        proc = run_case(case, expect_signal=crashes and (
            case.same_as_c or not rust))
        if case.same_as_c:
            self.assertEqual(c_outcome(proc), case.c_result,
                             f"{case.name}: {proc.stdout}{proc.stderr}")
        elif rust:
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
        elif (case.c_assert and hasattr(sys, "gettotalrefcount")
              and proc.returncode == -signal.SIGABRT):
            # A --with-pydebug build stops at C's assert.
            self.assertRegex(proc.stderr, case.c_assert)
        else:
            # C exits normally; whether it read freed memory only valgrind
            # tells (Tools/rust safety --valgrind).
            self.assertEqual(proc.returncode, 0, proc.stderr)
            if case.c_output:
                out = proc.stdout.strip()
                self.assertIsNotNone(
                    re.fullmatch(case.c_output, out, re.S),
                    f"{case.name}: C no longer prints what was recorded "
                    f"({out!r}); update the table")
            elif case.c_result not in ("freed", "freed-write"):
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
