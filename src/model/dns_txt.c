/* dns_txt: DNS TXT query building and answer parsing (see dns_txt.h). */
#include "model/dns_txt.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "model/strv.h"
#include "model/xalloc.h"

#define T_TXT_ 16
#define T_CNAME_ 5
#define T_OPT_ 41
#define C_IN_ 1
#define MAX_JUMPS 64
#define NAME_TEXT_MAX 1024

void dns_txt_answer_init(struct dns_txt_answer *a)
{
    memset(a, 0, sizeof *a);
}

void dns_txt_answer_free(struct dns_txt_answer *a)
{
    if (!a)
        return;
    strv_free(a->values, a->count);
    dns_txt_answer_init(a);
}

static void put16(unsigned char *p, unsigned v)
{
    p[0] = (unsigned char)(v >> 8);
    p[1] = (unsigned char)v;
}

static unsigned get16(const unsigned char *p)
{
    return (unsigned)p[0] << 8 | p[1];
}

/* Encode name as labels into out (at most size bytes); length or -1. */
static int encode_name(const char *name, unsigned char *out, size_t size)
{
    size_t nl = strlen(name);
    if (nl && name[nl - 1] == '.')
        nl--;
    if (nl == 0 || nl > 253)
        return -1;
    size_t k = 0;
    const char *p = name, *end = name + nl;
    while (p < end) {
        const char *dot = memchr(p, '.', (size_t)(end - p));
        size_t ll = dot ? (size_t)(dot - p) : (size_t)(end - p);
        if (ll == 0 || ll > 63 || k + 1 + ll >= size)
            return -1;
        out[k++] = (unsigned char)ll;
        memcpy(out + k, p, ll);
        k += ll;
        p += ll + (dot ? 1 : 0);
        if (dot && p == end) /* "a..": caught by ll == 0 next time; "a." stripped above */
            return -1;
    }
    if (k + 1 > size)
        return -1;
    out[k++] = 0;
    return (int)k;
}

int dns_txt_query_build(const char *name, uint16_t id, unsigned char *out, size_t size)
{
    if (!name || !out || size < 12)
        return -1;
    memset(out, 0, 12);
    put16(out, id);
    put16(out + 2, 0x0100); /* standard query, RD */
    put16(out + 4, 1);      /* QDCOUNT */
    put16(out + 10, 1);     /* ARCOUNT: the OPT record */
    int n = encode_name(name, out + 12, size - 12);
    if (n < 0)
        return -1;
    size_t k = 12 + (size_t)n;
    if (k + 4 + 11 > size)
        return -1;
    put16(out + k, T_TXT_);
    put16(out + k + 2, C_IN_);
    k += 4;
    /* OPT: root name, type 41, class = UDP payload size, ttl 0, rdlen 0 */
    out[k++] = 0;
    put16(out + k, T_OPT_);
    put16(out + k + 2, DNS_TXT_UDP_SIZE);
    memset(out + k + 4, 0, 6);
    k += 10;
    return (int)k;
}

/* Read the (possibly compressed) name at *pos into text (dotted, lower
 * case, no trailing dot; "" for the root); *pos moves past the name in
 * place.  0 or -1 on anything malformed. */
static int read_name(const unsigned char *msg, size_t len, size_t *pos, char *text, size_t size)
{
    size_t p = *pos, t = 0;
    int jumps = 0;
    bool jumped = false;
    text[0] = '\0';
    for (;;) {
        if (p >= len)
            return -1;
        unsigned l = msg[p];
        if ((l & 0xC0) == 0xC0) {
            if (p + 1 >= len || ++jumps > MAX_JUMPS)
                return -1;
            size_t target = (size_t)((l & 0x3F) << 8 | msg[p + 1]);
            if (!jumped)
                *pos = p + 2;
            jumped = true;
            if (target >= len)
                return -1;
            p = target;
            continue;
        }
        if (l & 0xC0) /* 0x40 / 0x80: extended label types, unused */
            return -1;
        if (l == 0) {
            if (!jumped)
                *pos = p + 1;
            text[t] = '\0';
            return 0;
        }
        if (p + 1 + l > len || t + l + 2 > size)
            return -1;
        if (t)
            text[t++] = '.';
        for (unsigned i = 0; i < l; i++) {
            unsigned char c = msg[p + 1 + i];
            text[t++] = (char)(c == 0 ? '?' : tolower(c));
        }
        p += 1 + l;
    }
}

static bool same_name(const char *a, const char *query)
{
    size_t ql = strlen(query);
    if (ql && query[ql - 1] == '.')
        ql--;
    return strlen(a) == ql && strncasecmp(a, query, ql) == 0;
}

const char *dns_rcode_name(int rcode, char *buf, size_t size)
{
    static const char *const names[] = {"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP",
                                        "REFUSED"};
    if (rcode >= 0 && rcode < (int)(sizeof names / sizeof names[0]))
        return names[rcode];
    snprintf(buf, size, "RCODE %d", rcode);
    return buf;
}

static char *txt_rdata(const unsigned char *rd, size_t rdlen)
{
    char *out = xmalloc(rdlen + 1);
    size_t p = 0, k = 0;
    while (p < rdlen) {
        size_t l = rd[p++];
        if (p + l > rdlen) {
            free(out);
            return NULL;
        }
        for (size_t i = 0; i < l; i++)
            out[k++] = rd[p + i] ? (char)rd[p + i] : '?';
        p += l;
    }
    out[k] = '\0';
    return out;
}

int dns_txt_answer_parse(const unsigned char *msg, size_t len, uint16_t id, const char *name,
                         struct dns_txt_answer *out, struct parse_error *err)
{
    dns_txt_answer_init(out);
    parse_error_clear(err);
    char text[NAME_TEXT_MAX];
    if (!msg || len < 12) {
        parse_error_set(err, "DNS answer too short (%zu bytes)", msg ? len : 0);
        return -1;
    }
    unsigned flags = get16(msg + 2);
    if (get16(msg) != id) {
        parse_error_set(err, "DNS answer carries another query ID");
        return -1;
    }
    if (!(flags & 0x8000) || ((flags >> 11) & 0xF) != 0) {
        parse_error_set(err, "DNS message is not an answer to a standard query");
        return -1;
    }
    unsigned qd = get16(msg + 4), an = get16(msg + 6);
    int rcode = (int)(flags & 0xF);
    bool tc = (flags & 0x0200) != 0;
    size_t pos = 12;
    if (qd > 1 || (qd == 0 && rcode == DNS_RCODE_NOERROR && !tc)) {
        parse_error_set(err, "DNS answer has %u questions, expected 1", qd);
        return -1;
    }
    if (qd == 1) {
        if (read_name(msg, len, &pos, text, sizeof text) != 0 || pos + 4 > len) {
            parse_error_set(err, "DNS answer: malformed question");
            return -1;
        }
        if (!same_name(text, name) || get16(msg + pos) != T_TXT_ || get16(msg + pos + 2) != C_IN_) {
            parse_error_set(err, "DNS answer is for another question");
            return -1;
        }
        pos += 4;
    }
    out->rcode = rcode;
    out->truncated = tc;
    for (unsigned i = 0; i < an; i++) {
        if (read_name(msg, len, &pos, text, sizeof text) != 0 || pos + 10 > len) {
            if (tc) /* a truncated answer may stop anywhere: keep what we have */
                break;
            parse_error_set(err, "DNS answer: record %u is malformed", i + 1);
            dns_txt_answer_free(out);
            return -1;
        }
        unsigned type = get16(msg + pos), cls = get16(msg + pos + 2);
        size_t rdlen = get16(msg + pos + 8);
        pos += 10;
        if (pos + rdlen > len) {
            if (tc)
                break;
            parse_error_set(err, "DNS answer: record %u runs past the end", i + 1);
            dns_txt_answer_free(out);
            return -1;
        }
        if (type == T_CNAME_)
            out->cname_count++;
        if (type == T_TXT_ && cls == C_IN_ && out->count < DNS_TXT_MAX_RECORDS) {
            char *v = txt_rdata(msg + pos, rdlen);
            if (!v) {
                parse_error_set(err, "DNS answer: TXT record %u is malformed", i + 1);
                dns_txt_answer_free(out);
                return -1;
            }
            out->values = xrealloc(out->values, (out->count + 1) * sizeof *out->values);
            out->values[out->count++] = v;
        }
        pos += rdlen;
    }
    out->rcode = rcode;
    out->truncated = tc;
    return 0;
}
