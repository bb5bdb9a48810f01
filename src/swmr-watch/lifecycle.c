#include "lifecycle.h"
#include "exit_status.h"

#include <errno.h>   /* ENOENT */

struct ready_verdict watch_readiness(const struct watch_facts *f,
                                     bool need_writer, bool vanish_said,
                                     bool until_set)
{
    struct ready_verdict v = { READY, WHY_NONE, STATUS_NOINPUT };
    if (f->open_errno) {
        v.why = WHY_CANNOT_OPEN;
        v.readiness = f->open_errno == ENOENT ? NOT_YET : NEVER;
        return v;
    }
    if (f->not_regular) {
        v.why = WHY_NOT_REGULAR;
        v.readiness = NEVER;
        return v;
    }
    v.status = STATUS_DATAERR;
    switch (f->sb) {
    case SB_OK:
        break;
    case SB_SHORT:
        v.why = WHY_EMPTY;
        v.readiness = NOT_YET;
        return v;
    case SB_NOT_HDF5:
        v.why = WHY_NOT_HDF5;
        v.readiness = NEVER;
        return v;
    case SB_TOO_OLD:
        v.why = WHY_TOO_OLD;
        v.readiness = NEVER;
        return v;
    }
    bool swmr = watch_sb_swmr_writing(f->flags);
    if (f->flags & SB_FLAG_WRITE && !swmr) {
        v.why = WHY_NOT_SWMR_YET;
        v.readiness = NOT_YET;
        return v;
    }
    /* After a writer went away the flags stay set, and a restarting writer
     * opens and closes the file a few times before it writes: only a
     * changed file shows that a new writer has really begun. */
    if (need_writer && vanish_said && swmr && !f->changed_since_seen) {
        v.why = WHY_NO_NEW_WRITER;
        v.readiness = NOT_YET;
        return v;
    }
    if (!need_writer)
        return v;
    /* A crash leaves the flags set: the kernel says whether a writer is
     * really there. A writer that came and closed the file while we were
     * not looking left it changed: show what it wrote. */
    bool active = swmr && f->writer_asked && f->writer != WRITER_ABSENT;
    bool closed_news = f->flags == 0 && f->changed_since_seen &&
                       f->writer_asked && f->writer == WRITER_ABSENT;
    if (active || closed_news)
        return v;
    v.why = WHY_NO_WRITER;
    /* --until is a promise about rows: if they are in already, no writer
     * is needed. Open it to look. */
    v.readiness = until_set && f->flags == 0 ? READY_PROVISIONAL : NOT_YET;
    return v;
}

enum writer_state watch_writer_state(const struct watch_facts *f,
                                     bool close_seen)
{
    if (f->open_errno || f->sb != SB_OK)
        return WRITER_ON;   /* cannot tell: assume nothing happened */
    if (!watch_sb_swmr_writing(f->flags))
        /* Open for writing but not in SWMR mode (yet): a writer getting
         * ready. Not a close while anyone has the file open to write. */
        return f->writer_asked && f->writer == WRITER_PRESENT
               ? WRITER_ON : WRITER_CLOSED;
    if (!f->writer_asked)
        return WRITER_ON;
    if (f->writer == WRITER_PRESENT ||
        (f->writer == WRITER_UNKNOWN && !close_seen))
        return WRITER_ON;
    return WRITER_VANISHED;
}

enum watch_phase watch_next_phase(enum watch_phase p, enum watch_happening h)
{
    if (p == PHASE_DONE || h == HAPPEN_END)
        return PHASE_DONE;
    switch (h) {
    case HAPPEN_NOTHING:
        return p;
    case HAPPEN_SHOWN:
        /* A writer that opened the file after one went away has shown
         * nothing new yet: if it goes away too, that is not news. */
        return p == PHASE_WRITER_GONE ? PHASE_WRITER_GONE : PHASE_WATCHING;
    case HAPPEN_CHANGE:
        return p == PHASE_STARTING ? p : PHASE_WATCHING;
    case HAPPEN_REFRESH_LOST:
        return PHASE_RECONNECTING;
    case HAPPEN_WRITER_CLOSED:
        return PHASE_WRITER_CLOSED;
    case HAPPEN_WRITER_GONE:
        return PHASE_WRITER_GONE;
    case HAPPEN_MOVED:
        return PHASE_REPLACED;
    case HAPPEN_END:
        break;
    }
    return PHASE_DONE;
}

const char *watch_phase_name(enum watch_phase p)
{
    static const char *const names[] = {
        [PHASE_STARTING] = "starting", [PHASE_WATCHING] = "watching",
        [PHASE_RECONNECTING] = "reconnecting",
        [PHASE_WRITER_CLOSED] = "writer closed",
        [PHASE_WRITER_GONE] = "writer gone", [PHASE_REPLACED] = "replaced",
        [PHASE_DONE] = "done",
    };
    return (unsigned)p < sizeof names / sizeof names[0] ? names[p] : "?";
}

static struct verdict end(int status, unsigned notices, const char *header)
{
    return (struct verdict){ STEP_END, status, false, notices, header,
                             HAPPEN_END };
}

struct verdict watch_on_writer(const struct watch_options *o,
                               enum writer_state state, bool at_open,
                               bool goal_reached, enum watch_phase phase)
{
    struct verdict v = { STEP_GO_ON, STATUS_OK, false, 0, NULL,
                         HAPPEN_NOTHING };
    if (state == WRITER_ON)
        return v;
    if (goal_reached)
        return end(STATUS_OK, 0, NULL);
    if (state == WRITER_CLOSED) {
        v.emit_close = !at_open;
        v.header = !at_open ? "writer closed the file"
                 : o->follow ? "no writer: waiting for one"
                 : "no writer has the file open";
        if (o->follow) {
            v.step = STEP_LET_GO;
            v.happened = HAPPEN_WRITER_CLOSED;
            return v;
        }
        v.step = STEP_END;
        v.happened = HAPPEN_END;
        /* --until is a promise about rows, --count about lines: a close
         * before it was kept is not a success. */
        if (o->until_set) {
            v.status = STATUS_UNTIL_UNMET;
            v.notices = at_open ? NOTICE_CLOSED_SHORT : NOTICE_UNTIL_UNMET;
        } else if (o->count) {
            v.status = STATUS_UNTIL_UNMET;
            v.notices = at_open ? NOTICE_CLOSED_COUNT : NOTICE_COUNT_UNMET;
        } else if (at_open) {
            v.notices = NOTICE_NO_WRITER;
        }
        return v;
    }
    if (o->follow) {
        v.step = STEP_LET_GO;
        v.header = "writer gone: waiting for a new one";
        if (phase != PHASE_WRITER_GONE)
            v.notices = NOTICE_WRITER_GONE;
        v.happened = HAPPEN_WRITER_GONE;
        return v;
    }
    return end(STATUS_UNAVAILABLE, NOTICE_VANISHED,
               "writer went away without closing the file");
}

struct verdict watch_on_moved(const struct watch_options *o, bool gone)
{
    unsigned notice = gone ? NOTICE_REMOVED : NOTICE_REPLACED;
    if (!o->follow)
        return end(STATUS_NOINPUT, notice, gone ? "file removed"
                                                : "file replaced");
    return (struct verdict){ STEP_LET_GO, STATUS_OK, false, notice,
                             "file replaced: waiting for it", HAPPEN_MOVED };
}

enum open_verdict watch_on_open(const struct open_facts *f)
{
    if (f->provisional && !f->until_reached)
        return OPENED_NOT_YET;
    /* --wait, before any writer was seen: a file that no writer has open
     * and that grew no row since we started was only touched by a writer
     * getting ready (swmr-append --append opens and closes it before it
     * starts SWMR; a restart after a kill passes through stale flags).
     * Keep waiting for the writer itself. */
    if (!f->reopen && f->based && !f->provisional && f->state != WRITER_ON &&
        !f->grew_since_base)
        return OPENED_NO_WRITER_YET;
    /* A restarting writer opens and closes the file before it settles:
     * while the one we said went away seems still gone, say nothing. */
    if (f->reopen && f->vanish_said && f->state == WRITER_VANISHED)
        return OPENED_LET_GO;
    /* Opened again with no writer on and nothing new in it: nothing to
     * say, and nothing to watch until the file changes again. */
    if (f->reopen && !f->news && f->state != WRITER_ON)
        return OPENED_LET_GO;
    return OPENED_SHOW;
}

const char *watch_state_header(enum writer_state state)
{
    return state == WRITER_ON ? "writer active"
         : state == WRITER_CLOSED ? "no writer has the file open"
         : "writer went away without closing the file";
}

int watch_ending(const struct watch_options *o, bool until_reached,
                 uint64_t lines)
{
    if (until_reached || (o->count && lines >= o->count))
        return STATUS_OK;
    return -1;
}

bool watch_timed_out(const struct watch_options *o, double now,
                     double last_growth)
{
    return o->timeout > 0 && now - last_growth >= o->timeout;
}
