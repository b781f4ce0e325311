/* copy_flow: copy a challenge's values (see copy_flow.h). */
#include "ui/copy_flow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/challenge_deploy.h"
#include "model/challenge_value.h"
#include "model/xalloc.h"
#include "ui/clipboard.h"

static int tty_fd = STDOUT_FILENO;

void copy_flow_set_tty(int fd)
{
    tty_fd = fd;
}

static const char *copy_what_name(enum copy_what w)
{
    switch (w) {
    case COPY_TOKEN: return "token";
    case COPY_KEY_AUTHORIZATION: return "key authorization";
    case COPY_DNS_VALUE: return "TXT value";
    case COPY_DEPLOY_COMMAND: return "deploy command";
    default: return "nothing";
    }
}

/* Copy from a fetched entry. */
static void copy_from(struct console_state *c, const struct challenge_entry *e,
                      enum copy_what what)
{
    char value[CHALLENGE_DNS01_VALUE_BUF];
    const char *data = NULL;
    char *command = NULL;
    if (what == COPY_DEPLOY_COMMAND) {
        /* `make demo` names the URL that sets records in its DNS server */
        command = challenge_deploy_command(e->type, e->identifier, e->detail.token,
                                           e->detail.key_authorization,
                                           getenv("ACMETOP_DEMO_CHALLTESTSRV"));
        data = command;
    } else if (what == COPY_TOKEN) {
        data = e->detail.token;
    } else if (what == COPY_KEY_AUTHORIZATION) {
        data = e->detail.key_authorization;
    } else if (challenge_dns01_txt_value(e->detail.key_authorization, value, sizeof value) == 0) {
        data = value;
    }
    if (!data || !*data) {
        console_state_say(c, MESSAGE_ERROR, "nothing copied: no %s known", copy_what_name(what));
        free(command);
        return;
    }
    char err[CLIPBOARD_ERROR_MAX];
    const char *cmd = c->cfg ? c->cfg->copy_command : NULL;
    size_t len = strlen(data);
    int rc = clipboard_copy(cmd, tty_fd, data, len, err);
    free(command);
    if (rc != 0) {
        console_state_say(c, MESSAGE_ERROR, "nothing copied: %s", err);
        return;
    }
    /* tmux drops an application's OSC 52 unless set-clipboard is on */
    bool osc52_in_tmux = !(cmd && *cmd) && getenv("TMUX") && *getenv("TMUX");
    console_state_say(c, MESSAGE_INFO, "copied the %s (%zu bytes, %s) of %s %s%s",
                      copy_what_name(what), len, cmd && *cmd ? "copy command" : "OSC 52",
                      e->type, e->identifier,
                      osc52_in_tmux ? "; inside tmux this needs `set -s set-clipboard on`" : "");
}

void copy_flow_text(struct console_state *c, const char *label, const char *text)
{
    char err[CLIPBOARD_ERROR_MAX];
    const char *cmd = c->cfg ? c->cfg->copy_command : NULL;
    if (clipboard_copy(cmd, tty_fd, text, strlen(text), err) != 0) {
        console_state_say(c, MESSAGE_ERROR, "nothing copied: %s", err);
        return;
    }
    bool osc52_in_tmux = !(cmd && *cmd) && getenv("TMUX") && *getenv("TMUX");
    console_state_say(c, MESSAGE_INFO, "copied %s (%zu bytes, %s)%s", label, strlen(text),
                      cmd && *cmd ? "copy command" : "OSC 52",
                      osc52_in_tmux ? "; inside tmux this needs `set -s set-clipboard on`" : "");
}

/* The fetch a copy waited for has answered. */
static bool copy_when_fetched(struct console_state *c, const struct msg *m, long what)
{
    struct challenge_entry *e = challenge_cache_by_request(&c->challenges, m->request_id);
    if (e && e->state == CHALLENGE_READY) {
        copy_from(c, e, (enum copy_what)what);
        return true;
    }
    console_state_say(c, MESSAGE_ERROR, "nothing copied: %s",
                      e && e->error ? e->error : "the challenge could not be fetched");
    return true;
}

/* ---- x with marked orders ----------------------------------------------- */

/* Every dns-01 challenge of every marked order awaiting the operator: the
 * fetched ones as "record value" lines into text (when not NULL); those
 * not fetched yet are fetched (fetch) and counted as pending. */
static size_t marked_txt_gather(struct console_state *c, bool fetch, char **text,
                                size_t *lines, size_t *failed);

static void marked_txt_copy(struct console_state *c, const char *text, size_t lines,
                            size_t failed);

static bool marked_txt_when_fetched(struct console_state *c, const struct msg *m, long arg)
{
    (void)m;
    (void)arg;
    char *text = NULL;
    size_t lines = 0, failed = 0;
    if (marked_txt_gather(c, false, &text, &lines, &failed) > 0) {
        free(text);
        return true; /* the last answer copies */
    }
    marked_txt_copy(c, text, lines, failed);
    free(text);
    return true;
}

static size_t marked_txt_gather(struct console_state *c, bool fetch, char **text,
                                size_t *lines, size_t *failed)
{
    size_t pending = 0, len = 0;
    for (size_t i = 0; i < c->marks.count; i++) {
        const struct order *o = order_store_find(c->store, c->marks.ids[i]);
        if (!o || o->status != ORDER_AWAITING_CHALLENGE)
            continue;
        for (size_t k = 0; k < o->challenge_count; k++) {
            const struct order_identifier_challenges *set = &o->challenges[k];
            for (size_t j = 0; j < set->count; j++) {
                if (!set->items[j].type || strcmp(set->items[j].type, "dns-01") != 0)
                    continue;
                struct challenge_entry *e =
                    challenge_cache_find(&c->challenges, o->id, set->identifier, "dns-01");
                char value[CHALLENGE_DNS01_VALUE_BUF];
                if (e && e->state == CHALLENGE_READY &&
                    challenge_dns01_txt_value(e->detail.key_authorization, value,
                                              sizeof value) == 0) {
                    char *name = challenge_dns01_record_name(set->identifier);
                    size_t add = strlen(name) + strlen(value) + 3;
                    *text = xrealloc(*text, len + add);
                    len += (size_t)snprintf(*text + len, add, "%s %s\n", name, value);
                    free(name);
                    (*lines)++;
                } else if (e && e->state == CHALLENGE_FAILED && !fetch) {
                    (*failed)++;
                } else {
                    pending++;
                    if (fetch && !(e && e->state == CHALLENGE_FETCHING)) {
                        struct challenge_ref ref = {.order_id = o->id, .role = o->role,
                                                    .identifier = set->identifier,
                                                    .type = "dns-01"};
                        console_state_on_reply(c, console_state_fetch_challenge(c, &ref),
                                               marked_txt_when_fetched, 0);
                    } else if (fetch) {
                        console_state_on_reply(c, e->request_id, marked_txt_when_fetched, 0);
                    }
                }
            }
        }
    }
    return pending;
}

static void marked_txt_copy(struct console_state *c, const char *text, size_t lines,
                            size_t failed)
{
    if (!lines) {
        console_state_say(c, MESSAGE_ERROR,
                          "nothing copied: no marked order awaits a dns-01 challenge%s",
                          failed ? " that could be fetched" : "");
        return;
    }
    char err[CLIPBOARD_ERROR_MAX];
    const char *cmd = c->cfg ? c->cfg->copy_command : NULL;
    if (clipboard_copy(cmd, tty_fd, text, strlen(text), err) != 0) {
        console_state_say(c, MESSAGE_ERROR, "nothing copied: %s", err);
        return;
    }
    console_state_say(c, MESSAGE_INFO,
                      "copied %zu TXT record%s of the marked orders, one \"name value\" per "
                      "line (%zu bytes, %s)%s",
                      lines, lines == 1 ? "" : "s", strlen(text),
                      cmd && *cmd ? "copy command" : "OSC 52",
                      failed ? "; some challenges could not be fetched" : "");
}

void copy_flow_marked_txt(struct console_state *c)
{
    char *text = NULL;
    size_t lines = 0, failed = 0;
    size_t pending = marked_txt_gather(c, true, &text, &lines, &failed);
    if (pending)
        console_state_say(c, MESSAGE_INFO,
                          "fetching %zu dns-01 challenge%s of the marked orders to copy their "
                          "TXT values...", pending, pending == 1 ? "" : "s");
    else
        marked_txt_copy(c, text, lines, failed);
    free(text);
}

void copy_flow_selected(struct console_state *c, enum copy_what what)
{
    struct challenge_ref ref;
    if (!console_state_selected_challenge(c, &ref, console_state_now(c)))
        return;
    if (what == COPY_DNS_VALUE && strcmp(ref.type, "dns-01") != 0) {
        console_state_say(c, MESSAGE_ERROR,
                          "the TXT value belongs to dns-01: select the dns-01 challenge of "
                          "%s (this one is %s)",
                          ref.identifier, ref.type);
        challenge_ref_free(&ref);
        return;
    }
    if (what == COPY_DEPLOY_COMMAND && strcmp(ref.type, "dns-01") != 0 &&
        strcmp(ref.type, "http-01") != 0) {
        console_state_say(c, MESSAGE_ERROR,
                          "D copies the deploy commands of http-01 and dns-01 challenges "
                          "(this one is %s)", ref.type);
        challenge_ref_free(&ref);
        return;
    }
    struct challenge_entry *e =
        challenge_cache_find(&c->challenges, ref.order_id, ref.identifier, ref.type);
    if (e && e->state == CHALLENGE_READY) {
        copy_from(c, e, what);
    } else {
        uint64_t id = e && e->state == CHALLENGE_FETCHING ? e->request_id
                                                           : console_state_fetch_challenge(c, &ref);
        console_state_on_reply(c, id, copy_when_fetched, (long)what);
        console_state_say(c, MESSAGE_INFO, "fetching the %s challenge of %s to copy its %s...",
                          ref.type, ref.identifier, copy_what_name(what));
    }
    challenge_ref_free(&ref);
}

