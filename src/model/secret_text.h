/* secret_text: keeping a secret (the Vault token) out of text that came
 * from elsewhere and is about to be shown or logged: every occurrence is
 * replaced by "[redacted]" over the whole text first, and where such text
 * is cut for display, a trailing fragment that could be the token's start
 * is dropped too, so the cut cannot be used to leak part of it. */
#ifndef ACMETOP_MODEL_SECRET_TEXT_H
#define ACMETOP_MODEL_SECRET_TEXT_H

#include <stddef.h>

#define SECRET_TEXT_MARK "[redacted]"
#define SECRET_TEXT_FRAGMENT_MIN 4 /* shorter tails are too common to drop */

/* A NUL-terminated copy of text (len bytes; it may hold NULs, which end it)
 * with every occurrence of secret replaced by SECRET_TEXT_MARK; *out_len
 * (may be NULL) gets its length.  secret NULL or "" copies.  Caller frees. */
char *secret_text_redacted(const char *text, size_t len, const char *secret, size_t *out_len);

/* Replace every occurrence of secret in the string buf (cap bytes) by
 * SECRET_TEXT_MARK, in place; what no longer fits is cut. */
void secret_text_redact_in(char *buf, size_t cap, const char *secret);

/* The length to keep of text[0..n) when it is cut there: n, less a
 * trailing run of at least SECRET_TEXT_FRAGMENT_MIN bytes that is a
 * prefix of secret (the longest such run). */
size_t secret_text_cut(const char *text, size_t n, const char *secret);

#endif
