/* resource_actions: the shared keys of the resource views (see
 * resource_actions.h). */
#include "ui/resource_actions.h"

#include "ui/raw_view.h"
#include "ui/views.h"

void resource_actions_raw(struct console_state *c, int key)
{
    (void)key;
    if (views_current(c)->resource)
        raw_view_resource(c, views_current(c)->resource);
}

void resource_actions_commands(struct console_state *c, int key)
{
    (void)key;
    if (views_current(c)->resource)
        raw_view_resource_commands(c, views_current(c)->resource);
}
