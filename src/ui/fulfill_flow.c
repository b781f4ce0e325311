/* fulfill_flow: pre-flight check, then fulfill (see fulfill_flow.h). */
#include "ui/fulfill_flow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/challenge_value.h"
#include "model/xalloc.h"
#include "ui/keys.h"

#define FORCE_WORD "force"

enum fulfill_step {
    FULFILL_VAULT_WARNED,  /* Vault fulfils this one itself: y goes on, else cancel */
    FULFILL_PLAIN,         /* pre-flight off: the plain yes/no question */
    FULFILL_FETCHING,      /* its token and key authorization are being fetched */
    FULFILL_CHECKING,      /* the pre-flight check runs */
    FULFILL_CHECKED_OK,    /* OK: y fulfills */
    FULFILL_CHECK_FAILED,  /* mismatch / unreachable: only F then "force" sends */
    FULFILL_FORCE,         /* typing "force" */
};

struct fulfill_dialog {
    struct dialog box;
    struct challenge_ref target;
    enum fulfill_step step;
    uint64_t fetch_id, check_id;
    enum msg_check result;
    char *expected, *found, *why, *where;
    char *servers; /* dns-01: a line per authoritative server, "" otherwise */
};

static void forget_result(struct fulfill_dialog *f)
{
    free(f->expected);
    free(f->found);
    free(f->why);
    free(f->where);
    free(f->servers);
    f->expected = f->found = f->why = f->where = f->servers = NULL;
}

static void fulfill_close(struct dialog *d)
{
    struct fulfill_dialog *f = (struct fulfill_dialog *)d;
    forget_result(f);
    challenge_ref_free(&f->target);
}

/* What the check will ask, for the dialog while it runs. */
static void describe_check(const struct console_config *cfg, const struct challenge_ref *t,
                           const char *token, char *buf, size_t size)
{
    if (strcmp(t->type, "http-01") == 0) {
        int port = cfg && cfg->http01_port ? cfg->http01_port : 80;
        char portpart[16] = "";
        if (port != 80)
            snprintf(portpart, sizeof portpart, ":%d", port);
        snprintf(buf, size, "GET http://%s%s/.well-known/acme-challenge/%s", t->identifier,
                 portpart, token ? token : "?");
    } else if (strcmp(t->type, "dns-01") == 0) {
        char *name = challenge_dns01_record_name(t->identifier);
        if (cfg && cfg->dns_server)
            snprintf(buf, size, "TXT %s via %s", name ? name : "?", cfg->dns_server);
        else
            snprintf(buf, size, "TXT %s at every authoritative server of its zone",
                     name ? name : "?");
        free(name);
    } else {
        snprintf(buf, size, "TLS with ALPN acme-tls/1 to %s:%d", t->identifier,
                 cfg && cfg->tlsalpn01_port ? cfg->tlsalpn01_port : 443);
    }
}

static long timeout_s(const struct console_config *cfg)
{
    long ms = cfg && cfg->preflight_timeout_ms > 0 ? cfg->preflight_timeout_ms : 5000;
    return (ms + 999) / 1000;
}

/* ---- the dialog's texts ---------------------------------------------------- */

static void show_fetching(struct fulfill_dialog *f)
{
    dialog_body(&f->box,
                "Fetching the token and key authorization of the %s challenge of\n"
                "  %s\nto check it before it is marked fulfilled...",
                f->target.type, f->target.identifier);
    dialog_answers(&f->box, "[n] Cancel");
    dialog_note(&f->box, false, NULL);
}

static void show_checking(struct console_state *c, struct fulfill_dialog *f, const char *token)
{
    char what[1024];
    describe_check(c->cfg, &f->target, token, what, sizeof what);
    dialog_body(&f->box,
                "Pre-flight check of the %s challenge of\n  %s\n\n"
                "Checking the way the CA will, before anything is sent to Vault "
                "(up to %ld s):\n  %s",
                f->target.type, f->target.identifier, timeout_s(c->cfg), what);
    dialog_answers(&f->box, "[n] Cancel");
    dialog_note(&f->box, false, "checking...");
}

static void show_result(struct fulfill_dialog *f)
{
    const struct challenge_ref *t = &f->target;
    /* dns-01: what each authoritative server serves */
    const char *servers = f->servers && f->servers[0] ? f->servers : NULL;
    if (f->result == MSG_CHECK_OK) {
        dialog_body(&f->box,
                    "Pre-flight OK: %s\n\n%s%s"
                    "Mark the %s challenge of %s fulfilled?\n"
                    "Order %s (role %s). The CA validates at once.",
                    f->why, servers ? servers : "", servers ? "\n\n" : "", t->type,
                    t->identifier, t->order_id, t->role ? t->role : "?");
        dialog_answers(&f->box, "[y] Fulfill    [n] Cancel");
        dialog_note(&f->box, false, NULL);
        return;
    }
    bool mismatch = f->result == MSG_CHECK_MISMATCH;
    dialog_body(&f->box,
                "Pre-flight %s: %s\n\n  asked     %s\n  expected  %s\n  found     %s\n\n%s%s"
                "The %s challenge of %s does not look deployed. Marking it fulfilled now makes "
                "the CA validate and most likely fail the whole order for good.",
                mismatch ? "MISMATCH" : "UNREACHABLE", f->why, f->where[0] ? f->where : "-",
                f->expected[0] ? f->expected : "-",
                mismatch ? (f->found[0] ? f->found : "(empty)") : "(nothing: no answer)",
                servers ? servers : "", servers ? "\n\n" : "", t->type, t->identifier);
    dialog_answers(&f->box, "[p] Check again    [F] Fulfill anyway...    [n] Cancel");
    dialog_note(&f->box, true, "nothing is sent unless you press F and type %s", FORCE_WORD);
}

static void show_force(struct fulfill_dialog *f)
{
    dialog_input(&f->box, "Type " FORCE_WORD ": ");
    dialog_answers(&f->box, "[Enter] Send if \"" FORCE_WORD "\" was typed    [Esc] Cancel");
    dialog_note(&f->box, true,
                "the check failed: type %s and press Enter to mark the %s challenge of %s "
                "fulfilled anyway",
                FORCE_WORD, f->target.type, f->target.identifier);
}

static void fail_with(struct fulfill_dialog *f, const char *why)
{
    forget_result(f);
    f->step = FULFILL_CHECK_FAILED;
    f->result = MSG_CHECK_UNREACHABLE;
    f->why = xstrdup(why);
    f->where = xstrdup("");
    f->expected = xstrdup("");
    f->found = xstrdup("");
    show_result(f);
}

/* ---- steps ------------------------------------------------------------------ */

/* The challenge is fetched: check it. */
static void check_target(struct console_state *c, struct fulfill_dialog *f)
{
    const struct challenge_ref *t = &f->target;
    struct challenge_entry *e =
        challenge_cache_find(&c->challenges, t->order_id, t->identifier, t->type);
    if (!e || e->state != CHALLENGE_READY)
        return;
    forget_result(f);
    f->step = FULFILL_CHECKING;
    f->check_id = console_state_check_challenge(c, e);
    show_checking(c, f, e->detail.token);
}

static void send_fulfill(struct console_state *c, const struct challenge_ref *t)
{
    console_state_send(c, msg_new_fulfill_challenge(console_state_next_request(c), t->order_id,
                                                    t->role, t->identifier, t->type));
    console_state_say(c, MESSAGE_INFO, "marking the %s challenge of %s fulfilled...", t->type,
                      t->identifier);
}

static void cancel(struct console_state *c)
{
    console_state_dialog_close(c);
    console_state_say(c, MESSAGE_INFO, "cancelled: nothing was sent");
}

/* Send and close (the target is copied out first: closing frees it). */
static void fulfill_and_close(struct console_state *c, struct fulfill_dialog *f)
{
    send_fulfill(c, &f->target);
    console_state_dialog_close(c);
}

static void fulfill_start(struct console_state *c, struct fulfill_dialog *f);

static bool fulfill_key(struct console_state *c, struct dialog *d, int key)
{
    struct fulfill_dialog *f = (struct fulfill_dialog *)d;
    bool enter = keys_is_enter(key);
    bool esc = key == ACTION_KEY_ESC;
    switch (f->step) {
    case FULFILL_VAULT_WARNED:
        if (key == 'y' || key == 'Y')
            fulfill_start(c, f);
        else if (keys_is_cancel(key) || enter)
            cancel(c);
        return true;
    case FULFILL_PLAIN:
    case FULFILL_CHECKED_OK:
        if (key == 'y' || key == 'Y' || enter)
            fulfill_and_close(c, f);
        else if (keys_is_cancel(key))
            cancel(c);
        return true;
    case FULFILL_FETCHING:
    case FULFILL_CHECKING:
        if (keys_is_cancel(key))
            cancel(c);
        return true;
    case FULFILL_CHECK_FAILED:
        if (key == 'p') {
            check_target(c, f);
        } else if (key == 'F') {
            f->step = FULFILL_FORCE;
            show_force(f);
        } else if (keys_is_cancel(key) || enter || key == 'y' || key == 'Y') {
            cancel(c);
        }
        return true;
    case FULFILL_FORCE:
        if (esc) {
            cancel(c);
        } else if (enter) {
            if (strcmp(d->input.text, FORCE_WORD) == 0) {
                fulfill_and_close(c, f);
            } else {
                dialog_note(d, true, "\"%s\" is not \"%s\": nothing sent (Esc cancels)",
                            d->input.text, FORCE_WORD);
                filter_input_clear(&d->input);
            }
        } else {
            keys_edit_input(&d->input, key);
        }
        return true;
    }
    return true;
}

static bool fulfill_on_update(struct console_state *c, struct dialog *d, struct msg *m)
{
    struct fulfill_dialog *f = (struct fulfill_dialog *)d;
    if (f->step == FULFILL_FETCHING && m->request_id == f->fetch_id) {
        struct challenge_entry *e = challenge_cache_by_request(&c->challenges, f->fetch_id);
        if (e && e->state == CHALLENGE_READY) {
            check_target(c, f);
        } else {
            char why[1200];
            snprintf(why, sizeof why, "the challenge could not be fetched from Vault: %s",
                     e && e->error ? e->error : "unknown error");
            fail_with(f, why);
        }
        return false; /* a failed fetch is also said on the message line */
    }
    if (m->type == UPD_PREFLIGHT && f->step == FULFILL_CHECKING &&
        m->request_id == f->check_id) {
        f->result = m->u.preflight.status;
        f->expected = xstrdup(m->u.preflight.expected);
        f->found = xstrdup(m->u.preflight.found);
        f->why = xstrdup(m->u.preflight.why);
        f->where = xstrdup(m->u.preflight.where);
        f->servers = xstrdup(m->u.preflight.servers);
        f->step = f->result == MSG_CHECK_OK ? FULFILL_CHECKED_OK : FULFILL_CHECK_FAILED;
        show_result(f);
        return true;
    }
    return false;
}

const struct dialog_ops fulfill_flow_ops = {
    .name = "fulfill",
    .key = fulfill_key,
    .on_update = fulfill_on_update,
    .close = fulfill_close,
};

/* The flow proper: the plain question, or fetch and check. */
static void fulfill_start(struct console_state *c, struct fulfill_dialog *f)
{
    const struct challenge_ref ref = f->target;
    bool preflight = c->cfg && c->cfg->preflight;
    dialog_title(&f->box, preflight ? "Fulfill challenge: pre-flight check" : "Fulfill challenge");
    dialog_note(&f->box, false, NULL);
    if (!preflight) {
        const char *what = strcmp(ref.type, "dns-01") == 0    ? "the TXT record"
                           : strcmp(ref.type, "http-01") == 0 ? "the http-01 answer"
                                                              : "the tls-alpn-01 certificate";
        f->step = FULFILL_PLAIN;
        dialog_body(&f->box,
                    "Mark the %s challenge of\n  %s\nas fulfilled?\n\nOrder %s (role %s)\n\n"
                    "The pre-flight check is off (preflight = false): the CA validates at once, "
                    "and if %s is not deployed yet, the order ends in error.",
                    ref.type, ref.identifier, ref.order_id, ref.role ? ref.role : "?", what);
        dialog_answers(&f->box, "[y] Fulfill    [n] Cancel");
        return;
    }
    struct challenge_entry *e =
        challenge_cache_find(&c->challenges, ref.order_id, ref.identifier, ref.type);
    if (e && e->state == CHALLENGE_READY) {
        check_target(c, f);
    } else {
        f->step = FULFILL_FETCHING;
        f->fetch_id = console_state_fetch_challenge(c, &f->target);
        show_fetching(f);
    }
}

/* A challenge Vault fulfils through its DNS provider: say so and ask again
 * before the flow goes on (Enter and n cancel). */
static void warn_vault_fulfils(struct fulfill_dialog *f, const char *by)
{
    f->step = FULFILL_VAULT_WARNED;
    dialog_body(&f->box,
                "%s fulfils the %s challenge of\n  %s\nitself: Vault writes the TXT record "
                "through its DNS provider and tells the CA when it is visible.\n\n"
                "Marking it fulfilled yourself makes the CA validate now, possibly before "
                "Vault's record is there, and the order can end in error.\n\n"
                "Go on anyway?",
                by, f->target.type, f->target.identifier);
    dialog_answers(&f->box, "[y] Go on    [n] Cancel");
    dialog_note(&f->box, true, "Vault fulfils this challenge: there is nothing for you to do");
}

void fulfill_flow_begin(struct console_state *c)
{
    struct challenge_ref ref;
    if (!console_state_selected_challenge(c, &ref, console_state_now(c)))
        return;
    const struct order *o = console_state_selected(c);
    if (o && order_status_is_terminal(o->status)) {
        console_state_say(c, MESSAGE_ERROR,
                          "order %.*s is %s: its challenges cannot be fulfilled any more",
                          order_short_id_len(o->id), o->id,
                          order_status_display(o));
        challenge_ref_free(&ref);
        return;
    }
    struct fulfill_dialog *f =
        (struct fulfill_dialog *)dialog_new(&fulfill_flow_ops, sizeof *f, "Fulfill challenge");
    f->target = ref;
    console_state_dialog_show(c, &f->box);
    char by[600];
    if (console_state_vault_fulfils(c, ref.identifier, ref.type)) {
        dialog_title(&f->box, "Fulfill challenge: Vault fulfils it");
        warn_vault_fulfils(f, console_state_fulfiller(c, ref.identifier, ref.type, by, sizeof by));
        return;
    }
    fulfill_start(c, f);
}

/* `p` on a challenge that was being fetched: check it once it is here. */
static bool check_when_fetched(struct console_state *c, const struct msg *m, long arg)
{
    (void)arg;
    struct challenge_entry *e = challenge_cache_by_request(&c->challenges, m->request_id);
    if (!e || e->state != CHALLENGE_READY)
        return false; /* FAILED: the message line says why */
    console_state_check_challenge(c, e);
    console_state_say(c, MESSAGE_INFO, "checking the %s challenge of %s...", e->type,
                      e->identifier);
    return true;
}

void fulfill_flow_check_selected(struct console_state *c)
{
    struct challenge_ref ref;
    if (!console_state_selected_challenge(c, &ref, console_state_now(c)))
        return;
    struct challenge_entry *e =
        challenge_cache_find(&c->challenges, ref.order_id, ref.identifier, ref.type);
    if (e && e->state == CHALLENGE_READY) {
        console_state_check_challenge(c, e);
        console_state_say(c, MESSAGE_INFO, "checking the %s challenge of %s...", ref.type,
                          ref.identifier);
    } else {
        uint64_t id = e && e->state == CHALLENGE_FETCHING
                          ? e->request_id
                          : console_state_fetch_challenge(c, &ref);
        console_state_on_reply(c, id, check_when_fetched, 0);
        console_state_say(c, MESSAGE_INFO, "fetching the %s challenge of %s to check it...",
                          ref.type, ref.identifier);
    }
    challenge_ref_free(&ref);
}
