/* copy_flow: c, x, t, D copy the key authorization, the dns-01 TXT value,
 * the token or the commands that deploy the challenge under the cursor
 * (model/challenge_deploy.h) to the clipboard (OSC 52 on the
 * terminal, or the copy_command's standard input). A challenge not fetched
 * yet is fetched first and copied when it arrives; the message line says
 * what was copied (never the value itself) or why nothing was. */
#ifndef ACMETOP_UI_COPY_FLOW_H
#define ACMETOP_UI_COPY_FLOW_H

#include "ui/console_state.h"

enum copy_what { COPY_TOKEN, COPY_KEY_AUTHORIZATION, COPY_DNS_VALUE, COPY_DEPLOY_COMMAND };

/* Copy `what` of the selected challenge. */
void copy_flow_selected(struct console_state *c, enum copy_what what);

/* x with marked orders: the TXT records of every dns-01 challenge of the
 * marked orders awaiting the operator, one "name value" line each (fetched
 * first when needed; copied once the last one arrives). */
void copy_flow_marked_txt(struct console_state *c);

/* Copy any text (the raw answer, commands); the message line says what
 * (label) and how many bytes were copied, never the text itself. */
void copy_flow_text(struct console_state *c, const char *label, const char *text);
/* The file descriptor OSC 52 is written to (default: standard output). */
void copy_flow_set_tty(int fd);

#endif
