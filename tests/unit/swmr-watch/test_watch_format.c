/* The pieces of swmr-watch's output: time stamps, shapes, rates, values and
 * names, pinned down byte for byte (whole lines: test_sink.c). */
#include <criterion/criterion.h>
#include <math.h>    /* NAN, INFINITY */
#include <stdlib.h>  /* setenv, free */
#include <string.h>  /* strcmp */
#include <time.h>    /* tzset */

#include "watch_format.h"

/* 2026-11-25 14:36:28.123 UTC */
static const struct timespec when = { .tv_sec = 1795617388, .tv_nsec = 123456789 };

static void utc(void)
{
    setenv("TZ", "UTC", 1);
    tzset();
}

Test(watch_time, iso_has_milliseconds_and_offset, .init = utc)
{
    char buf[64];
    watch_time_iso(when, buf, sizeof buf);
    cr_assert_str_eq(buf, "2026-11-25T14:36:28.123+00:00");
}

Test(watch_time, iso_follows_the_local_zone)
{
    char buf[64];
    setenv("TZ", "XYZ-05:30", 1);   /* 5 h 30 east of UTC */
    tzset();
    watch_time_iso(when, buf, sizeof buf);
    cr_assert_str_eq(buf, "2026-11-25T20:06:28.123+05:30");
    setenv("TZ", "ABC+03", 1);      /* 3 h west */
    tzset();
    watch_time_iso(when, buf, sizeof buf);
    cr_assert_str_eq(buf, "2026-11-25T11:36:28.123-03:00");
}

Test(watch_time, clock_is_local_time_of_day, .init = utc)
{
    char buf[32];
    watch_time_clock(when, buf, sizeof buf);
    cr_assert_str_eq(buf, "14:36:28.123");
    struct timespec early = { .tv_sec = when.tv_sec, .tv_nsec = 999999 };
    watch_time_clock(early, buf, sizeof buf);
    cr_assert_str_eq(buf, "14:36:28.000");
}

Test(watch_shape, joined_and_bracketed)
{
    uint64_t dims[] = { 1000, 3 };
    char buf[64];
    watch_shape(2, dims, ", ", true, buf, sizeof buf);
    cr_assert_str_eq(buf, "[1000, 3]");
    watch_shape(2, dims, "x", false, buf, sizeof buf);
    cr_assert_str_eq(buf, "1000x3");
    watch_shape(1, dims, ",", true, buf, sizeof buf);
    cr_assert_str_eq(buf, "[1000]");
    watch_shape(0, dims, ",", true, buf, sizeof buf);
    cr_assert_str_eq(buf, "[]");
}

Test(watch_shape, truncates_safely)
{
    uint64_t dims[] = { 123456789, 987654321 };
    char buf[8];
    watch_shape(2, dims, ", ", true, buf, sizeof buf);
    cr_assert_eq(strlen(buf), 7);
}

Test(watch_rate, rows_per_second)
{
    cr_assert_float_eq(watch_rate(10, 0.5), 20.0, 1e-12);
    cr_assert_float_eq(watch_rate(-4, 2.0), -2.0, 1e-12);
    cr_assert_float_eq(watch_rate(10, 0.0), 0.0, 1e-12);
    cr_assert_float_eq(watch_rate(10, -1.0), 0.0, 1e-12);
}

Test(watch_due, coalescing_decision)
{
    double wait;
    cr_assert(watch_due(-1, 5.0, 2.0, &wait), "never printed: due");
    cr_assert(watch_due(1.0, 1.0, 0.0, &wait), "no --min-interval: due");
    cr_assert_not(watch_due(1.0, 2.5, 2.0, &wait));
    cr_assert_float_eq(wait, 0.5, 1e-12);
    cr_assert(watch_due(1.0, 3.0, 2.0, &wait));
    cr_assert_float_eq(wait, 0.0, 1e-12);
}

static const char *value(const char *type, const void *p)
{
    static char buf[64];
    watch_value(type_by_name(type), p, buf, sizeof buf);
    return buf;
}

Test(watch_value, integers_exactly)
{
    int8_t i8 = INT8_MIN;
    uint8_t u8 = UINT8_MAX;
    int16_t i16 = -300;
    uint16_t u16 = 65535;
    int32_t i32 = INT32_MIN;
    uint32_t u32 = UINT32_MAX;
    int64_t i64 = INT64_MIN;
    uint64_t u64 = UINT64_MAX;
    cr_assert_str_eq(value("int8", &i8), "-128");
    cr_assert_str_eq(value("uint8", &u8), "255");
    cr_assert_str_eq(value("int16", &i16), "-300");
    cr_assert_str_eq(value("uint16", &u16), "65535");
    cr_assert_str_eq(value("int32", &i32), "-2147483648");
    cr_assert_str_eq(value("uint32", &u32), "4294967295");
    cr_assert_str_eq(value("int64", &i64), "-9223372036854775808");
    cr_assert_str_eq(value("uint64", &u64), "18446744073709551615");
}

Test(watch_value, floats_shortest_round_trip)
{
    double d = 0.1, big = 1e300, third = 1.0 / 3.0, whole = 2;
    float f = 0.1f, fmax = 3.4028235e38f;
    cr_assert_str_eq(value("float64", &d), "0.1");
    cr_assert_str_eq(value("float64", &big), "1e+300");
    cr_assert_str_eq(value("float64", &third), "0.3333333333333333");
    cr_assert_str_eq(value("float64", &whole), "2");
    cr_assert_str_eq(value("float32", &f), "0.1");
    cr_assert_str_eq(value("float32", &fmax), "3.4028235e+38");
}

Test(watch_value, positional_between_1e_4_and_1e16)
{
    static const struct { double x; const char *text; } cases[] = {
        { 23670, "23670" }, { 0.0001, "0.0001" }, { 0.00001, "1e-05" },
        { 123456.5, "123456.5" }, { 1e15, "1000000000000000" },
        { 1e16, "1e+16" }, { -1.5e-7, "-1.5e-07" }, { 0, "0" },
        { 9007199254740993.0, "9007199254740992" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        cr_expect_str_eq(value("float64", &cases[i].x), cases[i].text,
                         "%.17g", cases[i].x);
    float f = 16777216.0f, g = 0.3f;
    cr_assert_str_eq(value("float32", &f), "16777216");
    cr_assert_str_eq(value("float32", &g), "0.3");
}

Test(watch_value, non_finite)
{
    double nan = NAN, inf = INFINITY, ninf = -INFINITY;
    float fnan = NAN;
    cr_assert_str_eq(value("float64", &nan), "nan");
    cr_assert_str_eq(value("float64", &inf), "inf");
    cr_assert_str_eq(value("float64", &ninf), "-inf");
    cr_assert_str_eq(value("float32", &fnan), "nan");
    /* false: not a number JSON can hold. */
    char buf[16];
    cr_assert_not(watch_value(type_by_name("float64"), &inf, buf, sizeof buf));
    double one = 1;
    cr_assert(watch_value(type_by_name("float64"), &one, buf, sizeof buf));
}

Test(watch_event, names)
{
    cr_assert_str_eq(watch_event_name(EVENT_START), "start");
    cr_assert_str_eq(watch_event_name(EVENT_CHANGE), "change");
    cr_assert_str_eq(watch_event_name(EVENT_CLOSE), "close");
    cr_assert_str_eq(watch_event_name(EVENT_REOPEN), "reopen");
}

Test(watch_name, control_characters_are_escaped)
{
    char buf[128];
    watch_escape_name("/a\tb\nc\\d\x1b[31m\x7f\r", buf, sizeof buf);
    cr_assert_str_eq(buf, "/a\\tb\\nc\\\\d\\x1b[31m\\x7f\\r");
    watch_escape_name("/\xc3\xa9t\xc3\xa9", buf, sizeof buf);
    cr_assert_str_eq(buf, "/\xc3\xa9t\xc3\xa9");   /* UTF-8 kept */
    /* Cut whole: never half an escape or half a character. */
    watch_escape_name("/\t\t", buf, 4);
    cr_assert_str_eq(buf, "/\\t");
    watch_escape_name("/\xc3\xa9", buf, 3);
    cr_assert_str_eq(buf, "/");
}
