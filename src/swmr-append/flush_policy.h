/* When swmr-append writes its buffered rows and flushes them for readers.
 *
 * Two promises pull against each other: a row must reach readers at most
 * `interval` seconds after its line arrived, and a flood of rows must not
 * pay one flush per row (each flush costs ~12 us and, with deflate,
 * rewrites the partial last chunk compressed). So rows are buffered and
 * flushed when the oldest one has waited `interval`, or when `rows` have
 * piled up. A compressed dataset whose chunks swmr-append compresses
 * itself (h5chunk.h) flushes by the same rules, but each flush compresses
 * its last chunk whole: its default interval is longer. One whose filters
 * only HDF5 can apply flushes on chunk boundaries only (chunk_aligned): a
 * partial chunk is written once, at close. Pure logic: times are seconds
 * on any monotonic clock, given by the caller. */
#ifndef SWMR_FLUSH_POLICY_H
#define SWMR_FLUSH_POLICY_H

#include <stdbool.h>
#include <stdint.h>

struct flush_policy {
    double interval;       /* longest wait of a row before its flush, s */
    uint64_t rows;         /* flush when this many rows are pending */
    uint64_t chunk_rows;   /* rows per chunk of the dataset */
    bool chunk_aligned;    /* flush only on chunk boundaries (compression) */
};

struct flush_state {
    uint64_t written;      /* rows in the dataset already */
    uint64_t pending;      /* rows buffered, not yet written */
    double oldest;         /* arrival time of the oldest pending row */
};

/* The default --flush-interval: 0.1 s, or 1 s for a compressed dataset.
 * A flush of a compressed chunk deflates all of it again (measured: 0.58 ms
 * a flush for 64 KiB of float64, 20 times an uncompressed flush, and more
 * with bigger chunks): a second keeps a trickle's writer near idle and
 * still bounds the wait. */
enum { FLUSH_DEFAULT_MS = 100, FLUSH_DEFAULT_COMPRESSED_MS = 1000 };

/* The interval: GIVEN when --flush-interval was given (>= 0), else the
 * default for a dataset COMPRESSED or not. */
double flush_interval_for(double given, bool compressed);

/* The most rows that may be pending at once: the buffer's size. */
uint64_t flush_capacity(const struct flush_policy *p);

/* How many pending rows are needed for the next flush by size. */
uint64_t flush_rows_due(const struct flush_policy *p, const struct flush_state *s);

/* Must the pending rows be written and flushed now? */
bool flush_due(const struct flush_policy *p, const struct flush_state *s, double now);

/* Seconds until a flush falls due with no new input, or a negative value
 * when none will (nothing pending, or only chunk boundaries count). */
double flush_wait(const struct flush_policy *p, const struct flush_state *s, double now);

#endif
