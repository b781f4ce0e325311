/* hook_env: the environment of an on_change hook, built from nothing: a
 * few variables of acmetop's own environment that a shell needs (PATH,
 * HOME, LANG, LC_*, TZ, USER, LOGNAME, TMPDIR) and the change:
 *   ACMETOP_ORDER_ID, ACMETOP_ROLE, ACMETOP_IDENTIFIERS (space-separated),
 *   ACMETOP_OLD_STATUS ("" for an order new since the listing),
 *   ACMETOP_STATUS, ACMETOP_LAST_ERROR, ACMETOP_CERT_NOT_AFTER (RFC 3339,
 *   "" when unknown), ACMETOP_MOUNT, ACMETOP_NAMESPACE (the order's own:
 *   with `namespace = *` they vary; "" for the root).
 * Never VAULT_TOKEN nor any other VAULT_* variable, never a key: the order
 * carries none, and nothing else of the environment is copied.  Pure. */
#ifndef ACMETOP_MODEL_HOOK_ENV_H
#define ACMETOP_MODEL_HOOK_ENV_H

#include <stddef.h>

#include "model/order.h"

/* A NULL-terminated array of "NAME=value" (free with strv_free(env, *n)),
 * from base (a NULL-terminated environment such as environ; NULL: none). */
char **hook_env_build(const char *const *base, const struct order *o, const char *old_status,
                      const char *mount, const char *namespace_, size_t *n);

#endif
