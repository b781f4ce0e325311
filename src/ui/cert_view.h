/* cert_view: collecting the certificate of a completed order.
 *   v  fetches it (CMD_FETCH_CERT, PEM) and shows it parsed (model/cert_info):
 *      subject, SANs, issuer, serial, validity, key type, SHA-256
 *      fingerprint, days left, the chain's length, whether a private key
 *      came with it (never the key itself);
 *   e  (here or on the order list) saves certificate, chain and, for the
 *      identifier workflow, the private key into cert_dir with
 *      net/cert_files.h: the plan first, and when files exist already a
 *      dialog asks before overwriting (unless cert_overwrite is set).
 * The bundle lives in console_state.cert only while it is shown or about to
 * be saved: the key is wiped once written (cert_files_save does it) and the
 * whole bundle when the view closes (cert_bundle_free wipes it). */
#ifndef ACMETOP_UI_CERT_VIEW_H
#define ACMETOP_UI_CERT_VIEW_H

#include <stdbool.h>
#include <time.h>

#include "ui/console_state.h"

/* `v` on the selected order. */
void cert_view_open(struct console_state *c);
/* `e` on the selected order (or in the view). */
void cert_view_save(struct console_state *c);
/* Keys of DIALOG_CERT and DIALOG_OVERWRITE. */
bool cert_view_key(struct console_state *c, int key);
/* UPD_CERT: takes the bundle out of m (m is still the caller's to free). */
void cert_view_on_cert(struct console_state *c, struct msg *m, time_t now);
/* UPD_ACTION_RESULT of a CMD_FETCH_CERT: true if it was ours (shown). */
bool cert_view_on_failure(struct console_state *c, const struct msg *m, time_t now);
/* Drop the certificate held (the private key is wiped). */
void cert_view_drop(struct console_state *c);
/* The directory certificates are saved to. */
const char *cert_view_dir(const struct console_state *c);

#endif
