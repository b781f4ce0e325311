/* key_rotate_flow: `R` in the accounts view: rotate an ACME account's key
 * (POST config/acme-account/:name/rotate-key): pick the new key's type (the
 * active one first), see what will be sent; when acmetop knows unfinished
 * orders on the roles that use the account, their number is shown and
 * `force` must be typed (sent as force=true). Sent once; Vault's refusal
 * shows in the form; on success the new version is said and the accounts
 * are read again. */
#ifndef ACMETOP_UI_KEY_ROTATE_FLOW_H
#define ACMETOP_UI_KEY_ROTATE_FLOW_H

#include "ui/console_state.h"

extern const struct dialog_ops key_rotate_flow_ops;

/* account: its name; key_type: its active key's type (NULL: unknown). */
void key_rotate_flow_begin(struct console_state *c, const char *account, const char *key_type);

#endif
