/* pane_responder: the strip above the message line while one of acmetop's
 * responders runs.  For the HTTP-01 responder: where it listens, how many
 * tokens of how many orders it serves, how many requests it answered, how
 * many idle connections it dropped (slow or silent clients, evicted or
 * timed out), and the latest requests, newest first, live (time, remote
 * address, status, identifier or path, bytes).  For the TLS-ALPN-01
 * responder, below it: where it listens, how many identifiers of how many
 * orders it serves, how many handshakes it saw, the idle connections it
 * dropped, and the latest handshakes, live (time, remote address, SNI,
 * outcome). */
#ifndef ACMETOP_UI_PANE_RESPONDER_H
#define ACMETOP_UI_PANE_RESPONDER_H

#include "ui/console_state.h"
#include "ui/layout.h"

/* Rows the strip wants (0 when no responder runs). */
int pane_responder_rows(const struct console_state *c);

void pane_responder_draw(const struct console_state *c, const struct rect *r);

/* Line i of the strip as text (0 = the first title line), for tests; false
 * past the end. */
bool pane_responder_line(const struct console_state *c, int i, char *buf, size_t size);

#endif
