/* The sink interface: calls that a sink may not implement do nothing, and
 * the few things every sink does alike (flushing, noting a failed write,
 * plain rows for text and TSV) are here once. */
#include "sink.h"
#include "exit_status.h"
#include "report.h"

#include <errno.h>     /* errno, EIO */
#include <inttypes.h>  /* PRIu64 */
#include <stdlib.h>    /* malloc, free, exit */
#include <stdio.h>     /* fwrite_unlocked */
#include <string.h>    /* strlen, strcmp, memcpy */

struct sink *sink_new(enum watch_format format, bool live, FILE *out,
                      const char *file, bool color)
{
    switch (format) {
    case FORMAT_TSV:  return sink_tsv_new(out);
    case FORMAT_JSON: return sink_json_new(out);
    case FORMAT_TEXT: break;
    }
    return live ? sink_live_new(out, file, color) : sink_text_new(out);
}

bool sink_wants_live(const struct watch_options *o, bool terminal,
                     const char *term)
{
    return o->format == FORMAT_TEXT && !o->values && !o->once && terminal &&
           !(term && strcmp(term, "dumb") == 0);
}

void sink_free(struct sink *s)
{
    if (!s)
        return;
    fflush(s->out);
    if (s->ops->destroy)
        s->ops->destroy(s);
    else
        free(s);
}

void sink_flush(struct sink *s)
{
    if ((fflush(s->out) == EOF || ferror(s->out)) && !s->out_errno)
        s->out_errno = errno ? errno : EIO;
}

void sink_datasets(struct sink *s, const char *const *names, size_t n)
{
    if (s->ops->datasets)
        s->ops->datasets(s, names, n);
}

void sink_shape(struct sink *s, size_t i, int rank, const uint64_t *dims,
                uint64_t rows)
{
    if (s->ops->shape)
        s->ops->shape(s, i, rank, dims, rows);
}

void sink_state(struct sink *s, const char *header)
{
    if (s->ops->state)
        s->ops->state(s, header);
}

void sink_line_begin(struct sink *s, size_t i, const struct watch_line *l,
                     double now)
{
    errno = 0;   /* sink_flush reports what the writes set */
    if (s->ops->line_begin)
        s->ops->line_begin(s, i, l, now);
}

void sink_values_none(struct sink *s, bool unshowable)
{
    if (s->ops->values_none)
        s->ops->values_none(s, unshowable);
}

void sink_values_begin(struct sink *s, const struct sink_values *v)
{
    if (s->ops->values_begin)
        s->ops->values_begin(s, v);
}

void sink_values_cells(struct sink *s, const void *data, size_t n)
{
    if (s->ops->values_cells)
        s->ops->values_cells(s, data, n);
}

void sink_values_end(struct sink *s)
{
    if (s->ops->values_end)
        s->ops->values_end(s);
}

void sink_values_error(struct sink *s, const char *what, const char *reason)
{
    if (s->ops->values_error)
        s->ops->values_error(s, what, reason);
}

void sink_line_end(struct sink *s)
{
    if (s->ops->line_end)
        s->ops->line_end(s);
}

void sink_msg_begin(struct sink *s, bool final)
{
    /* Our lines first, then the message: in a shared terminal or a
     * 2>&1 pipe they come in the order they happened. */
    fflush(s->out);
    if (s->ops->msg_begin)
        s->ops->msg_begin(s, final);
}

void sink_msg_end(struct sink *s, bool final)
{
    if (s->ops->msg_end)
        s->ops->msg_end(s, final);
}

double sink_next_tick(struct sink *s, double now)
{
    return s->ops->next_tick ? s->ops->next_tick(s, now) : -1;
}

void sink_tick(struct sink *s, double now, bool resized)
{
    if (s->ops->tick)
        s->ops->tick(s, now, resized);
}

void sink_finish(struct sink *s)
{
    if (s->ops->finish)
        s->ops->finish(s);
    sink_flush(s);
}

char *sink_escaped_name(const char *name)
{
    size_t size = 4 * strlen(name) + 1;   /* \xNN at most for each byte */
    char *shown = malloc(size);
    if (!shown) {
        /* A name of a few kilobytes: nothing sensible is left to do. */
        report_error("out of memory");
        exit(STATUS_OSERR);
    }
    watch_escape_name(name, shown, size);
    return shown;
}

/* The row and run lengths of the block the cursor is in. */
static void cursor_block(struct sink_cursor *c)
{
    if (c->block >= c->v.nblocks)
        return;
    const struct growth_block *b = &c->v.blocks[c->block];
    int rank = c->v.rank;
    c->row = rank > 1 ? growth_product(rank - 1, &b->count[1]) : 1;
    /* A compound's cells one a line, each under the fields line's names
     * (a run of several would hold the names several times over). */
    c->run = cell_has_names(c->v.cell) ? 1 : growth_run(rank, b, c->v.dims);
    c->cells = growth_product(rank, b->count);
    if (c->row == 0)
        c->row = 1;
    if (c->run == 0)
        c->run = 1;
}

void sink_cursor_begin(struct sink_cursor *c, const struct sink_values *v)
{
    *c = (struct sink_cursor){ .v = *v, .row = 1, .run = 1 };
    cursor_block(c);
}

unsigned sink_cursor_starts(const struct sink_cursor *c)
{
    return (c->at % c->row == 0 ? CURSOR_ROW : 0) |
           (c->at % c->run == 0 ? CURSOR_RUN : 0);
}

unsigned sink_cursor_next(struct sink_cursor *c)
{
    if (c->block >= c->v.nblocks)
        return 0;
    c->at++;
    unsigned ended = sink_cursor_starts(c);
    if (c->at == c->cells) {
        c->block++;
        c->at = 0;
        cursor_block(c);
    }
    return ended;
}

unsigned sink_cursor_open(const struct sink_cursor *c)
{
    if (c->block >= c->v.nblocks || c->at == 0)
        return 0;
    return (c->at % c->row ? CURSOR_ROW : 0) | (c->at % c->run ? CURSOR_RUN : 0);
}

void sink_cursor_index(const struct sink_cursor *c, char *buf, size_t size)
{
    uint64_t index[WATCH_MAX_RANK] = { 0 };
    int rank = c->v.rank;
    if (c->block < c->v.nblocks)
        growth_index(rank, &c->v.blocks[c->block], c->at, index);
    int shown = rank;
    while (shown > 1 && index[shown - 1] == 0)
        shown--;
    size_t used = 0;
    buf[0] = '\0';
    for (int k = 0; k < shown && used < size; k++)
        used += (size_t)snprintf(buf + used, size - used, "%s%" PRIu64,
                                 k ? "," : "", index[k]);
}

/* V in decimal at P; the end of the digits. */
static char *put_decimal(char *p, uint64_t v)
{
    char digits[20];
    int n = 0;
    do
        digits[n++] = (char)('0' + v % 10);
    while ((v /= 10) != 0);
    while (n > 0)
        *p++ = digits[--n];
    return p;
}

void sink_plain_cells(struct sink_cursor *c, FILE *out, const char *before,
                      const char *after, char sep, bool quote,
                      const void *data, size_t n)
{
    const unsigned char *at = data;
    const struct cell *cell = c->v.cell;
    char num[64], index[WATCH_MAX_RANK * 21 + 1];
    /* The common case, numbers in whole rows of a 1-D dataset: a line a
     * value, its index counted, not worked out from the block. */
    if (c->v.rank == 1 && c->run == 1 && c->block < c->v.nblocks &&
        cell->kind == CELL_NUMBER) {
        uint64_t next = c->v.blocks[c->block].start[0] + c->at;
        /* Each line put together by hand and written at once: printf's
         * parsing of its format was half the time of a flood's values. */
        size_t nbefore = strlen(before), nafter = strlen(after);
        char line[256];
        bool fits = nbefore + nafter + 20 + 1 + sizeof num + 1 < sizeof line;
        for (size_t i = 0; i < n; i++, at += cell->size) {
            watch_value(cell->num, at, num, sizeof num);
            if (fits) {
                char *p = line;
                memcpy(p, before, nbefore);
                p = put_decimal(p + nbefore, next++);
                memcpy(p, after, nafter);
                p += nafter;
                *p++ = sep;
                size_t len = strlen(num);
                memcpy(p, num, len);
                p[len] = '\n';
                fwrite_unlocked(line, 1, (size_t)(p + len + 1 - line), out);
            } else {
                fprintf(out, "%s%" PRIu64 "%s%c%s\n", before, next++, after,
                        sep, num);
            }
            if (++c->at == c->cells) {
                c->block++;
                c->at = 0;
                cursor_block(c);
                if (c->block < c->v.nblocks)
                    next = c->v.blocks[c->block].start[0];
            }
        }
        return;
    }
    for (size_t i = 0; i < n; i++, at += cell->size) {
        if (sink_cursor_starts(c) & CURSOR_RUN) {
            sink_cursor_index(c, index, sizeof index);
            fprintf(out, "%s%s%s", before, index, after);
        }
        cell_plain(out, cell, at, sep, quote);
        if (sink_cursor_next(c) & CURSOR_RUN)
            fputc('\n', out);
    }
}

void sink_plain_end(struct sink_cursor *c, FILE *out)
{
    if (sink_cursor_open(c) & CURSOR_RUN)
        fputc('\n', out);
}
