/* renew_marked: N with marked orders (Space): one dialog lists the renewal
 * each marked completed order gets (its role and names, or "its CSR"),
 * `y` sends one new order each (never retried), and the message line adds
 * up what was created and what Vault refused. N on one order is the
 * new-order form pre-filled (order_form_begin_renew). */
#ifndef ACMETOP_UI_RENEW_MARKED_H
#define ACMETOP_UI_RENEW_MARKED_H

#include "ui/dialog.h"

struct console_state;

void renew_marked_begin(struct console_state *c);

extern const struct dialog_ops renew_marked_ops;

#endif
