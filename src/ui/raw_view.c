/* raw_view: the raw answer and the copied commands (see raw_view.h). */
#include "ui/raw_view.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/copy_command.h"
#include "model/xalloc.h"
#include "ui/copy_flow.h"
#include "ui/keys.h"

struct raw_dialog {
    struct dialog box;
    char *what;           /* "order 1a2b3c4d", "role web-servers" */
    char *path;           /* what was read, under the mount */
    char *mount;
    char *text;           /* the body shown (pretty JSON or the commands), NULL while reading */
    char *commands;       /* what Y copies */
    uint64_t request;     /* CMD_READ_RAW under way, 0 = none */
    char *cert_path;      /* a completed order: its fetch-cert path; NULL otherwise */
    bool is_commands;     /* the body is the commands */
    bool read;            /* the answer was read for this dialog (else: as the view read it) */
};

static void raw_close(struct dialog *d)
{
    struct raw_dialog *r = (struct raw_dialog *)d;
    free(r->what);
    free(r->path);
    free(r->mount);
    free(r->text);
    free(r->commands);
    free(r->cert_path);
}

static const char *mount_of(const struct console_state *c)
{
    return c->cfg && c->cfg->mount ? c->cfg->mount : "pki-external-ca";
}

static void render(struct raw_dialog *r)
{
    char title[300];
    if (r->is_commands)
        snprintf(title, sizeof title, "Commands for %s (copied)", r->what);
    else
        snprintf(title, sizeof title, "%s: %s", r->what,
                 r->cert_path && strcmp(r->path, r->cert_path) == 0 ? "its certificate answer"
                 : r->read                                         ? "Vault's answer"
                                                                   : "its data as read");
    dialog_title(&r->box, title);
    if (r->is_commands)
        dialog_body(&r->box, "%s", r->text ? r->text : "");
    else if (r->text)
        dialog_body(&r->box, "GET %s/%s\n\n%s", r->mount, r->path, r->text);
    else
        dialog_body(&r->box, "GET %s/%s\n\nreading...", r->mount, r->path);
    dialog_answers(&r->box, r->is_commands ? "[c] Copy again   [j/k PgUp/PgDn] Scroll   [Esc] Close"
                            : r->cert_path ? "[c] Copy   [Y] Commands   [C] Certificate answer   [Esc] Close"
                                           : "[c] Copy   [Y] Commands   [j/k PgUp/PgDn] Scroll   [Esc] Close");
}

static void copy_text(struct console_state *c, struct raw_dialog *r, const char *text,
                      const char *what)
{
    char label[400];
    snprintf(label, sizeof label, "%s of %s", what, r->what);
    copy_flow_text(c, label, text);
}

static void read_path(struct console_state *c, struct raw_dialog *r, const char *path)
{
    free(r->path);
    r->path = xstrdup(path);
    free(r->text);
    r->text = NULL;
    r->request = console_state_next_request(c);
    r->read = true;
    console_state_send(c, msg_new_read_raw(r->request, path, NULL));
    r->box.scroll = 0;
    render(r);
}

static bool raw_key(struct console_state *c, struct dialog *d, int key)
{
    struct raw_dialog *r = (struct raw_dialog *)d;
    if (dialog_scroll_key(d, key))
        return true;
    switch (key) {
    case ACTION_KEY_FN(KEY_NPAGE):
    case ' ':
        d->scroll += 10;
        return true;
    case ACTION_KEY_FN(KEY_PPAGE):
        d->scroll = d->scroll > 10 ? d->scroll - 10 : 0;
        return true;
    case 'g':
    case ACTION_KEY_FN(KEY_HOME):
        d->scroll = 0;
        return true;
    case 'G':
    case ACTION_KEY_FN(KEY_END):
        d->scroll = (size_t)-1 / 2; /* clamped when drawn */
        return true;
    case 'c':
        if (r->text)
            copy_text(c, r, r->text, r->is_commands ? "the commands" : "the raw answer");
        return true;
    case 'Y':
        if (r->commands) {
            r->is_commands = true;
            free(r->text);
            r->text = xstrdup(r->commands);
            r->box.scroll = 0;
            copy_text(c, r, r->commands, "the commands");
            render(r);
        }
        return true;
    case 'C':
        if (r->cert_path && !r->is_commands)
            read_path(c, r, r->cert_path);
        return true;
    case ACTION_KEY_ESC:
    case 'q':
    case '\n':
    case '\r':
    case ACTION_KEY_FN(KEY_ENTER):
        console_state_dialog_close(c);
        return true;
    default:
        return true; /* modal */
    }
}

static bool raw_on_update(struct console_state *c, struct dialog *d, struct msg *m)
{
    (void)c;
    struct raw_dialog *r = (struct raw_dialog *)d;
    if (m->type != UPD_RAW || !r->request || m->request_id != r->request)
        return false;
    r->request = 0;
    free(r->text);
    char *pretty = m->u.raw.json ? resource_pretty_json(m->u.raw.json) : NULL;
    if (pretty) {
        r->text = pretty;
    } else {
        size_t n = strlen(r->path) + (m->u.raw.error ? strlen(m->u.raw.error) : 0) + 64;
        r->text = xmalloc(n);
        snprintf(r->text, n, "GET %s failed: %s", r->path,
                 m->u.raw.error ? m->u.raw.error : "no answer");
    }
    render(r);
    return true;
}

/* The standard box, above the message line: what c copied stays readable. */
static void raw_draw(struct dialog *d, int cols, int rows)
{
    dialog_draw_box(d, cols, rows - 2);
}

static const struct dialog_ops raw_ops = {
    .name = "raw",
    .key = raw_key,
    .on_update = raw_on_update,
    .draw = raw_draw,
    .close = raw_close,
};

static struct raw_dialog *raw_new(struct console_state *c, const char *what,
                                  const char *commands)
{
    struct raw_dialog *r =
        (struct raw_dialog *)dialog_new(&raw_ops, sizeof(struct raw_dialog), "");
    r->what = xstrdup(what);
    r->mount = xstrdup(mount_of(c));
    r->commands = commands ? xstrdup(commands) : NULL;
    return r;
}

/* ---- orders ---------------------------------------------------------------------- */

static char *order_commands(struct console_state *c, const struct order *o)
{
    struct copy_place at = {c->cfg && c->cfg->addr ? c->cfg->addr : "https://127.0.0.1:8200",
                            c->cfg ? c->cfg->namespace_ : NULL, mount_of(c)};
    return copy_command_order(&at, o->role ? o->role : "", o->id,
                              (const char *const *)o->identifiers, o->identifier_count,
                              o->csr && *o->csr);
}

static const struct order *order_with_role(struct console_state *c)
{
    const struct order *o = console_state_selected(c);
    if (!o) {
        console_state_say(c, MESSAGE_ERROR, "no order selected");
        return NULL;
    }
    if (!o->role || !*o->role) {
        console_state_say(c, MESSAGE_ERROR, "the role of order %.*s is not known yet",
                          order_short_id_len(o->id), o->id);
        return NULL;
    }
    return o;
}

void raw_view_order(struct console_state *c)
{
    const struct order *o = order_with_role(c);
    if (!o)
        return;
    char what[160], path[1024];
    snprintf(what, sizeof what, "order %.*s", order_short_id_len(o->id), o->id);
    char *commands = order_commands(c, o);
    struct raw_dialog *r = raw_new(c, what, commands);
    free(commands);
    if (o->status == ORDER_COMPLETED) {
        snprintf(path, sizeof path, "role/%s/order/%s/fetch-cert", o->role, o->id);
        r->cert_path = xstrdup(path);
    }
    snprintf(path, sizeof path, "role/%s/order/%s/status", o->role, o->id);
    console_state_dialog_show(c, &r->box);
    read_path(c, r, path);
}

void raw_view_order_commands(struct console_state *c)
{
    const struct order *o = order_with_role(c);
    if (!o)
        return;
    char what[160];
    snprintf(what, sizeof what, "order %.*s", order_short_id_len(o->id), o->id);
    char *commands = order_commands(c, o);
    struct raw_dialog *r = raw_new(c, what, commands);
    r->is_commands = true;
    r->text = commands; /* taken */
    r->path = xstrdup("");
    console_state_dialog_show(c, &r->box);
    copy_text(c, r, r->text, "the commands");
    render(r);
}

/* ---- roles, accounts, DNS providers ------------------------------------------------- */

static const struct resource_row *selected_row(struct console_state *c,
                                               const struct resource_view *rv)
{
    resource_view_selected(c, rv); /* keeps the list's view current */
    const struct resource_row *row = resource_list_selected(resource_view_list(c, rv));
    if (!row)
        console_state_say(c, MESSAGE_ERROR, "no %s selected", rv->noun);
    return row;
}

static char *resource_commands(struct console_state *c, const struct resource_view *rv,
                               const struct resource_row *row)
{
    struct copy_place at = {c->cfg && c->cfg->addr ? c->cfg->addr : "https://127.0.0.1:8200",
                            c->cfg ? c->cfg->namespace_ : NULL, mount_of(c)};
    return copy_command_resource(&at, rv->kind, row->item.key, row->item.json);
}

void raw_view_resource(struct console_state *c, const struct resource_view *rv)
{
    const struct resource_row *row = selected_row(c, rv);
    if (!row)
        return;
    char what[300], path[600];
    snprintf(what, sizeof what, "%s %s", rv->noun, row->item.key);
    snprintf(path, sizeof path, "%s/%s", resource_kind_path(rv->kind), row->item.key);
    char *commands = resource_commands(c, rv, row);
    struct raw_dialog *r = raw_new(c, what, commands);
    free(commands);
    r->path = xstrdup(path);
    r->text = row->item.json ? resource_pretty_json(row->item.json) : NULL;
    if (!r->text) {
        size_t n = strlen(path) + (row->item.error ? strlen(row->item.error) : 0) + 64;
        r->text = xmalloc(n);
        snprintf(r->text, n, "%s could not be read: %s", row->item.key,
                 row->item.error ? row->item.error : "no answer");
    }
    console_state_dialog_show(c, &r->box);
    render(r);
}

void raw_view_resource_commands(struct console_state *c, const struct resource_view *rv)
{
    const struct resource_row *row = selected_row(c, rv);
    if (!row)
        return;
    char what[300];
    snprintf(what, sizeof what, "%s %s", rv->noun, row->item.key);
    char *commands = resource_commands(c, rv, row);
    struct raw_dialog *r = raw_new(c, what, commands);
    r->is_commands = true;
    r->text = commands;
    r->path = xstrdup("");
    console_state_dialog_show(c, &r->box);
    copy_text(c, r, r->text, "the commands");
    render(r);
}
