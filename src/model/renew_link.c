/* renew_link: lines of renewals by role and identifier set (see
 * renew_link.h).  Each order gets a key "role\n" + its identifiers,
 * lower-cased, sorted, without duplicates; the orders sorted by key (its
 * hash first) and creation time then lie line by line, oldest first. */
#include "model/renew_link.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "model/hash64.h"
#include "model/xalloc.h"

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* NULL when the order is on no line. */
static char *line_key(const struct order *o)
{
    if (!o->role || !*o->role || o->identifier_count == 0)
        return NULL;
    char **ids = xcalloc(o->identifier_count, sizeof *ids);
    size_t len = strlen(o->role) + 2;
    for (size_t i = 0; i < o->identifier_count; i++) {
        ids[i] = xstrdup(o->identifiers[i] ? o->identifiers[i] : "");
        for (char *p = ids[i]; *p; p++)
            *p = (char)tolower((unsigned char)*p);
        len += strlen(ids[i]) + 1;
    }
    qsort(ids, o->identifier_count, sizeof *ids, cmp_str);
    char *key = xmalloc(len);
    char *p = key;
    p += strlen(strcpy(p, o->role));
    *p++ = '\n';
    for (size_t i = 0; i < o->identifier_count; i++) {
        if (i > 0 && strcmp(ids[i], ids[i - 1]) == 0)
            continue; /* a name given twice is one name */
        if (p[-1] != '\n')
            *p++ = ',';
        p += strlen(strcpy(p, ids[i]));
    }
    *p = '\0';
    for (size_t i = 0; i < o->identifier_count; i++)
        free(ids[i]);
    free(ids);
    return key;
}

bool renew_link_same_line(const struct order *a, const struct order *b)
{
    char *ka = line_key(a), *kb = line_key(b);
    bool same = ka && kb && strcmp(ka, kb) == 0;
    free(ka);
    free(kb);
    return same;
}

struct keyed {
    uint64_t hash; /* of key: compared first, so that few keys are */
    char *key;
    const struct order *o;
    size_t index;
};

static int cmp_keyed(const void *pa, const void *pb)
{
    const struct keyed *a = pa, *b = pb;
    if (a->hash != b->hash)
        return a->hash < b->hash ? -1 : 1;
    int c = strcmp(a->key, b->key);
    if (c)
        return c;
    if (a->o->created != b->o->created)
        return a->o->created < b->o->created ? -1 : 1;
    c = strcmp(a->o->id ? a->o->id : "", b->o->id ? b->o->id : "");
    if (c)
        return c;
    return a->index < b->index ? -1 : a->index > b->index;
}

void renew_links_compute(const struct order *const *orders, size_t n, struct renew_links *out)
{
    size_t alloc = n ? n : 1;
    out->n = n;
    out->renews = xmalloc(alloc * sizeof *out->renews);
    out->renewed_by = xmalloc(alloc * sizeof *out->renewed_by);
    out->superseded = xcalloc(alloc, sizeof *out->superseded);
    out->retried = xcalloc(alloc, sizeof *out->retried);
    for (size_t i = 0; i < n; i++)
        out->renews[i] = out->renewed_by[i] = RENEW_LINK_NONE;
    struct keyed *k = xcalloc(alloc, sizeof *k);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        char *key = line_key(orders[i]);
        if (key)
            k[m++] = (struct keyed){hash64_bytes(key, strlen(key)), key, orders[i], i};
    }
    qsort(k, m, sizeof *k, cmp_keyed);
    for (size_t start = 0, end; start < m; start = end) {
        for (end = start + 1;
             end < m && k[end].hash == k[start].hash && strcmp(k[end].key, k[start].key) == 0;
             end++)
            ;
        /* oldest to newest: what each renews */
        size_t last_completed = RENEW_LINK_NONE;
        for (size_t j = start; j < end; j++) {
            out->renews[k[j].index] = last_completed;
            if (k[j].o->status == ORDER_COMPLETED)
                last_completed = k[j].index;
        }
        /* newest to oldest: what renews each */
        size_t next_any = RENEW_LINK_NONE, next_completed = RENEW_LINK_NONE;
        for (size_t j = end; j-- > start;) {
            size_t i = k[j].index;
            out->renewed_by[i] = next_completed != RENEW_LINK_NONE ? next_completed : next_any;
            out->retried[i] = next_any != RENEW_LINK_NONE;
            out->superseded[i] =
                k[j].o->status == ORDER_COMPLETED && next_completed != RENEW_LINK_NONE;
            next_any = i;
            if (k[j].o->status == ORDER_COMPLETED)
                next_completed = i;
        }
    }
    for (size_t j = 0; j < m; j++)
        free(k[j].key);
    free(k);
}

void renew_links_free(struct renew_links *l)
{
    if (!l)
        return;
    free(l->renews);
    free(l->renewed_by);
    free(l->superseded);
    free(l->retried);
    memset(l, 0, sizeof *l);
}
