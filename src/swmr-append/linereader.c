#include "linereader.h"
#include "monotonic.h"

#include <errno.h>  /* EINTR, EAGAIN */
#include <math.h>   /* floor */
#include <poll.h>   /* ppoll */
#include <signal.h> /* sigpending, sigprocmask */
#include <stdbool.h>
#include <stdlib.h> /* malloc, realloc */
#include <string.h> /* memchr, memmove */
#include <time.h>   /* struct timespec */
#include <unistd.h> /* read */

enum { READ_SIZE = 64 * 1024 };

struct line_reader {
    int fd;
    size_t max_line;
    const sigset_t *wait_mask;
    char *buf;
    size_t cap;
    size_t start;     /* first byte not yet returned */
    size_t end;       /* one past the last byte read */
    size_t scanned;   /* bytes from start known to hold no '\n' */
    uint64_t bytes_read;   /* every byte read() returned */
    bool eof;
    bool discarding;  /* inside an over-long line: drop bytes up to '\n' */
};

struct line_reader *line_reader_new(int fd, size_t max_line,
                                    const sigset_t *wait_mask)
{
    struct line_reader *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->fd = fd;
    r->max_line = max_line;
    r->wait_mask = wait_mask;
    r->cap = 2 * READ_SIZE;
    r->buf = malloc(r->cap);
    if (!r->buf) {
        free(r);
        return NULL;
    }
    return r;
}

void line_reader_free(struct line_reader *r)
{
    if (r) {
        free(r->buf);
        free(r);
    }
}

uint64_t line_reader_bytes_read(const struct line_reader *r)
{
    return r->bytes_read;
}

size_t line_reader_unread(const struct line_reader *r)
{
    return r->discarding ? 0 : r->end - r->start;
}

/* Make room for one more read: move the unread bytes to the front, and
 * grow while a line is longer than the buffer. */
static bool make_room(struct line_reader *r)
{
    if (r->start > 0) {
        memmove(r->buf, r->buf + r->start, r->end - r->start);
        r->end -= r->start;
        r->start = 0;
    }
    if (r->cap - r->end >= READ_SIZE)
        return true;
    size_t cap = r->cap * 2;
    char *buf = realloc(r->buf, cap);
    if (!buf)
        return false;
    r->buf = buf;
    r->cap = cap;
    return true;
}

/* A ppoll that finds data ready at once puts the blocked mask back without
 * running the handler of a signal that came meanwhile: under a steady flood
 * a Ctrl-C would wait for ever. Unblock for a moment to let it in. */
static void take_pending_signals(const sigset_t *wait_mask)
{
    sigset_t pending, saved;
    if (!wait_mask || sigpending(&pending) < 0)
        return;
    for (int sig = 1; sig < NSIG; sig++)
        if (sigismember(&pending, sig) == 1 && sigismember(wait_mask, sig) == 0) {
            sigprocmask(SIG_SETMASK, wait_mask, &saved);
            sigprocmask(SIG_SETMASK, &saved, NULL);
            return;
        }
}

/* 1: data or EOF ready, 0: timed out, -1: interrupted or failed.
 * DEADLINE < 0 waits for ever. */
static int wait_readable(struct line_reader *r, double deadline)
{
    struct pollfd pfd = { .fd = r->fd, .events = POLLIN };
    struct timespec ts, *tsp = NULL;
    if (deadline >= 0) {
        double left = deadline - monotonic_seconds();
        if (left < 0)
            left = 0;
        ts.tv_sec = (time_t)floor(left);
        ts.tv_nsec = (long)((left - (double)ts.tv_sec) * 1e9);
        tsp = &ts;
    }
    int n = ppoll(&pfd, 1, tsp, r->wait_mask);
    if (n > 0)
        take_pending_signals(r->wait_mask);
    return n < 0 ? -1 : n;
}

enum read_status line_reader_take(struct line_reader *r, const char **line,
                                  size_t *len)
{
    for (;;) {
        char *from = r->buf + r->start + r->scanned;
        char *nl = memchr(from, '\n', r->end - r->start - r->scanned);
        if (nl) {
            size_t n = (size_t)(nl - (r->buf + r->start));
            const char *l = r->buf + r->start;
            r->start += n + 1;
            r->scanned = 0;
            if (r->discarding) {
                r->discarding = false;
                continue;
            }
            if (n > r->max_line)
                return READ_TOO_LONG;
            *line = l;
            *len = n;
            return READ_LINE;
        }
        r->scanned = r->end - r->start;

        if (r->eof) {
            size_t n = r->end - r->start;
            r->start = r->end;
            r->scanned = 0;
            if (n == 0 || r->discarding) {
                r->discarding = false;
                return READ_END;
            }
            if (n > r->max_line)
                return READ_TOO_LONG;
            *line = r->buf + (r->end - n);
            *len = n;
            return READ_LINE;
        }

        if (r->scanned > r->max_line && !r->discarding) {
            /* Report it now, not when its end arrives: it may never. */
            r->discarding = true;
            r->start = r->end;
            r->scanned = 0;
            return READ_TOO_LONG;
        }
        if (r->discarding) {
            r->start = r->end;
            r->scanned = 0;
        }
        return READ_MORE;
    }
}

enum read_status line_reader_take_rows(struct line_reader *r, size_t row_bytes,
                                       const char **rows, size_t *n,
                                       size_t *left)
{
    size_t have = r->end - r->start;
    *n = have / row_bytes;
    *left = 0;
    if (*n > 0) {
        *rows = r->buf + r->start;
        r->start += *n * row_bytes;
        return READ_LINE;
    }
    if (!r->eof)
        return READ_MORE;
    *left = have;
    r->start = r->end;
    return have ? READ_PARTIAL : READ_END;
}

enum read_status line_reader_fill(struct line_reader *r, double timeout_s)
{
    double deadline = timeout_s < 0 ? -1 : monotonic_seconds() + timeout_s;
    for (;;) {
        int ready = wait_readable(r, deadline);
        if (ready == 0)
            return READ_TIMEOUT;
        if (ready < 0)
            return errno == EINTR ? READ_INTERRUPTED : READ_IO_ERROR;
        if (!make_room(r))
            return READ_NO_MEMORY;
        ssize_t got = read(r->fd, r->buf + r->end, r->cap - r->end);
        if (got < 0) {
            if (errno == EINTR || errno == EAGAIN)
                continue;
            return READ_IO_ERROR;
        }
        if (got == 0)
            r->eof = true;
        r->end += (size_t)got;
        r->bytes_read += (uint64_t)got;
        return READ_MORE;
    }
}
