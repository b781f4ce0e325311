/* context_switch: `:ctx NAME`, `:ns PATH` and Enter in those views ask the
 * engine to watch another context or namespace (CMD_SWITCH_CONTEXT); the
 * engine's refusal (an unknown context, a config file that no longer
 * reads) is said on the message line and the old context stays. */
#ifndef ACMETOP_UI_CONTEXT_SWITCH_H
#define ACMETOP_UI_CONTEXT_SWITCH_H

struct console_state;

/* context NULL: this one; namespace_ NULL: the context's own ("" the
 * root, "*" every one). Refused with a message while paused. */
void context_switch(struct console_state *c, const char *context, const char *namespace_);

#endif
