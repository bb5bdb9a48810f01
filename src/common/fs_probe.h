/* Which file system a file is on: statfs() and, for FUSE, the mount's own
 * name from /proc/self/mountinfo. The meaning is fs_kind.h's. */
#ifndef SWMR_FS_PROBE_H
#define SWMR_FS_PROBE_H

#include <stdbool.h>

#include "fs_kind.h"

struct fs_found {
    enum fs_sharing sharing;
    char name[64];   /* "nfs", "fuse.sshfs", ...; "" when local */
};

/* The file system of PATH, or, while PATH does not exist (swmr-append is
 * about to create it, swmr-watch --wait waits for it), of the nearest
 * folder above it that does: where it will be. false when even that
 * cannot be told (no folder can be looked at); then *OUT says local. */
bool fs_probe(const char *path, struct fs_found *out);

#endif
