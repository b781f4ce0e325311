/* tcp_connect: TCP connect with a deadline and an explanation (see
 * tcp_connect.h). */
#include "net/tcp_connect.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "model/clock.h"

int tcp_wait(int fd, short events, long long deadline_ms)
{
    for (;;) {
        long long left = deadline_ms - clock_mono_ms(clock_system());
        if (left <= 0)
            return 0;
        struct pollfd p = {.fd = fd, .events = events};
        int rc = poll(&p, 1, left > 60000 ? 60000 : (int)left);
        if (rc < 0 && errno == EINTR)
            continue;
        if (rc < 0)
            return -1;
        if (rc > 0)
            return 1;
    }
}

static void seconds_text(long long ms, char *buf, size_t size)
{
    if (ms % 1000 == 0)
        snprintf(buf, size, "%lld s", ms / 1000);
    else
        snprintf(buf, size, "%.1f s", (double)ms / 1000.0);
}

/* One attempt; 0 with *fd_out, or the errno (ETIMEDOUT at the deadline). */
static int connect_one(const struct sockaddr *sa, socklen_t sl, long long deadline_ms, int *fd_out)
{
    int fd = socket(sa->sa_family, SOCK_STREAM, 0);
    if (fd < 0)
        return errno;
    int fl = fcntl(fd, F_GETFL);
    if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0 || fcntl(fd, F_SETFD, FD_CLOEXEC) < 0) {
        int e = errno;
        close(fd);
        return e;
    }
    if (connect(fd, sa, sl) != 0) {
        if (errno != EINPROGRESS) {
            int e = errno;
            close(fd);
            return e;
        }
        int rc = tcp_wait(fd, POLLOUT, deadline_ms);
        if (rc <= 0) {
            int e = rc == 0 ? ETIMEDOUT : errno;
            close(fd);
            return e;
        }
        int soerr = 0;
        socklen_t len = sizeof soerr;
        if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) != 0)
            soerr = errno;
        if (soerr) {
            close(fd);
            return soerr;
        }
    }
    *fd_out = fd;
    return 0;
}

static void addr_text(const struct sockaddr *sa, char *buf, size_t size)
{
    const void *a = sa->sa_family == AF_INET
                        ? (const void *)&((const struct sockaddr_in *)sa)->sin_addr
                        : (const void *)&((const struct sockaddr_in6 *)sa)->sin6_addr;
    if (!inet_ntop(sa->sa_family, a, buf, (socklen_t)size))
        snprintf(buf, size, "?");
}

int tcp_connect(const char *host, const char *address, int port, long long deadline_ms,
                char *why, size_t why_size)
{
    why[0] = '\0';
    struct addrinfo hints, *res = NULL;
    memset(&hints, 0, sizeof hints);
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_family = AF_UNSPEC;
    char port_text[16];
    snprintf(port_text, sizeof port_text, "%d", port);
    if (address)
        hints.ai_flags = AI_NUMERICHOST;
    int gai = getaddrinfo(address ? address : host, port_text, &hints, &res);
    if (gai != 0) {
        if (address)
            snprintf(why, why_size, "the address %s given for %s is not usable: %s", address,
                     host, gai_strerror(gai));
        else if (gai == EAI_NONAME)
            snprintf(why, why_size, "%s does not resolve (no such name, or no address)", host);
        else if (gai == EAI_AGAIN)
            snprintf(why, why_size, "%s could not be resolved now (DNS temporary failure)", host);
        else
            snprintf(why, why_size, "%s could not be resolved: %s", host, gai_strerror(gai));
        return -1;
    }
    long long started = clock_mono_ms(clock_system());
    int fd = -1, last = 0;
    char last_addr[INET6_ADDRSTRLEN] = "?";
    for (struct addrinfo *ai = res; ai && fd < 0; ai = ai->ai_next) {
        if (ai->ai_family != AF_INET && ai->ai_family != AF_INET6)
            continue;
        addr_text(ai->ai_addr, last_addr, sizeof last_addr);
        last = connect_one(ai->ai_addr, ai->ai_addrlen, deadline_ms, &fd);
        if (last == ETIMEDOUT && clock_mono_ms(clock_system()) >= deadline_ms)
            break;
    }
    freeaddrinfo(res);
    if (fd >= 0)
        return fd;
    char secs[32];
    seconds_text(deadline_ms - started, secs, sizeof secs);
    if (last == ECONNREFUSED)
        snprintf(why, why_size, "connection refused by %s (%s) port %d: nothing listens there",
                 host, last_addr, port);
    else if (last == ETIMEDOUT)
        snprintf(why, why_size, "no connection to %s (%s) port %d within %s", host, last_addr,
                 port, secs);
    else if (last == ENETUNREACH || last == EHOSTUNREACH)
        snprintf(why, why_size, "%s (%s) port %d is unreachable: %s", host, last_addr, port,
                 strerror(last));
    else
        snprintf(why, why_size, "cannot connect to %s (%s) port %d: %s", host, last_addr, port,
                 last ? strerror(last) : "no usable address");
    return -1;
}
