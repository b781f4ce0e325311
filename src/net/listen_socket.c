/* listen_socket: the responders' listening socket and peers (see
 * listen_socket.h). */
#include "net/listen_socket.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "model/host_port.h"

int listen_socket_nonblock(int fd)
{
    int fl = fcntl(fd, F_GETFL);
    if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
        return -1;
    return fcntl(fd, F_SETFD, FD_CLOEXEC);
}

static void bind_error(struct deploy_error *err, int e, const char *shown, int port)
{
    if ((e == EACCES || e == EPERM) && port < 1024)
        deploy_error_set(err, e,
                         "binding %s needs root or CAP_NET_BIND_SERVICE "
                         "(setcap cap_net_bind_service=+ep acmetop)", shown);
    else if (e == EADDRINUSE)
        deploy_error_set(err, e,
                         "%s is in use by another program: stop it (ss -ltnp shows which) or "
                         "choose another listen address", shown);
    else if (e == EADDRNOTAVAIL)
        deploy_error_set(err, e, "%s is not an address of this machine", shown);
    else
        deploy_error_set(err, e, "cannot listen on %s: %s", shown, strerror(e));
}

int listen_socket_open(const char *where, const char *what, char *address, size_t size,
                       int *port, struct deploy_error *err)
{
    deploy_error_clear(err);
    struct host_port hp;
    struct parse_error perr;
    char label[64];
    snprintf(label, sizeof label, "%s listen address", what);
    if (host_port_parse(where, -1, 1, label, &hp, &perr) != 0) {
        deploy_error_set(err, 0, "%s", perr.message);
        return -1;
    }
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof ss);
    socklen_t sl;
    const char *host = hp.host[0] ? hp.host : "0.0.0.0";
    struct sockaddr_in *in = (struct sockaddr_in *)&ss;
    struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
    if (inet_pton(AF_INET, host, &in->sin_addr) == 1) {
        in->sin_family = AF_INET;
        in->sin_port = htons((uint16_t)hp.port);
        sl = sizeof *in;
    } else if (inet_pton(AF_INET6, host, &in6->sin6_addr) == 1) {
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons((uint16_t)hp.port);
        sl = sizeof *in6;
    } else {
        deploy_error_set(err, 0, "%s \"%s\": \"%s\" is not a numeric IPv4 or IPv6 address "
                         "(use 0.0.0.0:%d for every interface)", label, where, host,
                         hp.port);
        return -1;
    }
    char shown[80];
    host_port_format(host, hp.port, shown, sizeof shown);
    int fd = socket(ss.ss_family, SOCK_STREAM, 0);
    if (fd < 0) {
        deploy_error_set(err, errno, "cannot listen on %s: %s", shown, strerror(errno));
        return -1;
    }
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one); /* restart after stop */
    if (bind(fd, (struct sockaddr *)&ss, sl) != 0 || listen(fd, SOMAXCONN) != 0) {
        int e = errno;
        close(fd);
        bind_error(err, e, shown, hp.port);
        return -1;
    }
    if (listen_socket_nonblock(fd) != 0) {
        int e = errno;
        close(fd);
        deploy_error_set(err, e, "cannot listen on %s: %s", shown, strerror(e));
        return -1;
    }
    struct sockaddr_storage bound;
    socklen_t bl = sizeof bound;
    getsockname(fd, (struct sockaddr *)&bound, &bl);
    *port = ntohs(bound.ss_family == AF_INET ? ((struct sockaddr_in *)&bound)->sin_port
                                             : ((struct sockaddr_in6 *)&bound)->sin6_port);
    host_port_format(host, *port, address, size);
    return fd;
}

void listen_socket_peer_text(const struct sockaddr_storage *ss, char *buf, size_t size)
{
    char host[INET6_ADDRSTRLEN] = "?";
    if (ss->ss_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)ss;
        inet_ntop(AF_INET, &in->sin_addr, host, sizeof host);
        snprintf(buf, size, "%s:%d", host, ntohs(in->sin_port));
    } else if (ss->ss_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)ss;
        int port = ntohs(in6->sin6_port);
        if (IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr)) {
            inet_ntop(AF_INET, &in6->sin6_addr.s6_addr[12], host, sizeof host);
            snprintf(buf, size, "%s:%d", host, port);
        } else {
            inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof host);
            snprintf(buf, size, "[%s]:%d", host, port);
        }
    } else {
        snprintf(buf, size, "?");
    }
}

void listen_socket_peer_key(const struct sockaddr_storage *ss,
                            unsigned char key[LISTEN_SOCKET_KEY])
{
    memset(key, 0, LISTEN_SOCKET_KEY);
    if (ss->ss_family == AF_INET) {
        key[0] = 4;
        memcpy(key + 1, &((const struct sockaddr_in *)ss)->sin_addr, 4);
    } else if (ss->ss_family == AF_INET6) {
        const struct in6_addr *a = &((const struct sockaddr_in6 *)ss)->sin6_addr;
        key[0] = IN6_IS_ADDR_V4MAPPED(a) ? 4 : 6;
        memcpy(key + 1, IN6_IS_ADDR_V4MAPPED(a) ? a->s6_addr + 12 : a->s6_addr,
               key[0] == 4 ? 4 : 8);
    }
}
