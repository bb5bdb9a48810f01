/* Seconds on CLOCK_MONOTONIC: for intervals and deadlines, never dates. */
#ifndef SWMR_MONOTONIC_H
#define SWMR_MONOTONIC_H

double monotonic_seconds(void);

#endif
