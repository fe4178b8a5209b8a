"""Threads stress of the Rust objects, for the free-threaded builds (runs on
any build; `Tools/rust test --threads` runs it on ft-c and ft-rust).

    python stress_threads.py [--seconds S] [--threads N] [--seed N]

Many threads share memoryviews (of one bytearray, of _testbuffer ndarrays
when there) and iterators (enumerate, reversed over shared lists and
iterators) and create, slice, read, write, compare, hash, cast, iterate,
release and replace them for a bounded time.  It prints one JSON line:

    {"ops": N, "exceptions": {"Type: message": count, ...}, ...}

with the numbers in messages replaced by N, so that the driver can check
that the Rust build raises nothing that C does not (the races make the
counts differ; the kinds must not).  A crash or a hang is a failure: the
driver runs this under a timeout.
"""

import argparse
import itertools
import json
import random
import re
import sys
import sysconfig
import threading
import time

_NUMBER = re.compile(r"\d+")
_ADDRESS = re.compile(r"0x[0-9a-fA-F]+")


RUST_BYTEARRAY = "bytearrayobject" in (
    sysconfig.get_config_var("PY_RUST_OBJECTS") or "").replace(",", " ").split()


def key(exc):
    text = _NUMBER.sub("N", _ADDRESS.sub("0x?", str(exc)))
    return f"{type(exc).__name__}: {text}"


class Shared:
    def __init__(self):
        self.data = bytearray(range(256)) * 8
        self.mv = memoryview(self.data)
        self.views = [memoryview(self.data) for _ in range(4)]
        self.items = list(range(1000))
        self.it = iter(range(10**12))
        self.en = enumerate(self.it, 5)
        self.rev = reversed(self.items)
        self.seq_rev = reversed(tuple(range(10**5)))
        self.lock = threading.Lock()   # only for replacing, never for use
        # A bytearray that threads resize while others export it: only when
        # the build links the Rust bytearray, whose export count is atomic
        # and whose resizes run in its critical section (3.13's C
        # bytearray races there, see op_memoryview's k == 12).
        self.grow = bytearray(b"abc") if RUST_BYTEARRAY else None


def op_memoryview(s, r):
    k = r.randrange(16)
    mv = s.mv
    views = s.views
    if k == 0:
        return mv[r.randrange(-3000, 3000)]
    if k == 1:
        a, b = r.randrange(-100, 2100), r.randrange(-100, 2100)
        return mv[a:b:r.choice((1, 2, -1, 7))].tobytes()
    if k == 2:
        return mv.cast("I")[r.randrange(-10, 600)]
    if k == 3:
        return mv == views[r.randrange(len(views))]
    if k == 4:
        return hash(mv.toreadonly()[: r.randrange(64)])
    if k == 5:
        mv[r.randrange(2048)] = r.randrange(256)
        return None
    if k == 6:
        with memoryview(s.data) as m:
            return m[r.randrange(100):r.randrange(100, 200)].tolist()
    if k == 7:
        m2 = mv[::2]
        out = m2[:16].hex()
        m2.release()
        return out
    if k == 8:
        i = r.randrange(len(views))
        old = views[i]
        views[i] = memoryview(s.data)
        old.release()
        return None
    if k == 9:
        v = views[r.randrange(len(views))]
        return list(itertools.islice(iter(v), 8))
    if k == 10:
        v = views[r.randrange(len(views))]
        return v.cast("B", [2, len(v) // 2]).tolist()[0][:4]
    if k == 11:
        v = views[r.randrange(len(views))]
        return bytes(v[10:20]), v.nbytes, v.shape, v.strides
    if k == 12:
        # Writes through the bytearray itself, never a resize: 3.13's
        # free-threaded bytearray counts its exports without atomics, so
        # racing views can leave the count at zero while views exist; an
        # append then moves the data under them, and C and Rust alike read
        # freed memory (SIGSEGV in both) or see the length change.  That is
        # bytearray's race, not one of the objects under test.
        s.data[r.randrange(2048)] = r.randrange(256)
        return None
    if k == 13:
        v = views[r.randrange(len(views))]
        nested = memoryview(v)
        out = nested.tobytes("F")[:4]
        nested.release()
        return out
    if k == 14:
        return list(itertools.islice(reversed(views[0]), 4))
    return repr(views[r.randrange(len(views))])[:8]


def op_iterators(s, r):
    k = r.randrange(12)
    if k == 0:
        return next(s.en)
    if k == 1:
        return list(itertools.islice(s.en, 5))
    if k == 2:
        return next(s.rev, None)
    if k == 3:
        return s.rev.__length_hint__(), s.seq_rev.__length_hint__()
    if k == 4:
        return s.seq_rev.__reduce__()[2]
    if k == 5:
        s.seq_rev.__setstate__(r.randrange(-5, 10**5 + 5))
        return None
    if k == 6:
        return next(s.seq_rev, None)
    if k == 7:
        with s.lock:
            s.en = enumerate(s.it, r.choice((0, 2**63, -7)))
        return None
    if k == 8:
        with s.lock:
            s.rev = reversed(s.items)
        return None
    if k == 9:
        s.items.append(r.randrange(10))
        if len(s.items) > 2000:
            del s.items[:1000]
        return None
    if k == 10:
        return [i for i, _ in zip(range(10), enumerate(s.items))]
    return s.en.__reduce__()[1][1]


def op_bytearray(s, r):
    b = s.grow
    k = r.randrange(9)
    if k == 0:
        b.append(r.randrange(256))
    elif k == 1:
        b.extend(b"xyz")
    elif k == 2:
        return b.pop() if b else None
    elif k == 3:
        del b[:2]
    elif k == 4:
        if len(b) > 4096:
            b.clear()
    elif k == 5:
        with memoryview(b) as m:
            return m[:4].tobytes(), len(m)
    elif k == 6:
        return b.find(b"yz"), b.count(b"x")
    elif k == 7:
        return bytes(b[:8]), b.split(b"x")[:2]
    else:
        b[0:1] = b"QR"
    return None


def worker(s, seed, deadline, results):
    r = random.Random(seed)
    exceptions = {}
    ops = 0
    while time.monotonic() < deadline:
        for _ in range(50):
            ops += 1
            x = r.random()
            op = (op_memoryview if x < 0.6 else
                  op_iterators if x < 0.8 or s.grow is None else
                  op_bytearray)
            try:
                op(s, r)
            except Exception as exc:
                # The resizing operations' exceptions (BufferError while
                # exported) are counted apart: C runs none of them, and
                # the threads check compares the other kinds with C's.
                k = ("grow " if op is op_bytearray else "") + key(exc)
                exceptions[k] = exceptions.get(k, 0) + 1
    results.append((ops, exceptions))


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    shared = Shared()
    deadline = time.monotonic() + args.seconds
    results = []
    threads = [threading.Thread(target=worker,
                                args=(shared, args.seed * 1000 + i, deadline,
                                      results))
               for i in range(args.threads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    exceptions = {}
    grow = {}
    for _, exc in results:
        for k, v in exc.items():
            into = grow if k.startswith("grow ") else exceptions
            k = k.removeprefix("grow ")
            into[k] = into.get(k, 0) + v
    gil = getattr(sys, "_is_gil_enabled", lambda: True)()
    print(json.dumps({"ops": sum(o for o, _ in results),
                      "threads": len(results), "gil": gil,
                      "data_len": len(shared.data),
                      "exceptions": dict(sorted(exceptions.items())),
                      "bytearray_resizing": RUST_BYTEARRAY,
                      "resizing_exceptions": dict(sorted(grow.items()))}))
    return 0 if len(results) == args.threads else 1


if __name__ == "__main__":
    sys.exit(main())
