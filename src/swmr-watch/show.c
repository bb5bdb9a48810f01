/* Printing: a line per change in the chosen format, the new rows for
 * --values, or the live view on a terminal. */
#include "watcher.h"
#include "monotonic.h"
#include "exit_status.h"
#include "h5err.h"
#include "report.h"

#include <errno.h>     /* errno, EIO */
#include <stdio.h>     /* fputs, stdout */
#include <stdlib.h>    /* malloc, free */
#include <string.h>    /* memcpy, memcmp */
#include <time.h>      /* clock_gettime: CLOCK_REALTIME for the line's time */

/* Values are read in blocks of about this many bytes: memory stays flat
 * however many rows a single jump adds. */
#define VALUE_BLOCK_BYTES (1u << 20)

/* The largest row --values prints: HDF5 lets a chunked dataset declare
 * rows of up to 2^64 cells that it never stores. */
#define VALUE_ROW_MAX_BYTES (64u << 20)

/* Bytes of one row of T into *OUT; false when the product of its
 * dimensions overflows or passes VALUE_ROW_MAX_BYTES. */
static bool row_bytes(const struct tracked *t, size_t *out)
{
    uint64_t bytes = t->d.type->size;
    for (int i = 1; i < t->d.rank; i++) {
        if (t->d.dims[i] && bytes > VALUE_ROW_MAX_BYTES / t->d.dims[i])
            return false;
        bytes *= t->d.dims[i];
    }
    *out = (size_t)bytes;
    return bytes <= VALUE_ROW_MAX_BYTES;
}

/* Print the new rows of T, FROM to its extent, in bounded blocks. */
static void print_values(struct watcher *w, struct tracked *t, uint64_t from)
{
    struct watch_values v;
    uint64_t to = t->d.rank ? t->d.dims[0] : 0;
    size_t rowbytes = 0;
    row_bytes(t, &rowbytes);   /* checked by the caller */
    size_t block = rowbytes ? VALUE_BLOCK_BYTES / rowbytes : 0;
    if (block == 0)
        block = 1;
    if (w->values_size < block * rowbytes) {
        free(w->values);
        w->values_size = block * rowbytes;
        w->values = malloc(w->values_size);
        if (!w->values) {
            w->values_size = 0;
            report_error("out of memory for %zu rows of %s", block, t->name);
            return;
        }
    }
    watch_values_begin(&v, stdout, w->o->format, t->d.type, t->d.rank,
                       t->d.dims);
    for (uint64_t at = from; at < to; at += block) {
        size_t n = to - at < block ? (size_t)(to - at) : block;
        if (rowbytes && !watch_h5_read_rows(&t->d, at, n, w->values)) {
            watch_values_end(&v);
            report_error("cannot read rows %llu to %llu of %s: %s",
                         (unsigned long long)at,
                         (unsigned long long)(to - 1), t->name,
                         h5err_detail());
            return;
        }
        watch_values_rows(&v, at, n, w->values);
    }
    watch_values_end(&v);
}

void show_check_output(struct watcher *w)
{
    if ((fflush(stdout) == EOF || ferror(stdout)) && !w->out_errno)
        w->out_errno = errno ? errno : EIO;
}

void show_draw(struct watcher *w, double now)
{
    struct view_row rows[w->nds ? w->nds : 1];
    for (size_t i = 0; i < w->nds; i++) {
        w->ds[i].row.rank = w->ds[i].d.rank;
        w->ds[i].row.dims = w->ds[i].d.dims;
    }
    /* The sparklines live in the tracked datasets: copy in, draw, copy
     * back (the draw advances their clocks). */
    for (size_t i = 0; i < w->nds; i++)
        rows[i] = w->ds[i].row;
    view_draw(&w->view, w->o->file, w->state, rows, w->nds, now);
    for (size_t i = 0; i < w->nds; i++)
        w->ds[i].row.spark = rows[i].spark;
    w->redraw_at = -1;
    show_check_output(w);
}

void show_msg_begin(struct watcher *w, bool final)
{
    fflush(stdout);
    if (!w->live || w->finished)
        return;
    if (final) {
        if (w->view.drawn || w->ever_open)
            show_draw(w, monotonic_seconds());
        view_finish(&w->view);
        w->finished = true;
    } else {
        view_erase(&w->view);
    }
}

void show_msg_end(struct watcher *w, bool final)
{
    if (!w->live || w->finished || final)
        return;
    if (w->ever_open || w->o->wait)
        show_draw(w, monotonic_seconds());
}

/* Print T's line for EVENT and remember what it showed. */
void show_line(struct watcher *w, struct tracked *t, enum watch_event event,
                 double now)
{
    const struct watch_options *o = w->o;
    uint64_t rows = watch_rows(t->d.rank, t->d.dims);
    uint64_t before = t->shown && t->shown_rank ? t->shown_dims[0] : rows;
    int64_t delta = (int64_t)(rows - before);
    if (event == EVENT_START)
        delta = 0;
    struct watch_line l = {
        .dataset = t->name, .rank = t->d.rank, .dims = t->d.dims,
        .delta = delta, .event = event,
        .rate = t->shown ? watch_rate(delta, now - t->shown_at) : 0,
    };
    clock_gettime(CLOCK_REALTIME, &l.when);

    if (w->live) {
        if (t->row.since < 0)
            t->row.since = now;
        if (delta > 0)
            watch_spark_add(&t->row.spark, now, (uint64_t)delta);
        if (w->view.last_draw < 0 || now - w->view.last_draw >= VIEW_MIN_REDRAW)
            show_draw(w, now);
        else if (w->redraw_at < 0)
            w->redraw_at = w->view.last_draw + VIEW_MIN_REDRAW;
    } else {
        size_t line_size = watch_line_size(&l, w->name_width);
        char *line = malloc(line_size);
        if (!line) {
            /* A line of a few kilobytes: nothing sensible is left to do. */
            report_error("out of memory");
            exit(STATUS_OSERR);
        }
        errno = 0;   /* show_check_output reports what the writes set */
        /* The header with the first line, so that an error leaves stdout
         * empty. */
        if (o->format == FORMAT_TSV && !w->header_done)
            fputs(watch_tsv_header(), stdout);
        w->header_done = true;
        watch_line_format(o->format, &l, w->name_width, line, line_size);
        fputs(line, stdout);
        free(line);
        if (o->values) {
            size_t bytes;
            if (!t->d.type || !row_bytes(t, &bytes)) {
                watch_values_none(stdout, o->format, true);
                if (!t->values_said && !t->d.type)
                    report_notice("values of %s are not shown: --values "
                                  "cannot print its type (%s); it prints "
                                  "integers and 32- and 64-bit floats",
                                  t->name, t->d.type_name);
                else if (!t->values_said)
                    report_notice("values of %s are not shown: its rows are "
                                  "larger than %u MiB", t->name,
                                  VALUE_ROW_MAX_BYTES >> 20);
                t->values_said = true;
            } else if (event == EVENT_START && !w->waited) {
                watch_values_none(stdout, o->format, false);
            } else {
                /* Rows that shrank away and came back are new rows. */
                uint64_t from = t->values_next < rows ? t->values_next : rows;
                print_values(w, t, from);
            }
        }
        fputs(watch_line_end(o->format), stdout);
        show_check_output(w);
    }
    t->values_next = rows;
    t->shown = true;
    t->shown_rank = t->d.rank;
    memcpy(t->shown_dims, t->d.dims, sizeof t->shown_dims);
    t->shown_at = now;
    t->pending = false;
    if (event == EVENT_CHANGE) {
        w->lines++;
        w->vanish_said = false;
    }
}

bool show_same_shape(const struct tracked *t)
{
    return t->shown && t->shown_rank == t->d.rank &&
           memcmp(t->shown_dims, t->d.dims,
                  (size_t)t->d.rank * sizeof t->d.dims[0]) == 0;
}

/* Print the lines --min-interval held back (all of them when FORCE). */
void show_pending(struct watcher *w, double now, bool force)
{
    for (size_t i = 0; i < w->nds; i++) {
        struct tracked *t = &w->ds[i];
        double wait;
        if (t->pending && t->d.id >= 0 &&
            (force || watch_due(t->shown_at, now, w->o->min_interval, &wait)))
            show_line(w, t, EVENT_CHANGE, now);
    }
}

