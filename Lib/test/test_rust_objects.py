"""Tests for the Rust objects (Tools/rust, make RUST=1).

They run in every build: in a C build they check the C objects, in a
RUST=1 build the Rust twins.  Two kinds:

* probes: scripted operations (including bad input) whose results,
  exception types and messages, docstrings and text signatures are
  printed as one line each.  The test compares the lines of this
  interpreter with those of a reference interpreter given by the
  environment variable PY_RUST_REFERENCE_PYTHON (Tools/rust test points it
  at the C build), and with the expectations written below where C's
  behaviour is spelled out;
* checks of the build: sysconfig reports the Rust objects the build links.
"""

import json
import os
import pickle
import subprocess
import sys
import sysconfig
import unittest


# --- probes -----------------------------------------------------------------

def _describe(value):
    try:
        r = repr(value)
    except Exception as exc:  # pragma: no cover - reprs of our values work
        r = f"<repr failed: {type(exc).__name__}>"
    if " at 0x" in r:
        r = r.split(" at 0x")[0] + ">"
    return [type(value).__name__, r]


def _run(fn):
    try:
        return ["ok"] + _describe(fn())
    except BaseException as exc:
        return ["raise", type(exc).__name__, str(exc)]


class _Seq:
    """A sequence with a settable length and a __getitem__ that can fail."""

    def __init__(self, n, fail_at=None, exc=IndexError):
        self.n, self.fail_at, self.exc = n, fail_at, exc

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        if i == self.fail_at:
            raise self.exc(f"fail at {i}")
        if not 0 <= i < self.n:
            raise IndexError(i)
        return i * 10


class _NoLen:
    def __getitem__(self, i):
        return i


class _NotReversible:
    __reversed__ = None

    def __len__(self):
        return 1

    def __getitem__(self, i):
        return i


class _OwnReversed:
    def __reversed__(self):
        return iter("own")


class _BadIndex:
    def __index__(self):
        raise ValueError("bad index")


class _Index:
    def __index__(self):
        return 7


def probe_enumobject():
    """Operations on enumerate and reversed; yields (name, result)."""
    yield "enumerate.__doc__", _describe(enumerate.__doc__)
    yield "reversed.__doc__", _describe(reversed.__doc__)
    yield "enumerate.sig", _describe(enumerate.__text_signature__)
    yield "reversed.sig", _describe(reversed.__text_signature__)
    for t in (enumerate, reversed):
        for name in sorted(vars(t)):
            attr = getattr(t, name)
            yield f"{t.__name__}.{name}.__doc__", _describe(
                getattr(attr, "__doc__", None))
            yield f"{t.__name__}.{name}.sig", _describe(
                getattr(attr, "__text_signature__", None))
    cases = {
        "enum()": lambda: enumerate(),
        "enum(1)": lambda: enumerate(1),
        "enum(a,b,c)": lambda: enumerate("a", 1, 2),
        "enum(a,b,c,d)": lambda: enumerate("a", 1, 2, 3),
        "enum(kw bad)": lambda: enumerate("a", stop=1),
        "enum(kw bad iterable)": lambda: enumerate(iter="a"),
        "enum(kw both)": lambda: list(enumerate(iterable="ab", start=3)),
        "enum(kw both reversed)": lambda: list(enumerate(start=3, iterable="ab")),
        "enum(kw both bad)": lambda: enumerate(start=3, iterables="ab"),
        "enum(kw both bad2)": lambda: enumerate(starts=3, iterable="ab"),
        "enum(pos+kw start)": lambda: list(enumerate("ab", start=-5)),
        "enum(pos+kw dup)": lambda: enumerate("ab", iterable="x"),
        "enum(3 kw)": lambda: enumerate(iterable="ab", start=1, x=2),
        "enum(start=float)": lambda: enumerate("ab", 1.5),
        "enum(start=str)": lambda: enumerate("ab", "1"),
        "enum(start=__index__)": lambda: list(enumerate("ab", _Index())),
        "enum(start=bad __index__)": lambda: enumerate("ab", _BadIndex()),
        "enum(start=True)": lambda: list(enumerate("ab", True)),
        "enum(huge)": lambda: list(enumerate("abc", sys.maxsize - 1)),
        "enum(huger)": lambda: list(enumerate("abc", 2 ** 70)),
        "enum(neg huge)": lambda: list(enumerate("abc", -2 ** 70)),
        "enum.__new__ kw": lambda: list(enumerate.__new__(enumerate, "ab", start=2)),
        "enum.__new__ bad kw": lambda: enumerate.__new__(enumerate, "ab", stat=2),
        "enum.__new__ none": lambda: enumerate.__new__(enumerate),
        "enum.__new__ three": lambda: enumerate.__new__(enumerate, 1, 2, 3),
        "enum reduce": lambda: enumerate("ab", 5).__reduce__()[1][1],
        "enum reduce long": lambda: enumerate("ab", 2 ** 65).__reduce__()[1][1],
        "enum pickle": lambda: list(pickle.loads(pickle.dumps(enumerate("abc", 4)))),
        "enum class_getitem": lambda: enumerate[int],
        "enum subclass": lambda: list(type("E", (enumerate,), {})("xy", 1)),
        "enum result reuse": lambda: [id(a) == id(b) for a, b in
                                      [(next(e), next(e)) for e in [enumerate("ab")]]],
        "enum iter error": lambda: list(enumerate(_Seq(3, fail_at=1, exc=KeyError))),
        "rev()": lambda: reversed(),
        "rev(1,2)": lambda: reversed(1, 2),
        "rev(kw)": lambda: reversed(sequence=[1]),
        "rev(int)": lambda: reversed(1),
        "rev(dict)": lambda: list(reversed({1: 2, 3: 4})),
        "rev(nolen)": lambda: reversed(_NoLen()),
        "rev(notrev)": lambda: reversed(_NotReversible()),
        "rev(own)": lambda: list(reversed(_OwnReversed())),
        "rev(seq)": lambda: list(reversed(_Seq(4))),
        "rev(seq fail index)": lambda: list(reversed(_Seq(4, fail_at=2))),
        "rev(seq fail stop)": lambda: list(reversed(_Seq(4, fail_at=2, exc=StopIteration))),
        "rev(seq fail key)": lambda: list(reversed(_Seq(4, fail_at=2, exc=KeyError))),
        "rev(seq len err)": lambda: reversed(_Seq(-1)),
        "rev.__new__ kw": lambda: reversed.__new__(reversed, [1], x=1),
        "rev.__new__ none": lambda: reversed.__new__(reversed),
        "rev.__new__ tuple": lambda: list(reversed.__new__(reversed, (1, 2))),
        "rev lh": lambda: reversed((1, 2, 3)).__length_hint__(),
        "rev lh shrunk": lambda: _shrunk_length_hint(),
        "rev lh exhausted": lambda: _exhausted(reversed((1,))).__length_hint__(),
        "rev reduce": lambda: reversed((1, 2)).__reduce__(),
        "rev reduce exhausted": lambda: _exhausted(reversed((1,))).__reduce__(),
        "rev setstate": lambda: _setstate(reversed((1, 2, 3)), 1),
        "rev setstate low": lambda: _setstate(reversed((1, 2, 3)), -10),
        "rev setstate high": lambda: _setstate(reversed((1, 2, 3)), 10),
        "rev setstate str": lambda: _setstate(reversed((1, 2, 3)), "1"),
        "rev setstate huge": lambda: _setstate(reversed((1, 2, 3)), 2 ** 100),
        "rev setstate exhausted": lambda: _setstate(_exhausted(reversed((1,))), 0),
        "rev pickle": lambda: list(pickle.loads(pickle.dumps(reversed((1, 2, 3))))),
        "rev type": lambda: type(reversed((1, 2))).__name__,
        "rev class_getitem": lambda: reversed[int],
        "rev subclass": lambda: list(type("R", (reversed,), {})([1, 2])),
        "rev subclass kw": lambda: type("R", (reversed,), {"__init__": lambda s, *a, **k: None})([1, 2], x=1),
    }
    for name, fn in cases.items():
        yield name, _run(fn)


def _exhausted(it):
    for _ in it:
        pass
    return it


def _shrunk_length_hint():
    seq = _Seq(4)
    it = reversed(seq)
    seq.n = 2
    return it.__length_hint__()


def _setstate(it, state):
    it.__setstate__(state)
    return list(it)


def _struct_pairs():
    """Pairs of (format, values) whose comparison goes through the struct
    module in C (formats differ, or are not native)."""
    ints = [0, 1, -1, 127, -128, 255, 2**31 - 1, -2**31]
    return [
        ("<i", ints), (">i", ints), ("=i", ints), ("!i", ints), ("i", ints),
        ("l", ints), ("<q", ints), (">Q", [0, 1, 255, 2**64 - 1]),
        ("<h", [0, 1, -1, 127, -128]), ("b", [0, 1, -1, 127, -128]),
        ("<B", [0, 1, 127, 255]), ("<?", [True, False, True]),
        ("<d", [0.0, -0.0, 1.0, 2.5, float("nan"), float("inf")]),
        ("<f", [0.0, -0.0, 1.0, 2.5, float("nan")]),
        ("<e", [0.0, 1.0, 2.5, float("nan")]), ("d", [1.0, -1.0, 0.5]),
        (">d", [0.0, 1.0, 2.0, -0.0]), ("<H", [0, 1, 2, 0]),
        ("=e", [-0.0, 1.0, 2.0, 0.0]), ("f", [0.0, 1.0, 2.0, 0.0]),
        ("<c", [b"a", b"b", b"\x00"]), ("1s", [b"a", b"b"]),
        ("3s", [b"abc", b"\x00bc"]), ("<2s", [b"ab"]),
        ("<ii", [(1, 2), (3, 4)]), ("<ix", [(1,), (2,)]),
        ("<xi", [(1,), (2,)]), ("bi", [(1, 2), (-1, 7)]),
        ("<hxxi", [(1, 2)]), ("<hI", [(1, 2)]), ("0s", [b""]),
        ("<2h", [(1, -1)]), ("<i2x", [(5,)]), ("<p", [b"ab"]),
        ("<3p", [b"ab", b""]), ("P", [0, 1]), ("nN", [(1, 2)]),
    ]


def _ndarray(fmt, values, **kw):
    from _testbuffer import ndarray
    return ndarray(values, shape=[len(values)], format=fmt, **kw)


def probe_memoryobject():
    """memoryview operations with fast paths in the Rust twin."""
    import array
    import struct
    try:
        import _testbuffer  # noqa: F401
    except ImportError:
        _testbuffer = None
    if _testbuffer is not None:
        made = []
        for fmt, values in _struct_pairs():
            try:
                made.append((fmt, values, _ndarray(fmt, values)))
            except Exception as exc:
                yield f"ndarray {fmt!r}", ["raise", type(exc).__name__]
        for fa, va, a in made:
            for fb, vb, b in made:
                if len(va) != len(vb):
                    continue
                yield (f"{fa!r} == {fb!r}",
                       _run(lambda: memoryview(a) == memoryview(b)))
                yield (f"{fa!r} == {fb!r} reversed",
                       _run(lambda: memoryview(a)[::-1] ==
                            memoryview(b)[::-1]))
    # == of memoryviews of at most one dimension with one native format
    # (compared in Rust without the general strided set-up)
    for fmt in "bBhHiIlLqQnNfdecP":
        size = struct.calcsize(fmt)
        for n in (0, 1, 2, 15, 16, 17, 40):
            data = bytes((i * 7 + 3) % 251 for i in range(2 * n * size))
            flipped = bytearray(data)
            if n:
                flipped[n * size - 1] ^= 1
            a = memoryview(data).cast(fmt)
            b = memoryview(bytes(flipped)).cast(fmt)
            same = memoryview(data[:n * size]).cast(fmt)
            pairs = [(a[:n], same), (a[:n], b[:n]), (a[::2], b[::2]),
                     (a[n:], a[:n]), (a[:n][::-1], same[::-1]),
                     (a[:n][::-1], b[:n][::-1]), (a, b)]
            if n:
                pairs.append((memoryview(data[:size]).cast(fmt, []),
                              memoryview(bytes(flipped[:size])).cast(fmt, [])))
                pairs.append((a[:1], a[:1].cast("B").cast(fmt, [])))
            if n >= 2:
                pairs.append((a[:2 * n].cast("B").cast(fmt, (2, n)), a))
            yield (f"flat == {fmt} {n}",
                   _run(lambda: [x == y for x, y in pairs]))
    # == bytes (compared in Rust without acquiring the bytes' buffer)
    data = bytes(range(10))
    against = [data, data[::2], bytes(range(0, 20, 2)), b"", bytes(5), b"x",
               data[::-1]]
    views = {"1-D": memoryview(data), "bytearray": memoryview(bytearray(data)),
             "strided": memoryview(bytes(range(20)))[::2],
             "reversed": memoryview(data)[::-1],
             "'b'": memoryview(data).cast("b"),
             "'c'": memoryview(data).cast("c"),
             "'@B'": memoryview(data).cast("c").cast("@B"),
             "2-D": memoryview(data).cast("B", (2, 5)),
             "0-D": memoryview(b"x").cast("B", ()),
             "empty": memoryview(b"")}
    for label, view in views.items():
        yield (f"== bytes {label}",
               _run(lambda: [(view == w, view != w, w == view)
                             for w in against]))
    nan = float("nan")
    for fmt in "dfe":
        x = memoryview(struct.pack(f"3{fmt}", 0.0, 1.5, nan)).cast(fmt)
        y = memoryview(struct.pack(f"3{fmt}", -0.0, 1.5, nan)).cast(fmt)
        yield (f"flat == {fmt} nan, -0.0",
               _run(lambda: [x == y, x == x, x[:2] == y[:2], x[2:] == x[2:]]))
    bools = memoryview(bytes([0, 1, 1, 0] * 5)).cast("?")
    yield "flat == ?", _run(lambda: [bools == bools, bools[1:] == bools[:-1],
                                     bools[::4] == bools[3::4]])
    # struct.Struct replaced: C calls it; so must the Rust twin.
    calls = []

    class Counting(struct.Struct):
        def unpack_from(self, *args, **kw):
            calls.append(self.format)
            return super().unpack_from(*args, **kw)

    saved = struct.Struct
    struct.Struct = Counting
    try:
        a = array.array("i", [1, 2, 3])
        b = array.array("l", [1, 2, 3])
        yield "replaced Struct ==", _run(lambda: memoryview(a) == b)
        yield "replaced Struct calls", ["ok", len(calls), sorted(set(calls))]
    finally:
        struct.Struct = saved
    # hex without a separator, contiguous and strided; tolist of small ints
    for n in (0, 1, 15, 16, 17, 31, 32, 33, 100, 1000):
        data = bytes((i * 37 + 11) % 256 for i in range(2 * n + 1))
        views = _strided_views(memoryview(data), n)
        yield f"hex {n}", _run(lambda: [v.hex() for v in views])
        yield f"hex sep {n}", _run(lambda: [v.hex(":", 3) for v in views])
        yield f"tobytes {n}", _run(lambda: [v.tobytes() for v in views])
        yield f"hash {n}", _run(
            lambda: [hash(v) == hash(v.tobytes()) for v in views])
        whole = memoryview(data).cast("B")[:n - n % 8]
        for fmt in ("B", "b", "?", "h", "i", "q", "Q", "c"):
            yield (f"tolist {fmt} {n}",
                   _run(lambda: whole.cast(fmt).tolist()))
    # cast() reads the new format as a C string: up to its first NUL
    eight = memoryview(bytes(8))
    for fmt in ("i", "@i", "i\0", "i\0x", "@i\0", "\0", "@\0", "@@i",
                "ii", "@ii", "<i", "c", "\u20ac"):
        yield f"cast {fmt!r}", _run(lambda: eight.cast(fmt).format)
        yield (f"cast {fmt!r} from 'i'",
               _run(lambda: eight.cast("i").cast(fmt).format))
    # '?': every non-zero byte is True, when unpacked and when compared
    # (gh-148390, C 3.13.15), short and long (the byte comparison first),
    # contiguous and strided, 1-D and 2-D.
    for n in (3, 15, 16, 17, 100):
        a = bytes((0, 2, 0, 255, 1)[i % 5] for i in range(2 * n))
        b = bytes((0, 4, 0, 1, 7)[i % 5] for i in range(2 * n))
        c = bytes((0, 4, 1, 1, 7)[i % 5] for i in range(2 * n))
        for name, x, y in (("eq", a, b), ("ne", a, c)):
            yield (f"'?' {name} {n}", _run(lambda: [
                memoryview(x).cast("?") == memoryview(y).cast("?"),
                memoryview(x).cast("?")[::2] == memoryview(y).cast("?")[::2],
                memoryview(x).cast("?", (2, n)) == memoryview(y).cast(
                    "?", (2, n)),
                memoryview(x).cast("?").tolist() == memoryview(
                    y).cast("?").tolist()]))
    # A tuple index longer than the view has dimensions: C formats ndim
    # (an int) with %d.
    for shape in ((8,), (2, 4), (2, 2, 2)):
        yield (f"index {len(shape)}-D with a longer tuple",
               _run(lambda: memoryview(bytes(8)).cast("B", shape)[
                   (0,) * (len(shape) + 1)]))


def _strided_views(m, n):
    return [m[:n], m[::2], m[1::2], m[::-2], m[::3], m[-2::-2]]


PROBES = {"enumobject": probe_enumobject,
          "memoryobject": probe_memoryobject}


def _probe_main(name):
    for key, result in PROBES[name]():
        print(json.dumps([key, result]))


# --- tests ------------------------------------------------------------------

def _run_probe(python, name):
    proc = subprocess.run(
        [python, "-I", __file__, "--probe", name],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        timeout=300)
    if proc.returncode:
        raise AssertionError(
            f"probe {name} failed in {python} (exit {proc.returncode}):\n"
            f"{proc.stderr[-2000:]}")
    return [json.loads(line) for line in proc.stdout.splitlines()]


class ProbeTests(unittest.TestCase):
    """This interpreter against the reference (C) interpreter."""

    reference = os.environ.get("PY_RUST_REFERENCE_PYTHON")

    def compare(self, name):
        if not self.reference:
            self.skipTest("PY_RUST_REFERENCE_PYTHON is not set "
                          "(Tools/rust test sets it to the C build)")
        ours = _run_probe(sys.executable, name)
        theirs = _run_probe(self.reference, name)
        self.assertEqual(len(ours), len(theirs))
        for mine, ref in zip(ours, theirs):
            self.assertEqual(mine, ref)

    def test_enumobject_same_as_reference(self):
        self.compare("enumobject")

    def test_memoryobject_same_as_reference(self):
        self.compare("memoryobject")


class EnumobjectBehaviour(unittest.TestCase):
    """C's behaviour, spelled out (error messages are behaviour)."""

    def results(self):
        return dict(probe_enumobject())

    def test_messages(self):
        r = self.results()
        self.assertEqual(r["enum()"], ["raise", "TypeError",
                         "enumerate() missing required argument 'iterable'"])
        self.assertEqual(r["enum(a,b,c)"], ["raise", "TypeError",
                         "enumerate() takes at most 2 arguments (3 given)"])
        self.assertEqual(r["enum(a,b,c,d)"], ["raise", "TypeError",
                         "enumerate() takes at most 2 arguments (4 given)"])
        self.assertEqual(r["enum(kw bad)"], ["raise", "TypeError",
                         "'stop' is an invalid keyword argument for enumerate()"])
        self.assertEqual(r["enum(1)"], ["raise", "TypeError",
                         "'int' object is not iterable"])
        self.assertEqual(r["rev(int)"], ["raise", "TypeError",
                         "'int' object is not reversible"])
        self.assertEqual(r["rev(notrev)"], ["raise", "TypeError",
                         "'_NotReversible' object is not reversible"])
        self.assertEqual(r["rev(kw)"], ["raise", "TypeError",
                         "reversed() takes no keyword arguments"])
        self.assertEqual(r["rev()"], ["raise", "TypeError",
                         "reversed expected 1 argument, got 0"])
        self.assertEqual(r["enum.__new__ bad kw"], ["raise", "TypeError",
                         "enumerate() got an unexpected keyword argument 'stat'. "
                         "Did you mean 'start'?"])

    def test_values(self):
        r = self.results()
        self.assertEqual(r["enum(huger)"][2], repr(
            [(2 ** 70, "a"), (2 ** 70 + 1, "b"), (2 ** 70 + 2, "c")]))
        self.assertEqual(r["enum(huge)"][2], repr(
            [(sys.maxsize - 1, "a"), (sys.maxsize, "b"), (sys.maxsize + 1, "c")]))
        self.assertEqual(r["enum result reuse"][2], "[False]")
        self.assertEqual(r["rev(seq fail stop)"][2], "[30]")
        self.assertEqual(r["rev(seq fail key)"], ["raise", "KeyError", "'fail at 2'"])
        self.assertEqual(r["rev lh shrunk"][2], "0")
        self.assertEqual(r["rev setstate high"][2], "[3, 2, 1]")
        self.assertEqual(r["rev setstate"][2], "[2, 1]")
        self.assertEqual(r["rev type"][2], "'reversed'")
        self.assertEqual(r["rev setstate exhausted"][2], "[]")

    def test_docs(self):
        self.assertEqual(enumerate.__text_signature__, "(iterable, start=0)")
        self.assertEqual(reversed.__text_signature__, "(sequence, /)")
        self.assertTrue(enumerate.__doc__.startswith("Return an enumerate object."))
        self.assertEqual(reversed.__reduce__.__doc__,
                         "Return state information for pickling.")
        # gh-150319 (C 3.13.15) replaced "See PEP 585".
        self.assertEqual(enumerate.__class_getitem__.__doc__,
                         "'enumerate' objects are generic over the type of "
                         "their values")

    def test_result_tuple_recycled_and_tracked(self):
        import gc
        e = enumerate([[]])
        t = next(iter([next(e)]))
        # bpo-42536: a recycled result tuple must be tracked by the GC.
        self.assertTrue(gc.is_tracked(t))


class MemoryviewBehaviour(unittest.TestCase):
    """C's behaviour where the Rust twin takes fast paths."""

    def results(self):
        return dict(probe_memoryobject())

    def test_struct_comparisons(self):
        try:
            import _testbuffer  # noqa: F401
        except ImportError:
            self.skipTest("needs _testbuffer")
        r = self.results()
        ok = ["ok", "bool", "True"]
        no = ["ok", "bool", "False"]
        self.assertEqual(r["'<i' == '>i'"], ok)
        self.assertEqual(r["'<i' == 'l'"], ok)
        self.assertEqual(r["'<i' == '<q' reversed"], ok)
        self.assertEqual(r["'>d' == '<H'"], ok)
        self.assertEqual(r["'=e' == 'f'"], ok)
        self.assertEqual(r["'1s' == '3s'"], no)
        self.assertEqual(r["'<c' == '<?'"], no)  # bytes vs bool
        self.assertEqual(r["'<ix' == '<xi'"], ok)
        self.assertEqual(r["'<d' == '<d'"], no)  # NaN
        self.assertEqual(r["'<ii' == 'bi'"], no)
        self.assertEqual(r["'<B' == '<B'"], ok)

    def test_replaced_struct_is_called(self):
        # C calls struct.Struct(fmt).unpack_from for every item of both
        # sides when struct.Struct is not the built-in type.
        r = self.results()
        self.assertEqual(r["replaced Struct =="], ["ok", "bool", "True"])
        self.assertEqual(r["replaced Struct calls"], ["ok", 6, ["i", "l"]])

    def test_hex_tobytes_hash_tolist(self):
        r = self.results()
        data = bytes((i * 37 + 11) % 256 for i in range(2 * 33 + 1))
        views = [data[:33], data[::2], data[1::2], data[::-2], data[::3],
                 data[-2::-2]]
        self.assertEqual(r["hex 33"],
                         ["ok", "list", repr([v.hex() for v in views])])
        self.assertEqual(r["tobytes 33"], ["ok", "list", repr(views)])
        self.assertEqual(r["hash 33"], ["ok", "list", repr([True] * 6)])
        self.assertEqual(r["tolist b 33"],
                         ["ok", "list", repr([b - 256 if b > 127 else b
                                              for b in data[:32]])])
        self.assertEqual(r["tolist ? 33"],
                         ["ok", "list", repr([b != 0 for b in data[:32]])])


    def test_bool_items_compare_as_they_unpack(self):
        # gh-148390 (C 3.13.15): a '?' byte is False when zero, True
        # otherwise, in == as in tolist().
        r = self.results()
        for n in (3, 15, 16, 17, 100):
            self.assertEqual(r[f"'?' eq {n}"],
                             ["ok", "list", repr([True] * 4)])
            self.assertEqual(r[f"'?' ne {n}"][2].count("True"), 0)

    def test_equality_with_bytes(self):
        r = self.results()
        self.assertEqual(r["== bytes 1-D"][2], repr(
            [(True, False, True)] + [(False, True, False)] * 6))
        self.assertEqual(r["== bytes strided"][2], repr(
            [(False, True, False)] * 2 + [(True, False, True)]
            + [(False, True, False)] * 4))
        self.assertEqual(r["== bytes reversed"][2], repr(
            [(False, True, False)] * 6 + [(True, False, True)]))
        self.assertEqual(r["== bytes '@B'"], r["== bytes 1-D"])
        self.assertEqual(r["== bytes bytearray"], r["== bytes 1-D"])
        # 'b' and 'c' items unpack to other objects than 'B' ones: 'b'
        # items are the same ints below 128, 'c' items are bytes
        self.assertEqual(r["== bytes 'b'"], r["== bytes 1-D"])
        self.assertEqual(r["== bytes 'c'"][2],
                         repr([(False, True, False)] * 7))
        for label in ("2-D", "0-D"):
            self.assertEqual(r[f"== bytes {label}"][2],
                             repr([(False, True, False)] * 7))
        self.assertEqual(r["== bytes empty"][2], repr(
            [(False, True, False)] * 3 + [(True, False, True)]
            + [(False, True, False)] * 3))

    def test_copied_views_have_the_flags_of_their_source(self):
        # memoryview(m) and m.toreadonly() copy m's contiguity flags (the
        # Rust twin does not compute them again); a view exported through
        # __buffer__ computes them from the buffer.
        import inspect
        try:
            from _testbuffer import ndarray, ND_FORTRAN, ND_PIL
        except ImportError:
            self.skipTest("needs _testbuffer")
        base = memoryview(bytearray(range(48)))
        views = [base, base[::2], base[::-1], base[3:3], base[5:6],
                 base.cast('B', (6, 8)), base.cast('i', (3, 4)),
                 base.cast('i'), base[::3].toreadonly(),
                 memoryview(ndarray(7, shape=[], format='i')),
                 base.cast('B', (6, 8))[2:2],
                 memoryview(ndarray(list(range(6)), shape=[1, 6],
                                    format='B', flags=ND_FORTRAN))]
        for shape in ([24], [4, 6], [2, 3, 4], [1, 24], [24, 1]):
            for flags in (0, ND_FORTRAN, ND_PIL):
                views.append(memoryview(ndarray(
                    list(range(24)), shape=shape, format='B', flags=flags)))
        for m in views:
            fresh = memoryview(m.__buffer__(inspect.BufferFlags.FULL_RO))
            want = (fresh.c_contiguous, fresh.f_contiguous, fresh.contiguous)
            for copy in (memoryview(m), m.toreadonly()):
                with self.subTest(shape=m.shape, strides=m.strides,
                                  suboffsets=m.suboffsets):
                    self.assertEqual((copy.c_contiguous, copy.f_contiguous,
                                      copy.contiguous), want)
                    self.assertEqual(copy.tobytes(), m.tobytes())

    def test_index_message(self):
        r = self.results()
        self.assertEqual(r["index 2-D with a longer tuple"], [
            "raise", "TypeError",
            "cannot index 2-dimension view with 3-element tuple"])
        self.assertEqual(r["index 1-D with a longer tuple"][:2],
                         ["raise", "TypeError"])

    def test_cast_format_is_read_up_to_a_nul(self):
        r = self.results()
        self.assertEqual(r["cast 'i\\x00x'"], ["ok", "str", "'i'"])
        self.assertEqual(r["cast '@i\\x00'"], ["ok", "str", "'@i'"])
        self.assertEqual(r["cast 'i\\x00' from 'i'"][:2],
                         ["raise", "TypeError"])
        self.assertEqual(r["cast '@\\x00'"][:2], ["raise", "ValueError"])


class SharedViews(unittest.TestCase):
    """Views of one managed buffer made, used and released by many threads
    at once (free-threaded: C 3.13's counts lose updates, gh-127716 and
    gh-155606; with the GIL this runs one thread at a time).  Afterwards
    every export is accounted for: the exporter can resize."""

    def test_concurrent_slices_and_releases(self):
        import threading
        data = bytearray(range(256)) * 4
        root = memoryview(data)
        shared = [root[i:] for i in range(8)]
        errors = []

        def work(seed):
            try:
                for i in range(2000):
                    v = shared[(seed + i) % len(shared)]
                    try:
                        s = v[1:9]
                        s.cast("B")[0]
                        with memoryview(s) as n:
                            n[0]
                        s.release()
                        if i % 50 == 0:
                            # Several threads may release the same view.
                            v.release()
                    except ValueError as exc:
                        # A view another thread released: the one error
                        # allowed here.
                        if "released memoryview" not in str(exc):
                            raise
            except BaseException as exc:
                errors.append(exc)

        threads = [threading.Thread(target=work, args=(k,))
                   for k in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(errors, [])
        for v in shared:
            v.release()
        root.release()
        # The managed buffer released the bytearray's export exactly once.
        data.append(1)
        self.assertEqual(len(data), 1025)


class DifftestRegressions(unittest.TestCase):
    """Divergences Tools/rust difftest found between C and a Rust object,
    shrunk; C's behaviour is the expectation."""

    def test_memoryview_tolist_of_no_item_ignores_the_format(self):
        # C's tolist() refuses an unsupported format only when it unpacks
        # an item: a view with no item gives [] whatever its format.
        # (difftest memoryobject, seed 20250613 case 1084 and seed 13 case
        # 1982)
        import warnings
        from array import array
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            empty = array("u")
            two = array("u", "ab")
        self.assertEqual(memoryview(empty).format, "w")
        self.assertEqual(memoryview(empty).tolist(), [])
        self.assertEqual(memoryview(two)[2:].tolist(), [])
        self.assertEqual(memoryview(two)[::-1][5:].tolist(), [])
        with self.assertRaisesRegex(NotImplementedError,
                                    "^memoryview: format w not supported$"):
            memoryview(two).tolist()
        try:
            from _testbuffer import ndarray
        except ImportError:
            return
        # (Format 's' rather than the 'x' difftest used: _testbuffer asserts
        # on an 'x' ndarray in debug builds.)
        m = memoryview(ndarray([b"a", b"b", b"c", b"d"], shape=[2, 2],
                               format="s"))
        self.assertEqual(m[0:0].shape, (0, 2))
        self.assertEqual(m[0:0].tolist(), [])
        self.assertEqual(m[None:0].tolist(), [])
        with self.assertRaisesRegex(NotImplementedError,
                                    "^memoryview: format s not supported$"):
            m.tolist()


class BuildTests(unittest.TestCase):

    def registry(self):
        srcdir = sysconfig.get_config_var("srcdir")
        path = os.path.join(srcdir or "", "Tools", "rust", "objects.json")
        if not srcdir or not os.path.exists(path):
            self.skipTest("not running from a build tree with Tools/rust")
        with open(path, encoding="utf-8") as f:
            return json.load(f)["objects"]

    def test_reported_objects_are_in_the_registry(self):
        objects = self.registry()
        built = (sysconfig.get_config_var("PY_RUST_OBJECTS") or "").split()
        for name in built:
            self.assertIn(name, objects)
        self.assertEqual(len(built), len(set(built)))

    def test_reported_objects_match_expectation(self):
        # Tools/rust test tells each build which objects it must be running.
        expected = os.environ.get("PY_RUST_EXPECTED_OBJECTS")
        if expected is None:
            self.skipTest("PY_RUST_EXPECTED_OBJECTS is not set")
        built = (sysconfig.get_config_var("PY_RUST_OBJECTS") or "").split()
        self.assertEqual(sorted(built), sorted(expected.split()))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--probe"]:
        _probe_main(sys.argv[2])
    else:
        unittest.main()
