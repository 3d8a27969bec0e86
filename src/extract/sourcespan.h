/*
 * sourcespan.h — the extent of a source mention as annotators mark it.
 *
 * Owns the last step from the source span the attribution model ranked
 * best to the words given as its source: a whole noun phrase, with its
 * premodifiers, a parenthesis or party label right after a name, and the
 * apposition or relative clause that describes it, but without a word or
 * phrase that opens the clause ("But", "In a statement,") or an adverbial
 * set off after it (", speaking to reporters", ", in particular"). It reads
 * the parse when there is one, and changes no feature the model sees.
 */
#ifndef SAYSO_SOURCESPAN_H
#define SAYSO_SOURCESPAN_H

#include "doc.h"

/* Adjusts the source span [*sf, *sl] of the cue [cf, cl] in place. The
 * span stays inside the cue's sentence and inside room (the tokens that are
 * not the content), and never grows into the cue. */
void sayso_source_span(const doc *d, int32_t cf, int32_t cl, range room, int32_t *sf, int32_t *sl);

/* Whether tokens [f, l] are only a time ("Friday afternoon", "just this
 * month", "last week"): words of the calendar and of time expressions,
 * with determiners, numbers and function words, which name no one who
 * could have said anything. */
int sayso_source_is_time(const doc *d, int32_t f, int32_t l);

#endif
