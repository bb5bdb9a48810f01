/* The terminal live view: one line per dataset, redrawn in place, with
 * rows, rate and a sparkline of recent growth, and a header naming the
 * file and its writer's state. Used only when stdout is a terminal and the
 * format is text; pipes get plain lines. */
#ifndef SWMR_WATCH_VIEW_H
#define SWMR_WATCH_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>   /* FILE */

#include "watch_spark.h"

struct view_row {
    const char *name;           /* "/data" */
    int rank;
    const uint64_t *dims;
    uint64_t rows;              /* watch_rows of the shape */
    struct watch_spark spark;   /* rows added per half second */
    double since;               /* first seen (monotonic; < 0: not yet):
                                   the rate is over no more time than this */
};

struct view {
    FILE *out;
    bool color;          /* escape sequences for bold and colour */
    int drawn;           /* lines on screen from the last draw */
    double last_draw;    /* monotonic seconds, < 0 before the first */
};

/* Half-second buckets: ten seconds of history in the sparkline. */
#define VIEW_BUCKET 0.5
/* Redraw at most this often, however fast the file grows. */
#define VIEW_MIN_REDRAW 0.1

void view_init(struct view *v, FILE *out, bool color);

/* Redraw the header STATE ("writer active", ...) and ROWS at NOW
 * (monotonic seconds), in place of the previous draw. */
void view_draw(struct view *v, const char *file, const char *state,
               struct view_row *rows, size_t n, double now);

/* Is any sparkline still showing recent growth (so the view should be
 * redrawn as time passes)? */
bool view_busy(const struct view_row *rows, size_t n);

/* Take the last draw off the screen, the cursor where it began (to print a
 * message there: the next draw comes below it). */
void view_erase(struct view *v);

/* Leave the last draw on screen; the cursor ends below it. */
void view_finish(struct view *v);

#endif
