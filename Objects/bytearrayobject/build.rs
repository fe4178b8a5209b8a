//! Docstrings come from the C twin (and its Argument Clinic output); the
//! layout of the `#[repr(C)]` structs is checked against the C twin's.
fn main() {
    cpython_build::abi_cfgs();
    cpython_build::generate_docstrings(&["Objects/bytearrayobject.c", "Objects/clinic/bytearrayobject.c.h"]);
    cpython_build::check_layouts("Objects/bytearrayobject.c");
}
