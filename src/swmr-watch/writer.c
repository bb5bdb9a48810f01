#include "writer.h"

#include <errno.h>  /* errno, EAGAIN */
#include <fcntl.h>  /* fcntl, F_SETLEASE */

enum writer_presence writer_presence(int fd)
{
    /* The lease is held for two system calls. A writer opening the file in
     * between waits until we drop it (the kernel notifies us with SIGIO,
     * which watch_run ignores). */
    if (fcntl(fd, F_SETLEASE, F_RDLCK) == 0) {
        fcntl(fd, F_SETLEASE, F_UNLCK);
        return WRITER_ABSENT;
    }
    return errno == EAGAIN ? WRITER_PRESENT : WRITER_UNKNOWN;
}
