/* The watcher: opens the file as a SWMR reader, waits for changes, prints
 * a line per change, and decides when to stop. Knows nothing of argv. */
#ifndef SWMR_WATCH_WATCH_H
#define SWMR_WATCH_WATCH_H

#include "watch_options.h"

/* Watch as O says until a reason to stop; returns the exit status
 * (enum watch_exit). */
int watch_run(const struct watch_options *o);

#endif
