/* swmr-watch's window on HDF5: a SWMR reader that never takes HDF5's file
 * lock (a lock would make a restarting writer fail). Everything HDF5 says
 * on failure is captured through h5err; nothing is printed here. */
#ifndef SWMR_WATCH_H5_H
#define SWMR_WATCH_H5_H

#include <hdf5.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cell.h"
#include "watch_format.h"   /* WATCH_MAX_RANK */

/* ---- The SWMR reader ---- */

/* Open PATH read-only as a SWMR reader without file locking. < 0 on
 * failure (h5err captured). */
hid_t watch_h5_open(const char *path);

/* A dataset that watch_h5_growing passed over: HDF5 cannot open it. */
struct watch_skip {
    char *name;   /* absolute path */
    char *why;    /* HDF5's reason (h5err_detail) */
};

/* Every dataset under FILE that can grow (chunked or virtual, with a
 * dimension that is unlimited or below its maximum: what
 * watch_h5_dset_open accepts), as absolute paths ("/data", "/run/t") in
 * *NAMES (malloc'd, free with watch_h5_names_free); those HDF5 cannot open,
 * with its reason, in *SKIPS (free with watch_h5_skips_free). Returns false
 * on failure. */
bool watch_h5_growing(hid_t file, char ***names, size_t *n,
                      struct watch_skip **skips, size_t *nskips);
void watch_h5_names_free(char **names, size_t n);
void watch_h5_skips_free(struct watch_skip *skips, size_t n);

enum dset_status {
    DSET_OK,
    DSET_MISSING,        /* no object at that path */
    DSET_NOT_DATASET,    /* a group or a named type */
    DSET_NOT_CHUNKED,    /* contiguous or compact: can never grow */
    DSET_AT_MAXIMUM,     /* chunked, every dimension at its maximum */
    DSET_VIRTUAL_FIXED,  /* virtual, no mapping unlimited: its extent is
                            fixed */
    DSET_ERROR,          /* HDF5 failed (h5err captured) */
};

struct watch_dset {
    hid_t id;
    int rank;                          /* 0 for a scalar */
    uint64_t dims[WATCH_MAX_RANK];     /* extent after the last refresh */
    uint32_t grows;                    /* the dimensions that are its rows
                                          (growth_dims), from the open */
    char type_name[24];                /* what its type is ("float16",
                                          "compound"), for messages */
    struct cell *cell;                 /* how --values holds and prints a
                                          cell (watch_h5_dset_cell), or
                                          NULL */
    hid_t mem_type;                    /* the cell's memory type, or -1 */
};

/* Open the dataset at PATH in FILE and read its extent. */
enum dset_status watch_h5_dset_open(hid_t file, const char *path,
                                    struct watch_dset *d);

enum cell_status {
    CELL_READY,
    CELL_NOT_COMPOUND,   /* ready, but fields were named and D has none:
                            every value is shown */
    CELL_FAILED,         /* the fields named are not all there (or HDF5
                            failed): WHY says so */
};

/* Make D->cell and D->mem_type for --values (cell_h5.c): a compound keeps
 * only the members FIELDS names (N of them; 0: all), as dotted paths for
 * nested ones ("pos.x"). A cell whose kind is CELL_UNPRINTABLE means no
 * value can be shown. */
enum cell_status watch_h5_dset_cell(struct watch_dset *d,
                                    const char *const *fields, size_t n,
                                    char *why, size_t size);

/* Refresh D from the file (H5Drefresh) and read its extent into D->dims.
 * false when HDF5 failed (for instance while a writer re-opens the file):
 * the caller tries again later. */
bool watch_h5_refresh(struct watch_dset *d);

/* Read the box of cells at START with COUNT (D->rank of each) into BUF,
 * laid out as D->cell says, in row-major order. BUF holds the product of
 * COUNT cells. Strings and sequences of variable length are allocated by
 * HDF5: watch_h5_reclaim frees them once they are printed. */
bool watch_h5_read_block(const struct watch_dset *d, const uint64_t *start,
                         const uint64_t *count, void *buf);
void watch_h5_reclaim(const struct watch_dset *d, const uint64_t *count,
                      void *buf);

void watch_h5_dset_close(struct watch_dset *d);

/* A short name for the HDF5 datatype TYPE: "int16", "float16", "string". */
void watch_h5_type_name(hid_t type, char *buf, size_t size);

#endif
