/* console_driver.h: what the console's unit tests share to drive a
 * struct console_state the way the keyboard does and to read what it sends
 * to the worker. Header-only; include after cmocka.h. */
#ifndef ACMETOP_TESTS_CONSOLE_DRIVER_H
#define ACMETOP_TESTS_CONSOLE_DRIVER_H

#include <stdio.h>

#include "model/msg.h"
#include "model/order.h"
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

/* An order with details known, role "web", one identifier with a pending
 * http-01 and dns-01 challenge (valid, and a serial, once completed). */
static inline struct order driver_order(const char *id, enum order_status st, time_t created,
                                        const char *ident)
{
    struct order o;
    order_init(&o);
    o.id = xstrdup(id);
    o.status = st;
    o.status_text = xstrdup(order_status_name(st));
    o.role = xstrdup("web");
    o.identifiers = xcalloc(1, sizeof(char *));
    o.identifiers[0] = xstrdup(ident);
    o.identifier_count = 1;
    o.created = created;
    o.detail_known = true;
    o.serial = xstrdup(st == ORDER_COMPLETED ? "5a:08:90" : "");
    const char *cs = st == ORDER_COMPLETED ? "valid" : "pending";
    o.challenges = xcalloc(1, sizeof(*o.challenges));
    o.challenge_count = 1;
    o.challenges[0].identifier = xstrdup(ident);
    o.challenges[0].items = xcalloc(2, sizeof(struct challenge));
    o.challenges[0].count = 2;
    o.challenges[0].items[0].type = xstrdup("http-01");
    o.challenges[0].items[0].status = xstrdup(cs);
    o.challenges[0].items[1].type = xstrdup("dns-01");
    o.challenges[0].items[1].status = xstrdup(cs);
    return o;
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
