/* Numbers for people: at most three significant digits and a unit prefix,
 * as pv, ls -h and dd's "(1.2 MiB)" show them. Both tools use these:
 * swmr-watch for its rates, swmr-append for --progress. */
#ifndef SWMR_HUMAN_H
#define SWMR_HUMAN_H

#include <stddef.h>
#include <stdint.h>

/* A quantity with an SI prefix: "0", "0.5", "12.5", "999", "1.23k",
 * "45.6M", "7.89G" (up to P); one decimal below 100, none from 100 to 999.
 * Negative values keep their sign; NaN and infinities read "nan", "inf"
 * and "-inf". */
void human_si(double x, char *buf, size_t size);

/* A count: exact below 1000 ("7", "999"), then as human_si ("1.23k"),
 * so that a count never shows a fraction. */
void human_count(uint64_t n, char *buf, size_t size);

/* Bytes: exact and in words below 1000 ("1 byte", "512 bytes"), then with
 * a binary prefix and three significant digits: "0.98 KiB", "12.3 MiB",
 * "1.50 GiB" (up to PiB). */
void human_bytes(uint64_t n, char *buf, size_t size);

#endif
