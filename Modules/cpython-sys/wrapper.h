/* Headers bindgen reads for the raw bindings (Py_BUILD_CORE is defined by
 * build.rs).  Add the internal header an object needs here, not in the
 * object's crate. */
#include "Python.h"
#include "pycore_abstract.h"      // _PyIndex_Check()
#include "pycore_bytes_methods.h" // _Py_bytes_find(), _Py_bytes_maketrans()
#include "pycore_bytesobject.h"  // _PyBytes_Repeat(), _PyBytes_FromHex()
#include "pycore_call.h"          // _PyObject_CallNoArgs()
#include "pycore_ceval.h"         // _PyEval_GetBuiltin()
#include "pycore_import.h"        // _PyImport_GetModuleAttrString()
#include "pycore_long.h"          // _PyLong_GetOne()
#include "pycore_memoryobject.h"  // _PyManagedBuffer_Type
#include "pycore_modsupport.h"    // _PyArg_NoKwnames()
#include "pycore_object.h"        // _PyObject_GC_TRACK()
#include "pycore_pyhash.h"        // _Py_HashBytes()
#include "pycore_strhex.h"        // _Py_strhex_with_sep()
#include "pycore_unicodeobject.h" // _PyUnicode_EqualToASCIIString()

#include "shims.h"
