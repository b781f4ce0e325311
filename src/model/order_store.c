/* order_store: orders keyed by ID, merged from updates, listed through a
 * filtered and sorted view.
 * Layout: a dense array of struct order (cache-friendly scans for filter,
 * sort and counts) plus an open-addressing hash table (linear probing,
 * backward-shift deletion, load <= 1/2) from ID to array index. Removal
 * swaps the last order into the hole. The view is an array of array indices
 * rebuilt lazily; view_pos maps an array index back to its view position so
 * selection-by-ID costs one hash lookup. */
#include "model/order_store.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model/strv.h"
#include "model/xalloc.h"

#define EMPTY_SLOT SIZE_MAX

struct order_store {
    struct order *orders; /* count used, cap allocated */
    size_t count, cap;
    size_t *slots;        /* nslots (power of two); array index or EMPTY_SLOT */
    size_t nslots;

    size_t *view;         /* view_count array indices */
    size_t view_count;
    ssize_t *view_pos;    /* per array index: position in view or -1 */
    size_t view_cap;      /* allocated entries of view and view_pos */
    bool view_dirty;

    enum order_sort sort;
    bool reverse;
    char *filter_text;    /* lowercased; NULL = any */
    unsigned filter_mask; /* 0 = any */
    char *filter_role;    /* NULL = any */
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
    slots_rebuild(s, 64);
    s->view_dirty = true;
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
    free(s->view);
    free(s->view_pos);
    free(s->filter_text);
    free(s->filter_role);
    free(s);
}

size_t order_store_count(const struct order_store *s)
{
    return s->count;
}

const struct order *order_store_find(const struct order_store *s, const char *id)
{
    ssize_t i = index_of(s, id);
    return i < 0 ? NULL : &s->orders[i];
}

/* ---- merge ---------------------------------------------------------------- */

static void take_string(char **dst, char **src)
{
    if (*src) {
        free(*dst);
        *dst = *src;
        *src = NULL;
    }
}

static bool same_serial(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") == 0;
}

/* Summary merge: take only what o carries. o's taken fields become NULL. */
static void merge_summary(struct order *dst, struct order *o)
{
    bool older = o->last_update && dst->last_update &&
                 o->last_update < dst->last_update;
    if (!older) {
        if (o->status_text) {
            dst->status = o->status;
            take_string(&dst->status_text, &o->status_text);
        }
        if (o->last_update)
            dst->last_update = o->last_update;
    }
    take_string(&dst->role, &o->role);
    if (o->identifiers) {
        strv_free(dst->identifiers, dst->identifier_count);
        dst->identifiers = o->identifiers;
        dst->identifier_count = o->identifier_count;
        o->identifiers = NULL;
        o->identifier_count = 0;
    }
    take_string(&dst->csr, &o->csr);
    take_string(&dst->last_error, &o->last_error);
    take_string(&dst->serial, &o->serial);
    if (o->challenges) {
        /* swap, so order_clear(o) frees the old ones */
        struct order_identifier_challenges *c = dst->challenges;
        size_t n = dst->challenge_count;
        dst->challenges = o->challenges;
        dst->challenge_count = o->challenge_count;
        o->challenges = c;
        o->challenge_count = n;
    }
    if (o->created)
        dst->created = o->created;
    if (o->next_work)
        dst->next_work = o->next_work;
    if (o->expires)
        dst->expires = o->expires;
    if (o->cert_not_before)
        dst->cert_not_before = o->cert_not_before;
    if (o->cert_not_after)
        dst->cert_not_after = o->cert_not_after;
}

int order_store_apply_move(struct order_store *s, struct order *o)
{
    if (!o->id || !o->id[0])
        return -1;
    s->view_dirty = true;
    ssize_t idx = index_of(s, o->id);
    if (idx < 0) {
        if (s->count == s->cap) {
            s->cap = s->cap ? s->cap * 2 : 64;
            s->orders = xrealloc(s->orders, s->cap * sizeof *s->orders);
        }
        struct order *dst = &s->orders[s->count];
        *dst = *o;
        order_init(o);
        dst->stale = false;
        s->count++;
        if (s->count * 2 > s->nslots)
            slots_rebuild(s, s->nslots * 2);
        else
            s->slots[slot_find(s, dst->id)] = s->count - 1;
        return 1;
    }
    struct order *dst = &s->orders[idx];
    if (o->detail_known) {
        if (!o->cert_not_before && !o->cert_not_after &&
            same_serial(o->serial, dst->serial)) {
            o->cert_not_before = dst->cert_not_before;
            o->cert_not_after = dst->cert_not_after;
        }
        /* the ID string is the hash key's text: order_move keeps the
         * element's position, and the new ID is equal */
        order_move(dst, o);
    } else {
        merge_summary(dst, o);
        order_clear(o);
    }
    dst->stale = false;
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
                                  bool complete_list)
{
    if (complete_list) {
        const char **ids = xcalloc(n + 1, sizeof(*ids));
        for (size_t i = 0; i < n; i++)
            ids[i] = items[i].id;
        order_store_remove_missing(s, ids, n);
        free(ids);
    }
    for (size_t i = 0; i < n; i++)
        order_store_apply_move(s, &items[i]);
}

/* ---- removal -------------------------------------------------------------- */

static void remove_at(struct order_store *s, size_t idx)
{
    slot_delete(s, slot_find(s, s->orders[idx].id));
    order_clear(&s->orders[idx]);
    size_t last = s->count - 1;
    if (idx != last) {
        s->slots[slot_find(s, s->orders[last].id)] = idx;
        s->orders[idx] = s->orders[last];
    }
    s->count--;
    s->view_dirty = true;
}

bool order_store_remove(struct order_store *s, const char *id)
{
    ssize_t idx = index_of(s, id);
    if (idx < 0)
        return false;
    remove_at(s, (size_t)idx);
    return true;
}

size_t order_store_remove_missing(struct order_store *s,
                                  const char *const *ids, size_t n)
{
    if (s->count == 0)
        return 0;
    unsigned char *keep = xcalloc(s->count, 1);
    for (size_t i = 0; i < n; i++) {
        ssize_t idx = index_of(s, ids[i]);
        if (idx >= 0)
            keep[idx] = 1;
    }
    /* downwards: remove_at moves the last element (already visited) into
     * the hole, so no element is skipped */
    size_t removed = 0;
    for (size_t i = s->count; i-- > 0;) {
        if (!keep[i]) {
            remove_at(s, i);
            removed++;
        }
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
        s->orders[idx].stale = stale;
        s->view_dirty = true;
    }
    return true;
}

bool order_store_set_cert(struct order_store *s, const char *id,
                          const char *serial, time_t not_before,
                          time_t not_after)
{
    ssize_t idx = index_of(s, id);
    if (idx < 0)
        return false;
    struct order *o = &s->orders[idx];
    if (serial && serial[0] && (!o->serial || !o->serial[0])) {
        free(o->serial);
        o->serial = xstrdup(serial);
    }
    o->cert_not_before = not_before;
    o->cert_not_after = not_after;
    s->view_dirty = true;
    return true;
}

/* ---- filter --------------------------------------------------------------- */

/* Case-insensitive (ASCII) substring; needle already lowercase. */
static bool contains_folded(const char *hay, const char *needle)
{
    if (!hay)
        return false;
    size_t nlen = strlen(needle);
    for (; *hay; hay++) {
        size_t k = 0;
        while (k < nlen && hay[k] &&
               tolower((unsigned char)hay[k]) == (unsigned char)needle[k])
            k++;
        if (k == nlen)
            return true;
    }
    return false;
}

static char *lowercase_dup(const char *s)
{
    char *d = xstrdup(s);
    for (char *p = d; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return d;
}

/* The filter with text already lowercase. */
static bool filter_match_folded(const char *text, unsigned mask,
                                const char *role, const struct order *o)
{
    if (mask && !(mask & ORDER_STATUS_BIT(o->status)))
        return false;
    if (role && role[0] && (!o->role || strcmp(o->role, role) != 0))
        return false;
    if (!text || !text[0])
        return true;
    if (contains_folded(o->id, text) || contains_folded(o->role, text))
        return true;
    for (size_t i = 0; i < o->identifier_count; i++)
        if (contains_folded(o->identifiers[i], text))
            return true;
    return false;
}

bool order_filter_match(const struct order_filter *f, const struct order *o)
{
    if (!f)
        return true;
    char *text = f->text && f->text[0] ? lowercase_dup(f->text) : NULL;
    bool ok = filter_match_folded(text, f->status_mask, f->role, o);
    free(text);
    return ok;
}

void order_store_set_filter(struct order_store *s, const struct order_filter *f)
{
    free(s->filter_text);
    free(s->filter_role);
    s->filter_text = f && f->text && f->text[0] ? lowercase_dup(f->text) : NULL;
    s->filter_role = f && f->role && f->role[0] ? xstrdup(f->role) : NULL;
    s->filter_mask = f ? f->status_mask : 0;
    s->view_dirty = true;
}

/* ---- sort and view -------------------------------------------------------- */

void order_store_set_sort(struct order_store *s, enum order_sort mode,
                          bool reverse)
{
    if ((int)mode < 0 || mode >= ORDER_SORT_COUNT)
        mode = ORDER_SORT_URGENCY;
    s->sort = mode;
    s->reverse = reverse;
    s->view_dirty = true;
}

enum order_sort order_store_sort_mode(const struct order_store *s)
{
    return s->sort;
}

bool order_store_sort_reverse(const struct order_store *s)
{
    return s->reverse;
}

/* qsort has no context argument: sort pointers, one comparator per mode. */
static int cmp_id(const struct order *a, const struct order *b)
{
    return strcmp(a->id, b->id);
}

static int cmp_time_desc(time_t a, time_t b)
{
    return a > b ? -1 : a < b ? 1 : 0;
}

/* Soonest first, 0 (unknown) after every known time. */
static int cmp_time_soonest(time_t a, time_t b)
{
    if (a == b)
        return 0;
    if (!a)
        return 1;
    if (!b)
        return -1;
    return a < b ? -1 : 1;
}

static int cmp_urgency(const void *x, const void *y)
{
    const struct order *a = *(const struct order *const *)x;
    const struct order *b = *(const struct order *const *)y;
    int ra = order_status_urgency(a->status), rb = order_status_urgency(b->status);
    if (ra != rb)
        return ra < rb ? -1 : 1;
    int c = cmp_time_desc(a->created, b->created);
    return c ? c : cmp_id(a, b);
}

static int cmp_created(const void *x, const void *y)
{
    const struct order *a = *(const struct order *const *)x;
    const struct order *b = *(const struct order *const *)y;
    int c = cmp_time_desc(a->created, b->created);
    return c ? c : cmp_id(a, b);
}

static int cmp_order_expiry(const void *x, const void *y)
{
    const struct order *a = *(const struct order *const *)x;
    const struct order *b = *(const struct order *const *)y;
    int c = cmp_time_soonest(a->expires, b->expires);
    return c ? c : cmp_id(a, b);
}

static int cmp_cert_expiry(const void *x, const void *y)
{
    const struct order *a = *(const struct order *const *)x;
    const struct order *b = *(const struct order *const *)y;
    int c = cmp_time_soonest(a->cert_not_after, b->cert_not_after);
    return c ? c : cmp_id(a, b);
}

static void view_rebuild(struct order_store *s)
{
    if (!s->view_dirty)
        return;
    if (s->view_cap < s->count) {
        s->view_cap = s->count;
        s->view = xrealloc(s->view, s->view_cap * sizeof *s->view);
        s->view_pos = xrealloc(s->view_pos, s->view_cap * sizeof *s->view_pos);
    }
    const struct order **sorted = xmalloc((s->count ? s->count : 1) * sizeof *sorted);
    size_t n = 0;
    for (size_t i = 0; i < s->count; i++) {
        s->view_pos[i] = -1;
        if (filter_match_folded(s->filter_text, s->filter_mask, s->filter_role,
                                &s->orders[i]))
            sorted[n++] = &s->orders[i];
    }
    static int (*const cmp[ORDER_SORT_COUNT])(const void *, const void *) = {
        [ORDER_SORT_URGENCY] = cmp_urgency,
        [ORDER_SORT_CREATED] = cmp_created,
        [ORDER_SORT_ORDER_EXPIRY] = cmp_order_expiry,
        [ORDER_SORT_CERT_EXPIRY] = cmp_cert_expiry,
    };
    if (n > 1)
        qsort(sorted, n, sizeof *sorted, cmp[s->sort]);
    for (size_t k = 0; k < n; k++) {
        /* the order is total (ID tie-break), so reversing the result is the
         * same as sorting with the reversed comparison */
        size_t pos = s->reverse ? n - 1 - k : k;
        size_t idx = (size_t)(sorted[k] - s->orders);
        s->view[pos] = idx;
        s->view_pos[idx] = (ssize_t)pos;
    }
    free(sorted);
    s->view_count = n;
    s->view_dirty = false;
}

size_t order_store_view_count(struct order_store *s)
{
    view_rebuild(s);
    return s->view_count;
}

const struct order *order_store_view_at(struct order_store *s, size_t i)
{
    view_rebuild(s);
    return i < s->view_count ? &s->orders[s->view[i]] : NULL;
}

ssize_t order_store_view_index_of(struct order_store *s, const char *id)
{
    view_rebuild(s);
    ssize_t idx = index_of(s, id);
    return idx < 0 ? -1 : s->view_pos[idx];
}

void order_store_count_by_status(const struct order_store *s,
                                 size_t counts[ORDER_STATUS_COUNT])
{
    memset(counts, 0, ORDER_STATUS_COUNT * sizeof counts[0]);
    for (size_t i = 0; i < s->count; i++) {
        enum order_status st = s->orders[i].status;
        if ((int)st < 0 || st >= ORDER_STATUS_COUNT)
            st = ORDER_STATUS_UNKNOWN;
        counts[st]++;
    }
}
