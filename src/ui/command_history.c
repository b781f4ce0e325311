/* command_history: the `:` prompt's state (see command_history.h). */
#include "ui/command_history.h"

#include <stdlib.h>
#include <string.h>

void command_line_free(struct command_line *l)
{
    for (size_t i = 0; i < l->history_count; i++)
        free(l->history[i]);
    memset(l, 0, sizeof *l);
}
