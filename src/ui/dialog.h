/* dialog: draws the modal box whose content lives in console_state.dialog:
 * a box in the middle of the screen with the title, the wrapped body
 * (scrolled when longer than the screen), a picker list, a text field with
 * its prompt, a note (validation or progress, in the error colour when it
 * is one) and the answers line ("[y] ... [n] ..."). The keys are handled in
 * actions.c and the flows (fulfill_flow.c, order_form.c, revoke_flow.c,
 * cert_view.c); this file only paints (and keeps the picker's cursor in
 * view). */
#ifndef ACMETOP_UI_DIALOG_H
#define ACMETOP_UI_DIALOG_H

#include "ui/console_state.h"

void dialog_draw(struct console_state *c, int cols, int rows);

#endif
