/* Generated -- do not edit, regenerate with `python3 Tools/rust regen` (or `make regen-rust`). */
/* Source: Objects/bytearrayobject/ (cbindgen 0.29.0, Objects/bytearrayobject/cbindgen.toml); what the Rust object exports to C. */

#ifndef Py_INTERNAL_BYTEARRAYOBJECT_RS_H
#define Py_INTERNAL_BYTEARRAYOBJECT_RS_H

#ifndef Py_BUILD_CORE
#  error "this header requires Py_BUILD_CORE define"
#endif

#endif  /* Py_INTERNAL_BYTEARRAYOBJECT_RS_H */
