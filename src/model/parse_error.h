/* parse_error: the caller-owned error of every parser in src/model.
 * Parsers never trust the server; when an answer cannot be used they return
 * an error code and describe the problem here, naming the JSON field, so the
 * message can go straight to the status bar or to stderr. */
#ifndef ACMETOP_PARSE_ERROR_H
#define ACMETOP_PARSE_ERROR_H

#include <stddef.h>

struct parse_error {
    char message[256]; /* "" when no error; always NUL-terminated */
    size_t refused;    /* names a list parser skipped on success because they are
                          not safe to put into a path (control or invisible
                          characters, bad UTF-8; see json_name_is_clean) */
};

/* Set err->message (printf-style, truncated to fit). err may be NULL. */
void parse_error_set(struct parse_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Reset err->message to "" and refused to 0. err may be NULL. */
void parse_error_clear(struct parse_error *err);

#endif
