/* swmr-watch's settings: one struct filled by the command line (argp in
 * src/swmr-watch/main.c) and read by the watcher. The checks on option
 * combinations are a pure function so that they can be unit tested. */
#ifndef SWMR_WATCH_OPTIONS_H
#define SWMR_WATCH_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum watch_format { FORMAT_TEXT, FORMAT_TSV, FORMAT_JSON };

struct watch_options {
    const char *file;             /* the HDF5 file to watch */
    const char **datasets;        /* paths named on the command line */
    size_t ndatasets;             /* 0: every dataset with an unlimited
                                     first dimension */
    enum watch_format format;     /* how each change line is written */
    double interval;              /* seconds between polls (the fallback
                                     when inotify sees nothing) */
    bool poll_only;               /* --poll: no inotify at all */
    double min_interval;          /* seconds: at most one line per dataset
                                     per this long (0: every change) */
    bool values;                  /* --values: print the new rows too */
    char **fields;                /* --fields: the compound members to
                                     print ("pos.x" for nested ones) */
    size_t nfields;
    bool last_set;                /* --last given (it implies --values) */
    uint64_t last;                /* --last: rows already there that the
                                     start line shows (WATCH_LAST_ALL:
                                     every one) */
    bool follow;                  /* survive close, restart, replacement */
    bool wait;                    /* wait for file, dataset, SWMR writer */
    double timeout;               /* seconds without growth before giving
                                     up (0: never) */
    bool until_set;               /* --until given */
    uint64_t until;               /* stop once every dataset has this many
                                     rows */
    uint64_t count;               /* stop after this many change lines
                                     (0: never) */
    bool once;                    /* print the current shapes and exit */
    bool list;                    /* --list: print the datasets that can
                                     grow and exit, watching nothing */
    const char *wait_form;        /* FILE/DATASET before the file exists:
                                     the command that waits for it
                                     ("swmr-watch --wait run.h5 data"),
                                     else NULL */
    const char *watch_option;     /* the first option given that only a
                                     watch uses ("format", no dashes), or
                                     NULL: --list refuses it */
};

/* --last=all: more rows than any dataset has. */
#define WATCH_LAST_ALL UINT64_MAX

/* Everything off, text format, poll every second. */
void watch_options_defaults(struct watch_options *o);

/* "text", "tsv", "json" -> *out; false for anything else. */
bool watch_format_by_name(const char *name, enum watch_format *out);

/* --fields' ARG, "a,b,pos.x", split at the commas into *FIELDS (N of
 * them; free with watch_fields_free). false, with WHY, when a name is
 * empty or memory ran out. */
bool watch_split_fields(const char *arg, char ***fields, size_t *n,
                        char *why, size_t size);
void watch_fields_free(char **fields, size_t n);

/* h5watch's FILE/DATASET in one argument ("run.h5/data", "run.h5/grp/x"):
 * the length of ARG's longest prefix that IS_FILE (called with CTX) says
 * is a regular file and that a dataset path follows, after a '/'. 0 when
 * ARG itself is a regular file, or no prefix is one (a file that does not
 * exist yet splits nothing: under --wait only FILE DATASET is understood). */
size_t watch_split_file_dataset(const char *arg,
                                bool (*is_file)(const char *path, void *ctx),
                                void *ctx);

/* Refuse combinations that cannot mean anything. Returns true when O is
 * usable; otherwise writes a one-line reason into WHY. */
bool watch_options_check(const struct watch_options *o, char *why,
                         size_t size);

/* How many rows already there each start line shows with --values:
 * --last's, else all of them for --once (the values now, as h5dump
 * prints them), else none (as tail -f with -n 0 would: only new rows). */
uint64_t watch_options_last(const struct watch_options *o);

#endif
