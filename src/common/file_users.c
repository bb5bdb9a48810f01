#include "file_users.h"

#include <ctype.h>    /* isdigit */
#include <dirent.h>   /* opendir, readdir */
#include <fcntl.h>    /* O_ACCMODE, O_RDONLY */
#include <stdbool.h>
#include <stdio.h>    /* snprintf, fopen, fscanf */
#include <stdlib.h>   /* strtol */
#include <sys/stat.h> /* stat */
#include <unistd.h>   /* getpid */

static bool all_digits(const char *s)
{
    for (; *s; s++)
        if (!isdigit((unsigned char)*s))
            return false;
    return true;
}

/* Is descriptor FD of process PID open with write access? */
static bool opened_for_write(const char *pid, const char *fd)
{
    char path[600];
    snprintf(path, sizeof path, "/proc/%s/fdinfo/%s", pid, fd);
    FILE *f = fopen(path, "re");
    if (!f)
        return false;
    char key[32];
    unsigned long value;
    bool writes = false;
    while (fscanf(f, "%31s %lo", key, &value) == 2) {
        if (key[0] == 'f' && key[1] == 'l') {   /* "flags:" */
            writes = (value & O_ACCMODE) != O_RDONLY;
            break;
        }
    }
    fclose(f);
    return writes;
}

static bool has_open_for_write(const char *pid, const struct stat *target)
{
    char dir[300];
    snprintf(dir, sizeof dir, "/proc/%s/fd", pid);
    DIR *d = opendir(dir);
    if (!d)
        return false;
    bool found = false;
    struct dirent *e;
    while (!found && (e = readdir(d))) {
        if (!all_digits(e->d_name))
            continue;
        char link[600];
        struct stat st;
        snprintf(link, sizeof link, "%s/%s", dir, e->d_name);
        if (stat(link, &st) == 0 && st.st_dev == target->st_dev &&
            st.st_ino == target->st_ino)
            found = opened_for_write(pid, e->d_name);
    }
    closedir(d);
    return found;
}

pid_t file_writer_pid(const char *path)
{
    struct stat target;
    if (stat(path, &target) < 0)
        return 0;
    DIR *proc = opendir("/proc");
    if (!proc)
        return 0;
    pid_t self = getpid(), found = 0;
    struct dirent *e;
    while (!found && (e = readdir(proc))) {
        if (!all_digits(e->d_name) || strtol(e->d_name, NULL, 10) == self)
            continue;
        if (has_open_for_write(e->d_name, &target))
            found = (pid_t)strtol(e->d_name, NULL, 10);
    }
    closedir(proc);
    return found;
}
