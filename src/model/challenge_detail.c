/* challenge_detail: lifetime and parsing of one challenge's token and key
 * authorization. */
#include "model/challenge_detail.h"

#include <stdlib.h>
#include <string.h>

#include "model/json_body.h"
#include "model/json_field.h"
#include "model/xalloc.h"

void challenge_detail_init(struct challenge_detail *c)
{
    memset(c, 0, sizeof *c);
}

void challenge_detail_free(struct challenge_detail *c)
{
    if (!c)
        return;
    free(c->token);
    free(c->key_authorization);
    free(c->status);
    challenge_detail_init(c);
}

void challenge_detail_copy(struct challenge_detail *dst,
                           const struct challenge_detail *src)
{
    dst->token = xstrdup(src->token);
    dst->key_authorization = xstrdup(src->key_authorization);
    dst->status = xstrdup(src->status);
    dst->expires = src->expires;
}

/* A required string that must not be empty. */
static int required_text(const cJSON *data, const char *name, char **out,
                         struct parse_error *err)
{
    if (json_field_string(data, name, JSON_REQUIRED, JSON_TEXT, out, err) != 0)
        return -1;
    if ((*out)[0] == '\0') {
        parse_error_set(err, "field '%s' is empty", name);
        return -1;
    }
    return 0;
}

int challenge_detail_parse(const cJSON *data, struct challenge_detail *out,
                           struct parse_error *err)
{
    challenge_detail_init(out);
    if (!cJSON_IsObject(data)) {
        parse_error_set(err, "challenge: 'data' is not an object");
        return -1;
    }
    if (required_text(data, "challenge_token", &out->token, err) != 0 ||
        required_text(data, "challenge_auth", &out->key_authorization, err) != 0) {
        challenge_detail_free(out);
        return -1;
    }
    json_field_string(data, "challenge_status", JSON_OPTIONAL, JSON_TEXT,
                      &out->status, NULL);
    json_field_time(data, "expires", JSON_OPTIONAL, &out->expires, NULL);
    return 0;
}

static int parse_data(const cJSON *data, void *out, struct parse_error *err)
{
    return challenge_detail_parse(data, out, err);
}

int challenge_detail_parse_response(const char *body, size_t len,
                                    struct challenge_detail *out,
                                    struct parse_error *err)
{
    challenge_detail_init(out);
    return json_body_parse_data(body, len, parse_data, out, err);
}
