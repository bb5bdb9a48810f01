/* How often to refresh when the writer flushes faster than we can follow.
 *
 * A refresh costs a watcher a tenth of a millisecond of CPU or more,
 * whatever it finds (H5Drefresh reads the dataset's metadata again), and a
 * swmr-append flood flushes every 0.2 to 0.4 ms: sixteen watchers
 * refreshing at every flush would need more cores than the machine has,
 * the writer's among them.
 *
 * So a watcher is behind when
 *  - its round was overtaken: the writer wrote while it ran;
 *  - the writer writes again less than PACE_QUIET after the round ended
 *    (in a flood the next flush is always that close; at 100 flushes a
 *    second, seldom);
 *  - or sooner than PACE_SPARE times the round's own length (the watcher
 *    would spend over a fifth of its time refreshing);
 *  - or the round was crowded (the watcher waited long for the CPU: the
 *    caller tells) and the writer writes again within PACE_FIRST: many
 *    watchers on few cores slow the writer down until its flushes no
 *    longer look like a flood, and each must give way. A watcher merely
 *    on a busy machine, following 100 flushes a second, is not held back.
 * Behind, it lets the next round start only PACE_FIRST after the last one
 * started, twice that if it is still behind then, and so on up to
 * PACE_MOST. A write that comes later halves the gap; a pause longer than
 * twice the gap, or a hold in which the writer wrote nothing (a writer in
 * step with our lines), ends it.
 *
 * Nothing is skipped: the round after a gap reads everything written
 * meanwhile, and its line carries the whole change since the line before.
 * The gap is cut short by a random part of its second half, so that a
 * writer flushing on a clock (every 10 ms, say) cannot fall into step with
 * the rounds, each flush coming just after a round ends and looking like a
 * flood. At the writer's usual pace (a flush every 0.1 s, or even 100 a
 * second) a watcher never waits, so it adds no lag there.
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
    bool crowded;     /* the last round waited long for the CPU */
    bool judged;      /* the round was found behind as it ended: the next
                         write has been taken into account */
    bool any;         /* a round has been noted */
};

/* The writer wrote at NOW, the first write seen since the last round. */
void pace_write(struct pace *p, double now);

/* Seconds to wait from NOW before the next round may start (0: now). */
double pace_hold(const struct pace *p, double now);

/* The hold pace_hold asked for is over; WRITTEN: the writer wrote during
 * it. */
void pace_held(struct pace *p, bool written);

/* A round ran from STARTED to ENDED. OVERTAKEN: the writer wrote while it
 * ran; CROWDED: it waited long for the CPU. RANDOM, in [0, 1], picks how
 * much of the gap the next hold waits for. */
void pace_round(struct pace *p, double started, double ended,
                bool overtaken, bool crowded, double random);

#endif
