/* setting_value: one value of one setting (a row of net/settings_table.c):
 * checked against the row's type and limits, normalised, and stored in the
 * field the row names; and the field freed again.  The same checks and the
 * same sentences whatever the value came from (flag, variable, config file,
 * the row's own default); the caller puts the origin in front. */
#ifndef ACMETOP_NET_SETTING_VALUE_H
#define ACMETOP_NET_SETTING_VALUE_H

#include <stddef.h>

#include "model/parse_error.h"
#include "net/setting.h"

/* Store value into the field of s in base (the struct of s->scope).
 * pos, for the repeatable types: where the current source's next entry
 * goes.  Start each source at 0: its first value then replaces
 * (SETTING_NAMES) or goes before (SETTING_RESOLVE) what weaker sources
 * gave; pass the same counter for the source's next values.  NULL: append.
 * Returns 0, or -1 with err set to a sentence without the origin
 * ("\"0\" is not a number from 1 to 64") and the field unchanged. */
int setting_value_apply(const struct setting *s, void *base, const char *value, size_t *pos,
                        struct parse_error *err);

/* Free what the field holds and reset it (NULL, 0 entries).  Fields of
 * plain values (bool, int, durations) are left alone. */
void setting_value_clear(const struct setting *s, void *base);

#endif
