/* copy_command: the commands that read or recreate one object of the
 * engine (an order, a role, an ACME account, a DNS provider), as `Y` copies
 * them: the `vault` CLI line and the `curl` line that read it, a `vault
 * write` line that creates it again, the Terraform resource block of the
 * Vault provider (vault_pki_external_ca_secret_backend_*) and its
 * `terraform import` line (IDs in the provider's format, for an order
 * <mount>/role/<role>/order/<id>). The token is always $VAULT_TOKEN, read
 * from the environment by the shell or the vault CLI; no secret value is
 * ever written (a provider's secret is left as a comment to fill in). Every
 * value in a shell line is quoted when it needs to be. Pure. */
#ifndef ACMETOP_MODEL_COPY_COMMAND_H
#define ACMETOP_MODEL_COPY_COMMAND_H

#include <stdbool.h>
#include <stddef.h>

#include "model/resource.h"

/* Where Vault is (addr without a trailing '/', namespace NULL or "", mount). */
struct copy_place {
    const char *addr, *namespace_, *mount;
};

/* The commands for a role, account or provider: key as listed ("web",
 * "rfc2136/internal-dns"), json its `data` as read (NULL: read lines only).
 * Newly allocated text, lines ending in '\n'. */
char *copy_command_resource(const struct copy_place *at, enum resource_kind kind,
                            const char *key, const char *json);

/* The commands for an order: its role, ID, identifiers; csr true for a
 * CSR-workflow order (the CSR itself is left as a file to give). */
char *copy_command_order(const struct copy_place *at, const char *role, const char *id,
                         const char *const *identifiers, size_t n, bool csr);

/* s quoted for a POSIX shell when it needs to be (into a new string). */
char *copy_command_shell_quote(const char *s);

#endif
