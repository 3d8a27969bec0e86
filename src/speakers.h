/*
 * speakers.h — speaker resolution: from a source mention to a person's name.
 *
 * Owns the last step of "who said it": a name source goes to its entity, a
 * pronoun or a description ("the singer", "the 41-year-old") to the most
 * recent compatible entity before it, and every entity is named by the
 * fullest form of its name in the article ("Legend" → "John Legend").
 */
#ifndef SAYSO_SPEAKERS_H
#define SAYSO_SPEAKERS_H

#include "attribute.h"

/* The entity of an attribution's source, or -1. */
int32_t sayso_speaker_entity(const doc *d, const attribution *a);

/* Writes the display name of entity e (or, for e < 0, of the source's own
 * name words, if any) into buf; returns its length (0: no name), never
 * more than cap - 1. */
size_t sayso_speaker_name(const doc *d, int32_t e, const attribution *a, char *buf, size_t cap);

/* Writes the words of description x ("41-year-old", "former secretary of
 * state") into buf, a capitalised title word lower-cased ("Singer Mara
 * Quill" → "singer"); returns the length, never more than cap - 1. */
size_t sayso_desc_text(const doc *d, const edesc *x, char *buf, size_t cap);

#endif
