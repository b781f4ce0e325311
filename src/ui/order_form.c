/* order_form: the new-order form (see order_form.h). */
#include "ui/order_form.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/cert_info.h"
#include "model/role_rules.h"
#include "model/strv.h"
#include "model/text_sanitize.h"
#include "model/xalloc.h"
#include "ui/keys.h"
#include "ui/views.h"

enum order_form_step { FORM_LOADING, FORM_ROLE, FORM_NAMES, FORM_SUBMITTING };

struct order_form {
    struct dialog box;
    enum order_form_step step;
    uint64_t roles_id, submit_id;
    struct role_info *roles;    /* from UPD_ROLES (plus roles seen in orders) */
    size_t role_count;
    char *roles_error;
    size_t role;                /* the role picked (index in roles) */
    char *csr_path;             /* the CSR file previewed, NULL if none */
    char *csr_pem;
    char *csr_preview;          /* what the CSR names, as shown */
    bool csr_ok;                /* previewed and allowed: Enter submits it */
    char **names;               /* the names of the order being submitted */
    size_t name_count;
    char *want_role;            /* started on a role (the roles view): picked at once,
                                   and the order list shown on success */
    /* renewing (N): the order renewed, its role, and its names or its CSR */
    char *renew_id, *renew_role, *renew_names, *renew_csr;
};

static void form_close(struct dialog *d)
{
    struct order_form *f = (struct order_form *)d;
    free(f->want_role);
    for (size_t i = 0; i < f->role_count; i++)
        role_info_free(&f->roles[i]);
    free(f->roles);
    free(f->roles_error);
    free(f->csr_path);
    free(f->csr_pem);
    free(f->csr_preview);
    strv_free(f->names, f->name_count);
    free(f->renew_id);
    free(f->renew_role);
    free(f->renew_names);
    free(f->renew_csr);
}

static const struct role_info *chosen_role(const struct order_form *f)
{
    return f->role < f->role_count ? &f->roles[f->role] : NULL;
}

static char *role_summary(const struct role_info *r)
{
    char *domains = role_rules_domains_text(r);
    char *types = r->allowed_challenge_type_count
                      ? strv_join((const char *const *)r->allowed_challenge_types,
                                  r->allowed_challenge_type_count, ", ")
                      : xstrdup("challenge types not known");
    size_t n = strlen(domains) + strlen(types) + 32;
    char *out = xmalloc(n);
    snprintf(out, n, "%s; %s", domains, types);
    free(domains);
    free(types);
    return out;
}

static bool is_csr_path(const char *text)
{
    return strchr(text, '/') != NULL;
}

/* ---- rendering ---------------------------------------------------------------- */

static void show_roles(struct order_form *f)
{
        f->box.input_on = false;
    if (f->role_count == 0) {
        f->box.picker_on = false;
        dialog_body(&f->box, "No role to order with: %s",
                                  f->roles_error ? f->roles_error : "Vault listed none");
        dialog_answers(&f->box, "[Esc] Close");
        return;
    }
    f->box.picker_on = true;
    dialog_body(&f->box, "Pick the role of the new order (j/k, Enter). "
                                 "Each shows its allowed domains and challenge types.");
    dialog_answers(&f->box, "[Enter] Choose    [Esc] Cancel");
    if (f->roles_error)
        dialog_note(&f->box, true, "%s", f->roles_error);
    else
        dialog_note(&f->box, false, NULL);
}

/* The names typed, each judged; or the CSR previewed. */
static void show_names(struct order_form *f)
{
        const struct role_info *r = chosen_role(f);
    char *summary = r ? role_summary(r) : xstrdup("?");
    char checks[4096] = "";
    size_t k = 0;
    const char *text = f->box.input.text;
    if (is_csr_path(text)) {
        if (f->csr_preview && f->csr_path && strcmp(f->csr_path, text) == 0)
            snprintf(checks, sizeof checks, "%s", f->csr_preview);
        else
            snprintf(checks, sizeof checks, "a CSR file: Enter reads it and shows its names");
    } else {
        char **names;
        size_t n = role_rules_split(text, &names);
        for (size_t i = 0; i < n && k < sizeof checks - 1; i++) {
            char why[ROLE_RULES_WHY_MAX];
            enum role_rule v = role_rules_check(r, names[i], why, sizeof why);
            const char *tag = v == ROLE_RULE_ALLOWED   ? "allowed    "
                              : v == ROLE_RULE_UNKNOWN ? "not judged "
                                                       : "REFUSED    ";
            int w = snprintf(checks + k, sizeof checks - k, "  %s %s\n", tag,
                             v >= ROLE_RULE_INVALID ? why : names[i]);
            if (w > 0)
                k += (size_t)w;
        }
        strv_free(names, n);
    }
    char renewing[160] = "";
    if (f->renew_id)
        snprintf(renewing, sizeof renewing, "Renewing order %.*s: the same %s, for review.\n\n",
                 order_short_id_len(f->renew_id), f->renew_id,
                 f->renew_csr ? "role and CSR" : "role and names");
    dialog_body(&f->box,
                              "%sRole %s: %s\n\nType the DNS names of the certificate (commas or "
                              "spaces between them), or the path of a PEM CSR file (anything "
                              "with a /).\n\n%s",
                              renewing, r && r->name ? r->name : "?", summary, checks);
    free(summary);
    dialog_answers(&f->box, "[Enter] Create the order    [Esc] Back to the roles");
}

/* ---- steps -------------------------------------------------------------------- */

static void to_names(struct order_form *f);
static bool preview_csr(struct order_form *f, const char *shown, char *pem);

/* The label of a renewed order's CSR in the names field: it has a '/', so
 * it reads as a CSR reference, and matches csr_path. */
static void renew_csr_label(const struct order_form *f, char *buf, size_t size)
{
    snprintf(buf, size, "order:%.*s/csr", order_short_id_len(f->renew_id), f->renew_id);
}

/* Renewing: the old order's role picked (added, rules unknown, when Vault
 * did not list it), its names typed or its CSR previewed: the operator
 * reviews and presses Enter. */
static void renew_prefill(struct order_form *f)
{
    size_t at = f->role_count;
    for (size_t i = 0; i < f->role_count; i++)
        if (f->roles[i].name && strcmp(f->roles[i].name, f->renew_role) == 0)
            at = i;
    if (at == f->role_count) {
        f->roles = xrealloc(f->roles, (f->role_count + 1) * sizeof(*f->roles));
        role_info_init(&f->roles[f->role_count]);
        f->roles[f->role_count++].name = xstrdup(f->renew_role);
        picker_add(&f->box.picker, f->renew_role, "rules not known");
    }
    picker_set(&f->box.picker, at);
    to_names(f);
    if (f->renew_csr) {
        char label[64];
        renew_csr_label(f, label, sizeof label);
        filter_input_set(&f->box.input, label);
        free(f->csr_path);
        free(f->csr_pem);
        free(f->csr_preview);
        f->csr_path = xstrdup(label);
        f->csr_pem = f->csr_preview = NULL;
        f->csr_ok = false;
        preview_csr(f, label, xstrdup(f->renew_csr));
    } else {
        filter_input_set(&f->box.input, f->renew_names);
    }
    show_names(f);
}

static bool form_on_roles(struct console_state *c, struct order_form *f, struct msg *m)
{
    if (f->step != FORM_LOADING || m->request_id != f->roles_id)
        return false;
    f->roles = m->u.roles.items;
    f->role_count = m->u.roles.count;
    m->u.roles.items = NULL;
    m->u.roles.count = 0;
    f->roles_error = xstrdup(m->u.roles.error);
    if (f->role_count == 0) {
        /* the roles of the orders on screen, rules unknown */
        size_t n = order_store_view_count(c->store);
        for (size_t i = 0; i < n; i++) {
            const struct order *o = order_store_view_at(c->store, i);
            bool seen = !o->role || !*o->role;
            for (size_t j = 0; j < f->role_count && !seen; j++)
                seen = strcmp(f->roles[j].name, o->role) == 0;
            if (seen)
                continue;
            f->roles = xrealloc(f->roles, (f->role_count + 1) * sizeof(*f->roles));
            role_info_init(&f->roles[f->role_count]);
            f->roles[f->role_count++].name = xstrdup(o->role);
        }
    }
    picker_free(&f->box.picker);
    for (size_t i = 0; i < f->role_count; i++) {
        char *detail = role_summary(&f->roles[i]);
        picker_add(&f->box.picker, f->roles[i].name, detail);
        free(detail);
    }
    f->step = FORM_ROLE;
    show_roles(f);
    for (size_t i = 0; f->want_role && i < f->role_count; i++)
        if (f->roles[i].name && strcmp(f->roles[i].name, f->want_role) == 0) {
            picker_set(&f->box.picker, i);
            to_names(f);
            break;
        }
    if (f->renew_id)
        renew_prefill(f);
    return true;
}

static void to_names(struct order_form *f)
{
    f->step = FORM_NAMES;
    f->role = f->box.picker.cursor;
    f->box.picker_on = false;
    f->box.input_on = true;
    free(f->box.prompt);
    f->box.prompt = xstrdup("Names or CSR file: ");
    dialog_note(&f->box, false, NULL);
    show_names(f);
}

/* Read and preview the CSR at path; true when it may be submitted. */
static bool load_csr(struct order_form *f, const char *path)
{
        free(f->csr_path);
    free(f->csr_pem);
    free(f->csr_preview);
    f->csr_path = xstrdup(path);
    f->csr_pem = f->csr_preview = NULL;
    f->csr_ok = false;
    char shown[600];
    snprintf(shown, sizeof shown, "%s", path);
    text_sanitize(shown, false);
    FILE *fp = fopen(path, "r");
    if (!fp) {
        dialog_note(&f->box, true, "cannot read %s: %s", shown, strerror(errno));
        return false;
    }
    char *pem = xcalloc(1, ORDER_FORM_CSR_MAX + 1);
    size_t n = fread(pem, 1, ORDER_FORM_CSR_MAX, fp);
    bool more = fgetc(fp) != EOF;
    fclose(fp);
    pem[n] = '\0';
    if (more) {
        free(pem);
        dialog_note(&f->box, true, "%s is larger than %d KiB: not a CSR", shown,
                                  ORDER_FORM_CSR_MAX / 1024);
        return false;
    }
    return preview_csr(f, shown, pem);
}

/* Preview the CSR pem (taken) named shown; true when it may be submitted. */
static bool preview_csr(struct order_form *f, const char *shown, char *pem)
{
    struct csr_info ci;
    struct parse_error perr;
    if (csr_info_parse_pem(pem, &ci, &perr) != 0) {
        free(pem);
        dialog_note(&f->box, true, "%s is not a PEM CSR: %s", shown, perr.message);
        return false;
    }
    /* the names the order will have: CN and the DNS SANs */
    char **names = NULL;
    size_t count = 0;
    if (ci.subject_cn && *ci.subject_cn)
        strv_push(&names, &count, ci.subject_cn);
    for (size_t i = 0; i < ci.san_count; i++) {
        bool dup = strchr(ci.sans[i], ':') != NULL; /* IP:, email:, URI: are not names */
        for (size_t j = 0; j < count && !dup; j++)
            dup = strcmp(names[j], ci.sans[i]) == 0;
        if (!dup)
            strv_push(&names, &count, ci.sans[i]);
    }
    char preview[4096];
    size_t k = (size_t)snprintf(preview, sizeof preview, "CSR %s: %s key, names:\n", shown,
                                ci.key_type ? ci.key_type : "unknown");
    bool ok = count > 0;
    const struct role_info *r = chosen_role(f);
    char first_bad[ROLE_RULES_WHY_MAX] = "";
    for (size_t i = 0; i < count && k < sizeof preview - 1; i++) {
        char lower[300];
        snprintf(lower, sizeof lower, "%s", names[i]);
        for (char *p = lower; *p; p++)
            *p = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
        char why[ROLE_RULES_WHY_MAX];
        enum role_rule v = role_rules_check(r, lower, why, sizeof why);
        if (v >= ROLE_RULE_INVALID) {
            ok = false;
            if (!first_bad[0])
                snprintf(first_bad, sizeof first_bad, "%s", why);
        }
        int w = snprintf(preview + k, sizeof preview - k, "  %s %s\n",
                         v == ROLE_RULE_ALLOWED   ? "allowed    "
                         : v == ROLE_RULE_UNKNOWN ? "not judged "
                                                  : "REFUSED    ",
                         v >= ROLE_RULE_INVALID ? why : names[i]);
        if (w > 0)
            k += (size_t)w;
    }
    if (count == 0)
        snprintf(first_bad, sizeof first_bad, "the CSR names no DNS name (no CN, no DNS SAN)");
    strv_free(names, count);
    csr_info_free(&ci);
    f->csr_preview = xstrdup(preview);
    if (!ok) {
        free(pem);
        dialog_note(&f->box, true, "%s", first_bad);
        return false;
    }
    f->csr_pem = pem;
    f->csr_ok = true;
    dialog_note(&f->box, false, "Enter again submits this CSR");
    return true;
}

static void submit(struct console_state *c, struct order_form *f, char **names, size_t n, const char *csr)
{
        const struct role_info *r = chosen_role(f);
    strv_free(f->names, f->name_count);
    f->names = names;
    f->name_count = n;
    f->submit_id = console_state_next_request(c);
    f->step = FORM_SUBMITTING;
    console_state_send(c, msg_new_new_order(f->submit_id, r ? r->name : NULL,
                                            csr ? NULL : (const char *const *)names,
                                            csr ? 0 : n, csr));
    f->box.input_on = false;
    char *list = n ? strv_join((const char *const *)names, n, ", ") : xstrdup("(from the CSR)");
    dialog_body(&f->box, "Creating an order for role %s:\n  %s\n\nWaiting for Vault...",
                              r && r->name ? r->name : "?", list);
    free(list);
    dialog_answers(&f->box, "[Esc] Close (the answer goes to the message line)");
    dialog_note(&f->box, false, NULL);
}

static void enter_names(struct console_state *c, struct order_form *f)
{
        const char *text = f->box.input.text;
    if (!*text) {
        dialog_note(&f->box, true, "type at least one DNS name, or a CSR file path");
        return;
    }
    if (is_csr_path(text)) {
        if (f->csr_ok && f->csr_path && strcmp(f->csr_path, text) == 0) {
            char **names = NULL;
            size_t n = 0;
            submit(c, f, names, n, f->csr_pem);
            return;
        }
        load_csr(f, text);
        show_names(f);
        return;
    }
    char **names;
    size_t n = role_rules_split(text, &names);
    const struct role_info *r = chosen_role(f);
    for (size_t i = 0; i < n; i++) {
        char why[ROLE_RULES_WHY_MAX];
        if (role_rules_check(r, names[i], why, sizeof why) >= ROLE_RULE_INVALID) {
            dialog_note(&f->box, true, "not sent: %s", why);
            strv_free(names, n);
            return;
        }
    }
    submit(c, f, names, n, NULL);
}

static bool form_key(struct console_state *c, struct dialog *d, int key)
{
    struct order_form *f = (struct order_form *)d;
    bool enter = keys_is_enter(key);
    bool esc = key == ACTION_KEY_ESC;
    switch (f->step) {
    case FORM_LOADING:
    case FORM_SUBMITTING:
        if (esc || key == 'q') {
            bool sent = f->step == FORM_SUBMITTING;
            console_state_dialog_close(c); /* frees f */
            if (sent)
                console_state_say(c, MESSAGE_INFO,
                                  "the new order was sent: its result comes on this line");
        }
        return true;
    case FORM_ROLE:
        if (keys_move_picker(&f->box.picker, key))
            return true;
        if (enter && f->role_count)
            to_names(f);
        else if (esc || key == 'q' || (enter && !f->role_count)) {
            console_state_dialog_close(c);
            console_state_say(c, MESSAGE_INFO, "cancelled: no order was created");
        }
        return true;
    case FORM_NAMES:
        if (esc) {
            f->step = FORM_ROLE;
            show_roles(f);
        } else if (enter) {
            enter_names(c, f);
        } else if (keys_edit_input(&f->box.input, key)) {
            dialog_note(&f->box, false, NULL);
            show_names(f);
        }
        return true;
    }
    return true;
}

static bool form_on_result(struct console_state *c, struct order_form *f, const struct msg *m)
{
    if (m->type != UPD_ACTION_RESULT || f->step != FORM_SUBMITTING ||
        m->request_id != f->submit_id)
        return false;
    time_t t = console_state_now(c);
    const char *text = m->u.action_result.message ? m->u.action_result.message : "";
    const char *id = m->u.action_result.order_id;
    if (!m->u.action_result.ok || !id || !*id) {
        f->step = FORM_NAMES;
        f->box.input_on = true;
        show_names(f);
        dialog_note(&f->box, true, "%s", *text ? text : "Vault refused the order");
        return true;
    }
    const struct role_info *r = chosen_role(f);
    if (!order_store_find(c->store, id)) {
        /* shown at once; the worker fetches the real thing next */
        struct order o;
        order_init(&o);
        o.id = xstrdup(id);
        o.role = xstrdup(r ? r->name : NULL);
        o.status = ORDER_NEW;
        o.status_text = xstrdup("new");
        o.identifiers = f->name_count ? strv_copy((const char *const *)f->names, f->name_count)
                                      : NULL;
        o.identifier_count = f->name_count;
        o.created = t;
        order_store_apply_move(c->store, &o);
        order_clear(&o);
    }
    if (f->want_role)
        views_switch(c, "orders"); /* started on a role: watch the order */
    console_state_sync(c);
    console_state_select_id(c, id);
    c->panes.focus = PANE_LIST;
    char *names = f->name_count ? strv_join((const char *const *)f->names, f->name_count, ", ")
                                : xstrdup("the names of the CSR");
    if (f->renew_id)
        console_state_message(c, MESSAGE_INFO, t, "order %s created, renewing %.*s (role %s: %s)",
                              id, order_short_id_len(f->renew_id), f->renew_id,
                              r && r->name ? r->name : "?", names);
    else
        console_state_message(c, MESSAGE_INFO, t, "order %s created (role %s: %s)", id,
                              r && r->name ? r->name : "?", names);
    free(names);
    console_state_dialog_close(c);
    return true;
}

static bool form_on_update(struct console_state *c, struct dialog *d, struct msg *m)
{
    struct order_form *f = (struct order_form *)d;
    if (m->type == UPD_ROLES)
        return form_on_roles(c, f, m);
    return form_on_result(c, f, m);
}

const struct dialog_ops order_form_ops = {
    .name = "new-order",
    .key = form_key,
    .on_update = form_on_update,
    .close = form_close,
};

void order_form_begin_role(struct console_state *c, const char *role)
{
    order_form_begin(c);
    struct order_form *f = (struct order_form *)console_state_dialog_of(c, &order_form_ops);
    if (f && role)
        f->want_role = xstrdup(role);
}

static struct order_form *form_open(struct console_state *c, const char *title)
{
    struct order_form *f = (struct order_form *)dialog_new(&order_form_ops, sizeof *f, title);
    f->step = FORM_LOADING;
    f->roles_id = console_state_next_request(c);
    console_state_send(c, msg_new_list_roles(f->roles_id));
    dialog_body(&f->box, "Reading the roles (LIST role, then GET role/NAME of each)...");
    dialog_answers(&f->box, "[Esc] Cancel");
    return f;
}

void order_form_begin_renew(struct console_state *c)
{
    const struct order *o = console_state_selected(c);
    if (!o) {
        console_state_say(c, MESSAGE_INFO, "no order selected");
        return;
    }
    if (o->status != ORDER_COMPLETED) {
        console_state_say(c, MESSAGE_INFO, "order %.*s is %s: N renews a completed order",
                          order_short_id_len(o->id), o->id, order_status_display(o));
        return;
    }
    bool csr = o->csr && *o->csr;
    if (!o->role || !*o->role || (!csr && o->identifier_count == 0)) {
        console_state_say(c, MESSAGE_INFO, "order %.*s is not read in full yet: try again in a "
                          "moment", order_short_id_len(o->id), o->id);
        return;
    }
    char title[64];
    snprintf(title, sizeof title, "Renew order %.*s", order_short_id_len(o->id), o->id);
    struct order_form *f = form_open(c, title);
    f->renew_id = xstrdup(o->id);
    f->renew_role = xstrdup(o->role);
    if (csr)
        f->renew_csr = xstrdup(o->csr);
    else
        f->renew_names = strv_join((const char *const *)o->identifiers, o->identifier_count, " ");
    console_state_dialog_show(c, &f->box);
}

void order_form_begin(struct console_state *c)
{
    struct order_form *f = (struct order_form *)dialog_new(&order_form_ops, sizeof *f, "New order");
    f->step = FORM_LOADING;
    f->roles_id = console_state_next_request(c);
    console_state_send(c, msg_new_list_roles(f->roles_id));
    dialog_body(&f->box, "Reading the roles (LIST role, then GET role/NAME of each)...");
    dialog_answers(&f->box, "[Esc] Cancel");
    console_state_dialog_show(c, &f->box);
}
