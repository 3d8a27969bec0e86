/*
 * entities.h — what kind of thing a capitalised name is: a person, an
 * organisation (team, outlet, company, platform), a place, or something
 * else named (event, title of a work, trophy), or no entity at all.
 *
 * Owns the "entities" model ("ENTS"): a span classifier trained on the
 * named-entity layer CoreNLP put on PolNeAR, so that "the Super Bowl",
 * "New England Patriots", "Buzzfeed" or "London" are never taken for the
 * person a "he" or "she" refers to. Its features read only the words (the
 * span, two words either side, a possessive 's after it), never tags, so
 * they come out the same from CoreNLP's tokens when training and from
 * sayso's own tokens at run time. The call is on the hot path (once per
 * name mention): it reads a window around the span and allocates nothing.
 */
#ifndef SAYSO_ENTITIES_H
#define SAYSO_ENTITIES_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "model.h"

#define SAYSO_ENTITIES_KIND SAYSO_MODEL_FOURCC('E', 'N', 'T', 'S')
#define SAYSO_ENTITIES_VERSION 1

enum { SAYSO_ENT_PERSON = 0, SAYSO_ENT_ORG, SAYSO_ENT_LOC, SAYSO_ENT_MISC, SAYSO_ENT_NONE, SAYSO_ENT_COUNT };

/* "PERSON", "ORG", "LOC", "MISC", "NONE". */
extern const char *const sayso_ent_names[SAYSO_ENT_COUNT];

typedef struct { const char *s; uint32_t len; } sayso_ent_word; /* a token's bytes, UTF-8 */

typedef struct sayso_entities sayso_entities;

/* Opens the classifier of model m (kind SAYSO_ENTITIES_KIND), which must
 * stay open while it is used: it points into m's bytes. A damaged or
 * mismatched model gives NULL and a message in err. */
sayso_entities *sayso_entities_open(const sayso_model *m, char *err, size_t errlen);
void sayso_entities_free(sayso_entities *e);

/* Scores the classes of the name w[first..last] (inclusive) of a sentence
 * w[0..n); scores[SAYSO_ENT_COUNT] are filled (the larger the likelier;
 * scores may be NULL); returns the best class. A possessive 's, on the
 * last word ("Smith's") or as a word of its own after it, is read as such.
 * Only the span and three words either side are read. A span outside the
 * sentence gets zero scores and SAYSO_ENT_NONE. Thread-safe, no
 * allocation. */
int sayso_entities_classify(const sayso_entities *e, const sayso_ent_word *w, size_t n, size_t first, size_t last,
                            float *scores);

/* ---- training ----------------------------------------------------------- */

#define SAYSO_ENTITIES_SEED 1
#define SAYSO_ENTITIES_EPOCHS 8

typedef struct {
    const char *train_dir;  /* CoreNLP token files: DIR/corenlp-tokens/NAME.tsv, or DIR/NAME.tsv */
    const char *dev_dir;    /* the same, held out (scored, never learned from), or NULL */
    const char *out;        /* the model file to write */
    unsigned seed;          /* the order of the examples in each pass */
    int epochs;             /* 0: SAYSO_ENTITIES_EPOCHS */
} sayso_entities_train_opts;

/* Held-out scores: examples by gold class (the trainer's, see entities.c)
 * and predicted class. */
typedef struct {
    size_t confusion[SAYSO_ENT_COUNT][SAYSO_ENT_COUNT]; /* [gold][predicted] */
    size_t n;
    double accuracy;
    size_t relabelled;     /* examples whose gold class is not CoreNLP's label */
    size_t right_raw;      /* predictions that are CoreNLP's label */
    double accuracy_raw;   /* right_raw / n */
} sayso_entities_scores;

/* Trains on o->train_dir and writes o->out. Progress goes to progress (may
 * be NULL): the examples read, one line per epoch (seconds, accuracy on
 * the training pass, on the held-out set), then the held-out scores per
 * class. *dev (may be NULL) gets the final held-out scores (all zero
 * without o->dev_dir). Returns 0, or -1 with a message in err. */
int sayso_entities_train(const sayso_entities_train_opts *o, FILE *progress, sayso_entities_scores *dev, char *err,
                         size_t errlen);

/* Scores e on the examples of the CoreNLP token files of dir (the way the
 * trainer makes them: see entities.c), problems reported to warn. Returns
 * 0, or -1 with a message in err when dir cannot be read. */
int sayso_entities_eval(const sayso_entities *e, const char *dir, sayso_entities_scores *out, FILE *warn, char *err,
                        size_t errlen);

/* Writes the scores as a table: accuracy, then precision, recall and F1
 * per class. */
void sayso_entities_scores_print(const sayso_entities_scores *s, FILE *out);

#endif
