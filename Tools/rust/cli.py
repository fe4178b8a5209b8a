"""The command line of Tools/rust (all but the internal commands, which
__main__.py dispatches before importing this)."""

import argparse
import sys

from common import ToolError, error, interrupt_on_sigterm
from registry import RegistryError

DESCRIPTION = """\
Build and test CPython with some of its built-in objects written in Rust.

The repository's files are laid over the pinned CPython release in
build/cpython-<version>/, which is built out of tree in build/<variant>/."""

INTERNAL_HELP = {
    "makeconf": "(internal, run by make RUST=1) write rust-objects.mk",
    "relink": "(internal, run by make RUST=1) relink the Rust library",
    "regen": "(internal, run by make regen-rust) regenerate headers",
    "check": "check the Rust objects against their C twins",
    "difftest": "compare random programs' traces in the C and Rust builds",
    "panics": "list the panic sites reachable in a Rust build",
    "bench": "time C against Rust side by side (and count instructions)",
    "safety": "table of the memoryview cases where C crashes, C vs Rust",
    "patch": "write the repository as one patch against pristine CPython",
    "review": "HTML page pairing each C function with its Rust twin",
    "drift": "the drift log: what each move to a newer CPython cost",
    "new": "start a new Rust object: crate, registry entry, wiring, stubs",
}


def _add_source_options(parser):
    group = parser.add_argument_group("CPython source (default: "
                                      "../shared/cpython, the cache, or a "
                                      "download)")
    group.add_argument("--cpython-src", metavar="DIR",
                       help="an unpacked, unconfigured CPython tree of the "
                            "pinned version (or CPYTHON_SRC=DIR)")
    group.add_argument("--cpython-tarball", metavar="FILE",
                       help="the pinned release tarball (or "
                            "CPYTHON_TARBALL=FILE)")


def make_parser():
    import builder
    parser = argparse.ArgumentParser(
        prog="python3 Tools/rust", description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True

    build = commands.add_parser(
        "build", help="build CPython variants (default: c and rust)",
        description="Build CPython variants out of tree in build/<variant>/.")
    build.add_argument(
        "--variant", action="extend", nargs="+", metavar="NAME",
        help=f"variants to build, repeatable or comma separated "
             f"(default: {', '.join(builder.DEFAULT_VARIANTS)}; "
             f"choices: {', '.join(builder.VARIANTS)})")
    build.add_argument("--objects", metavar="A,B",
                       help="the Rust objects to link (RUST_OBJECTS; "
                            "default: those enabled in objects.json)")
    build.add_argument("-j", "--jobs", type=int, metavar="N",
                       help="make -jN (default: the number of CPUs)")
    _add_source_options(build)

    test = commands.add_parser(
        "test", help="run the tests and compare a Rust variant with C",
        description="Run the tool's unit tests and the Rust crates' tests, "
                    "then CPython's test suite on a C and a Rust variant, "
                    "and report every test case whose outcome differs.")
    test.add_argument("--quick", action="store_true",
                      help="run only the test modules listed in "
                           "objects.json")
    test.add_argument("--variant-pair", default="c,rust", metavar="C,RUST",
                      help="the two variants to compare (default: c,rust)")
    test.add_argument("-j", "--jobs", type=int, metavar="N",
                      help="regrtest -jN (default: twice the CPUs)")
    test.add_argument("--tests", nargs="+", metavar="TEST",
                      help=argparse.SUPPRESS)
    import verify
    verify.add_arguments(test)
    _add_source_options(test)

    for name, text in INTERNAL_HELP.items():
        commands.add_parser(name, help=text, add_help=False)
    return parser


def main(argv):
    parser = make_parser()
    args = parser.parse_args(argv)
    interrupt_on_sigterm()
    try:
        if args.command == "build":
            import builder
            return builder.main(args)
        if args.command == "test":
            import testrunner
            return testrunner.main(args)
        parser.error(f"{args.command}: give it as the first argument")
    except (ToolError, RegistryError) as exc:
        error(str(exc))
        return 1
    except KeyboardInterrupt:
        error("interrupted")
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
