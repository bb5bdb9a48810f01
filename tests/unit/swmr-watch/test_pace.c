/* pace.c: a watcher that falls behind a flood waits longer between rounds,
 * one that keeps up never waits. */
#include <criterion/criterion.h>
#include <math.h>   /* floor */

#include "pace.h"

/* A fixed sequence of numbers in [0, 1) for the rounds' RANDOM. */
static double next_random(void)
{
    static unsigned long long x = 88172645463325252ull;
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    return (double)(x >> 11) / 9007199254740992.0;
}

/* A writer that writes every STEP seconds from the end of P's last round,
 * a watcher whose rounds take ROUND seconds and that waits as pace_hold
 * says; N writes. The gap after each write in GAPS, the total time waited
 * in *HELD. */
static void follow(struct pace *p, double step, double round, int n,
                   double *gaps, double *held)
{
    double first = p->any ? p->ended + step : 0, t = first;
    *held = 0;
    for (int i = 0; i < n; i++) {
        double write = first + i * step;
        gaps[i] = p->gap;
        if (write < t)
            continue;   /* read by the round that is still running */
        pace_write(p, write);
        gaps[i] = p->gap;
        double hold = pace_hold(p, write);
        *held += hold;
        double start = write + hold, end = start + round;
        double last = first + floor((end - first) / step) * step;
        pace_round(p, start, end, last > start, false, next_random());
        t = write + hold + round;
    }
}

Test(pace, a_watcher_that_keeps_up_never_waits)
{
    struct pace p = { 0 };
    cr_assert_eq(pace_hold(&p, 0), 0);
    double gaps[300], held;
    follow(&p, 0.01, 0.0004, 300, gaps, &held);   /* 100 flushes a second */
    cr_assert_eq(held, 0);
    cr_assert_eq(p.gap, 0);
    /* Even rounds that take a tenth of the writer's interval. */
    follow(&p, 0.01, 0.001, 300, gaps, &held);
    cr_assert_eq(held, 0);
}

Test(pace, behind_the_gap_doubles_up_to_the_most)
{
    struct pace p = { 0 };
    pace_round(&p, 0, 0.0004, false, false, 1);
    double t = 0.0004, gaps[12];
    for (int i = 0; i < 12; i++) {
        pace_write(&p, t);                 /* written while we refreshed */
        gaps[i] = p.gap;
        double start = t + pace_hold(&p, t);
        pace_round(&p, start, start + 0.0004, false, false, 1);
        t = start + 0.0004;
    }
    cr_assert_float_eq(gaps[0], PACE_FIRST, 1e-12);
    cr_assert_float_eq(gaps[1], 2 * PACE_FIRST, 1e-12);
    cr_assert_float_eq(gaps[2], 4 * PACE_FIRST, 1e-12);
    for (int i = 1; i < 12; i++)
        cr_assert(gaps[i] >= gaps[i - 1] && gaps[i] <= PACE_MOST);
    cr_assert_float_eq(gaps[11], PACE_MOST, 1e-12);
}

Test(pace, a_flood_is_followed_in_few_rounds)
{
    /* swmr-append's flood: a flush every 0.4 ms for 2 s, 5000 of them. */
    struct pace p = { 0 };
    static double gaps[5000];
    double held;
    follow(&p, 0.0004, 0.0004, 5000, gaps, &held);
    cr_assert_float_eq(p.gap, PACE_MOST, 1e-12);
    cr_assert(held > 1.5, "waited %g s of 2", held);
}

Test(pace, the_hold_counts_from_the_start_of_the_last_round)
{
    struct pace p = { 0 };
    pace_round(&p, 10.0, 10.0015, false, false, 1);
    pace_write(&p, 10.002);                   /* gap PACE_FIRST */
    cr_assert_float_eq(pace_hold(&p, 10.002), 10.0 + PACE_FIRST - 10.002,
                       1e-12);
    /* A round that took longer than the gap (printing many values) is
     * followed by the next at once: the gap is not added to it. */
    pace_round(&p, 10.0, 10.5, false, false, 1);
    pace_write(&p, 10.501);
    cr_assert_eq(pace_hold(&p, 10.501), 0);
}

Test(pace, writes_further_apart_halve_the_gap)
{
    struct pace p = { 0 };
    pace_round(&p, 0, 0, false, false, 1);
    double t = 0;
    for (int i = 0; i < 12; i++) {
        pace_write(&p, t);
        pace_round(&p, t + pace_hold(&p, t), t + pace_hold(&p, t), false, false, 1);
        t = p.ended;
    }
    cr_assert_float_eq(p.gap, PACE_MOST, 1e-12);
    /* 100 flushes a second after the flood: a write comes 10 ms after
     * the last round; the gap halves until the writer's pace is followed
     * write by write (whatever the phase of the writes after a held
     * round). */
    double before = p.gap;
    pace_write(&p, t + 0.01);
    cr_assert_float_eq(p.gap, before / 2, 1e-12);
    double gaps[300], held;
    follow(&p, 0.01, 0.0004, 300, gaps, &held);
    cr_assert_eq(p.gap, 0);
}

Test(pace, a_round_the_writer_overtook_is_behind)
{
    struct pace p = { 0 };
    pace_round(&p, 0, 0.0004, true, false, 1);
    cr_assert_float_eq(p.gap, PACE_FIRST, 1e-12);
    pace_write(&p, 0.0004);           /* that write: not counted twice */
    cr_assert_float_eq(p.gap, PACE_FIRST, 1e-12);
    pace_round(&p, PACE_FIRST, PACE_FIRST + 0.0004, true, false, 1);
    cr_assert_float_eq(p.gap, 2 * PACE_FIRST, 1e-12);
}

Test(pace, a_long_round_is_behind_a_writer_that_leaves_less_than_spare)
{
    /* 64 watchers on two cores: a round takes 5 ms, and the writer, slowed
     * down, flushes 10 ms after it. */
    struct pace p = { 0 };
    pace_round(&p, 0, 0.005, false, false, 1);
    pace_write(&p, 0.015);
    cr_assert_float_eq(p.gap, PACE_FIRST, 1e-12);
    /* The same flush 30 ms after: the watcher takes a seventh of the time. */
    struct pace q = { 0 };
    pace_round(&q, 0, 0.005, false, false, 1);
    pace_write(&q, 0.035);
    cr_assert_eq(q.gap, 0);
}

Test(pace, the_hold_is_cut_short_by_a_random_part_of_its_second_half)
{
    struct pace p = { 0 };
    pace_round(&p, 0, 0.0004, false, false, 1);
    pace_write(&p, 0.0005);
    pace_round(&p, 0.0005, 0.0009, false, false, 0);
    pace_write(&p, 0.001);                    /* gap 2 * PACE_FIRST */
    cr_assert_float_eq(pace_hold(&p, 0.001), 0.0005 + PACE_FIRST - 0.001,
                       1e-12);
    pace_round(&p, 0.0005, 0.0009, false, false, 0.5);
    cr_assert_float_eq(pace_hold(&p, 0.001),
                       0.0005 + 0.75 * 2 * PACE_FIRST - 0.001, 1e-12);
}

Test(pace, a_slower_writer_is_followed_write_by_write_whatever_the_phase)
{
    /* 100 flushes a second from a gap of PACE_MOST, with the writes at
     * every phase relative to the held rounds. */
    for (int k = 0; k < 100; k++) {
        struct pace p = { .gap = PACE_MOST, .any = true, .cut = 1,
                          .started = 0, .ended = 0.0004 };
        double gaps[100], held;
        p.ended = k * 0.0001;
        follow(&p, 0.01, 0.0004, 100, gaps, &held);
        cr_assert_eq(p.gap, 0, "phase %d: gap %g", k, p.gap);
    }
}

Test(pace, a_crowded_watcher_gives_way_to_a_fast_writer_only)
{
    /* 64 watchers on two cores: each waits for the CPU, and the writer,
     * slowed down, flushes every 3 ms. */
    struct pace p = { 0 };
    pace_round(&p, 0, 0.0001, false, true, 1);
    pace_write(&p, 0.003);
    cr_assert_float_eq(p.gap, PACE_FIRST, 1e-12);
    /* One watcher on a machine busy with other work, following 100
     * flushes a second: it waits for the CPU too, and is not held. */
    struct pace q = { 0 };
    double gaps[300], held;
    q.crowded = true;
    for (int i = 0; i < 300; i++) {
        double write = i * 0.01;
        pace_write(&q, write);
        gaps[i] = q.gap;
        held = pace_hold(&q, write);
        cr_assert_eq(held, 0, "write %d held %g s", i, held);
        pace_round(&q, write, write + 0.0004, false, true, next_random());
    }
    cr_assert_eq(q.gap, 0);
    (void)gaps;
}

Test(pace, a_hold_the_writer_wrote_nothing_in_ends_the_gap)
{
    /* A writer in step with our lines (it writes once each line came):
     * the first write after a round looks like a flood, but nothing more
     * comes while we hold. */
    struct pace p = { 0 };
    pace_round(&p, 0, 0.0004, true, false, 1);
    pace_write(&p, 0.0004);
    pace_round(&p, PACE_FIRST, PACE_FIRST + 0.0004, true, false, 1);
    cr_assert(p.gap > 0);
    pace_held(&p, false);
    cr_assert_eq(p.gap, 0);
    cr_assert_eq(pace_hold(&p, PACE_FIRST + 0.0005), 0);
    /* A flood writes during the hold: the gap stays. */
    pace_round(&p, 0.02, 0.0204, true, false, 1);
    double gap = p.gap;
    pace_held(&p, true);
    cr_assert_float_eq(p.gap, gap, 1e-12);
}

Test(pace, a_pause_between_the_gap_and_twice_it_halves_the_gap)
{
    struct pace p = { 0 };
    double t = 0;
    pace_round(&p, 0, 0, false, false, 1);
    for (int i = 0; i < 3; i++) {            /* gap 4 * PACE_FIRST */
        pace_write(&p, t);
        pace_round(&p, t, t, false, false, 1);
    }
    cr_assert_float_eq(p.gap, 4 * PACE_FIRST, 1e-12);
    pace_write(&p, t + 1.5 * p.gap);         /* halved, not ended */
    cr_assert_float_eq(p.gap, 2 * PACE_FIRST, 1e-12);
    pace_round(&p, t, t, false, false, 1);
    pace_write(&p, t + 2.5 * p.gap);         /* ended */
    cr_assert_eq(p.gap, 0);
}

Test(pace, a_pause_longer_than_twice_the_gap_ends_the_flood)
{
    struct pace p = { 0 };
    pace_round(&p, 0, 0, false, false, 1);
    pace_write(&p, 0.0005);
    pace_round(&p, PACE_FIRST, PACE_FIRST + 0.001, false, false, 1);
    cr_assert_float_eq(p.gap, PACE_FIRST, 1e-12);
    /* The writer stopped; its next flush, a second later, is news at
     * once. */
    pace_write(&p, 1.0);
    cr_assert_eq(p.gap, 0);
    cr_assert_eq(pace_hold(&p, 1.0), 0);
}
