#include <criterion/criterion.h>

#include "flush_policy.h"

static const struct flush_policy plain = {
    .interval = 0.1, .rows = 100, .chunk_rows = 100, .chunk_aligned = false };
static const struct flush_policy deflate = {
    .interval = 0.1, .rows = 100, .chunk_rows = 100, .chunk_aligned = true };

Test(flush_policy, nothing_pending_is_never_due)
{
    struct flush_state s = { .written = 0, .pending = 0, .oldest = 0 };
    cr_assert_not(flush_due(&plain, &s, 1e9));
    cr_assert_lt(flush_wait(&plain, &s, 5), 0, "no deadline without rows");
}

Test(flush_policy, due_when_oldest_row_waited_the_interval)
{
    struct flush_state s = { .pending = 1, .oldest = 10.0 };
    cr_assert_not(flush_due(&plain, &s, 10.05));
    cr_assert(flush_due(&plain, &s, 10.1 + 1e-9));
    cr_assert_float_eq(flush_wait(&plain, &s, 10.04), 0.06, 1e-9);
    cr_assert_float_eq(flush_wait(&plain, &s, 11.0), 0.0, 1e-12,
                       "an overdue flush waits for nothing");
}

Test(flush_policy, due_when_rows_pile_up)
{
    struct flush_state s = { .pending = 99, .oldest = 10.0 };
    cr_assert_not(flush_due(&plain, &s, 10.0));
    s.pending = 100;
    cr_assert(flush_due(&plain, &s, 10.0), "a full buffer flushes at once");
    cr_assert_eq(flush_capacity(&plain), 100);
}

Test(flush_policy, compressed_ignores_time)
{
    struct flush_state s = { .written = 0, .pending = 50, .oldest = 0 };
    cr_assert_not(flush_due(&deflate, &s, 1e6), "partial chunks wait for close");
    cr_assert_lt(flush_wait(&deflate, &s, 0), 0);
    s.pending = 100;
    cr_assert(flush_due(&deflate, &s, 0));
}

Test(flush_policy, compressed_fills_a_partial_last_chunk_first)
{
    /* Appending to a dataset of 250 rows with chunks of 100: the first
     * flush must end the chunk at 300, not make another partial one. */
    struct flush_state s = { .written = 250, .pending = 49 };
    cr_assert_eq(flush_rows_due(&deflate, &s), 50);
    cr_assert_not(flush_due(&deflate, &s, 0));
    s.pending = 50;
    cr_assert(flush_due(&deflate, &s, 0));
    s.written = 300;
    s.pending = 50;
    cr_assert_eq(flush_rows_due(&deflate, &s), 100);
}

Test(flush_policy, flush_rows_smaller_than_a_chunk)
{
    struct flush_policy p = plain;
    p.rows = 10;
    struct flush_state s = { .pending = 10 };
    cr_assert(flush_due(&p, &s, 0));
    cr_assert_eq(flush_capacity(&p), 10);
}

Test(flush_policy, default_interval_is_longer_for_compressed_data)
{
    cr_assert_float_eq(flush_interval_for(-1, false), 0.1, 1e-12);
    cr_assert_float_eq(flush_interval_for(-1, true), 1.0, 1e-12,
                       "each compressed flush deflates the last chunk whole");
    cr_assert_float_eq(flush_interval_for(0.25, true), 0.25, 1e-12,
                       "a given --flush-interval is honoured");
    cr_assert_float_eq(flush_interval_for(0, true), 0.0, 1e-12);
}

Test(flush_policy, compressed_we_write_ourselves_flushes_by_time_and_rows)
{
    /* What --compress gives now: not chunk aligned, a 1 s interval. */
    const struct flush_policy p = { .interval = flush_interval_for(-1, true),
                                    .rows = 10, .chunk_rows = 100 };
    struct flush_state s = { .written = 250, .pending = 3, .oldest = 5.0 };
    cr_assert_not(flush_due(&p, &s, 5.5));
    cr_assert(flush_due(&p, &s, 6.0 + 1e-9), "a partial chunk is flushed in time");
    cr_assert_float_eq(flush_wait(&p, &s, 5.25), 0.75, 1e-9);
    s.pending = 10;
    cr_assert(flush_due(&p, &s, 5.0), "--flush-rows counts, not the chunk");
    cr_assert_eq(flush_capacity(&p), 10);
}
