/* deploy_config: the settings of the deploy / verify / collect features
 * (HTTP-01 and TLS-ALPN-01 responders, pre-flight checks, certificate files), kept apart
 * from vault_config (which is about reaching Vault).  Their keys, flags,
 * defaults and limits are rows of the one settings table
 * (net/settings_table.c, scope SETTING_DEPLOY); this module holds the
 * struct, its defaults (cert_dir's is computed from XDG_DATA_HOME / HOME),
 * one setting set by name, and the demo's environment.
 *
 * The demo (scripts/demo) exports ACMETOP_DEMO_HTTP01_PORT, ACMETOP_DEMO_DNS
 * and ACMETOP_DEMO_TLSALPN01_PORT: see deploy_config_apply_demo_env(). */
#ifndef ACMETOP_NET_DEPLOY_CONFIG_H
#define ACMETOP_NET_DEPLOY_CONFIG_H

#include <stdbool.h>

#include "net/deploy_error.h"
#include "net/preflight.h"

struct deploy_config {
    char *http01_listen;   /* the HTTP-01 responder's address */
    char *tlsalpn01_listen; /* the TLS-ALPN-01 responder's address */
    char *cert_dir;        /* where certificates are saved; never NULL after init */
    bool cert_overwrite;   /* replace existing files without asking */
    bool preflight;        /* check before fulfilling (skipping needs a 2nd confirmation) */
    struct preflight_options checks;
};

/* Defaults.  envp: "NAME=value" array for XDG_DATA_HOME / HOME (the
 * default cert_dir), or NULL for the process environment. */
void deploy_config_init(struct deploy_config *c, const char *const *envp);
void deploy_config_free(struct deploy_config *c); /* contents; re-inits to nothing */

/* Set one setting from text, by its config-file key ("http01_listen").
 * A repeatable setting (preflight_resolve) adds its entries after the ones
 * it has.  origin names the source in messages ("config:12",
 * "ACMETOP_DEMO_DNS"; NULL: the key).  Returns 0; 1 when key is not a
 * deploy setting (nothing changed, err untouched); -1 with err set when
 * the value is bad or NULL (nothing changed). */
int deploy_config_set(struct deploy_config *c, const char *key, const char *value,
                      const char *origin, struct deploy_error *err);

/* Apply the demo's environment, if present: ACMETOP_DEMO_HTTP01_PORT=N
 * makes the responder listen on 127.0.0.1:N, the http-01 check use port N,
 * and adds the resolve entry "*=127.0.0.1" after the others (pebble
 * resolves every name to 127.0.0.1 through challtestsrv, so the check sees
 * what pebble sees; entries the operator gave come first and win);
 * ACMETOP_DEMO_DNS=HOST:PORT becomes preflight_dns_server;
 * ACMETOP_DEMO_TLSALPN01_PORT=N makes the TLS-ALPN-01 responder listen on
 * 127.0.0.1:N and the tls-alpn-01 check use port N, with the same resolve
 * entry (added once).  Returns 0,
 * or -1 with err set when a value is bad.  envp NULL: process environment. */
int deploy_config_apply_demo_env(struct deploy_config *c, const char *const *envp,
                                 struct deploy_error *err);

#endif
