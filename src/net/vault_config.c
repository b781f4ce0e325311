/* vault_config: resolving acmetop's settings from flags, environment,
 * config file and defaults (in that order of precedence), validating each
 * value once, with an error that names where the bad value came from.
 * Layering: defaults are set first, then the config file, then the
 * environment, then the flags overwrite what they set. */
#include "net/vault_config.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "model/xalloc.h"

extern char **environ;

#define DEFAULT_CONNECT_TIMEOUT_MS 5000L
#define DEFAULT_TIMEOUT_MS 30000L
#define DEFAULT_MAX_BODY_BYTES ((size_t)64 * 1024 * 1024)
#define DEFAULT_PARALLEL 8
#define DEFAULT_INTERVAL_S 5.0
#define MAX_LINE 4096

/* ---- small helpers ---------------------------------------------------- */

static const char *env_get(const char *const *envp, const char *name)
{
    size_t n = strlen(name);
    for (; envp && *envp; envp++)
        if (strncmp(*envp, name, n) == 0 && (*envp)[n] == '=')
            return *envp + n + 1;
    return NULL;
}

/* Non-empty value of a variable, else NULL (an empty variable is unset,
 * as for the vault CLI). */
static const char *env_nonempty(const char *const *envp, const char *name)
{
    const char *v = env_get(envp, name);
    return v && v[0] ? v : NULL;
}

static void set_str(char **field, const char *value)
{
    free(*field);
    *field = xstrdup(value);
}

static void wipe_free(char *s)
{
    if (s) {
        explicit_bzero(s, strlen(s));
        free(s);
    }
}

static int parse_bool(const char *text, bool *out)
{
    static const char *const yes[] = {"1", "true", "yes", "on", "t", "y"};
    static const char *const no[] = {"0", "false", "no", "off", "f", "n"};
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
        if (strcasecmp(text, yes[i]) == 0) {
            *out = true;
            return 0;
        }
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
        if (strcasecmp(text, no[i]) == 0) {
            *out = false;
            return 0;
        }
    return -1;
}

int vault_config_parse_duration(const char *text, double *seconds)
{
    if (!text)
        return -1;
    while (isspace((unsigned char)*text))
        text++;
    if (!isdigit((unsigned char)*text) && *text != '.')
        return -1;
    char *end;
    errno = 0;
    double v = strtod(text, &end);
    if (errno || end == text || !isfinite(v) || v < 0)
        return -1;
    double unit = 1;
    if (strcmp(end, "") == 0 || strcmp(end, "s") == 0)
        unit = 1;
    else if (strcmp(end, "ms") == 0)
        unit = 0.001;
    else if (strcmp(end, "m") == 0)
        unit = 60;
    else if (strcmp(end, "h") == 0)
        unit = 3600;
    else
        return -1;
    *seconds = v * unit;
    return 0;
}

static int parse_int(const char *text, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (errno || end == text || *end != '\0' || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

/* Trim '/' at both ends into a fresh string. */
static char *trim_slashes(const char *s)
{
    while (*s == '/')
        s++;
    size_t n = strlen(s);
    while (n > 0 && s[n - 1] == '/')
        n--;
    return xstrndup(s, n);
}

static void add_role(struct vault_config *c, const char *role)
{
    c->roles = xrealloc(c->roles, (c->role_count + 1) * sizeof *c->roles);
    c->roles[c->role_count++] = xstrdup(role);
}

static void clear_roles(struct vault_config *c)
{
    for (size_t i = 0; i < c->role_count; i++)
        free(c->roles[i]);
    free(c->roles);
    c->roles = NULL;
    c->role_count = 0;
}

/* ---- one setting, from any source -------------------------------------
 * apply_setting() validates and stores one key = value; `where` names the
 * source for messages ("--parallel", "VAULT_SKIP_VERIFY", "file:3").
 * Returns 0 or -1 with err set. */

enum setting {
    S_ADDR, S_NAMESPACE, S_MOUNT, S_CACERT, S_CAPATH, S_CLIENT_CERT, S_CLIENT_KEY,
    S_TLS_SERVER_NAME, S_SKIP_VERIFY, S_CONNECT_TIMEOUT, S_TIMEOUT, S_PARALLEL, S_ROLE,
    S_INTERVAL, S_THEME, S_COPY_COMMAND
};

static const struct {
    const char *key;
    enum setting setting;
} file_keys[] = {
    {"addr", S_ADDR},
    {"namespace", S_NAMESPACE},
    {"mount", S_MOUNT},
    {"cacert", S_CACERT},
    {"capath", S_CAPATH},
    {"client_cert", S_CLIENT_CERT},
    {"client_key", S_CLIENT_KEY},
    {"tls_server_name", S_TLS_SERVER_NAME},
    {"skip_verify", S_SKIP_VERIFY},
    {"connect_timeout", S_CONNECT_TIMEOUT},
    {"timeout", S_TIMEOUT},
    {"parallel", S_PARALLEL},
    {"role", S_ROLE},
    {"interval", S_INTERVAL},
    {"theme", S_THEME},
    {"copy_command", S_COPY_COMMAND},
};

static int check_addr(const char *value, const char *where, struct vault_error *err)
{
    const char *rest = NULL;
    if (strncasecmp(value, "https://", 8) == 0)
        rest = value + 8;
    else if (strncasecmp(value, "http://", 7) == 0)
        rest = value + 7;
    if (!rest) {
        vault_error_set_config(err,
                               "%s: address \"%.200s\" must start with https:// or http:// "
                               "(e.g. https://vault.example.com:8200)",
                               where, value);
        return -1;
    }
    if (rest[0] == '\0' || rest[0] == '/' || rest[0] == ':') {
        vault_error_set_config(err, "%s: address \"%.200s\" has no host name", where, value);
        return -1;
    }
    for (const char *p = value; *p; p++)
        if ((unsigned char)*p <= ' ' || *p == 0x7f) {
            vault_error_set_config(err, "%s: address contains a space or control character",
                                   where);
            return -1;
        }
    return 0;
}

static int apply_setting(struct vault_config *c, enum setting s, const char *value,
                         const char *where, struct vault_error *err)
{
    double d;
    long l;
    bool b;

    switch (s) {
    case S_ADDR: {
        if (check_addr(value, where, err) != 0)
            return -1;
        size_t n = strlen(value);
        while (n > 0 && value[n - 1] == '/')
            n--;
        free(c->addr);
        c->addr = xstrndup(value, n);
        return 0;
    }
    case S_NAMESPACE:
        free(c->namespace_);
        c->namespace_ = trim_slashes(value);
        if (!c->namespace_[0]) {
            free(c->namespace_);
            c->namespace_ = NULL;
        }
        return 0;
    case S_MOUNT: {
        char *m = trim_slashes(value);
        if (!m[0]) {
            free(m);
            vault_error_set_config(err, "%s: the mount path is empty (default: %s)", where,
                                   VAULT_CONFIG_DEFAULT_MOUNT);
            return -1;
        }
        free(c->mount);
        c->mount = m;
        return 0;
    }
    case S_CACERT:
        set_str(&c->cacert, value);
        return 0;
    case S_CAPATH:
        set_str(&c->capath, value);
        return 0;
    case S_CLIENT_CERT:
        set_str(&c->client_cert, value);
        return 0;
    case S_CLIENT_KEY:
        set_str(&c->client_key, value);
        return 0;
    case S_TLS_SERVER_NAME:
        set_str(&c->tls_server_name, value);
        return 0;
    case S_SKIP_VERIFY:
        if (parse_bool(value, &b) != 0) {
            vault_error_set_config(err, "%s: \"%.100s\" is not a yes/no value (use true or false)",
                                   where, value);
            return -1;
        }
        c->skip_verify = b;
        return 0;
    case S_CONNECT_TIMEOUT:
    case S_TIMEOUT:
        if (vault_config_parse_duration(value, &d) != 0 || d < 0.001 || d > 3600) {
            vault_error_set_config(err,
                                   "%s: \"%.100s\" is not a duration between 1ms and 1h "
                                   "(e.g. 5s, 500ms, 2m)",
                                   where, value);
            return -1;
        }
        if (s == S_CONNECT_TIMEOUT)
            c->connect_timeout_ms = (long)(d * 1000 + 0.5);
        else
            c->timeout_ms = (long)(d * 1000 + 0.5);
        return 0;
    case S_PARALLEL:
        if (parse_int(value, 1, 64, &l) != 0) {
            vault_error_set_config(err, "%s: \"%.100s\" is not a number from 1 to 64", where,
                                   value);
            return -1;
        }
        c->parallel = (int)l;
        return 0;
    case S_ROLE:
        if (!value[0] || strchr(value, '/')) {
            vault_error_set_config(err, "%s: \"%.100s\" is not a role name", where, value);
            return -1;
        }
        add_role(c, value);
        return 0;
    case S_INTERVAL:
        if (vault_config_parse_duration(value, &d) != 0 || d < 0.2 || d > 3600) {
            vault_error_set_config(err,
                                   "%s: \"%.100s\" is not an interval between 0.2s and 1h "
                                   "(e.g. 5s, 1m)",
                                   where, value);
            return -1;
        }
        c->poll_interval_s = d;
        return 0;
    case S_THEME:
        set_str(&c->theme, value);
        return 0;
    case S_COPY_COMMAND:
        set_str(&c->copy_command, value);
        return 0;
    }
    return 0;
}

/* ---- the config file -------------------------------------------------- */

static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n > 0 && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
    return s;
}

/* Strip one pair of matching quotes; "#" inside quotes is kept. */
static int unquote(char *v, const char *where, struct vault_error *err)
{
    size_t n = strlen(v);
    if (n > 0 && (v[0] == '"' || v[0] == '\'')) {
        if (n < 2 || v[n - 1] != v[0]) {
            vault_error_set_config(err, "%s: unterminated quote", where);
            return -1;
        }
        memmove(v, v + 1, n - 2);
        v[n - 2] = '\0';
    }
    return 0;
}

/* Cut a "# comment" that is not inside quotes. */
static void cut_comment(char *line)
{
    char quote = 0;
    for (char *p = line; *p; p++) {
        if (quote) {
            if (*p == quote)
                quote = 0;
        } else if (*p == '"' || *p == '\'') {
            quote = *p;
        } else if (*p == '#' && (p == line || isspace((unsigned char)p[-1]))) {
            *p = '\0';
            return;
        }
    }
}

static int read_config_file(struct vault_config *c, const char *path, bool must_exist,
                            struct vault_error *err)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        if (errno == ENOENT && !must_exist)
            return 0;
        vault_error_set_config(err, "cannot read the config file %s: %s", path, strerror(errno));
        return -1;
    }
    set_str(&c->config_file, path);
    char line[MAX_LINE + 2];
    char where[1200];
    unsigned lineno = 0;
    bool file_roles = false;
    int rc = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        snprintf(where, sizeof where, "%s:%u", path, lineno);
        size_t len = strlen(line);
        if (len > MAX_LINE && line[len - 1] != '\n') {
            vault_error_set_config(err, "%s: line is too long (over %d characters)", where,
                                   MAX_LINE);
            rc = -1;
            break;
        }
        cut_comment(line);
        char *s = trim(line);
        if (!*s)
            continue;
        char *eq = strchr(s, '=');
        if (!eq) {
            vault_error_set_config(err, "%s: expected \"key = value\"", where);
            rc = -1;
            break;
        }
        *eq = '\0';
        char *key = trim(s);
        char *value = trim(eq + 1);
        if (unquote(value, where, err) != 0) {
            rc = -1;
            break;
        }
        if (strcasecmp(key, "token") == 0 || strcasecmp(key, "vault_token") == 0) {
            explicit_bzero(value, strlen(value));
            vault_error_set_config(err,
                                   "%s: the config file must not hold a token: tokens belong in "
                                   "VAULT_TOKEN or ~/.vault-token; remove that line",
                                   where);
            rc = -1;
            break;
        }
        size_t k = 0;
        while (k < sizeof file_keys / sizeof file_keys[0] && strcmp(key, file_keys[k].key) != 0)
            k++;
        if (k == sizeof file_keys / sizeof file_keys[0] && key[0] != '-') {
            /* a setting of the responder, the checks or the certificate files? */
            struct deploy_error derr;
            int drc = deploy_config_set(&c->deploy, key, value, where, &derr);
            if (drc == 0)
                continue;
            if (drc < 0) {
                vault_error_set_config(err, "%s", derr.message);
                rc = -1;
                break;
            }
        }
        if (k == sizeof file_keys / sizeof file_keys[0]) {
            vault_error_set_config(err,
                                   "%s: unknown key \"%.64s\" (known: addr, namespace, mount, "
                                   "cacert, capath, client_cert, client_key, tls_server_name, "
                                   "skip_verify, connect_timeout, timeout, parallel, role, "
                                   "interval, theme, copy_command, http01_listen, cert_dir, "
                                   "cert_overwrite, preflight, preflight_timeout, "
                                   "preflight_http01_port, preflight_tlsalpn01_port, "
                                   "preflight_dns_server, preflight_resolve)",
                                   where, key);
            rc = -1;
            break;
        }
        if (!value[0]) {
            vault_error_set_config(err, "%s: \"%s\" has no value", where, key);
            rc = -1;
            break;
        }
        if (file_keys[k].setting == S_ROLE && !file_roles) {
            clear_roles(c);
            file_roles = true;
        }
        if (apply_setting(c, file_keys[k].setting, value, where, err) != 0) {
            rc = -1;
            break;
        }
    }
    if (rc == 0 && ferror(f)) {
        vault_error_set_config(err, "cannot read the config file %s: %s", path, strerror(errno));
        rc = -1;
    }
    fclose(f);
    explicit_bzero(line, sizeof line);
    return rc;
}

/* ---- the token ---------------------------------------------------------- */

/* ~/.vault-token, trailing whitespace trimmed.  A missing file is no token. */
static int read_token_file(struct vault_config *c, const char *home, struct vault_error *err)
{
    char path[2048];
    snprintf(path, sizeof path, "%s/.vault-token", home);
    FILE *f = fopen(path, "r");
    if (!f) {
        if (errno == ENOENT || errno == ENOTDIR)
            return 0;
        vault_error_set_config(err, "cannot read the token file %s: %s", path, strerror(errno));
        return -1;
    }
    char buf[8192];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    bool more = !feof(f) && fgetc(f) != EOF;
    fclose(f);
    if (more) {
        explicit_bzero(buf, sizeof buf);
        vault_error_set_config(err, "the token file %s is too large to hold a token", path);
        return -1;
    }
    buf[n] = '\0';
    while (n > 0 && isspace((unsigned char)buf[n - 1]))
        buf[--n] = '\0';
    const char *start = buf;
    while (isspace((unsigned char)*start))
        start++;
    int rc = 0;
    if (*start) {
        for (const char *p = start; *p; p++)
            if ((unsigned char)*p < 0x20 || *p == 0x7f) {
                vault_error_set_config(err,
                                       "the token file %s holds more than one line or control "
                                       "characters: it must hold the token alone",
                                       path);
                rc = -1;
                break;
            }
        if (rc == 0) {
            wipe_free(c->token);
            c->token = xstrdup(start);
        }
    }
    explicit_bzero(buf, sizeof buf);
    return rc;
}

/* ---- loading -------------------------------------------------------------- */

static void set_defaults(struct vault_config *c, const char *const *envp)
{
    memset(c, 0, sizeof *c);
    deploy_config_init(&c->deploy, envp);
    c->addr = xstrdup(VAULT_CONFIG_DEFAULT_ADDR);
    c->mount = xstrdup(VAULT_CONFIG_DEFAULT_MOUNT);
    c->connect_timeout_ms = DEFAULT_CONNECT_TIMEOUT_MS;
    c->timeout_ms = DEFAULT_TIMEOUT_MS;
    c->max_body_bytes = DEFAULT_MAX_BODY_BYTES;
    c->parallel = DEFAULT_PARALLEL;
    c->poll_interval_s = DEFAULT_INTERVAL_S;
}

void vault_config_flags_init(struct vault_config_flags *f)
{
    memset(f, 0, sizeof *f);
    f->skip_verify = -1;
}

static const struct {
    const char *name;
    enum setting setting;
} env_vars[] = {
    {"ACMETOP_MOUNT", S_MOUNT},
    {"VAULT_ADDR", S_ADDR},
    {"VAULT_NAMESPACE", S_NAMESPACE},
    {"VAULT_CACERT", S_CACERT},
    {"VAULT_CAPATH", S_CAPATH},
    {"VAULT_CLIENT_CERT", S_CLIENT_CERT},
    {"VAULT_CLIENT_KEY", S_CLIENT_KEY},
    {"VAULT_TLS_SERVER_NAME", S_TLS_SERVER_NAME},
    {"VAULT_SKIP_VERIFY", S_SKIP_VERIFY},
    {"VAULT_CLIENT_TIMEOUT", S_TIMEOUT},
};

static int apply_env(struct vault_config *c, const char *const *envp, struct vault_error *err)
{
    for (size_t i = 0; i < sizeof env_vars / sizeof env_vars[0]; i++) {
        const char *v = env_nonempty(envp, env_vars[i].name);
        if (v && apply_setting(c, env_vars[i].setting, v, env_vars[i].name, err) != 0)
            return -1;
    }
    const char *token = env_nonempty(envp, "VAULT_TOKEN");
    if (token) {
        /* trailing whitespace is a copy-paste accident, never part of a token */
        size_t n = strlen(token);
        while (n > 0 && isspace((unsigned char)token[n - 1]))
            n--;
        wipe_free(c->token);
        c->token = xstrndup(token, n);
        for (const char *p = c->token; *p; p++)
            if ((unsigned char)*p < 0x20 || *p == 0x7f) {
                vault_error_set_config(err, "VAULT_TOKEN contains a control character");
                return -1;
            }
    }
    return 0;
}

/* The deploy flags, in the order given.  --preflight-resolve entries go
 * before the ones from the file and the demo's environment, so the command
 * line wins (the first matching entry is used). */
static int apply_deploy_flags(struct vault_config *c, const struct vault_config_flags *f,
                              struct vault_error *err)
{
    struct deploy_error derr;
    struct deploy_config flags_only;
    deploy_config_init(&flags_only, NULL);
    bool resolve = false;
    int rc = 0;
    for (size_t i = 0; i < f->deploy_count && rc == 0; i++) {
        const char *flag = f->deploy[2 * i], *value = f->deploy[2 * i + 1];
        struct deploy_config *target = &c->deploy;
        if (flag && strcmp(flag, "--preflight-resolve") == 0) {
            target = &flags_only;
            resolve = true;
        }
        int drc = deploy_config_set(target, flag, value, flag, &derr);
        if (drc < 0) {
            vault_error_set_config(err, "%s", derr.message);
            rc = -1;
        } else if (drc > 0) {
            vault_error_set_config(err, "%s is not an option of acmetop", flag ? flag : "?");
            rc = -1;
        }
    }
    if (rc == 0 && resolve) {
        struct resolve_map *old = &c->deploy.checks.resolve;
        for (size_t i = 0; i < old->count; i++) {
            char spec[600];
            snprintf(spec, sizeof spec, "%s=%s", old->entries[i].pattern,
                     old->entries[i].address);
            resolve_map_add(&flags_only.checks.resolve, spec, NULL);
        }
        resolve_map_free(old);
        resolve_map_copy(old, &flags_only.checks.resolve);
    }
    deploy_config_free(&flags_only);
    return rc;
}

static int apply_flags(struct vault_config *c, const struct vault_config_flags *f,
                       struct vault_error *err)
{
    const struct {
        const char *value;
        const char *flag;
        enum setting setting;
    } list[] = {
        {f->addr, "--addr", S_ADDR},
        {f->namespace_, "--namespace", S_NAMESPACE},
        {f->mount, "--mount", S_MOUNT},
        {f->cacert, "--ca-cert", S_CACERT},
        {f->capath, "--ca-path", S_CAPATH},
        {f->client_cert, "--client-cert", S_CLIENT_CERT},
        {f->client_key, "--client-key", S_CLIENT_KEY},
        {f->tls_server_name, "--tls-server-name", S_TLS_SERVER_NAME},
        {f->connect_timeout, "--connect-timeout", S_CONNECT_TIMEOUT},
        {f->timeout, "--timeout", S_TIMEOUT},
        {f->parallel, "--parallel", S_PARALLEL},
        {f->interval, "--interval", S_INTERVAL},
        {f->theme, "--theme", S_THEME},
        {f->copy_command, "--copy-command", S_COPY_COMMAND},
    };
    for (size_t i = 0; i < sizeof list / sizeof list[0]; i++)
        if (list[i].value && apply_setting(c, list[i].setting, list[i].value, list[i].flag, err))
            return -1;
    if (f->skip_verify >= 0)
        c->skip_verify = f->skip_verify != 0;
    if (f->role_count > 0) {
        clear_roles(c);
        for (size_t i = 0; i < f->role_count; i++)
            if (apply_setting(c, S_ROLE, f->roles[i] ? f->roles[i] : "", "--role", err) != 0)
                return -1;
    }
    return apply_deploy_flags(c, f, err);
}

int vault_config_load(struct vault_config *out, const struct vault_config_flags *flags,
                      const char *const *envp, struct vault_error *err)
{
    struct vault_config_flags none;
    if (!flags) {
        vault_config_flags_init(&none);
        flags = &none;
    }
    if (!envp)
        envp = (const char *const *)environ;
    vault_error_clear(err);
    set_defaults(out, envp);

    const char *home = env_nonempty(envp, "HOME");
    const char *xdg = env_nonempty(envp, "XDG_CONFIG_HOME");
    int rc = 0;
    if (flags->config_path) {
        rc = read_config_file(out, flags->config_path, true, err);
    } else if (xdg || home) {
        char path[2048];
        if (xdg)
            snprintf(path, sizeof path, "%s/acmetop/config", xdg);
        else
            snprintf(path, sizeof path, "%s/.config/acmetop/config", home);
        rc = read_config_file(out, path, false, err);
    }
    if (rc == 0 && home)
        rc = read_token_file(out, home, err);
    if (rc == 0)
        rc = apply_env(out, envp, err);
    if (rc == 0) {
        struct deploy_error derr;
        if (deploy_config_apply_demo_env(&out->deploy, envp, &derr) != 0) {
            vault_error_set_config(err, "%s", derr.message);
            rc = -1;
        }
    }
    if (rc == 0)
        rc = apply_flags(out, flags, err);
    if (rc == 0 && out->client_key && !out->client_cert) {
        vault_error_set_config(err, "a client key is set (VAULT_CLIENT_KEY) without a client "
                                    "certificate: set VAULT_CLIENT_CERT too");
        rc = -1;
    }
    if (rc != 0) {
        vault_config_free(out);
        return -1;
    }
    return 0;
}

void vault_config_free(struct vault_config *c)
{
    if (!c)
        return;
    free(c->addr);
    wipe_free(c->token);
    free(c->namespace_);
    free(c->mount);
    free(c->cacert);
    free(c->capath);
    free(c->client_cert);
    free(c->client_key);
    free(c->tls_server_name);
    clear_roles(c);
    free(c->theme);
    free(c->copy_command);
    free(c->config_file);
    deploy_config_free(&c->deploy);
    memset(c, 0, sizeof *c);
}

static bool addr_is_loopback_http(const char *addr)
{
    if (strncasecmp(addr, "http://", 7) != 0)
        return false;
    const char *h = addr + 7;
    static const char *const loop[] = {"127.", "localhost", "[::1]"};
    for (size_t i = 0; i < sizeof loop / sizeof loop[0]; i++)
        if (strncasecmp(h, loop[i], strlen(loop[i])) == 0) {
            char next = h[strlen(loop[i])];
            if (i == 0 || next == '\0' || next == ':' || next == '/')
                return true;
        }
    return false;
}

const char *vault_config_warning(const struct vault_config *c)
{
    if (!c || !c->addr)
        return NULL;
    if (c->skip_verify && strncasecmp(c->addr, "https://", 8) == 0)
        return "TLS verification is OFF (VAULT_SKIP_VERIFY): anyone between you and Vault can "
               "read the token; set VAULT_CACERT instead";
    if (strncasecmp(c->addr, "http://", 7) == 0 && !addr_is_loopback_http(c->addr))
        return "VAULT_ADDR uses http://: the token travels unencrypted; use https://";
    return NULL;
}
