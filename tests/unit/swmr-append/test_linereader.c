#include <criterion/criterion.h>

#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "linereader.h"
#include "monotonic.h"

/* take, and fill while it says READ_MORE, within TIMEOUT_S in all: a line
 * at a time, as the tests want it (swmr-append takes whole blocks). */
static enum read_status line_reader_next(struct line_reader *r,
                                         double timeout_s, const char **line,
                                         size_t *len)
{
    double deadline = timeout_s < 0 ? -1 : monotonic_seconds() + timeout_s;
    for (;;) {
        enum read_status st = line_reader_take(r, line, len);
        if (st != READ_MORE)
            return st;
        double left = deadline < 0 ? -1 : deadline - monotonic_seconds();
        st = line_reader_fill(r, deadline < 0 ? -1 : left > 0 ? left : 0);
        if (st != READ_MORE)
            return st;
    }
}

static int fds[2];
static struct line_reader *r;

static void open_pipe(size_t max_line)
{
    cr_assert_eq(pipe(fds), 0);
    r = line_reader_new(fds[0], max_line, NULL);
    cr_assert_not_null(r);
}

static void feed(const char *s)
{
    cr_assert_eq(write(fds[1], s, strlen(s)), (ssize_t)strlen(s));
}

static void done(void)
{
    line_reader_free(r);
    close(fds[0]);
    if (fds[1] >= 0)
        close(fds[1]);
}

static void expect_line(const char *want)
{
    const char *line;
    size_t len;
    cr_assert_eq(line_reader_next(r, 1.0, &line, &len), READ_LINE);
    cr_assert_eq(len, strlen(want), "got '%.*s', want '%s'", (int)len, line, want);
    cr_assert(memcmp(line, want, len) == 0);
}

static enum read_status next_status(double timeout)
{
    const char *line;
    size_t len;
    return line_reader_next(r, timeout, &line, &len);
}

Test(linereader, lines_and_a_last_line_without_newline, .fini = done)
{
    open_pipe(1024);
    feed("1 2\n\n3,4\r\nlast");
    close(fds[1]);
    fds[1] = -1;
    expect_line("1 2");
    expect_line("");
    expect_line("3,4\r");
    expect_line("last");
    cr_assert_eq(next_status(1.0), READ_END);
    cr_assert_eq(next_status(1.0), READ_END, "end stays end");
}

Test(linereader, times_out_on_a_partial_line, .fini = done)
{
    open_pipe(1024);
    feed("12");
    cr_assert_eq(next_status(0.01), READ_TIMEOUT);
    feed("34\n");
    expect_line("1234");
    cr_assert_eq(next_status(0.0), READ_TIMEOUT, "no data: zero wait returns");
}

Test(linereader, long_line_is_refused_and_skipped, .fini = done)
{
    open_pipe(8);
    feed("short\n0123456789abcdef\nnext\n");
    expect_line("short");
    cr_assert_eq(next_status(1.0), READ_TOO_LONG);
    expect_line("next");
}

Test(linereader, long_line_reported_before_its_end_arrives, .fini = done)
{
    open_pipe(4);
    /* More than a pipe holds: a child writes it (and what follows) while
     * we read, so neither side waits on the other. */
    pid_t child = fork();
    if (child == 0) {
        static char big[200 * 1024];
        memset(big, 'x', sizeof big - 1);
        close(fds[0]);
        feed(big);
        feed("tail\nok\n");
        _exit(0);
    }
    cr_assert_eq(next_status(5.0), READ_TOO_LONG, "no newline needed to refuse");
    expect_line("ok");
    waitpid(child, NULL, 0);
}

Test(linereader, lines_bigger_than_one_read, .fini = done)
{
    open_pipe(1 << 20);
    static char big[300 * 1024 + 2];
    memset(big, '7', sizeof big - 2);
    big[sizeof big - 2] = '\n';
    big[sizeof big - 1] = '\0';
    if (fork() == 0) {
        close(fds[0]);
        feed(big);
        _exit(0);
    }
    close(fds[1]);
    fds[1] = -1;
    const char *line;
    size_t len;
    cr_assert_eq(line_reader_next(r, 5.0, &line, &len), READ_LINE);
    cr_assert_eq(len, sizeof big - 2);
    cr_assert_eq(line[0], '7');
    cr_assert_eq(line[len - 1], '7');
}

/* ---- take and fill: a block at a time ---- */

static enum read_status take(const char **line, size_t *len)
{
    return line_reader_take(r, line, len);
}

Test(linereader, take_reads_nothing_and_fill_reads_one_block, .fini = done)
{
    open_pipe(1024);
    const char *line;
    size_t len;
    feed("1\n2\n3");
    cr_assert_eq(take(&line, &len), READ_MORE, "nothing read yet");
    cr_assert_eq(line_reader_fill(r, 1.0), READ_MORE);
    feed("\n4\n");   /* in the pipe, not in the buffer */
    cr_assert_eq(take(&line, &len), READ_LINE);
    cr_assert_eq(len, 1);
    cr_assert_eq(line[0], '1');
    cr_assert_eq(take(&line, &len), READ_LINE);
    cr_assert_eq(line[0], '2');
    cr_assert_eq(take(&line, &len), READ_MORE,
                 "the partial line waits; the pipe is not read");
    cr_assert_eq(line_reader_fill(r, 1.0), READ_MORE);
    cr_assert_eq(take(&line, &len), READ_LINE);
    cr_assert_eq(len, 1);
    cr_assert_eq(line[0], '3');
    cr_assert_eq(take(&line, &len), READ_LINE);
    cr_assert_eq(line[0], '4');
    cr_assert_eq(take(&line, &len), READ_MORE);
    cr_assert_eq(line_reader_fill(r, 0.0), READ_TIMEOUT);
    close(fds[1]);
    fds[1] = -1;
    cr_assert_eq(line_reader_fill(r, 1.0), READ_MORE, "the end is news");
    cr_assert_eq(take(&line, &len), READ_END);
}

Test(linereader, take_refuses_an_over_long_line_before_its_end, .fini = done)
{
    open_pipe(8);
    const char *line;
    size_t len;
    feed("0123456789abc");
    cr_assert_eq(line_reader_fill(r, 1.0), READ_MORE);
    cr_assert_eq(take(&line, &len), READ_TOO_LONG);
    feed("def\nok\n");
    cr_assert_eq(line_reader_fill(r, 1.0), READ_MORE);
    cr_assert_eq(take(&line, &len), READ_LINE, "the rest of it is dropped");
    cr_assert_eq(len, 2);
    cr_assert(memcmp(line, "ok", 2) == 0);
}

Test(linereader, take_rows_gives_whole_rows_and_names_a_partial_one, .fini = done)
{
    open_pipe(1024);
    const char *rows;
    size_t n, left;
    feed("abcdefg");   /* two rows of 3, one byte of a third */
    cr_assert_eq(line_reader_take_rows(r, 3, &rows, &n, &left), READ_MORE);
    cr_assert_eq(line_reader_fill(r, 1.0), READ_MORE);
    cr_assert_eq(line_reader_take_rows(r, 3, &rows, &n, &left), READ_LINE);
    cr_assert_eq(n, 2);
    cr_assert(memcmp(rows, "abcdef", 6) == 0);
    cr_assert_eq(line_reader_take_rows(r, 3, &rows, &n, &left), READ_MORE);
    close(fds[1]);
    fds[1] = -1;
    cr_assert_eq(line_reader_fill(r, 1.0), READ_MORE);
    cr_assert_eq(line_reader_take_rows(r, 3, &rows, &n, &left), READ_PARTIAL);
    cr_assert_eq(left, 1);
    cr_assert_eq(line_reader_take_rows(r, 3, &rows, &n, &left), READ_END);
}
