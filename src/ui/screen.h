/* screen: one frame of the console, composed from the state and the layout:
 * header, order list, detail and challenges (side by side or one below the
 * list), message line, key legend, then the dialog or help on top; or only
 * the "terminal too small" notice. Notes every relative time drawn in tick
 * so the main loop knows when to wake up next. */
#ifndef ACMETOP_UI_SCREEN_H
#define ACMETOP_UI_SCREEN_H

#include <time.h>

#include "ui/console_state.h"
#include "ui/layout.h"
#include "ui/tick.h"

/* Lay out for the current terminal size (into *l) and draw. */
void screen_draw(struct console_state *c, struct layout *l, time_t now, struct tick *tick);

#endif
