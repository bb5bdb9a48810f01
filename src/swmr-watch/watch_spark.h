/* The live view's sparkline: rows added per time bucket over the recent
 * past, drawn with the eight Unicode block elements. Pure: the caller
 * passes the clock in. */
#ifndef SWMR_WATCH_SPARK_H
#define SWMR_WATCH_SPARK_H

#include <stddef.h>
#include <stdint.h>

enum { SPARK_BUCKETS = 20 };

struct watch_spark {
    double width;                    /* seconds per bucket */
    double start;                    /* when the newest bucket began (<0:
                                        nothing recorded yet) */
    uint64_t rows[SPARK_BUCKETS];    /* oldest first; the last is now */
};

void watch_spark_init(struct watch_spark *s, double bucket_seconds);

/* Move the buckets on to NOW (empty buckets for the time that passed). */
void watch_spark_advance(struct watch_spark *s, double now);

/* Record ROWS added at NOW. */
void watch_spark_add(struct watch_spark *s, double now, uint64_t rows);

/* The buckets as UTF-8 into BUF (3 bytes a bucket plus NUL: 61 bytes):
 * ' ' for none, then U+2581..U+2588 scaled to the largest bucket. */
void watch_spark_render(const struct watch_spark *s, char *buf, size_t size);

#endif
