/* check_report: the --check line from the orders (see check_report.h). */
#include "model/check_report.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/cert_expiry.h"
#include "model/reltime.h"
#include "model/renew_link.h"
#include "model/xalloc.h"

#define NAMED_MAX 3 /* problems named in the summary; the rest are counted */

/* A growing string. */
struct line {
    char *s;
    size_t len, cap;
};

static void add(struct line *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(struct line *l, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if (l->len + (size_t)n + 1 > l->cap) {
        l->cap = (l->len + (size_t)n + 1) * 2;
        l->s = xrealloc(l->s, l->cap);
    }
    va_start(ap, fmt);
    vsnprintf(l->s + l->len, l->cap - l->len, fmt, ap);
    va_end(ap);
    l->len += (size_t)n;
}

/* Text of the summary: a '|' would start the perfdata, a newline a second
 * line of output. */
static void add_clean(struct line *l, const char *text, size_t max_bytes)
{
    char buf[256];
    size_t n = 0;
    for (const char *p = text ? text : ""; *p && n + 1 < sizeof buf && n < max_bytes; p++)
        buf[n++] = *p == '|' ? '/' : (*p == '\n' || *p == '\r' || *p == '\t') ? ' ' : *p;
    buf[n] = '\0';
    add(l, "%s", buf);
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
    struct line l = {0};
    add(&l, "ACMETOP UNKNOWN - ");
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

static void add_span(struct line *l, double seconds)
{
    char buf[RELTIME_BUF];
    reltime_format_span((long long)seconds, buf, sizeof buf);
    add(l, "%s", buf);
}

/* "www.example.com +1 (order 3f95ab12)" */
static void add_name(struct line *l, const struct order *o)
{
    add_clean(l, o->identifier_count ? o->identifiers[0] : "(no identifier)", 100);
    if (o->identifier_count > 1)
        add(l, " +%zu", o->identifier_count - 1);
    add(l, " (order %.*s)", order_short_id_len(o->id), o->id);
}

/* "www.example.com (order …) expires in 3d, api… expired 1d ago, +2 more" */
static void add_certs(struct line *l, const struct problem *p, size_t n, time_t now)
{
    for (size_t i = 0; i < n && i < NAMED_MAX; i++) {
        add(l, "%s", i ? ", " : ": ");
        add_name(l, p[i].o);
        char rel[RELTIME_BUF];
        reltime_format(p[i].when, now, rel, sizeof rel);
        add(l, p[i].cls == CERT_EXPIRY_EXPIRED ? " expired %s" : " expires %s", rel);
    }
    if (n > NAMED_MAX)
        add(l, ", +%zu more", n - NAMED_MAX);
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
    struct line l = {0};
    add(&l, "ACMETOP %s - ", check_status_name(st));
    bool any = false;
    if (ncrit) {
        add(&l, "%zu certificate%s expired or expiring within ", ncrit, ncrit == 1 ? "" : "s");
        add_span(&l, t->crit_s);
        add_certs(&l, crit, ncrit, now);
        any = true;
    }
    if (nwarn) {
        add(&l, "%s%zu certificate%s expiring within ", any ? "; " : "", nwarn,
            nwarn == 1 ? "" : "s");
        add_span(&l, t->warn_s);
        add_certs(&l, warn, nwarn, now);
        any = true;
    }
    if (nerr) {
        add(&l, "%s%zu order%s in error", any ? "; " : "", nerr, nerr == 1 ? "" : "s");
        for (size_t i = 0; i < nerr && i < NAMED_MAX; i++) {
            add(&l, "%s", i ? ", " : ": ");
            add_name(&l, errs[i].o);
            if (errs[i].o->last_error && *errs[i].o->last_error) {
                add(&l, " \"");
                add_clean(&l, errs[i].o->last_error, 80);
                add(&l, "\"");
            }
        }
        if (nerr > NAMED_MAX)
            add(&l, ", +%zu more", nerr - NAMED_MAX);
        any = true;
    }
    if (nlate) {
        add(&l, "%s%zu order%s awaiting the operator expiring within ", any ? "; " : "", nlate,
            nlate == 1 ? "" : "s");
        add_span(&l, t->crit_s);
        add_certs(&l, late, nlate, now);
        any = true;
    }
    if (!any) {
        add(&l, "%zu certificate%s, none expiring within ", ncerts, ncerts == 1 ? "" : "s");
        add_span(&l, t->warn_s);
        if (soonest) {
            add(&l, "; soonest ");
            add_name(&l, soonest);
            char rel[RELTIME_BUF];
            reltime_format(soonest->cert_not_after, now, rel, sizeof rel);
            add(&l, " expires %s", rel);
        }
    }
    /* perfdata: label=value;warn;crit;min */
    size_t within_warn = ncrit + nwarn;
    add(&l, " | certificates=%zu;;;0 certificates_expiring_warn=%zu;0;;0 "
            "certificates_expiring_crit=%zu;;0;0 certificates_expired=%zu;;0;0",
        ncerts, within_warn, ncrit, nexpired);
    if (soonest)
        add(&l, " soonest_expiry_days=%.2f;%g:;%g:", cert_expiry_days(soonest->cert_not_after, now),
            t->warn_s / 86400.0, t->crit_s / 86400.0);
    for (int s = 0; s < ORDER_STATUS_COUNT; s++) {
        add(&l, " orders_");
        for (const char *p = order_status_name((enum order_status)s); *p; p++)
            add(&l, "%c", *p == '-' ? '_' : *p);
        add(&l, "=%zu;;;0", per_status[s]);
    }
    free(crit);
    free(warn);
    free(errs);
    free(late);
    renew_links_free(&links);
    *line = l.s;
    return st;
}
