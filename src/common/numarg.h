/* Checked parsing of numeric option arguments: the whole string must be a
 * number in range, or the caller gets false and reports a usage error. */
#ifndef SWMR_NUMARG_H
#define SWMR_NUMARG_H

#include <stdbool.h>
#include <stdint.h>

/* A decimal count in [min, max]. */
bool numarg_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out);

/* Seconds, fractions allowed ("0.25", "2"), finite and in [min, max]. */
bool numarg_seconds(const char *s, double min, double max, double *out);

#endif
