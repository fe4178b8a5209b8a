"""The workspace's .cargo/config.toml: every cargo run sees its flags once.

The tool lays the repository over build/cpython-<version>/, which lies
inside the repository: cargo then finds the configuration twice, in the
tree and in the repository.  Run in either place, the crates must be
compiled with the same flags (else each run rebuilds them for the other),
each flag passed once.
"""

import os
import re
import shutil
import subprocess
import tempfile
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.dirname(os.path.abspath(__file__)))))
CONFIG = os.path.join(ROOT, ".cargo", "config.toml")
MAKEFILE = os.path.join(ROOT, "Makefile.pre.in")


def rustflags():
    """The build.rustflags value of the configuration, split."""
    with open(CONFIG, encoding="utf-8") as f:
        text = f.read()
    m = re.search(r'^rustflags\s*=\s*"([^"]*)"\s*$', text, re.M)
    if m is None:
        raise AssertionError(f"{CONFIG}: no build.rustflags string")
    return m.group(1).split()


class CargoConfigTests(unittest.TestCase):

    def test_the_makefile_runs_cargo_in_the_source_directory(self):
        # cargo looks for .cargo/config.toml from its working directory,
        # not from --manifest-path.
        with open(MAKEFILE, encoding="utf-8") as f:
            text = f.read()
        recipe = text[text.index("$(RUST_LIBOBJ): rust-objects.mk"):]
        recipe = recipe[:recipe.index("relink")]
        self.assertRegex(recipe, r"cd '\$\(abs_srcdir\)' && \\")
        self.assertLess(recipe.index("cd '$(abs_srcdir)'"),
                        recipe.index("$(CARGO) $(RUST_CARGO_TOOLCHAIN) build"))

    @unittest.skipIf(shutil.which("cargo") is None, "needs cargo")
    def test_nested_copies_pass_each_flag_once(self):
        flags = rustflags()
        self.assertIn("llvm-args=-align-all-functions=6", flags)
        with tempfile.TemporaryDirectory() as tmp:
            # repo/.cargo/config.toml and repo/build/tree/.cargo/config.toml
            repo = os.path.join(tmp, "repo")
            tree = os.path.join(repo, "build", "tree")
            for top in (repo, tree):
                os.makedirs(os.path.join(top, ".cargo"))
                shutil.copy(CONFIG, os.path.join(top, ".cargo"))
            crate = os.path.join(tree, "c")
            os.makedirs(os.path.join(crate, "src"))
            with open(os.path.join(crate, "Cargo.toml"), "w") as f:
                f.write('[package]\nname = "c"\nversion = "0.1.0"\n'
                        'edition = "2021"\n[workspace]\n')
            with open(os.path.join(crate, "src", "lib.rs"), "w") as f:
                f.write("pub fn f() {}\n")
            manifest = os.path.join(crate, "Cargo.toml")
            target = os.path.join(tmp, "target")
            env = {k: v for k, v in os.environ.items()
                   if not k.startswith("CARGO_") and k not in
                   ("RUSTFLAGS", "CARGO_ENCODED_RUSTFLAGS")}
            lines = []
            for cwd in (tree, repo, crate):
                proc = subprocess.run(
                    ["cargo", "build", "-v", "--offline", "--manifest-path",
                     manifest, "--target-dir", target],
                    cwd=cwd, env=env, capture_output=True, text=True)
                self.assertEqual(proc.returncode, 0, proc.stderr)
                lines.append(proc.stderr)
            # The first run compiles, with each flag once.
            rustc = [l for l in lines[0].splitlines()
                     if "Running" in l and "rustc" in l]
            self.assertEqual(len(rustc), 1, lines[0])
            self.assertEqual(rustc[0].count(flags[-1]), 1, rustc[0])
            # The runs from the other directories find nothing to rebuild.
            for text in lines[1:]:
                self.assertIn("Fresh c", text)
                self.assertNotIn("Compiling", text)


if __name__ == "__main__":
    unittest.main()
