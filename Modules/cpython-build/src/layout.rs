//! Layout parity of the Rust objects' `#[repr(C)]` structs with the C twin.
//!
//! A Rust object that defines a struct C also defines (the object structs
//! of `Objects/<name>.c`, or the public ones such as `PyMemoryViewObject`)
//! must lay it out exactly as C does, in every build variant.  The build
//! script calls [`check_layouts`] with the C twin; it
//!
//! 1. finds every `#[repr(C)] struct NAME` of the crate's `src/` (at the top
//!    level of a file: `src/lib.rs` is `crate`, `src/a.rs` and
//!    `src/a/mod.rs` are `crate::a`);
//! 2. runs bindgen over the C twin itself (so structs private to the `.c`
//!    file are seen) with the build's `pyconfig.h`, keeping the types of
//!    those names: bindgen's own layout tests pin them to what clang
//!    computed for this build;
//! 3. writes `$OUT_DIR/layout_checks.rs`: for each struct found on both
//!    sides, compile-time assertions that size, alignment and the offset
//!    and size of every C field are the same in Rust.
//!
//! The crate includes it at its root:
//! `include!(concat!(env!("OUT_DIR"), "/layout_checks.rs"));`
//! (fields of structs outside the crate root must then be `pub(crate)`).
//! A C field missing in Rust is a compile error naming it; a layout that
//! differs fails the build with a message naming the struct and field.

use std::env;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

fn die(msg: &str) -> ! {
    eprintln!("error: cpython-build: {msg}");
    std::process::exit(1);
}

/// `(module path, struct name)` of every top-level `#[repr(C)]` struct of
/// one Rust source text.
pub fn repr_c_structs(source: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut repr_c = false;
    for line in source.lines() {
        let t = line.trim();
        if t.starts_with("#[repr(C") {
            repr_c = true;
            continue;
        }
        if t.starts_with("#[") || t.starts_with("///") || t.starts_with("//") {
            continue;
        }
        if repr_c && !line.starts_with(char::is_whitespace) {
            let mut rest = t;
            if let Some(r) = rest.strip_prefix("pub") {
                rest = r.trim_start();
                if rest.starts_with('(') {
                    rest = rest.find(')').map_or("", |e| &rest[e + 1..]).trim_start();
                }
            }
            if let Some(r) = rest.strip_prefix("struct ") {
                let name: String = r
                    .trim_start()
                    .chars()
                    .take_while(|c| *c == '_' || c.is_ascii_alphanumeric())
                    .collect();
                if !name.is_empty() {
                    out.push(name);
                }
            }
        }
        repr_c = false;
    }
    out
}

/// The named fields of `pub struct NAME { ... }` in bindgen's output.
pub fn bindgen_struct_fields(bindings: &str, name: &str) -> Option<Vec<String>> {
    let toks: Vec<&str> = tokenize(bindings);
    let mut i = 0;
    while i + 3 < toks.len() {
        if toks[i] == "struct" && toks[i + 1] == name && toks[i + 2] == "{" {
            let mut fields = Vec::new();
            let mut depth = 0usize;
            let mut j = i + 2;
            while j < toks.len() {
                match toks[j] {
                    "{" | "(" | "[" | "<" => depth += 1,
                    "}" | ")" | "]" | ">" => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(fields);
                        }
                    }
                    ":" if depth == 1 => {
                        let f = toks[j - 1];
                        if !f.starts_with("__bindgen") && !f.starts_with("_bitfield") {
                            fields.push(f.to_string());
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            return None;
        }
        i += 1;
    }
    None
}

fn tokenize(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_whitespace() {
            i += 1;
        } else if c == b'_' || c.is_ascii_alphanumeric() {
            let st = i;
            while i < b.len() && (b[i] == b'_' || b[i].is_ascii_alphanumeric()) {
                i += 1;
            }
            out.push(&s[st..i]);
        } else if c == b'"' {
            i += 1;
            while i < b.len() && b[i] != b'"' {
                i += if b[i] == b'\\' { 2 } else { 1 };
            }
            i += 1;
        } else if c == b':' && b.get(i + 1) == Some(&b':') {
            out.push("::");
            i += 2;
        } else if c == b'-' && b.get(i + 1) == Some(&b'>') {
            i += 2; // `->` is no closing angle bracket
        } else {
            out.push(&s[i..i + 1]);
            i += 1;
        }
    }
    out
}

fn rust_sources(dir: &Path, module: &str, out: &mut Vec<(PathBuf, String)>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("")
            .to_string();
        if path.is_dir() {
            rust_sources(&path, &format!("{module}::{stem}"), out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let m = match stem.as_str() {
                "lib" | "mod" => module.to_string(),
                _ => format!("{module}::{stem}"),
            };
            out.push((path, m));
        }
    }
}

/// The Rust source of the assertions for one struct pair.
pub fn render_asserts(rust_path: &str, c_name: &str, fields: &[String]) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "const _: () = {{");
    let _ = writeln!(s, "    type R = {rust_path};");
    let _ = writeln!(s, "    type C = c_twin::{c_name};");
    let _ = writeln!(
        s,
        "    assert!(core::mem::size_of::<R>() == core::mem::size_of::<C>(), \
         \"layout: {rust_path}: size differs from C's {c_name}\");"
    );
    let _ = writeln!(
        s,
        "    assert!(core::mem::align_of::<R>() == core::mem::align_of::<C>(), \
         \"layout: {rust_path}: alignment differs from C's {c_name}\");"
    );
    for f in fields {
        let _ = writeln!(
            s,
            "    assert!(core::mem::offset_of!(R, {f}) == core::mem::offset_of!(C, {f}), \
             \"layout: {rust_path}.{f}: offset differs from C's {c_name}.{f}\");"
        );
        let _ = writeln!(
            s,
            "    assert!(field_size(|p: *const R| unsafe {{ core::ptr::addr_of!((*p).{f}) }}) \
             == field_size(|p: *const C| unsafe {{ core::ptr::addr_of!((*p).{f}) }}), \
             \"layout: {rust_path}.{f}: size differs from C's {c_name}.{f}\");"
        );
    }
    s.push_str("};\n");
    s
}

/// For a build script: compile-time layout parity of the crate's
/// `#[repr(C)]` structs with the C twin `c_file` (relative to
/// `$CPYTHON_SRCDIR`), written to `$OUT_DIR/layout_checks.rs`.
pub fn check_layouts(c_file: &str) {
    check_layouts_except(c_file, &[]);
}

/// [`check_layouts`], but the structs named in `skip` are not compared:
/// for a struct private to the C file (no C code outside it reads it) that
/// the Rust object deliberately lays out otherwise.  The generated file
/// lists them.
pub fn check_layouts_except(c_file: &str, skip: &[&str]) {
    println!("cargo:rerun-if-env-changed=CPYTHON_SRCDIR");
    println!("cargo:rerun-if-env-changed=CPYTHON_BUILDDIR");
    let var = |n: &str| {
        env::var_os(n).map(PathBuf::from).unwrap_or_else(|| {
            die(&format!(
                "{n} is not set: the Rust objects are built by `make RUST=1` \
                 (or `python3 Tools/rust build`)"
            ))
        })
    };
    let srcdir = var("CPYTHON_SRCDIR");
    let builddir = var("CPYTHON_BUILDDIR");
    let manifest = var("CARGO_MANIFEST_DIR");
    let c_path = srcdir.join(c_file);
    println!("cargo:rerun-if-changed={}", c_path.display());
    println!("cargo:rerun-if-changed={}", manifest.join("src").display());

    let mut sources = Vec::new();
    rust_sources(&manifest.join("src"), "crate", &mut sources);
    let mut wanted: Vec<(String, String)> = Vec::new(); // (rust path, name)
    let mut skipped: Vec<String> = Vec::new();
    for (path, module) in &sources {
        println!("cargo:rerun-if-changed={}", path.display());
        let text = fs::read_to_string(path)
            .unwrap_or_else(|e| die(&format!("cannot read {}: {e}", path.display())));
        for name in repr_c_structs(&text) {
            if skip.contains(&name.as_str()) {
                skipped.push(format!("{module}::{name}"));
            } else {
                wanted.push((format!("{module}::{name}"), name));
            }
        }
    }

    let mut out = format!(
        "// Generated by cpython-build::layout from {c_file} and the crate's \
         #[repr(C)] structs; do not edit.\n"
    );
    let mut builder = bindgen::Builder::default()
        .header(c_path.display().to_string())
        .clang_arg(format!("-I{}", builddir.display()))
        .clang_arg(format!("-I{}", srcdir.join("Include").display()))
        .clang_arg(format!("-I{}", srcdir.join("Include/internal").display()))
        .clang_arg("-DPy_BUILD_CORE")
        .use_core()
        .ctypes_prefix("core::ffi")
        .allowlist_recursively(false)
        .derive_default(false)
        .derive_debug(false)
        .derive_copy(false)
        .layout_tests(true)
        .generate_comments(false);
    for (_, name) in &wanted {
        builder = builder.allowlist_type(format!("^{name}$"));
    }
    let bindings = if wanted.is_empty() {
        String::new()
    } else {
        builder
            .generate()
            .unwrap_or_else(|e| die(&format!("bindgen failed on {}: {e}", c_path.display())))
            .to_string()
    };
    out.push_str(
        "#[allow(non_upper_case_globals, non_camel_case_types, non_snake_case, dead_code, \
         clippy::all)]\nmod c_twin {\n    #[allow(unused_imports)]\n    use cpython_sys::ffi::*;\n",
    );
    out.push_str(&bindings);
    out.push_str("}\n");
    out.push_str(
        "#[allow(dead_code)]\nconst fn field_size<S, F>(_: fn(*const S) -> *const F) -> usize {\n    \
         core::mem::size_of::<F>()\n}\n",
    );
    for (rust_path, name) in &wanted {
        match bindgen_struct_fields(&bindings, name) {
            Some(fields) => out.push_str(&render_asserts(rust_path, name, &fields)),
            None => {
                let _ = writeln!(
                    out,
                    "// {rust_path}: {c_file} defines no struct {name}: not checked"
                );
            }
        }
    }
    for rust_path in &skipped {
        let _ = writeln!(
            out,
            "// {rust_path}: skipped by the build script (check_layouts_except)"
        );
    }
    let dest = Path::new(&env::var_os("OUT_DIR").expect("OUT_DIR")).join("layout_checks.rs");
    fs::write(&dest, out).unwrap_or_else(|e| die(&format!("cannot write {}: {e}", dest.display())));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_repr_c_structs() {
        let src = "#[repr(C)]\npub struct a {\n}\n#[repr(C)]\n/// doc\nstruct b(u8);\n\
                   struct c;\n#[repr(C)]\npub(crate) struct d<T> {}\n    #[repr(C)]\n    struct inner;\n";
        assert_eq!(repr_c_structs(src), ["a", "b", "d"]);
    }

    #[test]
    fn parses_bindgen_fields() {
        let b = "pub struct x { pub ob_base : PyObject , pub f : :: core :: option :: Option < unsafe extern \"C\" fn (a : * mut u8) -> i32 > , pub _bitfield_1 : u8 , pub g : [u8 ; 4usize] , }";
        assert_eq!(
            bindgen_struct_fields(b, "x").unwrap(),
            ["ob_base", "f", "g"]
        );
        assert!(bindgen_struct_fields(b, "y").is_none());
    }
}
