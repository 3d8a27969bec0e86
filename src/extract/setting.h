/*
 * setting.h — where and when a quote was said: channel, addressee, date.
 *
 * Owns which words around a cue tell the setting of the words quoted: the
 * channel ("took to Instagram", "in a statement", "told CNN"), the person
 * or outlet addressed ("told reporters"), and the time expression that
 * dates them ("on Thursday"), looked for in the cue's clause and, for a
 * quotation opened by a colon, in the sentence before it when that sentence
 * is about the same speaker. when.c turns the expression into a date.
 */
#ifndef SAYSO_SETTING_H
#define SAYSO_SETTING_H

#include "attribute.h"
#include "when.h"

typedef struct {
    uint8_t channel;               /* lexicon channel id, 0: not said */
    int32_t addr_first, addr_last; /* addressee tokens, -1 if none */
    int has_when;                  /* when holds an expression (maybe blocked) */
    sayso_when when;               /* offsets are bytes into the article */
} setting;

/* The setting of attribution a, whose speaker is entity e (or -1);
 * article_date is "YYYY-MM-DD" or NULL. */
void sayso_setting(const doc *d, const attribution *a, int32_t e, const char *article_date, setting *out);

/* Whether a's cue only carries on what the speaker was saying ("continued",
 * "added"), so that the setting of their previous quote still holds. */
int sayso_setting_carries(const doc *d, const attribution *a);

#endif
