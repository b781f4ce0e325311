/* raw_view: `y`, the raw answer of the selected object (k9s's YAML view):
 * the Vault answer as received, pretty-printed, with no control character
 * and no secret (a private key shows as "<N bytes, hidden>": the engine
 * hides it before the answer leaves it), in a scrollable dialog whose text
 * `c` copies; and `Y`, the commands that read or recreate the object
 * (model/copy_command.h), copied and shown. For an order the answer is read
 * from Vault when asked (GET role/:role/order/:id/status; on a completed
 * order `C` reads its certificate answer, fetch-cert, instead); a role,
 * account or DNS provider shows its `data` as its view read it. */
#ifndef ACMETOP_UI_RAW_VIEW_H
#define ACMETOP_UI_RAW_VIEW_H

#include "ui/console_state.h"
#include "ui/resource_view.h"

/* y / Y on the order list. */
void raw_view_order(struct console_state *c);
void raw_view_order_commands(struct console_state *c);
/* y / Y on a resource view's list. */
void raw_view_resource(struct console_state *c, const struct resource_view *rv);
void raw_view_resource_commands(struct console_state *c, const struct resource_view *rv);

#endif
