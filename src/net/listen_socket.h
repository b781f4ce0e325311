/* listen_socket: what acmetop's two responders (net/http01_responder,
 * net/tlsalpn01_responder) share about sockets: the listening socket on a
 * numeric address ("0.0.0.0:80", "127.0.0.1:5001", "[::]:443"; port 0 =
 * any free port), with the sentences an operator can act on when binding
 * fails; a descriptor made non-blocking and close-on-exec; a peer's
 * address as text; and the key a peer counts against for the
 * per-address connection limits (its IPv4 address, or its IPv6 /64). */
#ifndef ACMETOP_NET_LISTEN_SOCKET_H
#define ACMETOP_NET_LISTEN_SOCKET_H

#include <stddef.h>
#include <sys/socket.h>

#include "net/deploy_error.h"

#define LISTEN_SOCKET_KEY 9 /* family byte + IPv4 address or IPv6 /64 prefix */

/* A listening, non-blocking, close-on-exec socket on where; what names it
 * in sentences ("HTTP-01", "TLS-ALPN-01").  address (at least 80 bytes)
 * gets the address bound ("127.0.0.1:40123" after port 0), *port its
 * port.  The fd, or -1 with err set:
 *   EACCES on a port < 1024: "binding 0.0.0.0:80 needs root or
 *       CAP_NET_BIND_SERVICE (setcap cap_net_bind_service=+ep acmetop)"
 *   EADDRINUSE: "127.0.0.1:5002 is in use by another program (...)"
 *   EADDRNOTAVAIL: "... is not an address of this machine" */
int listen_socket_open(const char *where, const char *what, char *address, size_t size,
                       int *port, struct deploy_error *err);

/* O_NONBLOCK and FD_CLOEXEC: 0, or -1 (errno set). */
int listen_socket_nonblock(int fd);

/* "203.0.113.9:51234", "[2001:db8::1]:443" (an IPv4-mapped address as IPv4). */
void listen_socket_peer_text(const struct sockaddr_storage *ss, char *buf, size_t size);

/* The key a peer counts against: its IPv4 address (also when mapped into
 * IPv6), or its IPv6 /64 (one host usually has a whole /64 to pick from). */
void listen_socket_peer_key(const struct sockaddr_storage *ss,
                            unsigned char key[LISTEN_SOCKET_KEY]);

#endif
