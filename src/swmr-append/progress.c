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

void progress_start(struct progress *p, enum progress_mode mode,
                    const char *program, double now)
{
    bool terminal = mode == PROGRESS_IN_PLACE;
    *p = (struct progress){
        .mode = mode,
        .program = program,
        .period = terminal ? PROGRESS_TERMINAL_PERIOD : PROGRESS_LOG_PERIOD,
        .next = terminal ? now : now + PROGRESS_LOG_PERIOD,
        .samples = { { .at = now, .rows = 0 } },
        .count = 1,
    };
}

bool progress_due(const struct progress *p, double now)
{
    return p->mode != PROGRESS_SUMMARY && now >= p->next;
}

double progress_wait(const struct progress *p, double now)
{
    if (p->mode == PROGRESS_SUMMARY)
        return -1;
    return now >= p->next ? 0 : p->next - now;
}

void progress_set_foreground(struct progress *p, bool foreground)
{
    p->background = !foreground;
    if (!foreground)
        p->drawn = false;
}

/* The rows a second since the oldest update still in the window (half a
 * period of slack: an update comes a little after it is due, so the one
 * from a window ago is a little older than the window), or since the last
 * update when even that is older (a long write held the loop). Then NOW's
 * rows join the samples. */
static double window_rate(struct progress *p, uint64_t rows, double now)
{
    double oldest = now - PROGRESS_RATE_WINDOW - p->period / 2;
    while (p->count > 1 && p->samples[p->first].at < oldest) {
        p->first = (p->first + 1) % PROGRESS_SAMPLES;
        p->count--;
    }
    const struct progress_sample *base = &p->samples[p->first];
    double dt = now - base->at;
    double rate = dt > 0 && rows >= base->rows
                  ? (double)(rows - base->rows) / dt : 0;
    if (p->count == PROGRESS_SAMPLES) {
        p->first = (p->first + 1) % PROGRESS_SAMPLES;
        p->count--;
    }
    p->samples[(p->first + p->count++) % PROGRESS_SAMPLES] =
        (struct progress_sample){ .at = now, .rows = rows };
    return rate;
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
    int n = snprintf(buf, size, "%s row%s (%s/s), %s in, ", rows,
                     c->rows == 1 ? "" : "s", per_s, bytes);
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
    double rate = window_rate(p, c->rows, now);
    p->next = now + p->period;
    if (p->background)
        return "";
    /* The text is at most about 80 bytes (numbers of bounded width); the
     * frame has room for it, the prefix and the escapes. */
    char text[128], line[192];
    progress_text(c, rate, now, text, sizeof text);
    snprintf(line, sizeof line, "%s: %s", p->program, text);
    if (p->mode == PROGRESS_IN_PLACE) {
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
