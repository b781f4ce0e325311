/* renew_index: renewal links, superseded orders and counts by order ID
 * (see renew_index.h). */
#include "model/renew_index.h"

#include "model/cert_expiry.h"

#include <stdlib.h>
#include <string.h>

#include "model/id_index.h"
#include "model/renew_link.h"
#include "model/xalloc.h"

#define NONE ((size_t)-1)

struct entry {
    size_t renews, renewed_by; /* numbers of other IDs in ids, NONE: none */
    bool superseded;
};

struct renew_index {
    struct id_index ids;
    struct entry *entries; /* ids.n */
    struct renew_counts counts;
    time_t next_change;
    size_t superseded;      /* how many, and an order-free hash of their IDs: */
    uint64_t superseded_hash; /* a changed set changes one or the other */
};

struct renew_index *renew_index_new(void)
{
    return xcalloc(1, sizeof(struct renew_index));
}

static void clear(struct renew_index *x)
{
    free(x->entries);
    x->entries = NULL;
    id_index_free(&x->ids);
    x->counts = (struct renew_counts){0};
    x->next_change = 0;
}

void renew_index_free(struct renew_index *x)
{
    if (!x)
        return;
    clear(x);
    free(x);
}

static const struct entry *find(const struct renew_index *x, const char *id)
{
    size_t k = id ? id_index_find(&x->ids, id) : ID_INDEX_NONE;
    return k == ID_INDEX_NONE ? NULL : &x->entries[k];
}

bool renew_index_build(struct renew_index *x, const struct order *const *orders, size_t n,
                       const struct renew_at *at, double warn_s, double crit_s, time_t now)
{
    struct renew_links l;
    renew_links_compute(orders, n, &l);
    size_t before = x->superseded;
    uint64_t before_hash = x->superseded_hash;
    clear(x);
    x->superseded = 0;
    x->superseded_hash = 0;
    x->entries = xcalloc(n ? n : 1, sizeof *x->entries);
    /* number k of the index is orders[k] (a store's IDs are distinct) */
    for (size_t i = 0; i < n; i++)
        id_index_add(&x->ids, orders[i]->id ? orders[i]->id : "");
    for (size_t i = 0; i < n; i++) {
        const struct order *o = orders[i];
        struct entry *e = &x->entries[i];
        e->renews = l.renews[i];
        e->renewed_by = l.renewed_by[i];
        e->superseded = l.superseded[i];
        if (e->superseded) {
            x->superseded++;
            x->superseded_hash ^= x->ids.keys[i].hash;
        }
        if (o->status != ORDER_COMPLETED || l.superseded[i])
            continue;
        struct renew_window w = renew_window_of(o->cert_not_before, o->cert_not_after, at,
                                                crit_s, now);
        if (w.state != RENEW_UNKNOWN) {
            time_t edges[] = {w.opens, w.closes, w.not_after - (time_t)crit_s,
                              w.not_after - (time_t)warn_s, w.not_after};
            for (size_t k = 0; k < sizeof edges / sizeof edges[0]; k++)
                if (edges[k] > now && (!x->next_change || edges[k] < x->next_change))
                    x->next_change = edges[k];
        }
        if (w.state == RENEW_DUE)
            x->counts.due++;
        else if (w.state == RENEW_OVERDUE || w.state == RENEW_URGENT ||
                 w.state == RENEW_EXPIRED)
            x->counts.overdue++;
        if (w.state == RENEW_URGENT || w.state == RENEW_EXPIRED)
            x->counts.urgent++;
        switch (cert_expiry_class(o->cert_not_after, now, warn_s, crit_s)) {
        case CERT_EXPIRY_EXPIRED: x->counts.expired++; break;
        case CERT_EXPIRY_CRIT: x->counts.crit++; break;
        case CERT_EXPIRY_WARN: x->counts.warn++; break;
        default: break;
        }
    }
    renew_links_free(&l);
    return x->superseded != before || x->superseded_hash != before_hash;
}

struct renew_counts renew_index_counts(const struct renew_index *x)
{
    return x->counts;
}

time_t renew_index_next_change(const struct renew_index *x)
{
    return x->next_change;
}

const char *renew_index_renews(const struct renew_index *x, const char *id)
{
    const struct entry *e = find(x, id);
    return e && e->renews != NONE ? x->ids.keys[e->renews].id : NULL;
}

const char *renew_index_renewed_by(const struct renew_index *x, const char *id)
{
    const struct entry *e = find(x, id);
    return e && e->renewed_by != NONE ? x->ids.keys[e->renewed_by].id : NULL;
}

bool renew_index_superseded(const struct renew_index *x, const char *id)
{
    const struct entry *e = find(x, id);
    return e && e->superseded;
}
