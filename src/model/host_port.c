/* host_port: splitting and checking "HOST:PORT" (see host_port.h). */
#include "model/host_port.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int parse_port(const char *s, int allow_zero, long *out)
{
    if (!*s || strlen(s) > 5)
        return -1;
    for (const char *p = s; *p; p++)
        if (!isdigit((unsigned char)*p))
            return -1;
    long v = strtol(s, NULL, 10);
    if (v > 65535 || (v == 0 && !allow_zero))
        return -1;
    *out = v;
    return 0;
}

static int host_ok(const char *h)
{
    for (; *h; h++)
        if (!(isalnum((unsigned char)*h) || *h == '.' || *h == '-' || *h == '_' || *h == ':' ||
              *h == '%'))
            return 0;
    return 1;
}

int host_port_parse(const char *text, int default_port, int allow_zero, const char *what,
                    struct host_port *out, struct parse_error *err)
{
    parse_error_clear(err);
    memset(out, 0, sizeof *out);
    const char *w = what ? what : "address";
    if (!text || !*text) {
        parse_error_set(err, "%s is empty: expected HOST:PORT, e.g. 127.0.0.1:5002", w);
        return -1;
    }
    size_t len = strlen(text);
    if (len >= HOST_PORT_HOST_MAX) {
        parse_error_set(err, "%s is too long", w);
        return -1;
    }
    char host[HOST_PORT_HOST_MAX];
    const char *port_text = NULL;
    if (text[0] == '[') {
        const char *close = strchr(text, ']');
        if (!close || close == text + 1) {
            parse_error_set(err, "%s \"%s\": missing ']' after the IPv6 address", w, text);
            return -1;
        }
        memcpy(host, text + 1, (size_t)(close - text - 1));
        host[close - text - 1] = '\0';
        if (close[1] == ':')
            port_text = close + 2;
        else if (close[1] != '\0') {
            parse_error_set(err, "%s \"%s\": expected [IPV6]:PORT", w, text);
            return -1;
        }
    } else {
        const char *colon = strchr(text, ':');
        if (colon && strchr(colon + 1, ':')) {
            /* several colons, no brackets: a bare IPv6 address */
            snprintf(host, sizeof host, "%s", text);
        } else if (colon) {
            memcpy(host, text, (size_t)(colon - text));
            host[colon - text] = '\0';
            port_text = colon + 1;
        } else {
            snprintf(host, sizeof host, "%s", text);
        }
    }
    if (!host_ok(host)) {
        parse_error_set(err, "%s \"%s\": \"%s\" is not a host name or address", w, text, host);
        return -1;
    }
    long port;
    if (port_text) {
        if (parse_port(port_text, allow_zero, &port) != 0) {
            parse_error_set(err, "%s \"%s\": the port must be a number from %d to 65535", w, text,
                            allow_zero ? 0 : 1);
            return -1;
        }
    } else if (default_port >= 0) {
        port = default_port;
    } else {
        parse_error_set(err, "%s \"%s\": the port is missing (HOST:PORT, e.g. 0.0.0.0:80)", w,
                        text);
        return -1;
    }
    snprintf(out->host, sizeof out->host, "%s", host);
    out->port = (int)port;
    return 0;
}

const char *host_port_format(const char *host, int port, char *buf, size_t size)
{
    if (host && strchr(host, ':'))
        snprintf(buf, size, "[%s]:%d", host, port);
    else
        snprintf(buf, size, "%s:%d", host ? host : "", port);
    return buf;
}
