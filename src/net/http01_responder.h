/* http01_responder: a small HTTP/1.1 server thread that answers ACME
 * http-01 challenges (RFC 8555 §8.3) for the tokens it is given, so the
 * operator can deploy http-01 from the console itself: `0.0.0.0:80` for a
 * real CA, `127.0.0.1:5002` for the demo's pebble.
 *
 * What it answers (plain sockets + poll, one thread, no libcurl):
 *   GET /.well-known/acme-challenge/<token>  token served   -> 200, text/plain,
 *                                                              exactly the key authorization
 *   GET anything else (unknown token, "..", "%2F", a query,
 *       an empty token, another directory, a path over
 *       HTTP01_TOKEN_MAX)                                   -> 404
 *   HEAD: the same status and head as GET, no body
 *   any other method                                         -> 405 (Allow: GET, HEAD)
 *   malformed request line / unsupported HTTP version        -> 400
 *   request line longer than HTTP01_LINE_MAX                 -> 414
 *   request head longer than HTTP01_REQUEST_MAX              -> 431
 *   part of a head came, not all of it within the head
 *       timeout (counted from the connection, not reset by
 *       each byte: a slow drip does not keep it open)        -> 408
 * No percent-decoding is ever done: a token is base64url, so any other
 * byte means "not a token".  Every answer closes the connection.  The Host
 * header is not looked at (tokens are unique).
 *
 * Idle connections (slowloris) cannot crowd out the CA: a connection that
 * sends no byte within the first-byte timeout is closed without a word;
 * at most HTTP01_MAX_CLIENTS connections are held, at most
 * HTTP01_PER_ADDRESS_MAX from one address (an IPv4 address, an IPv6 /64);
 * a new connection over either limit makes room by evicting the oldest
 * connection (of that address, for the per-address limit) that has not
 * sent a complete request head (what it sent is read first: a request
 * waiting in its socket is answered, not evicted).  When every connection
 * is being answered, new ones wait in the listen backlog.  A connection
 * closed without an answer -- evicted, silent until the first-byte
 * timeout, or refused because every slot it could take is being answered
 * -- is "dropped": on_dropped gets the running total, at most once per
 * HTTP01_DROP_REPORT_MS (the first drop after a quiet spell at once).
 *
 * Threads: start/stop/add/remove/count may be called from any thread; the
 * token table is guarded by a mutex.  The hit callback runs on the
 * responder's own thread, once per answer, as soon as the answer is written
 * (or the client went away while it was written), with no lock held:
 * it may call http01_responder_add/_remove/_count, must not call
 * http01_responder_stop, and should only copy the hit and return (post it
 * to the UI's queue).  The hit struct is only valid during the call.
 * on_dropped runs on the same thread under the same rules. */
#ifndef ACMETOP_NET_HTTP01_RESPONDER_H
#define ACMETOP_NET_HTTP01_RESPONDER_H

#include <stdbool.h>
#include <stddef.h>

#include "net/deploy_error.h"

#define HTTP01_MAX_CLIENTS 512     /* connections held (poll() set; fits 1024 fds) */
#define HTTP01_PER_ADDRESS_MAX 32  /* of them from one IPv4 address / IPv6 /64 */
#define HTTP01_LINE_MAX 2048    /* request line */
#define HTTP01_REQUEST_MAX 8192 /* request line + headers */
#define HTTP01_TOKEN_MAX 255
#define HTTP01_FIRST_BYTE_TIMEOUT_MS 2000 /* default: connect to first byte */
#define HTTP01_HEAD_TIMEOUT_MS 5000       /* default: connect to the end of the head */
#define HTTP01_DROP_REPORT_MS 1000        /* on_dropped at most this often */

struct http01_hit {
    char remote[64];  /* "203.0.113.9:51234", "[2001:db8::1]:443" */
    char method[16];  /* sanitized, cut; "" if the request line was unreadable */
    char path[160];   /* request target, sanitized, cut ("..." at the end) */
    char token[HTTP01_TOKEN_MAX + 1]; /* the token asked for when the path is
                                         /.well-known/acme-challenge/<token-shaped>,
                                         served or not; else "" */
    int status;       /* 200, 404, 405, 400, 408, 414, 431 */
    size_t bytes;     /* body bytes sent (the key authorization's length on 200) */
};

typedef void (*http01_hit_fn)(const struct http01_hit *hit, void *user);
/* total: connections dropped without an answer since the start. */
typedef void (*http01_dropped_fn)(unsigned long total, void *user);

struct http01_responder_options {
    const char *listen;        /* "0.0.0.0:80", "127.0.0.1:5002", "[::]:80"; port 0 = any
                                  free port (tests); a numeric address, not a name */
    http01_hit_fn on_hit;      /* may be NULL */
    http01_dropped_fn on_dropped; /* may be NULL */
    void *user;                /* passed to on_hit and on_dropped */
    int first_byte_timeout_ms; /* 0 = HTTP01_FIRST_BYTE_TIMEOUT_MS */
    int head_timeout_ms;       /* 0 = HTTP01_HEAD_TIMEOUT_MS */
};

struct http01_responder;

/* Bind, listen and start the thread.  NULL with err set when the address is
 * bad or cannot be bound:
 *   EACCES on a port < 1024: "binding 0.0.0.0:80 needs root or
 *       CAP_NET_BIND_SERVICE (setcap cap_net_bind_service=+ep acmetop)"
 *   EADDRINUSE: "127.0.0.1:5002 is in use by another program (...)"
 *   EADDRNOTAVAIL: "... is not an address of this machine" */
struct http01_responder *http01_responder_start(const struct http01_responder_options *opt,
                                                struct deploy_error *err);

/* Serve key_authorization for token (replaces an earlier answer for the same
 * token).  token: base64url characters only, 1..HTTP01_TOKEN_MAX;
 * key_authorization: printable ASCII, no spaces.  Returns 0, or -1 with err
 * set (nothing changed). */
int http01_responder_add(struct http01_responder *r, const char *token,
                         const char *key_authorization, struct deploy_error *err);

/* Stop serving token; true if it was served. */
bool http01_responder_remove(struct http01_responder *r, const char *token);

/* Number of tokens served. */
size_t http01_responder_count(struct http01_responder *r);

/* The address actually bound ("127.0.0.1:40123" after port 0) and its port. */
const char *http01_responder_address(const struct http01_responder *r);
int http01_responder_port(const struct http01_responder *r);

/* Stop the thread (open connections are closed), close the socket, wipe the
 * key authorizations and free r.  NULL is fine.  Returns within
 * milliseconds. */
void http01_responder_stop(struct http01_responder *r);

#endif
