/* place: one (namespace, mount) the engine watches, with what watching it
 * takes: the context's settings with this namespace and mount and this
 * place's share of the idle budget, its own Vault client and discovery
 * cycle, and its cache of orders across runs. Every order and every list of
 * orders its discovery posts is stamped with the place's index
 * (order.place), so that the console shows where an order lives and acts on
 * it there. Used by the worker and by `--once`, one thread at a time. */
#ifndef ACMETOP_NET_PLACE_H
#define ACMETOP_NET_PLACE_H

#include <stdatomic.h>
#include <stdbool.h>

#include "model/context_info.h"
#include "net/discovery.h"
#include "net/order_cache.h"
#include "net/vault_client.h"
#include "net/vault_config.h"

struct place {
    unsigned index;
    struct vault_config cfg;   /* a shallow copy of the context's; namespace_ and
                                  mount are the place's own (owned here) */
    struct vault_client *client;
    struct discovery *discovery;
    struct order_cache *cache; /* NULL: cfg.cache is off */
    discovery_post_fn post;    /* called with the place as ctx */
    void *owner;               /* the post function's own data */
    long long cache_saved_ms, next_cycle_ms, soon_ms; /* monotonic */
    int failures;
    bool denied;               /* its orders may not be listed: not watched */
    bool cycled;               /* its first cycle ran */
    size_t awaiting;           /* orders awaiting the operator here */
};

/* A place of the context base at where, index of count places sharing the
 * budget; post gets every message of its discovery (ctx = the place).
 * NULL with err set when its client cannot be built. */
struct place *place_open(const struct vault_config *base, const struct context_place *where,
                         unsigned index, unsigned count, discovery_post_fn post, void *owner,
                         const atomic_bool *cancel, struct vault_error *err);
void place_close(struct place *p);

/* The orders of the last run, seeded before the first request; returns the
 * cache's warning (NULL: none). */
const char *place_cache_start(struct place *p, long long now_ms);

/* Write what changed (every 30 s, or now when last); returns a warning to
 * show once, or NULL. current: every change was watched up to now. */
const char *place_cache_save(struct place *p, bool last, bool current, long long now_ms);

/* Set this place's share of the budget (requests/s). */
void place_set_share(struct place *p, double rate);

#endif
