/* serve_flow: what w, W and u ask of the engine's HTTP-01 responder
 * (CMD_SERVE_HTTP01: the engine starts it on http01_listen if it is not
 * running; a bind failure comes back to the message line in the engine's
 * words): serve the
 * http-01 answers of the selected order (w) or of every order awaiting
 * http-01 whatever the filter shows (W), fetching the challenges that are
 * not fetched yet and serving them when they arrive; stop it (u). (The
 * tokens of an order that finished are dropped by console_state as soon as
 * the list says so.) */
#ifndef ACMETOP_UI_SERVE_FLOW_H
#define ACMETOP_UI_SERVE_FLOW_H

#include "ui/console_state.h"

void serve_flow_selected(struct console_state *c); /* w */
void serve_flow_all(struct console_state *c);      /* W */
void serve_flow_stop(struct console_state *c);     /* u */

#endif
