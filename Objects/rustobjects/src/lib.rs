//! The one static library `make RUST=1` links: every Rust object selected
//! in Tools/rust/objects.json, each behind the feature of its name.
//!
//! This crate adds no symbols of its own to what the objects export.  It
//! only supplies the panic handler: a panic in an object (which the objects
//! are written never to reach) ends the process through Py_FatalError
//! instead of unwinding into C.

#![cfg_attr(not(test), no_std)]

#[cfg(feature = "bytearrayobject")]
pub use bytearrayobject;
#[cfg(feature = "enumobject")]
pub use enumobject;
#[cfg(feature = "memoryobject")]
pub use memoryobject;

#[cfg(not(test))]
#[panic_handler]
fn panic(_info: &core::panic::PanicInfo<'_>) -> ! {
    cpython_sys::fatal(c"panic in a Rust object (Objects/rustobjects)")
}

/// The personality routine that the precompiled `core` names in its unwind
/// tables.  Nothing unwinds here (panics abort), so it is never called for
/// real; if it were, ending the process is the only safe answer.  The
/// relink step makes this symbol local to the Rust objects.
#[cfg(not(test))]
#[no_mangle]
pub extern "C" fn rust_eh_personality() {
    cpython_sys::fatal(c"unwinding through a Rust object (Objects/rustobjects)")
}
