/* actions: THE table of operator actions (rows: ui/action.h). The keys
 * every view has live here, in two parts (before and after the view's own
 * rows); each view adds its rows in its own file (ui/view.h). The key
 * legend (keylegend.c), the help screen (help.c), the dispatch of keys and
 * the man page's key list all walk this one table, so they cannot disagree.
 *
 * Keys are ints (ui/keys.h). Handlers work on the console state only (no
 * curses calls), except the copy actions, which write OSC 52 to the
 * state's tty. An action that needs a dialog opens it from its handler
 * (the flows' *_begin); the dialog then takes the keys itself. */
#ifndef ACMETOP_UI_ACTIONS_H
#define ACMETOP_UI_ACTIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "ui/console_state.h"
#include "ui/action.h"
#include "ui/keys.h"
#include "ui/view.h"

/* The actions of view v in table order (the shared keys first, then v's,
 * then the shared tail); v NULL: of every view, each view's rows in
 * registry order. */
size_t actions_count(const struct view_ops *v);
const struct action *actions_at(const struct view_ops *v, size_t i);

/* The action bound to key in view v (NULL: in any view), or NULL. */
const struct action *actions_find(const struct view_ops *v, int key);

/* Handle one key with whatever is open (dialog, help, filter input) taking
 * it first. Returns true if the key did something. */
bool actions_handle_key(struct console_state *c, int key);

/* Run the action as if its first key was pressed (legend clicks). */
void actions_trigger(struct console_state *c, const struct action *a);

#endif
