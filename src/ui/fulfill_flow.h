/* fulfill_flow: verify before fulfilling.  `f` on a challenge: its token and
 * key authorization are fetched if needed, the engine runs the pre-flight
 * check (CMD_PREFLIGHT) while the dialog says so, and the dialog shows OK /
 * mismatch (expected vs found) / unreachable (why):
 *   OK          y (or Enter) marks it fulfilled, n cancels;
 *   not OK      p checks again, F asks for the word "force" to be typed and
 *               only then sends; y, Enter, n and Esc cancel (the default
 *               answer never sends).
 * A dns-01 challenge Vault fulfils itself (a DNS provider of Vault's covers
 * its identifier) first gets a warning: y goes on as above, n/Enter/Esc
 * cancel.
 * With the check switched off (--no-preflight, preflight = false) `f` asks
 * the plain yes/no question instead.  `p` runs the check alone, its outcome
 * on the message line and in the challenges pane.  What leaves is
 * CMD_FETCH_CHALLENGE, CMD_PREFLIGHT and CMD_FULFILL_CHALLENGE. */
#ifndef ACMETOP_UI_FULFILL_FLOW_H
#define ACMETOP_UI_FULFILL_FLOW_H

#include "ui/console_state.h"

/* The fulfil dialog's ops (tests look the open dialog up by them). */
extern const struct dialog_ops fulfill_flow_ops;

/* `f`: open the dialog, or say on the message line why not. */
void fulfill_flow_begin(struct console_state *c);
/* `p`: check the selected challenge now. */
void fulfill_flow_check_selected(struct console_state *c);

#endif
