/* A file name as it must be typed in a shell command that a message
 * suggests ("swmr-append --append 'my run.h5' </dev/null"), so that the
 * command can be pasted as it is. Pure. */
#ifndef SWMR_SHELL_WORD_H
#define SWMR_SHELL_WORD_H

#include <stddef.h>

/* S as one shell word into BUF (SIZE bytes, cut short if need be): as it
 * is when every byte is one a shell leaves alone, else in single quotes
 * (a quote inside as '\''). BUF. */
const char *shell_word(const char *s, char *buf, size_t size);

#endif
