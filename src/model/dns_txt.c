/* dns_txt: one DNS question and what its reply says (see dns_txt.h). */
#include "model/dns_txt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/xalloc.h"

ldns_pkt *dns_query_new(const char *name, ldns_rr_type type, bool rd, uint16_t id)
{
    if (!name || !*name || strcmp(name, ".") == 0)
        return NULL;
    ldns_rdf *dname = NULL;
    if (ldns_str2rdf_dname(&dname, name) != LDNS_STATUS_OK || !dname)
        return NULL;
    ldns_pkt *q = ldns_pkt_query_new(dname, type, LDNS_RR_CLASS_IN, rd ? LDNS_RD : 0);
    if (!q)
        return NULL;
    ldns_pkt_set_id(q, id);
    ldns_pkt_set_edns_udp_size(q, DNS_TXT_UDP_SIZE);
    return q;
}

int dns_reply_parse(const unsigned char *msg, size_t len, const ldns_pkt *q, ldns_pkt **out,
                    struct parse_error *err)
{
    *out = NULL;
    ldns_pkt *p = NULL;
    if (!msg || ldns_wire2pkt(&p, msg, len) != LDNS_STATUS_OK || !p) {
        parse_error_set(err, "not a DNS message (%zu bytes)", len);
        return -1;
    }
    const char *bad = NULL;
    ldns_rr *asked = ldns_rr_list_rr(ldns_pkt_question(q), 0);
    ldns_rr *said = ldns_pkt_qdcount(p) == 1 ? ldns_rr_list_rr(ldns_pkt_question(p), 0) : NULL;
    if (!ldns_pkt_qr(p))
        bad = "a query, not a response";
    else if (ldns_pkt_id(p) != ldns_pkt_id(q))
        bad = "the answer to another query (ID)";
    else if (!said || !asked || ldns_rr_get_type(said) != ldns_rr_get_type(asked) ||
             ldns_dname_compare(ldns_rr_owner(said), ldns_rr_owner(asked)) != 0)
        bad = "the answer to another question";
    if (bad) {
        parse_error_set(err, "%s", bad);
        ldns_pkt_free(p);
        return -1;
    }
    *out = p;
    return 0;
}

void dns_txt_answer_init(struct dns_txt_answer *a)
{
    memset(a, 0, sizeof *a);
    a->ttl = -1;
}

void dns_txt_answer_free(struct dns_txt_answer *a)
{
    for (size_t i = 0; i < a->count; i++)
        free(a->values[i]);
    free(a->values);
    free(a->target);
    dns_txt_answer_init(a);
}

/* A name as text without the trailing dot ("." stays); malloc'ed. */
static char *name_text(const ldns_rdf *d)
{
    char *s = ldns_rdf2str(d);
    if (!s)
        return xstrdup("?");
    size_t n = strlen(s);
    if (n > 1 && s[n - 1] == '.')
        s[n - 1] = '\0';
    char *copy = xstrdup(s);
    free(s);
    return copy;
}

/* The character-strings of a TXT record, concatenated; NUL -> '?'. */
static char *txt_text(const ldns_rr *rr)
{
    size_t total = 1;
    for (size_t i = 0; i < ldns_rr_rd_count(rr); i++)
        total += ldns_rdf_size(ldns_rr_rdf(rr, i));
    char *s = xmalloc(total);
    size_t k = 0;
    for (size_t i = 0; i < ldns_rr_rd_count(rr); i++) {
        const ldns_rdf *f = ldns_rr_rdf(rr, i);
        const uint8_t *d = ldns_rdf_data(f);
        size_t size = ldns_rdf_size(f);
        if (size < 1 || ldns_rdf_get_type(f) != LDNS_RDF_TYPE_STR)
            continue;
        size_t n = d[0] < size - 1 ? d[0] : size - 1;
        for (size_t j = 0; j < n; j++)
            s[k++] = d[1 + j] ? (char)d[1 + j] : '?';
    }
    s[k] = '\0';
    return s;
}

void dns_txt_answer_read(const ldns_pkt *reply, const char *name, struct dns_txt_answer *out)
{
    dns_txt_answer_init(out);
    out->rcode = ldns_pkt_get_rcode(reply);
    out->truncated = ldns_pkt_tc(reply);
    ldns_rdf *cur = NULL;
    if (ldns_str2rdf_dname(&cur, name) != LDNS_STATUS_OK || !cur) {
        out->target = xstrdup(name);
        return;
    }
    const ldns_rr_list *ans = ldns_pkt_answer(reply);
    size_t n = ldns_rr_list_rr_count(ans);
    /* the CNAME chain, as a resolver follows it */
    for (bool moved = true; moved && out->cname_count < DNS_TXT_MAX_CNAMES;) {
        moved = false;
        for (size_t i = 0; i < n; i++) {
            const ldns_rr *rr = ldns_rr_list_rr(ans, i);
            if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_CNAME || ldns_rr_rd_count(rr) < 1 ||
                ldns_dname_compare(ldns_rr_owner(rr), cur) != 0)
                continue;
            ldns_rdf *next = ldns_rdf_clone(ldns_rr_rdf(rr, 0));
            ldns_rdf_deep_free(cur);
            cur = next;
            out->cname_count++;
            moved = true;
            break;
        }
    }
    out->target = name_text(cur);
    for (size_t i = 0; i < n && out->count < DNS_TXT_MAX_RECORDS; i++) {
        const ldns_rr *rr = ldns_rr_list_rr(ans, i);
        if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_TXT ||
            ldns_dname_compare(ldns_rr_owner(rr), cur) != 0)
            continue;
        if (!out->values)
            out->values = xcalloc(DNS_TXT_MAX_RECORDS, sizeof *out->values);
        out->values[out->count++] = txt_text(rr);
        long ttl = (long)ldns_rr_ttl(rr);
        if (out->ttl < 0 || ttl < out->ttl)
            out->ttl = ttl;
    }
    ldns_rdf_deep_free(cur);
}

size_t dns_reply_records(const ldns_pkt *reply, const char *owner, ldns_rr_type type,
                         char **out, size_t max)
{
    ldns_rdf *want = NULL;
    if (ldns_str2rdf_dname(&want, owner) != LDNS_STATUS_OK || !want)
        return 0;
    size_t k = 0;
    const ldns_rr_list *sections[] = {ldns_pkt_answer(reply), ldns_pkt_additional(reply)};
    for (size_t s = 0; s < 2; s++) {
        for (size_t i = 0; i < ldns_rr_list_rr_count(sections[s]) && k < max; i++) {
            const ldns_rr *rr = ldns_rr_list_rr(sections[s], i);
            if (ldns_rr_get_type(rr) != type || ldns_rr_rd_count(rr) < 1 ||
                ldns_dname_compare(ldns_rr_owner(rr), want) != 0)
                continue;
            const ldns_rdf *f = ldns_rr_rdf(rr, 0);
            if (ldns_rdf_get_type(f) == LDNS_RDF_TYPE_DNAME) {
                out[k++] = name_text(f);
            } else {
                char *s2 = ldns_rdf2str(f);
                out[k++] = xstrdup(s2 ? s2 : "?");
                free(s2);
            }
        }
    }
    ldns_rdf_deep_free(want);
    return k;
}

char *dns_reply_soa_zone(const ldns_pkt *reply)
{
    const ldns_rr_list *sections[] = {ldns_pkt_answer(reply), ldns_pkt_authority(reply)};
    for (size_t s = 0; s < 2; s++)
        for (size_t i = 0; i < ldns_rr_list_rr_count(sections[s]); i++) {
            const ldns_rr *rr = ldns_rr_list_rr(sections[s], i);
            if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_SOA)
                return name_text(ldns_rr_owner(rr));
        }
    return NULL;
}

const char *dns_rcode_name(int rcode, char *buf, size_t size)
{
    switch (rcode) {
    case LDNS_RCODE_NOERROR: return "NOERROR";
    case LDNS_RCODE_FORMERR: return "FORMERR";
    case LDNS_RCODE_SERVFAIL: return "SERVFAIL";
    case LDNS_RCODE_NXDOMAIN: return "NXDOMAIN";
    case LDNS_RCODE_NOTIMPL: return "NOTIMP";
    case LDNS_RCODE_REFUSED: return "REFUSED";
    default: snprintf(buf, size, "RCODE %d", rcode); return buf;
    }
}
