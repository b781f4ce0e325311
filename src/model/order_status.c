/* order_status: names, terminal states and sort urgency of order statuses. */
#include "model/order_status.h"

#include <string.h>

static const char *const status_names[ORDER_STATUS_COUNT] = {
    [ORDER_NEW] = "new",
    [ORDER_SUBMITTED] = "submitted",
    [ORDER_AWAITING_CHALLENGE] = "awaiting-challenge-fulfillment",
    [ORDER_FETCHING_CERT] = "fetching-certificate",
    [ORDER_COMPLETED] = "completed",
    [ORDER_ERROR] = "error",
    [ORDER_EXPIRED] = "expired",
    [ORDER_REVOKED] = "revoked",
    [ORDER_STATUS_UNKNOWN] = "unknown",
};

/* Urgency, 0 first. Why this order:
 *  0 awaiting-challenge-fulfillment: the only state that waits for the
 *    operator, and its challenges expire; nothing happens until someone acts.
 *  1 error: the order failed and someone has to find out why and re-order.
 *  2 fetching-certificate, 3 submitted, 4 new: in motion, Vault's worker
 *    drives them; the closer to a certificate, the sooner it needs a look
 *    (fetching may need the certificate picked up).
 *  5 unknown: a status this build does not know; non-terminal, so it ranks
 *    with the moving ones, after the known ones.
 *  6 completed: done; interesting for expiry, not urgent.
 *  7 expired, 8 revoked: finished for good, history only. */
static const int status_urgency[ORDER_STATUS_COUNT] = {
    [ORDER_AWAITING_CHALLENGE] = 0,
    [ORDER_ERROR] = 1,
    [ORDER_FETCHING_CERT] = 2,
    [ORDER_SUBMITTED] = 3,
    [ORDER_NEW] = 4,
    [ORDER_STATUS_UNKNOWN] = 5,
    [ORDER_COMPLETED] = 6,
    [ORDER_EXPIRED] = 7,
    [ORDER_REVOKED] = 8,
};

enum order_status order_status_from_string(const char *s)
{
    if (!s)
        return ORDER_STATUS_UNKNOWN;
    for (int i = 0; i < ORDER_STATUS_UNKNOWN; i++)
        if (strcmp(s, status_names[i]) == 0)
            return (enum order_status)i;
    return ORDER_STATUS_UNKNOWN;
}

const char *order_status_name(enum order_status s)
{
    if ((int)s < 0 || s >= ORDER_STATUS_COUNT)
        return status_names[ORDER_STATUS_UNKNOWN];
    return status_names[s];
}

bool order_status_is_terminal(enum order_status s)
{
    return s == ORDER_COMPLETED || s == ORDER_ERROR || s == ORDER_EXPIRED ||
           s == ORDER_REVOKED;
}

int order_status_urgency(enum order_status s)
{
    if ((int)s < 0 || s >= ORDER_STATUS_COUNT)
        return status_urgency[ORDER_STATUS_UNKNOWN];
    return status_urgency[s];
}
