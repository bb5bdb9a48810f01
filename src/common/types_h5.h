/* The element types (types.h) as HDF5 datatypes: the one module of the
 * type table that needs libhdf5, so the parsers and formatters stay pure. */
#ifndef SWMR_TYPES_H5_H
#define SWMR_TYPES_H5_H

#include <hdf5.h>

#include "types.h"

/* The type whose class, size and sign match the HDF5 datatype TID, or NULL
 * (strings, compounds, 128-bit ints, half floats...). */
const struct value_type *type_from_hdf5(hid_t tid);

/* HDF5's native in-memory type for T (owned by the library, not closed). */
hid_t type_native(const struct value_type *t);

#endif
