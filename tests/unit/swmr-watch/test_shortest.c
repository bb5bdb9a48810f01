/* shortest.c against the trial method it replaced (print with 1, 2, ...
 * significant digits until the text reads back): every float16, and
 * random float32 and float64 bit patterns (100,000 of each, or
 * SWMR_SHORTEST_SAMPLES: `make check-long` runs 10 million), plus the hard
 * cases. Each text must read back to the same bits and never be longer
 * than the trial method's. */
#include <criterion/criterion.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shortest.h"

/* X rounded to float16 (ties to even), as a double. */
static double to_half(double x)
{
    if (x == 0 || !isfinite(x))
        return x;
    int e;
    frexp(x, &e);
    double step = ldexp(1, e - 1 >= -14 ? e - 11 : -24);
    double r = nearbyint(x / step) * step;
    return fabs(r) > 65504 ? copysign(INFINITY, x) : r;
}

static bool reads_back(const char *s, double x, enum float_width w)
{
    double y = strtod(s, NULL);
    if (w == FLOAT16)
        return to_half(y) == x && signbit(to_half(y)) == signbit(x);
    if (w == FLOAT32) {
        float f = strtof(s, NULL);
        return memcmp(&f, &(float){ (float)x }, sizeof f) == 0;
    }
    return memcmp(&y, &x, sizeof y) == 0;
}

/* Significant digits of the text S ("-0.00120" has 3: 1, 2, 0). */
static int significant(const char *s)
{
    int n = 0, lead = 1;
    for (; *s && *s != 'e'; s++) {
        if (*s < '0' || *s > '9')
            continue;
        if (*s == '0' && lead)
            continue;
        lead = 0;
        n++;
    }
    /* Trailing zeros of an integer ("23670") are not significant. */
    return n ? n : 1;
}

/* The trial method's digit count for X. */
static int trial_digits(double x, enum float_width w)
{
    int max = w == FLOAT16 ? 5 : w == FLOAT32 ? 9 : 17;
    char buf[64];
    for (int digits = 1; digits < max; digits++) {
        snprintf(buf, sizeof buf, "%.*e", digits - 1, x);
        if (reads_back(buf, x, w))
            return digits;
    }
    return max;
}

static void check(double x, enum float_width w)
{
    char buf[SHORTEST_MAX];
    size_t n = shortest_text(x, w, buf);
    cr_assert_eq(n, strlen(buf));
    cr_assert(reads_back(buf, x, w), "%a (%d bits): '%s' reads back as %a",
              x, w, buf, strtod(buf, NULL));
    /* Count only the significant digits: "23670" is 4 of them. */
    char trimmed[SHORTEST_MAX];
    strcpy(trimmed, buf);
    char *e = strchr(trimmed, 'e');
    if (!e && !strchr(trimmed, '.'))
        for (size_t k = strlen(trimmed); k > 1 && trimmed[k - 1] == '0';)
            trimmed[--k] = '\0';
    cr_assert(significant(trimmed) <= trial_digits(x, w),
              "%a (%d bits): '%s' is longer than %d digits", x, w, buf,
              trial_digits(x, w));
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static uint64_t next_random(void)
{
    /* splitmix64: every bit pattern is as likely. */
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static long samples(void)
{
    const char *env = getenv("SWMR_SHORTEST_SAMPLES");
    return env ? atol(env) : 100000;
}

Test(shortest, known_texts)
{
    struct { double x; enum float_width w; const char *want; } cases[] = {
        { 0.1, FLOAT64, "0.1" }, { 23670, FLOAT64, "23670" },
        { 1e16, FLOAT64, "1e+16" }, { 1e15, FLOAT64, "1000000000000000" },
        { 0.0001, FLOAT64, "0.0001" }, { 0.00001, FLOAT64, "1e-05" },
        { 1e300, FLOAT64, "1e+300" }, { -0.0, FLOAT64, "-0" },
        { 0, FLOAT64, "0" }, { 5e-324, FLOAT64, "5e-324" },
        { DBL_MAX, FLOAT64, "1.7976931348623157e+308" },
        { DBL_MIN, FLOAT64, "2.2250738585072014e-308" },
        { 2.5e-05, FLOAT64, "2.5e-05" }, { 1.5, FLOAT64, "1.5" },
        { -3.25, FLOAT64, "-3.25" }, { 9007199254740993.0, FLOAT64,
                                      "9007199254740992" },
        { 0.1f, FLOAT32, "0.1" }, { FLT_MAX, FLOAT32, "3.4028235e+38" },
        { FLT_MIN, FLOAT32, "1.1754944e-38" },
        { 1.401298464324817e-45, FLOAT32, "1e-45" },
        { 16777216.0, FLOAT32, "16777216" },
        { 0.0999755859375, FLOAT16, "0.1" }, { 65504, FLOAT16, "65500" },
        { 5.9604644775390625e-08, FLOAT16, "6e-08" },
        { NAN, FLOAT64, "nan" }, { INFINITY, FLOAT32, "inf" },
        { -INFINITY, FLOAT16, "-inf" },
    };
    char buf[SHORTEST_MAX];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        shortest_text(cases[i].x, cases[i].w, buf);
        cr_expect_str_eq(buf, cases[i].want, "%a", cases[i].x);
    }
}

Test(shortest, hard_cases)
{
    /* Powers of 2 (a narrower gap below), both ends of every range,
     * subnormals, and the neighbours of powers of 10. */
    for (int e = -1074; e <= 1023; e++) {
        double p = ldexp(1, e);
        check(p, FLOAT64);
        check(nextafter(p, 0), FLOAT64);
        check(nextafter(p, INFINITY), FLOAT64);
    }
    for (int e = -149; e <= 127; e++) {
        float p = ldexpf(1, e);
        check(p, FLOAT32);
        check(nextafterf(p, 0), FLOAT32);
        check(nextafterf(p, INFINITY), FLOAT32);
    }
    for (int e = -323; e <= 308; e++) {
        double p = strtod((char[16]){ 0 }, NULL);
        char text[16];
        snprintf(text, sizeof text, "1e%d", e);
        p = strtod(text, NULL);
        check(p, FLOAT64);
        check(nextafter(p, 0), FLOAT64);
        check(nextafter(p, INFINITY), FLOAT64);
        if (e >= -45 && e <= 38) {
            float f = strtof(text, NULL);
            check(f, FLOAT32);
            check(nextafterf(f, INFINITY), FLOAT32);
        }
    }
    check(DBL_MAX, FLOAT64);
    check(-DBL_MAX, FLOAT64);
    check(FLT_MAX, FLOAT32);
    for (uint64_t m = 1; m < 1000; m++)
        check(ldexp((double)m, -1074), FLOAT64);   /* subnormals */
}

Test(shortest, every_float16)
{
    for (uint32_t bits = 0; bits < 0x10000; bits++) {
        uint32_t exp = bits >> 10 & 0x1f, man = bits & 0x3ff;
        if (exp == 0x1f)
            continue;
        double v = exp ? ldexp(1024 + man, (int)exp - 25) : ldexp(man, -24);
        check(bits & 0x8000 ? -v : v, FLOAT16);
    }
}

Test(shortest, whole_numbers, .timeout = 600)
{
    /* The shortcut for small integers (shortest.c) against the trial
     * method: every one to 100,000, powers of ten and two around the
     * limits, and random ones below 2^53 and 2^24 with trailing zeros. */
    for (double x = 1; x <= 100000; x++) {
        check(x, FLOAT64);
        check(-x, FLOAT64);
        check(x, FLOAT32);
    }
    for (double p = 1; p < 1e17; p *= 10)
        for (int k = -2; k <= 2; k++)   /* (past 2^53, x + 1 is x) */
            if (p + k >= 1) {
                check(p + k, FLOAT64);
                check(p + k, FLOAT32);
            }
    for (int b = 20; b <= 56; b++)
        for (int k = -4; k <= 4; k++) {
            check(ldexp(1, b) + k, FLOAT64);
            check(ldexp(1, b) + k, FLOAT32);
        }
    long n = samples();
    for (long i = 0; i < n; i++) {
        uint64_t r = next_random();
        double x = (double)(r >> 11);                    /* below 2^53 */
        x = floor(x / pow(10, (double)(r % 8))) * pow(10, (double)(r % 8));
        check(x, FLOAT64);
        check((double)(float)(r >> 40), FLOAT32);        /* below 2^24 */
    }
}

Test(shortest, random_float32, .timeout = 600)
{
    for (long i = samples(); i > 0; i--) {
        uint32_t bits = (uint32_t)next_random();
        float f;
        memcpy(&f, &bits, sizeof f);
        if (isfinite(f))
            check(f, FLOAT32);
    }
}

Test(shortest, random_float64, .timeout = 600)
{
    for (long i = samples(); i > 0; i--) {
        uint64_t bits = next_random();
        double x;
        memcpy(&x, &bits, sizeof x);
        if (isfinite(x))
            check(x, FLOAT64);
    }
}
