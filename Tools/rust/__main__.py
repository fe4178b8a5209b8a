"""Entry point: python3 Tools/rust <command> [options].

Run `python3 Tools/rust --help` for the commands.  The internal commands
(makeconf, relink, regen, check) are dispatched before anything else is
imported: makeconf runs inside every `make RUST=1`.
"""

import sys

# Keep this check parseable by old Pythons: no f-strings, no new syntax.
if sys.version_info < (3, 10):
    sys.stderr.write(
        "error: Tools/rust needs Python >= 3.10; this is %s (%s)\n"
        % (sys.version.split()[0], sys.executable))
    sys.exit(2)

import os  # noqa: E402

# Commands implemented by a module of the same name, main(argv) -> status.
INTERNAL_COMMANDS = ("makeconf", "relink", "regen", "check", "difftest",
                     "panics", "patch", "review", "bench", "safety",
                     "drift", "new", "report")
# Commands whose module has another name.
MODULE_OF = {"new": "scaffold"}


def run_internal(command, argv):
    command = MODULE_OF.get(command, command)
    try:
        module = __import__(command)
    except ModuleNotFoundError as exc:
        if exc.name != command:
            raise
        sys.stderr.write(
            "error: 'Tools/rust %s' is not available: %s.py is missing "
            "from %s\n" % (command, command, os.path.dirname(
                os.path.abspath(__file__))))
        return 2
    return module.main(argv)


def deliver_sigint():
    """Undo an ignored SIGINT inherited from whoever started us.

    A background job of a non-interactive shell (how CI runners and
    `cmd &` start commands) begins with SIGINT ignored, and every process
    we start would inherit that: Python then installs no SIGINT handler,
    `_thread.interrupt_main()` does nothing, and upstream tests that
    interrupt themselves (test_threading's test_print_exception_gh_102056)
    spin until regrtest's timeout.  A handler of ours is reset to the
    default by exec, so children start as from a terminal (and Ctrl-C
    stops the tool)."""
    import signal
    if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


def main(argv):
    deliver_sigint()
    if argv and argv[0] in INTERNAL_COMMANDS:
        return run_internal(argv[0], argv[1:])
    import cli
    return cli.main(argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
