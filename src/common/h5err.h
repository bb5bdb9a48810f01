/* HDF5's error stack, turned into one line for the user.
 * HDF5 prints a multi-line trace on every failed call by default; we switch
 * that off and read the stack ourselves when a call fails. */
#ifndef SWMR_H5ERR_H
#define SWMR_H5ERR_H

#include <stdbool.h>
#include <stddef.h>

/* Stop HDF5 printing its error stack on its own. */
void h5err_silence(void);

/* Capture the current error stack (call right after a failed HDF5 call).
 * With --debug the raw stack is printed to stderr as well. */
void h5err_capture(void);

/* The most specific message of the captured stack, e.g.
 * "unable to lock file, errno = 11, error message = 'Resource temporarily
 * unavailable'". Empty when nothing was captured. */
const char *h5err_detail(void);

/* Does any message of the captured stack contain NEEDLE? Used to tell apart
 * failures HDF5 reports only in prose (a lock held, flags set, bad
 * signature). */
bool h5err_mentions(const char *needle);

#endif
