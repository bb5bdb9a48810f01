/* The file system FILE is on, for the watcher: where inotify cannot hear
 * other hosts' writes it polls (as --poll does), and where the write
 * ordering SWMR needs is not promised it warns (fs_kind.h says where). */
#ifndef SWMR_WATCH_FS_H
#define SWMR_WATCH_FS_H

#include <stdbool.h>
#include <stddef.h>

#include "fs_probe.h"
#include "watch_options.h"

/* For FILE on FS: true when the watcher must poll. TEXT (SIZE bytes) gets
 * what to tell the user, "" for nothing. POLL_GIVEN (--poll) or ONCE
 * (--once: no waiting) leave the polling unsaid; INTERVAL is --interval. */
bool watch_fs_plan(const struct fs_found *fs, const char *file,
                   bool poll_given, bool once, double interval, char *text,
                   size_t size);

/* Look at O->file's file system (or, while it does not exist, its
 * folder's), say what watch_fs_plan says (a notice: -q silences it), and
 * return whether to poll. */
bool watch_fs_check(const struct watch_options *o);

#endif
