"""The registry of Rust objects (Tools/rust/objects.json).

One entry per C file that has a Rust twin:

    c_file    the C twin, relative to the CPython root (Objects/enumobject.c)
    crate     the crate directory (Objects/enumobject); its Cargo package
              name is the object name and the bundling crate
              (Objects/rustobjects) has a feature of the same name
    replaces  object files of OBJECT_OBJS the Rust library stands in for
    default   whether `make RUST=1` selects it without RUST_OBJECTS
    tests     regrtest modules that exercise it (`Tools/rust test --quick`)
    c_sha256  sha256 of the C twin the Rust code was ported from
    c_release the CPython release that C twin is from (its text is then
              unpacked from that release's tarball for the drift diff)

Why the object is there and when to keep, promote or drop it (read by
`python3 Tools/rust report`, which says "missing" for an absent one; the
build does not need them):

    justification   why this object, with its measured reasons (a string)
    status          "experimental" (on trial: its exit criterion decides)
                    or "default" (promoted; needs default: true)
    responsible     the people answerable for it, "Name <email>" strings
    exit_criterion  a table the report evaluates against the data:
                    {"promote_when": {CONDITION: LIMIT, ...},
                     "drop_if": {CONDITION: LIMIT, ...}}; the conditions
                    are those of report.PROMOTE and report.DROP

What each entry NAME brings with it (the C/Rust contract, contract.py;
`python3 Tools/rust check` verifies all of it):

    Objects/NAME/cbindgen.toml          cbindgen configuration of the crate
    Include/internal/pycore_NAME_rs.h   generated from the crate by
                                        `python3 Tools/rust regen` (or
                                        `make regen-rust`): what the Rust
                                        object exports to C; committed
    Tools/rust/twins/NAME.c             the C twin's text at c_sha256, only
                                        when it differs from the release's
                                        (`check --accept NAME` updates both)
    Objects/NAME/build.rs               calls cpython_build::check_layouts
                                        (compile-time layout parity of the
                                        crate's #[repr(C)] structs with C's)
"""

import os
from dataclasses import dataclass, field

REGISTRY = os.path.join("Tools", "rust", "objects.json")
_FIELDS = {"c_file": str, "crate": str, "replaces": list, "default": bool,
           "tests": list, "c_sha256": str, "c_release": str}
# Optional: the report's fields (absent ones are reported as missing).
_OPTIONAL = {"justification": str, "status": str, "responsible": list,
             "exit_criterion": dict}
STATUSES = ("experimental", "default")


class RegistryError(Exception):
    """A registry that cannot be used, or a selection it does not allow."""


@dataclass(frozen=True)
class RustObject:
    name: str
    c_file: str
    crate: str
    replaces: tuple
    default: bool
    tests: tuple
    c_sha256: str
    c_release: str
    justification: str = None
    status: str = None
    responsible: tuple = None
    # A dict: left out of the hash (the entry stays hashable).
    exit_criterion: dict = field(default=None, hash=False)


def load(root):
    """Read and validate the registry under the CPython/repo root `root`."""
    from common import read_json
    path = os.path.join(root, REGISTRY)
    data = read_json(path, RegistryError)
    objects = data.get("objects") if isinstance(data, dict) else None
    if not isinstance(objects, dict) or not objects:
        raise RegistryError(f"{path}: no 'objects' table")
    result = {}
    for name, entry in objects.items():
        if not isinstance(entry, dict):
            raise RegistryError(f"{path}: entry {name!r} is not a table")
        for key, kind in _FIELDS.items():
            if not isinstance(entry.get(key), kind):
                raise RegistryError(
                    f"{path}: entry {name!r}: field {key!r} must be "
                    f"a {kind.__name__}")
        for key, kind in _OPTIONAL.items():
            if key in entry and not isinstance(entry[key], kind):
                raise RegistryError(
                    f"{path}: entry {name!r}: field {key!r} must be "
                    f"a {kind.__name__}")
        if entry.get("status", STATUSES[0]) not in STATUSES:
            raise RegistryError(
                f"{path}: entry {name!r}: status must be one of "
                f"{', '.join(STATUSES)}")
        if entry.get("status") == "default" and not entry["default"]:
            raise RegistryError(
                f"{path}: entry {name!r}: status 'default' (promoted) "
                f"needs default: true")
        unknown = set(entry) - set(_FIELDS) - set(_OPTIONAL)
        if unknown:
            raise RegistryError(f"{path}: entry {name!r}: unknown field(s) "
                                f"{', '.join(sorted(unknown))}")
        result[name] = RustObject(
            name=name, c_file=entry["c_file"], crate=entry["crate"],
            replaces=tuple(entry["replaces"]), default=entry["default"],
            tests=tuple(entry["tests"]), c_sha256=entry["c_sha256"],
            c_release=entry["c_release"],
            justification=entry.get("justification"),
            status=entry.get("status"),
            responsible=(tuple(entry["responsible"])
                         if "responsible" in entry else None),
            exit_criterion=entry.get("exit_criterion"))
    return result


def select(objects, spec=None):
    """The objects chosen by `spec` (a comma/space separated string of names,
    as in RUST_OBJECTS=a,b), or the default ones when `spec` is empty.
    Returns a list of RustObject in registry order."""
    if spec is None or not spec.strip():
        return [o for o in objects.values() if o.default]
    names = [n for n in spec.replace(",", " ").split() if n]
    unknown = [n for n in names if n not in objects]
    if unknown:
        raise RegistryError(
            f"unknown Rust object(s): {', '.join(unknown)}; "
            f"valid names: {', '.join(objects)}")
    return [o for n, o in objects.items() if n in names]
