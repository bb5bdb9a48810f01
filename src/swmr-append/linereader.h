/* Lines from a file descriptor, with a deadline.
 *
 * stdio's getline blocks until a line arrives, but swmr-append must wake up
 * to flush while the producer is quiet, and must notice signals without
 * racing them. So lines are cut from our own buffer, and the only blocking
 * call is ppoll(), which atomically unblocks the caller's signals. */
#ifndef SWMR_LINEREADER_H
#define SWMR_LINEREADER_H

#include <signal.h> /* sigset_t */
#include <stddef.h>

enum read_status {
    READ_LINE,        /* *line, *len hold one line, without its '\n' */
    READ_TIMEOUT,     /* the wait ran out with no complete line */
    READ_INTERRUPTED, /* a signal arrived while waiting */
    READ_END,         /* end of input */
    READ_TOO_LONG,    /* a line exceeded the limit; it has been skipped */
    READ_IO_ERROR,    /* read failed: errno tells why */
    READ_NO_MEMORY,   /* no memory for a longer line */
};

struct line_reader;

/* Read from FD; lines longer than MAX_LINE bytes are refused. While
 * waiting, the signal mask is WAIT_MASK (NULL: leave it alone). */
struct line_reader *line_reader_new(int fd, size_t max_line,
                                    const sigset_t *wait_mask);
void line_reader_free(struct line_reader *r);

/* The next line. TIMEOUT_S < 0 waits as long as it takes. The line stays
 * valid until the next call. A last line without '\n' is still a line. */
enum read_status line_reader_next(struct line_reader *r, double timeout_s,
                                  const char **line, size_t *len);

#endif
