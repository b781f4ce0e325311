/* preflight_dns01: the dns-01 pre-flight check (see preflight_dns01.h).
 * Queries are built and replies parsed by ldns (model/dns_txt.c); this file
 * sends them: UDP from a connected socket (so an ICMP refusal is seen at
 * once), retransmitted every second, and again over TCP when the reply is
 * truncated, all within the check's timeout.
 *
 * Without a dns_server override it checks the way the CA's view can go
 * wrong: the recursive resolvers of /etc/resolv.conf answer for
 * _acme-challenge.<name> (the CNAME chain they follow gives the name the CA
 * will look at), an SOA walk up from that name finds the zone, its NS set
 * and their addresses give the authoritative servers, and each address is
 * asked directly, without recursion.  OK only when every one serves the
 * value: one lagging secondary is enough for the CA to fail. */
#include "net/preflight_dns01.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
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
#define RESOLVERS_MAX 3   /* like glibc's MAXNS */
#define NS_NAMES_MAX 8
#define ZONE_WALK_MAX 16  /* labels walked up looking for the SOA */

/* What came back from one server: a reply, or why not (why set). */
struct asked {
    ldns_pkt *reply;
    char why[PREFLIGHT_WHY_MAX];
};

static long long now_ms(void)
{
    return clock_mono_ms(clock_system());
}

static uint16_t random_id(void)
{
    unsigned char b[2] = {0, 0};
    if (RAND_bytes(b, sizeof b) != 1) {
        long long t = now_ms();
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
static void ask_tcp(const struct host_port *server, const char *server_text, const ldns_pkt *q,
                    const uint8_t *wire, size_t wlen, long long deadline, const char *secs,
                    struct asked *res)
{
    char why[PREFLIGHT_WHY_MAX];
    int fd = tcp_connect(server->host, NULL, server->port, deadline, why, sizeof why);
    if (fd < 0) {
        snprintf(res->why, sizeof res->why, "the answer was too big for UDP and TCP failed: %.400s",
                 why);
        return;
    }
    unsigned char lenbuf[2] = {(unsigned char)(wlen >> 8), (unsigned char)wlen};
    unsigned char *msg = NULL;
    int rc = write_full(fd, lenbuf, 2, deadline);
    if (rc == 0)
        rc = write_full(fd, wire, wlen, deadline);
    if (rc == 0)
        rc = read_full(fd, lenbuf, 2, deadline);
    size_t mlen = rc == 0 ? (size_t)(lenbuf[0] << 8 | lenbuf[1]) : 0;
    if (rc == 0) {
        msg = xmalloc(mlen ? mlen : 1);
        rc = read_full(fd, msg, mlen, deadline);
    }
    close(fd);
    if (rc == -2) {
        snprintf(res->why, sizeof res->why, "no answer over TCP from %s within %s", server_text,
                 secs);
    } else if (rc != 0) {
        snprintf(res->why, sizeof res->why, "%s closed the TCP connection without a whole answer",
                 server_text);
    } else {
        struct parse_error perr;
        if (dns_reply_parse(msg, mlen, q, &res->reply, &perr) != 0)
            snprintf(res->why, sizeof res->why, "%.200s sent an unusable answer over TCP: %.200s",
                     server_text, perr.message);
    }
    free(msg);
}

static void refused_text(int err, const char *doing, const char *server_text, struct asked *res)
{
    if (err == ECONNREFUSED)
        snprintf(res->why, sizeof res->why, "connection refused by %s: nothing listens on that "
                 "port", server_text);
    else
        snprintf(res->why, sizeof res->why, "cannot %s %s: %s", doing, server_text,
                 strerror(err));
}

/* One question (type of name) to one server within budget_ms: UDP,
 * retransmitted, then TCP when truncated.  res->reply set, or res->why. */
static void ask(const struct host_port *server, const char *name, ldns_rr_type type, bool rd,
                long budget_ms, struct asked *res)
{
    memset(res, 0, sizeof *res);
    char secs[32];
    preflight_seconds_text(budget_ms, secs, sizeof secs);
    long long deadline = now_ms() + budget_ms;
    char server_text[300];
    host_port_format(server->host, server->port, server_text, sizeof server_text);
    ldns_pkt *q = dns_query_new(name, type, rd, random_id());
    uint8_t *wire = NULL;
    size_t wlen = 0;
    if (!q || ldns_pkt2wire(&wire, q, &wlen) != LDNS_STATUS_OK) {
        snprintf(res->why, sizeof res->why, "cannot ask for %.300s: not a valid DNS name", name);
        ldns_pkt_free(q);
        return;
    }
    struct addrinfo hints, *ai = NULL;
    memset(&hints, 0, sizeof hints);
    hints.ai_socktype = SOCK_DGRAM;
    char port_text[16];
    snprintf(port_text, sizeof port_text, "%d", server->port);
    int gai = getaddrinfo(server->host, port_text, &hints, &ai);
    int fd = -1;
    if (gai != 0) {
        snprintf(res->why, sizeof res->why, "the DNS server name %s does not resolve: %s",
                 server->host, gai_strerror(gai));
    } else {
        fd = socket(ai->ai_family, SOCK_DGRAM, 0);
        if (fd < 0 || fcntl(fd, F_SETFL, O_NONBLOCK) < 0 || fcntl(fd, F_SETFD, FD_CLOEXEC) < 0 ||
            connect(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
            refused_text(errno, "query", server_text, res);
            if (fd >= 0)
                close(fd);
            fd = -1;
        }
        freeaddrinfo(ai);
    }
    unsigned char *buf = fd >= 0 ? xmalloc(DNS_MSG_MAX) : NULL;
    long long next_send = 0;
    char bad[256] = "";
    while (fd >= 0) {
        long long now = now_ms();
        if (now >= deadline) {
            if (bad[0])
                snprintf(res->why, sizeof res->why, "no usable answer from %.200s within %s "
                         "(%.200s)", server_text, secs, bad);
            else
                snprintf(res->why, sizeof res->why, "no answer from %s within %s", server_text,
                         secs);
            break;
        }
        if (now >= next_send) {
            if (send(fd, wire, wlen, 0) < 0 && errno != EAGAIN && errno != EINTR) {
                refused_text(errno, "send to", server_text, res);
                break;
            }
            next_send = now + RETRANSMIT_MS;
        }
        int w = tcp_wait(fd, POLLIN, next_send < deadline ? next_send : deadline);
        if (w < 0) {
            refused_text(errno, "read from", server_text, res);
            break;
        }
        if (w == 0)
            continue;
        ssize_t n = recv(fd, buf, DNS_MSG_MAX, 0);
        if (n < 0) {
            if (errno == EAGAIN || errno == EINTR)
                continue;
            refused_text(errno, "read from", server_text, res);
            break;
        }
        struct parse_error perr;
        if (dns_reply_parse(buf, (size_t)n, q, &res->reply, &perr) != 0) {
            /* someone else's datagram, or garbage: keep waiting for ours */
            snprintf(bad, sizeof bad, "%s", perr.message);
            continue;
        }
        if (ldns_pkt_tc(res->reply)) {
            ldns_pkt_free(res->reply);
            res->reply = NULL;
            ask_tcp(server, server_text, q, wire, wlen, deadline, secs, res);
        }
        break;
    }
    if (fd >= 0)
        close(fd);
    free(buf);
    free(wire);
    ldns_pkt_free(q);
}

/* The recursive resolvers: the test override, or /etc/resolv.conf's. */
struct resolvers {
    struct host_port list[RESOLVERS_MAX];
    size_t count;
    char text[300]; /* "the system resolver (10.0.0.1, ...)" */
};

static int resolvers_get(const struct preflight_options *o, struct resolvers *r, char *why,
                         size_t why_size)
{
    memset(r, 0, sizeof *r);
    struct parse_error perr;
    if (o && o->test_resolver) {
        if (host_port_parse(o->test_resolver, 53, 0, "DNS server", &r->list[0], &perr) != 0) {
            snprintf(why, why_size, "cannot check dns-01: %s", perr.message);
            return -1;
        }
        r->count = 1;
        host_port_format(r->list[0].host, r->list[0].port, r->text, sizeof r->text);
        return 0;
    }
    ldns_resolver *res = NULL;
    if (ldns_resolver_new_frm_file(&res, NULL) != LDNS_STATUS_OK || !res) {
        snprintf(why, why_size, "the system resolver could not be set up (/etc/resolv.conf)");
        return -1;
    }
    ldns_rdf **ns = ldns_resolver_nameservers(res);
    for (size_t i = 0; i < ldns_resolver_nameserver_count(res) && r->count < RESOLVERS_MAX; i++) {
        char *a = ldns_rdf2str(ns[i]);
        if (a && strlen(a) < HOST_PORT_HOST_MAX) {
            snprintf(r->list[r->count].host, HOST_PORT_HOST_MAX, "%s", a);
            r->list[r->count++].port = 53;
        }
        free(a);
    }
    ldns_resolver_deep_free(res);
    if (r->count == 0) { /* glibc's default */
        snprintf(r->list[0].host, HOST_PORT_HOST_MAX, "127.0.0.1");
        r->list[0].port = 53;
        r->count = 1;
    }
    snprintf(r->text, sizeof r->text, "the system resolver (%s%s)", r->list[0].host,
             r->count > 1 ? ", ..." : "");
    return 0;
}

/* Ask the resolvers in turn (recursion desired) until one answers; each
 * gets a share of what is left before deadline. */
static void ask_recursive(const struct resolvers *r, const char *name, ldns_rr_type type,
                          long long deadline, struct asked *res)
{
    for (size_t i = 0; i < r->count; i++) {
        long left = (long)(deadline - now_ms());
        if (left < 1)
            left = 1;
        ask(&r->list[i], name, type, true, left / (long)(r->count - i), res);
        if (res->reply)
            return;
    }
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

static bool serves(const struct dns_txt_answer *a, const char *expected)
{
    for (size_t i = 0; i < a->count; i++)
        if (strcmp(a->values[i], expected) == 0)
            return true;
    return false;
}

/* ---- only the configured server (the dns_server override) -------------- */

static void check_one_server(const struct preflight_options *o, const char *name,
                             const char *expected, long timeout, struct preflight_result *out)
{
    char where[PREFLIGHT_TEXT_MAX + 320];
    snprintf(where, sizeof where, "TXT %s via %s", name, o->dns_server);
    preflight_text_copy(out->where, sizeof out->where, where, strlen(where));
    struct host_port server;
    struct parse_error perr;
    if (host_port_parse(o->dns_server, 53, 0, "DNS server", &server, &perr) != 0) {
        preflight_result_set(out, PREFLIGHT_UNREACHABLE, "cannot check dns-01: %s",
                             perr.message);
        return;
    }
    struct asked res;
    ask(&server, name, LDNS_RR_TYPE_TXT, true, timeout, &res);
    if (!res.reply) {
        preflight_result_set(out, PREFLIGHT_UNREACHABLE, "%s", res.why);
        return;
    }
    struct dns_txt_answer a;
    dns_txt_answer_read(res.reply, name, &a);
    ldns_pkt_free(res.reply);
    const char *via = o->dns_server;
    char rname[32];
    if (a.rcode == LDNS_RCODE_NXDOMAIN) {
        preflight_result_set(out, PREFLIGHT_UNREACHABLE,
                             "NXDOMAIN: %s does not exist (asked %s); publish the TXT record "
                             "first", name, via);
    } else if (a.rcode != LDNS_RCODE_NOERROR) {
        preflight_result_set(out, PREFLIGHT_UNREACHABLE, "%s answered %s for %s", via,
                             dns_rcode_name(a.rcode, rname, sizeof rname), name);
    } else if (a.count == 0) {
        snprintf(out->found, sizeof out->found, "(no TXT record)");
        preflight_result_set(out, PREFLIGHT_MISMATCH,
                             "%s has no TXT record (asked %s); publish the value first", name,
                             via);
    } else {
        values_text(&a, out->found, sizeof out->found);
        if (serves(&a, expected))
            preflight_result_set(out, PREFLIGHT_OK, "%s carries the expected value%s (asked %s)",
                                 name, a.count > 1 ? " among its TXT records" : "", via);
        else
            preflight_result_set(out, PREFLIGHT_MISMATCH,
                                 "%s has %zu TXT record%s, none of them the expected value "
                                 "(asked %s)", name, a.count, a.count > 1 ? "s" : "", via);
    }
    dns_txt_answer_free(&a);
}

/* ---- every authoritative server of the zone ---------------------------- */

/* The zone of name: walk up until a server names it with an SOA (in the
 * answer, or the authority section of a negative answer).  Malloc'ed, or
 * NULL with why. */
static char *zone_find(const struct resolvers *r, const char *name, long long deadline,
                       char *why, size_t why_size)
{
    const char *z = name;
    for (int i = 0; i < ZONE_WALK_MAX && *z; i++) {
        struct asked res;
        ask_recursive(r, z, LDNS_RR_TYPE_SOA, deadline, &res);
        if (!res.reply) {
            snprintf(why, why_size, "cannot find the zone of %.180s: %.280s", name, res.why);
            return NULL;
        }
        char *zone = dns_reply_soa_zone(res.reply);
        ldns_pkt_free(res.reply);
        if (zone)
            return zone;
        const char *dot = strchr(z, '.');
        z = dot ? dot + 1 : "";
    }
    snprintf(why, why_size, "cannot find the zone of %.200s: %.200s names no SOA record for it "
             "or a parent", name, r->text);
    return NULL;
}

/* One row per address of each NS name of zone (what fits). */
static void rows_of_zone(const struct resolvers *r, const char *zone, long long deadline,
                         struct preflight_result *out, char *why, size_t why_size)
{
    struct asked res;
    ask_recursive(r, zone, LDNS_RR_TYPE_NS, deadline, &res);
    if (!res.reply) {
        snprintf(why, why_size, "cannot read the NS records of %.180s: %.280s", zone, res.why);
        return;
    }
    char *names[NS_NAMES_MAX];
    size_t n = dns_reply_records(res.reply, zone, LDNS_RR_TYPE_NS, names, NS_NAMES_MAX);
    if (n == 0)
        snprintf(why, why_size, "%.200s answered no NS records for the zone %.200s", r->text,
                 zone);
    static const ldns_rr_type families[] = {LDNS_RR_TYPE_A, LDNS_RR_TYPE_AAAA};
    for (size_t i = 0; i < n; i++) {
        size_t before = out->dns_row_count;
        for (size_t f = 0; f < 2; f++) {
            char *addrs[PREFLIGHT_DNS_ROWS_MAX];
            size_t k = dns_reply_records(res.reply, names[i], families[f], addrs,
                                         PREFLIGHT_DNS_ROWS_MAX);
            if (k == 0) { /* no glue: ask */
                struct asked a;
                ask_recursive(r, names[i], families[f], deadline, &a);
                if (a.reply) {
                    k = dns_reply_records(a.reply, names[i], families[f], addrs,
                                          PREFLIGHT_DNS_ROWS_MAX);
                    ldns_pkt_free(a.reply);
                }
            }
            for (size_t j = 0; j < k; j++) {
                if (out->dns_row_count < PREFLIGHT_DNS_ROWS_MAX) {
                    struct preflight_dns_row *row = &out->dns_rows[out->dns_row_count++];
                    char text[2 * PREFLIGHT_TEXT_MAX];
                    int len = snprintf(text, sizeof text, "%s (%s)", addrs[j], names[i]);
                    preflight_text_copy(row->server, sizeof row->server, text, (size_t)len);
                    row->ttl = -1;
                }
                free(addrs[j]);
            }
        }
        if (out->dns_row_count == before && out->dns_row_count < PREFLIGHT_DNS_ROWS_MAX) {
            struct preflight_dns_row *row = &out->dns_rows[out->dns_row_count++];
            preflight_text_copy(row->server, sizeof row->server, names[i], strlen(names[i]));
            row->status = PREFLIGHT_UNREACHABLE;
            row->ttl = -1;
            snprintf(row->detail, sizeof row->detail, "its address does not resolve");
        }
        free(names[i]);
    }
    ldns_pkt_free(res.reply);
}

/* Where the nameserver at address is asked: port 53, unless the tests'
 * routes ("ADDR=HOST:PORT,...") send it elsewhere. */
static void ns_route(const char *routes, const char *address, struct host_port *out)
{
    snprintf(out->host, sizeof out->host, "%s", address);
    out->port = 53;
    size_t alen = strlen(address);
    for (const char *p = routes; p && *p;) {
        size_t len = strcspn(p, ",");
        if (len > alen + 1 && strncmp(p, address, alen) == 0 && p[alen] == '=') {
            char to[HOST_PORT_HOST_MAX + 8];
            snprintf(to, sizeof to, "%.*s", (int)(len - alen - 1), p + alen + 1);
            struct parse_error perr;
            struct host_port hp;
            if (host_port_parse(to, 53, 0, "DNS server", &hp, &perr) == 0)
                *out = hp;
            return;
        }
        p += len + (p[len] == ',');
    }
}

/* Ask one row's server for the TXT of target; fill the row, and out->found
 * with what the first server not serving the value served. */
static void ask_row(struct preflight_dns_row *row, const char *routes, const char *target,
                    const char *expected, long budget, char *found, size_t found_size)
{
    char address[HOST_PORT_HOST_MAX];
    size_t alen = strcspn(row->server, " ");
    snprintf(address, sizeof address, "%.*s", (int)alen, row->server);
    struct host_port server;
    ns_route(routes, address, &server);
    struct asked res;
    ask(&server, target, LDNS_RR_TYPE_TXT, false, budget, &res);
    if (!res.reply) {
        row->status = PREFLIGHT_UNREACHABLE;
        preflight_text_copy(row->detail, sizeof row->detail, res.why, strlen(res.why));
        return;
    }
    struct dns_txt_answer a;
    dns_txt_answer_read(res.reply, target, &a);
    ldns_pkt_free(res.reply);
    char rname[32];
    row->ttl = a.ttl;
    if (a.rcode == LDNS_RCODE_NXDOMAIN) {
        row->status = PREFLIGHT_MISMATCH;
        snprintf(row->detail, sizeof row->detail, "NXDOMAIN: no such name there");
    } else if (a.rcode != LDNS_RCODE_NOERROR) {
        row->status = PREFLIGHT_UNREACHABLE;
        snprintf(row->detail, sizeof row->detail, "answered %s",
                 dns_rcode_name(a.rcode, rname, sizeof rname));
    } else if (a.count == 0) {
        row->status = PREFLIGHT_MISMATCH;
        snprintf(row->detail, sizeof row->detail, "no TXT record");
    } else if (serves(&a, expected)) {
        row->status = PREFLIGHT_OK;
        snprintf(row->detail, sizeof row->detail, "serves the value");
    } else {
        row->status = PREFLIGHT_MISMATCH;
        char v[PREFLIGHT_TEXT_MAX - 16];
        values_text(&a, v, sizeof v);
        snprintf(row->detail, sizeof row->detail, "serves %s", v);
    }
    if (row->status == PREFLIGHT_MISMATCH && !found[0]) {
        if (a.count)
            values_text(&a, found, found_size);
        else
            snprintf(found, found_size, "(no TXT record)");
    }
    dns_txt_answer_free(&a);
}

static void check_authoritative(const struct preflight_options *o, const char *name,
                                const char *expected, long timeout,
                                struct preflight_result *out)
{
    long long deadline = now_ms() + timeout;
    struct resolvers r;
    char why[PREFLIGHT_WHY_MAX] = "";
    if (resolvers_get(o, &r, why, sizeof why) != 0) {
        preflight_result_set(out, PREFLIGHT_UNREACHABLE, "%s", why);
        return;
    }
    char where[PREFLIGHT_TEXT_MAX + 320];
    snprintf(where, sizeof where, "TXT %s via %s", name, r.text);
    preflight_text_copy(out->where, sizeof out->where, where, strlen(where));

    /* the recursive answer, and the name the CA ends up at */
    struct asked res;
    ask_recursive(&r, name, LDNS_RR_TYPE_TXT, deadline, &res);
    if (!res.reply) {
        preflight_result_set(out, PREFLIGHT_UNREACHABLE, "%s", res.why);
        return;
    }
    struct dns_txt_answer rec;
    dns_txt_answer_read(res.reply, name, &rec);
    ldns_pkt_free(res.reply);
    char rname[32], text[2 * PREFLIGHT_TEXT_MAX + 320], vals[PREFLIGHT_TEXT_MAX];
    char via_cname[PREFLIGHT_TEXT_MAX] = "";
    if (rec.cname_count)
        snprintf(via_cname, sizeof via_cname, "CNAME %.200s: ", rec.target);
    int len;
    if (rec.rcode != LDNS_RCODE_NOERROR)
        len = snprintf(text, sizeof text, "%s%s from %s", via_cname,
                       dns_rcode_name(rec.rcode, rname, sizeof rname), r.text);
    else if (rec.count == 0)
        len = snprintf(text, sizeof text, "%sno TXT record, from %s", via_cname, r.text);
    else {
        values_text(&rec, vals, sizeof vals);
        len = snprintf(text, sizeof text, "%s%s (TTL %ld) from %s", via_cname, vals, rec.ttl,
                       r.text);
    }
    preflight_text_copy(out->recursive, sizeof out->recursive, text, (size_t)len);
    if (rec.rcode != LDNS_RCODE_NOERROR && rec.rcode != LDNS_RCODE_NXDOMAIN) {
        preflight_result_set(out, PREFLIGHT_UNREACHABLE, "%s answered %s for %s", r.text,
                             dns_rcode_name(rec.rcode, rname, sizeof rname), name);
        dns_txt_answer_free(&rec);
        return;
    }
    char *target = xstrdup(rec.target);
    bool cname = rec.cname_count > 0;
    dns_txt_answer_free(&rec);

    char *zone = zone_find(&r, target, deadline, why, sizeof why);
    if (zone)
        rows_of_zone(&r, zone, deadline, out, why, sizeof why);
    if (zone && out->dns_row_count) {
        len = snprintf(where, sizeof where, "TXT %s%s%s at the authoritative servers of %s",
                       name, cname ? " -> CNAME " : "", cname ? target : "", zone);
        preflight_text_copy(out->where, sizeof out->where, where, (size_t)len);
    }
    size_t rows = out->dns_row_count, ok = 0, mismatched = 0;
    const char *routes = o ? o->test_ns_routes : NULL;
    for (size_t i = 0; i < rows; i++) {
        struct preflight_dns_row *row = &out->dns_rows[i];
        if (!row->detail[0]) {
            long left = (long)(deadline - now_ms());
            long share = left / (long)(rows - i);
            ask_row(row, routes, target, expected, share > 1 ? share : 1, out->found,
                    sizeof out->found);
        }
        ok += row->status == PREFLIGHT_OK;
        mismatched += row->status == PREFLIGHT_MISMATCH;
    }
    if (!zone || !rows) {
        preflight_result_set(out, PREFLIGHT_UNREACHABLE, "%s", why);
    } else if (ok == rows) {
        if (!out->found[0])
            snprintf(out->found, sizeof out->found, "\"%s\"", expected);
        if (rows == 1)
            preflight_result_set(out, PREFLIGHT_OK, "%s carries the expected value on the "
                                 "one authoritative server of %s", target, zone);
        else
            preflight_result_set(out, PREFLIGHT_OK, "%s carries the expected value on all %zu "
                                 "authoritative servers of %s", target, rows, zone);
    } else {
        const struct preflight_dns_row *bad = NULL;
        for (size_t i = 0; i < rows && !bad; i++)
            if (out->dns_rows[i].status != PREFLIGHT_OK)
                bad = &out->dns_rows[i];
        preflight_result_set(out, mismatched ? PREFLIGHT_MISMATCH : PREFLIGHT_UNREACHABLE,
                             "%zu of %zu authoritative servers of %s serve the expected value "
                             "for %s; %s: %s", ok, rows, zone, target, bad->server, bad->detail);
    }
    free(zone);
    free(target);
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
    ldns_pkt *probe = dns_query_new(name, LDNS_RR_TYPE_TXT, true, 0);
    if (!probe) {
        preflight_text_copy(out->where, sizeof out->where, name, strlen(name));
        preflight_result_set(out, PREFLIGHT_UNREACHABLE,
                             "cannot check dns-01: %s is not a valid DNS name", out->where);
        free(name);
        return out->status;
    }
    ldns_pkt_free(probe);
    long timeout = preflight_timeout_ms(o);
    if (o && o->dns_server && *o->dns_server)
        check_one_server(o, name, expected, timeout, out);
    else
        check_authoritative(o, name, expected, timeout, out);
    free(name);
    return out->status;
}

void preflight_dns01_rows_text(const struct preflight_result *r, char *buf, size_t size)
{
    if (!size)
        return;
    buf[0] = '\0';
    if (!r->dns_row_count && !r->recursive[0])
        return;
    int width = 0;
    for (size_t i = 0; i < r->dns_row_count; i++) {
        int w = (int)strlen(r->dns_rows[i].server);
        width = w > width ? w : width;
    }
    size_t k = 0;
    for (size_t i = 0; i < r->dns_row_count && k < size; i++) {
        const struct preflight_dns_row *row = &r->dns_rows[i];
        char ttl[32] = "";
        if (row->ttl >= 0)
            snprintf(ttl, sizeof ttl, ", TTL %ld", row->ttl);
        k += (size_t)snprintf(buf + k, size - k, "%s  %-*s  %-11s %s%s", i ? "\n" : "", width,
                              row->server, preflight_status_name(row->status), row->detail,
                              ttl);
    }
    if (r->recursive[0] && k < size)
        snprintf(buf + k, size - k, "%srecursive: %s", k ? "\n  " : "  ", r->recursive);
}
