/* fs_kind: which file systems keep SWMR's write ordering, from the magic
 * numbers statfs() gives; the mountinfo line that names a FUSE mount; and
 * fs_probe on this machine's own (local) folders. */
#include <criterion/criterion.h>

#include <linux/magic.h> /* the kernel's magic numbers, to test against */
#include <stdio.h>       /* snprintf */
#include <stdlib.h>      /* mkdtemp */
#include <unistd.h>      /* rmdir */

#include "fs_kind.h"
#include "fs_probe.h"

static void expect(unsigned long magic, const char *name, enum fs_sharing sharing)
{
    struct fs_kind k = fs_kind_of(magic);
    cr_expect_str_eq(k.name, name, "magic %#lx", magic);
    cr_expect_eq(k.sharing, sharing, "magic %#lx (%s)", magic, name);
}

Test(fs_kind, network_and_fuse_do_not_promise_ordering)
{
    expect(0x6969, "nfs", FS_UNORDERED);
    expect(0x517B, "smb", FS_UNORDERED);
    expect(0xFE534D42, "smb2", FS_UNORDERED);
    expect(0xFF534D42, "cifs", FS_UNORDERED);
    expect(0x01021997, "9p", FS_UNORDERED);
    expect(0x65735546, "fuse", FS_UNORDERED);   /* virtiofs too */
    expect(0x6B414653, "afs", FS_UNORDERED);    /* kAFS */
    expect(0x5346414F, "afs", FS_UNORDERED);    /* OpenAFS */
    expect(0x73757245, "coda", FS_UNORDERED);
    expect(0x564C, "ncp", FS_UNORDERED);
    expect(0x19830326, "beegfs", FS_UNORDERED);
    expect(0x786F4256, "vboxsf", FS_UNORDERED);
    expect(0x7C7C6673, "prl_fs", FS_UNORDERED);
    expect(0xBACBACBC, "vmhgfs", FS_UNORDERED);
}

Test(fs_kind, coherent_cluster_file_systems_keep_ordering_but_are_shared)
{
    expect(0x01161970, "gfs2", FS_COHERENT);
    expect(0x7461636F, "ocfs2", FS_COHERENT);
    expect(0x0BD00BD0, "lustre", FS_COHERENT);
    expect(0x47504653, "gpfs", FS_COHERENT);
    expect(0x00C36400, "ceph", FS_COHERENT);
}

Test(fs_kind, local_file_systems_are_fine)
{
    unsigned long local[] = { EXT4_SUPER_MAGIC, XFS_SUPER_MAGIC,
                              BTRFS_SUPER_MAGIC, TMPFS_MAGIC,
                              OVERLAYFS_SUPER_MAGIC, F2FS_SUPER_MAGIC,
                              RAMFS_MAGIC, 0, 0x12345678 };
    for (size_t i = 0; i < sizeof local / sizeof *local; i++) {
        struct fs_kind k = fs_kind_of(local[i]);
        cr_expect_null(k.name, "magic %#lx", local[i]);
        cr_expect_eq(k.sharing, FS_LOCAL, "magic %#lx", local[i]);
    }
}

Test(fs_kind, a_sign_extended_magic_is_still_known)
{
    /* f_type is a signed long: CIFS's 0xFF534D42 may come negative. */
    long cifs = (int32_t)0xFF534D42;
    expect((unsigned long)cifs, "cifs", FS_UNORDERED);
    cr_expect(fs_kind_is_fuse((unsigned long)(long)(int32_t)0x65735546));
    cr_expect_not(fs_kind_is_fuse(0x6969));
}

Test(fs_kind_mountinfo, the_type_of_the_matching_device)
{
    char type[64];
    cr_assert(fs_mountinfo_type("45 27 0:40 / /mnt/x rw,nosuid,relatime - "
                                "fuse.sshfs me@host:/data rw,user_id=0\n",
                                0, 40, type, sizeof type));
    cr_expect_str_eq(type, "fuse.sshfs");
    /* Optional fields, any number of them, before the separator. */
    cr_assert(fs_mountinfo_type("36 35 98:0 / /mnt2 rw,noatime master:1 "
                                "shared:7 - virtiofs share rw", 98, 0, type,
                                sizeof type));
    cr_expect_str_eq(type, "virtiofs");
    /* A space in a path is \040: " - " is the separator only. */
    cr_assert(fs_mountinfo_type("50 1 0:51 / /mnt/a\\040-\\040b rw - fuse "
                                "src rw", 0, 51, type, sizeof type));
    cr_expect_str_eq(type, "fuse");
}

Test(fs_kind_mountinfo, other_devices_and_odd_lines_say_nothing)
{
    char type[64] = "untouched";
    cr_expect_not(fs_mountinfo_type("45 27 0:40 / /m rw - fuse s rw", 0, 41,
                                    type, sizeof type));
    cr_expect_not(fs_mountinfo_type("45 27 0:40 / /m rw - fuse s rw", 1, 40,
                                    type, sizeof type));
    cr_expect_not(fs_mountinfo_type("45 27 0:40 / /m rw", 0, 40, type,
                                    sizeof type));
    cr_expect_not(fs_mountinfo_type("", 0, 40, type, sizeof type));
    cr_expect_not(fs_mountinfo_type("x y 0:40 / /m rw - fuse s rw", 0, 40,
                                    type, sizeof type));
    cr_expect_str_eq(type, "untouched");
}

Test(fs_kind_mountinfo, a_long_type_is_cut_to_the_buffer)
{
    char type[8];
    cr_assert(fs_mountinfo_type("1 2 0:9 / /m rw - fuse.averylongname s rw",
                                0, 9, type, sizeof type));
    cr_expect_str_eq(type, "fuse.av");
}

/* This machine's own folders: local (tests run on a local disk or tmpfs;
 * CI too). */
Test(fs_kind_probe, a_local_folder_is_local)
{
    struct fs_found fs;
    cr_assert(fs_probe("/proc/self", &fs));
    cr_expect_eq(fs.sharing, FS_LOCAL);
    cr_expect_str_eq(fs.name, "");
}

Test(fs_kind_probe, a_file_not_there_yet_is_where_its_folder_is)
{
    char dir[] = "/tmp/fs_probe_XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char path[128];
    /* Neither the file nor the folder between exists: the nearest folder
     * above that does tells. */
    snprintf(path, sizeof path, "%s/later/run.h5", dir);
    struct fs_found fs = { FS_UNORDERED, "junk" };
    cr_expect(fs_probe(path, &fs));
    cr_expect_eq(fs.sharing, FS_LOCAL);
    cr_expect_str_eq(fs.name, "");
    /* A relative name with no folder: the current one. */
    cr_expect(fs_probe("no-such-file-here.h5", &fs));
    rmdir(dir);
}
