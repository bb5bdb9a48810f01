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

#include "types.h"
#include "watch_format.h"
#include "watch_options.h"   /* enum watch_format */

struct sink;

/* What each sink does; a NULL entry does nothing. The sink_* functions
 * below are what callers use. */
struct sink_ops {
    void (*datasets)(struct sink *s, const char *const *names, size_t n);
    void (*shape)(struct sink *s, size_t i, int rank, const uint64_t *dims);
    void (*state)(struct sink *s, const char *header);
    void (*line_begin)(struct sink *s, size_t i, const struct watch_line *l,
                       double now);
    void (*values_none)(struct sink *s, bool unshowable);
    void (*values_begin)(struct sink *s, const struct value_type *t,
                         int rank, const uint64_t *dims);
    void (*values_rows)(struct sink *s, uint64_t first, size_t n,
                        const void *data);
    void (*values_end)(struct sink *s);
    void (*values_error)(struct sink *s, uint64_t first, uint64_t last,
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

/* Dataset I has this shape now, whether or not a line shows it. */
void sink_shape(struct sink *s, size_t i, int rank, const uint64_t *dims);

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

/* New rows of type T, each of the product of DIMS[1..RANK) values, given
 * in blocks: FIRST is the index of a block's first row. */
void sink_values_begin(struct sink *s, const struct value_type *t, int rank,
                       const uint64_t *dims);
void sink_values_rows(struct sink *s, uint64_t first, size_t n,
                      const void *data);
void sink_values_end(struct sink *s);

/* Rows FIRST to LAST of the line could not be read, for REASON (HDF5's
 * cause, maybe empty): after the rows that were read and their
 * sink_values_end, or in place of sink_values_begin when none was. */
void sink_values_error(struct sink *s, uint64_t first, uint64_t last,
                       const char *reason);

/* The line is complete: it is flushed (a failed write noted). */
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

/* The rows of --values as plain lines: for each row its index between
 * BEFORE and AFTER ("  7:"), then SEP before each value; a newline. */
struct sink_plain_rows {
    const struct value_type *type;
    size_t rowlen;
};
void sink_plain_rows_begin(struct sink_plain_rows *p,
                           const struct value_type *t, int rank,
                           const uint64_t *dims);
void sink_plain_rows(const struct sink_plain_rows *p, FILE *out,
                     const char *before, const char *after, char sep,
                     uint64_t first, size_t n, const void *data);

#endif
