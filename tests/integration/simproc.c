/* simproc: the Vault simulator as a child process of a C test (see
 * simproc.h).  fork/exec with stdout on a pipe, the first lines read for
 * VAULT_ADDR= / VAULT_CACERT=, SIGTERM + waitpid to stop; control calls to
 * /_sim/ over a plain libcurl easy handle.  A small thread drains the rest
 * of the simulator's stdout. */
#include "simproc.h"

#include "deadline.h"
#include "model/xalloc.h"
#include "net/vault_config.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/prctl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static bool copy_value(char *dst, size_t cap, const char *src)
{
    size_t n = strlen(src);
    if (n >= cap)
        return false;
    memcpy(dst, src, n + 1);
    return true;
}

static void *drain_stdout(void *arg)
{
    struct simproc *sim = arg;
    char buf[4096];
    for (;;) {
        ssize_t n = read(sim->stdout_fd, buf, sizeof buf);
        if (n == 0 || (n < 0 && errno != EINTR))
            return NULL;
    }
}


struct simproc *simproc_start(const char *const *args)
{
    const char *prog = getenv("VAULTSIM");
    if (!prog || !*prog)
        prog = "tests/vaultsim/vaultsim";
    size_t nargs = 0;
    while (args && args[nargs])
        nargs++;
    const char **argv = calloc(nargs + 4, sizeof *argv);
    if (!argv)
        abort();
    argv[0] = prog;
    argv[1] = "--listen";
    argv[2] = "127.0.0.1:0";
    bool tls = false;
    struct simproc *sim = calloc(1, sizeof *sim);
    if (!sim)
        abort();
    for (size_t i = 0; i < nargs; i++) {
        argv[3 + i] = args[i];
        if (strcmp(args[i], "--tls") == 0)
            tls = true;
        if (strcmp(args[i], "--token") == 0 && i + 1 < nargs)
            snprintf(sim->token, sizeof sim->token, "%s", args[i + 1]);
    }

    int fds[2];
    if (pipe(fds) != 0 || fcntl(fds[0], F_SETFD, FD_CLOEXEC) != 0 ||
        fcntl(fds[1], F_SETFD, FD_CLOEXEC) != 0) {
        perror("simproc: pipe");
        free(argv), free(sim);
        return NULL;
    }
    /* fork + exec rather than posix_spawn: the child must ask the kernel to
     * SIGTERM it when the test dies (a failed assertion, a sanitizer abort),
     * or an orphan simulator would hold the test's stderr pipe open and hang
     * whoever reads it (the suite runner, CI) */
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (getppid() != parent)
            _exit(127);
        if (dup2(fds[1], STDOUT_FILENO) < 0)
            _exit(127);
        execv(prog, (char *const *)argv);
        static const char msg[] = "simproc: exec of the simulator failed (set VAULTSIM or run "
                                  "from the repository root)\n";
        ssize_t ignored = write(STDERR_FILENO, msg, sizeof msg - 1);
        (void)ignored;
        _exit(127);
    }
    close(fds[1]);
    free(argv);
    if (pid < 0) {
        perror("simproc: fork");
        close(fds[0]);
        free(sim);
        return NULL;
    }
    sim->pid = pid;
    sim->stdout_fd = fds[0];

    double deadline = now_s() + 15;
    char line[1100];
    if (read_line(sim->stdout_fd, line, sizeof line, deadline) != 0 ||
        strncmp(line, "VAULT_ADDR=", 11) != 0) {
        fprintf(stderr, "simproc: %s did not print VAULT_ADDR=... first\n", prog);
        simproc_stop(sim);
        return NULL;
    }
    if (!copy_value(sim->addr, sizeof sim->addr, line + 11)) {
        fprintf(stderr, "simproc: VAULT_ADDR too long\n");
        simproc_stop(sim);
        return NULL;
    }
    if (tls) {
        if (read_line(sim->stdout_fd, line, sizeof line, deadline) != 0 ||
            strncmp(line, "VAULT_CACERT=", 13) != 0) {
            fprintf(stderr, "simproc: %s --tls did not print VAULT_CACERT=... second\n", prog);
            simproc_stop(sim);
            return NULL;
        }
        if (!copy_value(sim->cacert, sizeof sim->cacert, line + 13)) {
            fprintf(stderr, "simproc: VAULT_CACERT too long\n");
            simproc_stop(sim);
            return NULL;
        }
    }
    /* whatever else the simulator prints on stdout is read and dropped, so
     * that it never blocks on a full pipe */
    if (pthread_create(&sim->drain, NULL, drain_stdout, sim) == 0)
        sim->draining = true;
    return sim;
}

void simproc_stop(struct simproc *sim)
{
    if (!sim)
        return;
    if (sim->pid > 0) {
        kill(sim->pid, SIGTERM);
        reap_child(sim->pid, 5);
    }
    if (sim->draining) {
        /* a grandchild may still hold the pipe open: do not wait for EOF */
        pthread_cancel(sim->drain);
        pthread_join(sim->drain, NULL);
    }
    if (sim->stdout_fd > 0)
        close(sim->stdout_fd);
    free(sim);
}

struct body {
    char *data;
    size_t len;
};

static size_t on_data(char *p, size_t size, size_t n, void *userp)
{
    struct body *b = userp;
    size_t add = size * n;
    char *d = realloc(b->data, b->len + add + 1);
    if (!d)
        abort();
    memcpy(d + b->len, p, add);
    b->len += add;
    d[b->len] = '\0';
    b->data = d;
    return add;
}

long simproc_request(struct simproc *sim, const char *method, const char *path, const char *json,
                     char **body_out)
{
    CURL *e = curl_easy_init();
    if (!e)
        return -1;
    char url[2048], tok[400];
    snprintf(url, sizeof url, "%s%s", sim->addr, path);
    struct body b = {0};
    struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/json");
    if (sim->token[0]) {
        snprintf(tok, sizeof tok, "X-Vault-Token: %s", sim->token);
        h = curl_slist_append(h, tok);
    }
    curl_easy_setopt(e, CURLOPT_URL, url);
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_TIMEOUT, 20L);
    if (json)
        curl_easy_setopt(e, CURLOPT_POSTFIELDS, json);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, &b);
    if (sim->cacert[0])
        curl_easy_setopt(e, CURLOPT_CAINFO, sim->cacert);
    long status = -1;
    CURLcode rc = curl_easy_perform(e);
    if (rc == CURLE_OK)
        curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
    else
        fprintf(stderr, "simproc: %s %s: %s\n", method, url, curl_easy_strerror(rc));
    curl_slist_free_all(h);
    curl_easy_cleanup(e);
    if (body_out)
        *body_out = b.data ? b.data : strdup("");
    else
        free(b.data);
    return status;
}

char *simproc_get_json(struct simproc *sim, const char *path)
{
    char *body = NULL;
    long status = simproc_request(sim, "GET", path, NULL, &body);
    if (status < 200 || status > 299) {
        fprintf(stderr, "simproc: GET %s answered %ld: %s\n", path, status, body ? body : "");
        free(body);
        return NULL;
    }
    return body;
}

long simproc_post(struct simproc *sim, const char *path, const char *json)
{
    return simproc_request(sim, "POST", path, json ? json : "{}", NULL);
}

long simproc_delete(struct simproc *sim, const char *path)
{
    return simproc_request(sim, "DELETE", path, NULL, NULL);
}

cJSON *simproc_recent_orders(struct simproc *sim, const cJSON **key_info)
{
    char *body = NULL;
    long status = simproc_request(sim, "LIST",
                                  "/v1/pki-external-ca/lookup/orders/recent?within=168h", NULL,
                                  &body);
    cJSON *root = status == 200 ? cJSON_Parse(body) : NULL;
    free(body);
    if (!root) {
        fprintf(stderr, "simproc: the recent orders could not be listed (HTTP %ld)\n", status);
        abort();
    }
    *key_info = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(root, "data"),
                                                 "key_info");
    return root;
}

cJSON *simproc_request_log(struct simproc *sim)
{
    char *body = simproc_get_json(sim, "/_sim/requests");
    cJSON *log = body ? cJSON_Parse(body) : NULL;
    free(body);
    if (!cJSON_IsArray(log)) {
        fprintf(stderr, "simproc: the request log could not be read\n");
        abort();
    }
    return log;
}

const char *simproc_entry_str(const cJSON *e, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(e, name);
    return cJSON_IsString(v) ? v->valuestring : "";
}

void simproc_config(const struct simproc *sim, const char *token, struct vault_config *c)
{
    memset(c, 0, sizeof *c);
    c->addr = xstrdup(sim ? sim->addr : "http://127.0.0.1:1");
    c->cacert = sim && sim->cacert[0] ? xstrdup(sim->cacert) : NULL;
    c->token = token ? xstrdup(token) : NULL;
    c->mount = xstrdup("pki-external-ca");
    c->connect_timeout_ms = 5000;
    c->timeout_ms = 20000;
    c->max_body_bytes = 64u * 1024 * 1024;
    c->parallel = 8;
    c->poll_interval_s = 1;
}
