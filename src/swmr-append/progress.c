#include "progress.h"
#include "human.h"

#include <inttypes.h> /* PRIu64, PRId64 */
#include <stdio.h>    /* snprintf */
#include <string.h>   /* strlen */

/* Erase from the cursor to the end of the line (ECMA-48 EL, which every
 * terminal since the VT100 knows): what a shorter line would leave behind.
 * After a carriage return, the whole line. */
static const char ERASE_LINE[] = "\x1b[K";
static const char CLEAR_LINE[] = "\r\x1b[K";

void progress_start(struct progress *p, bool terminal, const char *program,
                    double now)
{
    *p = (struct progress){
        .terminal = terminal,
        .program = program,
        .period = terminal ? PROGRESS_TERMINAL_PERIOD : PROGRESS_LOG_PERIOD,
        .next = terminal ? now : now + PROGRESS_LOG_PERIOD,
        .shown_at = now,
    };
}

bool progress_due(const struct progress *p, double now)
{
    return now >= p->next;
}

double progress_wait(const struct progress *p, double now)
{
    return now >= p->next ? 0 : p->next - now;
}

/* A time span: "0.1 s", "12 s", then "0:01:05", "27:46:40". */
static void span(double s, char *buf, size_t size)
{
    if (s < 0)
        s = 0;
    if (s < 9.95)
        snprintf(buf, size, "%.1f s", s);
    else if (s < 59.5)
        snprintf(buf, size, "%.0f s", s);
    else {
        uint64_t t = (uint64_t)(s + 0.5);
        snprintf(buf, size, "%" PRIu64 ":%02u:%02u", t / 3600,
                 (unsigned)(t / 60 % 60), (unsigned)(t % 60));
    }
}

void progress_text(const struct progress_counts *c, double rate, double now,
                   char *buf, size_t size)
{
    char rows[16], per_s[16], bytes[16], flushes[16], ago[32];
    human_count(c->rows, rows, sizeof rows);
    human_si(rate, per_s, sizeof per_s);
    human_bytes(c->bytes, bytes, sizeof bytes);
    human_count(c->flushes, flushes, sizeof flushes);
    /* At most about 62 characters whatever the numbers: with the prefix,
     * the line fits an 80-column terminal. */
    int n = snprintf(buf, size, "%s rows (%s/s), %s in, ", rows, per_s, bytes);
    if (n < 0 || (size_t)n >= size)
        return;
    if (c->flushes == 0 || c->last_flush < 0) {
        snprintf(buf + n, size - (size_t)n, "no flush yet");
        return;
    }
    span(now - c->last_flush, ago, sizeof ago);
    snprintf(buf + n, size - (size_t)n, "%s flush%s, last %s ago", flushes,
             c->flushes == 1 ? "" : "es", ago);
}

const char *progress_update(struct progress *p, const struct progress_counts *c,
                            double now, int width)
{
    double dt = now - p->shown_at;
    double rate = dt > 0 && c->rows >= p->shown_rows
                  ? (double)(c->rows - p->shown_rows) / dt : 0;
    /* The text is at most about 80 bytes (numbers of bounded width); the
     * frame has room for it, the prefix and the escapes. */
    char text[128], line[192];
    progress_text(c, rate, now, text, sizeof text);
    snprintf(line, sizeof line, "%s: %s", p->program, text);
    if (p->terminal) {
        /* Cut to one column less than the width: a line that fills the
         * last column wraps on some terminals, and the next carriage
         * return would then redraw below it instead of over it. The line
         * is ASCII (the program's name and numbers): a byte is a column. */
        int cols = width >= 2 ? width - 1 : 79;
        snprintf(p->frame, sizeof p->frame, "\r%.*s%s", cols, line, ERASE_LINE);
        p->drawn = true;
    } else {
        snprintf(p->frame, sizeof p->frame, "%s\n", line);
    }
    p->shown_at = now;
    p->shown_rows = c->rows;
    p->next = now + p->period;
    return p->frame;
}

const char *progress_before_message(const struct progress *p)
{
    return p->drawn ? CLEAR_LINE : "";
}

const char *progress_after_message(const struct progress *p)
{
    return p->drawn ? p->frame : "";
}

void progress_summary(const char *file, const struct progress_counts *c,
                      double seconds, int64_t file_bytes, char *buf,
                      size_t size)
{
    char rate[16];
    human_si(seconds > 0 ? (double)c->rows / seconds : 0, rate, sizeof rate);
    int n = snprintf(buf, size, "%s: %" PRIu64 " row%s appended in %.3f s "
                     "(%s rows/s), %" PRIu64 " byte%s in, %" PRIu64 " flush%s",
                     file, c->rows, c->rows == 1 ? "" : "s", seconds, rate,
                     c->bytes, c->bytes == 1 ? "" : "s", c->flushes,
                     c->flushes == 1 ? "" : "es");
    if (file_bytes >= 0 && n >= 0 && (size_t)n < size)
        snprintf(buf + n, size - (size_t)n, ", file %" PRId64 " bytes",
                 file_bytes);
}

void progress_final(struct progress *p, const char *summary, char *buf,
                    size_t size)
{
    snprintf(buf, size, "%s%s: %s%s\n", p->drawn ? "\r" : "", p->program,
             summary, p->drawn ? ERASE_LINE : "");
    p->drawn = false;
}
