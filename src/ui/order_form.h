/* order_form: `n` creates an order from the console.
 *   1. the roles are read (CMD_LIST_ROLES: LIST role + GET role/:name) and
 *      offered in a picker, each with its allowed domains and challenge types;
 *   2. the operator types the identifiers (commas or spaces between them),
 *      checked live against the role's rules (model/role_rules.h) where
 *      they are known, or the path of a PEM CSR file (anything with a '/'),
 *      whose names are previewed (model/cert_info.h csr_info) on the first
 *      Enter and sent on the second;
 *   3. Enter sends CMD_NEW_ORDER; Vault's refusal comes back into the form,
 *      cleanly, to edit and retry; on success the form closes and the new
 *      order appears in the list at once, selected (the worker fetches it).
 * Esc goes back a step (names -> roles) or closes.
 * `N` opens it to renew the selected completed order (the role and the
 * names or the CSR filled in). */
#ifndef ACMETOP_UI_ORDER_FORM_H
#define ACMETOP_UI_ORDER_FORM_H

#include "ui/console_state.h"

#define ORDER_FORM_CSR_MAX (64 * 1024) /* bytes of a CSR file read */

/* The form's ops (tests look the open dialog up by them). */
extern const struct dialog_ops order_form_ops;
/* `n`. */
void order_form_begin(struct console_state *c);
/* `n` on a role (the roles view): that role is picked when the roles are
 * read, and the order list is shown once the order is created. */
void order_form_begin_role(struct console_state *c, const char *role);

/* `N` on a completed order: the same form, its role picked and its names
 * (identifier workflow) or its CSR (CSR workflow) filled in, for review;
 * Enter creates the renewal.  Another status is refused on the message
 * line. */
void order_form_begin_renew(struct console_state *c);

#endif
