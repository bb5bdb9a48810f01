#include "pace.h"

static void fall_behind(struct pace *p)
{
    p->gap = p->gap < PACE_FIRST ? PACE_FIRST
           : p->gap * 2 > PACE_MOST ? PACE_MOST : p->gap * 2;
}

void pace_write(struct pace *p, double now)
{
    if (!p->any || p->judged) {
        p->judged = false;
        return;
    }
    double quiet = now - p->ended;   /* how long the writer let us be */
    if (quiet < PACE_QUIET || quiet < PACE_SPARE * (p->ended - p->started) ||
        (p->crowded && quiet < PACE_FIRST))
        fall_behind(p);
    else if (quiet > 2 * p->gap || p->gap / 2 < PACE_FIRST)
        p->gap = 0;
    else
        p->gap /= 2;
}

double pace_hold(const struct pace *p, double now)
{
    if (!p->any || p->gap <= 0)
        return 0;
    double left = p->started + p->gap * p->cut - now;
    return left > 0 ? left : 0;
}

void pace_held(struct pace *p, bool written)
{
    if (!written)
        p->gap = 0;
}

void pace_round(struct pace *p, double started, double ended,
                bool overtaken, bool crowded, double random)
{
    p->cut = 0.5 + 0.5 * random;
    p->started = started;
    p->ended = ended;
    p->crowded = crowded;
    p->any = true;
    p->judged = overtaken;
    if (overtaken)
        fall_behind(p);
}
