/* status_watch: which status changes the engine has seen, for the
 * on_change hook and `acmetop --watch` (the worker shows it the orders
 * read in full: a summary lacks last_error).  It remembers the last status of
 * every order ID (the text shown: the API's name, or the verbatim text of
 * a status this build does not know) and its last_update, and says when an
 * order's status differs from the one remembered.  An order seen for the
 * first time is a change only once the first listing is done (before, it
 * is what there was); an answer older than the one remembered (an earlier
 * last_update) is not believed.  Pure: no I/O, no threads. */
#ifndef ACMETOP_MODEL_STATUS_WATCH_H
#define ACMETOP_MODEL_STATUS_WATCH_H

#include <stdbool.h>

#include "model/order.h"

struct status_watch;

struct status_watch *status_watch_new(void);
void status_watch_free(struct status_watch *w);

/* From now on an order seen for the first time is reported (old status ""). */
void status_watch_listed(struct status_watch *w);

/* Sees o (its id, status and last_update).  Returns true with *old_status
 * (the status remembered, "" for a new order; valid until the next call)
 * when its status changed. */
bool status_watch_see(struct status_watch *w, const struct order *o, const char **old_status);

#endif
