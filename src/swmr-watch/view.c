#include "view.h"
#include "human.h"        /* human_si: the rate */
#include "watch_format.h"

#include <string.h>     /* strlen */
#include <sys/ioctl.h>  /* TIOCGWINSZ: the terminal's width */

void view_init(struct view *v, FILE *out, bool color)
{
    *v = (struct view){ .out = out, .color = color, .last_draw = -1 };
}

static int columns(FILE *out)
{
    struct winsize ws;
    if (ioctl(fileno(out), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col;
    return 80;
}

static int lines_of(FILE *out)
{
    struct winsize ws;
    if (ioctl(fileno(out), TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0)
        return ws.ws_row;
    return 24;
}

/* NAME in at most MAX characters: cut in the middle ("/run/…/x") so that
 * both ends, where names differ, stay visible. */
static void shorten(const char *name, int max, char *out, size_t size)
{
    int n = watch_utf8_chars(name);
    if (n <= max || max < 3) {
        snprintf(out, size, "%s", name);
        return;
    }
    int head = (max - 1) / 2, tail = max - 1 - head;
    const char *c = name;
    size_t o = 0;
    for (int k = 0; *c && o + 8 < size;) {
        if ((*c & 0xc0) != 0x80 && k++ == head)
            break;
        out[o++] = *c++;
    }
    /* Skip to the first of the last TAIL characters. */
    int skip = n - head - tail;
    for (; *c && skip > 0; skip--)
        do
            c++;
        while ((*c & 0xc0) == 0x80);
    /* The tail is shorter than NAME: it fits where NAME did. */
    memcpy(out + o, "\xe2\x80\xa6", 3);
    o += 3;
    size_t len = strlen(c);
    if (o + len >= size)
        len = size - o - 1;
    memcpy(out + o, c, len);
    out[o + len] = '\0';
}

/* Rows per second over the sparkline's last two seconds (the current
 * bucket included), so the rate falls to 0 when growth stops; in the first
 * two seconds, over the time the dataset has been watched (at least a
 * tenth of a second, so that a first burst is no absurd figure). */
static double recent_rate(const struct view_row *r, double now)
{
    enum { LOOK = 4 };
    const struct watch_spark *s = &r->spark;
    uint64_t rows = 0;
    for (int i = SPARK_BUCKETS - LOOK; i < SPARK_BUCKETS; i++)
        rows += s->rows[i];
    double span = (LOOK - 1) * s->width + (now - s->start);
    if (r->since >= 0 && now - r->since < span)
        span = now - r->since;
    if (span < VIEW_MIN_REDRAW)
        span = VIEW_MIN_REDRAW;
    return (double)rows / span;
}

/* Write TEXT cut to WIDTH visible columns (the sparkline's 3-byte blocks
 * count as one), then clear to the end of the line. Escapes do not count. */
static void put_cut(FILE *out, const char *text, int width)
{
    int col = 0;
    bool esc = false, skip = false;
    for (const unsigned char *c = (const unsigned char *)text; *c; c++) {
        if (*c == 0x1b)
            esc = true;
        if (esc) {
            fputc(*c, out);
            esc = *c != 'm';
            continue;
        }
        if ((*c & 0xc0) != 0x80)   /* not a UTF-8 continuation byte */
            skip = col++ >= width;
        if (!skip)
            fputc(*c, out);
    }
    fputs("\x1b[K\n", out);
}

void view_draw(struct view *v, const char *file, const char *state,
               struct view_row *rows, size_t n, double now)
{
    const char *bold = v->color ? "\x1b[1m" : "";
    const char *green = v->color ? "\x1b[32m" : "";
    const char *plain = v->color ? "\x1b[0m" : "";
    int width = columns(v->out) - 1;   /* never the last column: no wrap */
    char line[1024], shape[WATCH_MAX_RANK * 22 + 8], rate[32], spark[64];

    if (v->drawn)
        fprintf(v->out, "\r\x1b[%dA", v->drawn);
    snprintf(line, sizeof line, "%s%s%s  %s", bold, file, plain, state);
    put_cut(v->out, line, width);

    /* What follows the name and must stay visible: rows, shape, rate (the
     * sparkline is cut first on a narrow terminal). */
    enum { AFTER_NAME = 2 + 12 + 5 + 2 + 14 + 1 + 7 + 7 };
    int name_max = width - 2 - AFTER_NAME;
    if (name_max < 12)
        name_max = 12;
    int name_width = 0;
    char esc[1024];
    for (size_t i = 0; i < n; i++) {
        watch_escape_name(rows[i].name, esc, sizeof esc);
        if (watch_utf8_chars(esc) > name_width)
            name_width = watch_utf8_chars(esc);
    }
    if (name_width > name_max)
        name_width = name_max;
    /* A line for the header, and one the cursor ends on: the rest for the
     * datasets, the last of them "… N more" when they do not fit. */
    size_t room = (size_t)(lines_of(v->out) > 3 ? lines_of(v->out) - 2 : 1);
    size_t shown = n <= room ? n : room - 1;
    for (size_t i = 0; i < n; i++) {
        struct view_row *r = &rows[i];
        watch_spark_advance(&r->spark, now);
        if (i >= shown)
            continue;
        char name[1024];
        watch_escape_name(r->name, esc, sizeof esc);
        shorten(esc, name_width, name, sizeof name);
        /* %-*s pads bytes: pad characters instead. */
        int pad = name_width - watch_utf8_chars(name) + (int)strlen(name);
        watch_shape(r->rank, r->dims, ", ", true, shape, sizeof shape);
        human_si(recent_rate(r, now), rate, sizeof rate);
        watch_spark_render(&r->spark, spark, sizeof spark);
        /* A line longer than the buffer is cut anyway by put_cut. */
        if (snprintf(line, sizeof line,
                     "  %s%-*s%s  %12llu rows  %-14s %s%7s rows/s%s  %s",
                     bold, pad, name, plain,
                     (unsigned long long)r->rows, shape,
                     green, rate, plain, spark) < 0)
            continue;
        put_cut(v->out, line, width);
    }
    if (shown < n) {
        snprintf(line, sizeof line, "  \xe2\x80\xa6 %zu more", n - shown);
        put_cut(v->out, line, width);
    }
    v->drawn = (int)(shown < n ? shown + 1 : n) + 1;
    v->last_draw = now;
    fflush(v->out);
}

bool view_busy(const struct view_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++)
        for (size_t b = 0; b < SPARK_BUCKETS; b++)
            if (rows[i].spark.rows[b])
                return true;
    return false;
}

void view_erase(struct view *v)
{
    if (v->drawn)
        fprintf(v->out, "\r\x1b[%dA\x1b[J", v->drawn);
    fflush(v->out);
    v->drawn = 0;
}

void view_finish(struct view *v)
{
    fflush(v->out);
    v->drawn = 0;
}
