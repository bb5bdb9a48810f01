/* swmr-watch's settings: one struct filled by the command line (argp in
 * src/swmr-watch/main.c) and read by the watcher. The checks on option
 * combinations are a pure function so that they can be unit tested. */
#ifndef SWMR_WATCH_OPTIONS_H
#define SWMR_WATCH_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum watch_format { FORMAT_TEXT, FORMAT_TSV, FORMAT_JSON };

/* Exit statuses (<sysexits.h> where one fits); the man page lists each. */
enum watch_exit {
    WATCH_EXIT_OK = 0,          /* clean close, --until, --count, --once */
    WATCH_EXIT_USAGE = 64,      /* EX_USAGE: bad option or argument */
    WATCH_EXIT_DATA = 65,       /* EX_DATAERR: not HDF5, not v110, no such
                                   dataset, dataset that cannot grow */
    WATCH_EXIT_NOINPUT = 66,    /* EX_NOINPUT: file missing or unreadable,
                                   or removed while watched */
    WATCH_EXIT_VANISHED = 69,   /* EX_UNAVAILABLE: writer gone without
                                   closing the file (killed, crashed) */
    WATCH_EXIT_OSERR = 71,      /* EX_OSERR: inotify, memory, terminal */
    WATCH_EXIT_IOERR = 74,      /* EX_IOERR: cannot write to stdout */
    WATCH_EXIT_TIMEOUT = 75,    /* EX_TEMPFAIL: --timeout without growth */
    WATCH_EXIT_SIGNAL = 128,    /* plus the signal number: SIGINT -> 130 */
};

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
};

/* Everything off, text format, poll every second. */
void watch_options_defaults(struct watch_options *o);

/* "text", "tsv", "json" -> *out; false for anything else. */
bool watch_format_by_name(const char *name, enum watch_format *out);

/* Refuse combinations that cannot mean anything. Returns true when O is
 * usable; otherwise writes a one-line reason into WHY. */
bool watch_options_check(const struct watch_options *o, char *why,
                         size_t size);

#endif
