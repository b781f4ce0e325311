/* challenge_deploy: deploy commands of a challenge (see challenge_deploy.h). */
#include "model/challenge_deploy.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/challenge_value.h"
#include "model/xalloc.h"

/* Safe inside '...' for sh and inside a JSON string: printable ASCII, no
 * quote of either kind, no backslash (tokens, key authorizations and TXT
 * values are base64url and dots; names are DNS names). */
static bool quotable(const char *s)
{
    if (!s || !*s)
        return false;
    for (; *s; s++)
        if (*s <= ' ' || *s >= 127 || *s == '\'' || *s == '"' || *s == '\\')
            return false;
    return true;
}

static char *http01(const char *token, const char *key_authorization)
{
    char *path = challenge_http01_path(token);
    size_t n = strlen(path) * 2 + strlen(key_authorization) + 256;
    char *out = xmalloc(n);
    snprintf(out, n,
             "# in the web root of the name (served on port 80, plain HTTP):\n"
             "mkdir -p .well-known/acme-challenge\n"
             "printf '%%s' '%s' > '%s'\n",
             key_authorization, path + 1);
    free(path);
    return out;
}

static char *dns01(const char *identifier, const char *key_authorization,
                   const char *challtestsrv_url)
{
    char value[CHALLENGE_DNS01_VALUE_BUF];
    if (challenge_dns01_txt_value(key_authorization, value, sizeof value) != 0)
        return NULL;
    char *name = challenge_dns01_record_name(identifier);
    size_t n = strlen(name) + strlen(value) + (challtestsrv_url ? strlen(challtestsrv_url) : 0) +
               512;
    char *out = xmalloc(n);
    if (challtestsrv_url)
        snprintf(out, n, "curl -d '{\"host\":\"%s.\",\"value\":\"%s\"}' '%s/set-txt'\n", name,
                 value, challtestsrv_url);
    else
        snprintf(out, n,
                 "nsupdate <<'EOF'\n"
                 "; server <primary nameserver of the zone>\n"
                 "; key hmac-sha256:<key name> <secret>\n"
                 "update add %s. 60 IN TXT \"%s\"\n"
                 "send\n"
                 "EOF\n",
                 name, value);
    free(name);
    return out;
}

char *challenge_deploy_command(const char *type, const char *identifier, const char *token,
                               const char *key_authorization, const char *challtestsrv_url)
{
    if (!type || !quotable(identifier) || !quotable(key_authorization))
        return NULL;
    if (challtestsrv_url && (!*challtestsrv_url || !quotable(challtestsrv_url)))
        challtestsrv_url = NULL;
    if (strcmp(type, "http-01") == 0)
        return quotable(token) ? http01(token, key_authorization) : NULL;
    if (strcmp(type, "dns-01") == 0)
        return dns01(identifier, key_authorization, challtestsrv_url);
    return NULL;
}
