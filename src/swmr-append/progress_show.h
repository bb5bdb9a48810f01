/* swmr-append --progress on stderr: the status line of progress.h drawn
 * in place on a terminal (cleared around every other message, through
 * report.h's hook) or written as whole lines into a file or a pipe. */
#ifndef SWMR_PROGRESS_SHOW_H
#define SWMR_PROGRESS_SHOW_H

#include "progress.h"

/* Begin at NOW; stderr decides how (a terminal, unless TERM=dumb). */
void progress_show_start(double now);

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
