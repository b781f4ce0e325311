/* challtestsrv: pebble-challtestsrv as a test child process (see
 * challtestsrv.h). */
#include "challtestsrv.h"

#include "deadline.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define BIN "/usr/bin/pebble-challtestsrv"

/* n distinct free loopback TCP ports; the first also free in UDP.  The
 * sockets are held until all are chosen. */
static int free_ports(int *ports, int n)
{
    int held[32], nh = 0, got = 0;
    while (got < n && nh < 30) {
        int t = socket(AF_INET, SOCK_STREAM, 0);
        struct sockaddr_in a = {.sin_family = AF_INET};
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t l = sizeof a;
        if (t < 0 || bind(t, (struct sockaddr *)&a, sizeof a) != 0 ||
            getsockname(t, (struct sockaddr *)&a, &l) != 0)
            break;
        held[nh++] = t;
        if (got == 0) {
            int u = socket(AF_INET, SOCK_DGRAM, 0);
            if (u < 0)
                break;
            if (bind(u, (struct sockaddr *)&a, sizeof a) != 0) {
                close(u);
                continue;
            }
            held[nh++] = u;
        }
        ports[got++] = ntohs(a.sin_port);
    }
    for (int i = 0; i < nh; i++)
        close(held[i]);
    return got == n ? 0 : -1;
}

static int tcp_accepts(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int ok = connect(fd, (struct sockaddr *)&a, sizeof a) == 0;
    close(fd);
    return ok;
}

static int dns_answers(int port)
{
    static const unsigned char q[] = {0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0,
                                      5, 'r', 'e', 'a', 'd', 'y', 4, 't', 'e', 's', 't', 0,
                                      0, 1, 0, 1};
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int ok = 0;
    if (connect(fd, (struct sockaddr *)&a, sizeof a) == 0 && send(fd, q, sizeof q, 0) > 0) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        unsigned char buf[512];
        if (poll(&p, 1, 300) == 1 && recv(fd, buf, sizeof buf, 0) >= 12 && buf[0] == 0x12 &&
            buf[1] == 0x34)
            ok = 1;
    }
    close(fd);
    return ok;
}

static void show_log(const struct challtestsrv *c)
{
    FILE *f = fopen(c->log_path, "r");
    if (!f)
        return;
    char line[512];
    while (fgets(line, sizeof line, f))
        fprintf(stderr, "  challtestsrv: %s", line);
    fclose(f);
}

static void kill_and_reap(struct challtestsrv *c)
{
    if (c->pid > 0) {
        kill(c->pid, SIGTERM);
        reap_child(c->pid, 5);
        c->pid = 0;
    }
}

static struct challtestsrv *start_once(void)
{
    int ports[4];
    if (free_ports(ports, 4) != 0) {
        fprintf(stderr, "challtestsrv: no free ports\n");
        return NULL;
    }
    struct challtestsrv *c = calloc(1, sizeof *c);
    c->dns_port = ports[0];
    c->mgmt_port = ports[1];
    c->http01_port = ports[2];
    c->tlsalpn01_port = ports[3];
    snprintf(c->log_path, sizeof c->log_path, "/tmp/challtestsrv-%d-%d.log", (int)getpid(),
             c->dns_port);
    char dns[32], mgmt[32], http[32], tls[32];
    snprintf(dns, sizeof dns, "127.0.0.1:%d", c->dns_port);
    snprintf(mgmt, sizeof mgmt, "127.0.0.1:%d", c->mgmt_port);
    snprintf(http, sizeof http, "127.0.0.1:%d", c->http01_port);
    snprintf(tls, sizeof tls, "127.0.0.1:%d", c->tlsalpn01_port);
    char *const argv[] = {BIN, "-http01", http, "-https01", "", "-tlsalpn01", tls,
                          "-dns01", dns, "-management", mgmt, "-defaultIPv4", "127.0.0.1",
                          "-defaultIPv6", "", NULL};
    pid_t pid = spawn_logged(argv, c->log_path);
    if (pid < 0) {
        free(c);
        return NULL;
    }
    c->pid = pid;
    double deadline = now_s() + 15;
    while (!(tcp_accepts(c->mgmt_port) && dns_answers(c->dns_port) &&
             tcp_accepts(c->http01_port) && tcp_accepts(c->tlsalpn01_port))) {
        int status;
        if (waitpid(pid, &status, WNOHANG) == pid || now_s() > deadline) {
            fprintf(stderr, "challtestsrv did not come up (%s)\n",
                    now_s() > deadline ? "timeout" : "exited");
            show_log(c);
            c->pid = waitpid(pid, &status, WNOHANG) == 0 ? pid : 0;
            kill_and_reap(c);
            unlink(c->log_path);
            free(c);
            return NULL;
        }
        usleep(20000);
    }
    return c;
}

struct challtestsrv *challtestsrv_start(void)
{
    if (access(BIN, X_OK) != 0) {
        fprintf(stderr, "%s not found: install the Debian package pebble\n", BIN);
        return NULL;
    }
    for (int attempt = 0; attempt < 3; attempt++) { /* a port taken meanwhile: try others */
        struct challtestsrv *c = start_once();
        if (c)
            return c;
    }
    return NULL;
}

void challtestsrv_stop(struct challtestsrv *c)
{
    if (!c)
        return;
    kill_and_reap(c);
    unlink(c->log_path);
    free(c);
}

static size_t discard(char *p, size_t s, size_t n, void *u)
{
    (void)p;
    (void)u;
    return s * n;
}

/* Strings here are test constants: no JSON escaping needed beyond refusing quotes. */
static int post(struct challtestsrv *c, const char *path, const char *json)
{
    if (strchr(json, '\\')) {
        fprintf(stderr, "challtestsrv: backslash in %s\n", json);
        return -1;
    }
    char url[128];
    snprintf(url, sizeof url, "http://127.0.0.1:%d%s", c->mgmt_port, path);
    CURL *h = curl_easy_init();
    if (!h)
        return -1;
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, json);
    curl_easy_setopt(h, CURLOPT_NOPROXY, "*");
    curl_easy_setopt(h, CURLOPT_TIMEOUT, 10L);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
    CURLcode rc = curl_easy_perform(h);
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(h);
    if (rc != CURLE_OK || status != 200) {
        fprintf(stderr, "challtestsrv: POST %s %s: %s, HTTP %ld\n", path, json,
                curl_easy_strerror(rc), status);
        return -1;
    }
    return 0;
}

int challtestsrv_set_txt(struct challtestsrv *c, const char *name, const char *value)
{
    char json[1024];
    snprintf(json, sizeof json, "{\"host\":\"%s.\",\"value\":\"%s\"}", name, value);
    return post(c, "/set-txt", json);
}

int challtestsrv_clear_txt(struct challtestsrv *c, const char *name)
{
    char json[512];
    snprintf(json, sizeof json, "{\"host\":\"%s.\"}", name);
    return post(c, "/clear-txt", json);
}

int challtestsrv_add_http01(struct challtestsrv *c, const char *token, const char *content)
{
    char json[1024];
    snprintf(json, sizeof json, "{\"token\":\"%s\",\"content\":\"%s\"}", token, content);
    return post(c, "/add-http01", json);
}

int challtestsrv_add_tlsalpn01(struct challtestsrv *c, const char *host, const char *content)
{
    char json[1024];
    snprintf(json, sizeof json, "{\"host\":\"%s\",\"content\":\"%s\"}", host, content);
    return post(c, "/add-tlsalpn01", json);
}
