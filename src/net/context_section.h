/* context_section: the [context NAME] sections of acmetop's config file:
 * the header line's syntax, the names, the header colours, and freeing the
 * list of contexts (struct vault_context, net/vault_config.h).  Reading the
 * file and what the keys of a section do is net/vault_config.c's. */
#ifndef ACMETOP_NET_CONTEXT_SECTION_H
#define ACMETOP_NET_CONTEXT_SECTION_H

#include <stdbool.h>
#include <stddef.h>

#include "model/parse_error.h"
#include "net/vault_config.h"

#define CONTEXT_NAME_MAX 64

/* A context name: 1 to CONTEXT_NAME_MAX letters, digits, '-', '_', '.'. */
bool context_section_name_ok(const char *name);

/* The name of the header line ("[context prod]", trimmed, comment cut),
 * fresh; or NULL with err set: another section, no name, more than one
 * word, a bad name, no closing ']'. */
char *context_section_header(const char *line, struct parse_error *err);

/* A colour name (black, red, green, yellow, blue, magenta, cyan, white;
 * any case) in lower case, fresh; or NULL with err set naming them all. */
char *context_section_color(const char *value, struct parse_error *err);

/* Free the list and every entry's strings. */
void context_section_free_list(struct vault_context *list, size_t count);

#endif
