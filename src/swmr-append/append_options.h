/* swmr-append's settings: one struct filled by the command line (argp in
 * main.c) and read by append.c. Turning option values into settings and
 * refusing combinations that cannot mean anything are pure functions, so
 * that they can be unit tested. */
#ifndef SWMR_APPEND_OPTIONS_H
#define SWMR_APPEND_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "h5writer.h"   /* struct attr_spec */
#include "types.h"

struct append_options {
    const char *file;                /* FILE */
    const char *dataset;             /* DATASET, "data" by default */
    const char *input;               /* -i PATH; "-" or NULL: standard input */
    const struct value_type *type;   /* -t; float64 by default */
    bool type_given;                 /* -t was given: --append checks it */
    size_t columns;                  /* --columns; 0: from the first record */
    bool header;                     /* first non-comment line names columns */
    char delimiter;                  /* --delimiter; 0: whitespace or commas */
    bool delimiter_given;
    bool binary;                     /* --input-format=binary: packed
                                        little-endian rows of -t */
    double flush_interval;           /* seconds a row may wait for readers */
    bool flush_interval_given;       /* else 1 s for a compressed dataset */
    uint64_t flush_rows;             /* flush when this many are pending; 0: a chunk */
    uint64_t chunk_rows;             /* rows per chunk; 0: about 64 KiB */
    int compress;                    /* deflate level, -1: none */
    struct attr_spec *attrs;         /* --attr NAME=VALUE, in order */
    size_t nattrs;
    bool append;                     /* continue an existing dataset */
    bool force;                      /* replace an existing file */
    bool skip_bad;                   /* report bad lines and go on */
    unsigned skip_report_limit;      /* bad lines reported one by one */
};

/* The defaults: float64 into "data", flushes within 0.1 s, no compression,
 * ten bad lines reported one by one. */
void append_options_defaults(struct append_options *o);

/* --delimiter: "tab" (or "\t"), "space", or one character that cannot be
 * part of a number. false for anything else. */
bool append_delimiter_by_name(const char *name, char *out);

/* --attr NAME=VALUE into A (NAME and VALUE point into ARG, which is cut at
 * the '='): VALUE typed once, an int64 if it is an integer in range, else a
 * float64 if it is a number, else a string. false, with a reason in WHY,
 * when ARG is not NAME=VALUE. */
bool append_attr_parse(char *arg, struct attr_spec *a, char *why, size_t size);

/* --input-format: "text" or "binary" into *BINARY; false for anything
 * else. */
bool append_input_format_by_name(const char *name, bool *binary);

/* "data", "/grid/xyz": names separated by single slashes, none of them
 * "." or "..", not ending in a slash. */
bool append_dataset_name_ok(const char *name);

/* Refuse combinations that cannot mean anything. Returns true when O is
 * usable; otherwise writes a one-line reason into WHY. */
bool append_options_check(const struct append_options *o, char *why,
                          size_t size);

#endif
