//! Build-script helpers for the Rust objects.
//!
//! Docstrings are behaviour (`help()`, `__text_signature__`), so the Rust
//! objects do not retype them: their build scripts read every
//! `PyDoc_STRVAR(name, "..." "...")` of the C twin and of its Argument
//! Clinic output (`Objects/clinic/<name>.c.h`) and emit Rust constants of the
//! same names.  A change to the C docstrings reaches the Rust object at the
//! next build.

pub mod layout;
pub use layout::{check_layouts, check_layouts_except};

use std::env;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

/// One `PyDoc_STRVAR` definition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocString {
    pub name: String,
    pub text: Vec<u8>,
}

/// Decodes the C string literal starting at `s[0] == '"'`; returns the
/// bytes and the rest of the input after the closing quote.
fn c_string_literal(s: &str) -> Result<(Vec<u8>, &str), String> {
    let bytes = s.as_bytes();
    debug_assert_eq!(bytes.first(), Some(&b'"'));
    let mut out = Vec::new();
    let mut i = 1;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => return Ok((out, &s[i + 1..])),
            b'\\' => {
                let c = *bytes.get(i + 1).ok_or("unterminated escape")?;
                i += 2;
                match c {
                    b'n' => out.push(b'\n'),
                    b't' => out.push(b'\t'),
                    b'r' => out.push(b'\r'),
                    b'\\' => out.push(b'\\'),
                    b'"' => out.push(b'"'),
                    b'\'' => out.push(b'\''),
                    b'?' => out.push(b'?'),
                    b'a' => out.push(0x07),
                    b'b' => out.push(0x08),
                    b'f' => out.push(0x0c),
                    b'v' => out.push(0x0b),
                    b'x' => {
                        let start = i;
                        while i < bytes.len() && bytes[i].is_ascii_hexdigit() {
                            i += 1;
                        }
                        let v =
                            u32::from_str_radix(&s[start..i], 16).map_err(|_| "bad \\x escape")?;
                        out.push(u8::try_from(v).map_err(|_| "\\x escape out of range")?);
                    }
                    b'0'..=b'7' => {
                        let start = i - 1;
                        while i < bytes.len() && i < start + 3 && (b'0'..=b'7').contains(&bytes[i])
                        {
                            i += 1;
                        }
                        let v = u32::from_str_radix(&s[start..i], 8).map_err(|_| "bad octal")?;
                        out.push(u8::try_from(v).map_err(|_| "octal escape out of range")?);
                    }
                    b'\n' => {} // line continuation
                    other => return Err(format!("unsupported escape \\{}", other as char)),
                }
            }
            b'\n' => return Err("newline in string literal".into()),
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    Err("unterminated string literal".into())
}

/// Skips whitespace and comments.
fn skip_ws(mut s: &str) -> &str {
    loop {
        let t = s.trim_start();
        if let Some(rest) = t.strip_prefix("/*") {
            s = rest.find("*/").map_or("", |e| &rest[e + 2..]);
        } else if let Some(rest) = t.strip_prefix("//") {
            s = rest.find('\n').map_or("", |e| &rest[e..]);
        } else {
            return t;
        }
    }
}

/// Every `PyDoc_STRVAR(name, literal...)` in a C source text, in order.
/// Definitions whose value is not a plain concatenation of string literals
/// (none exist in the objects ported so far) are an error, so they are
/// never silently dropped.
pub fn parse_docstrings(source: &str) -> Result<Vec<DocString>, String> {
    // `PyDoc_STRVAR_shared` (bytes_methods.c: docstrings bytes and
    // bytearray share) defines a docstring the same way.
    let source = source.replace("PyDoc_STRVAR_shared(", "PyDoc_STRVAR(");
    let mut out = Vec::new();
    let mut rest = source.as_str();
    while let Some(pos) = rest.find("PyDoc_STRVAR(") {
        // Skip the macro's own definition and mentions in comments.
        let before = &rest[..pos];
        let line_start = before.rfind('\n').map_or(0, |p| p + 1);
        let line_prefix = before[line_start..].trim_start();
        rest = &rest[pos + "PyDoc_STRVAR(".len()..];
        if line_prefix.starts_with("#")
            || line_prefix.starts_with("/*")
            || line_prefix.starts_with("*")
        {
            continue;
        }
        let end_name = rest.find(',').ok_or("PyDoc_STRVAR without a comma")?;
        let name = rest[..end_name].trim().to_string();
        if !name.chars().all(|c| c == '_' || c.is_ascii_alphanumeric()) || name.is_empty() {
            return Err(format!("PyDoc_STRVAR with unexpected name {name:?}"));
        }
        rest = skip_ws(&rest[end_name + 1..]);
        let mut text = Vec::new();
        while rest.starts_with('"') {
            let (lit, after) = c_string_literal(rest).map_err(|e| format!("{name}: {e}"))?;
            text.extend(lit);
            rest = skip_ws(after);
        }
        if !rest.starts_with(')') {
            return Err(format!(
                "{name}: PyDoc_STRVAR value is not a string literal"
            ));
        }
        if text.contains(&0) {
            return Err(format!("{name}: docstring contains a NUL byte"));
        }
        out.push(DocString { name, text });
    }
    Ok(out)
}

/// A Rust `c"..."` literal for `text` (which has no NUL byte).
pub fn rust_c_literal(text: &[u8]) -> String {
    let mut s = String::from("c\"");
    for chunk in text.utf8_chunks() {
        for ch in chunk.valid().chars() {
            match ch {
                '"' => s.push_str("\\\""),
                '\\' => s.push_str("\\\\"),
                '\n' => s.push_str("\\n"),
                '\t' => s.push_str("\\t"),
                '\r' => s.push_str("\\r"),
                c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                    let _ = write!(s, "\\x{:02x}", c as u32);
                }
                c => s.push(c),
            }
        }
        for b in chunk.invalid() {
            let _ = write!(s, "\\x{b:02x}");
        }
    }
    s.push('"');
    s
}

/// Rust source declaring one `pub const NAME: &CStr` per docstring.
pub fn render(docs: &[DocString], origin: &str) -> String {
    let mut s = format!(
        "// Generated by cpython-build from {origin}; do not edit.\n\
         #[allow(non_upper_case_globals, dead_code)]\npub mod doc {{\n"
    );
    for d in docs {
        let _ = writeln!(
            s,
            "    pub const {}: &core::ffi::CStr = {};",
            d.name,
            rust_c_literal(&d.text)
        );
    }
    s.push_str("}\n");
    s
}

/// The ABI macros of `pyconfig.h` that cpython-sys turns into `cfg`s (its
/// build script's `ABI_MACROS`).
pub const ABI_CFGS: &[&str] = &[
    "Py_DEBUG",
    "Py_GIL_DISABLED",
    "Py_TRACE_REFS",
    "Py_STATS",
    "Py_ENABLE_SHARED",
];

/// For an object crate's build script: the `cfg`s cpython-sys has for the
/// configured build (`cfg(Py_GIL_DISABLED)` in a free-threaded one), from
/// the `DEP_CPYTHON_ABI` metadata its build script passes on.
pub fn abi_cfgs() {
    println!("cargo:rerun-if-env-changed=DEP_CPYTHON_ABI");
    for m in ABI_CFGS {
        println!("cargo::rustc-check-cfg=cfg({m})");
    }
    let set = env::var("DEP_CPYTHON_ABI").unwrap_or_default();
    for m in set.split(',').filter(|m| ABI_CFGS.contains(m)) {
        println!("cargo:rustc-cfg={m}");
    }
}

/// For a build script: reads the docstrings of `files` (paths relative to
/// `$CPYTHON_SRCDIR`) and writes `$OUT_DIR/docstrings.rs`, to be pulled in
/// with `include!(concat!(env!("OUT_DIR"), "/docstrings.rs"))`.
pub fn generate_docstrings(files: &[&str]) {
    println!("cargo:rerun-if-env-changed=CPYTHON_SRCDIR");
    let Some(srcdir) = env::var_os("CPYTHON_SRCDIR") else {
        eprintln!(
            "error: CPYTHON_SRCDIR is not set: the Rust objects are built by \
             `make RUST=1` (or `python3 Tools/rust build`)"
        );
        std::process::exit(1);
    };
    let srcdir = PathBuf::from(srcdir);
    let mut docs = Vec::new();
    for f in files {
        let path = srcdir.join(f);
        println!("cargo:rerun-if-changed={}", path.display());
        let text = fs::read_to_string(&path).unwrap_or_else(|e| {
            eprintln!("error: cannot read {}: {e}", path.display());
            std::process::exit(1)
        });
        match parse_docstrings(&text) {
            Ok(d) => docs.extend(d),
            Err(e) => {
                eprintln!("error: {}: {e}", path.display());
                std::process::exit(1)
            }
        }
    }
    let out = Path::new(&env::var_os("OUT_DIR").expect("OUT_DIR")).join("docstrings.rs");
    fs::write(&out, render(&docs, &files.join(", "))).unwrap_or_else(|e| {
        eprintln!("error: cannot write {}: {e}", out.display());
        std::process::exit(1)
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_concatenated_literals() {
        let src = r#"
#define PyDoc_STRVAR(name,str) PyDoc_VAR(name) = PyDoc_STR(str)
PyDoc_STRVAR(enum_new__doc__,
"enumerate(iterable, start=0)\n"
"--\n"
"\n"
"Say \"hi\" \\ done");

PyDoc_STRVAR(reduce_doc, "Return state information for pickling.");
"#;
        let docs = parse_docstrings(src).unwrap();
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].name, "enum_new__doc__");
        assert_eq!(
            docs[0].text,
            b"enumerate(iterable, start=0)\n--\n\nSay \"hi\" \\ done".to_vec()
        );
        assert_eq!(
            docs[1].text,
            b"Return state information for pickling.".to_vec()
        );
    }

    #[test]
    fn comments_between_literals() {
        let docs = parse_docstrings("PyDoc_STRVAR(x, \"a\" /* c */ \"b\" // d\n \"c\");").unwrap();
        assert_eq!(docs[0].text, b"abc".to_vec());
    }

    #[test]
    fn escapes() {
        let docs = parse_docstrings(r#"PyDoc_STRVAR(x, "\x41\101\t\?");"#).unwrap();
        assert_eq!(docs[0].text, b"AA\t?".to_vec());
    }

    #[test]
    fn rejects_non_literal_values() {
        assert!(parse_docstrings("PyDoc_STRVAR(x, some_macro);").is_err());
        assert!(parse_docstrings("PyDoc_STRVAR(x, \"a\\0b\");").is_err());
        assert!(parse_docstrings("PyDoc_STRVAR(x, \"abc);").is_err());
    }

    #[test]
    fn rust_literal_round_trip() {
        assert_eq!(rust_c_literal(b"a\"b\\c\nd\x01"), r#"c"a\"b\\c\nd\x01""#);
        assert_eq!(rust_c_literal("é".as_bytes()), "c\"é\"");
    }
}
