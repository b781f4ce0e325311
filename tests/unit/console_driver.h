/* console_driver.h: what the console's unit tests share to drive a
 * struct console_state the way the keyboard does and to read what it sends
 * to the worker. Header-only; include after cmocka.h. */
#ifndef ACMETOP_TESTS_CONSOLE_DRIVER_H
#define ACMETOP_TESTS_CONSOLE_DRIVER_H

#include <stdio.h>

#include "model/msg.h"
#include "model/queue.h"
#include "model/xalloc.h"
#include "ui/actions.h"
#include "ui/console_state.h"

/* The next command sent to the worker, focus hints skipped; NULL if none. */
static inline struct msg *next_command(struct queue *q)
{
    struct msg *m;
    while ((m = queue_pop(q)) != NULL && m->type == CMD_FOCUS_ORDER)
        msg_free(m);
    return m;
}

/* Type the characters of s. */
static inline void keys(struct console_state *c, const char *s)
{
    for (; *s; s++)
        actions_handle_key(c, (unsigned char)*s);
}

/* A whole (small) file as a string, or NULL; caller frees. */
static inline char *read_text_file(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    char *buf = xcalloc(1, 65536);
    size_t n = fread(buf, 1, 65535, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

#endif
