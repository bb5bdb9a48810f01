/* The exit statuses of both tools, one name each (<sysexits.h> values
 * where one fits). What each means for a tool is in its man page's EXIT
 * STATUS; a status neither page lists is never returned. */
#ifndef SWMR_EXIT_STATUS_H
#define SWMR_EXIT_STATUS_H

#include <sysexits.h>

enum exit_status {
    STATUS_OK = 0,
    STATUS_UNTIL_UNMET = 1,             /* swmr-watch: the writer closed the
                                           file before --until or --count
                                           was reached */
    STATUS_UNREADABLE = 2,              /* swmr-watch: new rows could not be
                                           read (--values, no --follow) */
    STATUS_USAGE = EX_USAGE,            /* 64: bad option or argument */
    STATUS_DATAERR = EX_DATAERR,        /* 65: bad input line; not usable HDF5 */
    STATUS_NOINPUT = EX_NOINPUT,        /* 66: input or FILE missing */
    STATUS_UNAVAILABLE = EX_UNAVAILABLE,/* 69: the writer went away (watch) */
    STATUS_OSERR = EX_OSERR,            /* 71: memory, inotify, terminal */
    STATUS_MOVED = EX_OSFILE,           /* 72: FILE moved or removed while
                                           being written */
    STATUS_CANTCREAT = EX_CANTCREAT,    /* 73: FILE or its dataset cannot be
                                           created or appended to as asked */
    STATUS_IOERR = EX_IOERR,            /* 74: a write failed */
    STATUS_TEMPFAIL = EX_TEMPFAIL,      /* 75: another writer has FILE;
                                           swmr-watch's --timeout */
    STATUS_SIGNAL = 128,                /* plus N: stopped by signal N, which
                                           the tool then dies of */
};

/* After cleaning up: die of SIG (default action, unblocked), so that the
 * parent sees what stopped us: a shell's loop stops on Ctrl-C only when its
 * child died of SIGINT. Returns only if SIG does not end a process. */
void exit_status_die_of(int sig);

#endif
