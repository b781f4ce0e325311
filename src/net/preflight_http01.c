/* preflight_http01: the http-01 pre-flight check (see preflight_http01.h).
 * A fresh libcurl handle per hop, no shared headers, no proxy (the CA
 * connects directly), redirects followed by hand so that every hop gets the
 * resolve_map override, the CA's rules for redirects apply to each, and the
 * final URL is known. */
#include "net/preflight_http01.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "model/challenge_value.h"
#include "model/clock.h"
#include "model/xalloc.h"
#include "net/preflight_result.h"
#include "net/tcp_connect.h"

struct body {
    char data[PREFLIGHT_HTTP_BODY_MAX + 1];
    size_t len;
    bool over; /* more than PREFLIGHT_HTTP_BODY_MAX bytes came */
};

static size_t body_write(char *ptr, size_t size, size_t nmemb, void *userdata)
{
    struct body *b = userdata;
    size_t n = size * nmemb;
    if (b->len + n > PREFLIGHT_HTTP_BODY_MAX) {
        size_t room = PREFLIGHT_HTTP_BODY_MAX - b->len;
        memcpy(b->data + b->len, ptr, room);
        b->len += room;
        b->over = true;
        return 0; /* stop the transfer: CURLE_WRITE_ERROR */
    }
    memcpy(b->data + b->len, ptr, n);
    b->len += n;
    return n;
}

/* "host:port:address" for CURLOPT_RESOLVE when the map has host, else NULL. */
static struct curl_slist *resolve_entry_for(const struct preflight_options *o, const char *url)
{
    if (!o || !o->resolve.count)
        return NULL;
    CURLU *u = curl_url();
    char *host = NULL, *port = NULL;
    struct curl_slist *list = NULL;
    if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) == CURLUE_OK) {
        const char *addr = resolve_map_lookup(&o->resolve, host);
        if (addr) {
            char entry[600];
            snprintf(entry, sizeof entry, strchr(addr, ':') ? "%s:%s:[%s]" : "%s:%s:%s", host,
                     port, addr);
            list = curl_slist_append(NULL, entry);
        }
    }
    curl_free(host);
    curl_free(port);
    curl_url_cleanup(u);
    return list;
}

/* RFC 8555 §8.3: "The server SHOULD ignore whitespace characters at the end
 * of the body" -- CAs (Let's Encrypt, pebble) trim trailing whitespace before
 * comparing, so a body that is the key authorization plus trailing
 * whitespace (a newline from `echo`) is OK; anything else must be exact. */
static bool body_matches(const struct body *b, const char *key_authorization, bool *trimmed)
{
    size_t len = b->len;
    while (len && (b->data[len - 1] == ' ' || b->data[len - 1] == '\t' ||
                   b->data[len - 1] == '\r' || b->data[len - 1] == '\n'))
        len--;
    *trimmed = len != b->len;
    return len == strlen(key_authorization) && memcmp(b->data, key_authorization, len) == 0;
}

/* The host (sanitized) and port of url. */
static void url_host_port(const char *url, char *host, size_t size, char *port, size_t psize)
{
    CURLU *u = curl_url();
    char *h = NULL, *p = NULL;
    snprintf(host, size, "?");
    snprintf(port, psize, "?");
    if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK) {
        if (curl_url_get(u, CURLUPART_HOST, &h, 0) == CURLUE_OK)
            preflight_text_copy(host, size, h, strlen(h));
        if (curl_url_get(u, CURLUPART_PORT, &p, CURLU_DEFAULT_PORT) == CURLUE_OK)
            preflight_text_copy(port, psize, p, strlen(p));
    }
    curl_free(h);
    curl_free(p);
    curl_url_cleanup(u);
}

static void unreachable_from_curl(struct preflight_result *out, const struct preflight_options *o,
                                  CURLcode rc, CURL *h, const char *url, const char *errbuf,
                                  long timeout_ms)
{
    char secs[32], shown[300];
    preflight_seconds_text(timeout_ms, secs, sizeof secs);
    preflight_text_copy(shown, sizeof shown, url, strlen(url));
    long oserr = 0;
    curl_easy_getinfo(h, CURLINFO_OS_ERRNO, &oserr);
    const char *detail = errbuf[0] ? errbuf : curl_easy_strerror(rc);
    switch (rc) {
    case CURLE_COULDNT_RESOLVE_HOST:
        preflight_result_set(out, PREFLIGHT_UNREACHABLE,
                             "the host of %s does not resolve, so the CA cannot reach it "
                             "either (%s)", shown, detail);
        break;
    case CURLE_COULDNT_CONNECT:
        if (oserr == ECONNREFUSED) {
            char host[256], port[16];
            url_host_port(url, host, sizeof host, port, sizeof port);
            const char *addr = o ? resolve_map_lookup(&o->resolve, host) : NULL;
            preflight_result_set(out, PREFLIGHT_UNREACHABLE,
                                 "connection refused by %s%s%s%s port %s: nothing listens there",
                                 host, addr ? " (" : "", addr ? addr : "", addr ? ")" : "", port);
        } else
            preflight_result_set(out, PREFLIGHT_UNREACHABLE, "cannot connect to %s: %s", shown,
                                 detail);
        break;
    case CURLE_OPERATION_TIMEDOUT:
        preflight_result_set(out, PREFLIGHT_UNREACHABLE, "no answer from %s within %s", shown,
                             secs);
        break;
    case CURLE_SSL_CONNECT_ERROR:
        preflight_result_set(out, PREFLIGHT_UNREACHABLE, "TLS handshake failed with %s: %s",
                             shown, detail);
        break;
    case CURLE_GOT_NOTHING:
        preflight_result_set(out, PREFLIGHT_UNREACHABLE,
                             "%s closed the connection without answering", shown);
        break;
    default:
        preflight_result_set(out, PREFLIGHT_UNREACHABLE, "fetching %s failed: %s", shown,
                             detail);
        break;
    }
}

/* The ports the CA connects to: 80 for http, 443 for https.  The options
 * move them (pebble's httpPort, the tests), like Boulder's httpPort and
 * httpsPort; the https port is the one the tls-alpn-01 check uses. */
static int ca_http_port(const struct preflight_options *o)
{
    return o && o->http01_port > 0 ? o->http01_port : 80;
}

static int ca_https_port(const struct preflight_options *o)
{
    return o && o->tlsalpn01_port > 0 ? o->tlsalpn01_port : 443;
}

/* http://identifier[:port]/.well-known/acme-challenge/token (port 80 unless
 * o says otherwise); the caller frees it. */
static char *http01_url(const struct preflight_options *o, const char *identifier,
                        const char *token)
{
    int port = ca_http_port(o);
    char *path = challenge_http01_path(token);
    size_t ul = strlen(identifier) + strlen(path) + 32;
    char *url = xmalloc(ul);
    if (port == 80)
        snprintf(url, ul, "http://%s%s", identifier, path);
    else
        snprintf(url, ul, "http://%s:%d%s", identifier, port, path);
    free(path);
    return url;
}

/* One plain GET of url, redirects not followed, within left ms, the body
 * into body, errors into errbuf, hosts resolved through resolve (may be NULL). */
static void hop_setopts(CURL *h, const char *url, long left, struct body *body, char *errbuf,
                        struct curl_slist *resolve)
{
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_PROXY, "");   /* the CA does not use our proxy */
    curl_easy_setopt(h, CURLOPT_NOPROXY, "*");
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, left);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, left);
    curl_easy_setopt(h, CURLOPT_USERAGENT, "acmetop-preflight");
    /* after a redirect to https, CAs accept any certificate (Let's
       Encrypt does): so does the check; nothing secret is sent */
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, body_write);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, body);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
    if (resolve)
        curl_easy_setopt(h, CURLOPT_RESOLVE, resolve);
}

static void set_body_too_long(struct preflight_result *out, const struct body *body, long status)
{
    char start[120];
    preflight_text_copy(start, sizeof start, body->data, 100);
    snprintf(out->found, sizeof out->found, "HTTP %ld, more than %d bytes: %s", status,
             PREFLIGHT_HTTP_BODY_MAX, start);
    preflight_result_set(out, PREFLIGHT_MISMATCH,
                         "%s answered with a body longer than %d bytes, not the key "
                         "authorization", out->where, PREFLIGHT_HTTP_BODY_MAX);
}

/* One hop: GETs url with a fresh handle, the body into body, the HTTP status
 * into *status and the Location of a 3xx into *next (xstrdup'ed, else NULL).
 * Anything but CURLE_OK ends the check, and out then says why. */
static CURLcode fetch_hop(const struct preflight_options *o, const char *url, long left,
                          long timeout, struct body *body, long *status, char **next,
                          struct preflight_result *out)
{
    *status = 0;
    *next = NULL;
    CURL *h = curl_easy_init();
    if (!h) {
        preflight_result_set(out, PREFLIGHT_UNREACHABLE, "cannot check http-01: libcurl "
                             "could not start (curl_global_init not called?)");
        return CURLE_FAILED_INIT;
    }
    char errbuf[CURL_ERROR_SIZE] = "";
    body->len = 0;
    body->over = false;
    struct curl_slist *resolve = resolve_entry_for(o, url);
    hop_setopts(h, url, left, body, errbuf, resolve);
    CURLcode rc = curl_easy_perform(h);
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, status);
    if (rc == CURLE_OK && *status >= 300 && *status < 400) {
        char *loc = NULL;
        curl_easy_getinfo(h, CURLINFO_REDIRECT_URL, &loc);
        if (loc)
            *next = xstrdup(loc);
    }
    if (rc == CURLE_WRITE_ERROR && body->over)
        set_body_too_long(out, body, *status);
    else if (rc != CURLE_OK)
        unreachable_from_curl(out, o, rc, h, url, errbuf, timeout);
    curl_slist_free_all(resolve);
    curl_easy_cleanup(h);
    return rc;
}

/* Why the CA does not follow a redirect to u, or NULL when it does.  Its
 * rules (RFC 8555 section 8.3 leaves them to the CA; these are Let's
 * Encrypt's): http or https only, to the CA's ports only (80 and 443), to a
 * DNS name, never to an IP address.  When followed, a URL without a port
 * gets the CA's port for its scheme where the options move it. */
static const char *redirect_refusal(const struct preflight_options *o, CURLU *u, char *why,
                                    size_t size)
{
    char *scheme = NULL, *host = NULL, *port = NULL;
    const char *refusal = NULL;
    if (curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK) {
        refusal = "the CA cannot follow it: it is not a URL with a host";
        goto done;
    }
    bool https = strcmp(scheme, "https") == 0;
    if (!https && strcmp(scheme, "http") != 0) {
        char shown[40];
        preflight_text_copy(shown, sizeof shown, scheme, strlen(scheme));
        snprintf(why, size, "the CA follows redirects to http and https only, not %s:", shown);
        refusal = why;
        goto done;
    }
    unsigned char addr[4];
    if (host[0] == '[' || inet_pton(AF_INET, host, addr) == 1) {
        refusal = "the CA does not follow redirects to IP addresses, only to DNS names";
        goto done;
    }
    int ca_port = https ? ca_https_port(o) : ca_http_port(o);
    if (curl_url_get(u, CURLUPART_PORT, &port, 0) == CURLUE_OK) {
        long p = strtol(port, NULL, 10);
        if (p != ca_http_port(o) && p != ca_https_port(o)) {
            snprintf(why, size, "the CA follows redirects to ports %d and %d only, not %ld",
                     ca_http_port(o), ca_https_port(o), p);
            refusal = why;
        }
    } else if (ca_port != (https ? 443 : 80)) {
        char text[16];
        snprintf(text, sizeof text, "%d", ca_port);
        curl_url_set(u, CURLUPART_PORT, text, 0);
    }
done:
    curl_free(scheme);
    curl_free(host);
    curl_free(port);
    return refusal;
}

/* Redirect number n (from 1) of a hop that answered status, to *next: true
 * when the CA follows it (*next may then carry the CA's port), else out says
 * why: a mismatch, since the server answered, with a redirect the CA refuses.
 * The target is never fetched then, so nothing of its answer is shown. */
static bool redirect_followed(const struct preflight_options *o, int n, long status, char **next,
                              struct preflight_result *out)
{
    char shown[200], why[160];
    preflight_text_copy(shown, sizeof shown, *next, strlen(*next));
    if (n > PREFLIGHT_MAX_REDIRECTS) {
        snprintf(out->found, sizeof out->found, "HTTP %ld, redirect to %s", status, shown);
        preflight_result_set(out, PREFLIGHT_MISMATCH,
                             "more than %d redirects, the last to %s: the CA gives up after %d",
                             PREFLIGHT_MAX_REDIRECTS, shown, PREFLIGHT_MAX_REDIRECTS);
        return false;
    }
    CURLU *u = curl_url();
    const char *refusal = "the CA cannot follow it: it is not a URL";
    char *url = NULL;
    if (u && curl_url_set(u, CURLUPART_URL, *next, CURLU_NON_SUPPORT_SCHEME) == CURLUE_OK &&
        !(refusal = redirect_refusal(o, u, why, sizeof why)) &&
        curl_url_get(u, CURLUPART_URL, &url, 0) == CURLUE_OK) {
        free(*next);
        *next = xstrdup(url);
    }
    curl_free(url);
    curl_url_cleanup(u);
    if (!refusal)
        return true;
    snprintf(out->found, sizeof out->found, "HTTP %ld, redirect to %s", status, shown);
    preflight_result_set(out, PREFLIGHT_MISMATCH, "redirect %d goes to %s: %s", n, shown,
                         refusal);
    return false;
}

/* The final hop answered status with body (after redirects redirects): is
 * that what the CA wants? Fills out->found and the verdict. */
static void judge_answer(struct preflight_result *out, struct body *body, long status,
                         int redirects, const char *key_authorization)
{
    char after[64] = "";
    if (redirects)
        snprintf(after, sizeof after, " (after %d redirect%s)", redirects,
                 redirects > 1 ? "s" : "");
    body->data[body->len] = '\0';
    if (status != 200) {
        char start[160];
        size_t bl = body->len;
        while (bl && (body->data[bl - 1] == ' ' || body->data[bl - 1] == '\t' ||
                      body->data[bl - 1] == '\r' || body->data[bl - 1] == '\n'))
            bl--;
        preflight_text_copy(start, sizeof start, body->data, bl);
        snprintf(out->found, sizeof out->found, "HTTP %ld%s%s", status, bl ? ": " : "",
                 start);
        preflight_result_set(out, PREFLIGHT_MISMATCH,
                             "%s%s answered HTTP %ld; the CA needs 200 with the key "
                             "authorization as the body", out->where, after, status);
        return;
    }
    bool trimmed = false;
    if (body_matches(body, key_authorization, &trimmed)) {
        preflight_text_copy(out->found, sizeof out->found, body->data, body->len);
        preflight_result_set(out, PREFLIGHT_OK,
                             "%s%s answers 200 with the key authorization%s", out->where,
                             after,
                             trimmed ? " (plus trailing white space, which CAs ignore)" : "");
    } else {
        if (body->len)
            preflight_text_copy(out->found, sizeof out->found, body->data, body->len);
        else
            snprintf(out->found, sizeof out->found, "(empty body)");
        preflight_result_set(out, PREFLIGHT_MISMATCH,
                             "%s%s answers 200, but the body is not the key authorization",
                             out->where, after);
    }
}

enum preflight_status preflight_http01(const struct preflight_options *o, const char *identifier,
                                       const char *token, const char *key_authorization,
                                       struct preflight_result *out)
{
    preflight_result_clear(out);
    if (!identifier || !*identifier || !token || !*token || !key_authorization ||
        !*key_authorization)
        return preflight_result_set(out, PREFLIGHT_UNREACHABLE,
                                    "cannot check http-01: identifier, token or key "
                                    "authorization missing");
    if (strncmp(identifier, "*.", 2) == 0)
        return preflight_result_set(out, PREFLIGHT_UNREACHABLE,
                                    "cannot check http-01 for the wildcard %.200s: a CA "
                                    "validates wildcards with dns-01 only", identifier);
    preflight_text_copy(out->expected, sizeof out->expected, key_authorization,
                        strlen(key_authorization));
    long timeout = preflight_timeout_ms(o);
    char *url = http01_url(o, identifier, token);

    long long deadline = clock_mono_ms(clock_system()) + timeout;
    struct body *body = xmalloc(sizeof *body);
    int redirects = 0;
    for (;;) {
        preflight_text_copy(out->where, sizeof out->where, url, strlen(url));
        long left = (long)(deadline - clock_mono_ms(clock_system()));
        if (left <= 0) {
            char secs[32];
            preflight_seconds_text(timeout, secs, sizeof secs);
            preflight_result_set(out, PREFLIGHT_UNREACHABLE, "no answer from %s within %s",
                                 out->where, secs);
            break;
        }
        long status;
        char *next;
        if (fetch_hop(o, url, left, timeout, body, &status, &next, out) != CURLE_OK)
            break;
        if (next) {
            if (!redirect_followed(o, ++redirects, status, &next, out)) {
                free(next);
                break;
            }
            free(url);
            url = next;
            continue;
        }
        judge_answer(out, body, status, redirects, key_authorization);
        break;
    }
    free(body);
    free(url);
    return out->status;
}
