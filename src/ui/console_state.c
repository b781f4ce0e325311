/* console_state: the console's data and behaviour without the terminal
 * (see console_state.h). */
#include "ui/console_state.h"
#include "ui/status_events.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/xalloc.h"
#include "ui/freshness.h"

void console_state_init(struct console_state *c, const struct console_config *cfg,
                        struct queue *commands)
{
    memset(c, 0, sizeof *c);
    c->cfg = cfg;
    c->clock = clock_system();
    c->commands = commands;
    c->store = order_store_new();
    c->list.sort = ORDER_SORT_URGENCY;
    c->panes.focus = PANE_LIST;
    c->panes.bottom = PANE_DETAIL;
    c->vault.conn = CONN_CONNECTING;
    c->panes.chal_follow = true;
    filter_input_clear(&c->list.filter);
    challenge_cache_init(&c->challenges);
    order_store_set_sort(c->store, c->list.sort, c->list.sort_reverse);
    if (cfg && cfg->renew_at)
        order_store_set_renew_at(c->store, cfg->renew_at);
    renewals_init(&c->renewals);
    responder_init(&c->responder);
    for (int k = 0; k < RESOURCE_KIND_COUNT; k++)
        resource_list_init(&c->resources[k]);
    c->dirty = true;
}

time_t console_state_now(const struct console_state *c)
{
    return clock_wall(c->clock);
}

void challenge_ref_free(struct challenge_ref *r)
{
    free(r->order_id);
    free(r->role);
    free(r->identifier);
    free(r->type);
    memset(r, 0, sizeof *r);
}

void console_state_dialog_close(struct console_state *c)
{
    struct dialog *d = c->dialog;
    c->dialog = NULL; /* a flow's close may look at the state */
    dialog_free(d);
}

void console_state_dialog_show(struct console_state *c, struct dialog *d)
{
    console_state_dialog_close(c);
    c->dialog = d;
}

struct dialog *console_state_dialog_of(const struct console_state *c,
                                       const struct dialog_ops *ops)
{
    return c->dialog && c->dialog->ops == ops ? c->dialog : NULL;
}

void console_state_free(struct console_state *c)
{
    renewals_free(&c->renewals);
    order_store_free(c->store);
    free(c->list.selected_id);
    free(c->list.focus_sent);
    free(c->panes.chal_order);
    free(c->vault.conn_text);
    free(c->vault.token_name);
    dns_providers_free(c->dns.items, c->dns.count);
    challenge_cache_free(&c->challenges);
    for (size_t i = 0; i < c->stale_count; i++) {
        free(c->stale[i].order_id);
        free(c->stale[i].why);
    }
    free(c->stale);
    free(c->message);
    free(c->message_order);
    for (size_t i = 0; i < c->held_count; i++)
        msg_free(c->held[i]);
    free(c->held);
    marks_clear(&c->marks);
    event_log_free(&c->events);
    free(c->panes.autofetch_key);
    free(c->waits);
    console_state_dialog_close(c);
    responder_free(&c->responder);
    for (int k = 0; k < RESOURCE_KIND_COUNT; k++)
        resource_list_free(&c->resources[k]);
    command_line_free(&c->cmdline);
    context_state_free(c);
    memset(c, 0, sizeof *c);
}

uint64_t console_state_next_request(struct console_state *c)
{
    return ++c->last_request_id;
}

void console_state_send(struct console_state *c, struct msg *m)
{
    if (c->commands)
        queue_push(c->commands, m); /* frees m if the queue is closed */
    else
        msg_free(m);
}

void console_state_on_reply(struct console_state *c, uint64_t request_id, console_reply_fn fn,
                            long arg)
{
    c->waits = xrealloc(c->waits, (c->wait_count + 1) * sizeof(*c->waits));
    c->waits[c->wait_count++] = (struct reply_wait){request_id, fn, arg};
}

static void set_message(struct console_state *c, enum message_level level, time_t now,
                        const char *fmt, va_list ap)
{
    char buf[2048];
    vsnprintf(buf, sizeof buf, fmt, ap);
    free(c->message);
    c->message = xstrdup(buf);
    c->message_level = level;
    c->message_at = now;
    c->message_is_connection = false;
    free(c->message_order);
    c->message_order = NULL;
    c->dirty = true;
}

void console_state_message(struct console_state *c, enum message_level level, time_t now,
                           const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    set_message(c, level, now, fmt, ap);
    va_end(ap);
}

void console_state_say(struct console_state *c, enum message_level level, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    set_message(c, level, console_state_now(c), fmt, ap);
    va_end(ap);
}

/* ---- selection ---------------------------------------------------------- */

static void set_selected_id(struct console_state *c, const char *id)
{
    if (c->list.selected_id && id && strcmp(c->list.selected_id, id) == 0)
        return;
    free(c->list.selected_id);
    c->list.selected_id = xstrdup(id);
    c->panes.detail_scroll = 0;
}

static size_t max_top(size_t n, size_t rows)
{
    return rows && n > rows ? n - rows : 0;
}

void console_state_set_now(struct console_state *c, time_t now)
{
    unsigned long generation = order_store_generation(c->store);
    order_store_set_now(c->store, now);
    if (order_store_generation(c->store) != generation) { /* a certificate expired */
        console_state_sync(c);
        c->dirty = true;
    }
}

void console_state_sync(struct console_state *c)
{
    size_t n = order_store_view_count(c->store);
    if (n == 0) {
        free(c->list.selected_id);
        c->list.selected_id = NULL;
        c->list.selected_index = 0;
        c->list.top = 0;
        return;
    }
    ssize_t found = c->list.selected_id ? order_store_view_index_of(c->store, c->list.selected_id) : -1;
    size_t idx = found >= 0 ? (size_t)found : (c->list.selected_index < n ? c->list.selected_index : n - 1);
    if (found < 0)
        set_selected_id(c, order_store_view_at(c->store, idx)->id);
    /* keep the selected order on the same screen row */
    size_t row = c->list.selected_index >= c->list.top ? c->list.selected_index - c->list.top : 0;
    if (c->list.rows && row >= c->list.rows)
        row = c->list.rows - 1;
    size_t top = idx >= row ? idx - row : 0;
    if (top > max_top(n, c->list.rows))
        top = max_top(n, c->list.rows);
    c->list.top = top;
    c->list.selected_index = idx;
}

void console_state_select(struct console_state *c, size_t idx)
{
    size_t n = order_store_view_count(c->store);
    if (n == 0) {
        console_state_sync(c);
        return;
    }
    if (idx >= n)
        idx = n - 1;
    set_selected_id(c, order_store_view_at(c->store, idx)->id);
    c->list.selected_index = idx;
    size_t rows = c->list.rows ? c->list.rows : 1;
    if (idx < c->list.top)
        c->list.top = idx;
    else if (idx >= c->list.top + rows)
        c->list.top = idx - rows + 1;
    if (c->list.top > max_top(n, c->list.rows))
        c->list.top = max_top(n, c->list.rows);
}

void console_state_move(struct console_state *c, long delta)
{
    console_state_sync(c);
    long idx = (long)c->list.selected_index + delta;
    if (idx < 0)
        idx = 0;
    console_state_select(c, (size_t)idx);
}

void console_state_set_list_rows(struct console_state *c, size_t rows)
{
    if (rows == c->list.rows)
        return;
    c->list.rows = rows;
    console_state_sync(c);
    console_state_select(c, c->list.selected_index); /* keep it visible */
}

void console_state_focus(struct console_state *c, enum pane p)
{
    c->panes.focus = p;
    if (p == PANE_DETAIL || p == PANE_CHALLENGES)
        c->panes.bottom = p;
}

const struct order *console_state_selected(struct console_state *c)
{
    return c->list.selected_id ? order_store_find(c->store, c->list.selected_id) : NULL;
}

/* ---- who fulfils a challenge ------------------------------------------- */

const struct dns_provider *console_state_vault_fulfils(const struct console_state *c,
                                                       const char *identifier,
                                                       const char *type)
{
    if (!c->dns.known)
        return NULL;
    return dns_provider_fulfiller(c->dns.items, c->dns.count, identifier, type);
}

const char *console_state_fulfiller(const struct console_state *c, const char *identifier,
                                    const char *type, char *buf, size_t size)
{
    if (!c->dns.known)
        return NULL;
    char label[512];
    const struct dns_provider *p = console_state_vault_fulfils(c, identifier, type);
    if (p) {
        snprintf(buf, size, "Vault (%s)", dns_provider_label(p, label, sizeof label));
        return buf;
    }
    p = console_state_vault_fulfils(c, identifier, "dns-01");
    if (p) /* Vault proves the identifier with dns-01: this one is not used */
        snprintf(buf, size, "Vault, with dns-01 (%s)", dns_provider_label(p, label, sizeof label));
    else
        snprintf(buf, size, "you");
    return buf;
}

/* ---- view --------------------------------------------------------------- */

static const char *const preset_names[PRESET_COUNT] = {
    "all", "awaiting", "in progress", "completed", "failed"};

const char *console_state_preset_name(enum status_preset p)
{
    return (unsigned)p < PRESET_COUNT ? preset_names[p] : "all";
}

unsigned console_state_preset_mask(enum status_preset p)
{
    switch (p) {
    case PRESET_ACTION:
        return ORDER_STATUS_BIT(ORDER_AWAITING_CHALLENGE);
    case PRESET_IN_PROGRESS:
        /* everything on its way that waits for Vault or the CA, not for you */
        return ORDER_STATUS_BIT(ORDER_NEW) | ORDER_STATUS_BIT(ORDER_SUBMITTED) |
               ORDER_STATUS_BIT(ORDER_VAULT_FULFILLING) |
               ORDER_STATUS_BIT(ORDER_VAULT_PROPAGATING) | ORDER_STATUS_BIT(ORDER_NOTIFYING_CA) |
               ORDER_STATUS_BIT(ORDER_CA_VALIDATING) | ORDER_STATUS_BIT(ORDER_FETCHING_CERT) |
               ORDER_STATUS_BIT(ORDER_STATUS_UNKNOWN);
    case PRESET_COMPLETED:
        return ORDER_STATUS_BIT(ORDER_COMPLETED);
    case PRESET_FAILED:
        return ORDER_STATUS_BIT(ORDER_ERROR) | ORDER_STATUS_BIT(ORDER_EXPIRED) |
               ORDER_STATUS_BIT(ORDER_REVOKED);
    default:
        return 0;
    }
}

void console_state_apply_filter(struct console_state *c)
{
    struct order_filter f = {.text = c->list.filter.text,
                             .status_mask = console_state_preset_mask(c->list.preset),
                             .role = NULL};
    order_store_set_filter(c->store, &f);
    console_state_sync(c);
}

void console_state_set_preset(struct console_state *c, enum status_preset p)
{
    c->list.preset = (unsigned)p < PRESET_COUNT ? p : PRESET_ALL;
    console_state_apply_filter(c);
}

void console_state_set_sort(struct console_state *c, enum order_sort mode, bool reverse)
{
    c->list.sort = mode;
    c->list.sort_reverse = reverse;
    order_store_set_sort(c->store, mode, reverse);
    console_state_sync(c);
}

void console_state_send_focus(struct console_state *c)
{
    const char *id = c->list.selected_id;
    if ((!id && !c->list.focus_sent) || (id && c->list.focus_sent && strcmp(id, c->list.focus_sent) == 0))
        return;
    free(c->list.focus_sent);
    c->list.focus_sent = xstrdup(id);
    console_state_send(c, msg_new_focus_order(console_state_next_request(c), id));
}

/* ---- updates ------------------------------------------------------------ */

static void stale_note(struct console_state *c, const char *id, const char *why)
{
    for (size_t i = 0; i < c->stale_count; i++)
        if (strcmp(c->stale[i].order_id, id) == 0) {
            if (strcmp(c->stale[i].why, why ? why : "") == 0)
                return;
            free(c->stale[i].why);
            c->stale[i].why = xstrdup(why ? why : "");
            c->dirty = true;
            return;
        }
    c->dirty = true;
    c->stale = xrealloc(c->stale, (c->stale_count + 1) * sizeof(*c->stale));
    c->stale[c->stale_count].order_id = xstrdup(id);
    c->stale[c->stale_count].why = xstrdup(why ? why : "");
    c->stale_count++;
}

static void stale_forget(struct console_state *c, const char *id)
{
    for (size_t i = 0; i < c->stale_count; i++)
        if (strcmp(c->stale[i].order_id, id) == 0) {
            free(c->stale[i].order_id);
            free(c->stale[i].why);
            c->stale[i] = c->stale[--c->stale_count];
            return;
        }
}

const char *console_state_stale_why(const struct console_state *c, const char *order_id)
{
    for (size_t i = 0; i < c->stale_count; i++)
        if (strcmp(c->stale[i].order_id, order_id) == 0)
            return c->stale[i].why;
    return NULL;
}

/* Orders that finished (completed, error, revoked...) are served no more:
 * the CA will not fetch their answers again (their tls-alpn-01 keys are
 * freed and wiped in the engine). */
static void forget_finished(struct console_state *c)
{
    struct responder_state *r = &c->responder;
    for (size_t i = 0; i < r->served_count;) {
        const struct order *o = order_store_find(c->store, r->served[i].order_id);
        if (!o || !order_status_is_terminal(o->status)) {
            i++;
            continue;
        }
        console_state_send(c, msg_new_forget_order(console_state_next_request(c), o->id));
        responder_drop_order(r, o->id); /* shown at once; the engine's answer confirms */
        c->dirty = true;                /* the list shrank: the same i again */
    }
}

/* One line for the message line and the challenges pane. */
static void preflight_summary(const struct msg *m, char *buf, size_t size)
{
    if (m->u.preflight.status == MSG_CHECK_OK)
        snprintf(buf, size, "OK: %s", m->u.preflight.why);
    else if (m->u.preflight.status == MSG_CHECK_MISMATCH)
        snprintf(buf, size, "mismatch: %s (expected %s, found %s)", m->u.preflight.why,
                 m->u.preflight.expected,
                 m->u.preflight.found[0] ? m->u.preflight.found : "(empty)");
    else
        snprintf(buf, size, "unreachable: %s", m->u.preflight.why);
}

/* The DNS providers the :dns view read are also who fulfils which dns-01
 * challenge (as UPD_DNS_PROVIDERS says every 5 minutes): a provider made or
 * deleted there counts at once. */
static void dns_facts_from_items(struct console_state *c, const struct resource_item *items,
                                 size_t n)
{
    struct dns_provider *v = n ? xcalloc(n, sizeof(*v)) : NULL;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        char *type, *name;
        if (!items[i].json || dns_provider_split_key(items[i].key, &type, &name) != 0)
            continue;
        size_t len = strlen(items[i].json) + 16;
        char *body = xmalloc(len);
        snprintf(body, len, "{\"data\":%s}", items[i].json);
        struct parse_error err;
        if (dns_provider_parse_response(body, strlen(body), type, name, &v[k], &err) == 0)
            k++;
        free(body);
        free(type);
        free(name);
    }
    dns_providers_free(c->dns.items, c->dns.count);
    c->dns.known = true;
    c->dns.items = k ? v : NULL;
    c->dns.count = k;
    if (!k)
        free(v);
}

/* What the update changes in the console's own state. */
/* Another context: its orders and what was read of it leave with it (the
 * engine refills the list, from its cache first). */
static void forget_context(struct console_state *c, size_t old_places)
{
    for (size_t p = 0; p < old_places; p++)
        order_store_remove_missing(c->store, NULL, 0, (unsigned)p);
    marks_clear(&c->marks);
    dns_providers_free(c->dns.items, c->dns.count);
    memset(&c->dns, 0, sizeof c->dns);
    for (int k = 0; k < RESOURCE_KIND_COUNT; k++) {
        resource_list_free(&c->resources[k]);
        resource_list_init(&c->resources[k]);
    }
    challenge_cache_free(&c->challenges);
    challenge_cache_init(&c->challenges);
    c->vault.conn = CONN_CONNECTING;
    c->vault.token_known = false;
    c->events_armed = false;
    console_state_sync(c);
}

static void apply_data(struct console_state *c, const struct msg *m, time_t now)
{
    switch (m->type) {
    case UPD_ORDERS:
        c->vault.refreshed_at = now;
        console_state_sync(c);
        forget_finished(c);
        break;
    case UPD_ORDER_DETAIL:
        c->vault.refreshed_at = now;
        console_state_sync(c);
        forget_finished(c);
        break;
    case UPD_ORDER_FAILED:
        if (m->u.order_failed.order_id && *m->u.order_failed.order_id) {
            if (!order_store_find(c->store, m->u.order_failed.order_id)) {
                struct order o;
                order_init(&o);
                o.id = m->u.order_failed.order_id;
                order_store_apply(c->store, &o);
            }
            order_store_mark_stale(c->store, m->u.order_failed.order_id, true);
            stale_note(c, m->u.order_failed.order_id, m->u.order_failed.error);
            console_state_sync(c);
        }
        break;
    case UPD_CHALLENGE_DETAIL: {
        struct challenge_entry *e = challenge_cache_by_request(&c->challenges, m->request_id);
        if (!e)
            e = challenge_cache_start(&c->challenges, m->u.challenge_detail.order_id,
                                      m->u.challenge_detail.identifier,
                                      m->u.challenge_detail.challenge_type, 0);
        challenge_cache_ready(e, &m->u.challenge_detail.detail);
        break;
    }
    case UPD_ACTION_RESULT:
        if (m->u.action_result.command == CMD_FETCH_CHALLENGE) {
            struct challenge_entry *e = challenge_cache_by_request(&c->challenges, m->request_id);
            if (e)
                challenge_cache_failed(e, m->u.action_result.message ? m->u.action_result.message
                                                                     : "");
        }
        break;
    case UPD_CONTEXT: {
        size_t old_places = context_state_apply(c, m);
        if (old_places)
            forget_context(c, old_places);
        break;
    }
    case UPD_CONNECTION: {
        bool changed = m->u.connection.state != c->vault.conn;
        c->vault.conn = m->u.connection.state;
        context_state_note_connection(c, c->vault.conn, now);
        free(c->vault.conn_text);
        c->vault.conn_text = xstrdup(m->u.connection.text ? m->u.connection.text : "");
        c->vault.retry_in = m->u.connection.retry_in;
        c->vault.conn_at = now;
        c->vault.oldest_at = m->u.connection.oldest_verified_at;
        if (c->vault.conn == CONN_CONNECTED || c->vault.conn == CONN_DEGRADED)
            c->vault.refreshed_at = now; /* a poll went through */
        if (changed && (c->vault.conn == CONN_DISCONNECTED || c->vault.conn == CONN_DEGRADED)) {
            console_state_message(c, MESSAGE_ERROR, now, "%s", c->vault.conn_text);
            c->message_is_connection = true;
        } else if (changed && c->vault.conn == CONN_CONNECTED && c->message_is_connection) {
            /* the problem on the message line is over */
            console_state_message(c, MESSAGE_INFO, now, "%s", c->vault.conn_text);
        }
        break;
    }
    case UPD_TOKEN_INFO:
        c->vault.token_known = true;
        free(c->vault.token_name);
        c->vault.token_name = xstrdup(m->u.token.info.display_name);
        c->vault.token_ttl = m->u.token.info.ttl;
        c->vault.token_at = now;
        break;
    case UPD_PREFLIGHT: {
        char line[2048];
        preflight_summary(m, line, sizeof line);
        challenge_cache_check_done(&c->challenges, m->request_id, m->u.preflight.status, line);
        break;
    }
    case UPD_RESPONDER:
        responder_apply(&c->responder, m);
        forget_finished(c);
        break;
    case UPD_RESPONDER_HIT:
        responder_note_hit(&c->responder, m, now);
        break;
    case UPD_HANDSHAKE:
        responder_note_handshake(&c->responder, m, now);
        break;
    case UPD_RESPONDER_DROPPED:
        responder_note_dropped(&c->responder, m);
        break;
    case UPD_DNS_PROVIDERS:
        dns_providers_free(c->dns.items, c->dns.count);
        c->dns.known = m->u.dns_providers.known;
        c->dns.items = dns_providers_copy(m->u.dns_providers.items, m->u.dns_providers.count);
        c->dns.count = c->dns.items ? m->u.dns_providers.count : 0;
        break;
    case UPD_RESOURCES:
        if ((unsigned)m->u.resources.kind < RESOURCE_KIND_COUNT)
            resource_list_apply(&c->resources[m->u.resources.kind], m, now);
        if (m->u.resources.kind == RESOURCE_DNS && m->u.resources.listed)
            dns_facts_from_items(c, m->u.resources.items, m->u.resources.count);
        break;
    default:
        break; /* the rest concerns a dialog or a flow */
    }
}

/* A message about an order in motion ("marked fulfilled; the CA validates
 * now") is replaced by the outcome once the order finishes, so it never
 * stays on screen saying something no longer true. */
static void message_follow_order(struct console_state *c, time_t now)
{
    const struct order *o = c->message_order ? order_store_find(c->store, c->message_order)
                                             : NULL;
    if (!o || o->status == c->message_status || !order_status_is_terminal(o->status))
        return;
    int n = order_short_id_len(o->id);
    if (o->status == ORDER_ERROR)
        console_state_message(c, MESSAGE_ERROR, now, "order %.*s failed: %s", n, o->id,
                              o->last_error && *o->last_error ? o->last_error
                                                              : "see its Last error");
    else
        console_state_message(c, MESSAGE_INFO, now, "order %.*s is %s", n, o->id,
                              order_status_display(o));
}

/* Nobody took the update: what the operator should read of it. */
static void report(struct console_state *c, const struct msg *m, time_t now)
{
    switch (m->type) {
    case UPD_ACTION_RESULT: {
        const char *text = m->u.action_result.message ? m->u.action_result.message : "";
        if (m->u.action_result.command == CMD_FOCUS_ORDER)
            return;
        if (m->u.action_result.command == CMD_FETCH_CHALLENGE) {
            console_state_message(c, MESSAGE_ERROR, now, "challenge: %s", text);
            return;
        }
        console_state_message(c, m->u.action_result.ok ? MESSAGE_INFO : MESSAGE_ERROR, now, "%s",
                              *text ? text : (m->u.action_result.ok ? "done" : "failed"));
        const struct order *o = m->u.action_result.order_id
                                    ? order_store_find(c->store, m->u.action_result.order_id)
                                    : NULL;
        if (m->u.action_result.ok && o && !order_status_is_terminal(o->status)) {
            c->message_order = xstrdup(o->id); /* "... the CA validates now": until it is done */
            c->message_status = o->status;
        }
        return;
    }
    case UPD_PREFLIGHT: {
        char line[2048];
        preflight_summary(m, line, sizeof line);
        console_state_message(c, m->u.preflight.status == MSG_CHECK_OK ? MESSAGE_INFO
                                                                        : MESSAGE_ERROR,
                              now, "pre-flight %s %s: %s", m->u.preflight.challenge_type,
                              m->u.preflight.identifier, line);
        return;
    }
    case UPD_RESPONDER:
        if (m->u.responder.message && *m->u.responder.message)
            console_state_message(c, m->u.responder.ok ? MESSAGE_INFO : MESSAGE_ERROR, now, "%s",
                                  m->u.responder.message);
        return;
    case UPD_NOTICE:
        console_state_message(c, m->u.notice.error ? MESSAGE_ERROR : MESSAGE_INFO, now, "%s",
                              m->u.notice.text);
        return;
    case UPD_CERT_SAVE:
        if (m->u.cert_save.outcome == CERT_SAVE_SAVED)
            console_state_message(c, MESSAGE_INFO, now, "saved %s%s", m->u.cert_save.text,
                                  m->u.cert_save.key_written
                                      ? "; the private key is wiped from memory"
                                      : "");
        else
            console_state_message(c, MESSAGE_ERROR, now, "certificate not saved: %s",
                                  m->u.cert_save.text);
        return;
    default:
        return;
    }
}

/* The flow waiting for this answer, if any (removed: one answer each). */
static bool run_wait(struct console_state *c, const struct msg *m)
{
    if (!m->request_id)
        return false;
    bool taken = false;
    /* every flow waiting for it (x on marked orders may wait on a fetch
     * that c or the copy of one order waits on too) */
    for (size_t i = 0; i < c->wait_count;) {
        if (c->waits[i].request_id != m->request_id) {
            i++;
            continue;
        }
        struct reply_wait w = c->waits[i];
        c->waits[i] = c->waits[--c->wait_count];
        taken |= w.fn(c, m, w.arg);
    }
    return taken;
}

/* The updates the engine sends over and over (every cycle, every order it
 * re-reads): they dirty the screen only when they change what it shows. */
static bool update_repeats(enum msg_type type)
{
    return type == UPD_CONNECTION || type == UPD_ORDERS || type == UPD_ORDER_DETAIL ||
           type == UPD_ORDER_FAILED;
}

/* What the header shows of the facts the repeated updates move: the
 * connection, its retry countdown, the coarse ages of the data. */
static void facts_shown(const struct console_state *c, time_t now, char *buf, size_t size)
{
    char updated[FRESHNESS_BUF], oldest[FRESHNESS_BUF];
    freshness_updated(c->vault.refreshed_at, now, updated, sizeof updated);
    freshness_oldest(c->vault.oldest_at, now, oldest, sizeof oldest);
    long long retry_at = c->vault.conn == CONN_DISCONNECTED && c->vault.retry_in > 0
                             ? (long long)c->vault.conn_at + c->vault.retry_in
                             : 0;
    snprintf(buf, size, "%d %lld %s|%s", (int)c->vault.conn, retry_at, updated, oldest);
}

/* While paused: the updates that would move the list (what discovery
 * sends on its own; answers to the operator's commands still arrive). */
static bool pause_holds(const struct console_state *c, const struct msg *m)
{
    return c->paused && m->request_id == 0 &&
           (m->type == UPD_ORDERS || m->type == UPD_ORDER_DETAIL ||
            m->type == UPD_ORDER_FAILED || m->type == UPD_CERT);
}

void console_state_pause(struct console_state *c, bool on)
{
    c->dirty = true;
    c->paused = on;
    if (on)
        return;
    struct msg **held = c->held;
    size_t n = c->held_count;
    c->held = NULL;
    c->held_count = c->held_cap = 0;
    for (size_t i = 0; i < n; i++)
        console_state_apply(c, held[i], console_state_now(c));
    free(held);
}

void console_state_apply(struct console_state *c, struct msg *m, time_t now)
{
    if (pause_holds(c, m)) {
        if (c->held_count == c->held_cap) {
            c->held_cap = c->held_cap ? 2 * c->held_cap : 16;
            c->held = xrealloc(c->held, c->held_cap * sizeof *c->held);
        }
        c->held[c->held_count++] = m;
        c->dirty = true; /* the header counts them */
        return;
    }
    unsigned long generation = order_store_generation(c->store);
    char shown_before[96], shown_after[96];
    facts_shown(c, now, shown_before, sizeof shown_before);
    bool had_dialog = c->dialog != NULL;
    struct status_snapshot seen;
    status_events_before(c, m, &seen);
    /* the store takes the orders (moved out of m) */
    if (m->type == UPD_ORDERS) {
        for (size_t i = 0; i < m->u.orders.count; i++)
            if (m->u.orders.items[i].id)
                stale_forget(c, m->u.orders.items[i].id);
        order_store_apply_batch_move(c->store, m->u.orders.items, m->u.orders.count,
                                     m->u.orders.complete_list, m->u.orders.place);
    } else if (m->type == UPD_ORDER_DETAIL) {
        if (m->u.order_detail.order.id)
            stale_forget(c, m->u.order_detail.order.id);
        order_store_apply_move(c->store, &m->u.order_detail.order);
    }
    status_events_after(c, &seen, now);
    if (m->type == UPD_ORDERS && m->u.orders.complete_list)
        c->events_armed = true;
    apply_data(c, m, now);
    if (c->marks.count && generation != order_store_generation(c->store))
        marks_prune(&c->marks, c->store); /* marks of orders that left */
    message_follow_order(c, now);
    bool taken = false;
    if (c->dialog && c->dialog->ops->on_update)
        taken = c->dialog->ops->on_update(c, c->dialog, m);
    taken |= run_wait(c, m);
    if (!taken && !msg_type_is_command(m->type))
        report(c, m, now);
    facts_shown(c, now, shown_after, sizeof shown_after);
    if (!update_repeats(m->type) || taken || had_dialog ||
        generation != order_store_generation(c->store) ||
        strcmp(shown_before, shown_after) != 0)
        c->dirty = true;
    msg_free(m);
}

void console_state_select_id(struct console_state *c, const char *id)
{
    if (!id || !order_store_find(c->store, id))
        return;
    if (order_store_view_index_of(c->store, id) < 0) {
        filter_input_clear(&c->list.filter);
        c->list.preset = PRESET_ALL;
        console_state_apply_filter(c);
    }
    ssize_t idx = order_store_view_index_of(c->store, id);
    if (idx >= 0)
        console_state_select(c, (size_t)idx);
}

/* ---- challenges ---------------------------------------------------------- */

size_t console_state_challenge_count(struct console_state *c)
{
    const struct order *o = console_state_selected(c);
    size_t n = 0;
    for (size_t i = 0; o && i < o->challenge_count; i++)
        n += o->challenges[i].count;
    return n;
}

bool console_state_challenge_at(struct console_state *c, size_t idx, const char **identifier,
                                const struct challenge **ch)
{
    const struct order *o = console_state_selected(c);
    for (size_t i = 0; o && i < o->challenge_count; i++) {
        if (idx < o->challenges[i].count) {
            *identifier = o->challenges[i].identifier;
            *ch = &o->challenges[i].items[idx];
            return true;
        }
        idx -= o->challenges[i].count;
    }
    return false;
}

void console_state_challenge_sync(struct console_state *c)
{
    size_t n = console_state_challenge_count(c);
    bool same = c->list.selected_id && c->panes.chal_order && strcmp(c->list.selected_id, c->panes.chal_order) == 0;
    if (!same) {
        free(c->panes.chal_order);
        c->panes.chal_order = xstrdup(c->list.selected_id);
        c->panes.chal_cursor = 0;
        c->panes.chal_scroll = 0;
        c->panes.chal_follow = true;
        for (size_t i = 0; i < n; i++) {
            const char *ident;
            const struct challenge *ch;
            if (console_state_challenge_at(c, i, &ident, &ch) && ch->status &&
                strcmp(ch->status, "pending") == 0) {
                c->panes.chal_cursor = i;
                break;
            }
        }
        return;
    }
    if (n && c->panes.chal_cursor >= n)
        c->panes.chal_cursor = n - 1;
}

bool console_state_challenge_ref(struct console_state *c, struct challenge_ref *out)
{
    memset(out, 0, sizeof *out);
    const struct order *o = console_state_selected(c);
    const char *ident;
    const struct challenge *ch;
    console_state_challenge_sync(c);
    if (!o || !console_state_challenge_at(c, c->panes.chal_cursor, &ident, &ch) || !ch->type)
        return false;
    out->order_id = xstrdup(o->id);
    out->role = xstrdup(o->role);
    out->identifier = xstrdup(ident);
    out->type = xstrdup(ch->type);
    return true;
}

bool console_state_selected_challenge(struct console_state *c, struct challenge_ref *out,
                                      time_t now)
{
    if (console_state_challenge_ref(c, out))
        return true;
    const struct order *o = console_state_selected(c);
    if (!o)
        console_state_message(c, MESSAGE_ERROR, now, "no order selected");
    else if (!o->detail_known)
        console_state_message(c, MESSAGE_ERROR, now,
                              "the challenges of this order are not loaded yet: wait a moment");
    else
        console_state_message(c, MESSAGE_ERROR, now, "this order has no challenges");
    return false;
}

uint64_t console_state_fetch_challenge(struct console_state *c, const struct challenge_ref *ref)
{
    uint64_t id = console_state_next_request(c);
    challenge_cache_start(&c->challenges, ref->order_id, ref->identifier, ref->type, id);
    c->dirty = true; /* "fetching..." */
    console_state_send(c, msg_new_fetch_challenge(id, ref->order_id, ref->role,
                                                  ref->identifier, ref->type));
    return id;
}

uint64_t console_state_check_challenge(struct console_state *c, struct challenge_entry *e)
{
    uint64_t id = console_state_next_request(c);
    challenge_cache_check_start(e, id);
    c->dirty = true;
    console_state_send(c, msg_new_preflight_check(id, e->order_id, e->identifier, e->type,
                                                  e->detail.token,
                                                  e->detail.key_authorization));
    return id;
}
