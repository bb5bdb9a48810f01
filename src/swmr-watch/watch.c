#include "watch.h"
#include "cpu_wait.h"
#include "watch_fs.h"
#include "monotonic.h"
#include "exit_status.h"
#include "watcher.h"
#include "h5err.h"
#include "report.h"
#include "file_users.h"
#include "shell_word.h"

#include <errno.h>     /* errno */
#include <limits.h>    /* PATH_MAX */
#include <signal.h>    /* sigaction, sigprocmask */
#include <stdio.h>     /* stdout, setvbuf */
#include <stdlib.h>    /* free, getenv, drand48 */
#include <string.h>    /* strerror, strcmp, memcpy, memset */
#include <sys/stat.h>  /* stat: is it still the same file? */
#include <unistd.h>    /* isatty */

/* When a failed refresh could not open the file again either, try again
 * this soon; so too when HDF5 refused a file that looked ready, doubling
 * up to RETRY_MAX_SECONDS while it goes on refusing. */
#define RETRY_SECONDS 0.05
#define RETRY_MAX_SECONDS 1.0
/* Without a close event, ask the kernel whether the writer lives at most
 * this often (a killed writer's close event comes at once anyway). */
#define WRITER_ASK_SECONDS 1.0
/* stdout's buffer when it is not a terminal. */
#define OUT_BUFFER_BYTES (64 * 1024)

/* A message on stderr that the live view must not draw over (sink.h). */
#define SAY(w, final, call) \
    do { sink_msg_begin((w)->sink, final); call; \
         sink_msg_end((w)->sink, final); } while (0)

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

/* Wait as wake_wait does (or, HOLD, sleep as wake_hold does); a signal
 * caught before the wait ends it at once. */
static unsigned wait_for(struct watcher *w, double seconds, bool hold)
{
    sigset_t saved;
    sigprocmask(SIG_BLOCK, &w->ours, &saved);
    unsigned what = got_signal ? WAKE_INTERRUPTED
                  : hold ? wake_hold(&w->wake, seconds, &w->unblocked)
                  : wake_wait(&w->wake, seconds, &w->unblocked);
    sigprocmask(SIG_SETMASK, &saved, NULL);
    return what;
}

/* ---- Watching ---- */

void watch_advance(struct watcher *w, enum watch_happening h)
{
    enum watch_phase next = watch_next_phase(w->phase, h);
    if (next != w->phase && report.debug)
        SAY(w, false, report_debug("phase: %s -> %s",
                                   watch_phase_name(w->phase),
                                   watch_phase_name(next)));
    w->phase = next;
}

static bool until_reached(const struct watcher *w)
{
    if (!w->o->until_set || w->nds == 0)
        return false;
    for (size_t i = 0; i < w->nds; i++) {
        const struct tracked *t = &w->ds[i];
        if (t->d.id < 0 || tracked_rows(t) < w->o->until)
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
    open_close(w);
    if (open_file(w, false, &status) != OPEN_OK)
        return false;
    if (w->dev != dev || w->ino != ino) {
        open_close(w);
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
    w->refreshes++;
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
            watch_advance(w, HAPPEN_REFRESH_LOST);
            return;
        }
    }
    w->failing_since = -1;

    for (size_t i = 0; i < w->nds; i++) {
        struct tracked *t = &w->ds[i];
        if (t->d.id < 0)
            continue;
        sink_shape(w->sink, i, t->d.rank, t->d.dims, tracked_rows(t));
        /* Cells that shrank away are gone even if no line said so (held
         * back by --min-interval): when they come back, they are new. */
        for (int k = 0; k < t->d.rank; k++)
            if (t->d.dims[k] < t->values_dims[k])
                t->values_dims[k] = t->d.dims[k];
        if (show_same_shape(t)) {
            t->pending = false;
            continue;
        }
        for (int k = 0; k < t->d.rank; k++)
            if (t->d.dims[k] > t->shown_dims[k])
                w->last_growth = now;
        double wait;
        if (watch_due(t->shown_at, now, w->o->min_interval, &wait)) {
            show_line(w, t, EVENT_CHANGE, now);
            continue;
        }
        t->pending = true;
        if (report.debug) {
            char shape[WATCH_MAX_RANK * 22 + 8];
            watch_shape(t->d.rank, t->d.dims, ", ", true, shape,
                        sizeof shape);
            SAY(w, false, report_debug("%s %s: held back by --min-interval",
                                       t->name, shape));
        }
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
    if (w->file < 0 && w->retry_in > 0 && w->retry_in < t)
        t = w->retry_in;
    for (size_t i = 0; i < w->nds; i++) {
        double wait;
        if (w->ds[i].pending &&
            !watch_due(w->ds[i].shown_at, now, o->min_interval, &wait) &&
            wait < t)
            t = wait;
    }
    double tick = sink_next_tick(w->sink, now);
    if (tick >= 0 && tick < t)
        t = tick;
    return t < 0 ? 0 : t;
}

/* Say what verdict V says, in its order. */
static void say(struct watcher *w, const struct verdict *v, bool final)
{
    const char *file = w->o->file;
    if (v->notices & NOTICE_NO_WRITER)
        SAY(w, final, report_notice("no writer has %s open: nothing more to "
                                    "watch (--follow waits for one)", file));
    if (v->notices & NOTICE_CLOSED_SHORT)
        SAY(w, final, report_error("%s is closed, and not every dataset "
                                   "reached %llu rows (--wait waits for a "
                                   "writer to add them)", file,
                                   (unsigned long long)w->o->until));
    if (v->notices & NOTICE_UNTIL_UNMET)
        SAY(w, final, report_error("the writer closed %s before every "
                                   "dataset reached %llu rows", file,
                                   (unsigned long long)w->o->until));
    if (v->notices & NOTICE_CLOSED_COUNT)
        SAY(w, final, report_error("%s is closed: no change lines can come "
                                   "(--wait waits for a writer)", file));
    if (v->notices & NOTICE_COUNT_UNMET)
        SAY(w, final, report_error("the writer closed %s after %llu of "
                                   "%llu change lines", file,
                                   (unsigned long long)w->lines,
                                   (unsigned long long)w->o->count));
    if (v->notices & NOTICE_WRITER_GONE)
        SAY(w, final, report_notice("the writer of %s went away without "
                                    "closing it: waiting for a new one",
                                    file));
    char word[PATH_MAX + 8];
    if (v->notices & NOTICE_VANISHED)
        SAY(w, final, report_error("the writer of %s went away without "
                                   "closing it (killed?): swmr-append "
                                   "--append %s </dev/null closes it, "
                                   "keeping every row flushed", file,
                                   shell_word(file, word, sizeof word)));
    if (v->notices & NOTICE_REMOVED)
        SAY(w, final, final ? report_error("%s was removed", file)
                            : report_notice("%s was removed: waiting for it "
                                            "to come back", file));
    if (v->notices & NOTICE_REPLACED)
        SAY(w, final, final ? report_error("%s was replaced by another file "
                                           "(--follow follows the new one)",
                                           file)
                            : report_notice("%s was replaced: following the "
                                            "new file", file));
}

/* Act on the writer's STATE (lifecycle.h): go on (-1), wait for the next
 * writer (--follow, -1), or end with a status. AT_OPEN: the file was just
 * opened (no writer then is no news: no close lines). */
static int writer_check(struct watcher *w, enum writer_state state,
                        double now, bool at_open, bool looked_after_refresh)
{
    if (state == WRITER_ON)
        return -1;
    /* The rows flushed last are in: show them before anything else. Rows
     * read after we looked at the writer are all there are; if we looked
     * only after reading, read once more. */
    if (looked_after_refresh)
        refresh(w, now);
    show_pending(w, now, true);
    bool goal = watch_ending(w->o, until_reached(w), w->lines) >= 0;
    struct verdict v = watch_on_writer(w->o, state, at_open, goal, w->phase);
    if (v.header)
        sink_state(w->sink, v.header);
    if (v.emit_close)
        for (size_t i = 0; i < w->nds; i++)
            if (w->ds[i].d.id >= 0)
                show_line(w, &w->ds[i], EVENT_CLOSE, now);
    watch_advance(w, v.happened);
    say(w, &v, v.step == STEP_END);
    if (v.step == STEP_LET_GO)
        open_let_go(w);
    return v.step == STEP_END ? v.status : -1;
}

/* --wait: has the file grown (or been replaced) since we started? */
static bool grew_since_base(const struct watcher *w)
{
    if (w->renewed || w->dev != w->base_dev || w->ino != w->base_ino)
        return true;
    for (size_t i = 0; i < w->nds; i++) {
        const struct tracked *t = &w->ds[i];
        if (t->d.id >= 0 &&
            (!t->base_set || tracked_rows(t) != t->base_rows))
            return true;
    }
    return false;
}

/* --wait on a file that exists: note its datasets' rows now, so that only
 * rows added after the start count as a writer's (and --values shows only
 * those), and pin it (open_let_go). A file that cannot be read yet gets no
 * such note. */
static void note_base(struct watcher *w)
{
    int status;
    if (open_file(w, false, &status) != OPEN_OK) {
        open_close(w);
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
        t->base_rows = tracked_rows(t);
        memcpy(t->values_dims, t->d.dims, sizeof t->values_dims);
    }
    open_let_go(w);
    w->why[0] = '\0';
}

/* Say "waiting: WHY" with -v, once for each new reason. */
static void say_waiting(struct watcher *w)
{
    if (strcmp(w->why, w->said) != 0) {
        if (w->why_notice)
            SAY(w, false, report_notice("waiting: %s", w->why));
        else
            SAY(w, false, report_verbose("waiting: %s", w->why));
        snprintf(w->said, sizeof w->said, "%s", w->why);
    }
}

/* --follow: did another file take the name while we had let go of the
 * last one (removed and made again, or renamed over it)? Then it is a
 * replacement, said as one: every row of it is new. */
static void note_replacement(struct watcher *w)
{
    bool let_go = w->phase == PHASE_WRITER_CLOSED ||
                  w->phase == PHASE_WRITER_GONE;
    if (let_go && w->seen_exists &&
        (w->renewed || w->dev != w->seen.st_dev || w->ino != w->seen.st_ino)) {
        struct verdict v = watch_on_moved(w->o, false);
        watch_advance(w, v.happened);
        say(w, &v, false);
    }
}

/* The file was just opened: print where each dataset stands. */
static int opened(struct watcher *w, double now)
{
    bool reopen = w->phase != PHASE_STARTING;
    bool waited_for_writer = w->o->wait || reopen;
    note_replacement(w);
    bool replaced = w->phase == PHASE_REPLACED;
    bool resumed = w->phase == PHASE_RECONNECTING;
    /* The probe asked about a writer only if readiness needed to know. */
    if (!w->facts.writer_asked)
        probe_writer(w->fd, true, &w->facts);
    enum writer_state state = watch_writer_state(&w->facts, false);
    bool news = !reopen || replaced;
    for (size_t i = 0; i < w->nds; i++)
        news |= w->ds[i].d.id >= 0 && !show_same_shape(&w->ds[i]);
    struct open_facts f = {
        .provisional = w->provisional, .until_reached = until_reached(w),
        .reopen = reopen, .based = w->based,
        .grew_since_base = w->based && grew_since_base(w),
        .news = news, .vanish_said = w->phase == PHASE_WRITER_GONE,
        .state = state,
    };
    switch (watch_on_open(&f)) {
    case OPENED_NOT_YET:
        open_close(w);   /* not `seen`: still waiting for a change */
        w->waited = true;
        say_waiting(w);
        return -1;
    case OPENED_NO_WRITER_YET:
        open_let_go(w);
        w->waited = true;
        snprintf(w->why, sizeof w->why, "%s was opened for writing, but no "
                 "SWMR writer has it open yet", w->o->file);
        say_waiting(w);
        return -1;
    case OPENED_LET_GO:
        open_let_go(w);
        return -1;
    case OPENED_SHOW:
        break;
    }
    if (w->based && (w->renewed || w->dev != w->base_dev ||
                     w->ino != w->base_ino))
        for (size_t i = 0; i < w->nds; i++)
            /* another file: every cell is new */
            memset(w->ds[i].values_dims, 0, sizeof w->ds[i].values_dims);
    w->renewed = false;
    open_unpin(w);   /* this file is the one we know now */
    w->failing_since = -1;
    w->pace = (struct pace){ 0 };   /* its writer's pace is not known */
    sink_state(w->sink, watch_state_header(state));
    for (size_t i = 0; i < w->nds; i++) {
        struct tracked *t = &w->ds[i];
        if (t->d.id < 0)
            continue;
        if (replaced)
            /* a new file: every cell is new */
            memset(t->values_dims, 0, sizeof t->values_dims);
        if (!reopen || !t->shown)
            show_line(w, t, EVENT_START, now);
        else if (resumed && !show_same_shape(t)) {
            w->last_growth = now;
            show_line(w, t, EVENT_CHANGE, now);
        }
        else if (!resumed)
            show_line(w, t, EVENT_REOPEN, now);
    }
    watch_advance(w, HAPPEN_SHOWN);
    if (w->o->once || until_reached(w))
        return STATUS_OK;
    /* Waiting for a writer (--wait, --follow), one that came and closed
     * the file before we looked has closed it: close lines, not "no
     * writer". Only a first look without waiting finds no writer. */
    return writer_check(w, state, now, !waited_for_writer, false);
}

/* One round after a wake-up with the file open: WHAT is the wake's bits.
 * Returns an exit status, or -1 to go on. */
static int step(struct watcher *w, unsigned what, double now)
{
    const struct watch_options *o = w->o;

    /* The superblock first, then the rows: a writer whose close shows
     * there flushed its last rows before, so one refresh shows them. */
    struct watch_facts writer;
    probe_writer(w->fd, false, &writer);
    refresh(w, now);
    show_pending(w, now, false);
    bool reached = until_reached(w);
    int status = watch_ending(o, reached, w->lines);
    if (status >= 0) {
        /* --until: every held-back line goes out; --count: none, or the
         * output would run past its count. */
        if (reached)
            show_pending(w, now, true);
        return status;
    }
    if (w->file < 0)
        return -1;   /* the refresh failed and so did opening it again */

    bool gone;
    if (!same_file(w, &gone)) {
        show_pending(w, now, true);
        struct verdict v = watch_on_moved(o, gone);
        sink_state(w->sink, v.header);
        watch_advance(w, v.happened);
        say(w, &v, v.step == STEP_END);
        if (v.step == STEP_END)
            return v.status;
        w->seen_exists = false;   /* whatever comes next is new */
        open_close(w);
        return -1;
    }

    /* Killed writers leave the flags set: ask the kernel whether anyone
     * still writes when a close was seen or events were lost (or, polling,
     * now and then: the poll-interval wake-ups have WHAT == 0, but a /proc
     * scan is not free, so at most once a second); after the lines are
     * out, as a scan takes a while. */
    bool ask = what & (WAKE_CLOSED | WAKE_LOST) ||
               (what == 0 && now - w->writer_asked_at >= WRITER_ASK_SECONDS);
    if (ask)
        w->writer_asked_at = now;
    bool looked_again = ask && !writer.writer_asked;
    if (looked_again)
        probe_writer(w->fd, true, &writer);
    return writer_check(w, watch_writer_state(&writer, what & WAKE_CLOSED),
                        now, false, looked_again);
}

/* Tell the pace (pace.h) of the round that ran from STARTED to now: was
 * it overtaken by the writer, who wrote again while it ran? Was it
 * crowded, waiting over PACE_QUIET for the CPU since the last round (64
 * watchers on two cores slow the writer down with them, until its flushes
 * no longer come fast enough to look like a flood)? */
static void paced(struct watcher *w, double started)
{
    double waited = cpu_wait_seconds();
    bool crowded = waited >= 0 && w->cpu_waited >= 0 &&
                   waited - w->cpu_waited > PACE_QUIET;
    w->cpu_waited = waited;
    pace_round(&w->pace, started, monotonic_seconds(),
               wake_pending(&w->wake), crowded, drand48());
}

/* Set up stdout, HDF5, signals, wake-ups and the view. false (with the
 * error said) when inotify cannot even be set up for polling. */
static bool set_up(struct watcher *w)
{
    const struct watch_options *o = w->o;
    /* A terminal sees each line as it is printed. A pipe or a file gets
     * whole refreshes: stdout is flushed before each wait (watch_run), one
     * write() for all the lines and values of a refresh, not one a row. */
    if (isatty(STDOUT_FILENO))
        setvbuf(stdout, NULL, _IOLBF, 0);
    else
        setvbuf(stdout, NULL, _IOFBF, OUT_BUFFER_BYTES);
    /* A damaged file may be impossible to close: HDF5's own clean-up at
     * exit() then prints "infinite loop closing library" and a line of
     * "FL,FL,...". We close what we open ourselves. Before the library's
     * first use. */
    H5dont_atexit();
    h5err_silence();
    setup_signals(w);
    srand48((long)getpid() ^ (long)(monotonic_seconds() * 1e9));
    w->cpu_waited = cpu_wait_seconds();
    /* On a shared file system inotify misses other hosts' writes. */
    bool poll_only = watch_fs_check(o) || o->poll_only;
    if (!wake_init(&w->wake, o->file, poll_only)) {
        report_error("cannot watch %s: %s", o->file, strerror(errno));
        return false;
    }
    struct stat out;
    if (fstat(STDOUT_FILENO, &out) == 0 && S_ISFIFO(out.st_mode))
        w->wake.out_fd = STDOUT_FILENO;
    const char *no_color = getenv("NO_COLOR");
    const char *term = getenv("TERM");
    bool live = sink_wants_live(o, isatty(STDOUT_FILENO), term);
    w->sink = sink_new(o->format, live, stdout, o->file,
                      !(no_color && *no_color));
    if (!w->sink) {
        report_error("out of memory");
        return false;
    }
    /* The live view shows what --wait waits for from the start. */
    if (o->wait)
        sink_state(w->sink, "waiting for the file");
    if (w->wake.fd < 0 && !poll_only)
        report_notice("cannot use inotify (%s): polling every %g second%s",
                      strerror(w->wake.inotify_errno), o->interval,
                      o->interval == 1 ? "" : "s");
    /* A file already there, unchanged and without a writer, is not what
     * --wait waits for. */
    w->seen_exists = stat(o->file, &w->seen) == 0;
    if (o->wait && w->seen_exists)
        note_base(w);
    return true;
}

/* A round ended with STATUS (or -1 to go on): rows that could not be read
 * end the run, said already, unless --follow keeps going. */
static int unless_unreadable(const struct watcher *w, int status)
{
    return w->unreadable && !w->o->follow ? STATUS_UNREADABLE : status;
}

/* The file is closed: try to open it. An exit status, or -1 to go on. */
static int try_open(struct watcher *w, double now)
{
    const struct watch_options *o = w->o;
    /* --wait waits for a writer at the start; --follow for the next one
     * after a close. Once watching, a file that cannot be opened for a
     * moment (a writer re-opening it) is waited for, --timeout bounding
     * it. */
    bool started = w->phase != PHASE_STARTING;
    bool need_writer = o->wait || started;
    bool may_wait = o->wait || started;
    int fail;
    enum open_result r = open_file(w, need_writer, &fail);
    /* HDF5 reads the file's size before its superblock: a file a writer
     * is making (or closing) can fail as "truncated" for a moment, and no
     * event may follow (a writer waiting for input). Try again soon. */
    w->retry_in = !w->h5_refused ? 0
                : w->retry_in <= 0 ? RETRY_SECONDS
                : w->retry_in * 2 < RETRY_MAX_SECONDS ? w->retry_in * 2
                : RETRY_MAX_SECONDS;
    if (r == OPEN_OK)
        return opened(w, now);
    if (r == OPEN_FAIL || !may_wait) {
        /* Not ready yet is what --wait is for: say so. */
        char remedy[PATH_MAX + 96] = "";
        if (r == OPEN_WAIT && w->wait_remedy)
            snprintf(remedy, sizeof remedy, "; %s waits %s",
                     o->wait_form ? o->wait_form : "--wait", w->wait_remedy);
        SAY(w, true, report_error("%s%s", w->why, remedy));
        return fail;
    }
    w->waited |= !started;
    if (!started)
        sink_state(w->sink, access(o->file, F_OK) == 0
                               ? "waiting for a SWMR writer"
                               : "waiting for the file to appear");
    say_waiting(w);
    return -1;
}

/* --timeout expired: say what did not happen in time. */
static int timed_out(struct watcher *w, double now)
{
    const struct watch_options *o = w->o;
    show_pending(w, now, true);
    sink_state(w->sink, "no growth: timed out");
    const char *unit = o->timeout == 1 ? "second" : "seconds";
    if (w->phase != PHASE_STARTING)
        SAY(w, true, report_error("no growth in %s for %g %s", o->file,
                                  o->timeout, unit));
    else if (access(o->file, F_OK) != 0)
        SAY(w, true, report_error("%s did not appear within %g %s", o->file,
                                  o->timeout, unit));
    else
        SAY(w, true, report_error("%s was not ready within %g %s: %s",
                                  o->file, o->timeout, unit, w->why));
    return STATUS_TEMPFAIL;
}

/* The last draw, the last flush of stdout, and everything closed; the
 * status to exit with. */
static int finish(struct watcher *w, int status)
{
    watch_advance(w, HAPPEN_END);
    sink_finish(w->sink);
    if (report.debug)
        report_debug("%llu refreshes, %llu of them after waiting to "
                     "catch up with the writer",
                     (unsigned long long)w->refreshes,
                     (unsigned long long)w->holds);
    /* A failed write is the one thing that outranks the reason we ended
     * for: the lines were not delivered. (Not so for a broken pipe: the
     * reader left on purpose.) */
    if (w->sink->out_errno && status != STATUS_SIGNAL + SIGPIPE) {
        report_error("write error: %s", strerror(w->sink->out_errno));
        status = STATUS_IOERR;
    }
    open_close(w);
    open_unpin(w);
    for (size_t i = 0; i < w->nds; i++)
        free(w->ds[i].name);
    free(w->ds);
    free(w->values);
    sink_free(w->sink);
    wake_close(&w->wake);
    return status;
}

int watch_run(const struct watch_options *o)
{
    struct watcher w = { .o = o, .fd = -1, .file = -1, .pin_fd = -1,
                         .failing_since = -1 };
    if (!set_up(&w)) {
        sink_free(w.sink);
        wake_close(&w.wake);
        return STATUS_OSERR;
    }
    int status = -1;
    double now = monotonic_seconds();
    w.last_growth = now;
    while (status < 0) {
        now = monotonic_seconds();
        if (w.file < 0 &&
            (status = unless_unreadable(&w, try_open(&w, now))) >= 0)
            break;
        sink_tick(w.sink, now, false);
        if (watch_timed_out(o, now, w.last_growth)) {
            status = timed_out(&w, now);
            break;
        }
        /* Everything printed so far reaches the pipe before we block. */
        sink_flush(w.sink);
        if (w.sink->out_errno)
            break;
        unsigned what = wait_for(&w, next_timer(&w, now), false);
        now = monotonic_seconds();
        if (w.file >= 0 && what & WAKE_MODIFIED)
            pace_write(&w.pace, now);
        /* Behind a flood, a write waits for the pace (pace.h): the file's
         * writes queue meanwhile, the clock's deadlines are kept, and
         * anything else (a close, a rename, a signal) ends the wait. */
        double hold = w.file >= 0 && what == WAKE_MODIFIED
                    ? pace_hold(&w.pace, now) : 0;
        double timer = hold > 0 ? next_timer(&w, now) : 0;
        bool held = hold > 0 && timer > 0;
        if (held) {
            w.holds++;
            unsigned more = wait_for(&w, hold < timer ? hold : timer, true);
            pace_held(&w.pace, more & WAKE_MODIFIED);
            what |= more;
            now = monotonic_seconds();
        }
        if (what & WAKE_OUT_GONE) {
            status = STATUS_SIGNAL + SIGPIPE;
            break;
        }
        if (got_signal) {
            if (w.file >= 0 && held)
                refresh(&w, now);   /* the rows written while it waited */
            if (w.file >= 0)
                show_pending(&w, now, true);
            status = STATUS_SIGNAL + got_signal;
            break;
        }
        if (w.file >= 0) {
            status = unless_unreadable(&w, step(&w, what, now));
            paced(&w, now);
        }
        if (w.sink->out_errno)
            break;
        if (status < 0)
            sink_tick(w.sink, now, got_winch);
        got_winch = 0;
    }
    return finish(&w, status);
}
