/* glyphs: status symbols, Unicode or ASCII (see glyphs.h). */
#include "ui/glyphs.h"

#include <string.h>

static bool unicode;

void glyphs_use_unicode(bool on)
{
    unicode = on;
}

bool glyphs_unicode(void)
{
    return unicode;
}

static const struct {
    const char *uni, *ascii, *word;
    enum theme_slot slot;
} order_glyphs[ORDER_STATUS_COUNT] = {
    [ORDER_NEW] = {"\u00b7", ".", "new", THEME_STATUS_NEW},
    [ORDER_SUBMITTED] = {"\u2191", "^", "submitted", THEME_STATUS_SUBMITTED},
    [ORDER_AWAITING_CHALLENGE] = {"\u25cf", "*", "awaiting", THEME_STATUS_AWAITING},
    [ORDER_VAULT_FULFILLING] = {"\u270e", "w", "vault-dns", THEME_STATUS_VAULT},
    [ORDER_VAULT_PROPAGATING] = {"\u2248", "=", "dns-wait", THEME_STATUS_VAULT},
    [ORDER_NOTIFYING_CA] = {"\u2192", ">", "notify-ca", THEME_STATUS_VAULT},
    [ORDER_CA_VALIDATING] = {"\u25ce", "@", "ca-check", THEME_STATUS_FETCHING},
    [ORDER_FETCHING_CERT] = {"\u2193", "v", "fetching", THEME_STATUS_FETCHING},
    [ORDER_COMPLETED] = {"\u2714", "+", "completed", THEME_STATUS_COMPLETED},
    [ORDER_ERROR] = {"\u2716", "x", "error", THEME_STATUS_ERROR},
    [ORDER_EXPIRED] = {"\u2298", "-", "expired", THEME_STATUS_EXPIRED},
    [ORDER_REVOKED] = {"\u2297", "#", "revoked", THEME_STATUS_REVOKED},
    [ORDER_STATUS_UNKNOWN] = {"?", "?", "unknown", THEME_STATUS_UNKNOWN},
};

const char *glyph_order_status(enum order_status s)
{
    if ((unsigned)s >= ORDER_STATUS_COUNT)
        s = ORDER_STATUS_UNKNOWN;
    return unicode ? order_glyphs[s].uni : order_glyphs[s].ascii;
}

const char *glyph_order_status_short(enum order_status s)
{
    if ((unsigned)s >= ORDER_STATUS_COUNT)
        s = ORDER_STATUS_UNKNOWN;
    return order_glyphs[s].word;
}

enum theme_slot glyph_order_status_slot(enum order_status s)
{
    if ((unsigned)s >= ORDER_STATUS_COUNT)
        s = ORDER_STATUS_UNKNOWN;
    return order_glyphs[s].slot;
}

/* pending -> the operator's turn, processing -> the CA's, valid, invalid */
static int challenge_kind(const char *status)
{
    if (!status)
        return 4;
    if (strcmp(status, "pending") == 0)
        return 0;
    if (strcmp(status, "processing") == 0)
        return 1;
    if (strcmp(status, "valid") == 0)
        return 2;
    if (strcmp(status, "invalid") == 0)
        return 3;
    return 4;
}

const char *glyph_challenge_status(const char *status)
{
    static const char *const uni[] = {"\u25cf", "\u2193", "\u2714", "\u2716", "?"};
    static const char *const ascii[] = {"*", "v", "+", "x", "?"};
    int k = challenge_kind(status);
    return unicode ? uni[k] : ascii[k];
}

enum theme_slot glyph_challenge_status_slot(const char *status)
{
    static const enum theme_slot slots[] = {THEME_STATUS_AWAITING, THEME_STATUS_FETCHING,
                                            THEME_STATUS_COMPLETED, THEME_STATUS_ERROR,
                                            THEME_STATUS_UNKNOWN};
    return slots[challenge_kind(status)];
}

const char *glyph_connection(enum conn_state s)
{
    switch (s) {
    case CONN_CONNECTED: return unicode ? "\u25cf" : "*";
    case CONN_DEGRADED: return unicode ? "\u25d0" : "~";
    case CONN_DISCONNECTED: return unicode ? "\u2716" : "x";
    default: return unicode ? "\u2026" : ".";
    }
}

enum theme_slot glyph_connection_slot(enum conn_state s)
{
    switch (s) {
    case CONN_CONNECTED: return THEME_OK;
    case CONN_DEGRADED: return THEME_WARNING;
    case CONN_DISCONNECTED: return THEME_ERROR;
    default: return THEME_HEADER;
    }
}

const char *glyph_ellipsis(void)
{
    return unicode ? "\u2026" : "~";
}

const char *glyph_vline(void)
{
    return unicode ? "\u2502" : "|";
}

const char *glyph_sort(bool reverse)
{
    if (unicode)
        return reverse ? "\u2191" : "\u2193";
    return reverse ? "^" : "v";
}
