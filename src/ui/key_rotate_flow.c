/* key_rotate_flow: the key type picker and confirmation of a key rotation
 * (see key_rotate_flow.h). */
#include "ui/key_rotate_flow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "model/xalloc.h"
#include "ui/keys.h"
#include "ui/resource_view.h"
#include "ui/write_request.h"

static const char *const key_types[] = {"ec-256", "ec-384", "ec-521", "rsa-2048", "rsa-4096",
                                        "rsa-8192"};

struct key_rotate_dialog {
    struct dialog box;
    char *account;
    char *key_type;       /* picked */
    bool picked;
    size_t pending;       /* unfinished orders on the roles using it (known to acmetop) */
    bool roles_known;
    char roles[600];      /* the roles that use it */
    bool force;
    struct write_request w;
};

static void rotate_close(struct dialog *d)
{
    struct key_rotate_dialog *r = (struct key_rotate_dialog *)d;
    free(r->account);
    free(r->key_type);
    write_request_free(&r->w);
}

static const char *mount_of(const struct console_state *c)
{
    return c->cfg && c->cfg->mount ? c->cfg->mount : "pki-external-ca";
}

/* The roles (as read) that use the account, and their unfinished orders. */
static void count_pending(struct console_state *c, struct key_rotate_dialog *r)
{
    const struct resource_list *l = &c->resources[RESOURCE_ROLES];
    r->roles_known = l->loaded && l->listed;
    size_t k = 0;
    for (size_t i = 0; i < l->count; i++) {
        cJSON *data = l->rows[i].item.json ? cJSON_Parse(l->rows[i].item.json) : NULL;
        const cJSON *acct = cJSON_GetObjectItemCaseSensitive(data, "acme_account_name");
        if (cJSON_IsString(acct) && strcmp(acct->valuestring, r->account) == 0) {
            const char *role = l->rows[i].item.key;
            if (k < sizeof r->roles)
                k += (size_t)snprintf(r->roles + k, sizeof r->roles - k, "%s%s", k ? ", " : "",
                                      role);
            for (size_t j = 0; j < order_store_count(c->store); j++) {
                const struct order *o = order_store_at(c->store, j);
                r->pending += o->role && strcmp(o->role, role) == 0 &&
                              !order_status_is_terminal(o->status);
            }
        }
        cJSON_Delete(data);
    }
}

static void plan(struct console_state *c, struct key_rotate_dialog *r)
{
    char path[600], body[128], summary[900];
    snprintf(path, sizeof path, "config/acme-account/%s/rotate-key", r->account);
    snprintf(body, sizeof body, "{\"key_type\":\"%s\"%s}", r->key_type ? r->key_type : "ec-256",
             r->force ? ",\"force\":true" : "");
    write_request_set(&r->w, "POST", path, body);
    write_request_summary(&r->w, mount_of(c), summary, sizeof summary);
    char orders[1000];
    if (!r->roles_known)
        snprintf(orders, sizeof orders,
                 "The roles are not read yet: Vault says if orders are pending.");
    else if (r->pending)
        snprintf(orders, sizeof orders,
                 "%zu order%s still pending on the roles that use it (%s): they were "
                 "authorised with the old key.", r->pending, r->pending == 1 ? " is" : "s are",
                 r->roles);
    else
        snprintf(orders, sizeof orders, "No pending order on the roles that use it%s%s%s.",
                 r->roles[0] ? " (" : "", r->roles, r->roles[0] ? ")" : "");
    dialog_body(&r->box,
                "Rotate the key of ACME account %s: the engine makes a new %s key and "
                "tells the CA (ACME key change); the old key is kept as a version.\n%s\n\n"
                "This sends:\n  %s",
                r->account, r->key_type, orders, summary);
}

static void show_pick(struct key_rotate_dialog *r)
{
    r->picked = false;
    r->box.picker_on = true;
    dialog_input_off(&r->box);
    dialog_answers(&r->box, "[Enter] Choose the key type    [Esc] Cancel");
}

static void show_confirm(struct console_state *c, struct key_rotate_dialog *r)
{
    r->picked = true;
    r->box.picker_on = false;
    plan(c, r);
    if (r->force) {
        if (!r->box.input_on)
            dialog_input(&r->box, "Type force: ");
        dialog_answers(&r->box, "[Enter] Rotate if it says force    [Esc] Cancel");
    } else {
        dialog_input_off(&r->box);
        dialog_answers(&r->box, "[y/Enter] Rotate    [Esc] Cancel");
    }
}

static bool rotate_key(struct console_state *c, struct dialog *d, int key)
{
    struct key_rotate_dialog *r = (struct key_rotate_dialog *)d;
    if (r->w.pending)
        return true;
    if (key == ACTION_KEY_ESC || (!r->force && key == 'n')) {
        console_state_dialog_close(c);
        console_state_say(c, MESSAGE_INFO, "cancelled: nothing was sent");
        return true;
    }
    if (!r->picked) {
        if (keys_move_picker(&d->picker, key)) {
            const struct picker_item *it = picker_current(&d->picker);
            free(r->key_type);
            r->key_type = xstrdup(it ? it->label : "ec-256");
            plan(c, r);
        } else if (keys_is_enter(key)) {
            show_confirm(c, r);
        }
        return true;
    }
    if (r->force) {
        if (!keys_is_enter(key)) {
            keys_edit_input(&d->input, key);
            return true;
        }
        if (strcmp(d->input.text, "force") != 0) {
            dialog_note(d, true, "force: \"%s\" is not the word force: nothing sent",
                        d->input.text);
            return true;
        }
    } else if (!keys_is_enter(key) && key != 'y') {
        return true;
    }
    write_request_send(c, &r->w);
    dialog_note(d, false, "rotating the key of %s...", r->account);
    return true;
}

static bool rotate_on_update(struct console_state *c, struct dialog *d, struct msg *m)
{
    struct key_rotate_dialog *r = (struct key_rotate_dialog *)d;
    if (!write_request_answered(&r->w, m))
        return false;
    if (m->u.written.ok) {
        cJSON *data = m->u.written.json ? cJSON_Parse(m->u.written.json) : NULL;
        const cJSON *old = cJSON_GetObjectItemCaseSensitive(data, "old_active_key_version");
        const cJSON *new = cJSON_GetObjectItemCaseSensitive(data, "new_active_key_version");
        char account[256], type[32];
        snprintf(account, sizeof account, "%s", r->account);
        snprintf(type, sizeof type, "%s", r->key_type);
        console_state_dialog_close(c);
        if (cJSON_IsNumber(old) && cJSON_IsNumber(new))
            console_state_say(c, MESSAGE_INFO, "the key of %s is rotated: v%d -> v%d (%s)",
                              account, old->valueint, new->valueint, type);
        else
            console_state_say(c, MESSAGE_INFO, "the key of %s is rotated (%s)", account, type);
        cJSON_Delete(data);
        resource_view_read_kind(c, RESOURCE_ACCOUNTS);
        return true;
    }
    const char *why = m->u.written.error ? m->u.written.error : "Vault refused";
    if (!r->force && strstr(why, "force")) {
        r->force = true; /* pending orders acmetop did not know of */
        show_confirm(c, r);
    }
    dialog_note(d, true, "%s%s", why, r->force ? " (type force to rotate anyway)" : "");
    return true;
}

const struct dialog_ops key_rotate_flow_ops = {
    .name = "key-rotate",
    .key = rotate_key,
    .on_update = rotate_on_update,
    .close = rotate_close,
};

void key_rotate_flow_begin(struct console_state *c, const char *account, const char *key_type)
{
    struct key_rotate_dialog *r = (struct key_rotate_dialog *)dialog_new(
        &key_rotate_flow_ops, sizeof *r, "Rotate account key");
    r->account = xstrdup(account);
    r->key_type = xstrdup(key_type && *key_type ? key_type : "ec-256");
    size_t at = 0;
    for (size_t i = 0; i < sizeof key_types / sizeof key_types[0]; i++) {
        picker_add(&r->box.picker, key_types[i],
                   strcmp(key_types[i], r->key_type) == 0 ? "the active key's type" : NULL);
        if (strcmp(key_types[i], r->key_type) == 0)
            at = i;
    }
    picker_set(&r->box.picker, at);
    count_pending(c, r);
    r->force = r->pending > 0;
    plan(c, r);
    show_pick(r);
    console_state_dialog_show(c, &r->box);
}
