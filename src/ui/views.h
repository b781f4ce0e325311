/* views: the registry of views (ui/view.h) and switching between them.
 * Adding a view is one file with its view_ops and one line in views.c. */
#ifndef ACMETOP_UI_VIEWS_H
#define ACMETOP_UI_VIEWS_H

#include <stdbool.h>
#include <stddef.h>

#include "ui/view.h"

struct console_state;

/* The views in registry order; the first is the one the console starts on. */
size_t views_count(void);
const struct view_ops *views_at(size_t i);
/* The view called name, or NULL. */
const struct view_ops *views_find(const char *name);

/* The view on screen (c->view, else the first). */
const struct view_ops *views_current(const struct console_state *c);

/* Show the view called name (its enter() runs). false, and the known
 * names on the message line, when there is none. */
bool views_switch(struct console_state *c, const char *name);

#endif
