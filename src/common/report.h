/* Messages for the user: one line each on stderr, prefixed with the program
 * name. -q silences notices, -v enables the verbose ones, --debug keeps
 * HDF5's own error stack. Data never goes through here. */
#ifndef SWMR_REPORT_H
#define SWMR_REPORT_H

#include <stdbool.h>

enum verbosity { VERB_QUIET = 0, VERB_NORMAL = 1, VERB_VERBOSE = 2 };

struct report_settings {
    const char *program;     /* prefix of every message */
    enum verbosity level;
    bool debug;              /* keep HDF5's raw error stack */
    /* Called just before a message (BEFORE true) and just after it, while
     * a status line is kept on the terminal (swmr-append --progress): it
     * is erased, so that the message gets a line of its own, then drawn
     * again below. NULL: no status line. */
    void (*around_message)(bool before);
};

extern struct report_settings report;

void report_init(const char *program);

/* The option -q or -v (KEY) was given: set the level, or, when the other
 * one was given before, return why not (a usage error's text). */
const char *report_level_option(int key);

/* Always printed: something went wrong. */
void report_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Printed unless -q: something the user should know, not an error. */
void report_notice(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Printed only with -v. */
void report_verbose(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Only with --debug. */
void report_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
