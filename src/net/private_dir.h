/* private_dir: `mkdir -p` for directories only their owner may enter: every
 * directory it creates gets mode 0700 exactly, whatever the umask (the
 * certificate directory, the cache directory). Existing directories are
 * left as they are. */
#ifndef ACMETOP_NET_PRIVATE_DIR_H
#define ACMETOP_NET_PRIVATE_DIR_H

#include <stddef.h>

/* Create dir and its missing parents. 0, or -1 with *err_no set and why
 * ("cannot create the directory /x/y (Permission denied)"). */
int private_dir_create(const char *dir, int *err_no, char *why, size_t size);

#endif
