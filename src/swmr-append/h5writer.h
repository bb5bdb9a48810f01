/* The HDF5 side of swmr-append: one file, one growing dataset, in SWMR
 * order (everything created, then SWMR writing, then only extend+write).
 *
 * Each function reports its own failure in one line (via report.h) and
 * returns an exit status (exit_status.h); 0 means success. */
#ifndef SWMR_H5WRITER_H
#define SWMR_H5WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "types.h"

/* An --attr NAME=VALUE, typed once when the options are read. */
enum attr_kind { ATTR_INT64, ATTR_FLOAT64, ATTR_STRING };
struct attr_spec {
    const char *name;
    const char *value;    /* as given */
    enum attr_kind kind;  /* a number if VALUE is one, else a string */
    int64_t i;            /* ATTR_INT64 */
    double d;             /* ATTR_FLOAT64 */
};

/* What a dataset holds, or is to hold. */
struct dataset_shape {
    const struct value_type *type;
    int rank;             /* 1: (N,)  2: (N, columns) */
    size_t columns;       /* values per row: 1 when rank is 1 */
    uint64_t rows;        /* current length */
    uint64_t chunk_rows;  /* rows per chunk */
    bool compressed;      /* any filter */
};

/* The open dataset: rows, their size in memory, and its chunks. */
struct dataset_geometry {
    uint64_t rows;         /* written and flushed: what the file holds */
    size_t row_bytes;      /* one row in memory: dataset_row_bytes */
    uint64_t chunk_rows;   /* the dataset's own rows a chunk */
    uint64_t chunk_bytes;
    bool compressed;       /* any filter */
    bool chunk_aligned;    /* filters only HDF5 can write: flush on chunk
                              boundaries only (see h5chunk.h) */
};

/* Bytes of one row of S in memory, packed. */
size_t dataset_row_bytes(const struct dataset_shape *s);

struct dataset_spec {
    const char *name;                 /* path in the file; groups are made */
    struct dataset_shape shape;       /* type, rank, columns, chunk_rows */
    int compress;                     /* deflate level, or -1 for none */
    const char *const *column_names;  /* --header names, or NULL */
    const struct attr_spec *attrs;
    size_t nattrs;
};

struct h5writer;

/* Get ready to write PATH. A new file (or with FORCE, one to replace PATH)
 * is built under a temporary name and appears at PATH only once
 * h5writer_start has made its dataset and started SWMR writing. With
 * APPEND, an existing PATH is opened in SWMR mode at once (recovering a
 * file a killed writer left marked open). Another writer of PATH is
 * refused (STATUS_TEMPFAIL); readers never are. */
int h5writer_open(const char *path, bool append, bool force,
                  struct h5writer **out);

/* With an existing dataset NAME, fill SHAPE from it and return true. */
bool h5writer_find(struct h5writer *w, const char *name,
                   struct dataset_shape *shape);

/* Create the dataset (or check the existing one fits SPEC: STATUS_CANTCREAT
 * if not), write its attributes, start SWMR writing, and place a new file
 * at PATH. */
int h5writer_start(struct h5writer *w, const struct dataset_spec *spec);

/* After a failure before any row was written: a new file that was never
 * placed is removed. */
void h5writer_abandon(struct h5writer *w);

/* Append N rows (rank/columns/type as started) and flush them, so that
 * readers see them and a crash keeps them. On failure the file is taken
 * back to the rows it held before, and nothing more is written. */
int h5writer_append(struct h5writer *w, const void *rows, uint64_t n);

/* No rows will follow the next h5writer_append: a compressed last chunk
 * then takes no room kept for more rows. */
void h5writer_last_rows(struct h5writer *w);

/* Once started: the dataset as the writer has it, the one owner of its
 * geometry (its own chunks, where they differ from what the spec asked:
 * another writer may have made it). */
const struct dataset_geometry *h5writer_geometry(const struct h5writer *w);

/* Is the file we write still the one at PATH (not moved or removed)? */
bool h5writer_in_place(const struct h5writer *w);

/* Close everything; frees W. Safe on a writer that never started. Returns
 * 0, or STATUS_IOERR after a failed write or close. */
int h5writer_close(struct h5writer *w);

/* Bytes the file takes on disk now. */
uint64_t h5writer_file_size(const struct h5writer *w);

/* Rows per chunk for a row of ROW_BYTES: about 64 KiB a chunk, at least 1. */
uint64_t h5writer_default_chunk(size_t row_bytes);

#endif
