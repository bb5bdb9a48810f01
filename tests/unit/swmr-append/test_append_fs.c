/* append_fs: the one warning swmr-append gives about FILE's file system. */
#include <criterion/criterion.h>

#include "append_fs.h"

Test(append_fs, unordered_file_systems_are_named_with_the_risk)
{
    struct fs_found nfs = { FS_UNORDERED, "nfs" };
    char text[512];
    cr_assert(append_fs_warning(&nfs, "run.h5", text, sizeof text));
    cr_expect_str_eq(text, "run.h5 is on nfs, which does not promise the "
                     "write ordering SWMR needs: readers may see torn or "
                     "stale data (write to a local disk instead)");
}

Test(append_fs, local_and_coherent_file_systems_say_nothing)
{
    struct fs_found local = { FS_LOCAL, "" }, gfs2 = { FS_COHERENT, "gfs2" };
    char text[512];
    cr_expect_not(append_fs_warning(&local, "run.h5", text, sizeof text));
    cr_expect_not(append_fs_warning(&gfs2, "run.h5", text, sizeof text));
}
