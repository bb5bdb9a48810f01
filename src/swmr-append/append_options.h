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
    bool dataset_given;
    const char *input;               /* -i PATH; "-" or NULL: standard input */
    const struct value_type *type;   /* -t; float64 by default */
    bool type_given;                 /* -t was given: --append checks it */
    const struct value_type **column_types;  /* -t a,b,...: one per column,
                                        always a compound dataset; or NULL */
    size_t ntypes;
    size_t columns;                  /* --columns; 0: from the first record */
    char **column_names;             /* --columns=NAME,...: COLUMNS names, or
                                        NULL */
    bool header;                     /* first non-comment line names columns */
    bool timestamp;                  /* --timestamp: a leading field "time",
                                        the arrival of each row's line */
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
    bool skip_count_given;           /* --skip-bad=N */
    bool progress;                   /* --progress: a status line on stderr
                                        and a summary at exit, even with
                                        -q */
};

/* The defaults: float64 into "data", flushes within 0.1 s, no compression,
 * ten bad lines reported one by one. */
void append_options_defaults(struct append_options *o);

/* --delimiter: "tab" (or "\t"), "space", or one character that cannot be
 * part of a number. false for anything else. */
bool append_delimiter_by_name(const char *name, char *out);

/* --attr NAME=VALUE into A (NAME and VALUE point into ARG, which is cut at
 * the '='): VALUE typed once, and only where no information is lost: an
 * int64 if VALUE is one written plainly (no sign '+', no leading zeros),
 * a float64 if the double prints back to VALUE's own digits (no digit
 * beyond what it holds, no trailing zero after the point but in "1.0"),
 * else a string. AS_STRING (--attr-string): always a string. false, with a
 * reason in WHY, when ARG is not NAME=VALUE. */
bool append_attr_parse(char *arg, bool as_string, struct attr_spec *a,
                       char *why, size_t size);

/* -t: one type name, or a comma list of them (one per column: a compound
 * dataset). Sets O's type or column_types; false with a reason in WHY. */
bool append_types_parse(const char *arg, struct append_options *o, char *why,
                        size_t size);

/* --columns: a count (all digits), or a comma list of names that also fixes
 * the count. false with a reason in WHY. */
bool append_columns_parse(const char *arg, struct append_options *o,
                          char *why, size_t size);

/* Free what the parsers above allocated. */
void append_options_free(struct append_options *o);

/* Column names that cannot name fields: an empty one, one that is not
 * UTF-8, or one twice. NULL
 * when N NAMES are fine, else the reason (a static buffer). */
const char *columns_names_bad(char *const *names, size_t n);

/* Is S (NUL-terminated) well-formed UTF-8? Names and strings go to the file
 * as UTF-8: h5py cannot read back one that is not. */
bool text_is_utf8(const char *s);

/* Free a NULL-terminated list of strings, and the list. */
void free_list(char **list);

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
