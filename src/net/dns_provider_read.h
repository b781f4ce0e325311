/* dns_provider_read: read Vault's DNS providers — LIST config/dns, then
 * GET config/dns/:type/:name for each (identifiers globs, TTL; Vault never
 * returns their secrets). 1 + N requests, N at most DNS_PROVIDER_READ_MAX. */
#ifndef ACMETOP_NET_DNS_PROVIDER_READ_H
#define ACMETOP_NET_DNS_PROVIDER_READ_H

#include <stddef.h>

#include "model/dns_provider.h"
#include "net/vault_client.h"

#define DNS_PROVIDER_READ_MAX 64 /* providers read; the rest are left out */

/* 0 with *out (dns_providers_free(*out, *n); NULL when none are
 * configured), or -1 with err set (a 403 on any of the calls included:
 * vault_error_is_permission tells). A provider that vanished between the
 * LIST and its GET (404) is left out. */
int dns_provider_read_all(struct vault_client *client, struct dns_provider **out, size_t *n,
                          struct vault_error *err);

#endif
