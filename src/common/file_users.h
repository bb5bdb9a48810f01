/* Who else has a file open for writing, on this machine.
 *
 * A live SWMR writer drops its file lock once SWMR writing starts, and its
 * superblock flags look exactly like those a killed writer leaves. Before
 * swmr-append "recovers" a file marked open, it asks the kernel whether
 * some process is in fact still writing it: recovering a live file would
 * corrupt it. */
#ifndef SWMR_FILE_USERS_H
#define SWMR_FILE_USERS_H

#include <sys/types.h> /* pid_t */

/* The pid of another process that has PATH open for writing; 0 if there
 * is none; -1 if we cannot tell (a process running as the file's owner
 * hides its descriptors from us, or /proc is missing). */
pid_t file_writer_pid(const char *path);

#endif
