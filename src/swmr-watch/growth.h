/* How a dataset grows, as plain numbers (no HDF5 calls): which dimensions
 * count as its rows, and which cells a change of extent adds, as blocks
 * (hyperslabs) read in pieces of bounded size. Used for the rows, rate
 * and --until of every line and for --values. */
#ifndef SWMR_WATCH_GROWTH_H
#define SWMR_WATCH_GROWTH_H

#include <stddef.h>
#include <stdint.h>

#include "watch_format.h"   /* WATCH_MAX_RANK */

/* A maximum extent that has no limit (H5S_UNLIMITED). */
#define GROWTH_UNLIMITED UINT64_MAX

/* The dimensions that count as rows, as a mask (bit K: dimension K): the
 * unlimited ones; when none is, the first whose maximum MAX is over 1
 * (from MAX alone: the same whatever the extent DIMS at the time). 0 when
 * no dimension can grow (none is below its maximum). */
uint32_t growth_dims(int rank, const uint64_t *dims, const uint64_t *max);

/* A block of cells: START and COUNT in each dimension. */
struct growth_block {
    uint64_t start[WATCH_MAX_RANK];
    uint64_t count[WATCH_MAX_RANK];
};

/* The product of the N numbers at V, or UINT64_MAX when it overflows. */
uint64_t growth_product(int n, const uint64_t *v);

/* The cells of the extent NOW that lie outside the extent OLD, as disjoint
 * blocks into OUT (room for RANK): the new cells of the old rows first
 * (the last dimension's first), then the new rows. Returns how many (0
 * after a shrink, or when nothing changed). */
size_t growth_blocks(int rank, const uint64_t *old, const uint64_t *now,
                     struct growth_block *out);

/* The extent whose outside is the last N indices of the extent DIMS along
 * the first dimension in GROWS (dimension 0 when GROWS is 0), all indices
 * of the others: DIMS with that dimension lowered by N, at 0 when N is at
 * least its extent (then every cell is outside), into OLD (room for RANK).
 * The cells a start line shows for --last. */
void growth_last(int rank, const uint64_t *dims, uint32_t grows, uint64_t n,
                 uint64_t *old);

/* The next piece of block B to read, in row-major order, once DONE of its
 * cells are read: at most MAX_BYTES (but one cell at least) of cells of
 * CELL_BYTES each, a box at START with COUNT. Returns its cells. */
uint64_t growth_piece(int rank, const struct growth_block *b,
                      size_t cell_bytes, size_t max_bytes, uint64_t done,
                      uint64_t *start, uint64_t *count);

/* The index in the dataset of the cell OFFSET of block B (row-major). */
void growth_index(int rank, const struct growth_block *b, uint64_t offset,
                  uint64_t *index);

/* Cells of a run of block B that lie one after the other in the dataset
 * (row-major), each run starting a text line: a whole row when B holds
 * whole rows (one value for a 1-D dataset), else the new cells of one
 * row, along the first dimension from which B spans the rest whole. DIMS:
 * the dataset's extent. */
uint64_t growth_run(int rank, const struct growth_block *b,
                    const uint64_t *dims);

#endif
