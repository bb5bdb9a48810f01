/* libFuzzer target: any bytes as one field and as one line, for every
 * element type. The fast paths (field_parse, record_quick_single) must
 * agree with the general path alone (general_only.c: the same status, the
 * same bits), and every float they accept must be what strtod_l or
 * strtof_l makes of the whole text. Built and run by `make fuzz`; briefly
 * by `make check` when clang has libFuzzer. */
#include <math.h>      /* isinf, isnan */
#include <stdint.h>
#include <stdlib.h>    /* strtod_l, strtof_l, abort */
#include <string.h>    /* memcpy, memcmp, strlen */

#include "c_locale.h"
#include "record.h"
#include "types.h"

enum field_status general_field_parse(const char *s, size_t len,
                                      const struct value_type *t, void *out);
enum line_kind general_record_split(const char *line, size_t len,
                                    char delimiter, struct field_span *spans,
                                    size_t max, size_t *count,
                                    struct record_error *err);
bool general_record_convert(const struct field_span *spans, size_t count,
                            const struct value_type *t, void *out,
                            struct record_error *err);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const types[] = {
    "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32",
    "uint64", "float32", "float64",
};

/* A float the parser accepted is the C library's reading of the whole
 * text. */
static void against_libc(const char *text, const struct value_type *t,
                         enum field_status st, const void *got)
{
    if (t->kind != KIND_FLOAT || (st != FIELD_OK && st != FIELD_OVERFLOW))
        return;
    char *end;
    if (t->size == 4) {
        float want = strtof_l(text, &end, c_locale()), f;
        memcpy(&f, got, sizeof f);
        if (*end || (st == FIELD_OVERFLOW ? !isinf(want)
                     : isnan(want) ? !isnan(f) : memcmp(&f, &want, 4) != 0))
            abort();
    } else {
        double want = strtod_l(text, &end, c_locale()), d;
        memcpy(&d, got, sizeof d);
        if (*end || (st == FIELD_OVERFLOW ? !isinf(want)
                     : isnan(want) ? !isnan(d) : memcmp(&d, &want, 8) != 0))
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096)
        return 0;
    char text[4097];
    memcpy(text, data, size);
    text[size] = '\0';
    bool has_nul = strlen(text) != size;
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        const struct value_type *t = type_by_name(types[i]);
        unsigned char fast[8] = { 0 }, slow[8] = { 0 };
        if (!has_nul) {   /* the splitter never hands over a NUL */
            enum field_status a = field_parse(text, size, t, fast);
            enum field_status b = general_field_parse(text, size, t, slow);
            if (a != b || (a == FIELD_OK && memcmp(fast, slow, t->size) != 0))
                abort();
            against_libc(text, t, a, fast);
        }
        /* The one-number line: taken at once, or left to the general
         * path, which must then agree (one field, the same bits). */
        memset(fast, 0, sizeof fast);
        if (record_quick_single(text, size, t, fast)) {
            struct field_span spans[2];
            size_t count;
            memset(slow, 0, sizeof slow);
            if (general_record_split(text, size, '\0', spans, 2, &count, NULL)
                    != LINE_FIELDS || count != 1 ||
                !general_record_convert(spans, 1, t, slow, NULL) ||
                memcmp(fast, slow, t->size) != 0)
                abort();
        }
    }
    return 0;
}
