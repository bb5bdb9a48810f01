#include "record.h"
#include "c_locale.h"

#include <math.h>   /* isinf, copysign, INFINITY, NAN */
#include <stdint.h> /* int64_t, uint64_t */
#include <stdio.h>  /* snprintf */
#include <float.h>  /* FLT_EVAL_METHOD */
#include <stdlib.h> /* strtod_l, strtof_l */
#include <string.h> /* memchr, memcpy */

/* ---- splitting ---------------------------------------------------------- */

static bool is_blank(char c)
{
    return c == ' ' || c == '\t';
}

static enum line_kind line_bad(struct record_error *err, size_t field,
                               enum field_status status)
{
    if (err) {
        err->field = field;
        err->status = status;
        err->text[0] = '\0';
    }
    return LINE_BAD;
}

/* What makes a separator. A separator is a maximal run of blanks and HARD
 * characters; BLANKS says a run of blanks alone separates (the default
 * mode), RUNS that several HARD characters in one run are still one
 * separator (a forced space, as columns aligned with spaces need) rather
 * than an empty field between them. Two tabs in a row are an empty field,
 * as in any TSV file. */
struct sep_rule {
    char hard;
    bool blanks;
    bool runs;
};

static struct sep_rule sep_rule(char delimiter)
{
    if (delimiter == '\0')
        return (struct sep_rule){ ',', true, false };
    return (struct sep_rule){ delimiter, false, delimiter == ' ' };
}

static bool in_sep(const struct sep_rule *r, char c)
{
    return is_blank(c) || c == r->hard;
}

/* The end of the run of separator characters starting at P; *HARD gets how
 * many of them are the hard character. */
static const char *run_end(const struct sep_rule *r, const char *p,
                           const char *end, size_t *hard)
{
    *hard = 0;
    for (; p < end && in_sep(r, *p); p++)
        *hard += *p == r->hard;
    return p;
}

/* The end of the field starting at P: the start of the next run that is a
 * separator, or END. Blank runs that do not separate (a forced delimiter)
 * belong to the field; they never end the line since it is trimmed. */
static const char *field_end(const struct sep_rule *r, const char *p,
                             const char *end, const char **next,
                             size_t *hard)
{
    for (;;) {
        while (p < end && !in_sep(r, *p))
            p++;
        if (p == end) {
            *next = end;
            *hard = 0;
            return end;
        }
        const char *after = run_end(r, p, end, hard);
        if (*hard > 0 || r->blanks) {
            *next = after;
            return p;
        }
        p = after;
    }
}

enum line_kind record_split(const char *line, size_t len, char delimiter,
                            struct field_span *spans, size_t max,
                            size_t *count, struct record_error *err)
{
    *count = 0;
    if (len > 0 && memchr(line, '\0', len))    /* memchr wants a real pointer */
        return line_bad(err, 0, FIELD_NUL);

    const char *p = line, *end = line + len;
    if (end > p && end[-1] == '\r')
        end--;
    while (p < end && is_blank(*p))
        p++;
    while (end > p && is_blank(end[-1]))
        end--;
    if (p == end || *p == '#')
        return LINE_BLANK;

    struct sep_rule rule = sep_rule(delimiter);
    size_t n = 0;
    for (;;) {
        const char *next;
        size_t hard;
        const char *stop = field_end(&rule, p, end, &next, &hard);
        if (stop == p)      /* a leading, doubled or trailing hard delimiter */
            return line_bad(err, n + 1, FIELD_EMPTY);
        if (n < max)
            spans[n] = (struct field_span){ p, (size_t)(stop - p) };
        n++;
        if (hard > 1 && !rule.runs)
            return line_bad(err, n + 1, FIELD_EMPTY);
        if (stop == end)
            break;
        p = next;           /* END after a trailing delimiter: the next round
                               finds an empty field there */
    }
    *count = n;
    return LINE_FIELDS;
}

/* ---- number syntax ------------------------------------------------------ */

/* Exponents saturate here while being read: far beyond any type's range,
 * small enough that adding a line's digit counts cannot overflow int64. */
#define EXP_CAP 1000000000000000LL

/* A decimal number as written: sign, integer digits, fraction digits and
 * exponent, pointing into the field (nothing copied). */
struct decimal {
    bool neg;
    const char *ip, *fp;
    size_t ni, nf;
    int64_t exp;
};

enum syntax { SYN_BAD, SYN_NUMBER, SYN_INF, SYN_NAN };

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static size_t digits(const char *p, const char *end)
{
    const char *q = p;
    while (q < end && is_digit(*q))
        q++;
    return (size_t)(q - p);
}

/* ASCII-only case folding: tolower() would consult the locale. */
static bool same_word(const char *s, size_t len, const char *word)
{
    size_t i = 0;
    for (; i < len && word[i]; i++)
        if ((s[i] | 0x20) != word[i])
            return false;
    return i == len && !word[i];
}

static enum syntax special(const char *p, const char *end)
{
    size_t len = (size_t)(end - p);
    if (same_word(p, len, "inf") || same_word(p, len, "infinity"))
        return SYN_INF;
    if (same_word(p, len, "nan"))
        return SYN_NAN;
    return SYN_BAD;
}

/* Reads "e[+-]digits" at P; false when an 'e' is not followed by digits. */
static bool exponent(const char *p, const char *end, const char **after,
                     int64_t *exp)
{
    *exp = 0;
    *after = p;
    if (p == end || (*p != 'e' && *p != 'E'))
        return true;
    bool neg = false;
    if (++p < end && (*p == '+' || *p == '-'))
        neg = *p++ == '-';
    size_t n = digits(p, end);
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++)
        if (*exp < EXP_CAP)
            *exp = *exp * 10 + (p[i] - '0');
    *exp = neg ? -*exp : *exp;
    *after = p + n;
    return true;
}

/* [+-] (digits [. digits*] | . digits) [e [+-] digits], or inf/nan. */
static enum syntax scan(const char *s, size_t len, struct decimal *d)
{
    const char *p = s, *end = s + len;
    d->neg = false;
    if (p < end && (*p == '+' || *p == '-'))
        d->neg = *p++ == '-';
    d->ip = p;
    d->ni = digits(p, end);
    p += d->ni;
    d->fp = p;
    d->nf = 0;
    if (p < end && *p == '.') {
        d->fp = ++p;
        d->nf = digits(p, end);
        p += d->nf;
    }
    if (d->ni + d->nf == 0)
        return d->ip == end || *d->ip == '.' ? SYN_BAD : special(d->ip, end);
    if (!exponent(p, end, &p, &d->exp) || p != end)
        return SYN_BAD;
    return SYN_NUMBER;
}

/* The number as D * 10^E with D = the significant digits (no leading or
 * trailing zeros): digit I of D is at_digit(d, FIRST + I). */
struct significand {
    size_t first, n;
    int64_t e;
};

static char at_digit(const struct decimal *d, size_t i)
{
    return i < d->ni ? d->ip[i] : d->fp[i - d->ni];
}

static struct significand significand_of(const struct decimal *d)
{
    size_t all = d->ni + d->nf, first = 0, last = all;
    while (first < all && at_digit(d, first) == '0')
        first++;
    if (first == all)
        return (struct significand){ 0, 0, 0 };
    while (at_digit(d, last - 1) == '0')
        last--;
    int64_t trailing = (int64_t)(all - last);
    return (struct significand){ first, last - first,
                                 d->exp - (int64_t)d->nf + trailing };
}

/* ---- integers ----------------------------------------------------------- */

/* D * 10^E exactly, or false when it does not fit 64 bits. Both loops stop
 * within 20 rounds on overflow (D >= 1), whatever the field's length or E. */
static bool magnitude(const struct decimal *d, const struct significand *m,
                      uint64_t *out)
{
    uint64_t v = 0;
    for (size_t i = 0; i < m->n; i++)
        if (__builtin_mul_overflow(v, 10, &v) ||
            __builtin_add_overflow(v, (uint64_t)(at_digit(d, m->first + i) - '0'), &v))
            return false;
    for (int64_t i = 0; i < m->e; i++)
        if (__builtin_mul_overflow(v, 10, &v))
            return false;
    *out = v;
    return true;
}

static void store_int(const struct value_type *t, uint64_t bits, void *out)
{
    /* Two's complement bits of a value known to fit: the low SIZE bytes. */
    switch (t->size) {
    case 1: { uint8_t v = (uint8_t)bits; memcpy(out, &v, 1); break; }
    case 2: { uint16_t v = (uint16_t)bits; memcpy(out, &v, 2); break; }
    case 4: { uint32_t v = (uint32_t)bits; memcpy(out, &v, 4); break; }
    default: memcpy(out, &bits, 8); break;
    }
}

static enum field_status parse_int(const struct decimal *d,
                                   const struct value_type *t, void *out)
{
    struct significand m = significand_of(d);
    uint64_t mag = 0;
    if (m.n > 0 && m.e < 0)      /* D has no trailing zeros: not whole */
        return FIELD_FRACTION;
    if (m.n > 0 && !magnitude(d, &m, &mag))
        return FIELD_RANGE;
    uint64_t limit = !d->neg ? t->max
                   : t->min < 0 ? (uint64_t)-(t->min + 1) + 1 : 0;
    if (mag > limit)
        return FIELD_RANGE;
    store_int(t, d->neg ? 0 - mag : mag, out);
    return FIELD_OK;
}

/* ---- floats ------------------------------------------------------------- */

/* Correct rounding never needs more significant digits than this (a binary64
 * halfway point has at most 767): longer inputs keep this many plus a
 * nonzero sticky digit, which lands between the same two halfway points. */
#define KEEP_DIGITS 800
/* Beyond this decimal exponent every kept significand is 0 or infinity. */
#define EXP_CLAMP 99999

/* "[-]DDDe<exp>": bounded in size whatever the field's length. */
static void canonical(const struct decimal *d, const struct significand *m,
                      char *buf, size_t size)
{
    size_t n = m->n < KEEP_DIGITS ? m->n : KEEP_DIGITS;
    char *p = buf;
    if (d->neg)
        *p++ = '-';
    for (size_t i = 0; i < n; i++)
        *p++ = at_digit(d, m->first + i);
    int64_t e = m->e + (int64_t)(m->n - n);
    if (n < m->n) {         /* the dropped tail ends in a nonzero digit */
        *p++ = '1';
        e--;
    }
    e = e > EXP_CLAMP ? EXP_CLAMP : e < -EXP_CLAMP ? -EXP_CLAMP : e;
    snprintf(p, size - (size_t)(p - buf), "e%lld", (long long)e);
}

/* Clinger's fast path: when W and 10^|E10| are both exact in T's format
 * (W up to 2^53 and powers to 10^22 for float64; 2^24 and 10^10 for
 * float32), W * 10^E10 is one multiplication (or division), and IEEE
 * arithmetic rounds that single operation correctly: the same bits as
 * strtod. That covers what sensors print. Needs arithmetic in the type's
 * own precision (FLT_EVAL_METHOD 0, as SSE on x86-64 and every 64-bit
 * ARM); false for the rest, which take the slow path. */
static bool clinger(uint64_t w, int64_t e10, bool neg,
                    const struct value_type *t, void *out)
{
#if defined(FLT_EVAL_METHOD) && FLT_EVAL_METHOD == 0 && \
    !defined(RECORD_GENERAL_ONLY)   /* tests/fuzz: the reference build */
    static const double p64[] = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    };
    static const float p32[] = {
        1e0f, 1e1f, 1e2f, 1e3f, 1e4f, 1e5f, 1e6f, 1e7f, 1e8f, 1e9f, 1e10f,
    };
    if (t->size == 4) {
        if (w > (1u << 24) || e10 < -10 || e10 > 10)
            return false;
        float v = (float)w;   /* exact */
        v = e10 < 0 ? v / p32[-e10] : v * p32[e10];
        v = neg ? -v : v;
        memcpy(out, &v, sizeof v);
        return true;
    }
    if (w > (1ull << 53) || e10 < -22 || e10 > 22)
        return false;
    double v = (double)w;   /* exact */
    v = e10 < 0 ? v / p64[-e10] : v * p64[e10];
    v = neg ? -v : v;
    memcpy(out, &v, sizeof v);
    return true;
#else
    (void)w, (void)e10, (void)neg, (void)t, (void)out;
    return false;
#endif
}

static enum field_status parse_float(const struct decimal *d,
                                     const struct value_type *t, void *out)
{
    struct significand m = significand_of(d);
    if (m.n > 0 && m.n <= 19) {
        uint64_t w = 0;
        for (size_t i = 0; i < m.n; i++)
            w = w * 10 + (uint64_t)(at_digit(d, m.first + i) - '0');
        if (clinger(w, m.e, d->neg, t, out))
            return FIELD_OK;
    }
    double v64 = copysign(0.0, d->neg ? -1.0 : 1.0);
    float v32 = (float)v64;
    if (m.n > 0) {
        char buf[KEEP_DIGITS + 32];
        canonical(d, &m, buf, sizeof buf);
        /* Straight to binary32: (float)strtod would round twice. */
        if (t->size == 4)
            v32 = strtof_l(buf, NULL, c_locale());
        else
            v64 = strtod_l(buf, NULL, c_locale());
        if (t->size == 4 ? isinf(v32) : isinf(v64))
            return FIELD_OVERFLOW;
    }
    if (t->size == 4)
        memcpy(out, &v32, sizeof v32);
    else
        memcpy(out, &v64, sizeof v64);
    return FIELD_OK;
}

static enum field_status parse_special(enum syntax syn, bool neg,
                                       const struct value_type *t, void *out)
{
    if (t->kind != KIND_FLOAT)
        return FIELD_NONFINITE;
    double v = copysign(syn == SYN_INF ? INFINITY : NAN, neg ? -1.0 : 1.0);
    if (t->size == 4) {
        float f = (float)v;
        memcpy(out, &f, sizeof f);
    } else {
        memcpy(out, &v, sizeof v);
    }
    return FIELD_OK;
}

/* The common field in one pass: [+-]digits[.digits][(e|E)[+-]digits]
 * with at most 19 digits in all (so that they fit 64 bits whatever they
 * are) and an exponent of at most 4 digits. *W and *E10 make the value
 * W * 10^E10. false: anything else, for the general path. Digits are
 * summed as they come (unsigned: a 20th digit wraps harmlessly before the
 * count refuses it). */
static bool quick_decimal(const char *s, size_t len, bool *neg, uint64_t *w,
                          int64_t *e10)
{
    const char *p = s, *end = s + len;
    *neg = false;
    if (p < end && (*p == '+' || *p == '-'))
        *neg = *p++ == '-';
    const char *from = p;
    uint64_t v = 0;
    unsigned d;
    while (p < end && (d = (unsigned)(*p - '0')) < 10) {
        v = v * 10 + d;
        p++;
    }
    size_t n = (size_t)(p - from), nf = 0;
    if (p < end && *p == '.') {
        const char *frac = ++p;
        while (p < end && (d = (unsigned)(*p - '0')) < 10) {
            v = v * 10 + d;
            p++;
        }
        nf = (size_t)(p - frac);
    }
    if (n + nf == 0 || n + nf > 19)
        return false;
    int64_t e = 0;
    if (p < end) {
        if (*p != 'e' && *p != 'E')
            return false;
        bool eneg = false;
        if (++p < end && (*p == '+' || *p == '-'))
            eneg = *p++ == '-';
        if (p == end || end - p > 4)
            return false;
        for (; p < end; p++) {
            if ((d = (unsigned)(*p - '0')) >= 10)
                return false;
            e = e * 10 + d;
        }
        e = eneg ? -e : e;
    }
    *w = v;
    *e10 = e - (int64_t)nf;
    return true;
}

/* The common cases straight from quick_decimal: whole numbers that fit,
 * and floats in Clinger's reach (see clinger). false: the general path
 * decides (and words any error). */
static bool quick_parse(const char *s, size_t len, const struct value_type *t,
                        void *out)
{
#ifdef RECORD_GENERAL_ONLY   /* tests/fuzz: the reference build */
    (void)s, (void)len, (void)t, (void)out;
    return false;
#endif
    bool neg;
    uint64_t w;
    int64_t e10;
    if (!quick_decimal(s, len, &neg, &w, &e10))
        return false;
    if (t->kind != KIND_FLOAT) {
        if (e10 != 0)
            return false;
        uint64_t limit = !neg ? t->max
                       : t->min < 0 ? (uint64_t)-(t->min + 1) + 1 : 0;
        if (w > limit)
            return false;
        store_int(t, neg ? 0 - w : w, out);
        return true;
    }
    return clinger(w, e10, neg, t, out);
}

enum field_status field_parse(const char *s, size_t len,
                              const struct value_type *t, void *out)
{
    if (len == 0)
        return FIELD_EMPTY;
    if (quick_parse(s, len, t, out))
        return FIELD_OK;
    struct decimal d;
    enum syntax syn = scan(s, len, &d);
    if (syn == SYN_BAD)
        return FIELD_NOT_NUMBER;
    if (syn != SYN_NUMBER)
        return parse_special(syn, d.neg, t, out);
    if (t->kind == KIND_FLOAT)
        return parse_float(&d, t, out);
    return parse_int(&d, t, out);
}

/* ---- whole records and messages ----------------------------------------- */

static void error_text(struct record_error *err, const char *s, size_t len)
{
    size_t room = sizeof err->text - 1;
    if (len <= room) {
        memcpy(err->text, s, len);
        err->text[len] = '\0';
        return;
    }
    memcpy(err->text, s, room - 3);
    memcpy(err->text + room - 3, "...", 4);
}

/* Field I (0-based) failed with ST: said in ERR (may be NULL). false. */
static bool field_failed(struct record_error *err, size_t i,
                         enum field_status st, const struct field_span *span)
{
    if (err) {
        err->field = i + 1;
        err->status = st;
        error_text(err, span->start, span->len);
    }
    return false;
}

bool record_quick_single(const char *line, size_t len,
                         const struct value_type *t, void *out)
{
    const char *p = line, *end = line + len;
    if (end > p && end[-1] == '\r')
        end--;
    while (p < end && is_blank(*p))
        p++;
    while (end > p && is_blank(end[-1]))
        end--;
    return p < end && quick_parse(p, (size_t)(end - p), t, out);
}

bool record_convert(const struct field_span *spans, size_t count,
                    const struct value_type *t, void *out,
                    struct record_error *err)
{
    char *dst = out;
    for (size_t i = 0; i < count; i++, dst += t->size) {
        enum field_status st = field_parse(spans[i].start, spans[i].len, t, dst);
        if (st != FIELD_OK)
            return field_failed(err, i, st, &spans[i]);
    }
    return true;
}

bool record_convert_each(const struct field_span *spans, size_t count,
                         const struct value_type *const *types, void *out,
                         struct record_error *err)
{
    char *dst = out;
    for (size_t i = 0; i < count; dst += types[i]->size, i++) {
        enum field_status st = field_parse(spans[i].start, spans[i].len,
                                           types[i], dst);
        if (st != FIELD_OK)
            return field_failed(err, i, st, &spans[i]);
    }
    return true;
}

/* The field as it may safely go to a terminal: bytes outside printable ASCII
 * (control characters, escape sequences, stray UTF-8) become '?'. */
static void printable(const char *s, char *out, size_t size)
{
    size_t i = 0;
    for (; s[i] && i + 1 < size; i++)
        out[i] = s[i] >= 0x20 && s[i] < 0x7f ? s[i] : '?';
    out[i] = '\0';
}

void record_error_text(const struct record_error *err,
                       const struct value_type *t, char *buf, size_t size)
{
    char text[sizeof err->text];
    const char *type = t ? t->name : "this type";
    printable(err->text, text, sizeof text);

    char where[40] = "line";
    if (err->field > 0)
        snprintf(where, sizeof where, "field %zu", err->field);

    switch (err->status) {
    case FIELD_NUL:
        snprintf(buf, size, "line holds a NUL byte");
        break;
    case FIELD_EMPTY:
        snprintf(buf, size, "%s: empty field", where);
        break;
    case FIELD_NOT_NUMBER:
        snprintf(buf, size, "%s: '%s' is not a number", where, text);
        break;
    case FIELD_FRACTION:
        snprintf(buf, size, "%s: '%s' is not an integer (%s)", where, text, type);
        break;
    case FIELD_RANGE:
        snprintf(buf, size, "%s: '%s' is out of range for %s", where, text, type);
        break;
    case FIELD_OVERFLOW:
        snprintf(buf, size, "%s: '%s' overflows %s", where, text, type);
        break;
    case FIELD_NONFINITE:
        snprintf(buf, size, "%s: '%s' is not allowed for %s", where, text, type);
        break;
    default:                /* FIELD_OK: a caller's slip, still a sentence */
        snprintf(buf, size, "%s: no error", where);
        break;
    }
}
