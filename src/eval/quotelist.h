/*
 * quotelist.h — scoring quotations and their speakers against a list of
 * gold quotations: a directory of DOC.txt (the article) and DOC.json
 * ({"doc", "quotes": [{"text", "speaker"}]}), as the soft-news set in
 * ../shared/corpora/softnews gives them.
 *
 * Owns the rules of that format: a gold quotation is the first occurrence
 * of its text in DOC.txt; it is found when one predicted quotation covers
 * at least half of its words (\w+ runs); a predicted quotation with
 * quotation marks (direct or mixed) is right when it covers half of one
 * gold quotation's words; the speaker is right when the predicted speaker
 * equals the gold name, ignoring case; a gold speaker "UNKNOWN" (an unnamed
 * voice) counts for found only.
 */
#ifndef SAYSO_QUOTELIST_H
#define SAYSO_QUOTELIST_H

#include <stdio.h>
#include "eval.h"

/* Nonzero when dir holds *.json quotation lists (and no BRAT text/). */
int sayso_quotelist_is_gold(const char *dir);

/* Like sayso_eval_run, for a quotation-list directory. */
int sayso_quotelist_run(const sayso_eval_options *opt, FILE *out, FILE *err);

#endif
