/* The superblock as swmr-watch reads it without HDF5: signature, format
 * version and the writer's flags byte. */
#include <criterion/criterion.h>
#include <stdlib.h>  /* mkstemp */
#include <string.h>  /* memcpy */
#include <unistd.h>  /* pwrite, unlink, close */

#include "superblock.h"

static unsigned char sb(unsigned version, unsigned flags, unsigned char *b)
{
    static const unsigned char sig[8] = { 0x89, 'H', 'D', 'F', '\r', '\n',
                                          0x1a, '\n' };
    memcpy(b, sig, 8);
    b[8] = (unsigned char)version;
    b[9] = 8;
    b[10] = 8;
    b[11] = (unsigned char)flags;
    return 0;
}

Test(watch_sb, v3_flags)
{
    unsigned char b[12];
    struct watch_sb s;
    sb(3, 0x05, b);
    cr_assert_eq(watch_sb_parse(b, sizeof b, &s), SB_OK);
    cr_assert_eq(s.version, 3);
    cr_assert_eq(s.flags, 0x05);
    cr_assert(watch_sb_swmr_writing(s.flags));
    sb(3, 0x00, b);
    cr_assert_eq(watch_sb_parse(b, sizeof b, &s), SB_OK);
    cr_assert_not(watch_sb_swmr_writing(s.flags));
    cr_assert_not(watch_sb_swmr_writing(0x01), "write, not SWMR");
}

Test(watch_sb, older_formats)
{
    unsigned char b[12];
    struct watch_sb s;
    for (unsigned v = 0; v < 3; v++) {
        sb(v, 0, b);
        cr_assert_eq(watch_sb_parse(b, sizeof b, &s), SB_TOO_OLD, "v%u", v);
        cr_assert_eq(s.version, v);
    }
}

Test(watch_sb, not_hdf5_or_short)
{
    unsigned char b[12];
    struct watch_sb s;
    cr_assert_eq(watch_sb_parse((const unsigned char *)"hello world!", 12, &s),
                 SB_NOT_HDF5);
    sb(3, 5, b);
    cr_assert_eq(watch_sb_parse(b, 0, &s), SB_SHORT);
    cr_assert_eq(watch_sb_parse(b, 5, &s), SB_SHORT);
    cr_assert_eq(watch_sb_parse(b, 10, &s), SB_SHORT);
    cr_assert_eq(watch_sb_parse((const unsigned char *)"\x89HDX", 4, &s),
                 SB_NOT_HDF5);
}

Test(watch_sb, user_block_offsets)
{
    char path[] = "/tmp/watch_sb_XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    unlink(path);
    unsigned char b[12];
    sb(3, 0x05, b);
    cr_assert_eq(pwrite(fd, b, sizeof b, 1024), (ssize_t)sizeof b);
    struct watch_sb s;
    cr_assert_eq(watch_sb_read(fd, &s), SB_OK);
    cr_assert_eq(s.offset, 1024);
    cr_assert_eq(s.flags, 0x05);
    close(fd);
}

Test(watch_sb, empty_file_is_short)
{
    char path[] = "/tmp/watch_sb_XXXXXX";
    int fd = mkstemp(path);
    unlink(path);
    struct watch_sb s;
    cr_assert_eq(watch_sb_read(fd, &s), SB_SHORT);
    close(fd);
}
