/* dns_test_flow: `T` in the DNS providers view: Vault's own test of a
 * provider (POST dns/test/workflow): type an identifier the provider covers
 * (a name under its first glob is offered), choose whether Vault removes
 * the test record afterwards or leaves it (omit_cleanup), see what will be
 * sent, send it once; the answer (success, message, record name, errors)
 * shows in the form. When the record was left in place, the dns-01
 * pre-flight (CMD_PREFLIGHT) then asks the authoritative servers for it and
 * the form says whether they serve it, and what. */
#ifndef ACMETOP_UI_DNS_TEST_FLOW_H
#define ACMETOP_UI_DNS_TEST_FLOW_H

#include "model/dns_provider.h"
#include "ui/console_state.h"

extern const struct dialog_ops dns_test_flow_ops;

/* p: the provider (its type, name and globs are copied). */
void dns_test_flow_begin(struct console_state *c, const struct dns_provider *p);

#endif
