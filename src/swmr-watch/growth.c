#include "growth.h"

#include <stdbool.h>

uint32_t growth_dims(int rank, const uint64_t *dims, const uint64_t *max)
{
    uint32_t unlimited = 0, below = 0;
    for (int k = 0; k < rank && k < WATCH_MAX_RANK; k++) {
        if (max[k] == GROWTH_UNLIMITED)
            unlimited |= UINT32_C(1) << k;
        else if (max[k] > dims[k])
            below |= UINT32_C(1) << k;
    }
    if (unlimited || !below)
        return unlimited;
    /* None unlimited: the first dimension that has room to grow at all,
     * from the maximum alone, so that every watcher of the dataset counts
     * the same rows whenever it opened it. */
    for (int k = 0; k < rank && k < WATCH_MAX_RANK; k++)
        if (max[k] > 1)
            return UINT32_C(1) << k;
    return 1;
}

uint64_t growth_product(int n, const uint64_t *v)
{
    uint64_t p = 1;
    for (int k = 0; k < n; k++) {
        if (v[k] && p > UINT64_MAX / v[k])
            return UINT64_MAX;
        p *= v[k];
    }
    return p;
}

/* Block K holds the cells whose index is old in dimensions before K, new
 * in K, anything in those after: together they are every new cell, each
 * once. Emitted from the last dimension to the first, so that new cells
 * of old rows come before new rows. */
size_t growth_blocks(int rank, const uint64_t *old, const uint64_t *now,
                     struct growth_block *out)
{
    size_t n = 0;
    for (int k = rank - 1; k >= 0; k--) {
        uint64_t from = old[k] < now[k] ? old[k] : now[k];
        if (from == now[k])
            continue;
        struct growth_block *b = &out[n];
        bool empty = false;
        for (int j = 0; j < rank; j++) {
            uint64_t kept = old[j] < now[j] ? old[j] : now[j];
            b->start[j] = j == k ? from : 0;
            b->count[j] = j < k ? kept : j == k ? now[k] - from : now[j];
            empty |= b->count[j] == 0;
        }
        if (!empty)
            n++;
    }
    return n;
}

void growth_last(int rank, const uint64_t *dims, uint32_t grows, uint64_t n,
                 uint64_t *old)
{
    int g = 0;
    while (grows && g < rank && !(grows >> g & 1))
        g++;
    for (int k = 0; k < rank; k++)
        old[k] = k != g ? dims[k] : dims[k] > n ? dims[k] - n : 0;
}

uint64_t growth_piece(int rank, const struct growth_block *b,
                      size_t cell_bytes, size_t max_bytes, uint64_t done,
                      uint64_t *start, uint64_t *count)
{
    uint64_t cap = cell_bytes && max_bytes > cell_bytes
                       ? max_bytes / cell_bytes : 1;
    /* Q: the first dimension from which on the rest fits in CAP cells; the
     * piece takes one index of each dimension before Q, a run along Q,
     * and the dimensions after Q whole. */
    int q = rank - 1;
    while (q > 0 && growth_product(rank - q, &b->count[q]) <= cap)
        q--;
    uint64_t inner = growth_product(rank - q - 1, &b->count[q + 1]);
    uint64_t along = cap / inner ? cap / inner : 1;
    uint64_t pos = done / inner;   /* runs of INNER cells done */
    for (int j = q; j >= 0; j--) {
        uint64_t i = pos % b->count[j];
        pos /= b->count[j];
        start[j] = b->start[j] + i;
        count[j] = j < q ? 1 : b->count[j] - i < along ? b->count[j] - i
                                                         : along;
    }
    for (int j = q + 1; j < rank; j++) {
        start[j] = b->start[j];
        count[j] = b->count[j];
    }
    return count[q] * inner;
}

void growth_index(int rank, const struct growth_block *b, uint64_t offset,
                  uint64_t *index)
{
    for (int j = rank - 1; j >= 0; j--) {
        uint64_t c = b->count[j] ? b->count[j] : 1;
        index[j] = b->start[j] + offset % c;
        offset /= c;
    }
}

uint64_t growth_run(int rank, const struct growth_block *b,
                    const uint64_t *dims)
{
    int p = rank - 1;
    while (p > 0 && b->start[p] == 0 && b->count[p] == dims[p])
        p--;
    /* P: every dimension after it is whole. A line is at most a row. */
    int from = p < 1 ? 1 : p;
    return from < rank ? growth_product(rank - from, &b->count[from]) : 1;
}
