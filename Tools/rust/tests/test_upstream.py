"""upstream.compare_objects: the C variant's objects against a pristine
build's, by defined symbols."""

import os
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import upstream  # noqa: E402


@unittest.skipUnless(shutil.which("cc") and shutil.which("nm"), "needs cc and nm")
class CompareObjects(unittest.TestCase):

    def compile(self, directory, rel, source):
        path = os.path.join(directory, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        src = path[:-2] + ".c"
        with open(src, "w") as f:
            f.write(source)
        subprocess.run(["cc", "-c", "-O2", "-o", path, src], check=True)
        os.unlink(src)

    def setUp(self):
        self.tmp = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.tmp)
        self.a = os.path.join(self.tmp, "pristine")
        self.b = os.path.join(self.tmp, "c")

    def test_same_objects_pass(self):
        for d in (self.a, self.b):
            self.compile(d, "Objects/x.o", "int f(int a) { return a + 1; }\nint g;\n")
        problems, n = upstream.compare_objects(self.a, self.b)
        self.assertEqual((problems, n), ([], 1))

    def test_other_symbols_fail(self):
        self.compile(self.a, "Objects/x.o", "int f(int a) { return a + 1; }\n")
        self.compile(self.b, "Objects/x.o", "int f(int a) { return a + 1; }\nint extra;\n")
        problems, n = upstream.compare_objects(self.a, self.b)
        self.assertEqual(n, 1)
        self.assertIn("extra", problems[0])

    def test_other_size_fails(self):
        self.compile(self.a, "Objects/x.o", "int f(int a) { return a + 1; }\n")
        self.compile(self.b, "Objects/x.o",
                     "int f(int a) { return a * a * a + a / 3 + (a >> 2); }\n")
        problems, _ = upstream.compare_objects(self.a, self.b)
        self.assertEqual(len(problems), 1)

    def test_missing_object_fails(self):
        self.compile(self.a, "Objects/x.o", "int f(void) { return 1; }\n")
        os.makedirs(self.b)
        problems, n = upstream.compare_objects(self.a, self.b)
        self.assertEqual(n, 0)
        self.assertIn("not in", problems[0])


if __name__ == "__main__":
    unittest.main()
