/* The sink interface: calls that a sink may not implement do nothing, and
 * the few things every sink does alike (flushing, noting a failed write,
 * plain rows for text and TSV) are here once. */
#include "sink.h"
#include "exit_status.h"
#include "report.h"

#include <errno.h>     /* errno, EIO */
#include <inttypes.h>  /* PRIu64 */
#include <stdlib.h>    /* malloc, free, exit */
#include <string.h>    /* strlen, strcmp */

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

void sink_shape(struct sink *s, size_t i, int rank, const uint64_t *dims)
{
    if (s->ops->shape)
        s->ops->shape(s, i, rank, dims);
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

void sink_values_begin(struct sink *s, const struct value_type *t, int rank,
                       const uint64_t *dims)
{
    if (s->ops->values_begin)
        s->ops->values_begin(s, t, rank, dims);
}

void sink_values_rows(struct sink *s, uint64_t first, size_t n,
                      const void *data)
{
    if (s->ops->values_rows)
        s->ops->values_rows(s, first, n, data);
}

void sink_values_end(struct sink *s)
{
    if (s->ops->values_end)
        s->ops->values_end(s);
}

void sink_values_error(struct sink *s, uint64_t first, uint64_t last,
                       const char *reason)
{
    if (s->ops->values_error)
        s->ops->values_error(s, first, last, reason);
}

void sink_line_end(struct sink *s)
{
    if (s->ops->line_end)
        s->ops->line_end(s);
    sink_flush(s);
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

void sink_plain_rows_begin(struct sink_plain_rows *p,
                           const struct value_type *t, int rank,
                           const uint64_t *dims)
{
    p->type = t;
    p->rowlen = 1;
    for (int i = 1; i < rank; i++)
        p->rowlen *= dims[i];
}

void sink_plain_rows(const struct sink_plain_rows *p, FILE *out,
                     const char *before, const char *after, char sep,
                     uint64_t first, size_t n, const void *data)
{
    const unsigned char *at = data;
    char num[64];
    for (size_t r = 0; r < n; r++) {
        fprintf(out, "%s%" PRIu64 "%s", before, first + r, after);
        for (size_t c = 0; c < p->rowlen; c++, at += p->type->size) {
            watch_value(p->type, at, num, sizeof num);
            fputc(sep, out);
            fputs(num, out);
        }
        fputc('\n', out);
    }
}
