/* Where swmr-append's file lives, in POSIX terms (no HDF5 here).
 *
 * A new file is built under a hidden temporary name beside FILE and only
 * placed at FILE once it is complete and in SWMR mode, so no reader ever
 * meets a half-made file and a killed writer leaves nothing at FILE. The
 * writer keeps other writers out with two locks on its own descriptor:
 *  - a shared flock, which HDF5 and h5py writers (they want an exclusive
 *    one) are refused while HDF5's readers (they take a shared one) are not;
 *  - an OFD write lock over the whole file, which another swmr-append
 *    (it wants the same) is refused. flock and OFD locks do not see each
 *    other on Linux, so neither lock can do both jobs. */
#ifndef SWMR_FILE_PLACE_H
#define SWMR_FILE_PLACE_H

#include <stdbool.h>
#include <sys/types.h> /* dev_t, ino_t */

enum place_lock {
    PLACE_LOCKED,        /* both locks are ours */
    PLACE_BY_APPENDER,   /* another swmr-append writes the file */
    PLACE_BY_HDF5,       /* an HDF5 program holds its exclusive lock */
    PLACE_LOCK_ERROR,    /* the kernel refused; errno tells why */
};

/* Take both locks on FD (opened read-write), without waiting. */
enum place_lock place_lock(int fd);

/* Would place_lock refuse PATH now? (For --force, before replacing it.)
 * PLACE_LOCKED when PATH is free or absent; nothing is kept locked. */
enum place_lock place_probe(const char *path);

/* "dir/.NAME.swmr-append-XXXXXXXX" beside PATH, with NAME cut short enough that the
 * result is a legal file name, and an unpredictable tail. NULL: no memory. */
char *place_temp_name(const char *path);

/* Remove temporary files a killed writer left beside PATH: ours (same
 * owner), regular, named as place_temp_name names them, empty or starting
 * with HDF5's signature, not locked by a live writer and open for writing
 * by no process (one that has just created it). Best effort: errors are
 * ignored. */
void place_remove_stale(const char *path);

/* Put the file open on FD (built at TEMP) at PATH in one step: with
 * REPLACE over an existing file, which it locks as place_lock does while
 * renaming (-EBUSY when a writer has it), else only if PATH does not exist
 * (then -EEXIST when it does). Never moves anything but the inode FD
 * holds. 0 on success, else -errno. */
int place_file(int fd, const char *temp, const char *path, bool replace);

/* The file FD holds: is it still the one at PATH? */
bool place_still_there(int fd, const char *path);

#endif
