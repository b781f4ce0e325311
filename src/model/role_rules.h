/* role_rules: what the new-order form checks locally before anything goes to
 * Vault: the identifiers the operator typed (split on commas and white
 * space) are DNS names, and the role allows them, by the rules of Vault's
 * PKI roles as GET role/:name describes them:
 *   allowed_domains         the domains the role may issue for
 *   allowed_domain_options  bare_domains  "example.com" allows exactly example.com
 *                           subdomains    allows any name below it (a.b.example.com)
 *                           wildcards     "*.X" is allowed when X itself would be
 *                           globs         an allowed domain holding * or ? is a
 *                                         pattern (fnmatch, * crosses dots)
 * A role whose allowed_domains are not known (not readable, or empty) is
 * not judged here: Vault decides, and its refusal is shown.  Pure. */
#ifndef ACMETOP_ROLE_RULES_H
#define ACMETOP_ROLE_RULES_H

#include <stddef.h>

#include "model/role_info.h"

#define ROLE_RULES_WHY_MAX 320

enum role_rule {
    ROLE_RULE_ALLOWED,  /* a DNS name the role allows */
    ROLE_RULE_UNKNOWN,  /* a DNS name; the role's domains are not known: Vault decides */
    ROLE_RULE_INVALID,  /* not a DNS name (optionally "*." first) */
    ROLE_RULE_DENIED,   /* a DNS name the role does not allow */
};

/* Split text into identifiers: separated by commas and/or white space,
 * lower-cased, a trailing '.' dropped, duplicates dropped, in typed order.
 * Returns the count; *out is a strv (free with strv_free), NULL when 0. */
size_t role_rules_split(const char *text, char ***out);

/* Judge one identifier (as role_rules_split gives it) against role r (NULL:
 * rules unknown).  why (size bytes, may be NULL) says why it is denied or
 * invalid, or "" otherwise. */
enum role_rule role_rules_check(const struct role_info *r, const char *identifier, char *why,
                                size_t size);

/* Does the role list this challenge type in allowed_challenge_types (true
 * when the list is empty or r is NULL: not known)? */
int role_rules_allows_type(const struct role_info *r, const char *challenge_type);

/* "example.com (subdomains, wildcards)" or "any domain (not restricted)";
 * newly allocated, for the role picker. */
char *role_rules_domains_text(const struct role_info *r);

#endif
