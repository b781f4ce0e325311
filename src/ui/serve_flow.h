/* serve_flow: what w, W and u ask of the engine's responders (CMD_SERVE:
 * the engine starts the responder of the challenge type if it is not
 * running, HTTP-01 on http01_listen, TLS-ALPN-01 on tlsalpn01_listen; a
 * bind failure or a refused identifier comes back to the message line in
 * the engine's words).  The type is the one under the challenge cursor
 * when it is http-01 or tls-alpn-01; otherwise http-01 when there is one
 * to serve, else tls-alpn-01.  w serves the open challenges of that type
 * of the selected order, W those of every order awaiting one whatever the
 * filter shows, fetching the challenges that are not fetched yet and
 * serving them when they arrive; u stops both responders. (The challenges
 * of an order that finished are dropped by console_state as soon as the
 * list says so.) */
#ifndef ACMETOP_UI_SERVE_FLOW_H
#define ACMETOP_UI_SERVE_FLOW_H

#include "ui/console_state.h"

void serve_flow_selected(struct console_state *c); /* w */
void serve_flow_all(struct console_state *c);      /* W */
void serve_flow_stop(struct console_state *c);     /* u */

#endif
