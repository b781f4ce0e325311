/* order_status: names, terminal states and sort urgency of order statuses. */
#include "model/order_status.h"

#include <string.h>

static const char *const status_names[ORDER_STATUS_COUNT] = {
    [ORDER_NEW] = "new",
    [ORDER_SUBMITTED] = "submitted",
    [ORDER_AWAITING_CHALLENGE] = "awaiting-challenge-fulfillment",
    [ORDER_VAULT_FULFILLING] = "vault-challenge-fulfillment",
    [ORDER_VAULT_PROPAGATING] = "vault-challenge-propagating",
    [ORDER_NOTIFYING_CA] = "notify-acme-server-challenges-completed",
    [ORDER_CA_VALIDATING] = "processing-challenge",
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
 *  2 processing-challenge: the CA is validating now; its outcome (valid, or
 *    an error to look into) comes within seconds, so it is worth watching.
 *  3 notify-acme-server-challenges-completed, 4 vault-challenge-propagating,
 *  5 vault-challenge-fulfillment: Vault's own dns-01 fulfilment, in motion
 *    without the operator; the nearer to the CA's validation, the sooner.
 *  6 fetching-certificate, 7 submitted, 8 new: in motion, Vault's worker
 *    drives them; the closer to a certificate, the sooner it needs a look
 *    (fetching may need the certificate picked up).
 *  9 unknown: a status this build does not know; non-terminal, so it ranks
 *    with the moving ones, after the known ones.
 * 10 completed: done; interesting for expiry, not urgent.
 * 11 expired, 12 revoked: finished for good, history only.
 * The CA's validation and Vault's DNS work rank above fetching/submitted/
 * new because they are the steps that fail (a record that never shows up,
 * a CA that cannot see it) and turn an order into an error. */
static const int status_urgency[ORDER_STATUS_COUNT] = {
    [ORDER_AWAITING_CHALLENGE] = 0,
    [ORDER_ERROR] = 1,
    [ORDER_CA_VALIDATING] = 2,
    [ORDER_NOTIFYING_CA] = 3,
    [ORDER_VAULT_PROPAGATING] = 4,
    [ORDER_VAULT_FULFILLING] = 5,
    [ORDER_FETCHING_CERT] = 6,
    [ORDER_SUBMITTED] = 7,
    [ORDER_NEW] = 8,
    [ORDER_STATUS_UNKNOWN] = 9,
    [ORDER_COMPLETED] = 10,
    [ORDER_EXPIRED] = 11,
    [ORDER_REVOKED] = 12,
};

static const char *const status_who[ORDER_STATUS_COUNT] = {
    [ORDER_NEW] = "Vault: it has not sent the order to the CA yet",
    [ORDER_SUBMITTED] = "Vault: the order is sent to the CA, Vault fetches its challenges",
    [ORDER_AWAITING_CHALLENGE] = "you: deploy the challenges and mark them fulfilled",
    [ORDER_VAULT_FULFILLING] =
        "Vault is writing the dns-01 records through its DNS provider",
    [ORDER_VAULT_PROPAGATING] = "Vault waits until the records are visible",
    [ORDER_NOTIFYING_CA] = "Vault is about to tell the CA to validate",
    [ORDER_CA_VALIDATING] = "the CA is validating",
    [ORDER_FETCHING_CERT] = "Vault is downloading the issued certificate",
    [ORDER_COMPLETED] = "nobody: the certificate is issued",
    [ORDER_ERROR] = "nobody: the order failed; see Last error, then order again",
    [ORDER_EXPIRED] = "nobody: the order expired before it completed",
    [ORDER_REVOKED] = "nobody: the certificate was revoked",
    [ORDER_STATUS_UNKNOWN] = "Vault, presumably: a status this acmetop does not know",
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

const char *order_status_who_acts(enum order_status s)
{
    if ((int)s < 0 || s >= ORDER_STATUS_COUNT)
        return status_who[ORDER_STATUS_UNKNOWN];
    return status_who[s];
}

int order_status_urgency(enum order_status s)
{
    if ((int)s < 0 || s >= ORDER_STATUS_COUNT)
        return status_urgency[ORDER_STATUS_UNKNOWN];
    return status_urgency[s];
}
