/* How often to refresh when the writer flushes faster than we can follow.
 *
 * A refresh costs a watcher about 0.4 ms of CPU, whatever it finds
 * (H5Drefresh reads the dataset's metadata again), and a swmr-append flood
 * flushes every 0.4 ms or so: sixteen watchers refreshing at every flush
 * would need more cores than the machine has, the writer's among them.
 *
 * So a watcher counts itself behind when its round was overtaken (the
 * writer wrote while it ran, or it waited long for the CPU: the caller
 * tells), when the writer writes again
 * less than
 * PACE_QUIET after its last round ended (in a flood, the next flush is
 * always that close; at 100 flushes a second, seldom), or less than
 * PACE_SPARE times as long as that round took (it would spend more than
 * a fifth of the time refreshing: on a machine shared by many watchers,
 * each round takes longer while the writer, slowed down, flushes less
 * often, and every watcher must give way before any of them sees a flood
 * by the first rule). Behind, it lets the
 * next round start only PACE_FIRST after the last one started, twice that
 * if it is still behind then, and so on up to PACE_MOST; a write that
 * comes later than PACE_QUIET halves the gap, and a pause longer than
 * twice the gap ends it. Nothing is skipped: the round after a gap reads
 * everything written meanwhile, and its line carries the whole change
 * since the line before. The gap is cut short by a random part of its
 * second half: a writer flushing on a clock (every 10 ms, say) must not
 * fall into step with the rounds so that each of its flushes comes just
 * after a round ends, always looking like a flood. At the writer's usual pace (a flush every 0.1 s,
 * or even 100 a second) a watcher never waits, so it adds no lag there.
 *
 * Pure logic: times are seconds on any monotonic clock, given by the
 * caller. */
#ifndef SWMR_WATCH_PACE_H
#define SWMR_WATCH_PACE_H

#include <stdbool.h>

#define PACE_QUIET 0.001
#define PACE_SPARE 4
#define PACE_FIRST 0.005
#define PACE_MOST 0.1

struct pace {
    double gap;       /* rounds start at least this far apart (0: at once) */
    double started;   /* when the last round started */
    double ended;     /* and when it ended */
    double cut;       /* the part of the gap waited for next: 0.5 to 1 */
    bool judged;      /* the round was found behind as it ended: the next
                         write has been taken into account */
    bool any;         /* a round has been noted */
};

/* The writer wrote at NOW, the first write seen since the last round. */
void pace_write(struct pace *p, double now);

/* Seconds to wait from NOW before the next round may start (0: now). */
double pace_hold(const struct pace *p, double now);

/* A round ran from STARTED to ENDED; OVERTAKEN: it is behind already. RANDOM, in [0, 1], picks how much of the gap the next hold waits
 * for. */
void pace_round(struct pace *p, double started, double ended,
                bool overtaken, double random);

#endif
