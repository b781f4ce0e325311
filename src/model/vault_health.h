/* vault_health: GET sys/health (no token needed). Unlike other answers the
 * fields are at the root of the body, not under `data`; Vault answers with a
 * non-2xx code when sealed/standby but the body has the same shape. */
#ifndef ACMETOP_VAULT_HEALTH_H
#define ACMETOP_VAULT_HEALTH_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "model/parse_error.h"

struct vault_health {
    bool initialized; /* absent -> false */
    bool sealed;      /* absent -> false */
    bool standby;     /* absent -> false */
    char *version;    /* "2.x.y", NULL if absent */
};

void vault_health_init(struct vault_health *h);
void vault_health_free(struct vault_health *h); /* contents; re-inits */

/* root is the body's root object. Returns -1 only if it is not an object. */
int vault_health_parse(const cJSON *root, struct vault_health *out,
                       struct parse_error *err);
int vault_health_parse_response(const char *body, size_t len,
                                struct vault_health *out,
                                struct parse_error *err);

#endif
