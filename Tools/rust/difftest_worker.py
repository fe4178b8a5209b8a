"""The side of `Tools/rust difftest` that runs inside the interpreters under
test (the C and the Rust build), and the body of every reproducer script.

It must run on the interpreter under test alone: stdlib only, no import of
the rest of Tools/rust.  A program is a list of steps, each one line of
Python:

    name = expression     evaluate, bind `name`, record the value
    expression            evaluate, record the value
    statement             (anything else) execute, record "done"

and its trace is one entry per step: ["ok", type, repr, extra] or
["raise", exception type, message].  Reprs and messages have their
addresses masked, so that a trace depends only on behaviour.

As a worker (`python difftest_worker.py --serve`) it reads batches, one JSON
line each ({"cases": [[step, ...], ...]}), and answers every case with one
JSON line (its trace) as soon as the case is done, so that the driver can
tell which case a crash or a hang happened in.
"""

import builtins
import collections as collections_
import copy
import gc
import itertools
import json
import operator
import pickle
import re
import sys
from array import array as array_

_ADDRESS = re.compile(r"0x[0-9a-fA-F]+")
_ASSIGN = re.compile(r"^([A-Za-z_][A-Za-z_0-9]*) = (.+)$", re.S)
MAX_TEXT = 2000


def mask(text):
    text = _ADDRESS.sub("0x?", text)
    if len(text) > MAX_TEXT:
        text = text[:MAX_TEXT] + f"...<{len(text)} chars>"
    return text


def type_name(tp):
    module = getattr(tp, "__module__", None)
    name = getattr(tp, "__qualname__", None) or tp.__name__
    return name if module in (None, "builtins") else f"{module}.{name}"


def describe(value):
    """["ok", type, repr, extra]: extra holds the bytes of bytes-like values
    and the items of a memoryview (when it can tell them)."""
    try:
        text = mask(repr(value))
    except BaseException as exc:  # a repr that raises is a result too
        text = f"<repr raised {type_name(type(exc))}: {mask(str(exc))}>"
    extra = None
    if isinstance(value, (bytes, bytearray)):
        extra = bytes(value).hex()
    elif isinstance(value, memoryview):
        try:
            extra = [value.format, value.shape, value.strides,
                     value.readonly, value.tobytes().hex()]
        except BaseException as exc:
            extra = ["raise", type_name(type(exc)), mask(str(exc))]
    return ["ok", type_name(type(value)), text, extra]


def run_step(step, ns):
    try:
        m = _ASSIGN.match(step)
        if m:
            value = eval(m.group(2), ns)
            ns[m.group(1)] = value
            return describe(value)
        try:
            code = compile(step, "<step>", "eval")
        except SyntaxError:
            exec(step, ns)
            return ["ok", "done", "", None]
        return describe(eval(code, ns))
    except BaseException as exc:
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        try:
            message = mask(str(exc))
        except BaseException:
            message = "<str raised>"
        return ["raise", type_name(type(exc)), message]


def run_program(steps):
    ns = dict(HELPERS)
    trace = [run_step(step, ns) for step in steps]
    ns.clear()
    _HELD.clear()
    return trace


# --- Helpers the programs use ------------------------------------------------

class Boom(Exception):
    pass


class Index:
    """An object with __index__ (returning `value`, or raising)."""

    def __init__(self, value):
        self.value = value

    def __index__(self):
        if isinstance(self.value, type) and issubclass(self.value,
                                                       BaseException):
            raise self.value("bad __index__")
        return self.value

    def __repr__(self):
        return f"Index({self.value!r})"


class Seq:
    """A sequence: __len__ returns `length` (or raises it when it is an
    exception class); __getitem__ returns i*10, raises `exc` at `fail_at`,
    and IndexError outside [0, n)."""

    def __init__(self, n, length=None, fail_at=None, exc=IndexError,
                 item=None):
        self.n = n
        self.length = n if length is None else length
        self.fail_at = fail_at
        self.exc = exc
        self.item = item

    def __len__(self):
        if isinstance(self.length, type) and issubclass(self.length,
                                                        BaseException):
            raise self.length("bad __len__")
        return self.length

    def __getitem__(self, i):
        if not isinstance(i, int):
            raise TypeError(f"index {type(i).__name__}")
        if i == self.fail_at:
            raise self.exc(f"fail at {i}")
        if not 0 <= i < self.n:
            raise IndexError(i)
        return i * 10 if self.item is None else self.item

    def __repr__(self):
        return f"Seq({self.n})"


class NoLen:
    def __getitem__(self, i):
        if i >= 3:
            raise IndexError(i)
        return i


class Rev:
    """__reversed__ returns `result` (or raises it when it is an exception
    class); `result` None means `__reversed__ = None` semantics are not
    used: see NotRev."""

    def __init__(self, result):
        self.result = result

    def __reversed__(self):
        if isinstance(self.result, type) and issubclass(self.result,
                                                        BaseException):
            raise self.result("bad __reversed__")
        return self.result

    def __len__(self):
        return 2

    def __getitem__(self, i):
        if not 0 <= i < 2:
            raise IndexError(i)
        return i


class NotRev:
    __reversed__ = None

    def __len__(self):
        return 1

    def __getitem__(self, i):
        if not 0 <= i < 1:
            raise IndexError(i)
        return i


class It:
    """An iterator yielding 0..n-1, raising `exc` at `fail_at`."""

    def __init__(self, n, fail_at=None, exc=Boom):
        self.i, self.n, self.fail_at, self.exc = 0, n, fail_at, exc

    def __iter__(self):
        return self

    def __next__(self):
        if self.i == self.fail_at:
            self.i += 1
            raise self.exc(f"fail at {self.i - 1}")
        if self.i >= self.n:
            raise StopIteration
        self.i += 1
        return self.i - 1

    def __repr__(self):
        return f"It({self.n})"


class BadIter:
    """__iter__ returns a non-iterator."""

    def __iter__(self):
        return 5


class E(enumerate):
    pass


class E2(enumerate):
    def __init__(self, *args, **kwargs):
        self.extra = (args, sorted(kwargs))


class R(reversed):
    pass


class R2(reversed):
    def __init__(self, *args):
        self.extra = len(args)


class BA(bytearray):
    """A bytearray subclass (with a __dict__)."""


def act(target, action):
    """Do `action` to the bytearray `target`: what the re-entrant helpers
    below do from inside a call back into Python."""
    if action == "clear":
        target.clear()
    elif action == "grow":
        target.extend(bytes(1000))
    elif action == "append":
        target.append(120)
    elif action == "shrink":
        del target[:len(target) // 2]
    elif action == "export":
        _HELD.append(memoryview(target))
    elif action == "release":
        while _HELD:
            _HELD.pop().release()


_HELD = []


class MutIndex:
    """__index__ runs `action` on `target`, then returns `value`."""

    def __init__(self, target, action, value=0):
        self.target, self.action, self.value = target, action, value

    def __index__(self):
        act(self.target, self.action)
        return self.value

    def __repr__(self):
        return f"MutIndex({self.action!r}, {self.value!r})"


class MutBuffer:
    """__buffer__ runs `action` on `target`, then exports `data`."""

    def __init__(self, target, action, data=b"x"):
        self.target, self.action, self.data = target, action, data

    def __buffer__(self, flags):
        act(self.target, self.action)
        return memoryview(self.data)

    def __repr__(self):
        return f"MutBuffer({self.action!r}, {self.data!r})"


class MutIter:
    """An iterator over `items` that runs `action` on `target` before the
    item at position `at`."""

    def __init__(self, target, action, items=(1, 2, 3), at=1, hint=None):
        self.target, self.action = target, action
        self.items, self.at, self.hint, self.i = list(items), at, hint, 0

    def __iter__(self):
        return self

    def __next__(self):
        if self.i == self.at:
            act(self.target, self.action)
        if self.i >= len(self.items):
            raise StopIteration
        self.i += 1
        return self.items[self.i - 1]

    def __length_hint__(self):
        if self.hint is None:
            raise TypeError("no hint")
        return self.hint


class MutStr(str):
    """A str whose __len__ runs `action` on `target` (a hex() separator)."""

    def __new__(cls, text, target, action):
        self = super().__new__(cls, text)
        self.target, self.action = target, action
        return self

    def __len__(self):
        act(self.target, self.action)
        return super().__len__()


class MutRepr:
    """__repr__ (and __bytes__) run `action` on `target` (a % argument)."""

    def __init__(self, target, action):
        self.target, self.action = target, action

    def __repr__(self):
        act(self.target, self.action)
        return "mut"

    def __bytes__(self):
        act(self.target, self.action)
        return b"mut"


def take(iterator, n=50):
    return list(itertools.islice(iterator, n))


def recycled(iterator, n=4):
    """For each of n next() calls: whether the result is the object the
    previous call returned (enumerate reuses its result tuple when nobody
    else holds it), and whether the GC tracks it."""
    out = []
    last = None
    for _ in range(n):
        try:
            x = next(iterator)
        except StopIteration:
            break
        out.append((id(x) == last, gc.is_tracked(x)))
        last = id(x)
        del x
    return out


def roundtrip(obj, proto=pickle.HIGHEST_PROTOCOL):
    return pickle.loads(pickle.dumps(obj, proto))


def nd(items, shape=None, fmt="B", flags=0):
    """A _testbuffer.ndarray (a buffer exporter of any shape)."""
    import _testbuffer
    if shape is None:
        return _testbuffer.ndarray(items, format=fmt, flags=flags)
    return _testbuffer.ndarray(items, shape=shape, format=fmt, flags=flags)


def ND(name):
    import _testbuffer
    return getattr(_testbuffer, name)


_SHARED = (int, str, bytes, tuple, float, complex, type, type(None), bool,
           frozenset, range, type(len), type(...))


def refs(obj):
    """sys.getrefcount of an object the program made itself (a reference
    the object under test keeps or leaks shows); 'shared' for constants and
    other objects whose count depends on the rest of the interpreter."""
    if isinstance(obj, _SHARED):
        return "shared"
    return sys.getrefcount(obj) - 1


def hexd(value):
    return bytes(value).hex()


HELPERS = {name: value for name, value in dict(globals()).items()
           if not name.startswith("_") and name not in (
               "HELPERS", "run_step", "run_program", "serve", "main",
               "limit_memory")}
HELPERS["__builtins__"] = builtins


# --- Worker and reproducer entry points ---------------------------------------

def limit_memory(gigabytes=4):
    """A program that grows without bound gets MemoryError instead of
    eating the machine (not under ASan, which reserves terabytes)."""
    try:
        import resource
        import sysconfig
        if "sanitize=address" in (sysconfig.get_config_var("CONFIG_ARGS")
                                  or "") + (sysconfig.get_config_var(
                                      "PY_CFLAGS") or ""):
            return
        limit = gigabytes << 30
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, ValueError, OSError):
        pass


def serve():
    limit_memory()
    stdin, stdout = sys.stdin, sys.stdout
    for line in stdin:
        batch = json.loads(line)
        for steps in batch["cases"]:
            trace = run_program(steps)
            gc.collect()
            stdout.write(json.dumps(trace) + "\n")
            stdout.flush()
        stdout.write('"end"\n')
        stdout.flush()


def main(steps):
    """Reproducer entry point: print the trace, one step a line."""
    for step, result in zip(steps, run_program(steps)):
        print(f"{step}\n    -> {json.dumps(result)}")


if __name__ == "__main__" and sys.argv[1:] == ["--serve"]:
    serve()
