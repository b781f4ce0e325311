/* resource_actions: the keys every resource view (roles, accounts, DNS
 * providers) has besides the shared rows (ui/action.h): y the raw answer,
 * Y the commands that read or recreate the selected object. Each view's
 * table starts with RESOURCE_ACTION_ROWS, then its own write actions. */
#ifndef ACMETOP_UI_RESOURCE_ACTIONS_H
#define ACMETOP_UI_RESOURCE_ACTIONS_H

#include "ui/action.h"

void resource_actions_raw(struct console_state *c, int key);
void resource_actions_commands(struct console_state *c, int key);

#define RESOURCE_ACTION_ROWS                                                                  \
    {"raw", {'y', 0}, "y", "Raw", 3,                                                          \
     "the selected object's answer from Vault, pretty-printed (c in it copies it)", false,    \
     resource_actions_raw, false},                                                                 \
    {"copy-commands", {'Y', 0}, "Y", "Cmd", 4,                                                \
     "copy the vault, curl and Terraform commands that read or recreate the selected object " \
     "($VAULT_TOKEN, no secret)",                                                             \
     false, resource_actions_commands, false}

#endif
