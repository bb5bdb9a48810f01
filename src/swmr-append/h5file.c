/* The file swmr-append writes: a new one built under a temporary name and
 * placed at FILE once it is whole; an existing one locked and opened in
 * SWMR mode at once (recovering one a killed writer left); --force's
 * replacement. The POSIX half (names, locks, placing) is file_place.c. */
#include "h5writer_impl.h"
#include "fs_probe.h"
#include "shell_word.h"
#include "exit_status.h"
#include "file_place.h"
#include "file_users.h"
#include "h5err.h"
#include "report.h"

#include <limits.h>  /* PATH_MAX */
#include <errno.h>    /* errno */
#include <fcntl.h>    /* open */
#include <stdio.h>    /* snprintf */
#include <stdlib.h>   /* calloc, free */
#include <string.h>   /* strdup, strerror */
#include <sys/stat.h> /* lstat */
#include <unistd.h>   /* access, close, unlink */

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

void h5file_close_hdf5(struct h5writer *w)
{
    if (w->dset >= 0)
        H5Dclose(w->dset);
    if (w->file >= 0)
        H5Fclose(w->file);
    w->dset = w->file = H5I_INVALID_HID;
    w->swmr = false;
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
            int status = h5writer_create_failure();
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
        h5file_close_hdf5(w);
        if (w->lock_fd >= 0)
            close(w->lock_fd);
        w->lock_fd = -1;
    }
    report_error("%s: cannot create a temporary file beside it", w->path);
    return STATUS_CANTCREAT;
}

/* Take the temporary file back: nothing of it was placed at FILE. */
void h5file_drop_temp(struct h5writer *w)
{
    h5file_close_hdf5(w);
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
int h5file_open_hdf5(struct h5writer *w, bool swmr)
{
    unsigned mode = H5F_ACC_RDWR | (swmr ? H5F_ACC_SWMR_WRITE : 0);
    hid_t fapl = make_fapl(false);
    w->file = H5Fopen(w->path, mode, fapl);
    H5Pclose(fapl);
    if (w->file < 0) {
        if (h5err_mentions("file signature not found")) {
            h5err_debug_print();
            report_error("%s: not an HDF5 file: name another FILE, or "
                         "replace it with --force (without --append)",
                         w->path);
            return STATUS_DATAERR;
        }
        if (h5err_mentions("truncated file")) {
            report_error("%s: truncated HDF5 file (shorter than its superblock "
                         "says)", w->path);
            return STATUS_DATAERR;
        }
        if (swmr && h5err_mentions("superblock version"))
            return h5writer_fail(w, STATUS_DATAERR, "cannot start SWMR writing: the file "
                          "was not written for HDF5 1.10 or later");
        if (!h5err_mentions("already open for write"))
            return h5writer_fail(w, h5writer_create_failure(),
                                 "cannot open HDF5 file");

        /* The flags say "open for writing". A live SWMR writer of another
         * make holds no lock, so only the kernel can tell it from a killed
         * one. */
        enum writer_presence writer = writer_presence(w->lock_fd);
        if (writer == WRITER_PRESENT) {
            report_error("%s: another process has it open for writing; close "
                         "it there first", w->path);
            return STATUS_TEMPFAIL;
        }
        struct fs_found fs;
        if (writer == WRITER_UNKNOWN && fs_probe(w->path, &fs) &&
            fs.sharing != FS_LOCAL) {
            char word[PATH_MAX + 8];
            report_error("%s: marked open by a writer that may still run on "
                         "another host (it is on %s); not recovering it: once "
                         "no writer runs anywhere, h5clear -s --increment %s "
                         "closes it", w->path, fs.name,
                         shell_word(w->path, word, sizeof word));
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
            return h5writer_fail(w, h5writer_create_failure(),
                                 "cannot recover file left open by a "
                                 "previous writer");
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
    return h5file_open_hdf5(w, true);
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

/* Put the finished new file at FILE. With --append, losing a race to
 * create it means that it exists now: append to it instead. */
int h5file_place_new(struct h5writer *w, const struct dataset_spec *spec)
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
    h5file_drop_temp(w);
    if (err == -EEXIST && w->append) {
        int status = open_existing(w);
        if (status == 0)
            status = h5objects_start_existing(w, spec);
        return status ? status : h5objects_open_dataset(w, spec);
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
