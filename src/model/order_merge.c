/* order_merge: an update merged into the order already known, telling
 * whether anything changed (see order_merge.h). */
#include "model/order_merge.h"

#include <stdlib.h>
#include <string.h>

#include "model/strv.h"

static bool same_string(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

static bool same_strv(char *const *a, size_t na, char *const *b, size_t nb)
{
    if ((a == NULL) != (b == NULL) || na != nb)
        return false;
    for (size_t i = 0; i < na; i++)
        if (!same_string(a[i], b[i]))
            return false;
    return true;
}

static bool same_challenges(const struct order *a, const struct order *b)
{
    if ((a->challenges == NULL) != (b->challenges == NULL) ||
        a->challenge_count != b->challenge_count)
        return false;
    for (size_t i = 0; i < a->challenge_count; i++) {
        const struct order_identifier_challenges *x = &a->challenges[i], *y = &b->challenges[i];
        if (!same_string(x->identifier, y->identifier) || x->count != y->count)
            return false;
        for (size_t j = 0; j < x->count; j++)
            if (!same_string(x->items[j].type, y->items[j].type) ||
                !same_string(x->items[j].status, y->items[j].status) ||
                x->items[j].expires != y->items[j].expires)
                return false;
    }
    return true;
}

bool order_same(const struct order *a, const struct order *b)
{
    return a->status == b->status && same_string(a->status_text, b->status_text) &&
           same_string(a->role, b->role) &&
           same_strv(a->identifiers, a->identifier_count, b->identifiers, b->identifier_count) &&
           same_string(a->csr, b->csr) && a->created == b->created &&
           a->last_update == b->last_update && a->next_work == b->next_work &&
           a->expires == b->expires && same_string(a->last_error, b->last_error) &&
           same_string(a->serial, b->serial) && same_challenges(a, b) &&
           a->cert_not_before == b->cert_not_before && a->cert_not_after == b->cert_not_after &&
           a->stale == b->stale && a->detail_known == b->detail_known &&
           a->unverified == b->unverified && a->place == b->place;
}

/* Take *src into *dst if carried; true if the text changed. */
static bool take_string(char **dst, char **src)
{
    if (!*src)
        return false;
    bool changed = !same_string(*dst, *src);
    free(*dst);
    *dst = *src;
    *src = NULL;
    return changed;
}

static bool take_time(time_t *dst, time_t src)
{
    if (!src || *dst == src)
        return false;
    *dst = src;
    return true;
}

static bool same_serial(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") == 0;
}

/* Summary merge: take only what o carries (o's taken fields become NULL).
 * Returns whether anything changed. */
static bool merge_summary(struct order *dst, struct order *o)
{
    bool changed = false;
    bool older = o->last_update && dst->last_update && o->last_update < dst->last_update;
    if (!older) {
        if (o->status_text) {
            changed |= dst->status != o->status;
            dst->status = o->status;
            changed |= take_string(&dst->status_text, &o->status_text);
        }
        changed |= take_time(&dst->last_update, o->last_update);
    }
    changed |= take_string(&dst->role, &o->role);
    if (o->identifiers) {
        changed |= !same_strv(dst->identifiers, dst->identifier_count, o->identifiers,
                              o->identifier_count);
        strv_free(dst->identifiers, dst->identifier_count);
        dst->identifiers = o->identifiers;
        dst->identifier_count = o->identifier_count;
        o->identifiers = NULL;
        o->identifier_count = 0;
    }
    changed |= take_string(&dst->csr, &o->csr);
    changed |= take_string(&dst->last_error, &o->last_error);
    changed |= take_string(&dst->serial, &o->serial);
    if (o->challenges) {
        changed |= !same_challenges(dst, o);
        /* swap, so order_clear(o) frees the old ones */
        struct order_identifier_challenges *c = dst->challenges;
        size_t n = dst->challenge_count;
        dst->challenges = o->challenges;
        dst->challenge_count = o->challenge_count;
        o->challenges = c;
        o->challenge_count = n;
    }
    changed |= take_time(&dst->created, o->created);
    changed |= take_time(&dst->next_work, o->next_work);
    changed |= take_time(&dst->expires, o->expires);
    changed |= take_time(&dst->cert_not_before, o->cert_not_before);
    changed |= take_time(&dst->cert_not_after, o->cert_not_after);
    changed |= dst->unverified != o->unverified;
    dst->unverified = o->unverified;
    changed |= dst->place != o->place;
    dst->place = o->place;
    return changed;
}

bool order_merge(struct order *dst, struct order *o)
{
    bool changed;
    if (o->detail_known) {
        if (!o->cert_not_before && !o->cert_not_after && same_serial(o->serial, dst->serial)) {
            o->cert_not_before = dst->cert_not_before;
            o->cert_not_after = dst->cert_not_after;
        }
        o->stale = false;
        changed = !order_same(dst, o);
        order_move(dst, o);
    } else {
        changed = merge_summary(dst, o) || dst->stale;
    }
    dst->stale = false;
    return changed;
}
