/* poll_schedule: per-order polling state of the worker (see the header for
 * the policy). Entries live in a vector; an open-addressing hash table maps
 * IDs to vector positions, rebuilt on growth and after a sweep. */
#include "net/poll_schedule.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model/hash64.h"
#include "model/xalloc.h"

#define POLL_OWED_RETRIES 3 /* failed owed reads retried before the re-validation takes over */

struct poll_schedule {
    struct poll_entry **items;
    size_t count, cap;
    size_t *slots;          /* index+1 into items, 0 = empty */
    size_t slot_count;      /* power of two, >= 2 * count */
    double fast_s, slow_s;
    unsigned long window;   /* the current recent listing, 0 = none yet */
};

static uint64_t id_hash(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static void index_rebuild(struct poll_schedule *ps, size_t min_slots)
{
    size_t n = 64;
    while (n < min_slots)
        n <<= 1;
    free(ps->slots);
    ps->slots = xcalloc(n, sizeof(*ps->slots));
    ps->slot_count = n;
    for (size_t i = 0; i < ps->count; i++) {
        size_t s = id_hash(ps->items[i]->id) & (n - 1);
        while (ps->slots[s])
            s = (s + 1) & (n - 1);
        ps->slots[s] = i + 1;
    }
}

struct poll_schedule *poll_schedule_new(double fast_s, double slow_s)
{
    struct poll_schedule *ps = xcalloc(1, sizeof(*ps));
    ps->fast_s = fast_s > 0 ? fast_s : 5;
    ps->slow_s = slow_s > ps->fast_s ? slow_s : ps->fast_s;
    index_rebuild(ps, 64);
    return ps;
}

static void entry_free(struct poll_entry *e)
{
    free(e->id);
    free(e->role);
    free(e);
}

void poll_schedule_free(struct poll_schedule *ps)
{
    if (!ps)
        return;
    for (size_t i = 0; i < ps->count; i++)
        entry_free(ps->items[i]);
    free(ps->items);
    free(ps->slots);
    free(ps);
}

size_t poll_schedule_count(const struct poll_schedule *ps)
{
    return ps->count;
}

struct poll_entry *poll_schedule_find(struct poll_schedule *ps, const char *id)
{
    if (!id)
        return NULL;
    size_t s = id_hash(id) & (ps->slot_count - 1);
    while (ps->slots[s]) {
        struct poll_entry *e = ps->items[ps->slots[s] - 1];
        if (strcmp(e->id, id) == 0)
            return e;
        s = (s + 1) & (ps->slot_count - 1);
    }
    return NULL;
}

static struct poll_entry *entry_add(struct poll_schedule *ps, const char *id)
{
    if (ps->count == ps->cap) {
        ps->cap = ps->cap ? ps->cap * 2 : 256;
        ps->items = xrealloc(ps->items, ps->cap * sizeof(*ps->items));
    }
    struct poll_entry *e = xcalloc(1, sizeof(*e));
    e->id = xstrdup(id);
    e->status = ORDER_STATUS_UNKNOWN;
    ps->items[ps->count++] = e;
    if (ps->count * 2 > ps->slot_count) {
        index_rebuild(ps, ps->count * 4);
    } else {
        size_t s = id_hash(id) & (ps->slot_count - 1);
        while (ps->slots[s])
            s = (s + 1) & (ps->slot_count - 1);
        ps->slots[s] = ps->count;
    }
    return e;
}

/* Never 0 for a text, so 0 means "never seen". */
static uint64_t text_hash(const char *s)
{
    uint64_t h = hash64_bytes(s, strlen(s));
    return h ? h : 1;
}

static void set_str(char **dst, const char *src)
{
    if (!src || (*dst && strcmp(*dst, src) == 0))
        return;
    free(*dst);
    *dst = xstrdup(src);
}

/* error, expired, revoked: nothing can happen to the order any more
 * (completed still can: it may be revoked). */
static bool is_final(enum order_status s)
{
    return s == ORDER_ERROR || s == ORDER_EXPIRED || s == ORDER_REVOKED;
}

bool poll_schedule_note_listed(struct poll_schedule *ps, const struct order *summary,
                               time_t now)
{
    if (!summary->id || !*summary->id)
        return false;
    struct poll_entry *e = poll_schedule_find(ps, summary->id);
    bool changed = false;
    if (!e) {
        e = entry_add(ps, summary->id);
        e->due = 0;
        changed = true;
    }
    e->seen = true;
    set_str(&e->role, summary->role);
    if (summary->status_text && e->status_hash != text_hash(summary->status_text))
        changed = true;
    if (summary->last_update && summary->last_update != e->last_update && e->last_update)
        changed = true;
    if (changed && e->detail_known) {
        e->due = 0;
        e->failures = 0;
    }
    if (summary->status_text) {
        e->status_hash = text_hash(summary->status_text);
        e->status = summary->status;
    }
    if (summary->last_update)
        e->last_update = summary->last_update;
    if (!changed && e->detail_known && is_final(e->status))
        e->verified_at = now;
    return changed;
}

void poll_schedule_window_begin(struct poll_schedule *ps)
{
    ps->window++;
}

bool poll_schedule_note_recent(struct poll_schedule *ps, const struct order *summary,
                               time_t now)
{
    bool changed = poll_schedule_note_listed(ps, summary, now);
    struct poll_entry *e = poll_schedule_find(ps, summary->id);
    if (!e)
        return changed;
    e->window = ps->window;
    if (!changed && e->detail_known && e->due < 0 && summary->status_text && summary->last_update)
        e->verified_at = now;
    return changed;
}

void poll_schedule_note_detail(struct poll_schedule *ps, const struct order *o, time_t now)
{
    struct poll_entry *e = poll_schedule_find(ps, o->id);
    if (!e) {
        e = entry_add(ps, o->id);
        e->seen = true;
    }
    set_str(&e->role, o->role);
    if (o->status_text) {
        e->status_hash = text_hash(o->status_text);
        e->status = o->status;
    }
    if (o->last_update)
        e->last_update = o->last_update;
    if (o->serial && *o->serial && e->serial_hash != text_hash(o->serial)) {
        e->serial_hash = text_hash(o->serial);
        e->cert_known = o->cert_not_after != 0;
    }
    e->detail_known = true;
    e->failures = 0;
    e->due = -1;
    e->tried_at = e->verified_at = now;
}

void poll_schedule_note_cached(struct poll_schedule *ps, const struct order *o)
{
    poll_schedule_note_detail(ps, o, 0);
    struct poll_entry *e = poll_schedule_find(ps, o->id);
    e->cert_known = o->cert_not_after != 0 || !o->serial || !*o->serial;
    e->seen = false;
    e->from_cache = true;
}

void poll_schedule_note_failure(struct poll_schedule *ps, const char *id, time_t now)
{
    struct poll_entry *e = poll_schedule_find(ps, id);
    if (!e)
        return;
    if (e->failures < 16)
        e->failures++;
    e->tried_at = now;
    if (e->due < 0 || e->failures > POLL_OWED_RETRIES) {
        e->due = -1; /* the re-validation tries again, within the budget */
        return;
    }
    double delay = ps->fast_s * (double)(1u << e->failures);
    if (delay > ps->slow_s)
        delay = ps->slow_s;
    e->due = now + (time_t)delay;
}

bool poll_schedule_poke(struct poll_schedule *ps, const char *id)
{
    struct poll_entry *e = poll_schedule_find(ps, id);
    if (!e)
        return false;
    e->due = 0;
    e->failures = 0;
    return true;
}

void poll_schedule_poke_unfinished(struct poll_schedule *ps)
{
    for (size_t i = 0; i < ps->count; i++) {
        struct poll_entry *e = ps->items[i];
        if (!e->detail_known || !order_status_is_terminal(e->status)) {
            e->due = 0;
            e->failures = 0;
        }
    }
}

static int due_cmp(const void *a, const void *b)
{
    const struct poll_entry *x = *(struct poll_entry *const *)a;
    const struct poll_entry *y = *(struct poll_entry *const *)b;
    int ux = order_status_urgency(x->status), uy = order_status_urgency(y->status);
    if (ux != uy)
        return ux < uy ? -1 : 1;
    return strcmp(x->id, y->id);
}

struct poll_entry **poll_schedule_due(struct poll_schedule *ps, time_t now, size_t *n)
{
    size_t k = 0, cap = 16; /* usually a handful: not an array of every order */
    struct poll_entry **out = xmalloc(cap * sizeof(*out));
    for (size_t i = 0; i < ps->count; i++) {
        struct poll_entry *e = ps->items[i];
        if (e->due < 0 || e->due > now)
            continue;
        if (k == cap)
            out = xrealloc(out, (cap *= 2) * sizeof(*out));
        out[k++] = e;
    }
    if (k > 1)
        qsort(out, k, sizeof(*out), due_cmp);
    *n = k;
    return out;
}

/* Re-validation rank: the focus, then awaiting the operator, in motion,
 * completed. */
static int revalidation_class(const struct poll_entry *e, const struct poll_entry *focus)
{
    if (e == focus)
        return 0;
    if (e->status == ORDER_AWAITING_CHALLENGE)
        return 1;
    return e->status == ORDER_COMPLETED ? 3 : 2;
}

/* The last time anything was learnt or tried about the order. */
static time_t last_look(const struct poll_entry *e)
{
    return e->verified_at > e->tried_at ? e->verified_at : e->tried_at;
}

/* Whether x goes before y: class, then the longest without a look, then ID. */
static bool revalidation_before(const struct poll_entry *x, const struct poll_entry *y,
                                const struct poll_entry *focus)
{
    int cx = revalidation_class(x, focus), cy = revalidation_class(y, focus);
    if (cx != cy)
        return cx < cy;
    if (last_look(x) != last_look(y))
        return last_look(x) < last_look(y);
    return strcmp(x->id, y->id) < 0;
}

/* Nothing owed, not finished for good, outside the window (or never
 * verified: its reads failed), and not looked at for `slow` seconds. */
static bool revalidation_eligible(const struct poll_schedule *ps, const struct poll_entry *e,
                                  time_t now)
{
    if (e->due >= 0 || (e->detail_known && is_final(e->status)))
        return false;
    if (e->verified_at && ps->window != 0 && e->window == ps->window)
        return false;
    return now - last_look(e) >= (time_t)ps->slow_s;
}

struct poll_entry **poll_schedule_revalidation(struct poll_schedule *ps, time_t now,
                                               const char *focus_id, size_t max, size_t *n)
{
    /* The best `max` in one pass (max is a handful: what the budget allows). */
    struct poll_entry **out = xmalloc((max ? max : 1) * sizeof(*out));
    struct poll_entry *focus = poll_schedule_find(ps, focus_id);
    size_t k = 0;
    for (size_t i = 0; i < ps->count && max; i++) {
        struct poll_entry *e = ps->items[i];
        if (!revalidation_eligible(ps, e, now))
            continue;
        if (k == max && !revalidation_before(e, out[k - 1], focus))
            continue;
        size_t at = k < max ? k++ : k - 1;
        while (at > 0 && revalidation_before(e, out[at - 1], focus)) {
            out[at] = out[at - 1];
            at--;
        }
        out[at] = e;
    }
    *n = k;
    return out;
}

time_t poll_schedule_oldest_verified(const struct poll_schedule *ps)
{
    time_t oldest = 0;
    for (size_t i = 0; i < ps->count; i++) {
        time_t v = ps->items[i]->verified_at;
        if (v && (!oldest || v < oldest))
            oldest = v;
    }
    return oldest;
}

void poll_schedule_unsee_all(struct poll_schedule *ps)
{
    for (size_t i = 0; i < ps->count; i++)
        ps->items[i]->seen = false;
}

size_t poll_schedule_drop_unseen(struct poll_schedule *ps)
{
    size_t kept = 0, dropped = 0;
    for (size_t i = 0; i < ps->count; i++) {
        if (ps->items[i]->seen) {
            ps->items[kept++] = ps->items[i];
        } else {
            entry_free(ps->items[i]);
            dropped++;
        }
    }
    ps->count = kept;
    if (dropped)
        index_rebuild(ps, ps->count * 4);
    return dropped;
}

void poll_schedule_each(struct poll_schedule *ps, void (*fn)(struct poll_entry *, void *),
                        void *ctx)
{
    for (size_t i = 0; i < ps->count; i++)
        fn(ps->items[i], ctx);
}
