/* resolve_map: host -> address overrides for the pre-flight checks (see
 * resolve_map.h). */
#include "model/resolve_map.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "model/xalloc.h"

void resolve_map_init(struct resolve_map *m)
{
    m->entries = NULL;
    m->count = 0;
}

void resolve_map_free(struct resolve_map *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->count; i++) {
        free(m->entries[i].pattern);
        free(m->entries[i].address);
    }
    free(m->entries);
    resolve_map_init(m);
}

void resolve_map_copy(struct resolve_map *dst, const struct resolve_map *src)
{
    resolve_map_init(dst);
    if (!src || !src->count)
        return;
    dst->entries = xcalloc(src->count, sizeof *dst->entries);
    for (size_t i = 0; i < src->count; i++) {
        dst->entries[i].pattern = xstrdup(src->entries[i].pattern);
        dst->entries[i].address = xstrdup(src->entries[i].address);
    }
    dst->count = src->count;
}

static bool pattern_ok(const char *p)
{
    if (strcmp(p, "*") == 0)
        return true;
    if (strncmp(p, "*.", 2) == 0)
        p += 2;
    if (!*p || *p == '.')
        return false;
    for (; *p; p++)
        if (!(isalnum((unsigned char)*p) || *p == '-' || *p == '.' || *p == '_'))
            return false;
    return true;
}

/* One "PATTERN=ADDRESS" of len bytes into *e; 0 or -1. */
static int parse_entry(const char *s, size_t len, struct resolve_entry *e, struct parse_error *err)
{
    char *text = xstrndup(s, len);
    char *eq = strchr(text, '=');
    if (!eq || eq == text || !eq[1]) {
        parse_error_set(err, "resolve entry \"%.80s\": expected NAME=ADDRESS, e.g. "
                        "*.demo.test=127.0.0.1", text);
        free(text);
        return -1;
    }
    *eq = '\0';
    char *name = text, *addr = eq + 1;
    size_t nl = strlen(name);
    if (nl > 1 && name[nl - 1] == '.')
        name[nl - 1] = '\0';
    for (char *p = name; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    size_t al = strlen(addr);
    if (al >= 2 && addr[0] == '[' && addr[al - 1] == ']') {
        addr[al - 1] = '\0';
        addr++;
    }
    unsigned char buf[sizeof(struct in6_addr)];
    if (!pattern_ok(name)) {
        parse_error_set(err, "resolve entry \"%.80s=%.60s\": \"%.80s\" is not a host name or "
                        "*.DOMAIN pattern", name, addr, name);
        free(text);
        return -1;
    }
    if (inet_pton(AF_INET, addr, buf) != 1 && inet_pton(AF_INET6, addr, buf) != 1) {
        parse_error_set(err, "resolve entry \"%.80s=%.60s\": \"%.60s\" is not a numeric IPv4 "
                        "or IPv6 address", name, addr, addr);
        free(text);
        return -1;
    }
    e->pattern = xstrdup(name);
    e->address = xstrdup(addr);
    free(text);
    return 0;
}

int resolve_map_add(struct resolve_map *m, const char *spec, struct parse_error *err)
{
    parse_error_clear(err);
    if (!spec) {
        parse_error_set(err, "resolve entry missing");
        return -1;
    }
    struct resolve_entry *added = NULL;
    size_t n = 0;
    const char *p = spec;
    for (;;) {
        while (*p == ',' || isspace((unsigned char)*p))
            p++;
        if (!*p)
            break;
        size_t len = strcspn(p, ", \t\r\n");
        added = xrealloc(added, (n + 1) * sizeof *added);
        if (parse_entry(p, len, &added[n], err) != 0) {
            for (size_t i = 0; i < n; i++) {
                free(added[i].pattern);
                free(added[i].address);
            }
            free(added);
            return -1;
        }
        n++;
        p += len;
    }
    if (!n) {
        parse_error_set(err, "resolve entry empty: expected NAME=ADDRESS, e.g. "
                        "*.demo.test=127.0.0.1");
        return -1;
    }
    m->entries = xrealloc(m->entries, (m->count + n) * sizeof *m->entries);
    memcpy(m->entries + m->count, added, n * sizeof *added);
    m->count += n;
    free(added);
    return 0;
}

static bool entry_matches(const char *pattern, const char *host, size_t hl)
{
    if (strcmp(pattern, "*") == 0)
        return true;
    if (strncmp(pattern, "*.", 2) == 0) {
        const char *suffix = pattern + 1; /* ".domain" */
        size_t sl = strlen(suffix);
        return hl > sl && strncasecmp(host + hl - sl, suffix, sl) == 0;
    }
    return strlen(pattern) == hl && strncasecmp(pattern, host, hl) == 0;
}

const char *resolve_map_lookup(const struct resolve_map *m, const char *host)
{
    if (!m || !host || !*host)
        return NULL;
    size_t hl = strlen(host);
    if (hl > 1 && host[hl - 1] == '.')
        hl--;
    for (size_t i = 0; i < m->count; i++)
        if (entry_matches(m->entries[i].pattern, host, hl))
            return m->entries[i].address;
    return NULL;
}
