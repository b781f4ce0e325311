/* tcp_connect: open a TCP connection to host:port within a deadline, with
 * the name resolved through a resolve_map override or the system resolver,
 * and a sentence saying why when it fails ("connection refused by
 * 127.0.0.1 port 443: nothing listens there", "shop.example does not
 * resolve (no such name)", "no connection to ... within 5 s").  Shared by
 * the tls-alpn-01 check and the DNS-over-TCP fallback of the dns-01 check.
 * Deadlines are readings of clock_mono_ms(clock_system()) (model/clock.h). */
#ifndef ACMETOP_NET_TCP_CONNECT_H
#define ACMETOP_NET_TCP_CONNECT_H

#include <stddef.h>

/* Connect to host:port.  address: a numeric IPv4/IPv6 override (e.g. from
 * resolve_map_lookup), or NULL to resolve host with getaddrinfo (which has
 * no timeout of its own: the system resolver's applies).  Each address is
 * tried in turn until deadline_ms.  Returns a connected socket in
 * non-blocking mode (close-on-exec), or -1 with why filled. */
int tcp_connect(const char *host, const char *address, int port, long long deadline_ms,
                char *why, size_t why_size);

/* Wait until fd is readable (events POLLIN) or writable (POLLOUT) or the
 * deadline passes.  Returns 1 ready, 0 timeout, -1 error (errno set). */
int tcp_wait(int fd, short events, long long deadline_ms);

#endif
