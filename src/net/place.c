/* place: one (namespace, mount) of a context and the machinery that watches
 * it (see place.h). */
#include "net/place.h"

#include <stdlib.h>
#include <string.h>

#include "model/xalloc.h"

#define PLACE_CACHE_SAVE_EVERY_MS 30000

/* Every message of the discovery: orders stamped with the place first. */
static void place_post(void *ctx, struct msg *m)
{
    struct place *p = ctx;
    if (m->type == UPD_ORDERS) {
        m->u.orders.place = p->index;
        for (size_t i = 0; i < m->u.orders.count; i++)
            m->u.orders.items[i].place = p->index;
    } else if (m->type == UPD_ORDER_DETAIL) {
        m->u.order_detail.order.place = p->index;
    }
    p->post(p, m);
}

struct place *place_open(const struct vault_config *base, const struct context_place *where,
                         unsigned index, unsigned count, discovery_post_fn post, void *owner,
                         const atomic_bool *cancel, struct vault_error *err)
{
    struct place *p = xcalloc(1, sizeof *p);
    p->index = index;
    p->cfg = *base;
    p->cfg.namespace_ = where->namespace_ && *where->namespace_ ? xstrdup(where->namespace_) : NULL;
    p->cfg.mount = xstrdup(where->mount);
    p->cfg.place_count = count;
    p->denied = where->denied;
    p->post = post;
    p->owner = owner;
    p->client = vault_client_new(&p->cfg, err);
    if (!p->client) {
        free(p->cfg.namespace_);
        free(p->cfg.mount);
        free(p);
        return NULL;
    }
    if (cancel)
        vault_client_set_cancel(p->client, cancel);
    p->discovery = discovery_new(p->client, &p->cfg, place_post, p);
    return p;
}

void place_close(struct place *p)
{
    if (!p)
        return;
    discovery_free(p->discovery);
    order_cache_free(p->cache);
    vault_client_free(p->client);
    free(p->cfg.namespace_);
    free(p->cfg.mount);
    free(p);
}

const char *place_cache_start(struct place *p, long long now_ms)
{
    if (!p->cfg.cache)
        return NULL;
    p->cache = order_cache_open(NULL, p->cfg.addr, p->cfg.namespace_, p->cfg.mount, NULL);
    struct order *orders;
    size_t n;
    order_cache_load(p->cache, &orders, &n);
    for (size_t i = 0; i < n; i++)
        orders[i].place = p->index;
    discovery_set_cache(p->discovery, p->cache);
    discovery_seed(p->discovery, orders, n, order_cache_current_at(p->cache));
    p->cache_saved_ms = now_ms;
    return order_cache_warning(p->cache);
}

const char *place_cache_save(struct place *p, bool last, bool current, long long now_ms)
{
    if (!p->cache || (!last && now_ms - p->cache_saved_ms < PLACE_CACHE_SAVE_EVERY_MS))
        return NULL;
    p->cache_saved_ms = now_ms;
    bool had_warning = order_cache_warning(p->cache) != NULL;
    const char *warning = NULL;
    if (order_cache_save(p->cache) != 0 && !had_warning && !last)
        warning = order_cache_warning(p->cache);
    if (last && current)
        order_cache_mark_current(p->cache);
    return warning;
}

void place_set_share(struct place *p, double rate)
{
    p->cfg.idle_budget = rate;
}
