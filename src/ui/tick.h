/* tick: when the screen must be redrawn without any input, because a
 * relative time on it ("in 6d 23h", "3s ago", "ttl 59m 2s") will read
 * differently. While drawing, every relative text notes itself here; the
 * main loop then sleeps in poll() until the soonest change, or forever when
 * nothing on screen counts (an idle console uses no CPU). The console draws
 * only when something changed or the tick is due. Pure arithmetic. */
#ifndef ACMETOP_UI_TICK_H
#define ACMETOP_UI_TICK_H

#include <stdbool.h>
#include <time.h>

struct tick {
    time_t next; /* 0 = nothing on screen changes by itself */
};

void tick_reset(struct tick *t);

/* A reltime_format(when, now) text is on screen (when == 0: "-", static). */
void tick_note_reltime(struct tick *t, time_t when, time_t now);

/* Something on screen changes at `at` (absolute time). */
void tick_note_at(struct tick *t, time_t at);

/* Has the soonest change come (a redraw is due)? */
bool tick_due(const struct tick *t, time_t now);

/* Milliseconds from now_ts (CLOCK_REALTIME) until the soonest change, at
 * least 0; -1 when nothing changes. The wake-up lands just after the second
 * boundary, so a countdown ticks in step with the clock. */
int tick_timeout_ms(const struct tick *t, const struct timespec *now_ts);

#endif
