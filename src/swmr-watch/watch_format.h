/* swmr-watch's output lines: time stamps, shapes, rates and values written
 * as text, TSV or JSON. Pure functions on plain numbers (no HDF5 calls), so
 * the unit tests can pin every format down. */
#ifndef SWMR_WATCH_FORMAT_H
#define SWMR_WATCH_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>  /* FILE */
#include <time.h>   /* struct timespec */

#include "types.h"
#include "watch_options.h"

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
    int64_t delta;                /* change of the first dimension */
    double rate;                  /* rows per second since the last line */
    enum watch_event event;
};

/* The "rows" of a shape: its first dimension (1 for a scalar). */
uint64_t watch_rows(int rank, const uint64_t *dims);

/* "start", "change", "close", "reopen". */
const char *watch_event_name(enum watch_event e);

/* Local time with milliseconds and UTC offset,
 * "2026-11-25T14:36:28.123+01:00". */
void watch_time_iso(struct timespec ts, char *buf, size_t size);

/* Local time of day with milliseconds, "14:36:28.123". */
void watch_time_clock(struct timespec ts, char *buf, size_t size);

/* "[1000, 3]" (text), "1000x3" (TSV), "[1000,3]" (JSON). */
void watch_shape(enum watch_format f, int rank, const uint64_t *dims,
                 char *buf, size_t size);

/* Rows per second: DELTA over SECONDS; 0 when no time has passed. */
double watch_rate(int64_t delta, double seconds);

/* A rate for people: "0", "12.5", "999", "1.23k", "45.6M", "7.89G". */
void watch_rate_human(double rate, char *buf, size_t size);

/* May a line for a dataset last printed at LAST be printed at NOW, given
 * --min-interval MIN (all seconds)? When not, *WAIT is how long until it
 * may. A dataset never printed (LAST < 0) is always due. */
bool watch_due(double last, double now, double min, double *wait);

/* One value of type T at P: integers exactly, floats in the shortest form
 * that reads back to the same value. JSON gets null for NaN and infinity
 * (JSON has no such numbers); text gets "nan", "inf", "-inf". */
void watch_value(const struct value_type *t, const void *p, bool json,
                 char *buf, size_t size);

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

/* The TSV header line, with its newline. */
const char *watch_tsv_header(void);

/* Bytes a buffer needs for watch_line_format of L with NAME_WIDTH, however
 * long (or full of bytes to escape) its dataset's name. */
size_t watch_line_size(const struct watch_line *l, int name_width);

/* A whole line (TSV, text) or, for JSON, the object without its closing
 * brace so that a "values" member can follow: finish it with
 * watch_line_end. NAME_WIDTH pads the text format's dataset column. */
void watch_line_format(enum watch_format f, const struct watch_line *l,
                       int name_width, char *buf, size_t size);

/* "}\n" for JSON, "" otherwise (the text and TSV lines are complete). */
const char *watch_line_end(enum watch_format f);

/* --values, where no rows follow a line: NONE_SHOWN, the dataset's rows
 * cannot be printed (JSON: "values":null); else the rows before a start
 * line are history (JSON: "values":[]). Nothing for text and TSV. */
void watch_values_none(FILE *out, enum watch_format f, bool none_shown);

/* New rows, written to OUT as they are read, in bounded blocks:
 * text and TSV: one line per row, "  INDEX: v v v" (text) or
 * "\tINDEX\tv\tv" (TSV); JSON: the members of a "values" array, each row a
 * number (1-D) or an array of ROWLEN numbers. Call watch_values_begin,
 * then watch_values_rows for each block (FIRST is the index of its first
 * row), then watch_values_end. */
struct watch_values {
    FILE *out;
    enum watch_format format;
    const struct value_type *type;
    size_t rowlen;     /* values per row: the product of dims[1..] */
    bool nested;       /* rank > 1: each row is an array in JSON */
    size_t written;    /* rows written so far */
};
void watch_values_begin(struct watch_values *v, FILE *out, enum watch_format f,
                        const struct value_type *t, int rank,
                        const uint64_t *dims);
void watch_values_rows(struct watch_values *v, uint64_t first, size_t nrows,
                       const void *data);
void watch_values_end(struct watch_values *v);

#endif
