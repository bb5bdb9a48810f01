#include "fs_probe.h"

#include <errno.h>         /* errno, ENOENT, ENOTDIR */
#include <stdio.h>         /* fopen, getline, snprintf */
#include <stdlib.h>        /* malloc, free */
#include <string.h>        /* strcpy, strlen, strrchr, strcmp */
#include <sys/stat.h>      /* stat */
#include <sys/statfs.h>    /* statfs */
#include <sys/sysmacros.h> /* major, minor */

/* Cut PATH to the folder holding it: "a/b" -> "a" -> "."; "/a" -> "/".
 * false when PATH is "." or "/" already: nothing is above. */
static bool up_one(char *path)
{
    if (strcmp(path, ".") == 0 || strcmp(path, "/") == 0)
        return false;
    char *slash = strrchr(path, '/');
    if (!slash)
        strcpy(path, ".");
    else if (slash == path)
        path[1] = '\0';
    else
        *slash = '\0';
    return true;
}

/* The type mountinfo gives the mount of PATH ("fuse.sshfs"), into NAME. */
static void mount_type(const char *path, char *name, size_t size)
{
    struct stat st;
    FILE *f = stat(path, &st) == 0 ? fopen("/proc/self/mountinfo", "re") : NULL;
    if (!f)
        return;
    char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, f) > 0)
        if (fs_mountinfo_type(line, major(st.st_dev), minor(st.st_dev), name,
                              size))
            break;
    free(line);
    fclose(f);
}

bool fs_probe(const char *path, struct fs_found *out)
{
    *out = (struct fs_found){ FS_LOCAL, "" };
    /* Room for "." whatever PATH is ("" among them). */
    char *at = malloc(strlen(path) + 2);
    if (!at)
        return false;
    strcpy(at, path);
    struct statfs sfs;
    bool known;
    while (!(known = statfs(at, &sfs) == 0) &&
           (errno == ENOENT || errno == ENOTDIR) && up_one(at))
        ;
    if (known) {
        struct fs_kind kind = fs_kind_of((unsigned long)sfs.f_type);
        out->sharing = kind.sharing;
        if (kind.name)
            snprintf(out->name, sizeof out->name, "%s", kind.name);
        if (fs_kind_is_fuse((unsigned long)sfs.f_type))
            mount_type(at, out->name, sizeof out->name);
    }
    free(at);
    return known;
}
