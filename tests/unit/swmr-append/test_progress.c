/* swmr-append --progress: the status line's words, its timing on a
 * terminal and into a log, and the summary, driven with made-up clocks and
 * counters (no terminal, no input). */
#include <criterion/criterion.h>
#include <string.h>   /* strlen, strncmp, strstr */

#include "progress.h"

static const struct progress_counts busy = {
    .rows = 1200000, .bytes = 12897485, .flushes = 146, .last_flush = 99.9 };

Test(progress_text, human_units_like_pv_and_dd)
{
    char buf[128];
    progress_text(&busy, 45300, 100.0, buf, sizeof buf);
    cr_assert_str_eq(buf, "1.20M rows (45.3k/s), 12.3 MiB in, 146 "
                     "flushes, last 0.1 s ago");
}

Test(progress_text, before_the_first_flush)
{
    struct progress_counts c = { .last_flush = -1 };
    char buf[128];
    progress_text(&c, 0, 3.0, buf, sizeof buf);
    cr_assert_str_eq(buf, "0 rows (0/s), 0 B in, no flush yet");
}

Test(progress_text, one_flush_and_long_ago)
{
    struct progress_counts c = {
        .rows = 7, .bytes = 14, .flushes = 1, .last_flush = 10.0 };
    char buf[128];
    progress_text(&c, 0.5, 12.5, buf, sizeof buf);
    cr_assert_str_eq(buf, "7 rows (0.5/s), 14 B in, 1 flush, last 2.5 s ago");
    progress_text(&c, 0, 42.2, buf, sizeof buf);
    cr_assert(strstr(buf, ", last 32 s ago"), "%s", buf);
    progress_text(&c, 0, 75.0, buf, sizeof buf);
    cr_assert(strstr(buf, ", last 0:01:05 ago"), "%s", buf);
    progress_text(&c, 0, 100010.0, buf, sizeof buf);
    cr_assert(strstr(buf, ", last 27:46:40 ago"), "%s", buf);
}

Test(progress_text, fits_an_80_column_terminal_whatever_the_numbers)
{
    /* The widest of each: 5 characters a number, 8 for bytes and ages. */
    struct progress_counts c = {
        .rows = 999999, .bytes = 1023, .flushes = 99999, .last_flush = 0 };
    char buf[128];
    progress_text(&c, 99.99e6, 99999.0, buf, sizeof buf);
    cr_assert_str_eq(buf, "1.00M rows (100M/s), 1.00 KiB in, 100k flushes, "
                     "last 27:46:39 ago");
    cr_assert_leq(strlen("swmr-append: ") + strlen(buf), 79);
    c.bytes = 1023ull << 50;
    c.flushes = 1000;
    progress_text(&c, 9.99e6, 9.9, buf, sizeof buf);
    cr_assert_leq(strlen("swmr-append: ") + strlen(buf), 79, "%s", buf);
}

Test(progress_timing, terminal_draws_at_once_then_twice_a_second)
{
    struct progress p;
    progress_start(&p, true, "swmr-append", 100.0);
    cr_assert(progress_due(&p, 100.0), "the line shows before the first row");
    cr_assert_float_eq(progress_wait(&p, 100.0), 0.0, 1e-12);
    progress_update(&p, &busy, 100.0, 100);
    cr_assert_not(progress_due(&p, 100.49));
    cr_assert_float_eq(progress_wait(&p, 100.2), 0.3, 1e-9);
    cr_assert(progress_due(&p, 100.5));
    cr_assert_float_eq(progress_wait(&p, 101.0), 0.0, 1e-12,
                       "an overdue update waits for nothing");
}

Test(progress_timing, a_log_gets_a_line_every_five_seconds)
{
    struct progress p;
    progress_start(&p, false, "swmr-append", 100.0);
    cr_assert_not(progress_due(&p, 104.9), "no line at start in a log");
    cr_assert_float_eq(progress_wait(&p, 101.0), 4.0, 1e-9);
    cr_assert(progress_due(&p, 105.0));
    /* A late update (a long write) counts the next period from itself:
     * no burst of lines to catch up. */
    progress_update(&p, &busy, 107.0, 0);
    cr_assert_not(progress_due(&p, 111.9));
    cr_assert(progress_due(&p, 112.0));
}

Test(progress_timing, the_rate_is_over_the_last_period)
{
    struct progress p;
    progress_start(&p, false, "x", 0.0);
    struct progress_counts c = { .rows = 100, .flushes = 1, .last_flush = 4.0 };
    cr_assert(strstr(progress_update(&p, &c, 5.0, 0), "100 rows (20.0/s),"));
    /* A stall shows at once as 0 rows/s, not as an average decaying. */
    cr_assert(strstr(progress_update(&p, &c, 10.0, 0), "100 rows (0/s),"));
    c.rows = 5100;
    cr_assert(strstr(progress_update(&p, &c, 15.0, 0), "5.10k rows (1.00k/s),"));
}

Test(progress_terminal, redrawn_in_place_and_cut_to_the_width)
{
    struct progress p;
    progress_start(&p, true, "swmr-append", 0.0);
    const char *f = progress_update(&p, &busy, 100.0, 100);
    cr_assert_str_eq(f, "\rswmr-append: 1.20M rows (12.0k/s), 12.3 MiB "
                     "in, 146 flushes, last 0.1 s ago\x1b[K",
                     "a carriage return, the line, erase the rest; no newline");
    p.next = 0;
    f = progress_update(&p, &busy, 100.5, 40);
    size_t n = strlen(f);
    cr_assert_eq(n, 1 + 39 + 3, "39 columns in a 40-column terminal: %zu", n);
    cr_assert_eq(strncmp(f, "\rswmr-append: 1.20M rows (0/s), 12.3 MiB", 40), 0,
                 "%s", f);
    cr_assert_str_eq(f + 40, "\x1b[K");
}

Test(progress_terminal, an_unknown_width_is_80)
{
    struct progress p;
    progress_start(&p, true, "a-program-name-long-enough-to-overflow", 0.0);
    const char *f = progress_update(&p, &busy, 100.0, 0);
    cr_assert_eq(strlen(f), 1 + 79 + 3, "%s", f);
}

Test(progress_terminal, messages_get_a_clean_line_then_the_status_returns)
{
    struct progress p;
    progress_start(&p, true, "swmr-append", 0.0);
    cr_assert_str_eq(progress_before_message(&p), "", "nothing drawn yet");
    cr_assert_str_eq(progress_after_message(&p), "");
    const char *f = progress_update(&p, &busy, 1.0, 100);
    cr_assert_str_eq(progress_before_message(&p), "\r\x1b[K");
    cr_assert_str_eq(progress_after_message(&p), f);
}

Test(progress_terminal, the_summary_replaces_the_line)
{
    struct progress p;
    char buf[256];
    progress_start(&p, true, "swmr-append", 0.0);
    progress_final(&p, "run.h5: done", buf, sizeof buf);
    cr_assert_str_eq(buf, "swmr-append: run.h5: done\n", "no line drawn: none to replace");
    progress_start(&p, true, "swmr-append", 0.0);
    progress_update(&p, &busy, 1.0, 100);
    progress_final(&p, "run.h5: done", buf, sizeof buf);
    cr_assert_str_eq(buf, "\rswmr-append: run.h5: done\x1b[K\n");
    cr_assert_str_eq(progress_before_message(&p), "",
                     "after the summary, messages are plain again");
}

Test(progress_log, whole_lines_without_escapes)
{
    struct progress p;
    char buf[256];
    progress_start(&p, false, "swmr-append", 0.0);
    const char *f = progress_update(&p, &busy, 100.0, 40);
    cr_assert_str_eq(f, "swmr-append: 1.20M rows (12.0k/s), 12.3 MiB in, "
                     "146 flushes, last 0.1 s ago\n", "not cut: a log has no width");
    cr_assert_str_eq(progress_before_message(&p), "");
    cr_assert_str_eq(progress_after_message(&p), "");
    progress_final(&p, "run.h5: done", buf, sizeof buf);
    cr_assert_str_eq(buf, "swmr-append: run.h5: done\n");
}

Test(progress_summary, exact_counts_as_v_printed_them)
{
    struct progress_counts c = { .rows = 10, .bytes = 21, .flushes = 1 };
    char buf[256];
    progress_summary("run.h5", &c, 0.002, 4567, buf, sizeof buf);
    cr_assert_str_eq(buf, "run.h5: 10 rows appended in 0.002 s (5.00k rows/s), "
                     "21 bytes in, 1 flush, file 4567 bytes");
    c = (struct progress_counts){ .rows = 1, .bytes = 1, .flushes = 2 };
    progress_summary("run.h5", &c, 0.0, 100, buf, sizeof buf);
    cr_assert_str_eq(buf, "run.h5: 1 row appended in 0.000 s (0 rows/s), "
                     "1 byte in, 2 flushes, file 100 bytes");
    c = (struct progress_counts){ 0 };
    progress_summary("run.h5", &c, 1.5, -1, buf, sizeof buf);
    cr_assert_str_eq(buf, "run.h5: 0 rows appended in 1.500 s (0 rows/s), "
                     "0 bytes in, 0 flushes", "no file written: none named");
}
