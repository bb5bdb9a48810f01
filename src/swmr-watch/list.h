/* swmr-watch --list: the datasets of a file that can grow, one absolute
 * path a line, for people and for shell completion (which asks for them
 * as a user types DATASET). Knows nothing of argv. */
#ifndef SWMR_WATCH_LIST_H
#define SWMR_WATCH_LIST_H

/* Print the datasets of the HDF5 file PATH that swmr-watch PATH would
 * watch, in the order HDF5 visits them (by name, group by group), each
 * escaped as the text format escapes names. Returns the exit status:
 * 0, or 65/66 as a watch that cannot open PATH would give up, 74 when the
 * list cannot be written. */
int list_run(const char *path);

#endif
