/* growth.c: which dimensions are a dataset's rows, which cells a change of
 * extent adds (as blocks), and the pieces they are read in. */
#include <criterion/criterion.h>
#include <string.h>   /* memset */

#include "growth.h"
#include "watch_format.h"

#define U GROWTH_UNLIMITED

Test(growth_dims, the_unlimited_ones_in_any_position)
{
    uint64_t d1[] = { 1, 0 }, m1[] = { 1, U };            /* swmr_writer's */
    cr_assert_eq(growth_dims(2, d1, m1), 2);
    uint64_t d2[] = { 5, 3 }, m2[] = { U, 3 };            /* h5py's recipe */
    cr_assert_eq(growth_dims(2, d2, m2), 1);
    uint64_t d3[] = { 2, 3 }, m3[] = { U, U };
    cr_assert_eq(growth_dims(2, d3, m3), 3);
    /* A limited dimension below its maximum counts only without an
     * unlimited one. */
    uint64_t d4[] = { 1, 1ull << 40 }, m4[] = { U, 1ull << 62 };
    cr_assert_eq(growth_dims(2, d4, m4), 1);
    /* None unlimited: the first dimension with room, by the maximum alone,
     * so that a watcher counts the same rows whenever it opened. */
    uint64_t d5[] = { 10, 3 }, m5[] = { 100, 5 };
    cr_assert_eq(growth_dims(2, d5, m5), 1);
    uint64_t d5b[] = { 3, 5 }, d5c[] = { 10, 5 }, m5b[] = { 10, 20 };
    cr_assert_eq(growth_dims(2, d5b, m5b), growth_dims(2, d5c, m5b));
    uint64_t d7[] = { 1, 3 }, m7[] = { 1, 10 };
    cr_assert_eq(growth_dims(2, d7, m7), 2);
    uint64_t d6[] = { 10, 3 }, m6[] = { 10, 3 };
    cr_assert_eq(growth_dims(2, d6, m6), 0);
}

Test(growth_rows, the_product_of_the_dimensions_that_grow)
{
    uint64_t d[] = { 4, 5 };
    cr_assert_eq(watch_rows(2, d, 3), 20);
    cr_assert_eq(watch_rows(2, d, 2), 5);
    cr_assert_eq(watch_rows(2, d, 1), 4);
    cr_assert_eq(watch_rows(2, d, 0), 4);    /* as before: the first */
    cr_assert_eq(watch_rows(0, d, 0), 1);    /* a scalar */
    uint64_t big[] = { 1ull << 40, 1ull << 40 };
    cr_assert_eq(watch_rows(2, big, 3), UINT64_MAX);
}

static void expect_block(const struct growth_block *b, int rank,
                         const uint64_t *start, const uint64_t *count)
{
    for (int k = 0; k < rank; k++) {
        cr_assert_eq(b->start[k], start[k], "start[%d]", k);
        cr_assert_eq(b->count[k], count[k], "count[%d]", k);
    }
}

Test(growth_blocks, new_rows_new_columns_and_both)
{
    struct growth_block b[WATCH_MAX_RANK];
    uint64_t o1[] = { 5, 3 }, n1[] = { 8, 3 };
    cr_assert_eq(growth_blocks(2, o1, n1, b), 1);
    expect_block(&b[0], 2, (uint64_t[]){ 5, 0 }, (uint64_t[]){ 3, 3 });
    uint64_t o2[] = { 1, 3 }, n2[] = { 1, 5 };
    cr_assert_eq(growth_blocks(2, o2, n2, b), 1);
    expect_block(&b[0], 2, (uint64_t[]){ 0, 3 }, (uint64_t[]){ 1, 2 });
    uint64_t o3[] = { 2, 3 }, n3[] = { 4, 5 };
    cr_assert_eq(growth_blocks(2, o3, n3, b), 2);
    expect_block(&b[0], 2, (uint64_t[]){ 0, 3 }, (uint64_t[]){ 2, 2 });
    expect_block(&b[1], 2, (uint64_t[]){ 2, 0 }, (uint64_t[]){ 2, 5 });
    /* Fewer rows, more columns: only the new columns of the rows kept. */
    uint64_t o4[] = { 4, 5 }, n4[] = { 3, 6 };
    cr_assert_eq(growth_blocks(2, o4, n4, b), 1);
    expect_block(&b[0], 2, (uint64_t[]){ 0, 5 }, (uint64_t[]){ 3, 1 });
    uint64_t o5[] = { 4, 5 }, n5[] = { 3, 4 };
    cr_assert_eq(growth_blocks(2, o5, n5, b), 0);
    cr_assert_eq(growth_blocks(2, o5, o5, b), 0);
    uint64_t o6[] = { 0, 0 }, n6[] = { 2, 2 };
    cr_assert_eq(growth_blocks(2, o6, n6, b), 1);
    expect_block(&b[0], 2, (uint64_t[]){ 0, 0 }, (uint64_t[]){ 2, 2 });
    uint64_t o7[] = { 7 }, n7[] = { 9 };
    cr_assert_eq(growth_blocks(1, o7, n7, b), 1);
    expect_block(&b[0], 1, (uint64_t[]){ 7 }, (uint64_t[]){ 2 });
}

/* Every extent of up to 3 in each of 3 dimensions to every other: the
 * blocks hold each new cell exactly once and no other. */
Test(growth_blocks, every_new_cell_exactly_once)
{
    enum { M = 4 };
    for (int from = 0; from < M * M * M; from++)
        for (int to = 0; to < M * M * M; to++) {
            uint64_t old[] = { from / 16, from / 4 % 4, from % 4 };
            uint64_t now[] = { to / 16, to / 4 % 4, to % 4 };
            struct growth_block b[WATCH_MAX_RANK];
            size_t n = growth_blocks(3, old, now, b);
            int seen[M][M][M];
            memset(seen, 0, sizeof seen);
            for (size_t k = 0; k < n; k++)
                for (uint64_t c = 0; c < growth_product(3, b[k].count); c++) {
                    uint64_t i[3];
                    growth_index(3, &b[k], c, i);
                    seen[i[0]][i[1]][i[2]]++;
                }
            for (uint64_t i = 0; i < M; i++)
                for (uint64_t j = 0; j < M; j++)
                    for (uint64_t k = 0; k < M; k++) {
                        bool in_now = i < now[0] && j < now[1] && k < now[2];
                        bool in_old = i < old[0] && j < old[1] && k < old[2];
                        cr_assert_eq(seen[i][j][k], in_now && !in_old,
                                     "%d -> %d: cell %lu,%lu,%lu", from, to,
                                     i, j, k);
                    }
        }
}

static void expect_extent(const uint64_t *got, int rank, const uint64_t *want)
{
    for (int k = 0; k < rank; k++)
        cr_assert_eq(got[k], want[k], "dimension %d: %lu, not %lu", k,
                     got[k], want[k]);
}

Test(growth_last, lowered_along_the_first_dimension_that_grows)
{
    uint64_t old[WATCH_MAX_RANK];
    uint64_t d1[] = { 10 };
    growth_last(1, d1, 1, 3, old);
    expect_extent(old, 1, (uint64_t[]){ 7 });
    growth_last(1, d1, 1, 0, old);
    expect_extent(old, 1, d1);
    growth_last(1, d1, 1, 10, old);
    expect_extent(old, 1, (uint64_t[]){ 0 });
    growth_last(1, d1, 1, 11, old);
    expect_extent(old, 1, (uint64_t[]){ 0 });
    growth_last(1, d1, 1, UINT64_MAX, old);
    expect_extent(old, 1, (uint64_t[]){ 0 });
    /* (N, 3): rows. (1, N), as swmr_writer grows it: columns. */
    uint64_t d2[] = { 5, 3 };
    growth_last(2, d2, 1, 2, old);
    expect_extent(old, 2, (uint64_t[]){ 3, 3 });
    uint64_t d3[] = { 1, 8 };
    growth_last(2, d3, 2, 2, old);
    expect_extent(old, 2, (uint64_t[]){ 1, 6 });
    /* Both unlimited: the first. A third one growing too: still the first
     * that grows. */
    growth_last(2, d2, 3, 1, old);
    expect_extent(old, 2, (uint64_t[]){ 4, 3 });
    uint64_t d4[] = { 2, 6, 4 };
    growth_last(3, d4, 6, 4, old);
    expect_extent(old, 3, (uint64_t[]){ 2, 2, 4 });
    /* Nothing grows (it cannot be watched; still defined): the first. */
    growth_last(2, d2, 0, 1, old);
    expect_extent(old, 2, (uint64_t[]){ 4, 3 });
    uint64_t e[] = { 0, 3 };
    growth_last(2, e, 1, 5, old);
    expect_extent(old, 2, (uint64_t[]){ 0, 3 });
}

/* The cells outside growth_last's extent are the last N indices along the
 * dimension that grows, every index of the others: one block. */
Test(growth_last, its_new_cells_are_the_last_rows_whole)
{
    uint64_t now[] = { 2, 9 }, old[WATCH_MAX_RANK];
    struct growth_block b[WATCH_MAX_RANK];
    growth_last(2, now, 2, 4, old);
    cr_assert_eq(growth_blocks(2, old, now, b), 1);
    expect_block(&b[0], 2, (uint64_t[]){ 0, 5 }, (uint64_t[]){ 2, 4 });
    growth_last(2, now, 2, UINT64_MAX, old);
    cr_assert_eq(growth_blocks(2, old, now, b), 1);
    expect_block(&b[0], 2, (uint64_t[]){ 0, 0 }, (uint64_t[]){ 2, 9 });
    growth_last(2, now, 1, 1, old);
    cr_assert_eq(growth_blocks(2, old, now, b), 1);
    expect_block(&b[0], 2, (uint64_t[]){ 1, 0 }, (uint64_t[]){ 1, 9 });
    growth_last(2, now, 1, 0, old);
    cr_assert_eq(growth_blocks(2, old, now, b), 0);
}

/* The pieces of B, read with MAX bytes of 8-byte cells, tile it in
 * row-major order; each fits (one cell at least). Returns how many. */
static size_t tile(int rank, const struct growth_block *b, size_t max)
{
    uint64_t cells = growth_product(rank, b->count), done = 0;
    size_t pieces = 0;
    while (done < cells) {
        uint64_t start[WATCH_MAX_RANK], count[WATCH_MAX_RANK];
        uint64_t got = growth_piece(rank, b, 8, max, done, start, count);
        cr_assert_eq(got, growth_product(rank, count));
        cr_assert(got * 8 <= max || got == 1, "%lu cells", got);
        /* Its first cell is the next one of the block. */
        uint64_t want[WATCH_MAX_RANK];
        growth_index(rank, b, done, want);
        for (int k = 0; k < rank; k++)
            cr_assert_eq(start[k], want[k], "piece %zu, dim %d", pieces, k);
        done += got;
        pieces++;
    }
    cr_assert_eq(done, cells);
    return pieces;
}

Test(growth_piece, bounded_pieces_in_row_major_order)
{
    /* A (1, N) dataset that grew by a million cells: 8 pieces of 1 MiB. */
    struct growth_block a = { .start = { 0, 5 }, .count = { 1, 1000000 } };
    cr_assert_eq(tile(2, &a, 1 << 20), 8);
    /* Three rows of 2^20 cells: each row in 8 pieces. */
    struct growth_block b = { .start = { 4, 0 }, .count = { 3, 1 << 20 } };
    cr_assert_eq(tile(2, &b, 1 << 20), 24);
    /* Small rows: many at once. */
    struct growth_block c = { .start = { 100, 0 }, .count = { 1000, 3 } };
    cr_assert_eq(tile(2, &c, 1 << 20), 1);
    cr_assert_eq(tile(2, &c, 240), 100);
    struct growth_block d = { .start = { 0, 1, 2 }, .count = { 5, 7, 9 } };
    cr_assert_eq(tile(3, &d, 8 * 20), 5 * 4);   /* 2 of the 7 at a time */
    cr_assert_eq(tile(3, &d, 8), 5 * 7 * 9);
    cr_assert_eq(tile(3, &d, 1 << 20), 1);
}

Test(growth_run, a_line_is_a_run_of_cells_next_to_each_other)
{
    uint64_t dims[] = { 4, 5 };
    struct growth_block rows = { .start = { 2, 0 }, .count = { 2, 5 } };
    cr_assert_eq(growth_run(2, &rows, dims), 5);
    struct growth_block cols = { .start = { 0, 3 }, .count = { 2, 2 } };
    cr_assert_eq(growth_run(2, &cols, dims), 2);
    uint64_t d3[] = { 2, 6, 4 };
    struct growth_block mid = { .start = { 0, 3, 0 }, .count = { 2, 3, 4 } };
    cr_assert_eq(growth_run(3, &mid, d3), 12);
    uint64_t d1[] = { 9 };
    struct growth_block one = { .start = { 7 }, .count = { 2 } };
    cr_assert_eq(growth_run(1, &one, d1), 1);
}
