/* order: one ACME order as acmetop knows it, with its challenges.
 * Filled either from a full order object (GET .../status, lookup/order/:id:
 * detail_known = true) or from a `key_info` entry of lookup/orders/recent
 * (only status, role, identifiers, dates: detail_known = false).
 *
 * Presence rules (used by order_store's merge): a NULL string / NULL array
 * means "this answer did not carry the field"; "" or an empty (non-NULL)
 * array means "carried, empty". A time of 0 means unset/unknown.
 * Every pointer is owned by the struct; strings are sanitised text except
 * csr (PEM, exact). */
#ifndef ACMETOP_ORDER_H
#define ACMETOP_ORDER_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "model/order_status.h"

struct challenge {
    char *type;     /* "http-01", "dns-01", "tls-alpn-01", or what came */
    char *status;   /* "pending", "processing", "valid", "invalid", ... */
    time_t expires; /* 0 = unknown */
};

struct order_identifier_challenges {
    char *identifier;        /* DNS name the challenges are for */
    struct challenge *items; /* count entries */
    size_t count;
};

struct order {
    char *id;                   /* order ID (never NULL once in a store) */
    enum order_status status;
    char *status_text;          /* verbatim status as sent; NULL = not carried */
    char *role;                 /* role_name */
    char **identifiers;         /* DNS names */
    size_t identifier_count;
    char *csr;                  /* PEM for CSR-workflow orders, "" otherwise */
    time_t created;             /* creation_date */
    time_t last_update;         /* last_update */
    time_t next_work;           /* next_work_date (0 = not scheduled) */
    time_t expires;             /* expiry of the ACME order */
    char *last_error;           /* "" if none */
    char *serial;               /* serial_number of the certificate, "" if none */
    struct order_identifier_challenges *challenges; /* per identifier */
    size_t challenge_count;
    time_t cert_not_before;     /* from fetch-cert / lookup/cert, 0 = unknown */
    time_t cert_not_after;      /* idem */
    bool stale;                 /* last fetch failed: data is the last known */
    bool detail_known;          /* full order object seen (not only key_info) */
    bool unverified;            /* from the cache of an earlier run, not confirmed by
                                   Vault yet (net/order_cache.h) */
    unsigned place;             /* which (namespace, mount) of the context holds it:
                                   an index into UPD_CONTEXT's places, 0 = the first */
};

/* Zero everything; status = ORDER_STATUS_UNKNOWN. */
void order_init(struct order *o);

/* Free everything inside o and re-init it. o may be NULL. */
void order_clear(struct order *o);

/* order_clear, for symmetry with *_free of heap types: frees the contents,
 * not o itself. */
void order_free(struct order *o);

/* Deep copy src into dst (dst is overwritten without being freed: pass an
 * initialised-and-empty or uninitialised struct). */
void order_copy(struct order *dst, const struct order *src);

/* Move src's contents into dst (dst's old contents are freed), src is left
 * initialised and empty. */
void order_move(struct order *dst, struct order *src);

/* Challenges of one identifier, or NULL. */
const struct order_identifier_challenges *
order_find_challenges(const struct order *o, const char *identifier);

/* The status to show: the enum name, or the verbatim text for unknown
 * statuses ("unknown" if the text is missing). Never NULL. */
const char *order_status_display(const struct order *o);

/* The short form of an order ID shown in lists and messages: its first
 * ORDER_SHORT_ID_COLS columns, whole characters only.  Returns how many
 * bytes of id that is, for "%.*s" (id may be NULL: 0). */
#define ORDER_SHORT_ID_COLS 8
int order_short_id_len(const char *id);

#endif
