/* revoke_flow: reason picker and typed confirmation (see revoke_flow.h). */
#include "ui/revoke_flow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/text_width.h"
#include "model/xalloc.h"
#include "ui/keys.h"

static const char *const reasons[] = {
    "unspecified", "key_compromise", "ca_compromise", "affiliation_changed", "superseded",
    "cessation_of_operation", "certificate_hold", "remove_from_crl", "privilege_withdrawn",
    "aa_compromise",
};

static const char *const reason_help[] = {
    "no particular reason",
    "the private key was exposed",
    "the CA's key was exposed",
    "the subject's affiliation changed",
    "replaced by a newer certificate",
    "the service is shut down",
    "suspended for now",
    "take it off the CRL (undo a hold)",
    "the right to use it was withdrawn",
    "the attribute authority was compromised",
};

const char *const *revoke_flow_reasons(size_t *count)
{
    *count = sizeof reasons / sizeof reasons[0];
    return reasons;
}

struct revoke_dialog {
    struct dialog box;
    bool confirming;            /* reason picked, the order ID is being typed */
    char *order_id, *role, *reason;
};

static void revoke_close(struct dialog *d)
{
    struct revoke_dialog *r = (struct revoke_dialog *)d;
    free(r->order_id);
    free(r->role);
    free(r->reason);
}

/* The characters to type: the first REVOKE_CONFIRM_CHARS columns of the
 * ID, whole characters (IDs are clean text: nothing invisible to type). */
static void expected(const struct revoke_dialog *r, char *buf, size_t size)
{
    const char *id = r->order_id ? r->order_id : "";
    snprintf(buf, size, "%.*s", (int)text_fit_bytes(id, REVOKE_CONFIRM_CHARS), id);
}

static void show_reasons(struct revoke_dialog *r, const struct order *o)
{
    dialog_body(&r->box,
                "Revoke the certificate of order %s\n  %s%s (role %s, serial %s)\n\n"
                "Pick the reason (j/k, Enter):",
                r->order_id, o && o->identifier_count ? o->identifiers[0] : "?",
                o && o->identifier_count > 1 ? " and more" : "", r->role ? r->role : "?",
                o && o->serial && *o->serial ? o->serial : "?");
    r->box.picker_on = true;
    dialog_input_off(&r->box);
    dialog_answers(&r->box, "[Enter] Choose    [Esc] Cancel");
    dialog_note(&r->box, false, NULL);
}

static void show_confirm(struct revoke_dialog *r)
{
    char want[REVOKE_CONFIRM_CHARS + 1];
    expected(r, want, sizeof want);
    dialog_body(&r->box,
                "Revoke the certificate of order %s with reason %s?\n\n"
                "The CA publishes the revocation: clients stop trusting the "
                "certificate. It cannot be undone.",
                r->order_id, r->reason);
    r->box.picker_on = false;
    char prompt[64];
    snprintf(prompt, sizeof prompt, "Type %s: ", want);
    dialog_input(&r->box, prompt);
    dialog_answers(&r->box, "[Enter] Revoke if it matches    [Esc] Cancel");
    dialog_note(&r->box, false, "type the first %zu characters of the order ID", strlen(want));
}

static void cancel(struct console_state *c)
{
    console_state_dialog_close(c);
    console_state_say(c, MESSAGE_INFO, "cancelled: nothing was sent");
}

static bool revoke_key(struct console_state *c, struct dialog *d, int key)
{
    struct revoke_dialog *r = (struct revoke_dialog *)d;
    bool enter = keys_is_enter(key);
    if (key == ACTION_KEY_ESC) {
        cancel(c);
        return true;
    }
    if (!r->confirming) {
        if (keys_move_picker(&d->picker, key))
            return true;
        if (key == 'q' || key == 'n')
            cancel(c);
        else if (enter) {
            const struct picker_item *it = picker_current(&d->picker);
            free(r->reason);
            r->reason = xstrdup(it ? it->label : "unspecified");
            r->confirming = true;
            show_confirm(r);
        }
        return true;
    }
    if (!enter) {
        keys_edit_input(&d->input, key);
        return true;
    }
    char want[REVOKE_CONFIRM_CHARS + 1];
    expected(r, want, sizeof want);
    if (strcmp(d->input.text, want) != 0) {
        dialog_note(d, true, "\"%s\" does not match %s: nothing sent (Esc cancels)",
                    d->input.text, want);
        filter_input_clear(&d->input);
        return true;
    }
    console_state_send(c, msg_new_revoke(console_state_next_request(c), r->order_id, r->role,
                                         r->reason));
    console_state_say(c, MESSAGE_INFO, "revoking the certificate of %.*s (%s)...",
                      order_short_id_len(r->order_id), r->order_id,
                      r->reason);
    console_state_dialog_close(c);
    return true;
}

const struct dialog_ops revoke_flow_ops = {
    .name = "revoke",
    .key = revoke_key,
    .close = revoke_close,
};

void revoke_flow_begin(struct console_state *c)
{
    const struct order *o = console_state_selected(c);
    if (!o) {
        console_state_say(c, MESSAGE_ERROR, "no order selected");
        return;
    }
    if (o->status != ORDER_COMPLETED) {
        console_state_say(c, MESSAGE_ERROR,
                          "order %.*s is %s: only the certificate of a completed order can "
                          "be revoked",
                          order_short_id_len(o->id), o->id, order_status_display(o));
        return;
    }
    struct revoke_dialog *r =
        (struct revoke_dialog *)dialog_new(&revoke_flow_ops, sizeof *r, "Revoke certificate");
    r->order_id = xstrdup(o->id);
    r->role = xstrdup(o->role);
    for (size_t i = 0; i < sizeof reasons / sizeof reasons[0]; i++)
        picker_add(&r->box.picker, reasons[i], reason_help[i]);
    show_reasons(r, o);
    console_state_dialog_show(c, &r->box);
}
