/*
 * quotes.h — quotation spans: pairing quotation marks.
 *
 * Owns which marks open and close a quotation: curly, straight and
 * guillemet double marks, nested marks, single-mark quotations (kept apart
 * from apostrophes such as babies’ or ’90s), quotations that run over
 * several paragraphs (each continued paragraph opens with a mark, only the
 * last closes), unbalanced marks (closed at the end of the paragraph), and
 * whether a span is a whole utterance, a fragment inside a sentence, or the
 * title of a work ("the song “Never Break”") that nobody said.
 */
#ifndef SAYSO_QUOTES_H
#define SAYSO_QUOTES_H

#include "doc.h"

/* Fills d->qs and sets TF_INQUOTE / t->q on the tokens inside. Returns 0,
 * or -1 when out of memory. */
int sayso_find_quotes(doc *d);

#endif
