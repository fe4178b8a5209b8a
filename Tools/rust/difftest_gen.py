"""Program generators of `Tools/rust difftest`, one per Rust object.

A generator is a class with

    name            the registry name of the object it exercises
    program(rng)    a program: a list of steps, each one line of Python
                    (see difftest_worker.py for what a step may be), built
                    from the random.Random `rng` alone

Steps may use the helpers of difftest_worker.py (Seq, It, Index, take,
roundtrip, nd, ...).  A program should end with steps that show the state
of the objects it made (their __reduce__, what is left to iterate, their
contents), and must stay bounded: never iterate without a limit (take()).

To add a generator: write the class and add it to GENERATORS.
"""

import random
import struct

# --- Shared pieces -----------------------------------------------------------

HUGE_INTS = ("sys.maxsize", "sys.maxsize - 1", "sys.maxsize + 1",
             "-sys.maxsize - 1", "-sys.maxsize - 2", "2**64", "-2**64",
             "2**63 - 1", "2**31", "-2**31 - 1", "10**30")
EXCEPTIONS = ("IndexError", "StopIteration", "ValueError", "Boom",
              "TypeError", "OverflowError", "KeyError", "MemoryError")


def pick(rng, *choices):
    return rng.choice(choices)


def small_int(rng):
    return str(rng.choice((0, 1, 2, 3, -1, -2, 5, 7)))


def any_int(rng):
    if rng.random() < 0.7:
        return small_int(rng)
    return rng.choice(HUGE_INTS)


def int_like(rng):
    """An int, or something that may pass for one (or not)."""
    r = rng.random()
    if r < 0.6:
        return any_int(rng)
    return pick(rng, "True", "False", f"Index({any_int(rng)})",
                "Index(ValueError)", "Index(True)", "Index(1.5)", "1.5",
                "'1'", "None", "b'1'", "2**1000")


# --- enumerate and reversed (Objects/enumobject) ------------------------------

class EnumGenerator:
    """enumerate/reversed over sequences, iterators and objects with odd
    __len__/__getitem__/__reversed__, pickling round trips,
    __length_hint__, __setstate__, odd starts, keyword forms, subclasses."""

    name = "enumobject"

    def literal(self, rng):
        n = rng.randint(0, 5)
        items = [pick(rng, "1", "'a'", "None", "2.5", "(1, 2)", "b'x'",
                      str(rng.randint(-3, 99))) for _ in range(n)]
        kind = rng.randrange(3)
        if kind == 0:
            return "[" + ", ".join(items) + "]"
        if kind == 1:
            return "(" + ", ".join(items) + ("," if n == 1 else "") + ")"
        return repr("".join(rng.choice("abcxyz") for _ in range(n)))

    def length(self, rng, n):
        r = rng.random()
        if r < 0.5:
            return str(n)
        return pick(rng, "-1", "0", "sys.maxsize", "sys.maxsize + 1",
                    "2**64", "-2**64", "'3'", "3.0", "True", "False",
                    f"Index({n})", "Index(-1)", "Index(ValueError)",
                    "ValueError", "OverflowError", "None", str(n + 2))

    def source(self, rng):
        """An expression for something to enumerate or reverse."""
        n = rng.randint(0, 6)
        kind = rng.randrange(24)
        if kind >= 22:
            kind = 8
        if kind < 5:
            return self.literal(rng)
        if kind == 5:
            a, b = rng.choice(((0, 5), (-3, 3), (2**64, 2**64 + 4),
                               (5, 0), (0, 10**20)))
            step = pick(rng, "1", "2", "-1", "3", "-2")
            return f"range({a}, {b}, {step})"
        if kind == 6:
            return f"iter({self.literal(rng)})"
        if kind == 7:
            fail = pick(rng, "None", str(rng.randint(0, 4)))
            return f"It({n}, {fail}, {rng.choice(EXCEPTIONS)})"
        if kind in (8, 9, 10):
            fail = pick(rng, "None", "None", str(rng.randint(0, 4)),
                        "sys.maxsize - 1")
            return (f"Seq({n}, {self.length(rng, n)}, {fail}, "
                    f"{rng.choice(EXCEPTIONS)})")
        if kind == 11:
            return "NoLen()"
        if kind == 12:
            return "Rev(" + pick(rng, "iter('ab')", "5", "None",
                                 "ValueError", "[1, 2]", "'xy'",
                                 "reversed([1, 2])", "It(3)",
                                 "StopIteration") + ")"
        if kind == 13:
            return "NotRev()"
        if kind == 14:
            return "BadIter()"
        if kind == 15:
            return pick(rng, "{1: 2, 3: 4}", "{1: 2, 3: 4}.keys()",
                        "{1: 2, 3: 4}.items()", "{1: 2}.values()", "{}",
                        "set()", "{1, 2}", "frozenset('ab')")
        if kind == 16:
            return pick(rng, "(x for x in range(3))", "iter(int, 1)",
                        "iter(It(3).__next__, 2)", "map(str, range(4))",
                        "zip('ab', 'cd')", "enumerate('abc')",
                        "reversed('abc')", "enumerate(range(3), 5)")
        if kind == 17:
            return pick(rng, "5", "None", "1.5", "object()", "type",
                        "Seq", "sys.maxsize")
        if kind == 18:
            return pick(rng, "bytearray(b'ab')", "b'abc'",
                        "memoryview(b'abcd')", "memoryview(b'')",
                        "array_('i', [1, 2, 3])")
        if kind == 19:
            return pick(rng, "collections_.deque([1, 2, 3])",
                        "collections_.OrderedDict(a=1, b=2)",
                        "collections_.UserList([4, 5])")
        if kind == 20:
            return f"Seq({n}, {n}, None, IndexError, {pick(rng, 'None', '[1]', 'Seq(1)')})"
        return f"list(range({n}))"

    def start(self, rng):
        return any_int(rng) if rng.random() < 0.6 else int_like(rng)

    def construct(self, rng, s):
        st = self.start(rng)
        if rng.random() < 0.7:
            return rng.choice((
                f"enumerate({s})", f"enumerate({s}, {st})",
                f"enumerate({s}, start={st})", f"E({s}, {st})",
                f"reversed({s})", f"reversed({s})", f"R({s})",
                f"enumerate(iterable={s}, start={st})"))
        forms = (
            f"enumerate({s})", f"enumerate({s}, {st})",
            f"enumerate({s}, start={st})",
            f"enumerate(iterable={s}, start={st})",
            f"enumerate(start={st}, iterable={s})",
            f"enumerate(iterable={s})", "enumerate()",
            f"enumerate({s}, {st}, 1)", f"enumerate({s}, stop=1)",
            f"enumerate({s}, {st}, start={st})",
            f"enumerate({s}, iterable={s})",
            f"enumerate(start={st})", f"enumerate(iterables={s})",
            f"enumerate(*[{s}], **{{'start': {st}}})",
            f"enumerate(**{{'iterable': {s}, 'start': {st}}})",
            f"E({s}, {st})", f"E2({s}, start={st})", f"E(iterable={s})",
            f"enumerate.__new__(E, {s})", f"enumerate.__new__(enumerate)",
            f"enumerate.__new__(R, {s})",
            f"reversed({s})", f"reversed({s})", f"reversed({s})",
            f"reversed({s}, 1)", "reversed()", f"reversed(seq={s})",
            f"reversed(sequence={s})", f"R({s})", f"R2({s})",
            f"reversed.__new__(reversed, {s})", f"reversed.__new__(R, {s})",
            f"reversed.__new__(E, {s})", f"reversed(*[{s}])",
            f"enumerate(reversed({s}), {st})",
            f"reversed(enumerate({s}))",
        )
        return rng.choice(forms)

    def operation(self, rng, v, s):
        k = rng.randint(0, 5)
        proto = rng.randint(0, 5)
        x = int_like(rng)
        ops = (
            f"next({v})", f"next({v})", f"next({v})", f"next({v}, 'dflt')",
            f"take({v}, {k})", f"{v}.__next__()",
            f"{v}.__length_hint__()", f"operator.length_hint({v}, 7)",
            f"{v}.__reduce__()", f"{v}.__reduce_ex__({proto})",
            f"{v}.__setstate__({x})", f"{v}.__setstate__({x})",
            f"{v}.__setstate__()", f"{v}.__setstate__(1, 2)",
            f"take(roundtrip({v}, {proto}), {k})",
            f"take(copy.copy({v}), {k})", f"take(copy.deepcopy({v}), 3)",
            f"iter({v}) is {v}", f"repr({v})", f"type({v}).__name__",
            f"{v}.__sizeof__()", f"gc.is_tracked({v})",
            f"refs({s})", f"isinstance({v}, (enumerate, reversed))",
            "enumerate[int]", "reversed[int]", f"type({v})[int]",
            f"{s}.append(9)", f"{s}.clear()", f"del {s}[0]", f"{s}.pop()",
            f"{s}.n = {k}", f"{s}.fail_at = {k}", f"{s}.length = {x}",
            f"vars({v})", f"{v}.extra", f"{v}.x = 1",
            f"list(zip({v}, range({k})))", f"dict(take({v}, 3))",
            f"__import__('weakref').ref({v})",
            f"reversed.__setstate__({v}, {x})",
            f"enumerate.__reduce__({v})", f"reversed.__reduce__({v})",
            f"reversed.__length_hint__({v})",
            f"enumerate.__next__({v})", f"reversed.__next__({v})",
            f"type({v}).__new__(type({v}), {s})",
            f"{v}.__init__({s})", f"{v}.__class__ = E",
            f"hash({v}) == hash({v})", f"{v} == {v}", f"{v} < {v}",
            f"del {v}", f"{v} = None",
            f"sorted(dir({v}))",
            f"[{v}.__length_hint__() for _ in take({v}, 2)]",
            f"recycled({v})", f"recycled({v})", f"gc.is_tracked(next({v}))",
            f"[(i, x) for i, x in take({v}, 3)]",
        )
        return rng.choice(ops)

    def program(self, rng):
        steps = []
        count = rng.randint(1, 3)
        for i in range(count):
            steps.append(f"s{i} = {self.source(rng)}")
            steps.append(f"v{i} = {self.construct(rng, f's{i}')}")
        for _ in range(rng.randint(1, 10)):
            i = rng.randrange(count)
            steps.append(self.operation(rng, f"v{i}", f"s{i}"))
        for i in range(count):
            steps.append(f"v{i}.__reduce__()")
            steps.append(f"v{i}.__length_hint__()")
            steps.append(f"take(v{i})")
        return steps


# --- memoryview (Objects/memoryobject) ----------------------------------------

# struct format -> (item size class, kind)
FORMATS = ("c", "b", "B", "h", "H", "i", "I", "l", "L", "q", "Q", "n", "N",
           "f", "d", "e", "?", "P")
INT_BITS = {"b": (8, True), "B": (8, False), "h": (16, True),
            "H": (16, False), "i": (32, True), "I": (32, False),
            "l": (64, True), "L": (64, False), "q": (64, True),
            "Q": (64, False), "n": (64, True), "N": (64, False),
            "P": (64, False)}
PREFIXES = ("", "", "", "", "", "@", "@", "<", ">", "=", "!")
FLAGS = ("0", "ND('ND_WRITABLE')", "ND('ND_FORTRAN')",
         "ND('ND_WRITABLE') | ND('ND_FORTRAN')", "ND('ND_PIL')",
         "ND('ND_WRITABLE') | ND('ND_PIL')", "ND('ND_WRITABLE')",
         "ND('ND_GETBUF_FAIL')",
         "ND('ND_GETBUF_FAIL') | ND('ND_GETBUF_UNDEFINED')")


class MemoryviewGenerator:
    """memoryview over bytes, bytearray and _testbuffer.ndarray exporters of
    every native format (and '@'/'<'/'>'/'='/'!' forms), 0-4 dimensions;
    casts, slicing, indexing, assignment, tolist, tobytes(order), hex,
    ==, hash, release in the middle, nested views, context managers."""

    name = "memoryobject"

    def fmt(self, rng):
        base = rng.choice(FORMATS)
        prefix = rng.choice(PREFIXES)
        if base in "nNP" and prefix not in ("", "@"):
            prefix = ""   # native-only formats
        return prefix + base

    def item(self, rng, fmt):
        base = fmt[-1]
        if base == "c":
            return repr(bytes([rng.randrange(256)]))
        if base == "?":
            return pick(rng, "True", "False")
        if base in "fde":
            return pick(rng, "0.0", "-0.0", "1.5", "-2.25", "1e300",
                        "float('inf')", "float('nan')", "3.0", "65504.0",
                        "1e-8")
        bits, signed = INT_BITS[base]
        if base in "lLnNP" and fmt[0] in "<>=!":
            bits = 32 if base in "lL" else bits
        lo, hi = (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if signed \
            else (0, (1 << bits) - 1)
        return str(rng.choice((lo, hi, 0, 1, rng.randint(lo, hi),
                               rng.randint(0, 100))))

    def shape(self, rng):
        ndim = rng.choice((0, 1, 1, 1, 2, 2, 3, 4))
        return [rng.choice((0, 1, 2, 2, 3, 3, 4)) if ndim < 3
                else rng.choice((1, 2, 2, 3)) for _ in range(ndim)]

    def exporter(self, rng):
        """(expression, format, shape or None, size in bytes)"""
        kind = rng.randrange(10)
        if kind < 2:
            n = rng.randint(0, 24)
            expr, size = rng.choice(((f"bytes(range({n}))", n),
                                     (f"bytearray(range({n}))", n),
                                     (f"bytearray({n})", n),
                                     (f"b'ab' * {n}", 2 * n)))
            return expr, "B", [size], size
        if kind == 2:
            expr, size = rng.choice((("array_('i', [1, -2, 3, 4])", 16),
                                     ("array_('d', [1.5, -0.0, 2.0])", 24),
                                     ("array_('b')", 0),
                                     ("array_('u', 'ab')", 8),
                                     ("array_('Q', [2**64 - 1])", 8)))
            return expr, None, None, size
        if kind == 3:
            return self.struct_exporter(rng)
        fmt = self.fmt(rng)
        shape = self.shape(rng)
        count = 1
        for d in shape:
            count *= d
        items = ", ".join(self.item(rng, fmt) for _ in range(count))
        flags = rng.choice(FLAGS)
        size = count * struct.calcsize(fmt)
        if not shape:
            return (f"nd({self.item(rng, fmt)}, [], {fmt!r}, {flags})", fmt,
                    [], size)
        return (f"nd([{items}], {shape}, {fmt!r}, {flags})", fmt, shape,
                size)

    STRUCT_FORMATS = {
        # format: item expression
        "hh": lambda r: f"({r.randint(-300, 300)}, {r.randint(-9, 9)})",
        "<ii": lambda r: f"({r.randint(-9, 9)}, {r.randint(0, 2**31 - 1)})",
        "3s": lambda r: repr(bytes(r.choice(b"abc\0") for _ in range(3))),
        "?b": lambda r: f"({r.choice(('True', 'False'))}, {r.randint(-128, 127)})",
        "2B": lambda r: f"({r.randint(0, 255)}, {r.randint(0, 255)})",
        "x": lambda r: "()",
        "d": lambda r: r.choice(("1.5", "float('nan')", "-0.0")),
        ">Q": lambda r: str(r.choice((0, 2**64 - 1, 12345))),
        "=e": lambda r: r.choice(("1.5", "65504.0", "-0.0")),
    }

    def struct_exporter(self, rng):
        """An ndarray whose items are structs: tolist() refuses them, but
        ==, tobytes, cast and hex go through the struct module."""
        fmt = rng.choice(sorted(self.STRUCT_FORMATS))
        make = self.STRUCT_FORMATS[fmt]
        shape = rng.choice(([2], [3], [2, 2], [1], [0], [3, 1]))
        count = 1
        for d in shape:
            count *= d
        items = ", ".join(make(rng) for _ in range(count))
        flags = rng.choice(FLAGS[:4])
        size = count * struct.calcsize(fmt)
        return (f"nd([{items}], {shape}, {fmt!r}, {flags})", fmt, shape,
                size)

    def shape_of_size(self, rng, size):
        """A shape of 1-3 dimensions whose product is `size` (mostly)."""
        if rng.random() < 0.15:
            return self.shape(rng)
        dims = []
        left = size
        for _ in range(rng.randint(0, 2)):
            divisors = [d for d in range(1, left + 1) if left % d == 0] or [1]
            d = rng.choice(divisors)
            dims.append(d)
            left //= d if d else 1
        dims.append(left)
        rng.shuffle(dims)
        return dims

    def index(self, rng, ndim):
        if ndim <= 1 or rng.random() < 0.3:
            return pick(rng, small_int(rng), any_int(rng), "Index(1)",
                        "Index(ValueError)", "...", "()", "'x'", "1.0",
                        "True", "-1")
        return ", ".join(small_int(rng) for _ in range(
            rng.choice((ndim, ndim, ndim - 1, ndim + 1))))

    def slice(self, rng):
        parts = [pick(rng, "", small_int(rng), any_int(rng), "Index(1)",
                      "None") for _ in range(3)]
        if parts[2] == "0" and rng.random() < 0.8:
            parts[2] = "1"
        return ":".join(parts) if rng.random() < 0.7 else ":".join(parts[:2])

    def value_for(self, rng, fmt):
        if fmt and fmt[-1] in FORMATS:
            return self.item(rng, fmt)
        return pick(rng, "1", "255", "256", "-1", "b'a'", "1.5", "None")

    def operation(self, rng, m, b, fmt, ndim):
        # (a NUL ends the format for C, which reads it as a C string)
        cast_fmt = self.fmt(rng) if rng.random() < 0.5 else rng.choice(
            ("B", "b", "c", "i", "d", "?", "i\0x", "@B\0", "\0"))
        sh = self.shape(rng) if rng.random() < 0.3 else \
            self.shape_of_size(rng, rng.choice((1, 2, 4, 6, 8, 12, 16, 24)))
        order = pick(rng, "'C'", "'F'", "'A'", "None", "'X'", "order='F'")
        ops = (
            f"{m}.tolist()", f"{m}.tolist()", f"{m}.tobytes()",
            f"{m}.tobytes({order})", f"{m}.tobytes({order})",
            f"{m}.hex()", f"{m}.hex(':')", f"{m}.hex('-', {small_int(rng)})",
            f"{m}.hex(b'.', {any_int(rng)})", f"{m}.hex('', 1)",
            f"{m}.hex('ab')", f"{m}.hex(sep='_', bytes_per_sep=-2)",
            f"len({m})", f"{m}.shape", f"{m}.strides", f"{m}.suboffsets",
            f"{m}.format", f"{m}.itemsize", f"{m}.nbytes", f"{m}.ndim",
            f"{m}.readonly", f"{m}.c_contiguous", f"{m}.f_contiguous",
            f"{m}.contiguous", f"{m}.obj is {b}",
            f"{m} == {m}", f"{m} == {b}", f"{m} == bytes({b})",
            f"{m} == memoryview({self.struct_exporter(rng)[0]})",
            f"{m} == memoryview({self.exporter(rng)[0]})",
            f"{m}[::-1] == {m}[::-1]", f"{m}[::2] != {m}[1::2]",
            f"{m} == memoryview({b})", f"{m} != {m}.tolist()",
            f"{m} == {m}.cast('B')", f"{m} == {m}[::-1]", f"{m} < {m}",
            f"hash({m})", f"hash({m}.toreadonly())",
            f"{m}.cast({cast_fmt!r})", f"{m}.cast({cast_fmt!r}, {sh})",
            f"{m}.cast('B').cast({cast_fmt!r})", f"{m}.cast({cast_fmt!r}, shape={sh})",
            f"{m}.cast('B', {sh})", f"{m}.cast(1)", f"{m}.cast('B', 5)",
            f"{m}[{self.slice(rng)}]", f"{m}[{self.slice(rng)}].tolist()",
            f"{m}[{self.slice(rng)}, {self.slice(rng)}]",
            f"{m}[{self.index(rng, ndim)}]", f"{m}[{self.index(rng, ndim)}]",
            f"{m}[{self.index(rng, ndim)}] = {self.value_for(rng, fmt)}",
            f"{m}[{self.index(rng, ndim)}] = {self.value_for(rng, fmt)}",
            f"{m}[{self.slice(rng)}] = {m}[{self.slice(rng)}]",
            f"{m}[{self.slice(rng)}] = b'{'x' * rng.randint(0, 4)}'",
            f"{m}[:] = {m}.tobytes()",
            f"{m}.release()", f"{m}.release()",
            f"with {m} as mm: r = mm.tolist()", "r",
            f"with memoryview({b}) as mm: r = mm[{self.slice(rng)}]",
            f"{m}.toreadonly()", f"{m}.toreadonly().tolist()",
            f"bytes({m})", f"bytearray({m})", f"list({m})",
            f"take(iter({m}), 5)", f"take(reversed({m}), 5)",
            f"take(enumerate({m}, {any_int(rng)}), 4)",
            f"{m}.__buffer__(0)", f"{m}.__buffer__({any_int(rng)})",
            f"roundtrip({m})", f"copy.copy({m})",
            f"repr({m})", f"str({m})", f"{m}.__sizeof__()",
            f"gc.is_tracked({m})", f"refs({b})",
            f"memoryview({m})", f"memoryview(object={m})",
            f"memoryview({m}, 1)", "memoryview(5)", "memoryview()",
            f"memoryview._from_flags({b}, {small_int(rng)})",
            f"{b}.append(1)", f"{b}.clear()", f"del {b}",
            f"{m}.obj", f"type({m}.obj).__name__",
            f"{m}.__enter__() is {m}", f"{m}.__exit__(None, None, None)",
            f"__import__('struct').unpack_from('B', {m})",
            f"__import__('array').array('B', {m}.cast('B'))",
            f"__import__('weakref').ref({m})() is {m}",
            f"bytes({m}[::2])", f"{m}[::2].tobytes()",
            f"{m}.cast('B')[::-1].tolist()",
            f"sorted(set([{m}.toreadonly()]))",
        )
        return rng.choice(ops)

    def program(self, rng):
        steps = []
        expr, fmt, shape, size = self.exporter(rng)
        steps.append(f"b0 = {expr}")
        ndim = len(shape) if shape is not None else 1
        make = rng.randrange(6)
        if make == 0 and ndim > 0:
            steps.append(f"m0 = memoryview(b0)[{self.slice(rng)}]")
        elif make == 1:
            cast = rng.choice(("B", "c", "b", "h", "i", "d", "q", "?", "e"))
            steps.append(f"m0 = memoryview(b0).cast('B').cast({cast!r})")
            fmt, ndim = cast, 1
        elif make == 2:
            cast_shape = self.shape_of_size(rng, size)
            steps.append(f"m0 = memoryview(b0).cast('B').cast('B', "
                         f"{cast_shape})")
            fmt, ndim = "B", len(cast_shape)
        else:
            steps.append("m0 = memoryview(b0)")
        views = ["m0"]
        for _ in range(rng.randint(2, 10)):
            r = rng.random()
            if r < 0.1 and len(views) < 3:
                name = f"m{len(views)}"
                src = rng.choice(views)
                steps.append(pick(
                    rng, f"{name} = memoryview({src})",
                    f"{name} = {src}[{self.slice(rng)}]",
                    f"{name} = {src}.toreadonly()",
                    f"{name} = {src}.cast('B')",
                    f"{name} = {src}.cast('c')"))
                views.append(name)
                continue
            steps.append(self.operation(rng, rng.choice(views), "b0", fmt,
                                        ndim))
        for name in views:
            steps.append(f"{name}")
            steps.append(f"{name}.tolist()")
        steps.append("b0")
        return steps


# --- bytearray (Objects/bytearrayobject) -------------------------------------

BYTE_ALPHABET = b"ab \t\nAB1.-\x00\xff"
# Sizes that fail at once: no 2**31 (a 2 GiB bytearray is made, slowly).
BA_HUGE = tuple(x for x in HUGE_INTS if x != "2**31")


def ba_int(rng):
    if rng.random() < 0.7:
        return small_int(rng)
    return rng.choice(BA_HUGE)


def ba_int_like(rng):
    if rng.random() < 0.6:
        return ba_int(rng)
    return pick(rng, "True", "False", f"Index({ba_int(rng)})",
                "Index(ValueError)", "Index(True)", "Index(1.5)", "1.5",
                "'1'", "None", "b'1'", "2**1000")

ACTIONS = ("clear", "grow", "append", "shrink", "export", "none")
# The programs whose C result is one of the safety rows' (C 3.13.15 reads
# the old size before the export call: Lib/test/test_rust_safety.py).
EXTEND_BUFFER = "  # intended: bytearray-extend-buffer-clears"
# (C 3.13.15 leaves the rest of the list's length uninitialised when an
# exact int of a list is out of range.)
INIT_LIST = "  # intended: bytearray-init-list-fails-uninit"


class BytearrayGenerator:
    """bytearray: every public method with good and bad arguments (wrong
    types, negative and huge indices), indexing, slicing and slice
    assignment with steps (deletion, extended-slice size mismatches), item
    assignment, += and *=, comparisons, the constructor's forms, exports
    held while resizing, re-entrant __index__/__buffer__/__len__/iterator
    objects that mutate the target, pickling, __alloc__ and __sizeof__."""

    name = "bytearrayobject"

    def data(self, rng, n=None):
        if n is None:
            n = rng.choice((0, 1, 2, 3, 5, 8, 13, 20))
        return bytes(rng.choice(BYTE_ALPHABET) for _ in range(n))

    def valid(self, rng):
        """A bytearray expression that does not raise."""
        d = self.data(rng)
        n = rng.randint(0, 6)
        return pick(
            rng, f"bytearray({d!r})", f"bytearray({d!r})", f"BA({d!r})",
            f"bytearray({d!r})[{rng.randint(0, 3)}:]", "bytearray()",
            f"bytearray({rng.randint(0, 20)})", f"bytearray({list(d)!r})",
            f"bytearray({d.decode('latin-1')!r}, 'latin-1')",
            f"bytearray(range({n}))", f"bytearray(It({n}))",
            f"bytearray(memoryview({d!r}))", f"BA.fromhex({d.hex()!r})",
            f"bytearray.fromhex({d.hex(' ')!r})",
            f"bytearray(iter({list(d)!r}))")

    def construct(self, rng):
        """Any constructor form, good or bad."""
        d = self.data(rng)
        n = rng.randint(0, 6)
        return pick(
            rng, f"bytearray({d!r})", f"bytearray({d!r})",
            f"bytearray({d!r})", f"BA({d!r})", "bytearray()",
            f"bytearray({ba_int(rng)})", f"bytearray({ba_int_like(rng)})",
            f"bytearray({d.decode('latin-1')!r}, 'latin-1')",
            f"bytearray({d.decode('latin-1')!r}, 'ascii', 'ignore')",
            f"bytearray({d.decode('latin-1')!r}, encoding='utf-8')",
            f"bytearray({d.decode('latin-1')!r})",
            f"bytearray({d!r}, 'utf-8')", "bytearray(errors='strict')",
            f"bytearray({list(d)!r})", f"bytearray({tuple(d)!r})",
            f"bytearray([1, {ba_int_like(rng)}, 3])",
            f"bytearray(range({n}))", f"bytearray(It({n}))",
            f"bytearray(It({n}, {rng.randint(0, 3)}))",
            f"bytearray(Seq({n}))", f"bytearray(memoryview({d!r}))",
            f"bytearray(memoryview({d!r})[::2])",
            "bytearray(array_('i', [1, 2]))", "bytearray(1.5)",
            "bytearray(None)", "bytearray(object())",
            f"bytearray(source={d!r})", f"bytearray({d!r}, 'utf-8', 'x', 1)",
            f"bytearray.fromhex({d.hex()!r})",
            f"bytearray.fromhex({d.hex(' ')!r})", "bytearray.fromhex('0g')",
            f"BA.fromhex({d.hex()!r})", f"bytearray(iter({list(d)!r}))",
            f"bytearray(map(int, {list(d)!r}))",
            f"bytearray([Index({rng.randint(0, 300)})])",
            f"bytearray(MutIter(None, 'none', {list(d)!r}, 0, "
            f"{rng.randint(0, 3)}))")

    def needle(self, rng, target):
        """A sub/prefix/separator argument."""
        r = rng.random()
        if r < 0.5:
            return repr(self.data(rng, rng.choice((0, 1, 1, 1, 2, 3))))
        return pick(
            rng, "97", "98", "0", "255", "256", "-1", "Index(97)",
            "Index(ValueError)", "'a'", "None", "memoryview(b'a')",
            "bytearray(b'b')", "(b'a', b'b')", "(b'x', 97)", "()",
            "array_('B', [97])", "1.5", target,
            f"MutIndex({target}, {rng.choice(ACTIONS)!r}, 97)",
            f"MutBuffer({target}, {rng.choice(ACTIONS)!r}, b'a')",
            f"(MutBuffer({target}, {rng.choice(ACTIONS)!r}, b'a'),)")

    def index(self, rng, target):
        r = rng.random()
        if r < 0.7:
            return pick(rng, small_int(rng), ba_int(rng), "-1",
                        str(rng.randint(-25, 25)))
        return pick(rng, "Index(1)", "Index(-1)", "Index(ValueError)",
                    "True", "1.5", "'1'", "None", "2**100",
                    f"MutIndex({target}, {rng.choice(ACTIONS)!r}, "
                    f"{small_int(rng)})")

    def slice(self, rng, target):
        def part():
            return pick(rng, "", "", small_int(rng), ba_int(rng),
                        str(rng.randint(-25, 25)), "None", "Index(2)",
                        f"MutIndex({target}, {rng.choice(ACTIONS)!r}, "
                        f"{small_int(rng)})")
        start, stop = part(), part()
        step = pick(rng, "", "", "1", "2", "-1", "-2", "3", "0",
                    small_int(rng), ba_int(rng), "Index(-1)")
        return f"{start}:{stop}:{step}" if rng.random() < 0.7 \
            else f"{start}:{stop}"

    def value(self, rng, target):
        """A right-hand side of slice assignment, extend, += ..."""
        d = self.data(rng, rng.choice((0, 1, 2, 3, 4, 6, 10)))
        return pick(
            rng, repr(d), repr(d), f"bytearray({d!r})",
            f"memoryview({d!r})", f"{list(d)!r}", f"It({len(d)})",
            f"iter({list(d)!r})", f"range({len(d)})", "[256]", "[-1]",
            "[Index(7)]", "'ab'", "5", "None", "1.5", target,
            f"{target}[::-1]", f"array_('B', {list(d)!r})",
            "array_('h', [1, 2])", f"MutIter({target}, "
            f"{rng.choice(ACTIONS)!r}, {list(d)!r}, {rng.randint(0, 3)})",
            f"MutIter({target}, {rng.choice(ACTIONS)!r}, {list(d)!r}, "
            f"{rng.randint(0, 3)}, {rng.randint(0, 3)})",
            f"[MutIndex({target}, {rng.choice(ACTIONS)!r}, 65)]",
            f"MutBuffer({target}, {rng.choice(ACTIONS)!r}, {d!r})")

    def operation(self, rng, b, o):
        i = self.index(rng, b)
        j = self.index(rng, b)
        sub = self.needle(rng, b)
        val = self.value(rng, b)
        a = rng.choice(ACTIONS)
        d = self.data(rng)
        width = pick(rng, "0", "5", "12", "-1", "Index(9)", "2**63",
                     "'5'")
        fill = pick(rng, "b'*'", "bytearray(b'-')", "b''", "b'ab'", "'*'",
                    "42")
        proto = rng.randint(0, 5)
        errors = pick(rng, "'ignore'", "'replace'", "'strict'", "'nosuch'")
        flags = pick(rng, "0", "1", "256", "512", "-1", "Index(0)", "None")
        sep = pick(rng, "':'", "b'-'", "''", "'ab'", "'\\u20ac'", "1",
                   f"MutStr(':', {b}, {a!r})")
        bps = pick(rng, "1", "2", "-3", "0", "10**20", "Index(2)")
        table = pick(rng, "None", "bytes(range(256))",
                     "bytes(range(255, -1, -1))", "bytearray(range(256))",
                     "b'x' * 255", "bytes(256)", "'x' * 256",
                     f"MutBuffer({b}, {a!r}, bytes(range(256)))",
                     "bytearray.maketrans(b'ab', b'AB')")
        extend = f"{b}.extend({val})"
        if val.startswith("MutBuffer") and any(
                f"'{x}'" in val for x in ("clear", "grow", "append",
                                          "shrink")):
            extend += EXTEND_BUFFER
        init = f"{b}.__init__({val})"
        if val in ("[256]", "[-1]"):
            init += INIT_LIST
        ops = (
            # mutating methods
            f"{b}.append({ba_int_like(rng)})", f"{b}.append({i})",
            extend, extend, f"{b}.insert({i}, {ba_int_like(rng)})",
            f"{b}.insert({i})", f"{b}.pop()", f"{b}.pop({i})",
            f"{b}.pop({i}, 1)", f"{b}.remove({ba_int_like(rng)})",
            f"{b}.remove({sub})", f"{b}.clear()", f"{b}.reverse()",
            f"{b}.copy()", init, self.construct(rng),
            f"{b}2 = {self.construct(rng)}",
            f"{b}.__init__({d.decode('latin-1')!r}, 'latin-1')",
            f"{b}.__init__({i})", f"{b}.__init__()",
            # search
            f"{b}.count({sub})", f"{b}.count({sub}, {i})",
            f"{b}.count({sub}, {i}, {j})", f"{b}.find({sub})",
            f"{b}.find({sub}, {i}, {j})", f"{b}.rfind({sub}, {i})",
            f"{b}.index({sub})", f"{b}.index({sub}, {i}, {j})",
            f"{b}.rindex({sub})", f"{b}.rindex({sub}, {i})",
            f"{sub} in {b}", f"{b}.startswith({sub})",
            f"{b}.startswith({sub}, {i}, {j})", f"{b}.endswith({sub})",
            f"{b}.endswith({sub}, {i})",
            # split and join
            f"{b}.split()", f"{b}.split({sub})",
            f"{b}.split({sub}, {i})", f"{b}.split(maxsplit={i})",
            f"{b}.rsplit()", f"{b}.rsplit({sub}, {i})",
            f"{b}.rsplit(sep={sub}, maxsplit={i})",
            f"{b}.splitlines()", f"{b}.splitlines(True)",
            f"{b}.splitlines(keepends={i})", f"{b}.partition({sub})",
            f"{b}.rpartition({sub})",
            f"{b}.join([{self.value(rng, b)}, {self.value(rng, b)}])",
            f"{b}.join([b'x', b'yy', bytearray(b'z')])",
            f"{b}.join(MutIter({b}, {a!r}, [b'a', b'b', b'c'], 1))",
            f"{b}.join([MutBuffer({b}, {a!r}, b'q'), b'r'])",
            f"{b}.join({val})", f"bytearray(b'-').join([{b}, {b}])",
            # transformations
            f"{b}.replace({sub}, {self.needle(rng, b)})",
            f"{b}.replace({sub}, b'XY', {i})",
            f"{b}.replace(b'', b'.', {i})",
            f"{b}.strip()", f"{b}.strip({sub})", f"{b}.lstrip({sub})",
            f"{b}.rstrip({sub})", f"{b}.lstrip()", f"{b}.rstrip(None)",
            f"{b}.removeprefix({sub})", f"{b}.removesuffix({sub})",
            f"{b}.translate({table})", f"{b}.translate({table}, {sub})",
            f"{b}.translate(None, delete={sub})",
            f"bytearray.maketrans({sub}, {self.needle(rng, b)})",
            f"{b}.upper()", f"{b}.lower()", f"{b}.swapcase()",
            f"{b}.title()", f"{b}.capitalize()",
            f"{b}.center({width})", f"{b}.center({width}, {fill})",
            f"{b}.ljust({width}, {fill})", f"{b}.rjust({width}, {fill})",
            f"{b}.zfill({width})", f"{b}.expandtabs()",
            f"{b}.expandtabs({i})", f"{b}.expandtabs(tabsize={width})",
            f"{b}.isalnum()", f"{b}.isalpha()", f"{b}.isascii()",
            f"{b}.isdigit()", f"{b}.islower()", f"{b}.isspace()",
            f"{b}.istitle()", f"{b}.isupper()",
            f"{b}.hex()", f"{b}.hex({sep})", f"{b}.hex({sep}, {bps})",
            f"{b}.hex(sep={sep}, bytes_per_sep={bps})",
            f"bytearray.fromhex({b}.hex())",
            f"{b}.decode()", f"{b}.decode('latin-1')",
            f"{b}.decode('ascii', {errors})",
            f"{b}.decode('nosuch')",
            f"{b} % ()", f"{b} % ({val},)",
            "bytearray(b'%s|%r') % (b'a', 1)",
            f"bytearray(b'%d %x %c') % ({i}, 255, {ba_int_like(rng)})",
            f"bytearray(b'%r %b %r') % (MutRepr({b}, {a!r}), b'', 1)",
            f"{b} % MutRepr({b}, {a!r})",
            # sequence and mapping protocols
            f"len({b})", f"{b}[{i}]", f"{b}[{self.slice(rng, b)}]",
            f"{b}[{self.slice(rng, b)}]", f"{b}[{i}] = {ba_int_like(rng)}",
            f"{b}[{i}] = {self.index(rng, b)}",
            f"{b}[{self.slice(rng, b)}] = {val}",
            f"{b}[{self.slice(rng, b)}] = {self.value(rng, b)}",
            f"{b}[{self.slice(rng, b)}] = {val}",
            f"del {b}[{i}]", f"del {b}[{self.slice(rng, b)}]",
            f"del {b}[{self.slice(rng, b)}]", f"{b}['a']",
            f"{b}[{i}, {j}]", f"{b}[...]",
            f"{b} += {val}", f"{b} *= {self.index(rng, b)}",
            f"{b} + {val}", f"{val} + {b}", f"{b} * {i}", f"{i} * {b}",
            f"{b} == {o}", f"{b} != {o}", f"{b} < {o}", f"{b} <= {o}",
            f"{b} > {o}", f"{b} >= {o}", f"{b} == {d!r}",
            f"{b} < {d!r}", f"{b} == memoryview({d!r})", f"{b} == 'ab'",
            f"{b} < 'ab'", f"{b} == {b}", f"{b} >= {i}", f"hash({b})",
            f"sorted([{b}, {o}, bytearray({d!r})])",
            # iteration
            f"take(iter({b}), 5)", f"list({b})", f"list(reversed({b}))",
            f"take(roundtrip(iter({b}), {proto}), 5)",
            f"iter({b}).__length_hint__()", f"iter({b}).__reduce__()",
            f"it = iter({b})", f"it.__setstate__({i})", "take(it, 3)",
            "it.__length_hint__()",
            # exports
            f"m = memoryview({b})", f"m = memoryview({b})",
            f"m[{i}] = {ba_int_like(rng)}", "m.release()", "m.tolist()",
            f"with memoryview({b}) as mm: {b}.append(1)",
            f"with memoryview({b}) as mm: {b}.clear()",
            f"with memoryview({b}) as mm: {b} += b'x'",
            f"with memoryview({b}) as mm: del {b}[:1]",
            f"with memoryview({b}) as mm: {b}[0:1] = b'xyz'",
            f"with memoryview({b}) as mm: {b}[::2] = {b}[::2]",
            f"with memoryview({b}) as mm: {b}.extend(b'abc')",
            f"with memoryview({b}) as mm: {b} *= 2",
            f"with memoryview({b}) as mm: {b}.pop()",
            f"with memoryview({b}) as mm: {b}.__init__(b'xy')",
            f"act({b}, {a!r})", f"act({b}, 'release')",
            f"{b}.__buffer__({flags})",
            f"{b}.__release_buffer__(memoryview(b'x'))",
            # pickling, sizes, misc
            f"{b}.__reduce__()", f"{b}.__reduce_ex__({proto})",
            f"roundtrip({b}, {proto})", f"copy.copy({b})",
            f"copy.deepcopy({b})", f"{b}.__alloc__()",
            f"{b}.__sizeof__()", f"repr({b})", f"str({b})",
            f"bytes({b})", f"{b}.x = 1", f"vars({b})",
            f"type({b}).__name__", f"refs({b})",
            f"__import__('io').BytesIO({d!r}).readinto({b})",
            f"__import__('io').BytesIO({b}).read()",
            f"__import__('struct').pack_into('B', {b}, {i}, 7)",
        )
        return rng.choice(ops)

    def program(self, rng):
        steps = []
        if rng.random() < 0.3:
            steps.append(self.construct(rng))
        steps.append(f"b0 = {self.valid(rng)}")
        if rng.random() < 0.6:
            steps.append(f"b1 = {self.valid(rng)}")
            names = ["b0", "b1"]
        else:
            names = ["b0"]
        for _ in range(rng.randint(2, 10)):
            b = rng.choice(names)
            o = rng.choice(names + [repr(self.data(rng))])
            steps.append(self.operation(rng, b, o))
        steps.append("act(b0, 'release')")
        for name in names:
            steps.append(name)
            steps.append(f"(len({name}), {name}.__alloc__(), "
                         f"{name}.__sizeof__())")
        return steps


GENERATORS = {g.name: g for g in (EnumGenerator, MemoryviewGenerator,
                                  BytearrayGenerator)}


def generate(name, seed, index):
    """The program of case `index` of object `name` for `seed`: each case
    has its own random stream, so any case can be made again alone."""
    rng = random.Random(f"{seed}:{name}:{index}")
    return GENERATORS[name]().program(rng)
