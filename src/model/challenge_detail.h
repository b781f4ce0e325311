/* challenge_detail: what GET role/:role/order/:id/challenge answers for one
 * identifier and challenge type: the token and key authorization an operator
 * deploys (see API.md, "What an operator does with a challenge"). */
#ifndef ACMETOP_CHALLENGE_DETAIL_H
#define ACMETOP_CHALLENGE_DETAIL_H

#include <stddef.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "model/parse_error.h"

struct challenge_detail {
    char *token;             /* challenge_token (required) */
    char *key_authorization; /* challenge_auth (required) */
    char *status;            /* challenge_status, NULL if absent */
    time_t expires;          /* 0 = unknown */
};

void challenge_detail_init(struct challenge_detail *c);
void challenge_detail_free(struct challenge_detail *c); /* contents; re-inits */
void challenge_detail_copy(struct challenge_detail *dst,
                           const struct challenge_detail *src);

/* Parser conventions as in order_parse.h. token and key authorization are
 * required non-empty strings (and sanitised: a key authorization is
 * base64url + '.', anything else would be a broken server). */
int challenge_detail_parse(const cJSON *data, struct challenge_detail *out,
                           struct parse_error *err);
int challenge_detail_parse_response(const char *body, size_t len,
                                    struct challenge_detail *out,
                                    struct parse_error *err);

#endif
