/* fuzz_vault_error: the body of a non-2xx Vault answer, as the Vault client
 * hands it over, through error_body_message() (model/error_body.c) and
 * vault_error_set_http() + vault_error_redact() (net/vault_error.c).
 * Input: byte 0 picks the HTTP status, byte 1 the size of the caller's
 * buffer for error_body_message, the rest is the body (not NUL-terminated).
 * Checks: no crash, leak or read past the body; the joined message fits
 * min(buffer, ERROR_BODY_MAX) and is clean text for the terminal (cut on a
 * UTF-8 boundary), "" when nothing was joined; the error's sentence and
 * messages are clean, non-empty for an error, terminated inside their
 * arrays, and never hold the token the server echoed back. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_check.h"
#include "model/error_body.h"
#include "net/vault_error.h"

#define TOKEN "hvs.FuzzToken0123456789abcdef"

/* what libcurl reports for an answer: three digits */
static const long statuses[] = {400, 403, 404, 405, 409, 412, 429, 500,
                                502, 503, 504, 301, 418, 100, 302, 999};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    long status = statuses[data[0] % (sizeof statuses / sizeof statuses[0])];
    size_t cap = (size_t)data[1] * 3 + 1; /* 1 .. 766: below and above ERROR_BODY_MAX */
    size_t len = size - 2;
    char *body = fuzz_bytes(data + 2, len);

    char *buf = malloc(cap);
    FUZZ_CHECK(buf, "out of memory");
    size_t n = error_body_message(body, len, buf, cap);
    size_t limit = cap < ERROR_BODY_MAX ? cap : ERROR_BODY_MAX;
    FUZZ_CHECK(strnlen(buf, cap) < limit, "the message is %zu bytes for a buffer of %zu",
               strnlen(buf, cap), cap);
    FUZZ_CHECK_TEXT(buf, "the joined message");
    if (n == 0)
        FUZZ_CHECK(buf[0] == '\0', "no message joined, but the text is \"%s\"", buf);
    free(buf);

    struct vault_error err;
    vault_error_clear(&err);
    vault_error_set_target(&err, "https://127.0.0.1:8200", "pki-external-ca", false);
    vault_error_set_http(&err, "LIST", "pki-external-ca/lookup/orders", status, body, len,
                         data[1] ? (double)data[1] : 0, TOKEN);
    vault_error_redact(&err, TOKEN);
    FUZZ_CHECK(memchr(err.sentence, '\0', sizeof err.sentence), "sentence not terminated");
    FUZZ_CHECK(memchr(err.messages, '\0', sizeof err.messages), "messages not terminated");
    FUZZ_CHECK(vault_error_is_set(&err) && err.sentence[0], "an HTTP error without a sentence");
    FUZZ_CHECK_TEXT(err.sentence, "the sentence");
    FUZZ_CHECK_TEXT(err.messages, "the messages");
    FUZZ_CHECK(!strstr(err.sentence, TOKEN), "the token is in the sentence: %s", err.sentence);
    FUZZ_CHECK(!strstr(err.messages, TOKEN), "the token is in the messages: %s", err.messages);
    vault_error_is_permission(&err);
    vault_error_is_retryable(&err);

    free(body);
    return 0;
}
