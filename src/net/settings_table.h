/* settings_table: every setting of acmetop, one row each (see net/setting.h
 * for the columns), and the lookups the readers of settings need.  Adding
 * a setting is adding one row here and the field it fills; the config
 * file, the environment, the flags, --help, the error messages and the
 * manual's list all follow from the row. */
#ifndef ACMETOP_NET_SETTINGS_TABLE_H
#define ACMETOP_NET_SETTINGS_TABLE_H

#include <stddef.h>

#include "net/setting.h"

/* The rows, in the order --help lists them; *count rows. */
const struct setting *settings_table(size_t *count);

/* The row with this config-file key / this flag (without "--"), or NULL. */
const struct setting *settings_table_find_key(const char *key);
const struct setting *settings_table_find_flag(const char *flag);

/* Set every field of the scope's rows in base to the row's default (rows
 * without one are left alone).  A default the row's own type refuses is a
 * broken table: the program aborts with a message. */
void settings_table_defaults(enum setting_scope scope, void *base);

/* Free the fields of the scope's rows in base (setting_value_clear()). */
void settings_table_clear(enum setting_scope scope, void *base);

#endif
