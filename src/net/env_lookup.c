/* env_lookup: a variable of an environment array (see env_lookup.h). */
#include "net/env_lookup.h"

#include <string.h>

extern char **environ;

const char *env_lookup(const char *const *envp, const char *name)
{
    const char *const *e = envp ? envp : (const char *const *)environ;
    size_t n = strlen(name);
    for (; e && *e; e++)
        if (strncmp(*e, name, n) == 0 && (*e)[n] == '=')
            return *e + n + 1;
    return NULL;
}
