/*
 * text.h — Unicode and segmentation: tokens, sentences, paragraphs.
 *
 * Owns how the article's bytes become tokens (words, numbers, punctuation,
 * quotation marks) with byte and code point offsets, which quotation-mark
 * characters are marks and which are apostrophes inside words (It’s, ’90s),
 * where paragraphs break (blank lines; single line breaks when the article
 * has no blank line at all) and where sentences end (abbreviations such as
 * "Sen." and initials do not end one). One pass over the text, no
 * allocation beyond the doc's reusable arrays.
 */
#ifndef SAYSO_TEXT_H
#define SAYSO_TEXT_H

#include "doc.h"

/* Tokenises d->text[d->body .. d->len) into d->t, d->para, d->sent.
 * Returns 0, or -1 when out of memory. */
int sayso_segment(doc *d);

/* Decodes one UTF-8 code point at s[*i] (advancing *i); invalid bytes decode
 * as U+FFFD one byte at a time, so any input is safe. */
uint32_t sayso_utf8_next(const char *s, size_t len, size_t *i);

/* Number of code points in s[0..len) (invalid bytes count one each). */
size_t sayso_utf8_count(const char *s, size_t len);

#endif
