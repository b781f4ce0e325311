/* clock: the one source of time. Two readings: monotonic milliseconds (for
 * deadlines, debouncing, timeouts: immune to the wall clock being set) and
 * the wall clock in seconds (for what is shown and compared with Vault's
 * RFC 3339 times). Code that needs the time takes a `const struct clock *`
 * instead of calling time() or clock_gettime() itself, so a test can hand
 * it a fake clock and move time forward by hand. */
#ifndef ACMETOP_MODEL_CLOCK_H
#define ACMETOP_MODEL_CLOCK_H

#include <time.h>

struct clock {
    long long (*mono_ms)(const struct clock *c);
    time_t (*wall)(const struct clock *c);
    long long fake_mono_ms; /* the fake clock's readings (clock_fake) */
    time_t fake_wall;
};

/* The machine's clocks (CLOCK_MONOTONIC, time()). A shared constant. */
const struct clock *clock_system(void);

/* A clock that reads what it is set to, for tests. */
void clock_fake_init(struct clock *c, time_t wall, long long mono_ms);
/* Moves both readings forward by ms (wall by whole seconds passed). */
void clock_fake_advance(struct clock *c, long long ms);

/* Readings; a NULL clock is the system clock. */
long long clock_mono_ms(const struct clock *c);
time_t clock_wall(const struct clock *c);

#endif
