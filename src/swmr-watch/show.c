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

/* The largest record --values prints: the cells of one index of the
 * dimensions that grow (a row, when the first one does). HDF5 lets a
 * chunked dataset declare rows of up to 2^64 cells that it never stores. */
#define VALUE_ROW_MAX_BYTES (64u << 20)

/* Can T's values be printed: is a record (the cells of the dimensions
 * that are not its rows) at most VALUE_ROW_MAX_BYTES? */
static bool record_fits(const struct tracked *t)
{
    uint64_t bytes = t->d.cell->size;
    for (int k = 0; k < t->d.rank; k++) {
        if (t->d.grows >> k & 1)
            continue;
        if (t->d.dims[k] && bytes > VALUE_ROW_MAX_BYTES / t->d.dims[k])
            return false;
        bytes *= t->d.dims[k];
    }
    return bytes <= VALUE_ROW_MAX_BYTES;
}

/* Can T's values be printed? Once, what to say about it (why not, or
 * which parts cannot be) into NOTICE; else NOTICE is empty. Said after
 * the line: in the middle of one, it would split a JSON line in a 2>&1
 * pipe, or come before lines still in stdout's buffer. */
static bool values_showable(struct tracked *t, char *notice, size_t size)
{
    const struct cell *cell = t->d.cell;
    bool whole = cell && cell->kind != CELL_UNPRINTABLE;
    bool fits = whole && record_fits(t);
    char part[256];
    notice[0] = '\0';
    if (t->values_said)
        return fits;
    if (!whole)
        snprintf(notice, size, "values of %s are not shown: --values cannot "
                 "print its type (%s)", t->name,
                 cell ? cell->what : t->d.type_name);
    else if (!fits)
        snprintf(notice, size, "values of %s are not shown: its rows are "
                 "larger than %u MiB", t->name, VALUE_ROW_MAX_BYTES >> 20);
    else if (cell_unprintable_part(cell, part, sizeof part))
        snprintf(notice, size, "values of %s: %s cannot be printed: shown "
                 "as null in JSON, ? in text and TSV", t->name, part);
    t->values_said = notice[0] != '\0';
    return fits;
}

/* Room in w->values for a piece of VALUE_BLOCK_BYTES (one cell at
 * least). */
static bool values_room(struct watcher *w, size_t cell)
{
    size_t need = cell > VALUE_BLOCK_BYTES ? cell : VALUE_BLOCK_BYTES;
    if (w->values_size >= need)
        return true;
    free(w->values);
    w->values = malloc(need);
    w->values_size = w->values ? need : 0;
    return w->values != NULL;
}

/* "rows 4 to 6" (growth of whole rows) or "cells from 0,3": the new
 * values of D not read, from START on in block B, for messages. */
static void unread_what(const struct watch_dset *d,
                        const struct growth_block *b, const uint64_t *start,
                        char *buf, size_t size)
{
    bool whole_rows = true;
    for (int k = 1; k < d->rank; k++)
        whole_rows = whole_rows && b->start[k] == 0 && b->count[k] == d->dims[k];
    if (d->rank >= 1 && whole_rows) {
        snprintf(buf, size, "rows %llu to %llu", (unsigned long long)start[0],
                 (unsigned long long)(d->dims[0] - 1));
        return;
    }
    char at[WATCH_MAX_RANK * 22 + 8];
    watch_shape(d->rank, start, ",", true, at, sizeof at);
    snprintf(buf, size, "cells from %s", at);
}

/* Print the cells of T outside the extent OLD: the blocks growth_blocks
 * gives, each read in pieces of at most VALUE_BLOCK_BYTES, so that memory
 * stays flat however much a single change adds. false when some could not
 * be read: the sink was told which, and w->unread says so for the
 * message. */
static bool print_values(struct watcher *w, struct tracked *t,
                         const uint64_t *old)
{
    const struct watch_dset *d = &t->d;
    struct growth_block blocks[WATCH_MAX_RANK];
    size_t n = growth_blocks(d->rank, old, d->dims, blocks);
    size_t cell = d->cell->size;
    if (n && !values_room(w, cell)) {
        sink_values_none(w->sink, true);
        report_error("out of memory for the values of %s", t->name);
        return true;
    }
    struct sink_values v = { .cell = d->cell, .rank = d->rank,
                             .dims = d->dims, .nblocks = n, .blocks = blocks,
                             .names = cell_has_names(d->cell) &&
                                      !t->names_shown && n > 0 };
    /* The values begin with the first piece read: a line none of whose
     * values could be read says so, not "nothing new". */
    bool begun = false;
    for (size_t b = 0; b < n; b++) {
        uint64_t cells = growth_product(d->rank, blocks[b].count);
        for (uint64_t done = 0; done < cells;) {
            uint64_t start[WATCH_MAX_RANK], count[WATCH_MAX_RANK];
            uint64_t got = growth_piece(d->rank, &blocks[b], cell,
                                        VALUE_BLOCK_BYTES, done, start,
                                        count);
            if (!watch_h5_read_block(d, start, count, w->values)) {
                char what[WATCH_MAX_RANK * 22 + 48];
                if (begun)
                    sink_values_end(w->sink);
                unread_what(d, &blocks[b], start, what, sizeof what);
                snprintf(w->unread, sizeof w->unread, "cannot read %s of %s "
                         "in %s: %s", what, t->name, w->o->file,
                         *h5err_detail() ? h5err_detail()
                                         : "HDF5 gave no reason");
                sink_values_error(w->sink, what, h5err_detail());
                return false;
            }
            if (!begun)
                sink_values_begin(w->sink, &v);
            begun = true;
            sink_values_cells(w->sink, w->values, (size_t)got);
            watch_h5_reclaim(d, count, w->values);
            done += got;
        }
    }
    if (!begun)
        sink_values_begin(w->sink, &v);
    sink_values_end(w->sink);
    t->names_shown = t->names_shown || v.names;
    return true;
}

/* ROWS - BEFORE as a signed count, kept in range: rows saturate at
 * UINT64_MAX for a dataset of 2^33 x 2^33 cells, which HDF5 allows. */
static int64_t row_delta(uint64_t rows, uint64_t before)
{
    if (rows >= before)
        return rows - before > INT64_MAX ? INT64_MAX : (int64_t)(rows - before);
    return before - rows > INT64_MAX ? -INT64_MAX : -(int64_t)(before - rows);
}

/* The extent OLD (the cells outside it are printed) of T's start line:
 * with --last, the last rows already there are outside it, as well as
 * the rows --wait saw added (every row, when the file was not there). */
static void start_extent(const struct watcher *w, const struct tracked *t,
                         uint64_t *old)
{
    uint64_t tail[WATCH_MAX_RANK];
    growth_last(t->d.rank, t->d.dims, t->d.grows, watch_options_last(w->o),
                tail);
    for (int k = 0; k < t->d.rank; k++)
        old[k] = w->waited && old[k] < tail[k] ? old[k] : tail[k];
}

/* Print T's line for EVENT and remember what it showed. */
void show_line(struct watcher *w, struct tracked *t, enum watch_event event,
                 double now)
{
    const struct watch_options *o = w->o;
    uint64_t rows = tracked_rows(t);
    uint64_t before = t->shown && t->shown_rank
                          ? watch_rows(t->shown_rank, t->shown_dims, t->d.grows)
                          : rows;
    int64_t delta = event == EVENT_START ? 0 : row_delta(rows, before);
    struct watch_line l = {
        .dataset = t->name, .rank = t->d.rank, .dims = t->d.dims,
        .rows = rows, .delta = delta, .event = event,
        .rate = t->shown ? watch_rate(delta, now - t->shown_at) : 0,
    };
    clock_gettime(CLOCK_REALTIME, &l.when);

    sink_line_begin(w->sink, (size_t)(t - w->ds), &l, now);
    bool unread = false;
    char notice[512] = "";
    if (o->values) {
        if (!values_showable(t, notice, sizeof notice)) {
            sink_values_none(w->sink, true);
        } else if (event == EVENT_START && !w->waited &&
                   !watch_options_last(o)) {
            sink_values_none(w->sink, false);
        } else {
            /* Cells that shrank away and came back are new cells. */
            uint64_t old[WATCH_MAX_RANK];
            for (int k = 0; k < t->d.rank; k++)
                old[k] = t->values_dims[k] < t->d.dims[k] ? t->values_dims[k]
                                                          : t->d.dims[k];
            if (event == EVENT_START)
                start_extent(w, t, old);
            unread = !print_values(w, t, old);
        }
    }
    sink_line_end(w->sink);
    if (notice[0]) {
        sink_msg_begin(w->sink, false);
        report_notice("%s", notice);
        sink_msg_end(w->sink, false);
    }
    /* After the line: the run ends with it (unless --follow: those values
     * are skipped, later ones tried). */
    if (unread) {
        bool final = !o->follow;
        sink_msg_begin(w->sink, final);
        report_error("%s", w->unread);
        sink_msg_end(w->sink, final);
        w->unreadable = true;
    }
    memcpy(t->values_dims, t->d.dims, sizeof t->values_dims);
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

