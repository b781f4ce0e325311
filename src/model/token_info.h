/* token_info: GET auth/token/lookup-self, the operator's own token (for the
 * status bar: who am I, when does my token expire, which policies). */
#ifndef ACMETOP_TOKEN_INFO_H
#define ACMETOP_TOKEN_INFO_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "model/parse_error.h"

struct token_info {
    char *display_name;  /* NULL if absent */
    int64_t ttl;         /* seconds left, 0 = no expiry; never negative */
    char **policies;
    size_t policy_count;
};

void token_info_init(struct token_info *t);
void token_info_free(struct token_info *t); /* contents; re-inits */
void token_info_copy(struct token_info *dst, const struct token_info *src);

/* Parser conventions as in order_parse.h. No field is required. */
int token_info_parse(const cJSON *data, struct token_info *out,
                     struct parse_error *err);
int token_info_parse_response(const char *body, size_t len,
                              struct token_info *out, struct parse_error *err);

#endif
