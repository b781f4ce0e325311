/* clipboard: put a value (a challenge token, key authorization, TXT value)
 * on the operator's clipboard. Either through the terminal with OSC 52
 * (ESC ] 52 ; c ; BASE64 BEL), which works over SSH and inside tmux with
 * `set-clipboard on`, or through a copy command from the config
 * (`copy_command = xclip -selection clipboard`, run with sh -c, the value
 * on its standard input and nothing on its command line). */
#ifndef ACMETOP_UI_CLIPBOARD_H
#define ACMETOP_UI_CLIPBOARD_H

#include <stddef.h>

#define CLIPBOARD_ERROR_MAX 300

/* The OSC 52 sequence that sets the clipboard to data[0..len). Newly
 * allocated, NUL-terminated. */
char *clipboard_osc52(const char *data, size_t len);

/* Copy data[0..len): through copy_command when it is set (not NULL, not
 * empty), else by writing OSC 52 to tty_fd. Returns 0, or -1 with err
 * (CLIPBOARD_ERROR_MAX bytes) saying what failed. A copy command gets 3
 * seconds to finish; its output is discarded.  It inherits no secret of
 * acmetop's: no VAULT_* variable (VAULT_TOKEN) in its environment and no
 * descriptor but 0, 1 and 2 (an xclip that stays to serve the selection
 * would otherwise keep Vault connections open after acmetop exits). */
int clipboard_copy(const char *copy_command, int tty_fd, const char *data, size_t len,
                   char *err);

#endif
