#include "h5writer.h"
#include "types_h5.h"
#include "file_place.h"
#include "file_users.h"
#include "h5err.h"
#include "report.h"

#include <errno.h>    /* errno */
#include <fcntl.h>    /* open, fallocate */
#include <hdf5.h>
#include <inttypes.h> /* PRIu64 */
#include <stdlib.h>   /* calloc, free */
#include <string.h>   /* strerror, strlen */
#include <sys/resource.h> /* getrlimit: the file size limit */
#include <sys/stat.h> /* stat, fstat */
#include <sys/statvfs.h> /* fstatvfs: free space where nothing can be reserved */
#include "exit_status.h"
#include <unistd.h>   /* close, unlink */

/* Every flush rewrites the partial last chunk whole: a trickle of rows
 * costs one chunk of disk writes per flush. 64 KiB keeps that small while a
 * flood still flushes only every few thousand rows. */
enum { CHUNK_TARGET_BYTES = 64 * 1024 };
/* Disk space is reserved ahead of HDF5's writes in steps of this much more
 * than the next write needs: one fallocate() per megabyte, not per flush. */
enum { RESERVE_AHEAD = 1024 * 1024 };

struct h5writer {
    char *path;
    char *temp;       /* a new file being built under this name, till placed */
    bool replace;     /* --force: the new file goes over an existing one */
    bool append;      /* --append: an existing FILE is opened, not refused */
    int lock_fd;      /* our own descriptor of the file: locks, fstat, space */
    hid_t file;
    hid_t dset;
    hid_t mem_type;
    int rank;
    hsize_t columns;
    uint64_t rows;    /* rows written and flushed: what the file holds */
    size_t row_bytes;
    bool swmr;
    uint64_t chunk_rows;   /* the dataset's, once open */
    uint64_t chunk_bytes;
    bool compressed;
    bool io_error;    /* a write failed: write nothing more */
    bool failed;      /* ... and could not be undone: do not close */
    uint64_t reserved_to;  /* disk blocks are ours up to this offset */
    bool cannot_reserve;   /* the file system has no fallocate */
    struct rlimit fsize;   /* RLIMIT_FSIZE, read once */
};

uint64_t h5writer_default_chunk(size_t row_bytes)
{
    uint64_t rows = CHUNK_TARGET_BYTES / (row_bytes ? row_bytes : 1);
    return rows ? rows : 1;
}

/* Report the HDF5 call that just failed as "PATH: WHAT (HDF5's most
 * specific reason)". */
static int h5fail(const struct h5writer *w, int status, const char *what)
{
    h5err_debug_print();
    const char *detail = h5err_detail();
    if (*detail)
        report_error("%s: %s (%s)", w->path, what, detail);
    else
        report_error("%s: %s", w->path, what);
    return status;
}

static hid_t make_fapl(bool clear_flags)
{
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
    /* Superblock v3: what SWMR writing needs, and every HDF5 >= 1.10
     * reader (h5py included) opens. */
    H5Pset_libver_bounds(fapl, H5F_LIBVER_V110, H5F_LIBVER_V110);
    /* HDF5's own lock is exclusive for a writer: any reader that locks
     * (h5py by default) would make our open fail. We keep other writers
     * out with locks of our own instead (file_place.h). */
    H5Pset_file_locking(fapl, false, true);
    if (clear_flags) {
        /* What h5clear itself sets: open a file whose superblock still says
         * a (killed) writer has it. Undocumented, but in every fapl. */
        hbool_t yes = 1;
        H5Pset(fapl, "clear_status_flags", &yes);
    }
    return fapl;
}

/* The descriptor HDF5's sec2 driver has open for W->file. */
static int hdf5_fd(const struct h5writer *w)
{
    void *handle = NULL;
    if (H5Fget_vfd_handle(w->file, H5P_DEFAULT, &handle) < 0 || !handle)
        return -1;
    return *(int *)handle;
}

/* Does HDF5 have the very file we locked open (not one that was moved to
 * FILE's name between our open and its own)? */
static bool hdf5_has_locked_file(const struct h5writer *w)
{
    struct stat a, b;
    int fd = hdf5_fd(w);
    return fd >= 0 && fstat(fd, &a) == 0 && fstat(w->lock_fd, &b) == 0 &&
           a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

static void close_hdf5(struct h5writer *w)
{
    if (w->dset >= 0)
        H5Dclose(w->dset);
    if (w->file >= 0)
        H5Fclose(w->file);
    w->dset = w->file = H5I_INVALID_HID;
    w->swmr = false;
}

/* The status for a failure to create: an I/O error (74) when the disk
 * refused HDF5's write, else "cannot create" (73). */
static int create_failure(void)
{
    static const char *const disk[] = { "No space left", "Input/output error",
                                        "File too large", "Disk quota" };
    for (size_t i = 0; i < sizeof disk / sizeof *disk; i++)
        if (h5err_mentions(disk[i]))
            return STATUS_IOERR;
    return STATUS_CANTCREAT;
}

/* Why another process's hold on FILE keeps us out, and what to do. */
static int refuse_busy(const struct h5writer *w, enum place_lock why)
{
    switch (why) {
    case PLACE_BY_APPENDER:
        report_error("%s: another swmr-append is writing it; wait for it to "
                     "end, or write to another file", w->path);
        return STATUS_TEMPFAIL;
    case PLACE_BY_HDF5:
        report_error("%s: another program has it open for writing (it holds "
                     "HDF5's lock); close it there first", w->path);
        return STATUS_TEMPFAIL;
    default:
        report_error("%s: cannot lock: %s", w->path, strerror(errno));
        return STATUS_CANTCREAT;
    }
}

/* FILE must be a regular file: not a FIFO (opening one blocks), a device
 * or a directory. 0 if PATH is one or does not exist. */
static int check_regular(const char *path, bool force)
{
    struct stat st;
    if (lstat(path, &st) < 0)
        return 0;
    if (force && S_ISLNK(st.st_mode)) {
        report_error("%s: a symbolic link; not replacing it", path);
        return STATUS_CANTCREAT;
    }
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        report_error("%s: %s", path, S_ISDIR(st.st_mode) ? "is a directory"
                                                       : "not a regular file");
        return STATUS_CANTCREAT;
    }
    return 0;
}

static int file_exists_error(const struct h5writer *w)
{
    report_error("%s: file exists (use --force to replace it, --append to "
                 "add to it)", w->path);
    return STATUS_CANTCREAT;
}

/* A new file is built under a hidden temporary name beside FILE. HDF5
 * creates it with O_EXCL (H5F_ACC_EXCL), which never follows a symlink
 * another user planted there, and we lock it at once, so that no other
 * run takes it for one a killed writer left behind. */
static int create_temp(struct h5writer *w)
{
    for (int tries = 0; tries < 8; tries++) {
        free(w->temp);
        if (!(w->temp = place_temp_name(w->path))) {
            report_error("out of memory");
            return STATUS_OSERR;
        }
        hid_t fapl = make_fapl(false);
        w->file = H5Fcreate(w->temp, H5F_ACC_EXCL, H5P_DEFAULT, fapl);
        H5Pclose(fapl);
        if (w->file < 0 && h5err_mentions("File exists"))
            continue;   /* an unlucky name: draw another */
        if (w->file < 0) {
            int status = create_failure();
            h5err_debug_print();
            report_error("%s: cannot create: %s", w->path, h5err_detail());
            /* It may have been created before HDF5 failed to write to it;
             * not existing before, it is ours. */
            unlink(w->temp);
            return status;
        }
        char self[64];
        snprintf(self, sizeof self, "/proc/self/fd/%d", hdf5_fd(w));
        w->lock_fd = open(self, O_RDWR | O_CLOEXEC);
        if (w->lock_fd >= 0 && place_lock(w->lock_fd) == PLACE_LOCKED &&
            place_still_there(w->lock_fd, w->temp))
            return 0;
        /* Another run took our new file for a stale one (or /proc or the
         * lock failed): start again, leaving nothing behind. */
        if (w->lock_fd >= 0 && place_still_there(w->lock_fd, w->temp))
            unlink(w->temp);
        close_hdf5(w);
        if (w->lock_fd >= 0)
            close(w->lock_fd);
        w->lock_fd = -1;
    }
    report_error("%s: cannot create a temporary file beside it", w->path);
    return STATUS_CANTCREAT;
}

/* Take the temporary file back: nothing of it was placed at FILE. */
static void drop_temp(struct h5writer *w)
{
    close_hdf5(w);
    if (w->temp && w->lock_fd >= 0 && place_still_there(w->lock_fd, w->temp))
        unlink(w->temp);
    free(w->temp);
    w->temp = NULL;
    if (w->lock_fd >= 0)
        close(w->lock_fd);
    w->lock_fd = -1;
}

/* Open FILE in HDF5 (SWMR writing, or plain read-write to create objects
 * first). A file whose superblock still says a writer has it is
 * recovered when no process has it open for writing. */
static int open_hdf5(struct h5writer *w, bool swmr)
{
    unsigned mode = H5F_ACC_RDWR | (swmr ? H5F_ACC_SWMR_WRITE : 0);
    hid_t fapl = make_fapl(false);
    w->file = H5Fopen(w->path, mode, fapl);
    H5Pclose(fapl);
    if (w->file < 0) {
        if (h5err_mentions("file signature not found"))
            return h5fail(w, STATUS_DATAERR, "not an HDF5 file");
        if (h5err_mentions("truncated file")) {
            report_error("%s: truncated HDF5 file (shorter than its superblock "
                         "says)", w->path);
            return STATUS_DATAERR;
        }
        if (swmr && h5err_mentions("superblock version"))
            return h5fail(w, STATUS_DATAERR, "cannot start SWMR writing: the file "
                          "was not written for HDF5 1.10 or later");
        if (!h5err_mentions("already open for write"))
            return h5fail(w, STATUS_CANTCREAT, "cannot open HDF5 file");

        /* The flags say "open for writing". A live SWMR writer of another
         * make holds no lock, so only the kernel can tell it from a killed
         * one. */
        enum writer_presence writer = writer_presence(w->lock_fd);
        if (writer == WRITER_PRESENT) {
            report_error("%s: another process has it open for writing; close "
                         "it there first", w->path);
            return STATUS_TEMPFAIL;
        }
        if (writer == WRITER_UNKNOWN) {
            report_error("%s: marked open by a writer, and whether it still "
                         "runs cannot be told; not recovering it (run as the "
                         "file's owner)", w->path);
            return STATUS_TEMPFAIL;
        }
        /* A writer was killed and left the superblock marked open. Clear the
         * flags as h5clear would, in the same open (in SWMR mode readers
         * never meet a file marked "open, not SWMR"), then move the
         * end-of-allocation up to the real end of file: rows flushed after
         * the last metadata write lie beyond the stale one, and appending
         * there would overwrite them. */
        fapl = make_fapl(true);
        w->file = H5Fopen(w->path, mode, fapl);
        H5Pclose(fapl);
        if (w->file < 0 || H5Fincrement_filesize(w->file, 0) < 0)
            return h5fail(w, STATUS_CANTCREAT, "cannot recover file left open by "
                          "a previous writer");
        report_notice("%s: recovered file left open by a previous writer",
                      w->path);
    }
    w->swmr = swmr;
    if (!hdf5_has_locked_file(w)) {
        report_error("%s: replaced by another process while being opened; not "
                     "writing to it", w->path);
        return STATUS_TEMPFAIL;
    }
    return 0;
}

/* --append to an existing FILE: lock it first (nothing is written if
 * another writer has it), then open it straight in SWMR mode, so a kill
 * at any moment leaves a file SWMR readers open. */
static int open_existing(struct h5writer *w)
{
    w->lock_fd = open(w->path, O_RDWR | O_CLOEXEC | O_NONBLOCK);
    if (w->lock_fd < 0) {
        report_error("%s: cannot open for writing: %s", w->path, strerror(errno));
        return STATUS_CANTCREAT;
    }
    enum place_lock lock = place_lock(w->lock_fd);
    if (lock != PLACE_LOCKED)
        return refuse_busy(w, lock);
    return open_hdf5(w, true);
}

/* --force replaces FILE only when no writer has it (readers keep the old
 * file they have open). */
static int check_replaceable(struct h5writer *w)
{
    enum place_lock busy = place_probe(w->path);
    if (busy != PLACE_LOCKED)
        return refuse_busy(w, busy);
    int fd = open(w->path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    enum writer_presence writer = fd >= 0 ? writer_presence(fd) : WRITER_ABSENT;
    if (fd >= 0)
        close(fd);
    if (writer != WRITER_PRESENT)
        return 0;
    report_error("%s: another process has it open for writing; not replacing "
                 "it", w->path);
    return STATUS_TEMPFAIL;
}

static int get_ready(struct h5writer *w)
{
    int status = check_regular(w->path, w->replace);
    if (status)
        return status;
    /* Whatever this run does, what a killed one left beside FILE goes. */
    place_remove_stale(w->path);
    bool exists = access(w->path, F_OK) == 0;
    if (exists && w->append)
        return open_existing(w);
    if (exists && !w->replace)
        /* Checked again, atomically, when the new file is placed. */
        return file_exists_error(w);
    if (exists && (status = check_replaceable(w)))
        return status;
    return create_temp(w);
}

int h5writer_open(const char *path, bool append, bool force,
                  struct h5writer **out)
{
    struct h5writer *w = calloc(1, sizeof *w);
    if (!w || !(w->path = strdup(path))) {
        free(w);
        report_error("out of memory");
        return STATUS_OSERR;
    }
    w->file = w->dset = H5I_INVALID_HID;
    w->lock_fd = -1;
    w->append = append;
    w->replace = force;
    getrlimit(RLIMIT_FSIZE, &w->fsize);

    int status = get_ready(w);
    if (status) {
        h5writer_close(w);
        return status;
    }
    *out = w;
    return 0;
}

/* What NAME is in the file: -1 nothing (free to create), else an
 * H5O_type_t; H5O_TYPE_UNKNOWN also for a link that leads nowhere. */
static int object_type(hid_t file, const char *name)
{
    if (H5Lexists(file, name, H5P_DEFAULT) <= 0)
        return -1;
    H5O_info_t info;
    if (H5Oget_info_by_name2(file, name, &info, H5O_INFO_BASIC, H5P_DEFAULT) < 0)
        return H5O_TYPE_UNKNOWN;
    return info.type;
}

static int write_number_attr(hid_t obj, const char *name, hid_t type,
                             const void *value)
{
    hid_t space = H5Screate(H5S_SCALAR);
    hid_t attr = H5Acreate2(obj, name, type, space, H5P_DEFAULT, H5P_DEFAULT);
    herr_t ok = attr < 0 ? -1 : H5Awrite(attr, type, value);
    if (attr >= 0)
        H5Aclose(attr);
    H5Sclose(space);
    return ok < 0 ? -1 : 0;
}

/* Strings as variable-length UTF-8: what h5py hands back as str. */
static int write_strings_attr(hid_t obj, const char *name,
                              const char *const *values, hsize_t n, bool scalar)
{
    hid_t type = H5Tcopy(H5T_C_S1);
    H5Tset_size(type, H5T_VARIABLE);
    H5Tset_cset(type, H5T_CSET_UTF8);
    hid_t space = scalar ? H5Screate(H5S_SCALAR) : H5Screate_simple(1, &n, NULL);
    hid_t attr = H5Acreate2(obj, name, type, space, H5P_DEFAULT, H5P_DEFAULT);
    herr_t ok = attr < 0 ? -1 : H5Awrite(attr, type, values);
    if (attr >= 0)
        H5Aclose(attr);
    H5Sclose(space);
    H5Tclose(type);
    return ok < 0 ? -1 : 0;
}

/* Does OBJ hold attribute A with the very value it would be given? Then a
 * restarted logger's --attr changes nothing, and needs no plain open. */
static bool attr_unchanged(hid_t obj, const struct attr_spec *a)
{
    if (H5Aexists(obj, a->name) <= 0)
        return false;
    hid_t attr = H5Aopen(obj, a->name, H5P_DEFAULT);
    hid_t type = attr >= 0 ? H5Aget_type(attr) : H5I_INVALID_HID;
    hid_t space = attr >= 0 ? H5Aget_space(attr) : H5I_INVALID_HID;
    bool same = type >= 0 && H5Sget_simple_extent_type(space) == H5S_SCALAR;
    if (same && a->kind == ATTR_INT64) {
        int64_t i;
        same = H5Tequal(type, H5T_NATIVE_INT64) > 0 &&
               H5Aread(attr, H5T_NATIVE_INT64, &i) >= 0 && i == a->i;
    } else if (same && a->kind == ATTR_FLOAT64) {
        double d;
        same = H5Tequal(type, H5T_NATIVE_DOUBLE) > 0 &&
               H5Aread(attr, H5T_NATIVE_DOUBLE, &d) >= 0 &&
               memcmp(&d, &a->d, sizeof d) == 0;
    } else if (same) {
        hid_t str = H5Tcopy(H5T_C_S1);
        H5Tset_size(str, H5T_VARIABLE);
        H5Tset_cset(str, H5T_CSET_UTF8);
        char *have = NULL;
        same = H5Tis_variable_str(type) > 0 && H5Aread(attr, str, &have) >= 0 &&
               have && strcmp(have, a->value) == 0;
        if (have)
            H5free_memory(have);
        H5Tclose(str);
    }
    if (space >= 0)
        H5Sclose(space);
    if (type >= 0)
        H5Tclose(type);
    if (attr >= 0)
        H5Aclose(attr);
    return same;
}

static int write_user_attr(hid_t obj, const struct attr_spec *a)
{
    if (H5Aexists(obj, a->name) > 0 && H5Adelete(obj, a->name) < 0)
        return -1;
    if (a->kind == ATTR_INT64)
        return write_number_attr(obj, a->name, H5T_NATIVE_INT64, &a->i);
    if (a->kind == ATTR_FLOAT64)
        return write_number_attr(obj, a->name, H5T_NATIVE_DOUBLE, &a->d);
    return write_strings_attr(obj, a->name, &a->value, 1, true);
}

/* The new dataset, not linked anywhere yet (see link_new). */
static hid_t create_dataset(struct h5writer *w, const struct dataset_spec *spec)
{
    const struct dataset_shape *s = &spec->shape;
    hsize_t dims[2] = { 0, s->columns };
    hsize_t maxdims[2] = { H5S_UNLIMITED, s->columns };
    hsize_t chunk[2] = { s->chunk_rows, s->columns };

    hid_t space = H5Screate_simple(s->rank, dims, maxdims);
    hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
    H5Pset_chunk(dcpl, s->rank, chunk);
    if (spec->compress >= 0) {
        H5Pset_shuffle(dcpl);
        H5Pset_deflate(dcpl, (unsigned)spec->compress);
    }
    hid_t dset = H5Dcreate_anon(w->file, type_native(s->type), space, dcpl,
                                H5P_DEFAULT);
    H5Pclose(dcpl);
    H5Sclose(space);
    return dset;
}

/* Link OBJ (a new dataset, not reachable yet) at NAME, making the missing
 * groups on the way as new objects too. Everything new is flushed before
 * the one link from the existing tree to it is made, and that is flushed
 * at once: a kill at any write leaves the old tree, or the old tree with
 * the new part whole, never a link to an object not written yet (in a
 * plain, non-SWMR open HDF5 writes its metadata in no particular order). */
static int link_new(struct h5writer *w, hid_t obj, const char *name)
{
    char *path = strdup(name);
    if (!path) {
        report_error("out of memory");
        return STATUS_OSERR;
    }
    /* Walk up from the dataset while the parent does not exist yet. */
    hid_t top = obj;
    H5Iinc_ref(top);
    char *slash;
    int status = 0;
    while (status == 0 && (slash = strrchr(path, '/')) && slash != path) {
        *slash = '\0';
        /* (H5Lexists fails, < 0, when a group above is missing too.) */
        if (H5Lexists(w->file, path, H5P_DEFAULT) > 0) {
            *slash = '/';
            break;
        }
        hid_t group = H5Gcreate_anon(w->file, H5P_DEFAULT, H5P_DEFAULT);
        if (group < 0 || H5Olink(top, group, slash + 1, H5P_DEFAULT,
                                 H5P_DEFAULT) < 0)
            status = h5fail(w, create_failure(), "cannot create group");
        H5Oclose(top);
        top = group;
    }
    if (status == 0 && H5Fflush(w->file, H5F_SCOPE_LOCAL) < 0)
        status = h5fail(w, create_failure(), "cannot create dataset");
    if (status == 0 && (H5Olink(top, w->file, path, H5P_DEFAULT, H5P_DEFAULT) < 0 ||
                        H5Fflush(w->file, H5F_SCOPE_LOCAL) < 0))
        status = h5fail(w, create_failure(), "cannot create dataset");
    if (top >= 0)
        H5Oclose(top);
    free(path);
    return status;
}

/* Does an existing "columns" attribute hold exactly NAMES? */
static bool same_columns(hid_t dset, const char *const *names, hsize_t n)
{
    hid_t attr = H5Aopen(dset, "columns", H5P_DEFAULT);
    if (attr < 0)
        return false;
    hid_t space = H5Aget_space(attr);
    hid_t type = H5Tcopy(H5T_C_S1);
    H5Tset_size(type, H5T_VARIABLE);
    H5Tset_cset(type, H5T_CSET_UTF8);
    bool same = H5Sget_simple_extent_npoints(space) == (hssize_t)n;
    char **have = same ? calloc(n, sizeof *have) : NULL;
    same = have && H5Aread(attr, type, have) >= 0;
    for (hsize_t i = 0; same && i < n; i++)
        same = have[i] && strcmp(have[i], names[i]) == 0;
    if (have) {
        H5Dvlen_reclaim(type, space, H5P_DEFAULT, have);
        free(have);
    }
    H5Tclose(type);
    H5Sclose(space);
    H5Aclose(attr);
    return same;
}


/* NAME must be free, or a dataset, and each group on its way a group
 * (H5Lexists cannot look past a missing one: walk the path). Say plainly
 * what is in the way. */
static int check_target(struct h5writer *w, const char *name)
{
    char *path = strdup(name);
    if (!path) {
        report_error("out of memory");
        return STATUS_OSERR;
    }
    int status = 0;
    for (char *slash = strchr(path + 1, '/');; slash = strchr(slash + 1, '/')) {
        if (slash)
            *slash = '\0';
        int type = object_type(w->file, path);
        bool last = !slash;
        if (type == -1)
            break;   /* the rest is ours to create */
        if (!last && type != H5O_TYPE_GROUP) {
            report_error("%s: cannot make dataset %s: %s is not a group",
                         w->path, name, path);
            status = STATUS_CANTCREAT;
        } else if (last && type == H5O_TYPE_UNKNOWN) {
            report_error("%s: %s is a link to nothing", w->path, name);
            status = STATUS_CANTCREAT;
        } else if (last && type != H5O_TYPE_DATASET) {
            report_error("%s: %s is a %s, not a dataset", w->path, name,
                         type == H5O_TYPE_GROUP ? "group" : "named datatype");
            status = STATUS_CANTCREAT;
        }
        if (status || last)
            break;
        *slash = '/';
    }
    free(path);
    return status;
}


bool h5writer_find(struct h5writer *w, const char *name,
                   struct dataset_shape *shape)
{
    if (w->file < 0 || w->temp)
        return false;
    hid_t file = w->file;
    /* Anything else in the way is reported by h5writer_start. */
    hid_t dset = object_type(file, name) == H5O_TYPE_DATASET
                     ? H5Dopen2(file, name, H5P_DEFAULT) : H5I_INVALID_HID;
    if (dset < 0)
        return false;
    hid_t type = H5Dget_type(dset);
    hid_t space = H5Dget_space(dset);
    hid_t dcpl = H5Dget_create_plist(dset);
    hsize_t dims[H5S_MAX_RANK], maxdims[H5S_MAX_RANK], chunk[H5S_MAX_RANK];
    int rank = H5Sget_simple_extent_dims(space, dims, maxdims);

    *shape = (struct dataset_shape){ 0 };
    shape->type = type_from_hdf5(type);
    shape->rank = rank;
    shape->columns = rank == 2 ? dims[1] : 1;
    shape->rows = rank > 0 ? dims[0] : 0;
    if (H5Pget_layout(dcpl) == H5D_CHUNKED && rank > 0 &&
        H5Pget_chunk(dcpl, rank, chunk) == rank)
        shape->chunk_rows = chunk[0];
    /* Not extendible along rows: report it as "no chunks", the caller
     * refuses it either way. */
    if (rank > 0 && maxdims[0] != H5S_UNLIMITED)
        shape->chunk_rows = 0;
    shape->compressed = H5Pget_nfilters(dcpl) > 0;
    H5Pclose(dcpl);
    H5Sclose(space);
    H5Tclose(type);
    H5Dclose(dset);
    return true;
}

/* The dataset at SPEC->name exists: is it the one SPEC describes? Checked
 * before the first write, whoever made the dataset (another writer may
 * have, between our look and now). */
static int check_fits(struct h5writer *w, const struct dataset_spec *spec)
{
    struct dataset_shape have;
    const struct dataset_shape *want = &spec->shape;
    if (!h5writer_find(w, spec->name, &have))
        return h5fail(w, STATUS_CANTCREAT, "cannot open dataset");
    if (have.type == want->type && have.rank == want->rank &&
        have.columns == want->columns && have.chunk_rows)
        return 0;
    report_error("%s: dataset %s holds %s values in %zu column%s; this input "
                 "has %s values in %zu", w->path, spec->name,
                 have.type ? have.type->name : "other", have.columns,
                 have.columns == 1 ? "" : "s", want->type->name, want->columns);
    return STATUS_CANTCREAT;
}

static bool has_attr(hid_t file, const char *dset_name, const char *attr)
{
    hid_t dset = H5Dopen2(file, dset_name, H5P_DEFAULT);
    bool has = dset >= 0 && H5Aexists(dset, attr) > 0;
    if (dset >= 0)
        H5Dclose(dset);
    return has;
}

/* Create the dataset (or open the existing one) and write its attributes:
 * only possible before SWMR writing starts. */
static int make_objects(struct h5writer *w, const struct dataset_spec *spec)
{
    bool existed = object_type(w->file, spec->name) == H5O_TYPE_DATASET;
    hid_t dset = existed ? H5Dopen2(w->file, spec->name, H5P_DEFAULT)
                         : create_dataset(w, spec);
    if (dset < 0)
        return h5fail(w, create_failure(), "cannot create dataset");
    int failed = 0;
    if (spec->column_names && !(existed && H5Aexists(dset, "columns") > 0))
        failed |= write_strings_attr(dset, "columns", spec->column_names,
                                     spec->shape.columns, false);
    for (size_t i = 0; i < spec->nattrs; i++)
        if (!(existed && attr_unchanged(dset, &spec->attrs[i])))
            failed |= write_user_attr(dset, &spec->attrs[i]);
    int status = failed ? h5fail(w, create_failure(), "cannot write attributes") : 0;
    if (status == 0 && !existed)
        status = link_new(w, dset, spec->name);
    /* H5Fstart_swmr_write re-opens open datasets with default access
     * properties, dropping our chunk cache: close first, re-open after. */
    H5Dclose(dset);
    if (status)
        return status;
    if (H5Fstart_swmr_write(w->file) < 0)
        return h5fail(w, create_failure(), "cannot start SWMR writing");
    w->swmr = true;
    return 0;
}

/* Would starting on SPEC's existing dataset change anything in the file? */
static bool attrs_unchanged(struct h5writer *w, const struct dataset_spec *spec)
{
    hid_t dset = H5Dopen2(w->file, spec->name, H5P_DEFAULT);
    bool same = dset >= 0;
    for (size_t i = 0; same && i < spec->nattrs; i++)
        same = attr_unchanged(dset, &spec->attrs[i]);
    if (dset >= 0)
        H5Dclose(dset);
    return same;
}

/* --append to a file that exists (opened in SWMR mode already). */
static int start_existing(struct h5writer *w, const struct dataset_spec *spec)
{
    int status = check_target(w, spec->name);
    if (status)
        return status;
    bool exists = object_type(w->file, spec->name) == H5O_TYPE_DATASET;
    if (exists && (status = check_fits(w, spec)))
        return status;
    bool has_columns = exists && has_attr(w->file, spec->name, "columns");
    if (spec->column_names && has_columns) {
        /* A restarted logger sends its header again: fine if it matches. */
        hid_t dset = H5Dopen2(w->file, spec->name, H5P_DEFAULT);
        bool same = same_columns(dset, spec->column_names, spec->shape.columns);
        H5Dclose(dset);
        if (!same) {
            report_error("%s: the header's column names differ from the "
                         "\"columns\" attribute of %s", w->path, spec->name);
            return STATUS_DATAERR;
        }
    }
    if (exists && (!spec->column_names || has_columns) &&
        attrs_unchanged(w, spec))
        return 0;   /* nothing to create: SWMR writing all along */
    /* HDF5 1.10 creates objects only before SWMR writing starts: close and
     * open again plainly, make them, start SWMR. A kill in between leaves a
     * file SWMR readers refuse until the next --append recovers it; every
     * name and value is ready before, to keep that window short. */
    close_hdf5(w);
    status = open_hdf5(w, false);
    return status ? status : make_objects(w, spec);
}

/* A chunk cache that holds the chunk being filled and the one before it,
 * so a flush never has to read a partial chunk back from disk. */
static hid_t make_dapl(const struct dataset_shape *s)
{
    size_t chunk_bytes = s->chunk_rows * s->columns * s->type->size;
    size_t cache = 4 * 1024 * 1024;
    if (cache < 2 * chunk_bytes)
        cache = 2 * chunk_bytes;
    hid_t dapl = H5Pcreate(H5P_DATASET_ACCESS);
    H5Pset_chunk_cache(dapl, 521, cache, 1.0);
    return dapl;
}

static int open_dataset(struct h5writer *w, const struct dataset_spec *spec)
{
    const struct dataset_shape *s = &spec->shape;
    hid_t dapl = make_dapl(s);
    w->dset = H5Dopen2(w->file, spec->name, dapl);
    H5Pclose(dapl);
    if (w->dset < 0)
        return h5fail(w, STATUS_CANTCREAT, "cannot open dataset");
    hid_t space = H5Dget_space(w->dset);
    hsize_t dims[2];
    H5Sget_simple_extent_dims(space, dims, NULL);
    H5Sclose(space);
    w->rows = dims[0];
    w->rank = s->rank;
    w->columns = s->columns;
    w->mem_type = type_native(s->type);
    w->row_bytes = s->columns * s->type->size;
    /* The dataset's own chunks, not the ones SPEC asked for: another
     * writer may have made it (--append losing the race to create FILE). */
    w->chunk_rows = s->chunk_rows;
    w->compressed = s->compressed;
    hid_t dcpl = H5Dget_create_plist(w->dset);
    hsize_t chunk[2];
    if (dcpl >= 0 && H5Pget_chunk(dcpl, s->rank, chunk) == s->rank && chunk[0] > 0) {
        w->chunk_rows = chunk[0];
        w->compressed = H5Pget_nfilters(dcpl) > 0;
    }
    if (dcpl >= 0)
        H5Pclose(dcpl);
    w->chunk_bytes = w->chunk_rows * w->row_bytes;
    return 0;
}

static int reserve(struct h5writer *w, uint64_t n);

/* Put the finished new file at FILE. With --append, losing a race to
 * create it means that it exists now: append to it instead. */
static int place_new(struct h5writer *w, const struct dataset_spec *spec)
{
    if (w->replace) {
        int busy = check_replaceable(w);
        if (busy)
            return busy;
    }
    int err = place_file(w->lock_fd, w->temp, w->path, w->replace);
    if (err == 0) {
        free(w->temp);
        w->temp = NULL;
        return 0;
    }
    drop_temp(w);
    if (err == -EEXIST && w->append) {
        int status = open_existing(w);
        if (status == 0)
            status = start_existing(w, spec);
        return status ? status : open_dataset(w, spec);
    }
    if (err == -EEXIST)
        return file_exists_error(w);
    if (err == -EBUSY) {
        report_error("%s: another writer started on it meanwhile; not "
                     "replacing it (stop that writer, or use another name)",
                     w->path);
        return STATUS_TEMPFAIL;
    }
    if (err == -ESTALE) {
        report_error("%s: replaced by another process while being created; "
                     "not writing to it", w->path);
        return STATUS_TEMPFAIL;
    }
    report_error("%s: cannot create: %s", w->path, strerror(-err));
    return STATUS_CANTCREAT;
}

int h5writer_start(struct h5writer *w, const struct dataset_spec *spec)
{
    if (!w->temp) {
        int status = start_existing(w, spec);
        return status ? status : open_dataset(w, spec);
    }
    int status = make_objects(w, spec);
    if (status == 0)
        status = open_dataset(w, spec);
    /* No room for a first row: say so before FILE appears. */
    if (status == 0)
        status = reserve(w, 1);
    return status ? status : place_new(w, spec);
}

void h5writer_abandon(struct h5writer *w)
{
    /* Nothing was written: a new file that was never placed goes. */
    if (w && w->temp)
        drop_temp(w);
}

/* No room for the next write: nothing of it was written. */
static int no_room(const struct h5writer *w, const char *why)
{
    if (w->temp)   /* not placed yet: there is no file to keep rows in */
        report_error("%s: %s", w->path, why);
    else
        report_error("%s: %s; kept %" PRIu64 " rows", w->path, why, w->rows);
    return STATUS_IOERR;
}

/* Reserve the disk blocks HDF5's next writes need, so that a full disk
 * shows here, before HDF5 has written half a flush: HDF5 cannot take back
 * a flush that failed half-way. */
static int reserve(struct h5writer *w, uint64_t n)
{
    /* Every chunk the rows touch may be allocated anew, plus some
     * metadata (chunk index, object headers). */
    uint64_t chunks = (w->rows + n - 1) / w->chunk_rows - w->rows / w->chunk_rows + 1;
    uint64_t need = chunks * (w->chunk_bytes + 1024) + 64 * 1024;
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
    hsize_t dims[2] = { w->rows, w->columns };
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
                     detail, w->rows);
    } else {
        /* Closing now would commit whatever HDF5's cache holds. */
        w->failed = true;
        report_error("%s: %s (%s), and taking it back failed too: %" PRIu64
                     " rows were written, any rows the file shows past them "
                     "were not; run swmr-append --append on it once the disk "
                     "works", w->path, what, detail, w->rows);
    }
    return STATUS_IOERR;
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
    hsize_t dims[2] = { w->rows + n, w->columns };
    hsize_t start[2] = { w->rows, 0 };
    hsize_t count[2] = { n, w->columns };
    if (H5Dset_extent(w->dset, dims) < 0)
        return write_failed(w, "cannot extend dataset");
    hid_t file_space = H5Dget_space(w->dset);
    hid_t mem_space = H5Screate_simple(w->rank, count, NULL);
    bool ok = H5Sselect_hyperslab(file_space, H5S_SELECT_SET, start, NULL,
                                  count, NULL) >= 0 &&
              H5Dwrite(w->dset, w->mem_type, mem_space, file_space,
                       H5P_DEFAULT, rows) >= 0;
    H5Sclose(mem_space);
    H5Sclose(file_space);
    if (!ok)
        return write_failed(w, "cannot write rows");
    /* H5Fflush, not H5Dflush: it also writes the superblock's
     * end-of-allocation, so even a plain `h5clear -s` after a crash keeps
     * every flushed row. */
    if (H5Fflush(w->file, H5F_SCOPE_LOCAL) < 0)
        return write_failed(w, "cannot flush");
    w->rows += n;
    return 0;
}

void h5writer_chunks(const struct h5writer *w, uint64_t *rows, bool *compressed)
{
    *rows = w->chunk_rows;
    *compressed = w->compressed;
}

uint64_t h5writer_rows(const struct h5writer *w)
{
    return w->rows;
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
        drop_temp(w);
    int status = w->io_error ? STATUS_IOERR : 0;
    if (!w->failed) {
        if (w->dset >= 0 && H5Dclose(w->dset) < 0)
            status = h5fail(w, STATUS_IOERR, "cannot close dataset");
        if (w->file >= 0 && H5Fclose(w->file) < 0) {
            /* Every row was flushed before: only the superblock's "closed"
             * mark is missing, as after a crash. */
            h5err_debug_print();
            report_error("%s: cannot close file (%s); kept %" PRIu64 " rows; "
                         "swmr-append --append recovers it", w->path,
                         h5err_detail(), w->rows);
            status = STATUS_IOERR;
        }
    }
    if (w->lock_fd >= 0) {
        unreserve(w);
        close(w->lock_fd);
    }
    free(w->path);
    free(w);
    return status;
}
