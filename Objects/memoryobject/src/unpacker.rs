//! unpack using the struct module (the comparison fallback for formats
//! without a fast path).

use cpython_sys::api;
use cpython_sys::api::mem::PyMemBlock;
use cpython_sys::{Owned, PyResult};

use crate::constructors::PyMemoryView_FromMemory;
use crate::layout::PYBUF_WRITE;
use crate::structfmt::StructFormat;

/// `struct unpacker`: `Struct(fmt).unpack_from` with a cached item
/// buffer and a memoryview over it.
///
/// # Invariants
/// `mview` is a writable memoryview over exactly `item` (`item.len()`
/// bytes == the itemsize); `item` outlives `mview` (field order: `mview`
/// is dropped first).
// C: unpacker_free (the fields' drops)
pub(crate) struct SlowUnpacker {
    unpack_from: Owned,
    mview: Owned,
    item: PyMemBlock,
}

/// What `struct_get_unpacker` found: the struct module's unpacker, or,
/// when `struct.Struct` is the built-in type and the format one that
/// [`StructFormat`] decodes, the parsed format (no Python object needed:
/// the built-in `unpack_from` of that format is a pure function of the
/// item's bytes).
// Two per comparison, on the stack; a Box would need an allocator.
#[allow(clippy::large_enum_variant)]
pub(crate) enum Unpacker {
    Slow(SlowUnpacker),
    /// The format, and the `struct.Struct` looked up for it.
    Fast(StructFormat, Owned),
}

/// `struct_get_unpacker(fmt, itemsize)`.
pub(crate) fn struct_get_unpacker(fmt: &[u8], itemsize: isize) -> PyResult<Unpacker> {
    let struct_ = api::import::module_attr(c"struct", c"Struct")?;
    if api::types::is_builtin_struct_type(struct_.borrow()) {
        // The built-in Struct accepts this format (the parser follows its
        // rules) and unpack_from reads `size` <= itemsize bytes: neither
        // can fail, so skipping the calls changes nothing but the time.
        if let Some(f) = StructFormat::parse(fmt) {
            if usize::try_from(itemsize).is_ok_and(|n| f.size() <= n) {
                return Ok(Unpacker::Fast(f, struct_));
            }
        }
    }
    slow_unpacker(struct_, fmt, itemsize).map(Unpacker::Slow)
}

/// The struct module part of `struct_get_unpacker`.
// C: unpacker_new
fn slow_unpacker(struct_: Owned, fmt: &[u8], itemsize: isize) -> PyResult<SlowUnpacker> {
    let format = api::bytes::from_slice(fmt)?;
    let structobj = api::call::one_arg(struct_.borrow(), format.borrow())?;
    let unpack_from = api::object::get_attr_string(structobj.borrow(), c"unpack_from")?;
    let item = PyMemBlock::new(usize::try_from(itemsize).unwrap_or(0))?;
    // SAFETY: `item` stays allocated as long as the memoryview is
    // referenced by the unpacker (struct invariant; the struct module does
    // not keep the views it unpacks from).
    let mview = unsafe {
        Owned::from_owned_ptr(PyMemoryView_FromMemory(
            item.as_ptr() as *mut _,
            itemsize,
            PYBUF_WRITE,
        ))?
    };
    // INVARIANT: mview covers exactly `item`.
    Ok(SlowUnpacker {
        unpack_from,
        mview,
        item,
    })
}

impl Unpacker {
    /// The struct module's unpacker for a fast one (when the other side of
    /// a comparison needs Python objects): what C would have made.
    pub(crate) fn into_slow(self, fmt: &[u8], itemsize: isize) -> PyResult<SlowUnpacker> {
        match self {
            Unpacker::Slow(u) => Ok(u),
            Unpacker::Fast(_, struct_) => slow_unpacker(struct_, fmt, itemsize),
        }
    }
}

impl SlowUnpacker {
    /// `struct_unpack_single(ptr, x)`: unpacks the item at `ptr`.
    ///
    /// # Safety
    /// `ptr` is readable for the itemsize.
    // C: struct_unpack_single
    pub(crate) unsafe fn unpack_single(&self, ptr: *const u8) -> PyResult<Owned> {
        // SAFETY: caller's contract; `item` holds itemsize bytes.
        unsafe { core::ptr::copy_nonoverlapping(ptr, self.item.as_ptr(), self.item.len()) };
        let v = api::call::one_arg(self.unpack_from.borrow(), self.mview.borrow())?;
        if cpython_sys::api::tuple::len(v.borrow()) == 1 {
            if let Some(x) = cpython_sys::api::tuple::get(v.borrow(), 0) {
                return Ok(x.new_ref());
            }
        }
        Ok(v)
    }
}
