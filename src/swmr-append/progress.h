/* swmr-append --progress: what its status line says, and when.
 *
 * swmr-append is silent while it works; pv, dd status=progress and rsync
 * --info=progress2 show a transfer as it goes. The line gives rows taken,
 * their rate, bytes read, flushes and how long ago the last one was: the
 * answer to "is my logger alive?". On a terminal it is redrawn in place
 * twice a second; into a file or a pipe (a log) a whole line goes out every
 * 5 seconds, often enough to date a stall and rarely enough for a day's
 * log to stay short (17,280 lines). At exit the summary line takes its
 * place, whatever ended the run.
 *
 * Pure: the caller reads the clock and the counters, and writes the text
 * these functions make to stderr (progress_show.c does). Times are seconds
 * on one monotonic clock. */
#ifndef SWMR_PROGRESS_H
#define SWMR_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Seconds between updates on a terminal, and into a file or a pipe. */
#define PROGRESS_TERMINAL_PERIOD 0.5
#define PROGRESS_LOG_PERIOD 5.0

/* A running line is about 80 characters: room for a long program name. */
enum { PROGRESS_FRAME_MAX = 256 };

struct progress_counts {
    uint64_t rows;        /* rows taken by this run, flushed or not */
    uint64_t bytes;       /* bytes read from the input */
    uint64_t flushes;
    double last_flush;    /* when the last flush was; < 0: none yet */
};

struct progress {
    bool terminal;        /* one line redrawn in place, else whole lines */
    const char *program;  /* the prefix of every line */
    double period;        /* between updates */
    double next;          /* when the next update is due */
    double shown_at;      /* when the last update was (at first, the start) */
    uint64_t shown_rows;  /* its rows: the rate is over the time since */
    bool drawn;           /* terminal: FRAME is on the screen, unfinished */
    char frame[PROGRESS_FRAME_MAX];   /* the last update, as written */
};

/* Start at NOW. A terminal gets its line at once (progress_due is true),
 * so that it shows before the first row; a log its first line a period
 * later. */
void progress_start(struct progress *p, bool terminal, const char *program,
                    double now);

/* Is an update due at NOW? */
bool progress_due(const struct progress *p, double now);

/* Seconds from NOW until the next update is due (0 when it is). */
double progress_wait(const struct progress *p, double now);

/* The running text: "1.20M rows (45.3k/s), 12.3 MiB in, 146 flushes, last
 * 0.1 s ago", or "..., no flush yet" before the first; RATE is rows per
 * second. */
void progress_text(const struct progress_counts *c, double rate, double now,
                   char *buf, size_t size);

/* The update at NOW: the text above, its rate over the time since the last
 * update, as it is to be written. On a terminal: a carriage return, the
 * line cut to WIDTH - 1 columns (WIDTH < 2: 80) and an erase to the end of
 * the line, without a newline; otherwise the line and a newline. The next
 * update falls a period after NOW. Returns P's frame. */
const char *progress_update(struct progress *p, const struct progress_counts *c,
                            double now, int width);

/* To write just before a message, so that it starts on a clean line:
 * erase the terminal line, if one is drawn; else "". */
const char *progress_before_message(const struct progress *p);

/* To write just after the message: the terminal line again, else "". */
const char *progress_after_message(const struct progress *p);

/* The summary of a run, without the program's prefix: "run.h5: 10 rows
 * appended in 0.002 s (5.00k rows/s), 21 bytes in, 1 flush, file 4567
 * bytes". Exact counts, for logs and scripts; the rate over the whole run.
 * FILE_BYTES < 0: no file was written, and none is named at the end. */
void progress_summary(const char *file, const struct progress_counts *c,
                      double seconds, int64_t file_bytes, char *buf,
                      size_t size);

/* The last line: SUMMARY with the program's prefix and a newline, over
 * the terminal line if one is drawn (not cut: it is written once). */
void progress_final(struct progress *p, const char *summary, char *buf,
                    size_t size);

#endif
