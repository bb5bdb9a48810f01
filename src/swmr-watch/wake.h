/* Waiting for something to happen to the watched file: inotify on the file
 * and on its directory, with a timeout that doubles as the poll fallback.
 * Signals interrupt the wait (ppoll with the caller's signal mask). */
#ifndef SWMR_WATCH_WAKE_H
#define SWMR_WATCH_WAKE_H

#include <signal.h>  /* sigset_t */
#include <stdbool.h>

enum wake_what {
    WAKE_MODIFIED = 1 << 0,   /* the file was written */
    WAKE_CLOSED = 1 << 1,     /* a writer closed the file (or was killed) */
    WAKE_MOVED = 1 << 2,      /* the name may now point elsewhere: unlinked,
                                 renamed, replaced, or created */
    WAKE_INTERRUPTED = 1 << 3,/* a signal arrived */
    WAKE_OUT_GONE = 1 << 4,   /* out_fd's reader went away (a pipe) */
    WAKE_LOST = 1 << 5,       /* inotify's queue overflowed: events were
                                 lost, a writer's close perhaps */
};

struct wake {
    int fd;            /* inotify descriptor, -1 with --poll */
    int file_wd;       /* watch on the file, -1 when none */
    int dir_wd;        /* watch on its directory, -1 when none */
    const char *path;  /* the watched file */
    char *base;        /* its last path component */
    int inotify_errno; /* why there is no inotify (polling only), or 0 */
    int out_fd;        /* our output, when a pipe whose reader may leave;
                          else -1 */
};

/* Set up for PATH; POLL_ONLY leaves inotify out. Without inotify (no
 * instance left, say) it polls only, with the reason in inotify_errno.
 * false only when out of memory. */
bool wake_init(struct wake *w, const char *path, bool poll_only);

/* (Re-)attach the watch on the file itself: after it appeared or was
 * replaced. Quietly does nothing while the file is missing. */
void wake_watch_file(struct wake *w);

/* Wait at most SECONDS (< 0: forever) with signals unblocked as in MASK.
 * Returns the WAKE_* bits seen; 0 means the time ran out. */
unsigned wake_wait(struct wake *w, double seconds, const sigset_t *mask);

/* Has anything happened to the file since the last wait? (Without
 * inotify, never.) */
bool wake_pending(const struct wake *w);

/* Sleep SECONDS while the file is written, for a watcher that is behind
 * (pace.h): ended early by a signal (unblocked as in MASK), out_fd's
 * reader leaving, or anything but a write happening to the file (seen
 * within 10 ms). The WAKE_* bits of what happened meanwhile. */
unsigned wake_hold(struct wake *w, double seconds, const sigset_t *mask);

void wake_close(struct wake *w);

#endif
