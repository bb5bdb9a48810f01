#include "types.h"

#include <string.h> /* strcmp */

static const struct value_type types[] = {
    { "int8",    KIND_SIGNED,   1, INT8_MIN,  INT8_MAX },
    { "int16",   KIND_SIGNED,   2, INT16_MIN, INT16_MAX },
    { "int32",   KIND_SIGNED,   4, INT32_MIN, INT32_MAX },
    { "int64",   KIND_SIGNED,   8, INT64_MIN, INT64_MAX },
    { "uint8",   KIND_UNSIGNED, 1, 0, UINT8_MAX },
    { "uint16",  KIND_UNSIGNED, 2, 0, UINT16_MAX },
    { "uint32",  KIND_UNSIGNED, 4, 0, UINT32_MAX },
    { "uint64",  KIND_UNSIGNED, 8, 0, UINT64_MAX },
    { "float32", KIND_FLOAT,    4, 0, 0 },
    { "float64", KIND_FLOAT,    8, 0, 0 },
};
enum { NTYPES = sizeof types / sizeof types[0] };

const struct value_type *type_by_name(const char *name)
{
    for (size_t i = 0; i < NTYPES; i++)
        if (strcmp(types[i].name, name) == 0)
            return &types[i];
    return NULL;
}

const struct value_type *type_by_kind(enum value_kind kind, size_t size)
{
    for (size_t i = 0; i < NTYPES; i++)
        if (types[i].kind == kind && types[i].size == size)
            return &types[i];
    return NULL;
}

const char *type_names(void)
{
    return "int8, int16, int32, int64, uint8, uint16, uint32, uint64, "
           "float32, float64";
}
