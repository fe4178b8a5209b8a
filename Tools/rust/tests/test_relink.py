"""Tests of relink's GOT relocation marking (relax_got_relocations)."""

import os
import platform
import shutil
import struct
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import relink  # noqa: E402

# What rustc emits for C calls and addresses: GOTPCREL, not relaxable.
ASM = """\
    .text
    .globl call_through_got
call_through_got:
    call *target@GOTPCREL(%rip)
    movq data@GOTPCREL(%rip), %rax
    movq (%rax), %rax
    addq other@GOTPCREL(%rip), %rax
    jmp *target@GOTPCREL(%rip)
"""

C = """\
long data = 7;
long other = 0;
long target(void) { return 35; }
long call_through_got(void);
int main(void) { return (int)call_through_got(); }
"""


def relocation_types(readelf_out):
    """The relocation type names of `readelf -rW` output, in order."""
    return [line.split()[2] for line in readelf_out.splitlines()
            if line[:1].isdigit() or line[:1] in "abcdef"
            and len(line.split()) > 2 and line.split()[2].startswith("R_")]


@unittest.skipUnless(platform.machine() in ("x86_64", "AMD64")
                     and shutil.which("as") and shutil.which("cc")
                     and shutil.which("readelf") and shutil.which("objdump"),
                     "needs an x86-64 toolchain (as, cc, readelf, objdump)")
class RelaxTests(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.tmp)
        self.obj = os.path.join(self.tmp, "got.o")
        src = os.path.join(self.tmp, "got.s")
        with open(src, "w") as f:
            f.write(ASM)
        subprocess.run(["as", "-mrelax-relocations=no", "-o", self.obj, src],
                       check=True)

    def readelf(self, path):
        return subprocess.run(["readelf", "-rW", path], check=True,
                              stdout=subprocess.PIPE, text=True).stdout

    def test_calls_jumps_and_address_moves_are_marked(self):
        before = self.readelf(self.obj)
        self.assertEqual(before.count("R_X86_64_GOTPCREL "), 4, before)
        with open(self.obj, "rb") as f:
            data, marked = relink.relax_got_relocations(f.read())
        # call *, jmp * and the REX.W mov; not the add (left as it was).
        self.assertEqual(marked, 3)
        with open(self.obj, "wb") as f:
            f.write(data)
        after = self.readelf(self.obj)
        self.assertEqual(after.count("R_X86_64_GOTPCRELX "), 2, after)
        self.assertEqual(after.count("R_X86_64_REX_GOTPCRELX "), 1, after)
        self.assertEqual(after.count("R_X86_64_GOTPCREL "), 1, after)

    def test_the_linked_program_calls_directly_and_still_works(self):
        with open(self.obj, "rb") as f:
            data, _ = relink.relax_got_relocations(f.read())
        with open(self.obj, "wb") as f:
            f.write(data)
        csrc = os.path.join(self.tmp, "main.c")
        with open(csrc, "w") as f:
            f.write(C)
        exe = os.path.join(self.tmp, "prog")
        subprocess.run(["cc", "-O1", "-o", exe, csrc, self.obj], check=True)
        # target() returns 35, then jumps to it again: exit status 35.
        self.assertEqual(subprocess.run([exe]).returncode, 35)
        dis = subprocess.run(["objdump", "-d", "--no-show-raw-insn", exe],
                             check=True, stdout=subprocess.PIPE,
                             text=True).stdout
        body = dis.split("<call_through_got>:", 1)[1].split("\n\n", 1)[0]
        self.assertRegex(body, r"call\s+[0-9a-f]+ <target>")
        self.assertRegex(body, r"lea\s+0x[0-9a-f]+\(%rip\),%rax\s+# [0-9a-f]+ <data>")
        self.assertRegex(body, r"jmp\s+[0-9a-f]+ <target>")

    def test_other_objects_are_left_alone(self):
        data = b"not an object at all" * 10
        self.assertEqual(relink.relax_got_relocations(data), (data, 0))
        # A 32-bit class ELF header (EI_CLASS 1).
        elf32 = b"\x7fELF\x01\x01\x01" + bytes(80)
        self.assertEqual(relink.relax_got_relocations(elf32), (elf32, 0))
        # An ELF64 object of another machine (EM_AARCH64 = 183).
        other = bytearray(b"\x7fELF\x02\x01\x01" + bytes(80))
        struct.pack_into("<H", other, 18, 183)
        self.assertEqual(relink.relax_got_relocations(bytes(other)),
                         (bytes(other), 0))


if __name__ == "__main__":
    unittest.main()
