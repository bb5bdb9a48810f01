#include "record.h"
#include "types.h"

#include <criterion/criterion.h>
#include <float.h>  /* DBL_MAX, FLT_MAX */
#include <locale.h> /* newlocale: the reference conversions */
#include <math.h>   /* nextafter, signbit, isnan */
#include <stdint.h> /* fixed-width integers */
#include <stdio.h>  /* snprintf */
#include <stdlib.h> /* malloc, strtod_l, strtof_l */
#include <string.h> /* memcpy, strlen */

/* ---- helpers ------------------------------------------------------------ */

static const struct value_type *T(const char *name)
{
    const struct value_type *t = type_by_name(name);
    cr_assert_not_null(t, "no type %s", name);
    return t;
}

static const char *const int_types[] = {
    "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
};
enum { N_INT_TYPES = sizeof int_types / sizeof int_types[0] };

/* A copy in a block of exactly LEN bytes, no terminator: AddressSanitizer and
 * valgrind then catch any read past the end. */
static char *exact(const char *s, size_t len)
{
    char *p = malloc(len ? len : 1);
    cr_assert_not_null(p);
    memcpy(p, s, len);
    return p;
}

static enum line_kind split_n(const char *line, size_t len, char delim,
                              struct field_span *spans, size_t max,
                              size_t *count, struct record_error *err,
                              char **copy)
{
    *copy = exact(line, len);
    return record_split(*copy, len, delim, spans, max, count, err);
}

/* LINE (with DELIM) must split into exactly the N fields given. */
static void expect_fields(const char *line, char delim, size_t n,
                          const char *const *want)
{
    struct field_span spans[16];
    struct record_error err;
    size_t count = 99;
    char *copy;
    enum line_kind k = split_n(line, strlen(line), delim, spans, 16, &count,
                               &err, &copy);
    cr_assert_eq(k, LINE_FIELDS, "'%s' (delim %d): kind %d", line, delim, k);
    cr_assert_eq(count, n, "'%s' (delim %d): %zu fields", line, delim, count);
    for (size_t i = 0; i < n; i++) {
        cr_assert(spans[i].start >= copy &&
                  spans[i].start + spans[i].len <= copy + strlen(line));
        cr_assert_eq(spans[i].len, strlen(want[i]),
                     "'%s' field %zu: length %zu", line, i + 1, spans[i].len);
        cr_assert(memcmp(spans[i].start, want[i], spans[i].len) == 0,
                  "'%s' field %zu: '%.*s', want '%s'", line, i + 1,
                  (int)spans[i].len, spans[i].start, want[i]);
    }
    free(copy);
}

#define FIELDS(line, delim, ...)                                             \
    do {                                                                     \
        const char *const want_[] = { __VA_ARGS__ };                         \
        expect_fields(line, delim, sizeof want_ / sizeof want_[0], want_);   \
    } while (0)

static enum line_kind kind_of(const char *line, size_t len, char delim,
                              struct record_error *err)
{
    struct field_span spans[16];
    size_t count;
    char *copy;
    enum line_kind k = split_n(line, len, delim, spans, 16, &count, err, &copy);
    free(copy);
    return k;
}

/* LINE must be rejected for an empty field number FIELD. */
static void expect_empty(const char *line, char delim, size_t field)
{
    struct record_error err = { .field = 99, .status = FIELD_OK };
    enum line_kind k = kind_of(line, strlen(line), delim, &err);
    cr_assert_eq(k, LINE_BAD, "'%s' (delim %d): kind %d", line, delim, k);
    cr_assert_eq(err.status, FIELD_EMPTY, "'%s': status %d", line, err.status);
    cr_assert_eq(err.field, field, "'%s': field %zu, want %zu", line,
                 err.field, field);
}

static void expect_blank(const char *line, char delim)
{
    struct record_error err;
    enum line_kind k = kind_of(line, strlen(line), delim, &err);
    cr_assert_eq(k, LINE_BLANK, "'%s': kind %d", line, k);
}

/* field_parse on an exact-size copy of S. */
static enum field_status parse(const char *s, const char *type, void *out)
{
    size_t len = strlen(s);
    char *copy = exact(s, len);
    enum field_status st = field_parse(copy, len, T(type), out);
    free(copy);
    return st;
}

static int64_t as_signed(const void *p, size_t size)
{
    switch (size) {
    case 1: { int8_t v; memcpy(&v, p, 1); return v; }
    case 2: { int16_t v; memcpy(&v, p, 2); return v; }
    case 4: { int32_t v; memcpy(&v, p, 4); return v; }
    default: { int64_t v; memcpy(&v, p, 8); return v; }
    }
}

static uint64_t as_unsigned(const void *p, size_t size)
{
    switch (size) {
    case 1: { uint8_t v; memcpy(&v, p, 1); return v; }
    case 2: { uint16_t v; memcpy(&v, p, 2); return v; }
    case 4: { uint32_t v; memcpy(&v, p, 4); return v; }
    default: { uint64_t v; memcpy(&v, p, 8); return v; }
    }
}

/* S must convert to the integer V (as a 128-bit value) for TYPE. */
static void expect_int(const char *s, const char *type, __int128 v)
{
    const struct value_type *t = T(type);
    unsigned char out[8];
    memset(out, 0xAA, sizeof out);
    enum field_status st = parse(s, type, out);
    cr_assert_eq(st, FIELD_OK, "'%s' as %s: status %d", s, type, st);
    if (t->kind == KIND_SIGNED)
        cr_assert(as_signed(out, t->size) == v, "'%s' as %s: %lld", s, type,
                  (long long)as_signed(out, t->size));
    else
        cr_assert(as_unsigned(out, t->size) == v, "'%s' as %s: %llu", s, type,
                  (unsigned long long)as_unsigned(out, t->size));
    for (size_t i = t->size; i < sizeof out; i++)
        cr_assert_eq(out[i], 0xAA, "'%s' as %s: wrote past size", s, type);
}

static void expect_status(const char *s, const char *type,
                          enum field_status want)
{
    unsigned char out[8];
    enum field_status st = parse(s, type, out);
    cr_assert_eq(st, want, "'%s' as %s: status %d, want %d", s, type, st, want);
}

static uint64_t f64_bits(double d)
{
    uint64_t b;
    memcpy(&b, &d, sizeof b);
    return b;
}

static uint32_t f32_bits(float f)
{
    uint32_t b;
    memcpy(&b, &f, sizeof b);
    return b;
}

static void expect_f64(const char *s, uint64_t bits)
{
    double d;
    enum field_status st = parse(s, "float64", &d);
    cr_assert_eq(st, FIELD_OK, "'%.60s' as float64: status %d", s, st);
    cr_assert_eq(f64_bits(d), bits, "'%.60s' as float64: %016llx, want %016llx",
                 s, (unsigned long long)f64_bits(d), (unsigned long long)bits);
}

static void expect_f32(const char *s, uint32_t bits)
{
    float f;
    enum field_status st = parse(s, "float32", &f);
    cr_assert_eq(st, FIELD_OK, "'%.60s' as float32: status %d", s, st);
    cr_assert_eq(f32_bits(f), bits, "'%.60s' as float32: %08x, want %08x",
                 s, f32_bits(f), bits);
}

static locale_t c_locale(void)
{
    static locale_t c;
    if (!c)
        c = newlocale(LC_ALL_MASK, "C", (locale_t)0);
    cr_assert(c != (locale_t)0);
    return c;
}

/* xorshift64*: the same strings on every run. */
static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static uint64_t rnd64(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 2685821657736338717ull;
}

static unsigned rnd(unsigned n)
{
    return (unsigned)((rnd64() >> 11) % n);
}

static void i128_text(__int128 v, char *buf)
{
    char tmp[48];
    size_t n = 0;
    unsigned __int128 m = v < 0 ? -(unsigned __int128)v : (unsigned __int128)v;
    do {
        tmp[n++] = (char)('0' + (int)(m % 10));
        m /= 10;
    } while (m);
    if (v < 0)
        *buf++ = '-';
    while (n)
        *buf++ = tmp[--n];
    *buf = '\0';
}

/* ---- exact decimal arithmetic for reference values ---------------------- */

/* Fixed-point decimal text: INT_W integer digits, '.', FRAC_W fraction
 * digits. Every double is exact in it (%f prints exactly in glibc), and so
 * are the halfway points between neighbouring doubles. */
enum { INT_W = 330, FRAC_W = 1100, FIX_LEN = INT_W + 1 + FRAC_W };

struct fixed {
    char d[FIX_LEN + 1];
};

static struct fixed fixed_of(double x)
{
    struct fixed f;
    int n = snprintf(f.d, sizeof f.d, "%0*.*f", FIX_LEN, FRAC_W, x);
    cr_assert_eq(n, FIX_LEN);
    return f;
}

static struct fixed fixed_add(const struct fixed *a, const struct fixed *b)
{
    struct fixed r = *a;
    int carry = 0;
    for (int i = FIX_LEN - 1; i >= 0; i--) {
        if (a->d[i] == '.')
            continue;
        int s = (a->d[i] - '0') + (b->d[i] - '0') + carry;
        r.d[i] = (char)('0' + s % 10);
        carry = s / 10;
    }
    cr_assert_eq(carry, 0);
    return r;
}

static struct fixed fixed_half(const struct fixed *a)
{
    struct fixed r = *a;
    int rem = 0;
    for (int i = 0; i < FIX_LEN; i++) {
        if (a->d[i] == '.')
            continue;
        int v = rem * 10 + (a->d[i] - '0');
        r.d[i] = (char)('0' + v / 2);
        rem = v % 2;
    }
    cr_assert_eq(rem, 0, "FRAC_W too small");
    return r;
}

/* The exact (A + B) / 2 as "I.F": no leading zeros in I (but at least one
 * digit), no trailing zeros in F (possibly empty). */
static void mid_text(const struct fixed *a, const struct fixed *b, char *out)
{
    struct fixed sum = fixed_add(a, b);
    struct fixed m = fixed_half(&sum);
    const char *p = m.d;
    while (p[0] == '0' && p[1] != '.')
        p++;
    size_t n = strlen(p);
    while (p[n - 1] == '0')
        n--;
    memcpy(out, p, n);
    out[n] = '\0';
}

static void midpoint(double a, double b, char *out)
{
    struct fixed fa = fixed_of(a), fb = fixed_of(b);
    mid_text(&fa, &fb, out);
}

/* 2^1024, one past the largest double: twice 2^1023. */
static struct fixed two_1024(void)
{
    struct fixed h = fixed_of(ldexp(1.0, 1023));
    return fixed_add(&h, &h);
}

/* "I.F" minus one unit in its last place (F gets a digit if empty), plus
 * NINES nines: just below the value, by less than a unit of F. */
static void just_below(const char *mid, int nines, char *out)
{
    size_t n = strlen(mid);
    memcpy(out, mid, n + 1);
    if (out[n - 1] == '.')
        out[n++] = '0';
    for (size_t i = n; i-- > 0;) {
        if (out[i] == '.')
            continue;
        if (out[i] != '0') {
            out[i]--;
            break;
        }
        out[i] = '9';
    }
    memset(out + n, '9', (size_t)nines);
    out[n + (size_t)nines] = '\0';
}

/* "I.F" plus ZEROS zeros and a 1: just above the value. */
static void just_above(const char *mid, int zeros, char *out)
{
    size_t n = strlen(mid);
    memcpy(out, mid, n);
    memset(out + n, '0', (size_t)zeros);
    out[n + (size_t)zeros] = '1';
    out[n + (size_t)zeros + 1] = '\0';
}

/* The same value as "I.F" written "IFe-<len F>", to vary the syntax. */
static void as_exponent(const char *s, char *out)
{
    const char *dot = strchr(s, '.');
    size_t ni = (size_t)(dot - s), nf = strlen(dot + 1);
    memcpy(out, s, ni);
    memcpy(out + ni, dot + 1, nf);
    sprintf(out + ni + nf, "e-%zu", nf);
}

/* ---- record_split ------------------------------------------------------- */

Test(record_split, whitespace_separates)
{
    FIELDS("1 2\t3", 0, "1", "2", "3");
    FIELDS("1   2 \t \t3", 0, "1", "2", "3");
    FIELDS("  1 2  ", 0, "1", "2");
    FIELDS("\t1\t", 0, "1");
    FIELDS("abc def", 0, "abc", "def");
    FIELDS("-1.5e3 +inf nan", 0, "-1.5e3", "+inf", "nan");
}

Test(record_split, commas_separate)
{
    FIELDS("1,2,3", 0, "1", "2", "3");
    FIELDS("1, 2", 0, "1", "2");
    FIELDS("1 ,2", 0, "1", "2");
    FIELDS("1 , 2", 0, "1", "2");
    FIELDS("1\t,\t2", 0, "1", "2");
    FIELDS("1 2,3 , 4", 0, "1", "2", "3", "4");
    FIELDS("  1,2  ", 0, "1", "2");
}

Test(record_split, empty_fields)
{
    expect_empty("1,,2", 0, 2);
    expect_empty("1, ,2", 0, 2);
    expect_empty("1 , , 2", 0, 2);
    expect_empty(",1", 0, 1);
    expect_empty("  , 1", 0, 1);
    expect_empty("1,", 0, 2);
    expect_empty("1 2 3,", 0, 4);
    expect_empty("1 , ", 0, 2);
    expect_empty(",", 0, 1);
    expect_empty("1,2,,", 0, 3);
    expect_empty("1,2\r,", 0, 3);   /* a lone '\r' inside is no line ending */
}

Test(record_split, empty_field_error_text_is_empty)
{
    struct record_error err;
    memset(&err, 'x', sizeof err);
    cr_assert_eq(kind_of("1,,2", 4, 0, &err), LINE_BAD);
    cr_assert_str_eq(err.text, "");
}

Test(record_split, blank_lines_and_comments)
{
    expect_blank("", 0);
    expect_blank(" ", 0);
    expect_blank(" \t  ", 0);
    expect_blank("\r", 0);
    expect_blank(" \t\r", 0);
    expect_blank("#", 0);
    expect_blank("# a comment, with commas,,", 0);
    expect_blank("   #1 2 3", 0);
    expect_blank("\t# x\r", 0);
    expect_blank("#", ';');
    expect_blank("  ", ' ');
    expect_blank(" # x", '\t');
    expect_blank("", ',');
}

Test(record_split, hash_inside_a_line_is_a_field)
{
    FIELDS("1 #2", 0, "1", "#2");
}

Test(record_split, crlf)
{
    FIELDS("1,2\r", 0, "1", "2");
    FIELDS("1 2 \r", 0, "1", "2");
    FIELDS("1;2\r", ';', "1", "2");
    FIELDS("1\r\r", 0, "1\r");       /* only one '\r' is a line ending */
    FIELDS("1\r2", 0, "1\r2");
}

Test(record_split, nul_byte)
{
    const char *lines[] = { "1,\0 2", "\0", "1\0", "# \0", "1,,\0" };
    const size_t lens[] = { 5, 1, 2, 3, 4 };
    for (size_t i = 0; i < 5; i++) {
        struct record_error err = { .field = 99 };
        size_t count = 99;
        struct field_span spans[4];
        char *copy;
        enum line_kind k = split_n(lines[i], lens[i], 0, spans, 4, &count,
                                   &err, &copy);
        free(copy);
        cr_assert_eq(k, LINE_BAD, "line %zu", i);
        cr_assert_eq(err.status, FIELD_NUL, "line %zu", i);
        cr_assert_eq(err.field, 0u, "line %zu", i);
        cr_assert_eq(count, 0u, "line %zu", i);
    }
}

Test(record_split, more_fields_than_max)
{
    struct field_span spans[3];
    struct field_span sentinel = { (const char *)1, 77 };
    spans[2] = sentinel;
    size_t count;
    struct record_error err;
    char *copy;
    const char *line = "10 20 30 40 50";
    cr_assert_eq(split_n(line, strlen(line), 0, spans, 2, &count, &err, &copy),
                 LINE_FIELDS);
    cr_assert_eq(count, 5u);
    cr_assert_eq(spans[0].len, 2u);
    cr_assert(memcmp(spans[1].start, "20", 2) == 0);
    cr_assert(spans[2].start == sentinel.start && spans[2].len == 77,
              "wrote past max");
    free(copy);

    cr_assert_eq(split_n(line, strlen(line), 0, NULL, 0, &count, &err, &copy),
                 LINE_FIELDS);
    cr_assert_eq(count, 5u);
    free(copy);
}

Test(record_split, empty_field_past_max_still_found)
{
    struct field_span spans[1];
    size_t count;
    struct record_error err;
    char *copy;
    cr_assert_eq(split_n("1 2 3,,", 7, 0, spans, 1, &count, &err, &copy),
                 LINE_BAD);
    cr_assert_eq(err.field, 4u);
    free(copy);
}

Test(record_split, stops_at_len)
{
    /* The bytes after LEN must not count: a separator or a digit there. */
    const char *line = "1,2,3";
    struct field_span spans[4];
    size_t count;
    struct record_error err;
    cr_assert_eq(record_split(line, 3, 0, spans, 4, &count, &err), LINE_FIELDS);
    cr_assert_eq(count, 2u);
    cr_assert_eq(spans[1].len, 1u);
    cr_assert_eq(record_split(line, 2, 0, spans, 4, &count, &err), LINE_BAD);
    cr_assert_eq(err.field, 2u);
    cr_assert_eq(record_split(line, 0, 0, spans, 4, &count, &err), LINE_BLANK);
    cr_assert_eq(record_split(NULL, 0, 0, spans, 4, &count, &err), LINE_BLANK);
}

Test(record_split, forced_comma)
{
    FIELDS("1,2", ',', "1", "2");
    FIELDS(" 1 , 2 ", ',', "1", "2");
    FIELDS("1 2,3", ',', "1 2", "3");   /* blanks no longer separate */
    FIELDS("1\t,\t2\r", ',', "1", "2");
    expect_empty("1,,2", ',', 2);
    expect_empty("1, ,2", ',', 2);
    expect_empty(",1", ',', 1);
    expect_empty("1,", ',', 2);
}

Test(record_split, forced_semicolon)
{
    FIELDS("1;2;3", ';', "1", "2", "3");
    FIELDS(" 1 ; 2 ", ';', "1", "2");
    FIELDS("1,2;3", ';', "1,2", "3");
    FIELDS("1 2;3", ';', "1 2", "3");
    FIELDS("1", ';', "1");
    expect_empty("1;;2", ';', 2);
    expect_empty("1; ;2", ';', 2);
    expect_empty(";1", ';', 1);
    expect_empty("1;", ';', 2);
    expect_empty("1 ; ", ';', 2);
}

Test(record_split, forced_tab)
{
    FIELDS("1\t2", '\t', "1", "2");
    expect_empty("1\t\t2", '\t', 2);         /* TSV: two tabs, an empty field */
    expect_empty("1\t\t\t2", '\t', 2);
    FIELDS("1 \t 2", '\t', "1", "2");
    FIELDS("1 2\t3", '\t', "1 2", "3");
    FIELDS("1,2\t3", '\t', "1,2", "3");
    FIELDS("\t1\t2\t", '\t', "1", "2");
}

Test(record_split, forced_space)
{
    FIELDS("1 2", ' ', "1", "2");
    FIELDS("1     2", ' ', "1", "2");
    FIELDS("1\t2 3", ' ', "1\t2", "3");
    FIELDS(" 1 \t 2 ", ' ', "1", "2");
    FIELDS("1,2 3", ' ', "1,2", "3");
}

Test(record_split, many_fields_linear, .timeout = 20)
{
    /* A million fields, counted not stored: quadratic work would time out. */
    size_t n = 1000000, len = 2 * n;
    char *line = malloc(len);
    cr_assert_not_null(line);
    for (size_t i = 0; i < n; i++) {
        line[2 * i] = (char)('0' + i % 10);
        line[2 * i + 1] = i % 2 ? ',' : ' ';
    }
    line[len - 1] = ' ';
    struct field_span spans[8];
    size_t count;
    struct record_error err;
    cr_assert_eq(record_split(line, len, 0, spans, 8, &count, &err), LINE_FIELDS);
    cr_assert_eq(count, n);
    memset(line, ' ', len - 1);
    line[len - 1] = '7';
    cr_assert_eq(record_split(line, len, ' ', spans, 8, &count, &err), LINE_FIELDS);
    cr_assert_eq(count, 1u);
    free(line);
}

/* ---- field_parse: syntax ------------------------------------------------ */

static const char *const not_numbers[] = {
    "abc", "0x10", "0X1p3", "1e", "1E", "1e+", "1e-", "e5", ".e5", "--1", "+-1",
    "-+1", "++1", "1.2.3", "1..2", "12abc", "1_000", "1'000", ".", "-", "+",
    "-.", "+.e1", " 1", "1 ", "1 2", "1,2", "\t1", "1\r", "1e5.5", "1ee5",
    "1e5e5", "1e 5", "1d", "1f", "1L", "0b1", "$1", "1$", "nan(1)", "nanx",
    "infx", "infinit", "infinityy", "in", "na", "-nanq", "i nf", "inf1",
    "1inf", "0xinf", "\xd9\xa1", "\xe2\x88\x9e", "1\xc2\xa0", "--inf", "+-nan",
    "1e+-5", "1e--5", ".1.", "1.-5", "(1)", "١",
};

Test(field_parse, not_a_number_for_every_type)
{
    static const char *const all[] = {
        "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32",
        "uint64", "float32", "float64",
    };
    for (size_t i = 0; i < sizeof not_numbers / sizeof not_numbers[0]; i++)
        for (size_t j = 0; j < 10; j++)
            expect_status(not_numbers[i], all[j], FIELD_NOT_NUMBER);
}

Test(field_parse, nul_inside_a_field)
{
    unsigned char out[8];
    cr_assert_eq(field_parse("1\0", 2, T("int32"), out), FIELD_NOT_NUMBER);
    cr_assert_eq(field_parse("\0" "1", 2, T("float64"), out), FIELD_NOT_NUMBER);
}

Test(field_parse, empty)
{
    unsigned char out[8];
    cr_assert_eq(field_parse("", 0, T("int32"), out), FIELD_EMPTY);
    cr_assert_eq(field_parse("", 0, T("float64"), out), FIELD_EMPTY);
}

Test(field_parse, number_forms)
{
    /* Both "1." and ".5" are numbers, as for strtod and Python's float(). */
    static const char *const ok[] = {
        "0", "1", "+1", "-1", "1.", "-1.", ".5", "-.5", "+.5", "1.5", "1.e5",
        ".5e1", "1e5", "1E5", "1e+5", "1e-5", "1e05", "00012", "0.0", "00.00",
        "-0", "+0", "0e0", "123456789.987654321e-3", "1E+0",
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        double want = strtod_l(ok[i], NULL, c_locale());
        expect_f64(ok[i], f64_bits(want));
    }
    expect_int("1.", "int8", 1);
    expect_int("-1.", "int8", -1);
    expect_int(".5e1", "int8", 5);
    expect_status(".5", "int8", FIELD_FRACTION);
}

Test(field_parse, specials_for_floats)
{
    static const char *const infs[] = {
        "inf", "INF", "Inf", "iNf", "+inf", "infinity", "Infinity",
        "INFINITY", "+Infinity", "infINITY",
    };
    for (size_t i = 0; i < sizeof infs / sizeof infs[0]; i++) {
        expect_f64(infs[i], f64_bits(INFINITY));
        expect_f32(infs[i], f32_bits(INFINITY));
        char neg[32];
        snprintf(neg, sizeof neg, "-%s", infs[i][0] == '+' ? infs[i] + 1 : infs[i]);
        expect_f64(neg, f64_bits(-INFINITY));
        expect_f32(neg, f32_bits(-INFINITY));
    }
    static const char *const nans[] = { "nan", "NaN", "NAN", "+nan", "nAn" };
    for (size_t i = 0; i < sizeof nans / sizeof nans[0]; i++) {
        double d;
        float f;
        cr_assert_eq(parse(nans[i], "float64", &d), FIELD_OK);
        cr_assert(isnan(d) && !signbit(d), "%s", nans[i]);
        cr_assert_eq(parse(nans[i], "float32", &f), FIELD_OK);
        cr_assert(isnan(f) && !signbit(f), "%s", nans[i]);
    }
    double d;
    float f;
    cr_assert_eq(parse("-nan", "float64", &d), FIELD_OK);
    cr_assert(isnan(d) && signbit(d));
    cr_assert_eq(parse("-NaN", "float32", &f), FIELD_OK);
    cr_assert(isnan(f) && signbit(f));
}

Test(field_parse, specials_for_integers)
{
    static const char *const specials[] = {
        "nan", "NaN", "-nan", "+nan", "inf", "-inf", "+inf", "INF",
        "infinity", "-Infinity",
    };
    for (size_t i = 0; i < sizeof specials / sizeof specials[0]; i++)
        for (size_t j = 0; j < N_INT_TYPES; j++)
            expect_status(specials[i], int_types[j], FIELD_NONFINITE);
}

/* ---- field_parse: integers ---------------------------------------------- */

Test(field_parse, integer_limits)
{
    for (size_t j = 0; j < N_INT_TYPES; j++) {
        const struct value_type *t = T(int_types[j]);
        __int128 lo = t->min, hi = t->max;
        char s[64], e[80];
        i128_text(lo, s);
        expect_int(s, t->name, lo);
        snprintf(e, sizeof e, "%s.000e0", s);
        expect_int(e, t->name, lo);
        i128_text(hi, s);
        expect_int(s, t->name, hi);
        snprintf(e, sizeof e, "+%s.0", s);
        expect_int(e, t->name, hi);
        snprintf(e, sizeof e, "000%s", s);
        expect_int(e, t->name, hi);
        i128_text(lo - 1, s);
        expect_status(s, t->name, FIELD_RANGE);
        i128_text(hi + 1, s);
        expect_status(s, t->name, FIELD_RANGE);
        snprintf(e, sizeof e, "%s.0", s);
        expect_status(e, t->name, FIELD_RANGE);
        i128_text(hi * 10, s);
        expect_status(s, t->name, FIELD_RANGE);
    }
}

Test(field_parse, integer_ranges_named_in_issue)
{
    expect_status("300", "uint8", FIELD_RANGE);
    expect_status("256", "uint8", FIELD_RANGE);
    expect_int("255", "uint8", 255);
    expect_status("-1", "uint32", FIELD_RANGE);
    expect_status("-1", "uint64", FIELD_RANGE);
    expect_status("9223372036854775808", "int64", FIELD_RANGE);
    expect_int("-9223372036854775808", "int64", INT64_MIN);
    expect_status("-9223372036854775809", "int64", FIELD_RANGE);
    expect_int("18446744073709551615", "uint64", UINT64_MAX);
    expect_status("18446744073709551616", "uint64", FIELD_RANGE);
    expect_status("1e30", "int64", FIELD_RANGE);
    expect_status("1e30", "uint64", FIELD_RANGE);
    expect_status("-1e30", "int64", FIELD_RANGE);
    expect_status("99999999999999999999999999999999999", "uint64", FIELD_RANGE);
}

Test(field_parse, integers_exact_above_2_53)
{
    expect_int("9007199254740993", "int64", 9007199254740993LL);
    expect_int("9007199254740993", "uint64", 9007199254740993ULL);
    expect_int("-9007199254740993", "int64", -9007199254740993LL);
    expect_int("9223372036854775807", "int64", INT64_MAX);
    expect_int("18446744073709551614", "uint64", UINT64_MAX - 1);
    expect_int("1844674407370955161.5e1", "uint64", UINT64_MAX);
    expect_status("1844674407370955161.6e1", "uint64", FIELD_RANGE);
    expect_int("922337203685477580.7e1", "int64", INT64_MAX);
    expect_int("-922337203685477580.8e1", "int64", INT64_MIN);
}

Test(field_parse, integer_exponent_and_fraction_forms)
{
    expect_int("1e3", "int32", 1000);
    expect_int("2.50e1", "int32", 25);
    expect_int("1.0", "int32", 1);
    expect_int("1.000000", "uint8", 1);
    expect_int("100e-2", "int8", 1);
    expect_int("0.1e1", "int8", 1);
    expect_int("000.00100e3", "int16", 1);
    expect_int("-2.5e1", "int8", -25);
    expect_int("1E2", "uint8", 100);
    expect_int("1e18", "int64", 1000000000000000000LL);
    expect_int("1e19", "uint64", 10000000000000000000ULL);
    expect_status("1e19", "int64", FIELD_RANGE);
    expect_status("1e20", "uint64", FIELD_RANGE);
    expect_int("1.8e19", "uint64", 18000000000000000000ULL);
    expect_status("1.9e19", "uint64", FIELD_RANGE);
    expect_status("2e19", "uint64", FIELD_RANGE);  /* wraps to 1.55e18 */
    expect_status("9.3e18", "int64", FIELD_RANGE);
    expect_status("-9.3e18", "int64", FIELD_RANGE);
    expect_status("65536e0", "uint16", FIELD_RANGE);
    expect_status("6.5536e4", "uint16", FIELD_RANGE);
    expect_int("6.5535e4", "uint16", 65535);
    expect_status("1.28e2", "int8", FIELD_RANGE);
    expect_int("-1.28e2", "int8", -128);
    expect_int("12.5e+1", "int16", 125);
    expect_status("1.5", "int32", FIELD_FRACTION);
    expect_status("1e-1", "int32", FIELD_FRACTION);
    expect_status("0.5", "uint8", FIELD_FRACTION);
    expect_status("12345e-2", "int64", FIELD_FRACTION);
    expect_status(".000001", "int64", FIELD_FRACTION);
    expect_status("1.0000000000000000000000000000001", "int64", FIELD_FRACTION);
    /* Not whole wins over out of range: the value is no integer at all. */
    expect_status("-1.5", "uint8", FIELD_FRACTION);
    expect_status("300.5", "uint8", FIELD_FRACTION);
    expect_status("1.5e300", "int8", FIELD_RANGE);
}

Test(field_parse, integer_zero_forms)
{
    for (size_t j = 0; j < N_INT_TYPES; j++) {
        const char *t = int_types[j];
        expect_int("0", t, 0);
        expect_int("-0", t, 0);       /* also for unsigned types */
        expect_int("+0", t, 0);
        expect_int("-0.0", t, 0);
        expect_int("0e999999", t, 0);
        expect_int("0.000e5", t, 0);
        expect_int("0e-999999", t, 0);
        expect_int("0000.0000e99999999999999999999999999999", t, 0);
        expect_int("-0e-99999999999999999999999999999", t, 0);
        expect_int(".0", t, 0);
        expect_int("0.", t, 0);
    }
}

Test(field_parse, huge_exponents, .timeout = 10)
{
    expect_status("1e999999999999", "int64", FIELD_RANGE);
    expect_status("1e99999999999999999999999999999999999999", "uint8", FIELD_RANGE);
    expect_status("1e-999999999999", "int64", FIELD_FRACTION);
    expect_status("1e-99999999999999999999999999999999999999", "int8", FIELD_FRACTION);
    expect_status("1e999999999999", "float64", FIELD_OVERFLOW);
    expect_status("-1e99999999999999999999999999999999999999", "float32", FIELD_OVERFLOW);
    expect_f64("1e-999999999999", 0);
    expect_f64("-1e-99999999999999999999999999999999999999", f64_bits(-0.0));
    expect_f32("1e-99999999999999999999999999999999999999", 0);
    /* 2^64 + 3: an exponent counter that wraps would read 1e3. */
    expect_status("1e18446744073709551619", "int32", FIELD_RANGE);
    expect_status("1e18446744073709551619", "float64", FIELD_OVERFLOW);
    expect_status("1e-18446744073709551619", "int32", FIELD_FRACTION);
    expect_f64("1e-18446744073709551619", 0);
    /* A tiny mantissa cannot pull a huge exponent back into range ... */
    expect_status("0.000000000000000000001e999999999999", "float64", FIELD_OVERFLOW);
    /* ... and an exponent that cancels the digits gives the plain value. */
    expect_int("100000000000000000000000000000e-28", "int8", 10);
    expect_f64("100000000000000000000000000000e-28", f64_bits(10.0));
}

Test(field_parse, long_integer_digit_strings, .timeout = 10)
{
    /* 1.000...000 (10^5 zeros) is 1; with a 1 at the end it is not whole;
     * 10^5 leading zeros do not make a number big. */
    size_t n = 100000;
    char *s = malloc(n + 8);
    cr_assert_not_null(s);
    s[0] = '1';
    s[1] = '.';
    memset(s + 2, '0', n);
    s[n + 2] = '\0';
    expect_int(s, "int8", 1);
    s[n + 1] = '1';
    expect_status(s, "int8", FIELD_FRACTION);
    memset(s, '0', n);
    strcpy(s + n, "42");
    expect_int(s, "uint8", 42);
    s[0] = '4';
    expect_status(s, "uint64", FIELD_RANGE);
    free(s);
}

Test(field_parse, random_integers)
{
    rng_state = 12345;
    for (int i = 0; i < 4000; i++) {
        const struct value_type *t = T(int_types[rnd(N_INT_TYPES)]);
        __int128 lo = t->min, hi = t->max, v;
        switch (rnd(4)) {
        case 0: v = lo + (int)rnd(5) - 2; break;
        case 1: v = hi + (int)rnd(5) - 2; break;
        case 2: v = (__int128)(int64_t)rnd64() >> rnd(64); break;
        default: v = (__int128)(rnd64() >> rnd(64)); break;
        }
        char digits[64], s[160];
        i128_text(v, digits);
        size_t n = strlen(digits), zeros = 0;
        while (n > 1 && digits[n - 1] == '0')
            n--, zeros++;
        switch (rnd(5)) {
        case 0: snprintf(s, sizeof s, "%s", digits); break;
        case 1: snprintf(s, sizeof s, "%.*se%zu", (int)n, digits, zeros); break;
        case 2: snprintf(s, sizeof s, "%s.%.*s", digits, (int)rnd(5), "00000"); break;
        case 3: snprintf(s, sizeof s, "%s0000e-4", digits); break;
        default: {
            /* d.ddd e(n-1): scientific, with the point moved. */
            const char *p = digits;
            char sign[2] = "";
            if (*p == '-')
                sign[0] = *p++;
            size_t m = strlen(p);
            snprintf(s, sizeof s, "%s%c.%se%zu", sign, p[0], p + 1, m - 1);
        }
        }
        if (v >= lo && v <= hi)
            expect_int(s, t->name, v);
        else
            expect_status(s, t->name, FIELD_RANGE);
        if (v >= lo && v <= hi) {       /* v + 0.5, v + 10^-30: not whole */
            char f[200];
            i128_text(v, digits);
            snprintf(f, sizeof f, "%s.5", digits);
            expect_status(f, t->name, FIELD_FRACTION);
            snprintf(f, sizeof f, "%s.000000000000000000000000000001", digits);
            expect_status(f, t->name, FIELD_FRACTION);
        }
    }
}

Test(field_parse, integers_native_size)
{
    /* Each type writes exactly its own size (checked by expect_int). */
    expect_int("-128", "int8", -128);
    expect_int("-32768", "int16", -32768);
    expect_int("-2147483648", "int32", INT32_MIN);
    expect_int("65535", "uint16", 65535);
    expect_int("4294967295", "uint32", UINT32_MAX);
}

/* ---- field_parse: floats ------------------------------------------------ */

Test(field_parse, negative_zero)
{
    static const char *const z[] = { "-0", "-0.0", "-.0", "-0.", "-0e5",
                                     "-0e-99999", "-000.000e+0", "-1e-400" };
    for (size_t i = 0; i < sizeof z / sizeof z[0]; i++)
        expect_f64(z[i], f64_bits(-0.0));
    for (size_t i = 0; i < sizeof z / sizeof z[0]; i++)
        expect_f32(z[i], f32_bits(-0.0f));
    expect_f64("0", 0);
    expect_f64("+0.0", 0);
    expect_f32("0e10", 0);
}

Test(field_parse, float64_halfway)
{
    expect_f64("9007199254740992", 0x4340000000000000ull);   /* 2^53 */
    expect_f64("9007199254740993", 0x4340000000000000ull);   /* tie: even */
    expect_f64("9007199254740993.0000000000000000000001", 0x4340000000000001ull);
    expect_f64("9007199254740992.9999999999999999999999", 0x4340000000000000ull);
    expect_f64("9007199254740995", 0x4340000000000002ull);   /* tie: even, up */
    expect_f64("9007199254740994", 0x4340000000000001ull);
    expect_f64("9.007199254740993e15", 0x4340000000000000ull);
    expect_f64("-9007199254740993", 0xC340000000000000ull);
}

Test(field_parse, float64_halfway_long_mantissa)
{
    /* Digits far past any cut-off decide the rounding. */
    char s[3000];
    strcpy(s, "9007199254740993");
    memset(s + 16, '0', 1500);
    strcpy(s + 1516, "e-1500");
    expect_f64(s, 0x4340000000000000ull);           /* exactly the tie */
    strcpy(s + 1516, "1e-1501");
    expect_f64(s, 0x4340000000000001ull);           /* a hair above */
    s[15] = '2';
    memset(s + 16, '9', 1500);
    strcpy(s + 1516, "e-1500");
    expect_f64(s, 0x4340000000000000ull);           /* a hair below */
    strcpy(s, "9007199254740993.");
    memset(s + 17, '0', 1500);
    strcpy(s + 1517, "1");
    expect_f64(s, 0x4340000000000001ull);
}

Test(field_parse, float64_limits)
{
    char mid[2000], s[2400];
    expect_f64("1.7976931348623157e308", f64_bits(DBL_MAX));
    expect_f64("-1.7976931348623157e308", f64_bits(-DBL_MAX));
    expect_status("1.7976931348623159e308", "float64", FIELD_OVERFLOW);
    expect_status("1e400", "float64", FIELD_OVERFLOW);
    expect_status("-1e400", "float64", FIELD_OVERFLOW);
    expect_status("1e309", "float64", FIELD_OVERFLOW);
    expect_f64("1e308", f64_bits(1e308));

    /* DBL_MAX + half an ulp is a tie that rounds to 2^1024: overflow. */
    struct fixed max = fixed_of(DBL_MAX), top = two_1024();
    mid_text(&max, &top, mid);
    cr_assert_eq(strlen(mid), 310u);                /* 309 digits and '.' */
    expect_status(mid, "float64", FIELD_OVERFLOW);
    just_below(mid, 1000, s);
    expect_f64(s, f64_bits(DBL_MAX));
    just_above(mid, 1000, s);
    expect_status(s, "float64", FIELD_OVERFLOW);
}

Test(field_parse, float64_subnormals)
{
    char mid[2000], s[4000];
    expect_f64("4.9406564584124654e-324", 1);
    expect_f64("5e-324", 1);
    expect_f64("2.4703282292062328e-324", 1);      /* just above the tie */
    expect_f64("2.4703282292062327e-324", 0);      /* just below */
    expect_f64("1e-400", 0);                        /* underflow is no error */
    expect_f64("2.2250738585072011e-308", 0x000FFFFFFFFFFFFFull);
    expect_f64("2.2250738585072014e-308", 0x0010000000000000ull);
    expect_f64("2.225073858507201136057409796709131975934819546351645648e-308",
               0x000FFFFFFFFFFFFFull);

    /* 2^-1075 exactly (751 significant digits): a tie that goes to 0. */
    midpoint(0, ldexp(1, -1074), mid);
    expect_f64(mid, 0);
    just_above(mid, 500, s);
    expect_f64(s, 1);
    just_below(mid, 500, s);
    expect_f64(s, 0);
    /* 3 * 2^-1075: a tie between 1 and 2 ulps, goes to 2. */
    midpoint(ldexp(1, -1074), ldexp(1, -1073), mid);
    expect_f64(mid, 2);
}

Test(field_parse, float32_rounding)
{
    expect_f32("16777216", 0x4B800000);
    expect_f32("16777217", 0x4B800000);              /* tie: even */
    expect_f32("16777217.00000000000000000001", 0x4B800001);
    expect_f32("16777216.99999999999999999999", 0x4B800000);
    expect_f32("16777219", 0x4B800002);
    expect_f32("0.1", 0x3DCCCCCD);
    expect_f32("-0.1", 0xBDCCCCCD);
    /* 1 + 2^-24 + 1e-40: (float)strtod would round twice and land on 1. */
    expect_f32("1.0000000596046447753906250000000000000001", 0x3F800001);
    expect_f32("1.000000059604644775390625", 0x3F800000);
    expect_f32("3.4028234663852886e38", f32_bits(FLT_MAX));
    expect_f32("3.4028235677973366e38", f32_bits(FLT_MAX));
    expect_status("3.4028235677973367e38", "float32", FIELD_OVERFLOW);
    expect_status("1e39", "float32", FIELD_OVERFLOW);
    expect_status("-1e39", "float32", FIELD_OVERFLOW);
    expect_f64("1e39", f64_bits(1e39));               /* fine for float64 */
    expect_f32("1e-45", 1);
    expect_f32("1.4e-45", 1);
    expect_f32("7.1e-46", 1);
    expect_f32("7e-46", 0);
    expect_f32("1e-46", 0);
    expect_f32("1.1754942e-38", 0x007FFFFF);
    expect_f32("1.17549435e-38", 0x00800000);
}

Test(field_parse, float32_ties_exact)
{
    char mid[2000], s[4000];
    midpoint(0, ldexp(1, -149), mid);               /* 2^-150 */
    expect_f32(mid, 0);
    just_above(mid, 900, s);
    expect_f32(s, 1);
    just_below(mid, 900, s);
    expect_f32(s, 0);
    midpoint(FLT_MAX, ldexp(1, 128), mid);          /* rounds to 2^128 */
    expect_status(mid, "float32", FIELD_OVERFLOW);
    just_below(mid, 900, s);
    expect_f32(s, f32_bits(FLT_MAX));
}

/* Random decimal text: sign, up to ~1000 digits around an optional point,
 * and an optional exponent in [LO, HI] (sometimes far outside it). */
static void random_decimal(char *s, int lo, int hi)
{
    char *p = s;
    switch (rnd(3)) {
    case 1: *p++ = '-'; break;
    case 2: *p++ = '+'; break;
    }
    unsigned ni, nf;
    switch (rnd(10)) {
    case 0: ni = 100 + rnd(900); nf = rnd(200); break;
    case 1: ni = rnd(3); nf = 100 + rnd(900); break;
    case 2: case 3: ni = 15 + rnd(10); nf = rnd(10); break;
    default: ni = rnd(12); nf = rnd(12); break;
    }
    if (ni + nf == 0)
        ni = 1;
    unsigned lead = rnd(4) == 0 ? rnd(5) : 0;
    for (unsigned i = 0; i < ni; i++)
        *p++ = (char)('0' + (i < lead ? 0 : rnd(10)));
    if (nf > 0 || rnd(4) == 0)
        *p++ = '.';
    for (unsigned i = 0; i < nf; i++)
        *p++ = (char)('0' + rnd(10));
    if (rnd(4) != 0) {
        long e;
        switch (rnd(20)) {
        case 0: e = (long)rnd(2000000) - 1000000; break;
        case 1: e = (long)rnd(40) - 20; break;
        default: e = lo + (long)rnd((unsigned)(hi - lo + 1)); break;
        }
        const char *sign = e < 0 ? "-" : rnd(2) ? "+" : "";
        p += sprintf(p, "%c%s%s%ld", rnd(2) ? 'e' : 'E', sign,
                     rnd(8) == 0 ? "00" : "", e < 0 ? -e : e);
    }
    *p = '\0';
}

Test(field_parse, random_float64_vs_strtod)
{
    rng_state = 42;
    char s[4000];
    for (int i = 0; i < 4000; i++) {
        random_decimal(s, -360, 330);
        char *end;
        double want = strtod_l(s, &end, c_locale());
        cr_assert_eq(*end, '\0', "generator: '%s'", s);
        if (isinf(want))
            expect_status(s, "float64", FIELD_OVERFLOW);
        else
            expect_f64(s, f64_bits(want));
    }
}

Test(field_parse, random_float32_vs_strtof)
{
    rng_state = 4242;
    char s[4000];
    for (int i = 0; i < 4000; i++) {
        random_decimal(s, -60, 45);
        char *end;
        float want = strtof_l(s, &end, c_locale());
        cr_assert_eq(*end, '\0', "generator: '%s'", s);
        if (isinf(want))
            expect_status(s, "float32", FIELD_OVERFLOW);
        else
            expect_f32(s, f32_bits(want));
    }
}

/* Short decimals as instruments print them, the domain of the fast path
 * and just past its edges (16 digits, exponents 23 and -23; 8 digits and
 * exponents of 11 for float32): about 100k of each type, bit for bit
 * against the C library. */
static void random_short(char *s, unsigned max_digits, int max_exp)
{
    char *p = s;
    if (rnd(2))
        *p++ = '-';
    unsigned n = 1 + rnd(max_digits + 2);
    unsigned point = rnd(n + 1);
    for (unsigned i = 0; i < n; i++) {
        if (i == point && i > 0)
            *p++ = '.';
        *p++ = (char)('0' + rnd(10));
    }
    if (rnd(2))
        p += sprintf(p, "e%d", (int)rnd((unsigned)(2 * max_exp + 5)) - max_exp - 2);
    *p = '\0';
}

/* 100k each in make check; SWMR_RANDOM_VALUES=10000000 (make fuzz) for
 * the long run. */
static long random_values(void)
{
    const char *n = getenv("SWMR_RANDOM_VALUES");
    return n && atol(n) > 0 ? atol(n) : 100000;
}

Test(field_parse, random_short_float64_vs_strtod, .timeout = 3600)
{
    rng_state = 99;
    char s[64];
    for (long i = 0, n = random_values(); i < n; i++) {
        random_short(s, 15, 22);
        expect_f64(s, f64_bits(strtod_l(s, NULL, c_locale())));
    }
}

Test(field_parse, random_short_float32_vs_strtof, .timeout = 3600)
{
    rng_state = 98;
    char s[64];
    for (long i = 0, n = random_values(); i < n; i++) {
        random_short(s, 7, 10);
        expect_f32(s, f32_bits(strtof_l(s, NULL, c_locale())));
    }
}

Test(field_parse, fast_path_edges)
{
    static const char *const f64[] = {
        "9007199254740992", "9007199254740993", "9007199254740993e0",
        "900719925474099.3", "999999999999999e22", "999999999999999e23",
        "1e22", "1e23", "1e-22", "1e-23", "123456789012345e-22",
        "4.9406564584124654e-324", "2.2250738585072011e-308",
        "1.7976931348623157e308", "0.1", "0.3", "1.5e-7", "-0.000001",
    };
    for (size_t i = 0; i < sizeof f64 / sizeof f64[0]; i++)
        expect_f64(f64[i], f64_bits(strtod_l(f64[i], NULL, c_locale())));
    static const char *const f32[] = {
        "16777216", "16777217", "1677721.7", "9999999e10", "9999999e11",
        "1e10", "1e11", "1e-10", "1e-11", "3.4028235e38", "1.4e-45",
        "0.1", "0.3", "-7.000001",
    };
    for (size_t i = 0; i < sizeof f32 / sizeof f32[0]; i++)
        expect_f32(f32[i], f32_bits(strtof_l(f32[i], NULL, c_locale())));
}

/* The exact tie between X and its successor NEXT (bits B and B + 1) as
 * text, and a hair above and below it, in random spellings: the expected
 * results come from arithmetic, not from the C library. */
static void check_ties(double x, double next, uint64_t b, bool f32)
{
    char mid[2000], s[4000], t[4100];
    midpoint(x, next, mid);
    int pad = (int)rnd(400);
    for (int v = 0; v < 3; v++) {
        uint64_t want = v == 0 ? b + (b & 1) : v == 1 ? b + 1 : b;
        if (v == 0)
            strcpy(s, mid);
        else if (v == 1)
            just_above(mid, pad, s);
        else
            just_below(mid, pad, s);
        bool neg = rnd(2);
        char *p = t;
        if (neg)
            *p++ = '-';
        if (rnd(2))
            as_exponent(s, p);
        else
            strcpy(p, s);
        if (f32) {
            uint32_t w = (uint32_t)want | (neg ? 0x80000000u : 0);
            expect_f32(t, w);
            cr_assert_eq(f32_bits(strtof_l(t, NULL, c_locale())), w,
                         "reference disagrees: %.60s", t);
        } else {
            uint64_t w = want | (neg ? 0x8000000000000000ull : 0);
            expect_f64(t, w);
            cr_assert_eq(f64_bits(strtod_l(t, NULL, c_locale())), w,
                         "reference disagrees: %.60s", t);
        }
    }
}

Test(field_parse, random_float64_ties, .timeout = 120)
{
    rng_state = 7;
    for (int i = 0; i < 1500; i++) {
        uint64_t b = rnd(8) == 0 ? rnd64() >> 12                /* subnormal */
                                 : rnd64() % 0x7FEFFFFFFFFFFFFFull;
        double x, next;
        memcpy(&x, &b, 8);
        next = nextafter(x, INFINITY);
        check_ties(x, next, b, false);
    }
}

Test(field_parse, random_float32_ties, .timeout = 120)
{
    rng_state = 8;
    for (int i = 0; i < 1500; i++) {
        uint32_t b = rnd(8) == 0 ? (uint32_t)(rnd64() >> 41)   /* subnormal */
                                 : (uint32_t)(rnd64() % 0x7F7FFFFFu);
        float x;
        memcpy(&x, &b, 4);
        check_ties(x, nextafterf(x, INFINITY), b, true);
    }
}

/* ---- record_convert ----------------------------------------------------- */

/* Splits LINE and converts it to TYPE. */
static bool convert_line(const char *line, const char *type, void *out,
                         size_t *count, struct record_error *err)
{
    struct field_span spans[16];
    cr_assert_eq(record_split(line, strlen(line), 0, spans, 16, count, err),
                 LINE_FIELDS, "'%s'", line);
    return record_convert(spans, *count, T(type), out, err);
}

Test(record_convert, consecutive_native_values)
{
    size_t count;
    struct record_error err;
    double d[4];
    cr_assert(convert_line("1.5, -2, 1e3 .25", "float64", d, &count, &err));
    cr_assert_eq(count, 4u);
    double want_d[] = { 1.5, -2, 1000, 0.25 };
    cr_assert(memcmp(d, want_d, sizeof d) == 0);

    int16_t h[4];
    cr_assert(convert_line("-32768 32767 0 -1", "int16", h, &count, &err));
    int16_t want_h[] = { -32768, 32767, 0, -1 };
    cr_assert(memcmp(h, want_h, sizeof h) == 0);

    float f[2];
    cr_assert(convert_line("0.1,-inf", "float32", f, &count, &err));
    float want_f[] = { 0.1f, -INFINITY };
    cr_assert(memcmp(f, want_f, sizeof f) == 0);

    uint8_t u[3];
    cr_assert(convert_line("255 0 1e2", "uint8", u, &count, &err));
    uint8_t want_u[] = { 255, 0, 100 };
    cr_assert(memcmp(u, want_u, sizeof u) == 0);
}

Test(record_convert, zero_fields)
{
    struct record_error err = { .field = 7 };
    cr_assert(record_convert(NULL, 0, T("int32"), NULL, &err));
}

Test(record_convert, first_bad_field_reported)
{
    size_t count;
    struct record_error err;
    int32_t v[5];
    cr_assert_not(convert_line("1 2 1.5 abc 5", "int32", v, &count, &err));
    cr_assert_eq(err.field, 3u);
    cr_assert_eq(err.status, FIELD_FRACTION);
    cr_assert_str_eq(err.text, "1.5");

    cr_assert_not(convert_line("1,x", "float64", v, &count, &err));
    cr_assert_eq(err.field, 2u);
    cr_assert_eq(err.status, FIELD_NOT_NUMBER);
    cr_assert_str_eq(err.text, "x");

    cr_assert_not(convert_line("nan", "uint16", v, &count, &err));
    cr_assert_eq(err.field, 1u);
    cr_assert_eq(err.status, FIELD_NONFINITE);

    cr_assert_not(convert_line("0 1e39", "float32", v, &count, &err));
    cr_assert_eq(err.status, FIELD_OVERFLOW);
    cr_assert_str_eq(err.text, "1e39");

    cr_assert_not(convert_line("256", "uint8", v, &count, &err));
    cr_assert_eq(err.status, FIELD_RANGE);
}

Test(record_convert, empty_span)
{
    struct field_span span = { "", 0 };
    struct record_error err;
    int32_t v;
    cr_assert_not(record_convert(&span, 1, T("int32"), &v, &err));
    cr_assert_eq(err.status, FIELD_EMPTY);
    cr_assert_eq(err.field, 1u);
}

Test(record_convert, long_field_text_truncated)
{
    char field[200];
    struct field_span span = { field, 0 };
    struct record_error err;
    double v;
    size_t room = sizeof err.text - 1;

    memset(field, 'a', sizeof field);
    span.len = room;                              /* just fits */
    cr_assert_not(record_convert(&span, 1, T("int32"), &v, &err));
    cr_assert_eq(strlen(err.text), room);
    cr_assert_eq(err.text[room - 1], 'a');

    for (size_t i = 0; i < sizeof field; i++)
        field[i] = (char)('a' + i % 26);
    span.len = room + 1;                          /* one too many */
    cr_assert_not(record_convert(&span, 1, T("int32"), &v, &err));
    cr_assert_eq(strlen(err.text), room);
    cr_assert(memcmp(err.text, field, room - 3) == 0);
    cr_assert_str_eq(err.text + room - 3, "...");

    span.len = sizeof field;
    cr_assert_not(record_convert(&span, 1, T("float64"), &v, &err));
    cr_assert_eq(strlen(err.text), room);
    cr_assert_str_eq(err.text + room - 3, "...");
}

Test(record_convert, long_number_text_truncated)
{
    char line[300];
    memset(line, '9', 100);
    strcpy(line + 100, " 1");
    size_t count;
    struct record_error err;
    int64_t v[2];
    cr_assert_not(convert_line(line, "int64", v, &count, &err));
    cr_assert_eq(err.status, FIELD_RANGE);
    cr_assert_eq(err.field, 1u);
    cr_assert_eq(strlen(err.text), sizeof err.text - 1);
}

/* ---- record_error_text -------------------------------------------------- */

static void expect_text(size_t field, enum field_status st, const char *text,
                        const char *type, const char *want)
{
    struct record_error err = { .field = field, .status = st };
    snprintf(err.text, sizeof err.text, "%s", text);
    char buf[200];
    record_error_text(&err, type ? T(type) : NULL, buf, sizeof buf);
    cr_assert_str_eq(buf, want);
}

Test(record_error_text, messages)
{
    expect_text(2, FIELD_NOT_NUMBER, "abc", "int32",
                "field 2: 'abc' is not a number");
    expect_text(1, FIELD_EMPTY, "", "int32", "field 1: empty field");
    expect_text(3, FIELD_FRACTION, "1.5", "int32",
                "field 3: '1.5' is not an integer (int32)");
    expect_text(1, FIELD_RANGE, "300", "uint8",
                "field 1: '300' is out of range for uint8");
    expect_text(1, FIELD_OVERFLOW, "1e400", "float64",
                "field 1: '1e400' overflows float64");
    expect_text(2, FIELD_NONFINITE, "nan", "int32",
                "field 2: 'nan' is not allowed for int32");
    expect_text(1, FIELD_OVERFLOW, "1e39", "float32",
                "field 1: '1e39' overflows float32");
    expect_text(0, FIELD_NUL, "", "int32", "line holds a NUL byte");
    expect_text(0, FIELD_NUL, "", NULL, "line holds a NUL byte");
    expect_text(12345, FIELD_EMPTY, "", NULL, "field 12345: empty field");
}

Test(record_error_text, non_printable_replaced)
{
    expect_text(1, FIELD_NOT_NUMBER, "a\tb\x1b[31m\x7f\x80\xc3\xa9", "int8",
                "field 1: 'a?b?[31m\?\?\?\?' is not a number");
    expect_text(1, FIELD_NOT_NUMBER, "1\r", "int8", "field 1: '1?' is not a number");
}

Test(record_error_text, truncated_field_shown)
{
    char field[100];
    memset(field, '7', sizeof field);
    struct field_span span = { field, sizeof field };
    struct record_error err;
    uint8_t v;
    cr_assert_not(record_convert(&span, 1, T("uint8"), &v, &err));
    char buf[200], want[200];
    record_error_text(&err, T("uint8"), buf, sizeof buf);
    snprintf(want, sizeof want, "field 1: '%.*s...' is out of range for uint8",
             (int)sizeof err.text - 4, field);
    cr_assert_str_eq(buf, want);
}

Test(record_error_text, small_buffer)
{
    struct record_error err = { .field = 2, .status = FIELD_NOT_NUMBER };
    strcpy(err.text, "abc");
    char buf[11];
    memset(buf, 'x', sizeof buf);
    record_error_text(&err, T("int8"), buf, 10);
    cr_assert_str_eq(buf, "field 2: ");
    cr_assert_eq(buf[10], 'x');
    record_error_text(&err, T("int8"), buf, 0);     /* writes nothing */
    cr_assert_eq(buf[0], 'f');
}

Test(record_error_text, end_to_end)
{
    const char *cases[][3] = {
        { "1, 2, abc", "int32", "field 3: 'abc' is not a number" },
        { "1,,2", "int32", "field 2: empty field" },
        { "1 2 1.5", "int32", "field 3: '1.5' is not an integer (int32)" },
        { "300", "uint8", "field 1: '300' is out of range for uint8" },
        { "1e400", "float64", "field 1: '1e400' overflows float64" },
        { "1 nan", "int32", "field 2: 'nan' is not allowed for int32" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *line = cases[i][0];
        struct field_span spans[8];
        size_t count;
        struct record_error err;
        unsigned char out[64];
        char buf[128];
        enum line_kind k = record_split(line, strlen(line), 0, spans, 8,
                                        &count, &err);
        if (k == LINE_FIELDS)
            cr_assert_not(record_convert(spans, count, T(cases[i][1]), out, &err));
        record_error_text(&err, T(cases[i][1]), buf, sizeof buf);
        cr_assert_str_eq(buf, cases[i][2]);
    }
    struct record_error err;
    size_t count;
    cr_assert_eq(record_split("1\0", 2, 0, NULL, 0, &count, &err), LINE_BAD);
    char buf[64];
    record_error_text(&err, T("int8"), buf, sizeof buf);
    cr_assert_str_eq(buf, "line holds a NUL byte");
}

/* ---- record_quick_single: the one-number line ---- */

Test(record_quick_single, takes_one_plain_number_per_line)
{
    const struct value_type *f64 = type_by_name("float64");
    const struct value_type *i32 = type_by_name("int32");
    double d;
    int32_t i;
    cr_assert(record_quick_single("  -1.25\r", 8, f64, &d));
    cr_assert_eq(d, -1.25);
    cr_assert(record_quick_single("42", 2, i32, &i));
    cr_assert_eq(i, 42);
    cr_assert(record_quick_single("\t-2147483648 ", 13, i32, &i));
    cr_assert_eq(i, INT32_MIN);
}

Test(record_quick_single, leaves_the_rest_to_the_general_path)
{
    const struct value_type *f64 = type_by_name("float64");
    const struct value_type *i32 = type_by_name("int32");
    double d = 7;
    int32_t i = 7;
    static const char *const lines[] = {
        "", "   ", "# 1", "1,2", "1 2", "1;2", "nan", "inf", "1e", ".",
        "\xEF\xBB\xBF" "1", "1x", "12345678901234567890", "1e99999",
    };
    for (size_t k = 0; k < sizeof lines / sizeof lines[0]; k++)
        cr_assert_not(record_quick_single(lines[k], strlen(lines[k]), f64, &d),
                      "'%s'", lines[k]);
    cr_assert_eq(d, 7, "nothing written when it says no");
    cr_assert_not(record_quick_single("2147483648", 10, i32, &i), "range");
    cr_assert_not(record_quick_single("1.5", 3, i32, &i), "fraction");
    cr_assert_not(record_quick_single("1e3", 3, i32, &i), "exponent");
    cr_assert_eq(i, 7);
}

/* Columns of their own types: each field by its own rules, packed. */
Test(record, convert_each_packs_fields_by_their_own_types)
{
    const struct value_type *types[] = { type_by_name("float64"),
                                         type_by_name("float32"),
                                         type_by_name("uint8") };
    const char line[] = "1796105840.123,21.5,200";
    struct field_span spans[4];
    size_t count;
    cr_assert_eq(record_split(line, strlen(line), 0, spans, 4, &count, NULL),
                 LINE_FIELDS);
    unsigned char row[13];
    struct record_error err;
    cr_assert(record_convert_each(spans, count, types, row, &err));
    double t;
    float v;
    memcpy(&t, row, 8);
    memcpy(&v, row + 8, 4);
    cr_assert_eq(t, 1796105840.123);   /* float64 keeps it, float32 cannot */
    cr_assert_eq(v, 21.5f);
    cr_assert_eq(row[12], 200);
    const char bad[] = "1,2,300";
    record_split(bad, strlen(bad), 0, spans, 4, &count, NULL);
    cr_assert_not(record_convert_each(spans, count, types, row, &err));
    cr_assert_eq(err.field, 3);
    cr_assert_eq(err.status, FIELD_RANGE);
    const char frac[] = "1,2,1.5";
    record_split(frac, strlen(frac), 0, spans, 4, &count, NULL);
    cr_assert_not(record_convert_each(spans, count, types, row, &err));
    cr_assert_eq(err.status, FIELD_FRACTION);
}
