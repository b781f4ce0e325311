/* challenge_deploy: the shell commands that deploy one challenge, to copy
 * whole (D) rather than retype a value that wraps on screen:
 *   http-01  the file to write under the web root, with its exact content;
 *   dns-01   an nsupdate script adding the TXT record (RFC 2136 server and
 *            key lines to fill in), or, in `make demo`, the curl that sets
 *            it in pebble-challtestsrv.
 * Values are single-quoted for sh; a value holding a quote is refused. */
#ifndef ACMETOP_MODEL_CHALLENGE_DEPLOY_H
#define ACMETOP_MODEL_CHALLENGE_DEPLOY_H

/* The commands for challenge `type` of identifier (key_authorization and
 * token as fetched; challtestsrv_url NULL outside the demo), malloc'd; NULL
 * for another type or a value that is not safe to quote. */
char *challenge_deploy_command(const char *type, const char *identifier, const char *token,
                               const char *key_authorization, const char *challtestsrv_url);

#endif
