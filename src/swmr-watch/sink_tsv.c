/* TSV for scripts: a header line, then one line per change with the full
 * local time, "2026-11-25T14:36:28.123+01:00  /data  1000  1000x3 ...";
 * for --values one line per new row, "\t1000\t0.5\t1\t2". Names are
 * escaped so that a tab or newline in one cannot break a line. */
#include "sink.h"

#include <inttypes.h>  /* PRId64, PRIu64 */
#include <stdlib.h>    /* calloc, free */

struct tsv_sink {
    struct sink base;
    bool header_done;
    struct sink_cursor cells;     /* --values */
};

static void tsv_line_begin(struct sink *s, size_t i,
                           const struct watch_line *l, double now)
{
    (void)i, (void)now;
    struct tsv_sink *t = (struct tsv_sink *)s;
    /* The header with the first line, so that an error before it leaves
     * stdout empty. */
    if (!t->header_done)
        fputs("time\tdataset\trows\tshape\tdelta\trate\tevent\n", s->out);
    t->header_done = true;
    char when[48], shape[WATCH_MAX_RANK * 22 + 8];
    watch_time_iso(l->when, when, sizeof when);
    watch_shape(l->rank, l->dims, "x", false, shape, sizeof shape);
    char *name = sink_escaped_name(l->dataset);
    fprintf(s->out, "%s\t%s\t%" PRIu64 "\t%s\t%" PRId64 "\t%.3f\t%s\n",
            when, name, l->rows, shape, l->delta,
            l->rate, watch_event_name(l->event));
    free(name);
}

static void tsv_values_begin(struct sink *s, const struct sink_values *v)
{
    sink_cursor_begin(&((struct tsv_sink *)s)->cells, v);
    if (v->names) {
        fputs("fields\tindex", s->out);
        cell_names(s->out, v->cell, '\t', false);
        fputc('\n', s->out);
    }
}

static void tsv_values_cells(struct sink *s, const void *data, size_t n)
{
    sink_plain_cells(&((struct tsv_sink *)s)->cells, s->out, "\t", "", '\t',
                     false, data, n);
}

static void tsv_values_end(struct sink *s)
{
    sink_plain_end(&((struct tsv_sink *)s)->cells, s->out);
}

static const struct sink_ops tsv_ops = {
    .line_begin = tsv_line_begin,
    .values_begin = tsv_values_begin,
    .values_cells = tsv_values_cells,
    .values_end = tsv_values_end,
};

struct sink *sink_tsv_new(FILE *out)
{
    struct tsv_sink *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->base = (struct sink){ .ops = &tsv_ops, .out = out };
    return &t->base;
}
