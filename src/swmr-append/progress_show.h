/* swmr-append --progress on stderr: the status line of progress.h drawn
 * in place on a terminal (cleared around every other message, through
 * report.h's hook) while swmr-append is the foreground job, or written as
 * whole lines into a file or a pipe; only the summary when the input is
 * typed at that terminal. */
#ifndef SWMR_PROGRESS_SHOW_H
#define SWMR_PROGRESS_SHOW_H

#include "progress.h"

/* Begin at NOW; stderr and the input decide how: a line redrawn in place
 * on a terminal, unless TERM=dumb (whole lines) or INPUT_TERMINAL (the
 * input is read from a terminal, where someone types: only the summary). */
void progress_show_start(double now, bool input_terminal);

/* Has it begun (and not ended)? */
bool progress_show_on(void);

/* Write an update if one is due at NOW. */
void progress_show_tick(const struct progress_counts *c, double now);

/* Seconds from NOW until the next update is due. */
double progress_show_wait(double now);

/* The summary line (progress_summary) in place of the status line; the
 * end of the show. */
void progress_show_end(const char *summary);

#endif
