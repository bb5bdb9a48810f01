/* The live view's sparkline: buckets in time, scaled blocks. */
#include <criterion/criterion.h>

#include "watch_spark.h"

#define B1 "\xe2\x96\x81"   /* lowest block */
#define B8 "\xe2\x96\x88"   /* full block */

static const char *render(const struct watch_spark *s)
{
    static char buf[SPARK_BUCKETS * 3 + 1];
    watch_spark_render(s, buf, sizeof buf);
    return buf;
}

Test(watch_spark, empty_is_blank)
{
    struct watch_spark s;
    watch_spark_init(&s, 0.5);
    cr_assert_str_eq(render(&s), "                    ");
}

Test(watch_spark, scaled_to_the_largest_bucket)
{
    struct watch_spark s;
    watch_spark_init(&s, 1.0);
    watch_spark_add(&s, 100.0, 1);     /* bucket [100, 101) */
    watch_spark_add(&s, 101.2, 800);   /* next bucket */
    watch_spark_add(&s, 102.9, 400);
    /* 1 of 800 still shows (rounded up); 400 of 800 is half: 4 eighths. */
    cr_assert_str_eq(render(&s), "                 " B1 B8 "\xe2\x96\x84");
}

Test(watch_spark, time_moves_buckets_out)
{
    struct watch_spark s;
    watch_spark_init(&s, 1.0);
    watch_spark_add(&s, 10.0, 5);
    watch_spark_advance(&s, 11.5);
    cr_assert_eq(s.rows[SPARK_BUCKETS - 2], 5);
    cr_assert_eq(s.rows[SPARK_BUCKETS - 1], 0);
    watch_spark_advance(&s, 10.0 + SPARK_BUCKETS + 3);
    for (int i = 0; i < SPARK_BUCKETS; i++)
        cr_assert_eq(s.rows[i], 0, "bucket %d", i);
    /* The bucket grid stays where it was. */
    cr_assert_float_eq(s.start, 10.0 + SPARK_BUCKETS + 3, 1e-9);
}

Test(watch_spark, same_bucket_sums)
{
    struct watch_spark s;
    watch_spark_init(&s, 0.5);
    watch_spark_add(&s, 1.0, 2);
    watch_spark_add(&s, 1.2, 3);
    cr_assert_eq(s.rows[SPARK_BUCKETS - 1], 5);
    cr_assert_str_eq(render(&s), "                   " B8);
}

Test(watch_spark, huge_counts_do_not_overflow)
{
    struct watch_spark s;
    watch_spark_init(&s, 1);
    watch_spark_add(&s, 0, UINT64_MAX / 2);
    watch_spark_add(&s, 1, UINT64_MAX / 4);
    cr_assert_str_eq(render(&s), "                  " B8 "\xe2\x96\x84");
}
