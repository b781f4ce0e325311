/* once: `acmetop --once [--json]` — one full discovery without the console,
 * printed as an aligned table or a JSON array, for scripts and cron jobs. */
#ifndef ACMETOP_ONCE_H
#define ACMETOP_ONCE_H

#include <stdbool.h>
#include <stdio.h>

#include "net/vault_config.h"

/* Runs the discovery and prints to out; problems go to err as one line each.
 * Returns the process exit status: 0 when orders could be listed (even
 * if some details were stale: a warning says so), 1 when Vault could not
 * be listed (connection, TLS, permission). */
int once_run(const struct vault_config *cfg, bool json, FILE *out, FILE *err);

#endif
