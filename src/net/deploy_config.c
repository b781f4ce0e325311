/* deploy_config: the deploy settings' struct, defaults, set-by-name and the
 * demo's environment (see deploy_config.h); the keys, types and limits are
 * rows of net/settings_table.c. */
#include "net/deploy_config.h"

#include <stdio.h>
#include <string.h>

#include "model/xalloc.h"
#include "net/env_lookup.h"
#include "net/setting_value.h"
#include "net/settings_table.h"

void deploy_config_init(struct deploy_config *c, const char *const *envp)
{
    memset(c, 0, sizeof *c);
    preflight_options_init(&c->checks);
    settings_table_defaults(SETTING_DEPLOY, c);
    const char *xdg = env_lookup(envp, "XDG_DATA_HOME");
    const char *home = env_lookup(envp, "HOME");
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
    settings_table_clear(SETTING_DEPLOY, c);
    preflight_options_free(&c->checks);
    memset(c, 0, sizeof *c);
}

int deploy_config_set(struct deploy_config *c, const char *key, const char *value,
                      const char *origin, struct deploy_error *err)
{
    const struct setting *s = settings_table_find_key(key);
    if (!s || s->scope != SETTING_DEPLOY)
        return 1;
    const char *where = origin ? origin : key;
    if (!value) {
        deploy_error_set(err, 0, "%s: a value is missing", where);
        return -1;
    }
    struct parse_error perr;
    if (setting_value_apply(s, c, value, NULL, &perr) != 0) {
        deploy_error_set(err, 0, "%s: %s", where, perr.message);
        return -1;
    }
    return 0;
}

int deploy_config_apply_demo_env(struct deploy_config *c, const char *const *envp,
                                 struct deploy_error *err)
{
    const char *http = env_lookup(envp, "ACMETOP_DEMO_HTTP01_PORT");
    const char *dns = env_lookup(envp, "ACMETOP_DEMO_DNS");
    const char *tls = env_lookup(envp, "ACMETOP_DEMO_TLSALPN01_PORT");
    if (http && *http) {
        const char *origin = "ACMETOP_DEMO_HTTP01_PORT";
        if (deploy_config_set(c, "preflight_http01_port", http, origin, err) != 0)
            return -1;
        char listen[64];
        snprintf(listen, sizeof listen, "127.0.0.1:%d", c->checks.http01_port);
        /* last entry: entries the operator gave come first and win */
        if (deploy_config_set(c, "http01_listen", listen, origin, err) != 0 ||
            deploy_config_set(c, "preflight_resolve", "*=127.0.0.1", origin, err) != 0)
            return -1;
    }
    if (dns && *dns && deploy_config_set(c, "preflight_dns_server", dns, "ACMETOP_DEMO_DNS",
                                         err) != 0)
        return -1;
    if (tls && *tls) {
        const char *origin = "ACMETOP_DEMO_TLSALPN01_PORT";
        if (deploy_config_set(c, "preflight_tlsalpn01_port", tls, origin, err) != 0)
            return -1;
        char listen[64];
        snprintf(listen, sizeof listen, "127.0.0.1:%d", c->checks.tlsalpn01_port);
        if (deploy_config_set(c, "tlsalpn01_listen", listen, origin, err) != 0 ||
            (!(http && *http) &&
             deploy_config_set(c, "preflight_resolve", "*=127.0.0.1", origin, err) != 0))
            return -1;
    }
    return 0;
}
