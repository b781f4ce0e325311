/* revoke_flow: `R` revokes the certificate of the selected completed order:
 * a picker of the reasons API.md lists (unspecified first), then the first
 * 8 characters of the order ID typed as confirmation; only an exact match
 * sends CMD_REVOKE, whose result lands on the message line. */
#ifndef ACMETOP_UI_REVOKE_FLOW_H
#define ACMETOP_UI_REVOKE_FLOW_H

#include <stdbool.h>
#include <stddef.h>

#include "ui/console_state.h"

#define REVOKE_CONFIRM_CHARS 8

/* The reasons, in the picker's order. */
const char *const *revoke_flow_reasons(size_t *count);
/* The revoke dialog's ops (tests look the open dialog up by them). */
extern const struct dialog_ops revoke_flow_ops;
/* `R`: open the dialog, or say on the message line why not. */
void revoke_flow_begin(struct console_state *c);

#endif
