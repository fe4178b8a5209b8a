/* Generated -- do not edit, regenerate with `python3 Tools/rust regen` (or `make regen-rust`). */
/* Source: Objects/bytearrayobject/ (cbindgen 0.29.0, Objects/bytearrayobject/cbindgen.toml); what the Rust object exports to C. */

#ifndef Py_INTERNAL_BYTEARRAYOBJECT_RS_H
#define Py_INTERNAL_BYTEARRAYOBJECT_RS_H

#ifndef Py_BUILD_CORE
#  error "this header requires Py_BUILD_CORE define"
#endif

extern char _PyByteArray_empty_string[1];

extern PyTypeObject PyByteArray_Type;

extern PyTypeObject PyByteArrayIter_Type;

PyObject *PyByteArray_FromObject(PyObject *input);

PyObject *PyByteArray_FromStringAndSize(const char *bytes, Py_ssize_t size);

Py_ssize_t PyByteArray_Size(PyObject *op);

char *PyByteArray_AsString(PyObject *op);

int PyByteArray_Resize(PyObject *op, Py_ssize_t requested_size);

PyObject *PyByteArray_Concat(PyObject *a, PyObject *b);

#endif  /* Py_INTERNAL_BYTEARRAYOBJECT_RS_H */
