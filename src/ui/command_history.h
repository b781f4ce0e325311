/* command_history: what the `:` prompt keeps between keys (ui/command_line.c
 * drives it): the text being typed, the commands run, where Up/Down are in
 * them, and the candidates of an ambiguous Tab. Plain data in the console
 * state; no console calls. */
#ifndef ACMETOP_UI_COMMAND_HISTORY_H
#define ACMETOP_UI_COMMAND_HISTORY_H

#include <stdbool.h>
#include <stddef.h>

#include "ui/filter_input.h"

#define COMMAND_LINE_HISTORY 50
#define COMMAND_LINE_HINT 256

struct command_line {
    bool editing;
    struct filter_input input;
    char *history[COMMAND_LINE_HISTORY]; /* oldest first */
    size_t history_count;
    size_t browse;                       /* the entry shown; history_count: the draft */
    char draft[FILTER_INPUT_MAX + 1];    /* what was typed before walking the history */
    char hint[COMMAND_LINE_HINT];        /* the candidates after an ambiguous Tab */
};

void command_line_free(struct command_line *l);

#endif
