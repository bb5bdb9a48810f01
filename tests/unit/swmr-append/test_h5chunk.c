#include <criterion/criterion.h>

#include "h5chunk.h"

/* Chunks of 1000 rows, 8000 bytes raw. */
enum { ROWS = 1000, RAW = 8000 };

Test(h5chunk_slot, a_slot_that_fits_is_rewritten_in_place)
{
    cr_assert_eq(h5chunk_slot(300, 500, 0, 10, ROWS, RAW, false), 500);
    cr_assert_eq(h5chunk_slot(500, 500, 0, 999, ROWS, RAW, false), 500);
    cr_assert_eq(h5chunk_slot(300, 500, 0, ROWS, ROWS, RAW, false), 500,
                 "a whole chunk that fits stays padded rather than lose the slot");
}

Test(h5chunk_slot, a_whole_or_final_chunk_gets_what_it_needs)
{
    cr_assert_eq(h5chunk_slot(700, 500, 0, ROWS, ROWS, RAW, false), 700);
    cr_assert_eq(h5chunk_slot(700, 0, 0, 10, ROWS, RAW, true), 700,
                 "no more rows: nothing kept for them");
}

Test(h5chunk_slot, a_new_chunk_starts_at_the_last_whole_one)
{
    cr_assert_eq(h5chunk_slot(100, 0, 3000, 20, ROWS, RAW, false), 3000);
    cr_assert_eq(h5chunk_slot(100, 0, 9000, 20, ROWS, RAW, false), RAW,
                 "never more than the raw chunk");
}

Test(h5chunk_slot, early_growth_doubles)
{
    /* 20 of 1000 rows (under 1/16): twice the need. */
    cr_assert_eq(h5chunk_slot(100, 0, 0, 20, ROWS, RAW, false), 200);
    cr_assert_eq(h5chunk_slot(201, 200, 0, 40, ROWS, RAW, false), 402);
}

Test(h5chunk_slot, later_growth_projects_the_whole_chunk)
{
    /* 500 rows took 1000 bytes: the whole chunk would take 2000, +10%. */
    cr_assert_eq(h5chunk_slot(1000, 900, 0, 500, ROWS, RAW, false), 2200);
    /* A projection below 1.25 times the need is raised to it... */
    cr_assert_eq(h5chunk_slot(1000, 900, 0, 950, ROWS, RAW, false), 1250);
    /* ... and one above 4 times is cut down. */
    cr_assert_eq(h5chunk_slot(400, 300, 0, 70, ROWS, RAW, false), 1600);
    cr_assert_eq(h5chunk_slot(4000, 3000, 0, 500, ROWS, RAW, false), RAW);
}
