/* dialog: draws the confirmation dialog that actions with `confirm` open
 * (its text lives in console_state.dialog): a box in the middle of the
 * screen with the title, the wrapped body and the answers "[y] ... [n] ...".
 * The keys are handled in actions.c; this file only paints. */
#ifndef ACMETOP_UI_DIALOG_H
#define ACMETOP_UI_DIALOG_H

#include "ui/console_state.h"

void dialog_draw(const struct console_state *c, int cols, int rows);

#endif
