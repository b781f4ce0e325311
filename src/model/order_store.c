/* order_store: orders keyed by ID, merged from updates, listed through a
 * filtered and sorted view that is kept in place as orders change (see
 * order_store.h).
 * Layout: a dense array of struct order plus an open-addressing hash table
 * (linear probing, backward-shift deletion, load <= 1/2) from ID to array
 * index; removal swaps the last order into the hole. Two arrays of array
 * indices in display order: `sorted` (every placed order) and `view` (those
 * of sorted that pass the filter); match[] says per array index whether the
 * order passes. An order that changes its place (or is new) waits in
 * `pending`, with the key it is filed under, until the view is next read:
 * then a few pending orders move one by one (binary search, one memmove
 * each), many are taken out, sorted among themselves and merged back in one
 * pass. A narrower filter scans only the old view; another filter scans
 * `sorted` (no sort); only a new sort mode sorts everything. The counts per
 * status are kept as orders come, change and go. */
#include "model/order_store.h"

#include <assert.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model/hash64.h"
#include "model/order_merge.h"
#include "model/search_text.h"
#include "model/xalloc.h"

#define EMPTY_SLOT SIZE_MAX
#define NONE SIZE_MAX
/* Up to this many pending orders move one by one; more are merged in one
 * pass over the view (a memmove of a third of the view each against two
 * passes and a small sort). */
#define PENDING_ONE_BY_ONE 8

/* Where an order sits in the sort: by rank, then text, then time, then
 * ID. 32 bytes, so that sorting 100,000 of them moves little. */
struct sort_key {
    time_t t;       /* created, order expiry or certificate expiry */
    const char *id;
    const char *str; /* role or first identifier (the text sorts), else NULL */
    int rank;       /* status urgency (urgency sort), else 0 */
    unsigned idx;   /* the order's array index, when sorting keys */
};

/* An order not (or no longer) at its place: it is filed in sorted (and in
 * view when in_view) under rank and t, which it had before it changed. */
struct pending {
    size_t idx;
    int rank;
    time_t t;
    char *str;    /* a copy (the order's own text changes with it), or NULL */
    bool placed;  /* in sorted at all (false: a new order) */
    bool in_view; /* in view */
};

static void pending_clear(struct order_store *s);

struct order_store {
    struct order *orders; /* count used, cap allocated */
    size_t count, cap;
    size_t *slots;        /* nslots (power of two); array index or EMPTY_SLOT */
    size_t nslots;

    size_t *sorted;       /* sorted_count array indices in display order */
    size_t sorted_count;
    size_t *view;         /* view_count: those of sorted that match */
    size_t view_count;
    unsigned char *match; /* per array index: passes the filter */
    struct search_text text; /* per array index: what the text filter reads */
    size_t *pending_at;   /* per array index: its entry in pending, or NONE */
    struct pending *pending;
    size_t pending_count, pending_cap;

    size_t by_status[ORDER_STATUS_COUNT];
    unsigned long generation;
    unsigned long renew_generation; /* an order came, went, or changed what renewals
                                       are computed from (renew_fingerprint) */

    enum order_sort sort;
    time_t now;           /* the urgency sort's clock (order_store_set_now), 0 = unset */
    bool reverse;
    char *filter_text;    /* folded (ASCII lower case); NULL = any */
    size_t filter_len;
    bool filter_searches; /* the text is looked up in `text` (it has no '\n') */
    unsigned filter_mask; /* 0 = any */
    char *filter_role;    /* NULL = any */
    struct renew_at renew_at;                  /* ORDER_SORT_RENEW's window */
    bool (*hidden)(const char *id, void *ctx); /* NULL: none hidden */
    void *hidden_ctx;
};

/* ---- hash table ---------------------------------------------------------- */

static uint64_t id_hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return h ^ (h >> 29);
}

/* Slot holding id, or the empty slot where it would go. */
static size_t slot_find(const struct order_store *s, const char *id)
{
    size_t mask = s->nslots - 1, i = (size_t)id_hash(id) & mask;
    while (s->slots[i] != EMPTY_SLOT && strcmp(s->orders[s->slots[i]].id, id) != 0)
        i = (i + 1) & mask;
    return i;
}

static void slots_rebuild(struct order_store *s, size_t nslots)
{
    free(s->slots);
    s->nslots = nslots;
    s->slots = xmalloc(nslots * sizeof *s->slots);
    for (size_t i = 0; i < nslots; i++)
        s->slots[i] = EMPTY_SLOT;
    for (size_t k = 0; k < s->count; k++)
        s->slots[slot_find(s, s->orders[k].id)] = k;
}

/* Empty slot i, shifting back later entries of the same probe run. */
static void slot_delete(struct order_store *s, size_t i)
{
    size_t mask = s->nslots - 1, j = i;
    s->slots[i] = EMPTY_SLOT;
    for (;;) {
        j = (j + 1) & mask;
        if (s->slots[j] == EMPTY_SLOT)
            return;
        size_t home = (size_t)id_hash(s->orders[s->slots[j]].id) & mask;
        /* may the entry at j move to i? yes unless home lies in (i, j] */
        bool stays = (i <= j) ? (i < home && home <= j) : (i < home || home <= j);
        if (!stays) {
            s->slots[i] = s->slots[j];
            s->slots[j] = EMPTY_SLOT;
            i = j;
        }
    }
}

static ssize_t index_of(const struct order_store *s, const char *id)
{
    if (!id)
        return -1;
    size_t slot = slot_find(s, id);
    return s->slots[slot] == EMPTY_SLOT ? -1 : (ssize_t)s->slots[slot];
}

/* ---- lifetime -------------------------------------------------------------- */

struct order_store *order_store_new(void)
{
    struct order_store *s = xcalloc(1, sizeof *s);
    s->sort = ORDER_SORT_URGENCY;
    s->renew_at = (struct renew_at){.fraction = true, .value = 2.0 / 3.0};
    slots_rebuild(s, 64);
    search_text_init(&s->text);
    return s;
}

void order_store_free(struct order_store *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->count; i++)
        order_clear(&s->orders[i]);
    free(s->orders);
    free(s->slots);
    free(s->sorted);
    free(s->view);
    free(s->match);
    pending_clear(s);
    free(s->pending_at);
    free(s->pending);
    search_text_free(&s->text);
    free(s->filter_text);
    free(s->filter_role);
    free(s);
}

size_t order_store_count(const struct order_store *s)
{
    return s->count;
}

const struct order *order_store_at(const struct order_store *s, size_t i)
{
    return i < s->count ? &s->orders[i] : NULL;
}

unsigned long order_store_generation(const struct order_store *s)
{
    return s->generation;
}

/* What renewals (model/renew_index.h) are computed from: role,
 * identifiers, created, completed or not, the certificate's validity. */
static uint64_t renew_fingerprint(const struct order *o)
{
    uint64_t h = hash64_bytes(o->role ? o->role : "", o->role ? strlen(o->role) : 0);
    for (size_t i = 0; i < o->identifier_count; i++)
        h = h * 31 + hash64_bytes(o->identifiers[i], strlen(o->identifiers[i]));
    time_t t[3] = {o->created, o->cert_not_before, o->cert_not_after};
    h = h * 31 + hash64_bytes(t, sizeof t);
    return h * 2 + (o->status == ORDER_COMPLETED);
}

unsigned long order_store_renew_generation(const struct order_store *s)
{
    return s->renew_generation;
}

const struct order *order_store_find(const struct order_store *s, const char *id)
{
    ssize_t i = index_of(s, id);
    return i < 0 ? NULL : &s->orders[i];
}

static enum order_status status_slot(enum order_status st)
{
    return (int)st < 0 || st >= ORDER_STATUS_COUNT ? ORDER_STATUS_UNKNOWN : st;
}

/* ---- filter --------------------------------------------------------------- */

/* Case-insensitive (ASCII) substring; needle already folded, nlen > 0. */
static bool contains_folded(const char *hay, const char *needle, size_t nlen)
{
    if (!hay)
        return false;
    const unsigned char *h = (const unsigned char *)hay, *n = (const unsigned char *)needle;
    for (; *h; h++) {
        if (search_text_fold(*h) != n[0])
            continue;
        size_t k = 1;
        while (k < nlen && h[k] && search_text_fold(h[k]) == n[k])
            k++;
        if (k == nlen)
            return true;
    }
    return false;
}

static char *folded_dup(const char *s)
{
    char *d = xstrdup(s);
    for (char *p = d; *p; p++)
        *p = (char)search_text_fold((unsigned char)*p);
    return d;
}

static bool same_text(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

/* The filter with text already folded (len its length, 0 = any). */
static bool filter_match_folded(const char *text, size_t len, unsigned mask, const char *role,
                                const struct order *o)
{
    if (mask && !(mask & ORDER_STATUS_BIT(o->status)))
        return false;
    if (role && role[0] && (!o->role || strcmp(o->role, role) != 0))
        return false;
    if (!len)
        return true;
    if (contains_folded(o->id, text, len) || contains_folded(o->role, text, len))
        return true;
    for (size_t i = 0; i < o->identifier_count; i++)
        if (contains_folded(o->identifiers[i], text, len))
            return true;
    return false;
}

bool order_filter_match(const struct order_filter *f, const struct order *o)
{
    if (!f)
        return true;
    char *text = f->text && f->text[0] ? folded_dup(f->text) : NULL;
    bool ok = filter_match_folded(text, text ? strlen(text) : 0, f->status_mask, f->role, o);
    free(text);
    return ok;
}

/* The store's filter on orders[idx]: the text is looked up in the folded
 * search text (one contiguous read), which holds the same fields. */
static bool store_match(const struct order_store *s, size_t idx)
{
    const struct order *o = &s->orders[idx];
    if (s->hidden && s->hidden(o->id, s->hidden_ctx))
        return false;
    if (!s->filter_searches)
        return filter_match_folded(s->filter_text, s->filter_len, s->filter_mask,
                                   s->filter_role, o);
    if (s->filter_mask && !(s->filter_mask & ORDER_STATUS_BIT(o->status)))
        return false;
    if (s->filter_role && (!o->role || strcmp(o->role, s->filter_role) != 0))
        return false;
    return search_text_has(&s->text, idx, s->filter_text, s->filter_len);
}

/* ---- sort keys ------------------------------------------------------------ */

/* A completed order whose certificate has expired by the store's clock. */
static bool cert_expired(const struct order_store *s, const struct order *o)
{
    return s->now && o->status == ORDER_COMPLETED && o->cert_not_after &&
           o->cert_not_after <= s->now;
}

/* Urgency: twice the status's urgency, so that an expired certificate (an
 * outage already) can rank between the orders awaiting the operator and
 * the failed ones. */
static int urgency_rank(const struct order_store *s, const struct order *o)
{
    if (cert_expired(s, o))
        return 2 * order_status_urgency(ORDER_AWAITING_CHALLENGE) + 1;
    return 2 * order_status_urgency(o->status);
}

/* Within a status, the nearest deadline that matters comes first: the
 * certificate's expiry for a completed order, the ACME order's expiry for
 * one waiting or in motion (unknown: last). A finished order has none:
 * newest first (negated, as the urgency sort is soonest first). */
static time_t urgency_deadline(const struct order *o)
{
    switch (o->status) {
    case ORDER_COMPLETED:
        return o->cert_not_after;
    case ORDER_ERROR:
    case ORDER_EXPIRED:
    case ORDER_REVOKED:
        return -o->created;
    default:
        return o->expires;
    }
}

static struct sort_key key_of(const struct order_store *s, const struct order *o)
{
    struct sort_key k = {0, o->id, NULL, 0, 0};
    switch (s->sort) {
    case ORDER_SORT_ID:
        break;
    case ORDER_SORT_ROLE:
        k.str = o->role ? o->role : "";
        break;
    case ORDER_SORT_IDENTIFIER:
        k.str = o->identifier_count ? o->identifiers[0] : "";
        break;
    case ORDER_SORT_URGENCY:
        k.rank = urgency_rank(s, o);
        k.t = urgency_deadline(o);
        break;
    case ORDER_SORT_CREATED:
        k.t = o->created;
        break;
    case ORDER_SORT_ORDER_EXPIRY:
        k.t = o->expires;
        break;
    case ORDER_SORT_RENEW:
        k.t = o->status == ORDER_COMPLETED
                  ? renew_window_of(o->cert_not_before, o->cert_not_after, &s->renew_at, 0, 0)
                        .opens
                  : 0;
        break;
    default:
        k.t = o->cert_not_after;
        break;
    }
    return k;
}

/* Newest first (created) or soonest first with 0 (unknown) last (urgency
 * and the expiry sorts); ties by ID. */
static int key_cmp_forward(bool soonest, const struct sort_key *a, const struct sort_key *b)
{
    if (a->rank != b->rank)
        return a->rank < b->rank ? -1 : 1;
    if (a->str && b->str) {
        int c = strcmp(a->str, b->str);
        if (c)
            return c;
    }
    if (a->t != b->t) {
        if (!soonest)
            return a->t > b->t ? -1 : 1;
        if (!a->t || !b->t)
            return a->t ? -1 : 1;
        return a->t < b->t ? -1 : 1;
    }
    return strcmp(a->id, b->id);
}

static bool sort_soonest(enum order_sort mode)
{
    return mode != ORDER_SORT_CREATED;
}

/* Display order: the whole comparison flips when reversed (the ID
 * tie-break makes the order total, so that is the reversed list). */
static int key_cmp(const struct order_store *s, const struct sort_key *a, const struct sort_key *b)
{
    int c = key_cmp_forward(sort_soonest(s->sort), a, b);
    return s->reverse ? -c : c;
}

/* The key an order is filed under in sorted and view: the one it had
 * before it changed while it is pending, its own otherwise. */
static struct sort_key filed_key(const struct order_store *s, size_t idx)
{
    struct sort_key k = key_of(s, &s->orders[idx]);
    size_t p = s->pending_at[idx];
    if (p != NONE) {
        k.rank = s->pending[p].rank;
        k.t = s->pending[p].t;
        k.str = s->pending[p].str;
    }
    return k;
}

/* First position in arr[0..n) whose filed key is not before k. */
static size_t lower_bound(const struct order_store *s, const size_t *arr, size_t n,
                          const struct sort_key *k)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        struct sort_key mk = filed_key(s, arr[mid]);
        if (key_cmp(s, &mk, k) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Position of idx in arr (it is there, filed under its filed key). */
static size_t position_of(const struct order_store *s, const size_t *arr, size_t n, size_t idx)
{
    struct sort_key k = filed_key(s, idx);
    size_t p = lower_bound(s, arr, n, &k);
    assert(p < n && arr[p] == idx);
    return p;
}

static void array_insert(size_t *arr, size_t *n, size_t pos, size_t idx)
{
    memmove(arr + pos + 1, arr + pos, (*n - pos) * sizeof *arr);
    arr[pos] = idx;
    (*n)++;
}

static void array_remove(size_t *arr, size_t *n, size_t pos)
{
    memmove(arr + pos, arr + pos + 1, (*n - pos - 1) * sizeof *arr);
    (*n)--;
}

/* qsort has no context argument: one comparator per direction of time. */
static int keys_cmp_newest(const void *x, const void *y)
{
    return key_cmp_forward(false, x, y);
}

static int keys_cmp_soonest(const void *x, const void *y)
{
    return key_cmp_forward(true, x, y);
}

/* The key of orders[idx], to sort. */
static struct sort_key key_to_sort(const struct order_store *s, size_t idx)
{
    struct sort_key k = key_of(s, &s->orders[idx]);
    assert(idx <= UINT_MAX);
    k.idx = (unsigned)idx;
    return k;
}

/* Sort k[0..n) into display order. */
static void keys_sort(const struct order_store *s, struct sort_key *k, size_t n)
{
    if (n > 1)
        qsort(k, n, sizeof *k, sort_soonest(s->sort) ? keys_cmp_soonest : keys_cmp_newest);
    if (s->reverse) /* the order is total: reversing the result is the reversed sort */
        for (size_t i = 0, j = n ? n - 1 : 0; i < j; i++, j--) {
            struct sort_key t = k[i];
            k[i] = k[j];
            k[j] = t;
        }
}

/* ---- pending orders ------------------------------------------------------- */

static void pending_push(struct order_store *s, size_t idx, bool placed)
{
    if (s->pending_count == s->pending_cap) {
        s->pending_cap = s->pending_cap ? s->pending_cap * 2 : 16;
        s->pending = xrealloc(s->pending, s->pending_cap * sizeof *s->pending);
    }
    struct sort_key k = key_of(s, &s->orders[idx]);
    s->pending[s->pending_count] = (struct pending){idx, k.rank, k.t,
                                                    k.str ? xstrdup(k.str) : NULL, placed,
                                                    placed && s->match[idx]};
    s->pending_at[idx] = s->pending_count++;
}

/* Forget every pending entry (their orders are placed by the caller). */
static void pending_clear(struct order_store *s)
{
    for (size_t i = 0; i < s->pending_count; i++) {
        free(s->pending[i].str);
        s->pending_at[s->pending[i].idx] = NONE;
    }
    s->pending_count = 0;
}

static void pending_drop(struct order_store *s, size_t p)
{
    s->pending_at[s->pending[p].idx] = NONE;
    free(s->pending[p].str);
    s->pending[p] = s->pending[--s->pending_count];
    if (p < s->pending_count)
        s->pending_at[s->pending[p].idx] = p;
}

/* Move one pending order (the last one) to its place. */
static void settle_last(struct order_store *s)
{
    struct pending p = s->pending[s->pending_count - 1];
    if (p.placed)
        array_remove(s->sorted, &s->sorted_count,
                     position_of(s, s->sorted, s->sorted_count, p.idx));
    if (p.in_view)
        array_remove(s->view, &s->view_count, position_of(s, s->view, s->view_count, p.idx));
    pending_drop(s, s->pending_count - 1);
    struct sort_key k = key_of(s, &s->orders[p.idx]);
    array_insert(s->sorted, &s->sorted_count, lower_bound(s, s->sorted, s->sorted_count, &k),
                 p.idx);
    if (s->match[p.idx])
        array_insert(s->view, &s->view_count, lower_bound(s, s->view, s->view_count, &k), p.idx);
}

/* Merge b[0..nb) (display order) into arr[0..na), which has room. */
static void merge_into(const struct order_store *s, size_t *arr, size_t na,
                       const struct sort_key *b, size_t nb)
{
    size_t i = na, j = nb, w = na + nb;
    while (j > 0) {
        if (i > 0) {
            struct sort_key a = key_of(s, &s->orders[arr[i - 1]]);
            if (key_cmp(s, &a, &b[j - 1]) > 0) {
                arr[--w] = arr[--i];
                continue;
            }
        }
        arr[--w] = b[--j].idx;
    }
}

/* Many pending orders: take them all out, sort them, merge them back. */
static void settle_merge(struct order_store *s)
{
    size_t n = 0;
    for (size_t i = 0; i < s->sorted_count; i++)
        if (s->pending_at[s->sorted[i]] == NONE)
            s->sorted[n++] = s->sorted[i];
    s->sorted_count = n;
    n = 0;
    for (size_t i = 0; i < s->view_count; i++)
        if (s->pending_at[s->view[i]] == NONE)
            s->view[n++] = s->view[i];
    s->view_count = n;

    size_t k = s->pending_count, kv = 0;
    struct sort_key *moving = xmalloc(k * sizeof *moving);
    for (size_t i = 0; i < k; i++)
        moving[i] = key_to_sort(s, s->pending[i].idx);
    pending_clear(s);
    keys_sort(s, moving, k);
    merge_into(s, s->sorted, s->sorted_count, moving, k);
    s->sorted_count += k;
    for (size_t i = 0; i < k; i++)
        if (s->match[moving[i].idx])
            moving[kv++] = moving[i];
    merge_into(s, s->view, s->view_count, moving, kv);
    s->view_count += kv;
    free(moving);
}

/* Every pending order at its place: before sorted or view is read. */
static void settle(struct order_store *s)
{
    if (s->pending_count > PENDING_ONE_BY_ONE)
        settle_merge(s);
    while (s->pending_count)
        settle_last(s);
}

/* Before orders[idx] changes: file it as pending (unless it is already).
 * Returns whether it was filed now. */
static bool change_begin(struct order_store *s, size_t idx)
{
    if (s->pending_at[idx] != NONE)
        return false;
    pending_push(s, idx, true);
    return true;
}

/* After it changed (or not: changed false, when the update brought nothing
 * new): its status count, search text and match, and no longer pending if
 * it stays where it was (the common case: nothing that sorts changed). */
static void change_end(struct order_store *s, size_t idx, bool filed_now,
                       enum order_status old_status, bool changed)
{
    const struct order *o = &s->orders[idx];
    if (changed) {
        s->by_status[status_slot(old_status)]--;
        s->by_status[status_slot(o->status)]++;
        search_text_set(&s->text, idx, o, s->count);
        s->match[idx] = store_match(s, idx);
        s->generation++;
    }
    if (!filed_now)
        return;
    const struct pending *p = &s->pending[s->pending_at[idx]];
    struct sort_key k = key_of(s, o);
    bool same_str = (!k.str && !p->str) || (k.str && p->str && strcmp(k.str, p->str) == 0);
    if (k.rank == p->rank && k.t == p->t && same_str && p->in_view == (bool)s->match[idx])
        pending_drop(s, s->pending_at[idx]);
}

/* ---- merge ---------------------------------------------------------------- */

static void grow(struct order_store *s)
{
    s->cap = s->cap ? s->cap * 2 : 64;
    s->orders = xrealloc(s->orders, s->cap * sizeof *s->orders);
    s->sorted = xrealloc(s->sorted, s->cap * sizeof *s->sorted);
    s->view = xrealloc(s->view, s->cap * sizeof *s->view);
    s->match = xrealloc(s->match, s->cap * sizeof *s->match);
    s->pending_at = xrealloc(s->pending_at, s->cap * sizeof *s->pending_at);
    search_text_reserve(&s->text, s->cap);
}

static void insert_new(struct order_store *s, struct order *o)
{
    if (s->count == s->cap)
        grow(s);
    size_t idx = s->count++;
    struct order *dst = &s->orders[idx];
    *dst = *o;
    order_init(o);
    dst->stale = false;
    if (s->count * 2 > s->nslots)
        slots_rebuild(s, s->nslots * 2);
    else
        s->slots[slot_find(s, dst->id)] = idx;
    s->by_status[status_slot(dst->status)]++;
    search_text_set(&s->text, idx, dst, s->count);
    s->match[idx] = store_match(s, idx);
    s->pending_at[idx] = NONE;
    pending_push(s, idx, false);
    s->generation++;
    s->renew_generation++;
}

int order_store_apply_move(struct order_store *s, struct order *o)
{
    if (!o->id || !o->id[0])
        return -1;
    ssize_t found = index_of(s, o->id);
    if (found < 0) {
        insert_new(s, o);
        return 1;
    }
    size_t idx = (size_t)found;
    struct order *dst = &s->orders[idx];
    enum order_status old_status = dst->status;
    uint64_t before = renew_fingerprint(dst);
    bool filed_now = change_begin(s, idx);
    /* the ID string is the hash key's text: a detail replaces it with an
     * equal one, and the element keeps its position */
    bool changed = order_merge(dst, o);
    order_clear(o);
    if (changed && renew_fingerprint(dst) != before)
        s->renew_generation++;
    change_end(s, idx, filed_now, old_status, changed);
    return 0;
}

int order_store_apply(struct order_store *s, const struct order *o)
{
    if (!o->id || !o->id[0])
        return -1;
    struct order tmp;
    order_copy(&tmp, o);
    return order_store_apply_move(s, &tmp);
}

void order_store_apply_batch_move(struct order_store *s, struct order *items, size_t n,
                                  bool complete_list, unsigned place)
{
    if (complete_list) {
        const char **ids = xcalloc(n + 1, sizeof(*ids));
        for (size_t i = 0; i < n; i++)
            ids[i] = items[i].id;
        order_store_remove_missing(s, ids, n, place);
        free(ids);
    }
    for (size_t i = 0; i < n; i++)
        order_store_apply_move(s, &items[i]);
}

/* ---- removal -------------------------------------------------------------- */

/* Array index from becomes to (the last order fills a hole). */
static void relabel(struct order_store *s, size_t from, size_t to)
{
    size_t p = s->pending_at[from];
    bool placed = p == NONE || s->pending[p].placed;
    bool in_view = p == NONE ? s->match[from] : s->pending[p].in_view;
    if (placed)
        s->sorted[position_of(s, s->sorted, s->sorted_count, from)] = to;
    if (in_view)
        s->view[position_of(s, s->view, s->view_count, from)] = to;
    if (p != NONE)
        s->pending[p].idx = to;
    s->pending_at[to] = p;
    s->match[to] = s->match[from];
    search_text_move(&s->text, from, to);
    s->orders[to] = s->orders[from];
    s->slots[slot_find(s, s->orders[to].id)] = to;
}

static void remove_at(struct order_store *s, size_t idx)
{
    size_t p = s->pending_at[idx];
    bool placed = p == NONE || s->pending[p].placed;
    bool in_view = p == NONE ? s->match[idx] : s->pending[p].in_view;
    if (placed)
        array_remove(s->sorted, &s->sorted_count,
                     position_of(s, s->sorted, s->sorted_count, idx));
    if (in_view)
        array_remove(s->view, &s->view_count, position_of(s, s->view, s->view_count, idx));
    if (p != NONE)
        pending_drop(s, p);
    s->by_status[status_slot(s->orders[idx].status)]--;
    search_text_drop(&s->text, idx);
    slot_delete(s, slot_find(s, s->orders[idx].id));
    order_clear(&s->orders[idx]);
    size_t last = s->count - 1;
    if (idx != last)
        relabel(s, last, idx);
    s->count--;
    s->generation++;
    s->renew_generation++;
}

bool order_store_remove(struct order_store *s, const char *id)
{
    ssize_t idx = index_of(s, id);
    if (idx < 0)
        return false;
    remove_at(s, (size_t)idx);
    return true;
}

/* Keep the orders with keep[i] set, in their array order: one pass over
 * orders, sorted and view, and a new hash table. */
static size_t remove_many(struct order_store *s, const unsigned char *keep)
{
    settle(s);
    size_t *to = xmalloc(s->count * sizeof *to), n = 0;
    for (size_t i = 0; i < s->count; i++) {
        if (!keep[i]) {
            s->by_status[status_slot(s->orders[i].status)]--;
            search_text_drop(&s->text, i);
            order_clear(&s->orders[i]);
            to[i] = NONE;
            continue;
        }
        to[i] = n;
        if (n != i)
            search_text_move(&s->text, i, n);
        s->match[n] = s->match[i];
        s->pending_at[n] = NONE;
        s->orders[n++] = s->orders[i];
    }
    size_t removed = s->count - n;
    s->count = n;
    size_t *arrays[] = {s->sorted, s->view};
    size_t *counts[] = {&s->sorted_count, &s->view_count};
    for (int a = 0; a < 2; a++) {
        size_t m = 0;
        for (size_t i = 0; i < *counts[a]; i++)
            if (to[arrays[a][i]] != NONE)
                arrays[a][m++] = to[arrays[a][i]];
        *counts[a] = m;
    }
    free(to);
    slots_rebuild(s, s->nslots);
    s->generation++;
    s->renew_generation++;
    return removed;
}

size_t order_store_remove_missing(struct order_store *s, const char *const *ids, size_t n,
                                  unsigned place)
{
    if (s->count == 0)
        return 0;
    unsigned char *keep = xcalloc(s->count, 1);
    size_t kept = 0;
    for (size_t i = 0; i < s->count; i++) /* another place's list says nothing of these */
        if (s->orders[i].place != place) {
            keep[i] = 1;
            kept++;
        }
    for (size_t i = 0; i < n; i++) {
        ssize_t idx = index_of(s, ids[i]);
        if (idx >= 0 && !keep[idx]) {
            keep[idx] = 1;
            kept++;
        }
    }
    size_t removed = s->count - kept;
    if (removed > PENDING_ONE_BY_ONE) {
        remove_many(s, keep);
    } else {
        /* downwards: remove_at moves the last element (already visited)
         * into the hole, so no element is skipped */
        for (size_t i = s->count; i-- > 0;)
            if (!keep[i])
                remove_at(s, i);
    }
    free(keep);
    return removed;
}

bool order_store_mark_stale(struct order_store *s, const char *id, bool stale)
{
    ssize_t idx = index_of(s, id);
    if (idx < 0)
        return false;
    if (s->orders[idx].stale != stale) {
        s->orders[idx].stale = stale; /* neither sorts nor filters */
        s->generation++;
    }
    return true;
}

bool order_store_set_cert(struct order_store *s, const char *id, const char *serial,
                          time_t not_before, time_t not_after)
{
    ssize_t found = index_of(s, id);
    if (found < 0)
        return false;
    size_t idx = (size_t)found;
    struct order *o = &s->orders[idx];
    bool filed_now = change_begin(s, idx), changed = false;
    if (serial && serial[0] && (!o->serial || !o->serial[0])) {
        free(o->serial);
        o->serial = xstrdup(serial);
        changed = true;
    }
    if (o->cert_not_before != not_before || o->cert_not_after != not_after)
        s->renew_generation++;
    changed |= o->cert_not_before != not_before || o->cert_not_after != not_after;
    o->cert_not_before = not_before;
    o->cert_not_after = not_after;
    change_end(s, idx, filed_now, o->status, changed);
    return true;
}

/* ---- view settings -------------------------------------------------------- */

/* Every order at its place from scratch (a new sort mode). */
static void sort_all(struct order_store *s)
{
    struct sort_key *k = xmalloc((s->count ? s->count : 1) * sizeof *k);
    pending_clear(s);
    for (size_t i = 0; i < s->count; i++) {
        k[i] = key_to_sort(s, i);
        s->pending_at[i] = NONE;
    }
    keys_sort(s, k, s->count);
    s->view_count = 0;
    for (size_t i = 0; i < s->count; i++) {
        s->sorted[i] = k[i].idx;
        if (s->match[k[i].idx])
            s->view[s->view_count++] = k[i].idx;
    }
    s->sorted_count = s->count;
    free(k);
}

static void reverse_array(size_t *a, size_t n)
{
    for (size_t i = 0, j = n ? n - 1 : 0; i < j; i++, j--) {
        size_t t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
}

void order_store_set_now(struct order_store *s, time_t now)
{
    if (now == s->now)
        return;
    time_t lo = s->now < now ? s->now : now, hi = s->now < now ? now : s->now;
    bool moved = false; /* a certificate expired (or, clock back, did not) in between */
    for (size_t i = 0; i < s->count && s->sort == ORDER_SORT_URGENCY && !moved; i++) {
        const struct order *o = &s->orders[i];
        moved = o->status == ORDER_COMPLETED && o->cert_not_after &&
                (!lo || o->cert_not_after > lo) && o->cert_not_after <= hi;
    }
    s->now = now;
    if (moved) {
        s->generation++;
        sort_all(s);
    }
}

void order_store_set_sort(struct order_store *s, enum order_sort mode, bool reverse)
{
    if ((int)mode < 0 || mode >= ORDER_SORT_COUNT)
        mode = ORDER_SORT_URGENCY;
    if (mode == s->sort && reverse == s->reverse)
        return;
    s->generation++;
    if (mode == s->sort) {
        /* the same order backwards (total order: reversing is exact) */
        settle(s);
        s->reverse = reverse;
        reverse_array(s->sorted, s->sorted_count);
        reverse_array(s->view, s->view_count);
        return;
    }
    s->sort = mode;
    s->reverse = reverse;
    sort_all(s);
}

const char *order_sort_name(enum order_sort mode)
{
    static const char *const names[ORDER_SORT_COUNT] = {
        [ORDER_SORT_URGENCY] = "urgency",           [ORDER_SORT_CREATED] = "newest",
        [ORDER_SORT_ORDER_EXPIRY] = "order expiry", [ORDER_SORT_CERT_EXPIRY] = "cert expiry",
        [ORDER_SORT_ID] = "ID",                     [ORDER_SORT_ROLE] = "role",
        [ORDER_SORT_IDENTIFIER] = "identifier",     [ORDER_SORT_RENEW] = "renewal"};
    return (int)mode >= 0 && mode < ORDER_SORT_COUNT ? names[mode] : "?";
}

void order_store_set_renew_at(struct order_store *s, const struct renew_at *at)
{
    if (!at || (at->fraction == s->renew_at.fraction && at->value == s->renew_at.value))
        return;
    settle(s);
    s->renew_at = *at;
    if (s->sort == ORDER_SORT_RENEW) {
        s->generation++;
        sort_all(s);
    }
}

void order_store_set_hidden(struct order_store *s, bool (*hidden)(const char *id, void *ctx),
                            void *ctx)
{
    settle(s);
    s->hidden = hidden;
    s->hidden_ctx = ctx;
    s->generation++;
    size_t kept = 0;
    for (size_t idx = 0; idx < s->count; idx++)
        s->match[idx] = store_match(s, idx);
    for (size_t i = 0; i < s->sorted_count; i++)
        if (s->match[s->sorted[i]])
            s->view[kept++] = s->sorted[i];
    s->view_count = kept;
}

enum order_sort order_store_sort_mode(const struct order_store *s)
{
    return s->sort;
}

bool order_store_sort_reverse(const struct order_store *s)
{
    return s->reverse;
}

/* Does every order that passes the new filter pass the old one? */
static bool filter_narrows(const struct order_store *s, const char *text, unsigned mask,
                           const char *role)
{
    if (s->filter_mask && (!mask || (mask & ~s->filter_mask)))
        return false;
    if (s->filter_role && (!role || strcmp(role, s->filter_role) != 0))
        return false;
    return !s->filter_text || (text && strstr(text, s->filter_text));
}

void order_store_set_filter(struct order_store *s, const struct order_filter *f)
{
    char *text = f && f->text && f->text[0] ? folded_dup(f->text) : NULL;
    char *role = f && f->role && f->role[0] ? xstrdup(f->role) : NULL;
    unsigned mask = f ? f->status_mask : 0;
    if (same_text(text, s->filter_text) && same_text(role, s->filter_role) &&
        mask == s->filter_mask) {
        free(text);
        free(role);
        return;
    }
    settle(s);
    bool narrower = filter_narrows(s, text, mask, role);
    free(s->filter_text);
    free(s->filter_role);
    s->filter_text = text;
    s->filter_len = text ? strlen(text) : 0;
    s->filter_searches = text && !strchr(text, '\n');
    s->filter_role = role;
    s->filter_mask = mask;
    s->generation++;
    /* narrower: only the orders shown now can stay. Few of them: test
     * those. Otherwise test in array order, which reads the orders and
     * their search texts front to back, then pick the view out of sorted
     * (or of the old view) in display order. */
    size_t kept = 0;
    if (narrower && s->view_count < s->count / 8) {
        for (size_t i = 0; i < s->view_count; i++) {
            size_t idx = s->view[i];
            s->match[idx] = store_match(s, idx);
            if (s->match[idx])
                s->view[kept++] = idx;
        }
        s->view_count = kept;
        return;
    }
    for (size_t idx = 0; idx < s->count; idx++)
        if (!narrower || s->match[idx])
            s->match[idx] = store_match(s, idx);
    const size_t *from = narrower ? s->view : s->sorted;
    size_t n = narrower ? s->view_count : s->sorted_count;
    for (size_t i = 0; i < n; i++)
        if (s->match[from[i]])
            s->view[kept++] = from[i]; /* kept <= i: from may be view itself */
    s->view_count = kept;
}

/* ---- the view ------------------------------------------------------------- */

size_t order_store_view_count(struct order_store *s)
{
    settle(s);
    return s->view_count;
}

const struct order *order_store_view_at(struct order_store *s, size_t i)
{
    settle(s);
    return i < s->view_count ? &s->orders[s->view[i]] : NULL;
}

ssize_t order_store_view_index_of(struct order_store *s, const char *id)
{
    ssize_t idx = index_of(s, id);
    if (idx < 0 || !s->match[idx])
        return -1;
    settle(s);
    return (ssize_t)position_of(s, s->view, s->view_count, (size_t)idx);
}

void order_store_count_by_status(const struct order_store *s, size_t counts[ORDER_STATUS_COUNT])
{
    memcpy(counts, s->by_status, ORDER_STATUS_COUNT * sizeof counts[0]);
}
