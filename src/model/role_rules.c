/* role_rules: local checks of new-order identifiers against a role's
 * domain rules (see role_rules.h). */
#include "model/role_rules.h"

#include <ctype.h>
#include <fnmatch.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/strv.h"
#include "model/text_sanitize.h"
#include "model/xalloc.h"

#define DNS_NAME_MAX 253
#define DNS_LABEL_MAX 63

static bool is_sep(char c)
{
    return c == ',' || c == ';' || isspace((unsigned char)c);
}

size_t role_rules_split(const char *text, char ***out)
{
    *out = NULL;
    size_t n = 0;
    const char *p = text ? text : "";
    while (*p) {
        while (*p && is_sep(*p))
            p++;
        const char *start = p;
        while (*p && !is_sep(*p))
            p++;
        size_t len = (size_t)(p - start);
        if (len == 0)
            continue;
        char *id = xstrndup(start, len);
        for (char *q = id; *q; q++)
            *q = (char)tolower((unsigned char)*q);
        size_t l = strlen(id);
        if (l > 1 && id[l - 1] == '.')
            id[l - 1] = '\0';
        bool dup = false;
        for (size_t i = 0; i < n && !dup; i++)
            dup = strcmp((*out)[i], id) == 0;
        if (dup)
            free(id);
        else {
            *out = xrealloc(*out, (n + 1) * sizeof(**out));
            (*out)[n++] = id;
        }
    }
    return n;
}

/* The texts quoted are cut by bytes ("%.150s"), maybe inside a UTF-8
 * character: the sentence is sanitised so a cut one shows as '?'. */
static void say(char *why, size_t size, const char *fmt, const char *a, const char *b)
{
    if (why && size) {
        snprintf(why, size, fmt, a, b ? b : "");
        text_sanitize(why, false);
    }
}

/* A DNS name, optionally "*." first: labels of letters, digits, '-'
 * (not first or last), 1..63 bytes, 253 in all. */
static bool dns_name_ok(const char *id)
{
    const char *name = strncmp(id, "*.", 2) == 0 ? id + 2 : id;
    size_t len = strlen(name);
    if (len == 0 || len > DNS_NAME_MAX)
        return false;
    const char *label = name;
    for (const char *p = name;; p++) {
        if (*p == '.' || *p == '\0') {
            size_t l = (size_t)(p - label);
            if (l == 0 || l > DNS_LABEL_MAX || label[0] == '-' || p[-1] == '-')
                return false;
            if (*p == '\0')
                return true;
            label = p + 1;
            continue;
        }
        if (!isalnum((unsigned char)*p) && *p != '-')
            return false;
    }
}

static bool has_option(const struct role_info *r, const char *opt)
{
    for (size_t i = 0; i < r->allowed_domain_option_count; i++)
        if (r->allowed_domain_options[i] && strcmp(r->allowed_domain_options[i], opt) == 0)
            return true;
    return false;
}

static void lower_copy(char *dst, size_t size, const char *src)
{
    size_t i = 0;
    for (; src[i] && i + 1 < size; i++)
        dst[i] = (char)tolower((unsigned char)src[i]);
    dst[i] = '\0';
    if (i > 1 && dst[i - 1] == '.')
        dst[i - 1] = '\0';
}

static bool plain_allowed(const struct role_info *r, const char *name)
{
    bool bare = has_option(r, "bare_domains"), sub = has_option(r, "subdomains"),
         globs = has_option(r, "globs");
    size_t nl = strlen(name);
    for (size_t i = 0; i < r->allowed_domain_count; i++) {
        char d[DNS_NAME_MAX + 8];
        if (!r->allowed_domains[i])
            continue;
        lower_copy(d, sizeof d, r->allowed_domains[i]);
        if (strchr(d, '*') || strchr(d, '?')) {
            if (globs && fnmatch(d, name, 0) == 0)
                return true;
            continue;
        }
        size_t dl = strlen(d);
        if (bare && strcmp(name, d) == 0)
            return true;
        if (sub && nl > dl + 1 && name[nl - dl - 1] == '.' && strcmp(name + nl - dl, d) == 0)
            return true;
    }
    return false;
}

enum role_rule role_rules_check(const struct role_info *r, const char *identifier, char *why,
                                size_t size)
{
    say(why, size, "", NULL, NULL);
    if (!identifier || !dns_name_ok(identifier)) {
        say(why, size, "\"%.200s\" is not a DNS name%s", identifier ? identifier : "",
            NULL);
        return ROLE_RULE_INVALID;
    }
    if (!r || r->allowed_domain_count == 0)
        return ROLE_RULE_UNKNOWN;
    const char *role = r->name ? r->name : "?";
    if (strncmp(identifier, "*.", 2) == 0) {
        if (!has_option(r, "wildcards")) {
            say(why, size, "role %.100s does not allow wildcards (no \"wildcards\" in its "
                           "allowed_domain_options)%s", role, NULL);
            return ROLE_RULE_DENIED;
        }
        if (plain_allowed(r, identifier + 2) ||
            (has_option(r, "globs") && plain_allowed(r, identifier)))
            return ROLE_RULE_ALLOWED;
    } else if (plain_allowed(r, identifier)) {
        return ROLE_RULE_ALLOWED;
    }
    char *domains = role_rules_domains_text(r);
    char name[DNS_NAME_MAX + 8];
    snprintf(name, sizeof name, "%s", identifier);
    if (why && size) {
        snprintf(why, size, "role %.60s does not allow %.100s: it allows %.150s", role, name,
                 domains);
        text_sanitize(why, false);
    }
    free(domains);
    return ROLE_RULE_DENIED;
}

int role_rules_allows_type(const struct role_info *r, const char *challenge_type)
{
    if (!r || r->allowed_challenge_type_count == 0)
        return 1;
    for (size_t i = 0; i < r->allowed_challenge_type_count; i++)
        if (r->allowed_challenge_types[i] && challenge_type &&
            strcmp(r->allowed_challenge_types[i], challenge_type) == 0)
            return 1;
    return 0;
}

char *role_rules_domains_text(const struct role_info *r)
{
    if (!r || r->allowed_domain_count == 0)
        return xstrdup("any domain as far as acmetop knows (Vault decides)");
    char *domains = strv_join((const char *const *)r->allowed_domains, r->allowed_domain_count,
                              ", ");
    char *opts = r->allowed_domain_option_count
                     ? strv_join((const char *const *)r->allowed_domain_options,
                                 r->allowed_domain_option_count, ", ")
                     : xstrdup("no options: nothing matches");
    size_t n = strlen(domains) + strlen(opts) + 8;
    char *out = xmalloc(n);
    snprintf(out, n, "%s (%s)", domains, opts);
    free(domains);
    free(opts);
    return out;
}
