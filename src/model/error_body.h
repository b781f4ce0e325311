/* error_body: the message of a Vault error body, {"errors":["...", ...]},
 * as one line a person can read. Server text: sanitised and length-capped. */
#ifndef ACMETOP_ERROR_BODY_H
#define ACMETOP_ERROR_BODY_H

#include <stddef.h>

#define ERROR_BODY_MAX 512 /* cap of the joined message, bytes incl. NUL */

/* Join the non-empty string entries of `errors` with "; " into buf (at most
 * min(size, ERROR_BODY_MAX) bytes, always terminated, cut on a UTF-8
 * boundary with "..." when too long). Returns the number of messages joined;
 * 0 (buf = "") when the body is not JSON, has no `errors` array, or the
 * array is empty (an empty LIST answers 404 with {"errors":[]}). */
size_t error_body_message(const char *body, size_t len, char *buf,
                           size_t size);

#endif
