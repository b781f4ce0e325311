/* bindsrv: BIND9's named as a test child process (see bindsrv.h). */
#include "bindsrv.h"

#include "deadline.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <ldns/ldns.h>

#define BIN "/usr/sbin/named"

/* A loopback port free in TCP and UDP (the sockets closed again). */
static int free_port(void)
{
    for (int attempt = 0; attempt < 20; attempt++) {
        int t = socket(AF_INET, SOCK_STREAM, 0);
        struct sockaddr_in a = {.sin_family = AF_INET};
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t l = sizeof a;
        if (t < 0 || bind(t, (struct sockaddr *)&a, sizeof a) != 0 ||
            getsockname(t, (struct sockaddr *)&a, &l) != 0) {
            if (t >= 0)
                close(t);
            return -1;
        }
        int u = socket(AF_INET, SOCK_DGRAM, 0);
        int ok = u >= 0 && bind(u, (struct sockaddr *)&a, sizeof a) == 0;
        if (u >= 0)
            close(u);
        close(t);
        if (ok)
            return ntohs(a.sin_port);
    }
    return -1;
}

struct bindsrv *bindsrv_new(void)
{
    struct bindsrv *b = calloc(1, sizeof *b);
    if (!b)
        return NULL;
    snprintf(b->dir, sizeof b->dir, "/tmp/acmetop-bindsrv-XXXXXX");
    b->port = free_port();
    if (b->port < 0 || !mkdtemp(b->dir)) {
        free(b);
        return NULL;
    }
    return b;
}

static int write_file(const char *path, const char *text)
{
    char tmp[256];
    snprintf(tmp, sizeof tmp, "%s.new", path);
    FILE *f = fopen(tmp, "w");
    if (!f)
        return -1;
    int ok = fputs(text, f) >= 0;
    ok = fclose(f) == 0 && ok;
    return ok && rename(tmp, path) == 0 ? 0 : -1; /* named never reads half a file */
}

int bindsrv_zone(struct bindsrv *b, const char *zone, const char *text)
{
    size_t z = 0;
    while (z < b->nzones && strcmp(b->zones[z], zone) != 0)
        z++;
    if (z == b->nzones) {
        if (b->nzones == BINDSRV_ZONES_MAX)
            return -1;
        snprintf(b->zones[b->nzones++], sizeof b->zones[0], "%s", zone);
    }
    char path[192];
    snprintf(path, sizeof path, "%s/%s.zone", b->dir, zone);
    return write_file(path, text);
}

/* The SOA serial served for zone, or -1 (no answer, not that zone). */
static long serial_of(const struct bindsrv *b, const char *zone)
{
    ldns_resolver *r = ldns_resolver_new();
    ldns_rdf *ns = ldns_rdf_new_frm_str(LDNS_RDF_TYPE_A, "127.0.0.1");
    ldns_rdf *name = ldns_dname_new_frm_str(zone);
    long serial = -1;
    if (r && ns && name && ldns_resolver_push_nameserver(r, ns) == LDNS_STATUS_OK) {
        ldns_resolver_set_port(r, (uint16_t)b->port);
        ldns_resolver_set_timeout(r, (struct timeval){.tv_sec = 0, .tv_usec = 300000});
        ldns_resolver_set_retry(r, 1);
        ldns_pkt *p = ldns_resolver_query(r, name, LDNS_RR_TYPE_SOA, LDNS_RR_CLASS_IN, 0);
        ldns_rr_list *soa = p ? ldns_pkt_rr_list_by_type(p, LDNS_RR_TYPE_SOA,
                                                         LDNS_SECTION_ANSWER) : NULL;
        if (soa && ldns_rr_list_rr_count(soa) > 0)
            serial = (long)ldns_rdf2native_int32(ldns_rr_rdf(ldns_rr_list_rr(soa, 0), 2));
        ldns_rr_list_deep_free(soa);
        ldns_pkt_free(p);
    }
    ldns_rdf_deep_free(ns);
    ldns_rdf_deep_free(name);
    ldns_resolver_deep_free(r);
    return serial;
}

static void show_log(const struct bindsrv *b)
{
    char path[128], line[512];
    snprintf(path, sizeof path, "%s/log", b->dir);
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    while (fgets(line, sizeof line, f))
        fprintf(stderr, "  named: %s", line);
    fclose(f);
}

static int write_conf(const struct bindsrv *b)
{
    char conf[8192], path[128];
    size_t k = 0;
    k += (size_t)snprintf(conf + k, sizeof conf - k,
                          "options {\n  directory \"%s\";\n  pid-file none;\n"
                          "  session-keyfile none;\n  listen-on port %d { 127.0.0.1; };\n"
                          "  listen-on-v6 { none; };\n  recursion no;\n  notify no;\n"
                          "  dnssec-validation no;\n};\ncontrols { };\n", b->dir, b->port);
    for (size_t z = 0; z < b->nzones; z++)
        k += (size_t)snprintf(conf + k, sizeof conf - k,
                              "zone \"%s\" { type primary; file \"%s.zone\"; };\n",
                              b->zones[z], b->zones[z]);
    snprintf(path, sizeof path, "%s/named.conf", b->dir);
    return k < sizeof conf ? write_file(path, conf) : -1;
}

static void kill_and_reap(struct bindsrv *b)
{
    if (b->pid <= 0)
        return;
    kill(b->pid, SIGTERM);
    reap_child(b->pid, 5);
    b->pid = 0;
}

static int start_once(struct bindsrv *b)
{
    if (write_conf(b) != 0)
        return -1;
    char conf[128], log[128];
    snprintf(conf, sizeof conf, "%s/named.conf", b->dir);
    snprintf(log, sizeof log, "%s/log", b->dir);
    /* -g: foreground, log to stderr; -n 1: one worker (two cores shared) */
    char *const argv[] = {BIN, "-g", "-n", "1", "-c", conf, NULL};
    pid_t pid = spawn_logged(argv, log);
    if (pid < 0)
        return -1;
    b->pid = pid;
    double deadline = now_s() + 10;
    for (;;) {
        bool up = true;
        for (size_t z = 0; z < b->nzones && up; z++)
            up = serial_of(b, b->zones[z]) >= 0;
        if (up)
            return 0;
        int status;
        bool exited = waitpid(pid, &status, WNOHANG) == pid;
        if (exited || now_s() > deadline) {
            fprintf(stderr, "named did not come up (%s)\n", exited ? "exited" : "timeout");
            if (exited)
                b->pid = 0;
            show_log(b);
            kill_and_reap(b);
            return -1;
        }
        usleep(50000);
    }
}

int bindsrv_start(struct bindsrv *b)
{
    if (access(BIN, X_OK) != 0) {
        fprintf(stderr, "%s not found: install the Debian package bind9\n", BIN);
        return -1;
    }
    for (int attempt = 0; attempt < 3; attempt++) { /* the port taken meanwhile: another */
        if (attempt && (b->port = free_port()) < 0)
            return -1;
        if (start_once(b) == 0)
            return 0;
    }
    return -1;
}

int bindsrv_reload(struct bindsrv *b, const char *zone, unsigned serial)
{
    if (b->pid <= 0 || kill(b->pid, SIGHUP) != 0)
        return -1;
    double deadline = now_s() + 10;
    while (serial_of(b, zone) != (long)serial) {
        if (now_s() > deadline) {
            fprintf(stderr, "named did not load serial %u of %s\n", serial, zone);
            show_log(b);
            return -1;
        }
        usleep(50000);
    }
    return 0;
}

void bindsrv_stop(struct bindsrv *b)
{
    if (!b)
        return;
    kill_and_reap(b);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", b->dir);
    if (system(cmd) != 0)
        fprintf(stderr, "bindsrv: could not remove %s\n", b->dir);
    free(b);
}
