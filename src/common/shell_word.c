#include "shell_word.h"

#include <stdio.h>    /* snprintf */
#include <string.h>   /* strspn, strlen */

const char *shell_word(const char *s, char *buf, size_t size)
{
    static const char plain[] = "abcdefghijklmnopqrstuvwxyz"
                                "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                "0123456789_./+-:=@%,";
    if (size == 0)
        return buf;
    if (*s && strspn(s, plain) == strlen(s)) {
        snprintf(buf, size, "%s", s);
        return buf;
    }
    size_t n = 0;
    buf[n++] = '\'';
    for (; *s && n + 5 < size; s++) {
        if (*s == '\'') {
            memcpy(buf + n, "'\\''", 4);
            n += 4;
        } else {
            buf[n++] = *s;
        }
    }
    buf[n++] = '\'';
    buf[n < size ? n : size - 1] = '\0';
    return buf;
}
