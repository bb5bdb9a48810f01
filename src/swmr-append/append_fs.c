#include "append_fs.h"
#include "report.h"

#include <stdio.h> /* snprintf */

bool append_fs_warning(const struct fs_found *fs, const char *file,
                       char *text, size_t size)
{
    /* A cluster file system that promises coherence (FS_COHERENT) is as
     * good as a local disk for the writer: only readers' inotify suffers,
     * and swmr-watch says so itself. */
    if (fs->sharing != FS_UNORDERED)
        return false;
    snprintf(text, size, "%s is on %s, which does not promise the write "
             "ordering SWMR needs: readers may see torn or stale data "
             "(write to a local disk instead)", file, fs->name);
    return true;
}

void append_fs_check(const char *file)
{
    struct fs_found fs;
    char text[512];
    if (fs_probe(file, &fs) && append_fs_warning(&fs, file, text, sizeof text))
        report_notice("%s", text);
}
