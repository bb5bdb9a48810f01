/* swmr-watch's output formats: time stamps, shapes, rates, values and whole
 * lines, pinned down byte for byte. */
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

Test(watch_shape, each_format)
{
    uint64_t dims[] = { 1000, 3 };
    char buf[64];
    watch_shape(FORMAT_TEXT, 2, dims, buf, sizeof buf);
    cr_assert_str_eq(buf, "[1000, 3]");
    watch_shape(FORMAT_TSV, 2, dims, buf, sizeof buf);
    cr_assert_str_eq(buf, "1000x3");
    watch_shape(FORMAT_JSON, 2, dims, buf, sizeof buf);
    cr_assert_str_eq(buf, "[1000,3]");
    watch_shape(FORMAT_JSON, 1, dims, buf, sizeof buf);
    cr_assert_str_eq(buf, "[1000]");
    watch_shape(FORMAT_JSON, 0, dims, buf, sizeof buf);
    cr_assert_str_eq(buf, "[]");
}

Test(watch_shape, truncates_safely)
{
    uint64_t dims[] = { 123456789, 987654321 };
    char buf[8];
    watch_shape(FORMAT_TEXT, 2, dims, buf, sizeof buf);
    cr_assert_eq(strlen(buf), 7);
}

Test(watch_rate, rows_per_second)
{
    cr_assert_float_eq(watch_rate(10, 0.5), 20.0, 1e-12);
    cr_assert_float_eq(watch_rate(-4, 2.0), -2.0, 1e-12);
    cr_assert_float_eq(watch_rate(10, 0.0), 0.0, 1e-12);
    cr_assert_float_eq(watch_rate(10, -1.0), 0.0, 1e-12);
}

Test(watch_rate, human)
{
    static const struct { double rate; const char *text; } cases[] = {
        { 0, "0" }, { 0.01, "0" }, { 0.5, "0.5" }, { 12.54, "12.5" },
        { 99.96, "100" }, { 999, "999" }, { 999.6, "1.00k" },
        { 1234, "1.23k" }, { 45600, "45.6k" }, { 456000, "456k" },
        { 7.89e6, "7.89M" }, { 1e9, "1.00G" }, { -1500, "-1.50k" },
        { -12.5, "-12.5" },
    };
    char buf[32];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        watch_rate_human(cases[i].rate, buf, sizeof buf);
        cr_expect_str_eq(buf, cases[i].text, "rate %g", cases[i].rate);
    }
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

static const char *value(const char *type, const void *p, bool json)
{
    static char buf[64];
    watch_value(type_by_name(type), p, json, buf, sizeof buf);
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
    cr_assert_str_eq(value("int8", &i8, false), "-128");
    cr_assert_str_eq(value("uint8", &u8, false), "255");
    cr_assert_str_eq(value("int16", &i16, false), "-300");
    cr_assert_str_eq(value("uint16", &u16, false), "65535");
    cr_assert_str_eq(value("int32", &i32, false), "-2147483648");
    cr_assert_str_eq(value("uint32", &u32, false), "4294967295");
    cr_assert_str_eq(value("int64", &i64, true), "-9223372036854775808");
    cr_assert_str_eq(value("uint64", &u64, true), "18446744073709551615");
}

Test(watch_value, floats_shortest_round_trip)
{
    double d = 0.1, big = 1e300, third = 1.0 / 3.0, whole = 2;
    float f = 0.1f, fmax = 3.4028235e38f;
    cr_assert_str_eq(value("float64", &d, true), "0.1");
    cr_assert_str_eq(value("float64", &big, true), "1e+300");
    cr_assert_str_eq(value("float64", &third, true), "0.3333333333333333");
    cr_assert_str_eq(value("float64", &whole, true), "2");
    cr_assert_str_eq(value("float32", &f, true), "0.1");
    cr_assert_str_eq(value("float32", &fmax, true), "3.4028235e+38");
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
        cr_expect_str_eq(value("float64", &cases[i].x, true), cases[i].text,
                         "%.17g", cases[i].x);
    float f = 16777216.0f, g = 0.3f;
    cr_assert_str_eq(value("float32", &f, false), "16777216");
    cr_assert_str_eq(value("float32", &g, false), "0.3");
}

Test(watch_value, non_finite)
{
    double nan = NAN, inf = INFINITY, ninf = -INFINITY;
    float fnan = NAN;
    cr_assert_str_eq(value("float64", &nan, false), "nan");
    cr_assert_str_eq(value("float64", &inf, false), "inf");
    cr_assert_str_eq(value("float64", &ninf, false), "-inf");
    cr_assert_str_eq(value("float64", &nan, true), "null");
    cr_assert_str_eq(value("float32", &fnan, true), "null");
}

Test(watch_line, json, .init = utc)
{
    uint64_t dims[] = { 12, 3 };
    struct watch_line l = { .when = when, .dataset = "/g/\"q\"\\x\t", .rank = 2,
                            .dims = dims, .delta = 4, .rate = 2.5,
                            .event = EVENT_CHANGE };
    char buf[512];
    watch_line_format(FORMAT_JSON, &l, 0, buf, sizeof buf);
    strcat(buf, watch_line_end(FORMAT_JSON));
    cr_assert_str_eq(buf,
        "{\"time\":\"2026-11-25T14:36:28.123+00:00\","
        "\"dataset\":\"/g/\\\"q\\\"\\\\x\\u0009\",\"shape\":[12,3],"
        "\"delta\":4,\"rate\":2.500,\"event\":\"change\"}\n");
}

Test(watch_line, tsv, .init = utc)
{
    uint64_t dims[] = { 7 };
    struct watch_line l = { .when = when, .dataset = "/data", .rank = 1,
                            .dims = dims, .delta = -3, .rate = -1.5,
                            .event = EVENT_CLOSE };
    char buf[512];
    watch_line_format(FORMAT_TSV, &l, 0, buf, sizeof buf);
    cr_assert_str_eq(buf, "2026-11-25T14:36:28.123+00:00\t/data\t7\t7\t-3"
                          "\t-1.500\tclose\n");
    cr_assert_str_eq(watch_tsv_header(),
                     "time\tdataset\trows\tshape\tdelta\trate\tevent\n");
    cr_assert_str_eq(watch_line_end(FORMAT_TSV), "");
}

Test(watch_line, text_is_aligned, .init = utc)
{
    uint64_t a[] = { 5 }, b[] = { 1234567, 2 };
    struct watch_line l1 = { .when = when, .dataset = "/a", .rank = 1,
                             .dims = a, .delta = 5, .rate = 1234,
                             .event = EVENT_CHANGE };
    struct watch_line l2 = { .when = when, .dataset = "/longer", .rank = 2,
                             .dims = b, .delta = 0, .event = EVENT_START };
    const char *names[] = { "/a", "/longer" };
    int width = watch_name_width(names, 2);
    cr_assert_eq(width, 7);
    char x[256], y[256];
    watch_line_format(FORMAT_TEXT, &l1, width, x, sizeof x);
    watch_line_format(FORMAT_TEXT, &l2, width, y, sizeof y);
    cr_assert_str_eq(x, "14:36:28.123  /a       [5]                    +5"
                        "    1.23k rows/s\n");
    cr_assert_str_eq(y, "14:36:28.123  /longer  [1234567, 2]           +0"
                        "        0 rows/s  (start)\n");
    /* The columns line up: "rows/s" ends at the same place. */
    cr_assert_eq(strstr(x, "rows/s") - x, strstr(y, "rows/s") - y);
}

Test(watch_event, names)
{
    cr_assert_str_eq(watch_event_name(EVENT_START), "start");
    cr_assert_str_eq(watch_event_name(EVENT_CHANGE), "change");
    cr_assert_str_eq(watch_event_name(EVENT_CLOSE), "close");
    cr_assert_str_eq(watch_event_name(EVENT_REOPEN), "reopen");
}

/* Run the values writer over ROWS (in blocks of BLOCK rows) into a string. */
static char *values(enum watch_format f, const char *type, int rank,
                    const uint64_t *dims, const void *data, size_t rows,
                    size_t block, uint64_t first)
{
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    struct watch_values v;
    const struct value_type *t = type_by_name(type);
    watch_values_begin(&v, out, f, t, rank, dims);
    size_t rowbytes = v.rowlen * t->size;
    for (size_t at = 0; at < rows; at += block) {
        size_t n = rows - at < block ? rows - at : block;
        watch_values_rows(&v, first + at, n,
                          (const unsigned char *)data + at * rowbytes);
    }
    watch_values_end(&v);
    fclose(out);
    return text;
}

Test(watch_values, json_1d_in_blocks)
{
    int16_t data[] = { -1, 2, -3, 4, 5 };
    uint64_t dims[] = { 5 };
    char *s = values(FORMAT_JSON, "int16", 1, dims, data, 5, 2, 10);
    cr_assert_str_eq(s, ",\"values\":[-1,2,-3,4,5]");
    free(s);
}

Test(watch_values, json_2d_rows_are_arrays)
{
    float data[] = { 0.5f, 1, 2, 3, -0.25f, 1e-3f };
    uint64_t dims[] = { 3, 2 };
    char *s = values(FORMAT_JSON, "float32", 2, dims, data, 3, 1, 0);
    cr_assert_str_eq(s, ",\"values\":[[0.5,1],[2,3],[-0.25,0.001]]");
    free(s);
}

Test(watch_values, text_and_tsv_rows_with_index)
{
    uint8_t data[] = { 1, 2, 3, 4 };
    uint64_t dims[] = { 2, 2 };
    char *s = values(FORMAT_TEXT, "uint8", 2, dims, data, 2, 1, 7);
    cr_assert_str_eq(s, "  7: 1 2\n  8: 3 4\n");
    free(s);
    s = values(FORMAT_TSV, "uint8", 2, dims, data, 2, 5, 7);
    cr_assert_str_eq(s, "\t7\t1\t2\n\t8\t3\t4\n");
    free(s);
}

Test(watch_values, json_empty)
{
    uint64_t dims[] = { 0 };
    char *s = values(FORMAT_JSON, "int64", 1, dims, NULL, 0, 1, 0);
    cr_assert_str_eq(s, ",\"values\":[]");
    free(s);
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

Test(watch_line, tsv_and_text_escape_names, .init = utc)
{
    uint64_t dims[] = { 7 };
    struct watch_line l = { .when = when, .dataset = "/a\tb\nc", .rank = 1,
                            .dims = dims, .delta = 1, .rate = 1,
                            .event = EVENT_CHANGE };
    char buf[512];
    watch_line_format(FORMAT_TSV, &l, 0, buf, sizeof buf);
    cr_assert_str_eq(buf, "2026-11-25T14:36:28.123+00:00\t/a\\tb\\nc\t7\t7\t1"
                          "\t1.000\tchange\n");
    watch_line_format(FORMAT_TEXT, &l, 0, buf, sizeof buf);
    cr_assert(strstr(buf, "/a\\tb\\nc") != NULL);
    cr_assert(strchr(buf, '\t') == NULL);
}

Test(watch_line, text_aligns_by_characters_not_bytes, .init = utc)
{
    uint64_t a[] = { 5 };
    struct watch_line l1 = { .when = when, .dataset = "/\xc3\xa9t\xc3\xa9",
                             .rank = 1, .dims = a, .event = EVENT_CHANGE };
    struct watch_line l2 = { .when = when, .dataset = "/summer",
                             .rank = 1, .dims = a, .event = EVENT_CHANGE };
    const char *names[] = { "/\xc3\xa9t\xc3\xa9", "/summer" };
    int width = watch_name_width(names, 2);
    cr_assert_eq(width, 7);
    char x[256], y[256];
    watch_line_format(FORMAT_TEXT, &l1, width, x, sizeof x);
    watch_line_format(FORMAT_TEXT, &l2, width, y, sizeof y);
    /* Two bytes more in x for its two 2-byte characters. */
    cr_assert_eq(strstr(x, "[5]") - x, strstr(y, "[5]") - y + 2);
}

/* Names are bytes in HDF5; JSON must be UTF-8. Valid characters pass
 * through, each byte that is not part of one becomes U+FFFD. */
Test(watch_line, json_replaces_bytes_that_are_not_utf8, .init = utc)
{
    uint64_t dims[] = { 1 };
    struct watch_line l = { .when = when, .rank = 1, .dims = dims,
                            .event = EVENT_START };
    char buf[2048];
    const struct { const char *name, *json; } cases[] = {
        { "/temp\xc2\xb0" "C", "\"/temp\xc2\xb0" "C\"" },            /* valid 2-byte */
        { "/\xe2\x82\xac\xf0\x9f\x98\x80", "\"/\xe2\x82\xac\xf0\x9f\x98\x80\"" },
        { "/a\xff" "b", "\"/a\\ufffdb\"" },                           /* never UTF-8 */
        { "/\x80", "\"/\\ufffd\"" },                                  /* stray continuation */
        { "/\xc3", "\"/\\ufffd\"" },                                  /* truncated at the end */
        { "/\xc0\xaf", "\"/\\ufffd\\ufffd\"" },                       /* overlong '/' */
        { "/\xed\xa0\x80", "\"/\\ufffd\\ufffd\\ufffd\"" },             /* surrogate */
        { "/\xf4\x90\x80\x80", "\"/\\ufffd\\ufffd\\ufffd\\ufffd\"" },  /* past U+10FFFF */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        l.dataset = cases[i].name;
        cr_assert_leq(watch_line_size(&l, 0), sizeof buf);
        watch_line_format(FORMAT_JSON, &l, 0, buf, sizeof buf);
        char want[128];
        snprintf(want, sizeof want, "\"dataset\":%s,", cases[i].json);
        cr_assert(strstr(buf, want), "case %zu: %s lacks %s", i, buf, want);
    }
}
