/* cell.c: every kind of cell printed in text, TSV and JSON from plain
 * bytes laid out as cell_h5.c lays them out. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cell.h"
#include "watch_format.h"

/* What PRINT writes for the cell C at P, as a fresh string. */
enum how { PLAIN_TEXT, PLAIN_TSV, JSON, NAMES };
static char *shown(enum how how, const struct cell *c, const void *p)
{
    char *buf = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&buf, &size);
    switch (how) {
    case PLAIN_TEXT: cell_plain(out, c, p, ' ', true); break;
    case PLAIN_TSV:  cell_plain(out, c, p, '\t', false); break;
    case JSON:       cell_json(out, c, p); break;
    case NAMES:      cell_names(out, c, ' ', true); break;
    }
    fclose(out);
    return buf;
}

static void expect(enum how how, const struct cell *c, const void *p,
                   const char *want)
{
    char *got = shown(how, c, p);
    cr_expect_str_eq(got, want);
    free(got);
}

static struct cell *number(const char *type)
{
    struct cell *c = cell_new(CELL_NUMBER, type_by_name(type)->size);
    c->num = type_by_name(type);
    return c;
}

static struct cell *string(size_t size, enum cell_pad pad)
{
    struct cell *c = cell_new(CELL_STRING, size);
    c->pad = pad;
    return c;
}

/* A compound of N fields NAMES[i] of CELLS[i], laid out one after the
 * other (cell_h5.c aligns them; any layout prints the same). */
static struct cell *compound(size_t n, const char *const *names,
                             struct cell **cells)
{
    struct cell *c = cell_new(CELL_COMPOUND, 0);
    c->fields = calloc(n, sizeof *c->fields);
    for (size_t i = 0; i < n; i++) {
        c->fields[i] = (struct cell_field){ .name = strdup(names[i]),
                                            .offset = c->size,
                                            .cell = cells[i] };
        c->size += cells[i]->size;
    }
    c->nfields = n;
    return c;
}

static struct cell *array(struct cell *elem, int rank, const uint64_t *dims)
{
    struct cell *c = cell_new(CELL_ARRAY, 0);
    c->elem = elem;
    c->rank = rank;
    c->dims = calloc((size_t)rank, sizeof *c->dims);
    c->count = 1;
    for (int k = 0; k < rank; k++) {
        c->dims[k] = dims[k];
        c->count *= dims[k];
    }
    c->size = c->count * elem->size;
    return c;
}

static struct cell *enumeration(const char *base, size_t n,
                                const char *const *names,
                                const int64_t *values)
{
    struct cell *c = cell_new(CELL_ENUM, type_by_name(base)->size);
    c->num = type_by_name(base);
    c->names = calloc(n, sizeof *c->names);
    c->values = calloc(n, sizeof *c->values);
    for (size_t i = 0; i < n; i++) {
        c->names[i] = strdup(names[i]);
        c->values[i] = values[i];
    }
    c->nnames = n;
    return c;
}

Test(cell, numbers_as_watch_value_prints_them)
{
    struct cell *c = number("float64");
    double x = 0.1, nan_ = NAN, inf = -INFINITY;
    expect(PLAIN_TEXT, c, &x, " 0.1");
    expect(PLAIN_TSV, c, &x, "\t0.1");
    expect(JSON, c, &x, "0.1");
    expect(PLAIN_TEXT, c, &nan_, " nan");
    expect(JSON, c, &nan_, "\"nan\"");
    expect(JSON, c, &inf, "\"-inf\"");
    cell_free(c);
    c = number("uint64");
    uint64_t u = UINT64_MAX;
    expect(JSON, c, &u, "18446744073709551615");
    cell_free(c);
}

Test(cell, float16_prints_its_own_shortest_digits)
{
    /* Every float16 is exact as a float; the digits are float16's. */
    struct { float v; const char *want; } cases[] = {
        { 0.0999755859375f, "0.1" },     /* float16's 0.1 */
        { 65504.0f, "65500" },           /* the largest: 3 digits read back, as numpy prints it */
        { 5.9604644775390625e-08f, "6e-08" },   /* the smallest subnormal */
        { 6.103515625e-05f, "6.104e-05" },      /* the smallest normal */
        { -2.5f, "-2.5" },
        { 2048.0f, "2048" },
        { 0.333251953125f, "0.3333" },
        { 1.0009765625f, "1.001" },      /* 1 + 2^-10 */
        { 0.0f, "0" },
    };
    struct cell *c = cell_new(CELL_HALF, sizeof(float));
    char want[40];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        snprintf(want, sizeof want, " %s", cases[i].want);
        expect(PLAIN_TEXT, c, &cases[i].v, want);
    }
    /* JSON keeps a float a float. */
    expect(JSON, c, &cases[1].v, "65500.0");
    expect(JSON, c, &cases[0].v, "0.1");
    float inf = INFINITY, zero = -0.0f;
    expect(JSON, c, &inf, "\"inf\"");
    expect(JSON, c, &zero, "-0.0");
    cell_free(c);
}

Test(cell, float16_text_reads_back_for_every_value)
{
    /* All 63,488 finite float16 values: the text, read as a double and
     * rounded to float16, is the same value (checked by its float). */
    char buf[64];
    for (uint32_t bits = 0; bits < 0x10000; bits++) {
        uint32_t exp = bits >> 10 & 0x1f, man = bits & 0x3ff;
        if (exp == 0x1f)
            continue;
        double v = exp ? ldexp(1024 + man, (int)exp - 25) : ldexp(man, -24);
        if (bits & 0x8000)
            v = -v;
        cr_assert(watch_float_text(v, 16, buf, sizeof buf));
        double back = strtod(buf, NULL);
        /* Rounded to float16: the nearest of the neighbours of v. */
        double step = exp > 1 ? ldexp(1, (int)exp - 25) : ldexp(1, -24);
        cr_assert(fabs(back - v) <= step / 2, "%#x: %s", bits, buf);
        cr_assert(strlen(buf) <= 12, "%#x: %s", bits, buf);
    }
}

Test(cell, booleans_and_enums_by_name)
{
    struct cell *b = cell_new(CELL_BOOL, 1);
    b->num = type_by_name("int8");
    int8_t t = 1, f = 0, odd = 5;
    expect(PLAIN_TEXT, b, &t, " true");
    expect(JSON, b, &f, "false");
    expect(JSON, b, &odd, "5");
    b->num = type_by_name("uint8");
    uint8_t u200 = 200;
    expect(JSON, b, &u200, "200");
    cell_free(b);

    const char *names[] = { "RED", "GREEN", "BLUE" };
    int64_t values[] = { 0, 1, 42 };
    struct cell *e = enumeration("int16", 3, names, values);
    int16_t blue = 42, none = 7;
    expect(PLAIN_TEXT, e, &blue, " BLUE");
    expect(JSON, e, &blue, "\"BLUE\"");
    expect(JSON, e, &none, "7");   /* a value without a name */
    expect(PLAIN_TSV, e, &none, "\t7");
    cell_free(e);

    /* Held in the file's big-endian order (HDF5 would turn a value
     * without a name into all ones if it converted it). */
    e = enumeration("uint16", 3, names, values);
    e->swapped = true;
    unsigned char be_blue[2] = { 0, 42 }, be_seven[2] = { 0, 7 };
    expect(JSON, e, be_blue, "\"BLUE\"");
    expect(PLAIN_TEXT, e, be_seven, " 7");
    cell_free(e);

    /* An unsigned base beyond INT64_MAX keeps its bits. */
    const char *big[] = { "TOP" };
    int64_t top[] = { (int64_t)UINT64_MAX };
    e = enumeration("uint64", 1, big, top);
    uint64_t u = UINT64_MAX, other = UINT64_MAX - 1;
    expect(JSON, e, &u, "\"TOP\"");
    expect(JSON, e, &other, "18446744073709551614");
    cell_free(e);
}

Test(cell, strings_escaped_for_each_format)
{
    struct cell *c = string(12, PAD_NUL_TERMINATED);
    char s[12] = "a b\t\"q\"\n\\";
    expect(PLAIN_TEXT, c, s, " \"a b\\t\\\"q\\\"\\n\\\\\"");
    expect(PLAIN_TSV, c, s, "\ta b\\t\"q\"\\n\\\\");
    expect(JSON, c, s, "\"a b\\t\\\"q\\\"\\n\\\\\"");
    cell_free(c);

    /* Fixed strings end at their size (no NUL) or at a NUL; space padding
     * goes. */
    c = string(3, PAD_NUL_TERMINATED);
    expect(JSON, c, "abcdef", "\"abc\"");
    cell_free(c);
    c = string(6, PAD_SPACES);
    expect(JSON, c, "ab    ", "\"ab\"");
    cell_free(c);
    /* h5py's "S" strings are NUL-padded: a NUL inside is data. */
    c = string(6, PAD_NULS);
    expect(JSON, c, "a\0b\0\0\0", "\"a\\u0000b\"");
    expect(PLAIN_TEXT, c, "a\0b\0\0\0", " \"a\\x00b\"");
    cell_free(c);
    c = string(6, PAD_NUL_TERMINATED);
    expect(JSON, c, "a\0b\0\0\0", "\"a\"");
    cell_free(c);

    /* Bytes that are not UTF-8: \xNN in text, U+FFFD in JSON; UTF-8 whole. */
    c = string(8, PAD_NUL_TERMINATED);
    char odd[8] = "\xff" "\xc3\xa9" "\x1b[";
    expect(PLAIN_TEXT, c, odd, " \"\\xff\xc3\xa9\\x1b[\"");
    expect(JSON, c, odd, "\"\\ufffd\xc3\xa9\\u001b[\"");
    cell_free(c);

    /* U+0085 (a newline to Python's splitlines), U+009B (a terminal's
     * CSI) and U+2028 never reach a line raw. */
    c = string(9, PAD_NUL_TERMINATED);
    char breaks[9] = "a\xc2\x85" "\xc2\x9b" "\xe2\x80\xa8";
    expect(PLAIN_TSV, c, breaks, "\ta\\xc2\\x85\\xc2\\x9b\\xe2\\x80\\xa8");
    expect(JSON, c, breaks, "\"a\\u0085\\u009b\\u2028\"");
    cell_free(c);

    c = cell_new(CELL_VSTRING, sizeof(char *));
    const char *v = "h\xc3\xa9llo", *missing = NULL;
    expect(PLAIN_TEXT, c, &v, " \"h\xc3\xa9llo\"");
    expect(JSON, c, &missing, "\"\"");   /* never written: h5py reads "" */
    cell_free(c);
}

Test(cell, compounds_nested_with_arrays)
{
    /* {time: f64, pos: {x: f32, y: i16}, a: u8[3], name: S4} */
    struct cell *pos = compound(2, (const char *[]){ "x", "y" },
                                (struct cell *[]){ number("float32"),
                                                   number("int16") });
    uint64_t three = 3;
    struct cell *c = compound(
        4, (const char *[]){ "time", "pos", "a", "name" },
        (struct cell *[]){ number("float64"), pos,
                           array(number("uint8"), 1, &three),
                           string(4, PAD_NULS) });
    unsigned char rec[8 + 6 + 3 + 4];
    double time = 1.5;
    float x = 0.1f;
    int16_t y = -2;
    memcpy(rec, &time, 8);
    memcpy(rec + 8, &x, 4);
    memcpy(rec + 12, &y, 2);
    memcpy(rec + 14, (uint8_t[]){ 1, 2, 3 }, 3);
    memcpy(rec + 17, "ab\0\0", 4);
    cr_assert(cell_has_names(c));
    expect(NAMES, c, NULL, " time pos.x pos.y a[0] a[1] a[2] name");
    expect(PLAIN_TEXT, c, rec, " 1.5 0.1 -2 1 2 3 \"ab\"");
    expect(PLAIN_TSV, c, rec, "\t1.5\t0.1\t-2\t1\t2\t3\tab");
    expect(JSON, c, rec, "{\"time\":1.5,\"pos\":{\"x\":0.1,\"y\":-2},"
                         "\"a\":[1,2,3],\"name\":\"ab\"}");
    char part[64];
    cr_expect_not(cell_unprintable_part(c, part, sizeof part));
    cell_free(c);
}

Test(cell, names_with_blanks_quoted_in_text)
{
    /* A spreadsheet's header: names with blanks and quotes stay one word
     * each in text; TSV needs no quotes. */
    const char *names[] = { "NOT OK", "OK" };
    int64_t values[] = { 0, 1 };
    struct cell *e = enumeration("uint8", 2, names, values);
    struct cell *c = compound(
        3, (const char *[]){ "time (s)", "say \"hi\"", "state" },
        (struct cell *[]){ number("float64"), number("int8"), e });
    expect(NAMES, c, NULL, " \"time (s)\" \"say \\\"hi\\\"\" state");
    char *tsv = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&tsv, &size);
    cell_names(out, c, '\t', false);
    fclose(out);
    cr_expect_str_eq(tsv, "\ttime (s)\tsay \"hi\"\tstate");
    free(tsv);
    unsigned char rec[10] = { 0 };
    expect(PLAIN_TEXT, c, rec, " 0 0 \"NOT OK\"");
    expect(PLAIN_TSV, c, rec, "\t0\t0\tNOT OK");
    cell_free(c);
}

Test(cell, arrays_nest_as_their_dimensions)
{
    uint64_t dims[] = { 2, 3 };
    struct cell *c = array(number("int32"), 2, dims);
    int32_t v[] = { 0, 1, 2, 10, 11, 12 };
    expect(JSON, c, v, "[[0,1,2],[10,11,12]]");
    expect(PLAIN_TEXT, c, v, " 0 1 2 10 11 12");
    struct cell *rec = compound(1, (const char *[]){ "m" },
                                (struct cell *[]){ c });
    expect(NAMES, rec, NULL, " m[0,0] m[0,1] m[0,2] m[1,0] m[1,1] m[1,2]");
    cell_free(rec);
}

Test(cell, sequences_are_one_value)
{
    struct cell *c = cell_new(CELL_SEQUENCE, sizeof(struct cell_sequence));
    c->elem = number("int32");
    int32_t v[] = { 4, 5 };
    struct cell_sequence two = { 2, v }, none = { 0, NULL };
    expect(JSON, c, &two, "[4,5]");
    expect(PLAIN_TEXT, c, &two, " [4,5]");
    expect(PLAIN_TSV, c, &none, "\t[]");
    cr_expect(cell_has_vlen(c));
    cell_free(c);
}

Test(cell, unprintable_parts_named_and_shown_as_null)
{
    struct cell *raw = cell_new(CELL_UNPRINTABLE, 0);
    strcpy(raw->what, "opaque");
    struct cell *c = compound(2, (const char *[]){ "n", "raw" },
                              (struct cell *[]){ number("int32"), raw });
    int32_t n = 7;
    expect(JSON, c, &n, "{\"n\":7,\"raw\":null}");
    expect(PLAIN_TEXT, c, &n, " 7 ?");
    char part[64];
    cr_assert(cell_unprintable_part(c, part, sizeof part));
    cr_expect_str_eq(part, "field 'raw' (opaque)");
    cr_expect_not(cell_has_vlen(c));
    cell_free(c);
}
