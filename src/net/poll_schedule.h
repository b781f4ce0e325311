/* poll_schedule: what the worker knows about each order between cycles, and
 * when each one is due for a detail fetch. Pure bookkeeping (no I/O), so the
 * polling policy is unit-testable:
 *   - a new order, or one whose status or last_update changed in the list
 *     answer, is due at once;
 *   - orders in motion (new, submitted, fetching-certificate, unknown) are
 *     polled every `fast` seconds, but never before Vault's own next_work_date
 *     (nothing changes before Vault's worker looks at the order again);
 *   - orders waiting on the operator (awaiting-challenge-fulfillment) only
 *     change when someone fulfills or the order expires: every `slow` seconds;
 *   - finished orders (completed, error, expired, revoked) are fetched once;
 *   - the focused order (the one on the operator's screen) every cycle.
 * Owned by the worker thread; no locks. */
#ifndef ACMETOP_NET_POLL_SCHEDULE_H
#define ACMETOP_NET_POLL_SCHEDULE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "model/order.h"

struct poll_entry {
    char *id;
    char *role;              /* NULL until known */
    char *status_text;       /* as last seen (list or detail), NULL if never */
    enum order_status status;
    time_t last_update;      /* as last seen */
    time_t next_work;        /* Vault's next_work_date, 0 = unset */
    time_t due;              /* next detail fetch; 0 = at once; -1 = never */
    char *serial;            /* certificate serial once completed */
    bool detail_known;       /* a full order object was fetched */
    bool cert_known;         /* lookup/cert answered for serial */
    bool seen;               /* seen in the current full listing (mark/sweep) */
    int failures;            /* consecutive failed detail fetches */
};

struct poll_schedule;

struct poll_schedule *poll_schedule_new(double fast_s, double slow_s);
void poll_schedule_free(struct poll_schedule *ps);
size_t poll_schedule_count(const struct poll_schedule *ps);

struct poll_entry *poll_schedule_find(struct poll_schedule *ps, const char *id);

/* What a list answer says about an order (status/last_update may be absent:
 * status_text NULL, last_update 0, as for plain LIST keys). Creates the entry
 * if new (due at once). Returns true when the order is new or changed. */
bool poll_schedule_note_listed(struct poll_schedule *ps, const struct order *summary,
                               time_t now);

/* A detail fetch succeeded: record what it said and plan the next one. */
void poll_schedule_note_detail(struct poll_schedule *ps, const struct order *o, time_t now);

/* A detail fetch failed: retry after a growing delay (capped at `slow`). */
void poll_schedule_note_failure(struct poll_schedule *ps, const char *id, time_t now);

/* Make an order due at once (operator action, refresh). false if unknown. */
bool poll_schedule_poke(struct poll_schedule *ps, const char *id);
/* Make every unfinished order due at once (the operator's "refresh now"). */
void poll_schedule_poke_unfinished(struct poll_schedule *ps);

/* The IDs due at `now` (focus_id, when known, is always among them), most
 * urgent first; *n of them (array of pointers into the entries: valid until
 * the next mutating call; free the array only). */
struct poll_entry **poll_schedule_due(struct poll_schedule *ps, time_t now,
                                      const char *focus_id, size_t *n);

/* Mark/sweep for complete listings: clear every `seen` flag, note the listed
 * ones (poll_schedule_note_listed sets `seen`), then drop the unseen ones.
 * Returns how many were dropped. */
void poll_schedule_unsee_all(struct poll_schedule *ps);
size_t poll_schedule_drop_unseen(struct poll_schedule *ps);

/* Visit every entry (for the complete-list message). */
void poll_schedule_each(struct poll_schedule *ps, void (*fn)(struct poll_entry *, void *),
                        void *ctx);

#endif
