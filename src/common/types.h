/* The numeric element types both tools know: their names on the command
 * line, their sizes, ranges and HDF5 native types. */
#ifndef SWMR_TYPES_H
#define SWMR_TYPES_H

#include <hdf5.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum value_kind { KIND_SIGNED, KIND_UNSIGNED, KIND_FLOAT };

struct value_type {
    const char *name;     /* "int8" ... "float64" */
    enum value_kind kind;
    size_t size;          /* bytes per value */
    int64_t min;          /* integer kinds: smallest value */
    uint64_t max;         /* integer kinds: largest value */
};

/* NULL when NAME is not one of ours. */
const struct value_type *type_by_name(const char *name);

/* The type whose class, size and sign match the HDF5 datatype TID, or NULL
 * (strings, compounds, 128-bit ints, half floats...). */
const struct value_type *type_from_hdf5(hid_t tid);

/* HDF5's native in-memory type for T (owned by the library, not closed). */
hid_t type_native(const struct value_type *t);

/* "int8, int16, ..., float64": for usage messages. */
const char *type_names(void);

#endif
