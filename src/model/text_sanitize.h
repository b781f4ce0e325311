/* text_sanitize: make untrusted server text safe to draw on a terminal.
 * Control characters (C0, DEL, C1 including ESC/CSI), invalid UTF-8 and
 * invisible format characters (bidi overrides and isolates, zero-width
 * characters, U+FEFF) are replaced by '?', other valid UTF-8 is kept. Parsers apply it to every field that
 * is meant to be read by a person (status, role, identifiers, last_error,
 * error messages...), never to PEM/DER material. */
#ifndef ACMETOP_TEXT_SANITIZE_H
#define ACMETOP_TEXT_SANITIZE_H

#include <stdbool.h>

/* Sanitize s in place (the length never grows; a replaced multi-byte
 * character becomes one '?', so it may shrink). s may be NULL.
 * '\n', '\r' and '\t' become ' ', unless keep_newlines is true: then '\n'
 * and '\t' survive (multi-line texts) and '\r' still becomes ' '. */
void text_sanitize(char *s, bool keep_newlines);

#endif
