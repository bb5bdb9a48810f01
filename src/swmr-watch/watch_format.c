#include "watch_format.h"
#include "shortest.h"

#include <inttypes.h> /* PRId64, PRIu64 */
#include <math.h>     /* isnan, isinf */
#include <stdio.h>    /* snprintf */
#include <stdlib.h>   /* malloc, free */
#include <string.h>   /* strlen, memcpy, strcpy */

uint64_t watch_rows(int rank, const uint64_t *dims, uint32_t grows)
{
    if (grows == 0)
        return rank > 0 ? dims[0] : 1;
    uint64_t rows = 1;
    for (int k = 0; k < rank && k < WATCH_MAX_RANK; k++) {
        if (!(grows >> k & 1))
            continue;
        if (dims[k] && rows > UINT64_MAX / dims[k])
            return UINT64_MAX;
        rows *= dims[k];
    }
    return rows;
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

void watch_shape(int rank, const uint64_t *dims, const char *sep,
                 bool brackets, char *buf, size_t size)
{
    size_t used = (size_t)snprintf(buf, size, "%s", brackets ? "[" : "");
    for (int i = 0; i < rank && used < size; i++)
        used += (size_t)snprintf(buf + used, size - used, "%s%" PRIu64,
                                 i ? sep : "", dims[i]);
    if (used < size)
        snprintf(buf + used, size - used, "%s", brackets ? "]" : "");
}

double watch_rate(int64_t delta, double seconds)
{
    return seconds > 0 ? (double)delta / seconds : 0.0;
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

bool watch_float_text(double x, int bits, char *buf, size_t size)
{
    (void)size;   /* at least SHORTEST_MAX, as for watch_value */
    shortest_text(x, (enum float_width)bits, buf);
    return !isnan(x) && !isinf(x);
}

bool watch_value(const struct value_type *t, const void *p, char *buf,
                 size_t size)
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
        return watch_float_text(x, t->size == 4 ? 32 : 64, buf, size);
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
        return true;
    }
    uint64_t u;
    switch (t->size) {
    case 1: { uint8_t x; memcpy(&x, p, 1); u = x; break; }
    case 2: { uint16_t x; memcpy(&x, p, 2); u = x; break; }
    case 4: { uint32_t x; memcpy(&x, p, 4); u = x; break; }
    default: memcpy(&u, p, 8); break;
    }
    snprintf(buf, size, "%" PRIu64, u);
    return true;
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
