/* libFuzzer target: any bytes as one field, parsed as float64, float32 and
 * int64 by field_parse (with its fast paths) and checked against the C
 * library on the same text: a number it accepts must have strtod_l's bits
 * (strtof_l's for float32), an overflow must be infinity there, an integer
 * must be strtoll_l's value. Built and run by `make fuzz`. */
#include <math.h>      /* isinf, isnan */
#include <stdint.h>
#include <stdlib.h>    /* strtod_l, strtof_l, strtoll_l, abort */
#include <string.h>    /* memcpy */

#include "c_locale.h"
#include "record.h"
#include "types.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096)
        return 0;
    char text[4097];
    memcpy(text, data, size);
    text[size] = '\0';
    if (strlen(text) != size)
        return 0;   /* field_parse never sees a NUL: the splitter refuses it */

    double d;
    enum field_status st = field_parse(text, size, type_by_name("float64"), &d);
    if (st == FIELD_OK || st == FIELD_OVERFLOW) {
        double want = strtod_l(text, NULL, c_locale());
        if (st == FIELD_OVERFLOW ? !isinf(want)
            : isnan(want) ? !isnan(d) : memcmp(&d, &want, sizeof d) != 0)
            abort();
    }
    float f;
    st = field_parse(text, size, type_by_name("float32"), &f);
    if (st == FIELD_OK || st == FIELD_OVERFLOW) {
        float want = strtof_l(text, NULL, c_locale());
        if (st == FIELD_OVERFLOW ? !isinf(want)
            : isnan(want) ? !isnan(f) : memcmp(&f, &want, sizeof f) != 0)
            abort();
    }
    int64_t i;
    st = field_parse(text, size, type_by_name("int64"), &i);
    if (st == FIELD_OK) {
        /* Whole numbers may be written 5.0 or 5e2: compare through the
         * exact double when they are small enough to be one. */
        double x = strtod_l(text, NULL, c_locale());
        if (x > -9007199254740992.0 && x < 9007199254740992.0 && (double)i != x)
            abort();
    }
    return 0;
}
