/* test_cert_files: saving a fetched certificate the way an operator relies
 * on it: the key file is 0600 even with umask 000 (and the certificate 0644
 * even with umask 077), the directory is created 0700, nothing is ever
 * overwritten silently (the error names the file, and nothing at all is
 * written then), overwrite replaces, file names are safe (wildcards, "..",
 * slashes, leading dots), CSR orders get no key file, no temporary file is
 * left behind, and the key is gone from the bundle afterwards. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model/cert_bundle.h"
#include "model/xalloc.h"
#include "net/cert_files.h"

#define CERT "-----BEGIN CERTIFICATE-----\nMIIBleaf\n-----END CERTIFICATE-----"
#define CHAIN1 "-----BEGIN CERTIFICATE-----\nMIIBinter\n-----END CERTIFICATE-----\n"
#define CHAIN2 "-----BEGIN CERTIFICATE-----\nMIIBroot\n-----END CERTIFICATE-----"
#define KEY "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEsecret\n-----END EC PRIVATE KEY-----\n"

struct fixture {
    char dir[64];
    mode_t old_umask;
};

static int setup(void **state)
{
    struct fixture *f = xcalloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/test_cert_files_XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    f->old_umask = umask(022);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    int rc = system(cmd);
    umask(f->old_umask);
    free(f);
    return rc == 0 ? 0 : -1;
}

static void bundle_make(struct cert_bundle *b, bool with_key, bool with_chain)
{
    cert_bundle_init(b);
    b->certificate = xstrdup(CERT);
    if (with_chain) {
        b->ca_chain = xcalloc(2, sizeof *b->ca_chain);
        b->ca_chain[0] = xstrdup(CHAIN1);
        b->ca_chain[1] = xstrdup(CHAIN2);
        b->ca_chain_count = 2;
    }
    if (with_key)
        b->private_key = xstrdup(KEY);
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    char *buf = xcalloc(1, 65536);
    size_t n = fread(buf, 1, 65535, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static mode_t mode_of(const char *path)
{
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    return st.st_mode & 07777;
}

static size_t entries(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            n++;
    closedir(d);
    return n;
}

static void test_key_is_0600_even_with_umask_000(void **state)
{
    struct fixture *f = *state;
    umask(0);
    char dir[128];
    snprintf(dir, sizeof dir, "%s/new/certs", f->dir); /* created, with its parent */
    struct cert_bundle b;
    bundle_make(&b, true, true);
    struct cert_files_paths p;
    struct deploy_error err;
    assert_int_equal(cert_files_save(dir, "www.demo.test", "order-1", &b, false, &p, &err), 0);
    char expect[256];
    snprintf(expect, sizeof expect, "%s/www.demo.test.key", dir);
    assert_string_equal(p.key, expect);
    assert_int_equal(mode_of(p.key), 0600);
    assert_int_equal(mode_of(p.cert), 0644);
    assert_int_equal(mode_of(p.chain), 0644);
    assert_int_equal(mode_of(dir), 0700);
    char parent[128];
    snprintf(parent, sizeof parent, "%s/new", f->dir);
    assert_int_equal(mode_of(parent), 0700);
    /* contents: exact PEM, a final newline added where missing */
    char *s = slurp(p.key);
    assert_string_equal(s, KEY);
    free(s);
    s = slurp(p.cert);
    assert_string_equal(s, CERT "\n");
    free(s);
    s = slurp(p.chain);
    assert_string_equal(s, CHAIN1 CHAIN2 "\n");
    free(s);
    /* the key is gone from memory the bundle owns */
    assert_null(b.private_key);
    assert_int_equal(entries(dir), 3); /* no temporary file left */
    cert_bundle_free(&b);
}

static void test_cert_is_0644_even_with_umask_077(void **state)
{
    struct fixture *f = *state;
    umask(077);
    struct cert_bundle b;
    bundle_make(&b, true, false);
    struct cert_files_paths p;
    struct deploy_error err;
    assert_int_equal(cert_files_save(f->dir, "a.test", NULL, &b, false, &p, &err), 0);
    assert_int_equal(mode_of(p.cert), 0644);
    assert_int_equal(mode_of(p.key), 0600);
    assert_string_equal(p.chain, ""); /* no chain, no chain file */
    assert_int_equal(entries(f->dir), 2);
    cert_bundle_free(&b);
}

static void test_no_silent_overwrite(void **state)
{
    struct fixture *f = *state;
    char key_path[128], cert_path[128];
    snprintf(key_path, sizeof key_path, "%s/shop.demo.test.key", f->dir);
    snprintf(cert_path, sizeof cert_path, "%s/shop.demo.test.crt", f->dir);
    FILE *old = fopen(key_path, "w");
    fputs("OLD KEY\n", old);
    fclose(old);

    struct cert_bundle b;
    bundle_make(&b, true, true);
    struct cert_files_paths p;
    struct deploy_error err;
    assert_int_equal(cert_files_save(f->dir, "shop.demo.test", "o", &b, false, &p, &err), -1);
    assert_non_null(strstr(err.message, key_path));
    assert_non_null(strstr(err.message, "exists"));
    assert_null(b.private_key); /* wiped even on failure */
    /* nothing written: the old key intact, no certificate, no chain */
    char *s = slurp(key_path);
    assert_string_equal(s, "OLD KEY\n");
    free(s);
    assert_int_equal(access(cert_path, F_OK), -1);
    assert_int_equal(entries(f->dir), 1);
    cert_bundle_free(&b);

    /* the plan tells beforehand */
    bundle_make(&b, true, true);
    assert_int_equal(cert_files_plan(f->dir, "shop.demo.test", "o", &b, &p, &err), 0);
    assert_true(p.key_exists);
    assert_false(p.cert_exists);
    assert_false(p.chain_exists);

    /* with overwrite: replaced, still 0600 */
    assert_int_equal(cert_files_save(f->dir, "shop.demo.test", "o", &b, true, &p, &err), 0);
    s = slurp(key_path);
    assert_string_equal(s, KEY);
    free(s);
    assert_int_equal(mode_of(key_path), 0600);
    assert_int_equal(entries(f->dir), 3);
    cert_bundle_free(&b);

    /* a second save without overwrite names the first file in its way */
    bundle_make(&b, true, true);
    assert_int_equal(cert_files_save(f->dir, "shop.demo.test", "o", &b, false, &p, &err), -1);
    assert_non_null(strstr(err.message, cert_path));
    cert_bundle_free(&b);
}

static void test_symlink_in_the_way_is_not_followed(void **state)
{
    struct fixture *f = *state;
    char target[128], link_path[128];
    snprintf(target, sizeof target, "%s/elsewhere", f->dir);
    snprintf(link_path, sizeof link_path, "%s/x.test.key", f->dir);
    assert_int_equal(symlink(target, link_path), 0);
    struct cert_bundle b;
    bundle_make(&b, true, false);
    struct cert_files_paths p;
    struct deploy_error err;
    assert_int_equal(cert_files_save(f->dir, "x.test", "o", &b, false, &p, &err), -1);
    assert_non_null(strstr(err.message, link_path));
    assert_int_equal(access(target, F_OK), -1); /* nothing written through the link */
    cert_bundle_free(&b);
}

static void test_safe_names(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"*.apps.example.io", "_wildcard_.apps.example.io"},
        {"www.example.com", "www.example.com"},
        {"../../etc/passwd", "_._.._etc_passwd"},
        {".hidden", "_hidden"},
        {"a/b\\c d", "a_b_c_d"},
        {"..", "_."},
        {"", "certificate"},
        {NULL, "certificate"},
        {"0f9c2d1e-7a4b-4c1e-9b0a-3d2f1e0c9b8a", "0f9c2d1e-7a4b-4c1e-9b0a-3d2f1e0c9b8a"},
        {"\x1b[31mred", "__31mred"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *s = cert_files_safe_name(cases[i].in);
        assert_string_equal(s, cases[i].out);
        free(s);
    }
    char long_name[600];
    memset(long_name, 'a', sizeof long_name - 1);
    long_name[sizeof long_name - 1] = '\0';
    char *s = cert_files_safe_name(long_name);
    assert_int_equal(strlen(s), CERT_FILES_NAME_MAX);
    free(s);
}

static void test_wildcard_and_order_id_names_on_disk(void **state)
{
    struct fixture *f = *state;
    struct cert_bundle b;
    struct cert_files_paths p;
    struct deploy_error err;
    bundle_make(&b, true, false);
    assert_int_equal(cert_files_save(f->dir, "*.apps.demo.test", "o1", &b, false, &p, &err), 0);
    char expect[256];
    snprintf(expect, sizeof expect, "%s/_wildcard_.apps.demo.test.crt", f->dir);
    assert_string_equal(p.cert, expect);
    assert_int_equal(access(expect, F_OK), 0);
    cert_bundle_free(&b);
    /* CSR order: no key from Vault, so no key file; named after the order ID
       when no identifier is known */
    bundle_make(&b, false, true);
    assert_int_equal(cert_files_save(f->dir, NULL, "5e1f-csr-order", &b, false, &p, &err), 0);
    snprintf(expect, sizeof expect, "%s/5e1f-csr-order.crt", f->dir);
    assert_string_equal(p.cert, expect);
    assert_string_equal(p.key, "");
    snprintf(expect, sizeof expect, "%s/5e1f-csr-order.key", f->dir);
    assert_int_equal(access(expect, F_OK), -1);
    cert_bundle_free(&b);
}

static void test_refusals(void **state)
{
    struct fixture *f = *state;
    struct cert_bundle b;
    struct cert_files_paths p;
    struct deploy_error err;
    /* not PEM (a "der" fetch) */
    bundle_make(&b, true, false);
    free(b.certificate);
    b.certificate = xstrdup("MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA");
    assert_int_equal(cert_files_save(f->dir, "a.test", "o", &b, false, &p, &err), -1);
    assert_non_null(strstr(err.message, "not PEM"));
    assert_null(b.private_key);
    cert_bundle_free(&b);
    /* the directory is a file */
    char file[128];
    snprintf(file, sizeof file, "%s/plain", f->dir);
    FILE *fp = fopen(file, "w");
    fclose(fp);
    bundle_make(&b, true, false);
    assert_int_equal(cert_files_save(file, "a.test", "o", &b, false, &p, &err), -1);
    assert_non_null(strstr(err.message, file));
    cert_bundle_free(&b);
    /* no directory configured */
    bundle_make(&b, false, false);
    assert_int_equal(cert_files_save("", "a.test", "o", &b, false, &p, &err), -1);
    assert_non_null(strstr(err.message, "cert_dir"));
    cert_bundle_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_key_is_0600_even_with_umask_000, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cert_is_0644_even_with_umask_077, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_silent_overwrite, setup, teardown),
        cmocka_unit_test_setup_teardown(test_symlink_in_the_way_is_not_followed, setup, teardown),
        cmocka_unit_test(test_safe_names),
        cmocka_unit_test_setup_teardown(test_wildcard_and_order_id_names_on_disk, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
