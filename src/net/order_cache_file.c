/* order_cache_file: the cache file's name, header, records, reading and
 * writing (see order_cache_file.h; the format is in order_cache.h). */
#include "net/order_cache_file.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <openssl/evp.h>

#include "model/hash64.h"
#include "model/order_record.h"
#include "model/rfc3339.h"
#include "model/text_sanitize.h"
#include "model/xalloc.h"
#include "net/json_stream.h"
#include "net/order_cache.h"

#define OUT_FLUSH ((size_t)1 << 20) /* write in chunks of about this size */

char *order_cache_file_name(const struct order_cache_scope *scope)
{
    size_t len = strlen(scope->addr) + strlen(scope->namespace_) + strlen(scope->mount) + 3;
    char *key = xmalloc(len);
    snprintf(key, len, "%s\n%s\n%s", scope->addr, scope->namespace_, scope->mount);
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    if (EVP_Digest(key, strlen(key), md, &mdlen, EVP_sha256(), NULL) != 1 || mdlen < 8) {
        /* no SHA-256 (broken OpenSSL): any stable name will do, the file says whose it is */
        uint64_t h = hash64_bytes(key, strlen(key));
        memcpy(md, &h, 8);
    }
    free(key);
    char name[64];
    snprintf(name, sizeof name, "orders-%02x%02x%02x%02x%02x%02x%02x%02x.json", md[0], md[1],
             md[2], md[3], md[4], md[5], md[6], md[7]);
    return xstrdup(name);
}

void order_cache_file_quote(const char *s, char *buf, size_t size)
{
    snprintf(buf, size, "%.*s", ORDER_CACHE_FILE_QUOTE_MAX, s ? s : "");
    text_sanitize(buf, false);
}

/* ---- reading ------------------------------------------------------------ */

static const char *const header_keys[3] = {"addr", "namespace", "mount"};

struct reading {
    const struct order_cache_scope *scope;
    bool version_seen;
    char *values[3]; /* addr, namespace, mount as found */
    order_cache_file_record_fn fn;
    void *arg;
};

/* A field of the header (before "orders"); the first one is the version. */
static int header_field(void *arg, const char *key, const cJSON *v, char *why, size_t size)
{
    struct reading *rd = arg;
    if (!rd->version_seen) {
        if (strcmp(key, "acmetop_cache") != 0 || !cJSON_IsNumber(v)) {
            snprintf(why, size, "it is not an acmetop cache file");
            return -1;
        }
        if (v->valuedouble != ORDER_CACHE_VERSION) {
            snprintf(why, size,
                     "it is not a cache file of this version (version %.15g; this acmetop reads "
                     "version %d)",
                     v->valuedouble, ORDER_CACHE_VERSION);
            return -1;
        }
        rd->version_seen = true;
        return 0;
    }
    for (int i = 0; i < 3; i++) {
        if (strcmp(key, header_keys[i]) != 0)
            continue;
        if (!cJSON_IsString(v) || !v->valuestring) {
            snprintf(why, size, "it is damaged (field '%s' is not a string)", key);
            return -1;
        }
        free(rd->values[i]);
        rd->values[i] = xstrdup(v->valuestring);
    }
    return 0;
}

/* Before the records: the file must be this scope's. */
static int header_check(void *arg, char *why, size_t size)
{
    struct reading *rd = arg;
    const char *mine[3] = {rd->scope->addr, rd->scope->namespace_, rd->scope->mount};
    for (int i = 0; i < 3; i++) {
        if (!rd->values[i]) {
            snprintf(why, size, "it is damaged (field '%s' is missing)", header_keys[i]);
            return -1;
        }
    }
    for (int i = 0; i < 3; i++) {
        if (strcmp(rd->values[i], mine[i]) == 0)
            continue;
        char shown[3][ORDER_CACHE_FILE_QUOTE_MAX + 1];
        for (int j = 0; j < 3; j++)
            order_cache_file_quote(rd->values[j], shown[j], sizeof shown[j]);
        snprintf(why, size,
                 "it is another Vault's file (written for %s, namespace \"%s\", mount %s; this "
                 "console uses %s, namespace \"%s\", mount %s)",
                 shown[0], shown[1], shown[2], mine[0], mine[1], mine[2]);
        return -1;
    }
    return 0;
}

static int record(void *arg, const char *p, size_t len, size_t n, char *why, size_t size)
{
    struct reading *rd = arg;
    return rd->fn(rd->arg, p, len, n, why, size);
}

int order_cache_file_read(int fd, const struct order_cache_scope *scope,
                          order_cache_file_record_fn fn, void *arg, char *why, size_t size)
{
    static const struct json_stream_doc doc = {
        .list = "orders",
        .not_ours = "it is not an acmetop cache file",
        .file_max = ORDER_CACHE_FILE_MAX,
        .value_max = ORDER_CACHE_FILE_RECORD_MAX,
        .field = header_field,
        .list_start = header_check,
        .record = record,
    };
    struct reading rd = {.scope = scope, .fn = fn, .arg = arg};
    int rc = json_stream_read(fd, &doc, &rd, why, size);
    for (int i = 0; i < 3; i++)
        free(rd.values[i]);
    return rc;
}

int order_cache_file_parse(const char *p, size_t len, size_t n, struct order *o, char *why,
                           size_t size)
{
    order_init(o);
    const char *end = NULL;
    cJSON *rec = cJSON_ParseWithLengthOpts(p, len, &end, 0);
    if (!rec || end != p + len) {
        cJSON_Delete(rec);
        snprintf(why, size, "it is damaged (order %zu is not valid JSON)", n + 1);
        return -1;
    }
    struct parse_error err = {.message = ""};
    int rc = order_record_parse(rec, o, &err);
    cJSON_Delete(rec);
    if (rc != 0)
        snprintf(why, size, "it is damaged (order %zu: %s)", n + 1, err.message);
    return rc;
}

char *order_cache_file_record_id(const char *p, size_t len)
{
    static const char lead[] = "{\"order_id\":"; /* as order_record_append() starts */
    const size_t lead_len = sizeof lead - 1;
    if (len <= lead_len || memcmp(p, lead, lead_len) != 0)
        return NULL;
    const char *end = NULL;
    cJSON *id = cJSON_ParseWithLengthOpts(p + lead_len, len - lead_len, &end, 0);
    char *copy = NULL;
    if (cJSON_IsString(id) && id->valuestring && end && end < p + len && *end == ',')
        copy = xstrdup(id->valuestring);
    cJSON_Delete(id);
    return copy;
}

/* ---- writing ------------------------------------------------------------ */

static void out_flush(struct order_cache_file_out *o)
{
    size_t done = 0;
    while (!o->err && done < o->len) {
        ssize_t w = write(o->fd, o->buf + done, o->len - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            o->err = w < 0 ? errno : EIO;
        else
            done += (size_t)w;
    }
    o->len = 0;
}

static void out_put(struct order_cache_file_out *o, const char *s, size_t n)
{
    if (o->len + n > o->cap) {
        while (o->cap < o->len + n)
            o->cap = o->cap ? o->cap * 2 : OUT_FLUSH;
        o->buf = xrealloc(o->buf, o->cap);
    }
    memcpy(o->buf + o->len, s, n);
    o->len += n;
    o->total += (long long)n;
    if (o->len >= OUT_FLUSH)
        out_flush(o);
}

int order_cache_file_begin(struct order_cache_file_out *o, const struct order_cache_scope *scope)
{
    o->len = 0;
    o->total = 0;
    o->records = 0;
    if (ftruncate(o->fd, 0) != 0 || lseek(o->fd, 0, SEEK_SET) != 0)
        o->err = errno;
    if (o->err)
        return -1;
    char when[RFC3339_BUF];
    cJSON *h = cJSON_CreateObject();
    cJSON_AddNumberToObject(h, "acmetop_cache", ORDER_CACHE_VERSION);
    cJSON_AddStringToObject(h, "addr", scope->addr);
    cJSON_AddStringToObject(h, "namespace", scope->namespace_);
    cJSON_AddStringToObject(h, "mount", scope->mount);
    cJSON_AddStringToObject(h, "written", rfc3339_format(time(NULL), when, sizeof when));
    char *text = cJSON_PrintUnformatted(h);
    cJSON_Delete(h);
    if (!text) {
        fprintf(stderr, "acmetop: out of memory\n");
        abort();
    }
    out_put(o, text, strlen(text) - 1); /* without the closing brace */
    cJSON_free(text);
    out_put(o, ",\"orders\":[\n", 12);
    return 0;
}

bool order_cache_file_put(struct order_cache_file_out *o, const char *rec, size_t len)
{
    if (o->total + (long long)len + 16 > ORDER_CACHE_FILE_MAX)
        return false;
    if (o->records++)
        out_put(o, ",\n", 2);
    out_put(o, rec, len);
    return true;
}

int order_cache_file_end(struct order_cache_file_out *o)
{
    out_put(o, "\n]}\n", 4);
    out_flush(o);
    free(o->buf);
    o->buf = NULL;
    o->cap = 0;
    return o->err ? -1 : 0;
}
