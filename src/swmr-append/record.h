/* Record lines: splitting a line into fields and converting each field to a
 * value of the dataset's type, exactly (no wrap, no clamp, no locale).
 *
 * A line is given as (pointer, length) without its line ending; a trailing
 * '\r' is accepted and ignored. Fields are separated by whitespace or commas
 * (delimiter 0), or by one forced delimiter character. */
#ifndef SWMR_RECORD_H
#define SWMR_RECORD_H

#include <stdbool.h>
#include <stddef.h>

#include "types.h"

enum field_status {
    FIELD_OK = 0,
    FIELD_EMPTY,        /* "1,,2", a leading or trailing comma */
    FIELD_NOT_NUMBER,   /* "abc", "0x10", "1.2.3", "12abc" */
    FIELD_FRACTION,     /* "1.5" for an integer type */
    FIELD_RANGE,        /* "300" for uint8, "-1" for uint32 */
    FIELD_OVERFLOW,     /* "1e400" for float64: would be infinity */
    FIELD_NONFINITE,    /* "nan"/"inf" for an integer type */
    FIELD_NUL,          /* the line holds a NUL byte */
};

/* Where and why a line was rejected. */
struct record_error {
    size_t field;              /* 1-based; 0 when the whole line is at fault */
    enum field_status status;
    char text[48];             /* the offending field, shortened with "..." */
};

/* A field's place in its line. */
struct field_span {
    const char *start;
    size_t len;
};

enum line_kind {
    LINE_BLANK,    /* empty, only whitespace, or a '#' comment: skip it */
    LINE_FIELDS,   /* fields found */
    LINE_BAD,      /* a NUL byte or an empty field: see the error */
};

/* Split LINE into at most MAX spans. Sets *count to the number of fields in
 * the line, which may exceed MAX (spans past MAX are not stored): the caller
 * compares it with the column count it expects. */
enum line_kind record_split(const char *line, size_t len, char delimiter,
                            struct field_span *spans, size_t max,
                            size_t *count, struct record_error *err);

/* Convert one field to type T, stored in native byte order at OUT
 * (T->size bytes). Float values are the correctly rounded conversion (the
 * same bits as strtod in the C locale, or Python's float()). */
enum field_status field_parse(const char *s, size_t len,
                              const struct value_type *t, void *out);

/* Convert the COUNT spans of a split line into consecutive values at OUT.
 * On failure fills ERR (field number, status, text) and returns false. */
/* The common line of a one-column input, a single number as the fast
 * paths read it (surrounding blanks and a '\r' allowed), converted into
 * OUT. false: nothing is decided; record_split and record_convert take the
 * line and word any error. */
bool record_quick_single(const char *line, size_t len,
                         const struct value_type *t, void *out);

bool record_convert(const struct field_span *spans, size_t count,
                    const struct value_type *t, void *out,
                    struct record_error *err);

/* The same with a type per field: field I as TYPES[I], each value right
 * after the one before (packed, no padding). */
bool record_convert_each(const struct field_span *spans, size_t count,
                         const struct value_type *const *types, void *out,
                         struct record_error *err);

/* "field 2: 'abc' is not a number" (or "line holds a NUL byte") into BUF;
 * T names the type where the reason involves it. */
void record_error_text(const struct record_error *err,
                       const struct value_type *t, char *buf, size_t size);

#endif
