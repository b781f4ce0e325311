/* revoke_flow: reason picker and typed confirmation (see revoke_flow.h). */
#include "ui/revoke_flow.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/xalloc.h"
#include "ui/actions.h"

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

static time_t now(void)
{
    return time(NULL);
}

const char *const *revoke_flow_reasons(size_t *count)
{
    *count = sizeof reasons / sizeof reasons[0];
    return reasons;
}

void revoke_flow_reset(struct console_state *c)
{
    free(c->revoke.order_id);
    free(c->revoke.role);
    free(c->revoke.reason);
    memset(&c->revoke, 0, sizeof c->revoke);
}

/* The characters to type: the first REVOKE_CONFIRM_CHARS of the ID. */
static void expected(const struct console_state *c, char *buf, size_t size)
{
    snprintf(buf, size, "%.*s", REVOKE_CONFIRM_CHARS, c->revoke.order_id ? c->revoke.order_id : "");
}

static void show_reasons(struct console_state *c, const struct order *o)
{
    console_state_dialog_body(c,
                              "Revoke the certificate of order %s\n  %s%s (role %s, serial %s)\n\n"
                              "Pick the reason (j/k, Enter):",
                              c->revoke.order_id,
                              o && o->identifier_count ? o->identifiers[0] : "?",
                              o && o->identifier_count > 1 ? " and more" : "",
                              c->revoke.role ? c->revoke.role : "?",
                              o && o->serial && *o->serial ? o->serial : "?");
    c->dialog.picker_on = true;
    c->dialog.input_on = false;
    console_state_dialog_answers(c, "[Enter] Choose    [Esc] Cancel");
    console_state_dialog_note(c, false, NULL);
}

bool revoke_flow_begin(struct console_state *c)
{
    const struct order *o = console_state_selected(c);
    if (!o) {
        console_state_message(c, MESSAGE_ERROR, now(), "no order selected");
        return false;
    }
    if (o->status != ORDER_COMPLETED) {
        console_state_message(c, MESSAGE_ERROR, now(),
                              "order %.8s is %s: only the certificate of a completed order can "
                              "be revoked",
                              o->id, order_status_display(o));
        return false;
    }
    console_state_dialog_open(c, DIALOG_REVOKE, "Revoke certificate");
    revoke_flow_reset(c);
    c->revoke.order_id = xstrdup(o->id);
    c->revoke.role = xstrdup(o->role);
    for (size_t i = 0; i < sizeof reasons / sizeof reasons[0]; i++)
        picker_add(&c->dialog.picker, reasons[i], reason_help[i]);
    show_reasons(c, o);
    return true;
}

static void show_confirm(struct console_state *c)
{
    char want[REVOKE_CONFIRM_CHARS + 1];
    expected(c, want, sizeof want);
    console_state_dialog_body(c,
                              "Revoke the certificate of order %s with reason %s?\n\n"
                              "The CA publishes the revocation: clients stop trusting the "
                              "certificate. It cannot be undone.",
                              c->revoke.order_id, c->revoke.reason);
    c->dialog.picker_on = false;
    c->dialog.input_on = true;
    free(c->dialog.prompt);
    char prompt[64];
    snprintf(prompt, sizeof prompt, "Type %s: ", want);
    c->dialog.prompt = xstrdup(prompt);
    filter_input_clear(&c->dialog.input);
    console_state_dialog_answers(c, "[Enter] Revoke if it matches    [Esc] Cancel");
    console_state_dialog_note(c, false, "type the first %zu characters of the order ID",
                              strlen(want));
}

static void cancel(struct console_state *c)
{
    console_state_dialog_close(c);
    console_state_message(c, MESSAGE_INFO, now(), "cancelled: nothing was sent");
}

bool revoke_flow_key(struct console_state *c, int key)
{
    bool enter = key == '\n' || key == '\r' || key == ACTION_KEY_FN(KEY_ENTER);
    if (key == ACTION_KEY_ESC) {
        cancel(c);
        return true;
    }
    if (!c->revoke.confirming) {
        if (actions_move_picker(&c->dialog.picker, key))
            return true;
        if (key == 'q' || key == 'n')
            cancel(c);
        else if (enter) {
            const struct picker_item *it = picker_current(&c->dialog.picker);
            free(c->revoke.reason);
            c->revoke.reason = xstrdup(it ? it->label : "unspecified");
            c->revoke.confirming = true;
            show_confirm(c);
        }
        return true;
    }
    if (!enter) {
        actions_edit_input(&c->dialog.input, key);
        return true;
    }
    char want[REVOKE_CONFIRM_CHARS + 1];
    expected(c, want, sizeof want);
    if (strcmp(c->dialog.input.text, want) != 0) {
        console_state_dialog_note(c, true, "\"%s\" does not match %s: nothing sent (Esc cancels)",
                                  c->dialog.input.text, want);
        filter_input_clear(&c->dialog.input);
        return true;
    }
    console_state_send(c, msg_new_revoke(console_state_next_request(c), c->revoke.order_id,
                                         c->revoke.role, c->revoke.reason));
    console_state_message(c, MESSAGE_INFO, now(), "revoking the certificate of %.8s (%s)...",
                          c->revoke.order_id, c->revoke.reason);
    console_state_dialog_close(c);
    return true;
}
