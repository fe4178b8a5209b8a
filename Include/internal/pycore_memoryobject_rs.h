/* Generated -- do not edit, regenerate with `python3 Tools/rust regen` (or `make regen-rust`). */
/* Source: Objects/memoryobject/ (cbindgen 0.29.0, Objects/memoryobject/cbindgen.toml); what the Rust object exports to C. */

#ifndef Py_INTERNAL_MEMORYOBJECT_RS_H
#define Py_INTERNAL_MEMORYOBJECT_RS_H

#ifndef Py_BUILD_CORE
#  error "this header requires Py_BUILD_CORE define"
#endif

extern PyTypeObject _PyMemoryIter_Type;

extern PyTypeObject _PyManagedBuffer_Type;

extern PyTypeObject PyMemoryView_Type;

int PyBuffer_ToContiguous(void *buf, const Py_buffer *src, Py_ssize_t len, char order);

PyObject *PyMemoryView_FromMemory(char *mem, Py_ssize_t size, int flags);

PyObject *PyMemoryView_FromBuffer(const Py_buffer *info);

PyObject *_PyMemoryView_FromBufferProc(PyObject *v, int flags, getbufferproc bufferproc);

PyObject *PyMemoryView_FromObject(PyObject *v);

PyObject *PyMemoryView_GetContiguous(PyObject *obj, int buffertype, char order);

#endif  /* Py_INTERNAL_MEMORYOBJECT_RS_H */
