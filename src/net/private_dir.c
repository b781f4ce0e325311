/* private_dir: mkdir -p with mode 0700 (see private_dir.h). */
#include "net/private_dir.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "model/xalloc.h"

int private_dir_create(const char *dir, int *err_no, char *why, size_t size)
{
    char *path = xstrdup(dir);
    int rc = 0;
    for (size_t i = 1; rc == 0; i++) {
        if (path[i] != '/' && path[i] != '\0')
            continue;
        char saved = path[i];
        path[i] = '\0';
        if (mkdir(path, 0700) == 0) {
            /* the umask can only narrow 0700; make it exact anyway */
            if (chmod(path, 0700) != 0) {
                *err_no = errno;
                snprintf(why, size, "cannot set mode 0700 on the directory %s (%s)", path,
                         strerror(errno));
                rc = -1;
            }
        } else if (errno != EEXIST) {
            *err_no = errno;
            snprintf(why, size, "cannot create the directory %s (%s)", path, strerror(errno));
            rc = -1;
        }
        path[i] = saved;
        if (saved == '\0')
            break;
    }
    free(path);
    return rc;
}
