#include "h5writer.h"
#include "file_users.h"
#include "h5err.h"
#include "record.h"
#include "report.h"

#include <errno.h>    /* errno, EWOULDBLOCK */
#include <fcntl.h>    /* open */
#include <hdf5.h>
#include <inttypes.h> /* PRIu64 */
#include <stdlib.h>   /* calloc, free */
#include <string.h>   /* strerror, strlen */
#include <sys/file.h> /* flock: is a file in use before --force replaces it */
#include <sys/resource.h> /* getrlimit: the file size limit */
#include <sys/stat.h> /* stat */
#include <sys/statvfs.h> /* fstatvfs: free space */
#include <sysexits.h>
#include <unistd.h>   /* close, unlink */

/* Every flush rewrites the partial last chunk whole: a trickle of rows
 * costs one chunk of disk writes per flush. 64 KiB keeps that small while a
 * flood still flushes only every few thousand rows. */
enum { CHUNK_TARGET_BYTES = 64 * 1024 };

struct h5writer {
    char *path;
    hid_t file;
    hid_t dset;
    hid_t mem_type;
    int rank;
    hsize_t columns;
    uint64_t rows;
    size_t row_bytes;
    bool swmr;
    uint64_t chunk_rows;
    uint64_t chunk_bytes;
    bool failed;      /* an I/O error happened: write nothing more */
    bool created;     /* this run made the file: remove it if setup fails */
    dev_t dev;        /* the file we made or checked, to notice a */
    ino_t ino;        /* replacement while we wait for input */
    int lock_fd;      /* our own shared flock while SWMR writing */
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
    h5err_capture();
    const char *detail = h5err_detail();
    if (*detail)
        report_error("%s: %s (%s)", w->path, what, detail);
    else
        report_error("%s: %s", w->path, what);
    return status;
}

/* mkstemp makes files 0600; a new file should get 0666 less the umask,
 * as with any tool that creates files. */
static mode_t current_umask(void)
{
    mode_t mask = umask(0);
    umask(mask);
    return mask;
}

static hid_t make_fapl(bool clear_flags)
{
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
    /* Superblock v3: what H5Fstart_swmr_write needs, and every HDF5 >= 1.10
     * reader (h5py included) opens. */
    H5Pset_libver_bounds(fapl, H5F_LIBVER_V110, H5F_LIBVER_V110);
    if (clear_flags) {
        /* What h5clear itself sets: open a file whose superblock still says
         * a (killed) writer has it. Undocumented, but in every fapl. */
        hbool_t yes = 1;
        H5Pset(fapl, "clear_status_flags", &yes);
    }
    return fapl;
}

/* Is some other process writing PATH? (See file_users.h.) */
static enum writer_presence presence(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return WRITER_UNKNOWN;
    enum writer_presence p = writer_presence(fd);
    close(fd);
    return p;
}

/* Another process has the file open for HDF5 if a flock is held on it
 * (HDF5's own, or the one a SWMR-writing swmr-append keeps), or if it has
 * the file open for writing (a SWMR writer of another make holds no lock). */
static bool in_use(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    bool busy = flock(fd, LOCK_EX | LOCK_NB) < 0 && errno == EWOULDBLOCK;
    close(fd);
    return busy || presence(path) != WRITER_ABSENT;
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
        return EX_CANTCREAT;
    }
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        report_error("%s: %s", path, S_ISDIR(st.st_mode) ? "is a directory"
                                                       : "not a regular file");
        return EX_CANTCREAT;
    }
    return 0;
}

/* "dir/.name.XXXXXX": a temporary file beside PATH, on the same file system
 * so that it can be linked or renamed into place. */
static char *temp_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    int dir_len = slash ? (int)(slash - path + 1) : 0;
    char *temp;
    if (asprintf(&temp, "%.*s.%s.XXXXXX", dir_len, path, path + dir_len) < 0)
        return NULL;
    return temp;
}

/* Put the finished TEMP at PATH: never over an existing file unless
 * FORCE, and then as a new inode (readers of the old file keep theirs). */
static int place_file(struct h5writer *w, const char *temp, bool force,
                      bool append)
{
    if (force) {
        if (access(w->path, F_OK) == 0 && in_use(w->path)) {
            report_error("%s: in use by another process; not replacing it",
                         w->path);
            return EX_TEMPFAIL;
        }
        if (rename(temp, w->path) == 0)
            return 0;
    } else if (link(temp, w->path) == 0) {
        /* link() fails if PATH exists, atomically: no check-then-create
         * race with another writer. */
        unlink(temp);
        return 0;
    } else if (errno == EEXIST && append) {
        return -EEXIST;
    } else if (errno == EEXIST) {
        report_error("%s: file exists (use --force to replace it, "
                     "--append to add to it)", w->path);
        return EX_CANTCREAT;
    }
    report_error("%s: cannot create: %s", w->path, strerror(errno));
    return EX_CANTCREAT;
}

/* A new, empty, closed HDF5 file appears at PATH in one step. Until then
 * no reader or killed writer can ever see a half-made file under that
 * name; and the file stays closed until the dataset's shape is known, so
 * a writer killed while waiting for input leaves a file every reader
 * opens. */
static int create_file(struct h5writer *w, bool force, bool append)
{
    if (!force && access(w->path, F_OK) == 0) {
        /* Checked again, atomically, when the file is linked into place. */
        report_error("%s: file exists (use --force to replace it, "
                     "--append to add to it)", w->path);
        return EX_CANTCREAT;
    }
    char *temp = temp_name(w->path);
    if (!temp) {
        report_error("out of memory");
        return EX_OSERR;
    }
    int fd = mkstemp(temp);
    if (fd < 0) {
        report_error("%s: cannot create: %s", w->path, strerror(errno));
        free(temp);
        return EX_CANTCREAT;
    }
    fchmod(fd, 0666 & ~current_umask());
    close(fd);

    hid_t fapl = make_fapl(false);
    hid_t file = H5Fcreate(temp, H5F_ACC_TRUNC, H5P_DEFAULT, fapl);
    H5Pclose(fapl);
    int status = 0;
    if (file < 0 || H5Fclose(file) < 0)
        status = h5fail(w, EX_CANTCREAT, "cannot create HDF5 file");
    if (status == 0)
        status = place_file(w, temp, force, append);
    if (status)
        unlink(temp);
    free(temp);
    return status;
}

static int open_existing(struct h5writer *w)
{
    int fd = open(w->path, O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        report_error("%s: cannot open for writing: %s", w->path, strerror(errno));
        return EX_CANTCREAT;
    }
    close(fd);

    hid_t fapl = make_fapl(false);
    w->file = H5Fopen(w->path, H5F_ACC_RDWR, fapl);
    H5Pclose(fapl);
    if (w->file >= 0)
        return 0;

    if (h5err_mentions("unable to lock file"))
        return h5fail(w, EX_TEMPFAIL,
                      "in use by another process (a writer, or a reader that "
                      "locks the file)");
    if (h5err_mentions("file signature not found"))
        return h5fail(w, EX_DATAERR, "not an HDF5 file");
    if (h5err_mentions("truncated file")) {
        report_error("%s: truncated HDF5 file (shorter than its superblock "
                     "says)", w->path);
        return EX_DATAERR;
    }
    if (!h5err_mentions("already open for write"))
        return h5fail(w, EX_CANTCREAT, "cannot open HDF5 file");

    /* The flags say "open for writing". A live SWMR writer holds no lock,
     * so only the kernel can tell it from a killed one. */
    enum writer_presence writer = presence(w->path);
    if (writer == WRITER_PRESENT) {
        report_error("%s: in use by another process (it has the file open "
                     "for writing)", w->path);
        return EX_TEMPFAIL;
    }
    if (writer == WRITER_UNKNOWN) {
        report_error("%s: marked open by a writer, and whether it still runs "
                     "cannot be told; not recovering it (run as the file's "
                     "owner)", w->path);
        return EX_TEMPFAIL;
    }
    /* A writer was killed and left the superblock marked open. Clear the
     * flags as h5clear would, then move the end-of-allocation up to the real
     * end of file: rows flushed after the last metadata write lie beyond
     * the stale one, and appending there would overwrite them. */
    fapl = make_fapl(true);
    w->file = H5Fopen(w->path, H5F_ACC_RDWR, fapl);
    H5Pclose(fapl);
    if (w->file < 0)
        return h5fail(w, EX_CANTCREAT, "cannot recover file left open by a "
                      "previous writer");
    if (H5Fincrement_filesize(w->file, 0) < 0)
        return h5fail(w, EX_CANTCREAT, "cannot recover file left open by a "
                      "previous writer");
    report_notice("%s: recovered file left open by a previous writer", w->path);
    return 0;
}

static void remember_inode(struct h5writer *w)
{
    struct stat st;
    if (stat(w->path, &st) == 0) {
        w->dev = st.st_dev;
        w->ino = st.st_ino;
    }
}

static bool same_inode(const struct h5writer *w)
{
    struct stat st;
    return stat(w->path, &st) == 0 && st.st_dev == w->dev && st.st_ino == w->ino;
}

int h5writer_open(const char *path, bool append, bool force,
                  struct h5writer **out)
{
    struct h5writer *w = calloc(1, sizeof *w);
    if (!w || !(w->path = strdup(path))) {
        free(w);
        report_error("out of memory");
        return EX_OSERR;
    }
    w->file = w->dset = H5I_INVALID_HID;
    w->lock_fd = -1;
    int status = check_regular(path, force);
    if (status == 0 && !(append && access(path, F_OK) == 0)) {
        status = create_file(w, force, append);
        w->created = status == 0;
        /* With --append, losing a race to create it means it exists now. */
        if (status == -EEXIST)
            status = 0;
    }
    if (status == 0 && !w->created) {
        /* Check (and recover) now, so problems show before any input is
         * read. It stays open for h5writer_find and, when the shape is
         * already known, for h5writer_start: one open, not three, so a
         * watcher sees one writer arrive. */
        status = open_existing(w);
    }
    if (status == 0)
        remember_inode(w);
    if (status) {
        free(w->path);
        free(w);
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

void h5writer_park(struct h5writer *w)
{
    if (w->file >= 0 && !w->swmr) {
        H5Fclose(w->file);
        w->file = H5I_INVALID_HID;
    }
}

bool h5writer_find(struct h5writer *w, const char *name,
                   struct dataset_shape *shape)
{
    if (w->file < 0)
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

/* --attr NAME=VALUE: an integer if VALUE is one exactly, else a float if it
 * is a number, else a string. */
static int write_user_attr(hid_t obj, const struct attr_spec *a)
{
    if (H5Aexists(obj, a->name) > 0 && H5Adelete(obj, a->name) < 0)
        return -1;
    size_t len = strlen(a->value);
    int64_t i;
    double d;
    if (field_parse(a->value, len, type_by_name("int64"), &i) == FIELD_OK)
        return write_number_attr(obj, a->name, H5T_NATIVE_INT64, &i);
    if (field_parse(a->value, len, type_by_name("float64"), &d) == FIELD_OK)
        return write_number_attr(obj, a->name, H5T_NATIVE_DOUBLE, &d);
    return write_strings_attr(obj, a->name, &a->value, 1, true);
}

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
    hid_t lcpl = H5Pcreate(H5P_LINK_CREATE);
    H5Pset_create_intermediate_group(lcpl, 1);
    hid_t dset = H5Dcreate2(w->file, spec->name, type_native(s->type), space,
                            lcpl, dcpl, H5P_DEFAULT);
    H5Pclose(lcpl);
    H5Pclose(dcpl);
    H5Sclose(space);
    return dset;
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
        return EX_OSERR;
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
            status = EX_CANTCREAT;
        } else if (last && type == H5O_TYPE_UNKNOWN) {
            report_error("%s: %s is a link to nothing", w->path, name);
            status = EX_CANTCREAT;
        } else if (last && type != H5O_TYPE_DATASET) {
            report_error("%s: %s is a %s, not a dataset", w->path, name,
                         type == H5O_TYPE_GROUP ? "group" : "named datatype");
            status = EX_CANTCREAT;
        }
        if (status || last)
            break;
        *slash = '/';
    }
    free(path);
    return status;
}

static int start_dataset(struct h5writer *w, const struct dataset_spec *spec)
{
    const struct dataset_shape *s = &spec->shape;
    /* We let go of the file while waiting for input: is it still ours? */
    if (!same_inode(w)) {
        report_error("%s: replaced by another process while waiting for "
                     "input; not writing to it", w->path);
        w->created = false;
        return EX_TEMPFAIL;
    }
    int status = w->file >= 0 ? 0 : open_existing(w);
    if (status == 0)
        status = check_target(w, spec->name);
    if (status)
        return status;
    hid_t dset;
    bool existed = H5Lexists(w->file, spec->name, H5P_DEFAULT) > 0;
    if (existed)
        dset = H5Dopen2(w->file, spec->name, H5P_DEFAULT);
    else
        dset = create_dataset(w, spec);
    if (dset < 0)
        return h5fail(w, EX_CANTCREAT, "cannot create dataset");

    int failed = 0;
    if (spec->column_names && existed && H5Aexists(dset, "columns") > 0) {
        /* A restarted logger sends its header again: fine if it matches. */
        if (!same_columns(dset, spec->column_names, s->columns)) {
            H5Dclose(dset);
            report_error("%s: the header's column names differ from the "
                         "\"columns\" attribute of %s", w->path, spec->name);
            return EX_DATAERR;
        }
    } else if (spec->column_names) {
        failed |= write_strings_attr(dset, "columns", spec->column_names,
                                     s->columns, false);
    }
    for (size_t i = 0; i < spec->nattrs; i++)
        failed |= write_user_attr(dset, &spec->attrs[i]);
    /* H5Fstart_swmr_write re-opens open datasets with default access
     * properties, dropping our chunk cache: close first, re-open after. */
    H5Dclose(dset);
    if (failed)
        return h5fail(w, EX_CANTCREAT, "cannot write attributes");

    if (H5Fstart_swmr_write(w->file) < 0) {
        if (h5err_mentions("superblock version"))
            return h5fail(w, EX_DATAERR, "cannot start SWMR writing: the file "
                          "was not written for HDF5 1.10 or later");
        return h5fail(w, EX_CANTCREAT, "cannot start SWMR writing");
    }
    w->swmr = true;
    /* HDF5 drops its own file lock when SWMR writing starts, which would
     * let a second writer open the file and, seeing the "open" flags, take
     * it for a crashed one. A shared lock of ours keeps writers out (they
     * want an exclusive one) and lets locking readers in. */
    w->lock_fd = open(w->path, O_RDONLY | O_CLOEXEC);
    int tries = 50;   /* a second writer's open holds LOCK_EX for moments */
    while (w->lock_fd >= 0 && flock(w->lock_fd, LOCK_SH | LOCK_NB) < 0 &&
           errno == EWOULDBLOCK && --tries > 0)
        usleep(20 * 1000);
    if (w->lock_fd < 0 || tries == 0) {
        report_error("%s: cannot lock: another process holds it", w->path);
        return EX_TEMPFAIL;
    }

    hid_t dapl = make_dapl(s);
    w->dset = H5Dopen2(w->file, spec->name, dapl);
    H5Pclose(dapl);
    if (w->dset < 0)
        return h5fail(w, EX_CANTCREAT, "cannot open dataset");

    hid_t space = H5Dget_space(w->dset);
    hsize_t dims[2];
    H5Sget_simple_extent_dims(space, dims, NULL);
    H5Sclose(space);
    w->rows = dims[0];
    w->rank = s->rank;
    w->columns = s->columns;
    w->mem_type = type_native(s->type);
    w->row_bytes = s->columns * s->type->size;
    w->chunk_rows = s->chunk_rows;
    w->chunk_bytes = s->chunk_rows * w->row_bytes;
    return 0;
}

int h5writer_start(struct h5writer *w, const struct dataset_spec *spec)
{
    return start_dataset(w, spec);
}

void h5writer_abandon(struct h5writer *w)
{
    /* Nothing was written: take back the file this run made, so that the
     * corrected command does not meet "file exists". Only if it is still
     * the file we made. */
    if (!w || !w->created || w->swmr)
        return;
    if (w->file >= 0)
        H5Fclose(w->file);
    w->file = H5I_INVALID_HID;
    if (same_inode(w))
        unlink(w->path);
    w->created = false;
}

/* HDF5 cannot take back a flush that failed half-way: it may already have
 * written metadata that claims space the disk then refused, leaving a file
 * no reader opens. So look before leaping: refuse a write for which the
 * file size limit or the free space has no room, and close cleanly. */
static int check_room(struct h5writer *w, uint64_t n)
{
    /* Every chunk the rows touch may be allocated anew, plus some
     * metadata (chunk index, object headers). */
    uint64_t chunks = (w->rows + n - 1) / w->chunk_rows - w->rows / w->chunk_rows + 1;
    uint64_t need = chunks * (w->chunk_bytes + 1024) + 64 * 1024;
    struct stat st;
    struct statvfs vfs;
    struct rlimit lim;
    if (fstat(w->lock_fd, &st) == 0 && getrlimit(RLIMIT_FSIZE, &lim) == 0 &&
        lim.rlim_cur != RLIM_INFINITY && (uint64_t)st.st_size + need > lim.rlim_cur) {
        report_error("%s: file size limit reached (%" PRIu64 " bytes)", w->path,
                     (uint64_t)lim.rlim_cur);
        return EX_IOERR;
    }
    if (fstatvfs(w->lock_fd, &vfs) == 0) {
        /* root may use the blocks reserved for it, others may not */
        uint64_t blocks = geteuid() == 0 ? vfs.f_bfree : vfs.f_bavail;
        if (blocks * vfs.f_frsize < need) {
            report_error("%s: %s", w->path, strerror(ENOSPC));
            return EX_IOERR;
        }
    }
    return 0;
}

int h5writer_append(struct h5writer *w, const void *rows, uint64_t n)
{
    if (w->failed)
        return EX_IOERR;
    if (n == 0)
        return 0;
    int room = check_room(w, n);
    if (room)
        return room;
    hsize_t dims[2] = { w->rows + n, w->columns };
    hsize_t start[2] = { w->rows, 0 };
    hsize_t count[2] = { n, w->columns };

    if (H5Dset_extent(w->dset, dims) < 0) {
        w->failed = true;
        return h5fail(w, EX_IOERR, "cannot extend dataset");
    }
    hid_t file_space = H5Dget_space(w->dset);
    hid_t mem_space = H5Screate_simple(w->rank, count, NULL);
    herr_t ok = H5Sselect_hyperslab(file_space, H5S_SELECT_SET, start, NULL,
                                    count, NULL);
    if (ok >= 0)
        ok = H5Dwrite(w->dset, w->mem_type, mem_space, file_space,
                      H5P_DEFAULT, rows);
    H5Sclose(mem_space);
    H5Sclose(file_space);
    if (ok < 0) {
        /* Shrink back so the dataset never claims rows it does not hold. */
        dims[0] = w->rows;
        w->failed = true;
        int status = h5fail(w, EX_IOERR, "cannot write rows");
        H5Dset_extent(w->dset, dims);
        return status;
    }
    w->rows += n;
    return 0;
}

int h5writer_flush(struct h5writer *w)
{
    /* H5Fflush, not H5Dflush: it also writes the superblock's
     * end-of-allocation, so even a plain `h5clear -s` after a crash keeps
     * every flushed row. */
    if (w->failed)
        return EX_IOERR;
    if (H5Fflush(w->file, H5F_SCOPE_LOCAL) < 0) {
        w->failed = true;
        return h5fail(w, EX_IOERR, "cannot flush");
    }
    return 0;
}

uint64_t h5writer_rows(const struct h5writer *w)
{
    return w->rows;
}

uint64_t h5writer_file_size(const struct h5writer *w)
{
    struct stat st;
    return stat(w->path, &st) == 0 ? (uint64_t)st.st_size : 0;
}

int h5writer_close(struct h5writer *w)
{
    if (!w)
        return 0;
    int status = 0;
    if (w->failed) {
        /* After a failed write, closing would write a superblock claiming
         * space the disk refused: a file no reader opens. Leave the file as
         * of its last good flush instead, as a crash would, readable by
         * SWMR readers and recoverable by --append. */
        status = EX_IOERR;
        report_error("%s: kept %" PRIu64 " rows; run swmr-append --append "
                     "(or h5clear -s) on it once there is room", w->path,
                     w->rows);
    } else {
        if (w->dset >= 0 && H5Dclose(w->dset) < 0)
            status = h5fail(w, EX_IOERR, "cannot close dataset");
        if (w->file >= 0 && H5Fclose(w->file) < 0 && !status)
            status = h5fail(w, EX_IOERR, "cannot close file");
    }
    if (w->lock_fd >= 0)
        close(w->lock_fd);
    free(w->path);
    free(w);
    return status;
}
