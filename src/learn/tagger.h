/*
 * tagger.h — the part-of-speech tagger: universal tags (UPOS) for the words
 * of a sentence, with an averaged perceptron read from a "TAGR" model.
 *
 * A loaded tagger is immutable: any number of threads may tag with it at
 * once, each with its own sayso_syntax_ws.
 */
#ifndef SAYSO_TAGGER_H
#define SAYSO_TAGGER_H

#include <stdio.h>
#include "conllu.h"
#include "model.h"
#include "syntax.h"

#define SAYSO_TAGGER_KIND SAYSO_MODEL_FOURCC('T', 'A', 'G', 'R')
#define SAYSO_TAGGER_VERSION 1

typedef struct sayso_tagger sayso_tagger;

/* Opens the tagger of model m (kind SAYSO_TAGGER_KIND), which must stay
 * open while the tagger is used: the tagger points into its bytes. Every
 * section is checked, so a damaged model is refused, not read out of
 * bounds. Returns NULL with a message in err. */
sayso_tagger *sayso_tagger_open(const sayso_model *m, char *err, size_t errlen);
void sayso_tagger_free(sayso_tagger *t);

/* Sets upos (and lex) of w[0..n). Returns 0, or -1 when out of memory. */
int sayso_tagger_tag(const sayso_tagger *t, sayso_syntax_ws *ws, sayso_word *w, size_t n);

/* ---- training ----------------------------------------------------------- */

typedef struct sayso_tagger_trainer sayso_tagger_trainer;

/* A trainer on the sentences sents[0..nsents) of tb (indices into
 * tb->sent), which must outlive it. Its word list (which tags a frequent
 * word can have) is counted from those sentences. Returns NULL when out of
 * memory. */
sayso_tagger_trainer *sayso_tagger_trainer_new(const sayso_conllu *tb, const size_t *sents, size_t nsents,
                                               uint64_t seed);
void sayso_tagger_trainer_free(sayso_tagger_trainer *tr);

/* One pass over the sentences in a new order (from the seed). Sets *acc to
 * the share of words tagged right during the pass. Returns 0, or -1 when
 * out of memory. */
int sayso_tagger_trainer_epoch(sayso_tagger_trainer *tr, double *acc);

/* The model as it stands (averaged, quantised, pruned), ready to save;
 * NULL when out of memory. The caller frees it. */
sayso_model_writer *sayso_tagger_trainer_model(const sayso_tagger_trainer *tr);

#endif
