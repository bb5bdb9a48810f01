#include "file_users.h"
#include "fs_kind.h"

#include <ctype.h>    /* isdigit */
#include <dirent.h>   /* opendir, readdir */
#include <errno.h>    /* EACCES */
#include <fcntl.h>    /* fcntl, F_OFD_GETLK, O_ACCMODE */
#include <stdbool.h>
#include <stdio.h>    /* snprintf, fopen, fgets */
#include <stdlib.h>   /* strtol, strtoul */
#include <string.h>   /* strncmp */
#include <sys/stat.h> /* stat */
#include <sys/statfs.h> /* fstatfs */
#include <unistd.h>   /* getpid */

static bool all_digits(const char *s)
{
    for (; *s; s++)
        if (!isdigit((unsigned char)*s))
            return false;
    return true;
}

/* Is descriptor FD of process PID open with write access? */
static bool opened_for_write(const char *pid, const char *fd)
{
    char path[600];
    snprintf(path, sizeof path, "/proc/%s/fdinfo/%s", pid, fd);
    FILE *f = fopen(path, "re");
    if (!f)
        return false;
    char line[256];
    bool writes = false;
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "flags:", 6) == 0) {
            unsigned long flags = strtoul(line + 6, NULL, 8);
            writes = (flags & O_ACCMODE) != O_RDONLY;
            break;
        }
    }
    fclose(f);
    return writes;
}

/* 1: PID writes TARGET, 0: it does not, -1: its descriptors are hidden
 * from us and it runs as the file's owner, so it might. */
static int writes_file(const char *pid, const struct stat *target)
{
    char dir[300];
    snprintf(dir, sizeof dir, "/proc/%s/fd", pid);
    DIR *d = opendir(dir);
    if (!d) {
        struct stat proc;
        snprintf(dir, sizeof dir, "/proc/%s", pid);
        return errno == EACCES && stat(dir, &proc) == 0 &&
               proc.st_uid == target->st_uid ? -1 : 0;
    }
    int found = 0;
    struct dirent *e;
    while (!found && (e = readdir(d))) {
        if (!all_digits(e->d_name))
            continue;
        char link[600];
        struct stat st;
        snprintf(link, sizeof link, "%s/%s", dir, e->d_name);
        if (stat(link, &st) == 0 && st.st_dev == target->st_dev &&
            st.st_ino == target->st_ino)
            found = opened_for_write(pid, e->d_name);
    }
    closedir(d);
    return found;
}

/* The /proc way: slower, but needs no ownership of the file. */
static enum writer_presence proc_writer(const struct stat *target)
{
    DIR *proc = opendir("/proc");
    if (!proc)
        return WRITER_UNKNOWN;
    long self = getpid();
    enum writer_presence found = WRITER_ABSENT;
    struct dirent *e;
    while (found != WRITER_PRESENT && (e = readdir(proc))) {
        if (!all_digits(e->d_name) || strtol(e->d_name, NULL, 10) == self)
            continue;
        int w = writes_file(e->d_name, target);
        if (w > 0)
            found = WRITER_PRESENT;
        else if (w < 0)
            found = WRITER_UNKNOWN;   /* keep looking for a sure answer */
    }
    closedir(proc);
    return found;
}

enum writer_presence writer_presence(int fd)
{
    /* swmr-append holds an OFD write lock on the file it writes: the
     * cheapest sure answer, and one that works for another user's file. */
    struct flock probe = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
    if (fcntl(fd, F_OFD_GETLK, &probe) == 0 && probe.l_type != F_UNLCK)
        return WRITER_PRESENT;
    /* Other writers (h5py, HDF5's own tools) drop their lock once SWMR
     * writing starts: only their open descriptors tell. No read lease here:
     * a lease held by a stopped process makes a writer's open() wait. */
    struct stat target;
    if (fstat(fd, &target) != 0)
        return WRITER_UNKNOWN;
    enum writer_presence found = proc_writer(&target);
    /* /proc lists this host's processes: on a file system other hosts
     * share, a writer there is invisible, and "nobody" is not an answer. */
    struct statfs fs;
    if (found == WRITER_ABSENT && fstatfs(fd, &fs) == 0 &&
        fs_kind_of((unsigned long)fs.f_type).sharing != FS_LOCAL)
        return WRITER_UNKNOWN;
    return found;
}
