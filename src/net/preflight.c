/* preflight: options and dispatch of the pre-flight checks (see
 * preflight.h); each check lives in its own file, what they share in
 * preflight_types.h and preflight_result.c. */
#include "net/preflight.h"

#include <stdlib.h>
#include <string.h>

#include "model/xalloc.h"
#include "net/preflight_dns01.h"
#include "net/preflight_http01.h"
#include "net/preflight_result.h"
#include "net/preflight_tlsalpn01.h"

void preflight_options_init(struct preflight_options *o)
{
    memset(o, 0, sizeof *o);
    o->timeout_ms = PREFLIGHT_DEFAULT_TIMEOUT_MS;
    o->http01_port = 80;
    o->tlsalpn01_port = 443;
    o->dns_server = NULL;
    resolve_map_init(&o->resolve);
}

void preflight_options_free(struct preflight_options *o)
{
    if (!o)
        return;
    free(o->dns_server);
    free(o->test_resolver);
    free(o->test_ns_routes);
    resolve_map_free(&o->resolve);
    preflight_options_init(o);
}

void preflight_options_copy(struct preflight_options *dst, const struct preflight_options *src)
{
    preflight_options_init(dst);
    if (!src)
        return;
    dst->timeout_ms = src->timeout_ms;
    dst->http01_port = src->http01_port;
    dst->tlsalpn01_port = src->tlsalpn01_port;
    dst->dns_server = xstrdup(src->dns_server);
    dst->test_resolver = xstrdup(src->test_resolver);
    dst->test_ns_routes = xstrdup(src->test_ns_routes);
    resolve_map_copy(&dst->resolve, &src->resolve);
}

enum preflight_status preflight_run(const struct preflight_options *o, const char *challenge_type,
                                    const char *identifier, const char *token,
                                    const char *key_authorization, struct preflight_result *out)
{
    if (challenge_type && strcmp(challenge_type, "http-01") == 0)
        return preflight_http01(o, identifier, token, key_authorization, out);
    if (challenge_type && strcmp(challenge_type, "dns-01") == 0)
        return preflight_dns01(o, identifier, key_authorization, out);
    if (challenge_type && strcmp(challenge_type, "tls-alpn-01") == 0)
        return preflight_tlsalpn01(o, identifier, key_authorization, out);
    preflight_result_clear(out);
    char shown[64];
    preflight_text_copy(shown, sizeof shown, challenge_type, challenge_type ? strlen(challenge_type) : 0);
    return preflight_result_set(out, PREFLIGHT_UNREACHABLE,
                                "cannot check a challenge of type \"%s\": acmetop checks "
                                "http-01, dns-01 and tls-alpn-01", shown);
}

