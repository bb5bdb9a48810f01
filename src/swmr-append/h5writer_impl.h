/* Inside swmr-append's HDF5 writer, shared by its three parts:
 *   h5file.c     the file: a new one built aside and placed, an existing one
 *                locked and opened (recovering a killed writer's), --force
 *   h5objects.c  the dataset and its attributes: made, checked, opened
 *   h5writer.c   rows: room reserved, appended, flushed, taken back on
 *                failure; closing
 * Nothing outside these three includes it. */
#ifndef SWMR_H5WRITER_IMPL_H
#define SWMR_H5WRITER_IMPL_H

#include <hdf5.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/resource.h> /* struct rlimit */

#include "h5chunk.h"
#include "h5writer.h"

struct h5writer {
    char *path;
    char *temp;       /* a new file being built under this name, till placed */
    bool replace;     /* --force: the new file goes over an existing one */
    bool append;      /* --append: an existing FILE is opened, not refused */
    int lock_fd;      /* our own descriptor of the file: locks, fstat, space */
    hid_t file;
    hid_t dset;
    hid_t mem_type;
    bool mem_type_owned;   /* a compound of ours, closed at the end */
    int rank;
    hsize_t columns;  /* values of mem_type a row: 1 but for (N, C) */
    struct dataset_geometry g;   /* the dataset's, once open */
    bool swmr;
    bool io_error;    /* a write failed: write nothing more */
    bool failed;      /* ... and could not be undone: do not close */
    uint64_t reserved_to;  /* disk blocks are ours up to this offset */
    bool cannot_reserve;   /* the file system has no fallocate */
    struct rlimit fsize;   /* RLIMIT_FSIZE, read once */
    struct h5chunk *chunks;  /* compressed chunks we write ourselves */
};

/* ---- h5writer.c: failures ---- */

/* Report the HDF5 call that just failed as "PATH: WHAT (HDF5's most
 * specific reason)"; returns STATUS. */
int h5writer_fail(const struct h5writer *w, int status, const char *what);

/* The status for a failed create or open: a full disk, a failing disk or a
 * size limit is an I/O error (74), anything else "cannot create" (73). */
int h5writer_create_failure(void);

/* ---- h5file.c: the file ---- */

/* Open PATH in HDF5 (SWMR writing, or plain read-write to create objects
 * first), recovering a file a killed writer left marked open. */
int h5file_open_hdf5(struct h5writer *w, bool swmr);

/* Close HDF5's handles of the dataset and the file (not our descriptor). */
void h5file_close_hdf5(struct h5writer *w);

/* Put the finished new file at PATH (with --append, losing the race to
 * create it means appending to the one that is there now). */
int h5file_place_new(struct h5writer *w, const struct dataset_spec *spec);

/* Take the temporary file back: nothing of it was placed at PATH. */
void h5file_drop_temp(struct h5writer *w);

/* ---- h5objects.c: the dataset ---- */

/* In a new file: the dataset, its groups and attributes. */
int h5objects_make(struct h5writer *w, const struct dataset_spec *spec);

/* In an existing file open for SWMR writing: check the dataset fits SPEC,
 * or make it (and changed attributes) in a short plain-mode window. */
int h5objects_start_existing(struct h5writer *w, const struct dataset_spec *spec);

/* Open the dataset for appending and take its geometry from the file. */
int h5objects_open_dataset(struct h5writer *w, const struct dataset_spec *spec);

#endif
