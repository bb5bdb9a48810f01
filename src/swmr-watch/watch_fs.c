#include "watch_fs.h"
#include "report.h"

#include <stdio.h> /* snprintf */

bool watch_fs_plan(const struct fs_found *fs, const char *file,
                   bool poll_given, bool once, double interval, char *text,
                   size_t size)
{
    text[0] = '\0';
    if (fs->sharing == FS_LOCAL)
        return false;
    /* Polling would go unnoticed otherwise: say it, and why. */
    char polling[128] = "";
    if (!poll_given && !once)
        snprintf(polling, sizeof polling, "polling every %g second%s "
                 "(inotify misses other hosts' writes)", interval,
                 interval == 1 ? "" : "s");
    if (fs->sharing == FS_UNORDERED)
        snprintf(text, size, "%s is on %s, which does not promise the write "
                 "ordering SWMR needs: rows read may be torn or stale%s%s",
                 file, fs->name, polling[0] ? "; " : "", polling);
    else if (polling[0])
        snprintf(text, size, "%s is on %s, shared with other hosts: %s", file,
                 fs->name, polling);
    return true;
}

bool watch_fs_check(const struct watch_options *o)
{
    struct fs_found fs;
    char text[512];
    if (!fs_probe(o->file, &fs))
        return false;
    bool poll = watch_fs_plan(&fs, o->file, o->poll_only, o->once,
                              o->interval, text, sizeof text);
    if (text[0])
        report_notice("%s", text);
    return poll;
}
