/* watch_fs: where swmr-watch polls instead of waiting on inotify, and what
 * it says about it. */
#include <criterion/criterion.h>

#include <string.h> /* strstr */

#include "watch_fs.h"

static const struct fs_found nfs = { FS_UNORDERED, "nfs" };
static const struct fs_found gfs2 = { FS_COHERENT, "gfs2" };
static const struct fs_found ext4 = { FS_LOCAL, "" };

Test(watch_fs, unordered_polls_and_says_why)
{
    char text[512];
    cr_assert(watch_fs_plan(&nfs, "run.h5", false, false, 1, text, sizeof text));
    cr_expect_str_eq(text, "run.h5 is on nfs, which does not promise the "
                     "write ordering SWMR needs: rows read may be torn or "
                     "stale; polling every 1 second (inotify misses other "
                     "hosts' writes)");
    cr_assert(watch_fs_plan(&nfs, "run.h5", false, false, 0.25, text,
                            sizeof text));
    cr_expect(strstr(text, "polling every 0.25 seconds") != NULL, "%s", text);
}

Test(watch_fs, poll_or_once_leave_the_polling_unsaid)
{
    char text[512];
    const char *risk_only = "run.h5 is on nfs, which does not promise the "
                            "write ordering SWMR needs: rows read may be "
                            "torn or stale";
    cr_assert(watch_fs_plan(&nfs, "run.h5", true, false, 1, text, sizeof text));
    cr_expect_str_eq(text, risk_only);
    cr_assert(watch_fs_plan(&nfs, "run.h5", false, true, 1, text, sizeof text));
    cr_expect_str_eq(text, risk_only);
}

Test(watch_fs, coherent_cluster_file_systems_poll_without_a_risk)
{
    char text[512];
    cr_assert(watch_fs_plan(&gfs2, "run.h5", false, false, 2, text, sizeof text));
    cr_expect_str_eq(text, "run.h5 is on gfs2, shared with other hosts: "
                     "polling every 2 seconds (inotify misses other hosts' "
                     "writes)");
    cr_assert(watch_fs_plan(&gfs2, "run.h5", true, false, 2, text, sizeof text));
    cr_expect_str_eq(text, "");
}

Test(watch_fs, local_file_systems_keep_inotify_quietly)
{
    char text[512] = "junk";
    cr_expect_not(watch_fs_plan(&ext4, "run.h5", false, false, 1, text,
                                sizeof text));
    cr_expect_str_eq(text, "");
}
