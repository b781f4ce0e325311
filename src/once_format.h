/* once_format: the machine formats of `acmetop --once --format`: csv (the
 * table's columns, RFC 4180) and prometheus (the text exposition format,
 * for node_exporter's textfile collector). */
#ifndef ACMETOP_ONCE_FORMAT_H
#define ACMETOP_ONCE_FORMAT_H

#include <stddef.h>
#include <stdio.h>
#include <time.h>

#include "model/order.h"
#include "model/renew_window.h"

enum once_format { ONCE_TABLE, ONCE_JSON, ONCE_CSV, ONCE_PROMETHEUS };

/* "table", "json", "csv", "prometheus" into *out: 0, or -1. */
int once_format_parse(const char *name, enum once_format *out);

/* What the RENEW column needs. */
struct once_renew {
    const struct renew_at *at;
    double crit_s;
    time_t now;
};

/* The table's columns with every identifier and the whole error, RFC 4180:
 * a header row, CRLF line ends, fields quoted when they hold a comma, a
 * quote or a line end; times RFC 3339 UTC, empty when unknown. */
void once_format_csv(const struct order *const *orders, size_t n, const struct once_renew *r,
                     FILE *out);

/* Metrics: acmetop_certificate_not_after_seconds and
 * acmetop_certificate_renew_at_seconds for each current certificate (not
 * superseded) and each of its identifiers, acmetop_orders by status,
 * acmetop_order_expires_seconds of each order awaiting the operator or
 * Vault, for each identifier. */
void once_format_prometheus(const struct order *const *orders, size_t n, const char *mount,
                            const struct once_renew *r, FILE *out);

#endif
