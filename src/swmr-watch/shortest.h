/* The shortest decimal text of a binary float: the fewest significant
 * digits that read back as the same value of its own width, closest to the
 * exact value when several have that many. Computed directly (Ryu's
 * method: the interval of values that round to it, scaled by powers of 5
 * held to 125 bits), not by printing and reading back. */
#ifndef SWMR_WATCH_SHORTEST_H
#define SWMR_WATCH_SHORTEST_H

#include <stddef.h>

enum float_width { FLOAT16 = 16, FLOAT32 = 32, FLOAT64 = 64 };

/* Room shortest_text needs: "-2.2250738585072014e-308" and a NUL. */
enum { SHORTEST_MAX = 32 };

/* X, a value of WIDTH (float16 and float32 values are held exactly in a
 * double), into BUF (SHORTEST_MAX bytes) as Python's repr writes it:
 * positional from 1e-4 up to 1e16 ("23670", "0.001", "-0"), scientific
 * outside ("1e+300", "2.5e-05"); "nan", "inf", "-inf". Returns its
 * length. */
size_t shortest_text(double x, enum float_width width, char *buf);

#endif
