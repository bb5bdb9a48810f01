#include "cpu_wait.h"

#include <fcntl.h>    /* open */
#include <stdlib.h>   /* strtoull */
#include <unistd.h>   /* pread */

double cpu_wait_seconds(void)
{
    /* Opened once: a read is then one system call, at each round. */
    static int fd = -2;
    if (fd == -2)
        fd = open("/proc/self/schedstat", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    /* "<ns on the CPU> <ns waiting for it> <timeslices>\n" */
    char buf[96];
    ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
    if (n <= 0)
        return -1;
    buf[n] = '\0';
    char *end;
    strtoull(buf, &end, 10);
    char *after;
    unsigned long long waited = strtoull(end, &after, 10);
    return after == end ? -1 : (double)waited / 1e9;
}
