#include "view.h"
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

/* Rows per second over the sparkline's last two seconds (the current
 * bucket included), so the rate falls to 0 when growth stops. */
static double recent_rate(const struct watch_spark *s, double now)
{
    enum { LOOK = 4 };
    uint64_t rows = 0;
    for (int i = SPARK_BUCKETS - LOOK; i < SPARK_BUCKETS; i++)
        rows += s->rows[i];
    double span = (LOOK - 1) * s->width + (now - s->start);
    return span > 0 ? (double)rows / span : 0;
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

    int name_width = 0;
    for (size_t i = 0; i < n; i++)
        if ((int)strlen(rows[i].name) > name_width)
            name_width = (int)strlen(rows[i].name);
    for (size_t i = 0; i < n; i++) {
        struct view_row *r = &rows[i];
        watch_spark_advance(&r->spark, now);
        watch_shape(FORMAT_TEXT, r->rank, r->dims, shape, sizeof shape);
        watch_rate_human(recent_rate(&r->spark, now), rate, sizeof rate);
        watch_spark_render(&r->spark, spark, sizeof spark);
        snprintf(line, sizeof line,
                 "  %s%-*s%s  %12llu rows  %-14s %s%7s rows/s%s  %s",
                 bold, name_width, r->name, plain,
                 (unsigned long long)(r->rank ? r->dims[0] : 1), shape,
                 green, rate, plain, spark);
        put_cut(v->out, line, width);
    }
    v->drawn = (int)n + 1;
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

void view_finish(struct view *v)
{
    fflush(v->out);
    v->drawn = 0;
}
