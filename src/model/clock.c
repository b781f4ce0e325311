/* clock: the system clock and the fake one (see clock.h). */
#include "model/clock.h"

static long long system_mono_ms(const struct clock *c)
{
    (void)c;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static time_t system_wall(const struct clock *c)
{
    (void)c;
    return time(NULL);
}

static const struct clock system_clock = {.mono_ms = system_mono_ms, .wall = system_wall};

const struct clock *clock_system(void)
{
    return &system_clock;
}

static long long fake_mono_ms(const struct clock *c)
{
    return c->fake_mono_ms;
}

static time_t fake_wall(const struct clock *c)
{
    return c->fake_wall;
}

void clock_fake_init(struct clock *c, time_t wall, long long mono_ms)
{
    c->mono_ms = fake_mono_ms;
    c->wall = fake_wall;
    c->fake_mono_ms = mono_ms;
    c->fake_wall = wall;
}

/* The second ms falls in, rounded down below zero too (C's / rounds toward
 * zero, which would skip the tick between -1 ms and 0). */
static long long second_of(long long ms)
{
    return ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
}

void clock_fake_advance(struct clock *c, long long ms)
{
    long long before = c->fake_mono_ms;
    c->fake_mono_ms += ms;
    c->fake_wall += (time_t)(second_of(c->fake_mono_ms) - second_of(before));
}

long long clock_mono_ms(const struct clock *c)
{
    if (!c)
        c = &system_clock;
    return c->mono_ms(c);
}

time_t clock_wall(const struct clock *c)
{
    if (!c)
        c = &system_clock;
    return c->wall(c);
}
