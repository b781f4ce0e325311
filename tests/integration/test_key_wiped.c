/* test_key_wiped: what README promises for `e` (save the certificate): the
 * private key goes to its 0600 file and is wiped from memory, every copy of
 * it.  The engine runs as in acmetop (worker thread, queues, HTTPS to the
 * Vault simulator with its CA, the allocators of net/wiping_alloc installed
 * as main() does); CMD_SAVE_CERT fetches a completed order's certificate
 * with its key and writes the files.  Then the worker is stopped, every
 * update freed, and the process's own writable memory (every rw mapping in
 * /proc/self/maps, read through /proc/self/mem so that the sanitizers do
 * not object to reading freed blocks; mappings over 512 MiB are sanitizer
 * shadow and skipped) is searched for 24 base64 characters from the middle
 * of the key as the file holds it.  No hit may be left: not in libcurl's
 * receive buffer, OpenSSL's TLS records, cJSON's strings or the engine's
 * body buffer.  The key travels through the engine only: the test picks
 * the order by lookup/order (no key in it), never fetches the certificate
 * itself, and keeps the file's bytes, the needle and its read buffer in a
 * mapping of its own that the search skips (and wipes it afterwards). */
#define _GNU_SOURCE /* memmem */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "deadline.h"
#include "memscan.h"
#include "model/queue.h"
#include "model/xalloc.h"
#include "net/cert_files.h"
#include "net/vault_client.h"
#include "net/wiping_alloc.h"
#include "net/worker.h"
#include "simproc.h"

#define TOKEN "s.key-wiped-test"
#define ANSWER_WAIT_S 30
#define NEEDLE_LEN 24

/* The test's own view of the key, in a mapping the search skips. */
struct probe {
    char key[16384];   /* the key file's bytes */
    char needle[NEEDLE_LEN];
    char chunk[1 << 20]; /* what the search reads */
};

struct fx {
    struct simproc *sim;
    struct vault_config cfg;
    char tmp[64];
    struct queue *commands, *updates;
    struct worker *worker;
    struct probe *probe;
};

static int setup(void **state)
{
    struct fx *fx = xcalloc(1, sizeof *fx);
    *state = fx;
    fx->sim = simproc_start((const char *const[]){"--token", TOKEN, "--tls", "--seed-orders",
                                                  "30", "--time-scale", "0", NULL});
    if (!fx->sim)
        return -1;
    /* every seeded order in motion settles: some are completed */
    if (simproc_post(fx->sim, "/_sim/advance", "{\"seconds\": 600}") != 200)
        return -1;
    snprintf(fx->tmp, sizeof fx->tmp, "/tmp/acmetop-key-wiped-XXXXXX");
    if (!mkdtemp(fx->tmp))
        return -1;
    struct vault_config *c = &fx->cfg;
    simproc_config(fx->sim, TOKEN, c);
    deploy_config_init(&c->deploy, NULL);
    struct deploy_error err;
    char dir[128];
    snprintf(dir, sizeof dir, "%s/certs", fx->tmp);
    if (deploy_config_set(&c->deploy, "cert_dir", dir, "test", &err) != 0)
        return -1;
    fx->commands = queue_new();
    fx->updates = queue_new();
    fx->probe = mmap(NULL, sizeof *fx->probe, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return fx->probe == MAP_FAILED ? -1 : 0;
}

static int teardown(void **state)
{
    struct fx *fx = *state;
    worker_stop(fx->worker);
    queue_free(fx->commands);
    queue_free(fx->updates);
    vault_config_free(&fx->cfg);
    if (fx->sim)
        simproc_stop(fx->sim);
    if (fx->probe && fx->probe != MAP_FAILED) {
        explicit_bzero(fx->probe, sizeof *fx->probe);
        munmap(fx->probe, sizeof *fx->probe);
    }
    int rc = 0;
    if (fx->tmp[0]) {
        char cmd[128];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", fx->tmp);
        rc = system(cmd);
    }
    free(fx);
    return rc == 0 ? 0 : -1;
}

/* A completed order of the identifier workflow (no CSR: Vault made the
 * key), found by lookup/order, which never carries the key. */
static void order_with_key(struct fx *fx, char **id, char **role, char **ident)
{
    const cJSON *info;
    cJSON *root = simproc_recent_orders(fx->sim, &info);
    const cJSON *e;
    *id = NULL;
    cJSON_ArrayForEach(e, info) {
        if (strcmp(simproc_entry_str(e, "order_status"), "completed") != 0)
            continue;
        char path[512];
        snprintf(path, sizeof path, "/v1/pki-external-ca/lookup/order/%s", e->string);
        char *body = NULL;
        assert_int_equal(simproc_request(fx->sim, "GET", path, NULL, &body), 200);
        cJSON *order = cJSON_Parse(body);
        free(body);
        const cJSON *data = cJSON_GetObjectItemCaseSensitive(order, "data");
        const cJSON *ids = cJSON_GetObjectItemCaseSensitive(data, "identifiers");
        if (simproc_entry_str(data, "csr")[0] == '\0' && cJSON_GetArraySize(ids) > 0) {
            *id = xstrdup(e->string);
            *role = xstrdup(simproc_entry_str(data, "role_name"));
            *ident = xstrdup(cJSON_GetArrayItem(ids, 0)->valuestring);
        }
        cJSON_Delete(order);
        if (*id)
            break;
    }
    cJSON_Delete(root);
    assert_non_null(*id);
}

/* The answer to request id; poll updates are dropped. */
static struct msg *answer(struct fx *fx, uint64_t id)
{
    double end = now_s() + ANSWER_WAIT_S;
    for (;;) {
        double left = end - now_s();
        if (left <= 0) {
            print_error("no answer to request %llu\n", (unsigned long long)id);
            fail();
        }
        struct msg *m = queue_wait_pop(fx->updates, (int)(left * 1000) + 1);
        if (m && m->request_id == id)
            return m;
        msg_free(m);
    }
}

/* NEEDLE_LEN characters from the middle of the key's middle base64 line. */
static void needle_from_key_file(struct probe *p, const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    assert_true(fd >= 0);
    ssize_t n = read(fd, p->key, sizeof p->key - 1);
    close(fd);
    assert_true(n > 0);
    p->key[n] = '\0';
    assert_non_null(strstr(p->key, "PRIVATE KEY-----"));
    const char *lines[256];
    size_t count = 0;
    for (char *s = p->key; *s && count < 256;) {
        char *end = strchr(s, '\n');
        if (!end)
            break;
        if ((size_t)(end - s) >= NEEDLE_LEN + 8 && s[0] != '-')
            lines[count++] = s;
        s = end + 1;
    }
    assert_true(count > 0);
    const char *line = lines[count / 2];
    memcpy(p->needle, line + 4, NEEDLE_LEN); /* not the start: no DER header bytes */
}

/* Occurrences of the needle in the process's writable memory, outside
 * the probe. */
static size_t memory_hits(struct probe *p)
{
    return memscan_count(p->needle, NEEDLE_LEN, p, sizeof *p, p->chunk, sizeof p->chunk);
}

static void test_saved_key_is_wiped_from_memory(void **state)
{
    struct fx *fx = *state;
    char *id = NULL, *role = NULL, *ident = NULL;
    order_with_key(fx, &id, &role, &ident);
    struct vault_error verr;
    fx->worker = worker_start(&fx->cfg, fx->commands, fx->updates, &verr);
    if (!fx->worker) {
        print_error("worker_start: %s\n", verr.sentence);
        fail();
    }
    assert_true(queue_push(fx->commands, msg_new_save_cert(1, id, role, ident, false)));
    struct msg *a = answer(fx, 1);
    if (a->u.cert_save.outcome != CERT_SAVE_SAVED)
        print_error("save: %s\n", a->u.cert_save.text);
    assert_int_equal(a->u.cert_save.outcome, CERT_SAVE_SAVED);
    assert_true(a->u.cert_save.key_written);
    msg_free(a);

    char *name = cert_files_safe_name(ident);
    char key[PATH_MAX];
    snprintf(key, sizeof key, "%s/%s.key", fx->cfg.deploy.cert_dir, name);
    free(name);
    needle_from_key_file(fx->probe, key);

    worker_stop(fx->worker);
    fx->worker = NULL;
    for (struct msg *m; (m = queue_pop(fx->updates));)
        msg_free(m);
    size_t hits = memory_hits(fx->probe);
    fprintf(stderr, "copies of the private key left in memory after the save: %zu\n", hits);
    assert_int_equal(hits, 0);

    /* the search sees what is there: one copy put in a heap block */
    char *copy = xmalloc(3 * NEEDLE_LEN);
    memcpy(copy + NEEDLE_LEN, fx->probe->needle, NEEDLE_LEN);
    assert_int_equal(memory_hits(fx->probe), 1);
    explicit_bzero(copy, 3 * NEEDLE_LEN);
    free(copy);
    free(id);
    free(role);
    free(ident);
}

int main(void)
{
    /* as acmetop's main(): before OpenSSL's first allocation */
    if (wiping_alloc_install() != 0) {
        fputs("wiping_alloc_install: OpenSSL has allocated already\n", stderr);
        return 1;
    }
    vault_client_global_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_saved_key_is_wiped_from_memory, setup, teardown),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    vault_client_global_cleanup();
    return rc;
}
