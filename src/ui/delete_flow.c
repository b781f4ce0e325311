/* delete_flow: the typed confirmation of a deletion (see delete_flow.h). */
#include "ui/delete_flow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/xalloc.h"
#include "ui/keys.h"
#include "ui/resource_view.h"
#include "ui/write_request.h"

#define LISTED_MAX 8

struct delete_dialog {
    struct dialog box;
    enum resource_kind kind;
    char *noun, *key, *note_text;
    bool force_exists;
    char *name;                 /* the name to type */
    char **active;        /* IDs of the role's orders acmetop knows unfinished */
    size_t active_count;
    bool force;           /* force=true will be sent (active orders, or Vault asked) */
    bool typing_force;    /* the name matched: now `force` */
    struct write_request w;
};

static void delete_close(struct dialog *d)
{
    struct delete_dialog *r = (struct delete_dialog *)d;
    free(r->name);
    free(r->noun);
    free(r->key);
    free(r->note_text);
    for (size_t i = 0; i < r->active_count; i++)
        free(r->active[i]);
    free(r->active);
    write_request_free(&r->w);
}

static const char *mount_of(const struct console_state *c)
{
    return c->cfg && c->cfg->mount ? c->cfg->mount : "pki-external-ca";
}

static void plan(struct console_state *c, struct delete_dialog *r)
{
    char path[700];
    snprintf(path, sizeof path, "%s/%s%s", resource_kind_path(r->kind), r->key,
             r->force ? "?force=true" : "");
    write_request_set(&r->w, "DELETE", path, NULL);
    char summary[800], orders[1200] = "";
    write_request_summary(&r->w, mount_of(c), summary, sizeof summary);
    size_t k = 0;
    for (size_t i = 0; i < r->active_count && i < LISTED_MAX && k < sizeof orders; i++)
        k += (size_t)snprintf(orders + k, sizeof orders - k, "  %s\n", r->active[i]);
    if (r->active_count > LISTED_MAX && k < sizeof orders)
        snprintf(orders + k, sizeof orders - k, "  and %zu more\n",
                 r->active_count - LISTED_MAX);
    char extra[800] = "";
    if (r->note_text)
        snprintf(extra, sizeof extra, "%s\n\n", r->note_text);
    if (r->active_count)
        dialog_body(&r->box,
                    "Delete %s %s?\n\n%sIt has %zu active order%s that acmetop knows:\n%s\n"
                    "This sends:\n  %s",
                    r->noun, r->key, extra, r->active_count, r->active_count == 1 ? "" : "s",
                    orders, summary);
    else
        dialog_body(&r->box, "Delete %s %s?\n\n%sThis sends:\n  %s", r->noun, r->key, extra,
                    summary);
    char prompt[64];
    snprintf(prompt, sizeof prompt, "%s", r->typing_force ? "Type force: " : "Name: ");
    if (!r->box.input_on || strcmp(r->box.prompt ? r->box.prompt : "", prompt) != 0)
        dialog_input(&r->box, prompt);
    dialog_answers(&r->box, r->force && !r->typing_force
                                ? "[Enter] Go on if the name matches    [Esc] Cancel"
                                : "[Enter] Delete if it matches    [Esc] Cancel");
}

static bool delete_key(struct console_state *c, struct dialog *d, int key)
{
    struct delete_dialog *r = (struct delete_dialog *)d;
    if (r->w.pending)
        return true; /* the answer is awaited: nothing else is sent */
    if (key == ACTION_KEY_ESC) {
        console_state_dialog_close(c);
        console_state_say(c, MESSAGE_INFO, "cancelled: nothing was sent");
        return true;
    }
    if (!keys_is_enter(key)) {
        keys_edit_input(&d->input, key);
        return true;
    }
    if (!r->typing_force) {
        if (strcmp(d->input.text, r->name) != 0) {
            dialog_note(d, true, "Name: \"%s\" is not %s: nothing sent", d->input.text,
                        r->name);
            return true;
        }
        if (r->force) {
            r->typing_force = true;
            plan(c, r);
            dialog_note(d, false, "the %s has active orders: type force to delete it anyway",
                        r->noun);
            return true;
        }
    } else if (strcmp(d->input.text, "force") != 0) {
        dialog_note(d, true, "force: \"%s\" is not the word force: nothing sent", d->input.text);
        return true;
    }
    write_request_send(c, &r->w);
    dialog_note(d, false, "deleting %s %s...", r->noun, r->key);
    return true;
}

static bool delete_on_update(struct console_state *c, struct dialog *d, struct msg *m)
{
    struct delete_dialog *r = (struct delete_dialog *)d;
    if (!write_request_answered(&r->w, m))
        return false;
    if (m->u.written.ok) {
        char what[600];
        snprintf(what, sizeof what, "%s %s", r->noun, r->key);
        enum resource_kind kind = r->kind;
        console_state_dialog_close(c);
        console_state_say(c, MESSAGE_INFO, "%s deleted", what);
        resource_view_read_kind(c, kind);
        return true;
    }
    /* refused: said in the form, what was typed kept; a role with active
     * orders acmetop did not know of asks for force now */
    const char *why = m->u.written.error ? m->u.written.error : "Vault refused";
    if (!r->force && r->force_exists && strstr(why, "force")) {
        r->force = true;
        r->typing_force = true;
        plan(c, r);
    }
    dialog_note(d, true, "%s%s", why, r->typing_force && !strcmp(d->input.text, "force")
                                          ? ""
                                          : r->typing_force ? " (type force to delete anyway)"
                                                            : "");
    return true;
}

const struct dialog_ops delete_flow_ops = {
    .name = "delete",
    .key = delete_key,
    .on_update = delete_on_update,
    .close = delete_close,
};

void delete_flow_begin(struct console_state *c, const struct delete_spec *spec)
{
    char title[64];
    snprintf(title, sizeof title, "Delete %s", spec->noun);
    struct delete_dialog *r =
        (struct delete_dialog *)dialog_new(&delete_flow_ops, sizeof *r, title);
    r->kind = spec->kind;
    r->noun = xstrdup(spec->noun);
    r->key = xstrdup(spec->key);
    r->name = xstrdup(spec->name);
    r->note_text = spec->note ? xstrdup(spec->note) : NULL;
    r->force_exists = spec->force_exists;
    for (size_t i = 0; i < spec->active_count; i++) {
        r->active = xrealloc(r->active, (r->active_count + 1) * sizeof(*r->active));
        r->active[r->active_count++] = xstrdup(spec->active[i]);
    }
    r->force = r->force_exists && r->active_count > 0;
    plan(c, r);
    dialog_note(&r->box, false, "type the %s's name to delete it", r->noun);
    console_state_dialog_show(c, &r->box);
}
