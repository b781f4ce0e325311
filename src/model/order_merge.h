/* order_merge: what an update of an order does to the order already known
 * (the order store's merge rules, see order_store_apply), and whether it
 * changed anything shown, so that an update that brings nothing new (an
 * order re-read, a listed ID) costs no redraw:
 *  - o->detail_known (a full order object): o replaces dst, but keeps
 *    cert_not_before/after when o has none and the serial is the same;
 *  - a summary (detail_known false): only the fields o carries are taken
 *    (non-NULL strings/arrays, non-zero times, the status when status_text
 *    != NULL); the others and detail_known survive. A summary whose
 *    last_update is older than dst's does not roll back the status or
 *    last_update;
 *  - either way dst is no longer stale, and its `unverified` flag is o's
 *    (an order from the cache stays unverified until Vault's own answer). */
#ifndef ACMETOP_ORDER_MERGE_H
#define ACMETOP_ORDER_MERGE_H

#include <stdbool.h>

#include "model/order.h"

/* Merge o into dst (same ID). Takes what it uses from o; o is left for the
 * caller to order_clear(). Returns whether dst shows anything different. */
bool order_merge(struct order *dst, struct order *o);

/* Everything an order shows is the same in a and b (stale, detail_known and
 * unverified included). */
bool order_same(const struct order *a, const struct order *b);

#endif
