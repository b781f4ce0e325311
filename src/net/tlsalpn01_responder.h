/* tlsalpn01_responder: a TLS server thread that answers ACME tls-alpn-01
 * challenges (RFC 8737) for the identifiers it is given, so the operator
 * can deploy tls-alpn-01 from the console itself: `0.0.0.0:443` for a real
 * CA, `127.0.0.1:5001` for the demo's pebble.
 *
 * It only ever does handshakes (OpenSSL, non-blocking, one thread in
 * poll()):
 *   ClientHello with ALPN offering acme-tls/1 and SNI = an identifier
 *   served                     -> the handshake completes with that
 *                                 identifier's certificate
 *                                 (net/tlsalpn01_cert.h), ALPN acme-tls/1;
 *                                 then close_notify and close
 *   no ALPN, or ALPN without acme-tls/1
 *                              -> fatal alert no_application_protocol
 *   SNI missing or not served  -> fatal alert unrecognized_name
 *   anything that is not a TLS 1.2+ ClientHello -> handshake failure
 * No application data is ever read or written.  Each connection is
 * reported once it is over (on_handshake): who, which SNI, the outcome.
 *
 * Idle connections cannot crowd out the CA, as in the HTTP-01 responder:
 * a connection that sends no byte within the first-byte timeout is closed
 * without a word; one whose handshake has not finished within the
 * handshake timeout (counted from the connection) is reported as timed
 * out; at most TLSALPN01_MAX_CLIENTS connections are held, at most
 * TLSALPN01_PER_ADDRESS_MAX from one address (IPv4 address, IPv6 /64); a
 * new connection over either limit evicts the oldest one still in its
 * handshake (of that address, for the per-address limit).  Connections
 * closed without a report (silent, evicted) are "dropped": on_dropped
 * gets the running total, at most once per TLSALPN01_DROP_REPORT_MS.
 *
 * Threads: start/stop/add/remove/count may be called from any thread; the
 * certificate table is guarded by a mutex.  on_handshake and on_dropped
 * run on the responder's own thread with no lock held; they must not call
 * tlsalpn01_responder_stop and should only copy what they get (valid
 * during the call) and return. */
#ifndef ACMETOP_NET_TLSALPN01_RESPONDER_H
#define ACMETOP_NET_TLSALPN01_RESPONDER_H

#include <stdbool.h>
#include <stddef.h>

#include "net/deploy_error.h"

#define TLSALPN01_MAX_CLIENTS 256
#define TLSALPN01_PER_ADDRESS_MAX 16
#define TLSALPN01_FIRST_BYTE_TIMEOUT_MS 2000 /* default: connect to first byte */
#define TLSALPN01_HANDSHAKE_TIMEOUT_MS 5000  /* default: connect to handshake done */
#define TLSALPN01_DROP_REPORT_MS 1000

enum tlsalpn01_outcome {
    TLSALPN01_SERVED,       /* handshake done with the challenge certificate */
    TLSALPN01_UNKNOWN_NAME, /* SNI missing or not served: unrecognized_name */
    TLSALPN01_NO_ALPN,      /* acme-tls/1 not offered: no_application_protocol */
    TLSALPN01_FAILED,       /* not TLS, an old version, the peer left... (detail) */
    TLSALPN01_TIMEOUT,      /* spoke, but did not finish within the timeout */
};

struct tlsalpn01_handshake {
    char remote[64];  /* "203.0.113.9:51234" */
    char sni[256];    /* sanitized; "" when none was sent */
    enum tlsalpn01_outcome outcome;
    char detail[160]; /* one phrase: "served", "no acme-tls/1 offered", ... */
};

typedef void (*tlsalpn01_handshake_fn)(const struct tlsalpn01_handshake *h, void *user);
typedef void (*tlsalpn01_dropped_fn)(unsigned long total, void *user);

struct tlsalpn01_responder_options {
    const char *listen;        /* "0.0.0.0:443", "127.0.0.1:5001", "[::]:443"; port 0 = any
                                  free port (tests); a numeric address */
    tlsalpn01_handshake_fn on_handshake; /* may be NULL */
    tlsalpn01_dropped_fn on_dropped;     /* may be NULL */
    void *user;
    int first_byte_timeout_ms; /* 0 = TLSALPN01_FIRST_BYTE_TIMEOUT_MS */
    int handshake_timeout_ms;  /* 0 = TLSALPN01_HANDSHAKE_TIMEOUT_MS */
};

struct tlsalpn01_responder;

/* Bind, listen, start the thread; NULL with err set (the sentences of
 * net/listen_socket.h: a privileged port without the capability, a port in
 * use, not an address of this machine). */
struct tlsalpn01_responder *tlsalpn01_responder_start(
    const struct tlsalpn01_responder_options *opt, struct deploy_error *err);

/* Serve identifier: a fresh key and certificate for key_authorization
 * (replacing an earlier one for the same identifier, case-insensitive).
 * 0, or -1 with err set (a wildcard, not a DNS name, a bad key
 * authorization: net/tlsalpn01_cert.h); nothing changed then. */
int tlsalpn01_responder_add(struct tlsalpn01_responder *r, const char *identifier,
                            const char *key_authorization, struct deploy_error *err);

/* Stop serving identifier, its key freed (wiped); true if it was served. */
bool tlsalpn01_responder_remove(struct tlsalpn01_responder *r, const char *identifier);

size_t tlsalpn01_responder_count(struct tlsalpn01_responder *r);

const char *tlsalpn01_responder_address(const struct tlsalpn01_responder *r);
int tlsalpn01_responder_port(const struct tlsalpn01_responder *r);

/* "served", "unknown name", "no acme-tls/1", "failed", "timed out". */
const char *tlsalpn01_outcome_name(enum tlsalpn01_outcome o);

/* Stop the thread (open connections closed), close the socket, free every
 * key and certificate, free r.  NULL is fine. */
void tlsalpn01_responder_stop(struct tlsalpn01_responder *r);

#endif
