/* resource_actions: the keys the roles, accounts and DNS providers views add
 * to the shared rows (ui/action.h): y the raw answer, Y the commands that
 * read or recreate the selected object. Each of those views lists these
 * rows as its own. */
#ifndef ACMETOP_UI_RESOURCE_ACTIONS_H
#define ACMETOP_UI_RESOURCE_ACTIONS_H

#include <stddef.h>

#include "ui/action.h"

#define RESOURCE_ACTION_COUNT 2

extern const struct action resource_actions[RESOURCE_ACTION_COUNT];

#endif
