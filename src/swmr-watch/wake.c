#include "wake.h"

#include <errno.h>        /* errno, EINTR */
#include <poll.h>         /* ppoll */
#include <stdlib.h>       /* free */
#include <string.h>       /* strdup, strrchr, strcmp */
#include <sys/inotify.h>  /* inotify_* */
#include <time.h>         /* struct timespec */
#include <unistd.h>       /* read, close */

/* On the file: its writes, a writer's close, and the signs of it going
 * away (IN_ATTRIB is all we get for an unlink while HDF5 still holds the
 * file open: IN_DELETE_SELF waits for the last close). */
#define FILE_EVENTS (IN_MODIFY | IN_CLOSE_WRITE | IN_ATTRIB | \
                     IN_DELETE_SELF | IN_MOVE_SELF)
/* On the directory: the name appearing, disappearing or being renamed
 * over (--wait, --follow, replacement). */
#define DIR_EVENTS (IN_CREATE | IN_MOVED_TO | IN_DELETE | IN_MOVED_FROM)

bool wake_init(struct wake *w, const char *path, bool poll_only)
{
    *w = (struct wake){ .fd = -1, .file_wd = -1, .dir_wd = -1, .path = path,
                        .out_fd = -1 };
    const char *slash = strrchr(path, '/');
    w->base = strdup(slash ? slash + 1 : path);
    if (!w->base)
        return false;
    if (poll_only)
        return true;
    w->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (w->fd < 0) {
        w->inotify_errno = errno;
        return true;
    }
    char *dir = strdup(path);
    if (!dir)
        return false;
    char *cut = strrchr(dir, '/');
    if (!cut)
        strcpy(dir, ".");
    else if (cut == dir)
        cut[1] = '\0';   /* "/x.h5": the root */
    else
        *cut = '\0';
    /* A directory we cannot watch (missing, or too many watches) leaves
     * the poll to notice appearances: not an error. */
    w->dir_wd = inotify_add_watch(w->fd, dir, DIR_EVENTS | IN_ONLYDIR);
    free(dir);
    wake_watch_file(w);
    return true;
}

void wake_watch_file(struct wake *w)
{
    if (w->fd < 0)
        return;
    /* The same inode gives back the same descriptor; a new file at the
     * name gives a new one, and the old watch is dropped (its removal
     * queues one IN_IGNORED, which drain() passes over). */
    int wd = inotify_add_watch(w->fd, w->path, FILE_EVENTS);
    if (wd < 0)
        return;
    if (w->file_wd >= 0 && w->file_wd != wd)
        inotify_rm_watch(w->fd, w->file_wd);
    w->file_wd = wd;
}

/* Turn the queued events into WAKE_* bits. */
static unsigned drain(struct wake *w)
{
    unsigned what = 0;
    char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
    for (;;) {
        ssize_t n = read(w->fd, buf, sizeof buf);
        if (n <= 0)
            return what;   /* EAGAIN: all read */
        for (char *p = buf; p < buf + n;) {
            const struct inotify_event *e = (const void *)p;
            p += sizeof *e + e->len;
            if (e->mask & IN_Q_OVERFLOW) {
                /* Events were lost: any of them may have happened (a
                 * close among them: WAKE_LOST asks, WAKE_CLOSED would
                 * say so). */
                what |= WAKE_MODIFIED | WAKE_MOVED | WAKE_LOST;
                continue;
            }
            if (e->wd == w->dir_wd) {
                if (e->len && strcmp(e->name, w->base) == 0)
                    what |= WAKE_MOVED;
                continue;
            }
            if (e->wd != w->file_wd)
                continue;   /* a watch we replaced */
            if (e->mask & IN_MODIFY)
                what |= WAKE_MODIFIED;
            if (e->mask & IN_CLOSE_WRITE)
                what |= WAKE_CLOSED;
            if (e->mask & (IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF))
                what |= WAKE_MOVED;
            if (e->mask & IN_IGNORED)
                w->file_wd = -1;
        }
    }
}

/* A writer's flush is several writes a few microseconds apart, each its
 * own event: after the first, more are waited for this long (again after
 * each), so that one refresh sees the whole flush; never longer than
 * SETTLE_MAX in all, so that a writer that never stops is still seen. */
#define SETTLE_NS 200000L
#define SETTLE_MAX_NS 1000000L

/* More events for the file, each within SETTLE_NS of the last: their bits
 * added to WHAT. */
static unsigned settle(struct wake *w, unsigned what, const sigset_t *mask)
{
    struct pollfd pfd = { .fd = w->fd, .events = POLLIN };
    for (long waited = 0; waited < SETTLE_MAX_NS; waited += SETTLE_NS) {
        struct timespec ts = { .tv_nsec = SETTLE_NS };
        int r = ppoll(&pfd, 1, &ts, mask);
        if (r < 0 && errno == EINTR)
            return what | WAKE_INTERRUPTED;
        if (r <= 0)
            return what;
        what |= drain(w);
    }
    return what;
}

/* SECONDS as a timespec for ppoll. */
static struct timespec timespec_of(double seconds)
{
    struct timespec ts = { .tv_sec = (time_t)seconds };
    ts.tv_nsec = (long)((seconds - (double)ts.tv_sec) * 1e9);
    return ts;
}

/* A pipe's write end reports POLLERR once its reader is gone, with no
 * event asked for: we learn it without waiting for a line to write. */
static unsigned out_gone(const struct wake *w, const struct pollfd *out)
{
    return w->out_fd >= 0 && out->revents & (POLLERR | POLLHUP | POLLNVAL)
         ? WAKE_OUT_GONE : 0;
}

unsigned wake_wait(struct wake *w, double seconds, const sigset_t *mask)
{
    struct pollfd pfd[2] = { { .fd = w->fd, .events = POLLIN },
                             { .fd = w->out_fd, .events = 0 } };
    struct timespec ts = timespec_of(seconds);
    int r = ppoll(pfd, 2, seconds >= 0 ? &ts : NULL, mask);
    if (r < 0)                         /* fd -1 is left out by poll */
        return errno == EINTR ? WAKE_INTERRUPTED : 0;
    if (r == 0)
        return 0;
    unsigned what = out_gone(w, &pfd[1]);
    if (w->fd >= 0 && pfd[0].revents)
        what |= drain(w);
    /* Only plain writes are worth waiting for: a close, a rename or a
     * signal is news at once. */
    if (what == WAKE_MODIFIED)
        what = settle(w, what, mask);
    return what;
}

bool wake_pending(const struct wake *w)
{
    struct pollfd pfd = { .fd = w->fd, .events = POLLIN };
    return w->fd >= 0 && poll(&pfd, 1, 0) > 0;
}

/* A hold looks at the file this often: a close, a rename, a removal ends
 * it within this long, while the writes of a flood wake a holding watcher
 * no more often than that (waking at each would cost what holding saves:
 * a second inotify instance for the other events would halve the
 * watchers a user may start, 128 instances by default). */
#define HOLD_LOOK_SECONDS 0.01

unsigned wake_hold(struct wake *w, double seconds, const sigset_t *mask)
{
    unsigned what = 0;
    for (double left = seconds; left > 0; left -= HOLD_LOOK_SECONDS) {
        struct pollfd out = { .fd = w->out_fd, .events = 0 };
        struct timespec ts = timespec_of(left < HOLD_LOOK_SECONDS
                                         ? left : HOLD_LOOK_SECONDS);
        int r = ppoll(&out, 1, &ts, mask);
        if (r < 0 && errno == EINTR)
            what |= WAKE_INTERRUPTED;
        if (r > 0)
            what |= out_gone(w, &out);
        if (w->fd >= 0)
            what |= drain(w);
        if (what & ~WAKE_MODIFIED)
            break;   /* anything but a write is news at once */
    }
    return what;
}

void wake_close(struct wake *w)
{
    if (w->fd >= 0)
        close(w->fd);
    w->fd = -1;
    free(w->base);
    w->base = NULL;
}
