/* bindsrv: BIND9's named (Debian package `bind9`, /usr/sbin/named) as a
 * child process of a C test, the primary server of a few zones on
 * 127.0.0.1 and a free port (UDP and TCP), without recursion.  Two of them
 * stand in for two nameservers of a zone, one of which can serve a stale
 * copy the way a lagging secondary does (named listens only on addresses
 * of an interface, so a second loopback address such as 127.0.0.2 is not
 * available to it).  Work directory, named.conf and zone files under /tmp,
 * removed at stop.  The child gets SIGTERM when the starting thread dies
 * (PR_SET_PDEATHSIG): start it from the main thread, stop it in a teardown.
 *
 *   struct bindsrv *b = bindsrv_new();
 *   bindsrv_zone(b, "auth.test", text);
 *   bindsrv_start(b);
 *   ... DNS on 127.0.0.1:b->port ...
 *   bindsrv_zone(b, "auth.test", newer);  bindsrv_reload(b, "auth.test", 2);
 *   bindsrv_stop(b);
 */
#ifndef ACMETOP_TESTS_BINDSRV_H
#define ACMETOP_TESTS_BINDSRV_H

#include <sys/types.h>

#define BINDSRV_ZONES_MAX 4

struct bindsrv {
    pid_t pid;
    int port;                          /* UDP and TCP on 127.0.0.1 */
    char dir[64];                      /* work directory; named's log is dir/log */
    size_t nzones;
    char zones[BINDSRV_ZONES_MAX][64];
};

/* A work directory and a free port. */
struct bindsrv *bindsrv_new(void);

/* Write the zone file of zone: text in zone-file syntax.  0, or -1. */
int bindsrv_zone(struct bindsrv *b, const char *zone, const char *text);

/* Write named.conf, start named and wait (up to 10 s) until it answers for
 * every zone; up to three tries, on another port each.  0, or -1 with
 * named's log on stderr. */
int bindsrv_start(struct bindsrv *b);

/* Have named read its zone files again (SIGHUP) and wait (up to 10 s)
 * until it serves zone with SOA serial `serial`.  0, or -1. */
int bindsrv_reload(struct bindsrv *b, const char *zone, unsigned serial);

/* SIGTERM, reap, remove the work directory, free. b may be NULL. */
void bindsrv_stop(struct bindsrv *b);

#endif
