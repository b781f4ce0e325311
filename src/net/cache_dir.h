/* cache_dir: the directory acmetop keeps its caches in, and its files
 * handled as files that other users or a careless copy could have put
 * there. The directory is $XDG_CACHE_HOME/acmetop (else
 * $HOME/.cache/acmetop), created with its missing parents 0700 whatever the
 * umask, and refused unless it is ours (tightened to 0700 if looser). A file
 * is read only if it is a regular file of ours, not a symbolic link, not
 * writable by group or others, and not too large. A file is replaced
 * atomically: a new temporary file beside it (O_CREAT|O_EXCL, 0600), synced,
 * renamed over it, the directory synced. A stamp (device, inode, size,
 * mtime) tells whether a file is still the one we last wrote or read.
 *
 * Failures are one sentence for a warning, about the directory by name
 * ("cannot create the directory /x/y (...)") or about the file as "it"
 * ("it is a symbolic link"). Used by the order cache (net/order_cache.c). */
#ifndef ACMETOP_NET_CACHE_DIR_H
#define ACMETOP_NET_CACHE_DIR_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>
#include <time.h>

/* $XDG_CACHE_HOME/acmetop, else $HOME/.cache/acmetop (absolute paths only,
 * as the XDG base directory specification asks), newly allocated; NULL when
 * neither names one. envp: NULL for the process environment, else a
 * NULL-terminated "NAME=value" array (tests). */
char *cache_dir_default(const char *const *envp);

/* The directory dir (not "/"), created if missing (mkdir -p, 0700), checked
 * to be ours and made 0700: an open descriptor, or -1 with why (size bytes). */
int cache_dir_open(const char *dir, char *why, size_t size);

/* Open the file name of the directory dirfd for reading if it is safe to
 * read: a regular file of ours, not writable by group or others, at most
 * max bytes. 1 with *fd and *st; 0 when there is none; -1 with why. */
int cache_dir_file_open(int dirfd, const char *name, long long max, int *fd, struct stat *st,
                        char *why, size_t size);

/* What tells a file from its replacement: all zero = no file known. */
struct cache_dir_stamp {
    bool set;
    dev_t dev;
    ino_t ino;
    off_t size;
    struct timespec mtime;
};

struct cache_dir_stamp cache_dir_stamp_of(const struct stat *st);

/* Is the file of st still the one of the stamp (set)? */
bool cache_dir_stamp_matches(const struct cache_dir_stamp *stamp, const struct stat *st);

/* A file being replaced: write the new content to fd, then commit or
 * abandon. */
struct cache_dir_replace {
    int dirfd;
    const char *name; /* the file replaced (at most 200 bytes) */
    char tmp[256];    /* the temporary file's name */
    int fd;           /* the temporary file, open for reading and writing */
};

/* Start replacing the file name of the directory dirfd: a new temporary file
 * beside it, 0600 whatever the umask. 0, or -1 with why. */
int cache_dir_replace_begin(struct cache_dir_replace *rp, int dirfd, const char *name, char *why,
                            size_t size);

/* Sync the temporary file, close it, rename it over the file, sync the
 * directory. 0 with *stamp (the new file's), or -1 with why (the temporary
 * file removed). */
int cache_dir_replace_commit(struct cache_dir_replace *rp, struct cache_dir_stamp *stamp,
                             char *why, size_t size);

/* Close and remove the temporary file; the file stays as it was. */
void cache_dir_replace_abandon(struct cache_dir_replace *rp);

#endif
