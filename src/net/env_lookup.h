/* env_lookup: one variable of an environment given as a NULL-terminated
 * "NAME=value" array (so settings can be resolved against a test's own
 * environment), or of the process's environment. */
#ifndef ACMETOP_NET_ENV_LOOKUP_H
#define ACMETOP_NET_ENV_LOOKUP_H

/* The value of name in envp (NULL: the process environment), or NULL. */
const char *env_lookup(const char *const *envp, const char *name);

#endif
