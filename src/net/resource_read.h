/* resource_read: read every object of one kind of resource (roles, ACME
 * accounts, DNS providers: model/resource.h) for the console's views and
 * `--once roles|accounts|dns`: LIST the kind's path, then GET each key in one
 * batch. 1 + N requests, N at most RESOURCE_READ_MAX. Each object is handed
 * over as the `data` of its answer with the secrets hidden. */
#ifndef ACMETOP_NET_RESOURCE_READ_H
#define ACMETOP_NET_RESOURCE_READ_H

#include "model/msg.h"
#include "net/vault_client.h"

/* The UPD_RESOURCES answering a read of kind (request_id copied): the items
 * read (an item whose GET failed carries its error sentence), listed false
 * and error set when the LIST failed (a 403 names the capability and the
 * path), error set too when some items could not be read. */
struct msg *resource_read(struct vault_client *client, uint64_t request_id,
                          enum resource_kind kind);

#endif
