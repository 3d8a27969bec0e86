/*
 * speakers.h — from an attribution's source to the speaker it names.
 *
 * Owns the last step of "who said it": the entity of a source (a name's
 * entity; for a pronoun or a description, the one mentions.c resolved it to
 * in document order: sayso_resolve), the speaker's display name (the
 * fullest form in the article: "Legend" → "John Legend", "Harold Benson
 * Jr.", Marcus “Bulldog” Reyes → "Marcus Reyes") and the words of each
 * description kept for the speaker's profile ("41-year-old", "singer").
 */
#ifndef SAYSO_SPEAKERS_H
#define SAYSO_SPEAKERS_H

#include "attribute.h"

/* The entity of an attribution's source, or -1. */
int32_t sayso_speaker_entity(const doc *d, const attribution *a);

/* The credit line under a quoted post ("Credit: jo_b on Instagram") in the
 * paragraph after the quote: sets the tokens of the name it credits and
 * returns 1, else 0. For quotes whose source names nobody ("a fan wrote"). */
int sayso_speaker_credit(const doc *d, const attribution *a, int32_t *nf, int32_t *nl);

/* Whether a's cue answers someone: "retorted", "replied", "shot back". In
 * an exchange, an answer whose source is a pronoun or an epithet that
 * resolved to the person who spoke last is the other person's (extract.c). */
int sayso_cue_replies(const doc *d, const attribution *a);

/* A joint statement: "Lorde and Affrey said", "the couple added" (the
 * last two people named together). Sets both entities and returns 1, else
 * 0. The speaker is then named "NAME1 and NAME2". */
int sayso_joint_speakers(const doc *d, const attribution *a, int32_t *e1, int32_t *e2);

/* Writes the display name of entity e (or, for e < 0, of the source's own
 * name words, if any) into buf; returns its length (0: no name), never
 * more than cap - 1. */
size_t sayso_speaker_name(const doc *d, int32_t e, const attribution *a, char *buf, size_t cap);

/* Writes the words of description x ("41-year-old", "former secretary of
 * state") into buf, a capitalised title word lower-cased ("Singer Mara
 * Quill" → "singer"); returns the length, never more than cap - 1. */
size_t sayso_desc_text(const doc *d, const edesc *x, char *buf, size_t cap);

#endif
