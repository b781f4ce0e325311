/* watch: `acmetop --watch`, the engine without the console, for systemd
 * and scripts: no terminal needed; one JSON line on stdout per status
 * change it sees (and the on_change hook run for each, as in the console),
 * the connection's changes and the hooks' outcomes as lines on stderr
 * (the journal).  Runs until SIGINT, SIGTERM or SIGHUP. */
#ifndef ACMETOP_WATCH_H
#define ACMETOP_WATCH_H

#include <stdio.h>

#include "net/vault_config.h"

/* cfg->report_changes must be set.  Returns 0 after a signal, 1 when the
 * engine cannot start or stdout cannot be written. */
int watch_run(const struct vault_config *cfg, FILE *out, FILE *err);

#endif
