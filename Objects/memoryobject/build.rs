//! Docstrings come from the C twin and its Argument Clinic output.
fn main() {
    cpython_build::generate_docstrings(&[
        "Objects/memoryobject.c",
        "Objects/clinic/memoryobject.c.h",
    ]);
}
