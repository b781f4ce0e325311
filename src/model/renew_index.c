/* renew_index: renewal links, superseded orders and counts by order ID
 * (see renew_index.h). */
#include "model/renew_index.h"

#include <stdlib.h>
#include <string.h>

#include "model/id_index.h"
#include "model/renew_link.h"
#include "model/xalloc.h"

struct entry {
    char *renews, *renewed_by; /* order IDs, NULL: none */
    bool superseded;
};

struct renew_index {
    struct id_index ids;
    struct entry *entries; /* ids.n */
    struct renew_counts counts;
    time_t next_change;
};

struct renew_index *renew_index_new(void)
{
    return xcalloc(1, sizeof(struct renew_index));
}

static void clear(struct renew_index *x)
{
    for (size_t i = 0; i < x->ids.n; i++) {
        free(x->entries[i].renews);
        free(x->entries[i].renewed_by);
    }
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
                       const struct renew_at *at, double crit_s, time_t now)
{
    struct renew_links l;
    renew_links_compute(orders, n, &l);
    /* the superseded set before, to compare */
    size_t before = 0;
    bool changed = false;
    for (size_t i = 0; i < x->ids.n; i++)
        before += x->entries[i].superseded;
    size_t after = 0;
    for (size_t i = 0; i < n; i++) {
        if (!l.superseded[i])
            continue;
        after++;
        const struct entry *e = find(x, orders[i]->id);
        if (!e || !e->superseded)
            changed = true;
    }
    changed |= after != before;
    clear(x);
    x->entries = xcalloc(n ? n : 1, sizeof *x->entries);
    for (size_t i = 0; i < n; i++) {
        const struct order *o = orders[i];
        if (!o->id || id_index_find(&x->ids, o->id) != ID_INDEX_NONE)
            continue;
        size_t k = id_index_add(&x->ids, o->id);
        struct entry *e = &x->entries[k];
        if (l.renews[i] != RENEW_LINK_NONE)
            e->renews = xstrdup(orders[l.renews[i]]->id);
        if (l.renewed_by[i] != RENEW_LINK_NONE)
            e->renewed_by = xstrdup(orders[l.renewed_by[i]]->id);
        e->superseded = l.superseded[i];
        if (o->status != ORDER_COMPLETED || l.superseded[i])
            continue;
        struct renew_window w = renew_window_of(o->cert_not_before, o->cert_not_after, at,
                                                crit_s, now);
        if (w.state != RENEW_UNKNOWN) {
            time_t edges[] = {w.opens, w.closes, w.not_after - (time_t)crit_s, w.not_after};
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
    }
    renew_links_free(&l);
    return changed;
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
    return e ? e->renews : NULL;
}

const char *renew_index_renewed_by(const struct renew_index *x, const char *id)
{
    const struct entry *e = find(x, id);
    return e ? e->renewed_by : NULL;
}

bool renew_index_superseded(const struct renew_index *x, const char *id)
{
    const struct entry *e = find(x, id);
    return e && e->superseded;
}
