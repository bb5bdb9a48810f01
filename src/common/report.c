#include "report.h"

#include <stdarg.h> /* va_list */
#include <stdio.h>  /* vfprintf */

struct report_settings report = { "swmr-tools", VERB_NORMAL, false, NULL };

void report_init(const char *program)
{
    report.program = program;
}

static void emit(const char *fmt, va_list ap)
{
    /* One fprintf per piece, but stderr is unbuffered: build the line first
     * so concurrent writers to the same terminal do not interleave it. */
    char line[4096];
    int n = snprintf(line, sizeof line, "%s: ", report.program);
    if (n < 0 || (size_t)n >= sizeof line)
        n = 0;
    vsnprintf(line + n, sizeof line - (size_t)n, fmt, ap);
    if (report.around_message)
        report.around_message(true);
    fprintf(stderr, "%s\n", line);
    if (report.around_message)
        report.around_message(false);
}

void report_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    emit(fmt, ap);
    va_end(ap);
}

void report_notice(const char *fmt, ...)
{
    if (report.level < VERB_NORMAL)
        return;
    va_list ap;
    va_start(ap, fmt);
    emit(fmt, ap);
    va_end(ap);
}

void report_verbose(const char *fmt, ...)
{
    if (report.level < VERB_VERBOSE)
        return;
    va_list ap;
    va_start(ap, fmt);
    emit(fmt, ap);
    va_end(ap);
}

void report_debug(const char *fmt, ...)
{
    if (!report.debug)
        return;
    va_list ap;
    va_start(ap, fmt);
    emit(fmt, ap);
    va_end(ap);
}

const char *report_level_option(int key)
{
    enum verbosity level = key == 'q' ? VERB_QUIET : VERB_VERBOSE;
    if (report.level != VERB_NORMAL && report.level != level)
        return "-q and -v may not be combined (-q prints errors only, -v "
               "more than the usual notices): give one";
    report.level = level;
    return NULL;
}
