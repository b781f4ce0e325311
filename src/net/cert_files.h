/* cert_files: save an order's certificate, chain and (identifier workflow
 * only) private key into a directory the operator chose:
 *   <dir>/<name>.crt        certificate (PEM), mode 0644
 *   <dir>/<name>.chain.pem  CA chain (PEM, in Vault's order), mode 0644, when there is one
 *   <dir>/<name>.key        private key (PEM), mode 0600, when Vault returned one
 * where <name> is the first identifier (or the order ID when there is none)
 * made safe for a file name: "*" -> "_wildcard_", '/' and every byte outside
 * [A-Za-z0-9._-] -> '_', no leading '.', at most CERT_FILES_NAME_MAX bytes.
 *
 * Why src/net and not src/model: this writes files (I/O with side effects
 * on the machine), which src/model, pure by rule, never does; src/net is
 * the layer that touches the outside world and has no ncurses.
 *
 * Guarantees: every file is written to a temporary file in the same
 * directory (created 0600 with O_CREAT|O_EXCL, then fchmod to its final
 * mode, so the key is never readable by others, whatever the umask), then
 * fsync'ed and moved into place atomically; without overwrite, an existing
 * file is an error naming it and nothing is written (link(2) refuses to
 * replace, so a file appearing meanwhile is not clobbered either); files
 * created by a call that fails are removed again.  The directory is created
 * (with its missing parents) with mode 0700.  The private key in the bundle
 * is wiped (OPENSSL_cleanse) and freed once the call returns, success or not:
 * to retry, fetch the certificate again. */
#ifndef ACMETOP_NET_CERT_FILES_H
#define ACMETOP_NET_CERT_FILES_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "model/cert_bundle.h"
#include "net/deploy_error.h"

#define CERT_FILES_NAME_MAX 200

struct cert_files_paths {
    char cert[PATH_MAX];
    char chain[PATH_MAX]; /* "" when the bundle has no chain */
    char key[PATH_MAX];   /* "" when the bundle has no private key */
    bool cert_exists, chain_exists, key_exists; /* cert_files_plan() only */
};

/* The safe base name for an identifier (or order ID), newly allocated:
 * "*.apps.example.io" -> "_wildcard_.apps.example.io", "../x" -> "_._x"
 * ("." first becomes "_"), "" or NULL -> "certificate". */
char *cert_files_safe_name(const char *name);

/* The paths cert_files_save() would write for this bundle, and which of them
 * exist already (so the console can ask "overwrite?" before the save).
 * first_identifier may be NULL (then order_id names the files).  Returns 0,
 * or -1 with err set when a path would be too long. */
int cert_files_plan(const char *dir, const char *first_identifier, const char *order_id,
                    const struct cert_bundle *b, struct cert_files_paths *out,
                    struct deploy_error *err);

/* Write the files (see the top of this file).  The certificate must be
 * PEM (fetch with certificate_format "pem").  Returns 0 with *out holding
 * the paths written, or -1 with err set ("/srv/certs/a.test.key exists
 * already: ...", "cannot create directory ...: Permission denied").  In both
 * cases b->private_key is wiped and freed (NULL afterwards). */
int cert_files_save(const char *dir, const char *first_identifier, const char *order_id,
                    struct cert_bundle *b, bool overwrite, struct cert_files_paths *out,
                    struct deploy_error *err);

#endif
