/* context_section: the [context NAME] header, names and colours (see
 * context_section.h). */
#include "net/context_section.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "model/xalloc.h"

static const char *const colors[] = {"black", "red",     "green", "yellow",
                                     "blue",  "magenta", "cyan",  "white"};

bool context_section_name_ok(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n > CONTEXT_NAME_MAX)
        return false;
    for (const char *p = name; *p; p++)
        if (!isalnum((unsigned char)*p) && !strchr("-_.", *p))
            return false;
    return true;
}

char *context_section_header(const char *line, struct parse_error *err)
{
    size_t n = strlen(line);
    if (n < 2 || line[n - 1] != ']') {
        parse_error_set(err, "malformed section header \"%.80s\": no closing ']' "
                             "(use [context NAME])", line);
        return NULL;
    }
    const char *p = line + 1, *end = line + n - 1;
    while (p < end && isspace((unsigned char)*p))
        p++;
    const char *word = p;
    while (p < end && !isspace((unsigned char)*p))
        p++;
    size_t word_len = (size_t)(p - word);
    if (word_len != 7 || strncmp(word, "context", 7) != 0) {
        parse_error_set(err, "unknown section \"%.80s\": the only section is [context NAME]",
                        line);
        return NULL;
    }
    while (p < end && isspace((unsigned char)*p))
        p++;
    const char *name = p;
    while (p < end && !isspace((unsigned char)*p))
        p++;
    size_t name_len = (size_t)(p - name);
    while (p < end && isspace((unsigned char)*p))
        p++;
    if (name_len == 0) {
        parse_error_set(err, "[context] needs a name: [context NAME]");
        return NULL;
    }
    if (p != end) {
        parse_error_set(err, "malformed section header \"%.80s\": a context name is one word "
                             "(use [context NAME])", line);
        return NULL;
    }
    char *copy = xstrndup(name, name_len);
    if (!context_section_name_ok(copy)) {
        parse_error_set(err, "\"%.80s\" is not a context name: 1 to %d letters, digits, '-', "
                             "'_' or '.'", copy, CONTEXT_NAME_MAX);
        free(copy);
        return NULL;
    }
    return copy;
}

char *context_section_color(const char *value, struct parse_error *err)
{
    for (size_t i = 0; i < sizeof colors / sizeof colors[0]; i++)
        if (strcasecmp(value, colors[i]) == 0)
            return xstrdup(colors[i]);
    parse_error_set(err, "\"%.80s\" is not a colour: use black, red, green, yellow, blue, "
                         "magenta, cyan or white", value);
    return NULL;
}

void context_section_free_list(struct vault_context *list, size_t count)
{
    for (size_t i = 0; list && i < count; i++) {
        free(list[i].name);
        free(list[i].addr);
        free(list[i].namespace_);
        free(list[i].mount);
        free(list[i].color);
    }
    free(list);
}
