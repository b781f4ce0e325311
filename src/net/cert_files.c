/* cert_files: writing certificate, chain and key files safely (see
 * cert_files.h). */
#include "net/cert_files.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "model/xalloc.h"
#include "net/private_dir.h"

char *cert_files_safe_name(const char *name)
{
    if (!name || !*name)
        return xstrdup("certificate");
    size_t cap = strlen(name) * 10 + 1;
    char *out = xmalloc(cap);
    size_t k = 0;
    for (const char *p = name; *p && k < CERT_FILES_NAME_MAX; p++) {
        char c = *p;
        if (c == '*') {
            size_t room = CERT_FILES_NAME_MAX - k;
            size_t n = room < 10 ? room : 10;
            memcpy(out + k, "_wildcard_", n);
            k += n;
        } else if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                   c == '.' || c == '-' || c == '_') {
            out[k++] = c;
        } else {
            out[k++] = '_';
        }
    }
    out[k] = '\0';
    if (out[0] == '.')
        out[0] = '_';
    return out;
}

static bool is_set(const char *s)
{
    return s && *s;
}

static bool exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

int cert_files_plan(const char *dir, const char *first_identifier, const char *order_id,
                    const struct cert_bundle *b, struct cert_files_paths *out,
                    struct deploy_error *err)
{
    deploy_error_clear(err);
    memset(out, 0, sizeof *out);
    if (!is_set(dir)) {
        deploy_error_set(err, 0, "no directory to save the certificate in: set cert_dir");
        return -1;
    }
    char *base = cert_files_safe_name(is_set(first_identifier) ? first_identifier : order_id);
    size_t dl = strlen(dir);
    const char *sep = dir[dl - 1] == '/' ? "" : "/";
    int n1 = snprintf(out->cert, sizeof out->cert, "%s%s%s.crt", dir, sep, base);
    int n2 = 0, n3 = 0;
    if (b && b->ca_chain_count)
        n2 = snprintf(out->chain, sizeof out->chain, "%s%s%s.chain.pem", dir, sep, base);
    if (b && is_set(b->private_key))
        n3 = snprintf(out->key, sizeof out->key, "%s%s%s.key", dir, sep, base);
    free(base);
    if (n1 < 0 || n2 < 0 || n3 < 0 || (size_t)n1 >= sizeof out->cert ||
        (size_t)n2 >= sizeof out->chain || (size_t)n3 >= sizeof out->key) {
        deploy_error_set(err, ENAMETOOLONG, "the certificate directory path is too long: %.200s",
                         dir);
        memset(out, 0, sizeof *out);
        return -1;
    }
    out->cert_exists = exists(out->cert);
    out->chain_exists = out->chain[0] && exists(out->chain);
    out->key_exists = out->key[0] && exists(out->key);
    return 0;
}

/* mkdir -p with mode 0700 for every directory it creates. */
static int make_dirs(const char *dir, struct deploy_error *err)
{
    int err_no = 0, rc = 0;
    char why[sizeof err->message];
    if (private_dir_create(dir, &err_no, why, sizeof why) != 0) {
        deploy_error_set(err, err_no, "%s", why);
        rc = -1;
    }
    struct stat st;
    if (rc == 0 && (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))) {
        deploy_error_set(err, ENOTDIR, "%s is not a directory", dir);
        rc = -1;
    }
    return rc;
}

static int write_all(int fd, const char *data, size_t len)
{
    while (len) {
        ssize_t w = write(fd, data, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        data += w;
        len -= (size_t)w;
    }
    return 0;
}

static void fsync_dir(const char *final_path)
{
    char *dir = xstrdup(final_path);
    char *slash = strrchr(dir, '/');
    if (slash == dir)
        slash[1] = '\0';
    else if (slash)
        *slash = '\0';
    else
        snprintf(dir, strlen(dir) + 1, ".");
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
    free(dir);
}

/* Write parts[0..n) to final_path with mode, via a temp file in the same
 * directory.  *created: the file did not exist before (for rollback). */
static int write_file(const char *final_path, const char *const *parts, size_t n, mode_t mode,
                      bool overwrite, bool *created, struct deploy_error *err)
{
    *created = false;
    size_t tl = strlen(final_path) + 32;
    char *tmp = xmalloc(tl);
    char *slash = strrchr(final_path, '/');
    int dirlen = slash ? (int)(slash - final_path + 1) : 0;
    int fd = -1;
    for (int attempt = 0; attempt < 100 && fd < 0; attempt++) {
        unsigned char rnd[6];
        if (RAND_bytes(rnd, sizeof rnd) != 1)
            memset(rnd, attempt, sizeof rnd);
        snprintf(tmp, tl, "%.*s.acmetop-tmp-%02x%02x%02x%02x%02x%02x", dirlen, final_path, rnd[0],
                 rnd[1], rnd[2], rnd[3], rnd[4], rnd[5]);
        /* 0600 from the first instant, whatever the umask (it can only narrow) */
        fd = open(tmp, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0600);
        if (fd < 0 && errno != EEXIST)
            break;
    }
    if (fd < 0) {
        deploy_error_set(err, errno, "cannot create a file next to %s: %s", final_path,
                         strerror(errno));
        free(tmp);
        return -1;
    }
    int rc = 0;
    if (fchmod(fd, mode) != 0) {
        deploy_error_set(err, errno, "cannot set the mode of %s: %s", tmp, strerror(errno));
        rc = -1;
    }
    for (size_t i = 0; rc == 0 && i < n; i++) {
        if (write_all(fd, parts[i], strlen(parts[i])) != 0) {
            deploy_error_set(err, errno, "cannot write %s: %s", final_path, strerror(errno));
            rc = -1;
        }
    }
    if (rc == 0 && fsync(fd) != 0) {
        deploy_error_set(err, errno, "cannot write %s to disk: %s", final_path, strerror(errno));
        rc = -1;
    }
    if (close(fd) != 0 && rc == 0) {
        deploy_error_set(err, errno, "cannot write %s: %s", final_path, strerror(errno));
        rc = -1;
    }
    if (rc == 0) {
        bool existed = exists(final_path);
        if (overwrite) {
            if (rename(tmp, final_path) != 0) {
                deploy_error_set(err, errno, "cannot move the new file into %s: %s", final_path,
                                 strerror(errno));
                rc = -1;
            }
        } else if (link(tmp, final_path) != 0) {
            int e = errno;
            if (e == EEXIST) {
                deploy_error_set(err, e, "%s exists already: move it away, or save again "
                                 "with overwrite", final_path);
                rc = -1;
            } else if ((e == EPERM || e == ENOTSUP || e == EOPNOTSUPP) && !exists(final_path)) {
                /* a file system without hard links: the check above is the best we can do */
                if (rename(tmp, final_path) != 0) {
                    deploy_error_set(err, errno, "cannot move the new file into %s: %s",
                                     final_path, strerror(errno));
                    rc = -1;
                }
            } else {
                deploy_error_set(err, e, "cannot create %s: %s", final_path, strerror(e));
                rc = -1;
            }
        }
        if (rc == 0) {
            *created = !existed;
            fsync_dir(final_path);
        }
    }
    unlink(tmp); /* after link(): the temp name; after rename(): already gone */
    free(tmp);
    return rc;
}

static void wipe_key(struct cert_bundle *b)
{
    if (b && b->private_key) {
        OPENSSL_cleanse(b->private_key, strlen(b->private_key));
        free(b->private_key);
        b->private_key = NULL;
    }
}

int cert_files_save(const char *dir, const char *first_identifier, const char *order_id,
                    struct cert_bundle *b, bool overwrite, struct cert_files_paths *out,
                    struct deploy_error *err)
{
    deploy_error_clear(err);
    struct cert_files_paths plan;
    memset(out, 0, sizeof *out);
    if (!b || !is_set(b->certificate)) {
        deploy_error_set(err, 0, "no certificate to save: fetch it first");
        wipe_key(b);
        return -1;
    }
    if (!strstr(b->certificate, "-----BEGIN CERTIFICATE-----")) {
        deploy_error_set(err, 0, "the certificate is not PEM: fetch it with certificate_format "
                         "pem to save it");
        wipe_key(b);
        return -1;
    }
    if (cert_files_plan(dir, first_identifier, order_id, b, &plan, err) != 0) {
        wipe_key(b);
        return -1;
    }
    if (!overwrite) {
        const char *taken = plan.cert_exists ? plan.cert
                            : plan.chain_exists ? plan.chain
                            : plan.key_exists   ? plan.key
                                                : NULL;
        if (taken) {
            deploy_error_set(err, EEXIST, "%s exists already: move it away, or save again with "
                             "overwrite", taken);
            wipe_key(b);
            return -1;
        }
    }
    if (make_dirs(dir, err) != 0) {
        wipe_key(b);
        return -1;
    }

    const char *written[3] = {NULL, NULL, NULL};
    size_t nw = 0;
    bool created = false;
    const char *nl = "\n";
    size_t cl = strlen(b->certificate);
    const char *cert_parts[2] = {b->certificate, cl && b->certificate[cl - 1] != '\n' ? nl : ""};
    int rc = write_file(plan.cert, cert_parts, 2, 0644, overwrite, &created, err);
    if (rc == 0 && created)
        written[nw++] = plan.cert;
    if (rc == 0 && plan.chain[0]) {
        size_t n = b->ca_chain_count * 2;
        const char **parts = xcalloc(n, sizeof *parts);
        for (size_t i = 0; i < b->ca_chain_count; i++) {
            const char *pem = b->ca_chain[i] ? b->ca_chain[i] : "";
            size_t pl = strlen(pem);
            parts[2 * i] = pem;
            parts[2 * i + 1] = pl && pem[pl - 1] != '\n' ? nl : "";
        }
        rc = write_file(plan.chain, parts, n, 0644, overwrite, &created, err);
        free(parts);
        if (rc == 0 && created)
            written[nw++] = plan.chain;
    }
    if (rc == 0 && plan.key[0]) {
        size_t kl = strlen(b->private_key);
        const char *key_parts[2] = {b->private_key, kl && b->private_key[kl - 1] != '\n' ? nl : ""};
        rc = write_file(plan.key, key_parts, 2, 0600, overwrite, &created, err);
        if (rc == 0 && created)
            written[nw++] = plan.key;
    }
    wipe_key(b);
    if (rc != 0) {
        for (size_t i = 0; i < nw; i++)
            unlink(written[i]);
        return -1;
    }
    *out = plan;
    out->cert_exists = true;
    out->chain_exists = plan.chain[0] != '\0';
    out->key_exists = plan.key[0] != '\0';
    return 0;
}
