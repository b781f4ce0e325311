/* order_status: the status of an order as an enum, with the rules the UI
 * needs (terminal or not, how urgent). The server may send statuses this
 * build does not know: they map to ORDER_STATUS_UNKNOWN and the order keeps
 * the verbatim text (struct order.status_text) to show it. */
#ifndef ACMETOP_ORDER_STATUS_H
#define ACMETOP_ORDER_STATUS_H

#include <stdbool.h>

enum order_status {
    ORDER_NEW,                /* "new" */
    ORDER_SUBMITTED,          /* "submitted" */
    ORDER_AWAITING_CHALLENGE, /* "awaiting-challenge-fulfillment" */
    ORDER_VAULT_FULFILLING,   /* "vault-challenge-fulfillment": Vault writes dns-01
                                 records through a DNS provider */
    ORDER_VAULT_PROPAGATING,  /* "vault-challenge-propagating": Vault waits until
                                 its records are visible */
    ORDER_NOTIFYING_CA,       /* "notify-acme-server-challenges-completed" */
    ORDER_CA_VALIDATING,      /* "processing-challenge": the CA validates */
    ORDER_FETCHING_CERT,      /* "fetching-certificate" */
    ORDER_COMPLETED,          /* "completed" */
    ORDER_ERROR,              /* "error" */
    ORDER_EXPIRED,            /* "expired" */
    ORDER_REVOKED,            /* "revoked" */
    ORDER_STATUS_UNKNOWN,     /* anything else, shown verbatim */
    ORDER_STATUS_COUNT
};

/* Bit of a status in a status set (struct order_filter.status_mask). */
#define ORDER_STATUS_BIT(s) (1u << (unsigned)(s))
#define ORDER_STATUS_ALL ((1u << ORDER_STATUS_COUNT) - 1u)

/* Exact, case-sensitive match of the API's names; NULL or anything else ->
 * ORDER_STATUS_UNKNOWN. */
enum order_status order_status_from_string(const char *s);

/* The API name ("awaiting-challenge-fulfillment"); "unknown" for
 * ORDER_STATUS_UNKNOWN and out-of-range values. Static string. */
const char *order_status_name(enum order_status s);

/* completed, error, expired, revoked. Unknown statuses are NOT terminal
 * (API.md: treat unknown as non-terminal), so they keep being polled. */
bool order_status_is_terminal(enum order_status s);

/* Sort rank, 0 = most urgent. See order_status.c for the reasoning. */
int order_status_urgency(enum order_status s);

/* Who acts now (API.md's "who acts"), in words for the detail pane: "you:
 * deploy the challenges and mark them fulfilled", "Vault is writing ...",
 * "the CA is validating", "nobody: ..." for terminal ones. Static string;
 * an unknown status gets a sentence that says so. */
const char *order_status_who_acts(enum order_status s);

#endif
