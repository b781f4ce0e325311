/* command_line: the `:` prompt (see command_line.h). */
#include "ui/command_line.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/xalloc.h"
#include "ui/keys.h"
#include "ui/console_state.h"
#include "ui/context_switch.h"
#include "ui/views.h"

/* The commands: every view's name, then these. */
static const char *const extra[] = {"q", "quit"};
#define EXTRA_COUNT (sizeof extra / sizeof extra[0])

static size_t command_count(void)
{
    return views_count() + EXTRA_COUNT;
}

static const char *command_at(size_t i)
{
    return i < views_count() ? views_at(i)->name : extra[i - views_count()];
}

void command_line_open(struct console_state *c)
{
    struct command_line *l = &c->cmdline;
    l->editing = true;
    filter_input_clear(&l->input);
    l->browse = l->history_count;
    l->draft[0] = '\0';
    l->hint[0] = '\0';
    c->dirty = true;
}

size_t command_line_candidates(const char *prefix, char *buf, size_t size, char *common,
                               size_t common_size)
{
    size_t n = 0, k = 0, plen = strlen(prefix);
    if (size)
        buf[0] = '\0';
    if (common_size)
        common[0] = '\0';
    for (size_t i = 0; i < command_count(); i++) {
        const char *name = command_at(i);
        if (strncmp(name, prefix, plen) != 0)
            continue;
        if (k < size)
            k += (size_t)snprintf(buf + k, size - k, "%s:%s", n ? " " : "", name);
        if (n == 0) {
            snprintf(common, common_size, "%s", name);
        } else {
            size_t j = 0;
            while (common[j] && common[j] == name[j])
                j++;
            common[j] = '\0';
        }
        n++;
    }
    return n;
}

static void remember(struct command_line *l, const char *text)
{
    if (!*text || (l->history_count && strcmp(l->history[l->history_count - 1], text) == 0))
        return;
    if (l->history_count == COMMAND_LINE_HISTORY) {
        free(l->history[0]);
        memmove(l->history, l->history + 1, (COMMAND_LINE_HISTORY - 1) * sizeof(l->history[0]));
        l->history_count--;
    }
    l->history[l->history_count++] = xstrdup(text);
}

bool command_line_run(struct console_state *c, const char *text)
{
    while (*text == ' ' || *text == ':')
        text++;
    char cmd[FILTER_INPUT_MAX + 1];
    snprintf(cmd, sizeof cmd, "%s", text);
    size_t n = strlen(cmd);
    while (n && cmd[n - 1] == ' ')
        cmd[--n] = '\0';
    if (strcmp(cmd, "q") == 0 || strcmp(cmd, "quit") == 0) {
        c->quit = true;
        return true;
    }
    char *arg = strchr(cmd, ' ');
    if (arg) { /* ":ctx NAME", ":ns PATH" */
        *arg++ = '\0';
        while (*arg == ' ')
            arg++;
    }
    if (arg && *arg && strcmp(cmd, "ctx") == 0) {
        context_switch(c, arg, NULL);
        return true;
    }
    if (arg && *arg && strcmp(cmd, "ns") == 0) {
        context_switch(c, NULL, strcmp(arg, "/") == 0 ? "" : arg);
        return true;
    }
    if (views_find(cmd) && !(arg && *arg)) {
        views_switch(c, cmd);
        return true;
    }
    char known[256], common[64];
    command_line_candidates("", known, sizeof known, common, sizeof common);
    console_state_say(c, MESSAGE_ERROR, "unknown command ':%.60s': the commands are %s", cmd,
                      known);
    return false;
}

static void show_history(struct command_line *l)
{
    filter_input_set(&l->input, l->browse < l->history_count ? l->history[l->browse] : l->draft);
}

static void complete(struct command_line *l)
{
    char buf[COMMAND_LINE_HINT], common[FILTER_INPUT_MAX + 1];
    size_t n = command_line_candidates(l->input.text, buf, sizeof buf, common, sizeof common);
    l->hint[0] = '\0';
    if (n == 0) {
        snprintf(l->hint, sizeof l->hint, "no command starts with '%.40s'", l->input.text);
        return;
    }
    if (strlen(common) > l->input.len)
        filter_input_set(&l->input, common);
    if (n > 1)
        snprintf(l->hint, sizeof l->hint, "%s", buf);
}

bool command_line_key(struct console_state *c, int key)
{
    struct command_line *l = &c->cmdline;
    c->dirty = true;
    switch (key) {
    case '\n':
    case '\r':
    case ACTION_KEY_FN(KEY_ENTER): {
        char text[FILTER_INPUT_MAX + 1];
        memcpy(text, l->input.text, l->input.len + 1);
        l->editing = false;
        l->hint[0] = '\0';
        if (!text[0])
            return true;
        if (command_line_run(c, text))
            remember(l, text); /* an unknown command is a typo: not kept */
        return true;
    }
    case ACTION_KEY_ESC:
        l->editing = false;
        l->hint[0] = '\0';
        return true;
    case '\t':
        complete(l);
        return true;
    case ACTION_KEY_FN(KEY_UP):
        if (l->browse == l->history_count)
            memcpy(l->draft, l->input.text, l->input.len + 1);
        if (l->browse > 0) {
            l->browse--;
            show_history(l);
        }
        return true;
    case ACTION_KEY_FN(KEY_DOWN):
        if (l->browse < l->history_count) {
            l->browse++;
            show_history(l);
        }
        return true;
    case ACTION_KEY_FN(KEY_BACKSPACE):
    case 127:
    case 8:
        if (!filter_input_backspace(&l->input))
            l->editing = false; /* backspace on empty: leave, as vim does */
        l->hint[0] = '\0';
        return true;
    case ACTION_KEY_CTRL('u'):
        filter_input_clear(&l->input);
        return true;
    case ACTION_KEY_CTRL('w'):
        filter_input_delete_word(&l->input);
        return true;
    default:
        if (key > 0 && key < 0x110000 && key != ':')
            filter_input_insert(&l->input, (wchar_t)key);
        l->hint[0] = '\0';
        return true;
    }
}
