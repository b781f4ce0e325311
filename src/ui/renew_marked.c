/* renew_marked: renew every marked completed order at once (see
 * renew_marked.h). */
#include "ui/renew_marked.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/strv.h"
#include "model/xalloc.h"
#include "ui/console_state.h"
#include "ui/keys.h"

/* The answers to the new orders sent, added up. */
struct renew_tally {
    size_t pending, created, refused;
    char first_refusal[256];
};

static bool renewed(struct console_state *c, const struct msg *m, long arg)
{
    struct renew_tally *t = (struct renew_tally *)(intptr_t)arg;
    if (m->type == UPD_ACTION_RESULT && m->u.action_result.ok) {
        t->created++;
    } else if (!t->refused++) {
        snprintf(t->first_refusal, sizeof t->first_refusal, "%s",
                 m->type == UPD_ACTION_RESULT && m->u.action_result.message
                     ? m->u.action_result.message
                     : "refused");
    }
    if (--t->pending == 0) {
        console_state_say(c, t->refused ? MESSAGE_ERROR : MESSAGE_INFO,
                          "renewals of the marked orders: %zu order%s created, %zu refused%s%s",
                          t->created, t->created == 1 ? "" : "s", t->refused,
                          t->refused ? ": " : "", t->refused ? t->first_refusal : "");
        free(t);
    }
    return true;
}

/* A marked order that N can renew: completed, read in full. */
static const struct order *renewable(const struct console_state *c, size_t i)
{
    const struct order *o = order_store_find(c->store, c->marks.ids[i]);
    if (!o || o->status != ORDER_COMPLETED || !o->role || !*o->role)
        return NULL;
    if (!(o->csr && *o->csr) && o->identifier_count == 0)
        return NULL;
    return o;
}

static void send_all(struct console_state *c)
{
    struct renew_tally *t = xcalloc(1, sizeof *t);
    for (size_t i = 0; i < c->marks.count; i++) {
        const struct order *o = renewable(c, i);
        if (!o)
            continue;
        uint64_t id = console_state_next_request(c);
        bool csr = o->csr && *o->csr;
        console_state_send(c, msg_new_new_order(id, o->role,
                                                (const char *const *)(csr ? NULL : o->identifiers),
                                                csr ? 0 : o->identifier_count,
                                                csr ? o->csr : NULL));
        console_state_on_reply(c, id, renewed, (long)(intptr_t)t);
        t->pending++;
    }
    if (!t->pending)
        free(t);
    else
        console_state_say(c, MESSAGE_INFO, "renewing %zu marked order%s...", t->pending,
                          t->pending == 1 ? "" : "s");
}

static bool renew_key(struct console_state *c, struct dialog *d, int key)
{
    (void)d;
    if (key == 'y' || key == 'Y') {
        console_state_dialog_close(c);
        send_all(c);
    } else if (keys_is_cancel(key) || keys_is_enter(key) || key == 'n') {
        console_state_dialog_close(c);
        console_state_say(c, MESSAGE_INFO, "cancelled: nothing was sent");
    } else {
        dialog_scroll_key(d, key);
    }
    return true;
}

const struct dialog_ops renew_marked_ops = {
    .name = "renew-marked",
    .key = renew_key,
};

void renew_marked_begin(struct console_state *c)
{
    char *body = xstrdup("");
    size_t n = 0, skipped = 0;
    for (size_t i = 0; i < c->marks.count; i++) {
        const struct order *o = renewable(c, i);
        if (!o) {
            skipped++;
            continue;
        }
        char *names = o->csr && *o->csr
                          ? xstrdup("its CSR")
                          : strv_join((const char *const *)o->identifiers, o->identifier_count,
                                      " ");
        char line[700];
        snprintf(line, sizeof line, "  %.*s  role %s: %s\n", order_short_id_len(o->id), o->id,
                 o->role, names);
        free(names);
        body = xrealloc(body, strlen(body) + strlen(line) + 1);
        strcat(body, line);
        n++;
    }
    if (!n) {
        free(body);
        console_state_say(c, MESSAGE_ERROR,
                          "none of the %zu marked orders is a completed order read in full: "
                          "nothing to renew", c->marks.count);
        return;
    }
    struct dialog *d = dialog_new(&renew_marked_ops, sizeof *d, "Renew marked orders");
    dialog_body(d, "A new order for each, on the same role with the same names (or CSR):\n\n%s"
                   "%s\nEach is sent once; Vault's answer to each is counted on the message line.",
                body, skipped ? "(the marked orders that are not completed are left out)\n" : "");
    dialog_answers(d, "[y] Renew all    [n] Cancel");
    free(body);
    console_state_dialog_show(c, d);
}
