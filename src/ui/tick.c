/* tick: the next moment the screen reads differently (see tick.h). */
#include "ui/tick.h"

void tick_reset(struct tick *t)
{
    t->next = 0;
}

void tick_note_at(struct tick *t, time_t at)
{
    if (at > 0 && (t->next == 0 || at < t->next))
        t->next = at;
}

/* reltime shows two units, so its text changes at the granularity of the
 * second unit: seconds under an hour, minutes under a day, hours under a
 * year, days beyond. */
static long long granularity(long long span)
{
    if (span < 3600)
        return 1;
    if (span < 86400)
        return 60;
    if (span < 365LL * 86400)
        return 3600;
    return 86400;
}

void tick_note_reltime(struct tick *t, time_t when, time_t now)
{
    if (when == 0)
        return;
    long long d = (long long)when - (long long)now;
    long long wait;
    if (d > 0) {
        /* counting down: changes when d drops below the next multiple */
        long long g = granularity(d);
        wait = d % g + 1;
        if (wait > d)
            wait = d; /* reaching "now" */
    } else {
        long long a = -d, g = granularity(a + 1);
        wait = g - a % g;
    }
    if (wait < 1)
        wait = 1;
    tick_note_at(t, now + (time_t)wait);
}

bool tick_due(const struct tick *t, time_t now)
{
    return t->next != 0 && now >= t->next;
}

int tick_timeout_ms(const struct tick *t, const struct timespec *now_ts)
{
    if (t->next == 0)
        return -1;
    long long ms = ((long long)t->next - (long long)now_ts->tv_sec) * 1000 -
                   now_ts->tv_nsec / 1000000 + 5;
    if (ms < 0)
        ms = 0;
    if (ms > 24LL * 3600 * 1000)
        ms = 24LL * 3600 * 1000;
    return (int)ms;
}
