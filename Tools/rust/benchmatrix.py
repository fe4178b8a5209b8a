"""The benchmark matrix of `Tools/rust bench`: generated, not listed.

Every row is one operation on one registered object, in one setting.  The
memoryview rows are generated from the format table the Rust code itself
uses (`for_each_native!` in Objects/memoryobject/src/native.rs): every
native format crosses every value kind that its kind of item accepts (and
the ones it rejects), every index kind and every view shape; every pair of
formats is compared; every exporter creates a view; every method, getter
and slot of the C twin has rows (`covers`), which tests/test_bench.py
checks against the C file.

A row is `Row(name, obj, group, setup, stmt, covers, quick)`: `setup` runs
once, `stmt` is what is measured (per iteration of a loop), `covers` names
the C twin's operations the row exercises (`type.method`, `type.getter`,
`type.tp_slot`), `quick` puts it in the daily subset (`bench --rows
quick`).
"""

import collections
import os
import re
import struct

Row = collections.namedtuple(
    "Row", "name obj group setup stmt covers quick")

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
NATIVE_RS = os.path.join("Objects", "memoryobject", "src", "native.rs")

# The formats of the quick subset: one per size class and kind.
QUICK_FORMATS = "BidQ"


def native_formats(root=ROOT):
    """[(format character, kind)] of the table in native.rs, in its order.
    kind is the table's: Char, Signed, Unsigned, Float, Half, Bool, Ptr."""
    with open(os.path.join(root, NATIVE_RS), encoding="utf-8") as f:
        text = f.read()
    start = text.index("macro_rules! for_each_native")
    body = text[start:text.index("] }", start)]
    table = re.findall(r"\(\s*\w+,\s*b'(.)',\s*[\w:]+,\s*(\w+),", body)
    if not table:
        raise ValueError(f"{NATIVE_RS}: no entries in for_each_native!")
    return table


# --- values ------------------------------------------------------------------

def int_bounds(fmt, kind):
    bits = struct.calcsize(fmt) * 8
    if kind == "Signed":
        return -(1 << (bits - 1)), (1 << (bits - 1)) - 1
    return 0, (1 << bits) - 1


def value_kinds(fmt, kind):
    """[(label, expression)] of the values a set of one item of `fmt`
    takes: what the kind accepts, then what it rejects (the statement
    catches the exception of those: they are labelled 'error: ...')."""
    if kind in ("Signed", "Unsigned"):
        lo, hi = int_bounds(fmt, kind)
        out = [("small int", "7")]
        if hi > 1 << 30:
            big = 1234567890123 if hi > 1 << 40 else 1234567890
            out.append(("multi-digit int", str(big)))
        if kind == "Signed":
            out.append(("negative", "-7"))
        out += [("min", str(lo)), ("max", str(hi)), ("bool", "True"),
                ("__index__", "Idx(7)"),
                ("error: out of range", str(hi + 1)),
                ("error: float", "1.5")]
        return out
    if kind == "Ptr":
        return [("small int", "7"), ("multi-digit int", "1234567890123"),
                ("max", str((1 << (8 * struct.calcsize("P"))) - 1)),
                ("negative", "-7"),
                ("error: __index__", "Idx(7)"), ("error: float", "1.5")]
    if kind in ("Float", "Half"):
        top = "65504.0" if kind == "Half" else (
            "3.4028234663852886e+38" if fmt == "f" else
            "1.7976931348623157e+308")
        out = [("float", "1.5"), ("small int", "7"), ("negative", "-1.5"),
               ("max", top), ("bool", "True"), ("__index__", "Idx(7)"),
               ("error: str", "'x'")]
        if kind == "Half":
            out.append(("error: out of range", "1e10"))
        return out
    if kind == "Bool":
        return [("True", "True"), ("False", "False"), ("small int", "7"),
                ("float", "0.0"), ("None", "None"), ("__index__", "Idx(7)")]
    if kind == "Char":
        return [("bytes", "b'x'"), ("error: two bytes", "b'xy'"),
                ("error: str", "'x'")]
    raise ValueError(f"no value kinds for the {kind} format {fmt!r}")


def get_value(kind):
    """An expression for a valid item of the kind (to fill a source)."""
    return {"Char": "b'x'", "Bool": "True", "Float": "1.5",
            "Half": "1.5"}.get(kind, "7")


# --- the rows ----------------------------------------------------------------

class Matrix:
    def __init__(self, root=ROOT):
        self.rows = {}
        self.formats = native_formats(root)

    def add(self, name, obj, group, setup, stmt, covers, quick=False):
        if name in self.rows:
            raise ValueError(f"benchmark row {name!r} defined twice")
        self.rows[name] = Row(name, obj, group, setup, stmt, tuple(covers),
                              quick)

    def mv(self, name, group, setup, stmt, covers, quick=False):
        self.add(name, "memoryobject", group, PRELUDE + setup, stmt, covers,
                 quick)


# An `__index__` object, for index and value rows of both objects.
IDX_CLASS = """\
class Idx:
    def __init__(self, v): self.v = v
    def __index__(self): return self.v
"""

PRELUDE = """\
import array, struct, gc
try:
    import _testbuffer
except ImportError:
    _testbuffer = None
""" + IDX_CLASS

# name -> (setup making `m`, its number of dimensions)
# Items: 64 per view; strided views step over every other item.
VIEWS = {
    "0-D": ("m = memoryview(_testbuffer.ndarray({v}, shape=[], format={f!r}, "
            "flags=_testbuffer.ND_WRITABLE))", 0),
    "1-D": ("m = memoryview(bytearray(64 * {size})).cast({f!r})", 1),
    "1-D strided": ("m = memoryview(bytearray(128 * {size})).cast({f!r})"
                    "[::2]", 1),
    "2-D": ("m = memoryview(bytearray(64 * {size})).cast({f!r}, (8, 8))", 2),
    "3-D": ("m = memoryview(bytearray(64 * {size})).cast({f!r}, (4, 4, 4))",
            3),
}

INDEXES = {"int": ("3", "2"), "negative": ("-3", "-1"),
           "__index__": ("i3", "i2")}


def view_setup(view, fmt, kind):
    template, _ = VIEWS[view]
    return template.format(f=fmt, size=struct.calcsize(fmt),
                           v=get_value(kind)) + "\ni3 = Idx(3); i2 = Idx(2)"


def index_expr(view, index):
    ndim = VIEWS[view][1]
    if ndim == 0:
        return "()" if index == "int" else "..."
    first, rest = INDEXES[index]
    return ", ".join([first] + [rest] * (ndim - 1))


def items(mx):
    for fmt, kind in mx.formats:
        quick_fmt = fmt in QUICK_FORMATS
        for view in VIEWS:
            for index in INDEXES:
                if VIEWS[view][1] == 0 and index == "negative":
                    continue
                setup = view_setup(view, fmt, kind)
                at = index_expr(view, index)
                tag = f"'{fmt}' {view} [{index if view != '0-D' else at}]"
                quick = quick_fmt and index == "int" and view in (
                    "1-D", "2-D")
                covers = ["memoryview.mp_subscript"]
                if view != "0-D" and index != "__index__":
                    covers.append("memoryview.sq_item")
                mx.mv(f"get {tag}", "get item", setup, f"m[{at}]", covers,
                      quick)
                mx.mv(f"set {tag} {get_value(kind)}", "set item",
                      setup + f"\nv = {get_value(kind)}", f"m[{at}] = v",
                      ["memoryview.mp_ass_subscript"], quick)
        # value kinds, on every view with an int index
        for label, expr in value_kinds(fmt, kind):
            for view in VIEWS:
                at = index_expr(view, "int")
                stmt = f"m[{at}] = v"
                if label.startswith("error"):
                    stmt = (f"try:\n m[{at}] = v\nexcept (TypeError, "
                            "ValueError, OverflowError): pass")
                mx.mv(f"set '{fmt}' {view} value {label}", "set value",
                      view_setup(view, fmt, kind) + f"\nv = {expr}", stmt,
                      ["memoryview.mp_ass_subscript"],
                      quick_fmt and view == "1-D"
                      and label in ("small int", "multi-digit int",
                                    "float"))
    base = ("m = memoryview(bytearray(64))\n"
            "m2 = memoryview(bytearray(64)).cast('B', (8, 8))\n")
    for label, setup, stmt, exc in (
            ("index out of range", "", "m[64]", "IndexError"),
            ("index str", "", "m['a']", "TypeError"),
            ("2-D index int", "", "m2[1]", "NotImplementedError"),
            ("2-D too many indices", "", "m2[1, 2, 3]", "TypeError"),
            ("released", "m.release()", "m[0]", "ValueError"),
            ("set readonly", "m = m.toreadonly()", "m[0] = 1", "TypeError"),
            ("del item", "", "del m[0]", "TypeError")):
        mx.mv(f"error: {label}", "item errors", base + setup,
              f"try:\n {stmt}\nexcept {exc}: pass",
              ["memoryview.mp_ass_subscript" if "=" in stmt or "del" in stmt
               else "memoryview.mp_subscript"])


def creation(mx):
    g = "create"
    c = ["memoryview.tp_new", "memoryview.tp_dealloc",
         "managedbuffer.tp_dealloc"]
    mx.mv("memoryview(bytes)", g, "b = b'x' * 64", "memoryview(b)", c, True)
    mx.mv("memoryview(bytearray)", g, "b = bytearray(64)", "memoryview(b)",
          c, True)
    mx.mv("memoryview(memoryview)", g, "b = memoryview(bytes(64))",
          "memoryview(b)", c, True)
    mx.mv("memoryview(memoryview 2-D)", g,
          "b = memoryview(bytes(64)).cast('B', (8, 8))", "memoryview(b)", c)
    for code in "bBuwhHiIlLqQfd":
        mx.mv(f"memoryview(array '{code}')", g,
              f"b = array.array({code!r}, {'str()' if code in 'uw' else '()'})"
              f" * 0 + array.array({code!r}, "
              f"{'chr(65) * 64' if code in 'uw' else 'range(64)'})",
              "memoryview(b)", c, code in "Bd")
    mx.mv("memoryview(mmap)", g,
          "import mmap\nb = mmap.mmap(-1, 4096)", "memoryview(b)", c)
    mx.mv("memoryview(ctypes c_int array)", g,
          "import ctypes\nb = (ctypes.c_int * 64)()", "memoryview(b)", c)
    mx.mv("memoryview(ctypes Structure)", g,
          "import ctypes\nclass S(ctypes.Structure):\n"
          "    _fields_ = [('a', ctypes.c_int), ('b', ctypes.c_double)]\n"
          "b = S()", "memoryview(b)", c)
    mx.mv("memoryview(PickleBuffer)", g,
          "import pickle\nb = pickle.PickleBuffer(bytes(64))",
          "memoryview(b)", c)
    mx.mv("memoryview(__buffer__ class)", g,
          "class E:\n    def __init__(self): self.b = bytearray(64)\n"
          "    def __buffer__(self, flags): return memoryview(self.b)\n"
          "b = E()", "memoryview(b)", c)
    for fmt, kind in mx.formats:
        for ndim, shape in ((1, "[64]"), (2, "[8, 8]"), (3, "[4, 4, 4]")):
            mx.mv(f"memoryview(ndarray '{fmt}' {ndim}-D)", g,
                  f"b = _testbuffer.ndarray([{get_value(kind)}] * 64, "
                  f"shape={shape}, format={fmt!r})", "memoryview(b)", c)
    mx.mv("memoryview(ndarray PIL 2-D)", g,
          "b = _testbuffer.ndarray(list(range(64)), shape=[8, 8], "
          "format='B', flags=_testbuffer.ND_PIL)", "memoryview(b)", c)
    mx.mv("memoryview(ndarray struct '<i')", g,
          "b = _testbuffer.ndarray(list(range(64)), shape=[64], "
          "format='<i')", "memoryview(b)", c)
    for flags in ("0", "0x1c"):
        mx.mv(f"memoryview._from_flags(bytes, {flags})", g,
              "b = bytes(64)", f"memoryview._from_flags(b, {flags})",
              c + ["memoryview._from_flags"])
    mx.mv("error: memoryview(int)", g, "",
          "try:\n memoryview(1)\nexcept TypeError: pass",
          ["memoryview.tp_new"])
    mx.mv("m.__buffer__(0) + release", "buffer protocol",
          "m = memoryview(bytes(64))",
          "b = m.__buffer__(0)\nm.__release_buffer__(b)",
          ["memoryview.__buffer__", "memoryview.__release_buffer__",
           "memoryview.bf_getbuffer", "memoryview.bf_releasebuffer"], True)
    mx.mv("bytes(m) 64", "buffer protocol", "m = memoryview(bytes(64))",
          "bytes(m)", ["memoryview.bf_getbuffer",
                       "memoryview.bf_releasebuffer"])
    mx.mv("toreadonly", "create", "m = memoryview(bytearray(64))",
          "m.toreadonly()", ["memoryview.toreadonly"], True)
    mx.mv("release", "create", "b = bytearray(64)",
          "memoryview(b).release()", ["memoryview.release"] + c, True)
    mx.mv("with memoryview(b)", "create", "b = bytearray(64)",
          "with memoryview(b) as m: pass",
          ["memoryview.__enter__", "memoryview.__exit__"] + c, True)
    mx.mv("error: release while exported", "create",
          "m = memoryview(bytearray(64)); x = memoryview(m)"
          "\nimport sys",
          "try:\n m.__buffer__(0).release()\nexcept ValueError: pass",
          ["memoryview.release"])


def casts(mx):
    g = "cast"
    for fmt, kind in mx.formats:
        size = struct.calcsize(fmt)
        for src in "Bbc":
            mx.mv(f"cast '{src}' -> '{fmt}'", g,
                  f"m = memoryview(bytearray(64 * {size})).cast({src!r})",
                  f"m.cast({fmt!r})", ["memoryview.cast"],
                  src == "B" and fmt in QUICK_FORMATS)
        if fmt not in "Bbc":    # (those are in the loop above)
            mx.mv(f"cast '{fmt}' -> 'B'", g,
                  f"m = memoryview(bytearray(64 * {size})).cast({fmt!r})",
                  "m.cast('B')", ["memoryview.cast"])
        mx.mv(f"cast '@{fmt}' -> '{fmt}' (8, 8)", g,
              f"m = memoryview(bytearray(64 * {size})).cast('@{fmt}')",
              f"m.cast('B').cast({fmt!r}, (8, 8))", ["memoryview.cast"])
    for label, setup, stmt in (
            ("1-D -> 2-D", "m = memoryview(bytearray(64))",
             "m.cast('B', (8, 8))"),
            ("1-D -> 3-D", "m = memoryview(bytearray(64))",
             "m.cast('B', [4, 4, 4])"),
            ("2-D -> 1-D", "m = memoryview(bytearray(64)).cast('B', (8, 8))",
             "m.cast('B')"),
            ("'B' -> 'i' 2-D", "m = memoryview(bytearray(256))",
             "m.cast('i', (8, 8))"),
            ("error: bad format", "m = memoryview(bytearray(64))",
             "try:\n m.cast('x')\nexcept ValueError: pass"),
            ("error: 'i' -> 'd'", "m = memoryview(bytearray(64)).cast('i')",
             "try:\n m.cast('d')\nexcept TypeError: pass")):
        mx.mv(f"cast {label}", g, setup, stmt, ["memoryview.cast"],
              label == "1-D -> 2-D")


ATTRIBUTES = ("obj", "nbytes", "readonly", "itemsize", "format", "ndim",
              "shape", "strides", "suboffsets", "c_contiguous",
              "f_contiguous", "contiguous")
SHAPES = {
    "0-D": "memoryview(_testbuffer.ndarray(1, shape=[], format='i'))",
    "1-D": "memoryview(bytes(64))",
    "1-D strided": "memoryview(bytes(128))[::2]",
    "2-D": "memoryview(bytes(64)).cast('B', (8, 8))",
    "3-D": "memoryview(bytes(64)).cast('B', (4, 4, 4))",
    "PIL 2-D": "memoryview(_testbuffer.ndarray(list(range(64)), "
               "shape=[8, 8], format='B', flags=_testbuffer.ND_PIL))",
}


def attributes(mx):
    for view, make in SHAPES.items():
        for attr in ATTRIBUTES:
            mx.mv(f"m.{attr} {view}", "attributes", f"m = {make}",
                  f"m.{attr}", [f"memoryview.{attr}"],
                  view == "1-D" and attr in ("shape", "format", "nbytes"))
        mx.mv(f"len(m) {view}", "attributes", f"m = {make}",
              "len(m)" if view != "0-D" else
              "try:\n len(m)\nexcept TypeError: pass",
              ["memoryview.sq_length", "memoryview.mp_length"],
              view == "1-D")
        mx.mv(f"repr(m) {view}", "attributes", f"m = {make}", "repr(m)",
              ["memoryview.tp_repr"], view == "1-D")
    mx.mv("repr(m) released", "attributes",
          "m = memoryview(bytes(64)); m.release()", "repr(m)",
          ["memoryview.tp_repr"])
    mx.mv("error: m.shape released", "attributes",
          "m = memoryview(bytes(64)); m.release()",
          "try:\n m.shape\nexcept ValueError: pass", ["memoryview.shape"])
    mx.mv("gc.get_referents(m)", "gc", "m = memoryview(bytes(64))",
          "gc.get_referents(m)", ["memoryview.tp_traverse"], True)
    mx.mv("gc.get_referents(managedbuffer)", "gc",
          "m = memoryview(bytes(64)); b = gc.get_referents(m)[0]",
          "gc.get_referents(b)", ["managedbuffer.tp_traverse"])
    mx.mv("gc.get_referents(memory_iterator)", "gc",
          "m = memoryview(bytes(64)); it = iter(m)",
          "gc.get_referents(it)", ["memory_iterator.tp_traverse"])
    mx.mv("collect a cycle through a view", "gc",
          "class E:\n    def __init__(self): self.b = bytearray(64)\n"
          "    def __buffer__(self, flags): return memoryview(self.b)\n"
          "gc.collect()",
          "e = E(); e.m = memoryview(e); del e\ngc.collect(0)",
          ["memoryview.tp_clear", "managedbuffer.tp_clear",
           "memoryview.tp_traverse", "managedbuffer.tp_traverse"])


SIZES = (1, 64, 4096, 1 << 20)


def bulk(mx):
    for fmt, kind in mx.formats:
        size = struct.calcsize(fmt)
        q = fmt in QUICK_FORMATS
        src = (f"memoryview(_testbuffer.ndarray([{get_value(kind)}] * 4096,"
               f" shape=[4096], format={fmt!r}))")
        mx.mv(f"tolist '{fmt}' 4096", "tolist", f"m = {src}", "m.tolist()",
              ["memoryview.tolist"], q)
        mx.mv(f"tolist '{fmt}' 2-D 64x64", "tolist",
              f"m = {src}.cast('B').cast({fmt!r}, (64, 64))", "m.tolist()",
              ["memoryview.tolist"])
        mx.mv(f"tolist '{fmt}' 3-D 16x16x16", "tolist",
              f"m = {src}.cast('B').cast({fmt!r}, (16, 16, 16))",
              "m.tolist()", ["memoryview.tolist"])
        mx.mv(f"tolist '{fmt}' strided 2048", "tolist", f"m = {src}[::2]",
              "m.tolist()", ["memoryview.tolist"])
        mx.mv(f"iterate '{fmt}' 4096", "iterate", f"m = {src}",
              "for _ in m: pass",
              ["memoryview.tp_iter", "memory_iterator.tp_iternext",
               "memory_iterator.tp_dealloc"], q)
        mx.mv(f"slice assignment '{fmt}' 64", "slice assignment",
              f"m = memoryview(bytearray(256 * {size})).cast({fmt!r})\n"
              f"s = memoryview(bytearray(64 * {size})).cast({fmt!r})",
              "m[10:74] = s", ["memoryview.mp_ass_subscript"], q)
        mx.mv(f"slice assignment '{fmt}' strided 64", "slice assignment",
              f"m = memoryview(bytearray(256 * {size})).cast({fmt!r})\n"
              f"s = memoryview(bytearray(128 * {size})).cast({fmt!r})[::2]",
              "m[10:138:2] = s", ["memoryview.mp_ass_subscript"])
    mx.mv("tolist 0-D", "tolist", f"m = {SHAPES['0-D']}", "m.tolist()",
          ["memoryview.tolist"])
    mx.mv("error: tolist struct '<i' 4096", "tolist",
          "m = memoryview(_testbuffer.ndarray(list(range(4096)), "
          "shape=[4096], format='<i'))",
          "try:\n m.tolist()\nexcept NotImplementedError: pass",
          ["memoryview.tolist"])
    mx.mv("tolist 'B' 1MiB", "tolist", "m = memoryview(bytes(1 << 20))",
          "m.tolist()", ["memoryview.tolist"])
    mx.mv("iterate strided 'B' 4096", "iterate",
          "m = memoryview(bytes(8192))[::2]", "for _ in m: pass",
          ["memoryview.tp_iter", "memory_iterator.tp_iternext"])
    mx.mv("error: iterate 2-D", "iterate",
          "m = memoryview(bytes(64)).cast('B', (8, 8))",
          "try:\n iter(m)\nexcept NotImplementedError: pass",
          ["memoryview.tp_iter"])
    for n in SIZES:
        q = n in (1, 4096)
        c = f"m = memoryview(bytes({n}))"
        s = f"m = memoryview(bytes({2 * n}))[::2]"
        for lay, setup in (("contiguous", c), ("strided", s)):
            cov = ["memoryview.tobytes"]
            mx.mv(f"tobytes {lay} {n}", "tobytes", setup, "m.tobytes()", cov,
                  q)
            for order in ("'C'", "'F'", "'A'", "None"):
                mx.mv(f"tobytes(order={order}) {lay} {n}", "tobytes", setup,
                      f"m.tobytes({order})", cov)
            mx.mv(f"bytes(m) {lay} {n}", "tobytes", setup, "bytes(m)",
                  ["memoryview.bf_getbuffer"], q and lay == "strided")
            for sep in ("", "':'", "':', 2", "b'-', -4"):
                mx.mv(f"hex({sep}) {lay} {n}", "hex", setup, f"m.hex({sep})",
                      ["memoryview.hex"], q and sep in ("", "':'"))
            for fmt in "Bbc":
                # hash() caches: each iteration hashes a new view
                cast = "" if fmt == "B" else f".cast({fmt!r})"
                step = "[::2]" if lay == "strided" else ""
                mx.mv(f"hash '{fmt}' {lay} {n}", "hash",
                      f"b = bytes({2 * n if step else n})",
                      f"hash(memoryview(b){cast}{step})",
                      ["memoryview.tp_hash"], q and fmt == "B")
            mx.mv(f"== same 'B' {lay} {n}", "== bytes", setup +
                  f"\nb = memoryview(bytearray({n}))", "m == b",
                  ["memoryview.tp_richcompare"], q)
            mx.mv(f"== bytes {lay} {n}", "== bytes", setup +
                  f"\nb = bytes({n})", "m == b",
                  ["memoryview.tp_richcompare"])
        mx.mv(f"2-D tobytes {n}", "tobytes",
              f"m = memoryview(bytes({max(n, 8)})).cast('B', "
              f"(8, {max(n, 8) // 8}))", "m.tobytes('F')",
              ["memoryview.tobytes"])
    mx.mv("hash cached", "hash", "m = memoryview(bytes(4096)); hash(m)",
          "hash(m)", ["memoryview.tp_hash"])
    mx.mv("error: hash writable", "hash", "m = memoryview(bytearray(64))",
          "try:\n hash(m)\nexcept ValueError: pass", ["memoryview.tp_hash"])
    mx.mv("error: hash 'i'", "hash", "m = memoryview(bytes(64)).cast('i')",
          "try:\n hash(m)\nexcept ValueError: pass", ["memoryview.tp_hash"])


def comparisons(mx):
    g = "== formats"
    for fa, ka in mx.formats:
        for fb, kb in mx.formats:
            va, vb = get_value(ka), get_value(kb)
            mx.mv(f"== '{fa}' vs '{fb}' 64", g,
                  f"a = memoryview(_testbuffer.ndarray([{va}] * 64, "
                  f"shape=[64], format={fa!r}))\n"
                  f"b = memoryview(_testbuffer.ndarray([{vb}] * 64, "
                  f"shape=[64], format={fb!r}))", "a == b",
                  ["memoryview.tp_richcompare"],
                  fa == fb and fa in QUICK_FORMATS)
    for label, setup, stmt in (
            ("struct '<i' 4096",
             "a = memoryview(_testbuffer.ndarray(list(range(4096)), "
             "shape=[4096], format='<i'))\n"
             "b = memoryview(_testbuffer.ndarray(list(range(4096)), "
             "shape=[4096], format='<i'))", "a == b"),
            ("struct '<i' vs '>i' 4096",
             "a = memoryview(_testbuffer.ndarray(list(range(4096)), "
             "shape=[4096], format='<i'))\n"
             "b = memoryview(_testbuffer.ndarray(list(range(4096)), "
             "shape=[4096], format='>i'))", "a == b"),
            ("mixed 'i' vs 'l' 4096",
             "a = memoryview(array.array('i', range(4096)))\n"
             "b = memoryview(array.array('l', range(4096)))", "a == b"),
            ("'?' other true bytes 4096",
             "a = memoryview(bytes(range(256)) * 16).cast('?')\n"
             "b = memoryview(bytes(min(x, 1) for x in range(256)) * 16)"
             ".cast('?')", "a == b"),
            ("'?' same 4096",
             "a = memoryview(bytes(range(256)) * 16).cast('?')\n"
             "b = memoryview(bytearray(range(256)) * 16).cast('?')",
             "a == b"),
            ("2-D 'B' 64x64",
             "a = memoryview(bytes(4096)).cast('B', (64, 64))\n"
             "b = memoryview(bytearray(4096)).cast('B', (64, 64))", "a == b"),
            ("3-D 'd' 16x16x16",
             "a = memoryview(bytes(32768)).cast('d', (16, 16, 16))\n"
             "b = memoryview(bytearray(32768)).cast('d', (16, 16, 16))",
             "a == b"),
            ("itself 4096", "a = memoryview(bytes(4096))", "a == a"),
            ("different shapes", "a = memoryview(bytes(64))\n"
             "b = memoryview(bytes(32))", "a == b"),
            ("!= 'B' 4096", "a = memoryview(bytes(4096))\n"
             "b = memoryview(bytearray(4096))", "a != b"),
            ("< (NotImplemented)", "a = memoryview(bytes(64))\n"
             "b = memoryview(bytes(64))",
             "try:\n a < b\nexcept TypeError: pass"),
            ("vs int (NotImplemented)", "a = memoryview(bytes(64))",
             "a == 1"),
            ("released", "a = memoryview(bytes(64)); a.release()\n"
             "b = memoryview(bytes(64))", "a == b")):
        mx.mv(f"== {label}", "== other", setup, stmt,
              ["memoryview.tp_richcompare"], label == "struct '<i' 4096")


def slicing(mx):
    g = "slice"
    for view, make in (("1-D", "memoryview(bytes(4096))"),
                       ("1-D 'd'", "memoryview(bytes(4096)).cast('d')"),
                       ("2-D", "memoryview(bytes(4096)).cast('B', (64, 64))"),
                       ("3-D",
                        "memoryview(bytes(4096)).cast('B', (16, 16, 16))")):
        for label, sl in (("[1:-1]", "1:-1"), ("[::2]", "::2"),
                          ("[::-1]", "::-1"), ("[i1:i3]", "i1:i3"),
                          ("[:]", ":"), ("[big:]", "1 << 70:")):
            mx.mv(f"slice {view} {label}", g,
                  f"m = {make}\ni1 = Idx(1); i3 = Idx(3)", f"m[{sl}]",
                  ["memoryview.mp_subscript"],
                  view == "1-D" and label == "[1:-1]")
    mx.mv("error: slice 2-D tuple", g,
          "m = memoryview(bytes(4096)).cast('B', (64, 64))",
          "try:\n m[1:2, 3:4]\nexcept NotImplementedError: pass",
          ["memoryview.mp_subscript"])
    mx.mv("slice assignment 'B' from bytes 1024", "slice assignment",
          "m = memoryview(bytearray(4096)); s = bytes(1024)",
          "m[100:1124] = s", ["memoryview.mp_ass_subscript"], True)
    mx.mv("error: slice assignment 2-D", "slice assignment",
          "m = memoryview(bytearray(64)).cast('B', (8, 8))",
          "try:\n m[0:2] = bytes(16)\nexcept NotImplementedError: pass",
          ["memoryview.mp_ass_subscript"])
    mx.mv("error: slice assignment other size", "slice assignment",
          "m = memoryview(bytearray(64))",
          "try:\n m[0:2] = bytes(3)\nexcept ValueError: pass",
          ["memoryview.mp_ass_subscript"])


# --- enumerate and reversed -------------------------------------------------

ITERABLES = {
    "list": "list(range(1000))", "tuple": "tuple(range(1000))",
    "range": "range(1000)", "str": "'x' * 1000", "bytes": "bytes(1000)",
    "dict": "dict.fromkeys(range(1000))", "set": "set(range(1000))",
    "iterator": "iter(list(range(1000)))",
    "generator": "(x for x in range(1000))",
}


def enum(mx):
    def add(name, group, setup, stmt, covers, quick=False):
        mx.add(name, "enumobject", group, IDX_CLASS + setup, stmt, covers,
               quick)

    loop = ["enumerate.tp_vectorcall", "enumerate.tp_iternext",
            "enumerate.tp_dealloc"]
    for kind, make in ITERABLES.items():
        fresh = kind in ("iterator", "generator")
        for slabel, start in (("", ""), (", 1", ", 1"), (", -5", ", -5"),
                              (", 2**70", ", 2**70"),
                              (", __index__", ", Idx(3)"),
                              (", start=1", ", start=1")):
            setup = "" if fresh else f"s = {make}"
            stmt = (f"for _ in enumerate({make if fresh else 's'}{start}):"
                    " pass")
            add(f"enumerate({kind}{slabel}) 1000", "enumerate", setup, stmt,
                loop, kind in ("list", "range", "tuple") and slabel == "")
    add("enumerate() create", "enumerate", "s = ()", "enumerate(s)",
        ["enumerate.tp_vectorcall", "enumerate.tp_dealloc"], True)
    add("enumerate.__new__ create", "enumerate", "s = ()",
        "enumerate.__new__(enumerate, s)", ["enumerate.tp_new"])
    add("enumerate(iterable=, start=) create", "enumerate", "s = ()",
        "enumerate(iterable=s, start=1)", ["enumerate.tp_vectorcall"])
    add("enumerate() next", "enumerate",
        "import itertools\ne = enumerate(itertools.repeat(1))", "next(e)",
        ["enumerate.tp_iternext"], True)
    add("enumerate() next, start past sys.maxsize", "enumerate",
        "import itertools, sys\ne = enumerate(itertools.repeat(1), "
        "sys.maxsize + 5)", "next(e)", ["enumerate.tp_iternext"])
    add("enumerate.__reduce__", "enumerate", "e = enumerate([1, 2, 3])",
        "e.__reduce__()", ["enumerate.__reduce__"])
    add("enumerate[int]", "enumerate", "", "enumerate[int]",
        ["enumerate.__class_getitem__"])
    add("gc.get_referents(enumerate)", "enumerate",
        "import gc\ne = enumerate([1, 2, 3])", "gc.get_referents(e)",
        ["enumerate.tp_traverse"])
    add("error: enumerate(int)", "enumerate", "",
        "try:\n enumerate(1)\nexcept TypeError: pass",
        ["enumerate.tp_vectorcall"])
    rev = ["reversed.tp_vectorcall", "reversed.tp_iternext",
           "reversed.tp_dealloc"]
    for kind, make in (("tuple", "tuple(range(1000))"),
                       ("str", "'x' * 1000"), ("bytes", "bytes(1000)"),
                       ("sequence class", "S()"),
                       ("list (__reversed__)", "list(range(1000))"),
                       ("range (__reversed__)", "range(1000)")):
        setup = ("class S:\n    def __len__(self): return 1000\n"
                 "    def __getitem__(self, i): return i\n"
                 f"s = {make}")
        add(f"reversed({kind}) 1000", "reversed", setup,
            "for _ in reversed(s): pass", rev,
            kind in ("tuple", "sequence class", "range (__reversed__)"))
    add("reversed() create", "reversed", "s = (1, 2, 3)", "reversed(s)",
        ["reversed.tp_vectorcall", "reversed.tp_dealloc"], True)
    add("reversed.__new__ create", "reversed", "s = (1, 2, 3)",
        "reversed.__new__(reversed, s)", ["reversed.tp_new"])
    add("reversed.__length_hint__", "reversed",
        "import operator\nr = reversed((1, 2, 3))",
        "operator.length_hint(r)", ["reversed.__length_hint__"])
    add("reversed.__reduce__", "reversed", "r = reversed((1, 2, 3))",
        "r.__reduce__()", ["reversed.__reduce__"])
    add("reversed.__setstate__", "reversed", "r = reversed((1, 2, 3))",
        "r.__setstate__(1)", ["reversed.__setstate__"])
    add("gc.get_referents(reversed)", "reversed",
        "import gc\nr = reversed((1, 2, 3))", "gc.get_referents(r)",
        ["reversed.tp_traverse"])
    add("error: reversed(set)", "reversed", "s = set()",
        "try:\n reversed(s)\nexcept TypeError: pass",
        ["reversed.tp_vectorcall"])

# --- bytearray ---------------------------------------------------------------

# Data sizes of the bulk rows, and of the small rows (16 B: the per-call
# cost; 1 MiB: the per-byte cost).
BA_SIZES = {"16 B": 16, "1 MiB": 1 << 20}
# The search product also crosses the sizes between: where a search
# changes method (up to 32 and 64 bytes by compare masks, then libc's
# memchr, blocks once matches are dense), a fixed cost a call shows
# neither at 16 B nor at 1 MiB.
BA_SEARCH_SIZES = {"16 B": 16, "64 B": 64, "256 B": 256, "1 KiB": 1 << 10,
                   "1 MiB": 1 << 20}
BA_ITER_SIZES = {"16 B": 16, "4 KiB": 4096}
# `d`: a cycle of 16 distinct letters whose last 4 bytes are 'WXYZ' (found
# nowhere else).
BA_DATA = "d = bytearray((b'abcdefghijklmnop' * {k})[:-4] + b'WXYZ')"
# name -> (needle expression in the setup, 'int' for the forms that take
# an int only, present in `d`)
BA_NEEDLES = {
    "1-byte at end": ("b'Z'", False, True),
    "int at end": ("90", True, True),
    "1-byte every 16 B": ("b'a'", False, True),
    "4-byte at end": ("b'WXYZ'", False, True),
    "4-byte every 16 B": ("b'abcd'", False, True),
    "4-byte absent": ("b'QRST'", False, False),
    "16-byte at end": ("bytes(d[-16:])", False, True),
}
# op -> (statement with `d`, `s` and `t` (`s` twice), covers, needs the needle present,
# takes an int needle)
BA_SEARCH = {
    "find": ("d.find(s)", "find", False, True),
    "rfind": ("d.rfind(s)", "rfind", False, True),
    "count": ("d.count(s)", "count", False, True),
    "index": ("d.index(s)", "index", True, True),
    "rindex": ("d.rindex(s)", "rindex", True, True),
    "in": ("s in d", "sq_contains", False, True),
    "split": ("d.split(s)", "split", False, False),
    "rsplit": ("d.rsplit(s)", "rsplit", False, False),
    "replace": ("d.replace(s, s)", "replace", False, False),
    # C's other replace paths: deleting (replace_delete_single_character,
    # replace_delete_substring) and growing (replace_single_character,
    # replace_substring).
    "replace-delete": ("d.replace(s, b'')", "replace", False, False),
    "replace-grow": ("d.replace(s, t)", "replace", False, False),
    "partition": ("d.partition(s)", "partition", False, False),
    "rpartition": ("d.rpartition(s)", "rpartition", False, False),
    "endswith": ("d.endswith(s)", "endswith", False, False),
}
BA_QUICK = {"bytearray.find(1-byte at end) 1 MiB",
            "bytearray.find(4-byte at end) 1 MiB",
            "bytearray.count(4-byte every 16 B) 1 MiB",
            "bytearray.split(4-byte every 16 B) 1 MiB",
            "bytearray.replace(4-byte every 16 B) 1 MiB",
            "bytearray.find(4-byte at end) 16 B",
            "bytearray(bytes) 16 B", "bytearray(list) 16 B",
            "bytearray.append", "bytearray.extend(bytes 16 B)",
            "bytearray[int] 16 B", "bytearray[slice] 16 B",
            "bytearray[slice] = same length 16 B",
            "bytearray.join(16 bytes of 16 B)", "bytearray.hex() 16 B",
            "bytearray.translate(table) 1 MiB", "iterate bytearray 4 KiB",
            "BytesIO.readinto(bytearray) 1 MiB", "bytearray == bytes 16 B",
            "bytearray += bytes 16 B"}


def bytearray_rows(mx):
    def add(name, group, setup, stmt, covers):
        mx.add(name, "bytearrayobject", group, IDX_CLASS + setup, stmt,
               [c if "." in c else "bytearray." + c for c in covers],
               name in BA_QUICK)

    def data(n):
        return BA_DATA.format(k=max(1, n // 16))

    # Search: every search form crosses every needle kind and every size.
    for size, n in BA_SEARCH_SIZES.items():
        for kind, (needle, is_int, present) in BA_NEEDLES.items():
            for op, (stmt, cov, need, takes_int) in BA_SEARCH.items():
                if (is_int and not takes_int) or (need and not present):
                    continue
                add(f"bytearray.{op}({kind}) {size}", "bytearray search",
                    f"{data(n)}\ns = {needle}\nt = s * 2", stmt, [cov])
        add(f"error: bytearray.index(absent) {size}", "bytearray search",
            f"{data(n)}\ns = b'QRST'",
            "try:\n d.index(s)\nexcept ValueError: pass", ["index"])
        add(f"bytearray.startswith(tuple) {size}", "bytearray search",
            data(n), "d.startswith((b'x', b'ab'))", ["startswith"])
        add(f"bytearray.find(__index__) {size}", "bytearray search",
            data(n), "d.find(Idx(90))", ["find"])
        add(f"bytearray.find(start, end) {size}", "bytearray search",
            data(n), "d.find(b'WXYZ', 1, -1)", ["find"])
        add(f"bytearray.split() whitespace {size}", "bytearray search",
            f"d = bytearray((b'abc def\\tghi\\n   ' * {max(1, n // 16)}))",
            "d.split()", ["split"])
        add(f"bytearray.rsplit() whitespace {size}", "bytearray search",
            f"d = bytearray((b'abc def\\tghi\\n   ' * {max(1, n // 16)}))",
            "d.rsplit()", ["rsplit"])
        add(f"bytearray.split(maxsplit=2) {size}", "bytearray search",
            data(n), "d.split(b'a', 2)", ["split"])
        add(f"bytearray.splitlines() {size}", "bytearray search",
            f"d = bytearray(b'abcdefghijklmno\\n' * {max(1, n // 16)})",
            "d.splitlines()", ["splitlines"])
        add(f"bytearray.remove {size}", "bytearray search",
            data(n), "d.append(49)\nd.remove(49)", ["append", "remove"])

    # Construction.
    for size, n in BA_SIZES.items():
        for kind, setup, stmt in (
                ("int", "", f"bytearray({n})"),
                ("bytes", f"src = bytes({n})", "bytearray(src)"),
                ("bytearray", f"src = bytearray({n})", "bytearray(src)"),
                ("memoryview", f"src = memoryview(bytes({n}))",
                 "bytearray(src)"),
                ("list", f"src = [7] * {n}", "bytearray(src)"),
                ("tuple", f"src = (7,) * {n}", "bytearray(src)"),
                ("iterable", f"src = [7] * {n}", "bytearray(iter(src))"),
                ("range", "", f"bytearray(range(256)) if {n} < 256 else "
                 f"bytearray(range(256)) * {n // 256}"),
                ("generator", "", f"bytearray(7 for _ in range({n}))"),
                ("str, latin-1", f"src = 'x' * {n}",
                 "bytearray(src, 'latin-1')"),
                ("str, utf-8", f"src = 'x' * {n}", "bytearray(src, 'utf-8')"),
                ("fromhex", f"src = bytes({n}).hex()",
                 "bytearray.fromhex(src)"),
                ("copy", f"src = bytearray({n})", "src.copy()")):
            cov = ["tp_init", "tp_dealloc"]
            if kind == "fromhex":
                cov = ["fromhex", "tp_dealloc"]
            elif kind == "copy":
                cov = ["copy", "tp_dealloc"]
            elif kind == "range":
                cov += ["sq_repeat"]
            add(f"bytearray({kind}) {size}", "bytearray create", setup, stmt,
                cov)
    add("bytearray()", "bytearray create", "", "bytearray()",
        ["tp_init", "tp_dealloc"])
    add("bytearray(source=) keyword", "bytearray create", "src = b'abc'",
        "bytearray(source=src)", ["tp_init"])
    add("error: bytearray(-1)", "bytearray create", "",
        "try:\n bytearray(-1)\nexcept ValueError: pass", ["tp_init"])
    add("error: bytearray([256])", "bytearray create", "src = [256]",
        "try:\n bytearray(src)\nexcept ValueError: pass", ["tp_init"])
    add("error: bytearray(str)", "bytearray create", "",
        "try:\n bytearray('x')\nexcept TypeError: pass", ["tp_init"])
    add("bytearray.maketrans", "bytearray create", "",
        "bytearray.maketrans(b'abc', b'xyz')", ["maketrans"])

    # Append, extend, insert, pop: each row undoes what it did.
    add("bytearray.append", "bytearray append/extend", data(16),
        "d.append(120)\ndel d[-1]", ["append", "mp_ass_subscript"])
    add("bytearray.append(__index__)", "bytearray append/extend",
        data(16) + "\nv = Idx(120)", "d.append(v)\ndel d[-1]", ["append"])
    add("bytearray.append 1 MiB", "bytearray append/extend", data(1 << 20),
        "d.append(120)\ndel d[-1]", ["append"])
    add("bytearray.pop", "bytearray append/extend", data(16),
        "d.append(120)\nd.pop()", ["append", "pop"])
    add("bytearray.pop(0) 4 KiB", "bytearray append/extend", data(4096),
        "d.insert(0, 120)\nd.pop(0)", ["insert", "pop"])
    add("bytearray.insert(0) 16 B", "bytearray append/extend", data(16),
        "d.insert(0, 120)\ndel d[0]", ["insert"])
    add("bytearray.clear", "bytearray append/extend",
        data(16) + "\nsrc = bytes(d)", "d.clear()\nd.extend(src)",
        ["clear"])
    add("bytearray.reverse 4 KiB", "bytearray append/extend", data(4096),
        "d.reverse()", ["reverse"])
    for size, n in (("16 B", 16), ("4 KiB", 4096)):
        for kind, make in (("bytes", f"bytes({n})"),
                           ("bytearray", f"bytearray({n})"),
                           ("memoryview", f"memoryview(bytes({n}))"),
                           ("list", f"[7] * {n}"), ("tuple", f"(7,) * {n}"),
                           ("iterator", f"iter([7] * {n})"),
                           ("range", f"range({min(n, 256)})")):
            fresh = kind == "iterator"
            stmt = (f"d.extend({make if fresh else 'src'})\n"
                    f"del d[{BA_SIZES['16 B']}:]")
            add(f"bytearray.extend({kind} {size})",
                "bytearray append/extend", data(16) + (
                    "" if fresh else f"\nsrc = {make}"), stmt,
                ["extend"])
        add(f"bytearray += bytes {size}", "bytearray append/extend",
            data(16) + f"\nsrc = bytes({n})\nfrom operator import iadd",
            "iadd(d, src)\ndel d[16:]", ["sq_inplace_concat"])
    # (operator.iadd/imul: `d += x` in the loop's function would make `d`
    # a local)
    add("bytearray *= 2 16 B", "bytearray append/extend",
        data(16) + "\nfrom operator import imul", "imul(d, 2)\ndel d[16:]",
        ["sq_inplace_repeat"])
    add("bytearray *= 2 1 MiB", "bytearray append/extend",
        data(1 << 20) + "\nfrom operator import imul",
        f"imul(d, 2)\ndel d[{1 << 20}:]", ["sq_inplace_repeat"])
    add("error: bytearray.append(256)", "bytearray append/extend", data(16),
        "try:\n d.append(256)\nexcept ValueError: pass", ["append"])
    add("error: bytearray.extend(int)", "bytearray append/extend", data(16),
        "try:\n d.extend(1)\nexcept TypeError: pass", ["extend"])
    add("error: resize while exported", "bytearray append/extend",
        data(16) + "\nm = memoryview(d)",
        "try:\n d.append(1)\nexcept BufferError: pass",
        ["append", "bf_getbuffer"])
    add("memoryview(bytearray) export", "bytearray append/extend", data(16),
        "memoryview(d)", ["bf_getbuffer", "bf_releasebuffer"])

    # Indexing and slicing.
    for size, n in BA_SIZES.items():
        setup = data(n)
        add(f"bytearray[int] {size}", "bytearray index", setup, "d[3]",
            ["mp_subscript"])
        add(f"bytearray[-1] {size}", "bytearray index", setup, "d[-1]",
            ["mp_subscript"])
        add(f"bytearray[__index__] {size}", "bytearray index",
            setup + "\ni = Idx(3)", "d[i]", ["mp_subscript"])
        add(f"bytearray[int] = int {size}", "bytearray index", setup,
            "d[3] = 120", ["mp_ass_subscript"])
        add(f"bytearray[__index__] = __index__ {size}", "bytearray index",
            setup + "\ni = Idx(3)\nv = Idx(120)", "d[i] = v",
            ["mp_ass_subscript"])
        add(f"error: bytearray[out of range] {size}", "bytearray index",
            setup, f"try:\n d[{n}]\nexcept IndexError: pass",
            ["mp_subscript"])
        add(f"error: bytearray[int] = 256 {size}", "bytearray index",
            setup, "try:\n d[3] = 256\nexcept ValueError: pass",
            ["mp_ass_subscript"])
        add(f"len(bytearray) {size}", "bytearray index", setup, "len(d)",
            ["sq_length"])
        add(f"PySequence_GetItem(bytearray) {size}", "bytearray index",
            setup + "\nfrom _testlimitedcapi import sequence_getitem as gi",
            "gi(d, 3)", ["sq_item"])
        add(f"PySequence_SetItem(bytearray) {size}", "bytearray index",
            setup + "\nfrom _testlimitedcapi import sequence_setitem as si",
            "si(d, 3, 120)", ["sq_ass_item"])
        m = n // 2
        for label, sl in (("[slice]", "4:12"), ("[:]", ":"),
                          ("[::2]", "::2"), ("[::-1]", "::-1"),
                          ("[half:]", f"{m}:"),
                          ("[Idx:Idx]", "Idx(4):Idx(12)")):
            add(f"bytearray{label} {size}", "bytearray slice", setup,
                f"d[{sl}]", ["mp_subscript"])
        # Slice assignment: same length, growing then shrinking back,
        # stepped, deletion then re-insertion.
        add(f"bytearray[slice] = same length {size}", "bytearray slice",
            setup, "d[4:8] = b'wxyz'", ["mp_ass_subscript"])
        add(f"bytearray[slice] = resize at start {size}",
            "bytearray slice", setup,
            "d[0:4] = b'12345678'\nd[0:8] = b'abcd'", ["mp_ass_subscript"])
        add(f"bytearray[slice] = resize in the middle {size}",
            "bytearray slice", setup,
            f"d[{m}:{m + 4}] = b'12345678'\nd[{m}:{m + 8}] = b'abcd'",
            ["mp_ass_subscript"])
        add(f"bytearray[::2] = stepped {size}", "bytearray slice",
            setup + f"\nsrc = bytes({n // 2})", "d[::2] = src",
            ["mp_ass_subscript"])
        add(f"bytearray[::-3] = stepped {size}", "bytearray slice",
            setup + "\nsrc = bytes(len(d[::-3]))", "d[::-3] = src",
            ["mp_ass_subscript"])
        add(f"bytearray[slice] = list {size}", "bytearray slice", setup,
            "d[4:8] = [1, 2, 3, 4]", ["mp_ass_subscript"])
        add(f"del bytearray[slice] {size}", "bytearray slice", setup,
            f"del d[{m}:{m + 4}]\nd[{m}:{m}] = b'abcd'",
            ["mp_ass_subscript"])
        add(f"del bytearray[::2] {size}", "bytearray slice",
            setup + "\nsrc = bytes(d)", "del d[::2]\nd[:] = src",
            ["mp_ass_subscript"])
        add(f"error: bytearray[::2] = wrong length {size}",
            "bytearray slice", setup,
            "try:\n d[::2] = b'x'\nexcept ValueError: pass",
            ["mp_ass_subscript"])

    # Bulk: transformations, predicates, hex, joins, comparisons.
    for size, n in BA_SIZES.items():
        setup = data(n)
        for name, stmt, cov in (
                ("upper", "d.upper()", "upper"),
                ("lower", "d.lower()", "lower"),
                ("swapcase", "d.swapcase()", "swapcase"),
                ("title", "d.title()", "title"),
                ("capitalize", "d.capitalize()", "capitalize"),
                ("isalnum", "d.isalnum()", "isalnum"),
                ("isalpha", "d.isalpha()", "isalpha"),
                ("isascii", "d.isascii()", "isascii"),
                ("isdigit", "d.isdigit()", "isdigit"),
                ("islower", "d.islower()", "islower"),
                ("isupper", "d.isupper()", "isupper"),
                ("isspace", "d.isspace()", "isspace"),
                ("istitle", "d.istitle()", "istitle"),
                ("strip()", "d.strip()", "strip"),
                ("strip(bytes)", "d.strip(b'aZ')", "strip"),
                ("lstrip(bytes)", "d.lstrip(b'ab')", "lstrip"),
                ("rstrip(bytes)", "d.rstrip(b'YZ')", "rstrip"),
                ("lstrip()", "d.lstrip()", "lstrip"),
                ("rstrip()", "d.rstrip()", "rstrip"),
                ("removeprefix", "d.removeprefix(b'abc')", "removeprefix"),
                ("removesuffix", "d.removesuffix(b'XYZ')", "removesuffix"),
                ("center", f"d.center({n + 10}, b'*')", "center"),
                ("ljust", f"d.ljust({n + 10})", "ljust"),
                ("rjust", f"d.rjust({n + 10})", "rjust"),
                ("zfill", f"d.zfill({n + 10})", "zfill"),
                ("expandtabs", "d.expandtabs(4)", "expandtabs"),
                ("hex()", "d.hex()", "hex"),
                ("hex(':')", "d.hex(':')", "hex"),
                ("hex(':', 2)", "d.hex(':', 2)", "hex"),
                ("decode(latin-1)", "d.decode('latin-1')", "decode"),
                ("decode(ascii)", "d.decode('ascii')", "decode"),
                ("decode()", "d.decode()", "decode"),
                ("translate(table)", "d.translate(t)", "translate"),
                ("translate(None, delete)", "d.translate(None, b'ae')",
                 "translate"),
                ("translate(table, delete)", "d.translate(t, b'ae')",
                 "translate"),
                ("copy", "d.copy()", "copy"),
                ("__alloc__", "d.__alloc__()", "__alloc__"),
                ("__sizeof__", "d.__sizeof__()", "__sizeof__"),
                ("__reduce__", "d.__reduce__()", "__reduce__"),
                ("__reduce_ex__(2)", "d.__reduce_ex__(2)", "__reduce_ex__"),
                ("__reduce_ex__(4)", "d.__reduce_ex__(4)", "__reduce_ex__"),
                ("pickle.dumps", "dumps(d, 5)", "__reduce_ex__"),
                ("repr", "repr(d)", "tp_repr"),
                ("str", "str(d)", "tp_str"),
                ("% tuple", "f % (d, 1)", "nb_remainder"),
                ("+ bytes", "d + d2", "sq_concat"),
                ("* 2", "d * 2", "sq_repeat"),
                ("== bytes", "d == d2", "tp_richcompare"),
                ("== bytearray", "d == d3", "tp_richcompare"),
                ("!= bytes (last byte)", "d != d4", "tp_richcompare"),
                ("< bytes (last byte)", "d < d4", "tp_richcompare"),
                ("<= bytearray", "d <= d3", "tp_richcompare"),
                ("== memoryview", "d == m", "tp_richcompare"),
                ("== str", "d == 'x'", "tp_richcompare")):
            add(f"bytearray.{name} {size}" if not name[0] in "=!<+*%"
                and name not in ("repr", "str")
                else (f"{name}(bytearray) {size}" if name in ("repr", "str")
                      else f"bytearray {name} {size}"),
                "bytearray bulk",
                setup + "\nt = bytes(range(255, -1, -1))\nd2 = bytes(d)"
                "\nd3 = bytearray(d)\nd4 = bytes(d[:-1]) + b'a'"
                "\nm = memoryview(d2)\nfrom pickle import dumps"
                "\nf = bytearray(b'%s %d')", stmt, [cov])
        add(f"bytearray.fromhex {size}", "bytearray bulk",
            f"src = bytes({n}).hex()", "bytearray.fromhex(src)",
            ["fromhex"])
        add(f"bytearray.fromhex(spaced) {size}", "bytearray bulk",
            f"src = bytes({n}).hex(' ')", "bytearray.fromhex(src)",
            ["fromhex"])
        add(f"BytesIO.readinto(bytearray) {size}", "bytearray bulk",
            f"import io\nbio = io.BytesIO(bytes({n}))\nd = bytearray({n})",
            "bio.seek(0)\nbio.readinto(d)", ["bf_getbuffer"])
        add(f"bytes(bytearray) {size}", "bytearray bulk", setup,
            "bytes(d)", ["bf_getbuffer", "bf_releasebuffer"])
        for items, isize in ((16, 16), (1000, 16), (16, n)):
            if isize == n and n == 16:
                continue
            for kind, make in (("bytes", f"bytes({isize})"),
                               ("bytearray", f"bytearray({isize})"),
                               ("memoryview", f"memoryview(bytes({isize}))")):
                if kind != "bytes" and items != 1000:
                    continue
                label = ("16 B" if isize == 16 else size)
                add(f"bytearray.join({items} {kind} of {label})",
                    "bytearray join",
                    f"sep = bytearray(b', ')\nsrc = [{make}] * {items}",
                    "sep.join(src)", ["join"])
        add(f"bytearray.join(generator) {size}", "bytearray join",
            f"sep = bytearray(b'')\nsrc = bytes({n})",
            "sep.join(src[i:i + 16] for i in range(0, len(src), "
            f"{max(16, n // 64)}))", ["join"])
    # Iteration and the iterator's methods.
    for size, n in BA_ITER_SIZES.items():
        setup = data(n)
        add(f"iterate bytearray {size}", "bytearray iterate", setup,
            "for _ in d: pass",
            ["tp_iter", "bytearray_iterator.tp_iternext",
             "bytearray_iterator.tp_dealloc"])
        add(f"list(bytearray) {size}", "bytearray iterate", setup,
            "list(d)", ["tp_iter", "bytearray_iterator.tp_iternext"])
        add(f"sum(bytearray) {size}", "bytearray iterate", setup, "sum(d)",
            ["tp_iter", "bytearray_iterator.tp_iternext"])
    add("bytearray iterator __length_hint__", "bytearray iterate",
        data(16) + "\nit = iter(d)", "it.__length_hint__()",
        ["bytearray_iterator.__length_hint__"])
    add("bytearray iterator __reduce__", "bytearray iterate",
        data(16) + "\nit = iter(d)", "it.__reduce__()",
        ["bytearray_iterator.__reduce__"])
    add("bytearray iterator __setstate__", "bytearray iterate",
        data(16) + "\nit = iter(d)", "it.__setstate__(3)",
        ["bytearray_iterator.__setstate__"])
    add("gc.get_referents(bytearray iterator)", "bytearray iterate",
        data(16) + "\nimport gc\nit = iter(d)", "gc.get_referents(it)",
        ["bytearray_iterator.tp_traverse"])


GENERATORS = (items, creation, casts, attributes, bulk, comparisons, slicing,
              enum, bytearray_rows)


def generate(root=ROOT):
    """{name: Row} of the full matrix, in a fixed order."""
    mx = Matrix(root)
    for gen in GENERATORS:
        gen(mx)
    return mx.rows


# --- what the matrix must cover --------------------------------------------

def _initializer(text, start):
    """The text between the `{` at or after `start` and its `}`."""
    import csource
    masked = csource.mask_c(text)
    open_at = masked.index("{", start)
    return text[open_at + 1:csource.match_forward(masked, open_at, "{", "}")]


def _slots(body):
    """[(slot, value)] of a type or slot-table initializer: positional
    entries named by their comment, and designated ones."""
    out = []
    for m in re.finditer(r"\.(\w+)\s*=\s*([^,\n]+)", body):
        out.append((m.group(1), m.group(2).strip()))
    for m in re.finditer(r"([^,{}]*?),?\s*/\*\s*(\w+)\s*\*/", body):
        out.append((m.group(2), m.group(1).strip()))
    return [(slot, re.sub(r"^\(\w+\)\s*", "", value)) for slot, value in out]


def c_operations(c_text, clinic_text=""):
    """{"type.name"} of the C twin: for each type it defines, the methods,
    the getters, and the slots whose function the file defines (slots
    given a generic function, PyObject_SelfIter say, are not the twin's)."""
    import csource
    functions = {name for text in (c_text, clinic_text)
                 for name, _, _ in csource.c_functions(text)}
    methoddefs = dict(re.findall(
        r'#define\s+(\w+_METHODDEF)\s*\\\s*\{\s*"(\w+)"', clinic_text))
    ops = set()
    for m in re.finditer(r"^PyTypeObject\s+(\w+)\s*=", c_text, re.M):
        body = _initializer(c_text, m.end())
        tp_name = re.search(r'"([\w.]+)"', body).group(1).rsplit(".", 1)[-1]
        for slot, value in _slots(body):
            ident = value.lstrip("&").strip()
            if slot in ("tp_as_sequence", "tp_as_mapping", "tp_as_buffer",
                        "tp_as_number", "tp_as_async") and value.startswith(
                            "&"):
                table = re.search(rf"\b{ident}\s*=", c_text)
                for sub, fn in _slots(_initializer(c_text, table.end())):
                    if fn in functions:
                        ops.add(f"{tp_name}.{sub}")
            elif slot == "tp_methods" and ident != "0":
                table = re.search(rf"\b{ident}\[\]\s*=", c_text)
                entries = _initializer(c_text, table.end())
                ops.update(f"{tp_name}.{n}" for n in
                           re.findall(r'\{\s*"(\w+)"', entries))
                ops.update(f"{tp_name}.{methoddefs[d]}" for d in
                           re.findall(r"\b(\w+_METHODDEF)\b", entries)
                           if d in methoddefs)
            elif slot == "tp_getset" and ident != "0":
                table = re.search(rf"\b{ident}\[\]\s*=", c_text)
                ops.update(f"{tp_name}.{n}" for n in re.findall(
                    r'\{\s*"(\w+)"', _initializer(c_text, table.end())))
            elif ident in functions:
                ops.add(f"{tp_name}.{slot}")
    return ops


def clinic_path(c_file):
    """Objects/x.c -> Objects/clinic/x.c.h"""
    head, tail = os.path.split(c_file)
    return os.path.join(head, "clinic", tail + ".h")


def uncovered(rows, srcdir, c_files):
    """[(c_file, "type.name")] of the C twins' operations (c_operations)
    that no row of `rows` covers."""
    covered = {c for row in rows.values() for c in row.covers}
    out = []
    for c_file in c_files:
        with open(os.path.join(srcdir, c_file), encoding="utf-8") as f:
            text = f.read()
        clinic = os.path.join(srcdir, clinic_path(c_file))
        ctext = ""
        if os.path.exists(clinic):
            with open(clinic, encoding="utf-8") as f:
                ctext = f.read()
        out += [(c_file, op) for op in sorted(c_operations(text, ctext))
                if op not in covered]
    return out
