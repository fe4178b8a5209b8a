//! Docstrings come from the C twin, its Argument Clinic output, and the
//! two files whose docstrings C's bytearray shares (the stringlib template
//! `transmogrify.h`'s clinic output, and `bytes_methods.c`); the layout of
//! the `#[repr(C)]` structs is checked against the C twin's.
fn main() {
    cpython_build::abi_cfgs();
    cpython_build::generate_docstrings(&[
        "Objects/bytearrayobject.c",
        "Objects/clinic/bytearrayobject.c.h",
        "Objects/stringlib/clinic/transmogrify.h.h",
        "Objects/bytes_methods.c",
    ]);
    cpython_build::check_layouts("Objects/bytearrayobject.c");
}
