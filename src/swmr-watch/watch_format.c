#include "watch_format.h"
#include "c_locale.h"

#include <inttypes.h> /* PRId64, PRIu64 */
#include <math.h>     /* isnan, isinf, fabs */
#include <stdlib.h>   /* strtod_l, strtof_l, atoi */
#include <string.h>   /* strlen, memcpy, strchr */

uint64_t watch_rows(int rank, const uint64_t *dims)
{
    return rank > 0 ? dims[0] : 1;
}

const char *watch_event_name(enum watch_event e)
{
    switch (e) {
    case EVENT_START:  return "start";
    case EVENT_CHANGE: return "change";
    case EVENT_CLOSE:  return "close";
    case EVENT_REOPEN: return "reopen";
    }
    return "change";
}

/* Millisecond part and broken-down local time of TS. */
static int local_ms(struct timespec ts, struct tm *tm)
{
    time_t secs = ts.tv_sec;
    localtime_r(&secs, tm);
    return (int)(ts.tv_nsec / 1000000);
}

void watch_time_iso(struct timespec ts, char *buf, size_t size)
{
    struct tm tm;
    int ms = local_ms(ts, &tm);
    long off = tm.tm_gmtoff / 60;   /* minutes east of UTC */
    char sign = off < 0 ? '-' : '+';
    if (off < 0)
        off = -off;
    snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d.%03d%c%02ld:%02ld",
             tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
             tm.tm_min, tm.tm_sec, ms, sign, off / 60, off % 60);
}

void watch_time_clock(struct timespec ts, char *buf, size_t size)
{
    struct tm tm;
    int ms = local_ms(ts, &tm);
    snprintf(buf, size, "%02d:%02d:%02d.%03d", tm.tm_hour, tm.tm_min,
             tm.tm_sec, ms);
}

void watch_shape(enum watch_format f, int rank, const uint64_t *dims,
                 char *buf, size_t size)
{
    const char *open = f == FORMAT_TSV ? "" : "[";
    const char *sep = f == FORMAT_TSV ? "x" : f == FORMAT_JSON ? "," : ", ";
    const char *close = f == FORMAT_TSV ? "" : "]";
    size_t used = (size_t)snprintf(buf, size, "%s", open);
    for (int i = 0; i < rank && used < size; i++)
        used += (size_t)snprintf(buf + used, size - used, "%s%" PRIu64,
                                 i ? sep : "", dims[i]);
    if (used < size)
        snprintf(buf + used, size - used, "%s", close);
}

double watch_rate(int64_t delta, double seconds)
{
    return seconds > 0 ? (double)delta / seconds : 0.0;
}

void watch_rate_human(double rate, char *buf, size_t size)
{
    static const char prefix[] = { 'k', 'M', 'G', 'T', 'P' };
    double a = fabs(rate);
    if (a < 0.05) {
        snprintf(buf, size, "0");
        return;
    }
    if (a < 999.5) {
        /* One decimal below 100 (12.5 rows/s), none above (999). */
        snprintf(buf, size, a < 99.95 ? "%.1f" : "%.0f", rate);
        return;
    }
    int p = -1;
    while (a >= 999.5 && p < (int)sizeof prefix - 1) {
        a /= 1000;
        rate /= 1000;
        p++;
    }
    /* Three significant digits: 1.23k, 45.6M, 789G. */
    const char *fmt = a < 9.995 ? "%.2f%c" : a < 99.95 ? "%.1f%c" : "%.0f%c";
    snprintf(buf, size, fmt, rate, prefix[p]);
}

bool watch_due(double last, double now, double min, double *wait)
{
    if (last < 0 || min <= 0 || now - last >= min) {
        *wait = 0;
        return true;
    }
    *wait = min - (now - last);
    return false;
}

/* X with the fewest significant digits that read back as X (as float32
 * when SINGLE), written like Python's repr: positional from 1e-4 up to
 * 1e16 ("23670", "0.001"), scientific outside ("1e+300", "1e-05"). */
static void shortest(double x, bool single, char *buf, size_t size)
{
    int max = single ? 9 : 17, digits;
    for (digits = 1; digits < max; digits++) {
        snprintf(buf, size, "%.*e", digits - 1, x);
        if (single ? strtof_l(buf, NULL, c_locale()) == (float)x
                   : strtod_l(buf, NULL, c_locale()) == x)
            break;
    }
    snprintf(buf, size, "%.*e", digits - 1, x);
    const char *e = strchr(buf, 'e');
    int exp = e ? atoi(e + 1) : 0;
    if (exp >= -4 && exp < 16) {
        int decimals = digits - 1 - exp;
        snprintf(buf, size, "%.*f", decimals > 0 ? decimals : 0, x);
    }
    /* snprintf follows LC_NUMERIC; we never call setlocale, so the decimal
     * point is '.', but make sure a ',' never leaks into JSON. */
    for (char *c = buf; *c; c++)
        if (*c == ',')
            *c = '.';
}

void watch_value(const struct value_type *t, const void *p, bool json,
                 char *buf, size_t size)
{
    if (t->kind == KIND_FLOAT) {
        double x;
        if (t->size == 4) {
            float f;
            memcpy(&f, p, sizeof f);
            x = f;
        } else {
            memcpy(&x, p, sizeof x);
        }
        if (isnan(x) || isinf(x))
            snprintf(buf, size, "%s", json ? "null"
                                    : isnan(x) ? "nan" : x > 0 ? "inf" : "-inf");
        else
            shortest(x, t->size == 4, buf, size);
        return;
    }
    if (t->kind == KIND_SIGNED) {
        int64_t v;
        switch (t->size) {
        case 1: { int8_t x; memcpy(&x, p, 1); v = x; break; }
        case 2: { int16_t x; memcpy(&x, p, 2); v = x; break; }
        case 4: { int32_t x; memcpy(&x, p, 4); v = x; break; }
        default: memcpy(&v, p, 8); break;
        }
        snprintf(buf, size, "%" PRId64, v);
        return;
    }
    uint64_t u;
    switch (t->size) {
    case 1: { uint8_t x; memcpy(&x, p, 1); u = x; break; }
    case 2: { uint16_t x; memcpy(&x, p, 2); u = x; break; }
    case 4: { uint32_t x; memcpy(&x, p, 4); u = x; break; }
    default: memcpy(&u, p, 8); break;
    }
    snprintf(buf, size, "%" PRIu64, u);
}

void watch_escape_name(const char *name, char *buf, size_t size)
{
    size_t used = 0;
    if (size == 0)
        return;
    for (const unsigned char *c = (const unsigned char *)name; *c; c++) {
        char esc[8];
        if (*c == '\\')
            strcpy(esc, "\\\\");
        else if (*c == '\t')
            strcpy(esc, "\\t");
        else if (*c == '\n')
            strcpy(esc, "\\n");
        else if (*c == '\r')
            strcpy(esc, "\\r");
        else if (*c < 0x20 || *c == 0x7f)
            snprintf(esc, sizeof esc, "\\x%02x", *c);
        else {
            /* A whole UTF-8 character, or nothing of it. */
            size_t len = 1;
            while ((c[len] & 0xc0) == 0x80 && len < 4)
                len++;
            if (used + len >= size)
                break;
            memcpy(buf + used, c, len);
            used += len;
            c += len - 1;
            continue;
        }
        size_t len = strlen(esc);
        if (used + len >= size)
            break;
        memcpy(buf + used, esc, len);
        used += len;
    }
    buf[used] = '\0';
}

int watch_utf8_chars(const char *s)
{
    int n = 0;
    for (const unsigned char *c = (const unsigned char *)s; *c; c++)
        n += (*c & 0xc0) != 0x80;
    return n;
}

int watch_name_width(const char *const *names, size_t n)
{
    int w = 0;
    for (size_t i = 0; i < n; i++) {
        size_t size = 4 * strlen(names[i]) + 1;   /* \xNN at most */
        char *shown = malloc(size);
        if (!shown)
            continue;
        watch_escape_name(names[i], shown, size);
        if (watch_utf8_chars(shown) > w)
            w = watch_utf8_chars(shown);
        free(shown);
    }
    return w;
}

const char *watch_tsv_header(void)
{
    return "time\tdataset\trows\tshape\tdelta\trate\tevent\n";
}

/* Length of the valid UTF-8 character at C (1 for ASCII), or 0 when the
 * bytes there are not one: a stray continuation byte, a truncated or
 * overlong sequence, a surrogate, or past U+10FFFF. */
static size_t utf8_len(const unsigned char *c)
{
    if (c[0] < 0x80)
        return 1;
    size_t len = c[0] >= 0xf0 ? 4 : c[0] >= 0xe0 ? 3 : c[0] >= 0xc0 ? 2 : 0;
    if (len == 0 || c[0] > 0xf4)
        return 0;
    uint32_t cp = c[0] & (0x7f >> len);
    for (size_t i = 1; i < len; i++) {
        if ((c[i] & 0xc0) != 0x80)
            return 0;
        cp = cp << 6 | (c[i] & 0x3f);
    }
    static const uint32_t least[] = { 0, 0, 0x80, 0x800, 0x10000 };
    if (cp < least[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return len;
}

/* DATASET as a JSON string: quotes, backslashes and control characters
 * escaped (HDF5 names may hold any of them), and bytes that are not UTF-8
 * replaced by U+FFFD, so that every line is valid JSON. */
static size_t json_string(const char *s, char *buf, size_t size)
{
    size_t used = 0;
#define PUT(...) do { if (used < size) \
        used += (size_t)snprintf(buf + used, size - used, __VA_ARGS__); \
    } while (0)
    PUT("\"");
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        size_t len = utf8_len(c);
        if (*c == '"' || *c == '\\')
            PUT("\\%c", *c);
        else if (*c < 0x20)
            PUT("\\u%04x", *c);
        else if (len == 0)
            PUT("\\ufffd");
        else {
            PUT("%.*s", (int)len, (const char *)c);
            c += len - 1;
        }
    }
    PUT("\"");
#undef PUT
    return used;
}

size_t watch_line_size(const struct watch_line *l, int name_width)
{
    /* \ufffd (6 bytes) is the longest any one byte of a name becomes; the
     * text format pads names to NAME_WIDTH characters. */
    return 6 * strlen(l->dataset) + 4 * (size_t)(name_width > 0 ? name_width : 0) +
           WATCH_MAX_RANK * 22 + 256;
}

void watch_line_format(enum watch_format f, const struct watch_line *l,
                       int name_width, char *buf, size_t size)
{
    char when[48], shape[WATCH_MAX_RANK * 22 + 8], rate[32];
    uint64_t rows = watch_rows(l->rank, l->dims);
    /* \xNN: at most 4 bytes for each byte of the name. */
    size_t name_size = 4 * strlen(l->dataset) + 1;
    char *name = malloc(name_size);
    if (!name) {
        snprintf(buf, size, "%s", "");
        return;
    }
    if (f != FORMAT_JSON)
        watch_escape_name(l->dataset, name, name_size);

    watch_shape(f, l->rank, l->dims, shape, sizeof shape);
    switch (f) {
    case FORMAT_JSON: {
        watch_time_iso(l->when, when, sizeof when);
        size_t used = (size_t)snprintf(buf, size, "{\"time\":\"%s\",\"dataset\":",
                                       when);
        if (used < size)
            used += json_string(l->dataset, buf + used, size - used);
        if (used < size)
            snprintf(buf + used, size - used,
                     ",\"shape\":%s,\"delta\":%" PRId64
                     ",\"rate\":%.3f,\"event\":\"%s\"",
                     shape, l->delta, l->rate, watch_event_name(l->event));
        break;
    }
    case FORMAT_TSV:
        watch_time_iso(l->when, when, sizeof when);
        snprintf(buf, size, "%s\t%s\t%" PRIu64 "\t%s\t%" PRId64 "\t%.3f\t%s\n",
                 when, name, rows, shape, l->delta, l->rate,
                 watch_event_name(l->event));
        break;
    case FORMAT_TEXT: {
        static const char *const notes[] = {
            [EVENT_START] = "  (start)", [EVENT_CHANGE] = "",
            [EVENT_CLOSE] = "  (writer closed the file)",
            [EVENT_REOPEN] = "  (file opened again)",
        };
        char delta[24];
        watch_time_clock(l->when, when, sizeof when);
        watch_rate_human(l->rate, rate, sizeof rate);
        snprintf(delta, sizeof delta, "%+" PRId64, l->delta);
        /* %-*s pads bytes: pad characters. */
        int pad = name_width - watch_utf8_chars(name) + (int)strlen(name);
        snprintf(buf, size, "%s  %-*s  %-14s %10s  %7s rows/s%s\n", when,
                 pad, name, shape, delta, rate, notes[l->event]);
        break;
    }
    }
    free(name);
}

const char *watch_line_end(enum watch_format f)
{
    return f == FORMAT_JSON ? "}\n" : "";
}

void watch_values_none(FILE *out, enum watch_format f, bool none_shown)
{
    if (f == FORMAT_JSON)
        fputs(none_shown ? ",\"values\":null" : ",\"values\":[]", out);
}

void watch_values_begin(struct watch_values *v, FILE *out, enum watch_format f,
                        const struct value_type *t, int rank,
                        const uint64_t *dims)
{
    *v = (struct watch_values){ .out = out, .format = f, .type = t,
                                .rowlen = 1, .nested = rank > 1 };
    for (int i = 1; i < rank; i++)
        v->rowlen *= dims[i];
    if (f == FORMAT_JSON)
        fputs(",\"values\":[", out);
}

void watch_values_rows(struct watch_values *v, uint64_t first, size_t nrows,
                       const void *data)
{
    const unsigned char *p = data;
    bool json = v->format == FORMAT_JSON;
    char num[64];

    for (size_t r = 0; r < nrows; r++) {
        if (json)
            fputs(v->written ? (v->nested ? ",[" : ",")
                             : (v->nested ? "[" : ""), v->out);
        else
            fprintf(v->out, v->format == FORMAT_TSV ? "\t%" PRIu64
                                                    : "  %" PRIu64 ":",
                    first + r);
        for (size_t c = 0; c < v->rowlen; c++, p += v->type->size) {
            watch_value(v->type, p, json, num, sizeof num);
            if (json)
                fprintf(v->out, "%s%s", c ? "," : "", num);
            else
                fprintf(v->out, "%c%s", v->format == FORMAT_TSV ? '\t' : ' ',
                        num);
        }
        if (json && v->nested)
            fputc(']', v->out);
        if (!json)
            fputc('\n', v->out);
        v->written++;
    }
}

void watch_values_end(struct watch_values *v)
{
    if (v->format == FORMAT_JSON)
        fputc(']', v->out);
}
