/* delete_flow: `D` in the roles, accounts and DNS providers views: delete
 * the selected object (DELETE <path>). The form shows what will be sent
 * and asks for the object's name typed; for a role with active orders that
 * acmetop knows it lists them and asks for `force` typed too (sent as
 * ?force=true), and when Vault answers that force is needed it asks then.
 * Sent once; Vault's refusal shows in the form with what was typed kept; on
 * success the view's objects are read again. */
#ifndef ACMETOP_UI_DELETE_FLOW_H
#define ACMETOP_UI_DELETE_FLOW_H

#include <stdbool.h>
#include <stddef.h>

#include "model/resource.h"
#include "ui/console_state.h"

extern const struct dialog_ops delete_flow_ops;

struct delete_spec {
    enum resource_kind kind;  /* read again after the deletion */
    const char *noun;         /* "role", "ACME account", "DNS provider" */
    const char *name;         /* what the operator types ("web", "internal-dns") */
    const char *key;          /* the path after the kind's path ("web", "rfc2136/internal-dns") */
    const char *const *active; /* active orders to list (force needed), may be NULL */
    size_t active_count;
    bool force_exists;        /* the API takes force (roles) */
    const char *note;         /* a sentence on what deleting does, or NULL */
};

void delete_flow_begin(struct console_state *c, const struct delete_spec *spec);

#endif
