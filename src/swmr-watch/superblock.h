/* The superblock of an HDF5 file, read with plain I/O (no HDF5): the
 * format version, and the flags that say whether a writer has the file.
 * Cheap enough to read on every wake-up; pure but for the pread. */
#ifndef SWMR_WATCH_SUPERBLOCK_H
#define SWMR_WATCH_SUPERBLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum sb_status {
    SB_OK,           /* found: version and flags are set */
    SB_NOT_HDF5,     /* no HDF5 signature where one may be */
    SB_TOO_OLD,      /* superblock version < 3: not the 1.10 format */
    SB_SHORT,        /* the file is too short yet (being created) */
};

/* File consistency flags of a version 3 superblock (byte 11). */
enum {
    SB_FLAG_WRITE = 0x01,        /* open for writing */
    SB_FLAG_SWMR_WRITE = 0x04,   /* ... by a SWMR writer */
};

struct watch_sb {
    uint64_t offset;     /* where the superblock starts (user block) */
    unsigned version;    /* superblock version: 3 for HDF5 1.10 files */
    unsigned flags;      /* byte 11: 0 after a clean close */
};

/* Parse the superblock at the start of BUF (LEN bytes). Pure. */
enum sb_status watch_sb_parse(const unsigned char *buf, size_t len,
                              struct watch_sb *out);

/* Find and parse the superblock of the open file FD (at 0, 512, 1024,
 * 2048, ... as the format allows a user block). pread only. */
enum sb_status watch_sb_read(int fd, struct watch_sb *out);

/* Is a SWMR writer (still, or left by a crash) marked in FLAGS? */
bool watch_sb_swmr_writing(unsigned flags);

#endif
