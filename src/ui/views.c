/* views: the list of views and switching (see views.h). */
#include "ui/views.h"

#include <stdio.h>
#include <string.h>

#include "ui/console_state.h"

/* Each view is one file defining its view_ops; this is the list. */
extern const struct view_ops view_orders; /* view_orders.c */
extern const struct view_ops view_roles; /* view_roles.c */
extern const struct view_ops view_accounts; /* view_accounts.c */
extern const struct view_ops view_dns; /* view_dns.c */
extern const struct view_ops view_events; /* view_events.c */
extern const struct view_ops view_contexts; /* view_contexts.c */
extern const struct view_ops view_namespaces; /* view_namespaces.c */

static const struct view_ops *const registry[] = {
    &view_orders,
    &view_roles,
    &view_accounts,
    &view_dns,
    &view_events,
    &view_contexts,
    &view_namespaces,
};

size_t views_count(void)
{
    return sizeof registry / sizeof registry[0];
}

const struct view_ops *views_at(size_t i)
{
    return i < views_count() ? registry[i] : NULL;
}

const struct view_ops *views_find(const char *name)
{
    for (size_t i = 0; name && i < views_count(); i++)
        if (strcmp(registry[i]->name, name) == 0)
            return registry[i];
    return NULL;
}

const struct view_ops *views_current(const struct console_state *c)
{
    return c->view ? c->view : registry[0];
}

bool views_switch(struct console_state *c, const char *name)
{
    const struct view_ops *v = views_find(name);
    if (!v) {
        char known[256] = "";
        size_t k = 0;
        for (size_t i = 0; i < views_count() && k < sizeof known; i++)
            k += (size_t)snprintf(known + k, sizeof known - k, "%s%s", i ? ", " : "",
                                  registry[i]->name);
        console_state_say(c, MESSAGE_ERROR, "no view called '%.40s' (known: %s)",
                          name ? name : "", known);
        return false;
    }
    c->view = v;
    if (v->enter)
        v->enter(c);
    return true;
}
