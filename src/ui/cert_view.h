/* cert_view: collecting the certificate of a completed order.
 *   v  asks the engine for it (CMD_FETCH_CERT, PEM) and shows it parsed
 *      (model/cert_info): subject, SANs, issuer, serial, validity, key type,
 *      SHA-256 fingerprint, days left, the chain's length, whether a private
 *      key came with it (the key itself never reaches the console: the engine
 *      drops it before the certificate is sent up);
 *   e  (here or on the order list) asks the engine to save certificate,
 *      chain and, for the identifier workflow, the private key into cert_dir
 *      (CMD_SAVE_CERT): the engine fetches, plans, writes the key 0600 and
 *      wipes it; when files exist already it writes nothing and says which,
 *      and this dialog asks before sending the save again with overwrite. */
#ifndef ACMETOP_UI_CERT_VIEW_H
#define ACMETOP_UI_CERT_VIEW_H

#include "ui/console_state.h"

/* The certificate dialog's ops (tests look the open dialog up by them). */
extern const struct dialog_ops cert_view_ops;

/* `v` on the selected order. */
void cert_view_open(struct console_state *c);
/* `e` on the selected order. */
/* e with marked orders: save the certificate of every completed marked
 * order (never overwriting), then say how many were saved, already there,
 * failed. */
void cert_view_save_marked(struct console_state *c);
void cert_view_save(struct console_state *c);

#endif
