/* wake.c's hold (pace.h): a watcher that is behind sleeps through the
 * writes of a flood, but not through a close. Real inotify on a real file
 * in a temporary folder. */
#include <criterion/criterion.h>
#include <fcntl.h>    /* open */
#include <signal.h>   /* sigset_t */
#include <stdio.h>    /* snprintf */
#include <stdlib.h>   /* mkdtemp */
#include <unistd.h>   /* write, close, unlink, rmdir */

#include "monotonic.h"
#include "wake.h"

static char dir[64], path[96];
static struct wake w;
static sigset_t mask;

static void make_file(void)
{
    snprintf(dir, sizeof dir, "/tmp/swmr-wake.XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/run.h5", dir);
    int fd = open(path, O_WRONLY | O_CREAT, 0644);
    cr_assert_geq(fd, 0);
    close(fd);
    cr_assert(wake_init(&w, path, false));
    cr_assert_geq(w.fd, 0, "no inotify here");
    sigprocmask(SIG_SETMASK, NULL, &mask);
}

static void remove_file(void)
{
    wake_close(&w);
    unlink(path);
    rmdir(dir);
}

/* Write to the file, opened for writing; close it if CLOSE. */
static void write_file(bool close_it)
{
    int fd = open(path, O_WRONLY);
    cr_assert_geq(fd, 0);
    cr_assert_eq(write(fd, "x", 1), 1);
    if (close_it)
        close(fd);
}

TestSuite(wake_hold, .init = make_file, .fini = remove_file);

Test(wake_hold, writes_do_not_end_it)
{
    write_file(true);
    wake_wait(&w, 0, &mask);       /* the events so far */
    int fd = open(path, O_WRONLY);
    cr_assert_eq(write(fd, "y", 1), 1);
    double start = monotonic_seconds();
    unsigned what = wake_hold(&w, 0.05, &mask);
    cr_assert_geq(monotonic_seconds() - start, 0.05);
    cr_assert_eq(what, WAKE_MODIFIED, "what %#x", what);
    close(fd);
}

Test(wake_hold, a_close_ends_it_at_once)
{
    write_file(true);
    /* The close is queued before the hold: a hold of a minute ends in
     * one look (10 ms), not at its end. */
    double start = monotonic_seconds();
    unsigned what = wake_hold(&w, 60, &mask);
    cr_assert(what & WAKE_CLOSED, "what %#x", what);
    cr_assert_lt(monotonic_seconds() - start, 30);
}

Test(wake_hold, a_removal_ends_it_at_once)
{
    wake_wait(&w, 0, &mask);
    unlink(path);
    double start = monotonic_seconds();
    unsigned what = wake_hold(&w, 60, &mask);
    cr_assert(what & WAKE_MOVED, "what %#x", what);
    cr_assert_lt(monotonic_seconds() - start, 30);
}
