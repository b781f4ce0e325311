/* console_config: what the console needs to know of the settings, and
 * nothing more: where Vault is (to show it), the look, and the facts the
 * deploy dialogs describe. Built by main.c (the composition root) from the
 * full settings; it never holds the token or any other secret, and the
 * strings are borrowed from the settings, which outlive the console. */
#ifndef ACMETOP_UI_CONSOLE_CONFIG_H
#define ACMETOP_UI_CONSOLE_CONFIG_H

#include <stdbool.h>

#include "model/context_info.h"
#include "model/renew_window.h"

struct console_config {
    const char *addr, *namespace_, *mount; /* shown in the header and the detail */
    const char *theme;                     /* NULL: default */
    const char *copy_command;              /* NULL: OSC 52 */
    const char *warning;                   /* shown at start (TLS off, token in clear, token file
                                              not private), or NULL */
    /* deploy, verify, collect: what the dialogs tell the operator */
    bool preflight;                        /* check before fulfilling */
    long preflight_timeout_ms;
    int http01_port, tlsalpn01_port;       /* where the checks connect */
    const char *dns_server;                /* the dns-01 check's server, NULL: system resolver */
    const char *http01_listen;             /* where the HTTP-01 responder listens */
    const char *tlsalpn01_listen;          /* where the TLS-ALPN-01 responder listens */
    const char *cert_dir;                  /* where certificates are saved */
    int account_key_max_age_days;          /* the accounts view warns past it (0: 365) */
    /* renewal and monitoring */
    const struct renew_at *renew_at;       /* when a certificate is due; NULL: 2/3 */
    double expiry_warn_s, expiry_crit_s;   /* certificate expiry thresholds */
    const struct context_info *context;    /* the places of the context, for the NAMESPACE
                                              and MOUNT columns; NULL before UPD_CONTEXT */
};

#endif
