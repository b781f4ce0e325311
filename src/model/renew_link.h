/* renew_link: which orders renew which.  Vault keeps no link between an
 * order and the one that renews it, so acmetop matches them: orders of the
 * same role with the same set of identifiers (case and order ignored) are
 * one certificate's line of renewals, in the order they were created.  An
 * order "renews" the newest older completed one of its line; a completed
 * order is "superseded" once a newer one of its line has completed.  Pure:
 * no I/O; sorting n orders, not comparing every pair. */
#ifndef ACMETOP_MODEL_RENEW_LINK_H
#define ACMETOP_MODEL_RENEW_LINK_H

#include <stdbool.h>
#include <stddef.h>

#include "model/order.h"

#define RENEW_LINK_NONE ((size_t)-1)

struct renew_links {
    size_t n;
    size_t *renews;     /* [i]: index of the order i renews, or RENEW_LINK_NONE */
    size_t *renewed_by; /* [i]: the nearest newer completed order of i's line, else the
                           nearest newer order of any status, or RENEW_LINK_NONE */
    bool *superseded;   /* [i]: i is completed and a newer one of its line completed */
    bool *retried;      /* [i]: a newer order of i's line exists (any status) */
};

/* Link the n orders (pointers, any order).  Orders without a role or
 * without identifiers are on no line.  Free with renew_links_free(). */
void renew_links_compute(const struct order *const *orders, size_t n, struct renew_links *out);
void renew_links_free(struct renew_links *l);

/* True when a and b are on the same line: same role, same identifier set. */
bool renew_link_same_line(const struct order *a, const struct order *b);

#endif
