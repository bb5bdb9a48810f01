/* swmr-watch's decisions about the file and its writer, apart from the
 * work: the facts a probe gathers (file, superblock, writer presence) go
 * in, what to do next comes out. Pure, so that every transition the man
 * page promises (--wait, --follow through a close, a killed writer, a
 * replaced file, the --until/--count/--timeout endings) has a fast unit
 * test; watch.c and open.c carry the verdicts out.
 *
 * The phase of a watch (enum watch_phase) changes in one place,
 * watch_next_phase, on what happened (enum watch_happening); watch.c keeps
 * the phase and hands every happening to it. The diagram is in the man
 * page's terms:
 *
 *   STARTING   never shown: opening, or waiting for the file, for HDF5,
 *              for a SWMR writer (--wait)
 *       SHOWN -> WATCHING;  END (not ready, --timeout, a signal) -> DONE
 *   WATCHING   open, a line printed for each change
 *       WRITER_CLOSED -> WRITER_CLOSED (--follow: close lines printed,
 *                        the file let go until the next writer)
 *       WRITER_GONE   -> WRITER_GONE (--follow: killed; said once)
 *       MOVED         -> REPLACED (--follow: removed, or a new file)
 *       REFRESH_LOST  -> RECONNECTING (a refresh failed, and so did
 *                        opening the file again)
 *       END           -> DONE (writer closed: 0, or 1 short of --until;
 *                        writer gone: 69; removed or replaced: 66;
 *                        --until, --count, --once: 0; --timeout: 75; a
 *                        signal)
 *   WRITER_CLOSED, REPLACED, RECONNECTING
 *       SHOWN -> WATCHING (a reopen line; after RECONNECTING only the
 *                changes, after REPLACED every row is new)
 *   WRITER_GONE  waiting for a file that changed since; a writer that
 *                opens it and goes away again is not said again
 *       SHOWN -> WRITER_GONE;  CHANGE (a change line) -> WATCHING;
 *       WRITER_CLOSED -> WRITER_CLOSED;  MOVED -> REPLACED and
 *       REFRESH_LOST -> RECONNECTING (a new file, or a reconnection, starts
 *       the writer's story afresh: a later "went away" is said again)
 *   DONE       the end: nothing moves it
 *
 * Beside the phase, two facts about the start stay: whether --wait noted
 * the file as it was (its rows are not a writer's) and whether it had to
 * wait (every row then is new).
 */
#ifndef SWMR_WATCH_LIFECYCLE_H
#define SWMR_WATCH_LIFECYCLE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>     /* mode_t */

#include "file_users.h"    /* enum writer_presence */
#include "superblock.h"    /* enum sb_status */
#include "watch_options.h"

/* What a probe of FILE found, without HDF5. */
struct watch_facts {
    int open_errno;            /* 0: opened; else why not (ENOENT: absent) */
    mode_t not_regular;        /* FILE's type (S_IFDIR, S_IFIFO, S_IFCHR,
                                  S_IFBLK, S_IFSOCK) when it is not a
                                  regular file, else 0 */
    enum sb_status sb;         /* the rest only when opened */
    unsigned sb_version;
    unsigned flags;            /* superblock flags, when sb == SB_OK; read
                                  again after asking the kernel, so that a
                                  close in between reads as a close */
    bool writer_asked;         /* writer was asked of the kernel */
    enum writer_presence writer;
    bool changed_since_seen;   /* another file, or written, since we last
                                  let go of it (true when never seen) */
};

/* ---- Phases ---- */

enum watch_phase {
    PHASE_STARTING,
    PHASE_WATCHING,
    PHASE_RECONNECTING,
    PHASE_WRITER_CLOSED,
    PHASE_WRITER_GONE,
    PHASE_REPLACED,
    PHASE_DONE,
};

enum watch_happening {
    HAPPEN_NOTHING,
    HAPPEN_SHOWN,          /* the file was opened and its lines printed */
    HAPPEN_CHANGE,         /* a change line was printed */
    HAPPEN_REFRESH_LOST,   /* a refresh failed; opening again failed too */
    HAPPEN_WRITER_CLOSED,  /* --follow: closed, let go until the next */
    HAPPEN_WRITER_GONE,    /* --follow: went away, let go until news */
    HAPPEN_MOVED,          /* --follow: removed or replaced */
    HAPPEN_END,            /* the run ends */
};

/* The phase after H happened in phase P. */
enum watch_phase watch_next_phase(enum watch_phase p, enum watch_happening h);

/* "starting", "watching", ... for --debug and the tests. */
const char *watch_phase_name(enum watch_phase p);

/* ---- Is the file ready to open? ---- */

enum readiness {
    READY,               /* open it */
    READY_PROVISIONAL,   /* no writer, but --until may be met already:
                            open it only to look */
    NOT_YET,             /* wait (if waiting is allowed) */
    NEVER,               /* it will not be: give up */
};

enum ready_reason {
    WHY_NONE,
    WHY_CANNOT_OPEN,     /* open_errno */
    WHY_NOT_REGULAR,     /* a directory, FIFO, device or socket */
    WHY_EMPTY,           /* being created: not HDF5 yet */
    WHY_NOT_HDF5,
    WHY_TOO_OLD,         /* sb_version < 3 */
    WHY_NOT_SWMR_YET,    /* open for writing, not in SWMR mode */
    WHY_NO_NEW_WRITER,   /* the writer went away and nothing changed since */
    WHY_NO_WRITER,       /* no SWMR writer has it open */
};

struct ready_verdict {
    enum readiness readiness;
    enum ready_reason why;
    int status;          /* the exit status if we give up */
};

/* NEED_WRITER: only a file a SWMR writer has open will do (--wait at the
 * start, --follow after a close). VANISH_SAID: we said the last writer
 * went away (PHASE_WRITER_GONE). */
struct ready_verdict watch_readiness(const struct watch_facts *f,
                                     bool need_writer, bool vanish_said,
                                     bool until_set);

/* ---- The writer ---- */

enum writer_state { WRITER_ON, WRITER_CLOSED, WRITER_VANISHED };

/* What became of the writer, from the facts. CLOSE_SEEN: inotify reported a
 * writer's close, which with the flags still set and the kernel unable to
 * say means a killed writer (another user's file, NFS). */
enum writer_state watch_writer_state(const struct watch_facts *f,
                                     bool close_seen);

/* ---- Verdicts while watching ---- */

enum next_step {
    STEP_GO_ON,      /* keep watching */
    STEP_LET_GO,     /* close the file, wait for the next writer (--follow) */
    STEP_END,        /* exit with .status */
};

/* What to say, as bits: a verdict may say two things, in this order. */
enum watch_notice {
    NOTICE_NO_WRITER = 1 << 0,     /* "no writer has FILE open: nothing more
                                      to watch" */
    NOTICE_UNTIL_UNMET = 1 << 1,   /* error: closed before --until */
    NOTICE_CLOSED_SHORT = 1 << 6,  /* error: closed when we came, short of
                                      --until */
    NOTICE_WRITER_GONE = 1 << 2,   /* --follow: went away, waiting */
    NOTICE_VANISHED = 1 << 3,      /* error: went away (killed?) */
    NOTICE_REMOVED = 1 << 4,       /* error, or with --follow a notice */
    NOTICE_REPLACED = 1 << 5,
    NOTICE_COUNT_UNMET = 1 << 7,   /* error: closed before --count */
    NOTICE_CLOSED_COUNT = 1 << 8,  /* error: closed when we came, so no
                                      --count lines can come */
};

struct verdict {
    enum next_step step;
    int status;                /* STEP_END: the exit status */
    bool emit_close;           /* print a close line for every dataset */
    unsigned notices;          /* enum watch_notice bits: what to say */
    const char *header;        /* the live view's header (NULL: unchanged) */
    enum watch_happening happened;   /* for watch_next_phase */
};

/* The writer is not on (STATE != WRITER_ON): its last rows are shown, and
 * GOAL_REACHED says whether --until or --count is met now (watch_ending).
 * AT_OPEN: the file was just opened (no writer then is no close). PHASE:
 * the watch's phase, which says whether "went away" was said already. A
 * close short of --until or --count is status 1, as neither can be met. */
struct verdict watch_on_writer(const struct watch_options *o,
                               enum writer_state state, bool at_open,
                               bool goal_reached, enum watch_phase phase);

/* The name no longer holds the file we watch: GONE (removed) or replaced. */
struct verdict watch_on_moved(const struct watch_options *o, bool gone);

/* ---- Opening ---- */

enum open_verdict {
    OPENED_SHOW,            /* print where each dataset stands: watching */
    OPENED_NOT_YET,         /* --until not met without a writer: close it,
                               and wait for a writer (-v says why) */
    OPENED_NO_WRITER_YET,   /* --wait: only a writer getting ready touched
                               it; let go, and wait for the writer itself */
    OPENED_LET_GO,          /* close it again quietly, until it changes */
};

struct open_facts {
    bool provisional;      /* opened only to see whether --until is met */
    bool until_reached;
    bool reopen;           /* opened before, in this run */
    bool based;            /* --wait noted the file as it was at the start */
    bool grew_since_base;  /* ... and it grew (or was replaced) since */
    bool news;             /* a new file, or a shape unlike the last shown */
    bool vanish_said;
    enum writer_state state;
};

enum open_verdict watch_on_open(const struct open_facts *f);

/* The live view's header once the file is shown in STATE. */
const char *watch_state_header(enum writer_state state);

/* ---- Endings by count and clock ---- */

/* --until, --count: the status to end with now, or -1 to go on. */
int watch_ending(const struct watch_options *o, bool until_reached,
                 uint64_t lines);

/* --timeout: has it expired at NOW, with the last growth at LAST_GROWTH
 * (monotonic seconds)? */
bool watch_timed_out(const struct watch_options *o, double now,
                     double last_growth);

#endif
