//! Generates the raw bindings from the configured CPython tree and compiles
//! the C shims for the static inline functions the Rust objects do not
//! reimplement.
//!
//! Inputs (set by `make RUST=1`, see Makefile.pre.in):
//! - `CPYTHON_SRCDIR`: the CPython source tree (for `Include/`).
//! - `CPYTHON_BUILDDIR`: the configured build directory (for its `pyconfig.h`,
//!   which differs between release, debug and free-threaded builds).
//! - `CPYTHON_CFLAGS`: the core compiler flags of the build (`$(PY_CORE_CFLAGS)`),
//!   used for the shims so they are compiled exactly like the C objects.

use std::env;
use std::fs;
use std::path::{Path, PathBuf};

/// pyconfig.h macros that change the ABI the Rust code must follow (and
/// Py_ENABLE_SHARED, which changes how a thread-local is reached).  Each one
/// that is defined becomes a `cfg` of the same name (the list is
/// cpython-build's, which passes the same cfgs to the object crates).
use cpython_build::ABI_CFGS as ABI_MACROS;

fn die(msg: &str) -> ! {
    eprintln!("error: cpython-sys: {msg}");
    std::process::exit(1);
}

/// A directory cargo gives every build script.
fn cargo_dir(name: &str) -> PathBuf {
    match env::var_os(name) {
        Some(v) => PathBuf::from(v),
        None => die(&format!(
            "{name} is not set (cargo sets it for build scripts)"
        )),
    }
}

fn dir_from_env(name: &str) -> PathBuf {
    println!("cargo:rerun-if-env-changed={name}");
    match env::var_os(name) {
        Some(v) if !v.is_empty() => {
            let p = PathBuf::from(v);
            if !p.is_dir() {
                die(&format!("{name}={} is not a directory", p.display()));
            }
            p
        }
        _ => die(&format!(
            "{name} is not set: cpython-sys is built by `make RUST=1` in a configured \
             CPython build directory (or `python3 Tools/rust build`), which sets \
             CPYTHON_SRCDIR and CPYTHON_BUILDDIR"
        )),
    }
}

/// Names of the ABI macros that `pyconfig.h` defines (to a non-zero value).
fn abi_macros(pyconfig: &Path) -> Vec<&'static str> {
    let text = fs::read_to_string(pyconfig)
        .unwrap_or_else(|e| die(&format!("cannot read {}: {e}", pyconfig.display())));
    let mut found = Vec::new();
    for line in text.lines() {
        let mut words = line.split_whitespace();
        if words.next() != Some("#define") {
            continue;
        }
        let (Some(name), value) = (words.next(), words.next()) else {
            continue;
        };
        if let Some(m) = ABI_MACROS.iter().find(|m| **m == name) {
            if value != Some("0") {
                found.push(*m);
            }
        }
    }
    // Py_DEBUG implies Py_REF_DEBUG (Include/pyport.h).
    found
}

/// Turns the build's CFLAGS into flags usable from the crate directory:
/// relative include paths are relative to the build directory.
fn core_cflags(builddir: &Path) -> Vec<String> {
    println!("cargo:rerun-if-env-changed=CPYTHON_CFLAGS");
    let raw = env::var("CPYTHON_CFLAGS").unwrap_or_default();
    let mut out = Vec::new();
    for flag in raw.split_whitespace() {
        if let Some(path) = flag.strip_prefix("-I") {
            let p = Path::new(path);
            let p = if p.is_absolute() {
                p.to_path_buf()
            } else {
                builddir.join(p)
            };
            out.push(format!("-I{}", p.display()));
        } else {
            out.push(flag.to_string());
        }
    }
    out
}

fn main() {
    let srcdir = dir_from_env("CPYTHON_SRCDIR");
    let builddir = dir_from_env("CPYTHON_BUILDDIR");
    let pyconfig = builddir.join("pyconfig.h");
    if !pyconfig.is_file() {
        die(&format!(
            "{} not found: run ./configure in CPYTHON_BUILDDIR first",
            pyconfig.display()
        ));
    }
    let patchlevel = srcdir.join("Include/patchlevel.h");
    let version = fs::read_to_string(&patchlevel).unwrap_or_default();
    if !version.contains("#define PY_VERSION              \"3.13.") {
        die(&format!(
            "{} is not CPython 3.13: these bindings follow 3.13's object layout",
            patchlevel.display()
        ));
    }

    let manifest_dir = cargo_dir("CARGO_MANIFEST_DIR");
    let wrapper = manifest_dir.join("wrapper.h");
    let shims = manifest_dir.join("shims.c");
    for p in [&wrapper, &shims, &pyconfig] {
        println!("cargo:rerun-if-changed={}", p.display());
    }
    println!(
        "cargo:rerun-if-changed={}",
        srcdir.join("Include").display()
    );

    let macros = abi_macros(&pyconfig);
    for m in ABI_MACROS {
        println!("cargo::rustc-check-cfg=cfg({m})");
    }
    for m in &macros {
        println!("cargo:rustc-cfg={m}");
    }
    // For the object crates' build scripts (`DEP_CPYTHON_ABI`, read by
    // `cpython_build::abi_cfgs`): the same cfgs in the crates that need them.
    println!("cargo:abi={}", macros.join(","));

    let includes = [
        builddir.clone(),
        srcdir.join("Include"),
        srcdir.join("Include/internal"),
    ];
    let include_flags: Vec<String> = includes
        .iter()
        .map(|p| format!("-I{}", p.display()))
        .collect();

    // Raw bindings.  Everything CPython declares with a Py/_Py prefix; static
    // inline functions are invisible to bindgen and are either reimplemented
    // in src/inline.rs (hot paths) or wrapped in shims.c.
    let bindings = bindgen::Builder::default()
        .header(wrapper.display().to_string())
        .clang_args(&include_flags)
        .clang_arg("-DPy_BUILD_CORE")
        .use_core()
        .ctypes_prefix("core::ffi")
        .allowlist_function("_?Py.*")
        .allowlist_function("_?PY.*")
        .allowlist_function("rs_shim_.*")
        .allowlist_type("_?Py.*")
        .allowlist_type("_?PY.*")
        .allowlist_var("_?Py.*")
        .allowlist_var("_?PY.*")
        .allowlist_var("METH_.*")
        .allowlist_var("READONLY")
        .allowlist_var("Py_T_.*")
        .derive_default(false)
        .derive_debug(false)
        .layout_tests(true)
        .generate_comments(false)
        .merge_extern_blocks(true)
        .generate()
        .unwrap_or_else(|e| die(&format!("bindgen failed on {}: {e}", wrapper.display())));
    let out_dir = cargo_dir("OUT_DIR");
    bindings
        .write_to_file(out_dir.join("bindings.rs"))
        .unwrap_or_else(|e| die(&format!("cannot write bindings: {e}")));

    // C shims, compiled with the build's own flags.
    let mut build = cc::Build::new();
    build.file(&shims).cargo_warnings(false);
    for flag in core_cflags(&builddir) {
        build.flag(&flag);
    }
    for inc in &includes {
        build.include(inc);
    }
    build.define("Py_BUILD_CORE", None);
    build.compile("cpython_sys_shims");

    link_libpython_for_tests(&builddir);
}

/// The integration tests (tests/*.rs) run the Rust reimplementations
/// against the C macros on a live interpreter, so they link libpython of
/// the build directory (static or shared).
fn link_libpython_for_tests(builddir: &Path) {
    let Ok(entries) = fs::read_dir(builddir) else {
        return;
    };
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.starts_with("libpython3.13") && (n.ends_with(".a") || n.ends_with(".so")))
        .collect();
    names.sort();
    // Prefer the static library: no rpath games, and the test binary is then
    // a self-contained interpreter.
    if let Some(a) = names.iter().find(|n| n.ends_with(".a")) {
        println!("cargo::rustc-link-arg-tests={}", builddir.join(a).display());
    } else if let Some(so) = names.iter().find(|n| n.ends_with(".so")) {
        println!(
            "cargo::rustc-link-arg-tests={}",
            builddir.join(so).display()
        );
        println!(
            "cargo::rustc-link-arg-tests=-Wl,-rpath,{}",
            builddir.display()
        );
    }
    // Without a libpython (make builds it after the Rust objects) only the
    // integration tests cannot link; the library itself needs none.
    for lib in ["-lm", "-ldl", "-lpthread", "-lutil"] {
        println!("cargo::rustc-link-arg-tests={lib}");
    }
}
