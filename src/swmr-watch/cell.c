/* Printing one cell of any type, in the plain formats (text, TSV) and in
 * JSON. The layout comes from cell_h5.c; nothing here calls HDF5. */
#include "cell.h"
#include "c_locale.h"
#include "watch_format.h"

#include <inttypes.h>  /* PRId64 */
#include <math.h>      /* isnan, isinf */
#include <stdlib.h>    /* calloc, free, strtold_l */
#include <string.h>    /* memcpy, memchr, strlen, strchr */

struct cell *cell_new(enum cell_kind kind, size_t size)
{
    struct cell *c = calloc(1, sizeof *c);
    if (c) {
        c->kind = kind;
        c->size = size;
    }
    return c;
}

void cell_free(struct cell *c)
{
    if (!c)
        return;
    cell_free(c->elem);
    for (size_t i = 0; i < c->nfields; i++) {
        free(c->fields[i].name);
        cell_free(c->fields[i].cell);
    }
    free(c->fields);
    for (size_t i = 0; i < c->nnames; i++)
        free(c->names[i]);
    free(c->names);
    free(c->values);
    free(c->dims);
    free(c);
}

bool cell_has_vlen(const struct cell *c)
{
    if (c->kind == CELL_VSTRING || c->kind == CELL_SEQUENCE)
        return true;
    if (c->kind == CELL_ARRAY)
        return cell_has_vlen(c->elem);
    for (size_t i = 0; i < c->nfields; i++)
        if (cell_has_vlen(c->fields[i].cell))
            return true;
    return false;
}

/* Find the first unprintable part below C, its path so far PATH. */
static bool unprintable(const struct cell *c, const char *path, char *buf,
                        size_t size)
{
    if (c->kind == CELL_UNPRINTABLE) {
        if (*path)
            snprintf(buf, size, "field '%s' (%s)", path, c->what);
        else
            snprintf(buf, size, "its type (%s)", c->what);
        return true;
    }
    if (c->kind == CELL_ARRAY || c->kind == CELL_SEQUENCE)
        return unprintable(c->elem, path, buf, size);
    for (size_t i = 0; i < c->nfields; i++) {
        const char *name = c->fields[i].name;
        size_t len = strlen(path) + strlen(name) + 2;
        char *sub = malloc(len);
        if (!sub)
            return false;
        snprintf(sub, len, "%s%s%s", path, *path ? "." : "", name);
        bool found = unprintable(c->fields[i].cell, sub, buf, size);
        free(sub);
        if (found)
            return true;
    }
    return false;
}

bool cell_unprintable_part(const struct cell *c, char *buf, size_t size)
{
    return unprintable(c, "", buf, size);
}

bool cell_has_names(const struct cell *c)
{
    return c->kind == CELL_COMPOUND;
}

/* ---- Strings ---- */

/* Length of the valid UTF-8 character at C, of at most AVAIL bytes (1 for
 * ASCII), its code point in *CP; 0 when the bytes there are not one: a
 * stray continuation byte, a truncated or overlong sequence, a surrogate,
 * past U+10FFFF. */
static size_t utf8_char(const unsigned char *c, size_t avail, uint32_t *cp)
{
    *cp = c[0];
    if (c[0] < 0x80)
        return 1;
    size_t len = c[0] >= 0xf0 ? 4 : c[0] >= 0xe0 ? 3 : c[0] >= 0xc0 ? 2 : 0;
    if (len == 0 || c[0] > 0xf4 || len > avail)
        return 0;
    *cp = c[0] & (0x7f >> len);
    for (size_t i = 1; i < len; i++) {
        if ((c[i] & 0xc0) != 0x80)
            return 0;
        *cp = *cp << 6 | (c[i] & 0x3f);
    }
    static const uint32_t least[] = { 0, 0, 0x80, 0x800, 0x10000 };
    if (*cp < least[len] || *cp > 0x10ffff ||
        (*cp >= 0xd800 && *cp <= 0xdfff))
        return 0;
    return len;
}

/* Is CP a line break or control outside ASCII (C1 controls: U+0085 is a
 * newline to Python's splitlines, U+009B a terminal's CSI; the line and
 * paragraph separators)? Escaped, as ASCII controls are. */
static bool breaks_lines(uint32_t cp)
{
    return (cp >= 0x80 && cp <= 0x9f) || cp == 0x2028 || cp == 0x2029;
}

/* The letter JSON escapes C with after a backslash, or 0. */
static char json_escape(unsigned char c)
{
    switch (c) {
    case '"':  return '"';
    case '\\': return '\\';
    case '\n': return 'n';
    case '\t': return 't';
    case '\r': return 'r';
    case '\b': return 'b';
    case '\f': return 'f';
    default:   return 0;
    }
}

void cell_json_string(FILE *out, const char *s, size_t len)
{
    const unsigned char *c = (const unsigned char *)s;
    if (len == SIZE_MAX)
        len = strlen(s);
    fputc('"', out);
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t n = utf8_char(c + i, len - i, &cp);
        char esc = json_escape(c[i]);
        if (esc)
            fprintf(out, "\\%c", esc);
        else if (c[i] < 0x20 || (n && breaks_lines(cp)))
            fprintf(out, "\\u%04x", (unsigned)cp);
        else if (n == 0)
            fputs("\\ufffd", out);
        else
            fwrite(c + i, 1, n, out);
        i += n ? n : 1;
    }
    fputc('"', out);
}

/* S (LEN bytes) for text and TSV: escaped as C does, so that it can
 * neither split a line or a TSV field nor reach a terminal as an escape
 * sequence; bytes that are not UTF-8 as \xNN. QUOTE: in double quotes. */
static void plain_string(FILE *out, const char *s, size_t len, bool quote)
{
    const unsigned char *c = (const unsigned char *)s;
    if (quote)
        fputc('"', out);
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t n = utf8_char(c + i, len - i, &cp);
        if (n > 1 && breaks_lines(cp)) {
            for (size_t k = 0; k < n; k++)
                fprintf(out, "\\x%02x", c[i + k]);
            i += n;
            continue;
        }
        if (c[i] == '\\' || (quote && c[i] == '"'))
            fprintf(out, "\\%c", c[i]);
        else if (c[i] == '\t')
            fputs("\\t", out);
        else if (c[i] == '\n')
            fputs("\\n", out);
        else if (c[i] == '\r')
            fputs("\\r", out);
        else if (c[i] < 0x20 || c[i] == 0x7f || n == 0)
            fprintf(out, "\\x%02x", c[i]);
        else
            fwrite(c + i, 1, n, out);
        i += n ? n : 1;
    }
    if (quote)
        fputc('"', out);
}

/* NAME (an enum member's, a field's) for text and TSV, escaped as a
 * string is; QUOTE: in quotes when it holds a blank or a quote (or is
 * empty), so that a text line keeps one word a value. */
static void plain_name(FILE *out, const char *name, bool quote)
{
    bool needs = quote && (!*name || strpbrk(name, " \"") != NULL);
    plain_string(out, name, strlen(name), needs);
}

/* The bytes of the string cell C at P: where it ends, without padding. */
static size_t string_len(const struct cell *c, const char *p)
{
    size_t len = c->size;
    if (c->pad == PAD_NUL_TERMINATED) {
        const char *nul = memchr(p, '\0', c->size);
        return nul ? (size_t)(nul - p) : c->size;
    }
    char pad = c->pad == PAD_SPACES ? ' ' : '\0';
    while (len && p[len - 1] == pad)
        len--;
    return len;
}

/* ---- Numbers, booleans, enums ---- */

int64_t cell_int(const struct value_type *t, const void *p)
{
    bool sign = t->kind == KIND_SIGNED;
    switch (t->size) {
    case 1: { int8_t s; uint8_t u; memcpy(&s, p, 1); memcpy(&u, p, 1);
              return sign ? (int64_t)s : (int64_t)u; }
    case 2: { int16_t s; uint16_t u; memcpy(&s, p, 2); memcpy(&u, p, 2);
              return sign ? (int64_t)s : (int64_t)u; }
    case 4: { int32_t s; uint32_t u; memcpy(&s, p, 4); memcpy(&u, p, 4);
              return sign ? (int64_t)s : (int64_t)u; }
    default: { int64_t v; memcpy(&v, p, 8); return v; }
    }
}

/* The integer of the enum C at P, in our byte order. */
static int64_t enum_int(const struct cell *c, const void *p)
{
    if (!c->swapped)
        return cell_int(c->num, p);
    unsigned char v[8];
    for (size_t i = 0; i < c->size; i++)
        v[i] = ((const unsigned char *)p)[c->size - 1 - i];
    return cell_int(c->num, v);
}

/* The enum value at P as a number: it has no name. */
static void enum_number(FILE *out, const struct cell *c, const void *p)
{
    int64_t v = enum_int(c, p);
    if (c->num->kind == KIND_SIGNED)
        fprintf(out, "%" PRId64, v);
    else
        fprintf(out, "%" PRIu64, (uint64_t)v);
}

/* The name of the enum value at P, or NULL when it has none. */
static const char *enum_name(const struct cell *c, const void *p)
{
    int64_t v = enum_int(c, p);
    for (size_t i = 0; i < c->nnames; i++)
        if (c->values[i] == v)
            return c->names[i];
    return NULL;
}

/* The long double X with the fewest digits that read back as X, laid out
 * as the other floats are. false for NaN and infinity. */
static bool long_double_text(long double x, char *buf, size_t size)
{
    if (isnan(x) || isinf(x)) {
        snprintf(buf, size, "%s", isnan(x) ? "nan" : x > 0 ? "inf" : "-inf");
        return false;
    }
    int digits;
    for (digits = 1; digits < 36; digits++) {
        snprintf(buf, size, "%.*Le", digits - 1, x);
        if (strtold_l(buf, NULL, c_locale()) == x)
            break;
    }
    snprintf(buf, size, "%.*Le", digits - 1, x);
    const char *e = strchr(buf, 'e');
    int exp = e ? atoi(e + 1) : 0;
    if (exp >= -4 && exp < 16)
        snprintf(buf, size, "%.*Lf", digits - 1 - exp > 0 ? digits - 1 - exp : 0,
                 x);
    return true;
}

/* A scalar cell (a number, boolean or enum) as text into BUF. *QUOTED: a
 * string in JSON (a name, or NaN and infinities). false when C is not a
 * scalar. */
static bool scalar_text(const struct cell *c, const void *p, char *buf,
                        size_t size, bool *quoted)
{
    *quoted = false;
    switch (c->kind) {
    case CELL_NUMBER:
        *quoted = !watch_value(c->num, p, buf, size);
        return true;
    case CELL_HALF: {
        float f;
        memcpy(&f, p, sizeof f);
        *quoted = !watch_float_text(f, 16, buf, size);
        return true;
    }
    case CELL_LONG_DOUBLE: {
        long double x;
        memcpy(&x, p, sizeof x);
        *quoted = !long_double_text(x, buf, size);
        return true;
    }
    case CELL_BOOL: {
        int64_t b = cell_int(c->num, p);   /* int8 for h5py; uint8 too */
        if (b == 0 || b == 1)
            snprintf(buf, size, "%s", b ? "true" : "false");
        else
            snprintf(buf, size, "%" PRId64, b);
        return true;
    }
    default:
        return false;
    }
}

/* ---- Text and TSV ---- */

void cell_plain(FILE *out, const struct cell *c, const void *p, char sep,
                bool quote)
{
    const unsigned char *at = p;
    char num[80];
    bool quoted;
    if (scalar_text(c, p, num, sizeof num, &quoted)) {
        fputc(sep, out);
        fputs(num, out);
        return;
    }
    switch (c->kind) {
    case CELL_ENUM: {
        const char *name = enum_name(c, p);
        fputc(sep, out);
        if (name)
            plain_name(out, name, quote);
        else
            enum_number(out, c, p);
        break;
    }
    case CELL_STRING:
        fputc(sep, out);
        plain_string(out, p, string_len(c, p), quote);
        break;
    case CELL_VSTRING: {
        const char *s;
        memcpy(&s, p, sizeof s);
        fputc(sep, out);
        plain_string(out, s ? s : "", s ? strlen(s) : 0, quote);
        break;
    }
    case CELL_ARRAY:
        for (uint64_t i = 0; i < c->count; i++)
            cell_plain(out, c->elem, at + i * c->elem->size, sep, quote);
        break;
    case CELL_SEQUENCE:
        /* One value however long: a line keeps its columns. JSON's
         * compact array holds no tab or newline (a blank only inside a
         * string of a sequence of strings). */
        fputc(sep, out);
        cell_json(out, c, p);
        break;
    case CELL_COMPOUND:
        for (size_t i = 0; i < c->nfields; i++)
            cell_plain(out, c->fields[i].cell, at + c->fields[i].offset, sep,
                       quote);
        break;
    default:
        fputc(sep, out);
        fputc('?', out);
        break;
    }
}

/* The column names below C, each after SEP, PREFIX before each. */
static void names(FILE *out, const struct cell *c, const char *prefix,
                  char sep, bool quote)
{
    if (c->kind == CELL_COMPOUND) {
        for (size_t i = 0; i < c->nfields; i++) {
            const char *name = c->fields[i].name;
            size_t len = strlen(prefix) + strlen(name) + 2;
            char *sub = malloc(len);
            if (!sub)
                return;
            snprintf(sub, len, "%s%s%s", prefix, *prefix ? "." : "", name);
            names(out, c->fields[i].cell, sub, sep, quote);
            free(sub);
        }
        return;
    }
    if (c->kind == CELL_ARRAY) {
        size_t len = strlen(prefix) + (size_t)c->rank * 21 + 3;
        char *sub = malloc(len);
        if (!sub)
            return;
        for (uint64_t i = 0; i < c->count; i++) {
            /* The element's index in each of the array's dimensions. */
            size_t used = (size_t)snprintf(sub, len, "%s[", prefix);
            uint64_t rest = i, below = c->count;
            for (int k = 0; k < c->rank; k++) {
                below = c->dims[k] ? below / c->dims[k] : 1;
                used += (size_t)snprintf(sub + used, len - used, "%s%" PRIu64,
                                         k ? "," : "", below ? rest / below : 0);
                rest = below ? rest % below : 0;
            }
            snprintf(sub + used, len - used, "]");
            names(out, c->elem, sub, sep, quote);
        }
        free(sub);
        return;
    }
    fputc(sep, out);
    plain_name(out, prefix, quote);
}

void cell_names(FILE *out, const struct cell *c, char sep, bool quote)
{
    names(out, c, "", sep, quote);
}

/* ---- JSON ---- */

/* The elements of array C from AT on, along its dimension K on: nested as
 * the array's dimensions are (a (2, 3) array is two arrays of three).
 * Returns where the next element is. */
static const unsigned char *json_array(FILE *out, const struct cell *c,
                                       const unsigned char *at, int k)
{
    fputc('[', out);
    for (uint64_t i = 0; i < c->dims[k]; i++) {
        if (i)
            fputc(',', out);
        if (k + 1 < c->rank) {
            at = json_array(out, c, at, k + 1);
        } else {
            cell_json(out, c->elem, at);
            at += c->elem->size;
        }
    }
    fputc(']', out);
    return at;
}

void cell_json(FILE *out, const struct cell *c, const void *p)
{
    const unsigned char *at = p;
    char num[80];
    bool quoted;
    if (scalar_text(c, p, num, sizeof num, &quoted)) {
        /* A float stays a float for JSON readers (Python's json reads
         * "1" as an int, and "-0" loses its sign): 1.0, -0.0. */
        bool whole = !quoted && (c->kind == CELL_HALF ||
                                 c->kind == CELL_LONG_DOUBLE ||
                                 (c->kind == CELL_NUMBER &&
                                  c->num->kind == KIND_FLOAT)) &&
                     !strpbrk(num, ".e");
        fprintf(out, quoted ? "\"%s\"" : whole ? "%s.0" : "%s", num);
        return;
    }
    switch (c->kind) {
    case CELL_ENUM: {
        const char *name = enum_name(c, p);
        if (name)
            cell_json_string(out, name, SIZE_MAX);
        else
            enum_number(out, c, p);
        break;
    }
    case CELL_STRING:
        cell_json_string(out, p, string_len(c, p));
        break;
    case CELL_VSTRING: {
        const char *s;
        memcpy(&s, p, sizeof s);
        cell_json_string(out, s ? s : "", SIZE_MAX);
        break;
    }
    case CELL_ARRAY:
        json_array(out, c, at, 0);
        break;
    case CELL_SEQUENCE: {
        struct cell_sequence s;
        memcpy(&s, p, sizeof s);
        fputc('[', out);
        for (size_t i = 0; i < s.len; i++) {
            if (i)
                fputc(',', out);
            cell_json(out, c->elem, (const unsigned char *)s.p +
                                        i * c->elem->size);
        }
        fputc(']', out);
        break;
    }
    case CELL_COMPOUND:
        fputc('{', out);
        for (size_t i = 0; i < c->nfields; i++) {
            if (i)
                fputc(',', out);
            cell_json_string(out, c->fields[i].name, SIZE_MAX);
            fputc(':', out);
            cell_json(out, c->fields[i].cell, at + c->fields[i].offset);
        }
        fputc('}', out);
        break;
    default:
        fputs("null", out);
        break;
    }
}
