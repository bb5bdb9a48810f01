/* Is some process writing a file right now, on this machine?
 *
 * The superblock flags say what the last writer declared, and a killed
 * writer leaves them set; a live SWMR writer even drops its file lock. So
 * both tools ask the kernel instead: swmr-append before it "recovers" a
 * file marked open (recovering a live file would corrupt it), swmr-watch
 * to tell a killed writer from one that is still there. */
#ifndef SWMR_FILE_USERS_H
#define SWMR_FILE_USERS_H

enum writer_presence {
    WRITER_PRESENT,   /* some other process has the file open for writing */
    WRITER_ABSENT,    /* nobody does */
    WRITER_UNKNOWN,   /* the kernel would not say, or the file is on a
                         file system other hosts share (fs_kind.h), where
                         a writer elsewhere is not seen */
};

/* FD: the file, opened by us (and not open for writing by us). First the
 * OFD lock every swmr-append writer holds, then the descriptors of every
 * process listed in /proc. Never blocks anyone: no lease is taken. */
enum writer_presence writer_presence(int fd);

#endif
