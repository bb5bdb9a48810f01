/* swmr-append's options and its one entry point. main.c fills the options
 * from the command line; append.c does the work and knows nothing of argv. */
#ifndef SWMR_APPEND_H
#define SWMR_APPEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "h5writer.h"
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
    double flush_interval;           /* seconds a row may wait for readers */
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

/* Run swmr-append; returns the exit status (exit_status.h). A fatal signal
 * is re-raised after the file is closed, so callers never see it return. */
int append_run(const struct append_options *opt);

#endif
