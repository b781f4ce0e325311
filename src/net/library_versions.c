/* library_versions: run-time versions of libcurl, OpenSSL, cJSON and ldns
 * (see library_versions.h). */
#include "net/library_versions.h"

#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <ldns/ldns.h>
#include <openssl/crypto.h>

void library_versions_print(FILE *out)
{
    const curl_version_info_data *curl = curl_version_info(CURLVERSION_NOW);
    fprintf(out, "libcurl %s (%s)\n", curl->version, curl->ssl_version ? curl->ssl_version : "no TLS");
    fprintf(out, "%s\n", OpenSSL_version(OPENSSL_VERSION));
    fprintf(out, "cJSON %s\n", cJSON_Version());
    fprintf(out, "ldns %s\n", ldns_version());
}
