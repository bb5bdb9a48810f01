/* Numbers for people: the rates of swmr-watch, the counts and bytes of
 * swmr-append --progress. */
#include <criterion/criterion.h>
#include <math.h>     /* NAN, INFINITY */
#include <stdint.h>   /* UINT64_MAX */

#include "human.h"

Test(human, si_three_significant_digits)
{
    static const struct { double x; const char *text; } cases[] = {
        { 0, "0" }, { 0.01, "0" }, { 0.5, "0.5" }, { 12.54, "12.5" },
        { 99.96, "100" }, { 999, "999" }, { 999.6, "1.00k" },
        { 1234, "1.23k" }, { 45600, "45.6k" }, { 456000, "456k" },
        { 7.89e6, "7.89M" }, { 1e9, "1.00G" }, { -1500, "-1.50k" },
        { -12.5, "-12.5" }, { 2e18, "2000P" },
    };
    char buf[32];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        human_si(cases[i].x, buf, sizeof buf);
        cr_expect_str_eq(buf, cases[i].text, "x %g", cases[i].x);
    }
}

Test(human, si_of_nan_and_infinities_is_printf_s_words)
{
    /* NaN once ran the prefix loop zero times and read prefix[-1]; an
     * infinity divided by 1000 stays infinite ("infP"). */
    static const struct { double x; const char *text; } cases[] = {
        { NAN, "nan" }, { -NAN, "-nan" }, { INFINITY, "inf" },
        { -INFINITY, "-inf" },
    };
    char buf[32];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        human_si(cases[i].x, buf, sizeof buf);
        cr_expect_str_eq(buf, cases[i].text, "case %zu", i);
    }
}

Test(human, counts_are_exact_below_a_thousand)
{
    static const struct { uint64_t n; const char *text; } cases[] = {
        { 0, "0" }, { 7, "7" }, { 12, "12" }, { 999, "999" },
        { 1000, "1.00k" }, { 1200000, "1.20M" }, { 45300, "45.3k" },
    };
    char buf[32];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        human_count(cases[i].n, buf, sizeof buf);
        cr_expect_str_eq(buf, cases[i].text, "n %ju", (uintmax_t)cases[i].n);
    }
}

Test(human, bytes_in_binary_units)
{
    static const struct { uint64_t n; const char *text; } cases[] = {
        { 0, "0 bytes" }, { 1, "1 byte" }, { 21, "21 bytes" },
        { 999, "999 bytes" },
        { 1000, "0.98 KiB" }, { 1024, "1.00 KiB" }, { 1536, "1.50 KiB" },
        { 12897485, "12.3 MiB" }, { 1023ull << 10, "1.00 MiB" },
        { 3ull << 30, "3.00 GiB" }, { 150ull << 40, "150 TiB" },
        { UINT64_MAX, "16384 PiB" },
    };
    char buf[32];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        human_bytes(cases[i].n, buf, sizeof buf);
        cr_expect_str_eq(buf, cases[i].text, "n %ju", (uintmax_t)cases[i].n);
    }
}
