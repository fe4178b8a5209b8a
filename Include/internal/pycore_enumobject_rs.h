/* Generated -- do not edit, regenerate with `python3 Tools/rust regen` (or `make regen-rust`). */
/* Source: Objects/enumobject/ (cbindgen 0.29.0, Objects/enumobject/cbindgen.toml); what the Rust object exports to C. */

#ifndef Py_INTERNAL_ENUMOBJECT_RS_H
#define Py_INTERNAL_ENUMOBJECT_RS_H

#ifndef Py_BUILD_CORE
#  error "this header requires Py_BUILD_CORE define"
#endif

extern PyTypeObject PyEnum_Type;

extern PyTypeObject PyReversed_Type;

#endif  /* Py_INTERNAL_ENUMOBJECT_RS_H */
