/* once: `acmetop --once [--json | --format FORMAT]` — one full discovery
 * without the console, printed as an aligned table, a JSON array, CSV or
 * Prometheus metrics (once_format.h), for scripts and cron jobs. */
#ifndef ACMETOP_ONCE_H
#define ACMETOP_ONCE_H

#include <stdbool.h>
#include <stdio.h>

#include "net/vault_config.h"
#include "once_format.h"

#define ONCE_PARTIAL 3 /* exit status: --deadline passed, the output is partial */

/* Runs the discovery and prints to out; problems go to err as one line each.
 * Stops reading when cfg->once_deadline_ms have passed (0: never) and then
 * prints the orders read in full so far.  Returns the process exit status:
 * 0 when orders could be listed (even if some details were stale: a
 * warning says so), 1 when Vault could not be listed (connection, TLS,
 * permission), ONCE_PARTIAL when the deadline cut the run (a line on err
 * says after how many of how many orders). */
int once_run(const struct vault_config *cfg, enum once_format format, FILE *out, FILE *err);

#endif
