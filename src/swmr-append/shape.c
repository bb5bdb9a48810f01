/* A dataset's shape as plain data: the bytes of a row, the type of a
 * column, whatever its layout (one type, or a compound of columns). */
#include "h5writer.h"

#include <stdlib.h>   /* free */

size_t dataset_row_bytes(const struct dataset_shape *s)
{
    if (!s->compound)
        return s->columns * s->type->size;
    size_t bytes = s->timestamp ? TIME_FIELD_BYTES : 0;
    for (size_t i = 0; i < s->columns; i++)
        bytes += s->column_types[i]->size;
    return bytes;
}

const struct value_type *dataset_column_type(const struct dataset_shape *s,
                                             size_t i)
{
    return s->compound ? s->column_types[i] : s->type;
}

void dataset_shape_free(struct dataset_shape *s)
{
    free(s->column_types);
    s->column_types = NULL;
    if (s->field_names)
        for (char **n = s->field_names; *n; n++)
            free(*n);
    free(s->field_names);
    s->field_names = NULL;
}
