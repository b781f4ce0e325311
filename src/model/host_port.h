/* host_port: "HOST:PORT" as typed by an operator or in the config file,
 * split and checked: "127.0.0.1:5002", "0.0.0.0:80", "[::]:80",
 * "[::1]:53", "dns.example:53", and, when a default port is allowed,
 * "127.0.0.1", "::1", "dns.example".  Used for the HTTP-01 responder's
 * listen address and the DNS server of the dns-01 check.  Pure. */
#ifndef ACMETOP_HOST_PORT_H
#define ACMETOP_HOST_PORT_H

#include <stddef.h>

#include "model/parse_error.h"

#define HOST_PORT_HOST_MAX 256

struct host_port {
    char host[HOST_PORT_HOST_MAX]; /* without brackets; "" for ":80" (any address) */
    int port;                      /* 1..65535 (0 only when allow_zero) */
};

/* Split text.  default_port < 0: the port is required; else it is used
 * when text has none.  allow_zero: port 0 ("pick a free port", for tests)
 * is accepted.  what names the setting in the message ("listen address").
 * Returns 0, or -1 with err set. */
int host_port_parse(const char *text, int default_port, int allow_zero, const char *what,
                    struct host_port *out, struct parse_error *err);

/* "host:port", "[v6]:port" into buf; returns buf. */
const char *host_port_format(const char *host, int port, char *buf, size_t size);

#endif
