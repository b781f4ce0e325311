/* strv: owned string arrays (copy, free, push, join). */
#include "model/strv.h"

#include <stdlib.h>
#include <string.h>

#include "model/xalloc.h"

char **strv_copy(const char *const *v, size_t n)
{
    if (!v)
        return NULL;
    char **out = xcalloc(n ? n : 1, sizeof *out);
    for (size_t i = 0; i < n; i++)
        out[i] = xstrdup(v[i] ? v[i] : "");
    return out;
}

void strv_free(char **v, size_t n)
{
    if (!v)
        return;
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

void strv_push(char ***v, size_t *n, const char *s)
{
    /* exact growth: works on any array from strv_copy/strv_push; lists
     * built in bulk are allocated at their final size instead */
    size_t count = *n;
    *v = xrealloc(*v, (count + 1) * sizeof **v);
    (*v)[count] = xstrdup(s ? s : "");
    *n = count + 1;
}

char *strv_join(const char *const *v, size_t n, const char *sep)
{
    size_t seplen = sep ? strlen(sep) : 0, total = 1;
    for (size_t i = 0; i < n; i++)
        total += (v[i] ? strlen(v[i]) : 0) + (i ? seplen : 0);
    char *out = xmalloc(total), *p = out;
    for (size_t i = 0; i < n; i++) {
        if (i && seplen) {
            memcpy(p, sep, seplen);
            p += seplen;
        }
        if (v[i]) {
            size_t len = strlen(v[i]);
            memcpy(p, v[i], len);
            p += len;
        }
    }
    *p = '\0';
    return out;
}
