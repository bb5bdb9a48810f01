#include "human.h"

#include <inttypes.h> /* PRIu64 */
#include <math.h>     /* fabs, isfinite */
#include <stdio.h>    /* snprintf */

/* X (of magnitude 1 to 999.5 units of the PREFIX) with three significant
 * digits: 1.23, 45.6, 789. */
static void three_digits(double x, const char *prefix, char *buf, size_t size)
{
    double a = fabs(x);
    const char *fmt = a < 9.995 ? "%.2f%s" : a < 99.95 ? "%.1f%s" : "%.0f%s";
    snprintf(buf, size, fmt, x, prefix);
}

void human_si(double x, char *buf, size_t size)
{
    static const char *const prefix[] = { "k", "M", "G", "T", "P" };
    /* Not a number, or infinite: none of the cases below, and the loop
     * that finds the prefix would not run (NaN compares false) or not
     * end in range; printf's own words. */
    if (!isfinite(x)) {
        snprintf(buf, size, "%g", x);
        return;
    }
    double a = fabs(x);
    if (a < 0.05) {
        snprintf(buf, size, "0");
        return;
    }
    if (a < 999.5) {
        /* One decimal below 100 (12.5 rows/s), none above (999). */
        snprintf(buf, size, a < 99.95 ? "%.1f" : "%.0f", x);
        return;
    }
    int p = -1;
    while (a >= 999.5 && p < (int)(sizeof prefix / sizeof *prefix) - 1) {
        a /= 1000;
        x /= 1000;
        p++;
    }
    three_digits(x, prefix[p], buf, size);
}

void human_count(uint64_t n, char *buf, size_t size)
{
    if (n < 1000)
        snprintf(buf, size, "%" PRIu64, n);
    else
        human_si((double)n, buf, size);
}

void human_bytes(uint64_t n, char *buf, size_t size)
{
    static const char *const prefix[] = { " KiB", " MiB", " GiB", " TiB", " PiB" };
    /* Exact below 1000, in words: "21 bytes" as the summary says it. */
    if (n < 1000) {
        snprintf(buf, size, "%" PRIu64 " byte%s", n, n == 1 ? "" : "s");
        return;
    }
    /* 1000 to 1023 bytes are 0.98 KiB to 1.00 KiB: never four digits. */
    double x = (double)n;
    int p = -1;
    while (x >= 999.5 && p < (int)(sizeof prefix / sizeof *prefix) - 1) {
        x /= 1024;
        p++;
    }
    three_digits(x, prefix[p], buf, size);
}
