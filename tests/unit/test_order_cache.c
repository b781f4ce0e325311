/* test_order_cache: the cache of orders across runs (net/order_cache.h)
 * in a temporary directory under /tmp: a save then a load gives the same
 * orders field by field (null vs empty kept, times far from today), marked
 * unverified; every order read in full is kept, a later read replaces it
 * (and a forget drops it); list-only data confirms or outdates; a corrupt file (cut JSON,
 * garbage, a wrong type, a huge string, a duplicate ID, text after the end,
 * ...) is ignored with one warning and replaced cleanly by the next save;
 * strings are sanitised on the way in; another version, another Vault's
 * file, unsafe permissions, a symbolic link, a FIFO, a directory or another
 * user's file in place of the file are refused; the directory is 0700 and
 * the file 0600 whatever the umask; an unusable directory means memory only,
 * never a crash; the environment's token never reaches the file; saves merge
 * with a file another acmetop wrote; random damage never crashes a load or
 * a save; and 100,000 orders are saved and loaded (times printed, not
 * asserted). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "model/order.h"
#include "model/xalloc.h"
#include "net/order_cache.h"

#define ADDR "https://vault.example:8200"
#define NS "team-a"
#define MOUNT "pki-external-ca"
#define CSR "-----BEGIN CERTIFICATE REQUEST-----\nMIIBcsr\n-----END CERTIFICATE REQUEST-----\n"

struct fixture {
    char dir[64];   /* the temporary directory of the test */
    char cache[96]; /* dir/cache: the cache directory */
    mode_t old_umask;
};

static int setup(void **state)
{
    struct fixture *f = xcalloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/test_order_cache_XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    snprintf(f->cache, sizeof f->cache, "%s/cache", f->dir);
    f->old_umask = umask(022);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    char cmd[256];
    snprintf(cmd, sizeof cmd, "chmod -R u+rwx '%s'; rm -rf '%s'", f->dir, f->dir);
    int rc = system(cmd);
    umask(f->old_umask);
    free(f);
    return rc == 0 ? 0 : -1;
}

/* ---- orders to store ------------------------------------------------------- */

static void set_challenges(struct order *o)
{
    o->challenge_count = 2;
    o->challenges = xcalloc(2, sizeof *o->challenges);
    o->challenges[0].identifier = xstrdup("example.com");
    o->challenges[0].count = 2;
    o->challenges[0].items = xcalloc(2, sizeof(struct challenge));
    o->challenges[0].items[0] =
        (struct challenge){xstrdup("http-01"), xstrdup("valid"), 1782740000};
    o->challenges[0].items[1] = (struct challenge){xstrdup("dns-01"), NULL, 0};
    o->challenges[1].identifier = xstrdup("*.example.com");
    o->challenges[1].count = 1;
    o->challenges[1].items = xcalloc(1, sizeof(struct challenge));
    o->challenges[1].items[0] =
        (struct challenge){xstrdup("dns-01"), xstrdup("valid"), 1782740001};
}

/* A completed order with every field set (text with quotes, backslashes,
 * non-ASCII, a PEM with newlines). */
static void order_full(struct order *o, const char *id, enum order_status st)
{
    order_init(o);
    o->id = xstrdup(id);
    o->status = st;
    o->status_text = xstrdup(order_status_name(st));
    o->role = xstrdup("web-servers");
    o->identifier_count = 2;
    o->identifiers = xcalloc(2, sizeof *o->identifiers);
    o->identifiers[0] = xstrdup("example.com");
    o->identifiers[1] = xstrdup("*.example.com");
    o->csr = xstrdup(CSR);
    o->created = 1782737122;
    o->last_update = 1782737161;
    o->next_work = 1782737461;
    o->expires = 1783341922;
    o->last_error = xstrdup("say \"no\" \\ to caf\xc3\xa9 \xe2\x9c\x93");
    o->serial = xstrdup("4a:3b:2c");
    set_challenges(o);
    o->cert_not_before = 1782737000;
    o->cert_not_after = 1790513000;
    o->detail_known = true;
}

/* A finished order with the optional fields absent (NULL) or empty. */
static void order_sparse(struct order *o, const char *id, enum order_status st)
{
    order_init(o);
    o->id = xstrdup(id);
    o->status = st;
    o->status_text = xstrdup(order_status_name(st));
    o->identifiers = xcalloc(1, sizeof *o->identifiers); /* present, empty */
    o->csr = xstrdup("");
    o->last_error = xstrdup("");
    o->detail_known = true;
}

static void assert_same_text(const char *a, const char *b)
{
    if (!a || !b)
        assert_ptr_equal(a, b); /* both NULL */
    else
        assert_string_equal(a, b);
}

static void assert_same_order(const struct order *a, const struct order *b)
{
    assert_string_equal(a->id, b->id);
    assert_int_equal(a->status, b->status);
    assert_same_text(a->status_text, b->status_text);
    assert_same_text(a->role, b->role);
    assert_int_equal(a->identifiers == NULL, b->identifiers == NULL);
    assert_int_equal(a->identifier_count, b->identifier_count);
    for (size_t i = 0; i < a->identifier_count; i++)
        assert_string_equal(a->identifiers[i], b->identifiers[i]);
    assert_same_text(a->csr, b->csr);
    assert_int_equal(a->created, b->created);
    assert_int_equal(a->last_update, b->last_update);
    assert_int_equal(a->next_work, b->next_work);
    assert_int_equal(a->expires, b->expires);
    assert_same_text(a->last_error, b->last_error);
    assert_same_text(a->serial, b->serial);
    assert_int_equal(a->challenges == NULL, b->challenges == NULL);
    assert_int_equal(a->challenge_count, b->challenge_count);
    for (size_t i = 0; i < a->challenge_count; i++) {
        const struct order_identifier_challenges *x = &a->challenges[i], *y = &b->challenges[i];
        assert_string_equal(x->identifier, y->identifier);
        assert_int_equal(x->count, y->count);
        for (size_t j = 0; j < x->count; j++) {
            assert_same_text(x->items[j].type, y->items[j].type);
            assert_same_text(x->items[j].status, y->items[j].status);
            assert_int_equal(x->items[j].expires, y->items[j].expires);
        }
    }
    assert_int_equal(a->cert_not_before, b->cert_not_before);
    assert_int_equal(a->cert_not_after, b->cert_not_after);
}

static void orders_free(struct order *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        order_free(&v[i]);
    free(v);
}

static const struct order *find(const struct order *v, size_t n, const char *id)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i].id, id) == 0)
            return &v[i];
    return NULL;
}

/* ---- files --------------------------------------------------------------------- */

static struct order_cache *cache_open(const struct fixture *f)
{
    return order_cache_open(f->cache, ADDR, NS, MOUNT, NULL);
}

static char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = xmalloc(cap + 1);
    size_t got;
    while ((got = fread(buf + n, 1, cap - n, fp)) > 0) {
        n += got;
        if (n == cap) {
            cap *= 2;
            buf = xrealloc(buf, cap + 1);
        }
    }
    fclose(fp);
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

static void spit(const char *path, const char *data, size_t len, mode_t mode)
{
    unlink(path);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, data, len), (ssize_t)len);
    assert_int_equal(fchmod(fd, mode), 0);
    close(fd);
}

static mode_t mode_of(const char *path)
{
    struct stat st;
    assert_int_equal(lstat(path, &st), 0);
    return st.st_mode & 07777;
}

static ino_t inode_of(const char *path)
{
    struct stat st;
    assert_int_equal(lstat(path, &st), 0);
    return st.st_ino;
}

/* Entries of dir other than . and .. */
static int dir_entries(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            n++;
    closedir(d);
    return n;
}

/* A cache holding one completed order, saved: the file's path (static). */
static const char *save_one(const struct fixture *f, const char *id)
{
    static char path[512];
    struct order_cache *c = cache_open(f);
    struct order o;
    order_full(&o, id, ORDER_COMPLETED);
    order_cache_note(c, &o);
    order_free(&o);
    assert_int_equal(order_cache_save(c), 0);
    snprintf(path, sizeof path, "%s", order_cache_path(c));
    order_cache_free(c);
    return path;
}

/* Load with a fresh cache: rc; *n orders (freed here); the warning copied. */
static int load_fresh(const struct fixture *f, size_t *n, char *warning, size_t size)
{
    struct order_cache *c = cache_open(f);
    struct order *v;
    int rc = order_cache_load(c, &v, n);
    if (rc != 0) {
        assert_null(v);
        assert_int_equal(*n, 0);
    }
    const char *w = order_cache_warning(c);
    snprintf(warning, size, "%s", w ? w : "");
    orders_free(v, *n);
    order_cache_free(c);
    return rc;
}

/* ---- tests --------------------------------------------------------------------- */

static void test_roundtrip(void **state)
{
    struct fixture *f = *state;
    struct order_cache *c = cache_open(f);
    assert_null(order_cache_warning(c));
    struct order in[5];
    order_full(&in[0], "ord-completed", ORDER_COMPLETED);
    order_full(&in[1], "ord-revoked", ORDER_REVOKED);
    order_sparse(&in[2], "ord-error", ORDER_ERROR);
    in[2].last_error = (free(in[2].last_error), xstrdup("CA said: rejectedIdentifier"));
    order_sparse(&in[3], "ord-expired", ORDER_EXPIRED);
    order_init(&in[4]); /* all absent: NULL strings, arrays and maps */
    in[4].id = xstrdup("ord-bare \"quoted\" \xc3\xa9");
    in[4].status = ORDER_REVOKED;
    in[4].detail_known = true;
    for (int i = 0; i < 5; i++)
        order_cache_note(c, &in[i]);
    assert_int_equal(order_cache_count(c), 5);

    /* nothing on disk before the save */
    size_t n;
    struct order *out;
    assert_int_equal(order_cache_load(c, &out, &n), 0);
    assert_int_equal(n, 0);
    assert_null(out);
    assert_int_equal(order_cache_save(c), 0);
    const char *path = order_cache_path(c);
    assert_non_null(strstr(path, f->cache));
    assert_int_equal(dir_entries(f->cache), 1); /* no temporary file left */

    /* no change: no write */
    ino_t ino = inode_of(path);
    order_cache_note(c, &in[0]);
    assert_int_equal(order_cache_save(c), 0);
    assert_int_equal(inode_of(path), ino);
    order_cache_free(c);

    c = cache_open(f);
    assert_int_equal(order_cache_load(c, &out, &n), 0);
    assert_null(order_cache_warning(c));
    assert_int_equal(n, 5);
    assert_int_equal(order_cache_count(c), 5);
    for (int i = 0; i < 5; i++) {
        const struct order *o = find(out, n, in[i].id);
        assert_non_null(o);
        struct order expect;
        order_copy(&expect, &in[i]);
        if (!expect.status_text) /* written as the status name */
            expect.status_text = xstrdup(order_status_name(expect.status));
        assert_same_order(o, &expect);
        order_free(&expect);
        assert_true(o->unverified);
        assert_true(o->detail_known);
        assert_false(o->stale);
    }
    /* noting the loaded orders again changes nothing */
    for (size_t i = 0; i < n; i++)
        order_cache_note(c, &out[i]);
    ino = inode_of(order_cache_path(c));
    assert_int_equal(order_cache_save(c), 0);
    assert_int_equal(inode_of(order_cache_path(c)), ino);
    orders_free(out, n);
    order_cache_free(c);
    for (int i = 0; i < 5; i++)
        order_free(&in[i]);
}

/* Times far from today read back as they were, or as unset when RFC 3339
 * cannot say them (years outside 1..9999, Go's zero date). */
static void test_times(void **state)
{
    struct fixture *f = *state;
    struct order_cache *c = cache_open(f);
    struct order o;
    order_full(&o, "T", ORDER_EXPIRED);
    o.created = -365 * 86400 + 1;         /* 1969-01-01T00:00:01Z */
    o.expires = 253402300799;             /* 9999-12-31T23:59:59Z */
    o.next_work = 253402300800;           /* year 10000: not representable */
    o.last_update = -62135596800;         /* 0001-01-01T00:00:00Z: "unset" */
    o.cert_not_before = -62135596799;     /* 0001-01-01T00:00:01Z */
    o.cert_not_after = 951782400;         /* 2000-02-29T00:00:00Z */
    o.challenges[0].items[0].expires = 1; /* 1970-01-01T00:00:01Z */
    order_cache_note(c, &o);
    assert_int_equal(order_cache_save(c), 0);
    char *text = slurp(order_cache_path(c), NULL);
    assert_non_null(strstr(text, "\"creation_date\":\"1969-01-01T00:00:01Z\""));
    assert_non_null(strstr(text, "\"cert_not_after\":\"2000-02-29T00:00:00Z\""));
    assert_non_null(strstr(text, "\"next_work_date\":null"));
    free(text);
    order_cache_free(c);
    c = cache_open(f);
    struct order *out;
    size_t n;
    assert_int_equal(order_cache_load(c, &out, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(out[0].created, o.created);
    assert_int_equal(out[0].expires, o.expires);
    assert_int_equal(out[0].next_work, 0);
    assert_int_equal(out[0].last_update, 0);
    assert_int_equal(out[0].cert_not_before, o.cert_not_before);
    assert_int_equal(out[0].cert_not_after, o.cert_not_after);
    assert_int_equal(out[0].challenges[0].items[0].expires, 1);
    orders_free(out, n);
    order_free(&o);
    order_cache_free(c);
}

static void test_file_name(void **state)
{
    struct fixture *f = *state;
    struct order_cache *c = cache_open(f);
    const char key[] = ADDR "\n" NS "\n" MOUNT;
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen;
    assert_int_equal(EVP_Digest(key, strlen(key), md, &mdlen, EVP_sha256(), NULL), 1);
    char expect[256];
    snprintf(expect, sizeof expect, "%s/orders-%02x%02x%02x%02x%02x%02x%02x%02x.json", f->cache,
             md[0], md[1], md[2], md[3], md[4], md[5], md[6], md[7]);
    assert_string_equal(order_cache_path(c), expect);
    /* trailing slashes do not make another cache */
    struct order_cache *d =
        order_cache_open(f->cache, ADDR "/", NS "/", MOUNT "/", NULL);
    assert_string_equal(order_cache_path(d), expect);
    order_cache_free(d);
    /* another namespace or mount does */
    d = order_cache_open(f->cache, ADDR, NULL, MOUNT, NULL);
    assert_string_not_equal(order_cache_path(d), expect);
    order_cache_free(d);
    order_cache_free(c);
}

/* Every order read in full is kept, whatever its status (the engine decides
 * what to trust); a later read of the same ID replaces it. */
static void test_every_status(void **state)
{
    struct fixture *f = *state;
    struct order_cache *c = cache_open(f);
    struct order o;
    order_full(&o, "A", ORDER_COMPLETED);
    order_cache_note(c, &o);
    assert_int_equal(order_cache_count(c), 1);
    assert_int_equal(order_cache_save(c), 0);
    /* the same ID read again in another state: replaced, not doubled */
    o.status = ORDER_REVOKED;
    free(o.status_text);
    o.status_text = xstrdup("revoked");
    order_cache_note(c, &o);
    assert_int_equal(order_cache_count(c), 1);
    order_free(&o);
    const enum order_status moving[] = {ORDER_NEW, ORDER_SUBMITTED, ORDER_AWAITING_CHALLENGE,
                                        ORDER_FETCHING_CERT, ORDER_STATUS_UNKNOWN};
    for (size_t i = 0; i < sizeof moving / sizeof moving[0]; i++) {
        char id[16];
        snprintf(id, sizeof id, "M%zu", i);
        order_full(&o, id, moving[i]);
        order_cache_note(c, &o);
        order_free(&o);
    }
    /* an ID that could not be read back is ignored */
    order_full(&o, "bad\x1b[31m", ORDER_ERROR);
    order_cache_note(c, &o);
    order_free(&o);
    assert_int_equal(order_cache_count(c), 6);
    assert_int_equal(order_cache_save(c), 0);
    order_cache_free(c);

    c = cache_open(f);
    struct order *out;
    size_t n;
    assert_int_equal(order_cache_load(c, &out, &n), 0);
    assert_int_equal(n, 6);
    bool revoked = false, awaiting = false;
    for (size_t i = 0; i < n; i++) {
        assert_true(out[i].unverified);
        revoked |= strcmp(out[i].id, "A") == 0 && out[i].status == ORDER_REVOKED;
        awaiting |= out[i].status == ORDER_AWAITING_CHALLENGE;
    }
    assert_true(revoked);
    assert_true(awaiting);
    orders_free(out, n);
    order_cache_free(c);
}

/* Orders seen only in the recent list (detail_known false) confirm or
 * outdate what the cache holds; they are never stored themselves. */
static void test_list_data(void **state)
{
    struct fixture *f = *state;
    struct order_cache *c = cache_open(f);
    struct order o, brief;
    order_full(&o, "C", ORDER_COMPLETED);
    order_cache_note(c, &o);
    order_init(&brief);
    brief.id = xstrdup("C");
    brief.status = ORDER_COMPLETED;
    brief.last_update = o.last_update;
    order_cache_note(c, &brief); /* same status and time: kept */
    assert_int_equal(order_cache_count(c), 1);
    brief.status = ORDER_REVOKED; /* revoked since: forgotten until read in full */
    order_cache_note(c, &brief);
    assert_int_equal(order_cache_count(c), 0);
    free(brief.id);
    brief.id = xstrdup("D");
    order_cache_note(c, &brief); /* list data alone is not stored */
    assert_int_equal(order_cache_count(c), 0);
    /* the full revoked order comes */
    o.status = ORDER_REVOKED;
    free(o.status_text);
    o.status_text = xstrdup("revoked");
    order_cache_note(c, &o);
    assert_int_equal(order_cache_count(c), 1);
    order_free(&brief);
    order_free(&o);
    order_cache_free(c);
}

static void test_forget_and_merge(void **state)
{
    struct fixture *f = *state;
    struct order_cache *c = cache_open(f);
    struct order o;
    const char *ids[] = {"E1", "E2", "E3"};
    for (int i = 0; i < 3; i++) {
        order_full(&o, ids[i], ORDER_COMPLETED);
        order_cache_note(c, &o);
        order_free(&o);
    }
    assert_int_equal(order_cache_save(c), 0);
    /* changes after a save are merged into the file written before */
    order_cache_forget(c, "E2");
    order_cache_forget(c, "nobody");
    order_full(&o, "E3", ORDER_REVOKED);
    order_cache_note(c, &o);
    order_free(&o);
    order_full(&o, "E4", ORDER_EXPIRED);
    order_cache_note(c, &o);
    order_free(&o);
    assert_int_equal(order_cache_count(c), 3);
    assert_int_equal(order_cache_save(c), 0);

    /* another acmetop (same Vault) saves its own change in between */
    struct order_cache *other = cache_open(f);
    struct order *out;
    size_t n;
    assert_int_equal(order_cache_load(other, &out, &n), 0);
    assert_int_equal(n, 3);
    orders_free(out, n);
    order_full(&o, "E1", ORDER_REVOKED);
    order_cache_note(other, &o);
    order_free(&o);
    order_full(&o, "E6", ORDER_EXPIRED);
    order_cache_note(other, &o);
    order_free(&o);
    assert_int_equal(order_cache_save(other), 0);
    order_cache_free(other);

    /* this one's next save keeps the other's version of E1 and its E6 */
    order_full(&o, "E5", ORDER_ERROR);
    order_cache_note(c, &o);
    order_free(&o);
    assert_int_equal(order_cache_save(c), 0);
    order_cache_free(c);

    c = cache_open(f);
    assert_int_equal(order_cache_load(c, &out, &n), 0);
    assert_int_equal(n, 5);
    assert_null(find(out, n, "E2"));
    assert_int_equal(find(out, n, "E6")->status, ORDER_EXPIRED);
    assert_int_equal(find(out, n, "E1")->status, ORDER_REVOKED);
    assert_int_equal(find(out, n, "E3")->status, ORDER_REVOKED);
    assert_int_equal(find(out, n, "E4")->status, ORDER_EXPIRED);
    assert_int_equal(find(out, n, "E5")->status, ORDER_ERROR);
    orders_free(out, n);
    /* forgetting everything leaves a valid, empty file */
    order_cache_forget(c, "E1");
    order_cache_forget(c, "E3");
    order_cache_forget(c, "E4");
    order_cache_forget(c, "E5");
    order_cache_forget(c, "E6");
    assert_int_equal(order_cache_count(c), 0);
    assert_int_equal(order_cache_save(c), 0);
    order_cache_free(c);
    char w[1024];
    assert_int_equal(load_fresh(f, &n, w, sizeof w), 0);
    assert_int_equal(n, 0);
}

/* The header of a file for this test's Vault, records to follow. */
#define HEADER                                                                                   \
    "{\"acmetop_cache\":1,\"addr\":\"" ADDR "\",\"namespace\":\"" NS "\",\"mount\":\"" MOUNT  \
    "\",\"written\":\"2026-07-01T00:00:00Z\",\"orders\":[\n"
#define RECORD(id, extra)                                                                        \
    "{\"order_id\":\"" id "\",\"order_status\":\"completed\",\"role_name\":\"web\"" extra "}"

static void expect_ignored(const struct fixture *f, const char *path, const char *content,
                           size_t len, const char *reason)
{
    spit(path, content, len, 0600);
    size_t n;
    char w[2048];
    assert_int_equal(load_fresh(f, &n, w, sizeof w), -1);
    if (!strstr(w, "was ignored") || !strstr(w, path) || !strstr(w, reason)) {
        print_error("warning: %s\nexpected: %s\n", w, reason);
        fail();
    }
    assert_null(strchr(w, '\n')); /* one line */
}

static void test_corrupt(void **state)
{
    struct fixture *f = *state;
    const char *path = save_one(f, "good");
    size_t len;
    char *good = slurp(path, &len);
    assert_non_null(good);

    expect_ignored(f, path, good, len / 2, "ends too early");
    expect_ignored(f, path, good, len - 3, "ends too early");
    expect_ignored(f, path, "\x89PNG\r\n\x1a\n\0\0garbage", 16, "not an acmetop cache file");
    expect_ignored(f, path, "", 0, "empty");
    expect_ignored(f, path, "[1,2,3]", 7, "not an acmetop cache file");
    const char *cases[][2] = {
        {HEADER RECORD("x", ",\"serial_number\":5") "]}", "field 'serial_number' is not a string"},
        {HEADER RECORD("x", ",\"identifiers\":\"a.example\"") "]}", "'identifiers' is not a list"},
        {HEADER RECORD("x", ",\"identifiers\":[\"a\",7]") "]}", "'identifiers' is not a string"},
        {HEADER RECORD("x", ",\"challenges\":[]") "]}", "'challenges' is not an object"},
        {HEADER RECORD("x", ",\"challenges\":{\"a\":{}}") "]}", "not a list"},
        {HEADER RECORD("x", ",\"expires\":\"yesterday\"") "]}", "not an RFC 3339 time"},
        {HEADER RECORD("x", "") "," RECORD("x", "") "]}", "appears twice"},
        {HEADER "{\"order_id\":\"x\"}]}", "'order_status' is missing"},
        {HEADER "{\"order_id\":\"\\u001b[2J\",\"order_status\":\"revoked\"}]}",
         "not a usable order ID"},
        {HEADER "42]}", "not an object"},
        {HEADER RECORD("x", "") "]} trailing", "text after the end"},
        {HEADER RECORD("x", "") "}}", "not valid JSON"},
        {HEADER RECORD("x", ",") "]}", "not valid JSON"},
        {"{\"acmetop_cache\":1,\"addr\":\"" ADDR "\",\"orders\":[]}", "'namespace' is missing"},
        {"{\"acmetop_cache\":1,\"addr\":5,\"orders\":[]}", "'addr' is not a string"},
        {"{\"acmetop_cache\":1,\"addr\":\"" ADDR "\",\"namespace\":\"" NS "\",\"mount\":\"" MOUNT
         "\"}",
         "'orders' is missing"},
        {"{\"acmetop_cache\":1,\"addr\":\"" ADDR "\",\"namespace\":\"" NS "\",\"mount\":\"" MOUNT
         "\",\"orders\":{}}",
         "'orders' is not a list"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        expect_ignored(f, path, cases[i][0], strlen(cases[i][0]), cases[i][1]);

    /* a huge string (larger than any field may be) */
    size_t big = 100 * 1024;
    char *huge = xmalloc(big + 512);
    int k = snprintf(huge, 512, "%s", HEADER RECORD("x", ",\"last_error\":\""));
    k -= 1; /* drop the record's closing brace: the string goes on */
    memset(huge + k, 'A', big);
    k += (int)big;
    k += snprintf(huge + k, 32, "\"}]}");
    expect_ignored(f, path, huge, (size_t)k, "'last_error' is larger than 65536 bytes");
    /* a value larger than any record may be: refused without reading it all in */
    size_t vast = ((size_t)9 << 20);
    huge = xrealloc(huge, vast + 512);
    k = snprintf(huge, 512, "%s", HEADER "\"");
    memset(huge + k, 'B', vast);
    k += (int)vast;
    k += snprintf(huge + k, 32, "\"]}");
    expect_ignored(f, path, huge, (size_t)k, "larger than 8 MiB");
    free(huge);

    /* the next save replaces the damaged file cleanly, even with nothing new */
    spit(path, good, len / 2, 0600);
    struct order_cache *c = cache_open(f);
    struct order *out;
    size_t n;
    assert_int_equal(order_cache_load(c, &out, &n), -1);
    assert_int_equal(order_cache_save(c), 0);
    order_cache_free(c);
    char w[1024];
    assert_int_equal(load_fresh(f, &n, w, sizeof w), 0);
    assert_int_equal(n, 0);
    /* and with something new */
    spit(path, "garbage", 7, 0600);
    c = cache_open(f);
    assert_int_equal(order_cache_load(c, &out, &n), -1);
    struct order o;
    order_full(&o, "fresh", ORDER_EXPIRED);
    order_cache_note(c, &o);
    order_free(&o);
    assert_int_equal(order_cache_save(c), 0);
    order_cache_free(c);
    assert_int_equal(load_fresh(f, &n, w, sizeof w), 0);
    assert_int_equal(n, 1);
    assert_int_equal(dir_entries(f->cache), 1);
    free(good);
}

/* Strings that would drive the terminal are sanitised on the way in, as
 * for Vault's answers; unknown fields are skipped. */
static void test_sanitised(void **state)
{
    struct fixture *f = *state;
    const char *path = save_one(f, "seed");
    const char text[] =
        HEADER RECORD("s1", ",\"last_error\":\"\\u001b]52;c;ZXZpbA==\\u0007 boom\\r\\n\","
                            "\"identifiers\":[\"ok.example\",\"\\u009b31m.example\"],"
                            "\"challenges\":{\"\\u001b[H\":"
                            "[{\"challenge_type\":\"dns-01\\u0008\"}]}")
        ",\n{\"order_id\":\"moving\",\"order_status\":\"awaiting-challenge-fulfillment\"}"
        ",\n{\"order_id\":\"later\",\"order_status\":\"revoked\",\"unknown_field\":[1,{}]}"
        "\n],\"future_field\":{\"a\":[1,2]}}\n";
    spit(path, text, sizeof text - 1, 0600);
    struct order_cache *c = cache_open(f);
    struct order *out;
    size_t n;
    assert_int_equal(order_cache_load(c, &out, &n), 0);
    assert_int_equal(n, 3);
    assert_int_equal(order_cache_count(c), 3);
    const struct order *o = find(out, n, "s1");
    assert_non_null(o);
    for (const char *p = o->last_error; *p; p++)
        assert_true((unsigned char)*p >= 0x20 && *p != 0x7f);
    assert_non_null(strstr(o->last_error, "boom"));
    assert_string_equal(o->identifiers[0], "ok.example");
    assert_null(strchr(o->identifiers[1], '\x9b'));
    assert_null(strchr(o->challenges[0].identifier, '\x1b'));
    assert_null(strchr(o->challenges[0].items[0].type, '\b'));
    assert_non_null(find(out, n, "moving"));
    assert_non_null(find(out, n, "later"));
    orders_free(out, n);
    order_cache_free(c);
}

static void test_foreign_version(void **state)
{
    struct fixture *f = *state;
    const char *path = save_one(f, "v");
    const char v2[] = "{\"acmetop_cache\":2,\"orders\":\"a format of the future\"}";
    expect_ignored(f, path, v2, sizeof v2 - 1,
                   "not a cache file of this version (version 2; this acmetop reads version 1)");
    const char v0[] = "{\"acmetop_cache\":\"1\",\"orders\":[]}";
    expect_ignored(f, path, v0, sizeof v0 - 1, "not an acmetop cache file");
    const char late[] = "{\"orders\":[],\"acmetop_cache\":1}";
    expect_ignored(f, path, late, sizeof late - 1, "not an acmetop cache file");
    /* the next save replaces it with this version */
    struct order_cache *c = cache_open(f);
    struct order *out;
    size_t n;
    spit(path, v2, sizeof v2 - 1, 0600);
    assert_int_equal(order_cache_load(c, &out, &n), -1);
    assert_int_equal(order_cache_save(c), 0);
    order_cache_free(c);
    char *text = slurp(path, NULL);
    assert_non_null(strstr(text, "{\"acmetop_cache\":1,"));
    free(text);
}

static void test_another_vault(void **state)
{
    struct fixture *f = *state;
    const char *path_a = save_one(f, "from-a");
    char a[512];
    snprintf(a, sizeof a, "%s", path_a);
    size_t len;
    char *text = slurp(a, &len);
    /* vault B: another address; its file is a copy of A's */
    struct order_cache *b =
        order_cache_open(f->cache, "https://other-vault:8200", NS, MOUNT, NULL);
    assert_string_not_equal(order_cache_path(b), a);
    spit(order_cache_path(b), text, len, 0600);
    struct order *out;
    size_t n;
    assert_int_equal(order_cache_load(b, &out, &n), -1);
    assert_int_equal(n, 0);
    const char *w = order_cache_warning(b);
    assert_non_null(w);
    assert_non_null(strstr(w, "another Vault's file"));
    assert_non_null(strstr(w, ADDR));
    assert_non_null(strstr(w, "https://other-vault:8200"));
    order_cache_free(b);
    /* the same address with another mount, copied likewise */
    b = order_cache_open(f->cache, ADDR, NS, "pki-other", NULL);
    spit(order_cache_path(b), text, len, 0600);
    assert_int_equal(order_cache_load(b, &out, &n), -1);
    assert_non_null(strstr(order_cache_warning(b), "another Vault's file"));
    order_cache_free(b);
    /* A still reads its own */
    char w2[1024];
    assert_int_equal(load_fresh(f, &n, w2, sizeof w2), 0);
    assert_int_equal(n, 1);
    free(text);
}

static void test_permissions(void **state)
{
    struct fixture *f = *state;
    const mode_t masks[] = {0, 077, 0777};
    for (size_t i = 0; i < sizeof masks / sizeof masks[0]; i++) {
        char dir[256];
        snprintf(dir, sizeof dir, "%s/m%zu/deep/er/acmetop", f->dir, i);
        umask(masks[i]);
        struct order_cache *c = order_cache_open(dir, ADDR, NS, MOUNT, NULL);
        assert_null(order_cache_warning(c));
        struct order o;
        order_full(&o, "p", ORDER_COMPLETED);
        order_cache_note(c, &o);
        order_free(&o);
        assert_int_equal(order_cache_save(c), 0);
        umask(022);
        assert_int_equal(mode_of(dir), 0700);
        char parent[256];
        snprintf(parent, sizeof parent, "%s/m%zu/deep", f->dir, i);
        assert_int_equal(mode_of(parent), 0700); /* missing parents too */
        assert_int_equal(mode_of(order_cache_path(c)), 0600);
        order_cache_free(c);
    }

    /* an existing directory of ours is made private */
    char loose[256];
    snprintf(loose, sizeof loose, "%s/loose", f->dir);
    assert_int_equal(mkdir(loose, 0777), 0);
    assert_int_equal(chmod(loose, 0777), 0);
    struct order_cache *c = order_cache_open(loose, ADDR, NS, MOUNT, NULL);
    assert_null(order_cache_warning(c));
    assert_int_equal(mode_of(loose), 0700);
    order_cache_free(c);

    const char *path = save_one(f, "q");
    char *good = slurp(path, NULL);
    size_t n;
    char w[1024];
    /* group- or other-writable: refused */
    assert_int_equal(chmod(path, 0620), 0);
    assert_int_equal(load_fresh(f, &n, w, sizeof w), -1);
    assert_non_null(strstr(w, "writable by group or others (mode 0620)"));
    assert_int_equal(chmod(path, 0602), 0);
    assert_int_equal(load_fresh(f, &n, w, sizeof w), -1);
    /* readable by others is fine (no secret in it) */
    assert_int_equal(chmod(path, 0644), 0);
    assert_int_equal(load_fresh(f, &n, w, sizeof w), 0);
    assert_int_equal(n, 1);
    /* the next save of a refused file makes it 0600 again */
    assert_int_equal(chmod(path, 0666), 0);
    c = cache_open(f);
    struct order *out;
    assert_int_equal(order_cache_load(c, &out, &n), -1);
    assert_int_equal(order_cache_save(c), 0);
    assert_int_equal(mode_of(path), 0600);
    order_cache_free(c);

    /* a symbolic link (even to a good file of ours): refused, then replaced */
    char target[256];
    snprintf(target, sizeof target, "%s/elsewhere.json", f->dir);
    spit(target, good, strlen(good), 0600);
    unlink(path);
    assert_int_equal(symlink(target, path), 0);
    assert_int_equal(load_fresh(f, &n, w, sizeof w), -1);
    assert_non_null(strstr(w, "symbolic link"));
    c = cache_open(f);
    assert_int_equal(order_cache_load(c, &out, &n), -1);
    assert_int_equal(order_cache_save(c), 0);
    order_cache_free(c);
    struct stat st;
    assert_int_equal(lstat(path, &st), 0);
    assert_true(S_ISREG(st.st_mode));
    char *kept = slurp(target, NULL);
    assert_string_equal(kept, good); /* the link's target was not written */
    free(kept);

    /* a FIFO: refused at once (opening it does not wait for a writer) */
    unlink(path);
    assert_int_equal(mkfifo(path, 0600), 0);
    assert_int_equal(load_fresh(f, &n, w, sizeof w), -1);
    assert_non_null(strstr(w, "not a regular file"));

    /* another user's file or directory (checked when the test runs as root) */
    if (geteuid() == 0) {
        spit(path, good, strlen(good), 0600);
        assert_int_equal(chown(path, 4242, (gid_t)-1), 0);
        assert_int_equal(load_fresh(f, &n, w, sizeof w), -1);
        assert_non_null(strstr(w, "belongs to user ID 4242, not to you (0)"));
        char theirs[256];
        snprintf(theirs, sizeof theirs, "%s/theirs", f->dir);
        assert_int_equal(mkdir(theirs, 0700), 0);
        assert_int_equal(chown(theirs, 4242, (gid_t)-1), 0);
        c = order_cache_open(theirs, ADDR, NS, MOUNT, NULL);
        assert_non_null(strstr(order_cache_warning(c), "belongs to user ID 4242"));
        assert_non_null(strstr(order_cache_warning(c), "memory only"));
        order_cache_free(c);
    }

    /* not a regular file: refused; a save cannot replace a directory, and says so */
    unlink(path);
    assert_int_equal(mkdir(path, 0700), 0);
    assert_int_equal(load_fresh(f, &n, w, sizeof w), -1);
    assert_non_null(strstr(w, "not a regular file"));
    c = cache_open(f);
    struct order o;
    order_full(&o, "r", ORDER_REVOKED);
    order_cache_note(c, &o);
    order_free(&o);
    assert_int_equal(order_cache_save(c), -1);
    assert_non_null(strstr(order_cache_warning(c), "could not be written"));
    assert_int_equal(order_cache_count(c), 1); /* kept for the next try */
    assert_int_equal(rmdir(path), 0);
    assert_int_equal(order_cache_save(c), 0);
    order_cache_free(c);
    assert_int_equal(load_fresh(f, &n, w, sizeof w), 0);
    assert_int_equal(n, 1);
    assert_int_equal(dir_entries(f->cache), 1); /* no temporary file left */
    free(good);
}

static void test_memory_only(void **state)
{
    struct fixture *f = *state;
    char file[256], dir[300];
    snprintf(file, sizeof file, "%s/plain-file", f->dir);
    spit(file, "x", 1, 0600);
    snprintf(dir, sizeof dir, "%s/sub/acmetop", file);
    struct order_cache *c = order_cache_open(dir, ADDR, NS, MOUNT, NULL);
    const char *w = order_cache_warning(c);
    assert_non_null(w);
    assert_non_null(strstr(w, "off for this run"));
    assert_non_null(strstr(w, "cannot create the directory"));
    assert_non_null(strstr(w, "memory only"));
    struct order o;
    order_full(&o, "m", ORDER_COMPLETED);
    order_cache_note(c, &o);
    order_free(&o);
    assert_int_equal(order_cache_count(c), 1);
    assert_int_equal(order_cache_save(c), 0);
    struct order *out;
    size_t n;
    assert_int_equal(order_cache_load(c, &out, &n), 0);
    assert_int_equal(n, 0);
    order_cache_forget(c, "m");
    assert_int_equal(order_cache_count(c), 0);
    order_cache_free(c);

    /* no directory named at all */
    const char *const env[] = {"PATH=/usr/bin", "XDG_CACHE_HOME=relative/dir", NULL};
    c = order_cache_open(NULL, ADDR, NULL, MOUNT, env);
    assert_null(order_cache_path(c));
    assert_non_null(strstr(order_cache_warning(c), "neither XDG_CACHE_HOME nor HOME"));
    assert_int_equal(order_cache_save(c), 0);
    assert_int_equal(order_cache_load(c, &out, &n), 0);
    order_cache_free(c);
}

static void test_environment(void **state)
{
    struct fixture *f = *state;
    char xdg[256], home[256], prefix[300];
    snprintf(xdg, sizeof xdg, "XDG_CACHE_HOME=%s/xdg", f->dir);
    snprintf(home, sizeof home, "HOME=%s/home", f->dir);
    const char *const both[] = {home, xdg, NULL};
    struct order_cache *c = order_cache_open(NULL, ADDR, NS, MOUNT, both);
    snprintf(prefix, sizeof prefix, "%s/xdg/acmetop/orders-", f->dir);
    assert_memory_equal(order_cache_path(c), prefix, strlen(prefix));
    order_cache_free(c);
    const char *const relative[] = {"XDG_CACHE_HOME=not/absolute", home, NULL};
    c = order_cache_open(NULL, ADDR, NS, MOUNT, relative);
    snprintf(prefix, sizeof prefix, "%s/home/.cache/acmetop/orders-", f->dir);
    assert_memory_equal(order_cache_path(c), prefix, strlen(prefix));
    assert_null(order_cache_warning(c));
    order_cache_free(c);
    char dir[300];
    snprintf(dir, sizeof dir, "%s/home/.cache", f->dir);
    assert_int_equal(mode_of(dir), 0700);
}

static void test_no_token(void **state)
{
    struct fixture *f = *state;
    char home[256];
    snprintf(home, sizeof home, "HOME=%s/home", f->dir);
    const char *secret = "hvs.CAESIJ9s3cr3tT0kenValue";
    char token[128];
    snprintf(token, sizeof token, "VAULT_TOKEN=%s", secret);
    const char *const env[] = {home, token, NULL};
    struct order_cache *c = order_cache_open(NULL, ADDR, NS, MOUNT, env);
    struct order o;
    order_full(&o, "t", ORDER_COMPLETED);
    order_cache_note(c, &o);
    order_free(&o);
    assert_int_equal(order_cache_save(c), 0);
    char *text = slurp(order_cache_path(c), NULL);
    assert_non_null(text);
    assert_null(strstr(text, secret));
    assert_null(strstr(text, "token"));
    assert_null(strstr(text, "key_authorization"));
    free(text);
    order_cache_free(c);
}

/* Random damage (bytes changed, inserted, cut) to a good file: a load
 * either reads finished orders or ignores the file with a warning, never
 * crashes (this runs under ASan/UBSan in make check), and the next save
 * always leaves a file that loads. ACMETOP_CACHE_MUTATIONS sets the count. */
static void test_mutations(void **state)
{
    struct fixture *f = *state;
    struct order_cache *c = cache_open(f);
    struct order o;
    order_full(&o, "m1", ORDER_COMPLETED);
    order_cache_note(c, &o);
    order_free(&o);
    order_sparse(&o, "m2", ORDER_ERROR);
    order_cache_note(c, &o);
    order_free(&o);
    assert_int_equal(order_cache_save(c), 0);
    char path[512];
    snprintf(path, sizeof path, "%s", order_cache_path(c));
    order_cache_free(c);
    size_t len;
    char *good = slurp(path, &len);
    char *bad = xmalloc(len + 64);
    const char *env = getenv("ACMETOP_CACHE_MUTATIONS");
    int rounds = env ? atoi(env) : 400;
    unsigned seed = 12345;
    int loaded = 0, ignored = 0;
    for (int r = 0; r < rounds; r++) {
        memcpy(bad, good, len);
        size_t blen = len;
        int edits = 1 + (int)(rand_r(&seed) % 4);
        for (int e = 0; e < edits; e++) {
            size_t at = (size_t)rand_r(&seed) % blen;
            static const char chars[] = "{}[]\",:0\\u\x00\x1b\xff nulltrue-9e99";
            char ch = chars[(size_t)rand_r(&seed) % (sizeof chars - 1)];
            switch (rand_r(&seed) % 4) {
            case 0: bad[at] = ch; break;
            case 1: bad[at] = (char)rand_r(&seed); break;
            case 2: /* insert */
                if (blen < len + 60) {
                    memmove(bad + at + 1, bad + at, blen - at);
                    bad[at] = ch;
                    blen++;
                }
                break;
            default: blen = at; break; /* cut */
            }
            if (blen == 0)
                break;
        }
        struct order *out;
        size_t n;
        if (r % 2) {
            /* a cache that loaded the good file saves into the damaged one:
             * the save checks each record (the file is not the one it read) */
            spit(path, good, len, 0600);
            c = cache_open(f);
            assert_int_equal(order_cache_load(c, &out, &n), 0);
            orders_free(out, n);
            spit(path, bad, blen, 0600);
            order_full(&o, "m1", ORDER_REVOKED);
            order_cache_note(c, &o);
            order_free(&o);
            assert_int_equal(order_cache_save(c), 0);
            order_cache_free(c);
            char w[1024];
            if (load_fresh(f, &n, w, sizeof w) != 0) {
                print_error("round %d: the save left a file that does not load: %s\n", r, w);
                fail();
            }
            continue;
        }
        spit(path, bad, blen, 0600);
        c = cache_open(f);
        int rc = order_cache_load(c, &out, &n);
        assert_true(rc == 0 || rc == -1);
        if (rc == 0) {
            loaded++;
            for (size_t i = 0; i < n; i++) {
                assert_non_null(out[i].id);
                assert_true(order_status_is_terminal(out[i].status));
                assert_true(out[i].unverified);
            }
        } else {
            ignored++;
            assert_non_null(order_cache_warning(c));
        }
        orders_free(out, n);
        order_full(&o, "after", ORDER_REVOKED);
        order_cache_note(c, &o);
        order_free(&o);
        assert_int_equal(order_cache_save(c), 0);
        order_cache_free(c);
        char w[1024];
        if (load_fresh(f, &n, w, sizeof w) != 0) {
            print_error("round %d: the save left a file that does not load: %s\n", r, w);
            fail();
        }
    }
    print_message("[  MUTATE  ] %d damaged files: %d loaded, %d ignored, %d saved into\n", rounds,
                  loaded, ignored, rounds - loaded - ignored);
    free(bad);
    free(good);
}

/* Wall-clock and CPU seconds since *t0 (the CPU time tells the cost when
 * other work shares the machine). */
struct stopwatch {
    struct timespec wall, cpu;
};

static void stopwatch_start(struct stopwatch *w)
{
    clock_gettime(CLOCK_MONOTONIC, &w->wall);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &w->cpu);
}

static double elapsed(const struct timespec *t0, clockid_t clock)
{
    struct timespec t1;
    clock_gettime(clock, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static void stopwatch_print(const char *what, const struct stopwatch *w)
{
    double wall = elapsed(&w->wall, CLOCK_MONOTONIC);
    double cpu = elapsed(&w->cpu, CLOCK_PROCESS_CPUTIME_ID);
    print_message("[  TIMES   ] %-40s %.3f s (CPU %.3f s)\n", what, wall, cpu);
}

/* 100,000 finished orders of the usual shape (two identifiers, three
 * challenges each, certificate dates): times printed, not asserted. */
static void test_100000_orders(void **state)
{
    struct fixture *f = *state;
    const size_t count = 100000;
    struct order_cache *c = cache_open(f);
    struct stopwatch w;
    struct order *in = xcalloc(count, sizeof *in);
    for (size_t i = 0; i < count; i++) {
        char id[64];
        snprintf(id, sizeof id, "%08zx-9b1f-4e6a-8c3d-2f5e7a9b1c0d", i);
        order_full(&in[i], id, i % 10 ? ORDER_COMPLETED : ORDER_REVOKED);
        in[i].created += (time_t)i;
    }
    stopwatch_start(&w);
    for (size_t i = 0; i < count; i++)
        order_cache_note(c, &in[i]);
    stopwatch_print("note 100,000 orders", &w);
    orders_free(in, count);
    stopwatch_start(&w);
    assert_int_equal(order_cache_save(c), 0);
    stopwatch_print("save them (with fsync)", &w);
    struct stat st;
    assert_int_equal(stat(order_cache_path(c), &st), 0);
    order_cache_free(c);

    c = cache_open(f);
    struct order *out;
    size_t n;
    stopwatch_start(&w);
    assert_int_equal(order_cache_load(c, &out, &n), 0);
    char what[64];
    snprintf(what, sizeof what, "load them (%.1f MB file)", (double)st.st_size / 1e6);
    stopwatch_print(what, &w);
    assert_int_equal(n, count);
    assert_int_equal(order_cache_count(c), count);
    /* a change, then a save: the loaded file is copied record by record */
    out[7].status = ORDER_REVOKED;
    free(out[7].status_text);
    out[7].status_text = xstrdup("revoked");
    order_cache_note(c, &out[7]);
    stopwatch_start(&w);
    assert_int_equal(order_cache_save(c), 0);
    stopwatch_print("save one change after the load", &w);
    orders_free(out, n);
    order_cache_free(c);
    /* another acmetop wrote the file: each record is checked at the save */
    c = cache_open(f);
    order_cache_forget(c, "00000008-9b1f-4e6a-8c3d-2f5e7a9b1c0d");
    struct order o;
    order_full(&o, "00000008-9b1f-4e6a-8c3d-2f5e7a9b1c0d", ORDER_COMPLETED);
    order_cache_note(c, &o);
    order_free(&o);
    stopwatch_start(&w);
    assert_int_equal(order_cache_save(c), 0);
    stopwatch_print("save into a file another acmetop wrote", &w);
    assert_int_equal(order_cache_count(c), count); /* it kept the file's orders */
    order_cache_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_roundtrip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_times, setup, teardown),
        cmocka_unit_test_setup_teardown(test_file_name, setup, teardown),
        cmocka_unit_test_setup_teardown(test_every_status, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list_data, setup, teardown),
        cmocka_unit_test_setup_teardown(test_forget_and_merge, setup, teardown),
        cmocka_unit_test_setup_teardown(test_corrupt, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sanitised, setup, teardown),
        cmocka_unit_test_setup_teardown(test_foreign_version, setup, teardown),
        cmocka_unit_test_setup_teardown(test_another_vault, setup, teardown),
        cmocka_unit_test_setup_teardown(test_permissions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_memory_only, setup, teardown),
        cmocka_unit_test_setup_teardown(test_environment, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_token, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mutations, setup, teardown),
        cmocka_unit_test_setup_teardown(test_100000_orders, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
