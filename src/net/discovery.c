/* discovery: the polling cycle of the worker (see discovery.h for the plan).
 * Every request goes through vault_client (whose request counter pays the
 * budget); every answer through the model's parsers; every result leaves as
 * a message. */
#include "net/discovery.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/cert_lookup.h"
#include "model/clock.h"
#include "model/order_parse.h"
#include "model/strv.h"
#include "model/token_info.h"
#include "model/xalloc.h"
#include "net/dns_provider_read.h"
#include "net/order_cache.h"
#include "net/request_budget.h"

#define DISCOVERY_CHUNK 256          /* detail fetches per batch / message */
#define DISCOVERY_FULL_LIST_EVERY 900 /* seconds between complete listings when idle */
#define DISCOVERY_TOKEN_EVERY 300    /* seconds between lookup-self calls */
#define DISCOVERY_DNS_EVERY 300      /* seconds between readings of the DNS providers */
#define DISCOVERY_RECENT_WITHIN "within=168h"
#define DISCOVERY_RECENT_WITHIN_S (168 * 3600)
#define DISCOVERY_RECENT_CAP 500     /* most keys of a recent listing (API.md) */
#define DISCOVERY_REPROBE_EVERY 300  /* seconds before a fallback tries lookup again */
#define DISCOVERY_GONE_RELIST 60     /* seconds between full listings asked for by a 404 */
#define DISCOVERY_BUDGET 0.3         /* requests per second when cfg->idle_budget is unset */
#define DISCOVERY_LISTING_SHARE 0.75 /* most of the budget the listings of every cycle take */
#define DISCOVERY_DEBT_S 60          /* deepest debt, in seconds of budget */
#define DISCOVERY_FRESH_S 5          /* read (or tried) this recently: not read for focus */

struct discovery {
    struct vault_client *client;
    const struct vault_config *cfg;
    discovery_post_fn post;
    void *post_ctx;
    struct poll_schedule *schedule;
    enum discovery_mode mode;
    char **roles;              /* roles to walk in the role modes */
    size_t role_count;
    time_t roles_listed_at;    /* last LIST role */
    time_t listed_all_at;      /* last complete LIST lookup/orders, 0 = never */
    bool list_all;             /* list every ID at the next cycle (refresh, reprobe) */
    time_t recent_mark;        /* newest last_update the recent listings showed */
    time_t recent_reach;       /* how far back the last recent listing vouches for
                                  every change (its oldest entry when full) */
    struct order_cache *cache; /* orders kept across runs, NULL = none */
    time_t seed_written;       /* when the cache of the earlier run was written */
    bool seed_pending;         /* the orders from the cache wait for a listing */
    size_t cached_unverified;  /* orders from the cache the console shows unverified */
    time_t announced_at;       /* when the last walk for confirmed cached orders ran */
    bool seed_pending_walk;    /* the first listing settled them: walk at once */
    time_t oldest_verified;    /* poll_schedule_oldest_verified, as of oldest_at */
    time_t oldest_at;
    time_t token_checked;
    time_t dns_read_at;        /* last reading of the DNS providers, 0 = never */
    bool dns_due;              /* read them at the next cycle (the operator's refresh) */
    size_t dns_count;          /* providers of the last reading (its cost is 1 + this) */
    struct request_budget budget;
    unsigned long charged;     /* the client's request count already paid for */
    const struct clock *clock;
    char *focus;
    char **denied;             /* paths answered 403 in this cycle */
    size_t denied_count;
    discovery_yield_fn yield;  /* between detail batches */
    void *yield_ctx;
    char **fallback;           /* denied paths that made us change mode */
    size_t fallback_count;
    time_t fell_back_at;       /* when the mode last narrowed */
    bool reprobe;              /* try the lookup paths again next cycle */
    unsigned long recent_refused; /* IDs of the recent lists skipped as unsafe in a path */
    bool refused_said;         /* the operator was told about skipped names */
    time_t gone_relist_at;     /* when a 404 on an order last asked for a full listing */
};

static void post(struct discovery *d, struct msg *m)
{
    d->post(d->post_ctx, m);
}

/* ---- the budget --------------------------------------------------------- */

static double budget_rate(const struct discovery *d)
{
    return d->cfg->idle_budget > 0 ? d->cfg->idle_budget : DISCOVERY_BUDGET;
}

/* How many places share the budget (net/place.h): each one's idle work
 * (complete listing, lookup-self, DNS providers, reprobe) comes that many
 * times less often, so the whole console's cost stays the same. */
static double spread(const struct discovery *d)
{
    return d->cfg->place_count > 1 ? (double)d->cfg->place_count : 1.0;
}

#define EVERY(d, period) ((time_t)((period) * spread(d)))

double discovery_interval_s(const struct discovery *d)
{
    double interval = d->cfg->poll_interval_s > 0 ? d->cfg->poll_interval_s : 5;
    /* the listings of every cycle, plus lookup-self, the complete listing
     * and the fallback's look at the lookup paths, amortised */
    double per_cycle =
        d->mode == DISCOVERY_LOOKUP ? 1 : (double)(d->role_count ? d->role_count : 1);
    double room = budget_rate(d) * DISCOVERY_LISTING_SHARE - 1.0 / EVERY(d, DISCOVERY_TOKEN_EVERY) -
                  1.0 / EVERY(d, DISCOVERY_FULL_LIST_EVERY) -
                  2.0 / EVERY(d, DISCOVERY_REPROBE_EVERY) -
                  (1.0 + (double)d->dns_count) / EVERY(d, DISCOVERY_DNS_EVERY);
    double least = budget_rate(d) / 10 < 0.01 ? budget_rate(d) / 10 : 0.01;
    double stretched = per_cycle / (room > least ? room : least);
    return stretched > interval ? stretched : interval;
}

/* Pay for every request the client sent since the last call (the cycle's
 * and the operator's alike); returns the whole requests left for idle work. */
static size_t budget_spare(struct discovery *d)
{
    struct vault_client_stats st;
    vault_client_stats(d->client, &st);
    d->budget.rate = budget_rate(d); /* the place's share may have changed */
    d->budget.cap = budget_rate(d) * discovery_interval_s(d) + 1; /* one cycle's worth */
    request_budget_refill(&d->budget, clock_mono_ms(d->clock));
    request_budget_charge(&d->budget, (double)(st.requests - d->charged));
    d->charged = st.requests;
    return request_budget_spare(&d->budget);
}

struct discovery *discovery_new(struct vault_client *client, const struct vault_config *cfg,
                                discovery_post_fn post_fn, void *post_ctx)
{
    struct discovery *d = xcalloc(1, sizeof(*d));
    d->client = client;
    d->cfg = cfg;
    d->post = post_fn;
    d->post_ctx = post_ctx;
    double fast = cfg->poll_interval_s > 0 ? cfg->poll_interval_s : 5;
    d->schedule = poll_schedule_new(fast, fast * 12 > 60 ? fast * 12 : 60);
    d->mode = DISCOVERY_LOOKUP;
    d->clock = clock_system();
    struct vault_client_stats st;
    vault_client_stats(client, &st);
    d->charged = st.requests;
    request_budget_init(&d->budget, budget_rate(d), budget_rate(d) * discovery_interval_s(d) + 1,
                        DISCOVERY_DEBT_S, clock_mono_ms(d->clock));
    return d;
}

void discovery_free(struct discovery *d)
{
    if (!d)
        return;
    poll_schedule_free(d->schedule);
    strv_free(d->roles, d->role_count);
    strv_free(d->denied, d->denied_count);
    strv_free(d->fallback, d->fallback_count);
    free(d->focus);
    free(d);
}

void discovery_set_focus(struct discovery *d, const char *order_id)
{
    free(d->focus);
    d->focus = xstrdup(order_id);
}

const char *discovery_order_role(struct discovery *d, const char *order_id)
{
    struct poll_entry *e = poll_schedule_find(d->schedule, order_id);
    return e ? e->role : NULL;
}

void discovery_poke(struct discovery *d, const char *order_id)
{
    if (!poll_schedule_poke(d->schedule, order_id)) {
        struct order o;
        order_init(&o);
        o.id = (char *)order_id;
        poll_schedule_note_listed(d->schedule, &o, 0);
    }
}

void discovery_set_yield(struct discovery *d, discovery_yield_fn fn, void *ctx)
{
    d->yield = fn;
    d->yield_ctx = ctx;
}

void discovery_poke_all(struct discovery *d)
{
    poll_schedule_poke_unfinished(d->schedule);
    d->list_all = true;
    d->reprobe = true;
    d->dns_due = true;
}

static void note_path(char ***v, size_t *n, const char *path)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp((*v)[i], path) == 0)
            return;
    strv_push(v, n, path);
}

static void note_denied(struct discovery *d, const char *path)
{
    note_path(&d->denied, &d->denied_count, path);
}

/* A denied listing that makes the discovery change mode for good. */
static void note_fallback(struct discovery *d, const char *path, enum discovery_mode mode,
                          time_t now)
{
    note_path(&d->fallback, &d->fallback_count, path);
    d->mode = mode;
    d->fell_back_at = now;
    poll_schedule_window_begin(d->schedule); /* no recent list vouches for any order now */
}

/* A policy can be widened while acmetop runs: every few minutes, and on the
 * operator's refresh, a narrowed discovery starts again from the lookup paths
 * (at worst one or two more denied LISTs, then the same fallback). */
static void reprobe_if_due(struct discovery *d, time_t now)
{
    bool due = d->reprobe || now - d->fell_back_at >= EVERY(d, DISCOVERY_REPROBE_EVERY);
    d->reprobe = false;
    if (d->mode == DISCOVERY_LOOKUP || !due)
        return;
    d->mode = DISCOVERY_LOOKUP;
    strv_free(d->fallback, d->fallback_count);
    d->fallback = NULL;
    d->fallback_count = 0;
    strv_free(d->roles, d->role_count); /* LIST role again, if allowed now */
    d->roles = NULL;
    d->role_count = 0;
    d->list_all = true; /* so this cycle lists everything, as the first one did */
}

/* ---- connection state ------------------------------------------------- */

static void post_connection(struct discovery *d, enum conn_state state, const char *text,
                            int retry_in)
{
    /* Every cycle's outcome is posted, changed or not: the console shows the
     * age of the last successful poll from it (a heartbeat, a few bytes),
     * and how fresh the oldest data is. */
    /* the age is shown in minutes: walking 100,000 orders for it once a
     * minute is enough */
    time_t now = clock_wall(d->clock);
    if (!d->oldest_at || now - d->oldest_at >= 60 || now < d->oldest_at) {
        d->oldest_verified = poll_schedule_oldest_verified(d->schedule);
        d->oldest_at = now;
    }
    post(d, msg_new_connection(state, text, retry_in, (const char *const *)d->denied,
                               d->denied_count, d->oldest_verified));
}

/* Names Vault listed that cannot be used in a path (control or invisible
 * characters) are skipped by the parsers: say so once, on the message line. */
static void say_refused_names(struct discovery *d)
{
    struct vault_client_stats st;
    vault_client_stats(d->client, &st);
    unsigned long n = st.names_refused + d->recent_refused;
    if (n == 0 || d->refused_said)
        return;
    d->refused_said = true;
    char text[256];
    snprintf(text, sizeof text,
             "skipped %lu order ID%s or role name%s with control or invisible characters "
             "(bidi, zero-width): they cannot be used safely in Vault paths",
             n, n == 1 ? "" : "s", n == 1 ? "" : "s");
    post(d, msg_new_notice(true, text));
}

static void report_success(struct discovery *d)
{
    char text[1024];
    say_refused_names(d);
    for (size_t i = 0; i < d->fallback_count; i++)
        note_denied(d, d->fallback[i]);
    if (d->denied_count == 0 && d->mode == DISCOVERY_LOOKUP) {
        snprintf(text, sizeof(text), "connected to %s", vault_client_addr(d->client));
        post_connection(d, CONN_CONNECTED, text, 0);
        return;
    }
    char *paths = strv_join((const char *const *)d->denied, d->denied_count, ", ");
    /* without lookup access only role/:r/active-orders lists orders: what that
     * hides, and the policy that shows it */
    char how[512];
    if (d->mode == DISCOVERY_LOOKUP)
        snprintf(how, sizeof how, "some details are missing");
    else
        snprintf(how, sizeof how,
                 "%s: only unfinished orders are shown; completed, failed, expired and "
                 "revoked orders and certificate expiry are hidden (a policy with \"list\" "
                 "and \"read\" on %s/lookup/* shows them)",
                 d->mode == DISCOVERY_ROLES ? "listing orders role by role"
                                            : "watching only the roles given with --role",
                 d->cfg->mount);
    snprintf(text, sizeof(text), "degraded: permission denied on %s; %s", paths, how);
    free(paths);
    post_connection(d, CONN_DEGRADED, text, 0);
}

void discovery_report_failure(struct discovery *d, const struct vault_error *err, int retry_in)
{
    /* no count in the text: it would be frozen on the message line while
     * the header counts the same retry down (retry_in) */
    post_connection(d, CONN_DISCONNECTED, vault_error_sentence(err), retry_in);
}

/* ---- details and certificates ----------------------------------------- */

static char *detail_path(struct discovery *d, const struct poll_entry *e)
{
    if (d->mode == DISCOVERY_LOOKUP || !e->role)
        return vault_client_mount_path_escaped(d->client, "lookup/order/%s", e->id, NULL);
    return vault_client_mount_path_escaped(d->client, "role/%s/order/%s/status", e->role, e->id);
}

static void post_failed(struct discovery *d, const char *id, const char *why)
{
    post(d, msg_new_order_failed(0, id, why));
}

/* GET lookup/cert/:serial for the completed orders among out[0..n). */
static void fetch_cert_dates(struct discovery *d, struct order *out, size_t n, time_t now)
{
    struct vault_request *reqs = xcalloc(n ? n : 1, sizeof(*reqs));
    size_t *which = xcalloc(n ? n : 1, sizeof(*which));
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        struct poll_entry *e = poll_schedule_find(d->schedule, out[i].id);
        if (!e || e->cert_known || out[i].status != ORDER_COMPLETED || !out[i].serial ||
            !*out[i].serial)
            continue;
        reqs[k].method = "GET";
        reqs[k].path =
            vault_client_mount_path_escaped(d->client, "lookup/cert/%s", out[i].serial, NULL);
        which[k++] = i;
    }
    if (k)
        vault_client_batch(d->client, reqs, k);
    for (size_t j = 0; j < k; j++) {
        struct order *o = &out[which[j]];
        struct poll_entry *e = poll_schedule_find(d->schedule, o->id);
        if (reqs[j].rc == 0) {
            struct cert_lookup cl;
            struct parse_error perr;
            if (cert_lookup_parse_response(reqs[j].response.body, reqs[j].response.body_len, &cl,
                                           &perr) == 0) {
                o->cert_not_before = cl.not_before;
                o->cert_not_after = cl.not_after;
                cert_lookup_free(&cl);
            }
            e->cert_known = true; /* a malformed answer is not retried */
        } else if (vault_error_is_permission(&reqs[j].error)) {
            char pat[600];
            snprintf(pat, sizeof(pat), "%s", reqs[j].error.path);
            char *slash = strrchr(pat, '/');
            if (slash)
                strcpy(slash + 1, "*");
            note_denied(d, pat);
            e->cert_known = true; /* the policy will not change by asking again */
        } else {
            e->due = now + 60; /* transient: fetch detail and cert again later */
        }
        free((char *)reqs[j].path);
        vault_response_free(&reqs[j].response);
    }
    free(reqs);
    free(which);
}

/* Fetch the details of entries[0..n), chunk by chunk; post each chunk. */
static void fetch_details(struct discovery *d, struct poll_entry **entries, size_t n, time_t now)
{
    for (size_t base = 0; base < n; base += DISCOVERY_CHUNK) {
        if (base && d->yield)
            d->yield(d->yield_ctx);
        size_t m = n - base < DISCOVERY_CHUNK ? n - base : DISCOVERY_CHUNK;
        struct vault_request *reqs = xcalloc(m, sizeof(*reqs));
        char **ids = xcalloc(m, sizeof(*ids));
        for (size_t i = 0; i < m; i++) {
            ids[i] = xstrdup(entries[base + i]->id);
            reqs[i].method = "GET";
            reqs[i].path = detail_path(d, entries[base + i]);
        }
        vault_client_batch(d->client, reqs, m);

        struct order *out = xcalloc(m, sizeof(*out));
        size_t got = 0;
        bool gone = false; /* an order Vault no longer has */
        for (size_t i = 0; i < m; i++) {
            struct parse_error perr;
            char why[2048];
            if (reqs[i].rc == 0) {
                order_init(&out[got]);
                if (order_parse_response(reqs[i].response.body, reqs[i].response.body_len, ids[i],
                                         &out[got], &perr) == 0) {
                    poll_schedule_note_detail(d->schedule, &out[got], now);
                    got++;
                    goto next;
                }
                snprintf(why, sizeof(why), "Vault's answer for %s could not be read: %s",
                         reqs[i].path, perr.message);
            } else {
                if (vault_error_is_permission(&reqs[i].error))
                    note_denied(d, reqs[i].error.path);
                gone |= reqs[i].error.http_status == 404;
                snprintf(why, sizeof(why), "%s", vault_error_sentence(&reqs[i].error));
            }
            poll_schedule_note_failure(d->schedule, ids[i], now);
            post_failed(d, ids[i], why);
        next:
            free((char *)reqs[i].path);
            vault_response_free(&reqs[i].response);
            free(ids[i]);
        }
        /* a 404: the order was deleted (or never was); the next cycle's full
         * listing drops it from the console and the cache, at most once a minute */
        if (gone && (!d->gone_relist_at || now - d->gone_relist_at >= DISCOVERY_GONE_RELIST)) {
            d->list_all = true;
            d->gone_relist_at = now;
        }
        fetch_cert_dates(d, out, got, now);
        for (size_t i = 0; d->cache && i < got; i++)
            order_cache_note(d->cache, &out[i]);
        if (got)
            post(d, msg_new_orders_take(0, out, got, false));
        else
            free(out);
        free(reqs);
        free(ids);
    }
}

/* The owed reads: what changed, what is new, what an action touched. */
static void fetch_due(struct discovery *d, time_t now)
{
    size_t n;
    struct poll_entry **due = poll_schedule_due(d->schedule, now, &n);
    if (n)
        fetch_details(d, due, n, now);
    free(due);
}

/* Idle: re-read what the listings cannot vouch for, within what is left of
 * the budget. */
static void revalidate(struct discovery *d, time_t now)
{
    size_t spare = budget_spare(d);
    if (!spare)
        return;
    size_t n;
    struct poll_entry **due = poll_schedule_revalidation(
        d->schedule, now, d->focus, spare < DISCOVERY_CHUNK ? spare : DISCOVERY_CHUNK, &n);
    if (n)
        fetch_details(d, due, n, now);
    free(due);
}

bool discovery_fetch_one(struct discovery *d, const char *order_id, time_t now)
{
    struct poll_entry *e = poll_schedule_find(d->schedule, order_id);
    if (e && e->tried_at && now - e->tried_at < DISCOVERY_FRESH_S)
        return false;
    if (!e && d->mode != DISCOVERY_LOOKUP)
        return false; /* its role is not known: the listings will bring it */
    if (!e) {
        discovery_poke(d, order_id);
        e = poll_schedule_find(d->schedule, order_id);
    }
    fetch_details(d, &e, 1, now);
    return true;
}

/* ---- listings --------------------------------------------------------- */

static void keep_listed(struct poll_entry *e, void *ctx)
{
    struct order **cursor = ctx;
    order_init(*cursor);
    (*cursor)->id = xstrdup(e->id);
    (*cursor)++;
}

static void forget_unseen(struct poll_entry *e, void *ctx)
{
    if (!e->seen)
        order_cache_forget(ctx, e->id);
}

/* LIST lookup/orders: every order ID; drops vanished ones. */
static int list_all_orders(struct discovery *d, time_t now, struct vault_error *err)
{
    char *path = vault_client_mount_path(d->client, "lookup/orders");
    char **keys;
    size_t count;
    int rc = vault_client_list_keys(d->client, path, &keys, &count, err);
    free(path);
    if (rc != 0)
        return -1;
    bool first = d->listed_all_at == 0;
    d->listed_all_at = now;
    d->list_all = false;
    poll_schedule_unsee_all(d->schedule);
    struct order o;
    order_init(&o);
    for (size_t i = 0; i < count; i++) {
        o.id = keys[i];
        poll_schedule_note_listed(d->schedule, &o, now);
    }
    strv_free(keys, count);
    if (d->cache)
        poll_schedule_each(d->schedule, forget_unseen, d->cache);
    size_t dropped = poll_schedule_drop_unseen(d->schedule);
    if (dropped && (!first || d->cached_unverified)) {
        size_t n = poll_schedule_count(d->schedule);
        struct order *all = xcalloc(n ? n : 1, sizeof(*all));
        struct order *cursor = all;
        poll_schedule_each(d->schedule, keep_listed, &cursor);
        post(d, msg_new_orders_take(0, all, n, true));
    }
    return 0;
}

/* LIST lookup/orders/recent: statuses of the newest orders in one call, the
 * change detector. *hidden is set when the list is full and everything in it
 * is newer than anything the last one showed: new orders may lie beyond it. */
static int list_recent(struct discovery *d, time_t now, bool *hidden, struct vault_error *err)
{
    char *path = vault_client_mount_path(d->client, "lookup/orders/recent");
    struct vault_response r = {0};
    int rc = vault_client_request(d->client, "LIST", path, DISCOVERY_RECENT_WITHIN, NULL, &r, err);
    if (rc != 0) {
        free(path);
        vault_response_free(&r);
        return -1;
    }
    struct order *orders = NULL;
    size_t count = 0;
    struct parse_error perr;
    if (order_list_parse_recent_response(r.body, r.body_len, &orders, &count, &perr) != 0) {
        vault_error_set_transport(err, VT_MALFORMED, "LIST", path, perr.message);
        free(path);
        vault_response_free(&r);
        return -1;
    }
    d->recent_refused += perr.refused;
    free(path);
    vault_response_free(&r);
    /* Forward only what is new or changed; the details follow. */
    poll_schedule_window_begin(d->schedule);
    time_t oldest = 0, newest = 0;
    size_t k = 0;
    for (size_t i = 0; i < count; i++) {
        time_t t = orders[i].last_update;
        if (t && (!oldest || t < oldest))
            oldest = t;
        if (t > newest)
            newest = t;
        if (d->cache)
            order_cache_note(d->cache, &orders[i]); /* changed: forgotten until read */
        if (poll_schedule_note_recent(d->schedule, &orders[i], now)) {
            if (k != i)
                order_move(&orders[k], &orders[i]);
            k++;
        } else {
            order_clear(&orders[i]);
        }
    }
    *hidden = count >= DISCOVERY_RECENT_CAP && d->recent_mark && oldest > d->recent_mark;
    d->recent_reach = count >= DISCOVERY_RECENT_CAP ? oldest : now - DISCOVERY_RECENT_WITHIN_S;
    if (newest > d->recent_mark)
        d->recent_mark = newest;
    if (k)
        post(d, msg_new_orders_take(0, orders, k, false));
    else
        free(orders);
    return 0;
}

/* ---- the orders of the cache ------------------------------------------- */

void discovery_set_cache(struct discovery *d, struct order_cache *cache)
{
    d->cache = cache;
}

void discovery_seed(struct discovery *d, struct order *orders, size_t n, time_t written)
{
    for (size_t i = 0; i < n; i++)
        poll_schedule_note_cached(d->schedule, &orders[i]);
    d->cached_unverified = n;
    d->seed_written = written;
    d->seed_pending = n > 0;
    if (n)
        post(d, msg_new_orders_take(0, orders, n, false));
    else
        free(orders);
}

struct settle {
    bool covered;
    time_t now;
};

static void settle_one(struct poll_entry *e, void *ctx)
{
    const struct settle *s = ctx;
    if (!e->from_cache || e->verified_at || e->due >= 0)
        return; /* vouched for already, or changed: read */
    if (s->covered)
        e->verified_at = s->now;
    else if (!order_status_is_terminal(e->status))
        e->due = 0; /* unfinished and maybe stale: read it now */
    /* completed: re-validated within the budget (it can only become revoked);
     * error, expired, revoked never change: a complete listing vouches */
}

/* After the first recent listing: the cache of the earlier run was current
 * when it was written; if the listing reaches back that far, every change
 * since then is in it, so the cached orders it does not show as changed are
 * current now, without a read. */
static void settle_cached(struct discovery *d, time_t now)
{
    if (!d->seed_pending)
        return;
    d->seed_pending = false;
    d->seed_pending_walk = true;
    struct settle s = {.covered = d->seed_written && d->recent_reach &&
                                  d->seed_written > d->recent_reach,
                       .now = now};
    poll_schedule_each(d->schedule, settle_one, &s);
}

static void collect_verified(struct poll_entry *e, void *ctx)
{
    struct order **cursor = ctx;
    if (!e->from_cache || !e->verified_at)
        return;
    e->from_cache = false;
    order_init(*cursor);
    (*cursor)->id = xstrdup(e->id); /* a summary of nothing but "verified" */
    (*cursor)++;
}

/* Tell the console which orders from the cache are confirmed now. */
static void announce_verified(struct discovery *d)
{
    /* at once after the start, then once a minute while some are left (each
     * time is a walk over every order) */
    time_t now = clock_wall(d->clock);
    if (!d->cached_unverified || (d->announced_at && now - d->announced_at < 60 &&
                                  now >= d->announced_at && !d->seed_pending_walk))
        return;
    d->announced_at = now;
    d->seed_pending_walk = false;
    struct order *out = xcalloc(d->cached_unverified, sizeof(*out));
    struct order *cursor = out;
    poll_schedule_each(d->schedule, collect_verified, &cursor);
    size_t n = (size_t)(cursor - out);
    d->cached_unverified -= n < d->cached_unverified ? n : d->cached_unverified;
    if (n)
        post(d, msg_new_orders_take(0, out, n, false));
    else
        free(out);
}

static void collect_unverified(struct poll_entry *e, void *ctx)
{
    struct poll_entry ***cursor = ctx;
    if (e->from_cache && !e->verified_at) {
        **cursor = e;
        (*cursor)++;
    }
}

void discovery_read_unverified(struct discovery *d, time_t now)
{
    if (!d->cached_unverified)
        return;
    struct poll_entry **todo = xcalloc(d->cached_unverified, sizeof(*todo));
    struct poll_entry **cursor = todo;
    poll_schedule_each(d->schedule, collect_unverified, &cursor);
    size_t n = (size_t)(cursor - todo);
    if (n)
        fetch_details(d, todo, n, now);
    free(todo);
    d->seed_pending_walk = true; /* tell the console at once */
    announce_verified(d);
}

size_t discovery_order_count(const struct discovery *d)
{
    return poll_schedule_count(d->schedule);
}

/* The recent list every cycle; every ID at the start, on a refresh, when the
 * recent list may hide new orders, and every 15 minutes within the budget. */
static int walk_lookup(struct discovery *d, time_t now, struct vault_error *err)
{
    bool hidden = false;
    if (list_recent(d, now, &hidden, err) != 0)
        return -1;
    settle_cached(d, now);
    bool full = !d->listed_all_at || d->list_all || hidden ||
                (now - d->listed_all_at >= EVERY(d, DISCOVERY_FULL_LIST_EVERY) && budget_spare(d));
    return full ? list_all_orders(d, now, err) : 0;
}

static void use_roles(struct discovery *d, char **roles, size_t n)
{
    strv_free(d->roles, d->role_count);
    d->roles = roles;
    d->role_count = n;
}

static void poke_finished_elsewhere(struct poll_entry *e, void *ctx)
{
    (void)ctx;
    /* listed last time as active, not any more: it ended; fetch it once more
     * (once: a read that keeps failing is left to the re-validation) */
    if (!e->seen && e->detail_known && !order_status_is_terminal(e->status) && e->due < 0 &&
        e->failures == 0)
        e->due = 0;
}

/* The active orders of every role each cycle (the cycle stretches so that
 * they fit in the budget); the roles at the start and every 15 minutes
 * within the budget. */
static int walk_roles(struct discovery *d, time_t now, struct vault_error *err)
{
    if (d->mode == DISCOVERY_ROLES &&
        (d->role_count == 0 ||
         (now - d->roles_listed_at >= EVERY(d, DISCOVERY_FULL_LIST_EVERY) && budget_spare(d)))) {
        char *path = vault_client_mount_path(d->client, "role");
        char **roles;
        size_t n;
        int rc = vault_client_list_keys(d->client, path, &roles, &n, err);
        if (rc == 0) {
            use_roles(d, roles, n);
            d->roles_listed_at = now;
        } else if (vault_error_is_permission(err)) {
            note_fallback(d, path, DISCOVERY_GIVEN_ROLES, now);
        } else {
            free(path);
            return -1;
        }
        free(path);
    }
    if (d->mode == DISCOVERY_GIVEN_ROLES) {
        if (d->cfg->role_count == 0) {
            /* a dead end: nothing to watch.  A revoked token gets here too,
             * so the next attempt (after the backoff) starts from lookup
             * again and finds a restored token at once */
            d->reprobe = true;
            char *paths = strv_join((const char *const *)d->fallback, d->fallback_count, " and ");
            vault_error_clear(err);
            vault_error_set_config(err,
                                   "permission denied on %s: the token's policy must allow list "
                                   "on one of them, or name the roles to watch with --role",
                                   paths);
            free(paths);
            return -1;
        }
        use_roles(d, strv_copy((const char *const *)d->cfg->roles, d->cfg->role_count),
                  d->cfg->role_count);
    }

    size_t listed_roles = 0;
    struct vault_error last = {0};
    poll_schedule_unsee_all(d->schedule);
    for (size_t r = 0; r < d->role_count; r++) {
        char *path =
            vault_client_mount_path_escaped(d->client, "role/%s/active-orders", d->roles[r], NULL);
        char **keys;
        size_t count;
        if (vault_client_list_keys(d->client, path, &keys, &count, &last) == 0) {
            listed_roles++;
            struct order o;
            order_init(&o);
            o.role = d->roles[r];
            for (size_t i = 0; i < count; i++) {
                o.id = keys[i];
                poll_schedule_note_listed(d->schedule, &o, now);
            }
            strv_free(keys, count);
        } else if (vault_error_is_permission(&last)) {
            note_denied(d, path);
            listed_roles++; /* reachable, only denied */
        }
        free(path);
    }
    if (d->role_count && listed_roles == 0) {
        *err = last;
        return -1;
    }
    poll_schedule_each(d->schedule, poke_finished_elsewhere, NULL);
    return 0;
}

static void check_token(struct discovery *d, time_t now)
{
    if (d->token_checked && (now - d->token_checked < EVERY(d, DISCOVERY_TOKEN_EVERY) || !budget_spare(d)))
        return;
    d->token_checked = now;
    struct vault_response r = {0};
    struct vault_error err;
    vault_error_clear(&err);
    if (vault_client_get(d->client, "auth/token/lookup-self", NULL, &r, &err) == 0) {
        struct token_info t;
        struct parse_error perr;
        if (token_info_parse_response(r.body, r.body_len, &t, &perr) == 0) {
            post(d, msg_new_token_info(0, &t));
            token_info_free(&t);
        }
    }
    vault_response_free(&r);
}

/* Vault's DNS providers (who fulfils which dns-01 challenge): at the first
 * cycle, on a refresh, and every 5 minutes within the budget (1 + N
 * requests). A token that may not read them makes them unknown, without an
 * error or a retry before the next turn; a transport failure keeps what the
 * console knows. */
static void read_dns_providers(struct discovery *d, time_t now)
{
    if (d->dns_read_at && !d->dns_due &&
        (now - d->dns_read_at < EVERY(d, DISCOVERY_DNS_EVERY) || budget_spare(d) < 1 + d->dns_count))
        return;
    d->dns_due = false;
    d->dns_read_at = now;
    struct dns_provider *v;
    size_t n;
    struct vault_error err;
    vault_error_clear(&err);
    if (dns_provider_read_all(d->client, &v, &n, &err) == 0) {
        d->dns_count = n;
        post(d, msg_new_dns_providers_take(true, v, n));
    } else if (vault_error_is_permission(&err)) {
        d->dns_count = 0;
        post(d, msg_new_dns_providers_take(false, NULL, 0));
    }
}

/* A listing was refused: is it the policy (narrow the discovery) or the
 * token itself?  lookup-self is allowed to every valid token by Vault's
 * default policy; when it is refused too, the token is bad: err says so and
 * true is returned. */
static bool token_refused(struct discovery *d, struct vault_error *err)
{
    struct vault_response r = {0};
    struct vault_error self;
    vault_error_clear(&self);
    int rc = vault_client_get(d->client, "auth/token/lookup-self", NULL, &r, &self);
    vault_response_free(&r);
    if (rc == 0 || !vault_error_is_permission(&self))
        return false;
    vault_error_set_token_refused(err);
    return true;
}

/* A path under the mount answered 404: is the mount there at all, or a mount
 * of another type?  sys/internal/ui/mounts/<mount> tells (403 or 404 when
 * there is none the token can see); err says so when it is not the engine. */
static void explain_missing_mount(struct discovery *d, struct vault_error *err)
{
    size_t m = strlen(d->cfg->mount);
    if (err->http_status != 404 || strncmp(err->path, d->cfg->mount, m) != 0 ||
        err->path[m] != '/')
        return;
    char *path = xmalloc(m + sizeof "sys/internal/ui/mounts/");
    sprintf(path, "sys/internal/ui/mounts/%s", d->cfg->mount);
    struct vault_response r = {0};
    struct vault_error probe;
    vault_error_clear(&probe);
    int rc = vault_client_get(d->client, path, NULL, &r, &probe);
    free(path);
    if (rc != 0) {
        if (probe.http_status == 403 || probe.http_status == 404)
            vault_error_set_no_mount(err, d->cfg->namespace_, NULL);
    } else {
        cJSON *root = cJSON_ParseWithLength(r.body, r.body_len);
        const cJSON *type = cJSON_GetObjectItemCaseSensitive(
            cJSON_GetObjectItemCaseSensitive(root, "data"), "type");
        if (cJSON_IsString(type) && strcmp(type->valuestring, "pki-external-ca") != 0)
            vault_error_set_no_mount(err, d->cfg->namespace_, type->valuestring);
        cJSON_Delete(root);
    }
    vault_response_free(&r);
}

int discovery_cycle(struct discovery *d, time_t now, struct vault_error *err)
{
    vault_error_clear(err);
    strv_free(d->denied, d->denied_count);
    d->denied = NULL;
    d->denied_count = 0;

    reprobe_if_due(d, now);
    int rc;
    if (d->mode == DISCOVERY_LOOKUP) {
        rc = walk_lookup(d, now, err);
        if (rc != 0 && vault_error_is_permission(err) && !token_refused(d, err)) {
            note_fallback(d, err->path, DISCOVERY_ROLES, now);
            rc = walk_roles(d, now, err);
        }
    } else {
        rc = walk_roles(d, now, err);
    }
    if (rc != 0) {
        explain_missing_mount(d, err);
        return -1;
    }
    check_token(d, now);
    read_dns_providers(d, now);
    fetch_due(d, now);
    revalidate(d, now);
    announce_verified(d);
    report_success(d);
    return 0;
}
