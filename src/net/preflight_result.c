/* preflight_result: filling a struct preflight_result, and the timeout
 * text, for the three checks (see preflight_result.h). */
#include "net/preflight_result.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "model/text_sanitize.h"

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

const char *preflight_status_name(enum preflight_status s)
{
    switch (s) {
    case PREFLIGHT_OK: return "OK";
    case PREFLIGHT_MISMATCH: return "mismatch";
    case PREFLIGHT_UNREACHABLE: return "unreachable";
    }
    return "?";
}
