/* settings_doc: the settings table as text for people: the settings part of
 * `acmetop --help`, the settings part of the manual's OPTIONS (doc/acmetop.1
 * holds it verbatim; test_settings_table checks that and prints it anew
 * with --man) and README's settings table (--markdown).  Each entry gives
 * the flag, the help line, the config-file key, the environment variable,
 * the limits and the default, all from the row. */
#ifndef ACMETOP_NET_SETTINGS_DOC_H
#define ACMETOP_NET_SETTINGS_DOC_H

#include <stdio.h>

/* One --help entry: "  USAGE" and text from column 29, wrapped at 79
 * columns; a '\n' in text starts a new line. */
void settings_doc_option(FILE *out, const char *usage, const char *text);

/* Every setting, under a heading per scope, as --help shows them. */
void settings_doc_help(FILE *out);

/* The same as roff: ".SS" per scope, ".TP" per setting. */
void settings_doc_man(FILE *out);

/* The same as a Markdown table. */
void settings_doc_markdown(FILE *out);

#endif
