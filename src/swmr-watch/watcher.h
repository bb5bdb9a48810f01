/* What the watcher's parts share: the state of one watch (struct watcher)
 * and of each dataset in it. open.c (open_*) opens and closes the file,
 * show.c (show_*) hands lines to the sink, watch.c runs the loop and
 * carries out what lifecycle.c decides. Internal to swmr-watch. */
#ifndef SWMR_WATCH_WATCHER_H
#define SWMR_WATCH_WATCHER_H

#include <signal.h>     /* sigset_t */
#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>   /* struct stat */

#include "lifecycle.h"
#include "pace.h"
#include "probe.h"
#include "superblock.h"
#include "sink.h"
#include "wake.h"
#include "watch_format.h"
#include "watch_h5.h"
#include "watch_options.h"

struct tracked {
    char *name;                  /* absolute path, "/data" */
    struct watch_dset d;         /* id < 0 while the file is closed */
    bool shown;                  /* a line has been printed */
    int shown_rank;
    uint64_t shown_dims[WATCH_MAX_RANK];   /* shape in the last line */
    double shown_at;             /* when (monotonic) */
    bool pending;                /* changed, held back by --min-interval */
    uint64_t values_dims[WATCH_MAX_RANK];  /* the extent whose values are
                                   shown (or history): cells outside it
                                   are new */
    bool values_said;            /* "values not shown" said once */
    bool fields_said;            /* "--fields does not apply" said */
    bool names_shown;            /* the fields line of its values printed
                                    (since the dataset was opened) */
    bool missing_said;           /* "not in this file" said, not back yet */
    bool base_set;               /* --wait: its rows when we started */
    uint64_t base_rows;
};

/* T's rows now (watch_rows of its extent). */
static inline uint64_t tracked_rows(const struct tracked *t)
{
    return watch_rows(t->d.rank, t->d.dims, t->d.grows);
}

struct watcher {
    const struct watch_options *o;
    struct wake wake;
    sigset_t ours;               /* the signals we catch */
    sigset_t unblocked;          /* the signal mask while waiting */
    int fd;                      /* the file for the superblock, or -1 */
    dev_t dev;                   /* which file fd and `file` are */
    ino_t ino;
    hid_t file;                  /* the SWMR reader, or -1 */
    struct watch_facts facts;    /* the last probe of the file */
    double writer_asked_at;      /* monotonic: the kernel last asked */
    struct tracked *ds;
    size_t nds;
    enum watch_phase phase;      /* changed only by watch_advance */
    bool waited;                 /* --wait had to wait: every row is new */
    bool based;                  /* --wait: the file as it was at the start
                                    is known (base_dev, base_ino, base_rows):
                                    only growth beyond it is a writer's */
    dev_t base_dev;
    ino_t base_ino;
    bool provisional;            /* opened without a writer, only to see
                                    whether --until is met already */
    struct stat seen;            /* the file when we last let go of it */
    bool seen_exists;
    int pin_fd;                  /* that file (or the one --wait noted),
                                    held open until another is shown, or
                                    -1: ext4 gives a removed file's inode
                                    number to the next file made, but not
                                    a number still in use, so dev and ino
                                    tell a new file from it */
    bool renewed;                /* while pinned, the name was seen missing,
                                    empty or smaller: what opens next is a
                                    new file whatever its inode (h5py's
                                    "w" empties the same one) */
    bool skips_said;             /* datasets the search passed over were
                                    named (once a run) */
    bool h5_refused;             /* the last open failed in HDF5 on a file
                                    that looked ready (open.c) */
    double retry_in;             /* so try again this soon, doubling (0:
                                    at the next wake-up) */
    struct sink *sink;           /* where lines go (sink.h) */
    uint64_t lines;              /* change lines so far (--count) */
    uint64_t refreshes;          /* rounds that refreshed the datasets
                                    (said at exit under --debug) */
    struct pace pace;            /* how soon the next round may start */
    uint64_t holds;              /* waits for the pace (--debug) */
    double cpu_waited;           /* cpu_wait_seconds() after the last round */
    double last_growth;          /* monotonic (--timeout) */
    double failing_since;        /* refresh failing since (<0: it works) */
    char why[1024];              /* why the file could not be used */
    const char *wait_remedy;     /* and what --wait would wait for ("for
                                    it to appear"), or NULL: waiting would
                                    not help */
    bool why_notice;             /* a reason --wait says without -v (a
                                    killed writer's file) */
    char said[1024];             /* the last "waiting" reason reported */
    unsigned char *values;       /* a block of rows for --values */
    size_t values_size;
    bool unreadable;             /* --values: rows could not be read (the
                                    run ends, unless --follow) */
    char unread[1536];           /* which, and why: the message */
};

enum open_result { OPEN_OK, OPEN_WAIT, OPEN_FAIL };

/* ---- watch.c ---- */

/* H happened: move to the phase lifecycle.c says (--debug says so). */
void watch_advance(struct watcher *w, enum watch_happening h);

/* ---- open.c ---- */

/* Open the file and the datasets. OPEN_WAIT: not there yet (worth waiting
 * for with --wait or --follow); OPEN_FAIL: never will be. Either way
 * w->why says why and *STATUS is the exit status if we give up.
 * NEED_WRITER: only a file a SWMR writer has open will do (or one a writer
 * changed and closed since let_go). */
enum open_result open_file(struct watcher *w, bool need_writer, int *status);

/* Why the file at PATH is not ready (watch_readiness's WHY, from the
 * facts F), in words, into BUF: "cannot open run.h5: No such file or
 * directory". Empty for WHY_NONE. */
void open_why(const char *path, const struct watch_facts *f,
              enum ready_reason why, char *buf, size_t size);

/* Close the datasets, the file and our descriptor of it. */
void open_close(struct watcher *w);

/* Note how the file looks now, then close it (keeping it pinned): a later
 * writer shows itself by changing it, a new file by another inode. */
void open_let_go(struct watcher *w);

/* Close the pinned file: another file is shown, or we are done. */
void open_unpin(struct watcher *w);

/* ---- show.c ---- */

/* Print T's line for EVENT (with its new rows for --values, or in the
 * live view) and remember what it showed. */
void show_line(struct watcher *w, struct tracked *t, enum watch_event event,
          double now);

/* Does T's shape equal the one in its last line? */
bool show_same_shape(const struct tracked *t);

/* Print the lines --min-interval held back (all of them when FORCE). */
void show_pending(struct watcher *w, double now, bool force);

#endif
