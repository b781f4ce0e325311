/* setting: the types the settings family shares.  One struct setting is one
 * row of the settings table (net/settings_table.c), like a row of tmux's
 * options_table: the config-file key, the command-line flag, the
 * environment variable, the type with its limits, the default, one help
 * line, and where in the configuration the value goes.  Everything that
 * reads or documents a setting works from these rows: the config file,
 * the environment and the flags (net/vault_config.c, src/main.c), the
 * value checks (net/setting_value.c), --help and the manual
 * (net/settings_doc.c).  Types only. */
#ifndef ACMETOP_NET_SETTING_H
#define ACMETOP_NET_SETTING_H

#include <stdbool.h>
#include <stddef.h>

/* Which struct a row's field lives in, and the heading it is listed under. */
enum setting_scope {
    SETTING_VAULT,   /* reaching Vault and polling it: struct vault_config */
    SETTING_CONSOLE, /* the console's look and copying: struct vault_config */
    SETTING_DEPLOY,  /* responder, pre-flight checks, certificate files:
                        struct deploy_config (vault_config.deploy) */
    SETTING_MONITOR, /* renewal window, expiry thresholds, hooks: struct vault_config */
};
#define SETTING_SCOPES 4

/* What text a row takes and the field it fills.  For the char * types an
 * empty value (once normalised) unsets the field (NULL), unless the row has
 * a default (def or def_doc): then it is refused. */
enum setting_type {
    SETTING_STRING,      /* char *: the text as given */
    SETTING_PATH,        /* char *: a file or directory, as given */
    SETTING_ADDRESS,     /* char *: http:// or https:// URL with a host; no trailing '/' */
    SETTING_VAULT_PATH,  /* char *: a Vault path (mount, namespace); no '/' at the ends;
                            see the row's any and list for "*" and "a,b" */
    SETTING_HOST_PORT,   /* char *: HOST:PORT; the port may be left out when the
                            row has a default_port */
    SETTING_BOOL,        /* bool: true/false, yes/no, on/off, 1/0 */
    SETTING_INT,         /* int: whole number within [min, max] */
    SETTING_DURATION_MS, /* long: a duration (model/duration.h) in [min, max],
                            stored in milliseconds */
    SETTING_DURATION_S,  /* double: a duration in [min, max], in seconds */
    SETTING_RATE,        /* double: a number per second ("0.3", "2.5") in [min, max] */
    SETTING_NAMES,       /* char ** (+ size_t count at count_offset): repeatable
                            names without '/'; a source that gives any replaces
                            what weaker sources gave */
    SETTING_RESOLVE,     /* struct resolve_map: repeatable NAME=ADDR entries; a
                            source's entries go before weaker sources' (the
                            first match wins) */
    SETTING_RENEW_AT,    /* struct renew_at (model/renew_window.h): a fraction of
                            the lifetime ("2/3", "66%") or a duration before
                            expiry ("30d") */
};

struct setting {
    const char *key;       /* config-file key: "addr" */
    const char *flag;      /* long flag without "--": "addr", "no-preflight" */
    const char *flag_sets; /* a flag without argument: the value it sets ("true",
                              "false"); NULL: the flag takes the argument arg */
    const char *arg;       /* the argument's name in --help: "URL", "DUR", "N" */
    const char *env;       /* environment variable, or NULL */
    enum setting_scope scope;
    enum setting_type type;
    size_t offset;         /* of the field in the scope's struct */
    size_t count_offset;   /* SETTING_NAMES: of the size_t count */
    const char *def;       /* default, as text (applied at start); NULL: unset */
    const char *def_doc;   /* default as shown, when it is computed (def NULL) */
    const char *min, *max; /* limits, as text in the type's own syntax */
    int default_port;      /* SETTING_HOST_PORT: port when none is given; 0: required */
    bool any;              /* SETTING_VAULT_PATH: "*" (every one there is) is a value too */
    bool list;             /* SETTING_VAULT_PATH: a comma-separated list "a, b" is a value
                              too, stored "a,b"; each element a path without '/' at its
                              ends, spaces or "//" */
    const char *what;      /* noun in messages ("mount path"); NULL: by type */
    const char *help;      /* one line for --help and the manual */
};

/* A flag as given on the command line: its name without "--" and its
 * argument (NULL for a flag without argument). */
struct setting_arg {
    const char *flag;
    const char *value;
};

#endif
