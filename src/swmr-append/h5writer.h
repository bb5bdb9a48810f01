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

/* What a dataset holds, or is to hold: values of one type in (N,) or
 * (N, columns), or a compound value a row, (N,), whose fields are the
 * columns, each of its own type, packed in order without padding (numpy's
 * structured dtype), after a float64 "time" with TIMESTAMP. */
struct dataset_shape {
    const struct value_type *type;   /* every value's; NULL when compound */
    int rank;             /* 1: (N,)  2: (N, columns) */
    size_t columns;       /* values read per row: 1 when rank is 1 (but
                             compound) */
    uint64_t rows;        /* current length */
    uint64_t chunk_rows;  /* rows per chunk */
    bool compressed;      /* any filter */
    bool compound;
    bool timestamp;       /* compound: field 0 is "time", not read */
    const struct value_type **column_types;   /* compound: COLUMNS */
    char **field_names;   /* h5writer_find of a compound: every field's,
                             "time" included, NULL-terminated */
    char missing_filter[64];   /* h5writer_find: a filter this libhdf5
                                  lacks ("lzf, id 32000"), or "" */
};

/* Columns of their own types are the fields of one compound type, which
 * HDF5 keeps in one object header message of at most 64 KiB. Each field
 * costs its name, its NUL and at most 24 bytes more (measured with 1001
 * float64 fields: names of 40 bytes fit, of 45 do not), so the count is
 * capped and the type's size estimated (COMPOUND_FIELD_BYTES a field plus
 * the names) against COMPOUND_TYPE_BYTES. A "time" field comes on top of
 * the count. */
enum {
    MAX_COMPOUND_FIELDS = 1000,
    COMPOUND_FIELD_BYTES = 24,
    COMPOUND_TYPE_BYTES = 65000,
};

/* The leading "time" field of a --timestamp row: a float64. */
enum { TIME_FIELD_BYTES = 8 };

/* The type of input column I of S. */
const struct value_type *dataset_column_type(const struct dataset_shape *s,
                                             size_t i);

/* Free what h5writer_find allocated in S. */
void dataset_shape_free(struct dataset_shape *s);

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
    const char *const *column_names;  /* the columns' names: a compound's
                                         fields (required), else the
                                         "columns" attribute, or NULL */
    const char *names_from;           /* where they come from, for messages:
                                         "stdin: line 1", "--columns" */
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
