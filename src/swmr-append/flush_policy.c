#include "flush_policy.h"

double flush_interval_for(double given, bool compressed)
{
    if (given >= 0)
        return given;
    return (compressed ? FLUSH_DEFAULT_COMPRESSED_MS : FLUSH_DEFAULT_MS) / 1000.0;
}

uint64_t flush_capacity(const struct flush_policy *p)
{
    return p->chunk_aligned ? p->chunk_rows : p->rows;
}

uint64_t flush_rows_due(const struct flush_policy *p, const struct flush_state *s)
{
    if (!p->chunk_aligned)
        return p->rows;
    /* An appended-to dataset may end mid-chunk: fill that chunk first. */
    return p->chunk_rows - s->written % p->chunk_rows;
}

bool flush_due(const struct flush_policy *p, const struct flush_state *s, double now)
{
    if (s->pending == 0)
        return false;
    if (s->pending >= flush_rows_due(p, s))
        return true;
    return !p->chunk_aligned && now - s->oldest >= p->interval;
}

double flush_wait(const struct flush_policy *p, const struct flush_state *s, double now)
{
    if (s->pending == 0 || p->chunk_aligned)
        return -1;
    double left = s->oldest + p->interval - now;
    return left > 0 ? left : 0;
}
