/* swmr-append --progress: the status line's words, its timing on a
 * terminal and into a log, and the summary, driven with made-up clocks and
 * counters (no terminal, no input). */
#include <criterion/criterion.h>
#include <stdio.h>    /* sscanf */
#include <string.h>   /* strlen, strncmp, strstr, strchr */

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
    cr_assert_str_eq(buf, "0 rows (0/s), 0 bytes in, no flush yet");
}

Test(progress_text, one_flush_and_long_ago)
{
    struct progress_counts c = {
        .rows = 7, .bytes = 14, .flushes = 1, .last_flush = 10.0 };
    char buf[128];
    progress_text(&c, 0.5, 12.5, buf, sizeof buf);
    cr_assert_str_eq(buf, "7 rows (0.5/s), 14 bytes in, 1 flush, last 2.5 s ago");
    progress_text(&c, 0, 42.2, buf, sizeof buf);
    cr_assert(strstr(buf, ", last 32 s ago"), "%s", buf);
    progress_text(&c, 0, 75.0, buf, sizeof buf);
    cr_assert(strstr(buf, ", last 0:01:05 ago"), "%s", buf);
    progress_text(&c, 0, 100010.0, buf, sizeof buf);
    cr_assert(strstr(buf, ", last 27:46:40 ago"), "%s", buf);
}

Test(progress_text, one_row_one_byte_in_the_singular_as_the_summary_says)
{
    struct progress_counts c = { .rows = 1, .bytes = 1, .last_flush = -1 };
    char buf[128];
    progress_text(&c, 1, 3.0, buf, sizeof buf);
    cr_assert_str_eq(buf, "1 row (1.0/s), 1 byte in, no flush yet");
    /* Below 1000 the bytes are the summary's words: "21 bytes in". */
    c = (struct progress_counts){ .rows = 10, .bytes = 21, .flushes = 1,
                                  .last_flush = 2.9 };
    progress_text(&c, 0, 3.0, buf, sizeof buf);
    cr_assert_str_eq(buf, "10 rows (0/s), 21 bytes in, 1 flush, last 0.1 s ago");
    c.rows = 1000;
    progress_text(&c, 0, 3.0, buf, sizeof buf);
    cr_assert(strstr(buf, "1.00k rows ("), "%s", buf);
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
    /* "999 bytes" is wider, but it comes with fewer than 500 rows and
     * flushes (a row is at least 2 bytes). */
    c = (struct progress_counts){
        .rows = 499, .bytes = 999, .flushes = 499, .last_flush = 0 };
    progress_text(&c, 99.99e6, 99999.0, buf, sizeof buf);
    cr_assert_leq(strlen("swmr-append: ") + strlen(buf), 79, "%s", buf);
}

Test(progress_timing, terminal_draws_at_once_then_twice_a_second)
{
    struct progress p;
    progress_start(&p, PROGRESS_IN_PLACE, "swmr-append", 100.0);
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
    progress_start(&p, PROGRESS_LINES, "swmr-append", 100.0);
    cr_assert_not(progress_due(&p, 104.9), "no line at start in a log");
    cr_assert_float_eq(progress_wait(&p, 101.0), 4.0, 1e-9);
    cr_assert(progress_due(&p, 105.0));
    /* A late update (a long write) counts the next period from itself:
     * no burst of lines to catch up. */
    progress_update(&p, &busy, 107.0, 0);
    cr_assert_not(progress_due(&p, 111.9));
    cr_assert(progress_due(&p, 112.0));
}

Test(progress_timing, a_log_s_rate_is_over_the_5_s_since_its_last_line)
{
    struct progress p;
    progress_start(&p, PROGRESS_LINES, "x", 0.0);
    struct progress_counts c = { .rows = 100, .flushes = 1, .last_flush = 4.0 };
    cr_assert(strstr(progress_update(&p, &c, 5.0, 0), "100 rows (20.0/s),"));
    /* A stall of a whole window shows as 0 rows/s. */
    cr_assert(strstr(progress_update(&p, &c, 10.0, 0), "100 rows (0/s),"));
    c.rows = 5100;
    cr_assert(strstr(progress_update(&p, &c, 15.0, 0), "5.10k rows (1.00k/s),"));
}

/* The rate a frame shows, rows a second. */
static double shown_rate(const char *frame)
{
    double rate = -1;
    const char *open = strchr(frame, '(');
    cr_assert(open && sscanf(open, "(%lf/s)", &rate) == 1, "%s", frame);
    return rate;
}

/* A producer of a row a second (at 0.3 s past each second) and a terminal
 * redrawn every half second, each update JITTER(k) late. From T_STEADY on,
 * every frame's rate is within LOW..HIGH. */
static void one_row_a_second(double (*jitter)(unsigned), double t_steady,
                             double low, double high)
{
    struct progress p;
    progress_start(&p, PROGRESS_IN_PLACE, "swmr-append", 0.0);
    struct progress_counts c = { .last_flush = -1 };
    unsigned k = 0;
    for (double now = 0; now < 60; now = p.next + jitter(++k)) {
        c.rows = now < 0.3 ? 0 : (uint64_t)(now - 0.3) + 1;
        const char *f = progress_update(&p, &c, now, 100);
        if (now < t_steady)
            continue;
        double rate = shown_rate(f);
        cr_assert(rate >= low && rate <= high, "at %.3f s: %s", now, f);
    }
}

static double on_time(unsigned k)
{
    return 0.001 * (k % 4);   /* the wake-up's own lateness: ms */
}

static double sometimes_late(unsigned k)
{
    return k % 7 == 0 ? 0.3 : 0.001 * (k % 4);   /* a long write */
}

Test(progress_rate, one_row_a_second_reads_1_per_second_at_every_redraw)
{
    /* Over the half second since the last redraw it read 2.0/s and 0/s by
     * turns. */
    one_row_a_second(on_time, 5.5, 0.95, 1.05);
    char buf[128];
    struct progress p;
    progress_start(&p, PROGRESS_IN_PLACE, "swmr-append", 0.0);
    struct progress_counts c = { .rows = 10, .last_flush = -1 };
    for (double now = 0; now < 10; now += 0.5)
        progress_update(&p, &c, now, 100);
    c.rows = 15;
    snprintf(buf, sizeof buf, "%s", progress_update(&p, &c, 10.0, 100));
    cr_assert(strstr(buf, "15 rows (1.0/s),"), "%s", buf);
}

Test(progress_rate, late_updates_keep_it_near_1_per_second)
{
    /* An update 0.3 s late leaves the window between the updates a little
     * shorter or longer than 5 s, holding 4, 5 or 6 of the rows: within
     * 20%, never 2 and 0. */
    one_row_a_second(sometimes_late, 5.5, 0.8, 1.2);
}

Test(progress_rate, the_first_seconds_are_over_the_run_so_far)
{
    struct progress p;
    progress_start(&p, PROGRESS_IN_PLACE, "swmr-append", 0.0);
    struct progress_counts c = { .last_flush = -1 };
    cr_assert(strstr(progress_update(&p, &c, 0.0, 100), "0 rows (0/s),"),
              "nothing over no time");
    c.rows = 3;
    p.next = 0;
    cr_assert(strstr(progress_update(&p, &c, 2.0, 100), "3 rows (1.5/s),"));
}

Test(progress_rate, a_stall_reads_0_a_window_after_the_last_row)
{
    struct progress p;
    progress_start(&p, PROGRESS_IN_PLACE, "swmr-append", 0.0);
    struct progress_counts c = { .last_flush = -1 };
    double now = 0;
    for (; now < 10; now += 0.5) {
        c.rows = (uint64_t)(now * 100);
        progress_update(&p, &c, now, 100);
    }
    /* The last row came at 9.5 s. */
    cr_assert_float_eq(shown_rate(progress_update(&p, &c, 10.0, 100)), 90.0,
                       1e-9, "the last 5 s: 500 rows at 5 s, 950 at 10 s");
    cr_assert_gt(shown_rate(progress_update(&p, &c, 14.0, 100)), 0.0);
    cr_assert(strstr(progress_update(&p, &c, 15.0, 100), "(0/s)"),
              "no row in the 5.5 s since the last update with one");
}

Test(progress_rate, a_long_pause_between_updates_rates_that_pause)
{
    /* Nothing in the window but the last update (the loop was held 20 s
     * by a slow write): the rate is since that update. */
    struct progress p;
    progress_start(&p, PROGRESS_IN_PLACE, "swmr-append", 0.0);
    struct progress_counts c = { .rows = 0, .last_flush = -1 };
    progress_update(&p, &c, 0.0, 100);
    c.rows = 2000;
    cr_assert_float_eq(shown_rate(progress_update(&p, &c, 20.0, 100)), 100.0,
                       1e-9);
}

Test(progress_terminal, redrawn_in_place_and_cut_to_the_width)
{
    struct progress p;
    progress_start(&p, PROGRESS_IN_PLACE, "swmr-append", 0.0);
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
    progress_start(&p, PROGRESS_IN_PLACE, "a-program-name-long-enough-to-overflow", 0.0);
    const char *f = progress_update(&p, &busy, 100.0, 0);
    cr_assert_eq(strlen(f), 1 + 79 + 3, "%s", f);
}

Test(progress_terminal, messages_get_a_clean_line_then_the_status_returns)
{
    struct progress p;
    progress_start(&p, PROGRESS_IN_PLACE, "swmr-append", 0.0);
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
    progress_start(&p, PROGRESS_IN_PLACE, "swmr-append", 0.0);
    progress_final(&p, "run.h5: done", buf, sizeof buf);
    cr_assert_str_eq(buf, "swmr-append: run.h5: done\n", "no line drawn: none to replace");
    progress_start(&p, PROGRESS_IN_PLACE, "swmr-append", 0.0);
    progress_update(&p, &busy, 1.0, 100);
    progress_final(&p, "run.h5: done", buf, sizeof buf);
    cr_assert_str_eq(buf, "\rswmr-append: run.h5: done\x1b[K\n");
    cr_assert_str_eq(progress_before_message(&p), "",
                     "after the summary, messages are plain again");
}

Test(progress_summary_only, typed_input_gets_no_update_only_the_summary)
{
    struct progress p;
    char buf[256];
    progress_start(&p, PROGRESS_SUMMARY, "swmr-append", 0.0);
    cr_assert_not(progress_due(&p, 0.0));
    cr_assert_not(progress_due(&p, 1e9));
    cr_assert_lt(progress_wait(&p, 0.0), 0.0, "no deadline of its own");
    cr_assert_str_eq(progress_before_message(&p), "");
    progress_final(&p, "run.h5: done", buf, sizeof buf);
    cr_assert_str_eq(buf, "swmr-append: run.h5: done\n");
}

Test(progress_background, nothing_drawn_nor_erased_then_a_fresh_line)
{
    struct progress p;
    char buf[256];
    progress_start(&p, PROGRESS_IN_PLACE, "swmr-append", 0.0);
    progress_update(&p, &busy, 1.0, 100);
    /* ^Z, bg: the shell printed its prompt after the line. */
    progress_set_foreground(&p, false);
    cr_assert_str_eq(progress_update(&p, &busy, 1.5, 100), "",
                     "no line over the prompt");
    cr_assert_str_eq(progress_before_message(&p), "", "the prompt is not erased");
    cr_assert_str_eq(progress_after_message(&p), "", "nor a line drawn under it");
    cr_assert(progress_due(&p, 2.0), "updates go on, for the rate");
    /* fg: a fresh line where the cursor is. */
    progress_set_foreground(&p, true);
    const char *f = progress_update(&p, &busy, 2.0, 100);
    cr_assert_eq(strncmp(f, "\rswmr-append: 1.20M rows (", 26), 0, "%s", f);
    cr_assert_str_eq(progress_after_message(&p), f);
    /* The end in the background: a plain line, nothing erased. */
    progress_set_foreground(&p, false);
    progress_final(&p, "run.h5: done", buf, sizeof buf);
    cr_assert_str_eq(buf, "swmr-append: run.h5: done\n");
}

Test(progress_background, a_log_in_the_background_writes_nothing_either)
{
    struct progress p;
    progress_start(&p, PROGRESS_LINES, "swmr-append", 0.0);
    progress_set_foreground(&p, false);
    cr_assert_str_eq(progress_update(&p, &busy, 5.0, 0), "");
    progress_set_foreground(&p, true);
    cr_assert(strstr(progress_update(&p, &busy, 10.0, 0), "swmr-append: "));
}

Test(progress_log, whole_lines_without_escapes)
{
    struct progress p;
    char buf[256];
    progress_start(&p, PROGRESS_LINES, "swmr-append", 0.0);
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
