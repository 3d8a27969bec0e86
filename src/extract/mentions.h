/*
 * mentions.h — who is mentioned: names, pronouns, descriptions; entities and coreference.
 *
 * Owns what counts as a person's or organisation's name in running text
 * (titles such as "Sen." are part of the mention but not of the name;
 * sentence-initial capitals are names only when the article confirms it),
 * the grouping of name mentions into one entity per person ("Legend",
 * "John" and "John Legend" are one), each entity's fullest name, gender
 * and age (first-name list, titles, gendered nouns, "Teigen, 34,", and the
 * pronouns that follow it), the descriptions tied to each entity
 * (appositions, words before a name, epithets), the resolution of pronouns
 * and epithets in document order, and the noun phrases around cue verbs
 * that attribution asks for.
 */
#ifndef SAYSO_MENTIONS_H
#define SAYSO_MENTIONS_H

#include "doc.h"

/* Finds the name and pronoun mentions outside quotations, builds entities
 * and resolves pronouns in order. Returns 0, or -1 when out of memory. */
int sayso_find_mentions(doc *d);

/* The noun phrase that ends right before token 'end' (the subject of a cue
 * verb), not reaching left of 'floor'. Skips adverbs, auxiliaries, time
 * phrases, parentheticals and appositions ("Rydell, a top adviser, said").
 * Returns 1 and fills *m (kind, tokens, name tokens, gender), else 0. */
int sayso_np_before(const doc *d, int32_t end, int32_t floor, mention *m);

/* The noun phrase that starts at token 'start' ("said Smith", "according to
 * the poll"), not reaching right of 'ceil'. Returns 1 and fills *m. */
int sayso_np_after(const doc *d, int32_t start, int32_t ceil, mention *m);

/* The first noun phrase of a clause starting at 'start' (the subject of
 * "John paid tribute ..., highlighting"). Returns 1 and fills *m. */
int sayso_np_first(const doc *d, int32_t start, int32_t ceil, mention *m);

/* The entity a mention refers to: by name (surname or first name), or for
 * pronouns and descriptions the most recent compatible entity mentioned
 * before it. Returns the entity index or -1. */
int32_t sayso_resolve(const doc *d, const mention *m);

/* Whether name mention m only modifies the person noun and name after it:
 * "Rams" in "Rams punter Jon Hollis", "Brooklyn" in "the Brooklyn rhymer". */
int sayso_modifies_person(const doc *d, const mention *m);

/* When the sentence of token k opens with a subordinate or participle
 * clause ("After receiving the cup from X, captain Y praised"), the comma
 * that ends it, whose right the subject stands; else -1. */
int32_t sayso_fronted_clause_end(const doc *d, int32_t k);

/* The name mention (of the article's list) that ends at token k and has
 * an entity: its index in d->m, or -1. */
int32_t sayso_name_ending(const doc *d, int32_t k);

/* The organisation a common noun at k stands for: "the palace" after
 * "Buckingham Palace", "the company" after "Vantix Company" (the last
 * organisation whose name ends in that word), or -1. */
int32_t sayso_named_org(const doc *d, int32_t k);

/* Whether token k can be part of a name. */
int sayso_is_name_token(const doc *d, int32_t k);

#endif
