#include "header.h"
#include "record.h" /* field_parse */
#include "types.h"  /* type_by_name */

#include <stdio.h>  /* snprintf */
#include <stdlib.h> /* calloc, malloc, free */
#include <string.h> /* memchr, memcmp */

static bool is_blank(char c)
{
    return c == ' ' || c == '\t';
}

/* ---- how names are separated -------------------------------------------- */

enum sep_kind {
    SEP_NONE,     /* the whole line is one name (rule 2) */
    SEP_BLANKS,   /* runs of blanks (rule 3) */
    SEP_CHAR,     /* a comma (rule 1) or the forced delimiter (rule 4) */
};

struct splitter {
    enum sep_kind kind;
    char c;        /* SEP_CHAR: the separating character */
    bool runs;     /* a run of separators (and blanks) is one separator */
    bool quotes;   /* a leading double quote opens a quoted name */
};

static bool is_sep(const struct splitter *s, char c)
{
    switch (s->kind) {
    case SEP_BLANKS:
        return is_blank(c);
    case SEP_CHAR:
        return c == s->c;
    default:
        return false;
    }
}

/* Blanks around a name go, unless they separate: a forced tab stays a
 * delimiter, so "a\t\tb" keeps its empty name. */
static bool is_trim(const struct splitter *s, char c)
{
    return is_blank(c) && !is_sep(s, c);
}

/* The closing quote of a quoted name whose text starts at P (after its
 * opening quote), stepping over "" pairs; NULL when it never closes. */
static const char *closing_quote(const char *p, const char *end)
{
    for (;;) {
        const char *q = memchr(p, '"', (size_t)(end - p));
        if (!q)
            return NULL;
        if (q + 1 < end && q[1] == '"') {
            p = q + 2;
            continue;
        }
        return q;
    }
}

/* Rule 1's test. A quote opens only where a name may start (the line's
 * start, after a blank); the first comma seen outside quotes decides. An
 * unclosed quote hides the rest of the line: the split then reports it. */
static bool comma_outside_quotes(const char *p, const char *end)
{
    bool name_start = true;
    for (; p < end; p++) {
        if (*p == '"' && name_start) {
            p = closing_quote(p + 1, end);
            if (!p)
                return false;
            name_start = false;
            continue;
        }
        if (*p == ',')
            return true;
        name_start = is_blank(*p);
    }
    return false;
}

static struct splitter splitter_for(const char *p, const char *end,
                                    char delimiter, bool data_commas,
                                    size_t data_columns)
{
    if (delimiter != '\0')      /* a '"' delimiter cannot also quote */
        return (struct splitter){ SEP_CHAR, delimiter, delimiter == ' ',
                                  delimiter != '"' };
    if (data_commas || comma_outside_quotes(p, end))
        return (struct splitter){ SEP_CHAR, ',', false, true };
    if (data_columns == 1)
        return (struct splitter){ SEP_NONE, '\0', false, true };
    return (struct splitter){ SEP_BLANKS, '\0', true, true };
}

/* ---- one name at a time ------------------------------------------------- */

struct cursor {
    const char *p, *end;
    bool done;     /* the last name has been read */
};

/* A name's text in the line. QUOTED: its "" pairs stand for one quote. */
struct name {
    const char *start;
    size_t len;
    bool quoted;
};

static enum header_status quoted_name(const struct splitter *s,
                                      const char **pp, const char *end,
                                      struct name *n)
{
    const char *open = *pp, *close = closing_quote(open + 1, end);
    if (!close)
        return HEADER_OPEN_QUOTE;
    *n = (struct name){ open + 1, (size_t)(close - open - 1), true };
    const char *p = close + 1;
    while (p < end && is_trim(s, *p))
        p++;
    if (p < end && !is_sep(s, *p))
        return HEADER_AFTER_QUOTE;
    *pp = p;
    return HEADER_OK;
}

static void plain_name(const struct splitter *s, const char **pp,
                       const char *end, struct name *n)
{
    const char *start = *pp, *p = start;
    while (p < end && !is_sep(s, *p))
        p++;
    const char *stop = p;
    while (stop > start && is_trim(s, stop[-1]))
        stop--;
    *n = (struct name){ start, (size_t)(stop - start), false };
    *pp = p;
}

/* Reads the name at C into N and steps past its separator. A separator
 * that ends the line leaves an empty name to read: "a," has two. */
static enum header_status next_name(const struct splitter *s,
                                    struct cursor *c, struct name *n)
{
    const char *p = c->p, *end = c->end;
    while (p < end && is_trim(s, *p))
        p++;
    if (s->quotes && p < end && *p == '"') {
        enum header_status st = quoted_name(s, &p, end, n);
        if (st != HEADER_OK)
            return st;
    } else {
        plain_name(s, &p, end, n);
    }
    if (p == end) {
        c->done = true;
        return HEADER_OK;
    }
    if (s->runs)
        while (p < end && (is_sep(s, *p) || is_blank(*p)))
            p++;
    else
        p++;
    c->p = p;
    return HEADER_OK;
}

/* ---- the whole line ----------------------------------------------------- */

/* First pass: counts the names and finds any fault, allocating nothing,
 * so that the second pass can only run out of memory. */
static enum header_status survey(const struct splitter *s, const char *p,
                                 const char *end, size_t *count, size_t *bad)
{
    const struct value_type *f64 = type_by_name("float64");
    struct cursor c = { p, end, false };
    bool all_numbers = f64 != NULL;
    size_t n = 0;
    while (!c.done) {
        struct name nm;
        n++;
        enum header_status st = next_name(s, &c, &nm);
        if (st == HEADER_OK && nm.len == 0)
            st = HEADER_EMPTY_NAME;
        if (st != HEADER_OK) {
            *bad = n;
            return st;
        }
        /* Number-shaped is enough: 1e400 overflows float64 but is no name.
         * A quoted name with "" holds a quote either way: no number. */
        double v;
        all_numbers = all_numbers && field_parse(nm.start, nm.len, f64, &v)
                                     != FIELD_NOT_NUMBER;
    }
    if (all_numbers)
        return HEADER_ALL_NUMBERS;
    *count = n;
    return HEADER_OK;
}

static char *copy_name(const struct name *n)
{
    char *out = malloc(n->len + 1), *q = out;
    if (!out)
        return NULL;
    for (size_t i = 0; i < n->len; i++) {
        *q++ = n->start[i];
        if (n->quoted && n->start[i] == '"')
            i++;            /* the second quote of a "" pair */
    }
    *q = '\0';
    return out;
}

/* Second pass: the names of a line that survey passed. */
static enum header_status collect(const struct splitter *s, const char *p,
                                  const char *end, size_t count,
                                  struct header_names *out)
{
    struct header_names h = { calloc(count + 1, sizeof *h.names), count };
    if (!h.names)
        return HEADER_NO_MEMORY;
    struct cursor c = { p, end, false };
    for (size_t i = 0; i < count; i++) {
        struct name nm;
        next_name(s, &c, &nm);      /* HEADER_OK: survey said so */
        if (!(h.names[i] = copy_name(&nm))) {
            header_names_free(&h);
            return HEADER_NO_MEMORY;
        }
    }
    *out = h;
    return HEADER_OK;
}

enum header_status header_split(const char *line, size_t len, char delimiter,
                                bool data_commas, size_t data_columns,
                                struct header_names *out, size_t *bad)
{
    size_t spare;
    if (!bad)
        bad = &spare;
    *bad = 0;
    *out = (struct header_names){ NULL, 0 };
    if (len > 0 && memchr(line, '\0', len))    /* memchr wants a real pointer */
        return HEADER_NUL;

    const char *p = line, *end = line + len;
    if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3;
    if (end > p && end[-1] == '\r')
        end--;
    while (p < end && is_blank(*p))
        p++;
    while (end > p && is_blank(end[-1]))
        end--;
    if (p == end) {
        *bad = 1;
        return HEADER_EMPTY_NAME;
    }

    struct splitter s = splitter_for(p, end, delimiter, data_commas,
                                     data_columns);
    size_t count = 0;
    enum header_status st = survey(&s, p, end, &count, bad);
    if (st != HEADER_OK)
        return st;
    return collect(&s, p, end, count, out);
}

void header_names_free(struct header_names *h)
{
    if (h->names)
        for (size_t i = 0; i < h->count; i++)
            free(h->names[i]);
    free(h->names);
    *h = (struct header_names){ NULL, 0 };
}

void header_status_text(enum header_status s, size_t bad,
                        char *buf, size_t size)
{
    switch (s) {
    case HEADER_OK:
        snprintf(buf, size, "header: no error");
        break;
    case HEADER_NO_MEMORY:
        snprintf(buf, size, "header: out of memory");
        break;
    case HEADER_EMPTY_NAME:
        snprintf(buf, size, "header name %zu is empty", bad);
        break;
    case HEADER_OPEN_QUOTE:
        snprintf(buf, size, "header name %zu: its double quote never closes",
                 bad);
        break;
    case HEADER_AFTER_QUOTE:
        snprintf(buf, size, "header name %zu: text after its closing quote",
                 bad);
        break;
    case HEADER_ALL_NUMBERS:
        snprintf(buf, size, "header names are all numbers: "
                 "is it data (drop --header)?");
        break;
    case HEADER_NUL:
        snprintf(buf, size, "header holds a NUL byte");
        break;
    default:                /* a caller's slip, still a sentence */
        snprintf(buf, size, "header: unknown fault");
        break;
    }
}
