/* console_state: everything the console knows and shows, without curses:
 * the order store, the selection (kept by order ID, so it stays on the same
 * order when the list re-sorts, grows or shrinks), the view (sort, filter,
 * quick status filter), the focused pane and scroll positions, the header
 * facts (connection, token, last refresh), fetched challenge details, the
 * message line, the open dialog or help, and the deploy / verify / collect
 * features: the HTTP-01 responder, pre-flight checks, the certificate held
 * for viewing or saving, the new-order form and the revocation dialog (their
 * key handling lives in fulfill_flow.c, serve_flow.c, order_form.c, revoke_flow.c,
 * cert_view.c). Updates from the worker are applied
 * here (console_state_apply) and commands leave from here
 * (console_state_send), so the whole behaviour is unit-testable; console.c
 * only adds the terminal. */
#ifndef ACMETOP_UI_CONSOLE_STATE_H
#define ACMETOP_UI_CONSOLE_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "model/cert_bundle.h"
#include "model/cert_info.h"
#include "model/msg.h"
#include "model/order_store.h"
#include "model/queue.h"
#include "model/role_info.h"
#include "net/vault_config.h"
#include "ui/challenge_cache.h"
#include "ui/filter_input.h"
#include "ui/layout.h"
#include "ui/picker.h"
#include "ui/responder.h"

struct preflight_jobs;

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

/* Which modal box is open; each kind takes the keys in its own file. */
enum dialog_kind {
    DIALOG_CONFIRM,    /* y runs the action table row `action`, n cancels (actions.c) */
    DIALOG_FULFILL,    /* pre-flight, then fulfill (fulfill_flow.c) */
    DIALOG_REVOKE,     /* reason picker, then the typed order ID (revoke_flow.c) */
    DIALOG_CERT,       /* the parsed certificate (cert_view.c) */
    DIALOG_OVERWRITE,  /* certificate files exist: overwrite? (cert_view.c) */
    DIALOG_NEW_ORDER,  /* role picker, identifiers or CSR (order_form.c) */
};

/* The open dialog: what dialog.c draws (title, body, picker, input line,
 * note, answers) and what it acts on. */
struct dialog_state {
    bool open;
    enum dialog_kind kind;
    int action;                 /* DIALOG_CONFIRM: index in the action table */
    char *title;
    char *body;                 /* may hold '\n' */
    size_t scroll;              /* first body line shown (long bodies) */
    char *answers;              /* the answers line; NULL: "[y] <legend>  [n] Cancel" */
    char *note;                 /* a line under the body (validation, progress), or NULL */
    bool note_error;
    bool input_on;              /* a text field under the body */
    char *prompt;               /* its label */
    struct filter_input input;
    bool picker_on;             /* a list to choose from under the body */
    struct picker picker;
    struct challenge_ref target;
};

/* f: fetch the challenge if needed, check it, then ask. */
enum fulfill_step {
    FULFILL_FETCHING,      /* its token and key authorization are being fetched */
    FULFILL_CHECKING,      /* the pre-flight check runs */
    FULFILL_CHECKED_OK,    /* OK: y fulfills */
    FULFILL_CHECK_FAILED,  /* mismatch / unreachable: only F then "force" sends */
    FULFILL_FORCE,         /* typing "force" */
};

struct fulfill_flow {
    enum fulfill_step step;
    uint64_t fetch_id, check_id;
    enum msg_check result;
    char *expected, *found, *why, *where;
};

enum order_form_step { FORM_LOADING, FORM_ROLE, FORM_NAMES, FORM_SUBMITTING };

struct order_form {
    enum order_form_step step;
    uint64_t roles_id, submit_id;
    struct role_info *roles;    /* from UPD_ROLES (plus roles seen in orders) */
    size_t role_count;
    char *roles_error;
    size_t role;                /* the role picked (index in roles) */
    char *csr_path;             /* the CSR file previewed, NULL if none */
    char *csr_pem;
    char *csr_preview;          /* what the CSR names, as shown */
    bool csr_ok;                /* previewed and allowed: Enter submits it */
    char **names;               /* the names of the order being submitted */
    size_t name_count;
};

struct revoke_flow {
    bool confirming;            /* reason picked, the order ID is being typed */
    char *order_id, *role, *reason;
};

/* The certificate of one order, fetched to be shown (v) or saved (e). The
 * private key stays in memory only until it is written or the view closes. */
struct cert_slot {
    char *order_id;             /* NULL: empty */
    char *identifier;           /* first identifier: names the files */
    uint64_t fetch_id;          /* CMD_FETCH_CERT under way, 0 = none */
    bool have;                  /* bundle holds the fetched certificate */
    bool save_after_fetch;      /* e on an order not fetched yet */
    bool saved;                 /* written (the key is wiped: e fetches again) */
    struct cert_bundle bundle;
    bool info_ok;
    struct cert_info info;
    char *info_error;
    char *saved_text;           /* where the last save put the files */
};

/* What to copy once a challenge fetch arrives. */
enum copy_what { COPY_NONE, COPY_TOKEN, COPY_KEY_AUTHORIZATION, COPY_DNS_VALUE };

struct stale_note {
    char *order_id;
    char *why;
};

struct console_state {
    const struct vault_config *cfg;
    struct order_store *store;
    struct queue *commands;      /* UI -> worker; NULL: commands are dropped */
    uint64_t last_request_id;

    /* order list */
    char *selected_id;           /* NULL when the view is empty */
    size_t selected_index;       /* its position in the view when last synced */
    size_t list_top;             /* first order shown */
    size_t list_rows;            /* orders that fit (from the layout) */
    char *focus_sent;            /* last CMD_FOCUS_ORDER sent */
    enum order_sort sort;
    bool sort_reverse;
    struct filter_input filter;  /* the text filter in use */
    bool filter_editing;         /* `/` is being typed */
    char filter_before[FILTER_INPUT_MAX + 1]; /* to restore on Esc */
    enum status_preset preset;

    /* panes */
    enum pane focus;
    enum pane bottom;            /* lower pane on narrow screens */
    size_t detail_scroll;
    size_t detail_lines, detail_rows;  /* from the last draw, to clamp scrolling */
    size_t chal_cursor;          /* index among the selected order's challenges */
    size_t chal_scroll;
    size_t chal_lines, chal_rows;
    bool chal_follow;            /* scroll follows the cursor */
    char *chal_order;            /* the order chal_cursor belongs to */

    /* header */
    enum conn_state conn;
    char *conn_text;
    int retry_in;
    time_t conn_at;
    bool token_known;
    char *token_name;
    long long token_ttl;         /* seconds at token_at; 0 = no expiry */
    time_t token_at;
    time_t refreshed_at;         /* last update from the worker, 0 = none yet */

    struct challenge_cache challenges;
    struct stale_note *stale;
    size_t stale_count;

    char *message;
    enum message_level message_level;
    time_t message_at;
    bool message_is_connection;  /* the message line shows a connection problem */

    bool help_open;
    size_t help_scroll;
    struct dialog_state dialog;

    struct {
        enum copy_what what;
        uint64_t request_id;
    } pending_copy;

    /* deploy / verify / collect */
    struct queue *updates;       /* where the responder and the checks post */
    struct preflight_jobs *checks; /* NULL: checks cannot run (no update queue) */
    struct responder_state responder;
    struct fulfill_flow fulfill;
    struct order_form form;
    struct revoke_flow revoke;
    struct cert_slot cert;
    uint64_t pending_check;      /* p on a challenge being fetched: check it then */

    /* auto-fetch of the challenge under the cursor (debounced) */
    char *autofetch_key;
    long long autofetch_at_ms;   /* monotonic ms, 0 = nothing planned */

    bool quit;
};

void console_state_init(struct console_state *c, const struct vault_config *cfg,
                        struct queue *commands);
void console_state_free(struct console_state *c);

/* The queue the responder and the pre-flight checks post their results to
 * (the same one the worker's updates arrive on); starts the check runner.
 * Without it, responder and checks refuse with a message. */
void console_state_attach_updates(struct console_state *c, struct queue *updates);

/* Apply one update from the worker; takes and frees m. now: wall clock. */
void console_state_apply(struct console_state *c, struct msg *m, time_t now);

/* Push a command to the worker (m's request_id must come from
 * console_state_next_request). Takes m. */
uint64_t console_state_next_request(struct console_state *c);
void console_state_send(struct console_state *c, struct msg *m);

/* The message line. */
void console_state_message(struct console_state *c, enum message_level level, time_t now,
                           const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* ---- the order list --------------------------------------------------- */

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
/* Ask the worker for a challenge's token and key authorization (the cache
 * entry goes to CHALLENGE_FETCHING). Returns the request_id. */
uint64_t console_state_fetch_challenge(struct console_state *c, const struct challenge_ref *ref);

/* Why an order is stale (NULL if not recorded). */
const char *console_state_stale_why(const struct console_state *c, const char *order_id);

/* Close the dialog (freeing its texts and the state of its flow; the
 * certificate slot is cert_view.c's to drop). */
void console_state_dialog_close(struct console_state *c);

/* Open a dialog of this kind (any open one is closed first) with a title. */
void console_state_dialog_open(struct console_state *c, enum dialog_kind kind,
                               const char *title);
/* Replace the body / answers / note of the open dialog (printf-style). */
void console_state_dialog_body(struct console_state *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void console_state_dialog_answers(struct console_state *c, const char *text);
void console_state_dialog_note(struct console_state *c, bool error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The order the operator looks at, in the store (after an order was created
 * from the console): the filters are cleared if they hide it. */
void console_state_select_id(struct console_state *c, const char *id);

#endif
