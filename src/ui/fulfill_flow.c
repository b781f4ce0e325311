/* fulfill_flow: pre-flight check, then fulfill (see fulfill_flow.h). */
#include "ui/fulfill_flow.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/challenge_value.h"
#include "model/xalloc.h"
#include "net/preflight_jobs.h"
#include "ui/actions.h"

#define FORCE_WORD "force"

static time_t now(void)
{
    return time(NULL);
}

void fulfill_flow_reset(struct console_state *c)
{
    struct fulfill_flow *f = &c->fulfill;
    free(f->expected);
    free(f->found);
    free(f->why);
    free(f->where);
    memset(f, 0, sizeof *f);
}

static const struct preflight_options *check_options(const struct console_state *c)
{
    return c->cfg ? &c->cfg->deploy.checks : NULL;
}

static bool preflight_on(const struct console_state *c)
{
    return c->cfg && c->cfg->deploy.preflight;
}

/* What the check will ask, for the dialog while it runs. */
static void describe_check(const struct console_state *c, const struct challenge_ref *t,
                           const char *token, char *buf, size_t size)
{
    const struct preflight_options *o = check_options(c);
    if (strcmp(t->type, "http-01") == 0) {
        int port = o && o->http01_port ? o->http01_port : 80;
        char portpart[16] = "";
        if (port != 80)
            snprintf(portpart, sizeof portpart, ":%d", port);
        snprintf(buf, size, "GET http://%s%s/.well-known/acme-challenge/%s", t->identifier,
                 portpart, token ? token : "?");
    } else if (strcmp(t->type, "dns-01") == 0) {
        char *name = challenge_dns01_record_name(t->identifier);
        snprintf(buf, size, "TXT %s via %s", name ? name : "?",
                 o && o->dns_server ? o->dns_server : "the system resolver");
        free(name);
    } else {
        snprintf(buf, size, "TLS with ALPN acme-tls/1 to %s:%d", t->identifier,
                 o && o->tlsalpn01_port ? o->tlsalpn01_port : 443);
    }
}

static long timeout_s(const struct console_state *c)
{
    const struct preflight_options *o = check_options(c);
    long ms = o && o->timeout_ms > 0 ? o->timeout_ms : PREFLIGHT_DEFAULT_TIMEOUT_MS;
    return (ms + 999) / 1000;
}

/* Start a check of e (READY); returns its request id, 0 if it cannot run. */
static uint64_t start_check(struct console_state *c, struct challenge_entry *e)
{
    if (!c->checks)
        return 0;
    uint64_t id = console_state_next_request(c);
    challenge_cache_check_start(e, id);
    preflight_jobs_start(c->checks, check_options(c), id, e->order_id, e->identifier, e->type,
                         e->detail.token, e->detail.key_authorization);
    return id;
}

/* ---- the dialog's texts ---------------------------------------------------- */

static void show_fetching(struct console_state *c)
{
    const struct challenge_ref *t = &c->dialog.target;
    console_state_dialog_body(c,
                              "Fetching the token and key authorization of the %s challenge of\n"
                              "  %s\nto check it before it is marked fulfilled...",
                              t->type, t->identifier);
    console_state_dialog_answers(c, "[n] Cancel");
    console_state_dialog_note(c, false, NULL);
}

static void show_checking(struct console_state *c, const char *token)
{
    const struct challenge_ref *t = &c->dialog.target;
    char what[1024];
    describe_check(c, t, token, what, sizeof what);
    console_state_dialog_body(c,
                              "Pre-flight check of the %s challenge of\n  %s\n\n"
                              "Checking the way the CA will, before anything is sent to Vault "
                              "(up to %ld s):\n  %s",
                              t->type, t->identifier, timeout_s(c), what);
    console_state_dialog_answers(c, "[n] Cancel");
    console_state_dialog_note(c, false, "checking...");
}

static void show_result(struct console_state *c)
{
    const struct challenge_ref *t = &c->dialog.target;
    const struct fulfill_flow *f = &c->fulfill;
    if (f->result == MSG_CHECK_OK) {
        console_state_dialog_body(c,
                                  "Pre-flight OK: %s\n\n"
                                  "Mark the %s challenge of %s fulfilled?\n"
                                  "Order %s (role %s). The CA validates at once.",
                                  f->why, t->type, t->identifier, t->order_id,
                                  t->role ? t->role : "?");
        console_state_dialog_answers(c, "[y] Fulfill    [n] Cancel");
        console_state_dialog_note(c, false, NULL);
        return;
    }
    bool mismatch = f->result == MSG_CHECK_MISMATCH;
    console_state_dialog_body(
        c,
        "Pre-flight %s: %s\n\n  asked     %s\n  expected  %s\n  found     %s\n\n"
        "The %s challenge of %s does not look deployed. Marking it fulfilled now makes the CA "
        "validate and most likely fail the whole order for good.",
        mismatch ? "MISMATCH" : "UNREACHABLE", f->why, f->where[0] ? f->where : "-",
        f->expected[0] ? f->expected : "-", mismatch ? (f->found[0] ? f->found : "(empty)")
                                                     : "(nothing: no answer)",
        t->type, t->identifier);
    console_state_dialog_answers(c, "[p] Check again    [F] Fulfill anyway...    [n] Cancel");
    console_state_dialog_note(c, true, "nothing is sent unless you press F and type %s",
                              FORCE_WORD);
}

static void show_force(struct console_state *c)
{
    c->dialog.input_on = true;
    free(c->dialog.prompt);
    c->dialog.prompt = xstrdup("Type " FORCE_WORD ": ");
    filter_input_clear(&c->dialog.input);
    console_state_dialog_answers(c, "[Enter] Send if \"" FORCE_WORD "\" was typed    [Esc] Cancel");
    console_state_dialog_note(c, true,
                              "the check failed: type %s and press Enter to mark the %s "
                              "challenge of %s fulfilled anyway",
                              FORCE_WORD, c->dialog.target.type, c->dialog.target.identifier);
}

/* ---- steps ------------------------------------------------------------------ */

/* The challenge is fetched: check it (or say why not). */
static void check_target(struct console_state *c)
{
    const struct challenge_ref *t = &c->dialog.target;
    struct challenge_entry *e =
        challenge_cache_find(&c->challenges, t->order_id, t->identifier, t->type);
    if (!e || e->state != CHALLENGE_READY)
        return;
    uint64_t id = start_check(c, e);
    if (!id) {
        c->fulfill.step = FULFILL_CHECK_FAILED;
        c->fulfill.result = MSG_CHECK_UNREACHABLE;
        c->fulfill.why = xstrdup("the check cannot run here (no check runner)");
        c->fulfill.where = xstrdup("");
        c->fulfill.expected = xstrdup("");
        c->fulfill.found = xstrdup("");
        show_result(c);
        return;
    }
    c->fulfill.step = FULFILL_CHECKING;
    c->fulfill.check_id = id;
    show_checking(c, e->detail.token);
}

void fulfill_flow_send(struct console_state *c)
{
    const struct challenge_ref *t = &c->dialog.target;
    if (!t->order_id)
        return;
    console_state_send(c, msg_new_fulfill_challenge(console_state_next_request(c), t->order_id,
                                                    t->role, t->identifier, t->type));
    console_state_message(c, MESSAGE_INFO, now(), "marking the %s challenge of %s fulfilled...",
                          t->type, t->identifier);
}

bool fulfill_flow_begin(struct console_state *c)
{
    struct challenge_ref ref;
    if (!console_state_selected_challenge(c, &ref, now()))
        return false;
    const struct order *o = console_state_selected(c);
    if (o && order_status_is_terminal(o->status)) {
        console_state_message(c, MESSAGE_ERROR, now(),
                              "order %.8s is %s: its challenges cannot be fulfilled any more",
                              o->id, order_status_display(o));
        challenge_ref_free(&ref);
        return false;
    }
    if (!preflight_on(c)) {
        const char *what = strcmp(ref.type, "dns-01") == 0    ? "the TXT record"
                           : strcmp(ref.type, "http-01") == 0 ? "the http-01 answer"
                                                              : "the tls-alpn-01 certificate";
        console_state_dialog_open(c, DIALOG_CONFIRM, "Fulfill challenge");
        console_state_dialog_body(
            c,
            "Mark the %s challenge of\n  %s\nas fulfilled?\n\nOrder %s (role %s)\n\n"
            "The pre-flight check is off (preflight = false): the CA validates at once, and if "
            "%s is not deployed yet, the order ends in error.",
            ref.type, ref.identifier, ref.order_id, ref.role ? ref.role : "?", what);
        c->dialog.target = ref;
        return true;
    }
    console_state_dialog_open(c, DIALOG_FULFILL, "Fulfill challenge: pre-flight check");
    c->dialog.target = ref;
    fulfill_flow_reset(c);
    struct challenge_entry *e =
        challenge_cache_find(&c->challenges, ref.order_id, ref.identifier, ref.type);
    if (e && e->state == CHALLENGE_READY) {
        check_target(c);
    } else {
        c->fulfill.step = FULFILL_FETCHING;
        c->fulfill.fetch_id = console_state_fetch_challenge(c, &c->dialog.target);
        show_fetching(c);
    }
    return true;
}

static void cancel(struct console_state *c)
{
    console_state_dialog_close(c);
    console_state_message(c, MESSAGE_INFO, now(), "cancelled: nothing was sent");
}

bool fulfill_flow_key(struct console_state *c, int key)
{
    struct fulfill_flow *f = &c->fulfill;
    bool enter = key == '\n' || key == '\r' || key == ACTION_KEY_FN(KEY_ENTER);
    bool esc = key == ACTION_KEY_ESC;
    switch (f->step) {
    case FULFILL_FETCHING:
    case FULFILL_CHECKING:
        if (esc || key == 'n' || key == 'N' || key == 'q')
            cancel(c);
        return true;
    case FULFILL_CHECKED_OK:
        if (key == 'y' || key == 'Y' || enter) {
            fulfill_flow_send(c);
            console_state_dialog_close(c);
        } else if (esc || key == 'n' || key == 'N' || key == 'q') {
            cancel(c);
        }
        return true;
    case FULFILL_CHECK_FAILED:
        if (key == 'p') {
            free(f->expected);
            free(f->found);
            free(f->why);
            free(f->where);
            f->expected = f->found = f->why = f->where = NULL;
            check_target(c);
        } else if (key == 'F') {
            f->step = FULFILL_FORCE;
            show_force(c);
        } else if (esc || enter || key == 'n' || key == 'N' || key == 'q' || key == 'y' ||
                   key == 'Y') {
            cancel(c);
        }
        return true;
    case FULFILL_FORCE:
        if (esc) {
            cancel(c);
        } else if (enter) {
            if (strcmp(c->dialog.input.text, FORCE_WORD) == 0) {
                fulfill_flow_send(c);
                console_state_dialog_close(c);
            } else {
                console_state_dialog_note(c, true,
                                          "\"%s\" is not \"%s\": nothing sent (Esc cancels)",
                                          c->dialog.input.text, FORCE_WORD);
                filter_input_clear(&c->dialog.input);
            }
        } else {
            actions_edit_input(&c->dialog.input, key);
        }
        return true;
    }
    return true;
}

void fulfill_flow_check_selected(struct console_state *c)
{
    struct challenge_ref ref;
    if (!console_state_selected_challenge(c, &ref, now()))
        return;
    if (!c->checks) {
        console_state_message(c, MESSAGE_ERROR, now(), "pre-flight checks cannot run here");
        challenge_ref_free(&ref);
        return;
    }
    struct challenge_entry *e =
        challenge_cache_find(&c->challenges, ref.order_id, ref.identifier, ref.type);
    if (e && e->state == CHALLENGE_READY) {
        start_check(c, e);
        c->pending_check = 0;
        console_state_message(c, MESSAGE_INFO, now(), "checking the %s challenge of %s...",
                              ref.type, ref.identifier);
    } else {
        c->pending_check = e && e->state == CHALLENGE_FETCHING
                               ? e->request_id
                               : console_state_fetch_challenge(c, &ref);
        console_state_message(c, MESSAGE_INFO, now(),
                              "fetching the %s challenge of %s to check it...", ref.type,
                              ref.identifier);
    }
    challenge_ref_free(&ref);
}

void fulfill_flow_after_updates(struct console_state *c)
{
    if (c->pending_check) {
        struct challenge_entry *e = challenge_cache_by_request(&c->challenges, c->pending_check);
        if (!e || e->state != CHALLENGE_FETCHING) {
            c->pending_check = 0;
            if (e && e->state == CHALLENGE_READY) {
                start_check(c, e);
                console_state_message(c, MESSAGE_INFO, now(), "checking the %s challenge of %s...",
                                      e->type, e->identifier);
            }
            /* FAILED: the message line already says why */
        }
    }
    if (c->dialog.open && c->dialog.kind == DIALOG_FULFILL &&
        c->fulfill.step == FULFILL_FETCHING) {
        struct challenge_entry *e = challenge_cache_by_request(&c->challenges, c->fulfill.fetch_id);
        if (e && e->state == CHALLENGE_READY) {
            check_target(c);
        } else if (!e || e->state == CHALLENGE_FAILED) {
            c->fulfill.step = FULFILL_CHECK_FAILED;
            c->fulfill.result = MSG_CHECK_UNREACHABLE;
            char why[1200];
            snprintf(why, sizeof why, "the challenge could not be fetched from Vault: %s",
                     e && e->error ? e->error : "unknown error");
            c->fulfill.why = xstrdup(why);
            c->fulfill.where = xstrdup("");
            c->fulfill.expected = xstrdup("");
            c->fulfill.found = xstrdup("");
            show_result(c);
        }
    }
}

/* One line for the message line and the challenges pane. */
static void summary(const struct msg *m, char *buf, size_t size)
{
    if (m->u.preflight.status == MSG_CHECK_OK)
        snprintf(buf, size, "OK: %s", m->u.preflight.why);
    else if (m->u.preflight.status == MSG_CHECK_MISMATCH)
        snprintf(buf, size, "mismatch: %s (expected %s, found %s)", m->u.preflight.why,
                 m->u.preflight.expected,
                 m->u.preflight.found[0] ? m->u.preflight.found : "(empty)");
    else
        snprintf(buf, size, "unreachable: %s", m->u.preflight.why);
}

void fulfill_flow_on_preflight(struct console_state *c, const struct msg *m, time_t t)
{
    char line[2048];
    summary(m, line, sizeof line);
    challenge_cache_check_done(&c->challenges, m->request_id, m->u.preflight.status, line);
    struct fulfill_flow *f = &c->fulfill;
    if (c->dialog.open && c->dialog.kind == DIALOG_FULFILL && f->step == FULFILL_CHECKING &&
        f->check_id == m->request_id) {
        f->result = m->u.preflight.status;
        f->expected = xstrdup(m->u.preflight.expected);
        f->found = xstrdup(m->u.preflight.found);
        f->why = xstrdup(m->u.preflight.why);
        f->where = xstrdup(m->u.preflight.where);
        f->step = f->result == MSG_CHECK_OK ? FULFILL_CHECKED_OK : FULFILL_CHECK_FAILED;
        show_result(c);
        return;
    }
    console_state_message(c, m->u.preflight.status == MSG_CHECK_OK ? MESSAGE_INFO : MESSAGE_ERROR,
                          t, "pre-flight %s %s: %s", m->u.preflight.challenge_type,
                          m->u.preflight.identifier, line);
}
