/* vault_config: reading acmetop's settings from flags, environment,
 * config file and defaults (in that order of precedence), each value
 * checked once by its row of the settings table, with an error that names
 * where the bad value came from.
 * Layering: defaults are set first, then the config file, then the
 * environment, then the flags overwrite what they set.  A repeatable
 * setting is counted per source (setting_value_apply()'s pos), so that a
 * stronger source replaces or goes before what a weaker one gave. */
#include "net/vault_config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model/xalloc.h"
#include "net/env_lookup.h"
#include "net/setting_value.h"
#include "net/settings_table.h"

extern char **environ;

#define DEFAULT_MAX_BODY_BYTES ((size_t)64 * 1024 * 1024)
#define MAX_LINE 4096

static void compose_warnings(struct vault_config *c);

/* ---- small helpers ---------------------------------------------------- */

/* Non-empty value of a variable, else NULL (an empty variable is unset,
 * as for the vault CLI). */
static const char *env_nonempty(const char *const *envp, const char *name)
{
    const char *v = env_lookup(envp, name);
    return v && v[0] ? v : NULL;
}

static void wipe_free(char *s)
{
    if (s) {
        explicit_bzero(s, strlen(s));
        free(s);
    }
}

/* ---- one setting, from any source -------------------------------------
 * A source (the file, the environment, the flags) starts with fresh
 * per-row counters (source_begin()); apply() checks and stores one value,
 * `where` names the source for messages ("--parallel", "VAULT_SKIP_VERIFY",
 * "file:3").  Returns 0 or -1 with err set. */

static size_t *source_begin(void)
{
    size_t n;
    settings_table(&n);
    return xcalloc(n, sizeof(size_t));
}

static int apply(struct vault_config *c, const struct setting *s, const char *value,
                 const char *where, size_t *source, struct vault_error *err)
{
    size_t n;
    const struct setting *rows = settings_table(&n);
    void *base = s->scope == SETTING_DEPLOY ? (void *)&c->deploy : (void *)c;
    struct parse_error perr;
    if (setting_value_apply(s, base, value, &source[s - rows], &perr) != 0) {
        vault_error_set_config(err, "%s: %s", where, perr.message);
        return -1;
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

/* "addr, namespace, ...": every key of the table, for the unknown-key message. */
static void known_keys(char *buf, size_t size)
{
    size_t n, used = 0;
    const struct setting *rows = settings_table(&n);
    buf[0] = '\0';
    for (size_t i = 0; i < n && used < size; i++)
        if (rows[i].key)
            used += (size_t)snprintf(buf + used, size - used, "%s%s", used ? ", " : "",
                                     rows[i].key);
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
    free(c->config_file);
    c->config_file = xstrdup(path);
    char line[MAX_LINE + 2];
    char where[1200];
    unsigned lineno = 0;
    size_t *source = source_begin();
    int rc = 0;
    while (rc == 0 && fgets(line, sizeof line, f)) {
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
        const struct setting *setting = settings_table_find_key(key);
        if (!setting) {
            char known[1024];
            known_keys(known, sizeof known);
            vault_error_set_config(err, "%s: unknown key \"%.64s\" (known: %s)", where, key,
                                   known);
            rc = -1;
        } else if (!value[0]) {
            vault_error_set_config(err, "%s: \"%s\" has no value", where, key);
            rc = -1;
        } else {
            rc = apply(c, setting, value, where, source, err);
        }
    }
    if (rc == 0 && ferror(f)) {
        vault_error_set_config(err, "cannot read the config file %s: %s", path, strerror(errno));
        rc = -1;
    }
    fclose(f);
    free(source);
    explicit_bzero(line, sizeof line);
    return rc;
}

/* ---- the token ---------------------------------------------------------- */

/* Why the token file at path (open as f) is not private to the user, like
 * ssh's StrictModes, into c->token_file_warning; nothing when it is. */
static void check_token_file(struct vault_config *c, const char *path, FILE *f)
{
    struct stat link, st;
    char why[2200] = "";
    if (lstat(path, &link) == 0 && S_ISLNK(link.st_mode))
        snprintf(why, sizeof why, "is a symbolic link");
    else if (fstat(fileno(f), &st) != 0)
        return;
    else if (st.st_uid != geteuid())
        snprintf(why, sizeof why, "belongs to uid %lu, not to you (uid %lu)",
                 (unsigned long)st.st_uid, (unsigned long)geteuid());
    else if (st.st_mode & (S_IRWXG | S_IRWXO))
        snprintf(why, sizeof why, "can be read or changed by others (mode %04o): chmod 600 %s",
                 (unsigned)(st.st_mode & 07777), path);
    if (!why[0])
        return;
    char text[4400];
    snprintf(text, sizeof text, "the token file %s %s", path, why);
    free(c->token_file_warning);
    c->token_file_warning = xstrdup(text);
}

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
    check_token_file(c, path, f);
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
    settings_table_defaults(SETTING_VAULT, c);
    settings_table_defaults(SETTING_CONSOLE, c);
    settings_table_defaults(SETTING_MONITOR, c);
    deploy_config_init(&c->deploy, envp);
    c->max_body_bytes = DEFAULT_MAX_BODY_BYTES;
}

void vault_config_flags_init(struct vault_config_flags *f)
{
    memset(f, 0, sizeof *f);
}

static int apply_env(struct vault_config *c, const char *const *envp, struct vault_error *err)
{
    size_t n;
    const struct setting *rows = settings_table(&n);
    size_t *source = source_begin();
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        const char *v = rows[i].env ? env_nonempty(envp, rows[i].env) : NULL;
        if (v)
            rc = apply(c, &rows[i], v, rows[i].env, source, err);
    }
    free(source);
    if (rc != 0)
        return -1;
    const char *token = env_nonempty(envp, "VAULT_TOKEN");
    if (token) {
        /* trailing whitespace is a copy-paste accident, never part of a token */
        size_t len = strlen(token);
        while (len > 0 && isspace((unsigned char)token[len - 1]))
            len--;
        wipe_free(c->token);
        c->token = xstrndup(token, len);
        for (const char *p = c->token; *p; p++)
            if ((unsigned char)*p < 0x20 || *p == 0x7f) {
                vault_error_set_config(err, "VAULT_TOKEN contains a control character");
                return -1;
            }
    }
    return 0;
}

/* The flags, in the order given.  A flag without argument sets the value
 * of its row's flag_sets. */
static int apply_flags(struct vault_config *c, const struct vault_config_flags *f,
                       struct vault_error *err)
{
    size_t *source = source_begin();
    int rc = 0;
    for (size_t i = 0; i < f->arg_count && rc == 0; i++) {
        const struct setting_arg *a = &f->args[i];
        const struct setting *s = settings_table_find_flag(a->flag);
        char where[80];
        snprintf(where, sizeof where, "--%s", a->flag ? a->flag : "?");
        rc = -1;
        if (!s)
            vault_error_set_config(err, "%s is not an option of acmetop", where);
        else if (s->flag_sets && a->value)
            vault_error_set_config(err, "%s takes no value", where);
        else if (!s->flag_sets && !a->value)
            vault_error_set_config(err, "%s: a value is missing", where);
        else
            rc = apply(c, s, s->flag_sets ? s->flag_sets : a->value, where, source, err);
    }
    free(source);
    return rc;
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
    free(out->addr); /* NULL until a source gives one: then it is known to be defaulted */
    out->addr = NULL;

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
    if (rc == 0 && home && !env_nonempty(envp, "VAULT_TOKEN")) /* else the file is not used */
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
        vault_error_set_config(err, "a client key is set (client_key, VAULT_CLIENT_KEY or "
                                    "--client-key) without a client certificate: set client_cert "
                                    "(VAULT_CLIENT_CERT or --client-cert) too");
        rc = -1;
    }
    if (rc != 0) {
        vault_config_free(out);
        return -1;
    }
    if (!out->addr) {
        out->addr = xstrdup(settings_table_find_key("addr")->def);
        out->addr_defaulted = true;
    }
    compose_warnings(out);
    return 0;
}

void vault_config_free(struct vault_config *c)
{
    if (!c)
        return;
    wipe_free(c->token);
    free(c->config_file);
    free(c->token_file_warning);
    free(c->warnings);
    settings_table_clear(SETTING_VAULT, c);
    settings_table_clear(SETTING_CONSOLE, c);
    settings_table_clear(SETTING_MONITOR, c);
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

static const char *transport_warning(const struct vault_config *c)
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

/* Every warning that applies, joined by "; ", into c->warnings. */
static void compose_warnings(struct vault_config *c)
{
    const char *parts[] = {transport_warning(c), c->token_file_warning};
    size_t len = 1;
    for (size_t i = 0; i < 2; i++)
        len += parts[i] ? strlen(parts[i]) + 2 : 0;
    free(c->warnings);
    c->warnings = NULL;
    if (len == 1)
        return;
    c->warnings = xcalloc(1, len);
    for (size_t i = 0; i < 2; i++)
        if (parts[i]) {
            if (c->warnings[0])
                strcat(c->warnings, "; ");
            strcat(c->warnings, parts[i]);
        }
}

const char *vault_config_warning(const struct vault_config *c)
{
    return c ? c->warnings : NULL;
}
