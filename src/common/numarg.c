#include "numarg.h"
#include "c_locale.h"

#include <ctype.h>  /* isdigit */
#include <errno.h>  /* errno, ERANGE */
#include <math.h>   /* isfinite */
#include <stdlib.h> /* strtoull, strtod_l */
#include <string.h> /* strspn */

bool numarg_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
    if (!isdigit((unsigned char)s[0]))
        return false;
    errno = 0;
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end || v < min || v > max)
        return false;
    *out = v;
    return true;
}

bool numarg_seconds(const char *s, double min, double max, double *out)
{
    /* Plain decimal only: strtod alone would take hex, "inf" and "nan". */
    if (s[strspn(s, "0123456789.eE+-")] != '\0' ||
        (!isdigit((unsigned char)s[0]) && s[0] != '.'))
        return false;
    errno = 0;
    char *end;
    double v = strtod_l(s, &end, c_locale());
    if (errno || *end || !isfinite(v) || v < min || v > max)
        return false;
    *out = v;
    return true;
}
