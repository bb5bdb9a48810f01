/* The text format for pipes and files: one aligned line per change,
 * "14:36:28.123  /data  [1000, 3]  +24  12.5 rows/s", and for --values one
 * line per new row, "  1000: 0.5 1 2". */
#include "human.h"    /* human_si: the rate */
#include "sink.h"

#include <inttypes.h>  /* PRId64 */
#include <stdlib.h>    /* calloc, free */
#include <string.h>    /* strlen */

struct text_sink {
    struct sink base;
    int name_width;              /* the dataset column, in characters */
    struct sink_cursor cells;     /* --values */
};

static void text_datasets(struct sink *s, const char *const *names, size_t n)
{
    ((struct text_sink *)s)->name_width = watch_name_width(names, n);
}

static void text_line_begin(struct sink *s, size_t i,
                            const struct watch_line *l, double now)
{
    (void)i, (void)now;
    static const char *const notes[] = {
        [EVENT_START] = "  (start)", [EVENT_CHANGE] = "",
        [EVENT_CLOSE] = "  (writer closed the file)",
        [EVENT_REOPEN] = "  (file opened again)",
    };
    struct text_sink *t = (struct text_sink *)s;
    char when[48], shape[WATCH_MAX_RANK * 22 + 8], rate[32], delta[24];
    watch_time_clock(l->when, when, sizeof when);
    watch_shape(l->rank, l->dims, ", ", true, shape, sizeof shape);
    human_si(l->rate, rate, sizeof rate);
    snprintf(delta, sizeof delta, "%+" PRId64, l->delta);
    char *name = sink_escaped_name(l->dataset);
    /* %-*s pads bytes: pad characters. */
    int pad = t->name_width - watch_utf8_chars(name) + (int)strlen(name);
    fprintf(s->out, "%s  %-*s  %-14s %10s  %7s rows/s%s\n", when, pad, name,
            shape, delta, rate, notes[l->event]);
    free(name);
}

static void text_values_begin(struct sink *s, const struct sink_values *v)
{
    sink_cursor_begin(&((struct text_sink *)s)->cells, v);
    if (v->names) {
        fputs("  fields:", s->out);
        cell_names(s->out, v->cell, ' ', true);
        fputc('\n', s->out);
    }
}

static void text_values_cells(struct sink *s, const void *data, size_t n)
{
    sink_plain_cells(&((struct text_sink *)s)->cells, s->out, "  ", ":", ' ',
                     true, data, n);
}

static void text_values_end(struct sink *s)
{
    sink_plain_end(&((struct text_sink *)s)->cells, s->out);
}

static const struct sink_ops text_ops = {
    .datasets = text_datasets,
    .line_begin = text_line_begin,
    .values_begin = text_values_begin,
    .values_cells = text_values_cells,
    .values_end = text_values_end,
};

struct sink *sink_text_new(FILE *out)
{
    struct text_sink *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->base = (struct sink){ .ops = &text_ops, .out = out };
    return &t->base;
}
