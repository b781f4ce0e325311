/* check_report: the --check line from the orders (see check_report.h). */
#include "model/check_report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/cert_expiry.h"
#include "model/reltime.h"
#include "model/renew_link.h"
#include "model/strbuf.h"
#include "model/xalloc.h"

#define NAMED_MAX 3 /* problems named in the summary; the rest are counted */

/* Text of the summary: a '|' would start the perfdata, a newline a second
 * line of output. */
static void add_clean(struct strbuf *l, const char *text, size_t max_bytes)
{
    char buf[256];
    size_t n = 0;
    for (const char *p = text ? text : ""; *p && n + 1 < sizeof buf && n < max_bytes; p++)
        buf[n++] = *p == '|' ? '/' : (*p == '\n' || *p == '\r' || *p == '\t') ? ' ' : *p;
    buf[n] = '\0';
    strbuf_addf(l, "%s", buf);
}

const char *check_status_name(enum check_status s)
{
    switch (s) {
    case CHECK_OK: return "OK";
    case CHECK_WARNING: return "WARNING";
    case CHECK_CRITICAL: return "CRITICAL";
    case CHECK_UNKNOWN: break;
    }
    return "UNKNOWN";
}

char *check_report_unknown(const char *sentence)
{
    struct strbuf l = {0};
    strbuf_addf(&l, "ACMETOP UNKNOWN - ");
    add_clean(&l, sentence, 200);
    return l.s;
}

/* One problem: a certificate, or an order. */
struct problem {
    const struct order *o;
    time_t when; /* not_after, or the order's expiry; 0 for an error */
    enum cert_expiry_class cls;
};

static int by_when(const void *pa, const void *pb)
{
    const struct problem *a = pa, *b = pb;
    if (a->when != b->when)
        return a->when < b->when ? -1 : 1;
    return strcmp(a->o->id, b->o->id);
}

static void add_span(struct strbuf *l, double seconds)
{
    char buf[RELTIME_BUF];
    reltime_format_span((long long)seconds, buf, sizeof buf);
    strbuf_addf(l, "%s", buf);
}

/* "www.example.com +1 (order 3f95ab12)" */
static void add_name(struct strbuf *l, const struct order *o)
{
    add_clean(l, o->identifier_count ? o->identifiers[0] : "(no identifier)", 100);
    if (o->identifier_count > 1)
        strbuf_addf(l, " +%zu", o->identifier_count - 1);
    strbuf_addf(l, " (order %.*s)", order_short_id_len(o->id), o->id);
}

/* "www.example.com (order …) expires in 3d, api… expired 1d ago, +2 more" */
static void add_certs(struct strbuf *l, const struct problem *p, size_t n, time_t now)
{
    for (size_t i = 0; i < n && i < NAMED_MAX; i++) {
        strbuf_addf(l, "%s", i ? ", " : ": ");
        add_name(l, p[i].o);
        char rel[RELTIME_BUF];
        reltime_format(p[i].when, now, rel, sizeof rel);
        strbuf_addf(l, p[i].cls == CERT_EXPIRY_EXPIRED ? " expired %s" : " expires %s", rel);
    }
    if (n > NAMED_MAX)
        strbuf_addf(l, ", +%zu more", n - NAMED_MAX);
}

enum check_status check_report(const struct order *const *orders, size_t n,
                               const struct check_thresholds *t, time_t now, char **line)
{
    struct renew_links links;
    renew_links_compute(orders, n, &links);
    size_t alloc = n ? n : 1;
    struct problem *crit = xcalloc(alloc, sizeof *crit), *warn = xcalloc(alloc, sizeof *warn);
    struct problem *errs = xcalloc(alloc, sizeof *errs), *late = xcalloc(alloc, sizeof *late);
    size_t ncrit = 0, nwarn = 0, nerr = 0, nlate = 0, ncerts = 0, nexpired = 0;
    size_t per_status[ORDER_STATUS_COUNT] = {0};
    const struct order *soonest = NULL;
    for (size_t i = 0; i < n; i++) {
        const struct order *o = orders[i];
        per_status[o->status < ORDER_STATUS_COUNT ? o->status : ORDER_STATUS_UNKNOWN]++;
        if (o->status == ORDER_COMPLETED && !links.superseded[i] && o->cert_not_after) {
            ncerts++;
            if (!soonest || o->cert_not_after < soonest->cert_not_after)
                soonest = o;
            enum cert_expiry_class c = cert_expiry_class(o->cert_not_after, now, t->warn_s,
                                                         t->crit_s);
            struct problem p = {o, o->cert_not_after, c};
            if (c == CERT_EXPIRY_EXPIRED)
                nexpired++;
            if (c == CERT_EXPIRY_CRIT || c == CERT_EXPIRY_EXPIRED)
                crit[ncrit++] = p;
            else if (c == CERT_EXPIRY_WARN)
                warn[nwarn++] = p;
        } else if (o->status == ORDER_ERROR && t->errors && !links.retried[i]) {
            errs[nerr++] = (struct problem){o, o->last_update, CERT_EXPIRY_UNKNOWN};
        } else if (o->status == ORDER_AWAITING_CHALLENGE && t->pending && o->expires &&
                   (double)o->expires - (double)now <= t->crit_s) {
            late[nlate++] = (struct problem){o, o->expires, CERT_EXPIRY_UNKNOWN};
        }
    }
    qsort(crit, ncrit, sizeof *crit, by_when);
    qsort(warn, nwarn, sizeof *warn, by_when);
    qsort(errs, nerr, sizeof *errs, by_when);
    qsort(late, nlate, sizeof *late, by_when);
    enum check_status st = ncrit ? CHECK_CRITICAL : (nwarn || nerr || nlate) ? CHECK_WARNING
                                                                              : CHECK_OK;
    struct strbuf l = {0};
    strbuf_addf(&l, "ACMETOP %s - ", check_status_name(st));
    bool any = false;
    if (ncrit) {
        strbuf_addf(&l, "%zu certificate%s expired or expiring within ", ncrit, ncrit == 1 ? "" : "s");
        add_span(&l, t->crit_s);
        add_certs(&l, crit, ncrit, now);
        any = true;
    }
    if (nwarn) {
        strbuf_addf(&l, "%s%zu certificate%s expiring within ", any ? "; " : "", nwarn,
            nwarn == 1 ? "" : "s");
        add_span(&l, t->warn_s);
        add_certs(&l, warn, nwarn, now);
        any = true;
    }
    if (nerr) {
        strbuf_addf(&l, "%s%zu order%s in error", any ? "; " : "", nerr, nerr == 1 ? "" : "s");
        for (size_t i = 0; i < nerr && i < NAMED_MAX; i++) {
            strbuf_addf(&l, "%s", i ? ", " : ": ");
            add_name(&l, errs[i].o);
            if (errs[i].o->last_error && *errs[i].o->last_error) {
                strbuf_addf(&l, " \"");
                add_clean(&l, errs[i].o->last_error, 80);
                strbuf_addf(&l, "\"");
            }
        }
        if (nerr > NAMED_MAX)
            strbuf_addf(&l, ", +%zu more", nerr - NAMED_MAX);
        any = true;
    }
    if (nlate) {
        strbuf_addf(&l, "%s%zu order%s awaiting the operator expiring within ", any ? "; " : "", nlate,
            nlate == 1 ? "" : "s");
        add_span(&l, t->crit_s);
        add_certs(&l, late, nlate, now);
        any = true;
    }
    if (!any) {
        strbuf_addf(&l, "%zu certificate%s, none expiring within ", ncerts, ncerts == 1 ? "" : "s");
        add_span(&l, t->warn_s);
        if (soonest) {
            strbuf_addf(&l, "; soonest ");
            add_name(&l, soonest);
            char rel[RELTIME_BUF];
            reltime_format(soonest->cert_not_after, now, rel, sizeof rel);
            strbuf_addf(&l, " expires %s", rel);
        }
    }
    /* perfdata: label=value;warn;crit;min */
    size_t within_warn = ncrit + nwarn;
    strbuf_addf(&l, " | certificates=%zu;;;0 certificates_expiring_warn=%zu;0;;0 "
            "certificates_expiring_crit=%zu;;0;0 certificates_expired=%zu;;0;0",
        ncerts, within_warn, ncrit, nexpired);
    if (soonest)
        strbuf_addf(&l, " soonest_expiry_days=%.2f;%g:;%g:", cert_expiry_days(soonest->cert_not_after, now),
            t->warn_s / 86400.0, t->crit_s / 86400.0);
    for (int s = 0; s < ORDER_STATUS_COUNT; s++) {
        strbuf_addf(&l, " orders_");
        for (const char *p = order_status_name((enum order_status)s); *p; p++)
            strbuf_addf(&l, "%c", *p == '-' ? '_' : *p);
        strbuf_addf(&l, "=%zu;;;0", per_status[s]);
    }
    free(crit);
    free(warn);
    free(errs);
    free(late);
    renew_links_free(&links);
    *line = l.s;
    return st;
}
