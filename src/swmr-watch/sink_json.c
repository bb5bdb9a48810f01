/* JSON lines: one object per change, {"time":...,"dataset":...,"shape":[..],
 * "delta":..,"rate":..,"event":".."}, with "values" and "blocks" members
 * for --values (NaN and infinities as the strings "nan", "inf", "-inf"),
 * and an "error" member when new values could not be read.
 * Every line is valid JSON whatever a dataset's name holds. All of the
 * format's syntax is here. */
#include "sink.h"

#include <inttypes.h>  /* PRId64, PRIu64 */
#include <stdlib.h>    /* calloc */

struct json_sink {
    struct sink base;
    struct sink_cursor cells;   /* --values */
    bool nested;       /* rank > 1: each row of a block is an array */
    uint64_t written;  /* values written in this line */
    bool values_begun; /* this line has a "values" member */
};

static void json_line_begin(struct sink *s, size_t i,
                            const struct watch_line *l, double now)
{
    (void)i, (void)now;
    ((struct json_sink *)s)->values_begun = false;
    char when[48];
    watch_time_iso(l->when, when, sizeof when);
    fprintf(s->out, "{\"time\":\"%s\",\"dataset\":", when);
    cell_json_string(s->out, l->dataset, SIZE_MAX);
    fputs(",\"shape\":[", s->out);
    for (int k = 0; k < l->rank; k++)
        fprintf(s->out, "%s%" PRIu64, k ? "," : "", l->dims[k]);
    fprintf(s->out, "],\"delta\":%" PRId64 ",\"rate\":%.3f,\"event\":\"%s\"",
            l->delta, l->rate, watch_event_name(l->event));
}

static void json_values_none(struct sink *s, bool unshowable)
{
    ((struct json_sink *)s)->values_begun = true;
    fputs(unshowable ? ",\"values\":null,\"blocks\":null"
                     : ",\"values\":[],\"blocks\":[]", s->out);
}

static void json_values_begin(struct sink *s, const struct sink_values *v)
{
    struct json_sink *j = (struct json_sink *)s;
    sink_cursor_begin(&j->cells, v);
    j->nested = v->rank > 1;
    j->written = 0;
    j->values_begun = true;
    fputs(",\"values\":[", s->out);
}

static void json_values_cells(struct sink *s, const void *data, size_t n)
{
    struct json_sink *j = (struct json_sink *)s;
    const struct cell *cell = j->cells.v.cell;
    const unsigned char *p = data;
    for (size_t i = 0; i < n; i++, p += cell->size, j->written++) {
        bool row = sink_cursor_starts(&j->cells) & CURSOR_ROW;
        if (j->written)
            fputs(j->nested && row ? ",[" : ",", s->out);
        else if (j->nested)
            fputc('[', s->out);
        cell_json(s->out, cell, p);
        if (sink_cursor_next(&j->cells) & CURSOR_ROW && j->nested)
            fputc(']', s->out);
    }
}

/* A JSON array of the first RANK numbers at V. */
static void json_index(FILE *out, int rank, const uint64_t *v)
{
    fputc('[', out);
    for (int k = 0; k < rank; k++)
        fprintf(out, "%s%" PRIu64, k ? "," : "", v[k]);
    fputc(']', out);
}

/* The values, then where they go: each block's start and count. A row a
 * failed read left open is closed (the "error" member says what is
 * missing). */
static void json_values_end(struct sink *s)
{
    struct json_sink *j = (struct json_sink *)s;
    const struct sink_values *v = &j->cells.v;
    if (j->nested && sink_cursor_open(&j->cells) & CURSOR_ROW)
        fputc(']', s->out);
    fputs("],\"blocks\":[", s->out);
    for (size_t b = 0; b < v->nblocks; b++) {
        fputs(b ? ",{\"start\":" : "{\"start\":", s->out);
        json_index(s->out, v->rank, v->blocks[b].start);
        fputs(",\"count\":", s->out);
        json_index(s->out, v->rank, v->blocks[b].count);
        fputc('}', s->out);
    }
    fputc(']', s->out);
}

/* Values that could not be read: never an empty array, which would read
 * as "nothing new". "values" is null when none was read (else it holds
 * those before WHAT), and "error" says which are missing and why. */
static void json_values_error(struct sink *s, const char *what,
                              const char *reason)
{
    struct json_sink *j = (struct json_sink *)s;
    if (!j->values_begun)
        fputs(",\"values\":null,\"blocks\":null", s->out);
    j->values_begun = true;
    char why[768];
    snprintf(why, sizeof why, "cannot read %s: %s", what,
             *reason ? reason : "HDF5 gave no reason");
    fputs(",\"error\":", s->out);
    cell_json_string(s->out, why, SIZE_MAX);
}

static void json_line_end(struct sink *s)
{
    fputs("}\n", s->out);
}

static const struct sink_ops json_ops = {
    .line_begin = json_line_begin,
    .values_none = json_values_none,
    .values_begin = json_values_begin,
    .values_cells = json_values_cells,
    .values_end = json_values_end,
    .values_error = json_values_error,
    .line_end = json_line_end,
};

struct sink *sink_json_new(FILE *out)
{
    struct json_sink *j = calloc(1, sizeof *j);
    if (!j)
        return NULL;
    j->base = (struct sink){ .ops = &json_ops, .out = out };
    return &j->base;
}
