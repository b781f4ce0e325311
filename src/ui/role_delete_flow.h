/* role_delete_flow: `D` in the roles view: delete a role (DELETE
 * role/:name). The form shows what will be sent, asks for the role's name
 * typed, and when acmetop knows active orders of the role lists them and
 * asks for `force` typed too (sent as ?force=true). Sent once; Vault's
 * refusal shows in the form with what was typed kept; on success the roles
 * are read again. */
#ifndef ACMETOP_UI_ROLE_DELETE_FLOW_H
#define ACMETOP_UI_ROLE_DELETE_FLOW_H

#include "ui/console_state.h"

extern const struct dialog_ops role_delete_flow_ops;

void role_delete_flow_begin(struct console_state *c, const char *role);

#endif
