/* cert_view: fetch, show and save an order's certificate (see cert_view.h). */
#include "ui/cert_view.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/rfc3339.h"
#include "model/strv.h"
#include "model/xalloc.h"
#include "net/cert_files.h"
#include "ui/actions.h"

static time_t now(void)
{
    return time(NULL);
}

void cert_view_drop(struct console_state *c)
{
    struct cert_slot *s = &c->cert;
    free(s->order_id);
    free(s->identifier);
    cert_bundle_free(&s->bundle); /* wipes the private key */
    cert_info_free(&s->info);
    free(s->info_error);
    free(s->saved_text);
    memset(s, 0, sizeof *s);
    cert_bundle_init(&s->bundle);
    cert_info_init(&s->info);
}

const char *cert_view_dir(const struct console_state *c)
{
    if (c->cfg && c->cfg->deploy.cert_dir && *c->cfg->deploy.cert_dir)
        return c->cfg->deploy.cert_dir;
    return "acmetop-certs";
}

static bool viewing(const struct console_state *c)
{
    return c->dialog.open && c->dialog.kind == DIALOG_CERT;
}

/* The selected order if it has a certificate to collect, else NULL (and why
 * on the message line). */
static const struct order *completed_order(struct console_state *c, const char *what)
{
    const struct order *o = console_state_selected(c);
    if (!o) {
        console_state_message(c, MESSAGE_ERROR, now(), "no order selected");
        return NULL;
    }
    if (o->status != ORDER_COMPLETED) {
        console_state_message(c, MESSAGE_ERROR, now(),
                              "order %.8s is %s: only a completed order has a certificate to %s",
                              o->id, order_status_display(o), what);
        return NULL;
    }
    return o;
}

static void fetch(struct console_state *c, const struct order *o, bool save_after)
{
    cert_view_drop(c);
    struct cert_slot *s = &c->cert;
    s->order_id = xstrdup(o->id);
    s->identifier = xstrdup(o->identifier_count ? o->identifiers[0] : NULL);
    s->fetch_id = console_state_next_request(c);
    s->save_after_fetch = save_after;
    console_state_send(c, msg_new_fetch_cert(s->fetch_id, o->id, o->role, "pem"));
}

/* ---- the view ---------------------------------------------------------------- */

static void render(struct console_state *c)
{
    struct cert_slot *s = &c->cert;
    if (!s->have) {
        console_state_dialog_body(c, "Fetching the certificate of order %s%s%s%s...",
                                  s->order_id ? s->order_id : "?", s->identifier ? " (" : "",
                                  s->identifier ? s->identifier : "", s->identifier ? ")" : "");
        console_state_dialog_answers(c, "[Esc] Close");
        return;
    }
    char from[RFC3339_BUF], until[RFC3339_BUF], fields[6144];
    const struct cert_info *i = &s->info;
    const struct cert_bundle *b = &s->bundle;
    if (!s->info_ok) {
        snprintf(fields, sizeof fields, "The certificate could not be parsed: %s",
                 s->info_error ? s->info_error : "?");
    } else {
        char *sans = i->san_count ? strv_join((const char *const *)i->sans, i->san_count, ", ")
                                  : xstrdup("(none)");
        long days = cert_info_days_left(i, now());
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
    if (s->saved)
        snprintf(key, sizeof key, "written and wiped from memory");
    else if (b->private_key && *b->private_key)
        snprintf(key, sizeof key, "%s key from Vault, held in memory only (never shown); "
                                  "e writes it with mode 0600, then wipes it",
                 b->private_key_type && *b->private_key_type ? b->private_key_type : "a");
    else
        snprintf(key, sizeof key, "none (CSR order: the key stays with whoever made the CSR)");
    console_state_dialog_body(c,
                              "Order        %s\n%s\nChain        %zu certificate%s\n"
                              "Private key  %s\n%s%s%s\nSave into    %s",
                              s->order_id, fields, b->ca_chain_count,
                              b->ca_chain_count == 1 ? "" : "s", key,
                              s->saved_text ? "Saved        " : "",
                              s->saved_text ? s->saved_text : "", s->saved_text ? "\n" : "",
                              cert_view_dir(c));
    console_state_dialog_answers(c, s->saved ? "[e] Save again (fetches it again)    [Esc] Close"
                                             : "[e] Save certificate, chain and key    [Esc] Close");
}

void cert_view_open(struct console_state *c)
{
    const struct order *o = completed_order(c, "show");
    if (!o)
        return;
    char title[96];
    snprintf(title, sizeof title, "Certificate of order %.8s", o->id);
    bool have = c->cert.order_id && strcmp(c->cert.order_id, o->id) == 0 && c->cert.have &&
                !c->cert.saved;
    if (!have)
        fetch(c, o, false);
    console_state_dialog_open(c, DIALOG_CERT, title);
    render(c);
}

/* ---- saving ------------------------------------------------------------------ */

static void write_files(struct console_state *c, bool overwrite, bool back_to_view)
{
    struct cert_slot *s = &c->cert;
    struct cert_files_paths paths;
    struct deploy_error err;
    deploy_error_clear(&err);
    int rc = cert_files_save(cert_view_dir(c), s->identifier, s->order_id, &s->bundle,
                             overwrite, &paths, &err);
    s->saved = true; /* success or not, the key is wiped now: e fetches again */
    if (rc != 0) {
        console_state_message(c, MESSAGE_ERROR, now(), "certificate not saved: %s",
                              err.message);
    } else {
        char text[PATH_MAX * 3 + 200];
        snprintf(text, sizeof text, "%s%s%s%s%s", paths.cert, paths.chain[0] ? ", " : "",
                 paths.chain, paths.key[0] ? ", key (0600) " : "", paths.key);
        free(s->saved_text);
        s->saved_text = xstrdup(text);
        console_state_message(c, MESSAGE_INFO, now(), "saved %s%s", text,
                              paths.key[0] ? "; the private key is wiped from memory" : "");
    }
    if (back_to_view) {
        char title[96];
        snprintf(title, sizeof title, "Certificate of order %.8s", s->order_id);
        console_state_dialog_open(c, DIALOG_CERT, title);
        render(c);
    } else {
        cert_view_drop(c);
    }
}

/* The bundle is here: plan, ask if files exist, write. */
static void save_now(struct console_state *c)
{
    struct cert_slot *s = &c->cert;
    bool view = viewing(c);
    struct cert_files_paths plan;
    struct deploy_error err;
    deploy_error_clear(&err);
    if (cert_files_plan(cert_view_dir(c), s->identifier, s->order_id, &s->bundle, &plan,
                        &err) != 0) {
        console_state_message(c, MESSAGE_ERROR, now(), "certificate not saved: %s", err.message);
        if (!view)
            cert_view_drop(c);
        return;
    }
    bool overwrite = c->cfg && c->cfg->deploy.cert_overwrite;
    bool exists = plan.cert_exists || plan.chain_exists || plan.key_exists;
    if (!exists || overwrite) {
        write_files(c, overwrite, view);
        return;
    }
    char list[PATH_MAX * 3 + 64] = "";
    size_t k = 0;
    if (plan.cert_exists)
        k += (size_t)snprintf(list + k, sizeof list - k, "  %s\n", plan.cert);
    if (plan.chain_exists && k < sizeof list)
        k += (size_t)snprintf(list + k, sizeof list - k, "  %s\n", plan.chain);
    if (plan.key_exists && k < sizeof list)
        snprintf(list + k, sizeof list - k, "  %s\n", plan.key);
    s->save_after_fetch = view; /* reused: go back to the view afterwards */
    console_state_dialog_open(c, DIALOG_OVERWRITE, "Certificate files exist");
    console_state_dialog_body(c,
                              "These files exist already:\n%s\nOverwrite them with the "
                              "certificate of order %s? (The old files are replaced "
                              "atomically; nothing is written if you cancel.)",
                              list, s->order_id);
    console_state_dialog_answers(c, "[y] Overwrite    [n] Cancel");
}

void cert_view_save(struct console_state *c)
{
    struct cert_slot *s = &c->cert;
    const struct order *o = viewing(c) ? NULL : completed_order(c, "save");
    if (viewing(c)) {
        if (!s->have) {
            console_state_dialog_note(c, false, "still fetching: press e once it is shown");
            return;
        }
        if (!s->saved) {
            save_now(c);
            return;
        }
        o = s->order_id ? order_store_find(c->store, s->order_id) : NULL;
        if (!o) {
            console_state_dialog_note(c, true, "the order is gone from the list");
            return;
        }
        fetch(c, o, true); /* the view now waits for it */
        render(c);
        return;
    }
    if (!o)
        return;
    if (s->order_id && strcmp(s->order_id, o->id) == 0 && s->have && !s->saved) {
        save_now(c);
        return;
    }
    fetch(c, o, true);
    console_state_message(c, MESSAGE_INFO, now(), "fetching the certificate of %.8s to save it...",
                          o->id);
}

bool cert_view_key(struct console_state *c, int key)
{
    bool esc = key == ACTION_KEY_ESC;
    if (c->dialog.kind == DIALOG_OVERWRITE) {
        bool back = c->cert.save_after_fetch;
        c->cert.save_after_fetch = false;
        if (key == 'y' || key == 'Y') {
            write_files(c, true, back);
        } else if (esc || key == 'n' || key == 'N' || key == 'q' || key == '\n' || key == '\r') {
            console_state_message(c, MESSAGE_INFO, now(), "cancelled: no file was written");
            if (back) {
                char title[96];
                snprintf(title, sizeof title, "Certificate of order %.8s", c->cert.order_id);
                console_state_dialog_open(c, DIALOG_CERT, title);
                render(c);
            } else {
                console_state_dialog_close(c);
                cert_view_drop(c);
            }
        } else {
            c->cert.save_after_fetch = back;
        }
        return true;
    }
    if (key == 'e') {
        cert_view_save(c);
    } else if (key == 'j' || key == ACTION_KEY_FN(KEY_DOWN)) {
        c->dialog.scroll++;
    } else if ((key == 'k' || key == ACTION_KEY_FN(KEY_UP)) && c->dialog.scroll > 0) {
        c->dialog.scroll--;
    } else if (esc || key == 'q' || key == 'v' || key == 'n' || key == '\n' || key == '\r') {
        console_state_dialog_close(c);
        cert_view_drop(c);
    }
    return true;
}

void cert_view_on_cert(struct console_state *c, struct msg *m, time_t t)
{
    struct cert_slot *s = &c->cert;
    if (!s->fetch_id || m->request_id != s->fetch_id)
        return; /* not (or no longer) wanted: msg_free wipes it */
    s->fetch_id = 0;
    cert_bundle_move(&s->bundle, &m->u.cert.bundle);
    s->have = true;
    struct parse_error perr;
    s->info_ok = cert_info_parse_pem(s->bundle.certificate, &s->info, &perr) == 0;
    if (!s->info_ok)
        s->info_error = xstrdup(perr.message);
    else
        order_store_set_cert(c->store, s->order_id, s->info.serial, s->info.not_before,
                             s->info.not_after);
    bool save = s->save_after_fetch;
    s->save_after_fetch = false;
    if (viewing(c))
        render(c);
    if (save) {
        save_now(c);
    } else if (!viewing(c)) {
        cert_view_drop(c);
    } else {
        console_state_message(c, MESSAGE_INFO, t, "certificate of %.8s fetched", s->order_id);
    }
}

bool cert_view_on_failure(struct console_state *c, const struct msg *m, time_t t)
{
    struct cert_slot *s = &c->cert;
    if (!s->fetch_id || m->request_id != s->fetch_id || m->u.action_result.ok)
        return false;
    const char *why = m->u.action_result.message ? m->u.action_result.message : "failed";
    console_state_message(c, MESSAGE_ERROR, t, "the certificate could not be fetched: %s", why);
    if (viewing(c)) {
        console_state_dialog_body(c, "The certificate of order %s could not be fetched:\n\n%s",
                                  s->order_id, why);
        console_state_dialog_answers(c, "[Esc] Close");
    }
    cert_view_drop(c);
    return true;
}
