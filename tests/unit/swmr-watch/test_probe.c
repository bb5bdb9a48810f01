/* probe: the facts about a real file, its superblock written by hand and
 * its "writer" a descriptor of ours holding the lock swmr-append holds. */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "probe.h"

static char path[] = "/tmp/test_probe.XXXXXX";
static int fd = -1;

/* A version 3 superblock's first 12 bytes with FLAGS. */
static void make_file(unsigned char flags)
{
    strcpy(path, "/tmp/test_probe.XXXXXX");
    fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    unsigned char sb[64] = { 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n', 3,
                             8, 8, flags };
    cr_assert_eq(write(fd, sb, sizeof sb), (ssize_t)sizeof sb);
}

static void remove_file(void)
{
    if (fd >= 0)
        close(fd);
    unlink(path);
}

TestSuite(probe, .fini = remove_file);

Test(probe, every_fact_is_set_anew)
{
    make_file(0);
    struct watch_facts f;
    memset(&f, 0x5a, sizeof f);   /* what a stack variable may hold */
    probe_writer(fd, false, &f);
    cr_assert_eq(f.open_errno, 0);
    cr_assert_eq(f.sb, SB_OK);
    cr_assert_eq(f.flags, 0);
    /* No SWMR writer in the flags: the kernel is asked even unasked. */
    cr_assert(f.writer_asked);
    cr_assert_eq(f.writer, WRITER_ABSENT);
    cr_assert_eq(watch_writer_state(&f, false), WRITER_CLOSED);
}

Test(probe, a_writer_holding_the_file_between_close_and_reopen_is_on)
{
    make_file(0);
    pid_t child = fork();
    if (child == 0) {
        /* swmr-append's OFD write lock, held while it reopens the file. */
        int w = open(path, O_RDWR);
        struct flock lk = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
        if (w < 0 || fcntl(w, F_OFD_SETLK, &lk) < 0)
            _exit(1);
        pause();
        _exit(0);
    }
    struct watch_facts f;
    for (int i = 0; i < 500; i++) {   /* until the child holds its lock */
        probe_writer(fd, false, &f);
        if (f.writer == WRITER_PRESENT)
            break;
        usleep(10000);
    }
    kill(child, SIGKILL);
    waitpid(child, NULL, 0);
    cr_assert_eq(f.writer, WRITER_PRESENT);
    cr_assert_eq(watch_writer_state(&f, true), WRITER_ON);
}

Test(probe, open_gathers_the_file_and_its_flags)
{
    make_file(SB_FLAG_WRITE | SB_FLAG_SWMR_WRITE);
    int pfd;
    struct stat st;
    struct watch_facts f;
    probe_open(path, NULL, true, &pfd, &st, &f);
    cr_assert_geq(pfd, 0);
    close(pfd);
    cr_assert_eq(f.sb, SB_OK);
    cr_assert(f.changed_since_seen, "never seen is changed");
    cr_assert(f.writer_asked);
    cr_assert_eq(f.writer, WRITER_ABSENT);   /* flags a killed writer left */
    probe_open("/nonexistent/x.h5", NULL, true, &pfd, &st, &f);
    cr_assert_eq(pfd, -1);
    cr_assert_eq(f.open_errno, ENOENT);
}

/* PATH is taken for a FIFO, a device and a socket: named, never opened. A
 * FIFO no one writes would hold open(2) forever: the alarm ends the test
 * (as a crash) instead of hanging the run. */
Test(probe, what_is_not_a_regular_file_is_named_and_not_opened)
{
    strcpy(path, "/tmp/test_probe.XXXXXX");
    cr_assert_not_null(mkdtemp(path));
    char at[sizeof path + 16];
    snprintf(at, sizeof at, "%s/fifo.h5", path);
    cr_assert_eq(mkfifo(at, 0600), 0);
    int pfd;
    struct stat st;
    struct watch_facts f;
    alarm(10);
    probe_open(at, NULL, true, &pfd, &st, &f);
    alarm(0);
    unlink(at);
    cr_assert_eq(pfd, -1);
    cr_assert_eq(f.open_errno, 0);
    cr_assert_eq(f.not_regular, S_IFIFO);

    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    snprintf(at, sizeof at, "%s/sock.h5", path);
    snprintf(sa.sun_path, sizeof sa.sun_path, "%s", at);
    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    cr_assert_geq(s, 0);
    cr_assert_eq(bind(s, (struct sockaddr *)&sa, sizeof sa), 0);
    probe_open(at, NULL, true, &pfd, &st, &f);
    close(s);
    unlink(at);
    rmdir(path);
    cr_assert_eq(pfd, -1);
    cr_assert_eq(f.open_errno, 0, "a socket is named, not an ENXIO");
    cr_assert_eq(f.not_regular, S_IFSOCK);

    probe_open("/dev/null", NULL, true, &pfd, &st, &f);
    cr_assert_eq(pfd, -1);
    cr_assert_eq(f.not_regular, S_IFCHR);
    probe_open("/tmp", NULL, true, &pfd, &st, &f);
    cr_assert_eq(pfd, -1);
    cr_assert_eq(f.not_regular, S_IFDIR);
}
