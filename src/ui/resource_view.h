/* resource_view: what the roles, accounts and DNS providers views share
 * (each is a file with a struct resource_view and its view_ops): the list
 * with its columns, text filter, sort by column and selection; the detail
 * pane; reading its objects from the engine on entering the view, every
 * RESOURCE_VIEW_EVERY_S while it is shown, and on `r` (never while another
 * view is on screen); a read that was refused, said in the list itself. */
#ifndef ACMETOP_UI_RESOURCE_VIEW_H
#define ACMETOP_UI_RESOURCE_VIEW_H

#include <stddef.h>
#include <sys/types.h>
#include <time.h>

#include "model/resource.h"
#include "ui/layout.h"
#include "ui/resource_list.h"
#include "ui/textbuf.h"
#include "ui/theme.h"
#include "ui/tick.h"

#define RESOURCE_VIEW_EVERY_S 300

struct console_state;

struct resource_view {
    enum resource_kind kind;
    const char *noun;            /* "role": for sentences */
    /* Parse a readable item (item->json) into the view's object, NULL when
     * it cannot; free_obj frees one. */
    void *(*parse)(const struct resource_item *item);
    void (*free_obj)(void *obj);
    const struct column_spec *specs;
    const char *const *titles;
    size_t column_count;         /* column 0 is the name */
    /* The text of a cell of a parsed row (obj never NULL). */
    void (*cell)(const struct console_state *c, const void *obj, size_t col, time_t now,
                 char *buf, size_t size, enum theme_slot *slot);
    /* The detail of a parsed row, into tb (initialised). */
    void (*detail)(struct textbuf *tb, const struct console_state *c, const void *obj,
                   time_t now);
};

/* The list of rv's kind in c. */
struct resource_list *resource_view_list(struct console_state *c, const struct resource_view *rv);
/* The object of the selected row (parsed), NULL when none or unreadable. */
const void *resource_view_selected(struct console_state *c, const struct resource_view *rv);
/* The object called key (parsed), NULL when none. */
const void *resource_view_find(struct console_state *c, const struct resource_view *rv,
                               const char *key);

/* The view's hooks (ui/view.h) and its list keys. */
void resource_view_enter(struct console_state *c, const struct resource_view *rv);
long resource_view_timer(struct console_state *c, const struct resource_view *rv,
                         long long now_ms);
void resource_view_draw(struct console_state *c, const struct resource_view *rv,
                        const struct layout *l, time_t now, struct tick *tick);
void resource_view_read(struct console_state *c, const struct resource_view *rv);
/* Ask for the objects of kind (a view whose detail needs another kind's
 * objects, e.g. the roles that use an account). */
void resource_view_read_kind(struct console_state *c, enum resource_kind kind);
void resource_view_move(struct console_state *c, const struct resource_view *rv, long delta);
void resource_view_select(struct console_state *c, const struct resource_view *rv, size_t idx);
void resource_view_filter_changed(struct console_state *c, const struct resource_view *rv);
/* The shown row drawn at screen row y by the last draw, or -1. */
ssize_t resource_view_hit(struct console_state *c, const struct resource_view *rv, int y);
size_t resource_view_shown(struct console_state *c, const struct resource_view *rv);
/* s: the next column; S: the other direction. */
void resource_view_sort(struct console_state *c, const struct resource_view *rv, bool reverse);

/* Text of the detail of the selected row (for tests): the lines joined by
 * '\n', newly allocated. */
char *resource_view_detail_text(struct console_state *c, const struct resource_view *rv,
                                size_t width, time_t now);

#endif
