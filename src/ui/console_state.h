/* console_state: everything the console knows and shows, without curses:
 * the order store, the selection (kept by order ID, so it stays on the same
 * order when the list re-sorts, grows or shrinks), the view (sort, filter,
 * quick status filter), the focused pane and scroll positions, the header
 * facts (connection, token, last refresh), fetched challenge details, what
 * the engine's HTTP-01 responder serves, the message line, help, and the one
 * open dialog (a pointer: each dialog or flow owns its state in its own file
 * behind ui/dialog.h's ops).
 *
 * The console talks to the engine only through messages: commands leave by
 * console_state_send(), updates arrive in console_state_apply(), which
 * applies them to this state, offers them to the open dialog, then to the
 * flow waiting for that request (console_state_on_reply), and otherwise
 * reports them on the message line. So the whole behaviour is unit-testable
 * by pushing keys and messages; console.c only adds the terminal, and draws
 * only when `dirty` says the screen is out of date (or on input, a resize,
 * or a relative time that reads differently). */
#ifndef ACMETOP_UI_CONSOLE_STATE_H
#define ACMETOP_UI_CONSOLE_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "model/event_log.h"
#include "model/clock.h"
#include "model/dns_provider.h"
#include "model/msg.h"
#include "model/order_store.h"
#include "model/queue.h"
#include "ui/marks.h"
#include "ui/challenge_cache.h"
#include "ui/command_history.h"
#include "ui/console_config.h"
#include "ui/context_state.h"
#include "ui/renewals_state.h"
#include "ui/dialog.h"
#include "ui/filter_input.h"
#include "ui/layout.h"
#include "ui/resource_list.h"
#include "ui/responder.h"

enum message_level { MESSAGE_INFO, MESSAGE_ERROR };

/* Quick status filters (keys 0-4). */
enum status_preset {
    PRESET_ALL,         /* every order */
    PRESET_ACTION,      /* awaiting-challenge-fulfillment: the operator's turn */
    PRESET_IN_PROGRESS, /* new, submitted, fetching-certificate, unknown */
    PRESET_COMPLETED,   /* completed */
    PRESET_FAILED,      /* error, expired, revoked */
    PRESET_COUNT
};

/* One challenge of one order, as the operator picks it. */
struct challenge_ref {
    char *order_id, *role, *identifier, *type;
};

struct stale_note {
    char *order_id;
    char *why;
};

/* The order list: the selection (kept by order ID) and how the list is
 * sorted and filtered. */
struct list_state {
    char *selected_id;           /* NULL when the view is empty */
    size_t selected_index;       /* its position in the view when last synced */
    size_t top;                  /* first order shown */
    size_t rows;                 /* orders that fit (from the layout) */
    char *focus_sent;            /* last CMD_FOCUS_ORDER sent */
    enum order_sort sort;
    bool sort_reverse;
    struct filter_input filter;  /* the text filter in use */
    bool filter_editing;         /* `/` is being typed */
    char filter_before[FILTER_INPUT_MAX + 1]; /* to restore on Esc */
    enum status_preset preset;
};

/* The panes: which one has the keys, and where each is scrolled. */
struct pane_state {
    enum pane focus;
    enum pane bottom;            /* lower pane on narrow screens */
    size_t detail_scroll;
    size_t detail_lines, detail_rows;  /* from the last draw, to clamp scrolling */
    size_t chal_cursor;          /* index among the selected order's challenges */
    size_t chal_scroll;
    size_t chal_lines, chal_rows;
    bool chal_follow;            /* scroll follows the cursor */
    char *chal_order;            /* the order chal_cursor belongs to */
    char *autofetch_key;         /* the challenge under the cursor, to fetch when it rests */
    long long autofetch_at_ms;   /* monotonic ms, 0 = nothing planned */
};

/* What the header says about Vault: the connection, the token, freshness. */
struct vault_facts {
    enum conn_state conn;
    char *conn_text;
    int retry_in;
    time_t conn_at;
    bool token_known;
    char *token_name;
    long long token_ttl;         /* seconds at token_at; 0 = no expiry */
    time_t token_at;
    time_t refreshed_at;         /* last update from the engine, 0 = none yet */
    time_t oldest_at;            /* when the least recently verified order was
                                    known current (UPD_CONNECTION), 0 = none */
};

/* Vault's DNS providers (UPD_DNS_PROVIDERS): who fulfils which dns-01
 * challenge. known false until read, and when the token may not read them. */
struct dns_facts {
    bool known;
    struct dns_provider *items;
    size_t count;
};

struct console_state;

/* A flow waiting for the answer to one of its commands (each command is
 * answered by exactly one update carrying its request_id). arg: a small
 * value the flow chose (what to copy, ...). Returns true when it reported
 * the answer itself (the message line is then left to it). */
typedef bool (*console_reply_fn)(struct console_state *c, const struct msg *m, long arg);

struct reply_wait {
    uint64_t request_id;
    console_reply_fn fn;
    long arg;
};

struct view_ops;

struct console_state {
    const struct console_config *cfg; /* &shown once the engine named its context */
    struct console_config shown; /* the settings with the context's addr, namespace, mount */
    struct context_info context; /* the context watched (UPD_CONTEXT; ui/context_state.h) */
    struct context_seen *seen;   /* the last state seen of each context, for :ctx */
    size_t seen_count;
    size_t ctx_cursor;           /* the selected row of :ctx */
    struct {                     /* :ns, as the engine read it (UPD_NAMESPACES) */
        struct context_place *items;
        size_t count;
        char *error;
        bool loading;
    } ns;
    size_t ns_cursor;            /* the selected row of :ns (0 = "*") */
    const struct clock *clock;   /* the system clock unless a test sets one */
    const struct view_ops *view; /* the view on screen (ui/views.h) */
    struct order_store *store;
    struct queue *commands;      /* UI -> engine; NULL: commands are dropped */
    uint64_t last_request_id;
    struct reply_wait *waits;    /* flows waiting for answers */
    size_t wait_count;

    struct list_state list;      /* the order list: selection, sort, filters */
    struct pane_state panes;     /* which pane has the keys, scroll positions */
    struct vault_facts vault;    /* the header's facts */
    struct dns_facts dns;        /* Vault's DNS providers */
    struct resource_list resources[RESOURCE_KIND_COUNT]; /* roles, accounts, DNS providers
                                    as their views read them (ui/resource_view.h) */

    struct challenge_cache challenges;
    struct stale_note *stale;
    size_t stale_count;
    struct responder_state responder; /* what the engine's HTTP-01 responder serves */

    char *message;
    enum message_level message_level;
    time_t message_at;
    bool message_is_connection;  /* the message line shows a connection problem */
    char *message_order;         /* the order the message speaks of ("marked fulfilled"),
                                    replaced when it finishes; NULL = none */
    enum order_status message_status; /* that order's status when it was said */

    struct marks marks;          /* Space: the orders w, x and e act on together */
    struct event_log events;     /* the status changes seen (E, :events) */
    bool events_armed;           /* the first complete listing is in: new orders are news */
    size_t events_cursor;        /* the selected event, 0 = the newest */
    bool paused;                 /* z: Vault's order updates wait in held */
    struct msg **held;
    size_t held_count, held_cap;

    struct renewals renewals;    /* due/overdue counts, renewal links, `H` */

    bool help_open;
    size_t help_scroll;
    struct command_line cmdline; /* the `:` prompt */
    struct dialog *dialog;       /* the open dialog, NULL when none */

    bool dirty;                  /* the screen shows something out of date: draw */
    bool quit;
};

void console_state_init(struct console_state *c, const struct console_config *cfg,
                        struct queue *commands);
void console_state_free(struct console_state *c);

/* The wall clock's time (c->clock). */
time_t console_state_now(const struct console_state *c);

/* Apply one update from the engine; takes and frees m. now: wall clock.
 * Sets `dirty` unless the update changed nothing on screen (the engine's
 * every-cycle UPD_CONNECTION heartbeat, an order that came back the same). */
void console_state_apply(struct console_state *c, struct msg *m, time_t now);

/* Push a command to the engine (m's request_id must come from
 * console_state_next_request). Takes m. */
uint64_t console_state_next_request(struct console_state *c);
void console_state_send(struct console_state *c, struct msg *m);
/* Call fn with the answer to request_id when it arrives (once). */
void console_state_on_reply(struct console_state *c, uint64_t request_id, console_reply_fn fn,
                            long arg);

/* Who fulfils the challenge `type` of `identifier`, for people: "Vault
 * (rfc2136/internal-dns)", "Vault, with dns-01 (rfc2136/internal-dns)" for
 * the other challenges of an identifier Vault proves with dns-01 (they are
 * not used), or "you" into buf; NULL (nothing said) while the DNS providers
 * are unknown. */
const char *console_state_fulfiller(const struct console_state *c, const char *identifier,
                                    const char *type, char *buf, size_t size);
/* The provider that fulfils it, NULL when the operator does or nobody knows. */
const struct dns_provider *console_state_vault_fulfils(const struct console_state *c,
                                                       const char *identifier,
                                                       const char *type);

/* The message line. */
void console_state_message(struct console_state *c, enum message_level level, time_t now,
                           const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* The same at the clock's time. */
void console_state_say(struct console_state *c, enum message_level level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* ---- the order list --------------------------------------------------- */

/* z: freeze the list (order updates from Vault are held, everything else
 * is applied), or thaw it (the held updates are applied in order). */
void console_state_pause(struct console_state *c, bool on);
/* The clock moved to now: a certificate that expired meanwhile moves up the
 * urgency sort (the selection stays on its order). */
void console_state_set_now(struct console_state *c, time_t now);
/* After the store or the view changed: the selection stays on its order ID
 * (at the same screen row when possible); if that order left the view, the
 * selection takes the order now at its old position. */
void console_state_sync(struct console_state *c);
/* Select view position idx (clamped), scrolling as little as possible. */
void console_state_select(struct console_state *c, size_t idx);
/* Move the selection by delta rows (clamped). */
void console_state_move(struct console_state *c, long delta);
/* Rows of orders visible (set from the layout; re-syncs). */
void console_state_set_list_rows(struct console_state *c, size_t rows);
const struct order *console_state_selected(struct console_state *c);
/* Give the keyboard to pane p (a lower pane also becomes the one shown
 * under the list on narrow screens). */
void console_state_focus(struct console_state *c, enum pane p);

/* Sort mode / quick status filter / text filter changes (re-sync). */
void console_state_set_sort(struct console_state *c, enum order_sort mode, bool reverse);
void console_state_set_preset(struct console_state *c, enum status_preset p);
void console_state_apply_filter(struct console_state *c);
const char *console_state_preset_name(enum status_preset p);
unsigned console_state_preset_mask(enum status_preset p);

/* Send CMD_FOCUS_ORDER if the selected order changed since the last one. */
void console_state_send_focus(struct console_state *c);

/* ---- challenges of the selected order --------------------------------- */

size_t console_state_challenge_count(struct console_state *c);
/* The i-th challenge (identifier order, then the server's order of types). */
bool console_state_challenge_at(struct console_state *c, size_t i, const char **identifier,
                                const struct challenge **ch);
/* Reset the cursor when the selected order changed (first pending
 * challenge); clamps it otherwise. */
void console_state_challenge_sync(struct console_state *c);
/* The challenge under the cursor as a ref (newly allocated strings); false
 * when there is none. */
bool console_state_challenge_ref(struct console_state *c, struct challenge_ref *out);
void challenge_ref_free(struct challenge_ref *r);

/* The challenge under the cursor as a ref; false (and the reason on the
 * message line) when there is none. */
bool console_state_selected_challenge(struct console_state *c, struct challenge_ref *out,
                                      time_t now);
/* Ask the engine for a challenge's token and key authorization (the cache
 * entry goes to CHALLENGE_FETCHING). Returns the request_id. */
uint64_t console_state_fetch_challenge(struct console_state *c, const struct challenge_ref *ref);
/* Ask the engine to check a fetched challenge (pre-flight); the entry
 * records the check under way. Returns the request_id. */
uint64_t console_state_check_challenge(struct console_state *c, struct challenge_entry *e);

/* Why an order is stale (NULL if not recorded). */
const char *console_state_stale_why(const struct console_state *c, const char *order_id);

/* ---- the dialog --------------------------------------------------------- */

/* Make d the open dialog (any open one is closed first). Takes d. */
void console_state_dialog_show(struct console_state *c, struct dialog *d);
/* Close the open dialog (dialog_free: its flow's close, then the box). */
void console_state_dialog_close(struct console_state *c);
/* The open dialog if it has these ops, else NULL (for tests and flows). */
struct dialog *console_state_dialog_of(const struct console_state *c,
                                       const struct dialog_ops *ops);

/* The order the operator looks at, in the store (after an order was created
 * from the console): the filters are cleared if they hide it. */
void console_state_select_id(struct console_state *c, const char *id);

#endif
