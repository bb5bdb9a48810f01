/* The facts lifecycle.h decides on, gathered with plain I/O: the file at
 * the name, its superblock, and (only when it could matter: a /proc scan
 * is not free) whether a process has it open for writing. No decisions
 * here, and no HDF5. */
#ifndef SWMR_WATCH_PROBE_H
#define SWMR_WATCH_PROBE_H

#include <stdbool.h>
#include <sys/stat.h>   /* struct stat */

#include "lifecycle.h"

/* Open PATH read-only into *FD (-1 when it cannot be, or is a directory)
 * and fill F, *ST with what is there. SEEN: the file when we last let go
 * of it, or NULL. NEED_WRITER: the kernel is asked about a writer when the
 * flags leave it open (set, or cleared by a writer we did not see). */
void probe_open(const char *path, const struct stat *seen, bool need_writer,
                int *fd, struct stat *st, struct watch_facts *f);

/* The file open on FD (all of F is set anew): its superblock again, and,
 * when ASK or when the flags show no SWMR writer, the kernel's word on a
 * writer (then the flags are read once more, so that a close between the
 * two looks reads as a close). */
void probe_writer(int fd, bool ask, struct watch_facts *f);

#endif
