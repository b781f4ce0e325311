/* once_format: --format csv and --format prometheus (see once_format.h). */
#include "once_format.h"

#include <stdlib.h>
#include <string.h>

#include "model/renew_link.h"
#include "model/rfc3339.h"
#include "model/strv.h"

int once_format_parse(const char *name, enum once_format *out)
{
    static const char *const names[] = {"table", "json", "csv", "prometheus"};
    for (size_t i = 0; name && i < sizeof names / sizeof names[0]; i++)
        if (strcmp(name, names[i]) == 0) {
            *out = (enum once_format)i;
            return 0;
        }
    return -1;
}

/* ---- csv ------------------------------------------------------------------ */

static void csv_field(FILE *out, const char *s, bool last)
{
    s = s ? s : "";
    if (strpbrk(s, ",\"\r\n")) {
        fputc('"', out);
        for (const char *p = s; *p; p++) {
            if (*p == '"')
                fputc('"', out);
            fputc(*p, out);
        }
        fputc('"', out);
    } else {
        fputs(s, out);
    }
    fputs(last ? "\r\n" : ",", out);
}

static void csv_time(FILE *out, time_t t)
{
    char buf[RFC3339_BUF];
    csv_field(out, t ? rfc3339_format(t, buf, sizeof buf) : "", false);
}

void once_format_csv(const struct order *const *orders, size_t n, const struct once_renew *r,
                     FILE *out)
{
    static const char *const titles[] = {"STATUS", "ORDER ID", "ROLE", "IDENTIFIERS",
                                         "CREATED", "ORDER EXPIRES", "CERT EXPIRES", "RENEW",
                                         "LAST ERROR"};
    const size_t cols = sizeof titles / sizeof titles[0];
    for (size_t c = 0; c < cols; c++)
        csv_field(out, titles[c], c + 1 == cols);
    for (size_t i = 0; i < n; i++) {
        const struct order *o = orders[i];
        char status[160];
        snprintf(status, sizeof status, "%s%s", order_status_display(o),
                 o->stale ? " (stale)" : "");
        csv_field(out, status, false);
        csv_field(out, o->id, false);
        csv_field(out, o->role, false);
        char *ids = strv_join((const char *const *)o->identifiers, o->identifier_count, " ");
        csv_field(out, ids, false); /* every name, by spaces */
        free(ids);
        csv_time(out, o->created);
        csv_time(out, order_status_is_terminal(o->status) ? 0 : o->expires);
        csv_time(out, o->cert_not_after);
        char renew[RENEW_WINDOW_TEXT_BUF] = "";
        if (o->status == ORDER_COMPLETED) {
            struct renew_window w =
                renew_window_of(o->cert_not_before, o->cert_not_after, r->at, r->crit_s, r->now);
            if (w.state != RENEW_UNKNOWN)
                renew_window_text(&w, r->now, renew, sizeof renew);
        }
        csv_field(out, renew, false);
        csv_field(out, o->last_error, true);
    }
}

/* ---- prometheus ------------------------------------------------------------ */

/* A label value: backslash, double quote and line feed escaped. */
static void prom_value(FILE *out, const char *s)
{
    fputc('"', out);
    for (const char *p = s ? s : ""; *p; p++) {
        if (*p == '\\' || *p == '"')
            fprintf(out, "\\%c", *p);
        else if (*p == '\n')
            fputs("\\n", out);
        else
            fputc(*p, out);
    }
    fputc('"', out);
}

static void prom_family(FILE *out, const char *name, const char *help)
{
    fprintf(out, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name);
}

/* True when identifier k of o was already seen in o (a name given twice is
 * one series). */
static bool repeated(const struct order *o, size_t k)
{
    for (size_t j = 0; j < k; j++)
        if (strcmp(o->identifiers[j], o->identifiers[k]) == 0)
            return true;
    return false;
}

/* One sample per identifier of o: name{order_id,role,identifier,mount[,status]} value */
static void prom_samples(FILE *out, const char *name, const struct order *o, const char *mount,
                         bool with_status, long long value)
{
    for (size_t k = 0; k < o->identifier_count; k++) {
        if (repeated(o, k))
            continue;
        fprintf(out, "%s{order_id=", name);
        prom_value(out, o->id);
        fputs(",role=", out);
        prom_value(out, o->role);
        fputs(",identifier=", out);
        prom_value(out, o->identifiers[k]);
        fputs(",mount=", out);
        prom_value(out, mount);
        if (with_status) {
            fputs(",status=", out);
            prom_value(out, order_status_name(o->status));
        }
        fprintf(out, "} %lld\n", value);
    }
}

void once_format_prometheus(const struct order *const *orders, size_t n, const char *mount,
                            const struct once_renew *r, FILE *out)
{
    struct renew_links links;
    renew_links_compute(orders, n, &links);
    prom_family(out, "acmetop_certificate_not_after_seconds",
                "Expiry of the current certificate (not superseded by a newer order of the "
                "same role and identifiers), Unix time.");
    for (size_t i = 0; i < n; i++)
        if (orders[i]->status == ORDER_COMPLETED && !links.superseded[i] &&
            orders[i]->cert_not_after)
            prom_samples(out, "acmetop_certificate_not_after_seconds", orders[i], mount, false,
                         (long long)orders[i]->cert_not_after);
    prom_family(out, "acmetop_certificate_renew_at_seconds",
                "When the current certificate is due for renewal (renew_at), Unix time.");
    for (size_t i = 0; i < n; i++) {
        const struct order *o = orders[i];
        if (o->status != ORDER_COMPLETED || links.superseded[i])
            continue;
        struct renew_window w =
            renew_window_of(o->cert_not_before, o->cert_not_after, r->at, r->crit_s, r->now);
        if (w.state != RENEW_UNKNOWN)
            prom_samples(out, "acmetop_certificate_renew_at_seconds", o, mount, false,
                         (long long)w.opens);
    }
    size_t per_status[ORDER_STATUS_COUNT] = {0};
    for (size_t i = 0; i < n; i++)
        per_status[orders[i]->status < ORDER_STATUS_COUNT ? orders[i]->status
                                                          : ORDER_STATUS_UNKNOWN]++;
    prom_family(out, "acmetop_orders", "Orders of the mount by status.");
    for (int s = 0; s < ORDER_STATUS_COUNT; s++) {
        fputs("acmetop_orders{status=", out);
        prom_value(out, order_status_name((enum order_status)s));
        fputs(",mount=", out);
        prom_value(out, mount);
        fprintf(out, "} %zu\n", per_status[s]);
    }
    prom_family(out, "acmetop_order_expires_seconds",
                "Expiry of each ACME order in progress, Unix time.");
    for (size_t i = 0; i < n; i++)
        if (!order_status_is_terminal(orders[i]->status) && orders[i]->expires)
            prom_samples(out, "acmetop_order_expires_seconds", orders[i], mount, true,
                         (long long)orders[i]->expires);
    renew_links_free(&links);
}
