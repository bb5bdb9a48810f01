/* file_place: temporary names, stale files, locks and placement, on real
 * files in a fresh folder. */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "file_place.h"

static char dir[] = "/tmp/test_file_place.XXXXXX";

static void make_dir(void)
{
    strcpy(dir, "/tmp/test_file_place.XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    cr_assert_eq(chdir(dir), 0);
}

static void remove_dir(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}

TestSuite(file_place, .init = make_dir, .fini = remove_dir);

static int entries(void)
{
    int n = 0;
    FILE *ls = popen("ls -A", "r");
    char line[512];
    while (fgets(line, sizeof line, ls))
        n++;
    pclose(ls);
    return n;
}

static int make_file(const char *name)
{
    int fd = open(name, O_RDWR | O_CREAT | O_EXCL, 0644);
    cr_assert_geq(fd, 0, "create %s: %s", name, strerror(errno));
    return fd;
}

Test(file_place, temp_name_is_hidden_beside_the_file_and_unpredictable)
{
    char *a = place_temp_name("sub/run.h5");
    char *b = place_temp_name("sub/run.h5");
    cr_assert_eq(strncmp(a, "sub/.run.h5.swmr-append-", 24), 0, "%s", a);
    cr_assert_eq(strlen(a), 24 + 8);
    cr_assert_str_neq(a, b);
    free(a);
    free(b);
    char *c = place_temp_name("run.h5");
    cr_assert_eq(strncmp(c, "./.run.h5.swmr-append-", 22), 0, "%s", c);
    free(c);
}

Test(file_place, temp_name_of_a_255_byte_name_is_still_legal)
{
    char name[256];
    memset(name, 'n', 255);
    name[255] = '\0';
    char *t = place_temp_name(name);
    const char *base = strrchr(t, '/') + 1;
    cr_assert_eq(strlen(base), 255);
    int fd = make_file(t);
    close(fd);
    free(t);
}

static void write_text(int fd, const char *text, size_t len)
{
    cr_assert_eq(write(fd, text, len), (ssize_t)len);
    close(fd);
}

Test(file_place, stale_temp_files_go_live_ones_and_others_stay)
{
    char *stale = place_temp_name("run.h5");
    char *stale_hdf5 = place_temp_name("run.h5");
    char *live = place_temp_name("run.h5");
    close(make_file(stale + 2));   /* killed before HDF5 wrote anything */
    write_text(make_file(stale_hdf5 + 2), "\211HDF\r\n\032\n\0\0", 10);
    int live_fd = make_file(live + 2);
    cr_assert_eq(place_lock(live_fd), PLACE_LOCKED);
    /* A user's own files, however alike: */
    close(make_file(".run.h5.short"));
    close(make_file(".run.h5.20240101"));    /* 8 digits: a dated backup */
    close(make_file(".run.h5.backup01"));
    write_text(make_file(".run.h5.swmr-append-NOTHDF55"), "notes\n", 6);
    close(make_file(".other.h5.swmr-append-ABCDEFGH"));  /* another file's */
    close(make_file("run.h5"));
    place_remove_stale("run.h5");
    cr_assert_eq(access(stale + 2, F_OK), -1, "empty stale temp file kept");
    cr_assert_eq(access(stale_hdf5 + 2, F_OK), -1, "stale temp file kept");
    cr_assert_eq(access(live + 2, F_OK), 0, "a live writer's file removed");
    cr_assert_eq(access(".run.h5.20240101", F_OK), 0, "a user's file removed");
    cr_assert_eq(access(".run.h5.backup01", F_OK), 0, "a user's file removed");
    cr_assert_eq(access(".run.h5.swmr-append-NOTHDF55", F_OK), 0,
                 "a file that is not HDF5 removed");
    cr_assert_eq(entries(), 7);
    close(live_fd);
    free(stale);
    free(stale_hdf5);
    free(live);
}

/* What place_lock says in a child process while we hold LOCK_HOW. */
static enum place_lock lock_from_child(const char *name)
{
    pid_t pid = fork();
    if (pid == 0) {
        int fd = open(name, O_RDWR);
        _exit(fd < 0 ? 99 : (int)place_lock(fd));
    }
    int status;
    waitpid(pid, &status, 0);
    return (enum place_lock)WEXITSTATUS(status);
}

Test(file_place, a_second_writer_is_refused_readers_are_not)
{
    int fd = make_file("run.h5");
    cr_assert_eq(place_lock(fd), PLACE_LOCKED);
    cr_assert_eq(lock_from_child("run.h5"), PLACE_BY_APPENDER);
    cr_assert_eq(place_probe("run.h5"), PLACE_BY_APPENDER);
    /* An HDF5 reader's shared flock is no conflict. */
    int reader = open("run.h5", O_RDONLY);
    cr_assert_eq(flock(reader, LOCK_SH | LOCK_NB), 0);
    close(reader);
    close(fd);
    cr_assert_eq(place_probe("run.h5"), PLACE_LOCKED);
    cr_assert_eq(place_probe("absent.h5"), PLACE_LOCKED);
}

Test(file_place, an_hdf5_writer_with_its_exclusive_flock_is_refused)
{
    close(make_file("run.h5"));
    int hdf5 = open("run.h5", O_RDWR);
    cr_assert_eq(flock(hdf5, LOCK_EX | LOCK_NB), 0);
    cr_assert_eq(lock_from_child("run.h5"), PLACE_BY_HDF5);
    cr_assert_eq(place_probe("run.h5"), PLACE_BY_HDF5);
    close(hdf5);
    cr_assert_eq(lock_from_child("run.h5"), PLACE_LOCKED);
}

Test(file_place, place_links_the_inode_never_over_an_existing_file)
{
    char *temp = place_temp_name("run.h5");
    int fd = make_file(temp);
    cr_assert_eq(place_file(fd, temp, "run.h5", false), 0);
    cr_assert(place_still_there(fd, "run.h5"));
    cr_assert_eq(access(temp, F_OK), -1, "temporary name kept");

    char *temp2 = place_temp_name("run.h5");
    int fd2 = make_file(temp2);
    cr_assert_eq(place_file(fd2, temp2, "run.h5", false), -EEXIST);
    cr_assert(place_still_there(fd, "run.h5"));
    cr_assert_eq(place_file(fd2, temp2, "run.h5", true), 0);
    cr_assert(place_still_there(fd2, "run.h5"));
    cr_assert_not(place_still_there(fd, "run.h5"));
    close(fd);
    close(fd2);
    free(temp);
    free(temp2);
}

Test(file_place, a_swapped_temporary_name_is_not_placed)
{
    char *temp = place_temp_name("run.h5");
    int fd = make_file(temp);
    /* Another user replaces our temporary name with a symlink. */
    cr_assert_eq(unlink(temp), 0);
    cr_assert_eq(symlink("/etc/passwd", temp), 0);
    cr_assert_eq(place_file(fd, temp, "run.h5", true), -ESTALE);
    struct stat st;
    cr_assert_eq(lstat("run.h5", &st), -1);
    /* Linking by inode places our (now nameless) file or nothing, never
     * the symlink. */
    int err = place_file(fd, temp, "run.h5", false);
    cr_assert(err == 0 || err == -ENOENT, "%d", err);
    if (err == 0) {
        cr_assert_eq(lstat("run.h5", &st), 0);
        cr_assert(S_ISREG(st.st_mode));
    }
    close(fd);
    free(temp);
}

Test(file_place, a_moved_or_removed_file_is_noticed)
{
    int fd = make_file("run.h5");
    cr_assert(place_still_there(fd, "run.h5"));
    cr_assert_eq(rename("run.h5", "moved.h5"), 0);
    cr_assert_not(place_still_there(fd, "run.h5"));
    close(make_file("run.h5"));
    cr_assert_not(place_still_there(fd, "run.h5"));
    cr_assert_eq(unlink("run.h5"), 0);
    cr_assert_not(place_still_there(fd, "run.h5"));
    close(fd);
}

/* --force: the old file is locked while the new one is renamed over it,
 * so a writer that got to the old file first wins and nothing moves. */
Test(file_place, replace_refuses_while_a_writer_holds_the_old_file)
{
    int writer = make_file("run.h5");
    cr_assert_eq(place_lock(writer), PLACE_LOCKED);
    char *temp = place_temp_name("run.h5");
    int fd = make_file(temp);
    cr_assert_eq(place_file(fd, temp, "run.h5", true), -EBUSY);
    cr_assert(place_still_there(writer, "run.h5"), "the writer's file moved");
    cr_assert(place_still_there(fd, temp), "the new file lost its name");
    /* Once the writer is gone, the replace goes through. */
    close(writer);
    cr_assert_eq(place_file(fd, temp, "run.h5", true), 0);
    cr_assert(place_still_there(fd, "run.h5"));
    close(fd);
    free(temp);
}
