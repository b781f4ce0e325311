/* check: `acmetop --check`, a monitoring plugin for Nagios, Icinga and
 * Sensu: one discovery (once_read.c), then one line on stdout and the
 * plugin's exit status (model/check_report.h). */
#ifndef ACMETOP_CHECK_H
#define ACMETOP_CHECK_H

#include <stdio.h>

#include "model/check_report.h"
#include "net/vault_config.h"

/* Reads the orders and prints the line to out (warnings of the run go to
 * err).  Returns 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (Vault could not
 * be listed, or --deadline cut the run: the line says why). */
int check_run(const struct vault_config *cfg, const struct check_thresholds *t, FILE *out,
              FILE *err);

/* Prints "ACMETOP UNKNOWN - <sentence>" to out; returns 3. */
int check_unknown(const char *sentence, FILE *out);

#endif
