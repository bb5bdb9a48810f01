/* The pieces swmr-watch's output is made of: a line's facts, time stamps,
 * shapes, rates, values and names as text. Pure functions on plain numbers
 * (no HDF5 calls). Each format puts them together in its own sink
 * (sink.h). */
#ifndef SWMR_WATCH_FORMAT_H
#define SWMR_WATCH_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>   /* struct timespec */

#include "types.h"

enum { WATCH_MAX_RANK = 32 };   /* H5S_MAX_RANK */

/* Why a line is printed. */
enum watch_event {
    EVENT_START,    /* the shape when watching began */
    EVENT_CHANGE,   /* the shape changed */
    EVENT_CLOSE,    /* the writer closed the file: the last line */
    EVENT_REOPEN,   /* --follow: the file was opened again */
};

struct watch_line {
    struct timespec when;         /* CLOCK_REALTIME of the refresh */
    const char *dataset;          /* "/data" */
    int rank;
    const uint64_t *dims;         /* RANK extents */
    uint64_t rows;                /* watch_rows of the shape */
    int64_t delta;                /* change of the rows */
    double rate;                  /* rows per second since the last line */
    enum watch_event event;
};

/* The "rows" of a shape: the product of the dimensions GROWS names (bit
 * K: dimension K; growth.h's growth_dims), UINT64_MAX when it overflows;
 * for GROWS 0, the first dimension (1 for a scalar). */
uint64_t watch_rows(int rank, const uint64_t *dims, uint32_t grows);

/* "start", "change", "close", "reopen". */
const char *watch_event_name(enum watch_event e);

/* Local time with milliseconds and UTC offset,
 * "2026-11-25T14:36:28.123+01:00". */
void watch_time_iso(struct timespec ts, char *buf, size_t size);

/* Local time of day with milliseconds, "14:36:28.123". */
void watch_time_clock(struct timespec ts, char *buf, size_t size);

/* The extents joined by SEP, in brackets when BRACKETS: "[1000, 3]",
 * "1000x3". */
void watch_shape(int rank, const uint64_t *dims, const char *sep,
                 bool brackets, char *buf, size_t size);

/* Rows per second: DELTA over SECONDS; 0 when no time has passed. */
double watch_rate(int64_t delta, double seconds);

/* May a line for a dataset last printed at LAST be printed at NOW, given
 * --min-interval MIN (all seconds)? When not, *WAIT is how long until it
 * may. A dataset never printed (LAST < 0) is always due. */
bool watch_due(double last, double now, double min, double *wait);

/* One value of type T at P: integers exactly, floats in the shortest form
 * that reads back to the same value (shortest.h). false for NaN and
 * infinity, written "nan", "inf", "-inf" (JSON has no such numbers).
 * SIZE: at least 32 (SHORTEST_MAX). */
bool watch_value(const struct value_type *t, const void *p, char *buf,
                 size_t size);

/* The float X of BITS (16, 32 or 64: float16 and float32 values held
 * exactly in a double) as watch_value writes floats: the fewest digits
 * that read back as the same value of that width (float16's 0.1 is "0.1",
 * not float32's "0.099975586"). false for NaN and infinity. SIZE: at
 * least 32. */
bool watch_float_text(double x, int bits, char *buf, size_t size);

/* Width of the dataset column of the text format for NAMES: characters
 * (not bytes) of the names as watch_escape_name shows them. */
int watch_name_width(const char *const *names, size_t n);

/* NAME for the text and TSV formats and the terminal: a backslash and
 * control characters escaped as C does (\t \n \r \\, others \xNN), so
 * that a name can neither break a TSV line nor reach the terminal as an
 * escape sequence. Cut (at a character) to fit SIZE. */
void watch_escape_name(const char *name, char *buf, size_t size);

/* Characters in the UTF-8 string S (its continuation bytes not counted). */
int watch_utf8_chars(const char *s);

#endif
