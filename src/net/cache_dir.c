/* cache_dir: the cache directory, its files opened safely and replaced
 * atomically (see cache_dir.h). */
#include "net/cache_dir.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/rand.h>

#include "model/xalloc.h"
#include "net/env_lookup.h"
#include "net/private_dir.h"

char *cache_dir_default(const char *const *envp)
{
    const char *xdg = env_lookup(envp, "XDG_CACHE_HOME");
    const char *home = env_lookup(envp, "HOME");
    char buf[4096];
    if (xdg && xdg[0] == '/')
        snprintf(buf, sizeof buf, "%s/acmetop", xdg);
    else if (home && home[0] == '/')
        snprintf(buf, sizeof buf, "%s/.cache/acmetop", home);
    else
        return NULL;
    return xstrdup(buf);
}

int cache_dir_open(const char *dir, char *why, size_t size)
{
    if (strcmp(dir, "/") == 0) { /* never make the root private */
        snprintf(why, size, "/ cannot be the cache directory");
        return -1;
    }
    int err_no;
    if (private_dir_create(dir, &err_no, why, size) != 0)
        return -1;
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(why, size, "cannot open the directory %s (%s)", dir, strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        snprintf(why, size, "cannot inspect the directory %s (%s)", dir, strerror(errno));
    } else if (st.st_uid != geteuid()) {
        snprintf(why, size, "the directory %s belongs to user ID %u, not to you (%u)", dir,
                 (unsigned)st.st_uid, (unsigned)geteuid());
    } else if ((st.st_mode & 07777) != 0700 && fchmod(fd, 0700) != 0) {
        snprintf(why, size, "cannot make the directory %s private (mode 0700): %s", dir,
                 strerror(errno));
    } else {
        return fd;
    }
    close(fd);
    return -1;
}

int cache_dir_file_open(int dirfd, const char *name, long long max, int *fd, struct stat *st,
                        char *why, size_t size)
{
    *fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (*fd < 0) {
        if (errno == ENOENT)
            return 0;
        if (errno == ELOOP)
            snprintf(why, size, "it is a symbolic link");
        else
            snprintf(why, size, "it cannot be opened (%s)", strerror(errno));
        return -1;
    }
    if (fstat(*fd, st) != 0)
        snprintf(why, size, "it cannot be inspected (%s)", strerror(errno));
    else if (!S_ISREG(st->st_mode))
        snprintf(why, size, "it is not a regular file");
    else if (st->st_uid != geteuid())
        snprintf(why, size, "it belongs to user ID %u, not to you (%u)", (unsigned)st->st_uid,
                 (unsigned)geteuid());
    else if (st->st_mode & 022)
        snprintf(why, size, "it is writable by group or others (mode %04o)",
                 (unsigned)(st->st_mode & 07777));
    else if (st->st_size > max)
        snprintf(why, size, "it is larger than %lld MiB", max >> 20);
    else
        return 1;
    close(*fd);
    *fd = -1;
    return -1;
}

struct cache_dir_stamp cache_dir_stamp_of(const struct stat *st)
{
    return (struct cache_dir_stamp){true, st->st_dev, st->st_ino, st->st_size, st->st_mtim};
}

bool cache_dir_stamp_matches(const struct cache_dir_stamp *stamp, const struct stat *st)
{
    return stamp->set && st->st_dev == stamp->dev && st->st_ino == stamp->ino &&
           st->st_size == stamp->size && st->st_mtim.tv_sec == stamp->mtime.tv_sec &&
           st->st_mtim.tv_nsec == stamp->mtime.tv_nsec;
}

int cache_dir_replace_begin(struct cache_dir_replace *rp, int dirfd, const char *name, char *why,
                            size_t size)
{
    *rp = (struct cache_dir_replace){.dirfd = dirfd, .name = name, .fd = -1};
    for (int attempt = 0; attempt < 100 && rp->fd < 0; attempt++) {
        unsigned char rnd[6];
        if (RAND_bytes(rnd, sizeof rnd) != 1) {
            unsigned v = (unsigned)getpid() * 2654435761u + (unsigned)attempt * 40503u +
                         (unsigned)time(NULL);
            memcpy(rnd, &v, sizeof v);
            rnd[4] = (unsigned char)attempt;
            rnd[5] = 0;
        }
        snprintf(rp->tmp, sizeof rp->tmp, "%s.tmp-%02x%02x%02x%02x%02x%02x", name, rnd[0],
                 rnd[1], rnd[2], rnd[3], rnd[4], rnd[5]);
        rp->fd = openat(dirfd, rp->tmp, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (rp->fd < 0 && errno != EEXIST)
            break;
    }
    if (rp->fd >= 0 && fchmod(rp->fd, 0600) != 0) {
        int err = errno;
        cache_dir_replace_abandon(rp);
        errno = err;
    }
    if (rp->fd >= 0)
        return 0;
    snprintf(why, size, "cannot create a temporary file beside it (%s)", strerror(errno));
    return -1;
}

int cache_dir_replace_commit(struct cache_dir_replace *rp, struct cache_dir_stamp *stamp,
                             char *why, size_t size)
{
    const char *what = NULL;
    int err = 0;
    struct stat st;
    if (fsync(rp->fd) != 0)
        what = "cannot write it to disk";
    else if (fstat(rp->fd, &st) != 0)
        what = "cannot write it";
    if (what)
        err = errno;
    if (close(rp->fd) != 0 && !what) {
        err = errno;
        what = "cannot write it";
    }
    rp->fd = -1;
    if (!what && renameat(rp->dirfd, rp->tmp, rp->dirfd, rp->name) != 0) {
        err = errno;
        what = "cannot put the new file in place";
    }
    if (what) {
        unlinkat(rp->dirfd, rp->tmp, 0);
        snprintf(why, size, "%s (%s)", what, strerror(err ? err : EIO));
        return -1;
    }
    fsync(rp->dirfd);
    *stamp = cache_dir_stamp_of(&st);
    return 0;
}

void cache_dir_replace_abandon(struct cache_dir_replace *rp)
{
    if (rp->fd >= 0)
        close(rp->fd);
    rp->fd = -1;
    unlinkat(rp->dirfd, rp->tmp, 0);
}
