/* cert_view: show and save an order's certificate (see cert_view.h). */
#include "ui/cert_view.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/cert_info.h"
#include "model/rfc3339.h"
#include "model/strv.h"
#include "model/xalloc.h"
#include "ui/keys.h"

enum cert_step {
    CERT_VIEW,      /* the certificate (or "fetching...") */
    CERT_OVERWRITE, /* files exist: overwrite? */
};

struct cert_dialog {
    struct dialog box;
    enum cert_step step;
    bool back_to_view;          /* CERT_OVERWRITE: the view comes back after the answer */
    char *order_id, *role, *identifier;
    uint64_t fetch_id;          /* CMD_FETCH_CERT under way, 0 = none */
    uint64_t save_id;           /* CMD_SAVE_CERT under way, 0 = none */
    bool have;                  /* the certificate arrived */
    bool info_ok;
    struct cert_info info;
    char *info_error;
    size_t chain_count;
    bool had_key;               /* Vault returned a private key with it */
    char *key_type;
    char *saved_text;           /* where the last save put the files */
};

static void cert_close(struct dialog *d)
{
    struct cert_dialog *v = (struct cert_dialog *)d;
    free(v->order_id);
    free(v->role);
    free(v->identifier);
    cert_info_free(&v->info);
    free(v->info_error);
    free(v->key_type);
    free(v->saved_text);
}

static const char *cert_dir(const struct console_state *c)
{
    return c->cfg && c->cfg->cert_dir && *c->cfg->cert_dir ? c->cfg->cert_dir : "acmetop-certs";
}

/* The selected order if it has a certificate to collect, else NULL (and why
 * on the message line). */
static const struct order *completed_order(struct console_state *c, const char *what)
{
    const struct order *o = console_state_selected(c);
    if (!o) {
        console_state_say(c, MESSAGE_ERROR, "no order selected");
        return NULL;
    }
    if (o->status != ORDER_COMPLETED) {
        console_state_say(c, MESSAGE_ERROR,
                          "order %.*s is %s: only a completed order has a certificate to %s",
                          order_short_id_len(o->id), o->id, order_status_display(o), what);
        return NULL;
    }
    return o;
}

static uint64_t send_save(struct console_state *c, const char *order_id, const char *role,
                          const char *identifier, bool overwrite)
{
    uint64_t id = console_state_next_request(c);
    console_state_send(c, msg_new_save_cert(id, order_id, role, identifier, overwrite));
    return id;
}

/* ---- the view ---------------------------------------------------------------- */

static void render(struct console_state *c, struct cert_dialog *v)
{
    char title[96];
    snprintf(title, sizeof title, "Certificate of order %.*s",
             order_short_id_len(v->order_id), v->order_id);
    dialog_title(&v->box, title);
    if (!v->have) {
        dialog_body(&v->box, "Fetching the certificate of order %s%s%s%s...", v->order_id,
                    v->identifier ? " (" : "", v->identifier ? v->identifier : "",
                    v->identifier ? ")" : "");
        dialog_answers(&v->box, "[e] Save certificate, chain and key    [Esc] Close");
        return;
    }
    char from[RFC3339_BUF], until[RFC3339_BUF], fields[6144];
    const struct cert_info *i = &v->info;
    if (!v->info_ok) {
        snprintf(fields, sizeof fields, "The certificate could not be parsed: %s",
                 v->info_error ? v->info_error : "?");
    } else {
        char *sans = i->san_count ? strv_join((const char *const *)i->sans, i->san_count, ", ")
                                  : xstrdup("(none)");
        long days = cert_info_days_left(i, console_state_now(c));
        char left[64];
        if (days >= 0)
            snprintf(left, sizeof left, "%ld day%s left", days, days == 1 ? "" : "s");
        else
            snprintf(left, sizeof left, "EXPIRED %ld day%s ago", -days, days == -1 ? "" : "s");
        /* the fingerprint on two lines of 16 bytes, so it never wraps mid-byte */
        size_t fl = strlen(i->fingerprint_sha256), half = fl > 48 ? 48 : fl;
        snprintf(fields, sizeof fields,
                 "Subject      %s\nSANs         %s\nIssuer       %s\nSerial       %s\n"
                 "Valid from   %s\nValid until  %s  (%s)\nKey type     %s\n"
                 "SHA-256      %.*s\n             %s",
                 i->subject ? i->subject : "-", sans, i->issuer ? i->issuer : "-",
                 i->serial ? i->serial : "-", rfc3339_format(i->not_before, from, sizeof from),
                 rfc3339_format(i->not_after, until, sizeof until), left,
                 i->key_type ? i->key_type : "-", (int)half, i->fingerprint_sha256,
                 i->fingerprint_sha256 + half);
        free(sans);
    }
    char key[512];
    if (v->had_key)
        snprintf(key, sizeof key, "%s key from Vault, kept out of the console (never shown); "
                                  "e writes it with mode 0600, then it is wiped",
                 v->key_type && *v->key_type ? v->key_type : "a");
    else
        snprintf(key, sizeof key, "none (CSR order: the key stays with whoever made the CSR)");
    dialog_body(&v->box,
                "Order        %s\n%s\nChain        %zu certificate%s\n"
                "Private key  %s\n%s%s%s\nSave into    %s",
                v->order_id, fields, v->chain_count, v->chain_count == 1 ? "" : "s", key,
                v->saved_text ? "Saved        " : "", v->saved_text ? v->saved_text : "",
                v->saved_text ? "\n" : "", cert_dir(c));
    dialog_answers(&v->box, v->saved_text ? "[e] Save again    [Esc] Close"
                                          : "[e] Save certificate, chain and key    [Esc] Close");
}

static struct cert_dialog *cert_dialog_new(const char *order_id, const char *role,
                                           const char *identifier)
{
    struct cert_dialog *v =
        (struct cert_dialog *)dialog_new(&cert_view_ops, sizeof *v, "Certificate");
    v->order_id = xstrdup(order_id);
    v->role = xstrdup(role);
    v->identifier = xstrdup(identifier);
    cert_info_init(&v->info);
    return v;
}

void cert_view_open(struct console_state *c)
{
    const struct order *o = completed_order(c, "show");
    if (!o)
        return;
    struct cert_dialog *v =
        cert_dialog_new(o->id, o->role, o->identifier_count ? o->identifiers[0] : NULL);
    v->fetch_id = console_state_next_request(c);
    console_state_send(c, msg_new_fetch_cert(v->fetch_id, o->id, o->role, "pem"));
    render(c, v);
    console_state_dialog_show(c, &v->box);
}

/* ---- saving ------------------------------------------------------------------ */

static void ask_overwrite(struct cert_dialog *v, const char *existing, bool back_to_view)
{
    v->step = CERT_OVERWRITE;
    v->back_to_view = back_to_view;
    dialog_title(&v->box, "Certificate files exist");
    dialog_body(&v->box,
                "These files exist already:\n%s\nOverwrite them with the certificate of order "
                "%s? (The old files are replaced atomically; nothing is written if you "
                "cancel.)",
                existing, v->order_id);
    dialog_answers(&v->box, "[y] Overwrite    [n] Cancel");
    dialog_note(&v->box, false, NULL);
}

/* `e` on the list: the engine's answer comes here when no view is open. */
static bool saved_from_list(struct console_state *c, const struct msg *m, long arg)
{
    (void)arg;
    if (m->type != UPD_CERT_SAVE || m->u.cert_save.outcome != CERT_SAVE_EXISTS)
        return false; /* saved or failed: the message line says it */
    const struct order *o = order_store_find(c->store, m->u.cert_save.order_id);
    struct cert_dialog *v =
        cert_dialog_new(m->u.cert_save.order_id, o ? o->role : NULL,
                        o && o->identifier_count ? o->identifiers[0] : NULL);
    ask_overwrite(v, m->u.cert_save.text, false);
    console_state_dialog_show(c, &v->box);
    console_state_say(c, MESSAGE_INFO, "certificate files of %.*s exist: overwrite?",
                      order_short_id_len(m->u.cert_save.order_id), m->u.cert_save.order_id);
    return true;
}

/* e with marked orders: one save per completed marked order, then one
 * line that adds them up. */
struct save_tally {
    size_t pending, saved, existing, failed;
    char first_error[256];
};

static bool saved_marked(struct console_state *c, const struct msg *m, long arg)
{
    struct save_tally *t = (struct save_tally *)(intptr_t)arg;
    if (m->type == UPD_CERT_SAVE && m->u.cert_save.outcome == CERT_SAVE_SAVED)
        t->saved++;
    else if (m->type == UPD_CERT_SAVE && m->u.cert_save.outcome == CERT_SAVE_EXISTS)
        t->existing++;
    else {
        if (!t->failed++)
            snprintf(t->first_error, sizeof t->first_error, "%s",
                     m->type == UPD_CERT_SAVE && m->u.cert_save.text ? m->u.cert_save.text
                     : m->type == UPD_ACTION_RESULT && m->u.action_result.message
                         ? m->u.action_result.message
                         : "failed");
    }
    if (--t->pending == 0) {
        console_state_say(c, t->failed ? MESSAGE_ERROR : MESSAGE_INFO,
                          "marked orders: %zu certificate%s saved into %s; %zu already there "
                          "(e on one asks to overwrite); %zu failed%s%s",
                          t->saved, t->saved == 1 ? "" : "s", cert_dir(c), t->existing,
                          t->failed, t->failed ? ": " : "", t->failed ? t->first_error : "");
        free(t);
    }
    return true;
}

void cert_view_save_marked(struct console_state *c)
{
    struct save_tally *t = xcalloc(1, sizeof *t);
    size_t skipped = 0;
    for (size_t i = 0; i < c->marks.count; i++) {
        const struct order *o = order_store_find(c->store, c->marks.ids[i]);
        if (!o || o->status != ORDER_COMPLETED) {
            skipped++;
            continue;
        }
        uint64_t id = send_save(c, o->id, o->role,
                                o->identifier_count ? o->identifiers[0] : NULL, false);
        console_state_on_reply(c, id, saved_marked, (long)(intptr_t)t);
        t->pending++;
    }
    if (!t->pending) {
        free(t);
        console_state_say(c, MESSAGE_ERROR,
                          "none of the %zu marked orders is completed: no certificate to save",
                          c->marks.count);
        return;
    }
    console_state_say(c, MESSAGE_INFO, "saving the certificates of %zu marked order%s into "
                      "%s...%s", t->pending, t->pending == 1 ? "" : "s", cert_dir(c),
                      skipped ? " (the others are not completed)" : "");
}

void cert_view_save(struct console_state *c)
{
    const struct order *o = completed_order(c, "save");
    if (!o)
        return;
    uint64_t id = send_save(c, o->id, o->role, o->identifier_count ? o->identifiers[0] : NULL,
                            false);
    console_state_on_reply(c, id, saved_from_list, 0);
    console_state_say(c, MESSAGE_INFO, "saving the certificate of %.*s into %s...",
                      order_short_id_len(o->id), o->id,
                      cert_dir(c));
}

static void save_in_view(struct console_state *c, struct cert_dialog *v, bool overwrite)
{
    v->save_id = send_save(c, v->order_id, v->role, v->identifier, overwrite);
    v->step = CERT_VIEW;
    render(c, v);
    dialog_note(&v->box, false, "saving into %s...", cert_dir(c));
}

static bool cert_key(struct console_state *c, struct dialog *d, int key)
{
    struct cert_dialog *v = (struct cert_dialog *)d;
    if (v->step == CERT_OVERWRITE) {
        if (key == 'y' || key == 'Y') {
            if (v->back_to_view) {
                save_in_view(c, v, true);
            } else {
                send_save(c, v->order_id, v->role, v->identifier, true);
                console_state_say(c, MESSAGE_INFO, "overwriting the certificate files of %.*s...",
                                  order_short_id_len(v->order_id), v->order_id);
                console_state_dialog_close(c);
            }
        } else if (keys_is_cancel(key) || keys_is_enter(key)) {
            console_state_say(c, MESSAGE_INFO, "cancelled: no file was written");
            if (v->back_to_view) {
                v->step = CERT_VIEW;
                render(c, v);
            } else {
                console_state_dialog_close(c);
            }
        }
        return true;
    }
    if (key == 'e')
        save_in_view(c, v, false);
    else if (dialog_scroll_key(d, key))
        return true;
    else if (keys_is_cancel(key) || key == 'v' || keys_is_enter(key))
        console_state_dialog_close(c);
    return true;
}

static bool on_cert(struct console_state *c, struct cert_dialog *v, struct msg *m)
{
    v->fetch_id = 0;
    v->have = true;
    const struct cert_bundle *b = &m->u.cert.bundle;
    struct parse_error perr;
    v->info_ok = cert_info_parse_pem(b->certificate, &v->info, &perr) == 0;
    if (!v->info_ok)
        v->info_error = xstrdup(perr.message);
    else
        order_store_set_cert(c->store, v->order_id, v->info.serial, v->info.not_before,
                             v->info.not_after);
    v->chain_count = b->ca_chain_count;
    v->had_key = m->u.cert.had_private_key;
    v->key_type = xstrdup(b->private_key_type);
    if (v->step == CERT_VIEW)
        render(c, v);
    console_state_say(c, MESSAGE_INFO, "certificate of %.*s fetched",
                      order_short_id_len(v->order_id), v->order_id);
    return true;
}

static bool cert_on_update(struct console_state *c, struct dialog *d, struct msg *m)
{
    struct cert_dialog *v = (struct cert_dialog *)d;
    if (v->fetch_id && m->request_id == v->fetch_id) {
        if (m->type == UPD_CERT)
            return on_cert(c, v, m);
        if (m->type != UPD_ACTION_RESULT || m->u.action_result.ok)
            return false;
        v->fetch_id = 0;
        const char *why = m->u.action_result.message ? m->u.action_result.message : "failed";
        console_state_say(c, MESSAGE_ERROR, "the certificate could not be fetched: %s", why);
        dialog_body(d, "The certificate of order %s could not be fetched:\n\n%s", v->order_id,
                    why);
        dialog_answers(d, "[Esc] Close");
        return true;
    }
    if (v->save_id && m->request_id == v->save_id && m->type == UPD_CERT_SAVE) {
        v->save_id = 0;
        dialog_note(d, false, NULL);
        if (m->u.cert_save.outcome == CERT_SAVE_EXISTS) {
            ask_overwrite(v, m->u.cert_save.text, true);
            return true;
        }
        if (m->u.cert_save.outcome == CERT_SAVE_SAVED) {
            free(v->saved_text);
            v->saved_text = xstrdup(m->u.cert_save.text);
            render(c, v);
        } else {
            dialog_note(d, true, "not saved: %s", m->u.cert_save.text);
        }
        return false; /* the message line says it too */
    }
    return false;
}

const struct dialog_ops cert_view_ops = {
    .name = "certificate",
    .key = cert_key,
    .on_update = cert_on_update,
    .close = cert_close,
};
