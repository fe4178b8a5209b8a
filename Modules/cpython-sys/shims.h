/* C shims for static inline functions and macros of CPython's headers that
 * the Rust objects call but do not reimplement (src/inline.rs has the hot
 * ones).  Every shim is a plain function with an rs_shim_ prefix; the relink
 * step makes them local to the Rust library's object file. */
#ifndef CPYTHON_SYS_SHIMS_H
#define CPYTHON_SYS_SHIMS_H


#endif

/* The C macros themselves, for tests/inline.rs to compare the Rust
 * reimplementations in src/inline.rs with. */
int rs_shim_test_PyObject_GC_IS_TRACKED(PyObject *op);
void rs_shim_test_PyObject_GC_TRACK(PyObject *op);
void rs_shim_test_PyObject_GC_UnTrack(PyObject *op);
void rs_shim_test_Py_INCREF(PyObject *op);
void rs_shim_test_Py_DECREF(PyObject *op);
Py_ssize_t rs_shim_test_Py_REFCNT(PyObject *op);
int rs_shim_test_Py_IsImmortal(PyObject *op);
Py_ssize_t rs_shim_test_Py_SIZE(PyObject *op);
PyObject *rs_shim_test_PyTuple_GET_ITEM(PyObject *op, Py_ssize_t i);
Py_ssize_t rs_shim_test_PyVectorcall_NARGS(size_t n);
int rs_shim_test_PyType_HasFeature(PyTypeObject *tp, unsigned long f);
PyObject *rs_shim_test_PyLong_GetOne(void);
PyObject *rs_shim_test_ID___reversed__(void);
PyObject *rs_shim_test_static_type_head(void);
