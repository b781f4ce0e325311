/* mouse: clicks and the wheel, turned into the same operations as keys. A
 * click on an order selects it, on a challenge moves the cursor to it, on a
 * pane focuses the pane, on the lower pane's tab title switches Detail /
 * Challenges, on the key legend runs that key; the wheel scrolls the pane
 * under the pointer. Uses the layout of the last draw. */
#ifndef ACMETOP_UI_MOUSE_H
#define ACMETOP_UI_MOUSE_H

#include <stdbool.h>
#include <time.h>

#include "ui/console_state.h"
#include "ui/layout.h"

enum mouse_kind { MOUSE_CLICK, MOUSE_WHEEL_UP, MOUSE_WHEEL_DOWN };

/* What the mouse does, in one sentence: the help screen shows it, and the
 * man page's "Mouse" section says the same (a test compares them). */
extern const char mouse_help[];

/* Returns true if the event did something. */
bool mouse_handle(struct console_state *c, const struct layout *l, enum mouse_kind kind, int y,
                  int x, time_t now);

#endif
