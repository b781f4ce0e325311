/* discovery: one polling cycle against Vault — which orders exist, which of
 * them changed, their details and certificate expiry — at the lowest cost to
 * Vault. Each cycle:
 *   1. LIST lookup/orders/recent?within=168h: status and last_update of the
 *      newest orders in one call; only new or changed ones are fetched;
 *   2. every `full_list_every` cycles (and the first), LIST lookup/orders:
 *      every order ID, so orders outside the recent window are known, and
 *      vanished ones are dropped;
 *   3. GET lookup/order/:id for the orders poll_schedule says are due;
 *   4. GET lookup/cert/:serial once per completed order, for its expiry.
 * When the token may not read the lookup paths, it falls back to LIST role ->
 * role/:r/active-orders -> role/:r/order/:id/status, and when it may not
 * list roles either, to the roles the operator named (--role). A narrowed
 * discovery tries the lookup paths again every 5 minutes and on a refresh
 * (discovery_poke_all), so a widened policy is used without a restart.
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
 * console's "updated N s ago" heartbeat). */
int discovery_cycle(struct discovery *d, time_t now, struct vault_error *err);

/* The order on the operator's screen (polled every cycle); NULL = none. */
void discovery_set_focus(struct discovery *d, const char *order_id);
/* The role of a known order, or NULL. */
const char *discovery_order_role(struct discovery *d, const char *order_id);
/* Fetch this order at the next cycle (after an action on it). */
void discovery_poke(struct discovery *d, const char *order_id);
/* Fetch every unfinished order at the next cycle; a narrowed discovery also
 * tries the lookup paths again (the operator's `r`). */
void discovery_poke_all(struct discovery *d);

/* Called between batches of detail fetches, so that a long cycle (the first
 * discovery of 20,000 orders) does not hold up the operator's commands. The
 * function must not run a cycle itself. NULL = none. */
typedef void (*discovery_yield_fn)(void *ctx);
void discovery_set_yield(struct discovery *d, discovery_yield_fn fn, void *ctx);

/* Report that the listing failed (from the worker's backoff), as a
 * UPD_CONNECTION "disconnected ... retrying in N s". */
void discovery_report_failure(struct discovery *d, const struct vault_error *err, int retry_in);

#endif
