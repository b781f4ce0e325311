/* deploy_config: the settings of the deploy / verify / collect features
 * (HTTP-01 responder, pre-flight checks, certificate files), kept apart
 * from vault_config (which is about reaching Vault).  Each setting has one
 * key; the config file, flags and the demo's environment all go through
 * deploy_config_set(), so every bad value gets one kind of message naming
 * where it came from.
 *
 *   key (config file)          flag                         default
 *   http01_listen              --http01-listen ADDR:PORT    0.0.0.0:80
 *   cert_dir                   --cert-dir DIR               $XDG_DATA_HOME/acmetop/certs
 *                                                           (~/.local/share/acmetop/certs)
 *   cert_overwrite             --cert-overwrite             false
 *   preflight                  --no-preflight (= false)     true
 *   preflight_timeout          --preflight-timeout DUR      5s (0.1s .. 120s)
 *   preflight_http01_port      --preflight-http01-port N    80
 *   preflight_tlsalpn01_port   --preflight-tlsalpn01-port N 443
 *   preflight_dns_server       --preflight-dns HOST[:PORT]  unset: the system resolver
 *   preflight_resolve          --preflight-resolve N=ADDR   none; repeatable, adds entries
 *
 * The demo (scripts/demo) exports ACMETOP_DEMO_HTTP01_PORT, ACMETOP_DEMO_DNS
 * (and, if it is added, ACMETOP_DEMO_TLSALPN01_PORT): see
 * deploy_config_apply_demo_env(). */
#ifndef ACMETOP_NET_DEPLOY_CONFIG_H
#define ACMETOP_NET_DEPLOY_CONFIG_H

#include <stdbool.h>

#include "net/deploy_error.h"
#include "net/preflight.h"

#define DEPLOY_DEFAULT_HTTP01_LISTEN "0.0.0.0:80"

struct deploy_config {
    char *http01_listen;   /* the responder's address */
    char *cert_dir;        /* where certificates are saved; never NULL after init */
    bool cert_overwrite;   /* replace existing files without asking */
    bool preflight;        /* check before fulfilling (skipping needs a 2nd confirmation) */
    struct preflight_options checks;
};

/* Defaults.  envp: "NAME=value" array for XDG_DATA_HOME / HOME (the
 * default cert_dir), or NULL for the process environment. */
void deploy_config_init(struct deploy_config *c, const char *const *envp);
void deploy_config_free(struct deploy_config *c); /* contents; re-inits to nothing */

/* Set one setting from text.  key: the config-file name ("http01_listen")
 * or the flag ("--http01-listen"; "--no-preflight" and "--cert-overwrite"
 * take value NULL).  origin names the source in messages ("config:12",
 * "--http01-listen", "ACMETOP_DEMO_DNS").  Returns 0; 1 when key is not a
 * deploy setting (nothing changed, err untouched: let another table try);
 * -1 with err set when the value is bad (nothing changed). */
int deploy_config_set(struct deploy_config *c, const char *key, const char *value,
                      const char *origin, struct deploy_error *err);

/* Apply the demo's environment, if present: ACMETOP_DEMO_HTTP01_PORT=N
 * makes the responder listen on 127.0.0.1:N, the http-01 check use port N,
 * and adds the resolve entry "*=127.0.0.1" (pebble resolves every name to
 * 127.0.0.1 through challtestsrv, so the check sees what pebble sees);
 * ACMETOP_DEMO_DNS=HOST:PORT becomes preflight_dns_server;
 * ACMETOP_DEMO_TLSALPN01_PORT=N the tls-alpn-01 check's port.  Returns 0,
 * or -1 with err set when a value is bad.  envp NULL: process environment. */
int deploy_config_apply_demo_env(struct deploy_config *c, const char *const *envp,
                                 struct deploy_error *err);

#endif
