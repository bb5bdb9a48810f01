/* What the file system a file lives on means for SWMR (no I/O here; the
 * statfs() is fs_probe.h's).
 *
 * HDF5's SWMR needs POSIX write ordering: a reader that sees the metadata a
 * writer flushed must also see the rows written before it. A local file
 * system gives that through its one page cache. Network and FUSE file
 * systems cache on each client and do not promise it: a reader there may
 * see torn or stale data. And inotify only hears of writes made through
 * this host's kernel, never of another host's, on any shared file system. */
#ifndef SWMR_FS_KIND_H
#define SWMR_FS_KIND_H

#include <stdbool.h>
#include <stddef.h>

enum fs_sharing {
    FS_LOCAL,      /* one host: ordering holds, inotify hears every write */
    FS_COHERENT,   /* a cluster file system that promises POSIX coherence
                      across hosts: ordering holds, but inotify does not
                      hear other hosts' writes */
    FS_UNORDERED,  /* network, host-guest share or FUSE: ordering is not
                      promised, and inotify does not hear other hosts */
};

struct fs_kind {
    const char *name;       /* "nfs", "9p", "fuse", ...; NULL for a file
                               system not named here (taken as local) */
    enum fs_sharing sharing;
};

/* The file system whose statfs() f_type is MAGIC. */
struct fs_kind fs_kind_of(unsigned long magic);

/* Is MAGIC FUSE's? Its mounts say which FUSE file system they are
 * ("fuse.sshfs", "virtiofs", "fuseblk") only in /proc/self/mountinfo. */
bool fs_kind_is_fuse(unsigned long magic);

/* One line of /proc/self/mountinfo: when it is the mount of device
 * MAJOR:MINOR, its file system type ("fuse.sshfs") into TYPE (SIZE bytes,
 * cut short if need be) and true; else false. */
bool fs_mountinfo_type(const char *line, unsigned major, unsigned minor,
                       char *type, size_t size);

#endif
