/* discovery: the polling cycle against Vault — which orders exist, which of
 * them changed, their details and certificate expiry — within a budget of
 * requests per second (cfg->idle_budget) that does not grow with the number
 * of orders or with Vault's worker falling behind. Each cycle:
 *   1. LIST lookup/orders/recent?within=168h, the change detector: status
 *      and last_update of the newest 500 orders in one call. An order listed
 *      unchanged is verified by that and not read (poll_schedule.h);
 *   2. LIST lookup/orders (every ID: finds orders outside the recent window,
 *      drops vanished ones) at the start, on a refresh, when the recent list
 *      is full of orders all newer than the last one showed (new ones may
 *      hide beyond it), and every 15 minutes;
 *   3. GET lookup/order/:id for the reads a change owes: new orders, changed
 *      ones, the ones an operator's action touched;
 *   4. GET lookup/cert/:serial once per completed order, for its expiry;
 *   5. re-validation: GET lookup/order/:id of the orders the recent list
 *      cannot vouch for, round-robin by priority, with what is left of the
 *      budget;
 *   6. the DNS providers (LIST config/dns + GET each: UPD_DNS_PROVIDERS) at
 *      the start, on a refresh and every 5 minutes within the budget; a
 *      token that may not read them gets "unknown", not an error.
 * The budget is a token bucket (request_budget.h) that pays for every
 * request the client sends, the operator's included: the change-driven
 * reads are never refused but put it into debt, and the idle work (the
 * 15-minute listing, lookup-self and the DNS providers every 5 minutes,
 * re-validation) waits until
 * it holds whole requests again. The listings of every cycle are paid too:
 * when `interval` is shorter than the budget allows, the cycle stretches
 * (discovery_interval_s) so that they take at most 3/4 of it.
 * When the token may not read the lookup paths, it falls back to LIST role ->
 * role/:r/active-orders -> role/:r/order/:id/status (a new ID, or one that
 * left the active list, is read at once; the rest is re-validated within
 * the budget), and when it may not list roles either, to the roles the
 * operator named (--role). A narrowed discovery tries the lookup paths again
 * every 5 minutes and on a refresh (discovery_poke_all), so a widened policy
 * is used without a restart.
 * Results leave as messages (struct msg) through a post callback, so the
 * worker thread forwards them to the UI's queue and `--once` merges them into
 * its own store. Used from one thread at a time. */
#ifndef ACMETOP_NET_DISCOVERY_H
#define ACMETOP_NET_DISCOVERY_H

#include <stdbool.h>
#include <time.h>

#include "model/msg.h"
#include "net/poll_schedule.h"
#include "net/vault_client.h"

typedef void (*discovery_post_fn)(void *ctx, struct msg *m);

enum discovery_mode {
    DISCOVERY_LOOKUP,      /* lookup/orders(/recent) + lookup/order/:id */
    DISCOVERY_ROLES,       /* LIST role + active-orders + status */
    DISCOVERY_GIVEN_ROLES, /* --role names + active-orders + status */
};

struct discovery;

/* client and cfg stay the caller's and must outlive the discovery. */
struct discovery *discovery_new(struct vault_client *client, const struct vault_config *cfg,
                                discovery_post_fn post, void *post_ctx);
void discovery_free(struct discovery *d);

/* One cycle. Returns 0 when orders could be listed (some detail fetches
 * may still have failed: those orders are reported stale), -1 when the
 * listing itself failed (err says why; err->retry_after_s carries
 * Retry-After). Posts UPD_CONNECTION after every successful cycle (the
 * console's "updated N s ago" heartbeat, with the time the least recently
 * verified order was verified). */
int discovery_cycle(struct discovery *d, time_t now, struct vault_error *err);

/* Seconds from one cycle to the next: `interval`, stretched so that the
 * listings of every cycle fit in the budget. */
double discovery_interval_s(const struct discovery *d);

/* The cache of orders kept across runs (net/order_cache.h), kept up to date
 * by the discovery: every order read in full is noted, every vanished one
 * forgotten. NULL: none. The cache stays the caller's. */
struct order_cache;
void discovery_set_cache(struct discovery *d, struct order_cache *cache);
/* The orders the cache of an earlier run held (written at `written`), taken
 * (the array and its orders): posted at once so the list shows them
 * (unverified), and not read again unless a listing shows they changed.
 * The first recent listing vouches for all of them when it reaches back to
 * `written`; otherwise the unfinished ones are read at once and the
 * completed ones re-validated within the budget. Each order vouched for is
 * posted again as verified (a summary with unverified = false). */
void discovery_seed(struct discovery *d, struct order *orders, size_t n, time_t written);

/* Read every order from the cache that no listing vouched for yet (for
 * --once, whose output must be current). */
void discovery_read_unverified(struct discovery *d, time_t now);

/* The orders known: listed, or from the cache (--once's "N of M"). */
size_t discovery_order_count(const struct discovery *d);

/* The order on the operator's screen: the first to re-validate when the
 * recent list cannot vouch for it; NULL = none. */
void discovery_set_focus(struct discovery *d, const char *order_id);
/* Read this one order now (GET lookup/order/:id, or its role's status path
 * in the fallback modes) and post its detail; nothing else is sent. Not
 * when it was read (or tried) in the last 5 s (false: nothing sent). */
bool discovery_fetch_one(struct discovery *d, const char *order_id, time_t now);
/* The role of a known order, or NULL. */
const char *discovery_order_role(struct discovery *d, const char *order_id);
/* Read this order at the next cycle (after an action on it). */
void discovery_poke(struct discovery *d, const char *order_id);
/* Read every unfinished order and list every ID at the next cycle; a
 * narrowed discovery also tries the lookup paths again (the operator's `r`). */
void discovery_poke_all(struct discovery *d);

/* Called between batches of detail fetches, so that a long cycle (the first
 * discovery of 20,000 orders) does not hold up the operator's commands. The
 * function must not run a cycle itself. NULL = none. */
typedef void (*discovery_yield_fn)(void *ctx);
void discovery_set_yield(struct discovery *d, discovery_yield_fn fn, void *ctx);

/* Report that the listing failed (from the worker's backoff), as a
 * UPD_CONNECTION disconnected with the error's sentence and retry_in (the
 * header counts it down). */
void discovery_report_failure(struct discovery *d, const struct vault_error *err, int retry_in);

#endif
