/* context_switch: asking the engine for another context or namespace (see
 * context_switch.h). */
#include "ui/context_switch.h"

#include "ui/console_state.h"

/* The engine's answer when a switch fails (the old context stays). */
static bool switch_answered(struct console_state *c, const struct msg *m, long arg)
{
    (void)arg;
    if (m->type != UPD_ACTION_RESULT)
        return false;
    console_state_say(c, m->u.action_result.ok ? MESSAGE_INFO : MESSAGE_ERROR, "%s",
                      m->u.action_result.message);
    return true;
}

void context_switch(struct console_state *c, const char *context, const char *namespace_)
{
    if (c->paused) {
        console_state_say(c, MESSAGE_ERROR, "paused: z resumes first, then switch");
        return;
    }
    uint64_t id = console_state_next_request(c);
    console_state_on_reply(c, id, switch_answered, 0);
    console_state_send(c, msg_new_switch_context(id, context, namespace_));
    console_state_say(c, MESSAGE_INFO, "switching to %s%s%s...", context ? "context " : "",
                      context ? context : "namespace ", context ? "" : namespace_);
}

