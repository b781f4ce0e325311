/* preflight: options, results and dispatch of the pre-flight checks (see
 * preflight.h); each check lives in its own file. */
#include "net/preflight.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/text_sanitize.h"
#include "model/xalloc.h"
#include "net/preflight_result.h"

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
    resolve_map_copy(&dst->resolve, &src->resolve);
}

void preflight_result_clear(struct preflight_result *r)
{
    memset(r, 0, sizeof *r);
    r->status = PREFLIGHT_UNREACHABLE;
}

enum preflight_status preflight_result_set(struct preflight_result *r, enum preflight_status s,
                                           const char *fmt, ...)
{
    r->status = s;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->why, sizeof r->why, fmt, ap);
    va_end(ap);
    text_sanitize(r->why, false);
    return s;
}

void preflight_text_copy(char *dst, size_t size, const char *src, size_t len)
{
    if (!size)
        return;
    if (!src)
        len = 0;
    if (len >= size) {
        memcpy(dst, src, size - 4);
        memcpy(dst + size - 4, "...", 4);
    } else {
        if (len)
            memcpy(dst, src, len);
        dst[len] = '\0';
    }
    /* a NUL inside the copied bytes would hide the rest: make it visible */
    for (size_t i = 0; i < (len >= size ? size - 4 : len); i++)
        if (dst[i] == '\0')
            dst[i] = '?';
    text_sanitize(dst, false);
}

long preflight_timeout_ms(const struct preflight_options *o)
{
    return o && o->timeout_ms > 0 ? o->timeout_ms : PREFLIGHT_DEFAULT_TIMEOUT_MS;
}

void preflight_seconds_text(long ms, char *buf, size_t size)
{
    if (ms % 1000 == 0)
        snprintf(buf, size, "%ld s", ms / 1000);
    else
        snprintf(buf, size, "%.1f s", (double)ms / 1000.0);
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

const char *preflight_status_name(enum preflight_status s)
{
    switch (s) {
    case PREFLIGHT_OK: return "OK";
    case PREFLIGHT_MISMATCH: return "mismatch";
    case PREFLIGHT_UNREACHABLE: return "unreachable";
    }
    return "?";
}
