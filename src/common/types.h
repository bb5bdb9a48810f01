/* The numeric element types both tools know: their names on the command
 * line, their sizes and ranges (types_h5.h maps them to HDF5's). */
#ifndef SWMR_TYPES_H
#define SWMR_TYPES_H

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

/* The type of KIND and SIZE bytes, or NULL when we have none. */
const struct value_type *type_by_kind(enum value_kind kind, size_t size);

/* "int8, int16, ..., float64": for usage messages. */
const char *type_names(void);

#endif
