/* vault_config: reading acmetop's settings from flags, environment,
 * config file and defaults (in that order of precedence), each value
 * checked once by its row of the settings table, with an error that names
 * where the bad value came from.
 * Layering: defaults are set first, then the config file's top-level
 * lines, then the lines of the chosen [context NAME] (kept from the
 * reading, checked as they were read), then the environment, then the
 * flags overwrite what they set.  A repeatable
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
#include "net/context_section.h"
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

/* A key = value line of a [context NAME] section, kept: it applies only when
 * its context is chosen, after every top-level line. */
struct file_line {
    char *key, *value;
    unsigned line;
};

/* What the file says beyond its top-level lines (those are applied as they
 * are read).  sections[i] holds the lines of out->contexts[i]. */
struct config_text {
    struct file_section {
        struct file_line *lines;
        size_t count;
    } *sections;
    unsigned context_line; /* the top-level "context = NAME" line; 0: none */
    /* the section being read: its values are checked on a scratch config */
    struct vault_config *scratch;
    size_t *scratch_source;
};

static void config_text_free(struct config_text *t, size_t count)
{
    for (size_t i = 0; t->sections && i < count; i++) {
        for (size_t j = 0; j < t->sections[i].count; j++) {
            free(t->sections[i].lines[j].key);
            free(t->sections[i].lines[j].value);
        }
        free(t->sections[i].lines);
    }
    free(t->sections);
    free(t->scratch_source);
    if (t->scratch) {
        vault_config_free(t->scratch);
        free(t->scratch);
    }
    memset(t, 0, sizeof *t);
}

/* The section being read ends: what it set of addr, namespace, mount and
 * readonly goes into its struct vault_context. */
static void section_end(struct vault_config *c, struct config_text *t)
{
    if (!t->scratch)
        return;
    struct vault_context *ctx = &c->contexts[c->context_count - 1];
    ctx->addr = t->scratch->addr;
    ctx->namespace_ = t->scratch->namespace_;
    ctx->mount = t->scratch->mount;
    ctx->readonly = t->scratch->readonly;
    t->scratch->addr = t->scratch->namespace_ = t->scratch->mount = NULL;
    vault_config_free(t->scratch);
    free(t->scratch);
    t->scratch = NULL;
    free(t->scratch_source);
    t->scratch_source = NULL;
}

/* A "[context NAME]" line at path:lineno: a new context. */
static int section_begin(struct vault_config *c, struct config_text *t, const char *line,
                         const char *path, unsigned lineno, const char *where,
                         struct vault_error *err)
{
    struct parse_error perr;
    char *name = context_section_header(line, &perr);
    if (!name) {
        vault_error_set_config(err, "%s: %s", where, perr.message);
        return -1;
    }
    for (size_t i = 0; i < c->context_count; i++)
        if (strcmp(c->contexts[i].name, name) == 0) {
            vault_error_set_config(err, "%s: context \"%s\" is defined twice (first at %s:%u)",
                                   where, name, path, c->contexts[i].line);
            free(name);
            return -1;
        }
    section_end(c, t);
    size_t n = c->context_count;
    c->contexts = xrealloc(c->contexts, (n + 1) * sizeof *c->contexts);
    t->sections = xrealloc(t->sections, (n + 1) * sizeof *t->sections);
    memset(&c->contexts[n], 0, sizeof c->contexts[n]);
    memset(&t->sections[n], 0, sizeof t->sections[n]);
    c->contexts[n].name = name;
    c->contexts[n].line = lineno;
    c->context_count = n + 1;
    t->scratch = xcalloc(1, sizeof *t->scratch);
    t->scratch_source = source_begin();
    return 0;
}

/* key = value inside the section being read: checked now (on the scratch
 * config), kept for when the context is chosen. */
static int section_line(struct vault_config *c, struct config_text *t, const char *key,
                        const char *value, unsigned lineno, const char *where,
                        struct vault_error *err)
{
    struct vault_context *ctx = &c->contexts[c->context_count - 1];
    const struct setting *setting = settings_table_find_key(key);
    struct parse_error perr;
    if (strcmp(key, "color") == 0) {
        char *color = context_section_color(value, &perr);
        if (!color) {
            vault_error_set_config(err, "%s: %s", where, perr.message);
            return -1;
        }
        free(ctx->color);
        ctx->color = color;
    } else if (strcmp(key, "context") == 0) {
        vault_error_set_config(err, "%s: \"context\" chooses a context at the top of the file; "
                                    "it cannot be set inside [context %s]",
                               where, ctx->name);
        return -1;
    } else if (strcmp(key, "token_file") != 0) {
        if (!setting) {
            char known[2048];
            known_keys(known, sizeof known);
            vault_error_set_config(err, "%s: unknown key \"%.64s\" in [context %s] (known: %s, "
                                        "token_file, color)",
                                   where, key, ctx->name, known);
            return -1;
        }
        if (apply(t->scratch, setting, value, where, t->scratch_source, err) != 0)
            return -1;
    }
    struct file_section *sec = &t->sections[c->context_count - 1];
    sec->lines = xrealloc(sec->lines, (sec->count + 1) * sizeof *sec->lines);
    sec->lines[sec->count++] = (struct file_line){xstrdup(key), xstrdup(value), lineno};
    return 0;
}

/* key = value before the first section: applied now. */
static int top_line(struct vault_config *c, struct config_text *t, const char *key,
                    const char *value, unsigned lineno, const char *where, size_t *source,
                    struct vault_error *err)
{
    const struct setting *setting = settings_table_find_key(key);
    if (!setting) {
        char known[2048];
        known_keys(known, sizeof known);
        bool section_only = strcmp(key, "color") == 0 || strcmp(key, "token_file") == 0;
        vault_error_set_config(err, "%s: unknown key \"%.64s\" (known: %s)%s", where, key, known,
                               section_only ? "; token_file and color belong in a "
                                              "[context NAME] section"
                                            : "");
        return -1;
    }
    if (strcmp(key, "context") == 0)
        t->context_line = lineno;
    return apply(c, setting, value, where, source, err);
}

/* Read the file: the top-level lines into c, the sections into c->contexts
 * and t.  A file that does not exist is no error unless must_exist. */
static int read_config_file(struct vault_config *c, struct config_text *t, const char *path,
                            bool must_exist, struct vault_error *err)
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
        if (*s == '[') {
            rc = section_begin(c, t, s, path, lineno, where, err);
            continue;
        }
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
                                   "VAULT_TOKEN or ~/.vault-token (or a context's "
                                   "token_file); remove that line",
                                   where);
            rc = -1;
        } else if (!value[0]) {
            vault_error_set_config(err, "%s: \"%.64s\" has no value", where, key);
            rc = -1;
        } else if (c->context_count) {
            rc = section_line(c, t, key, value, lineno, where, err);
        } else {
            rc = top_line(c, t, key, value, lineno, where, source, err);
        }
    }
    if (rc == 0 && ferror(f)) {
        vault_error_set_config(err, "cannot read the config file %s: %s", path, strerror(errno));
        rc = -1;
    }
    if (rc == 0)
        section_end(c, t);
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

/* The token file at path, trailing whitespace trimmed.  A missing file is
 * no token, unless must_exist.  pre goes in front of every sentence
 * ("FILE:4: context \"prod\": "). */
static int read_token_file(struct vault_config *c, const char *path, bool must_exist,
                           const char *pre, struct vault_error *err)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        if ((errno == ENOENT || errno == ENOTDIR) && !must_exist)
            return 0;
        if (errno == ENOENT)
            vault_error_set_config(err, "%sthe token file %s does not exist", pre, path);
        else
            vault_error_set_config(err, "%scannot read the token file %s: %s", pre, path,
                                   strerror(errno));
        return -1;
    }
    check_token_file(c, path, f);
    char buf[8192];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    bool more = !feof(f) && fgetc(f) != EOF;
    fclose(f);
    if (more) {
        explicit_bzero(buf, sizeof buf);
        vault_error_set_config(err, "%sthe token file %s is too large to hold a token", pre,
                               path);
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
                                       "%sthe token file %s holds more than one line or control "
                                       "characters: it must hold the token alone",
                                       pre, path);
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

/* ---- the context -------------------------------------------------------- */

/* The name of the context chosen, or NULL (none, or ""), and where it was
 * chosen into where ("" for override). */
static const char *chosen_context(const struct vault_config *c, const struct config_text *t,
                                  const struct vault_config_flags *f, const char *const *envp,
                                  const char *override, char *where, size_t size)
{
    const char *name = NULL;
    where[0] = '\0';
    if (override) {
        name = override;
    } else {
        for (size_t i = f->arg_count; i-- > 0 && !name;)
            if (f->args[i].flag && strcmp(f->args[i].flag, "context") == 0 && f->args[i].value) {
                name = f->args[i].value;
                snprintf(where, size, "--context: ");
            }
        if (!name && (name = env_nonempty(envp, "ACMETOP_CONTEXT")))
            snprintf(where, size, "ACMETOP_CONTEXT: ");
        if (!name && (name = c->context))
            snprintf(where, size, "%s:%u: ", c->config_file, t->context_line);
    }
    return name && name[0] ? name : NULL;
}

/* Apply the lines of context name (after the file's top-level lines):
 * its settings into c, its colour, and its token_file into *token_file
 * (with *token_line).  path: the config file read, NULL if none; looked:
 * where it was looked for. */
static int apply_context(struct vault_config *c, const struct config_text *t, const char *name,
                         const char *origin, const char *looked, const char **token_file,
                         unsigned *token_line, struct vault_error *err)
{
    size_t i = 0;
    while (i < c->context_count && strcmp(c->contexts[i].name, name) != 0)
        i++;
    if (i == c->context_count) {
        if (!c->config_file) {
            vault_error_set_config(err, "%sno context \"%.64s\": there is no config file%s%s%s",
                                   origin, name, looked ? " (" : "", looked ? looked : "",
                                   looked ? ")" : "");
            return -1;
        }
        char known[2048] = "";
        size_t used = 0;
        for (size_t k = 0; k < c->context_count && used < sizeof known; k++)
            used += (size_t)snprintf(known + used, sizeof known - used, "%s%s",
                                     k ? ", " : "", c->contexts[k].name);
        if (c->context_count)
            vault_error_set_config(err, "%sno context \"%.64s\" in %s (known: %s)", origin, name,
                                   c->config_file, known);
        else
            vault_error_set_config(err, "%sno context \"%.64s\" in %s (no contexts are defined)",
                                   origin, name, c->config_file);
        return -1;
    }
    size_t *source = source_begin();
    int rc = 0;
    char where[1200];
    for (size_t k = 0; k < t->sections[i].count && rc == 0; k++) {
        const struct file_line *l = &t->sections[i].lines[k];
        snprintf(where, sizeof where, "%s:%u", c->config_file, l->line);
        if (strcmp(l->key, "token_file") == 0) {
            *token_file = l->value;
            *token_line = l->line;
        } else if (strcmp(l->key, "color") != 0) {
            rc = apply(c, settings_table_find_key(l->key), l->value, where, source, err);
        }
    }
    free(source);
    free(c->context_color);
    c->context_color = c->contexts[i].color ? xstrdup(c->contexts[i].color) : NULL;
    return rc;
}

/* ---- loading ------------------------------------------------------------ */

/* The environment beats a context (as for the vault CLI), which surprises
 * whoever switches to prod with VAULT_ADDR still exported: say so. */
static void warn_env_over_context(struct vault_config *c, const char *const *envp)
{
    static const char *const names[] = {"VAULT_ADDR", "VAULT_TOKEN", "VAULT_NAMESPACE",
                                        "ACMETOP_MOUNT"};
    char set[200] = "";
    size_t k = 0;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (env_nonempty(envp, names[i]))
            k += (size_t)snprintf(set + k, sizeof set - k, "%s%s", k ? ", " : "", names[i]);
    if (!k)
        return;
    char text[600];
    snprintf(text, sizeof text, "%s in the environment override%s context %s's settings", set,
             strchr(set, ',') ? "" : "s", c->context);
    size_t len = (c->warnings ? strlen(c->warnings) + 2 : 0) + strlen(text) + 1;
    char *all = xcalloc(1, len);
    snprintf(all, len, "%s%s%s", c->warnings ? c->warnings : "", c->warnings ? "; " : "", text);
    free(c->warnings);
    c->warnings = all;
}

static int load(struct vault_config *out, const struct vault_config_flags *flags,
                const char *const *envp, const char *override, struct vault_error *err)
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
    struct config_text text;
    memset(&text, 0, sizeof text);
    char looked[2048] = "";
    int rc = 0;
    if (flags->config_path) {
        rc = read_config_file(out, &text, flags->config_path, true, err);
    } else if (xdg || home) {
        if (xdg)
            snprintf(looked, sizeof looked, "%s/acmetop/config", xdg);
        else
            snprintf(looked, sizeof looked, "%s/.config/acmetop/config", home);
        rc = read_config_file(out, &text, looked, false, err);
    }
    size_t contexts_read = out->context_count;
    const char *token_file = NULL;
    unsigned token_line = 0;
    char origin[1300];
    const char *name = rc == 0 ? chosen_context(out, &text, flags, envp, override, origin,
                                                sizeof origin)
                               : NULL;
    if (name)
        rc = apply_context(out, &text, name, origin, looked[0] ? looked : NULL, &token_file,
                           &token_line, err);
    if (rc == 0 && !env_nonempty(envp, "VAULT_TOKEN")) { /* else no file is used */
        if (token_file) {
            char pre[1400];
            snprintf(pre, sizeof pre, "%s:%u: context \"%s\": ", out->config_file, token_line,
                     name);
            rc = read_token_file(out, token_file, true, pre, err);
        } else if (home) {
            char path[2048];
            snprintf(path, sizeof path, "%s/.vault-token", home);
            rc = read_token_file(out, path, false, "", err);
        }
    }
    config_text_free(&text, contexts_read);
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
    if (rc == 0 && override) {
        /* as if --context override came last */
        free(out->context);
        out->context = xstrdup(override);
    }
    if (rc == 0 && !name) { /* none chosen: an empty --context or ACMETOP_CONTEXT is none */
        free(out->context);
        out->context = NULL;
    }
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
    if (name)
        warn_env_over_context(out, envp);
    return 0;
}

int vault_config_load(struct vault_config *out, const struct vault_config_flags *flags,
                      const char *const *envp, struct vault_error *err)
{
    return load(out, flags, envp, NULL, err);
}

int vault_config_load_context(struct vault_config *out, const struct vault_config_flags *flags,
                              const char *const *envp, const char *name, struct vault_error *err)
{
    return load(out, flags, envp, name, err);
}

void vault_config_free(struct vault_config *c)
{
    if (!c)
        return;
    wipe_free(c->token);
    free(c->config_file);
    free(c->context_color);
    context_section_free_list(c->contexts, c->context_count);
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
