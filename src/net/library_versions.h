/* library_versions: the versions of the libraries the engine is linked
 * with, as they report themselves at run time (for --version). */
#ifndef ACMETOP_NET_LIBRARY_VERSIONS_H
#define ACMETOP_NET_LIBRARY_VERSIONS_H

#include <stdio.h>

/* One line per library: "libcurl 7.88.1 (OpenSSL/3.0.x)", "OpenSSL ...",
 * "cJSON 1.7.15", "ldns 1.8.3". */
void library_versions_print(FILE *out);

#endif
