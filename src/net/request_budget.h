/* request_budget: how many requests the console may still send to Vault,
 * as a token bucket. It fills at `rate` requests per second up to `cap`;
 * every request sent is charged, whatever caused it, so work caused by a
 * change (a new order, the operator's command) puts it into debt, down to
 * `floor` (older debt is forgiven, so a burst of change delays the idle work
 * for a bounded time). Idle work waits for whole requests in the bucket
 * (request_budget_spare), so an idle console's rate converges to `rate`.
 * Pure arithmetic on the times it is given (monotonic milliseconds). */
#ifndef ACMETOP_NET_REQUEST_BUDGET_H
#define ACMETOP_NET_REQUEST_BUDGET_H

#include <stddef.h>

struct request_budget {
    double rate;       /* requests per second */
    double cap;        /* most requests saved up (>= 1) */
    double floor;      /* deepest debt (<= 0) */
    double tokens;     /* requests in hand; negative = debt */
    long long at_ms;   /* time of the last refill */
};

/* Full bucket at now_ms; the debt may reach debt_s seconds of refill. */
void request_budget_init(struct request_budget *b, double rate, double cap, double debt_s,
                         long long now_ms);

/* Add what the time since the last refill brings, up to the cap. */
void request_budget_refill(struct request_budget *b, long long now_ms);

/* Pay for n requests sent (down to the floor). */
void request_budget_charge(struct request_budget *b, double n);

/* Whole requests idle work may send now (0 while in debt). */
size_t request_budget_spare(const struct request_budget *b);

#endif
