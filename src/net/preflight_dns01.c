/* preflight_dns01: the dns-01 pre-flight check (see preflight_dns01.h).
 * With a configured server (the demo's challtestsrv, an authoritative
 * server to ask directly) the query goes out over UDP from here, with
 * retransmissions and a TCP retry when the answer is truncated; without
 * one, glibc's res_nquery asks the servers of /etc/resolv.conf.  Either
 * way the answer is parsed by model/dns_txt.c (no libresolv needed). */
#include "net/preflight_dns01.h"

#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <resolv.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/rand.h>

#include "model/challenge_value.h"
#include "model/clock.h"
#include "model/dns_txt.h"
#include "model/host_port.h"
#include "model/xalloc.h"
#include "net/preflight_result.h"
#include "net/tcp_connect.h"

#define DNS_MSG_MAX 65535
#define RETRANSMIT_MS 1000

/* What came back: an answer to evaluate, or a reason why not (why set). */
struct dns_outcome {
    bool answered;
    struct dns_txt_answer answer;
    char why[PREFLIGHT_WHY_MAX];
};

static uint16_t random_id(void)
{
    unsigned char b[2] = {0, 0};
    if (RAND_bytes(b, sizeof b) != 1) {
        long long t = clock_mono_ms(clock_system());
        b[0] = (unsigned char)t;
        b[1] = (unsigned char)(t >> 8);
    }
    return (uint16_t)(b[0] << 8 | b[1]);
}

/* Read exactly n bytes from a non-blocking fd before the deadline. */
static int read_full(int fd, unsigned char *buf, size_t n, long long deadline)
{
    size_t got = 0;
    while (got < n) {
        ssize_t r = recv(fd, buf + got, n - got, 0);
        if (r > 0) {
            got += (size_t)r;
            continue;
        }
        if (r == 0)
            return -1;
        if (errno == EINTR)
            continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK)
            return -1;
        if (tcp_wait(fd, POLLIN, deadline) != 1)
            return -2;
    }
    return 0;
}

static int write_full(int fd, const unsigned char *buf, size_t n, long long deadline)
{
    size_t sent = 0;
    while (sent < n) {
        ssize_t w = send(fd, buf + sent, n - sent, MSG_NOSIGNAL);
        if (w > 0) {
            sent += (size_t)w;
            continue;
        }
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
            return -1;
        if (tcp_wait(fd, POLLOUT, deadline) != 1)
            return -2;
    }
    return 0;
}

/* DNS over TCP (RFC 7766): 2-byte length prefix each way. */
static void query_tcp(const struct host_port *server, const char *server_text, const char *name,
                      long long deadline, const char *secs, struct dns_outcome *res)
{
    char why[PREFLIGHT_WHY_MAX];
    unsigned char q[514];
    uint16_t id = random_id();
    int qlen = dns_txt_query_build(name, id, q + 2, sizeof q - 2);
    q[0] = (unsigned char)(qlen >> 8);
    q[1] = (unsigned char)qlen;
    int fd = tcp_connect(server->host, NULL, server->port, deadline, why, sizeof why);
    if (fd < 0) {
        snprintf(res->why, sizeof res->why, "the answer was too big for UDP and TCP failed: %.400s",
                 why);
        return;
    }
    unsigned char lenbuf[2];
    unsigned char *msg = NULL;
    int rc = write_full(fd, q, (size_t)qlen + 2, deadline);
    if (rc == 0)
        rc = read_full(fd, lenbuf, 2, deadline);
    size_t mlen = rc == 0 ? (size_t)(lenbuf[0] << 8 | lenbuf[1]) : 0;
    if (rc == 0) {
        msg = xmalloc(mlen ? mlen : 1);
        rc = read_full(fd, msg, mlen, deadline);
    }
    close(fd);
    if (rc == -2) {
        snprintf(res->why, sizeof res->why, "no answer over TCP from the DNS server %s within %s",
                 server_text, secs);
    } else if (rc != 0) {
        snprintf(res->why, sizeof res->why, "the DNS server %s closed the TCP connection without "
                 "a whole answer", server_text);
    } else {
        struct parse_error perr;
        if (dns_txt_answer_parse(msg, mlen, id, name, &res->answer, &perr) == 0)
            res->answered = true;
        else
            snprintf(res->why, sizeof res->why, "the DNS server %.200s sent an unusable answer "
                     "over TCP: %.200s", server_text, perr.message);
    }
    free(msg);
}

static void query_server(const char *server_spec, const char *name, long timeout_ms,
                         struct dns_outcome *res)
{
    char secs[32];
    preflight_seconds_text(timeout_ms, secs, sizeof secs);
    long long deadline = clock_mono_ms(clock_system()) + timeout_ms;
    struct host_port server;
    struct parse_error perr;
    if (host_port_parse(server_spec, 53, 0, "DNS server", &server, &perr) != 0) {
        snprintf(res->why, sizeof res->why, "cannot check dns-01: %s", perr.message);
        return;
    }
    char server_text[300];
    host_port_format(server.host, server.port, server_text, sizeof server_text);
    struct addrinfo hints, *ai = NULL;
    memset(&hints, 0, sizeof hints);
    hints.ai_socktype = SOCK_DGRAM;
    char port_text[16];
    snprintf(port_text, sizeof port_text, "%d", server.port);
    int gai = getaddrinfo(server.host, port_text, &hints, &ai);
    if (gai != 0) {
        snprintf(res->why, sizeof res->why, "the DNS server name %s does not resolve: %s",
                 server.host, gai_strerror(gai));
        return;
    }
    int fd = socket(ai->ai_family, SOCK_DGRAM, 0);
    if (fd < 0 || fcntl(fd, F_SETFL, O_NONBLOCK) < 0 || fcntl(fd, F_SETFD, FD_CLOEXEC) < 0 ||
        connect(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
        snprintf(res->why, sizeof res->why, "cannot query the DNS server %s: %s", server_text,
                 strerror(errno));
        if (fd >= 0)
            close(fd);
        freeaddrinfo(ai);
        return;
    }
    freeaddrinfo(ai);
    unsigned char q[512];
    uint16_t id = random_id();
    int qlen = dns_txt_query_build(name, id, q, sizeof q);
    unsigned char *buf = xmalloc(DNS_MSG_MAX);
    long long next_send = 0;
    char bad[256] = "";
    for (;;) {
        long long now = clock_mono_ms(clock_system());
        if (now >= deadline) {
            if (bad[0])
                snprintf(res->why, sizeof res->why, "no usable answer from the DNS server %.200s "
                         "within %s (%.200s)", server_text, secs, bad);
            else
                snprintf(res->why, sizeof res->why, "no answer from the DNS server %s within %s",
                         server_text, secs);
            break;
        }
        if (now >= next_send) {
            if (send(fd, q, (size_t)qlen, 0) < 0 && errno != EAGAIN && errno != EINTR) {
                snprintf(res->why, sizeof res->why, "%s %s: %s",
                         errno == ECONNREFUSED ? "connection refused by the DNS server"
                                               : "cannot send to the DNS server",
                         server_text,
                         errno == ECONNREFUSED ? "nothing listens on that port" : strerror(errno));
                break;
            }
            next_send = now + RETRANSMIT_MS;
        }
        long long until = next_send < deadline ? next_send : deadline;
        int w = tcp_wait(fd, POLLIN, until);
        if (w < 0) {
            snprintf(res->why, sizeof res->why, "cannot read from the DNS server %s: %s",
                     server_text, strerror(errno));
            break;
        }
        if (w == 0)
            continue;
        ssize_t n = recv(fd, buf, DNS_MSG_MAX, 0);
        if (n < 0) {
            if (errno == EAGAIN || errno == EINTR)
                continue;
            snprintf(res->why, sizeof res->why, "%s %s: %s",
                     errno == ECONNREFUSED ? "connection refused by the DNS server"
                                           : "cannot read from the DNS server",
                     server_text,
                     errno == ECONNREFUSED ? "nothing listens on that port" : strerror(errno));
            break;
        }
        if (dns_txt_answer_parse(buf, (size_t)n, id, name, &res->answer, &perr) != 0) {
            /* someone else's datagram, or garbage: keep waiting for ours */
            snprintf(bad, sizeof bad, "%s", perr.message);
            continue;
        }
        if (res->answer.truncated) {
            dns_txt_answer_free(&res->answer);
            query_tcp(&server, server_text, name, deadline, secs, res);
        } else {
            res->answered = true;
        }
        break;
    }
    free(buf);
    close(fd);
}

/* The system resolver: glibc's res_nquery with our timeout. */
static void query_system(const char *name, long timeout_ms, struct dns_outcome *res,
                         char *servers, size_t servers_size, bool *nodata)
{
    struct __res_state st;
    memset(&st, 0, sizeof st);
    snprintf(servers, servers_size, "the system resolver");
    if (res_ninit(&st) != 0) {
        snprintf(res->why, sizeof res->why, "the system resolver could not be set up "
                 "(/etc/resolv.conf)");
        return;
    }
    if (st.nscount > 0) {
        char a[INET_ADDRSTRLEN] = "?";
        inet_ntop(AF_INET, &st.nsaddr_list[0].sin_addr, a, sizeof a);
        snprintf(servers, servers_size, "the system resolver (%s%s)", a,
                 st.nscount > 1 ? ", ..." : "");
    }
    /* glibc's res_send waits `retrans` seconds for each server on the first
       try: one try, the timeout shared by the servers (whole seconds, at
       least 1 each) */
    int ns = st.nscount > 0 ? st.nscount : 1;
    int per_server = (int)(timeout_ms / 1000 / ns);
    st.retrans = per_server < 1 ? 1 : per_server;
    st.retry = 1;
    st.options |= RES_USE_EDNS0;
    unsigned char *buf = xmalloc(DNS_MSG_MAX);
    int n = res_nquery(&st, name, ns_c_in, ns_t_txt, buf, DNS_MSG_MAX);
    int herr = st.res_h_errno;
    res_nclose(&st);
    char secs[32];
    preflight_seconds_text(timeout_ms, secs, sizeof secs);
    if (n < 0) {
        switch (herr) {
        case HOST_NOT_FOUND:
            res->answered = true;
            res->answer.rcode = DNS_RCODE_NXDOMAIN;
            break;
        case NO_DATA:
            res->answered = true;
            *nodata = true;
            break;
        case TRY_AGAIN:
            snprintf(res->why, sizeof res->why, "%s gave no answer for %s (timeout, about %s, "
                     "or SERVFAIL)", servers, name, secs);
            break;
        default:
            snprintf(res->why, sizeof res->why, "%s could not answer for %s (REFUSED, FORMERR "
                     "or NOTIMP)", servers, name);
            break;
        }
    } else {
        struct parse_error perr;
        uint16_t id = (uint16_t)(buf[0] << 8 | buf[1]);
        if (n > DNS_MSG_MAX)
            n = DNS_MSG_MAX;
        if (dns_txt_answer_parse(buf, (size_t)n, id, name, &res->answer, &perr) == 0)
            res->answered = true;
        else
            snprintf(res->why, sizeof res->why, "%.200s sent an unusable answer: %.200s", servers,
                     perr.message);
    }
    free(buf);
}

/* "\"v1\", \"v2\"" of the TXT values, sanitized, cut. */
static void values_text(const struct dns_txt_answer *a, char *out, size_t size)
{
    size_t total = 1;
    for (size_t i = 0; i < a->count; i++)
        total += strlen(a->values[i]) + 4;
    char *joined = xmalloc(total);
    size_t k = 0;
    for (size_t i = 0; i < a->count; i++)
        k += (size_t)snprintf(joined + k, total - k, "%s\"%s\"", i ? ", " : "", a->values[i]);
    preflight_text_copy(out, size, joined, k);
    free(joined);
}

enum preflight_status preflight_dns01(const struct preflight_options *o, const char *identifier,
                                      const char *key_authorization,
                                      struct preflight_result *out)
{
    preflight_result_clear(out);
    char expected[CHALLENGE_DNS01_VALUE_BUF];
    if (!identifier || !*identifier || !key_authorization || !*key_authorization ||
        challenge_dns01_txt_value(key_authorization, expected, sizeof expected) != 0)
        return preflight_result_set(out, PREFLIGHT_UNREACHABLE,
                                    "cannot check dns-01: identifier or key authorization "
                                    "missing");
    snprintf(out->expected, sizeof out->expected, "%s", expected);
    char *name = challenge_dns01_record_name(identifier);
    unsigned char probe[512];
    if (dns_txt_query_build(name, 0, probe, sizeof probe) < 0) {
        preflight_text_copy(out->where, sizeof out->where, name, strlen(name));
        preflight_result_set(out, PREFLIGHT_UNREACHABLE,
                             "cannot check dns-01: %s is not a valid DNS name", out->where);
        free(name);
        return out->status;
    }
    long timeout = preflight_timeout_ms(o);
    struct dns_outcome res;
    memset(&res, 0, sizeof res);
    dns_txt_answer_init(&res.answer);
    char via[300];
    bool nodata = false;
    if (o && o->dns_server && *o->dns_server) {
        snprintf(via, sizeof via, "%s", o->dns_server);
        query_server(o->dns_server, name, timeout, &res);
    } else {
        query_system(name, timeout, &res, via, sizeof via, &nodata);
    }
    char where[PREFLIGHT_TEXT_MAX + 320];
    snprintf(where, sizeof where, "TXT %s via %s", name, via);
    preflight_text_copy(out->where, sizeof out->where, where, strlen(where));
    char rname[32];
    if (!res.answered) {
        preflight_result_set(out, PREFLIGHT_UNREACHABLE, "%s", res.why);
    } else if (res.answer.rcode == DNS_RCODE_NXDOMAIN) {
        preflight_result_set(out, PREFLIGHT_UNREACHABLE,
                             "NXDOMAIN: %s does not exist (asked %s); publish the TXT record "
                             "first", name, via);
    } else if (res.answer.rcode != DNS_RCODE_NOERROR) {
        preflight_result_set(out, PREFLIGHT_UNREACHABLE, "%s answered %s for %s", via,
                             dns_rcode_name(res.answer.rcode, rname, sizeof rname), name);
    } else if (nodata || res.answer.count == 0) {
        snprintf(out->found, sizeof out->found, "(no TXT record)");
        preflight_result_set(out, PREFLIGHT_MISMATCH,
                             "%s has no TXT record (asked %s); publish the value first", name,
                             via);
    } else {
        bool match = false;
        for (size_t i = 0; i < res.answer.count && !match; i++)
            match = strcmp(res.answer.values[i], expected) == 0;
        values_text(&res.answer, out->found, sizeof out->found);
        if (match)
            preflight_result_set(out, PREFLIGHT_OK, "%s carries the expected value%s (asked %s)",
                                 name, res.answer.count > 1 ? " among its TXT records" : "", via);
        else
            preflight_result_set(out, PREFLIGHT_MISMATCH,
                                 "%s has %zu TXT record%s, none of them the expected value "
                                 "(asked %s)", name, res.answer.count,
                                 res.answer.count > 1 ? "s" : "", via);
    }
    dns_txt_answer_free(&res.answer);
    free(name);
    return out->status;
}
