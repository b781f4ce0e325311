/* context_info: what the console knows of the Vault it is looking at: the
 * context's name, colour and read-only lock, its address, the places
 * (namespace, mount) whose orders it lists (an order's `place` indexes
 * them), the refresh period the idle budget allows, and every context of
 * the config file for `:ctx`. Sent by the engine in UPD_CONTEXT at start
 * and after every switch; plain data. */
#ifndef ACMETOP_CONTEXT_INFO_H
#define ACMETOP_CONTEXT_INFO_H

#include <stdbool.h>
#include <stddef.h>

struct context_place {
    char *namespace_; /* "" = root */
    char *mount;
    bool denied;      /* the token may not list its orders */
};

struct context_row {  /* one [context NAME] of the config file */
    char *name;
    char *addr;       /* what the section says; "" when it says nothing */
    char *namespace_;
    char *mount;
    char *color;
    bool readonly;
};

struct context_info {
    char *name;       /* "" when no context is in use */
    char *color;      /* header colour name, "" = the theme's */
    char *addr;
    bool readonly;
    struct context_place *places; /* place_count >= 1 */
    size_t place_count;
    size_t home;      /* the place of what has no order (roles, accounts, DNS
                         providers, new orders): the first one watched */
    bool fan_out;     /* namespace = * or several mounts: NAMESPACE/MOUNT columns */
    double period_s;  /* how often each place is listed when idle */
    struct context_row *rows;
    size_t row_count;
    unsigned generation; /* grows with every switch */
};

/* Deep copy (dst overwritten). */
void context_info_copy(struct context_info *dst, const struct context_info *src);
void context_info_free(struct context_info *c);

/* "ns07/pki-b", "pki-b" (root), or "" for an unknown place. */
void context_place_label(const struct context_info *c, unsigned place, char *buf, size_t size);

#endif
