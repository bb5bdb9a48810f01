#include "watch_spark.h"

#include <string.h> /* memmove, memset */

void watch_spark_init(struct watch_spark *s, double bucket_seconds)
{
    memset(s, 0, sizeof *s);
    s->width = bucket_seconds > 0 ? bucket_seconds : 1;
    s->start = -1;
}

void watch_spark_advance(struct watch_spark *s, double now)
{
    if (s->start < 0) {
        s->start = now;
        return;
    }
    if (now < s->start + s->width)
        return;
    double steps = (now - s->start) / s->width;
    size_t n = steps >= SPARK_BUCKETS ? SPARK_BUCKETS : (size_t)steps;
    memmove(s->rows, s->rows + n, (SPARK_BUCKETS - n) * sizeof s->rows[0]);
    memset(s->rows + SPARK_BUCKETS - n, 0, n * sizeof s->rows[0]);
    /* Keep the bucket edges on the original grid, however long we slept. */
    s->start += (double)(uint64_t)steps * s->width;
}

void watch_spark_add(struct watch_spark *s, double now, uint64_t rows)
{
    watch_spark_advance(s, now);
    s->rows[SPARK_BUCKETS - 1] += rows;
}

void watch_spark_render(const struct watch_spark *s, char *buf, size_t size)
{
    /* U+2581 LOWER ONE EIGHTH BLOCK ... U+2588 FULL BLOCK */
    static const char *const blocks[] = {
        "\xe2\x96\x81", "\xe2\x96\x82", "\xe2\x96\x83", "\xe2\x96\x84",
        "\xe2\x96\x85", "\xe2\x96\x86", "\xe2\x96\x87", "\xe2\x96\x88",
    };
    uint64_t max = 0;
    for (size_t i = 0; i < SPARK_BUCKETS; i++)
        if (s->rows[i] > max)
            max = s->rows[i];
    size_t used = 0;
    for (size_t i = 0; i < SPARK_BUCKETS && used + 4 <= size; i++) {
        if (s->rows[i] == 0) {
            buf[used++] = ' ';
            continue;
        }
        /* 1..8 eighths, rounded up so that any growth shows. */
        double x = (double)s->rows[i] * 8 / (double)max;
        int level = (int)x;
        if (level < x)
            level++;
        if (level < 1)
            level = 1;
        if (level > 8)
            level = 8;
        memcpy(buf + used, blocks[level - 1], 3);
        used += 3;
    }
    if (size)
        buf[used < size ? used : size - 1] = '\0';
}
