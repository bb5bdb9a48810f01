/* Each output sink, driven as the watcher drives it, into a memory stream:
 * whole lines, --values rows, and the live view's draws and messages. */
#include <criterion/criterion.h>
#include <math.h>    /* NAN, INFINITY */
#include <stdio.h>   /* open_memstream */
#include <stdlib.h>  /* setenv, free */
#include <string.h>  /* strstr, strcmp */
#include <time.h>    /* tzset */

#include "sink.h"

/* 2026-11-25 14:36:28.123 UTC */
/* The cell of a dataset of the number TYPE, as cell_h5.c makes it. */
static const struct cell *number(const char *type)
{
    static struct cell cells[16];
    static size_t n;
    const struct value_type *t = type_by_name(type);
    for (size_t i = 0; i < n; i++)
        if (cells[i].num == t)
            return &cells[i];
    cells[n] = (struct cell){ .kind = CELL_NUMBER, .size = t->size, .num = t };
    return &cells[n++];
}

static const struct timespec when = { .tv_sec = 1795617388, .tv_nsec = 123456789 };

static void utc(void)
{
    setenv("TZ", "UTC", 1);
    tzset();
}

/* A sink for FORMAT (LIVE: the live view) writing to memory. */
struct run {
    char *text;
    size_t size;
    FILE *out;
    struct sink *s;
};

static void start(struct run *r, enum watch_format f, bool live)
{
    *r = (struct run){ 0 };
    r->out = open_memstream(&r->text, &r->size);
    cr_assert(r->out);
    r->s = sink_new(f, live, r->out, "run.h5", false);
    cr_assert(r->s);
}

/* Everything written, as a string the caller frees. */
static char *stop(struct run *r)
{
    sink_finish(r->s);
    sink_free(r->s);
    fclose(r->out);
    return r->text;
}

static char *one_line(enum watch_format f, const struct watch_line *l,
                      const char *const *names, size_t n)
{
    struct run r;
    start(&r, f, false);
    sink_datasets(r.s, names, n);
    sink_line_begin(r.s, 0, l, 1.0);
    sink_line_end(r.s);
    return stop(&r);
}

Test(sink_json, whole_line, .init = utc)
{
    uint64_t dims[] = { 12, 3 };
    struct watch_line l = { .when = when, .dataset = "/g/\"q\"\\x\t", .rank = 2,
                            .dims = dims, .delta = 4, .rate = 2.5,
                            .event = EVENT_CHANGE };
    char *s = one_line(FORMAT_JSON, &l, NULL, 0);
    cr_assert_str_eq(s,
        "{\"time\":\"2026-11-25T14:36:28.123+00:00\","
        "\"dataset\":\"/g/\\\"q\\\"\\\\x\\t\",\"shape\":[12,3],"
        "\"delta\":4,\"rate\":2.500,\"event\":\"change\"}\n");
    free(s);
}

Test(sink_json, scalar_shape_is_an_empty_array, .init = utc)
{
    struct watch_line l = { .when = when, .dataset = "/s", .rank = 0,
                            .event = EVENT_START };
    char *s = one_line(FORMAT_JSON, &l, NULL, 0);
    cr_assert(strstr(s, "\"shape\":[],"), "%s", s);
    free(s);
}

Test(sink_tsv, header_once_then_lines, .init = utc)
{
    uint64_t dims[] = { 7 };
    struct watch_line l = { .when = when, .dataset = "/data", .rank = 1,
                            .dims = dims, .rows = 7, .delta = -3,
                            .rate = -1.5, .event = EVENT_CLOSE };
    struct run r;
    start(&r, FORMAT_TSV, false);
    for (int i = 0; i < 2; i++) {
        sink_line_begin(r.s, 0, &l, 1.0);
        sink_line_end(r.s);
    }
    char *s = stop(&r);
    cr_assert_str_eq(s, "time\tdataset\trows\tshape\tdelta\trate\tevent\n"
                        "2026-11-25T14:36:28.123+00:00\t/data\t7\t7\t-3"
                        "\t-1.500\tclose\n"
                        "2026-11-25T14:36:28.123+00:00\t/data\t7\t7\t-3"
                        "\t-1.500\tclose\n");
    free(s);
}

Test(sink_tsv, nothing_before_the_first_line)
{
    struct run r;
    start(&r, FORMAT_TSV, false);
    char *s = stop(&r);
    cr_assert_str_eq(s, "");
    free(s);
}

Test(sink_text, lines_are_aligned, .init = utc)
{
    uint64_t a[] = { 5 }, b[] = { 1234567, 2 };
    struct watch_line l1 = { .when = when, .dataset = "/a", .rank = 1,
                             .dims = a, .delta = 5, .rate = 1234,
                             .event = EVENT_CHANGE };
    struct watch_line l2 = { .when = when, .dataset = "/longer", .rank = 2,
                             .dims = b, .delta = 0, .event = EVENT_START };
    const char *names[] = { "/a", "/longer" };
    char *x = one_line(FORMAT_TEXT, &l1, names, 2);
    char *y = one_line(FORMAT_TEXT, &l2, names, 2);
    cr_assert_str_eq(x, "14:36:28.123  /a       [5]                    +5"
                        "    1.23k rows/s\n");
    cr_assert_str_eq(y, "14:36:28.123  /longer  [1234567, 2]           +0"
                        "        0 rows/s  (start)\n");
    /* The columns line up: "rows/s" ends at the same place. */
    cr_assert_eq(strstr(x, "rows/s") - x, strstr(y, "rows/s") - y);
    free(x);
    free(y);
}

Test(sink_text, events_say_what_happened, .init = utc)
{
    uint64_t dims[] = { 1 };
    struct watch_line l = { .when = when, .dataset = "/d", .rank = 1,
                            .dims = dims, .event = EVENT_CLOSE };
    char *s = one_line(FORMAT_TEXT, &l, NULL, 0);
    cr_assert(strstr(s, "(writer closed the file)\n"), "%s", s);
    free(s);
    l.event = EVENT_REOPEN;
    s = one_line(FORMAT_TEXT, &l, NULL, 0);
    cr_assert(strstr(s, "(file opened again)\n"), "%s", s);
    free(s);
}

Test(sink_text, tsv_and_text_escape_names, .init = utc)
{
    uint64_t dims[] = { 7 };
    struct watch_line l = { .when = when, .dataset = "/a\tb\nc", .rank = 1,
                            .dims = dims, .rows = 7, .delta = 1, .rate = 1,
                            .event = EVENT_CHANGE };
    char *s = one_line(FORMAT_TSV, &l, NULL, 0);
    cr_assert(strstr(s, "\n2026-11-25T14:36:28.123+00:00\t/a\\tb\\nc\t7\t7\t1"
                        "\t1.000\tchange\n"), "%s", s);
    free(s);
    s = one_line(FORMAT_TEXT, &l, NULL, 0);
    cr_assert(strstr(s, "/a\\tb\\nc") != NULL);
    cr_assert(strchr(s, '\t') == NULL);
    free(s);
}

Test(sink_text, aligns_by_characters_not_bytes, .init = utc)
{
    uint64_t a[] = { 5 };
    struct watch_line l1 = { .when = when, .dataset = "/\xc3\xa9t\xc3\xa9",
                             .rank = 1, .dims = a, .event = EVENT_CHANGE };
    struct watch_line l2 = { .when = when, .dataset = "/summer",
                             .rank = 1, .dims = a, .event = EVENT_CHANGE };
    const char *names[] = { "/\xc3\xa9t\xc3\xa9", "/summer" };
    char *x = one_line(FORMAT_TEXT, &l1, names, 2);
    char *y = one_line(FORMAT_TEXT, &l2, names, 2);
    /* Two bytes more in x for its two 2-byte characters. */
    cr_assert_eq(strstr(x, "[5]") - x, strstr(y, "[5]") - y + 2);
    free(x);
    free(y);
}

/* Names are bytes in HDF5; JSON must be UTF-8. Valid characters pass
 * through, each byte that is not part of one becomes U+FFFD. */
Test(sink_json, replaces_bytes_that_are_not_utf8, .init = utc)
{
    uint64_t dims[] = { 1 };
    struct watch_line l = { .when = when, .rank = 1, .dims = dims,
                            .event = EVENT_START };
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
        char *s = one_line(FORMAT_JSON, &l, NULL, 0);
        char want[128];
        snprintf(want, sizeof want, "\"dataset\":%s,", cases[i].json);
        cr_assert(strstr(s, want), "case %zu: %s lacks %s", i, s, want);
        free(s);
    }
}

static size_t count(const char *s, const char *what)
{
    size_t n = 0;
    for (const char *p = s; (p = strstr(p, what)); p += strlen(what))
        n++;
    return n;
}

/* A line of FORMAT with --values: the cells of BLOCKS (NB of them) of a
 * dataset of extent DIMS, DATA given BY cells at a time, as the watcher
 * gives them. Only the values: the line (and TSV's header) dropped, or,
 * for JSON, the "values" member alone (BLOCKS_TOO: with "blocks"). */
static char *with_cells(enum watch_format f, const char *type, int rank,
                        const uint64_t *dims,
                        const struct growth_block *blocks, size_t nb,
                        const void *data, size_t by, bool blocks_too)
{
    struct watch_line l = { .when = when, .dataset = "/v", .rank = rank,
                            .dims = dims, .event = EVENT_CHANGE };
    const struct value_type *t = type_by_name(type);
    struct sink_values v = { .cell = number(type), .rank = rank, .dims = dims,
                             .nblocks = nb, .blocks = blocks };
    size_t cells = 0;
    for (size_t b = 0; b < nb; b++)
        cells += growth_product(rank, blocks[b].count);
    struct run r;
    start(&r, f, false);
    sink_line_begin(r.s, 0, &l, 1.0);
    sink_values_begin(r.s, &v);
    for (size_t at = 0; at < cells; at += by)
        sink_values_cells(r.s, (const unsigned char *)data + at * t->size,
                          cells - at < by ? cells - at : by);
    sink_values_end(r.s);
    sink_line_end(r.s);
    char *s = stop(&r);
    char *v0 = f == FORMAT_JSON ? strstr(s, ",\"values\"") : strchr(s, '\n') + 1;
    if (f == FORMAT_TSV)
        v0 = strchr(v0, '\n') + 1;   /* and the header */
    cr_assert(v0, "%s", s);
    memmove(s, v0, strlen(v0) + 1);
    if (f == FORMAT_JSON) {
        cr_assert_str_eq(s + strlen(s) - 2, "}\n");
        s[strlen(s) - 2] = '\0';
        char *b = strstr(s, ",\"blocks\"");
        cr_assert(b, "%s", s);
        if (!blocks_too)
            *b = '\0';
    }
    return s;
}

/* ROWS new rows of DATA from row FIRST (given BLOCK rows at a time): the
 * growth along the first dimension. */
static char *with_values(enum watch_format f, const char *type, int rank,
                         const uint64_t *dims, const void *data, size_t rows,
                         size_t block, uint64_t first)
{
    struct growth_block b = { .start = { first }, .count = { rows } };
    size_t rowlen = 1;
    for (int k = 1; k < rank; k++) {
        b.count[k] = dims[k];
        rowlen *= dims[k];
    }
    return with_cells(f, type, rank, dims, &b, rows ? 1 : 0, data,
                      block * rowlen, false);
}

Test(sink_values, json_1d_in_blocks, .init = utc)
{
    int16_t data[] = { -1, 2, -3, 4, 5 };
    uint64_t dims[] = { 5 };
    char *s = with_values(FORMAT_JSON, "int16", 1, dims, data, 5, 2, 10);
    cr_assert_str_eq(s, ",\"values\":[-1,2,-3,4,5]");
    free(s);
}

Test(sink_values, json_2d_rows_are_arrays, .init = utc)
{
    float data[] = { 0.5f, 1, 2, 3, -0.25f, 1e-3f };
    uint64_t dims[] = { 3, 2 };
    char *s = with_values(FORMAT_JSON, "float32", 2, dims, data, 3, 1, 0);
    cr_assert_str_eq(s, ",\"values\":[[0.5,1.0],[2.0,3.0],[-0.25,0.001]]");
    free(s);
}

Test(sink_values, json_non_finite_are_distinct_strings, .init = utc)
{
    double data[] = { 1, NAN, INFINITY, -INFINITY, -NAN };
    uint64_t dims[] = { 5 };
    char *s = with_values(FORMAT_JSON, "float64", 1, dims, data, 5, 4, 0);
    cr_assert_str_eq(s, ",\"values\":[1.0,\"nan\",\"inf\",\"-inf\",\"nan\"]");
    free(s);
    float f[] = { INFINITY, 0.5f, -INFINITY, NAN };
    uint64_t dims2[] = { 2, 2 };
    s = with_values(FORMAT_JSON, "float32", 2, dims2, f, 2, 1, 0);
    cr_assert_str_eq(s, ",\"values\":[[\"inf\",0.5],[\"-inf\",\"nan\"]]");
    free(s);
}

/* A JSON line whose rows FIRST.. could not be read, after READ rows that
 * could (in one block). */
static char *json_unread(size_t read, uint64_t first, uint64_t last,
                         const char *reason)
{
    int32_t data[] = { 7, 8, 9 };
    uint64_t dims[] = { last + 1 };
    struct watch_line l = { .when = when, .dataset = "/v", .rank = 1,
                            .dims = dims, .event = EVENT_CHANGE };
    struct growth_block block = { .start = { first - read },
                                  .count = { last + 1 - (first - read) } };
    struct sink_values v = { .cell = number("int32"), .rank = 1, .dims = dims,
                             .nblocks = 1, .blocks = &block };
    struct run r;
    start(&r, FORMAT_JSON, false);
    sink_line_begin(r.s, 0, &l, 1.0);
    if (read) {
        sink_values_begin(r.s, &v);
        sink_values_cells(r.s, data, read);
        sink_values_end(r.s);
    }
    char what[64];
    snprintf(what, sizeof what, "rows %llu to %llu", (unsigned long long)first,
             (unsigned long long)last);
    sink_values_error(r.s, what, reason);
    sink_line_end(r.s);
    return stop(&r);
}

Test(sink_values, json_unread_rows_are_null_with_an_error, .init = utc)
{
    char *s = json_unread(0, 4, 6, "required filter 'lzf' is not registered");
    cr_assert(strstr(s, ",\"event\":\"change\",\"values\":null,\"blocks\":null,\"error\":"
                        "\"cannot read rows 4 to 6: required filter 'lzf' "
                        "is not registered\"}\n"), "%s", s);
    cr_assert_null(strstr(s, "[]"), "%s", s);
    free(s);
    /* Rows read before the failure stay; the error says which are not. */
    s = json_unread(2, 6, 9, "inflate() failed \"x\"");
    cr_assert(strstr(s, ",\"values\":[7,8],\"blocks\":[{\"start\":[4],\"count\":[6]}],\"error\":\"cannot read rows 6 "
                        "to 9: inflate() failed \\\"x\\\"\"}\n"), "%s", s);
    free(s);
    s = json_unread(0, 0, 0, "");
    cr_assert(strstr(s, ",\"values\":null,\"blocks\":null,\"error\":\"cannot read rows 0 to "
                        "0: HDF5 gave no reason\"}\n"), "%s", s);
    free(s);
}

Test(sink_values, text_and_tsv_print_no_row_for_unread_rows, .init = utc)
{
    uint64_t dims[] = { 3 };
    struct watch_line l = { .when = when, .dataset = "/v", .rank = 1,
                            .dims = dims, .event = EVENT_CHANGE };
    for (int f = FORMAT_TEXT; f <= FORMAT_TSV; f++) {
        struct run r;
        start(&r, f, false);
        sink_line_begin(r.s, 0, &l, 1.0);
        sink_values_error(r.s, "rows 0 to 2",
                          "required filter 'lzf' is not registered");
        sink_line_end(r.s);
        char *s = stop(&r);
        cr_assert_eq(count(s, "\n"), f == FORMAT_TSV ? 2 : 1, "%s", s);
        free(s);
    }
}

Test(sink_values, text_and_tsv_rows_with_index, .init = utc)
{
    uint8_t data[] = { 1, 2, 3, 4 };
    uint64_t dims[] = { 2, 2 };
    char *s = with_values(FORMAT_TEXT, "uint8", 2, dims, data, 2, 1, 7);
    cr_assert_str_eq(s, "  7: 1 2\n  8: 3 4\n");
    free(s);
    s = with_values(FORMAT_TSV, "uint8", 2, dims, data, 2, 5, 7);
    cr_assert_str_eq(s, "\t7\t1\t2\n\t8\t3\t4\n");
    free(s);
}

Test(sink_values, json_empty_and_none, .init = utc)
{
    uint64_t dims[] = { 0 };
    char *s = with_values(FORMAT_JSON, "int64", 1, dims, NULL, 0, 1, 0);
    cr_assert_str_eq(s, ",\"values\":[]");
    free(s);
    struct watch_line l = { .when = when, .dataset = "/v", .rank = 1,
                            .dims = dims, .event = EVENT_START };
    for (int unshowable = 0; unshowable < 2; unshowable++) {
        struct run r;
        start(&r, FORMAT_JSON, false);
        sink_line_begin(r.s, 0, &l, 1.0);
        sink_values_none(r.s, unshowable);
        sink_line_end(r.s);
        s = stop(&r);
        cr_assert(strstr(s, unshowable ? ",\"values\":null,\"blocks\":null}\n"
                                       : ",\"values\":[],\"blocks\":[]}\n"),
                  "%s", s);
        free(s);
    }
}

/* A (2, 3) dataset grown to (4, 5): two new columns of the old rows,
 * then two new rows; given 3 cells at a time, across rows and blocks. */
static const struct growth_block grid_blocks[] = {
    { .start = { 0, 3 }, .count = { 2, 2 } },
    { .start = { 2, 0 }, .count = { 2, 5 } },
};
static const int32_t grid_data[] = { 3, 4, 1003, 1004,
                                     2000, 2001, 2002, 2003, 2004,
                                     3000, 3001, 3002, 3003, 3004 };
static const uint64_t grid_dims[] = { 4, 5 };

Test(sink_values, text_2d_growth_each_run_with_its_index, .init = utc)
{
    char *s = with_cells(FORMAT_TEXT, "int32", 2, grid_dims, grid_blocks, 2,
                         grid_data, 3, false);
    cr_assert_str_eq(s, "  0,3: 3 4\n  1,3: 1003 1004\n"
                        "  2: 2000 2001 2002 2003 2004\n"
                        "  3: 3000 3001 3002 3003 3004\n");
    free(s);
    s = with_cells(FORMAT_TSV, "int32", 2, grid_dims, grid_blocks, 2,
                   grid_data, 5, false);
    cr_assert_str_eq(s, "\t0,3\t3\t4\n\t1,3\t1003\t1004\n"
                        "\t2\t2000\t2001\t2002\t2003\t2004\n"
                        "\t3\t3000\t3001\t3002\t3003\t3004\n");
    free(s);
}

Test(sink_values, json_2d_growth_values_and_blocks, .init = utc)
{
    char *s = with_cells(FORMAT_JSON, "int32", 2, grid_dims, grid_blocks, 2,
                         grid_data, 1, true);
    cr_assert_str_eq(s, ",\"values\":[[3,4],[1003,1004],"
                        "[2000,2001,2002,2003,2004],[3000,3001,3002,3003,3004]],"
                        "\"blocks\":[{\"start\":[0,3],\"count\":[2,2]},"
                        "{\"start\":[2,0],\"count\":[2,5]}]");
    free(s);
}

Test(sink_values, growth_along_the_last_of_three_dimensions, .init = utc)
{
    /* (2, 3, 2) to (2, 3, 4): a run of 2 new cells at each (i, j). */
    uint64_t dims[] = { 2, 3, 4 };
    struct growth_block b = { .start = { 0, 0, 2 }, .count = { 2, 3, 2 } };
    uint8_t data[12];
    for (int i = 0; i < 12; i++)
        data[i] = (uint8_t)i;
    char *s = with_cells(FORMAT_TEXT, "uint8", 3, dims, &b, 1, data, 5, false);
    cr_assert_str_eq(s, "  0,0,2: 0 1\n  0,1,2: 2 3\n  0,2,2: 4 5\n"
                        "  1,0,2: 6 7\n  1,1,2: 8 9\n  1,2,2: 10 11\n");
    free(s);
    s = with_cells(FORMAT_JSON, "uint8", 3, dims, &b, 1, data, 7, true);
    cr_assert_str_eq(s, ",\"values\":[[0,1,2,3,4,5],[6,7,8,9,10,11]],"
                        "\"blocks\":[{\"start\":[0,0,2],"
                        "\"count\":[2,3,2]}]");
    free(s);
}

Test(sink_values, text_and_tsv_say_nothing_of_no_rows, .init = utc)
{
    uint64_t dims[] = { 3 };
    struct watch_line l = { .when = when, .dataset = "/v", .rank = 1,
                            .dims = dims, .event = EVENT_START };
    for (int f = FORMAT_TEXT; f <= FORMAT_TSV; f++) {
        struct run r;
        start(&r, f, false);
        sink_line_begin(r.s, 0, &l, 1.0);
        sink_values_none(r.s, true);
        sink_line_end(r.s);
        char *s = stop(&r);
        cr_assert_eq(count(s, "\n"), f == FORMAT_TSV ? 2 : 1, "%s", s);
        free(s);
    }
}

/* ---- The live view ---- */

Test(sink_live, draws_nothing_until_there_is_something_to_show)
{
    struct run r;
    start(&r, FORMAT_TEXT, true);
    sink_tick(r.s, 1.0, false);
    sink_msg_begin(r.s, false);
    sink_msg_end(r.s, false);
    char *s = stop(&r);
    cr_assert_str_eq(s, "");
    free(s);
}

Test(sink_live, a_state_is_drawn_at_the_first_tick)
{
    struct run r;
    start(&r, FORMAT_TEXT, true);
    sink_state(r.s, "waiting for the file");
    sink_tick(r.s, 1.0, false);
    fflush(r.out);
    cr_assert(strstr(r.text, "run.h5  waiting for the file"), "%s", r.text);
    char *s = stop(&r);
    free(s);
}

Test(sink_live, lines_draw_at_most_every_tenth_of_a_second)
{
    const char *names[] = { "/data" };
    uint64_t dims[] = { 10 };
    struct watch_line l = { .when = when, .dataset = "/data", .rank = 1,
                            .dims = dims, .rows = 10, .delta = 10,
                            .event = EVENT_CHANGE };
    struct run r;
    start(&r, FORMAT_TEXT, true);
    sink_datasets(r.s, names, 1);
    sink_state(r.s, "writer active");
    sink_line_begin(r.s, 0, &l, 1.00);
    sink_line_end(r.s);
    dims[0] = l.rows = 20;
    sink_line_begin(r.s, 0, &l, 1.05);   /* too soon: held back */
    sink_line_end(r.s);
    fflush(r.out);
    cr_assert_eq(count(r.text, "writer active"), 1, "%s", r.text);
    double next = sink_next_tick(r.s, 1.05);
    cr_assert(next > 0.04 && next < 0.06, "next tick in %g", next);
    sink_tick(r.s, 1.10, false);         /* the held-back draw */
    fflush(r.out);
    cr_assert_eq(count(r.text, "writer active"), 2, "%s", r.text);
    cr_assert(strstr(r.text, "20 rows"), "%s", r.text);
    char *s = stop(&r);
    free(s);
}

Test(sink_live, shapes_between_lines_are_drawn)
{
    const char *names[] = { "/a", "/b" };
    uint64_t two[] = { 2 }, seven[] = { 7 };
    struct run r;
    start(&r, FORMAT_TEXT, true);
    sink_datasets(r.s, names, 2);
    sink_shape(r.s, 0, 1, two, 2);
    sink_shape(r.s, 1, 1, seven, 7);
    sink_state(r.s, "writer active");
    sink_tick(r.s, 1.0, false);
    fflush(r.out);
    cr_assert(strstr(r.text, "/a") && strstr(r.text, "2 rows"), "%s", r.text);
    cr_assert(strstr(r.text, "/b") && strstr(r.text, "7 rows"), "%s", r.text);
    char *s = stop(&r);
    free(s);
}

/* A live view of one dataset, /data, with a start line of 3 rows drawn
 * at 1.0. */
static void live_one(struct run *r)
{
    static const char *names[] = { "/data" };
    static uint64_t dims[] = { 3 };
    struct watch_line l = { .when = when, .dataset = "/data", .rank = 1,
                            .dims = dims, .rows = 3, .event = EVENT_START };
    start(r, FORMAT_TEXT, true);
    sink_datasets(r->s, names, 1);
    sink_state(r->s, "writer active");
    sink_line_begin(r->s, 0, &l, 1.0);
    sink_line_end(r->s);
}

Test(sink_live, a_message_goes_above_a_redraw_and_a_final_one_below)
{
    struct run r;
    live_one(&r);
    sink_msg_begin(r.s, false);
    fflush(r.out);
    /* Taken off: the cursor up over the two lines, the rest cleared. */
    cr_assert(strstr(r.text, "\r\x1b[2A\x1b[J"), "%s", r.text);
    sink_msg_end(r.s, false);
    fflush(r.out);
    cr_assert_eq(count(r.text, "writer active"), 2);
    size_t before = strlen(r.text);
    sink_msg_begin(r.s, true);     /* drawn once more, and left */
    sink_msg_end(r.s, true);
    fflush(r.out);
    cr_assert_eq(count(r.text, "writer active"), 3);
    cr_assert_null(strstr(r.text + before, "\x1b[J"));
    char *s = stop(&r);            /* nothing after the final message */
    cr_assert_eq(count(s, "writer active"), 3);
    free(s);
}

Test(sink_live, the_last_draw_stays_at_the_end)
{
    struct run r;
    live_one(&r);
    sink_state(r.s, "writer closed the file");
    char *s = stop(&r);
    cr_assert(strstr(s, "writer closed the file"), "%s", s);
    free(s);
}

Test(sink_live, only_text_on_a_real_terminal_is_live)
{
    struct watch_options o;
    watch_options_defaults(&o);
    cr_assert(sink_wants_live(&o, true, "xterm"));
    cr_assert(sink_wants_live(&o, true, NULL));
    cr_assert_not(sink_wants_live(&o, false, "xterm"));
    cr_assert_not(sink_wants_live(&o, true, "dumb"));
    o.values = true;
    cr_assert_not(sink_wants_live(&o, true, "xterm"));
    o.values = false;
    o.once = true;
    cr_assert_not(sink_wants_live(&o, true, "xterm"));
    o.once = false;
    o.format = FORMAT_JSON;
    cr_assert_not(sink_wants_live(&o, true, "xterm"));
}

Test(sink_live, an_overdue_draw_is_due_now)
{
    const char *names[] = { "/data" };
    uint64_t dims[] = { 1 };
    struct watch_line l = { .when = when, .dataset = "/data", .rank = 1,
                            .dims = dims, .delta = 1, .event = EVENT_CHANGE };
    struct run r;
    start(&r, FORMAT_TEXT, true);
    sink_datasets(r.s, names, 1);
    sink_state(r.s, "writer active");
    sink_line_begin(r.s, 0, &l, 1.00);
    sink_line_begin(r.s, 0, &l, 1.01);   /* held back until 1.1 */
    cr_assert_eq(sink_next_tick(r.s, 5.0), 0);
    free(stop(&r));
}

/* A read that fails in the middle of a row: the row and the line are
 * closed, so the output stays one JSON object, and one line, a line. */
Test(sink_values, a_row_cut_by_a_failed_read_is_closed, .init = utc)
{
    uint64_t dims[] = { 2, 4 };
    struct growth_block block = { .start = { 1, 0 }, .count = { 1, 4 } };
    int32_t data[] = { 5, 6 };
    for (int f = FORMAT_TEXT; f <= FORMAT_JSON; f++) {
        struct watch_line l = { .when = when, .dataset = "/v", .rank = 2,
                                .dims = dims, .event = EVENT_CHANGE };
        struct sink_values v = { .cell = number("int32"), .rank = 2,
                                 .dims = dims, .nblocks = 1, .blocks = &block };
        struct run r;
        start(&r, f, false);
        sink_line_begin(r.s, 0, &l, 1.0);
        sink_values_begin(r.s, &v);
        sink_values_cells(r.s, data, 2);   /* 2 of the row's 4 */
        sink_values_end(r.s);
        sink_values_error(r.s, "cells from 1,2", "inflate() failed");
        sink_line_end(r.s);
        char *s = stop(&r);
        if (f == FORMAT_JSON)
            cr_assert(strstr(s, "\"values\":[[5,6]],\"blocks\":[{\"start\":"
                                "[1,0],\"count\":[1,4]}],\"error\":\"cannot "
                                "read cells from 1,2: inflate() failed\"}\n"),
                      "%s", s);
        else if (f == FORMAT_TEXT)
            cr_assert(strstr(s, "\n  1: 5 6\n"), "%s", s);
        else
            cr_assert(strstr(s, "\n\t1\t5\t6\n"), "%s", s);
        free(s);
    }
}

/* A compound dataset of two dimensions: the fields line first, then one
 * cell a line (a run of several would not match the names). */
Test(sink_values, compound_cells_one_a_line_under_the_fields_line)
{
    struct cell x = { .kind = CELL_NUMBER, .size = 4,
                      .num = type_by_name("int32") };
    struct cell y = x;
    struct cell_field fields[] = { { .name = "x", .offset = 0, .cell = &x },
                                   { .name = "y", .offset = 4, .cell = &y } };
    struct cell rec = { .kind = CELL_COMPOUND, .size = 8, .nfields = 2,
                        .fields = fields };
    uint64_t dims[] = { 2, 2 };
    struct growth_block block = { .start = { 0, 0 }, .count = { 2, 2 } };
    int32_t data[] = { 1, 10, 2, 20, 3, 30, 4, 40 };
    const char *want[] = {
        [FORMAT_TEXT] = "  fields: x y\n  0: 1 10\n  0,1: 2 20\n"
                        "  1: 3 30\n  1,1: 4 40\n",
        [FORMAT_TSV] = "fields\tindex\tx\ty\n\t0\t1\t10\n\t0,1\t2\t20\n"
                       "\t1\t3\t30\n\t1,1\t4\t40\n",
    };
    for (int f = FORMAT_TEXT; f <= FORMAT_TSV; f++) {
        struct watch_line l = { .when = when, .dataset = "/c", .rank = 2,
                                .dims = dims, .event = EVENT_CHANGE };
        struct sink_values v = { .cell = &rec, .names = true, .rank = 2,
                                 .dims = dims, .nblocks = 1, .blocks = &block };
        struct run r;
        start(&r, f, false);
        sink_line_begin(r.s, 0, &l, 1.0);
        sink_values_begin(r.s, &v);
        sink_values_cells(r.s, data, 4);
        sink_values_end(r.s);
        sink_line_end(r.s);
        char *s = stop(&r);
        /* Past the shape line (and TSV's header). */
        char *values = strstr(s, f == FORMAT_TSV ? "fields\t" : "  fields:");
        cr_assert(values, "%s", s);
        cr_expect_str_eq(values, want[f]);
        free(s);
    }
}
