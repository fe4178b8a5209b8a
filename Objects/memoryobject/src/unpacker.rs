//! unpack using the struct module (the comparison fallback for formats
//! without a fast path).

use cpython_sys::api_memory::{self as am, PyMemBlock};
use cpython_sys::{Owned, PyResult};

use crate::constructors::PyMemoryView_FromMemory;
use crate::layout::PYBUF_WRITE;

/// `struct unpacker`: `Struct(fmt).unpack_from` with a cached item
/// buffer and a memoryview over it.
///
/// # Invariants
/// `mview` is a writable memoryview over exactly `item` (`item.len()`
/// bytes == the itemsize); `item` outlives `mview` (field order: `mview`
/// is dropped first).
pub(crate) struct Unpacker {
    unpack_from: Owned,
    mview: Owned,
    item: PyMemBlock,
}

/// `struct_get_unpacker(fmt, itemsize)`.
pub(crate) fn struct_get_unpacker(fmt: &[u8], itemsize: isize) -> PyResult<Unpacker> {
    let struct_ = am::import_module_attr(c"struct", c"Struct")?;
    let format = am::bytes_from_slice(fmt)?;
    let structobj = am::call_one_arg(struct_.borrow(), format.borrow())?;
    let unpack_from = am::get_attr_string(structobj.borrow(), c"unpack_from")?;
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
    Ok(Unpacker {
        unpack_from,
        mview,
        item,
    })
}

impl Unpacker {
    /// `struct_unpack_single(ptr, x)`: unpacks the item at `ptr`.
    ///
    /// # Safety
    /// `ptr` is readable for the itemsize.
    pub(crate) unsafe fn unpack_single(&self, ptr: *const u8) -> PyResult<Owned> {
        // SAFETY: caller's contract; `item` holds itemsize bytes.
        unsafe { core::ptr::copy_nonoverlapping(ptr, self.item.as_ptr(), self.item.len()) };
        let v = am::call_one_arg(self.unpack_from.borrow(), self.mview.borrow())?;
        if cpython_sys::api::tuple::len(v.borrow()) == 1 {
            if let Some(x) = cpython_sys::api::tuple::get(v.borrow(), 0) {
                return Ok(x.new_ref());
            }
        }
        Ok(v)
    }
}
