/* once_read: one discovery without the console, for the one-shot modes
 * (`--once` and its formats, `--check`): the same discovery code as the
 * console's worker, run on the main thread with a sink that applies each
 * message to an order store at once, under the --deadline watched by a
 * thread of its own.  The caller prints what was read. */
#ifndef ACMETOP_ONCE_READ_H
#define ACMETOP_ONCE_READ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "model/context_info.h"
#include "model/dns_provider.h"
#include "model/order_store.h"
#include "net/vault_config.h"

struct once_read {
    struct order_store *store;   /* every order read */
    size_t stale;                /* orders whose read failed: marked stale */
    int conn_state;              /* the last UPD_CONNECTION's state, -1: none */
    char *conn_text;
    bool dns_known;              /* Vault's DNS providers could be read */
    struct dns_provider *dns;    /* dns_count of them */
    size_t dns_count;
    bool partial;                /* --deadline cut the run */
    size_t known;                /* orders Vault listed (for "N of M") */
    char *failure;               /* Vault could not be listed: the sentence; else NULL */
    struct context_place *places; /* where the orders were read (order.place) */
    size_t place_count;
    bool fan_out;                /* namespace = * or several mounts */
};

/* Read every order (and the cache of the last run when cfg->cache), saving
 * the cache again.  Warnings about the cache go to err.  Returns 0 when
 * the orders were listed (r->partial may be set), or 1 with r->failure the
 * sentence saying why not.  Free r with once_read_free() either way. */
int once_read_run(const struct vault_config *cfg, struct once_read *r, FILE *err);
void once_read_free(struct once_read *r);

/* The orders to print, most urgent first: every one, or when the deadline
 * cut the run, those read in full in this run (not summaries from the
 * recent list, not the earlier run's cache) and those whose read failed
 * before it (stale, as in a whole run).  Free the array (not the orders). */
const struct order **once_read_orders(struct once_read *r, size_t *n);

/* Where o was read (its place; the first one when out of range). */
const struct context_place *once_read_place(const struct once_read *r, const struct order *o);

/* The warnings before any output, one line each on err: a degraded
 * listing, stale orders, and with --deadline cut, how many were read. */
void once_read_warn(const struct once_read *r, const struct vault_config *cfg, size_t printed,
                    FILE *err);

#endif
