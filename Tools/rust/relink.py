"""`Tools/rust relink`: turn the Rust static library into one object file.

`make RUST=1` puts Objects/rustobjects.o into LIBRARY_OBJS in place of the
replaced C objects, so libpython.a, libpython.so and python all get the
Rust objects the way they get any C object.  The steps:

1. exports: the global symbols the selected object crates define without
   Rust mangling, i.e. their `#[no_mangle]` items (PyEnum_Type, ...);
2. `cc -r`: a relocatable link of the whole library with those symbols as
   roots and --gc-sections, which drops everything of core/alloc and of
   the shims that the objects do not use;
3. objcopy --keep-global-symbols: every other symbol becomes local, so
   libpython exports exactly what the C objects exported (`make smelly`);
   the LLVM bitcode that core's objects embed is dropped, and in release
   builds the debug info too;
4. a check that every symbol the object still needs comes from outside
   Rust (libpython or libc), never from the Rust runtime;
5. on x86-64: the GOT loads of calls, jumps and address moves become
   relaxable (relax_got_relocations), so that the final link turns calls
   to functions of the executable into direct calls, as for C objects.

The output is rewritten only when its content changes.
"""

import argparse
import os
import re
import shlex
import struct
import subprocess
import sys
import tempfile

# Undefined symbols that would mean the Rust runtime leaked into the link.
_RUST_RUNTIME = re.compile(r"^(_ZN|_R[A-Z]|__rust|rust_|_Unwind_|__rdl_|__rg_)")
_MANGLED = re.compile(r"^(_ZN|_R[A-Z])")


class RelinkError(Exception):
    pass


def run(cmd):
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True)
    if proc.returncode:
        raise RelinkError(f"{shlex.join(cmd)} failed:\n{proc.stderr.strip()}")
    return proc.stdout


def crate_members(lib, crates):
    """Archive members compiled from the given crates (`name-hash.name.…`)."""
    wanted = [c.replace("-", "_") for c in crates]
    members = run(["ar", "t", lib]).split()
    return {m for m in members
            for c in wanted if m.startswith(c + "-") and f".{c}." in m}


def exported_symbols(lib, members):
    """The unmangled global symbols defined by `members` of `lib`."""
    out = run(["nm", "-A", "-g", "--defined-only", "-P", lib])
    exports = set()
    for line in out.splitlines():
        # "lib.a[member.o]: symbol T value size"
        m = re.match(r"^.*\[(.+)\]: (\S+) (\S)", line)
        if not m:
            continue
        member, sym, kind = m.groups()
        if (member in members and not _MANGLED.match(sym) and kind != "U"
                and not _SANITIZER.match(sym)):
            exports.add(sym)
    return sorted(exports)


# Symbols a sanitizer's instrumentation adds (ASan's ODR indicators and
# registration flag, ...): not exports of ours, and local after the link.
_SANITIZER = re.compile(r"^_{2,3}(odr_asan_gen_|asan_|tsan_|msan_|sancov_)")


# ELF constants (System V gABI and its x86-64 supplement).
_EM_X86_64 = 62
_SHT_RELA = 4
_SHF_EXECINSTR = 0x4
_R_X86_64_GOTPCREL = 9
_R_X86_64_GOTPCRELX = 41
_R_X86_64_REX_GOTPCRELX = 42


def relax_got_relocations(data):
    """Mark the GOT references of a relocatable x86-64 ELF object that the
    linker may relax: returns the new bytes and how many were marked.

    rustc emits every call to a C function as `call *f@GOTPCREL(%rip)`
    with the plain R_X86_64_GOTPCREL relocation (it does not enable the
    relaxable forms, and `-Z plt` is unstable), and the linker relaxes only
    R_X86_64_GOTPCRELX and R_X86_64_REX_GOTPCRELX.  So every C API call
    from Rust went through the GOT, where C's are direct.  The psABI
    defines the X forms as the same relocation on an instruction the
    linker may rewrite: `call *` (ff 15), `jmp *` (ff 25) take GOTPCRELX
    and a 64-bit `mov` of the address (REX.W 8b with a RIP-relative
    operand) takes REX_GOTPCRELX.  Only those instructions are marked; the
    linker still decides, and keeps the GOT for a symbol it cannot bind
    locally (a shared libpython's exported functions)."""
    if (len(data) < 64 or data[:4] != b"\x7fELF" or data[4] != 2
            or data[5] != 1 or struct.unpack_from("<H", data, 18)[0] != _EM_X86_64):
        return data, 0
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
    shdr = "<IIQQQQIIQQ"
    sections = [struct.unpack_from(shdr, data, shoff + i * shentsize)
                for i in range(shnum)]
    out = bytearray(data)
    marked = 0
    for _, sh_type, _, _, offset, size, _, info, _, entsize in sections:
        if sh_type != _SHT_RELA or entsize != 24 or info >= shnum:
            continue
        target = sections[info]
        if not target[2] & _SHF_EXECINSTR:
            continue
        code_off, code_size = target[4], target[5]
        for entry in range(offset, offset + size, 24):
            r_offset, r_info = struct.unpack_from("<QQ", data, entry)
            if r_info & 0xFFFFFFFF != _R_X86_64_GOTPCREL or r_offset < 2 \
                    or r_offset + 4 > code_size:
                continue
            at = code_off + r_offset
            # The bytes before the 32-bit displacement: opcode and ModRM
            # (mod 00, r/m 101: RIP-relative), and a REX prefix before them.
            opcode, modrm = data[at - 2], data[at - 1]
            rex = data[at - 3] if r_offset >= 3 else 0
            if opcode == 0xFF and modrm in (0x15, 0x25):
                new = _R_X86_64_GOTPCRELX
            elif 0x48 <= rex <= 0x4F and opcode == 0x8B and modrm & 0xC7 == 0x05:
                new = _R_X86_64_REX_GOTPCRELX
            else:
                continue
            struct.pack_into("<Q", out, entry + 8,
                             (r_info & ~0xFFFFFFFF) | new)
            marked += 1
    return bytes(out), marked


def undefined_symbols(obj):
    out = run(["nm", "-u", "-P", obj])
    return sorted({line.split()[0] for line in out.splitlines() if line.strip()})


def relink(cc, lib, crates, output, strip_debug=False):
    if not os.path.isfile(lib):
        raise RelinkError(f"{lib} not found: the cargo build did not produce it")
    members = crate_members(lib, crates)
    if not members:
        raise RelinkError(f"{lib} has no member of the crates {' '.join(crates)}")
    exports = exported_symbols(lib, members)
    if not exports:
        raise RelinkError(f"the crates {' '.join(crates)} export no symbol")
    with tempfile.TemporaryDirectory(dir=os.path.dirname(output) or ".") as tmp:
        linked = os.path.join(tmp, "linked.o")
        cmd = shlex.split(cc) + [
            "-r", "-nostdlib", "-o", linked,
            "-Wl,--whole-archive", lib, "-Wl,--no-whole-archive",
            "-Wl,--gc-sections"]
        cmd += [f"-Wl,--require-defined={s}" for s in exports]
        run(cmd)
        keep = os.path.join(tmp, "exports.txt")
        with open(keep, "w", encoding="utf-8") as f:
            f.write("\n".join(exports) + "\n")
        final = os.path.join(tmp, "final.o")
        cmd = ["objcopy", f"--keep-global-symbols={keep}",
               "--remove-section=.llvmbc", "--remove-section=.llvmcmd"]
        if strip_debug:
            cmd.append("--strip-debug")
        run(cmd + [linked, final])
        leaked = [s for s in undefined_symbols(final) if _RUST_RUNTIME.match(s)]
        if leaked:
            raise RelinkError(
                "the Rust objects need symbols of the Rust runtime that "
                f"libpython does not provide: {', '.join(leaked)}")
        with open(final, "rb") as f:
            data, _ = relax_got_relocations(f.read())
    try:
        with open(output, "rb") as f:
            if f.read() == data:
                return False
    except FileNotFoundError:
        pass
    tmp_out = output + ".tmp"
    with open(tmp_out, "wb") as f:
        f.write(data)
    os.replace(tmp_out, output)
    return True


def main(argv):
    parser = argparse.ArgumentParser(prog="Tools/rust relink")
    parser.add_argument("--cc", default="cc")
    parser.add_argument("--lib", required=True)
    parser.add_argument("--crates", required=True)
    parser.add_argument("--output", required=True)
    parser.add_argument("--strip-debug", action="store_true",
                        help="drop debug info (that of core is large)")
    args = parser.parse_args(argv)
    try:
        relink(args.cc, args.lib, args.crates.split(), args.output,
               args.strip_debug)
    except RelinkError as exc:
        print(f"Tools/rust relink: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
