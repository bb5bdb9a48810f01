/* A compressed dataset's chunks, compressed here and written in place
 * while they fill (see h5chunk.h for why). */
#include "h5chunk.h"

#include <stdlib.h>   /* calloc, malloc, free */
#include <string.h>   /* memcpy, memset */
#include <zlib.h>     /* compress2, compressBound: HDF5's deflate is zlib's */

struct h5chunk {
    hid_t mem_type;       /* the rows as they come */
    hid_t file_type;      /* the dataset's, which the image is in */
    bool convert;         /* the two differ: H5Tconvert each row */
    size_t columns;
    size_t mem_row;       /* bytes of a row as it comes */
    size_t file_row;      /* bytes of a row in the file's type */
    uint64_t chunk_rows;
    size_t raw;           /* bytes of a whole chunk, unfiltered */
    int level;            /* deflate level */
    size_t shuffle;       /* bytes the shuffle filter groups by; 0: none */
    uint64_t index;       /* the chunk the image holds */
    uint64_t slot;        /* bytes it takes in the file now; 0: none yet */
    uint64_t avoid;       /* a size not to write it at: its place in the
                             file holds another writer's chunk (filters
                             skipped, or larger than ours can be), and
                             HDF5 keeps a chunk's place and filter mask
                             when it is rewritten at the same size */
    uint64_t hint;        /* bytes the last whole chunk took */
    bool last;            /* no rows after the next write */
    unsigned char *image; /* that chunk, zeros past its rows */
    unsigned char *shuffled;
    unsigned char *packed;  /* compressed, padded to the slot */
    size_t packed_cap;
    unsigned char *conv;    /* a chunk's rows converted, and HDF5's */
    unsigned char *bkg;     /* background buffer for compound types */
};

uint64_t h5chunk_slot(uint64_t need, uint64_t slot, uint64_t hint,
                      uint64_t used, uint64_t chunk_rows, uint64_t cap,
                      bool final)
{
    if (need <= slot)
        return slot;
    if (used >= chunk_rows || final)
        return need;
    if (slot == 0 && need <= hint)
        return hint <= cap ? hint : cap;
    double want = 2.0 * (double)need;
    if (used * 16 >= chunk_rows) {
        double whole = (double)need / (double)used * (double)chunk_rows * 1.1;
        double lo = 1.25 * (double)need, hi = 4.0 * (double)need;
        want = whole < lo ? lo : whole > hi ? hi : whole;
    }
    uint64_t bytes = (uint64_t)want;
    if (bytes < need)
        bytes = need;
    return bytes < cap ? bytes : cap;
}

/* Filters we can write ourselves: deflate, or shuffle then deflate.
 * Their levels and shuffle's element size come from the dataset. */
static bool known_filters(hid_t dcpl, struct h5chunk *c)
{
    int n = H5Pget_nfilters(dcpl);
    if (n < 1 || n > 2)
        return false;
    bool deflate = false;
    for (int i = 0; i < n; i++) {
        unsigned flags, cd[8];
        size_t ncd = 8;
        H5Z_filter_t id = H5Pget_filter2(dcpl, (unsigned)i, &flags, &ncd, cd,
                                         0, NULL, NULL);
        if (i == n - 1 && id == H5Z_FILTER_DEFLATE) {
            c->level = ncd > 0 && cd[0] <= 9 ? (int)cd[0] : 6;
            deflate = true;
        }
        else if (i == 0 && id == H5Z_FILTER_SHUFFLE)
            /* HDF5 stores the element size as the filter's first value. */
            c->shuffle = ncd > 0 && cd[0] > 0 ? cd[0] : H5Tget_size(c->file_type);
        else
            return false;
    }
    /* Shuffle alone is HDF5's to write: what we write is deflated. */
    return deflate;
}

void h5chunk_free(struct h5chunk *c)
{
    if (!c)
        return;
    if (c->file_type >= 0)
        H5Tclose(c->file_type);
    free(c->image);
    free(c->shuffled);
    free(c->packed);
    free(c->conv);
    free(c->bkg);
    free(c);
}

/* Bytes chunk INDEX takes in the file; 0 when it has no place (yet). */
static uint64_t stored_size(hid_t dset, uint64_t index, uint64_t chunk_rows)
{
    hsize_t offset[2] = { index * chunk_rows, 0 }, bytes = 0;
    if (H5Dget_chunk_storage_size(dset, offset, &bytes) < 0)
        return 0;
    return bytes;
}

/* The rows already in the dataset's last chunk, read back in the file's
 * type: the chunk is rewritten whole, starting with them. */
static int read_partial(struct h5chunk *c, hid_t dset, uint64_t rows)
{
    uint64_t start = c->index * c->chunk_rows, n = rows - start;
    if (n == 0)
        return 0;
    hsize_t fstart[2] = { start, 0 }, count[2] = { n, c->columns };
    hid_t file_space = H5Dget_space(dset);
    int rank = H5Sget_simple_extent_ndims(file_space);
    hid_t mem_space = H5Screate_simple(rank, count, NULL);
    bool ok = H5Sselect_hyperslab(file_space, H5S_SELECT_SET, fstart, NULL,
                                  count, NULL) >= 0 &&
              H5Dread(dset, c->file_type, mem_space, file_space, H5P_DEFAULT,
                      c->image) >= 0;
    H5Sclose(mem_space);
    H5Sclose(file_space);
    if (!ok)
        return -1;
    hsize_t offset[2] = { start, 0 };
    unsigned mask = 0;
    hsize_t bytes = 0;
    if (H5Dget_chunk_info_by_coord(dset, offset, &mask, NULL, &bytes) < 0)
        return -1;
    /* Ours is always deflated, and at most packed_cap bytes: a chunk
     * stored otherwise is not rewritten in its place. */
    if (mask == 0 && bytes <= c->packed_cap)
        c->slot = bytes;
    else
        c->avoid = bytes;
    return 0;
}

int h5chunk_open(hid_t dset, hid_t mem_type, size_t columns, size_t row_bytes,
                 uint64_t rows, uint64_t chunk_rows, struct h5chunk **out)
{
    *out = NULL;
    struct h5chunk *c = calloc(1, sizeof *c);
    if (!c)
        return -1;
    c->file_type = H5Dget_type(dset);
    hid_t dcpl = H5Dget_create_plist(dset);
    hsize_t chunk[2] = { 0, 0 };
    int rank = dcpl >= 0 ? H5Pget_chunk(dcpl, 2, chunk) : -1;
    bool ours = c->file_type >= 0 && dcpl >= 0 && known_filters(dcpl, c) &&
                (rank == 1 || (rank == 2 && chunk[1] == columns)) &&
                chunk[0] == chunk_rows && columns > 0;
    if (dcpl >= 0)
        H5Pclose(dcpl);
    if (!ours) {
        int status = c->file_type < 0 ? -1 : 0;
        h5chunk_free(c);
        return status;
    }
    c->mem_type = mem_type;
    c->columns = columns;
    c->mem_row = row_bytes;
    c->file_row = H5Tget_size(c->file_type) * columns;
    c->chunk_rows = chunk_rows;
    c->raw = chunk_rows * c->file_row;
    c->convert = H5Tequal(mem_type, c->file_type) <= 0;
    c->packed_cap = compressBound(c->raw);
    c->image = calloc(1, c->raw);
    c->shuffled = malloc(c->raw);
    c->packed = malloc(c->packed_cap + 1);   /* + 1: see write_image */
    if (c->convert) {
        size_t widest = c->file_row > c->mem_row ? c->file_row : c->mem_row;
        c->conv = malloc(chunk_rows * widest);
        c->bkg = calloc(chunk_rows, widest);
    }
    if (!c->image || !c->shuffled || !c->packed ||
        (c->convert && (!c->conv || !c->bkg))) {
        h5chunk_free(c);
        return -1;
    }
    c->index = rows / chunk_rows;
    if (c->index > 0)
        c->hint = stored_size(dset, c->index - 1, chunk_rows);
    if (read_partial(c, dset, rows) < 0) {
        h5chunk_free(c);
        return -1;
    }
    *out = c;
    return 0;
}

/* Shuffle as HDF5's filter does: byte i of every element together. A
 * tail shorter than an element stays as it is. */
static void shuffle(const unsigned char *in, unsigned char *out, size_t bytes,
                    size_t size)
{
    size_t n = bytes / size;
    for (size_t b = 0; b < size; b++)
        for (size_t j = 0; j < n; j++)
            out[b * n + j] = in[j * size + b];
    memcpy(out + n * size, in + n * size, bytes - n * size);
}

/* Write the image (USED rows of it filled) compressed, into its slot.
 * Always deflated, even when that does not shrink it (zlib then adds a
 * few bytes, as HDF5's own filter would): a chunk whose filter mask
 * changed in place would be read with the wrong filters. */
static int write_image(struct h5chunk *c, hid_t dset, uint64_t used)
{
    const unsigned char *plain = c->image;
    if (c->shuffle > 1) {
        shuffle(c->image, c->shuffled, c->raw, c->shuffle);
        plain = c->shuffled;
    }
    uLongf packed = c->packed_cap;
    if (compress2(c->packed, &packed, plain, c->raw, c->level) != Z_OK)
        return -1;
    uint64_t need = packed;
    uint64_t bytes = h5chunk_slot(need, c->slot, c->hint, used, c->chunk_rows,
                                  c->packed_cap, c->last);
    if (c->avoid && bytes == c->avoid)
        bytes++;   /* a new place, and a new index entry with our mask */
    memset(c->packed + need, 0, bytes - need);   /* zlib stops before */
    hsize_t offset[2] = { c->index * c->chunk_rows, 0 };
    if (H5Dwrite_chunk(dset, H5P_DEFAULT, 0, offset, bytes, c->packed) < 0)
        return -1;
    c->slot = bytes;
    c->avoid = 0;
    if (used == c->chunk_rows)
        c->hint = bytes + bytes / 20 < c->packed_cap ? bytes + bytes / 20
                                                     : c->packed_cap;
    return 0;
}

/* Rows into the image at row POS, in the file's type. */
static int put_rows(struct h5chunk *c, uint64_t pos, const unsigned char *rows,
                    uint64_t k)
{
    unsigned char *to = c->image + pos * c->file_row;
    if (!c->convert) {
        memcpy(to, rows, k * c->file_row);
        return 0;
    }
    memcpy(c->conv, rows, k * c->mem_row);
    if (H5Tconvert(c->mem_type, c->file_type, k * c->columns, c->conv, c->bkg,
                   H5P_DEFAULT) < 0)
        return -1;
    memcpy(to, c->conv, k * c->file_row);
    return 0;
}

void h5chunk_last(struct h5chunk *c)
{
    if (c)
        c->last = true;
}

int h5chunk_write(struct h5chunk *c, hid_t dset, uint64_t first,
                  const void *rows, uint64_t n)
{
    const unsigned char *from = rows;
    while (n > 0) {
        uint64_t index = first / c->chunk_rows, pos = first % c->chunk_rows;
        if (index != c->index) {
            /* The last chunk was filled and written whole: a new one. */
            memset(c->image, 0, c->raw);
            c->index = index;
            c->slot = 0;
            c->avoid = 0;
        }
        uint64_t k = c->chunk_rows - pos < n ? c->chunk_rows - pos : n;
        if (put_rows(c, pos, from, k) < 0 || write_image(c, dset, pos + k) < 0)
            return -1;
        from += k * c->mem_row;
        first += k;
        n -= k;
    }
    return 0;
}
