/* error_body: {"errors":[...]} -> one sanitised, capped line. */
#include "model/error_body.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "model/json_body.h"
#include "model/text_sanitize.h"
#include "model/xalloc.h"

/* Longest prefix of s (at most max bytes) that ends on a UTF-8 boundary. */
static size_t utf8_prefix(const char *s, size_t max)
{
    size_t len = strlen(s);
    if (len <= max)
        return len;
    while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
        max--;
    return max;
}

size_t error_body_message(const char *body, size_t len, char *buf, size_t size)
{
    if (!buf || size == 0)
        return 0;
    buf[0] = '\0';
    if (size > ERROR_BODY_MAX)
        size = ERROR_BODY_MAX;
    cJSON *root = json_body_parse(body, len, NULL);
    const cJSON *errors = root ? cJSON_GetObjectItemCaseSensitive(root, "errors") : NULL;
    if (!cJSON_IsArray(errors)) {
        cJSON_Delete(root);
        return 0;
    }
    static const char ellipsis[] = "...";
    size_t used = 0, count = 0;
    bool full = false;
    const cJSON *e;
    cJSON_ArrayForEach(e, errors)
    {
        if (!cJSON_IsString(e) || !e->valuestring || !e->valuestring[0])
            continue;
        if (full) { /* only count: the joined text is already cut */
            count++;
            continue;
        }
        size_t n = strnlen(e->valuestring, ERROR_BODY_MAX);
        char *msg = xstrndup(e->valuestring, n);
        text_sanitize(msg, false);
        const char *sep = count ? "; " : "";
        size_t need = strlen(sep) + strlen(msg);
        if (used + need + 1 <= size) {
            memcpy(buf + used, sep, strlen(sep));
            memcpy(buf + used + strlen(sep), msg, strlen(msg));
            used += need;
        } else {
            /* cut: keep what fits, then "..." */
            size_t room = size - 1 - used;
            size_t keep = room > sizeof ellipsis - 1 ? room - (sizeof ellipsis - 1) : 0;
            char *joined = xmalloc(need + 1);
            memcpy(joined, sep, strlen(sep));
            memcpy(joined + strlen(sep), msg, strlen(msg) + 1);
            size_t k = utf8_prefix(joined, keep);
            memcpy(buf + used, joined, k);
            used += k;
            if (used + sizeof ellipsis <= size) {
                memcpy(buf + used, ellipsis, sizeof ellipsis - 1);
                used += sizeof ellipsis - 1;
            }
            free(joined);
            full = true;
        }
        free(msg);
        buf[used] = '\0';
        count++;
    }
    cJSON_Delete(root);
    return count;
}
