/* settings_table: the one table of acmetop's settings (see settings_table.h)
 * and the walks over it.  A row names its field by offset into the struct
 * of its scope: struct vault_config for SETTING_VAULT and SETTING_CONSOLE,
 * struct deploy_config for SETTING_DEPLOY.  The token is not a row: it
 * comes only from VAULT_TOKEN or ~/.vault-token (net/vault_config.c). */
#include "net/settings_table.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/deploy_config.h"
#include "net/setting_value.h"
#include "net/vault_config.h"

#define V(field) offsetof(struct vault_config, field)
#define D(field) offsetof(struct deploy_config, field)

static const struct setting table[] = {
    /* ---- Vault connection ---- */
    {.key = "addr", .flag = "addr", .arg = "URL", .env = "VAULT_ADDR",
     .scope = SETTING_VAULT, .type = SETTING_ADDRESS, .offset = V(addr),
     .def = "https://127.0.0.1:8200", .help = "Vault's address"},
    {.key = "namespace", .flag = "namespace", .arg = "NS", .env = "VAULT_NAMESPACE",
     .scope = SETTING_VAULT, .type = SETTING_VAULT_PATH, .offset = V(namespace_),
     .any = true, .help = "Enterprise namespace; * for every namespace the token reaches"},
    {.key = "mount", .flag = "mount", .arg = "PATH", .env = "ACMETOP_MOUNT",
     .scope = SETTING_VAULT, .type = SETTING_VAULT_PATH, .offset = V(mount),
     .def = "pki-external-ca", .what = "mount path", .any = true, .list = true,
     .help = "mount of the engine; a list \"a, b\" for several, * for every mount of the "
             "engine"},
    {.key = "role", .flag = "role", .arg = "NAME",
     .scope = SETTING_VAULT, .type = SETTING_NAMES, .offset = V(roles),
     .count_offset = V(role_count), .what = "role name",
     .help = "a role to watch when the token may list neither lookup/orders nor roles"},
    {.key = "cacert", .flag = "ca-cert", .arg = "FILE", .env = "VAULT_CACERT",
     .scope = SETTING_VAULT, .type = SETTING_PATH, .offset = V(cacert),
     .help = "CA file that verifies Vault's certificate"},
    {.key = "capath", .flag = "ca-path", .arg = "DIR", .env = "VAULT_CAPATH",
     .scope = SETTING_VAULT, .type = SETTING_PATH, .offset = V(capath),
     .help = "CA directory that verifies Vault's certificate"},
    {.key = "client_cert", .flag = "client-cert", .arg = "FILE", .env = "VAULT_CLIENT_CERT",
     .scope = SETTING_VAULT, .type = SETTING_PATH, .offset = V(client_cert),
     .help = "TLS client certificate"},
    {.key = "client_key", .flag = "client-key", .arg = "FILE", .env = "VAULT_CLIENT_KEY",
     .scope = SETTING_VAULT, .type = SETTING_PATH, .offset = V(client_key),
     .help = "TLS client key (with a client certificate)"},
    {.key = "tls_server_name", .flag = "tls-server-name", .arg = "NAME",
     .env = "VAULT_TLS_SERVER_NAME",
     .scope = SETTING_VAULT, .type = SETTING_STRING, .offset = V(tls_server_name),
     .help = "name to verify in Vault's certificate"},
    {.key = "skip_verify", .flag = "tls-skip-verify", .flag_sets = "true",
     .env = "VAULT_SKIP_VERIFY",
     .scope = SETTING_VAULT, .type = SETTING_BOOL, .offset = V(skip_verify),
     .def = "false", .help = "do not verify Vault's certificate (insecure)"},
    {.key = "connect_timeout", .flag = "connect-timeout", .arg = "DUR",
     .scope = SETTING_VAULT, .type = SETTING_DURATION_MS, .offset = V(connect_timeout_ms),
     .def = "5s", .min = "1ms", .max = "1h",
     .help = "connect timeout"},
    {.key = "timeout", .flag = "timeout", .arg = "DUR", .env = "VAULT_CLIENT_TIMEOUT",
     .scope = SETTING_VAULT, .type = SETTING_DURATION_MS, .offset = V(timeout_ms),
     .def = "30s", .min = "1ms", .max = "1h",
     .help = "timeout of one request"},
    {.key = "parallel", .flag = "parallel", .arg = "N",
     .scope = SETTING_VAULT, .type = SETTING_INT, .offset = V(parallel),
     .def = "8", .min = "1", .max = "64", .help = "order details fetched at once"},
    {.key = "interval", .flag = "interval", .arg = "DUR",
     .scope = SETTING_VAULT, .type = SETTING_DURATION_S, .offset = V(poll_interval_s),
     .def = "5s", .min = "0.2s", .max = "1h", .what = "interval",
     .help = "poll interval"},
    {.key = "idle_budget", .flag = "idle-budget", .arg = "N",
     .scope = SETTING_VAULT, .type = SETTING_RATE, .offset = V(idle_budget),
     .def = "0.3", .min = "0.05", .max = "50", .what = "number of requests per second",
     .help = "requests per second an idle console may send to Vault, in all"},
    {.key = "cache", .flag = "no-cache", .flag_sets = "false",
     .scope = SETTING_VAULT, .type = SETTING_BOOL, .offset = V(cache),
     .def = "true", .help = "do not keep finished orders in $XDG_CACHE_HOME/acmetop"},
    {.key = "deadline", .flag = "deadline", .arg = "DUR",
     .scope = SETTING_VAULT, .type = SETTING_DURATION_MS, .offset = V(once_deadline_ms),
     .def = "2m", .min = "0.1s", .max = "24h",
     .help = "with --once: stop reading after DUR, print what was read, exit 3"},
    {.key = "readonly", .flag = "readonly", .flag_sets = "true",
     .scope = SETTING_VAULT, .type = SETTING_BOOL, .offset = V(readonly),
     .def = "false", .help = "refuse every write to Vault"},
    {.key = "context", .flag = "context", .arg = "NAME", .env = "ACMETOP_CONTEXT",
     .scope = SETTING_VAULT, .type = SETTING_STRING, .offset = V(context),
     .what = "context name", .help = "the [context NAME] of the config file to use"},

    /* ---- Console ---- */
    {.key = "theme", .flag = "theme", .arg = "NAME|PATH",
     .scope = SETTING_CONSOLE, .type = SETTING_STRING, .offset = V(theme),
     .help = "default, light, high-contrast, monochrome, or a theme file"},
    {.key = "copy_command", .flag = "copy-command", .arg = "CMD",
     .scope = SETTING_CONSOLE, .type = SETTING_STRING, .offset = V(copy_command),
     .help = "copy through CMD's stdin instead of OSC 52"},
    {.key = "account_key_max_age", .flag = "account-key-max-age", .arg = "DAYS",
     .scope = SETTING_CONSOLE, .type = SETTING_INT, .offset = V(account_key_max_age_days),
     .def = "365", .min = "1", .max = "36500", .what = "number of days",
     .help = "the accounts view warns when an account's active key is older (days)"},

    /* ---- Renewal and monitoring ---- */
    {.key = "renew_at", .flag = "renew-at", .arg = "FRACTION|DUR",
     .scope = SETTING_MONITOR, .type = SETTING_RENEW_AT, .offset = V(renew_at),
     .def = "2/3",
     .help = "a certificate is due for renewal once this fraction of its lifetime has passed "
             "(2/3, 66%), or this long before it expires (30d)"},
    {.key = "expiry_warn", .flag = "expiry-warn", .arg = "DUR",
     .scope = SETTING_MONITOR, .type = SETTING_DURATION_S, .offset = V(expiry_warn_s),
     .def = "30d", .min = "0s", .max = "3650d",
     .help = "a certificate expiring within DUR is a warning (--check's --warn)"},
    {.key = "expiry_crit", .flag = "expiry-crit", .arg = "DUR",
     .scope = SETTING_MONITOR, .type = SETTING_DURATION_S, .offset = V(expiry_crit_s),
     .def = "7d", .min = "0s", .max = "3650d",
     .help = "a certificate expiring within DUR is critical, its renewal urgent "
             "(--check's --crit)"},
    {.key = "on_change", .flag = "on-change", .arg = "CMD",
     .scope = SETTING_MONITOR, .type = SETTING_STRING, .offset = V(on_change),
     .help = "run CMD through /bin/sh -c on every status change the console or --watch "
             "sees, with ACMETOP_ORDER_ID, ACMETOP_STATUS, ... in its environment (never the "
             "token)"},
    {.key = "hook_timeout", .flag = "hook-timeout", .arg = "DUR",
     .scope = SETTING_MONITOR, .type = SETTING_DURATION_MS, .offset = V(hook_timeout_ms),
     .def = "10s", .min = "0.1s", .max = "10m",
     .help = "an on_change command still running after DUR is killed"},

    /* ---- Deploy, verify, collect ---- */
    {.key = "http01_listen", .flag = "http01-listen", .arg = "ADDR:PORT",
     .scope = SETTING_DEPLOY, .type = SETTING_HOST_PORT, .offset = D(http01_listen),
     .def = "0.0.0.0:80", .help = "HTTP-01 responder's address"},
    {.key = "tlsalpn01_listen", .flag = "tlsalpn01-listen", .arg = "ADDR:PORT",
     .scope = SETTING_DEPLOY, .type = SETTING_HOST_PORT, .offset = D(tlsalpn01_listen),
     .def = "0.0.0.0:443", .help = "TLS-ALPN-01 responder's address"},
    {.key = "cert_dir", .flag = "cert-dir", .arg = "DIR",
     .scope = SETTING_DEPLOY, .type = SETTING_PATH, .offset = D(cert_dir),
     .def_doc = "$XDG_DATA_HOME/acmetop/certs, else ~/.local/share/acmetop/certs",
     .what = "certificate directory", .help = "where certificates are saved"},
    {.key = "cert_overwrite", .flag = "cert-overwrite", .flag_sets = "true",
     .scope = SETTING_DEPLOY, .type = SETTING_BOOL, .offset = D(cert_overwrite),
     .def = "false", .help = "replace existing certificate files without asking"},
    {.key = "preflight", .flag = "no-preflight", .flag_sets = "false",
     .scope = SETTING_DEPLOY, .type = SETTING_BOOL, .offset = D(preflight),
     .def = "true", .help = "do not check a challenge before fulfilling it"},
    {.key = "preflight_timeout", .flag = "preflight-timeout", .arg = "DUR",
     .scope = SETTING_DEPLOY, .type = SETTING_DURATION_MS, .offset = D(checks.timeout_ms),
     .def = "5s", .min = "0.1s", .max = "120s",
     .help = "timeout of one pre-flight check"},
    {.key = "preflight_http01_port", .flag = "preflight-http01-port", .arg = "N",
     .scope = SETTING_DEPLOY, .type = SETTING_INT, .offset = D(checks.http01_port),
     .def = "80", .min = "1", .max = "65535", .what = "port number",
     .help = "port of the http-01 check and of redirects to http"},
    {.key = "preflight_tlsalpn01_port", .flag = "preflight-tlsalpn01-port", .arg = "N",
     .scope = SETTING_DEPLOY, .type = SETTING_INT, .offset = D(checks.tlsalpn01_port),
     .def = "443", .min = "1", .max = "65535", .what = "port number",
     .help = "port of the tls-alpn-01 check and of http-01 redirects to https"},
    {.key = "preflight_dns_server", .flag = "preflight-dns", .arg = "HOST[:PORT]",
     .scope = SETTING_DEPLOY, .type = SETTING_HOST_PORT, .offset = D(checks.dns_server),
     .default_port = 53,
     .help = "ask only this server in the dns-01 check (unset: every authoritative server of the zone)"},
    {.key = "preflight_resolve", .flag = "preflight-resolve", .arg = "NAME=ADDR",
     .scope = SETTING_DEPLOY, .type = SETTING_RESOLVE, .offset = D(checks.resolve),
     .help = "resolve NAME (or *.domain, or *) to ADDR in the http-01 and tls-alpn-01 "
             "checks"},
};

const struct setting *settings_table(size_t *count)
{
    *count = sizeof table / sizeof table[0];
    return table;
}

const struct setting *settings_table_find_key(const char *key)
{
    for (size_t i = 0; key && i < sizeof table / sizeof table[0]; i++)
        if (table[i].key && strcmp(table[i].key, key) == 0)
            return &table[i];
    return NULL;
}

const struct setting *settings_table_find_flag(const char *flag)
{
    for (size_t i = 0; flag && i < sizeof table / sizeof table[0]; i++)
        if (table[i].flag && strcmp(table[i].flag, flag) == 0)
            return &table[i];
    return NULL;
}

void settings_table_defaults(enum setting_scope scope, void *base)
{
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        if (table[i].scope != scope || !table[i].def)
            continue;
        struct parse_error err;
        if (setting_value_apply(&table[i], base, table[i].def, NULL, &err) != 0) {
            fprintf(stderr, "acmetop: the default of %s is broken: %s\n", table[i].key,
                    err.message);
            abort();
        }
    }
}

void settings_table_clear(enum setting_scope scope, void *base)
{
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (table[i].scope == scope)
            setting_value_clear(&table[i], base);
}
