//! The Rust reimplementations of CPython's static inline functions
//! (src/inline.rs) against the C macros themselves (compiled in shims.c
//! with the build's flags), on live objects of a real interpreter linked
//! from the build directory.  Release, debug and free-threaded builds each
//! run this with their own layout.

#[cfg(Py_DEBUG)]
use cpython_sys::ffi::Py_ssize_t;
use cpython_sys::ffi::{self, PyObject};
use cpython_sys::inline;
use std::sync::Once;

static INIT: Once = Once::new();

/// All checks run in one test: the interpreter is initialised once, by
/// (and with the GIL held by) this thread.
#[test]
fn inline_functions_match_the_c_macros() {
    INIT.call_once(|| {
        // The stdlib of the source tree (the test binary has no prefix).
        let src = std::env::var("CPYTHON_SRCDIR").expect("CPYTHON_SRCDIR");
        std::env::set_var("PYTHONPATH", format!("{src}/Lib"));
        std::env::set_var("PYTHONNOUSERSITE", "1");
        // SAFETY: the first call into the interpreter, made once.
        unsafe { ffi::Py_InitializeEx(0) }
    });
    // SAFETY: the interpreter is initialised (above) and this thread, the
    // test's only one, holds the GIL: what every check below needs.
    unsafe {
        refcounts_match();
        immortality_matches();
        sizes_and_tuple_items_match();
        vectorcall_nargs_matches();
        type_flags_match();
        static_header_matches();
        gc_tracking_matches();
        compact_ints_match();
        slices_unpack_like_c();
        slice_indices_adjust_like_c();
        buffer_fill_info_like_c();
        runtime_singletons_match();
        thread_state_matches();
        messages_are_aligned_c_strings();
        #[cfg(Py_DEBUG)]
        ref_total_matches();
    }
}

unsafe fn new_objects() -> Vec<*mut PyObject> {
    // SAFETY: called with the interpreter initialised and the GIL held
    // (inline_functions_match_the_c_macros); the objects used are live ones
    // this check creates, or immortal ones of the runtime.
    unsafe {
        vec![
            ffi::PyLong_FromLong(123_456_789),
            ffi::PyList_New(0),
            ffi::PyUnicode_FromString(c"not interned, not immortal".as_ptr()),
            ffi::PyTuple_New(3),
        ]
    }
}

unsafe fn refcounts_match() {
    // SAFETY: called with the interpreter initialised and the GIL held
    // (inline_functions_match_the_c_macros); the objects used are live ones
    // this check creates, or immortal ones of the runtime.
    unsafe {
        for op in new_objects() {
            assert!(!op.is_null());
            let start = ffi::rs_shim_test_Py_REFCNT(op);
            assert_eq!(inline::Py_REFCNT(op), start);
            inline::Py_INCREF(op);
            assert_eq!(ffi::rs_shim_test_Py_REFCNT(op), start + 1);
            ffi::rs_shim_test_Py_INCREF(op);
            assert_eq!(inline::Py_REFCNT(op), start + 2);
            inline::Py_DECREF(op);
            assert_eq!(ffi::rs_shim_test_Py_REFCNT(op), start + 1);
            ffi::rs_shim_test_Py_DECREF(op);
            assert_eq!(inline::Py_REFCNT(op), start);
            inline::Py_DECREF(op);
        }
        // The last reference: the Rust DECREF must deallocate (a set is
        // weakly referenceable, so a weak reference tells).
        let set = ffi::PySet_New(std::ptr::null_mut());
        let r = ffi::PyWeakref_NewRef(set, std::ptr::null_mut());
        assert!(!r.is_null());
        let mut referent = std::ptr::null_mut();
        assert_eq!(ffi::PyWeakref_GetRef(r, &mut referent), 1);
        inline::Py_DECREF(referent);
        inline::Py_DECREF(set);
        assert_eq!(
            ffi::PyWeakref_GetRef(r, &mut referent),
            0,
            "object was not freed"
        );
        inline::Py_DECREF(r);
    }
}

unsafe fn immortality_matches() {
    // SAFETY: called with the interpreter initialised and the GIL held
    // (inline_functions_match_the_c_macros); the objects used are live ones
    // this check creates, or immortal ones of the runtime.
    unsafe {
        let none = inline::Py_None();
        let small = ffi::PyLong_FromLong(5);
        let big = ffi::PyLong_FromLong(10_000_000);
        for op in [
            none,
            inline::Py_Bool(true),
            inline::Py_Bool(false),
            small,
            big,
        ] {
            assert_eq!(
                inline::_Py_IsImmortal(op),
                ffi::rs_shim_test_Py_IsImmortal(op) != 0
            );
            // INCREF/DECREF of an immortal object leave it as C leaves it.
            let rc = ffi::rs_shim_test_Py_REFCNT(op);
            inline::Py_INCREF(op);
            let after_rust = ffi::rs_shim_test_Py_REFCNT(op);
            inline::Py_DECREF(op);
            ffi::rs_shim_test_Py_INCREF(op);
            let after_c = ffi::rs_shim_test_Py_REFCNT(op);
            ffi::rs_shim_test_Py_DECREF(op);
            assert_eq!(after_rust, after_c);
            assert_eq!(ffi::rs_shim_test_Py_REFCNT(op), rc);
        }
        assert!(inline::_Py_IsImmortal(none));
        assert!(!inline::_Py_IsImmortal(big));
        inline::Py_DECREF(big);
    }
}

unsafe fn sizes_and_tuple_items_match() {
    // SAFETY: called with the interpreter initialised and the GIL held
    // (inline_functions_match_the_c_macros); the objects used are live ones
    // this check creates, or immortal ones of the runtime.
    unsafe {
        let t = ffi::PyTuple_New(3);
        for i in 0..3 {
            inline::PyTuple_SET_ITEM(t, i, ffi::PyLong_FromLong(1000 + i as std::ffi::c_long));
        }
        assert_eq!(inline::PyTuple_GET_SIZE(t), 3);
        assert_eq!(inline::Py_SIZE(t), ffi::rs_shim_test_Py_SIZE(t));
        for i in 0..3 {
            assert_eq!(
                inline::PyTuple_GET_ITEM(t, i),
                ffi::rs_shim_test_PyTuple_GET_ITEM(t, i)
            );
        }
        inline::Py_DECREF(t);
    }
}

unsafe fn vectorcall_nargs_matches() {
    for n in [
        0usize,
        1,
        5,
        inline::PY_VECTORCALL_ARGUMENTS_OFFSET | 3,
        usize::MAX,
    ] {
        // SAFETY: a plain function of its argument.
        assert_eq!(inline::PyVectorcall_NARGS(n), unsafe {
            ffi::rs_shim_test_PyVectorcall_NARGS(n)
        });
    }
}

unsafe fn type_flags_match() {
    // SAFETY: called with the interpreter initialised and the GIL held
    // (inline_functions_match_the_c_macros); the objects used are live ones
    // this check creates, or immortal ones of the runtime.
    unsafe {
        let tps = [
            &raw mut ffi::PyLong_Type,
            &raw mut ffi::PyTuple_Type,
            &raw mut ffi::PyType_Type,
            &raw mut ffi::PyBool_Type,
        ];
        for tp in tps {
            for bit in 0..64 {
                let f = 1u64 << bit;
                assert_eq!(
                    inline::PyType_HasFeature(tp, f),
                    ffi::rs_shim_test_PyType_HasFeature(tp, f as std::ffi::c_ulong) != 0
                );
            }
        }
    }
}

/// Objects tracked and untracked by the Rust functions are what C's
/// macros and the `gc` module see, and the generation lists stay whole
/// when Rust and C link and unlink next to each other.
unsafe fn gc_tracking_matches() {
    // SAFETY: called with the interpreter initialised and the GIL held
    // (inline_functions_match_the_c_macros); the objects used are live ones
    // this check creates, or immortal ones of the runtime.
    unsafe {
        let gc = ffi::PyImport_ImportModule(c"gc".as_ptr());
        assert!(!gc.is_null());
        let get_objects = ffi::PyObject_GetAttrString(gc, c"get_objects".as_ptr());
        assert!(!get_objects.is_null());
        // gc.get_objects(0): generation 0 (every tracked object when
        // free-threaded), where a newly tracked object goes.
        let in_gen0 = |op: *mut PyObject| -> bool {
            let args = ffi::PyTuple_New(1);
            inline::PyTuple_SET_ITEM(args, 0, ffi::PyLong_FromLong(0));
            let objs = ffi::PyObject_Call(get_objects, args, std::ptr::null_mut());
            assert!(!objs.is_null());
            // By identity: an empty list equals every other one.
            let found = (0..ffi::PyList_Size(objs)).any(|i| ffi::PyList_GetItem(objs, i) == op);
            inline::Py_DECREF(objs);
            inline::Py_DECREF(args);
            found
        };
        let c_tracked = |op| ffi::rs_shim_test_PyObject_GC_IS_TRACKED(op) != 0;

        // A list is tracked by PyList_New.
        let a = ffi::PyList_New(0);
        assert!(inline::_PyObject_GC_IS_TRACKED(a) && c_tracked(a));
        assert!(in_gen0(a));
        inline::PyObject_GC_UnTrack(a);
        assert!(!inline::_PyObject_GC_IS_TRACKED(a) && !c_tracked(a));
        assert!(!in_gen0(a));
        // A second untrack is a no-op, as for the exported function.
        inline::PyObject_GC_UnTrack(a);
        assert!(!c_tracked(a));
        inline::_PyObject_GC_TRACK(a);
        assert!(inline::_PyObject_GC_IS_TRACKED(a) && c_tracked(a));
        assert!(in_gen0(a));

        // Rust and C neighbours: links made by one are undone by the other.
        let b = ffi::PyList_New(0);
        let c = ffi::PyList_New(0);
        ffi::rs_shim_test_PyObject_GC_UnTrack(b);
        ffi::rs_shim_test_PyObject_GC_UnTrack(c);
        inline::_PyObject_GC_TRACK(b);
        ffi::rs_shim_test_PyObject_GC_TRACK(c);
        ffi::rs_shim_test_PyObject_GC_UnTrack(a);
        assert!(!in_gen0(a) && in_gen0(b) && in_gen0(c));
        inline::PyObject_GC_UnTrack(c);
        assert!(!c_tracked(c) && in_gen0(b) && !in_gen0(c));
        ffi::rs_shim_test_PyObject_GC_TRACK(a);
        ffi::rs_shim_test_PyObject_GC_TRACK(c);
        // A full collection walks (and merges) every generation's list.
        assert!(ffi::PyGC_Collect() >= 0);
        for op in [a, b, c] {
            assert!(c_tracked(op));
            inline::Py_DECREF(op);
        }
        inline::Py_DECREF(get_objects);
        inline::Py_DECREF(gc);
    }
}

/// `_PyLong_CompactValue` gives `PyLong_AsSsize_t`'s value for every int
/// of one 30-bit digit (bools included) and declines every larger one.
unsafe fn compact_ints_match() {
    const DIGIT: isize = 1 << 30;
    let values = [
        0,
        1,
        -1,
        5,
        -5,
        256,
        257,
        -6,
        12345,
        DIGIT - 1,
        -(DIGIT - 1),
        DIGIT,
        -DIGIT,
        DIGIT + 1,
        isize::MAX,
        isize::MIN,
    ];
    // SAFETY: called with the interpreter initialised and the GIL held
    // (inline_functions_match_the_c_macros); the objects used are live ones
    // this check creates, or immortal ones of the runtime.
    unsafe {
        for v in values {
            let op = ffi::PyLong_FromSsize_t(v);
            let compact = inline::_PyLong_CompactValue(op);
            assert_eq!(compact.is_some(), v.unsigned_abs() < DIGIT as usize, "{v}");
            if let Some(c) = compact {
                assert_eq!(c, ffi::PyLong_AsSsize_t(op), "{v}");
            }
            inline::Py_DECREF(op);
        }
        assert_eq!(inline::_PyLong_CompactValue(inline::Py_Bool(true)), Some(1));
        assert_eq!(
            inline::_PyLong_CompactValue(inline::Py_Bool(false)),
            Some(0)
        );
    }
}

/// `api::slice::unpack` (inline for None and one-digit ints) gives
/// what `PySlice_Unpack` gives, values or error, for slices of every
/// combination of None, small and big ints, bool, an int subclass and an
/// object with `__index__`.
unsafe fn slices_unpack_like_c() {
    use cpython_sys::api::slice::unpack as slice_unpack;
    use cpython_sys::Borrowed;
    let code = c"(lambda I, X: [None, 0, 1, -1, 7, -7, 2**30 - 1, -(2**30 - 1), \
        2**30, -2**30, 2**62, 2**100, -2**100, True, I(5), I(2**40), X()])(\
        type('I', (int,), {}), type('X', (), {'__index__': lambda self: 3}))";
    // SAFETY: called with the interpreter initialised and the GIL held
    // (inline_functions_match_the_c_macros); the objects used are live ones
    // this check creates, or immortal ones of the runtime.
    unsafe {
        let globals = ffi::PyDict_New();
        assert_eq!(
            ffi::PyDict_SetItemString(globals, c"__builtins__".as_ptr(), ffi::PyEval_GetBuiltins()),
            0
        );
        let list = ffi::PyRun_StringFlags(
            code.as_ptr(),
            ffi::Py_eval_input as i32,
            globals,
            globals,
            std::ptr::null_mut(),
        );
        assert!(!list.is_null(), "the values could not be made");
        let n = ffi::PyList_Size(list);
        let item = |i| ffi::PyList_GetItem(list, i);
        let mut inline_ok = 0;
        for a in 0..n {
            for b in 0..n {
                for c in 0..n {
                    let key = ffi::PySlice_New(item(a), item(b), item(c));
                    assert!(!key.is_null());
                    let (mut start, mut stop, mut step) = (0, 0, 0);
                    let want = if ffi::PySlice_Unpack(key, &mut start, &mut stop, &mut step) < 0 {
                        ffi::PyErr_Clear();
                        None
                    } else {
                        Some((start, stop, step))
                    };
                    let got = slice_unpack(Borrowed::from_ptr(key)).ok();
                    if got.is_none() {
                        assert!(!ffi::PyErr_Occurred().is_null());
                        ffi::PyErr_Clear();
                    }
                    assert_eq!(got, want, "slice({a}, {b}, {c}) of the values");
                    inline_ok += usize::from(got.is_some());
                    inline::Py_DECREF(key);
                }
            }
        }
        // A zero step is an error on both paths.
        assert!(inline_ok > 0 && inline_ok < (n * n * n) as usize);
        inline::Py_DECREF(list);
        inline::Py_DECREF(globals);
    }
}

/// `api::slice::adjust_indices` (pure arithmetic, inline) gives what
/// `PySlice_AdjustIndices` gives: the clamped ends and the slice length,
/// for lengths, ends and steps around every boundary and at
/// `PySlice_Unpack`'s extremes.
unsafe fn slice_indices_adjust_like_c() {
    use cpython_sys::api::slice::adjust_indices;
    use cpython_sys::ffi::Py_ssize_t;
    let (max, min) = (Py_ssize_t::MAX, Py_ssize_t::MIN);
    let ends = [
        min,
        -max,
        -12,
        -11,
        -10,
        -9,
        -5,
        -2,
        -1,
        0,
        1,
        2,
        4,
        9,
        10,
        11,
        15,
        max - 1,
        max,
    ];
    let steps = [-max, -11, -3, -2, -1, 1, 2, 3, 11, max];
    let mut nonempty = 0;
    for length in [0, 1, 2, 5, 10, max - 1, max] {
        for &start in &ends {
            for &stop in &ends {
                for &step in &steps {
                    let (mut a, mut b) = (start, stop);
                    // SAFETY: pure arithmetic on two locals; step != 0 and
                    // step >= -PY_SSIZE_T_MAX, C's contract.
                    let n = unsafe { ffi::PySlice_AdjustIndices(length, &mut a, &mut b, step) };
                    assert_eq!(
                        adjust_indices(length, start, stop, step),
                        (a, b, n),
                        "{length} [{start}:{stop}:{step}]"
                    );
                    nonempty += usize::from(n > 0);
                }
            }
        }
    }
    assert!(nonempty > 0);
}

/// `api::buffer::fill_info` (inline) fills a `Py_buffer` as
/// `PyBuffer_FillInfo` does, field by field, for every combination of the
/// request flags and both read-only states, and fails where C fails, with
/// C's exception.
unsafe fn buffer_fill_info_like_c() {
    use cpython_sys::api::buffer::fill_info;
    use cpython_sys::Borrowed;
    // SAFETY: called with the interpreter initialised and the GIL held
    // (inline_functions_match_the_c_macros); the views are locals filled
    // and released here; the exporter is a live bytes object of this
    // check.
    unsafe {
        let obj = ffi::PyBytes_FromStringAndSize(c"abcdef".as_ptr(), 6);
        assert!(!obj.is_null());
        let buf = ffi::PyBytes_AsString(obj) as *mut core::ffi::c_void;
        let mut checked = 0;
        for flags in (0..0x400).chain([ffi::PyBUF_READ as i32, ffi::PyBUF_WRITE as i32]) {
            for readonly in [false, true] {
                let mut c_view: ffi::Py_buffer = std::mem::zeroed();
                let mut r_view: ffi::Py_buffer = std::mem::zeroed();
                let c_rc =
                    ffi::PyBuffer_FillInfo(&mut c_view, obj, buf, 6, i32::from(readonly), flags);
                let c_err = if c_rc < 0 {
                    let e = ffi::PyErr_GetRaisedException();
                    assert!(!e.is_null());
                    Some(e)
                } else {
                    None
                };
                let r = fill_info(
                    &mut r_view,
                    Borrowed::from_ptr(obj),
                    buf,
                    6,
                    readonly,
                    flags,
                );
                match (c_err, r) {
                    (Some(ce), Err(_)) => {
                        let re = ffi::PyErr_GetRaisedException();
                        assert_eq!(inline::Py_TYPE(ce), inline::Py_TYPE(re), "{flags:#x}");
                        let (cs, rs) = (ffi::PyObject_Str(ce), ffi::PyObject_Str(re));
                        assert_eq!(ffi::PyObject_RichCompareBool(cs, rs, ffi::Py_EQ as i32), 1);
                        for o in [ce, re, cs, rs] {
                            inline::Py_DECREF(o);
                        }
                    }
                    (None, Ok(())) => {
                        let (c, r) = (&c_view, &r_view);
                        assert_eq!(
                            (c.obj, c.buf, c.len, c.readonly, c.itemsize, c.ndim),
                            (r.obj, r.buf, r.len, r.readonly, r.itemsize, r.ndim),
                            "{flags:#x} {readonly}"
                        );
                        let fmt = |p: *mut core::ffi::c_char| {
                            (!p.is_null()).then(|| std::ffi::CStr::from_ptr(p).to_owned())
                        };
                        assert_eq!(fmt(c.format), fmt(r.format), "{flags:#x}");
                        let own =
                            |p: *mut ffi::Py_ssize_t, v: &ffi::Py_buffer, f: &ffi::Py_ssize_t| {
                                if p.is_null() {
                                    0
                                } else if std::ptr::eq(p, f) {
                                    1
                                } else {
                                    assert!(std::ptr::eq(p, &v.itemsize));
                                    2
                                }
                            };
                        assert_eq!(
                            (own(c.shape, c, &c.len), own(c.strides, c, &c.len)),
                            (own(r.shape, r, &r.len), own(r.strides, r, &r.len)),
                            "{flags:#x}"
                        );
                        assert!(r.suboffsets.is_null() && r.internal.is_null());
                        ffi::PyBuffer_Release(&mut c_view);
                        ffi::PyBuffer_Release(&mut r_view);
                        checked += 1;
                    }
                    // Only one failed: the assertion fails, naming which.
                    (c, r) => assert_eq!(
                        c.is_some(),
                        r.is_err(),
                        "{flags:#x} {readonly}: C failed, Rust failed"
                    ),
                }
            }
        }
        assert!(checked > 1000);
        inline::Py_DECREF(obj);
    }
}

/// `PyType_HEAD_INIT!` produces the bytes of C's
/// `PyVarObject_HEAD_INIT(&PyType_Type, 0)`.
unsafe fn static_header_matches() {
    static mut RUST_HEAD: ffi::PyVarObject = cpython_sys::PyType_HEAD_INIT!();
    // SAFETY: called with the interpreter initialised and the GIL held
    // (inline_functions_match_the_c_macros); the objects used are live ones
    // this check creates, or immortal ones of the runtime.
    unsafe {
        let c = ffi::rs_shim_test_static_type_head() as *const u8;
        let r = &raw const RUST_HEAD as *const u8;
        let n = std::mem::size_of::<ffi::PyVarObject>();
        let c_bytes = std::slice::from_raw_parts(c, n);
        let r_bytes = std::slice::from_raw_parts(r, n);
        assert_eq!(c_bytes, r_bytes);
    }
}

#[cfg(Py_DEBUG)]
unsafe fn ref_total_matches() {
    // SAFETY: called with the interpreter initialised and the GIL held
    // (inline_functions_match_the_c_macros); the objects used are live ones
    // this check creates.
    unsafe {
        let op = ffi::PyList_New(0);
        let t0: Py_ssize_t = ffi::_Py_GetGlobalRefTotal();
        inline::Py_INCREF(op);
        let t1 = ffi::_Py_GetGlobalRefTotal();
        ffi::rs_shim_test_Py_INCREF(op);
        let t2 = ffi::_Py_GetGlobalRefTotal();
        assert_eq!(t1 - t0, t2 - t1);
        inline::Py_DECREF(op);
        let t3 = ffi::_Py_GetGlobalRefTotal();
        ffi::rs_shim_test_Py_DECREF(op);
        let t4 = ffi::_Py_GetGlobalRefTotal();
        assert_eq!(t2 - t3, t3 - t4);
        inline::Py_DECREF(op);
    }
}

/// `_PyLong_GetOne()` and `&_Py_ID(__reversed__)` are the C macros'
/// objects: the same addresses, the int 1 and the str "__reversed__".
unsafe fn runtime_singletons_match() {
    // SAFETY: called with the interpreter initialised and the GIL held
    // (inline_functions_match_the_c_macros); the objects used are live ones
    // this check creates, or immortal ones of the runtime.
    unsafe {
        let one = inline::_PyLong_GetOne();
        assert_eq!(one, ffi::rs_shim_test_PyLong_GetOne());
        assert_eq!(ffi::PyLong_AsLong(one), 1);
        let id = cpython_sys::_Py_ID!(_py___reversed__);
        assert_eq!(id, ffi::rs_shim_test_ID___reversed__());
        assert_eq!(
            ffi::PyUnicode_CompareWithASCIIString(id, c"__reversed__".as_ptr()),
            0
        );
    }
}

/// `cmsg!` gives the text with its NUL, 8-byte aligned (so that
/// `PyErr_SetString` decodes it a word at a time, as C's literals), and
/// PyErr_SetString raises exactly that text.
unsafe fn messages_are_aligned_c_strings() {
    use cpython_sys::api::err::is_c_string;
    let msgs = [
        cpython_sys::cmsg!(""),
        cpython_sys::cmsg!("x"),
        cpython_sys::cmsg!("memoryview: hashing is restricted to formats 'B', 'b' or 'c'"),
        cpython_sys::cmsg!("é and \\ escapes"),
    ];
    let texts: [&[u8]; 4] = [
        b"",
        b"x",
        b"memoryview: hashing is restricted to formats 'B', 'b' or 'c'",
        "é and \\ escapes".as_bytes(),
    ];
    for (m, t) in msgs.iter().map(|m| m.as_cstr()).zip(texts) {
        assert_eq!(m.as_ptr() as usize % 8, 0, "{m:?}");
        assert_eq!(m.to_bytes(), t);
        // SAFETY: called with the interpreter initialised and the GIL held
        // (inline_functions_match_the_c_macros); the objects used are live ones
        // this check creates, or immortal ones of the runtime.
        unsafe {
            ffi::PyErr_SetString(ffi::PyExc_ValueError, m.as_ptr());
            let exc = ffi::PyErr_GetRaisedException();
            let s = ffi::PyObject_Str(exc);
            let mut n: ffi::Py_ssize_t = 0;
            let p = ffi::PyUnicode_AsUTF8AndSize(s, &mut n);
            assert_eq!(std::slice::from_raw_parts(p as *const u8, n as usize), t);
            inline::Py_DECREF(s);
            inline::Py_DECREF(exc);
        }
    }
    assert!(is_c_string(b"a\0"));
    assert!(!is_c_string(b"a\0b\0"));
    assert!(!is_c_string(b"ab"));
    assert!(!is_c_string(b""));
}

/// `_PyThreadState_GET()` is the attached thread state, as
/// `PyThreadState_GetUnchecked()` gives it (and not NULL here).
unsafe fn thread_state_matches() {
    // SAFETY: called with the interpreter initialised and the GIL held
    // (inline_functions_match_the_c_macros); the objects used are live ones
    // this check creates, or immortal ones of the runtime.
    unsafe {
        let t = inline::_PyThreadState_GET();
        assert!(!t.is_null());
        assert_eq!(t, ffi::PyThreadState_GetUnchecked());
        assert_eq!(t, ffi::PyThreadState_Get());
    }
}
