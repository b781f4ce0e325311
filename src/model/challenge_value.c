/* challenge_value: deployable values of ACME challenges (see
 * challenge_value.h). SHA-256 and base64 come from OpenSSL (libcrypto). */
#include "model/challenge_value.h"

#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>

#include "model/xalloc.h"

#define WELL_KNOWN "/.well-known/acme-challenge/"

static int sha256(const char *text, unsigned char digest[32])
{
    unsigned int len = 0;
    if (EVP_Digest(text, strlen(text), digest, &len, EVP_sha256(), NULL) != 1 || len != 32)
        return -1;
    return 0;
}

int challenge_dns01_txt_value(const char *key_authorization, char *out, size_t size)
{
    unsigned char digest[32];
    unsigned char b64[48]; /* 4 * ceil(32 / 3) = 44, + NUL */
    if (!key_authorization || !out || size < CHALLENGE_DNS01_VALUE_BUF)
        return -1;
    if (sha256(key_authorization, digest) != 0)
        return -1;
    int n = EVP_EncodeBlock(b64, digest, sizeof digest);
    if (n <= 0)
        return -1;
    size_t k = 0;
    for (int i = 0; i < n && b64[i] != '='; i++) {
        unsigned char c = b64[i];
        out[k++] = (char)(c == '+' ? '-' : c == '/' ? '_' : c);
    }
    out[k] = '\0';
    return k == CHALLENGE_DNS01_VALUE_BUF - 1 ? 0 : -1;
}

char *challenge_dns01_record_name(const char *identifier)
{
    if (!identifier || !*identifier)
        return NULL;
    const char *base = strncmp(identifier, "*.", 2) == 0 ? identifier + 2 : identifier;
    size_t n = strlen("_acme-challenge.") + strlen(base) + 1;
    char *name = xmalloc(n);
    snprintf(name, n, "_acme-challenge.%s", base);
    return name;
}

char *challenge_http01_path(const char *token)
{
    if (!token || !*token)
        return NULL;
    size_t n = strlen(WELL_KNOWN) + strlen(token) + 1;
    char *path = xmalloc(n);
    snprintf(path, n, WELL_KNOWN "%s", token);
    return path;
}

char *challenge_http01_url(const char *identifier, const char *token)
{
    if (!identifier || !*identifier || !token || !*token)
        return NULL;
    size_t n = strlen("http://") + strlen(identifier) + strlen(WELL_KNOWN) + strlen(token) + 1;
    char *url = xmalloc(n);
    snprintf(url, n, "http://%s" WELL_KNOWN "%s", identifier, token);
    return url;
}

int challenge_tlsalpn01_digest_hex(const char *key_authorization, char *out, size_t size)
{
    static const char hex[] = "0123456789abcdef";
    unsigned char digest[32];
    if (!key_authorization || !out || size < CHALLENGE_SHA256_HEX_BUF)
        return -1;
    if (sha256(key_authorization, digest) != 0)
        return -1;
    for (size_t i = 0; i < sizeof digest; i++) {
        out[2 * i] = hex[digest[i] >> 4];
        out[2 * i + 1] = hex[digest[i] & 15];
    }
    out[64] = '\0';
    return 0;
}
