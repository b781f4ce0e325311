/* dns_test_flow: the identifier, the cleanup choice and the answer of a DNS
 * provider test (see dns_test_flow.h). */
#include "ui/dns_test_flow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "model/role_rules.h"
#include "model/text_sanitize.h"
#include "model/xalloc.h"
#include "ui/keys.h"
#include "ui/write_request.h"

enum dns_test_step { STEP_IDENTIFIER, STEP_CLEANUP, STEP_ANSWER };

struct dns_test_dialog {
    struct dialog box;
    struct dns_provider p;
    enum dns_test_step step;
    char identifier[FILTER_INPUT_MAX + 1];
    bool omit_cleanup;    /* the test that was sent left its record in place */
    char *answer;         /* the test's answer as shown */
    uint64_t check_id;    /* the dns-01 pre-flight of the record left, 0 = none */
    struct write_request w;
};

static void test_close(struct dialog *d)
{
    struct dns_test_dialog *t = (struct dns_test_dialog *)d;
    dns_provider_free(&t->p);
    free(t->answer);
    write_request_free(&t->w);
}

static const char *mount_of(const struct console_state *c)
{
    return c->cfg && c->cfg->mount ? c->cfg->mount : "pki-external-ca";
}

static void plan(struct console_state *c, struct dns_test_dialog *t, bool omit_cleanup)
{
    cJSON *body = cJSON_CreateObject();
    cJSON_AddStringToObject(body, "identifier", t->identifier);
    cJSON_AddStringToObject(body, "provider_type", t->p.type);
    cJSON_AddStringToObject(body, "provider_name", t->p.name);
    cJSON_AddBoolToObject(body, "omit_cleanup", omit_cleanup);
    char *text = cJSON_PrintUnformatted(body);
    write_request_set(&t->w, "POST", "dns/test/workflow", text);
    cJSON_free(text);
    cJSON_Delete(body);
    char summary[1200], label[256];
    write_request_summary(&t->w, mount_of(c), summary, sizeof summary);
    dialog_body(&t->box,
                "Test DNS provider %s: Vault writes the dns-01 TXT record of %s through it, "
                "waits until it is seen, then removes it%s.\n\nThis sends:\n  %s",
                dns_provider_label(&t->p, label, sizeof label), t->identifier,
                omit_cleanup ? " - no: omit_cleanup leaves it in place" : "", summary);
}

static void show_identifier(struct dns_test_dialog *t)
{
    char label[256], globs[600] = "";
    size_t k = 0;
    for (size_t i = 0; i < t->p.identifier_count && k < sizeof globs; i++)
        k += (size_t)snprintf(globs + k, sizeof globs - k, "%s%s", i ? ", " : "",
                              t->p.identifiers[i]);
    t->step = STEP_IDENTIFIER;
    t->box.picker_on = false;
    dialog_body(&t->box, "Test DNS provider %s (it covers %s).\n\nWhich identifier?",
                dns_provider_label(&t->p, label, sizeof label), globs[0] ? globs : "nothing");
    if (!t->box.input_on) {
        dialog_input(&t->box, "Identifier: ");
        filter_input_set(&t->box.input, t->identifier);
    }
    dialog_answers(&t->box, "[Enter] Next    [Esc] Cancel");
}

static void show_cleanup(struct console_state *c, struct dns_test_dialog *t)
{
    t->step = STEP_CLEANUP;
    dialog_input_off(&t->box);
    t->box.picker_on = true;
    const struct picker_item *it = picker_current(&t->box.picker);
    plan(c, t, it && strcmp(it->label, "leave it") == 0);
    dialog_answers(&t->box, "[j/k] Choose    [Enter] Send    [Esc] Back");
}

/* The answer of dns/test/workflow in the form. */
static void show_answer(struct dns_test_dialog *t, const char *json)
{
    cJSON *data = json ? cJSON_Parse(json) : NULL;
    const cJSON *ok = cJSON_GetObjectItemCaseSensitive(data, "success");
    const cJSON *msg = cJSON_GetObjectItemCaseSensitive(data, "message");
    const cJSON *rec = cJSON_GetObjectItemCaseSensitive(data, "record_name");
    const cJSON *errs = cJSON_GetObjectItemCaseSensitive(data, "errors");
    char errors[1200] = "";
    size_t k = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, errs) if (cJSON_IsString(e) && k < sizeof errors) k +=
        (size_t)snprintf(errors + k, sizeof errors - k, "  %s\n", e->valuestring);
    char text[2400];
    snprintf(text, sizeof text, "%s\n\nRecord   %s\n%s%s",
             cJSON_IsString(msg) ? msg->valuestring : "(no message)",
             cJSON_IsString(rec) ? rec->valuestring : "-", errors[0] ? "Errors\n" : "", errors);
    text_sanitize(text, true);
    free(t->answer);
    t->answer = xstrdup(text);
    t->step = STEP_ANSWER;
    t->box.picker_on = false;
    dialog_input_off(&t->box);
    dialog_title(&t->box, cJSON_IsTrue(ok) ? "DNS provider test: success"
                                           : "DNS provider test: FAILED");
    dialog_body(&t->box, "%s", text);
    dialog_note(&t->box, !cJSON_IsTrue(ok), cJSON_IsTrue(ok) ? "the provider works for %s"
                                                             : "the provider failed for %s",
                t->identifier);
    dialog_answers(&t->box, "[Enter/Esc] Close    [t] Test again");
    cJSON_Delete(data);
}

static bool covered(const struct dns_provider *p, const char *ident)
{
    for (size_t i = 0; i < p->identifier_count; i++)
        if (dns_provider_glob_match(p->identifiers[i], ident))
            return true;
    return false;
}

static bool test_key(struct console_state *c, struct dialog *d, int key)
{
    struct dns_test_dialog *t = (struct dns_test_dialog *)d;
    if (t->w.pending)
        return true;
    switch (t->step) {
    case STEP_IDENTIFIER: {
        if (key == ACTION_KEY_ESC) {
            console_state_dialog_close(c);
            console_state_say(c, MESSAGE_INFO, "cancelled: nothing was sent");
            return true;
        }
        if (!keys_is_enter(key)) {
            keys_edit_input(&d->input, key);
            return true;
        }
        char ident[FILTER_INPUT_MAX + 1];
        snprintf(ident, sizeof ident, "%s", d->input.text);
        if (role_rules_check(NULL, ident, NULL, 0) == ROLE_RULE_INVALID || ident[0] == '*') {
            dialog_note(d, true, "Identifier: \"%s\" is not a DNS name: nothing sent", ident);
            return true;
        }
        if (!covered(&t->p, ident)) {
            dialog_note(d, true, "Identifier: %s is not covered by this provider's globs: "
                                 "nothing sent", ident);
            return true;
        }
        snprintf(t->identifier, sizeof t->identifier, "%s", ident);
        dialog_note(d, false, NULL);
        show_cleanup(c, t);
        return true;
    }
    case STEP_CLEANUP:
        if (key == ACTION_KEY_ESC) {
            show_identifier(t);
            return true;
        }
        if (keys_move_picker(&d->picker, key)) {
            show_cleanup(c, t);
            return true;
        }
        if (keys_is_enter(key)) {
            show_cleanup(c, t); /* the plan matches the choice on screen */
            const struct picker_item *it = picker_current(&d->picker);
            t->omit_cleanup = it && strcmp(it->label, "leave it") == 0;
            write_request_send(c, &t->w);
            dialog_note(d, false, "testing %s with %s...", t->p.name, t->identifier);
        }
        return true;
    case STEP_ANSWER:
        if (key == 't') {
            dialog_title(d, "Test DNS provider");
            dialog_note(d, false, NULL);
            show_identifier(t);
        } else if (key == ACTION_KEY_ESC || keys_is_enter(key) || key == 'q') {
            console_state_dialog_close(c);
        }
        return true;
    }
    return true;
}

/* The record left in place, as the authoritative servers serve it (the
 * dns-01 pre-flight: its expected value is not Vault's, so what counts is
 * what each server serves). */
static bool check_done(struct dns_test_dialog *t, const struct msg *m)
{
    t->check_id = 0;
    bool seen = m->u.preflight.status != MSG_CHECK_UNREACHABLE && m->u.preflight.found[0] &&
                strcmp(m->u.preflight.found, "(no TXT record)") != 0;
    char text[6000];
    snprintf(text, sizeof text, "%s\n\nOn the authoritative servers (%s):\n%s%s%s", t->answer,
             m->u.preflight.where[0] ? m->u.preflight.where : "the dns-01 pre-flight",
             seen ? "the record is there: " : "not seen: ",
             seen ? m->u.preflight.found : m->u.preflight.why,
             m->u.preflight.servers[0] ? "\n" : "");
    size_t k = strlen(text);
    if (m->u.preflight.servers[0] && k < sizeof text)
        snprintf(text + k, sizeof text - k, "%s", m->u.preflight.servers);
    text_sanitize(text, true);
    dialog_body(&t->box, "%s", text);
    dialog_note(&t->box, !seen, seen ? "Vault's record is served by the authoritative servers"
                                     : "the record left in place is not served (yet?)");
    return true;
}

static bool test_on_update(struct console_state *c, struct dialog *d, struct msg *m)
{
    struct dns_test_dialog *t = (struct dns_test_dialog *)d;
    if (m->type == UPD_PREFLIGHT && t->check_id && m->request_id == t->check_id)
        return check_done(t, m);
    if (!write_request_answered(&t->w, m))
        return false;
    if (m->u.written.ok) {
        show_answer(t, m->u.written.json);
        cJSON *data = m->u.written.json ? cJSON_Parse(m->u.written.json) : NULL;
        bool ok = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(data, "success"));
        cJSON_Delete(data);
        if (ok && t->omit_cleanup) { /* the record stays: is it served? */
            t->check_id = console_state_next_request(c);
            console_state_send(c, msg_new_preflight_check(t->check_id, "", t->identifier,
                                                          "dns-01", NULL,
                                                          "acmetop-dns-provider-test"));
            dialog_note(d, false, "the test succeeded; checking the record on the "
                                  "authoritative servers...");
        }
        return true;
    }
    /* refused: back to the form, the identifier kept */
    show_identifier(t);
    dialog_note(d, true, "%s", m->u.written.error ? m->u.written.error : "Vault refused");
    return true;
}

const struct dialog_ops dns_test_flow_ops = {
    .name = "dns-test",
    .key = test_key,
    .on_update = test_on_update,
    .close = test_close,
};

void dns_test_flow_begin(struct console_state *c, const struct dns_provider *p)
{
    struct dns_test_dialog *t = (struct dns_test_dialog *)dialog_new(
        &dns_test_flow_ops, sizeof *t, "Test DNS provider");
    struct dns_provider *copy = dns_providers_copy(p, 1);
    t->p = *copy;
    free(copy);
    const char *glob = t->p.identifier_count ? t->p.identifiers[0] : "";
    snprintf(t->identifier, sizeof t->identifier, "%s%s",
             strncmp(glob, "*.", 2) == 0 ? "acmetop-test." : "",
             strncmp(glob, "*.", 2) == 0 ? glob + 2 : glob);
    picker_add(&t->box.picker, "remove it", "Vault deletes the test record afterwards");
    picker_add(&t->box.picker, "leave it",
               "omit_cleanup: the record stays (check it on the authoritative servers)");
    show_identifier(t);
    console_state_dialog_show(c, &t->box);
}
