/* Lines from a file descriptor, with a deadline.
 *
 * stdio's getline blocks until a line arrives, but swmr-append must wake up
 * to flush while the producer is quiet, and must notice signals without
 * racing them. So lines are cut from our own buffer, and the only blocking
 * call is ppoll(), which atomically unblocks the caller's signals. Input is
 * read in blocks of up to 64 KiB and cut in place: the caller takes every
 * line of a block before it reads the clock or the next block. */
#ifndef SWMR_LINEREADER_H
#define SWMR_LINEREADER_H

#include <signal.h> /* sigset_t */
#include <stddef.h>
#include <stdint.h>

enum read_status {
    READ_LINE,        /* *line, *len hold one line, without its '\n' */
    READ_TIMEOUT,     /* the wait ran out with no complete line */
    READ_INTERRUPTED, /* a signal arrived while waiting */
    READ_END,         /* end of input */
    READ_TOO_LONG,    /* a line exceeded the limit; it has been skipped */
    READ_IO_ERROR,    /* read failed: errno tells why */
    READ_NO_MEMORY,   /* no memory for a longer line */
    READ_MORE,        /* take: no complete line buffered, fill first;
                         fill: a block was read (or the end seen) */
    READ_PARTIAL,     /* take_rows: the input ended inside a row */
};

struct line_reader;

/* Read from FD; lines longer than MAX_LINE bytes are refused. While
 * waiting, the signal mask is WAIT_MASK (NULL: leave it alone). */
struct line_reader *line_reader_new(int fd, size_t max_line,
                                    const sigset_t *wait_mask);
void line_reader_free(struct line_reader *r);

/* The next line already in the buffer: READ_LINE, READ_TOO_LONG, READ_END,
 * or READ_MORE when none is complete yet. No system call, no clock: a
 * caller drains a whole block with it. The line stays valid until the
 * next line_reader_fill. A last line without '\n' is still a line. */
enum read_status line_reader_take(struct line_reader *r, const char **line,
                                  size_t *len);

/* Binary input: every whole row of ROW_BYTES bytes buffered, *N of them
 * at *ROWS (READ_LINE), or READ_MORE, READ_END, or READ_PARTIAL with the
 * bytes of the last, partial row in *LEFT. Valid until the next fill. */
enum read_status line_reader_take_rows(struct line_reader *r, size_t row_bytes,
                                       const char **rows, size_t *n,
                                       size_t *left);

/* Bytes read but not taken: an unfinished last line (or row) when the
 * caller stops before the input ends. */
size_t line_reader_unread(const struct line_reader *r);

/* Bytes read from the input so far, taken or not (--progress). */
uint64_t line_reader_bytes_read(const struct line_reader *r);

/* Wait up to TIMEOUT_S (< 0: as long as it takes) for input, and read one
 * block of it: READ_MORE, or READ_TIMEOUT, READ_INTERRUPTED, READ_IO_ERROR,
 * READ_NO_MEMORY. */
enum read_status line_reader_fill(struct line_reader *r, double timeout_s);

#endif
