/* Is a writer alive? The superblock flags say what the last writer
 * declared; they stay set after a crash. The kernel knows whether anyone
 * has the file open for writing right now: a read lease is refused while
 * anyone does. */
#ifndef SWMR_WATCH_WRITER_H
#define SWMR_WATCH_WRITER_H

enum writer_presence {
    WRITER_PRESENT,   /* some process has the file open for writing */
    WRITER_ABSENT,    /* nobody does */
    WRITER_UNKNOWN,   /* the kernel would not say (not our file, NFS) */
};

/* FD: the file, opened read-only. Takes and at once drops a read lease. */
enum writer_presence writer_presence(int fd);

#endif
