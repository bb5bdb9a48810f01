#include "watch.h"
#include "monotonic.h"
#include "exit_status.h"
#include "watcher.h"
#include "h5err.h"
#include "report.h"
#include "file_users.h"

#include <errno.h>     /* errno */
#include <signal.h>    /* sigaction, sigprocmask */
#include <stdio.h>     /* stdout, setvbuf */
#include <stdlib.h>    /* free, getenv */
#include <string.h>    /* strerror, strcmp */
#include <sys/stat.h>  /* stat: is it still the same file? */
#include <unistd.h>    /* isatty */

/* When a failed refresh could not open the file again either, try again
 * this soon. */
#define RETRY_SECONDS 0.05

/* A message on stderr that the live view must not draw over (watcher.h). */
#define SAY(w, final, call) \
    do { msg_begin(w, final); call; msg_end(w, final); } while (0)

static volatile sig_atomic_t got_signal;
static volatile sig_atomic_t got_winch;

static void on_signal(int sig)
{
    /* A second signal while the first is not yet seen means the loop is
     * stuck (in HDF5, or writing to a full pipe): let it end us. */
    if (got_signal)
        signal(sig, SIG_DFL), raise(sig);
    got_signal = sig;
}

static void on_winch(int sig)
{
    (void)sig;
    got_winch = 1;
}

/* Catch the signals that end us, so that the output ends cleanly. They are
 * blocked only around the check of the flag and the wait (which unblocks
 * them atomically), so none is lost between the two. */
static void setup_signals(struct watcher *w)
{
    struct sigaction sa = { .sa_handler = on_signal };
    sigemptyset(&sa.sa_mask);
    sigemptyset(&w->ours);
    int sigs[] = { SIGINT, SIGTERM, SIGHUP };
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
        sigaction(sigs[i], &sa, NULL);
        sigaddset(&w->ours, sigs[i]);
    }
    sa.sa_handler = on_winch;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGWINCH, &sa, NULL);
    sigaddset(&w->ours, SIGWINCH);
    sigprocmask(SIG_SETMASK, NULL, &w->unblocked);
}

/* Wait as wake_wait does; a signal caught before the wait ends it at once. */
static unsigned wait_for(struct watcher *w, double seconds)
{
    sigset_t saved;
    sigprocmask(SIG_BLOCK, &w->ours, &saved);
    unsigned what = got_signal ? WAKE_INTERRUPTED
                               : wake_wait(&w->wake, seconds, &w->unblocked);
    sigprocmask(SIG_SETMASK, &saved, NULL);
    return what;
}

/* ---- Watching ---- */

static bool until_reached(const struct watcher *w)
{
    if (!w->o->until_set || w->nds == 0)
        return false;
    for (size_t i = 0; i < w->nds; i++) {
        const struct tracked *t = &w->ds[i];
        if (t->d.id < 0 || (t->d.rank ? t->d.dims[0] : 1) < w->o->until)
            return false;
    }
    return true;
}

/* Is the name still the file we have open? */
static bool same_file(const struct watcher *w, bool *gone)
{
    struct stat st;
    *gone = stat(w->o->file, &st) != 0;
    return !*gone && st.st_dev == w->dev && st.st_ino == w->ino;
}

/* Open the same file afresh, after a refresh failed: a writer rewriting
 * metadata (closing, re-opening, recovering) can leave our cached view of
 * it unusable. false, with the file closed, when that fails too (or the
 * name now holds another file: step() deals with that). */
static bool reconnect(struct watcher *w)
{
    dev_t dev = w->dev;
    ino_t ino = w->ino;
    int status;
    close_file(w);
    if (open_file(w, false, &status) != OPEN_OK)
        return false;
    if (w->dev != dev || w->ino != ino) {
        close_file(w);
        w->dev = dev;
        w->ino = ino;
        return false;
    }
    return true;
}

/* Refresh every dataset; print or hold back a line for each change. */
static void refresh(struct watcher *w, double now)
{
    bool failed = false;
    for (size_t i = 0; i < w->nds; i++)
        if (w->ds[i].d.id >= 0 && !watch_h5_refresh(&w->ds[i].d))
            failed = true;
    bool gone;
    if (failed && !same_file(w, &gone))
        return;   /* removed or replaced: step() decides what follows */
    if (failed) {
        SAY(w, false, report_verbose("refreshing %s failed (opening it "
                                     "again): %s", w->o->file,
                                     h5err_detail()));
        if (!reconnect(w)) {
            if (w->failing_since < 0)
                w->failing_since = now;
            w->resumed = true;
            return;
        }
    }
    w->failing_since = -1;

    for (size_t i = 0; i < w->nds; i++) {
        struct tracked *t = &w->ds[i];
        if (t->d.id < 0)
            continue;
        if (same_shape(t)) {
            t->pending = false;
            continue;
        }
        for (int k = 0; k < t->d.rank; k++)
            if (t->d.dims[k] > t->shown_dims[k])
                w->last_growth = now;
        double wait;
        if (watch_due(t->shown_at, now, w->o->min_interval, &wait))
            emit(w, t, EVENT_CHANGE, now);
        else
            t->pending = true;
    }
}

/* Seconds until the next thing we must do by the clock (< 0: nothing). */
static double next_timer(const struct watcher *w, double now)
{
    const struct watch_options *o = w->o;
    double t = o->interval;   /* the poll fallback */
    if (o->timeout > 0) {
        double left = w->last_growth + o->timeout - now;
        if (left < t)
            t = left;
    }
    if (w->failing_since >= 0 && RETRY_SECONDS < t)
        t = RETRY_SECONDS;
    for (size_t i = 0; i < w->nds; i++) {
        double wait;
        if (w->ds[i].pending &&
            !watch_due(w->ds[i].shown_at, now, o->min_interval, &wait) &&
            wait < t)
            t = wait;
    }
    if (w->live) {
        if (w->redraw_at >= 0 && w->redraw_at - now < t)
            t = w->redraw_at - now;
        struct view_row rows[w->nds ? w->nds : 1];
        for (size_t i = 0; i < w->nds; i++)
            rows[i] = w->ds[i].row;
        if (view_busy(rows, w->nds) && VIEW_BUCKET < t)
            t = VIEW_BUCKET;
    }
    return t < 0 ? 0 : t;
}

/* The status once the writer closed the file: --until is a promise about
 * rows, so a close before it was kept is not a success. */
static int closed_status(struct watcher *w)
{
    if (w->o->until_set && !until_reached(w)) {
        SAY(w, true, report_error("the writer closed %s before every "
                                  "dataset reached %llu rows", w->o->file,
                                  (unsigned long long)w->o->until));
        return STATUS_UNTIL_UNMET;
    }
    return STATUS_OK;
}

enum writer_state { WRITER_ON, WRITER_CLOSED, WRITER_VANISHED };

/* What became of the writer? The superblock flags say whether it closed
 * the file cleanly; whether one that did not is still alive only the
 * kernel knows, asked when PROBE. CLOSE_SEEN: inotify reported a writer's
 * close, which with the flags still set means a killed writer where the
 * kernel will not say (another user's file, NFS). */
static enum writer_state writer_state(const struct watcher *w, bool probe,
                                      bool close_seen)
{
    struct watch_sb sb;
    if (watch_sb_read(w->fd, &sb) != SB_OK)
        return WRITER_ON;   /* cannot tell: assume nothing happened */
    if (!watch_sb_swmr_writing(sb.flags))
        /* Open for writing but not in SWMR mode (yet): a writer getting
         * ready (swmr-append --append opens the file before it starts
         * SWMR). Not a close while anyone has the file open to write. */
        return probe && writer_presence(w->fd) == WRITER_PRESENT
               ? WRITER_ON : WRITER_CLOSED;
    if (!probe)
        return WRITER_ON;
    enum writer_presence p = writer_presence(w->fd);
    if (p == WRITER_PRESENT || (p == WRITER_UNKNOWN && !close_seen))
        return WRITER_ON;
    /* It may have closed the file between the two looks. */
    if (watch_sb_read(w->fd, &sb) == SB_OK && !watch_sb_swmr_writing(sb.flags))
        return WRITER_CLOSED;
    return WRITER_VANISHED;
}

/* Act on STATE: go on (-1), wait for the next writer (--follow, -1), or
 * end with a status. AT_OPEN: the file was just opened (no writer then is
 * no news: no close lines). */
static int writer_check(struct watcher *w, enum writer_state state,
                        double now, bool at_open)
{
    const struct watch_options *o = w->o;
    if (state == WRITER_ON)
        return -1;
    /* The rows flushed last are in: show them before anything else. */
    refresh(w, now);
    flush_pending(w, now, true);
    if (until_reached(w))
        return STATUS_OK;
    if (state == WRITER_CLOSED) {
        w->vanish_said = false;
        if (!at_open) {
            w->state = "writer closed the file";
            for (size_t i = 0; i < w->nds; i++)
                if (w->ds[i].d.id >= 0)
                    emit(w, &w->ds[i], EVENT_CLOSE, now);
        } else {
            w->state = o->follow ? "no writer: waiting for one"
                                 : "no writer has the file open";
        }
        if (o->follow) {
            let_go(w);
            return -1;
        }
        if (at_open)
            SAY(w, true, report_notice("no writer has %s open: nothing "
                                       "more to watch (--follow waits for "
                                       "one)", o->file));
        return closed_status(w);
    }
    if (o->follow) {
        w->state = "writer gone: waiting for a new one";
        if (!w->vanish_said)
            SAY(w, false, report_notice("the writer of %s went away without "
                                        "closing it: waiting for a new one",
                                        o->file));
        w->vanish_said = true;
        let_go(w);
        return -1;
    }
    w->state = "writer went away without closing the file";
    SAY(w, true, report_error("the writer of %s went away without closing "
                              "it (killed?)", o->file));
    return STATUS_UNAVAILABLE;
}

/* --wait: has the file grown (or been replaced) since we started? */
static bool grew_since_base(const struct watcher *w)
{
    if (w->dev != w->base_dev || w->ino != w->base_ino)
        return true;
    for (size_t i = 0; i < w->nds; i++) {
        const struct tracked *t = &w->ds[i];
        if (t->d.id >= 0 &&
            (!t->base_set || (t->d.rank ? t->d.dims[0] : 1) != t->base_rows))
            return true;
    }
    return false;
}

/* --wait on a file that exists: note its datasets' rows now, so that only
 * rows added after the start count as a writer's (and --values shows only
 * those). A file that cannot be read yet gets no such note. */
static void note_base(struct watcher *w)
{
    int status;
    if (open_file(w, false, &status) != OPEN_OK) {
        close_file(w);
        w->why[0] = '\0';
        return;
    }
    w->based = true;
    w->base_dev = w->dev;
    w->base_ino = w->ino;
    for (size_t i = 0; i < w->nds; i++) {
        struct tracked *t = &w->ds[i];
        if (t->d.id < 0)
            continue;
        t->base_set = true;
        t->base_rows = t->d.rank ? t->d.dims[0] : 1;
        t->values_next = t->base_rows;
    }
    close_file(w);
    w->why[0] = '\0';
}

/* The file was just opened: print where each dataset stands. */
static int opened(struct watcher *w, double now)
{
    bool reopen = w->ever_open;
    if (w->provisional && !until_reached(w)) {
        close_file(w);   /* not `seen`: still waiting for a change */
        w->waited = true;
        if (strcmp(w->why, w->said) != 0) {
            SAY(w, false, report_verbose("waiting: %s", w->why));
            snprintf(w->said, sizeof w->said, "%s", w->why);
        }
        return -1;
    }
    enum writer_state state = writer_state(w, true, false);
    /* --wait, before any writer was seen: a file that no writer has open
     * and that grew no row since we started was only touched by a writer
     * getting ready (swmr-append --append opens and closes it before it
     * starts SWMR; a restart after a kill passes through stale flags).
     * Keep waiting for the writer itself. */
    if (!reopen && w->based && !w->provisional && state != WRITER_ON &&
        !grew_since_base(w)) {
        let_go(w);
        w->waited = true;
        snprintf(w->why, sizeof w->why, "%s was opened for writing, but no "
                 "SWMR writer has it open yet", w->o->file);
        if (strcmp(w->why, w->said) != 0) {
            SAY(w, false, report_verbose("waiting: %s", w->why));
            snprintf(w->said, sizeof w->said, "%s", w->why);
        }
        return -1;
    }
    if (w->based && (w->dev != w->base_dev || w->ino != w->base_ino))
        for (size_t i = 0; i < w->nds; i++)
            w->ds[i].values_next = 0;   /* another file: every row is new */
    /* A restarting writer opens and closes the file before it settles:
     * while the one we said went away seems still gone, say nothing. */
    if (reopen && w->vanish_said && state == WRITER_VANISHED) {
        let_go(w);
        return -1;
    }
    bool news = !reopen || w->replaced;
    for (size_t i = 0; i < w->nds; i++)
        news |= w->ds[i].d.id >= 0 && !same_shape(&w->ds[i]);
    /* Opened again with no writer on and nothing new in it: nothing to
     * say, and nothing to watch until the file changes again. */
    if (reopen && !news && state != WRITER_ON) {
        let_go(w);
        return -1;
    }
    w->ever_open = true;
    w->failing_since = -1;
    w->state = state == WRITER_ON ? "writer active"
             : state == WRITER_CLOSED ? "no writer has the file open"
             : "writer went away without closing the file";
    for (size_t i = 0; i < w->nds; i++) {
        struct tracked *t = &w->ds[i];
        if (t->d.id < 0)
            continue;
        if (w->replaced)
            t->values_next = 0;   /* a new file: every row is new */
        if (!reopen || !t->shown)
            emit(w, t, EVENT_START, now);
        else if (w->resumed && !same_shape(t)) {
            w->last_growth = now;
            emit(w, t, EVENT_CHANGE, now);
        }
        else if (!w->resumed)
            emit(w, t, EVENT_REOPEN, now);
    }
    w->resumed = false;
    w->replaced = false;
    if (w->o->once)
        return STATUS_OK;
    if (until_reached(w))
        return STATUS_OK;

    return writer_check(w, state, now, true);
}

/* One round after a wake-up with the file open: WHAT is the wake's bits.
 * Returns an exit status, or -1 to go on. */
static int step(struct watcher *w, unsigned what, double now)
{
    const struct watch_options *o = w->o;

    refresh(w, now);
    flush_pending(w, now, false);
    if (until_reached(w)) {
        flush_pending(w, now, true);
        return STATUS_OK;
    }
    if (o->count && w->lines >= o->count)
        return STATUS_OK;

    if (w->file < 0)
        return -1;   /* the refresh failed and so did opening it again */

    bool gone;
    if (!same_file(w, &gone)) {
        flush_pending(w, now, true);
        if (!o->follow) {
            w->state = gone ? "file removed" : "file replaced";
            SAY(w, true, report_error(gone ? "%s was removed"
                                           : "%s was replaced by another "
                                             "file (--follow follows the new "
                                             "one)", o->file));
            return STATUS_NOINPUT;
        }
        w->state = "file replaced: waiting for it";
        SAY(w, false, report_notice(gone ? "%s was removed: waiting for it "
                                           "to come back"
                                         : "%s was replaced: following the "
                                           "new file", o->file));
        w->replaced = true;
        w->seen_exists = false;   /* whatever comes next is new */
        close_file(w);
        return -1;
    }

    /* Killed writers leave the flags set: ask the kernel whether anyone
     * still writes when a close was seen (or, polling, now and then: the
     * poll-interval wake-ups have WHAT == 0). */
    return writer_check(w, writer_state(w, what & WAKE_CLOSED || what == 0,
                                        what & WAKE_CLOSED),
                        now, false);
}

int watch_run(const struct watch_options *o)
{
    struct watcher w = { .o = o, .fd = -1, .file = -1, .failing_since = -1,
                         .redraw_at = -1 };
    int status = -1;

    setvbuf(stdout, NULL, _IOLBF, 0);
    /* A damaged file may be impossible to close: HDF5's own clean-up at
     * exit() then prints "infinite loop closing library" and a line of
     * "FL,FL,...". We close what we open ourselves. Before the library's
     * first use. */
    H5dont_atexit();
    h5err_silence();
    setup_signals(&w);
    if (!wake_init(&w.wake, o->file, o->poll_only)) {
        report_error("cannot watch %s: %s", o->file, strerror(errno));
        wake_close(&w.wake);
        return STATUS_OSERR;
    }
    struct stat out;
    if (fstat(STDOUT_FILENO, &out) == 0 && S_ISFIFO(out.st_mode))
        w.wake.out_fd = STDOUT_FILENO;
    const char *no_color = getenv("NO_COLOR");
    const char *term = getenv("TERM");
    w.live = o->format == FORMAT_TEXT && !o->values && !o->once &&
             isatty(STDOUT_FILENO) && !(term && strcmp(term, "dumb") == 0);
    view_init(&w.view, stdout, !(no_color && *no_color));
    w.state = "waiting for the file";
    if (w.wake.fd < 0 && !o->poll_only)
        report_notice("cannot use inotify (%s): polling every %g seconds",
                      strerror(w.wake.inotify_errno), o->interval);

    /* A file already there, unchanged and without a writer, is not what
     * --wait waits for. */
    w.seen_exists = stat(o->file, &w.seen) == 0;
    if (o->wait && w.seen_exists)
        note_base(&w);
    double now = monotonic_seconds();
    w.last_growth = now;
    while (status < 0) {
        now = monotonic_seconds();
        if (w.file < 0) {
            /* --wait waits for a writer at the start; --follow for the
             * next one after a close. */
            bool need_writer = o->wait || w.ever_open;
            int fail;
            enum open_result r = open_file(&w, need_writer, &fail);
            /* Once watching, a file that cannot be opened for a moment (a
             * writer re-opening it) is waited for, --timeout bounding it. */
            bool may_wait = o->wait || w.ever_open;
            if (r == OPEN_OK) {
                status = opened(&w, now);
                if (status >= 0)
                    break;
            } else if (r == OPEN_FAIL || !may_wait) {
                SAY(&w, true, report_error("%s", w.why));
                status = fail;
                break;
            } else {
                w.waited |= !w.ever_open;
                if (!w.ever_open)
                    w.state = access(o->file, F_OK) == 0
                              ? "waiting for a SWMR writer"
                              : "waiting for the file to appear";
                if (strcmp(w.why, w.said) != 0) {
                    SAY(&w, false, report_verbose("waiting: %s", w.why));
                    snprintf(w.said, sizeof w.said, "%s", w.why);
                }
            }
        }

        /* The live view shows what --wait waits for from the start. */
        if (w.live && o->wait && !w.ever_open && w.view.last_draw < 0)
            draw(&w, now);

        if (o->timeout > 0 && now - w.last_growth >= o->timeout) {
            flush_pending(&w, now, true);
            w.state = "no growth: timed out";
            SAY(&w, true, report_error("no growth in %s for %g seconds",
                                       o->file, o->timeout));
            status = STATUS_TEMPFAIL;
            break;
        }

        if (w.out_errno)
            break;
        unsigned what = wait_for(&w, next_timer(&w, now));
        now = monotonic_seconds();
        if (what & WAKE_OUT_GONE) {
            status = STATUS_SIGNAL + SIGPIPE;
            break;
        }
        if (got_signal) {
            if (w.file >= 0)
                flush_pending(&w, now, true);
            status = STATUS_SIGNAL + got_signal;
            break;
        }
        if (w.file >= 0)
            status = step(&w, what, now);
        if (w.out_errno)
            break;
        /* Redraw when asked, when a held-back draw is due, and every
         * bucket while a sparkline moves; emit() draws the changes. */
        if (w.live && (w.ever_open || o->wait) && status < 0 &&
            (got_winch || (w.redraw_at >= 0 && now >= w.redraw_at) ||
             now - w.view.last_draw >= VIEW_BUCKET))
            draw(&w, now);
        got_winch = 0;
    }
    if (w.live && !w.finished && (w.ever_open || w.view.drawn)) {
        draw(&w, monotonic_seconds());
        view_finish(&w.view);
    }
    check_output(&w);
    /* A failed write is the one thing that outranks the reason we ended
     * for: the lines were not delivered. (Not so for a broken pipe: the
     * reader left on purpose.) */
    if (w.out_errno && status != STATUS_SIGNAL + SIGPIPE) {
        report_error("write error: %s", strerror(w.out_errno));
        status = STATUS_IOERR;
    }
    close_file(&w);
    for (size_t i = 0; i < w.nds; i++)
        free(w.ds[i].name);
    free(w.ds);
    free(w.values);
    wake_close(&w.wake);
    return status;
}
