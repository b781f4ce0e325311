/* resource_list: what the console holds of one kind of resource (roles,
 * ACME accounts, DNS providers) between the engine's answers: the objects
 * as read (model/resource.h), each parsed once by its view, whether the read
 * worked and why not, when it was read and whether a read is under way; and
 * the view of them: text filter, sort column, the selection (kept by key),
 * scroll. No curses: resource_view.c draws it. */
#ifndef ACMETOP_UI_RESOURCE_LIST_H
#define ACMETOP_UI_RESOURCE_LIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "model/msg.h"
#include "model/resource.h"
#include "ui/filter_input.h"

struct resource_row {
    struct resource_item item;
    void *obj;                 /* the view's parse of item.json, NULL until parsed
                                  or when it is unreadable */
    bool parsed;
    void (*free_obj)(void *obj);
};

struct resource_list {
    struct resource_row *rows;
    size_t count;
    bool loaded;               /* an answer came */
    bool listed;               /* the last LIST worked */
    char *error;               /* why not (or why some objects are unreadable), or NULL */
    uint64_t pending;          /* the read under way, 0 = none */
    long long asked_ms;        /* monotonic ms the last read was asked, 0 = never */
    time_t read_at;            /* wall clock of the last answer, 0 = none */

    size_t *shown;             /* indices into rows: filtered, sorted */
    size_t shown_count;
    bool reshape;              /* shown is out of date */
    char *selected_key;        /* NULL when nothing is selected */
    size_t selected;           /* its index in shown when last synced */
    size_t top, page;          /* first row drawn, rows that fit */
    int first_row;             /* the screen row of row top (from the last draw), 0: none */
    int sort;                  /* the column sorted by */
    bool reverse;
    struct filter_input filter;
};

void resource_list_init(struct resource_list *l);
void resource_list_free(struct resource_list *l);

/* Copy the objects of an UPD_RESOURCES (m is left as it was for the
 * dialogs and flows that look at it); the selection stays on its key. */
void resource_list_apply(struct resource_list *l, const struct msg *m, time_t now);

/* The row selected, NULL when none. */
const struct resource_row *resource_list_selected(const struct resource_list *l);

#endif
