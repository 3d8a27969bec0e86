/*
 * extract.h — the pipeline's inside, for the stages that learn from it.
 *
 * sayso_extract() (sayso.h) analyses an article, then builds the public
 * result. Training needs the analysis alone: the doc with its tokens,
 * quotation spans, mentions and syntax, and what the rules attributed, to
 * compute the same features the model sees at run time.
 */
#ifndef SAYSO_EXTRACT_H
#define SAYSO_EXTRACT_H

#include "sayso.h"
#include "attribute.h"

/* Runs every analysing stage on art; the results stay in the extractor
 * until its next call. Returns 0, or -1 when out of memory. */
int sayso_extract_analyse(sayso_extractor *ex, const sayso_article *art);

/* An extractor that analyses with the syntax models of m but finds
 * attributions with the rules alone: what training the attribution model
 * reads. */
sayso_extractor *sayso_extractor_new_analyser(const sayso_models *m);

doc *sayso_extract_doc(sayso_extractor *ex);
attributions *sayso_extract_rules(sayso_extractor *ex);

#endif
