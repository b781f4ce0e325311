/* secret_text: redaction of a secret in foreign text (see secret_text.h). */
#include "model/secret_text.h"

#include <stdlib.h>
#include <string.h>

#include "model/xalloc.h"

char *secret_text_redacted(const char *text, size_t len, const char *secret, size_t *out_len)
{
    len = strnlen(text, len);
    size_t slen = secret ? strlen(secret) : 0;
    size_t mlen = sizeof SECRET_TEXT_MARK - 1;
    /* the worst case grows by mlen per slen bytes: size for it */
    size_t cap = len + 1 + (slen ? (len / slen + 1) * mlen : 0);
    char *out = xmalloc(cap);
    size_t o = 0;
    for (size_t i = 0; i < len;) {
        if (slen && len - i >= slen && memcmp(text + i, secret, slen) == 0) {
            memcpy(out + o, SECRET_TEXT_MARK, mlen);
            o += mlen;
            i += slen;
        } else {
            out[o++] = text[i++];
        }
    }
    out[o] = '\0';
    if (out_len)
        *out_len = o;
    return out;
}

void secret_text_redact_in(char *buf, size_t cap, const char *secret)
{
    if (!secret || !secret[0] || cap == 0)
        return;
    char *copy = secret_text_redacted(buf, strnlen(buf, cap), secret, NULL);
    size_t n = strlen(copy);
    if (n >= cap)
        n = cap - 1;
    memcpy(buf, copy, n);
    buf[n] = '\0';
    free(copy);
}

size_t secret_text_cut(const char *text, size_t n, const char *secret)
{
    size_t slen = secret ? strlen(secret) : 0;
    if (slen <= SECRET_TEXT_FRAGMENT_MIN)
        return n;
    /* a whole token was redacted already: fragments are shorter */
    for (size_t k = slen - 1 < n ? slen - 1 : n; k >= SECRET_TEXT_FRAGMENT_MIN; k--)
        if (memcmp(text + n - k, secret, k) == 0)
            return n - k;
    return n;
}
