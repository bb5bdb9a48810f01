/* HDF5's error stack, turned into one line for the user.
 * HDF5 prints a multi-line trace on every failed call by default. We
 * replace that printer with one that keeps a copy of the stack, at the
 * moment of the failure: later calls (closing property lists, say) would
 * clear the live stack before the caller got to read it. */
#ifndef SWMR_H5ERR_H
#define SWMR_H5ERR_H

#include <stdbool.h>
#include <stddef.h>

/* Stop HDF5 printing its error stack; keep the last one instead. */
void h5err_silence(void);

/* About to report the last failure to the user: with --debug, print the
 * raw stack kept from it to stderr. */
void h5err_debug_print(void);

/* The cause of the last failure, shortened for people: its innermost
 * message ("File too large" rather than a line of write() parameters),
 * passing over those of HDF5's plugin loader ("required filter 'lzf' is
 * not registered", not "can't open directory: .../plugins"). Empty when
 * HDF5 said nothing. */
const char *h5err_detail(void);

/* Does any message of the last failure contain NEEDLE? Used to tell apart
 * failures HDF5 reports only in prose (a lock held, flags set, bad
 * signature). */
bool h5err_mentions(const char *needle);

/* Forget the last failure (before a call whose failure is expected). */
void h5err_clear(void);

#endif
