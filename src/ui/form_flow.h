/* form_flow: the create and edit forms of the resource views (a role, an
 * ACME account, a DNS provider), one field at a time like the new-order
 * form: each field says what it takes (the fields and their choices come
 * from API.md), a choice is picked from a list, a secret is typed masked
 * (drawn as '*', never shown, wiped when done); Enter checks the field and
 * goes to the next (bad input gets a sentence naming the field and nothing
 * is sent), Esc goes back one field. After the last field the form shows
 * everything that will be sent (a secret as its length) and y or Enter
 * sends it once (CMD_WRITE); Vault's refusal shows there with every field
 * kept (Esc walks back to change one); on success the view's objects are
 * read again. */
#ifndef ACMETOP_UI_FORM_FLOW_H
#define ACMETOP_UI_FORM_FLOW_H

#include <stdbool.h>
#include <stddef.h>

#include "model/resource.h"
#include "ui/console_state.h"

#define FORM_FIELDS_MAX 16
#define FORM_VALUE_MAX 1024

enum form_kind {
    FORM_TEXT,    /* a string */
    FORM_LIST,    /* comma-separated: a JSON array of strings */
    FORM_CHOICE,  /* one of choices, picked */
    FORM_SECRET,  /* a string typed masked */
    FORM_FILE,    /* a PEM file's path: its content is sent (string) */
};

/* Checks a value (trimmed; "" when left empty): 0, or -1 with why (a
 * sentence without the field's name, which the form adds). */
typedef int (*form_check_fn)(const char *value, char *why, size_t size);

struct form_field {
    const char *key;         /* the API's field ("allowed_domains"); NULL: only in the path */
    const char *label;       /* shown and named in sentences */
    const char *help;        /* what it takes */
    enum form_kind kind;
    const char *const *choices; /* FORM_CHOICE, and FORM_LIST checked against them when set */
    size_t choice_count;
    bool required;
    bool fixed;              /* shown, not asked (an edit's name, a role's account) */
    bool any_text;           /* FORM_FILE: any text file, not only PEM */
    form_check_fn check;
    char value[FORM_VALUE_MAX]; /* the default or the current value */
};

struct form_spec {
    const char *title;       /* "New role" */
    const char *noun;        /* "role" */
    enum resource_kind kind; /* read again after success */
    const char *method;      /* "POST" */
    /* the path: prefix, the value of field path_field[0], "/" and the value of
     * field path_field[1] when that is not 0, then suffix */
    const char *path_prefix; /* "role/" */
    size_t path_field[2];
    const char *path_suffix; /* NULL: none ("/import") */
    struct form_field fields[FORM_FIELDS_MAX];
    size_t field_count;
    /* Called when a choice field's value changed (a DNS provider's type
     * decides its fields): may rewrite the fields after it. NULL: none. */
    void (*on_choice)(struct form_spec *spec, size_t field);
};

extern const struct dialog_ops form_flow_ops;

/* Open the form (spec copied). */
void form_flow_begin(struct console_state *c, const struct form_spec *spec);

/* Checks the forms share (API.md's rules). */
int form_check_name(const char *v, char *why, size_t size);      /* no '/', no space */
int form_check_url(const char *v, char *why, size_t size);       /* http(s)://host... */
int form_check_emails(const char *v, char *why, size_t size);    /* list of a@b */
int form_check_globs(const char *v, char *why, size_t size);     /* list, leftmost '*' only */
int form_check_duration(const char *v, char *why, size_t size);  /* "60s", "2m" or empty */
int form_check_host_port(const char *v, char *why, size_t size); /* "IP:port" */
int form_check_base64(const char *v, char *why, size_t size);
int form_check_domains(const char *v, char *why, size_t size);   /* list of names/patterns */

#endif
