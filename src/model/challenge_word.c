/* challenge_word: shared challenge types and statuses (see challenge_word.h). */
#include "model/challenge_word.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model/xalloc.h"

static char words[][12] = {"http-01", "dns-01", "tls-alpn-01", "pending",
                           "processing", "valid", "invalid"};
#define WORD_COUNT (sizeof words / sizeof words[0])

/* Compared as addresses: words[0] + sizeof words would point past the first
 * word's own array (undefined), and p may point anywhere. */
bool challenge_word_is_shared(const char *p)
{
    uintptr_t a = (uintptr_t)p, first = (uintptr_t)words;
    return a >= first && a < first + sizeof words;
}

void challenge_word_share(char **text)
{
    if (!*text || challenge_word_is_shared(*text))
        return;
    for (size_t i = 0; i < WORD_COUNT; i++)
        if (strcmp(*text, words[i]) == 0) {
            free(*text);
            *text = words[i];
            return;
        }
}

void challenge_word_free(char *p)
{
    if (!challenge_word_is_shared(p))
        free(p);
}

char *challenge_word_copy(const char *p)
{
    return challenge_word_is_shared(p) ? (char *)p : xstrdup(p);
}
