/* See shims.h.  Compiled by build.rs with the build's own CFLAGS. */
#include "Python.h"
#include "pycore_long.h"
#include "pycore_object.h"
#include "pycore_runtime.h"

#include "shims.h"

PyObject *
rs_shim_test_PyLong_GetOne(void)
{
    return _PyLong_GetOne();
}

PyObject *
rs_shim_test_ID___reversed__(void)
{
    return &_Py_ID(__reversed__);
}

int rs_shim_test_PyObject_GC_IS_TRACKED(PyObject *op)
{
    return _PyObject_GC_IS_TRACKED(op);
}
void rs_shim_test_PyObject_GC_TRACK(PyObject *op) { _PyObject_GC_TRACK(op); }
void rs_shim_test_PyObject_GC_UnTrack(PyObject *op) { PyObject_GC_UnTrack(op); }
void rs_shim_test_Py_INCREF(PyObject *op) { Py_INCREF(op); }
void rs_shim_test_Py_DECREF(PyObject *op) { Py_DECREF(op); }
Py_ssize_t rs_shim_test_Py_REFCNT(PyObject *op) { return Py_REFCNT(op); }
int rs_shim_test_Py_IsImmortal(PyObject *op) { return _Py_IsImmortal(op); }
Py_ssize_t rs_shim_test_Py_SIZE(PyObject *op) { return Py_SIZE(op); }
PyObject *rs_shim_test_PyTuple_GET_ITEM(PyObject *op, Py_ssize_t i)
{
    return PyTuple_GET_ITEM(op, i);
}
Py_ssize_t rs_shim_test_PyVectorcall_NARGS(size_t n) { return PyVectorcall_NARGS(n); }
int rs_shim_test_PyType_HasFeature(PyTypeObject *tp, unsigned long f)
{
    return PyType_HasFeature(tp, f);
}

/* A statically allocated object header exactly as C initialises one. */
static PyTypeObject rs_shim_test_head = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    "rs_shim_test_head",
};

PyObject *rs_shim_test_static_type_head(void)
{
    return (PyObject *)&rs_shim_test_head;
}
