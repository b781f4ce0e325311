/* simproc: start the Vault simulator (tests/vaultsim/vaultsim) as a child
 * process for C integration tests, talk to its /_sim/ control endpoints,
 * and stop it.
 *
 *   struct simproc *sim = simproc_start((const char *[]){"--token", "T", NULL});
 *   ... sim->addr is "http://127.0.0.1:PORT" (VAULT_ADDR), sim->cacert the
 *       CA file with --tls (else NULL) ...
 *   char *log = simproc_get_json(sim, "/_sim/requests");
 *   simproc_post(sim, "/_sim/faults", "{\"...\": ...}");
 *   simproc_stop(sim);
 *
 * The simulator is taken from $VAULTSIM, else "tests/vaultsim/vaultsim"
 * (tests run from the repository root).  "--listen 127.0.0.1:0" is always
 * passed first, so every run gets a free port.  The first stdout line must
 * be VAULT_ADDR=<url>; with --tls the second is VAULT_CACERT=<path>.  The
 * simulator's stderr goes to the test's stderr.  Control calls use libcurl
 * (call curl_global_init or vault_client_global_init first) and send the
 * token given with --token, if any, as X-Vault-Token.
 * Every failure to start prints why on stderr and returns NULL.
 * The simulator gets SIGTERM when the thread that started it ends (Linux
 * PR_SET_PDEATHSIG), so a test that crashes or fails an assertion leaves no
 * orphan behind: start it from the main thread (or a thread that outlives
 * it).  Still, stop it in a cmocka teardown, not at the end of a test body
 * that an assertion may leave early. */
#ifndef ACMETOP_TESTS_SIMPROC_H
#define ACMETOP_TESTS_SIMPROC_H

#include <pthread.h>
#include <stdbool.h>

#include <cjson/cJSON.h>
#include <sys/types.h>

struct simproc {
    pid_t pid;
    char addr[256];     /* VAULT_ADDR printed by the simulator */
    char cacert[1024];  /* VAULT_CACERT with --tls, else "" */
    char token[256];    /* value passed with --token, else "" */
    int stdout_fd;      /* the simulator's stdout; after the first lines a thread drains it */
    pthread_t drain;
    bool draining;
};

/* args: extra arguments, NULL-terminated (may be NULL).  Waits up to 15 s
 * for the VAULT_ADDR line. */
struct simproc *simproc_start(const char *const *args);

/* SIGTERM, wait up to 5 s, then SIGKILL; reaps the child; frees sim. */
void simproc_stop(struct simproc *sim);

/* GET sim->addr + path; returns the body (caller frees) when the status is
 * 2xx, else NULL (message on stderr). */
char *simproc_get_json(struct simproc *sim, const char *path);

/* POST / DELETE with a JSON body (may be NULL); returns the HTTP status,
 * or -1 on a transport error. */
long simproc_post(struct simproc *sim, const char *path, const char *json);
long simproc_delete(struct simproc *sim, const char *path);

/* A generic call: method, path, body (may be NULL); *body_out (if not NULL)
 * receives the answer body (caller frees).  Returns the status or -1. */
long simproc_request(struct simproc *sim, const char *method, const char *path, const char *json,
                     char **body_out);

/* LIST lookup/orders/recent?within=168h of the default mount, parsed: the
 * root (caller cJSON_Deletes it) and *key_info, the order ID -> summary map
 * inside it (fails the test when the list cannot be read). */
cJSON *simproc_recent_orders(struct simproc *sim, const cJSON **key_info);

/* The simulator's request log (GET /_sim/requests), parsed: an array of
 * entries (caller cJSON_Deletes it; aborts when it cannot be read). */
cJSON *simproc_request_log(struct simproc *sim);

/* *c filled for sim the way the integration tests talk to it: sim's address
 * (and CA file with --tls), token (may be NULL), the default mount, 5 s to
 * connect, 20 s per request, 64 MiB bodies, 8 in parallel, a 1 s poll.
 * sim NULL: a closed port ("http://127.0.0.1:1").  Free with
 * vault_config_free. */
struct vault_config;
void simproc_config(const struct simproc *sim, const char *token, struct vault_config *c);

/* The string member name of e, "" when absent or not a string. */
const char *simproc_entry_str(const cJSON *e, const char *name);

#endif
