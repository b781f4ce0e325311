/* test_status_watch: which status changes the on_change hook and --watch
 * report (what the first listing finds is no change; an order new after it
 * is; an answer older than the last one is not believed; unknown statuses
 * by their text), and the hook's environment: the change in ACMETOP_*,
 * PATH and friends from acmetop's environment, never VAULT_* or anything
 * else. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "model/hook_env.h"
#include "model/status_watch.h"
#include "model/strv.h"
#include "model/xalloc.h"

static struct order make(const char *id, enum order_status st, const char *text, time_t upd)
{
    struct order o;
    order_init(&o);
    o.id = xstrdup(id);
    o.status = st;
    o.status_text = text ? xstrdup(text) : NULL;
    o.last_update = upd;
    return o;
}

static bool see(struct status_watch *w, const char *id, enum order_status st, const char *text,
                time_t upd, const char **old)
{
    struct order o = make(id, st, text, upd);
    bool changed = status_watch_see(w, &o, old);
    order_clear(&o);
    return changed;
}

static void test_changes(void **state)
{
    (void)state;
    struct status_watch *w = status_watch_new();
    const char *old = NULL;
    assert_false(see(w, "a", ORDER_AWAITING_CHALLENGE, NULL, 100, &old)); /* the listing */
    assert_false(see(w, "b", ORDER_COMPLETED, NULL, 100, &old));
    assert_false(see(w, "a", ORDER_AWAITING_CHALLENGE, NULL, 100, &old)); /* the same again */
    status_watch_listed(w);
    assert_true(see(w, "a", ORDER_CA_VALIDATING, NULL, 110, &old));
    assert_string_equal(old, "awaiting-challenge-fulfillment");
    assert_false(see(w, "a", ORDER_AWAITING_CHALLENGE, NULL, 105, &old)); /* older answer */
    assert_false(see(w, "a", ORDER_CA_VALIDATING, NULL, 0, &old));
    assert_true(see(w, "c", ORDER_NEW, NULL, 120, &old)); /* new since the listing */
    assert_string_equal(old, "");
    assert_true(see(w, "b", ORDER_STATUS_UNKNOWN, "paused-by-ops", 130, &old));
    assert_string_equal(old, "completed");
    assert_true(see(w, "b", ORDER_STATUS_UNKNOWN, "resumed", 131, &old));
    assert_string_equal(old, "paused-by-ops");
    status_watch_free(w);
}

static const char *get(char **env, size_t n, const char *name)
{
    size_t len = strlen(name);
    for (size_t i = 0; i < n; i++)
        if (strncmp(env[i], name, len) == 0 && env[i][len] == '=')
            return env[i] + len + 1;
    return NULL;
}

static void test_hook_env(void **state)
{
    (void)state;
    struct order o = make("3f95ab12-0000", ORDER_COMPLETED, NULL, 1);
    o.role = xstrdup("web");
    strv_push(&o.identifiers, &o.identifier_count, "www.example.com");
    strv_push(&o.identifiers, &o.identifier_count, "example.com");
    o.last_error = xstrdup("");
    o.cert_not_after = 1767225600;
    const char *base[] = {"PATH=/usr/bin:/bin", "HOME=/home/op", "VAULT_TOKEN=s.secret",
                          "VAULT_ADDR=https://v", "LC_ALL=C.UTF-8", "AWS_SECRET_ACCESS_KEY=x",
                          "ACMETOP_MOUNT=evil", "TZ=UTC", NULL};
    size_t n;
    char **env = hook_env_build(base, &o, "fetching-certificate", "pki-external-ca", "team-a", &n);
    assert_null(env[n]);
    for (size_t i = 0; i < n; i++) {
        assert_null(strstr(env[i], "s.secret"));
        assert_true(strncmp(env[i], "VAULT_", 6) != 0);
        assert_true(strncmp(env[i], "AWS_", 4) != 0);
    }
    assert_string_equal(get(env, n, "PATH"), "/usr/bin:/bin");
    assert_string_equal(get(env, n, "HOME"), "/home/op");
    assert_string_equal(get(env, n, "LC_ALL"), "C.UTF-8");
    assert_string_equal(get(env, n, "TZ"), "UTC");
    assert_string_equal(get(env, n, "ACMETOP_ORDER_ID"), "3f95ab12-0000");
    assert_string_equal(get(env, n, "ACMETOP_ROLE"), "web");
    assert_string_equal(get(env, n, "ACMETOP_IDENTIFIERS"), "www.example.com example.com");
    assert_string_equal(get(env, n, "ACMETOP_OLD_STATUS"), "fetching-certificate");
    assert_string_equal(get(env, n, "ACMETOP_STATUS"), "completed");
    assert_string_equal(get(env, n, "ACMETOP_LAST_ERROR"), "");
    assert_string_equal(get(env, n, "ACMETOP_CERT_NOT_AFTER"), "2026-01-01T00:00:00Z");
    assert_string_equal(get(env, n, "ACMETOP_MOUNT"), "pki-external-ca"); /* not the inherited */
    assert_string_equal(get(env, n, "ACMETOP_NAMESPACE"), "team-a");
    size_t mounts = 0;
    for (size_t i = 0; i < n; i++)
        mounts += strncmp(env[i], "ACMETOP_MOUNT=", 14) == 0;
    assert_int_equal(mounts, 1);
    strv_free(env, n);
    /* no PATH given: a default one */
    env = hook_env_build(NULL, &o, "", "m", NULL, &n);
    assert_string_equal(get(env, n, "PATH"), "/usr/local/bin:/usr/bin:/bin");
    strv_free(env, n);
    order_clear(&o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_changes),
        cmocka_unit_test(test_hook_env),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
