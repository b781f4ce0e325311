/* resource_actions: the rows of the resource views (see resource_actions.h). */
#include "ui/resource_actions.h"

#include "ui/raw_view.h"
#include "ui/views.h"

static void run_raw(struct console_state *c, int key)
{
    (void)key;
    if (views_current(c)->resource)
        raw_view_resource(c, views_current(c)->resource);
}

static void run_commands(struct console_state *c, int key)
{
    (void)key;
    if (views_current(c)->resource)
        raw_view_resource_commands(c, views_current(c)->resource);
}

const struct action resource_actions[RESOURCE_ACTION_COUNT] = {
    {"raw", {'y', 0}, "y", "Raw", 3,
     "the selected object's answer from Vault, pretty-printed (c in it copies it)", false,
     run_raw},
    {"copy-commands", {'Y', 0}, "Y", "Cmd", 4,
     "copy the vault, curl and Terraform commands that read or recreate the selected object "
     "($VAULT_TOKEN, no secret)", false, run_commands},
};
