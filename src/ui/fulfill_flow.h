/* fulfill_flow: verify before fulfilling.  `f` on a challenge: its token and
 * key authorization are fetched if needed, the pre-flight check runs on a
 * thread of its own (net/preflight_jobs.h) while the dialog says so, and the
 * dialog shows OK / mismatch (expected vs found) / unreachable (why):
 *   OK          y (or Enter) marks it fulfilled, n cancels;
 *   not OK      p checks again, F asks for the word "force" to be typed and
 *               only then sends; y, Enter, n and Esc cancel (the default
 *               answer never sends).
 * With the check switched off (--no-preflight, preflight = false) `f` asks
 * the plain yes/no question instead.  `p` runs the check alone, its outcome
 * on the message line and in the challenges pane.  Pure console state; the
 * only thing that leaves is CMD_FETCH_CHALLENGE / CMD_FULFILL_CHALLENGE on
 * the command queue and the check started on its own thread. */
#ifndef ACMETOP_UI_FULFILL_FLOW_H
#define ACMETOP_UI_FULFILL_FLOW_H

#include <stdbool.h>
#include <time.h>

#include "ui/console_state.h"

/* `f`: open the dialog (true) or say on the message line why not (false). */
bool fulfill_flow_begin(struct console_state *c);
/* The plain dialog's "yes" (pre-flight off): send CMD_FULFILL_CHALLENGE. */
void fulfill_flow_send(struct console_state *c);
/* A key while the DIALOG_FULFILL is open (it takes every key). */
bool fulfill_flow_key(struct console_state *c, int key);
/* `p`: check the selected challenge now. */
void fulfill_flow_check_selected(struct console_state *c);
/* After updates: a fetch the dialog or `p` waited for has arrived. */
void fulfill_flow_after_updates(struct console_state *c);
/* UPD_PREFLIGHT (m stays the caller's). */
void fulfill_flow_on_preflight(struct console_state *c, const struct msg *m, time_t now);
/* Forget the flow (the dialog closes). */
void fulfill_flow_reset(struct console_state *c);

#endif
