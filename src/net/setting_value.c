/* setting_value: checking, normalising and storing one value by the type of
 * its row, and freeing the field again (see setting_value.h).  Every
 * sentence a bad value gets is written here, once per type. */
#include "net/setting_value.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "model/duration.h"
#include "model/host_port.h"
#include "model/renew_window.h"
#include "model/resolve_map.h"
#include "model/strv.h"
#include "model/xalloc.h"

#define FIELD(s, base, type) ((type *)(void *)((char *)(base) + (s)->offset))

/* The noun the messages use for the row's value. */
static const char *noun(const struct setting *s)
{
    if (s->what)
        return s->what;
    switch (s->type) {
    case SETTING_INT:
        return "number";
    case SETTING_DURATION_MS:
    case SETTING_DURATION_S:
        return "duration";
    case SETTING_NAMES:
        return "name";
    case SETTING_RATE:
        return "rate";
    case SETTING_ADDRESS:
        return "address";
    case SETTING_HOST_PORT:
        return s->key;
    default:
        return "value";
    }
}

static const char *article(const char *word)
{
    return word[0] && strchr("aeiou", word[0]) ? "an" : "a";
}

static int parse_bool(const char *text, bool *out)
{
    static const char *const yes[] = {"1", "true", "yes", "on", "t", "y"};
    static const char *const no[] = {"0", "false", "no", "off", "f", "n"};
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
        if (strcasecmp(text, yes[i]) == 0) {
            *out = true;
            return 0;
        }
        if (strcasecmp(text, no[i]) == 0) {
            *out = false;
            return 0;
        }
    }
    return -1;
}

static int parse_long(const char *text, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (errno || end == text || *end != '\0')
        return -1;
    *out = v;
    return 0;
}

/* "\"0\" is not a number from 1 to 64", "... is not an interval from 0.2s to 1h (e.g. ...)" */
static int out_of_range(const struct setting *s, const char *value, struct parse_error *err)
{
    bool duration = s->type == SETTING_DURATION_MS || s->type == SETTING_DURATION_S;
    const char *n = noun(s);
    if (s->min && s->max)
        parse_error_set(err, "\"%.100s\" is not %s %s from %s to %s%s", value, article(n), n,
                        s->min, s->max, duration ? " (e.g. 5s, 500ms, 2m)" : "");
    else
        parse_error_set(err, "\"%.100s\" is not %s %s%s", value, article(n), n,
                        duration ? " (e.g. 5s, 500ms, 2m)" : "");
    return -1;
}

static int check_address(const char *value, struct parse_error *err)
{
    const char *rest = NULL;
    if (strncasecmp(value, "https://", 8) == 0)
        rest = value + 8;
    else if (strncasecmp(value, "http://", 7) == 0)
        rest = value + 7;
    if (!rest) {
        parse_error_set(err,
                        "address \"%.100s\" must start with https:// or http:// "
                        "(e.g. https://vault.example.com:8200)",
                        value);
        return -1;
    }
    if (rest[0] == '\0' || rest[0] == '/' || rest[0] == ':') {
        parse_error_set(err, "address \"%.100s\" has no host name", value);
        return -1;
    }
    for (const char *p = value; *p; p++)
        if ((unsigned char)*p <= ' ' || *p == 0x7f) {
            parse_error_set(err, "address contains a space or control character");
            return -1;
        }
    return 0;
}

/* A fresh copy of s without the characters c at its ends (at_start: both
 * ends, else the end only). */
static char *strip(const char *s, char c, bool at_start)
{
    while (at_start && *s == c)
        s++;
    size_t n = strlen(s);
    while (n > 0 && s[n - 1] == c)
        n--;
    return xstrndup(s, n);
}

/* One element of a list of Vault paths: not empty, no '/' at its ends, no
 * "//", no space, control character, ',' or '*'. */
static bool list_element_ok(const char *e, size_t n)
{
    if (n == 0 || e[0] == '/' || e[n - 1] == '/')
        return false;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)e[i] <= ' ' || e[i] == 0x7f || e[i] == '*' ||
            (e[i] == '/' && e[i + 1] == '/'))
            return false;
    return true;
}

/* "a, b" as "a,b" (fresh), or NULL with err set: an empty element, one
 * with '/' at its ends or inside spaces, or one given twice. */
static char *path_list(const struct setting *s, const char *value, struct parse_error *err)
{
    char *out = xcalloc(1, strlen(value) + 1);
    size_t used = 0;
    for (const char *p = value;;) {
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        const char *e = p;
        while (n > 0 && (*e == ' ' || *e == '\t'))
            e++, n--;
        while (n > 0 && (e[n - 1] == ' ' || e[n - 1] == '\t'))
            n--;
        if (!list_element_ok(e, n)) {
            parse_error_set(err,
                            "\"%.100s\": \"%.*s\" is not %s %s (a list is \"a, b\": each "
                            "one not empty, without '/' at its ends or spaces)",
                            value, (int)(n > 100 ? 100 : n), e, article(noun(s)), noun(s));
            free(out);
            return NULL;
        }
        for (const char *q = out; *q;) {
            size_t m = strcspn(q, ",");
            if (m == n && memcmp(q, e, n) == 0) {
                parse_error_set(err, "\"%.100s\" names \"%.*s\" twice", value,
                                (int)(n > 100 ? 100 : n), e);
                free(out);
                return NULL;
            }
            q += m + (q[m] == ',');
        }
        if (used)
            out[used++] = ',';
        memcpy(out + used, e, n);
        used += n;
        if (!end)
            return out;
        p = end + 1;
    }
}

/* A SETTING_VAULT_PATH's value, fresh: "*" (row any), a list (row list,
 * with a ','), else the path without '/' at its ends.  NULL with err set. */
static char *vault_path(const struct setting *s, const char *value, struct parse_error *err)
{
    if (s->any && strcmp(value, "*") == 0)
        return xstrdup("*");
    if (s->list && strchr(value, ','))
        return path_list(s, value, err);
    return strip(value, '/', true);
}

/* Store text (owned) into the row's char * field: "" unsets it, unless the
 * row has a default. */
static int store_text(const struct setting *s, void *base, char *text, struct parse_error *err)
{
    if (!text[0]) {
        free(text);
        if (s->def || s->def_doc) {
            parse_error_set(err, "the %s is empty%s%s%s", noun(s), s->def ? " (default: " : "",
                            s->def ? s->def : "", s->def ? ")" : "");
            return -1;
        }
        text = NULL;
    }
    char **field = FIELD(s, base, char *);
    free(*field);
    *field = text;
    return 0;
}

/* Insert the entries of spec at position at of m (clamped to its end);
 * *added: how many. */
static int resolve_insert(struct resolve_map *m, size_t at, const char *spec, size_t *added,
                          struct parse_error *err)
{
    struct resolve_map fresh;
    resolve_map_init(&fresh);
    *added = 0;
    if (resolve_map_add(&fresh, spec, err) != 0) {
        resolve_map_free(&fresh);
        return -1;
    }
    if (fresh.count == 0)
        return 0;
    if (at > m->count)
        at = m->count;
    m->entries = xrealloc(m->entries, (m->count + fresh.count) * sizeof *m->entries);
    memmove(m->entries + at + fresh.count, m->entries + at,
            (m->count - at) * sizeof *m->entries);
    memcpy(m->entries + at, fresh.entries, fresh.count * sizeof *fresh.entries);
    m->count += fresh.count;
    *added = fresh.count;
    free(fresh.entries); /* the strings moved into m */
    return 0;
}

int setting_value_apply(const struct setting *s, void *base, const char *value, size_t *pos,
                        struct parse_error *err)
{
    parse_error_clear(err);
    switch (s->type) {
    case SETTING_STRING:
    case SETTING_PATH:
        return store_text(s, base, xstrdup(value), err);
    case SETTING_VAULT_PATH: {
        char *path = vault_path(s, value, err);
        return path ? store_text(s, base, path, err) : -1;
    }
    case SETTING_ADDRESS:
        if (value[0] && check_address(value, err) != 0)
            return -1;
        return store_text(s, base, strip(value, '/', false), err);
    case SETTING_HOST_PORT: {
        struct host_port hp;
        if (value[0] && host_port_parse(value, s->default_port ? s->default_port : -1, 0,
                                        noun(s), &hp, err) != 0)
            return -1;
        return store_text(s, base, xstrdup(value), err);
    }
    case SETTING_BOOL: {
        bool b;
        if (parse_bool(value, &b) != 0) {
            parse_error_set(err, "\"%.100s\" is not a yes/no value (use true or false)", value);
            return -1;
        }
        *FIELD(s, base, bool) = b;
        return 0;
    }
    case SETTING_INT: {
        long v, lo = INT_MIN, hi = INT_MAX;
        if ((s->min && parse_long(s->min, &lo) != 0) || (s->max && parse_long(s->max, &hi) != 0) ||
            parse_long(value, &v) != 0 || v < lo || v > hi)
            return out_of_range(s, value, err);
        *FIELD(s, base, int) = (int)v;
        return 0;
    }
    case SETTING_DURATION_MS:
    case SETTING_DURATION_S: {
        double d, lo = 0, hi = s->type == SETTING_DURATION_MS ? (double)LONG_MAX / 1000.0 : INFINITY;
        if ((s->min && duration_parse(s->min, &lo) != 0) ||
            (s->max && duration_parse(s->max, &hi) != 0) || duration_parse(value, &d) != 0 ||
            d < lo || d > hi)
            return out_of_range(s, value, err);
        if (s->type == SETTING_DURATION_MS)
            *FIELD(s, base, long) = (long)(d * 1000 + 0.5);
        else
            *FIELD(s, base, double) = d;
        return 0;
    }
    case SETTING_RATE: {
        char *end;
        double v = strtod(value, &end), lo = 0, hi = INFINITY;
        if ((s->min && (lo = strtod(s->min, NULL)) < 0) || (s->max && (hi = strtod(s->max, NULL)) < 0) ||
            end == value || *end || !(v >= lo && v <= hi))
            return out_of_range(s, value, err);
        *FIELD(s, base, double) = v;
        return 0;
    }
    case SETTING_NAMES: {
        if (!value[0] || strchr(value, '/')) {
            const char *n = noun(s);
            parse_error_set(err, "\"%.100s\" is not %s %s", value, article(n), n);
            return -1;
        }
        char ***names = FIELD(s, base, char **);
        size_t *count = (size_t *)(void *)((char *)base + s->count_offset);
        if (pos && *pos == 0) {
            strv_free(*names, *count);
            *names = NULL;
            *count = 0;
        }
        strv_push(names, count, value);
        if (pos)
            (*pos)++;
        return 0;
    }
    case SETTING_RESOLVE: {
        struct resolve_map *map = FIELD(s, base, struct resolve_map);
        size_t added;
        if (resolve_insert(map, pos ? *pos : map->count, value, &added, err) != 0)
            return -1;
        if (pos)
            *pos += added;
        return 0;
    }
    case SETTING_RENEW_AT: {
        struct renew_at at;
        if (renew_at_parse(value, &at) != 0) {
            parse_error_set(err, "\"%.100s\" is neither a fraction of the lifetime (2/3, 66%%, "
                                 "0.66) nor a duration before expiry (30d, 720h)", value);
            return -1;
        }
        *FIELD(s, base, struct renew_at) = at;
        return 0;
    }
    }
    parse_error_set(err, "setting of an unknown type");
    return -1;
}

void setting_value_clear(const struct setting *s, void *base)
{
    switch (s->type) {
    case SETTING_STRING:
    case SETTING_PATH:
    case SETTING_ADDRESS:
    case SETTING_VAULT_PATH:
    case SETTING_HOST_PORT: {
        char **field = FIELD(s, base, char *);
        free(*field);
        *field = NULL;
        return;
    }
    case SETTING_NAMES: {
        char ***names = FIELD(s, base, char **);
        size_t *count = (size_t *)(void *)((char *)base + s->count_offset);
        strv_free(*names, *count);
        *names = NULL;
        *count = 0;
        return;
    }
    case SETTING_RESOLVE:
        resolve_map_free(FIELD(s, base, struct resolve_map));
        return;
    case SETTING_BOOL:
    case SETTING_INT:
    case SETTING_DURATION_MS:
    case SETTING_DURATION_S:
    case SETTING_RATE:
    case SETTING_RENEW_AT:
        return;
    }
}
