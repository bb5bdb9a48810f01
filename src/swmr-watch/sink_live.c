/* The terminal's live view as a sink: it keeps each dataset's shape and
 * recent growth, and redraws the view (view.c) in place, at most every
 * VIEW_MIN_REDRAW seconds however fast lines come, and every VIEW_BUCKET
 * while a sparkline moves. Messages on stderr go above or below it. */
#include "sink.h"
#include "view.h"
#include "monotonic.h"

#include <stdlib.h>    /* calloc, realloc, free */
#include <string.h>    /* memcpy, strdup */

struct live_shape {
    int rank;
    uint64_t dims[WATCH_MAX_RANK];
};

struct live_sink {
    struct sink base;
    struct view view;
    const char *file;
    const char *header;        /* the writer's state */
    bool on;                   /* something to show: a state was given */
    bool lines_seen;           /* a dataset was shown */
    bool finished;             /* the last draw is out */
    double redraw_at;          /* a held-back draw is due (< 0: none) */
    struct view_row *rows;     /* one per dataset */
    struct live_shape *shapes; /* what rows[i].dims points to */
    size_t n;
};

static void draw(struct live_sink *v, double now)
{
    view_draw(&v->view, v->file, v->header, v->rows, v->n, now);
    v->redraw_at = -1;
    sink_flush(&v->base);
}

static void live_datasets(struct sink *s, const char *const *names, size_t n)
{
    struct live_sink *v = (struct live_sink *)s;
    if (n <= v->n)
        return;
    struct view_row *rows = realloc(v->rows, n * sizeof *rows);
    if (rows)
        v->rows = rows;
    struct live_shape *shapes = realloc(v->shapes, n * sizeof *shapes);
    if (shapes)
        v->shapes = shapes;
    /* Out of memory: the view shows the datasets it has room for. */
    for (size_t i = v->n; i < n && rows && shapes; i++) {
        char *name = strdup(names[i]);
        if (!name)
            break;
        v->shapes[i] = (struct live_shape){ 0 };
        v->rows[i] = (struct view_row){ .name = name, .since = -1 };
        watch_spark_init(&v->rows[i].spark, VIEW_BUCKET);
        v->n = i + 1;
    }
    for (size_t i = 0; i < v->n; i++)
        v->rows[i].dims = v->shapes[i].dims;   /* moved with realloc */
}

static void live_shape(struct sink *s, size_t i, int rank,
                       const uint64_t *dims, uint64_t rows)
{
    struct live_sink *v = (struct live_sink *)s;
    if (i >= v->n)
        return;
    v->shapes[i].rank = v->rows[i].rank = rank;
    v->rows[i].rows = rows;
    memcpy(v->shapes[i].dims, dims, (size_t)rank * sizeof *dims);
}

static void live_state(struct sink *s, const char *header)
{
    struct live_sink *v = (struct live_sink *)s;
    v->header = header;
    v->on = true;
}

static void live_line_begin(struct sink *s, size_t i,
                            const struct watch_line *l, double now)
{
    struct live_sink *v = (struct live_sink *)s;
    live_shape(s, i, l->rank, l->dims, l->rows);
    v->lines_seen = true;
    if (i < v->n) {
        struct view_row *r = &v->rows[i];
        if (r->since < 0)
            r->since = now;
        if (l->delta > 0)
            watch_spark_add(&r->spark, now, (uint64_t)l->delta);
    }
    if (v->view.last_draw < 0 || now - v->view.last_draw >= VIEW_MIN_REDRAW)
        draw(v, now);
    else if (v->redraw_at < 0)
        v->redraw_at = v->view.last_draw + VIEW_MIN_REDRAW;
}

static void live_msg_begin(struct sink *s, bool final)
{
    struct live_sink *v = (struct live_sink *)s;
    if (v->finished)
        return;
    if (final) {
        if (v->view.drawn || v->lines_seen)
            draw(v, monotonic_seconds());
        view_finish(&v->view);
        v->finished = true;
    } else {
        view_erase(&v->view);
    }
}

static void live_msg_end(struct sink *s, bool final)
{
    struct live_sink *v = (struct live_sink *)s;
    if (!v->finished && !final && v->on)
        draw(v, monotonic_seconds());
}

static double live_next_tick(struct sink *s, double now)
{
    struct live_sink *v = (struct live_sink *)s;
    double t = -1;
    if (v->redraw_at >= 0)
        t = v->redraw_at > now ? v->redraw_at - now : 0;   /* overdue: now */
    if (view_busy(v->rows, v->n) && (t < 0 || VIEW_BUCKET < t))
        t = VIEW_BUCKET;
    return t;
}

/* Draw the first time there is something to show, when asked (a resized
 * terminal), when a held-back draw is due, and every bucket while a
 * sparkline moves; live_line_begin draws the changes. */
static void live_tick(struct sink *s, double now, bool resized)
{
    struct live_sink *v = (struct live_sink *)s;
    if (!v->on || v->finished)
        return;
    if (v->view.last_draw < 0 || resized ||
        (v->redraw_at >= 0 && now >= v->redraw_at) ||
        now - v->view.last_draw >= VIEW_BUCKET)
        draw(v, now);
}

static void live_finish(struct sink *s)
{
    struct live_sink *v = (struct live_sink *)s;
    if (!v->finished && (v->lines_seen || v->view.drawn)) {
        draw(v, monotonic_seconds());
        view_finish(&v->view);
    }
    v->finished = true;
}

static void live_destroy(struct sink *s)
{
    struct live_sink *v = (struct live_sink *)s;
    for (size_t i = 0; i < v->n; i++)
        free((char *)v->rows[i].name);
    free(v->rows);
    free(v->shapes);
    free(v);
}

static const struct sink_ops live_ops = {
    .datasets = live_datasets,
    .shape = live_shape,
    .state = live_state,
    .line_begin = live_line_begin,
    .msg_begin = live_msg_begin,
    .msg_end = live_msg_end,
    .next_tick = live_next_tick,
    .tick = live_tick,
    .finish = live_finish,
    .destroy = live_destroy,
};

struct sink *sink_live_new(FILE *out, const char *file, bool color)
{
    struct live_sink *v = calloc(1, sizeof *v);
    if (!v)
        return NULL;
    v->base = (struct sink){ .ops = &live_ops, .out = out };
    view_init(&v->view, out, color);
    v->file = file;
    v->header = "";
    v->redraw_at = -1;
    return &v->base;
}
