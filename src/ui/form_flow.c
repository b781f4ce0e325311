/* form_flow: the field-by-field create and edit forms (see form_flow.h). */
#include "ui/form_flow.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <openssl/crypto.h>

#include "model/duration.h"
#include "model/host_port.h"
#include "model/xalloc.h"
#include "ui/keys.h"
#include "ui/resource_view.h"
#include "ui/write_request.h"

#define FILE_MAX (64 * 1024)

struct form_dialog {
    struct dialog box;
    struct form_spec spec;
    size_t at;            /* the field asked; spec.field_count: the summary */
    struct write_request w;
};

static void form_close(struct dialog *d)
{
    struct form_dialog *f = (struct form_dialog *)d;
    write_request_free(&f->w);
    OPENSSL_cleanse(&f->spec, sizeof f->spec); /* secrets typed */
}

static const char *mount_of(const struct console_state *c)
{
    return c->cfg && c->cfg->mount ? c->cfg->mount : "pki-external-ca";
}

static void trim(char *s)
{
    size_t n = strlen(s), i = 0;
    while (n && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
    while (isspace((unsigned char)s[i]))
        i++;
    memmove(s, s + i, n - i + 1);
}

/* ---- the shared checks ------------------------------------------------------------ */

int form_check_name(const char *v, char *why, size_t size)
{
    for (const char *p = v; *p; p++)
        if (*p == '/' || isspace((unsigned char)*p) || (unsigned char)*p < 0x20) {
            snprintf(why, size, "\"%s\" holds a '/', a space or a control character", v);
            return -1;
        }
    return 0;
}

int form_check_url(const char *v, char *why, size_t size)
{
    const char *host = strncmp(v, "https://", 8) == 0 ? v + 8
                       : strncmp(v, "http://", 7) == 0 ? v + 7
                                                       : NULL;
    if (!host || !*host || *host == '/' || strchr(v, ' ')) {
        snprintf(why, size, "\"%s\" is not an http:// or https:// URL with a host", v);
        return -1;
    }
    return 0;
}

/* Each comma-separated entry of v through one_ok. */
static int each(const char *v, char *why, size_t size, int (*one_ok)(const char *, char *, size_t))
{
    char buf[FORM_VALUE_MAX];
    snprintf(buf, sizeof buf, "%s", v);
    for (char *save = NULL, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        trim(t);
        if (!*t) {
            snprintf(why, size, "an entry is empty (two commas in a row?)");
            return -1;
        }
        if (one_ok(t, why, size) != 0)
            return -1;
    }
    return 0;
}

static int one_email(const char *t, char *why, size_t size)
{
    const char *at = strchr(t, '@');
    if (!at || at == t || !at[1] || strchr(t, ' ') || strchr(at + 1, '@')) {
        snprintf(why, size, "\"%s\" is not an e-mail address", t);
        return -1;
    }
    return 0;
}

int form_check_emails(const char *v, char *why, size_t size)
{
    return each(v, why, size, one_email);
}

static int one_glob(const char *t, char *why, size_t size)
{
    const char *star = strchr(t, '*');
    if (star && (star != t || t[1] != '.' || strchr(t + 1, '*'))) {
        snprintf(why, size, "\"%s\": a '*' may only be the leftmost label (\"*.example.com\")",
                 t);
        return -1;
    }
    if (strchr(t, ' ') || strchr(t, '/')) {
        snprintf(why, size, "\"%s\" is not a DNS name", t);
        return -1;
    }
    return 0;
}

int form_check_globs(const char *v, char *why, size_t size)
{
    return each(v, why, size, one_glob);
}

static int one_domain(const char *t, char *why, size_t size)
{
    if (strchr(t, ' ') || strchr(t, '/')) {
        snprintf(why, size, "\"%s\" is not a domain or a pattern", t);
        return -1;
    }
    return 0;
}

int form_check_domains(const char *v, char *why, size_t size)
{
    return each(v, why, size, one_domain);
}

int form_check_duration(const char *v, char *why, size_t size)
{
    double s;
    if (*v && duration_parse(v, &s) != 0) {
        snprintf(why, size, "\"%s\" is not a duration (e.g. 60s, 2m)", v);
        return -1;
    }
    return 0;
}

int form_check_host_port(const char *v, char *why, size_t size)
{
    struct host_port hp;
    struct parse_error err;
    if (host_port_parse(v, -1, 0, "nameserver", &hp, &err) != 0) {
        snprintf(why, size, "\"%s\" is not IP:port (e.g. 127.0.0.1:53)", v);
        return -1;
    }
    return 0;
}

int form_check_base64(const char *v, char *why, size_t size)
{
    size_t n = 0;
    for (const char *p = v; *p; p++, n++)
        if (!isalnum((unsigned char)*p) && !strchr("+/=", *p)) {
            snprintf(why, size, "it is not base64 (letters, digits, + / =)");
            return -1;
        }
    if (n % 4) {
        snprintf(why, size, "it is not base64 (its length is not a multiple of 4)");
        return -1;
    }
    return 0;
}

/* A PEM file's content (caller frees; any text file when !pem), or NULL
 * with why. */
static char *read_file(const char *path, bool pem, char *why, size_t size)
{
    FILE *fp = fopen(path, "r");
    if (!fp) {
        snprintf(why, size, "%s cannot be read: %s", path, strerror(errno));
        return NULL;
    }
    char *buf = xcalloc(1, FILE_MAX + 1);
    size_t n = fread(buf, 1, FILE_MAX + 1, fp);
    fclose(fp);
    if (n > FILE_MAX || (pem && !strstr(buf, "-----BEGIN "))) {
        snprintf(why, size, n > FILE_MAX ? "%s is larger than 64 KiB" : "%s holds no PEM block",
                 path);
        free(buf);
        return NULL;
    }
    return buf;
}

/* ---- the body ------------------------------------------------------------------------ */

static bool is_list(const struct form_field *fl)
{
    return fl->kind == FORM_LIST;
}

/* The JSON sent (real: secrets and files in) or shown (not real). */
static char *body_json(const struct form_spec *spec, bool real, char *why, size_t size)
{
    cJSON *obj = cJSON_CreateObject();
    bool ok = true;
    for (size_t i = 0; i < spec->field_count && ok; i++) {
        const struct form_field *fl = &spec->fields[i];
        if (!fl->key || !fl->value[0])
            continue;
        if (is_list(fl)) {
            cJSON *arr = cJSON_AddArrayToObject(obj, fl->key);
            char buf[FORM_VALUE_MAX];
            snprintf(buf, sizeof buf, "%s", fl->value);
            for (char *save = NULL, *t = strtok_r(buf, ",", &save); t;
                 t = strtok_r(NULL, ",", &save)) {
                trim(t);
                if (*t)
                    cJSON_AddItemToArray(arr, cJSON_CreateString(t));
            }
        } else if (fl->kind == FORM_SECRET && !real) {
            char mark[64];
            snprintf(mark, sizeof mark, "<%zu characters, typed>", strlen(fl->value));
            cJSON_AddStringToObject(obj, fl->key, mark);
        } else if (fl->kind == FORM_FILE) {
            if (real) {
                char *pem = read_file(fl->value, !fl->any_text, why, size);
                if (!pem) {
                    ok = false;
                    break;
                }
                cJSON_AddStringToObject(obj, fl->key, pem);
                OPENSSL_cleanse(pem, strlen(pem)); /* an account key, credentials */
                free(pem);
            } else {
                char mark[FORM_VALUE_MAX + 32];
                snprintf(mark, sizeof mark, "<the content of %s>", fl->value);
                cJSON_AddStringToObject(obj, fl->key, mark);
            }
        } else {
            cJSON_AddStringToObject(obj, fl->key, fl->value);
        }
    }
    char *text = ok ? cJSON_PrintUnformatted(obj) : NULL;
    /* the tree held the secrets too */
    for (cJSON *it = obj->child; it; it = it->next)
        if (cJSON_IsString(it) && it->valuestring)
            OPENSSL_cleanse(it->valuestring, strlen(it->valuestring));
    cJSON_Delete(obj);
    return text;
}

static void path_of(const struct form_spec *spec, char *buf, size_t size)
{
    snprintf(buf, size, "%s%s%s%s%s", spec->path_prefix, spec->fields[spec->path_field[0]].value,
             spec->path_field[1] ? "/" : "",
             spec->path_field[1] ? spec->fields[spec->path_field[1]].value : "",
             spec->path_suffix ? spec->path_suffix : "");
}

/* ---- the steps ----------------------------------------------------------------------- */

static void shown_value(const struct form_field *fl, char *buf, size_t size)
{
    if (!fl->value[0])
        snprintf(buf, size, "-");
    else if (fl->kind == FORM_SECRET)
        snprintf(buf, size, "(%zu characters, not shown)", strlen(fl->value));
    else
        snprintf(buf, size, "%s", fl->value);
}

static void render(struct console_state *c, struct form_dialog *f)
{
    struct form_spec *spec = &f->spec;
    char text[6000];
    size_t k = 0;
    for (size_t i = 0; i < spec->field_count && k < sizeof text; i++) {
        const struct form_field *fl = &spec->fields[i];
        if (i >= f->at && !fl->fixed)
            continue;
        char v[FORM_VALUE_MAX + 64];
        shown_value(fl, v, sizeof v);
        k += (size_t)snprintf(text + k, sizeof text - k, "%-18s %s%s\n", fl->label, v,
                              fl->fixed ? "  (fixed)" : "");
    }
    if (f->at < spec->field_count) {
        const struct form_field *fl = &spec->fields[f->at];
        if (k < sizeof text)
            snprintf(text + k, sizeof text - k, "\n%s%s: %s", fl->label,
                     fl->required ? "" : " (optional)", fl->help);
        dialog_body(&f->box, "%s", text);
        if (fl->kind == FORM_CHOICE) {
            dialog_input_off(&f->box);
            picker_free(&f->box.picker);
            size_t at = 0;
            for (size_t j = 0; j < fl->choice_count; j++) {
                picker_add(&f->box.picker, fl->choices[j], NULL);
                if (strcmp(fl->choices[j], fl->value) == 0)
                    at = j;
            }
            picker_set(&f->box.picker, at);
            f->box.picker_on = true;
        } else {
            f->box.picker_on = false;
            char prompt[80];
            snprintf(prompt, sizeof prompt, "%s: ", fl->label);
            dialog_input(&f->box, prompt);
            f->box.input_masked = fl->kind == FORM_SECRET;
            filter_input_set(&f->box.input, fl->value);
        }
        dialog_answers(&f->box, "[Enter] Next    [Esc] Back");
        return;
    }
    char path[FORM_VALUE_MAX + 64], why[300], summary[4000];
    path_of(spec, path, sizeof path);
    char *shown = body_json(spec, false, why, sizeof why);
    write_request_set(&f->w, spec->method, path, shown);
    write_request_summary(&f->w, mount_of(c), summary, sizeof summary);
    free(shown);
    dialog_input_off(&f->box);
    f->box.picker_on = false;
    dialog_body(&f->box, "%s\nThis sends:\n  %s", text, summary);
    dialog_answers(&f->box, "[y/Enter] Send    [Esc] Back to the fields");
}

static void go(struct console_state *c, struct form_dialog *f, long step)
{
    size_t n = f->spec.field_count;
    long at = (long)f->at + step;
    while (at >= 0 && at < (long)n && f->spec.fields[at].fixed)
        at += step;
    if (at < 0) {
        console_state_dialog_close(c);
        console_state_say(c, MESSAGE_INFO, "cancelled: nothing was sent");
        return;
    }
    f->at = (size_t)at;
    dialog_note(&f->box, false, NULL);
    render(c, f);
}

/* Take the field asked: true when it is right (and kept). */
static bool take(struct console_state *c, struct form_dialog *f)
{
    struct form_field *fl = &f->spec.fields[f->at];
    char v[FORM_VALUE_MAX];
    if (fl->kind == FORM_CHOICE) {
        const struct picker_item *it = picker_current(&f->box.picker);
        snprintf(v, sizeof v, "%s", it ? it->label : "");
    } else {
        snprintf(v, sizeof v, "%s", f->box.input.text);
    }
    trim(v);
    char why[400] = "";
    int bad = 0;
    if (!v[0] && fl->required) {
        snprintf(why, sizeof why, "it is required");
        bad = 1;
    } else if (v[0] && fl->kind == FORM_LIST && fl->choices) {
        char buf[FORM_VALUE_MAX];
        snprintf(buf, sizeof buf, "%s", v);
        for (char *save = NULL, *t = strtok_r(buf, ",", &save); t && !bad;
             t = strtok_r(NULL, ",", &save)) {
            trim(t);
            bool known = false;
            for (size_t j = 0; j < fl->choice_count; j++)
                known |= strcmp(t, fl->choices[j]) == 0;
            if (!known) {
                snprintf(why, sizeof why, "\"%s\" is not one of %s", t, fl->help);
                bad = 1;
            }
        }
    } else if (v[0] && fl->kind == FORM_FILE) {
        char *pem = read_file(v, !fl->any_text, why, sizeof why);
        bad = !pem;
        if (pem)
            OPENSSL_cleanse(pem, strlen(pem));
        free(pem);
    }
    if (!bad && v[0] && fl->check)
        bad = fl->check(v, why, sizeof why) != 0;
    if (bad) {
        dialog_note(&f->box, true, "%s: %s; nothing sent", fl->label, why);
        OPENSSL_cleanse(v, sizeof v);
        return false;
    }
    bool changed = strcmp(fl->value, v) != 0;
    snprintf(fl->value, sizeof fl->value, "%s", v);
    OPENSSL_cleanse(v, sizeof v);
    if (fl->kind == FORM_SECRET)
        OPENSSL_cleanse(&f->box.input, sizeof f->box.input);
    if (changed && fl->kind == FORM_CHOICE && f->spec.on_choice)
        f->spec.on_choice(&f->spec, f->at);
    (void)c;
    return true;
}

static bool form_key(struct console_state *c, struct dialog *d, int key)
{
    struct form_dialog *f = (struct form_dialog *)d;
    if (f->w.pending)
        return true;
    if (f->at >= f->spec.field_count) { /* the summary */
        if (key == ACTION_KEY_ESC) {
            f->at = f->spec.field_count;
            go(c, f, -1);
        } else if (key == 'y' || keys_is_enter(key)) {
            char path[FORM_VALUE_MAX + 64], why[400] = "";
            path_of(&f->spec, path, sizeof path);
            char *body = body_json(&f->spec, true, why, sizeof why);
            if (!body) {
                dialog_note(d, true, "%s; nothing sent", why);
                return true;
            }
            write_request_set(&f->w, f->spec.method, path, body);
            OPENSSL_cleanse(body, strlen(body));
            free(body);
            write_request_send(c, &f->w);
            dialog_note(d, false, "sending...");
        }
        return true;
    }
    if (key == ACTION_KEY_ESC) {
        go(c, f, -1);
        return true;
    }
    if (f->spec.fields[f->at].kind == FORM_CHOICE) {
        if (keys_move_picker(&d->picker, key))
            return true;
    } else if (!keys_is_enter(key)) {
        keys_edit_input(&d->input, key);
        return true;
    }
    if (keys_is_enter(key) && take(c, f))
        go(c, f, 1);
    return true;
}

static bool form_on_update(struct console_state *c, struct dialog *d, struct msg *m)
{
    struct form_dialog *f = (struct form_dialog *)d;
    if (!write_request_answered(&f->w, m))
        return false;
    if (m->u.written.ok) {
        char what[FORM_VALUE_MAX + 64];
        const struct form_spec *sp = &f->spec;
        snprintf(what, sizeof what, "%s %s%s%s%s", sp->noun, sp->fields[sp->path_field[0]].value,
                 sp->path_field[1] ? "/" : "",
                 sp->path_field[1] ? sp->fields[sp->path_field[1]].value : "",
                 sp->fields[0].fixed ? " updated" : " created");
        enum resource_kind kind = f->spec.kind;
        console_state_dialog_close(c);
        console_state_say(c, MESSAGE_INFO, "%s", what);
        resource_view_read_kind(c, kind);
        return true;
    }
    /* refused: said here, every field kept */
    render(c, f);
    dialog_note(d, true, "%s (Esc goes back to the fields)",
                m->u.written.error ? m->u.written.error : "Vault refused");
    return true;
}

const struct dialog_ops form_flow_ops = {
    .name = "form",
    .key = form_key,
    .on_update = form_on_update,
    .close = form_close,
};

void form_flow_begin(struct console_state *c, const struct form_spec *spec)
{
    struct form_dialog *f =
        (struct form_dialog *)dialog_new(&form_flow_ops, sizeof *f, spec->title);
    f->spec = *spec;
    f->at = 0;
    while (f->at < f->spec.field_count && f->spec.fields[f->at].fixed)
        f->at++;
    render(c, f);
    console_state_dialog_show(c, &f->box);
}
