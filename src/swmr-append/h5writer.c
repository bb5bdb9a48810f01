/* Rows into the dataset: disk room reserved ahead, extend + write + flush,
 * a failed write taken back so the file never claims a row it lacks, and
 * closing. Also the failure messages the three parts share. */
#include "h5writer_impl.h"
#include "exit_status.h"
#include "file_place.h"
#include "h5err.h"
#include "report.h"

#include <errno.h>    /* errno */
#include <fcntl.h>    /* fallocate */
#include <inttypes.h> /* PRIu64 */
#include <stdio.h>    /* snprintf */
#include <stdlib.h>   /* free, getenv */
#include <string.h>   /* strerror */
#include <sys/stat.h> /* fstat */
#include <sys/statvfs.h> /* fstatvfs: free space where nothing can be reserved */
#include <unistd.h>   /* close, ftruncate, geteuid */

/* Every flush rewrites the partial last chunk whole: a trickle of rows
 * costs one chunk of disk writes per flush. 64 KiB keeps that small while a
 * flood still flushes only every few thousand rows. */
enum { CHUNK_TARGET_BYTES = 64 * 1024 };
/* Disk space is reserved ahead of HDF5's writes in steps of this much more
 * than the next write needs: one fallocate() per megabyte, not per flush. */
enum { RESERVE_AHEAD = 1024 * 1024 };

/* Report the HDF5 call that just failed as "PATH: WHAT (HDF5's most
 * specific reason)". */
int h5writer_fail(const struct h5writer *w, int status, const char *what)
{
    h5err_debug_print();
    const char *detail = h5err_detail();
    if (*detail)
        report_error("%s: %s (%s)", w->path, what, detail);
    else
        report_error("%s: %s", w->path, what);
    return status;
}

/* The status for a failure to create: an I/O error (74) when the disk
 * refused HDF5's write, else "cannot create" (73). */
int h5writer_create_failure(void)
{
    static const char *const disk[] = { "No space left", "Input/output error",
                                        "File too large", "Disk quota" };
    for (size_t i = 0; i < sizeof disk / sizeof *disk; i++)
        if (h5err_mentions(disk[i]))
            return STATUS_IOERR;
    return STATUS_CANTCREAT;
}

uint64_t h5writer_default_chunk(size_t row_bytes)
{
    uint64_t rows = CHUNK_TARGET_BYTES / (row_bytes ? row_bytes : 1);
    return rows ? rows : 1;
}



/* No room for the next write: nothing of it was written. */
static int no_room(const struct h5writer *w, const char *why)
{
    if (w->temp)   /* not placed yet: there is no file to keep rows in */
        report_error("%s: %s", w->path, why);
    else
        report_error("%s: %s; kept %" PRIu64 " rows", w->path, why, w->g.rows);
    return STATUS_IOERR;
}

/* Reserve the disk blocks HDF5's next writes need, so that a full disk
 * shows here, before HDF5 has written half a flush: HDF5 cannot take back
 * a flush that failed half-way. */
static int reserve(struct h5writer *w, uint64_t n)
{
    /* Every chunk the rows touch may be allocated anew, plus some
     * metadata (chunk index, object headers). */
    uint64_t chunks = (w->g.rows + n - 1) / w->g.chunk_rows - w->g.rows / w->g.chunk_rows + 1;
    uint64_t need = chunks * (w->g.chunk_bytes + 1024) + 64 * 1024;
    haddr_t eoa;
    struct stat st;
    if (H5Fget_eoa(w->file, &eoa) < 0)
        eoa = fstat(w->lock_fd, &st) == 0 ? (haddr_t)st.st_size : 0;
    uint64_t end = eoa + need;
    if (w->fsize.rlim_cur != RLIM_INFINITY && end > w->fsize.rlim_cur) {
        char why[64];
        snprintf(why, sizeof why, "file size limit reached (%" PRIu64 " bytes)",
                 (uint64_t)w->fsize.rlim_cur);
        return no_room(w, why);
    }
    if (end <= w->reserved_to)
        return 0;
    if (!w->cannot_reserve) {
        /* KEEP_SIZE: the blocks are ours, the file's size is HDF5's. */
        uint64_t ahead = end + RESERVE_AHEAD;
        if (fallocate(w->lock_fd, FALLOC_FL_KEEP_SIZE, (off_t)eoa,
                      (off_t)(ahead - eoa)) == 0 ||
            (errno == ENOSPC && (ahead = end,
             fallocate(w->lock_fd, FALLOC_FL_KEEP_SIZE, (off_t)eoa,
                       (off_t)need) == 0))) {
            w->reserved_to = ahead;
            return 0;
        }
        if (errno != EOPNOTSUPP && errno != ENOSYS)
            return no_room(w, strerror(errno));
        w->cannot_reserve = true;
    }
    /* No fallocate here (some network and FUSE file systems): look at the
     * free space instead, which another writer may take meanwhile. */
    struct statvfs vfs;
    if (fstatvfs(w->lock_fd, &vfs) == 0) {
        /* root may use the blocks reserved for it, others may not */
        uint64_t blocks = geteuid() == 0 ? vfs.f_bfree : vfs.f_bavail;
        if (blocks * vfs.f_frsize < need)
            return no_room(w, strerror(ENOSPC));
    }
    return 0;
}

/* HDF5 commits the new extent and chunk index even when writing the rows
 * failed: take the extent back to the rows known written and flush that,
 * so the file never claims a row it does not hold. */
static bool undo_write(struct h5writer *w)
{
    hsize_t dims[2] = { w->g.rows, w->columns };
    return H5Dset_extent(w->dset, dims) >= 0 &&
           H5Fflush(w->file, H5F_SCOPE_LOCAL) >= 0;
}

/* One line for a failed write, saying how many rows the file holds. */
static int write_failed(struct h5writer *w, const char *what)
{
    h5err_debug_print();
    char detail[256];
    snprintf(detail, sizeof detail, "%s", h5err_detail());
    w->io_error = true;
    if (undo_write(w)) {
        report_error("%s: %s (%s); kept %" PRIu64 " rows", w->path, what,
                     detail, w->g.rows);
    } else {
        /* Closing now would commit whatever HDF5's cache holds. */
        w->failed = true;
        report_error("%s: %s (%s), and taking it back failed too: %" PRIu64
                     " rows were written, any rows the file shows past them "
                     "were not; run swmr-append --append on it once the disk "
                     "works", w->path, what, detail, w->g.rows);
    }
    return STATUS_IOERR;
}

/* A compressed dataset: its chunks are ours to compress and write when
 * its filters are ones we know (h5chunk.h); else HDF5 writes them, and only
 * whole (flushes on chunk boundaries). SWMR_APPEND_COMPRESS_ROUTE, for
 * scripts/compress-trickle only, selects the routes this replaced:
 * "filter" (every flush through HDF5's filters) or "aligned". */
static int open_chunks(struct h5writer *w)
{
    w->g.chunk_aligned = false;
    if (!w->g.compressed)
        return 0;
    const char *route = getenv("SWMR_APPEND_COMPRESS_ROUTE");
    if (route && strcmp(route, "filter") == 0)
        return 0;
    if (!(route && strcmp(route, "aligned") == 0) &&
        h5chunk_open(w->dset, w->mem_type, w->columns, w->g.row_bytes,
                     w->g.rows, w->g.chunk_rows, &w->chunks) < 0)
        return h5writer_fail(w, STATUS_CANTCREAT,
                             "cannot read the last chunk back");
    w->g.chunk_aligned = !w->chunks;
    return 0;
}

int h5writer_start(struct h5writer *w, const struct dataset_spec *spec)
{
    if (!w->temp) {
        int status = h5objects_start_existing(w, spec);
        if (status == 0)
            status = h5objects_open_dataset(w, spec);
        return status ? status : open_chunks(w);
    }
    int status = h5objects_make(w, spec);
    if (status == 0)
        status = h5objects_open_dataset(w, spec);
    if (status == 0)
        status = open_chunks(w);
    /* No room for a first row: say so before FILE appears. */
    if (status == 0)
        status = reserve(w, 1);
    return status ? status : h5file_place_new(w, spec);
}

void h5writer_abandon(struct h5writer *w)
{
    /* Nothing was written: a new file that was never placed goes. */
    if (w && w->temp)
        h5file_drop_temp(w);
}

/* N rows after the last through HDF5 (and its filters, if any). */
static bool write_rows(struct h5writer *w, const void *rows, uint64_t n)
{
    hsize_t start[2] = { w->g.rows, 0 };
    hsize_t count[2] = { n, w->columns };
    hid_t file_space = H5Dget_space(w->dset);
    hid_t mem_space = H5Screate_simple(w->rank, count, NULL);
    bool ok = H5Sselect_hyperslab(file_space, H5S_SELECT_SET, start, NULL,
                                  count, NULL) >= 0 &&
              H5Dwrite(w->dset, w->mem_type, mem_space, file_space,
                       H5P_DEFAULT, rows) >= 0;
    H5Sclose(mem_space);
    H5Sclose(file_space);
    return ok;
}

int h5writer_append(struct h5writer *w, const void *rows, uint64_t n)
{
    if (w->io_error)
        return STATUS_IOERR;
    if (n == 0)
        return 0;
    int status = reserve(w, n);
    if (status) {
        w->io_error = true;
        return status;
    }
    hsize_t dims[2] = { w->g.rows + n, w->columns };
    if (H5Dset_extent(w->dset, dims) < 0)
        return write_failed(w, "cannot extend dataset");
    if (w->chunks) {
        if (h5chunk_write(w->chunks, w->dset, w->g.rows, rows, n) < 0)
            return write_failed(w, "cannot write rows");
    } else if (!write_rows(w, rows, n))
        return write_failed(w, "cannot write rows");
    /* H5Fflush, not H5Dflush: it also writes the superblock's
     * end-of-allocation, so even a plain `h5clear -s` after a crash keeps
     * every flushed row. */
    if (H5Fflush(w->file, H5F_SCOPE_LOCAL) < 0)
        return write_failed(w, "cannot flush");
    w->g.rows += n;
    return 0;
}

void h5writer_last_rows(struct h5writer *w)
{
    h5chunk_last(w->chunks);
}

const struct dataset_geometry *h5writer_geometry(const struct h5writer *w)
{
    return &w->g;
}

bool h5writer_in_place(const struct h5writer *w)
{
    return place_still_there(w->lock_fd, w->path);
}

uint64_t h5writer_file_size(const struct h5writer *w)
{
    struct stat st;
    return w->lock_fd >= 0 && fstat(w->lock_fd, &st) == 0 ? (uint64_t)st.st_size : 0;
}

/* Give back the blocks reserved past the end of the closed file. ext4
 * punches no hole past the end of a file but frees what lies there on a
 * truncate to the same size; other file systems do the one or the other. */
static void unreserve(struct h5writer *w)
{
    struct stat st;
    if (w->reserved_to && fstat(w->lock_fd, &st) == 0 &&
        (uint64_t)st.st_size < w->reserved_to) {
        fallocate(w->lock_fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
                  st.st_size, (off_t)(w->reserved_to - (uint64_t)st.st_size));
        if (ftruncate(w->lock_fd, st.st_size) < 0) {
            /* best effort: the blocks stay allocated, nothing is lost */
        }
    }
}

int h5writer_close(struct h5writer *w)
{
    if (!w)
        return 0;
    if (w->temp)
        h5file_drop_temp(w);
    int status = w->io_error ? STATUS_IOERR : 0;
    if (w->mem_type_owned)
        H5Tclose(w->mem_type);
    if (!w->failed) {
        if (w->dset >= 0 && H5Dclose(w->dset) < 0)
            status = h5writer_fail(w, STATUS_IOERR, "cannot close dataset");
        if (w->file >= 0 && H5Fclose(w->file) < 0) {
            /* Every row was flushed before: only the superblock's "closed"
             * mark is missing, as after a crash. */
            h5err_debug_print();
            report_error("%s: cannot close file (%s); kept %" PRIu64 " rows; "
                         "swmr-append --append recovers it", w->path,
                         h5err_detail(), w->g.rows);
            status = STATUS_IOERR;
        }
    }
    h5chunk_free(w->chunks);
    if (w->lock_fd >= 0) {
        unreserve(w);
        close(w->lock_fd);
    }
    free(w->path);
    free(w);
    return status;
}
