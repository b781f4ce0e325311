/* vault_config: where acmetop finds Vault and how it talks to it.
 * One place resolves every setting with the same precedence as the `vault`
 * CLI plus our own config file: command-line flags > environment
 * (VAULT_ADDR, VAULT_TOKEN, ...) > config file
 * ($XDG_CONFIG_HOME/acmetop/config, else ~/.config/acmetop/config) >
 * defaults.  The file may hold [context NAME] sections after its top-level
 * lines; with a context chosen (--context, ACMETOP_CONTEXT, or a top-level
 * "context = NAME", in that order) its lines go between the top-level lines
 * and the environment; unchosen sections are only checked.  A section may
 * also say token_file = PATH (its token instead of ~/.vault-token, which
 * must exist), readonly = true, color = NAME.  Which settings exist (key, flag, variable, type, limits,
 * default) is the settings table's business (net/settings_table.c); this
 * module reads the sources in that order.  The token comes only from
 * VAULT_TOKEN, or the chosen context's token_file, or ~/.vault-token, never from a flag (argv is visible to
 * other users) nor the config file.  Every bad value is refused with a
 * sentence naming its origin (flag, variable, or file:line).
 * The settings of the responder, the pre-flight checks and the certificate
 * files live in their own struct (net/deploy_config.h) inside this one, read
 * from the same sources, plus the demo's ACMETOP_DEMO_* variables. */
#ifndef ACMETOP_NET_VAULT_CONFIG_H
#define ACMETOP_NET_VAULT_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "model/renew_window.h"
#include "net/deploy_config.h"
#include "net/setting.h"
#include "net/vault_error.h"

/* One [context NAME] section of the config file as the section itself
 * says it (for a list of the contexts): NULL / false when the section does
 * not set the key.  Values are normalised as the settings' own (addr
 * without a trailing '/', mount "a,b"). */
struct vault_context {
    char *name;
    char *addr, *namespace_, *mount;
    char *color;           /* black, red, ..., white; NULL: none */
    bool readonly;
    unsigned line;         /* of the [context NAME] line */
};

struct vault_config {
    /* every field is a row of net/settings_table.c, but the three "not a setting" */
    char *addr;            /* VAULT_ADDR, default https://127.0.0.1:8200, no trailing '/' */
    bool addr_defaulted;   /* no source gave addr: it is the default; not a setting */
    char *token;           /* secret: never printed; NULL when none; not a setting */
    char *namespace_;      /* NULL when none; no '/' at the ends */
    char *mount;           /* default "pki-external-ca", no '/' at the ends */
    char *cacert, *capath, *client_cert, *client_key, *tls_server_name; /* NULL when unset */
    bool skip_verify;      /* only when asked; see vault_config_warning() */
    long connect_timeout_ms, timeout_ms;   /* defaults 5000, 30000 */
    size_t max_body_bytes;                 /* 64 MiB; not a setting */
    int parallel;                          /* default 8, 1..64 */
    char **roles; size_t role_count;       /* --role / role = ..., repeatable; may be 0 */
    double poll_interval_s;                /* --interval, default 5 */
    double idle_budget;                    /* requests/s an idle console may send, default 0.3 */
    bool cache;                            /* keep finished orders across runs, default true */
    long once_deadline_ms;                 /* --once stops reading after this, default 120000 */
    char *theme; char *copy_command;       /* for the UI; NULL when unset */
    int account_key_max_age_days;          /* the accounts view warns past it, default 365 */
    struct renew_at renew_at;              /* when a certificate is due, default 2/3 */
    double expiry_warn_s, expiry_crit_s;   /* certificate expiry thresholds, 30d and 7d */
    char *on_change;                       /* hook command for status changes; NULL: none */
    long hook_timeout_ms;                  /* default 10000 */
    bool report_changes;   /* the worker posts UPD_STATUS_CHANGE (--watch); not a setting */
    unsigned place_count;  /* how many places (namespace, mount) share idle_budget,
                              0 or 1 = one (net/place.h); not a setting */
    char *config_file;     /* the config file that was read, NULL if none existed; not a setting */
    char *token_file_warning; /* why ~/.vault-token is not private (a symlink, another owner,
                                 readable by others), NULL when it is or was not used */
    char *warnings;        /* every warning, joined; see vault_config_warning() */
    struct deploy_config deploy; /* responder, pre-flight checks, certificate files */
    char *context;         /* the [context NAME] in use (--context, ACMETOP_CONTEXT,
                              context = ...); NULL: none */
    char *context_color;   /* the header colour of that context (black, red, green, yellow,
                              blue, magenta, cyan, white); NULL: none; not a setting */
    bool readonly;         /* refuse every write to Vault (--readonly, readonly = true) */
    struct vault_context *contexts; size_t context_count; /* every [context NAME] of the
                              file, in file order, whether in use or not; not a setting */
};

/* The command line as given: every setting's flag in the order typed,
 * values as typed, so that each is validated here with one kind of
 * message.  Set with vault_config_flags_init() first. */
struct vault_config_flags {
    const char *config_path;        /* --config FILE: replaces the default file (must exist) */
    const struct setting_arg *args; /* {"addr", "https://..."}, {"no-preflight", NULL}, ... */
    size_t arg_count;
};

void vault_config_flags_init(struct vault_config_flags *);

/* Resolve the configuration.  envp: a NULL-terminated "NAME=value" array,
 * or NULL to use the process environment.  Returns 0, or -1 with err set
 * (transport VT_CONFIG, the sentence names the flag/variable/file:line).
 * On error *out holds nothing to free (it is zeroed). */
int vault_config_load(struct vault_config *out, const struct vault_config_flags *flags,
                      const char *const *envp, struct vault_error *err);

/* vault_config_load() as if "--context name" had been given last: it
 * beats ACMETOP_CONTEXT and any --context in flags.  For switching the
 * context at run time (the file is read again).  name NULL: the same as
 * vault_config_load().  An unknown name: -1 with
 * "no context \"x\" in FILE (known: prod, staging)". */
int vault_config_load_context(struct vault_config *out, const struct vault_config_flags *flags,
                              const char *const *envp, const char *name, struct vault_error *err);

/* Frees every field; the token is wiped from memory first. */
void vault_config_free(struct vault_config *);

/* The warnings to show the operator, joined by "; ", or NULL: TLS
 * verification switched off, a token sent in clear text over http:// to a
 * non-loopback host, a token file others can read or change.  Composed by
 * vault_config_load(). */
const char *vault_config_warning(const struct vault_config *);

#endif
