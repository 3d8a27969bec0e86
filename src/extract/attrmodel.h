/*
 * attrmodel.h — the learned attribution model: every attribution, with
 * quotation marks or without ("Obama said the deal was dead", "according to
 * the lawsuit, …", "she denied ever meeting him").
 *
 * Owns three learned decisions, each an averaged perceptron over hashed
 * features (learn.h), trained on BRAT-annotated paragraphs (brat.h):
 *   1. cues: a first-order sequence tagger (B/I/O, Viterbi) over each
 *      paragraph marks the words that introduce an attribution;
 *   2. content: for each cue, candidate spans (the subtrees of its
 *      complements, the clause around an "according to", quotations near
 *      it, the rules' own content, the rest of the sentence) are ranked;
 *   3. source: likewise, among the cue's subject, agent, the noun phrase of
 *      "according to", nearby mentions, the rules' source, or none.
 * Features read the words, the quotation marks, the parse (d->syn), the
 * mentions, and the rule pipeline's attributions, so the model learns when
 * to trust each rule. The result replaces the rules' list; speakers are
 * then named from the sources by the existing coreference (speakers.c).
 */
#ifndef SAYSO_ATTRMODEL_H
#define SAYSO_ATTRMODEL_H

#include <stdio.h>
#include "attribute.h"
#include "model.h"

#define SAYSO_ATTR_KIND SAYSO_MODEL_FOURCC('A', 'T', 'T', 'R')
#define SAYSO_ATTR_VERSION 1

typedef struct sayso_attrmodel sayso_attrmodel;
typedef struct sayso_attrwork sayso_attrwork;

/* Opens the attribution model held by m (which must outlive it). NULL
 * with a message when the model's sections are missing or malformed. */
sayso_attrmodel *sayso_attrmodel_open(const sayso_model *m, char *err, size_t errlen);
void sayso_attrmodel_free(sayso_attrmodel *am);

/* Whether the model was trained on parsed articles (and needs the syntax
 * models at run time to see what it saw then). */
int sayso_attrmodel_needs_syntax(const sayso_attrmodel *am);

/* Working memory for one thread, reused from one article to the next. */
sayso_attrwork *sayso_attrwork_new(void);
void sayso_attrwork_free(sayso_attrwork *w);

/* The attributions of analysed doc d, given what the rules found; replaces
 * out's content. Returns 0, or -1 when out of memory. */
int sayso_attr_predict(const sayso_attrmodel *am, sayso_attrwork *w, doc *d, const attributions *rules,
                       attributions *out);

#endif
