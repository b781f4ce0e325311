/* renew_index: what the console shows about renewals, rebuilt from every
 * order when they change (and once a minute, as windows open with time):
 * for each order ID the order it renews and the one that renewed it
 * (model/renew_link.h), whether a newer certificate superseded it, and how
 * many current certificates are due, overdue (urgent and expired included)
 * by the renewal window (model/renew_window.h).  Pure. */
#ifndef ACMETOP_MODEL_RENEW_INDEX_H
#define ACMETOP_MODEL_RENEW_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "model/order.h"
#include "model/renew_window.h"

struct renew_counts {
    size_t due;     /* inside the window */
    size_t overdue; /* past it, urgent or expired */
    size_t urgent;  /* of those, within expiry_crit or expired */
    /* the header's expiry meters (model/cert_expiry.h), every current
     * certificate: expired, within expiry_crit, within expiry_warn */
    size_t expired, crit, warn;
};

struct renew_index;

struct renew_index *renew_index_new(void);
void renew_index_free(struct renew_index *x);

/* Rebuild from orders[0..n) (distinct IDs, as in a store) at now.
 * Returns true when the set of superseded orders changed (a filter that
 * hides them must look again). */
bool renew_index_build(struct renew_index *x, const struct order *const *orders, size_t n,
                       const struct renew_at *at, double warn_s, double crit_s, time_t now);

struct renew_counts renew_index_counts(const struct renew_index *x);

/* The next time after the build's now at which a count changes (a window
 * opens or closes, a certificate becomes urgent or expires), 0: none. */
time_t renew_index_next_change(const struct renew_index *x);

/* The ID of the order id renews / was renewed by, or NULL. */
const char *renew_index_renews(const struct renew_index *x, const char *id);
const char *renew_index_renewed_by(const struct renew_index *x, const char *id);
bool renew_index_superseded(const struct renew_index *x, const char *id);

#endif
