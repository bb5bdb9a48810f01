#include "superblock.h"

#include <string.h>  /* memcmp */
#include <unistd.h>  /* pread */

static const unsigned char signature[8] = { 0x89, 'H', 'D', 'F',
                                            '\r', '\n', 0x1a, '\n' };

enum sb_status watch_sb_parse(const unsigned char *buf, size_t len,
                              struct watch_sb *out)
{
    if (len < 9)
        return len == 0 || memcmp(buf, signature, len < 8 ? len : 8) == 0
               ? SB_SHORT : SB_NOT_HDF5;
    if (memcmp(buf, signature, 8) != 0)
        return SB_NOT_HDF5;
    out->version = buf[8];
    if (out->version < 3)
        return SB_TOO_OLD;
    if (len < 12)
        return SB_SHORT;
    out->flags = buf[11];
    return SB_OK;
}

enum sb_status watch_sb_read(int fd, struct watch_sb *out)
{
    unsigned char buf[12];
    /* The format allows a user block of 512 bytes or a larger power of
     * two before the superblock; 2^30 is far beyond any real one. */
    for (uint64_t at = 0; at <= (1u << 30); at = at ? at * 2 : 512) {
        ssize_t got = pread(fd, buf, sizeof buf, (off_t)at);
        if (got <= 0)
            return at == 0 ? SB_SHORT : SB_NOT_HDF5;
        enum sb_status s = watch_sb_parse(buf, (size_t)got, out);
        if (s != SB_NOT_HDF5) {
            out->offset = at;
            return s;
        }
    }
    return SB_NOT_HDF5;
}

bool watch_sb_swmr_writing(unsigned flags)
{
    return (flags & SB_FLAG_SWMR_WRITE) != 0;
}
