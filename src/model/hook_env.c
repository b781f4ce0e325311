/* hook_env: an on_change hook's environment (see hook_env.h). */
#include "model/hook_env.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/rfc3339.h"
#include "model/strv.h"
#include "model/xalloc.h"

static bool passed_on(const char *entry)
{
    static const char *const names[] = {"PATH=", "HOME=", "LANG=", "TZ=", "USER=", "LOGNAME=",
                                        "TMPDIR=", "LC_"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strncmp(entry, names[i], strlen(names[i])) == 0)
            return strchr(entry, '=') != NULL;
    return false;
}

static void push(char ***env, size_t *n, const char *name, const char *value)
{
    size_t len = strlen(name) + strlen(value ? value : "") + 2;
    char *entry = xmalloc(len);
    snprintf(entry, len, "%s=%s", name, value ? value : "");
    strv_push(env, n, entry);
    free(entry);
}

char **hook_env_build(const char *const *base, const struct order *o, const char *old_status,
                      const char *mount, const char *namespace_, size_t *n)
{
    char **env = NULL;
    *n = 0;
    for (size_t i = 0; base && base[i]; i++)
        if (passed_on(base[i]))
            strv_push(&env, n, base[i]);
    bool has_path = false;
    for (size_t i = 0; i < *n; i++)
        has_path |= strncmp(env[i], "PATH=", 5) == 0;
    if (!has_path)
        push(&env, n, "PATH", "/usr/local/bin:/usr/bin:/bin");
    push(&env, n, "ACMETOP_ORDER_ID", o->id);
    push(&env, n, "ACMETOP_ROLE", o->role);
    char *ids = strv_join((const char *const *)o->identifiers, o->identifier_count, " ");
    push(&env, n, "ACMETOP_IDENTIFIERS", ids);
    free(ids);
    push(&env, n, "ACMETOP_OLD_STATUS", old_status);
    push(&env, n, "ACMETOP_STATUS", order_status_display(o));
    push(&env, n, "ACMETOP_LAST_ERROR", o->last_error);
    char t[RFC3339_BUF];
    push(&env, n, "ACMETOP_CERT_NOT_AFTER",
         o->cert_not_after ? rfc3339_format(o->cert_not_after, t, sizeof t) : "");
    push(&env, n, "ACMETOP_MOUNT", mount);
    push(&env, n, "ACMETOP_NAMESPACE", namespace_); /* "" for the root */
    /* NULL-terminated for execve */
    env = xrealloc(env, (*n + 1) * sizeof *env);
    env[*n] = NULL;
    return env;
}
