/* cert_bundle: lifetime and parsing of a fetched certificate. The private
 * key is the one secret the model holds: every copy of it is wiped with
 * OPENSSL_cleanse before its memory is released, including the copy inside
 * the cJSON tree of the answer. */
#include "model/cert_bundle.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "model/json_body.h"
#include "model/json_field.h"
#include "model/strv.h"
#include "model/xalloc.h"

static void secret_free(char *s)
{
    if (!s)
        return;
    OPENSSL_cleanse(s, strlen(s));
    free(s);
}

void cert_bundle_init(struct cert_bundle *b)
{
    memset(b, 0, sizeof *b);
}

void cert_bundle_free(struct cert_bundle *b)
{
    if (!b)
        return;
    secret_free(b->private_key);
    free(b->certificate);
    strv_free(b->ca_chain, b->ca_chain_count);
    free(b->private_key_type);
    free(b->serial);
    free(b->authority_key_id);
    free(b->format);
    cert_bundle_init(b);
}

void cert_bundle_copy(struct cert_bundle *dst, const struct cert_bundle *src)
{
    *dst = *src;
    dst->certificate = xstrdup(src->certificate);
    dst->ca_chain = strv_copy((const char *const *)src->ca_chain,
                              src->ca_chain_count);
    dst->private_key = xstrdup(src->private_key);
    dst->private_key_type = xstrdup(src->private_key_type);
    dst->serial = xstrdup(src->serial);
    dst->authority_key_id = xstrdup(src->authority_key_id);
    dst->format = xstrdup(src->format);
}

void cert_bundle_move(struct cert_bundle *dst, struct cert_bundle *src)
{
    if (dst == src)
        return;
    cert_bundle_free(dst);
    *dst = *src;
    cert_bundle_init(src);
}

/* ca_chain: array of PEM strings (exact, each capped), or one string. */
static int parse_chain(const cJSON *data, struct cert_bundle *out,
                       struct parse_error *err)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(data, "ca_chain");
    if (cJSON_IsString(v)) {
        int failed = 0;
        char *s = json_string_take(v, "ca_chain", JSON_BLOB, err, &failed);
        if (failed)
            return -1;
        if (s[0]) {
            out->ca_chain = xcalloc(1, sizeof *out->ca_chain);
            out->ca_chain[0] = s;
            out->ca_chain_count = 1;
        } else {
            free(s);
        }
        return 0;
    }
    if (!cJSON_IsArray(v))
        return 0; /* absent, null or another type: no chain */
    size_t n = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, v)
    {
        if (cJSON_IsString(e) && ++n == JSON_LIST_MAX)
            break;
    }
    if (n == 0)
        return 0;
    out->ca_chain = xcalloc(n, sizeof *out->ca_chain);
    cJSON_ArrayForEach(e, v)
    {
        if (out->ca_chain_count == n)
            break;
        int failed = 0;
        char *s = json_string_take(e, "ca_chain", JSON_BLOB, err, &failed);
        if (failed)
            return -1;
        if (s)
            out->ca_chain[out->ca_chain_count++] = s;
    }
    return 0;
}

int cert_bundle_parse(const cJSON *data, struct cert_bundle *out,
                      struct parse_error *err)
{
    cert_bundle_init(out);
    if (!cJSON_IsObject(data)) {
        parse_error_set(err, "certificate: 'data' is not an object");
        return -1;
    }
    if (json_field_string(data, "certificate", JSON_REQUIRED, JSON_BLOB,
                          &out->certificate, err) != 0)
        goto fail;
    if (out->certificate[0] == '\0') {
        parse_error_set(err, "field 'certificate' is empty (not issued yet?)");
        goto fail;
    }
    if (parse_chain(data, out, err) != 0)
        goto fail;
    if (json_field_string(data, "private_key", JSON_OPTIONAL, JSON_BLOB,
                          &out->private_key, err) != 0)
        goto fail;
    json_field_string(data, "private_key_type", JSON_OPTIONAL, JSON_TEXT,
                      &out->private_key_type, NULL);
    json_field_string(data, "serial_number", JSON_OPTIONAL, JSON_TEXT,
                      &out->serial, NULL);
    json_field_time(data, "not_before", JSON_OPTIONAL, &out->not_before, NULL);
    json_field_time(data, "not_after", JSON_OPTIONAL, &out->not_after, NULL);
    json_field_string(data, "authority_key_id", JSON_OPTIONAL, JSON_TEXT,
                      &out->authority_key_id, NULL);
    json_field_string(data, "certificate_format", JSON_OPTIONAL, JSON_TEXT,
                      &out->format, NULL);
    return 0;
fail:
    cert_bundle_free(out);
    return -1;
}

/* Parse, then wipe the private key inside the tree before it is deleted. */
static int parse_data(const cJSON *data, void *out, struct parse_error *err)
{
    int rc = cert_bundle_parse(data, out, err);
    const cJSON *k = cJSON_GetObjectItemCaseSensitive(data, "private_key");
    if (cJSON_IsString(k) && k->valuestring)
        OPENSSL_cleanse(k->valuestring, strlen(k->valuestring));
    return rc;
}

int cert_bundle_parse_response(const char *body, size_t len,
                               struct cert_bundle *out,
                               struct parse_error *err)
{
    cert_bundle_init(out);
    return json_body_parse_data(body, len, parse_data, out, err);
}
