/* place_plan: the places (namespace, mount) a context asks to watch. One,
 * unless `namespace = *` (every namespace the token can reach: LIST
 * sys/namespaces from the root down, recursively) or `mount = a, b` / `*`
 * (every mount of type pki-external-ca, from sys/internal/ui/mounts, else
 * sys/mounts, in each namespace). A namespace the token may not list is
 * kept in the plan, marked denied, not treated as an error. Runs in the
 * engine's thread (it sends requests). */
#ifndef ACMETOP_NET_PLACE_PLAN_H
#define ACMETOP_NET_PLACE_PLAN_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "model/context_info.h"
#include "net/vault_config.h"

#define PLACE_PLAN_MAX 256 /* most places (and namespaces) one console watches */

/* Does cfg ask for more than one place (or for a search)? */
bool place_plan_fans_out(const struct vault_config *cfg);

/* Every namespace below (and with) the root the token can list, root first
 * as "", each with denied set when its own children could not be listed;
 * *out is xmalloc'ed (mount fields NULL). Returns the count (>= 1: the root
 * is always there). note gets why the list may be incomplete, or "". */
size_t place_plan_namespaces(const struct vault_config *cfg, const atomic_bool *cancel,
                             struct context_place **out, char *note, size_t note_size);

/* The places of cfg, in namespace then mount order, at most PLACE_PLAN_MAX;
 * *out xmalloc'ed, free with context_places_free. Returns the count, 0 when
 * none was found (note says why). A cfg that does not fan out gives its one
 * place without a request. */
size_t place_plan(const struct vault_config *cfg, const atomic_bool *cancel,
                  struct context_place **out, char *note, size_t note_size);

void context_places_free(struct context_place *p, size_t n);

#endif
