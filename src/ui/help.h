/* help: the `?` screen, generated from the action table (every key with its
 * help line), plus the mouse and the config file in a few lines. Drawn as a
 * box over the panes; j/k scroll it, any other key closes it. */
#ifndef ACMETOP_UI_HELP_H
#define ACMETOP_UI_HELP_H

#include "ui/console_state.h"
#include "ui/textbuf.h"
#include "ui/view.h"

/* The help text at a width (pure; tested). */
void help_build(const struct view_ops *view, struct textbuf *tb, size_t width);

/* Draw over a cols x rows screen; clamps c->help_scroll. */
void help_draw(struct console_state *c, int cols, int rows);

#endif
