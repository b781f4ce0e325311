/* once_resources: `acmetop --once [--json] roles|accounts|dns` — every role,
 * ACME account or DNS provider of the engine, read once (LIST, then GET
 * each) and printed as an aligned table or a JSON array of objects with the
 * API's fields plus "mount" (secret fields left out), for scripts. */
#ifndef ACMETOP_ONCE_RESOURCES_H
#define ACMETOP_ONCE_RESOURCES_H

#include <stdbool.h>
#include <stdio.h>

#include "model/resource.h"
#include "net/vault_config.h"

/* 0 when the list could be read (an object that could not be read is left
 * out, with a warning on err), 1 when it could not (one line on err). */
int once_resources_run(const struct vault_config *cfg, enum resource_kind kind, bool json,
                       FILE *out, FILE *err);

#endif
