/* Where swmr-watch's output goes: one sink per format (text, TSV, JSON, the
 * terminal's live view) behind one small interface. The watcher tells a
 * sink what happened: the datasets it follows, a line for one of them (with
 * the new rows for --values), the writer's state, a message about to go to
 * stderr, time passing. The sink alone decides what that looks like; the
 * syntax of each format lives in its own file (sink_text.c, sink_tsv.c,
 * sink_json.c, sink_live.c). No HDF5 here: the unit tests drive every sink
 * into a memory stream. */
#ifndef SWMR_WATCH_SINK_H
#define SWMR_WATCH_SINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>   /* FILE */

#include "cell.h"
#include "growth.h"
#include "watch_format.h"
#include "watch_options.h"   /* enum watch_format */

struct sink;

/* The new cells of a change, for --values: the BLOCKS of the dataset's
 * extent DIMS that are new (growth_blocks), each given in row-major
 * order, one block after the other, each cell laid out as CELL says.
 * NAMES: text and TSV print the names of the cell's fields first (the
 * first values of a compound dataset). */
struct sink_values {
    const struct cell *cell;
    bool names;
    int rank;
    const uint64_t *dims;
    size_t nblocks;
    const struct growth_block *blocks;
};

/* What each sink does; a NULL entry does nothing. The sink_* functions
 * below are what callers use. */
struct sink_ops {
    void (*datasets)(struct sink *s, const char *const *names, size_t n);
    void (*shape)(struct sink *s, size_t i, int rank, const uint64_t *dims,
                  uint64_t rows);
    void (*state)(struct sink *s, const char *header);
    void (*line_begin)(struct sink *s, size_t i, const struct watch_line *l,
                       double now);
    void (*values_none)(struct sink *s, bool unshowable);
    void (*values_begin)(struct sink *s, const struct sink_values *v);
    void (*values_cells)(struct sink *s, const void *data, size_t n);
    void (*values_end)(struct sink *s);
    void (*values_error)(struct sink *s, const char *what,
                         const char *reason);
    void (*line_end)(struct sink *s);
    void (*msg_begin)(struct sink *s, bool final);
    void (*msg_end)(struct sink *s, bool final);
    double (*next_tick)(struct sink *s, double now);
    void (*tick)(struct sink *s, double now, bool resized);
    void (*finish)(struct sink *s);
    void (*destroy)(struct sink *s);
};

struct sink {
    const struct sink_ops *ops;
    FILE *out;
    int out_errno;    /* why writing OUT failed, or 0 */
};

/* The sink for FORMAT, writing to OUT. LIVE: the terminal view, its
 * header naming FILE (kept, not copied), in colour when COLOR. NULL when
 * out of memory. */
struct sink *sink_new(enum watch_format format, bool live, FILE *out,
                      const char *file, bool color);

/* Does O's output to a terminal (TERMINAL: stdout is one, of type TERM,
 * maybe NULL) get the live view? Text only, without --values or --once,
 * and not on a dumb terminal. */
bool sink_wants_live(const struct watch_options *o, bool terminal,
                     const char *term);
struct sink *sink_text_new(FILE *out);
struct sink *sink_tsv_new(FILE *out);
struct sink *sink_json_new(FILE *out);
struct sink *sink_live_new(FILE *out, const char *file, bool color);

/* Flush OUT and free the sink. */
void sink_free(struct sink *s);

/* The datasets followed, in the order the watcher numbers them (the list
 * only grows): after each open of the file. */
void sink_datasets(struct sink *s, const char *const *names, size_t n);

/* Dataset I has this shape (and ROWS, watch_rows) now, whether or not a
 * line shows it. */
void sink_shape(struct sink *s, size_t i, int rank, const uint64_t *dims,
                uint64_t rows);

/* The writer's state in words ("writer active"; kept, not copied: a
 * string that lives as long as the sink), for a sink that shows it. The
 * first call also tells the live view it has something to show. */
void sink_state(struct sink *s, const char *header);

/* A line for dataset I, at NOW (monotonic seconds). With --values, exactly
 * one of sink_values_none or sink_values_begin/rows/end follows; then
 * sink_line_end. */
void sink_line_begin(struct sink *s, size_t i, const struct watch_line *l,
                     double now);

/* No rows follow: UNSHOWABLE, the dataset's rows cannot be printed; else
 * there are none to print (the rows before a start line are history). */
void sink_values_none(struct sink *s, bool unshowable);

/* The new cells V describes (kept, not copied, until sink_values_end),
 * given N at a time in their order, as many calls as it takes. */
void sink_values_begin(struct sink *s, const struct sink_values *v);
void sink_values_cells(struct sink *s, const void *data, size_t n);
void sink_values_end(struct sink *s);

/* The new values from WHAT on ("rows 4 to 6", "cells from 0,3") could not
 * be read, for REASON (HDF5's cause, maybe empty): after the values that
 * were read and their sink_values_end, or in place of sink_values_begin
 * when none was. */
void sink_values_error(struct sink *s, const char *what, const char *reason);

/* The line is complete. (The watcher flushes once a refresh, with
 * sink_flush: a pipe gets one write for all its lines.) */
void sink_line_end(struct sink *s);

/* Around each message on stderr. FINAL: the run ends with it (the live
 * view is drawn for the last time first, the message goes below it);
 * otherwise the view is taken off and drawn again below the message. */
void sink_msg_begin(struct sink *s, bool final);
void sink_msg_end(struct sink *s, bool final);

/* Seconds from NOW until the sink wants sink_tick (< 0: never). */
double sink_next_tick(struct sink *s, double now);

/* Time has passed (RESIZED: the terminal changed size): redraw if due. */
void sink_tick(struct sink *s, double now, bool resized);

/* The run ends: the last draw, everything flushed. */
void sink_finish(struct sink *s);

/* Flush OUT; note in out_errno why it failed, if it did. */
void sink_flush(struct sink *s);

/* ---- For the sinks themselves ---- */

/* NAME escaped as watch_escape_name does, in a fresh string (the program
 * ends with STATUS_OSERR when there is no memory for it). */
char *sink_escaped_name(const char *name);

/* Where the next cell of --values is: which block, how far into it, and
 * what starts there. */
struct sink_cursor {
    struct sink_values v;
    size_t block;        /* the block of the next cell */
    uint64_t at;         /* its cells before the next */
    uint64_t cells;      /* its cells in all */
    uint64_t row;        /* cells of a row of the block (its first index) */
    uint64_t run;        /* cells of a text line (growth_run) */
};
enum {
    CURSOR_ROW = 1,      /* a row of the block */
    CURSOR_RUN = 2,      /* a text line */
};
void sink_cursor_begin(struct sink_cursor *c, const struct sink_values *v);
/* What starts at the next cell (CURSOR_* bits). */
unsigned sink_cursor_starts(const struct sink_cursor *c);
/* Past the next cell: what ended with it (CURSOR_* bits). */
unsigned sink_cursor_next(struct sink_cursor *c);
/* The next cell's index in the dataset, "7" or "0,5": its dimensions
 * joined by commas, trailing zeros left out (the first always shown). */
void sink_cursor_index(const struct sink_cursor *c, char *buf, size_t size);

/* Is the cursor inside a row, or a run, that has begun (CURSOR_* bits)?
 * A read that failed part-way leaves one open: its sink closes it. */
unsigned sink_cursor_open(const struct sink_cursor *c);

/* The cells of --values as plain lines, a line per run (growth_run): the
 * index of its first cell (sink_cursor_index) between BEFORE and AFTER
 * ("  7:", "  0,5:"), then SEP before each value (cell_plain, strings in
 * quotes when QUOTE); a newline. */
void sink_plain_cells(struct sink_cursor *c, FILE *out, const char *before,
                      const char *after, char sep, bool quote,
                      const void *data, size_t n);

/* The end of plain cells: a line a failed read left open is ended, so the
 * next line starts on its own. */
void sink_plain_end(struct sink_cursor *c, FILE *out);

#endif
