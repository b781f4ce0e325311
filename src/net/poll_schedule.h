/* poll_schedule: what the worker knows about each order between cycles —
 * which reads are owed, which orders the recent list watches, when each was
 * last verified — and so which orders to read. Pure bookkeeping (no I/O), so
 * the polling policy is unit-testable:
 *   - owed reads (change): a new order, one whose status or last_update
 *     changed in a list answer, one an operator action touched
 *     (poll_schedule_poke); read at once, retried a few times after a
 *     failure with a growing delay, then left to the re-validation;
 *   - the window: the orders of the last recent listing
 *     (poll_schedule_window_begin, then poll_schedule_note_recent for each).
 *     One listed unchanged is verified by that and never read, whatever its
 *     status (Vault's worker being late included): its next change will
 *     show in the list;
 *   - re-validation (idle, within the budget the caller has left): orders
 *     outside the window (and those never read: their reads failed) by
 *     priority: the focused order, then awaiting the operator, then in
 *     motion, then completed (it can only become revoked); within each, the
 *     one longest without a look (verified or tried) first, so a failing
 *     order does not hold up the others; never error, expired or revoked
 *     once read (they never change), and not one looked at less than `slow`
 *     seconds ago;
 *   - verified: read in full, listed unchanged in the window, or, for an
 *     order that can no longer change, present in a complete listing.
 * Owned by the worker thread; no locks. */
#ifndef ACMETOP_NET_POLL_SCHEDULE_H
#define ACMETOP_NET_POLL_SCHEDULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "model/order.h"

struct poll_entry {
    char *id;
    char *role;              /* NULL until known */
    uint64_t status_hash;    /* of the status text as last seen, 0 if never (the
                                text itself is not kept: 100,000 copies) */
    enum order_status status;
    time_t last_update;      /* as last seen */
    time_t due;              /* owed read: 0 = at once, > 0 retry at; -1 = none owed */
    time_t verified_at;      /* wall time it was last known current, 0 = never */
    time_t tried_at;         /* last detail read, failed or not, 0 = never */
    unsigned long window;    /* the recent listing that last showed it */
    uint64_t serial_hash;    /* of the certificate's serial once completed, 0 = none */
    bool detail_known;       /* a full order object was fetched */
    bool cert_known;         /* lookup/cert answered for serial */
    bool seen;               /* seen in the current full listing (mark/sweep) */
    bool from_cache;         /* known from the cache of an earlier run, and the
                                console still shows it unverified */
    int failures;            /* consecutive failed detail fetches */
};

struct poll_schedule;

/* fast_s: first retry delay of a failed owed read; slow_s: the longest
 * retry delay, and the least age of a re-validated order. */
struct poll_schedule *poll_schedule_new(double fast_s, double slow_s);
void poll_schedule_free(struct poll_schedule *ps);
size_t poll_schedule_count(const struct poll_schedule *ps);

struct poll_entry *poll_schedule_find(struct poll_schedule *ps, const char *id);

/* What a list answer says about an order (status/last_update may be absent:
 * status_text NULL, last_update 0, as for plain LIST keys). Creates the entry
 * if new (owed at once). Returns true when the order is new or changed. An
 * order that can no longer change (error, expired, revoked) and is listed
 * counts as verified. */
bool poll_schedule_note_listed(struct poll_schedule *ps, const struct order *summary,
                               time_t now);

/* A recent listing starts: no order is in the window until noted again. */
void poll_schedule_window_begin(struct poll_schedule *ps);
/* poll_schedule_note_listed for an entry of the recent listing: the order is
 * in the window, and verified when unchanged and read before. */
bool poll_schedule_note_recent(struct poll_schedule *ps, const struct order *summary,
                               time_t now);

/* A detail fetch succeeded: record what it said; nothing is owed. */
void poll_schedule_note_detail(struct poll_schedule *ps, const struct order *o, time_t now);

/* An order from the cache of an earlier run (net/order_cache.h): known in
 * full, nothing owed, not verified (verified_at 0) until a listing or a read
 * vouches for it. */
void poll_schedule_note_cached(struct poll_schedule *ps, const struct order *o);

/* A detail fetch failed: an owed read is retried after a growing delay
 * (capped at `slow`) a few times, then left to the re-validation. */
void poll_schedule_note_failure(struct poll_schedule *ps, const char *id, time_t now);

/* Owe a read of this order at once (operator action). false if unknown. */
bool poll_schedule_poke(struct poll_schedule *ps, const char *id);
/* Owe a read of every unfinished order (the operator's "refresh now"). */
void poll_schedule_poke_unfinished(struct poll_schedule *ps);

/* The owed reads due at `now`, most urgent first; *n of them (array of
 * pointers into the entries: valid until the next mutating call; free the
 * array only). */
struct poll_entry **poll_schedule_due(struct poll_schedule *ps, time_t now, size_t *n);

/* Up to `max` orders to re-validate at `now`, in the order above (focus_id,
 * when eligible, first); same array rules as poll_schedule_due. */
struct poll_entry **poll_schedule_revalidation(struct poll_schedule *ps, time_t now,
                                               const char *focus_id, size_t max, size_t *n);

/* The verification time of the least recently verified order (orders never
 * read yet do not count); 0 when there is none. */
time_t poll_schedule_oldest_verified(const struct poll_schedule *ps);

/* Mark/sweep for complete listings: clear every `seen` flag, note the listed
 * ones (poll_schedule_note_listed sets `seen`), then drop the unseen ones.
 * Returns how many were dropped. */
void poll_schedule_unsee_all(struct poll_schedule *ps);
size_t poll_schedule_drop_unseen(struct poll_schedule *ps);

/* Visit every entry (for the complete-list message). */
void poll_schedule_each(struct poll_schedule *ps, void (*fn)(struct poll_entry *, void *),
                        void *ctx);

#endif
