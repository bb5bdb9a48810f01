#include "fs_kind.h"

#include <linux/gfs2_ondisk.h> /* GFS2_MAGIC */
#include <linux/magic.h>       /* the other *_MAGIC the kernel exports */
#include <stdio.h>             /* sscanf, snprintf */
#include <string.h>            /* strstr, strcspn */

/* Magic numbers the kernel's uapi headers do not export; each is the value
 * the file system's own code puts in f_type (GNU coreutils' stat(1) knows
 * them by the same numbers). */
enum {
    LUSTRE_MAGIC = 0x0BD00BD0,   /* LL_SUPER_MAGIC, lustre_user.h */
    GPFS_MAGIC = 0x47504653,     /* "GPFS", IBM Storage Scale */
    BEEGFS_MAGIC = 0x19830326,   /* BeeGFS (once FhGFS) */
    VBOXSF_MAGIC = 0x786F4256,   /* VBOXSF_SUPER_MAGIC, fs/vboxsf/super.c */
    PRL_FS_MAGIC = 0x7C7C6673,   /* Parallels' shared folders */
    VMHGFS_MAGIC = 0xBACBACBC,   /* VMware's shared folders (the old module;
                                    vmhgfs-fuse is FUSE) */
};

/* Only what is not local is listed: anything else (ext4, xfs, btrfs,
 * tmpfs, overlayfs, ...) is one host's, and SWMR's ordering holds there.
 * (GNU tail calls overlayfs "remote", because inotify misses changes made
 * to its lower layers underneath it; a writer writes through it, so its
 * writes are heard.) */
static const struct {
    unsigned long magic;
    struct fs_kind kind;
} table[] = {
    /* Close-to-open consistency only: each client caches data and
     * attributes, and sends its writes to the server in any order. The
     * HDF Group's SWMR guide names NFS and SMB as where SWMR fails. */
    { NFS_SUPER_MAGIC, { "nfs", FS_UNORDERED } },
    { SMB_SUPER_MAGIC, { "smb", FS_UNORDERED } },
    { CIFS_SUPER_MAGIC, { "cifs", FS_UNORDERED } },
    { SMB2_SUPER_MAGIC, { "smb2", FS_UNORDERED } },
    { NCP_SUPER_MAGIC, { "ncp", FS_UNORDERED } },
    /* Whole-file caching: other clients see a file's data when it is
     * closed, not while it is written. */
    { AFS_FS_MAGIC, { "afs", FS_UNORDERED } },      /* the kernel's kAFS */
    { AFS_SUPER_MAGIC, { "afs", FS_UNORDERED } },   /* OpenAFS */
    { CODA_SUPER_MAGIC, { "coda", FS_UNORDERED } },
    /* Host-guest shares (9p is also QEMU's and WSL's): the guest caches
     * what the host writes as its cache mode says, without ordering. */
    { V9FS_MAGIC, { "9p", FS_UNORDERED } },
    { VBOXSF_MAGIC, { "vboxsf", FS_UNORDERED } },
    { PRL_FS_MAGIC, { "prl_fs", FS_UNORDERED } },
    { VMHGFS_MAGIC, { "vmhgfs", FS_UNORDERED } },
    /* A user-space daemon answers every read and write (sshfs, s3fs, and
     * virtiofs, which shares FUSE's magic): ordering is whatever it does.
     * Even bindfs on one host keeps a page cache per name, so a reader
     * that opened a file under another name than its writer reads stale
     * data. */
    { FUSE_SUPER_MAGIC, { "fuse", FS_UNORDERED } },
    /* Caches file contents on each client by default ("buffered"). */
    { BEEGFS_MAGIC, { "beegfs", FS_UNORDERED } },
    /* Cluster file systems that promise POSIX coherence across hosts with a
     * distributed lock manager: a node writes only under an exclusive lock,
     * which other nodes' cached copies give up first (GFS2's glocks,
     * OCFS2's DLM, Lustre's LDLM, GPFS's tokens); CephFS's documentation
     * promises "strong cache coherency across clients", unlike NFS. */
    { GFS2_MAGIC, { "gfs2", FS_COHERENT } },
    { OCFS2_SUPER_MAGIC, { "ocfs2", FS_COHERENT } },
    { LUSTRE_MAGIC, { "lustre", FS_COHERENT } },
    { GPFS_MAGIC, { "gpfs", FS_COHERENT } },
    { CEPH_SUPER_MAGIC, { "ceph", FS_COHERENT } },
};

struct fs_kind fs_kind_of(unsigned long magic)
{
    /* f_type is a signed long on some ABIs: 0xFF534D42 may come sign
     * extended. The magics are 32-bit. */
    magic &= 0xFFFFFFFFul;
    for (size_t i = 0; i < sizeof table / sizeof *table; i++)
        if (table[i].magic == magic)
            return table[i].kind;
    return (struct fs_kind){ NULL, FS_LOCAL };
}

bool fs_kind_is_fuse(unsigned long magic)
{
    return (magic & 0xFFFFFFFFul) == FUSE_SUPER_MAGIC;
}

/* "36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw": the
 * third field is the device, the first after the lone "-" the type (the
 * optional fields before it vary in number; a space in a path is written
 * "\040", so " - " is never part of one). */
bool fs_mountinfo_type(const char *line, unsigned major, unsigned minor,
                       char *type, size_t size)
{
    unsigned ma, mi;
    if (sscanf(line, "%*u %*u %u:%u ", &ma, &mi) != 2 || ma != major ||
        mi != minor)
        return false;
    const char *dash = strstr(line, " - ");
    if (!dash || size == 0)
        return false;
    const char *t = dash + 3;
    size_t len = strcspn(t, " \n");
    if (len == 0)
        return false;
    snprintf(type, size, "%.*s", (int)len, t);
    return true;
}
