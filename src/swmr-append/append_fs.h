/* swmr-append's word on the file system FILE is on: once, before any data,
 * a warning where the write ordering SWMR readers rely on is not promised
 * (fs_kind.h says where). */
#ifndef SWMR_APPEND_FS_H
#define SWMR_APPEND_FS_H

#include <stdbool.h>
#include <stddef.h>

#include "fs_probe.h"

/* The warning for FILE on FS into TEXT (SIZE bytes); false when there is
 * nothing to say. */
bool append_fs_warning(const struct fs_found *fs, const char *file,
                       char *text, size_t size);

/* Look at FILE's file system and warn as above (a notice: -q silences
 * it). */
void append_fs_check(const char *file);

#endif
