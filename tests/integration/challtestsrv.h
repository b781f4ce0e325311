/* challtestsrv: pebble's challenge test server (Debian package `pebble`,
 * /usr/bin/pebble-challtestsrv) as a child process of a C test: the DNS
 * server pebble itself uses in the demo (every name resolves to 127.0.0.1,
 * TXT records set through its management API), plus its own http-01 and
 * tls-alpn-01 answer servers -- independent implementations to check the
 * pre-flight checks against.  Every port is a free loopback port (two runs
 * coexist).  The child gets SIGTERM when the starting thread dies
 * (PR_SET_PDEATHSIG): start it from the main thread, stop it in a teardown.
 * Management calls use libcurl: call curl_global_init first.
 *
 *   struct challtestsrv *c = challtestsrv_start();
 *   challtestsrv_set_txt(c, "_acme-challenge.a.test", "value");
 *   ... DNS on 127.0.0.1:c->dns_port ...
 *   challtestsrv_stop(c);
 */
#ifndef ACMETOP_TESTS_CHALLTESTSRV_H
#define ACMETOP_TESTS_CHALLTESTSRV_H

#include <sys/types.h>

struct challtestsrv {
    pid_t pid;
    int dns_port;       /* UDP and TCP */
    int mgmt_port;
    int http01_port;
    int tlsalpn01_port;
    char log_path[64];  /* its output, shown when it fails to start */
};

/* Start and wait (up to 15 s) until management and DNS answer; NULL with
 * the reason on stderr. */
struct challtestsrv *challtestsrv_start(void);
void challtestsrv_stop(struct challtestsrv *c); /* SIGTERM, reap, remove the log, free */

/* Management API; each returns 0, or -1 (message on stderr). */
int challtestsrv_set_txt(struct challtestsrv *c, const char *name, const char *value);
int challtestsrv_clear_txt(struct challtestsrv *c, const char *name);
int challtestsrv_add_http01(struct challtestsrv *c, const char *token, const char *content);
int challtestsrv_add_tlsalpn01(struct challtestsrv *c, const char *host, const char *content);

#endif
