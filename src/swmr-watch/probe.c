#include "probe.h"

#include <errno.h>    /* errno */
#include <fcntl.h>    /* open */
#include <sys/stat.h> /* stat, fstat, S_ISREG, S_IFMT */
#include <unistd.h>   /* close */

/* Has the file changed since we let go of it (another file at the name, or
 * written: its size or times moved)? */
static bool changed_since(const struct stat *seen, const struct stat *st)
{
    return !seen || st->st_dev != seen->st_dev || st->st_ino != seen->st_ino ||
           st->st_size != seen->st_size ||
           st->st_mtim.tv_sec != seen->st_mtim.tv_sec ||
           st->st_mtim.tv_nsec != seen->st_mtim.tv_nsec ||
           st->st_ctim.tv_sec != seen->st_ctim.tv_sec ||
           st->st_ctim.tv_nsec != seen->st_ctim.tv_nsec;
}

static void read_sb(int fd, struct watch_facts *f)
{
    struct watch_sb sb = { 0 };
    f->sb = watch_sb_read(fd, &sb);
    f->sb_version = sb.version;
    f->flags = f->sb == SB_OK ? sb.flags : 0;
}

void probe_open(const char *path, const struct stat *seen, bool need_writer,
                int *fd, struct stat *st, struct watch_facts *f)
{
    *f = (struct watch_facts){ .sb = SB_SHORT, .writer = WRITER_UNKNOWN };
    /* Only a regular file is opened. Opening a FIFO waits for its writer
     * (forever, for a FIFO nobody writes), a socket cannot be opened at
     * all, and opening a device may act on it (a tape rewinds, a watchdog
     * starts): what is not a regular file is named from its stat, and left
     * untouched. */
    struct stat before;
    if (stat(path, &before) == 0 && !S_ISREG(before.st_mode)) {
        f->not_regular = before.st_mode & S_IFMT;
        *fd = -1;
        return;
    }
    /* O_NONBLOCK, O_NOCTTY: a FIFO or a terminal put at PATH since the stat
     * is refused below, not waited on or made ours. A regular file's reads
     * ignore O_NONBLOCK (open(2)). */
    *fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (*fd < 0) {
        f->open_errno = errno;
        return;
    }
    /* *ST is read below and by the caller: a failed fstat is a failed open. */
    if (fstat(*fd, st) != 0)
        f->open_errno = errno;
    else if (!S_ISREG(st->st_mode))
        f->not_regular = st->st_mode & S_IFMT;
    if (f->open_errno || f->not_regular) {
        close(*fd);
        *fd = -1;
        return;
    }
    read_sb(*fd, f);
    f->changed_since_seen = changed_since(seen, st);
    bool swmr = watch_sb_swmr_writing(f->flags);
    if (need_writer && f->sb == SB_OK &&
        (swmr || (f->flags == 0 && f->changed_since_seen))) {
        f->writer_asked = true;
        f->writer = writer_presence(*fd);
    }
}

void probe_writer(int fd, bool ask, struct watch_facts *f)
{
    *f = (struct watch_facts){ .writer = WRITER_UNKNOWN };
    read_sb(fd, f);
    /* Flags without a SWMR writer are a close, or a writer between a close
     * and its next open (swmr-append --append --attr makes its objects in a
     * short plain window): only the kernel tells them apart. */
    if (f->sb == SB_OK && !watch_sb_swmr_writing(f->flags))
        ask = true;
    if (!ask || f->sb != SB_OK)
        return;
    f->writer_asked = true;
    f->writer = writer_presence(fd);
    /* A SWMR writer the kernel does not see may have closed the file
     * between the two looks. */
    if (f->writer != WRITER_PRESENT && watch_sb_swmr_writing(f->flags))
        read_sb(fd, f);
}
