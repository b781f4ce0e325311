/* vault_client: Vault's HTTP API over one libcurl multi handle.
 * Every call, single or batch, runs through the same multi handle, whose
 * connection cache keeps connections alive between calls; a share handle
 * keeps DNS answers and TLS sessions across easy handles, and idle easy
 * handles are pooled.  A batch keeps at most `parallel` transfers in
 * flight, so it never opens more connections than that.  Bodies are capped
 * while they arrive (Content-Length checked up front, then every chunk).
 *
 * VAULT_TLS_SERVER_NAME: libcurl has no option to send another SNI name,
 * so the URL is written with the server name as host and CURLOPT_CONNECT_TO
 * sends the connection to the address of VAULT_ADDR: SNI and certificate
 * verification then use the server name, the TCP connection goes where
 * VAULT_ADDR says.  (The Host header carries the server name too.) */
#include "net/vault_client.h"

#include <curl/curl.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "model/key_list.h"
#include "model/xalloc.h"
#include "net/retry_after.h"
#include "net/wiping_alloc.h"

struct vault_client {
    CURLM *multi;
    CURLSH *share;
    char *addr;                   /* as configured, for messages */
    bool addr_defaulted;          /* VAULT_ADDR was not set (for messages) */
    char *url_base;               /* scheme://host[:port][/prefix] used in URLs */
    struct curl_slist *connect_to; /* for tls_server_name, else NULL */
    char *token;                  /* NULL when none; wiped on free */
    char *mount;
    struct curl_slist *headers;       /* read requests */
    struct curl_slist *headers_write; /* + Content-Type */
    char *cacert, *capath, *client_cert, *client_key;
    bool skip_verify;
    long connect_timeout_ms, timeout_ms;
    size_t max_body;
    int parallel;
    CURL **idle; /* pooled easy handles, at most `parallel` */
    size_t idle_count;
    struct vault_client_stats stats;
    const atomic_bool *cancel;    /* see vault_client_set_cancel() */
};

/* One transfer in flight. */
struct transfer {
    struct vault_client *client;
    struct vault_request *req;
    CURL *easy;
    char *url;
    char *buf;
    size_t len, cap;
    bool too_large;
    char errbuf[CURL_ERROR_SIZE];
};

static bool global_done;

int vault_client_global_init(void)
{
    if (global_done)
        return 0;
    /* libcurl's own buffers (the receive buffer, header copies) hold the
     * token and private keys: they are wiped when libcurl frees them */
    if (curl_global_init_mem(CURL_GLOBAL_DEFAULT, wiping_alloc_malloc, wiping_alloc_free,
                             wiping_alloc_realloc, wiping_alloc_strdup,
                             wiping_alloc_calloc) != CURLE_OK)
        return -1;
    global_done = true;
    return 0;
}

void vault_client_global_cleanup(void)
{
    if (global_done) {
        curl_global_cleanup();
        global_done = false;
    }
}

/* ---- construction ------------------------------------------------------- */

static void wipe_slist(struct curl_slist *l)
{
    for (struct curl_slist *p = l; p; p = p->next)
        if (p->data)
            explicit_bzero(p->data, strlen(p->data));
    curl_slist_free_all(l);
}

static struct curl_slist *slist_add(struct curl_slist *l, const char *s)
{
    struct curl_slist *n = curl_slist_append(l, s);
    if (!n) {
        fprintf(stderr, "acmetop: out of memory (curl_slist_append)\n");
        abort();
    }
    return n;
}

/* Split "scheme://host[:port][/prefix]".  host keeps IPv6 brackets. */
static int split_addr(const char *addr, char **scheme, char **host, char **port, char **prefix)
{
    const char *sep = strstr(addr, "://");
    if (!sep)
        return -1;
    const char *h = sep + 3;
    const char *hend;
    if (*h == '[') {
        hend = strchr(h, ']');
        if (!hend)
            return -1;
        hend++;
    } else {
        hend = h + strcspn(h, ":/");
    }
    if (hend == h)
        return -1;
    const char *p = hend, *pend = hend;
    if (*p == ':') {
        p++;
        pend = p + strcspn(p, "/");
    }
    *scheme = xstrndup(addr, (size_t)(sep - addr));
    *host = xstrndup(h, (size_t)(hend - h));
    if (pend > p && *hend == ':')
        *port = xstrndup(p, (size_t)(pend - p));
    else
        *port = xstrdup(strcasecmp(*scheme, "https") == 0 ? "443" : "80");
    *prefix = xstrdup(pend);
    return 0;
}

static int setup_urls(struct vault_client *c, const struct vault_config *cfg,
                      struct vault_error *err)
{
    char *scheme, *host, *port, *prefix;
    if (split_addr(cfg->addr, &scheme, &host, &port, &prefix) != 0) {
        vault_error_set_config(err, "VAULT_ADDR \"%.200s\" is not a URL like https://host:8200",
                               cfg->addr);
        return -1;
    }
    if (cfg->tls_server_name && cfg->tls_server_name[0] && strcasecmp(scheme, "https") == 0) {
        const char *name = cfg->tls_server_name;
        if (strpbrk(name, ":/[]@ ")) {
            vault_error_set_config(err, "VAULT_TLS_SERVER_NAME \"%.200s\" is not a host name",
                                   name);
            free(scheme), free(host), free(port), free(prefix);
            return -1;
        }
        size_t n = strlen(scheme) + strlen(name) + strlen(port) + strlen(prefix) + 8;
        c->url_base = xmalloc(n);
        snprintf(c->url_base, n, "%s://%s:%s%s", scheme, name, port, prefix);
        n = strlen(name) + strlen(host) + 2 * strlen(port) + 4;
        char *entry = xmalloc(n);
        snprintf(entry, n, "%s:%s:%s:%s", name, port, host, port);
        c->connect_to = slist_add(NULL, entry);
        free(entry);
    } else {
        c->url_base = xstrdup(cfg->addr);
    }
    free(scheme), free(host), free(port), free(prefix);
    return 0;
}

static void setup_headers(struct vault_client *c, const struct vault_config *cfg)
{
    struct curl_slist *h = NULL;
    char line[1024];
    h = slist_add(h, "Accept: application/json");
    h = slist_add(h, "Expect:"); /* no 100-continue round trip on writes */
    if (cfg->namespace_ && cfg->namespace_[0]) {
        snprintf(line, sizeof line, "X-Vault-Namespace: %s", cfg->namespace_);
        h = slist_add(h, line);
    }
    if (cfg->token && cfg->token[0]) {
        size_t n = strlen(cfg->token) + sizeof "X-Vault-Token: ";
        char *t = xmalloc(n);
        snprintf(t, n, "X-Vault-Token: %s", cfg->token);
        h = slist_add(h, t);
        explicit_bzero(t, n);
        free(t);
    }
    c->headers = h;
    /* the write list is a copy with Content-Type added */
    struct curl_slist *w = NULL;
    for (struct curl_slist *p = h; p; p = p->next)
        w = slist_add(w, p->data);
    c->headers_write = slist_add(w, "Content-Type: application/json");
}

struct vault_client *vault_client_new(const struct vault_config *cfg, struct vault_error *err)
{
    vault_error_clear(err);
    if (!cfg || !cfg->addr || !cfg->mount) {
        vault_error_set_config(err, "no Vault address or mount configured");
        return NULL;
    }
    for (const char *p = cfg->token ? cfg->token : ""; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f) {
            vault_error_set_config(err, "the Vault token contains a control character");
            return NULL;
        }
    for (const char *p = cfg->namespace_ ? cfg->namespace_ : ""; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f) {
            vault_error_set_config(err, "the namespace contains a control character");
            return NULL;
        }
    struct vault_client *c = xcalloc(1, sizeof *c);
    if (setup_urls(c, cfg, err) != 0) {
        free(c);
        return NULL;
    }
    c->multi = curl_multi_init();
    c->share = curl_share_init();
    if (!c->multi || !c->share) {
        vault_error_set_config(err, "libcurl could not start (curl_multi_init failed); was "
                                    "vault_client_global_init() called?");
        vault_client_free(c);
        return NULL;
    }
    curl_share_setopt(c->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
    curl_share_setopt(c->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
    c->addr = xstrdup(cfg->addr);
    c->addr_defaulted = cfg->addr_defaulted;
    c->token = cfg->token && cfg->token[0] ? xstrdup(cfg->token) : NULL;
    c->mount = xstrdup(cfg->mount);
    c->cacert = xstrdup(cfg->cacert);
    c->capath = xstrdup(cfg->capath);
    c->client_cert = xstrdup(cfg->client_cert);
    c->client_key = xstrdup(cfg->client_key);
    c->skip_verify = cfg->skip_verify;
    c->connect_timeout_ms = cfg->connect_timeout_ms > 0 ? cfg->connect_timeout_ms : 5000;
    c->timeout_ms = cfg->timeout_ms > 0 ? cfg->timeout_ms : 30000;
    c->max_body = cfg->max_body_bytes > 0 ? cfg->max_body_bytes : (size_t)64 * 1024 * 1024;
    c->parallel = cfg->parallel >= 1 && cfg->parallel <= 64 ? cfg->parallel : 8;
    c->idle = xcalloc((size_t)c->parallel, sizeof *c->idle);
    setup_headers(c, cfg);
    curl_multi_setopt(c->multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long)c->parallel);
    curl_multi_setopt(c->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long)c->parallel);
    curl_multi_setopt(c->multi, CURLMOPT_MAXCONNECTS, (long)c->parallel);
    return c;
}

void vault_client_free(struct vault_client *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->idle_count; i++)
        curl_easy_cleanup(c->idle[i]);
    free(c->idle);
    if (c->multi)
        curl_multi_cleanup(c->multi);
    if (c->share)
        curl_share_cleanup(c->share);
    wipe_slist(c->headers);
    wipe_slist(c->headers_write);
    curl_slist_free_all(c->connect_to);
    if (c->token) {
        explicit_bzero(c->token, strlen(c->token));
        free(c->token);
    }
    free(c->addr);
    free(c->url_base);
    free(c->mount);
    free(c->cacert);
    free(c->capath);
    free(c->client_cert);
    free(c->client_key);
    free(c);
}

/* ---- paths ---------------------------------------------------------------- */

char *vault_client_mount_path(const struct vault_client *c, const char *rest)
{
    while (rest && *rest == '/')
        rest++;
    if (!rest || !*rest)
        return xstrdup(c->mount);
    size_t n = strlen(c->mount) + strlen(rest) + 2;
    char *p = xmalloc(n);
    snprintf(p, n, "%s/%s", c->mount, rest);
    return p;
}

char *vault_client_mount_path_escaped(const struct vault_client *c, const char *fmt, const char *a,
                                      const char *b)
{
    char *ea = vault_client_escape(a), *eb = vault_client_escape(b);
    size_t n = strlen(fmt) + strlen(ea) + strlen(eb) + 1;
    char *rest = xmalloc(n);
    snprintf(rest, n, fmt, ea, eb);
    free(ea);
    free(eb);
    char *path = vault_client_mount_path(c, rest);
    free(rest);
    return path;
}

char *vault_client_escape(const char *segment)
{
    static const char hex[] = "0123456789ABCDEF";
    if (!segment)
        segment = "";
    char *out = xmalloc(strlen(segment) * 3 + 1);
    char *o = out;
    for (const unsigned char *s = (const unsigned char *)segment; *s; s++) {
        /* RFC 3986 unreserved, plus ':' and '@' which are plain path characters
         * (certificate serials are written with colons) */
        if ((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
            *s == '-' || *s == '.' || *s == '_' || *s == '~' || *s == ':' || *s == '@') {
            *o++ = (char)*s;
        } else {
            *o++ = '%';
            *o++ = hex[*s >> 4];
            *o++ = hex[*s & 15];
        }
    }
    *o = '\0';
    /* "." and ".." would be resolved away by URL normalisation */
    if (strcmp(out, ".") == 0 || strcmp(out, "..") == 0) {
        size_t dots = strlen(out);
        free(out);
        return xstrdup(dots == 1 ? "%2E" : "%2E%2E");
    }
    return out;
}

const char *vault_client_addr(const struct vault_client *c)
{
    return c->addr;
}

void vault_client_stats(const struct vault_client *c, struct vault_client_stats *out)
{
    *out = c->stats;
}

void vault_response_free(struct vault_response *r)
{
    if (!r)
        return;
    wiping_alloc_free(r->body); /* a body may hold a private key */
    memset(r, 0, sizeof *r);
}

/* ---- one transfer --------------------------------------------------------- */

static size_t on_body(char *data, size_t size, size_t nmemb, void *userp)
{
    struct transfer *t = userp;
    size_t n = size * nmemb;
    if (n > t->client->max_body - t->len) {
        t->too_large = true;
        return 0; /* aborts the transfer: CURLE_WRITE_ERROR */
    }
    if (t->len + n + 1 > t->cap) {
        size_t cap = t->cap ? t->cap : 4096;
        while (cap < t->len + n + 1)
            cap *= 2;
        /* a body may be a private key: growing leaves no copy behind */
        char *grown = wiping_alloc_realloc(t->buf, cap);
        if (!grown)
            return 0; /* aborts the transfer: CURLE_WRITE_ERROR */
        t->buf = grown;
        t->cap = cap;
    }
    memcpy(t->buf + t->len, data, n);
    t->len += n;
    return n;
}

static CURL *easy_take(struct vault_client *c)
{
    if (c->idle_count > 0) {
        CURL *e = c->idle[--c->idle_count];
        curl_easy_reset(e);
        return e;
    }
    return curl_easy_init();
}

static void easy_give_back(struct vault_client *c, CURL *e)
{
    if ((int)c->idle_count < c->parallel)
        c->idle[c->idle_count++] = e;
    else
        curl_easy_cleanup(e);
}

static bool method_has_body(const char *m)
{
    return strcmp(m, "POST") == 0 || strcmp(m, "PUT") == 0 || strcmp(m, "PATCH") == 0;
}

static char *build_url(const struct vault_client *c, const char *path, const char *query)
{
    while (*path == '/')
        path++;
    size_t n = strlen(c->url_base) + strlen(path) + (query ? strlen(query) : 0) + 8;
    char *url = xmalloc(n);
    snprintf(url, n, "%s/v1/%s%s%s", c->url_base, path, query && *query ? "?" : "",
             query && *query ? query : "");
    return url;
}

/* Set every option; returns CURLE_OK or the first failure. */
static bool cancelled(const struct vault_client *c)
{
    return c->cancel && atomic_load(c->cancel);
}

/* libcurl's progress callback: a non-zero answer aborts the transfer. */
static int on_progress(void *userp, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                       curl_off_t ulnow)
{
    (void)dltotal, (void)dlnow, (void)ultotal, (void)ulnow;
    return cancelled(userp) ? 1 : 0;
}

void vault_client_set_cancel(struct vault_client *c, const atomic_bool *flag)
{
    c->cancel = flag;
}

static CURLcode transfer_setup(struct transfer *t)
{
    struct vault_client *c = t->client;
    struct vault_request *r = t->req;
    CURL *e = t->easy;
    CURLcode rc = CURLE_OK;
#define SET(opt, val)                                                                              \
    do {                                                                                           \
        if (rc == CURLE_OK)                                                                        \
            rc = curl_easy_setopt(e, opt, val);                                                    \
    } while (0)
    SET(CURLOPT_URL, t->url);
    SET(CURLOPT_PROTOCOLS_STR, "http,https");
    SET(CURLOPT_FOLLOWLOCATION, 0L); /* never carry the token to another host */
    SET(CURLOPT_NOSIGNAL, 1L);
    SET(CURLOPT_SHARE, c->share);
    SET(CURLOPT_ERRORBUFFER, t->errbuf);
    SET(CURLOPT_WRITEFUNCTION, on_body);
    SET(CURLOPT_WRITEDATA, t);
    SET(CURLOPT_PRIVATE, t);
    SET(CURLOPT_USERAGENT, "acmetop/" ACMETOP_VERSION);
    SET(CURLOPT_CONNECTTIMEOUT_MS, c->connect_timeout_ms);
    SET(CURLOPT_TIMEOUT_MS, c->timeout_ms);
    SET(CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)c->max_body);
    SET(CURLOPT_TCP_KEEPALIVE, 1L);
    SET(CURLOPT_TCP_NODELAY, 1L);
    SET(CURLOPT_NOPROGRESS, 0L);
    SET(CURLOPT_XFERINFOFUNCTION, on_progress);
    SET(CURLOPT_XFERINFODATA, c);
    if (method_has_body(r->method)) {
        const char *body = r->body ? r->body : "{}";
        SET(CURLOPT_HTTPHEADER, c->headers_write);
        SET(CURLOPT_POSTFIELDS, body);
        SET(CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(body));
        if (strcmp(r->method, "POST") != 0)
            SET(CURLOPT_CUSTOMREQUEST, r->method);
    } else {
        SET(CURLOPT_HTTPHEADER, c->headers);
        SET(CURLOPT_HTTPGET, 1L);
        if (strcmp(r->method, "GET") != 0)
            SET(CURLOPT_CUSTOMREQUEST, r->method);
    }
    if (c->connect_to)
        SET(CURLOPT_CONNECT_TO, c->connect_to);
    if (c->cacert)
        SET(CURLOPT_CAINFO, c->cacert);
    if (c->capath)
        SET(CURLOPT_CAPATH, c->capath);
    if (c->client_cert)
        SET(CURLOPT_SSLCERT, c->client_cert);
    if (c->client_key)
        SET(CURLOPT_SSLKEY, c->client_key);
    SET(CURLOPT_SSL_VERIFYPEER, c->skip_verify ? 0L : 1L);
    SET(CURLOPT_SSL_VERIFYHOST, c->skip_verify ? 0L : 2L);
#undef SET
    return rc;
}

static enum vault_transport transport_kind(CURLcode rc, bool too_large)
{
    if (too_large)
        return VT_TOO_LARGE;
    switch (rc) {
    case CURLE_FILESIZE_EXCEEDED:
        return VT_TOO_LARGE;
    case CURLE_COULDNT_CONNECT:
        return VT_CONNECT;
    case CURLE_OPERATION_TIMEDOUT:
        return VT_TIMEOUT;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
        return VT_RESOLVE;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_CLIENTCERT:
    case CURLE_USE_SSL_FAILED:
        return VT_TLS;
    default:
        return VT_OTHER;
    }
}

/* The context of every error's sentence. */
static void target(const struct vault_client *c, struct vault_error *err)
{
    vault_error_set_target(err, c->addr, c->mount, c->token == NULL);
    err->addr_defaulted = c->addr_defaulted;
}

/* Is this 404 Vault's way of saying "empty list" ({"errors":[]})? */
static bool is_empty_list_404(const char *body, size_t len)
{
    /* tolerant of whitespace: the only content must be errors: [] */
    char compact[64];
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        if (body[i] == ' ' || body[i] == '\n' || body[i] == '\r' || body[i] == '\t')
            continue;
        if (o + 1 >= sizeof compact)
            return false;
        compact[o++] = body[i];
    }
    compact[o] = '\0';
    return strcmp(compact, "{\"errors\":[]}") == 0 || strcmp(compact, "{\"errors\":null}") == 0;
}

static void transfer_finish(struct transfer *t, CURLcode rc)
{
    struct vault_client *c = t->client;
    struct vault_request *r = t->req;
    struct vault_response *out = &r->response;
    long status = 0, connects = 0;

    c->stats.requests++;
    if (curl_easy_getinfo(t->easy, CURLINFO_NUM_CONNECTS, &connects) == CURLE_OK && connects > 0)
        c->stats.connections_opened += (unsigned long)connects;
    target(c, &r->error);

    if (rc != CURLE_OK) {
        char detail[CURL_ERROR_SIZE + 96];
        long os_errno = 0;
        curl_easy_getinfo(t->easy, CURLINFO_OS_ERRNO, &os_errno);
        if (t->too_large || rc == CURLE_FILESIZE_EXCEEDED)
            snprintf(detail, sizeof detail, "over the limit of %zu bytes", c->max_body);
        else if (rc == CURLE_COULDNT_CONNECT && os_errno == ECONNREFUSED)
            snprintf(detail, sizeof detail, "connection refused");
        else if (rc == CURLE_COULDNT_CONNECT && os_errno == ENETUNREACH)
            snprintf(detail, sizeof detail, "network unreachable");
        else if (rc == CURLE_COULDNT_CONNECT && os_errno == EHOSTUNREACH)
            snprintf(detail, sizeof detail, "host unreachable");
        else
            snprintf(detail, sizeof detail, "%s",
                     t->errbuf[0] ? t->errbuf : curl_easy_strerror(rc));
        vault_error_set_transport(&r->error, transport_kind(rc, t->too_large), r->method, r->path,
                                  detail);
        vault_error_redact(&r->error, c->token);
        out->body = xstrdup("");
        r->rc = -1;
        return;
    }
    curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &status);
    struct curl_header *retry = NULL;
    out->status = status;
    out->retry_after_s = curl_easy_header(t->easy, "Retry-After", 0, CURLH_HEADER, -1,
                                          &retry) == CURLHE_OK
                             ? retry_after_seconds(retry->value, time(NULL))
                             : 0;
    if (t->buf) {
        t->buf[t->len] = '\0';
        out->body = t->buf;
        out->body_len = t->len;
        t->buf = NULL;
    } else {
        out->body = xstrdup("");
        out->body_len = 0;
    }
    if (status >= 200 && status < 300) {
        r->rc = 0;
        return;
    }
    if (status == 404 && strcmp(r->method, "LIST") == 0 &&
        is_empty_list_404(out->body, out->body_len)) {
        static const char empty[] = "{\"data\":{\"keys\":[]}}";
        free(out->body);
        out->body = xstrdup(empty);
        out->body_len = sizeof empty - 1;
        r->rc = 0;
        return;
    }
    char *location = NULL;
    if (status >= 300 && status < 400 &&
        curl_easy_getinfo(t->easy, CURLINFO_REDIRECT_URL, &location) == CURLE_OK)
        vault_error_set_redirect(&r->error, r->method, r->path, status, location);
    else
        vault_error_set_http(&r->error, r->method, r->path, status, out->body, out->body_len,
                             out->retry_after_s, c->token);
    vault_error_redact(&r->error, c->token);
    r->rc = -1;
}

static void transfer_free(struct transfer *t)
{
    free(t->url);
    wiping_alloc_free(t->buf); /* what a cut transfer received */
    memset(t, 0, sizeof *t);
}

/* ---- the batch loop (single calls are batches of one) ----------------- */

static bool transfer_start(struct vault_client *c, struct transfer *t, struct vault_request *r)
{
    memset(t, 0, sizeof *t);
    t->client = c;
    t->req = r;
    memset(&r->response, 0, sizeof r->response);
    vault_error_clear(&r->error);
    r->rc = -1;
    if (!r->method || !r->path) {
        vault_error_set_transport(&r->error, VT_OTHER, r->method ? r->method : "?",
                                  r->path ? r->path : "?", "request without method or path");
        r->response.body = xstrdup("");
        return false;
    }
    if (cancelled(c)) {
        target(c, &r->error);
        vault_error_set_transport(&r->error, VT_OTHER, r->method, r->path, "cancelled");
        r->response.body = xstrdup("");
        return false;
    }
    t->url = build_url(c, r->path, r->query);
    t->easy = easy_take(c);
    CURLcode rc = t->easy ? transfer_setup(t) : CURLE_OUT_OF_MEMORY;
    if (rc == CURLE_OK && curl_multi_add_handle(c->multi, t->easy) != CURLM_OK)
        rc = CURLE_FAILED_INIT;
    if (rc != CURLE_OK) {
        target(c, &r->error);
        vault_error_set_transport(&r->error, VT_OTHER, r->method, r->path,
                                  curl_easy_strerror(rc));
        r->response.body = xstrdup("");
        if (t->easy)
            curl_easy_cleanup(t->easy);
        transfer_free(t);
        return false;
    }
    return true;
}

void vault_client_batch(struct vault_client *c, struct vault_request *reqs, size_t n)
{
    size_t slots = (size_t)c->parallel;
    struct transfer *xfers = xcalloc(slots, sizeof *xfers);
    size_t next = 0, active = 0;

    while (next < n || active > 0) {
        /* fill free slots */
        for (size_t s = 0; s < slots && next < n; s++) {
            if (xfers[s].easy)
                continue;
            if (transfer_start(c, &xfers[s], &reqs[next]))
                active++;
            next++;
        }
        if (active == 0)
            continue;
        int running = 0;
        CURLMcode mc = curl_multi_perform(c->multi, &running);
        if (mc != CURLM_OK) {
            /* the multi handle itself failed (out of memory...): every
             * transfer in flight fails rather than spinning here */
            for (size_t s = 0; s < slots; s++)
                if (xfers[s].easy) {
                    curl_multi_remove_handle(c->multi, xfers[s].easy);
                    struct vault_request *r = xfers[s].req;
                    target(c, &r->error);
                    vault_error_set_transport(&r->error, VT_OTHER, r->method, r->path,
                                              curl_multi_strerror(mc));
                    r->response.body = xstrdup("");
                    r->rc = -1;
                    c->stats.requests++;
                    easy_give_back(c, xfers[s].easy);
                    transfer_free(&xfers[s]);
                }
            active = 0;
            continue;
        }
        int finished = 0;
        CURLMsg *msg;
        int queued;
        while ((msg = curl_multi_info_read(c->multi, &queued)) != NULL) {
            if (msg->msg != CURLMSG_DONE)
                continue;
            struct transfer *t = NULL;
            curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&t);
            CURLcode rc = msg->data.result;
            curl_multi_remove_handle(c->multi, t->easy);
            transfer_finish(t, rc);
            easy_give_back(c, t->easy);
            transfer_free(t);
            active--;
            finished++;
        }
        if (finished == 0) /* wakes as soon as a socket is ready */
            curl_multi_poll(c->multi, NULL, 0, running > 0 ? 1000 : 10, NULL);
    }
    free(xfers);
}

int vault_client_request(struct vault_client *c, const char *method, const char *path,
                         const char *query, const char *body, struct vault_response *out,
                         struct vault_error *err)
{
    struct vault_request r = {.method = method, .path = path, .query = query, .body = body};
    vault_client_batch(c, &r, 1);
    if (out)
        *out = r.response;
    else
        vault_response_free(&r.response);
    if (err)
        *err = r.error;
    return r.rc;
}

int vault_client_get(struct vault_client *c, const char *path, const char *query,
                     struct vault_response *out, struct vault_error *err)
{
    return vault_client_request(c, "GET", path, query, NULL, out, err);
}

int vault_client_list(struct vault_client *c, const char *path, struct vault_response *out,
                      struct vault_error *err)
{
    return vault_client_request(c, "LIST", path, NULL, NULL, out, err);
}

int vault_client_list_keys(struct vault_client *c, const char *path, char ***keys, size_t *count,
                           struct vault_error *err)
{
    struct vault_response r = {0};
    *keys = NULL;
    *count = 0;
    if (vault_client_list(c, path, &r, err) != 0) {
        vault_response_free(&r);
        return -1;
    }
    struct parse_error perr;
    int rc = key_list_parse_response(r.body, r.body_len, keys, count, &perr);
    if (rc == 0)
        c->stats.names_refused += perr.refused;
    vault_response_free(&r);
    if (rc != 0) {
        target(c, err);
        vault_error_set_transport(err, rc == KEY_LIST_OVER_CAP ? VT_OTHER : VT_MALFORMED, "LIST",
                                  path, perr.message);
        return -1;
    }
    return 0;
}

int vault_client_write(struct vault_client *c, const char *path, const char *json_body,
                       struct vault_response *out, struct vault_error *err)
{
    return vault_client_request(c, "POST", path, NULL, json_body, out, err);
}
