/* What each line shows: the facts of a change (delta, rate, event), the
 * new rows read from the file for --values, handed to the sink (sink.h),
 * which alone knows how they look. */
#include "watcher.h"
#include "h5err.h"
#include "report.h"

#include <stdio.h>     /* snprintf */
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

/* Print the new rows of T, FROM to its extent, in bounded blocks. false
 * when some could not be read: the sink was told which, and w->unread
 * says so for the message. */
static bool print_values(struct watcher *w, struct tracked *t, uint64_t from)
{
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
            return true;
        }
    }
    /* The rows begin with the first block read: a line none of whose
     * rows could be read says so, not "no rows". */
    bool begun = false;
    for (uint64_t at = from; at < to; at += block) {
        size_t n = to - at < block ? (size_t)(to - at) : block;
        if (rowbytes && !watch_h5_read_rows(&t->d, at, n, w->values)) {
            if (begun)
                sink_values_end(w->sink);
            snprintf(w->unread, sizeof w->unread, "cannot read rows %llu "
                     "to %llu of %s in %s: %s", (unsigned long long)at,
                     (unsigned long long)(to - 1), t->name, w->o->file,
                     *h5err_detail() ? h5err_detail()
                                     : "HDF5 gave no reason");
            sink_values_error(w->sink, at, to - 1, h5err_detail());
            return false;
        }
        if (!begun)
            sink_values_begin(w->sink, t->d.type, t->d.rank, t->d.dims);
        begun = true;
        sink_values_rows(w->sink, at, n, w->values);
    }
    if (!begun)
        sink_values_begin(w->sink, t->d.type, t->d.rank, t->d.dims);
    sink_values_end(w->sink);
    return true;
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

    sink_line_begin(w->sink, (size_t)(t - w->ds), &l, now);
    bool unread = false;
    if (o->values) {
        size_t bytes;
        if (!t->d.type || !row_bytes(t, &bytes)) {
            sink_values_none(w->sink, true);
            if (!t->values_said && !t->d.type)
                report_notice("values of %s are not shown: --values cannot "
                              "print its type (%s); it prints integers and "
                              "32- and 64-bit floats", t->name,
                              t->d.type_name);
            else if (!t->values_said)
                report_notice("values of %s are not shown: its rows are "
                              "larger than %u MiB", t->name,
                              VALUE_ROW_MAX_BYTES >> 20);
            t->values_said = true;
        } else if (event == EVENT_START && !w->waited) {
            sink_values_none(w->sink, false);
        } else {
            /* Rows that shrank away and came back are new rows. */
            unread = !print_values(w, t, t->values_next < rows
                                         ? t->values_next : rows);
        }
    }
    sink_line_end(w->sink);
    /* After the line: the run ends with it (unless --follow: those rows
     * are skipped, later ones tried). */
    if (unread) {
        bool final = !o->follow;
        sink_msg_begin(w->sink, final);
        report_error("%s", w->unread);
        sink_msg_end(w->sink, final);
        w->unreadable = true;
    }
    t->values_next = rows;
    t->shown = true;
    t->shown_rank = t->d.rank;
    memcpy(t->shown_dims, t->d.dims, sizeof t->shown_dims);
    t->shown_at = now;
    t->pending = false;
    if (event == EVENT_CHANGE) {
        w->lines++;
        watch_advance(w, HAPPEN_CHANGE);
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

