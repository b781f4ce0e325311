/* order_store: the UI's (and --once's) collection of orders, keyed by ID.
 * Updates from the worker are merged in; the UI lists a "view": the orders
 * that pass the current filter, in the current sort order. The view is kept
 * in place as orders change, so no update, key or frame walks every order:
 *  - an order that changed where it sorts (or is new) moves into place when
 *    the view is next read: one by one (binary search, a memmove) when a
 *    few did, in one merge pass when many did (a batch of 20,000 summaries
 *    costs one hash lookup each, then one sort of what moved);
 *  - a filter narrower than the last one (its text contains the old text,
 *    no new status or role) looks only at the orders shown; another filter
 *    looks at every order once without sorting; only a new sort mode sorts;
 *  - the counts per status are kept as orders come, change and go.
 * Selection is by ID (order_store_view_index_of, a binary search), so it
 * survives re-sorting, filtering and updates.
 * Single-threaded: owned by one thread (the UI), no locks. Pointers returned
 * by find/view_at are valid until the next mutating call. */
#ifndef ACMETOP_ORDER_STORE_H
#define ACMETOP_ORDER_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <time.h>

#include "model/order.h"
#include "model/renew_window.h"

enum order_sort {
    ORDER_SORT_URGENCY,      /* status urgency (an expired certificate right after the
                                orders awaiting the operator), then the nearest deadline:
                                certificate expiry (completed), ACME order expiry (waiting
                                or in motion), newest created (error, expired, revoked) */
    ORDER_SORT_CREATED,      /* newest created first */
    ORDER_SORT_ORDER_EXPIRY, /* soonest ACME-order expiry first, unset last */
    ORDER_SORT_CERT_EXPIRY,  /* soonest certificate not_after first, unknown last */
    ORDER_SORT_ID,           /* order ID */
    ORDER_SORT_ROLE,         /* role name (byte order), then ID */
    ORDER_SORT_IDENTIFIER,   /* first identifier (byte order), then ID */
    ORDER_SORT_RENEW,        /* soonest renewal window (model/renew_window.h) first, orders
                                without a certificate last */
    ORDER_SORT_COUNT
};
/* Ties are always broken by ID (ascending), so the order is total and stable
 * across rebuilds. `reverse` flips the whole comparison, ties included. */

struct order_filter {
    const char *text;      /* case-insensitive (ASCII) substring of ID, any identifier
                              or role; NULL or "" = any */
    unsigned status_mask;  /* ORDER_STATUS_BIT()s; 0 = any status */
    const char *role;      /* exact role name; NULL or "" = any */
};
/* The store copies the filter's strings (order_store_set_filter). */

struct order_store;

struct order_store *order_store_new(void);
void order_store_free(struct order_store *s); /* s may be NULL */

size_t order_store_count(const struct order_store *s);
/* Order i of the store in no particular order (i < order_store_count), for
 * walks over every order whatever the view shows; NULL past the end. */
const struct order *order_store_at(const struct order_store *s, size_t i);

/* A number that changes whenever an order is added, removed or changes what
 * it shows, or the filter or sort changes; an update that brings nothing new
 * leaves it as it was (so the console knows it need not redraw). */
unsigned long order_store_generation(const struct order_store *s);

/* A number that changes when an order comes or goes, or changes what
 * renewals are computed from (model/renew_index.h: role, identifiers,
 * created, completed or not, the certificate's validity); a new sort,
 * filter or hidden set, or an order moving on in flight, leaves it as it
 * was: what is computed from every order need not be again. */
unsigned long order_store_renew_generation(const struct order_store *s);

/* The order with this ID, or NULL. */
const struct order *order_store_find(const struct order_store *s,
                                     const char *id);

/* Merge o (copied; o stays the caller's) into the store by o->id: a new ID
 * is inserted as is; a known one is merged by the rules of
 * model/order_merge.h (a summary never wipes details; the order is no
 * longer stale; its `unverified` flag becomes o's, so Vault's own answer
 * clears the mark of an order from the cache).
 * Returns 1 if inserted, 0 if merged, -1 if o->id is NULL or "". */
int order_store_apply(struct order_store *s, const struct order *o);

/* Same, but takes o's contents (o is left empty): no copy. On -1, o is left
 * as it was (still the caller's). */
int order_store_apply_move(struct order_store *s, struct order *o);

/* Remove every order of place (order.place) whose ID is not among
 * ids[0..n) (a complete list of that place was received and these orders
 * vanished); the orders of other places stay. Returns how many were
 * removed. */
size_t order_store_remove_missing(struct order_store *s,
                                  const char *const *ids, size_t n, unsigned place);

/* A batch from the worker (UPD_ORDERS): when complete_list, the orders of
 * place not among items[0..n) vanished and are removed first; then every
 * item is merged as order_store_apply_move does (items are left empty). */
void order_store_apply_batch_move(struct order_store *s, struct order *items, size_t n,
                                  bool complete_list, unsigned place);

/* Remove one order. Returns true if it existed. */
bool order_store_remove(struct order_store *s, const char *id);

/* Mark an order's data as stale (the last fetch failed) or fresh. Returns
 * false if the ID is unknown. */
bool order_store_mark_stale(struct order_store *s, const char *id, bool stale);

/* Record the certificate's validity (from fetch-cert or lookup/cert), and its
 * serial if the order has none yet. Returns false if the ID is unknown. */
bool order_store_set_cert(struct order_store *s, const char *id,
                          const char *serial, time_t not_before,
                          time_t not_after);

/* When a certificate is due, for ORDER_SORT_RENEW (default: 2/3 of its
 * lifetime).  Copied. */
void order_store_set_renew_at(struct order_store *s, const struct renew_at *at);

/* Orders to leave out of the view whatever the filter says (the console's
 * "hide superseded"): hidden(id, ctx) true hides.  Call again (same or
 * new function) whenever its answers may have changed: every order is
 * looked at again.  NULL shows them all. */
void order_store_set_hidden(struct order_store *s, bool (*hidden)(const char *id, void *ctx),
                            void *ctx);

/* View settings (the same settings again cost nothing). */
void order_store_set_sort(struct order_store *s, enum order_sort mode,
                          bool reverse);
void order_store_set_filter(struct order_store *s,
                            const struct order_filter *f); /* NULL = none */
enum order_sort order_store_sort_mode(const struct order_store *s);
/* "urgency", "newest", "order expiry", "cert expiry", "ID", "role",
 * "identifier"; "?" out of range. */
const char *order_sort_name(enum order_sort mode);
/* The urgency sort's clock: a certificate that has expired by now ranks as
 * urgent. Re-sorts only when a certificate expired since the last call. */
void order_store_set_now(struct order_store *s, time_t now);
bool order_store_sort_reverse(const struct order_store *s);

/* True if o passes f (exposed for tests and --once). */
bool order_filter_match(const struct order_filter *f, const struct order *o);

/* The view (orders that changed are put in place here first). */
size_t order_store_view_count(struct order_store *s);
const struct order *order_store_view_at(struct order_store *s, size_t i);
/* Position of the order with this ID in the view, -1 if absent/filtered
 * out. O(log N). */
ssize_t order_store_view_index_of(struct order_store *s, const char *id);

/* Number of orders per status (all orders, ignoring the filter); counts has
 * ORDER_STATUS_COUNT entries. For the header line; kept, not counted: O(1). */
void order_store_count_by_status(const struct order_store *s,
                                 size_t counts[ORDER_STATUS_COUNT]);

#endif
