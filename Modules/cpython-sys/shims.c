/* See shims.h.  Compiled by build.rs with the build's own CFLAGS. */
#include "Python.h"
#include "pycore_long.h"
#include "pycore_object.h"
#include "pycore_runtime.h"

#include "shims.h"

PyObject *
rs_shim_PyLong_GetOne(void)
{
    return _PyLong_GetOne();
}

int
rs_shim_PyObject_GC_IS_TRACKED(PyObject *op)
{
    return _PyObject_GC_IS_TRACKED(op);
}

void
rs_shim_PyObject_GC_TRACK(PyObject *op)
{
    _PyObject_GC_TRACK(op);
}

PyObject *
rs_shim_ID___reversed__(void)
{
    return &_Py_ID(__reversed__);
}
