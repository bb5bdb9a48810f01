/* lifecycle: every transition swmr-watch(1) promises, driven by made-up
 * facts instead of files and writers. */
#include <criterion/criterion.h>
#include <errno.h>
#include <sys/stat.h>   /* S_IFDIR, S_IFIFO */

#include "exit_status.h"
#include "lifecycle.h"

static struct watch_options opts(void)
{
    struct watch_options o;
    watch_options_defaults(&o);
    o.file = "run.h5";
    return o;
}

/* A file HDF5 1.10 wrote, with FLAGS, and the kernel's word on a writer. */
static struct watch_facts file_with(unsigned flags, enum writer_presence w)
{
    return (struct watch_facts){
        .sb = SB_OK, .sb_version = 3, .flags = flags,
        .writer_asked = w != WRITER_UNKNOWN, .writer = w,
        .changed_since_seen = true,
    };
}

enum { SWMR = SB_FLAG_WRITE | SB_FLAG_SWMR_WRITE };

/* ---- Ready or not ---- */

Test(readiness, a_missing_file_is_waited_for_an_unreadable_one_is_not)
{
    struct watch_facts f = { .open_errno = ENOENT };
    struct ready_verdict v = watch_readiness(&f, false, false, false);
    cr_assert_eq(v.readiness, NOT_YET);
    cr_assert_eq(v.status, STATUS_NOINPUT);   /* without --wait: 66 */
    f.open_errno = EACCES;
    v = watch_readiness(&f, false, false, false);
    cr_assert_eq(v.readiness, NEVER);
    cr_assert_eq(v.why, WHY_CANNOT_OPEN);
    f = (struct watch_facts){ .not_regular = S_IFDIR };
    cr_assert_eq(watch_readiness(&f, true, false, false).readiness, NEVER);
}

Test(readiness, what_is_no_regular_file_is_refused_at_once_even_waiting)
{
    struct watch_facts f = { .not_regular = S_IFIFO, .sb = SB_SHORT };
    struct ready_verdict v = watch_readiness(&f, true, false, false);
    cr_assert_eq(v.readiness, NEVER);   /* --wait gives up too */
    cr_assert_eq(v.why, WHY_NOT_REGULAR);
    cr_assert_eq(v.status, STATUS_NOINPUT);
}

Test(readiness, what_is_not_hdf5_yet_is_waited_for_what_never_will_be_is_not)
{
    struct watch_facts f = { .sb = SB_SHORT };
    struct ready_verdict v = watch_readiness(&f, true, false, false);
    cr_assert_eq(v.readiness, NOT_YET);
    cr_assert_eq(v.why, WHY_EMPTY);
    f.sb = SB_NOT_HDF5;
    v = watch_readiness(&f, true, false, false);
    cr_assert_eq(v.readiness, NEVER);
    cr_assert_eq(v.status, STATUS_DATAERR);
    f.sb = SB_TOO_OLD;
    cr_assert_eq(watch_readiness(&f, false, false, false).why, WHY_TOO_OLD);
}

Test(readiness, open_for_writing_before_swmr_is_not_ready)
{
    struct watch_facts f = file_with(SB_FLAG_WRITE, WRITER_PRESENT);
    struct ready_verdict v = watch_readiness(&f, false, false, false);
    cr_assert_eq(v.readiness, NOT_YET);
    cr_assert_eq(v.why, WHY_NOT_SWMR_YET);
}

Test(readiness, without_wait_a_closed_file_is_ready)
{
    struct watch_facts f = file_with(0, WRITER_UNKNOWN);
    cr_assert_eq(watch_readiness(&f, false, false, false).readiness, READY);
}

Test(readiness, wait_needs_a_live_swmr_writer)
{
    struct watch_facts f = file_with(SWMR, WRITER_PRESENT);
    cr_assert_eq(watch_readiness(&f, true, false, false).readiness, READY);
    /* Flags a killed writer left, and nobody writes: keep waiting. */
    f = file_with(SWMR, WRITER_ABSENT);
    struct ready_verdict v = watch_readiness(&f, true, false, false);
    cr_assert_eq(v.readiness, NOT_YET);
    cr_assert_eq(v.why, WHY_NO_WRITER);
    /* Another user's writer the kernel will not tell about: trust flags. */
    f = file_with(SWMR, WRITER_UNKNOWN);
    f.writer_asked = true;
    cr_assert_eq(watch_readiness(&f, true, false, false).readiness, READY);
}

Test(readiness, a_writer_that_came_and_closed_meanwhile_is_shown)
{
    struct watch_facts f = file_with(0, WRITER_ABSENT);
    cr_assert_eq(watch_readiness(&f, true, false, false).readiness, READY);
    f.changed_since_seen = false;   /* untouched since we let go */
    cr_assert_eq(watch_readiness(&f, true, false, false).readiness, NOT_YET);
}

Test(readiness, until_on_a_closed_file_looks_at_the_rows_first)
{
    struct watch_facts f = file_with(0, WRITER_ABSENT);
    f.changed_since_seen = false;
    struct ready_verdict v = watch_readiness(&f, true, false, true);
    cr_assert_eq(v.readiness, READY_PROVISIONAL);
    /* Not while flags say a writer is (or was) there. */
    f = file_with(SWMR, WRITER_ABSENT);
    cr_assert_eq(watch_readiness(&f, true, false, true).readiness, NOT_YET);
}

Test(readiness, follow_after_a_killed_writer_waits_for_a_change)
{
    struct watch_facts f = file_with(SWMR, WRITER_PRESENT);
    f.changed_since_seen = false;
    struct ready_verdict v = watch_readiness(&f, true, true, false);
    cr_assert_eq(v.readiness, NOT_YET);
    cr_assert_eq(v.why, WHY_NO_NEW_WRITER);
    f.changed_since_seen = true;   /* a restarted writer wrote */
    cr_assert_eq(watch_readiness(&f, true, true, false).readiness, READY);
}

/* ---- The writer ---- */

Test(writer_state, from_flags_and_the_kernel)
{
    struct watch_facts f = file_with(SWMR, WRITER_UNKNOWN);
    cr_assert_eq(watch_writer_state(&f, false), WRITER_ON);   /* not asked */
    f = file_with(SWMR, WRITER_PRESENT);
    cr_assert_eq(watch_writer_state(&f, true), WRITER_ON);
    f = file_with(SWMR, WRITER_ABSENT);
    cr_assert_eq(watch_writer_state(&f, false), WRITER_VANISHED);  /* kill -9 */
    f = file_with(0, WRITER_ABSENT);
    cr_assert_eq(watch_writer_state(&f, true), WRITER_CLOSED);
    f = file_with(0, WRITER_UNKNOWN);
    cr_assert_eq(watch_writer_state(&f, false), WRITER_CLOSED);
}

Test(writer_state, a_writer_between_a_close_and_its_reopen_is_on)
{
    /* swmr-append --append --attr closes the file and opens it again:
     * flags cleared, or "writing, not SWMR", while it still holds it. */
    struct watch_facts f = file_with(0, WRITER_PRESENT);
    cr_assert_eq(watch_writer_state(&f, false), WRITER_ON);
    f = file_with(SB_FLAG_WRITE, WRITER_PRESENT);
    cr_assert_eq(watch_writer_state(&f, false), WRITER_ON);
}

Test(writer_state, unknown_to_the_kernel_is_gone_only_once_a_close_was_seen)
{
    struct watch_facts f = file_with(SWMR, WRITER_UNKNOWN);
    f.writer_asked = true;
    cr_assert_eq(watch_writer_state(&f, false), WRITER_ON);
    cr_assert_eq(watch_writer_state(&f, true), WRITER_VANISHED);
}

Test(writer_state, an_unreadable_superblock_changes_nothing)
{
    struct watch_facts f = { .sb = SB_SHORT };
    cr_assert_eq(watch_writer_state(&f, true), WRITER_ON);
}

/* ---- While watching ---- */

Test(on_writer, a_close_ends_with_0_and_close_lines)
{
    struct watch_options o = opts();
    struct verdict v = watch_on_writer(&o, WRITER_CLOSED, false, false,
                                       PHASE_WRITER_GONE);
    cr_assert_eq(v.step, STEP_END);
    cr_assert_eq(v.status, STATUS_OK);
    cr_assert(v.emit_close);
    cr_assert_eq(v.notices, 0);
    cr_assert_str_eq(v.header, "writer closed the file");
    cr_assert_eq(v.happened, HAPPEN_END);
    o.follow = true;
    v = watch_on_writer(&o, WRITER_CLOSED, false, false, PHASE_WRITER_GONE);
    cr_assert_eq(watch_next_phase(PHASE_WRITER_GONE, v.happened),
                 PHASE_WRITER_CLOSED,
                 "a close is news: a later vanish is said again");
}

Test(on_writer, a_close_short_of_until_is_1)
{
    struct watch_options o = opts();
    o.until_set = true;
    o.until = 10;
    struct verdict v = watch_on_writer(&o, WRITER_CLOSED, false, false, PHASE_WATCHING);
    cr_assert_eq(v.status, STATUS_UNTIL_UNMET);
    cr_assert_eq(v.notices, NOTICE_UNTIL_UNMET);
    /* The rows were in: 0, whatever the writer did. */
    v = watch_on_writer(&o, WRITER_CLOSED, false, true, PHASE_WATCHING);
    cr_assert_eq(v.step, STEP_END);
    cr_assert_eq(v.status, STATUS_OK);
}

Test(on_writer, closed_at_the_start_short_of_until_is_1_without_a_close)
{
    struct watch_options o = opts();
    o.until_set = true;
    o.until = 10;
    struct verdict v = watch_on_writer(&o, WRITER_CLOSED, true, false, PHASE_WATCHING);
    cr_assert_eq(v.status, STATUS_UNTIL_UNMET);
    cr_assert_eq(v.notices, NOTICE_CLOSED_SHORT, "one message, not two");
    cr_assert_not(v.emit_close);
}

Test(on_writer, a_close_short_of_count_is_1_as_for_until)
{
    struct watch_options o = opts();
    o.count = 10;
    struct verdict v = watch_on_writer(&o, WRITER_CLOSED, false, false,
                                       PHASE_WATCHING);
    cr_assert_eq(v.step, STEP_END);
    cr_assert_eq(v.status, STATUS_UNTIL_UNMET);
    cr_assert_eq(v.notices, NOTICE_COUNT_UNMET);
    cr_assert(v.emit_close, "the close lines still come");
    o.until_set = true;
    o.until = 5;
    struct verdict u = watch_on_writer(&o, WRITER_CLOSED, false, false,
                                       PHASE_WATCHING);
    cr_assert_eq(u.status, v.status, "--count ends as --until does");
    cr_assert_eq(u.notices, NOTICE_UNTIL_UNMET, "one message, not two");
    /* The count was met by the last lines: 0. */
    v = watch_on_writer(&o, WRITER_CLOSED, false, true, PHASE_WATCHING);
    cr_assert_eq(v.step, STEP_END);
    cr_assert_eq(v.status, STATUS_OK);
    /* Closed when we came: 1, no close lines. */
    o.until_set = false;
    v = watch_on_writer(&o, WRITER_CLOSED, true, false, PHASE_WATCHING);
    cr_assert_eq(v.status, STATUS_UNTIL_UNMET);
    cr_assert_eq(v.notices, NOTICE_CLOSED_COUNT);
    cr_assert_not(v.emit_close);
    /* --follow waits for the next writer; a killed writer is 69. */
    o.follow = true;
    v = watch_on_writer(&o, WRITER_CLOSED, false, false, PHASE_WATCHING);
    cr_assert_eq(v.step, STEP_LET_GO);
    o.follow = false;
    v = watch_on_writer(&o, WRITER_VANISHED, false, false, PHASE_WATCHING);
    cr_assert_eq(v.status, STATUS_UNAVAILABLE);
}

Test(on_writer, no_writer_at_the_start_is_no_close)
{
    struct watch_options o = opts();
    struct verdict v = watch_on_writer(&o, WRITER_CLOSED, true, false, PHASE_WATCHING);
    cr_assert_eq(v.step, STEP_END);
    cr_assert_not(v.emit_close);
    cr_assert_eq(v.notices, NOTICE_NO_WRITER);
    cr_assert_str_eq(v.header, "no writer has the file open");
}

Test(on_writer, follow_goes_on_through_a_close)
{
    struct watch_options o = opts();
    o.follow = true;
    struct verdict v = watch_on_writer(&o, WRITER_CLOSED, false, false, PHASE_WATCHING);
    cr_assert_eq(v.step, STEP_LET_GO);
    cr_assert(v.emit_close);
    v = watch_on_writer(&o, WRITER_CLOSED, true, false, PHASE_WATCHING);
    cr_assert_eq(v.step, STEP_LET_GO);
    cr_assert_str_eq(v.header, "no writer: waiting for one");
}

Test(on_writer, a_killed_writer_is_69)
{
    struct watch_options o = opts();
    struct verdict v = watch_on_writer(&o, WRITER_VANISHED, false, false, PHASE_WATCHING);
    cr_assert_eq(v.step, STEP_END);
    cr_assert_eq(v.status, STATUS_UNAVAILABLE);
    cr_assert_eq(v.notices, NOTICE_VANISHED);
}

Test(on_writer, follow_says_a_killed_writer_once_and_waits)
{
    struct watch_options o = opts();
    o.follow = true;
    struct verdict v = watch_on_writer(&o, WRITER_VANISHED, false, false,
                                       PHASE_WATCHING);
    cr_assert_eq(v.step, STEP_LET_GO);
    cr_assert_eq(v.notices, NOTICE_WRITER_GONE);
    enum watch_phase p = watch_next_phase(PHASE_WATCHING, v.happened);
    cr_assert_eq(p, PHASE_WRITER_GONE);
    v = watch_on_writer(&o, WRITER_VANISHED, false, false, p);
    cr_assert_eq(v.step, STEP_LET_GO);
    cr_assert_eq(v.notices, 0, "said twice");
}

Test(on_writer, a_live_writer_changes_nothing)
{
    struct watch_options o = opts();
    struct verdict v = watch_on_writer(&o, WRITER_ON, false, true,
                                       PHASE_WRITER_GONE);
    cr_assert_eq(v.step, STEP_GO_ON);
    cr_assert_eq(v.happened, HAPPEN_NOTHING);
}

Test(on_moved, removed_or_replaced_is_66_or_followed)
{
    struct watch_options o = opts();
    struct verdict v = watch_on_moved(&o, true);
    cr_assert_eq(v.step, STEP_END);
    cr_assert_eq(v.status, STATUS_NOINPUT);
    cr_assert_eq(v.notices, NOTICE_REMOVED);
    cr_assert_str_eq(v.header, "file removed");
    v = watch_on_moved(&o, false);
    cr_assert_eq(v.notices, NOTICE_REPLACED);
    o.follow = true;
    v = watch_on_moved(&o, false);
    cr_assert_eq(v.step, STEP_LET_GO);
    cr_assert_str_eq(v.header, "file replaced: waiting for it");
}

/* ---- Opening ---- */

Test(on_open, a_first_open_shows)
{
    struct open_facts f = { .news = true, .state = WRITER_ON };
    cr_assert_eq(watch_on_open(&f), OPENED_SHOW);
    f.state = WRITER_CLOSED;   /* a closed file without --wait: shown */
    cr_assert_eq(watch_on_open(&f), OPENED_SHOW);
}

Test(on_open, a_provisional_look_short_of_until_waits)
{
    struct open_facts f = { .provisional = true, .news = true,
                            .state = WRITER_CLOSED };
    cr_assert_eq(watch_on_open(&f), OPENED_NOT_YET);
    f.until_reached = true;
    cr_assert_eq(watch_on_open(&f), OPENED_SHOW);
}

Test(on_open, wait_ignores_a_writer_getting_ready)
{
    /* --wait on an existing file: opened and closed by a writer that has
     * not started SWMR, no row added. */
    struct open_facts f = { .based = true, .news = true,
                            .state = WRITER_CLOSED };
    cr_assert_eq(watch_on_open(&f), OPENED_NO_WRITER_YET);
    f.grew_since_base = true;
    cr_assert_eq(watch_on_open(&f), OPENED_SHOW);
    f.grew_since_base = false;
    f.state = WRITER_ON;
    cr_assert_eq(watch_on_open(&f), OPENED_SHOW);
}

Test(on_open, follow_reopens_quietly_until_there_is_news)
{
    struct open_facts f = { .reopen = true, .state = WRITER_CLOSED };
    cr_assert_eq(watch_on_open(&f), OPENED_LET_GO);
    f.news = true;
    cr_assert_eq(watch_on_open(&f), OPENED_SHOW);
    /* A restarting writer, while the one that went away still seems gone. */
    f = (struct open_facts){ .reopen = true, .news = true, .vanish_said = true,
                             .state = WRITER_VANISHED };
    cr_assert_eq(watch_on_open(&f), OPENED_LET_GO);
    f.state = WRITER_ON;
    cr_assert_eq(watch_on_open(&f), OPENED_SHOW);
}

Test(on_open, headers)
{
    cr_assert_str_eq(watch_state_header(WRITER_ON), "writer active");
    cr_assert_str_eq(watch_state_header(WRITER_CLOSED),
                     "no writer has the file open");
    cr_assert_str_eq(watch_state_header(WRITER_VANISHED),
                     "writer went away without closing the file");
}

/* ---- Endings ---- */

Test(endings, until_and_count)
{
    struct watch_options o = opts();
    cr_assert_eq(watch_ending(&o, false, 1000), -1);
    cr_assert_eq(watch_ending(&o, true, 0), STATUS_OK);
    o.count = 3;
    cr_assert_eq(watch_ending(&o, false, 2), -1);
    cr_assert_eq(watch_ending(&o, false, 3), STATUS_OK);
}

Test(endings, timeout_counts_from_the_last_growth)
{
    struct watch_options o = opts();
    cr_assert_not(watch_timed_out(&o, 1e6, 0));   /* 0: never */
    o.timeout = 2;
    cr_assert_not(watch_timed_out(&o, 11.9, 10));
    cr_assert(watch_timed_out(&o, 12, 10));
}

/* ---- Phases: the man page's promises as sequences of happenings ---- */

Test(phase, a_first_open_starts_watching_and_a_close_ends_it)
{
    struct watch_options o = opts();
    enum watch_phase p = watch_next_phase(PHASE_STARTING, HAPPEN_SHOWN);
    cr_assert_eq(p, PHASE_WATCHING);
    struct verdict v = watch_on_writer(&o, WRITER_CLOSED, false, false, p);
    cr_assert_eq(watch_next_phase(p, v.happened), PHASE_DONE);
}

Test(phase, nothing_to_show_yet_is_still_starting)
{
    /* --wait: no change line can come before the first open, and a wait
     * moves nothing. */
    cr_assert_eq(watch_next_phase(PHASE_STARTING, HAPPEN_CHANGE),
                 PHASE_STARTING);
    cr_assert_eq(watch_next_phase(PHASE_STARTING, HAPPEN_NOTHING),
                 PHASE_STARTING);
    cr_assert_eq(watch_next_phase(PHASE_STARTING, HAPPEN_END), PHASE_DONE);
}

Test(phase, follow_through_a_close_and_the_next_writer)
{
    struct watch_options o = opts();
    o.follow = true;
    enum watch_phase p = PHASE_WATCHING;
    struct verdict v = watch_on_writer(&o, WRITER_CLOSED, false, false, p);
    cr_assert_eq(v.step, STEP_LET_GO);
    p = watch_next_phase(p, v.happened);
    cr_assert_eq(p, PHASE_WRITER_CLOSED);
    /* The next writer: the file needs a writer to be ready again. */
    struct watch_facts f = file_with(0, WRITER_ABSENT);
    f.changed_since_seen = false;
    cr_assert_eq(watch_readiness(&f, true, p == PHASE_WRITER_GONE, false)
                     .readiness, NOT_YET);
    f = file_with(SWMR, WRITER_PRESENT);
    cr_assert_eq(watch_readiness(&f, true, p == PHASE_WRITER_GONE, false)
                     .readiness, READY);
    p = watch_next_phase(p, HAPPEN_SHOWN);
    cr_assert_eq(p, PHASE_WATCHING);
}

Test(phase, follow_through_a_kill_says_it_once_per_writer)
{
    struct watch_options o = opts();
    o.follow = true;
    enum watch_phase p = PHASE_WATCHING;
    struct verdict v = watch_on_writer(&o, WRITER_VANISHED, false, false, p);
    cr_assert_eq(v.notices, NOTICE_WRITER_GONE);
    p = watch_next_phase(p, v.happened);
    cr_assert_eq(p, PHASE_WRITER_GONE);
    /* The stale flags alone are no new writer: wait for a changed file. */
    struct watch_facts f = file_with(SWMR, WRITER_ABSENT);
    f.changed_since_seen = false;
    struct ready_verdict r = watch_readiness(&f, true, p == PHASE_WRITER_GONE,
                                             false);
    cr_assert_eq(r.readiness, NOT_YET);
    cr_assert_eq(r.why, WHY_NO_NEW_WRITER);
    /* A restarting writer opens the file and dies before writing: quiet. */
    p = watch_next_phase(p, HAPPEN_SHOWN);
    cr_assert_eq(p, PHASE_WRITER_GONE);
    v = watch_on_writer(&o, WRITER_VANISHED, false, false, p);
    cr_assert_eq(v.notices, 0);
    /* One that writes is news: its going away is said again. */
    p = watch_next_phase(p, HAPPEN_CHANGE);
    cr_assert_eq(p, PHASE_WATCHING);
    v = watch_on_writer(&o, WRITER_VANISHED, false, false, p);
    cr_assert_eq(v.notices, NOTICE_WRITER_GONE);
}

Test(phase, a_kill_without_follow_ends)
{
    struct watch_options o = opts();
    struct verdict v = watch_on_writer(&o, WRITER_VANISHED, false, false,
                                       PHASE_WATCHING);
    cr_assert_eq(v.status, STATUS_UNAVAILABLE);
    cr_assert_eq(watch_next_phase(PHASE_WATCHING, v.happened), PHASE_DONE);
}

Test(phase, follow_a_replaced_file)
{
    struct watch_options o = opts();
    o.follow = true;
    struct verdict v = watch_on_moved(&o, false);
    enum watch_phase p = watch_next_phase(PHASE_WATCHING, v.happened);
    cr_assert_eq(p, PHASE_REPLACED);
    cr_assert_eq(watch_next_phase(p, HAPPEN_SHOWN), PHASE_WATCHING);
    o.follow = false;
    v = watch_on_moved(&o, true);
    cr_assert_eq(watch_next_phase(PHASE_WATCHING, v.happened), PHASE_DONE);
}

Test(phase, a_lost_refresh_reconnects_quietly)
{
    enum watch_phase p = watch_next_phase(PHASE_WATCHING, HAPPEN_REFRESH_LOST);
    cr_assert_eq(p, PHASE_RECONNECTING);
    cr_assert_eq(watch_next_phase(p, HAPPEN_SHOWN), PHASE_WATCHING);
}

Test(phase, until_count_and_timeout_end_from_any_phase)
{
    struct watch_options o = opts();
    o.until_set = true;
    o.until = 5;
    cr_assert_eq(watch_ending(&o, true, 0), STATUS_OK);
    struct verdict v = watch_on_writer(&o, WRITER_CLOSED, false, true,
                                       PHASE_WATCHING);
    cr_assert_eq(v.happened, HAPPEN_END);
    for (enum watch_phase p = PHASE_STARTING; p <= PHASE_DONE; p++) {
        cr_assert_eq(watch_next_phase(p, HAPPEN_END), PHASE_DONE);
        cr_assert_str_neq(watch_phase_name(p), "?");
    }
    /* Nothing leaves DONE. */
    for (enum watch_happening h = HAPPEN_NOTHING; h <= HAPPEN_END; h++)
        cr_assert_eq(watch_next_phase(PHASE_DONE, h), PHASE_DONE);
}

Test(phase, a_new_file_or_a_reconnection_forgets_the_writer_that_went)
{
    cr_assert_eq(watch_next_phase(PHASE_WRITER_GONE, HAPPEN_MOVED),
                 PHASE_REPLACED);
    cr_assert_eq(watch_next_phase(PHASE_WRITER_GONE, HAPPEN_REFRESH_LOST),
                 PHASE_RECONNECTING);
    cr_assert_eq(watch_next_phase(PHASE_WRITER_GONE, HAPPEN_WRITER_CLOSED),
                 PHASE_WRITER_CLOSED);
}
