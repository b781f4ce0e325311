/* resolve_map: a host -> address override for the pre-flight checks, like
 * curl's --resolve: "shop.demo.test=127.0.0.1", "*.demo.test=127.0.0.1",
 * "*=127.0.0.1", "v6.test=::1".  Used where the checks must reach a host on
 * loopback that has no real DNS entry (tests, and the demo, where pebble
 * resolves every name to 127.0.0.1 through challtestsrv).  Pure data: no
 * lookups happen here. */
#ifndef ACMETOP_RESOLVE_MAP_H
#define ACMETOP_RESOLVE_MAP_H

#include <stddef.h>

#include "model/parse_error.h"

struct resolve_entry {
    char *pattern; /* lower case: "a.b", "*.b" (any name below b, not b itself), "*" (all) */
    char *address; /* numeric IPv4 or IPv6 literal, without brackets */
};

struct resolve_map {
    struct resolve_entry *entries; /* first match wins */
    size_t count;
};

void resolve_map_init(struct resolve_map *m);
void resolve_map_free(struct resolve_map *m); /* contents; re-inits */
void resolve_map_copy(struct resolve_map *dst, const struct resolve_map *src);

/* Add one or more entries: "PATTERN=ADDRESS", several separated by ',' or
 * white space.  The address must be a numeric IPv4 or IPv6 literal
 * (brackets allowed: "[::1]").  Returns 0, or -1 with err naming the bad
 * entry (nothing added then). */
int resolve_map_add(struct resolve_map *m, const char *spec, struct parse_error *err);

/* The address for host (case-insensitive, a trailing '.' ignored), or NULL
 * when no entry matches: the system resolver decides then. */
const char *resolve_map_lookup(const struct resolve_map *m, const char *host);

#endif
