/* command_line: the `:` prompt (k9s): `:orders`, `:roles`, `:accounts`,
 * `:dns`, `:events`, `:ctx`, `:ns` show that view, `:ctx NAME` and `:ns
 * PATH` switch the context or the namespace watched, `:q` quits. Tab completes a command (and lists the
 * candidates when several fit), Up and Down walk the history of commands
 * run, Esc cancels, Enter runs; an unknown command says so and lists the
 * known ones. Typed on the message line. */
#ifndef ACMETOP_UI_COMMAND_LINE_H
#define ACMETOP_UI_COMMAND_LINE_H

#include <stdbool.h>
#include <stddef.h>

#include "ui/command_history.h"

struct console_state;

/* `:` pressed: start typing a command. */
void command_line_open(struct console_state *c);
/* A key while the command line is open; always taken. */
bool command_line_key(struct console_state *c, int key);
/* Run a command as typed (without the ':'): false, and the known commands
 * on the message line, when there is no such command. */
bool command_line_run(struct console_state *c, const char *text);

/* The commands that start with prefix, into buf separated by spaces (each
 * with its ':'); returns how many. *common gets their longest common
 * prefix (size bytes). */
size_t command_line_candidates(const char *prefix, char *buf, size_t size, char *common,
                               size_t common_size);

#endif
