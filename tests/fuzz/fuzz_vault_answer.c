/* fuzz_vault_answer: Vault's other answers, as HTTP bodies, through every
 * parser of src/model that reads one (json_body.c and json_field.c under
 * each); the same body goes to all of them:
 *   LIST lookup/orders, role/:role/active-orders, role ... -> key_list_parse_response
 *   GET .../fetch-cert, role/:role/cached                -> cert_bundle_parse_response
 *   GET lookup/cert/:serial                              -> cert_lookup_parse_response
 *   GET auth/token/lookup-self                           -> token_info_parse_response
 *   GET role/:name (+ the new-order form's role rules)    -> role_info_parse_response
 *   GET sys/health                                       -> vault_health_parse_response
 *   GET config/acme-account/:name                        -> acme_account_parse_response
 *   GET role/:role/order/:id/challenge                   -> challenge_detail_parse_response
 * Checks: no crash, leak, read past the body (not NUL-terminated) or hang;
 * on success every field meant for people is clean text for the terminal,
 * names that go into API paths are clean names, lists are within their
 * caps, the token's ttl is not negative, a challenge has its token and key
 * authorization; on failure the error says why. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "fuzz_check.h"
#include "model/acme_account.h"
#include "model/cert_bundle.h"
#include "model/cert_lookup.h"
#include "model/challenge_detail.h"
#include "model/json_field.h"
#include "model/key_list.h"
#include "model/role_info.h"
#include "model/role_rules.h"
#include "model/strv.h"
#include "model/token_info.h"
#include "model/vault_health.h"

static void check_error(int rc, const struct parse_error *err)
{
    if (rc != 0)
        FUZZ_CHECK(err->message[0] != '\0', "a parser failed without saying why");
}

static void keys(const char *body, size_t size)
{
    struct parse_error err = {.message = ""};
    char **v = NULL;
    size_t n = 0;
    int rc = key_list_parse_response(body, size, &v, &n, &err);
    check_error(rc, &err);
    if (rc == 0) {
        FUZZ_CHECK(n <= JSON_KEYS_MAX, "%zu keys", n);
        for (size_t i = 0; i < n; i++)
            FUZZ_CHECK(json_name_is_clean(v[i]), "a key that is not a clean name");
    }
    strv_free(v, n);
}

static void bundle(const char *body, size_t size)
{
    struct parse_error err = {.message = ""};
    struct cert_bundle b;
    cert_bundle_init(&b);
    int rc = cert_bundle_parse_response(body, size, &b, &err);
    check_error(rc, &err);
    if (rc == 0) {
        FUZZ_CHECK(b.certificate && b.certificate[0], "a bundle without its certificate");
        FUZZ_CHECK(b.ca_chain_count <= JSON_LIST_MAX, "%zu chain entries", b.ca_chain_count);
        FUZZ_CHECK_TEXT(b.private_key_type, "private_key_type");
        FUZZ_CHECK_TEXT(b.serial, "serial_number");
        FUZZ_CHECK_TEXT(b.authority_key_id, "authority_key_id");
        FUZZ_CHECK_TEXT(b.format, "certificate_format");
        struct cert_bundle copy;
        cert_bundle_init(&copy);
        cert_bundle_copy(&copy, &b);
        cert_bundle_free(&copy);
    } else {
        FUZZ_CHECK(!b.certificate && !b.private_key, "a failed bundle parse left its fields");
    }
    cert_bundle_free(&b);
}

static void lookup(const char *body, size_t size)
{
    struct parse_error err = {.message = ""};
    struct cert_lookup c;
    cert_lookup_init(&c);
    int rc = cert_lookup_parse_response(body, size, &c, &err);
    check_error(rc, &err);
    if (rc == 0) {
        FUZZ_CHECK(json_name_is_clean(c.order_id), "lookup/cert gave an unclean order ID");
        FUZZ_CHECK_TEXT(c.status_text, "order_status");
        FUZZ_CHECK_TEXT(c.role, "role_name");
        FUZZ_CHECK_STRV(c.identifiers, c.identifier_count, "identifier");
    }
    cert_lookup_free(&c);
}

static void token(const char *body, size_t size)
{
    struct parse_error err = {.message = ""};
    struct token_info t;
    token_info_init(&t);
    int rc = token_info_parse_response(body, size, &t, &err);
    check_error(rc, &err);
    if (rc == 0) {
        FUZZ_CHECK(t.ttl >= 0, "a negative ttl %lld", (long long)t.ttl);
        FUZZ_CHECK_TEXT(t.display_name, "display_name");
        FUZZ_CHECK(t.policy_count <= JSON_LIST_MAX, "%zu policies", t.policy_count);
        FUZZ_CHECK_STRV(t.policies, t.policy_count, "policy");
        struct token_info copy;
        token_info_init(&copy);
        token_info_copy(&copy, &t);
        token_info_free(&copy);
    }
    token_info_free(&t);
}

/* The role as the new-order form uses it: its domains judge a few names
 * (allowed domains are patterns from the server: fnmatch must not hang). */
static void role(const char *body, size_t size)
{
    struct parse_error err = {.message = ""};
    struct role_info r;
    role_info_init(&r);
    int rc = role_info_parse_response(body, size, &r, &err);
    check_error(rc, &err);
    if (rc == 0) {
        FUZZ_CHECK(!r.name || json_name_is_clean(r.name), "an unclean role name");
        FUZZ_CHECK(!r.acme_account_name || json_name_is_clean(r.acme_account_name),
                   "an unclean account name");
        FUZZ_CHECK(r.allowed_domain_count <= JSON_LIST_MAX, "%zu domains",
                   r.allowed_domain_count);
        FUZZ_CHECK_STRV(r.allowed_domains, r.allowed_domain_count, "allowed domain");
        FUZZ_CHECK_STRV(r.allowed_domain_options, r.allowed_domain_option_count,
                        "domain option");
        FUZZ_CHECK_STRV(r.allowed_challenge_types, r.allowed_challenge_type_count,
                        "challenge type");
        FUZZ_CHECK_TEXT(r.csr_generate_key_type, "csr_generate_key_type");
        FUZZ_CHECK_TEXT(r.csr_identifier_population, "csr_identifier_population");
        static const char *const names[] = {"www.example.com", "*.example.com",
                                            "a.b.c.example.org", "example.com"};
        char why[ROLE_RULES_WHY_MAX];
        for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
            enum role_rule rule = role_rules_check(&r, names[i], why, sizeof why);
            FUZZ_CHECK(rule >= ROLE_RULE_ALLOWED && rule <= ROLE_RULE_DENIED, "rule %d",
                       (int)rule);
            FUZZ_CHECK(fuzz_text_is_clean(why, false), "the refusal is not clean text: %s",
                       why);
        }
        role_rules_allows_type(&r, "dns-01");
        char *text = role_rules_domains_text(&r);
        FUZZ_CHECK_TEXT(text, "the role picker's domains");
        free(text);
    }
    role_info_free(&r);
}

static void health(const char *body, size_t size)
{
    struct parse_error err = {.message = ""};
    struct vault_health h;
    vault_health_init(&h);
    int rc = vault_health_parse_response(body, size, &h, &err);
    check_error(rc, &err);
    if (rc == 0)
        FUZZ_CHECK_TEXT(h.version, "version");
    vault_health_free(&h);
}

static void account(const char *body, size_t size)
{
    struct parse_error err = {.message = ""};
    struct acme_account a;
    acme_account_init(&a);
    int rc = acme_account_parse_response(body, size, &a, &err);
    check_error(rc, &err);
    if (rc == 0) {
        FUZZ_CHECK(!a.name || json_name_is_clean(a.name), "an unclean account name");
        FUZZ_CHECK_TEXT(a.directory_url, "directory_url");
        FUZZ_CHECK(a.email_contact_count <= JSON_LIST_MAX, "%zu contacts",
                   a.email_contact_count);
        FUZZ_CHECK_STRV(a.email_contacts, a.email_contact_count, "email contact");
        FUZZ_CHECK(a.active_key_version >= 0 && a.active_key_version <= INT32_MAX,
                   "key version %lld", (long long)a.active_key_version);
    }
    acme_account_free(&a);
}

static void challenge(const char *body, size_t size)
{
    struct parse_error err = {.message = ""};
    struct challenge_detail c;
    challenge_detail_init(&c);
    int rc = challenge_detail_parse_response(body, size, &c, &err);
    check_error(rc, &err);
    if (rc == 0) {
        FUZZ_CHECK(c.token && c.token[0], "a challenge without its token");
        FUZZ_CHECK(c.key_authorization && c.key_authorization[0],
                   "a challenge without its key authorization");
        FUZZ_CHECK_TEXT(c.token, "challenge_token");
        FUZZ_CHECK_TEXT(c.key_authorization, "challenge_auth");
        FUZZ_CHECK_TEXT(c.status, "challenge_status");
        struct challenge_detail copy;
        challenge_detail_init(&copy);
        challenge_detail_copy(&copy, &c);
        challenge_detail_free(&copy);
    }
    challenge_detail_free(&c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *body = fuzz_bytes(data, size);
    keys(body, size);
    bundle(body, size);
    lookup(body, size);
    token(body, size);
    role(body, size);
    health(body, size);
    account(body, size);
    challenge(body, size);
    free(body);
    return 0;
}
