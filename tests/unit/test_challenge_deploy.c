/* test_challenge_deploy: the commands D copies (model/challenge_deploy.c).
 * The http-01 one is run by /bin/sh in a scratch directory: the file it
 * writes must hold exactly the key authorization. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/challenge_deploy.h"
#include "model/challenge_value.h"

#define TOKEN "evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA"
#define KEYAUTH TOKEN ".9jg46WB3rR_AHD-EBXdN7cBkH1WOu0tA3M9fm21mqTI"

static void test_http01_writes_the_file_with_exactly_the_key_authorization(void **state)
{
    (void)state;
    char *cmd = challenge_deploy_command("http-01", "www.example.com", TOKEN, KEYAUTH, NULL);
    assert_non_null(cmd);
    assert_non_null(strstr(cmd, "mkdir -p .well-known/acme-challenge\n"));
    char dir[] = "/tmp/acmetop-deploy-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char script[4096];
    snprintf(script, sizeof script, "cd '%s' && %s", dir, cmd);
    FILE *sh = popen("/bin/sh", "w");
    assert_non_null(sh);
    fputs(script, sh);
    assert_int_equal(pclose(sh), 0);
    char path[512], got[512] = "";
    snprintf(path, sizeof path, "%s/.well-known/acme-challenge/%s", dir, TOKEN);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    size_t n = fread(got, 1, sizeof got - 1, f);
    fclose(f);
    got[n] = '\0';
    assert_string_equal(got, KEYAUTH); /* no newline */
    unlink(path);
    snprintf(path, sizeof path, "%s/.well-known/acme-challenge", dir);
    rmdir(path);
    snprintf(path, sizeof path, "%s/.well-known", dir);
    rmdir(path);
    rmdir(dir);
    free(cmd);
}

static void test_dns01_nsupdate_or_the_demos_curl(void **state)
{
    (void)state;
    char value[CHALLENGE_DNS01_VALUE_BUF];
    assert_int_equal(challenge_dns01_txt_value(KEYAUTH, value, sizeof value), 0);
    char want[256];
    snprintf(want, sizeof want,
             "update add _acme-challenge.example.com. 60 IN TXT \"%s\"\nsend\nEOF\n", value);
    char *cmd = challenge_deploy_command("dns-01", "*.example.com", TOKEN, KEYAUTH, NULL);
    assert_non_null(cmd);
    assert_true(strncmp(cmd, "nsupdate <<'EOF'\n", 17) == 0);
    assert_non_null(strstr(cmd, want)); /* a wildcard's record is on the base name */
    free(cmd);
    cmd = challenge_deploy_command("dns-01", "www.example.com", TOKEN, KEYAUTH,
                                   "http://127.0.0.1:8055");
    snprintf(want, sizeof want,
             "curl -d '{\"host\":\"_acme-challenge.www.example.com.\",\"value\":\"%s\"}' "
             "'http://127.0.0.1:8055/set-txt'\n",
             value);
    assert_string_equal(cmd, want);
    free(cmd);
}

static void test_nothing_for_other_types_or_unsafe_values(void **state)
{
    (void)state;
    assert_null(challenge_deploy_command("tls-alpn-01", "www.example.com", TOKEN, KEYAUTH, NULL));
    assert_null(challenge_deploy_command(NULL, "www.example.com", TOKEN, KEYAUTH, NULL));
    /* a hostile server's value never becomes shell */
    assert_null(challenge_deploy_command("http-01", "www.example.com", "a';rm -rf ~;'", KEYAUTH,
                                         NULL));
    assert_null(challenge_deploy_command("http-01", "www.example.com", TOKEN, "x\ny", NULL));
    assert_null(challenge_deploy_command("dns-01", "a\"b.example.com", TOKEN, KEYAUTH, NULL));
    /* an odd demo URL is ignored: nsupdate instead */
    char *cmd = challenge_deploy_command("dns-01", "www.example.com", TOKEN, KEYAUTH, "http://x'y");
    assert_true(strncmp(cmd, "nsupdate", 8) == 0);
    free(cmd);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_http01_writes_the_file_with_exactly_the_key_authorization),
        cmocka_unit_test(test_dns01_nsupdate_or_the_demos_curl),
        cmocka_unit_test(test_nothing_for_other_types_or_unsafe_values),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
