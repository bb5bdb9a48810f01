/* swmr-append --progress: what its status line says, and when.
 *
 * swmr-append is silent while it works; pv, dd status=progress and rsync
 * --info=progress2 show a transfer as it goes. The line gives rows taken,
 * their rate, bytes read, flushes and how long ago the last one was: the
 * answer to "is my logger alive?". On a terminal it is redrawn in place
 * twice a second; into a file or a pipe (a log) a whole line goes out every
 * 5 seconds, often enough to date a stall and rarely enough for a day's
 * log to stay short (17,280 lines). When the input is typed at the
 * terminal, a line redrawn there would wipe what is being typed: only the
 * summary. At exit the summary line takes the status line's place,
 * whatever ended the run.
 *
 * Pure: the caller reads the clock, the counters and whether it is the
 * terminal's foreground job, and writes the text these functions make to
 * stderr (progress_show.c does). Times are seconds on one monotonic
 * clock. */
#ifndef SWMR_PROGRESS_H
#define SWMR_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Seconds between updates on a terminal, and into a file or a pipe. */
#define PROGRESS_TERMINAL_PERIOD 0.5
#define PROGRESS_LOG_PERIOD 5.0

/* The rate is that of the last 5 seconds (of the run so far, in its first
 * 5): a producer of a row a second reads 1.0/s at every update, where the
 * rate of each half second since the last update read 2 and 0 by turns.
 * A stall reads 0/s 5 seconds after the last row. */
#define PROGRESS_RATE_WINDOW 5.0

/* Updates remembered for the rate: the window's 10 or 11 on a terminal,
 * with room for some that came closer together after a late one (when
 * full, the oldest goes: the window is then a little shorter). */
enum { PROGRESS_SAMPLES = 16 };

/* A running line is about 80 characters: room for a long program name. */
enum { PROGRESS_FRAME_MAX = 256 };

enum progress_mode {
    PROGRESS_IN_PLACE,    /* a terminal: one line redrawn in place */
    PROGRESS_LINES,       /* a file, a pipe, TERM=dumb: whole lines */
    PROGRESS_SUMMARY,     /* the input is typed at the terminal: no
                             update, only the summary at exit */
};

struct progress_counts {
    uint64_t rows;        /* rows taken by this run, flushed or not */
    uint64_t bytes;       /* bytes read from the input */
    uint64_t flushes;
    double last_flush;    /* when the last flush was; < 0: none yet */
};

/* Rows taken by a moment: the rate is between two of them. */
struct progress_sample {
    double at;
    uint64_t rows;
};

struct progress {
    enum progress_mode mode;
    const char *program;  /* the prefix of every line */
    double period;        /* between updates */
    double next;          /* when the next update is due */
    /* The start and the updates since, oldest first from FIRST (a ring):
     * the rate is since the oldest one in the window. */
    struct progress_sample samples[PROGRESS_SAMPLES];
    unsigned first, count;
    bool background;      /* not the terminal's foreground job: draw
                             nothing (progress_set_foreground) */
    bool drawn;           /* terminal: FRAME is under the cursor,
                             unfinished */
    char frame[PROGRESS_FRAME_MAX];   /* the last update, as written */
};

/* Start at NOW. A terminal gets its line at once (progress_due is true),
 * so that it shows before the first row; a log its first line a period
 * later; PROGRESS_SUMMARY no update ever. */
void progress_start(struct progress *p, enum progress_mode mode,
                    const char *program, double now);

/* Is an update due at NOW? */
bool progress_due(const struct progress *p, double now);

/* Seconds from NOW until the next update is due (0 when it is; < 0:
 * never, PROGRESS_SUMMARY). */
double progress_wait(const struct progress *p, double now);

/* Whether swmr-append is its terminal's foreground job (always true into a
 * file or a pipe). In the background (started with &, or ^Z then bg) the
 * screen is the shell's and its other jobs': updates write nothing (their
 * rows still count for the rate), messages are not wrapped in an erase and
 * a redraw, and the line drawn before is forgotten, for the shell has moved
 * the cursor since. Back in the foreground, the next update draws a fresh
 * line. */
void progress_set_foreground(struct progress *p, bool foreground);

/* The running text: "1.20M rows (45.3k/s), 12.3 MiB in, 146 flushes, last
 * 0.1 s ago", or "..., no flush yet" before the first; RATE is rows per
 * second. */
void progress_text(const struct progress_counts *c, double rate, double now,
                   char *buf, size_t size);

/* The update at NOW: the text above, its rate over the window
 * (PROGRESS_RATE_WINDOW), as it is to be written. On a terminal: a
 * carriage return, the line cut to WIDTH - 1 columns (WIDTH < 2: 80) and
 * an erase to the end of the line, without a newline; otherwise the line
 * and a newline; in the background, "". The next update falls a period
 * after NOW. */
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
 * the terminal line if one is drawn (not cut: it is written once); also
 * in the background and with PROGRESS_SUMMARY. */
void progress_final(struct progress *p, const char *summary, char *buf,
                    size_t size);

#endif
