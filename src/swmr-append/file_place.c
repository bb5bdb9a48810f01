#include "file_place.h"
#include "file_users.h"

#include <dirent.h>   /* fdopendir, readdir */
#include <errno.h>    /* errno, EEXIST, EAGAIN */
#include <fcntl.h>    /* open, openat, fcntl, F_OFD_SETLK */
#include <stdio.h>    /* asprintf, snprintf */
#include <stdlib.h>   /* free */
#include <string.h>   /* strrchr, strncmp, strlen, memcmp */
#include <sys/file.h> /* flock */
#include <sys/random.h> /* getrandom */
#include <sys/stat.h> /* fstat, fstatat */
#include <time.h>     /* clock_gettime: a fallback seed */
#include <unistd.h>   /* close, linkat, unlinkat, getpid, pread */

/* ".NAME.swmr-append-XXXXXXXX": the marker keeps the stale-file sweep off
 * names a user might choose (".run.h5.20240101" is someone's backup). */
static const char marker[] = ".swmr-append-";
enum { TAIL_LEN = 8 };
/* NAME_MAX less the leading dot, the marker and the tail. */
enum { BASE_MAX = 255 - 1 - (int)(sizeof marker - 1) - TAIL_LEN };

static const char tail_chars[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

static struct flock whole_file(short type)
{
    return (struct flock){ .l_type = type, .l_whence = SEEK_SET };
}

enum place_lock place_lock(int fd)
{
    struct flock lk = whole_file(F_WRLCK);
    if (fcntl(fd, F_OFD_SETLK, &lk) < 0)
        return errno == EAGAIN || errno == EACCES ? PLACE_BY_APPENDER
                                                  : PLACE_LOCK_ERROR;
    if (flock(fd, LOCK_SH | LOCK_NB) == 0)
        return PLACE_LOCKED;
    int saved = errno;
    lk = whole_file(F_UNLCK);
    fcntl(fd, F_OFD_SETLK, &lk);
    errno = saved;
    return saved == EWOULDBLOCK ? PLACE_BY_HDF5 : PLACE_LOCK_ERROR;
}

enum place_lock place_probe(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return PLACE_LOCKED;
    enum place_lock result = PLACE_LOCKED;
    struct flock lk = whole_file(F_WRLCK);
    if (fcntl(fd, F_OFD_GETLK, &lk) == 0 && lk.l_type != F_UNLCK)
        result = PLACE_BY_APPENDER;
    else if (flock(fd, LOCK_SH | LOCK_NB) < 0 && errno == EWOULDBLOCK)
        result = PLACE_BY_HDF5;
    close(fd);   /* drops the shared flock, if taken */
    return result;
}

/* The folder part of PATH ("." for none) and where the name starts. */
static char *dir_of(const char *path, const char **base)
{
    const char *slash = strrchr(path, '/');
    *base = slash ? slash + 1 : path;
    if (!slash)
        return strdup(".");
    if (slash == path)
        return strdup("/");
    return strndup(path, (size_t)(slash - path));
}

static size_t base_len(const char *base)
{
    size_t len = strlen(base);
    return len < BASE_MAX ? len : BASE_MAX;
}

static void random_tail(char tail[TAIL_LEN])
{
    unsigned char bytes[TAIL_LEN];
    if (getrandom(bytes, sizeof bytes, GRND_NONBLOCK) != (ssize_t)sizeof bytes) {
        /* No entropy yet (early boot): unpredictable enough for a name
         * that O_EXCL creates and a lock guards. */
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        unsigned long seed = (unsigned long)ts.tv_nsec ^ (unsigned long)getpid() << 16;
        for (int i = 0; i < TAIL_LEN; i++, seed = seed * 6364136223846793005ul + 1)
            bytes[i] = (unsigned char)(seed >> 33);
    }
    for (int i = 0; i < TAIL_LEN; i++)
        tail[i] = tail_chars[bytes[i] % (sizeof tail_chars - 1)];
}

char *place_temp_name(const char *path)
{
    const char *base;
    char *dir = dir_of(path, &base);
    if (!dir)
        return NULL;
    char tail[TAIL_LEN];
    random_tail(tail);
    char *temp;
    int n = asprintf(&temp, "%s/.%.*s%s%.*s", dir, (int)base_len(base), base,
                     marker, TAIL_LEN, tail);
    free(dir);
    return n < 0 ? NULL : temp;
}

/* Is NAME one of the names place_temp_name makes for BASE? */
static bool temp_of(const char *name, const char *base)
{
    size_t len = base_len(base);
    if (name[0] != '.' || strncmp(name + 1, base, len) != 0 ||
        strncmp(name + 1 + len, marker, sizeof marker - 1) != 0)
        return false;
    const char *tail = name + 1 + len + sizeof marker - 1;
    if (strlen(tail) != TAIL_LEN)
        return false;
    for (const char *c = tail; *c; c++)
        if (!strchr(tail_chars, *c))
            return false;
    return true;
}

static bool same_file(const struct stat *a, const struct stat *b)
{
    return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

/* What HDF5 puts first in a file it creates (no user block): a killed
 * writer's temporary file holds this, or nothing yet. */
static bool looks_like_ours(int fd, const struct stat *st)
{
    static const char signature[8] = "\211HDF\r\n\032\n";
    char head[sizeof signature];
    return st->st_size == 0 ||
           (pread(fd, head, sizeof head, 0) == (ssize_t)sizeof head &&
            memcmp(head, signature, sizeof head) == 0);
}

/* NAME in DIR is a temporary file of ours that no live writer holds:
 * lock it (so no writer can take it meanwhile), then unlink it. */
static void remove_if_stale(int dir, const char *name)
{
    int fd = openat(dir, name, O_RDWR | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return;
    struct stat st, now;
    struct flock lk = whole_file(F_WRLCK);
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == geteuid() &&
        looks_like_ours(fd, &st) && fcntl(fd, F_OFD_SETLK, &lk) == 0 &&
        /* A run that has just made it (O_EXCL) and not locked it yet has
         * it open: only a file nobody writes is stale. */
        writer_presence(fd) == WRITER_ABSENT &&
        fstatat(dir, name, &now, AT_SYMLINK_NOFOLLOW) == 0 && same_file(&st, &now))
        unlinkat(dir, name, 0);
    close(fd);
}

void place_remove_stale(const char *path)
{
    const char *base;
    char *dir_name = dir_of(path, &base);
    if (!dir_name)
        return;
    int dir = open(dir_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    free(dir_name);
    DIR *d = dir >= 0 ? fdopendir(dir) : NULL;
    if (!d) {
        if (dir >= 0)
            close(dir);
        return;
    }
    struct dirent *e;
    while ((e = readdir(d)))
        if (temp_of(e->d_name, base))
            remove_if_stale(dir, e->d_name);
    closedir(d);
}

/* Is the file at NAME (not following a symlink) the one FD holds? */
static bool names_fd(const char *name, int fd)
{
    struct stat a, b;
    return lstat(name, &a) == 0 && fstat(fd, &b) == 0 && same_file(&a, &b);
}

/* rename() TEMP (the file FD holds) over PATH, holding the old file's
 * locks meanwhile: a writer that starts on the old file in between is
 * refused instead of writing to a file no name reaches any more. */
static int replace_locked(int fd, const char *temp, const char *path)
{
    int old = open(path, O_RDWR | O_CLOEXEC | O_NONBLOCK | O_NOFOLLOW);
    if (old < 0 && errno != ENOENT)
        return -errno;
    if (old >= 0) {
        enum place_lock lock = place_lock(old);
        if (lock != PLACE_LOCKED || !place_still_there(old, path)) {
            int err = lock == PLACE_LOCK_ERROR ? errno : EBUSY;
            close(old);
            return -err;
        }
    }
    /* rename() moves whatever is at TEMP: make sure it is ours, and check
     * again after. */
    int err = 0;
    if (!names_fd(temp, fd))
        err = ESTALE;
    else if (rename(temp, path) < 0)
        err = errno;
    if (old >= 0)
        close(old);   /* its locks go with it */
    if (err)
        return -err;
    return place_still_there(fd, path) ? 0 : -ESTALE;
}

int place_file(int fd, const char *temp, const char *path, bool replace)
{
    if (replace)
        return replace_locked(fd, temp, path);
    /* Link the inode itself, not a name someone could have swapped; and
     * link() never replaces an existing PATH: no check-then-create race. */
    char self[64];
    snprintf(self, sizeof self, "/proc/self/fd/%d", fd);
    if (linkat(AT_FDCWD, self, AT_FDCWD, path, AT_SYMLINK_FOLLOW) < 0)
        return -errno;
    if (names_fd(temp, fd))
        unlink(temp);
    return 0;
}

bool place_still_there(int fd, const char *path)
{
    struct stat a, b;
    return stat(path, &a) == 0 && fstat(fd, &b) == 0 && same_file(&a, &b);
}
