/* deploy_config: settings of the responder, the checks and the certificate
 * files (see deploy_config.h). */
#include "net/deploy_config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "model/host_port.h"
#include "model/xalloc.h"
#include "net/vault_config.h"

extern char **environ;

static const char *env_get(const char *const *envp, const char *name)
{
    const char *const *e = envp ? envp : (const char *const *)environ;
    size_t nl = strlen(name);
    for (; e && *e; e++)
        if (strncmp(*e, name, nl) == 0 && (*e)[nl] == '=')
            return *e + nl + 1;
    return NULL;
}

void deploy_config_init(struct deploy_config *c, const char *const *envp)
{
    memset(c, 0, sizeof *c);
    c->http01_listen = xstrdup(DEPLOY_DEFAULT_HTTP01_LISTEN);
    c->preflight = true;
    c->cert_overwrite = false;
    preflight_options_init(&c->checks);
    const char *xdg = env_get(envp, "XDG_DATA_HOME");
    const char *home = env_get(envp, "HOME");
    char buf[4096];
    if (xdg && xdg[0] == '/')
        snprintf(buf, sizeof buf, "%s/acmetop/certs", xdg);
    else if (home && *home)
        snprintf(buf, sizeof buf, "%s/.local/share/acmetop/certs", home);
    else
        snprintf(buf, sizeof buf, "acmetop-certs");
    c->cert_dir = xstrdup(buf);
}

void deploy_config_free(struct deploy_config *c)
{
    if (!c)
        return;
    free(c->http01_listen);
    free(c->cert_dir);
    preflight_options_free(&c->checks);
    memset(c, 0, sizeof *c);
}

enum setting {
    S_LISTEN, S_CERT_DIR, S_OVERWRITE, S_PREFLIGHT, S_NO_PREFLIGHT, S_TIMEOUT, S_HTTP_PORT,
    S_TLS_PORT, S_DNS, S_RESOLVE
};

static const struct {
    const char *key, *flag;
    enum setting s;
} settings[] = {
    {"http01_listen", "--http01-listen", S_LISTEN},
    {"cert_dir", "--cert-dir", S_CERT_DIR},
    {"cert_overwrite", "--cert-overwrite", S_OVERWRITE},
    {"preflight", NULL, S_PREFLIGHT},
    {NULL, "--no-preflight", S_NO_PREFLIGHT},
    {"preflight_timeout", "--preflight-timeout", S_TIMEOUT},
    {"preflight_http01_port", "--preflight-http01-port", S_HTTP_PORT},
    {"preflight_tlsalpn01_port", "--preflight-tlsalpn01-port", S_TLS_PORT},
    {"preflight_dns_server", "--preflight-dns", S_DNS},
    {"preflight_resolve", "--preflight-resolve", S_RESOLVE},
};

static int parse_bool(const char *v, bool *out)
{
    static const char *const yes[] = {"1", "true", "yes", "on"};
    static const char *const no[] = {"0", "false", "no", "off"};
    for (size_t i = 0; i < 4; i++) {
        if (strcasecmp(v, yes[i]) == 0) {
            *out = true;
            return 0;
        }
        if (strcasecmp(v, no[i]) == 0) {
            *out = false;
            return 0;
        }
    }
    return -1;
}

static int parse_port(const char *v, int *out)
{
    char *end;
    errno = 0;
    long p = strtol(v, &end, 10);
    if (errno || end == v || *end || p < 1 || p > 65535)
        return -1;
    *out = (int)p;
    return 0;
}

int deploy_config_set(struct deploy_config *c, const char *key, const char *value,
                      const char *origin, struct deploy_error *err)
{
    if (!key)
        return 1;
    size_t i, n = sizeof settings / sizeof settings[0];
    for (i = 0; i < n; i++)
        if ((settings[i].key && strcmp(key, settings[i].key) == 0) ||
            (settings[i].flag && strcmp(key, settings[i].flag) == 0))
            break;
    if (i == n)
        return 1;
    const char *where = origin ? origin : key;
    bool is_flag = key[0] == '-';
    enum setting s = settings[i].s;
    if (s == S_NO_PREFLIGHT) {
        c->preflight = false;
        return 0;
    }
    if (s == S_OVERWRITE && is_flag && !value) {
        c->cert_overwrite = true;
        return 0;
    }
    if (!value) {
        deploy_error_set(err, 0, "%s: a value is missing", where);
        return -1;
    }
    while (isspace((unsigned char)*value))
        value++;
    struct parse_error perr;
    switch (s) {
    case S_LISTEN: {
        struct host_port hp;
        if (host_port_parse(value, -1, 0, "http01_listen", &hp, &perr) != 0) {
            deploy_error_set(err, 0, "%s: %s", where, perr.message);
            return -1;
        }
        free(c->http01_listen);
        c->http01_listen = xstrdup(value);
        return 0;
    }
    case S_CERT_DIR:
        if (!*value) {
            deploy_error_set(err, 0, "%s: the certificate directory is empty", where);
            return -1;
        }
        free(c->cert_dir);
        c->cert_dir = xstrdup(value);
        return 0;
    case S_OVERWRITE:
    case S_PREFLIGHT: {
        bool b;
        if (parse_bool(value, &b) != 0) {
            deploy_error_set(err, 0, "%s: \"%.60s\" is not true/false (yes/no, on/off, 1/0)",
                             where, value);
            return -1;
        }
        if (s == S_OVERWRITE)
            c->cert_overwrite = b;
        else
            c->preflight = b;
        return 0;
    }
    case S_TIMEOUT: {
        double secs;
        if (vault_config_parse_duration(value, &secs) != 0 || secs < 0.1 || secs > 120) {
            deploy_error_set(err, 0, "%s: \"%.60s\" is not a duration from 0.1s to 120s "
                             "(e.g. 5s, 500ms)", where, value);
            return -1;
        }
        c->checks.timeout_ms = (long)(secs * 1000 + 0.5);
        return 0;
    }
    case S_HTTP_PORT:
    case S_TLS_PORT: {
        int port;
        if (parse_port(value, &port) != 0) {
            deploy_error_set(err, 0, "%s: \"%.60s\" is not a port number (1-65535)", where,
                             value);
            return -1;
        }
        if (s == S_HTTP_PORT)
            c->checks.http01_port = port;
        else
            c->checks.tlsalpn01_port = port;
        return 0;
    }
    case S_DNS: {
        struct host_port hp;
        if (*value && host_port_parse(value, 53, 0, "preflight_dns_server", &hp, &perr) != 0) {
            deploy_error_set(err, 0, "%s: %s", where, perr.message);
            return -1;
        }
        free(c->checks.dns_server);
        c->checks.dns_server = *value ? xstrdup(value) : NULL; /* "" = system resolver */
        return 0;
    }
    case S_RESOLVE:
        if (resolve_map_add(&c->checks.resolve, value, &perr) != 0) {
            deploy_error_set(err, 0, "%s: %s", where, perr.message);
            return -1;
        }
        return 0;
    case S_NO_PREFLIGHT:
        break;
    }
    return 1;
}

int deploy_config_apply_demo_env(struct deploy_config *c, const char *const *envp,
                                 struct deploy_error *err)
{
    const char *http = env_get(envp, "ACMETOP_DEMO_HTTP01_PORT");
    const char *dns = env_get(envp, "ACMETOP_DEMO_DNS");
    const char *tls = env_get(envp, "ACMETOP_DEMO_TLSALPN01_PORT");
    if (http && *http) {
        char listen[64];
        int port;
        if (parse_port(http, &port) != 0) {
            deploy_error_set(err, 0, "ACMETOP_DEMO_HTTP01_PORT: \"%.60s\" is not a port number",
                             http);
            return -1;
        }
        snprintf(listen, sizeof listen, "127.0.0.1:%d", port);
        free(c->http01_listen);
        c->http01_listen = xstrdup(listen);
        c->checks.http01_port = port;
        /* last entry: entries the operator gave come first and win */
        resolve_map_add(&c->checks.resolve, "*=127.0.0.1", NULL);
    }
    if (dns && *dns && deploy_config_set(c, "preflight_dns_server", dns, "ACMETOP_DEMO_DNS",
                                         err) != 0)
        return -1;
    if (tls && *tls && deploy_config_set(c, "preflight_tlsalpn01_port", tls,
                                         "ACMETOP_DEMO_TLSALPN01_PORT", err) != 0)
        return -1;
    return 0;
}
