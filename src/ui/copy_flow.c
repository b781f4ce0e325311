/* copy_flow: copy a challenge's values (see copy_flow.h). */
#include "ui/copy_flow.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/challenge_value.h"
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
    default: return "nothing";
    }
}

/* Copy from a fetched entry. */
static void copy_from(struct console_state *c, const struct challenge_entry *e,
                      enum copy_what what)
{
    char value[CHALLENGE_DNS01_VALUE_BUF];
    const char *data = NULL;
    if (what == COPY_TOKEN) {
        data = e->detail.token;
    } else if (what == COPY_KEY_AUTHORIZATION) {
        data = e->detail.key_authorization;
    } else if (challenge_dns01_txt_value(e->detail.key_authorization, value, sizeof value) == 0) {
        data = value;
    }
    if (!data || !*data) {
        console_state_say(c, MESSAGE_ERROR, "nothing copied: no %s known", copy_what_name(what));
        return;
    }
    char err[CLIPBOARD_ERROR_MAX];
    const char *cmd = c->cfg ? c->cfg->copy_command : NULL;
    if (clipboard_copy(cmd, tty_fd, data, strlen(data), err) != 0) {
        console_state_say(c, MESSAGE_ERROR, "nothing copied: %s", err);
        return;
    }
    /* tmux drops an application's OSC 52 unless set-clipboard is on */
    bool osc52_in_tmux = !(cmd && *cmd) && getenv("TMUX") && *getenv("TMUX");
    console_state_say(c, MESSAGE_INFO, "copied the %s (%zu bytes, %s) of %s %s%s",
                      copy_what_name(what), strlen(data), cmd && *cmd ? "copy command" : "OSC 52",
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

