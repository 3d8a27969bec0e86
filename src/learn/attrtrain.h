/*
 * attrtrain.h — training the learned attribution model (attrmodel.h) from
 * BRAT-annotated corpora such as PolNeAR.
 *
 * Deterministic: the same articles, extractor and seed give the same model
 * file, byte for byte.
 */
#ifndef SAYSO_ATTRTRAIN_H
#define SAYSO_ATTRTRAIN_H

#include <stdio.h>
#include "sayso.h"

#define SAYSO_ATTR_SEED 1
#define SAYSO_ATTR_EPOCHS 12

typedef struct {
    const char *train_dir;  /* text/ and attributions/ */
    const char *dev_dir;    /* held out, or NULL */
    const char *out;        /* the model file to write */
    unsigned seed;
    int epochs;             /* 0: SAYSO_ATTR_EPOCHS */
    int dev_every;          /* score the held-out set after every epoch, not only the last */
    sayso_extractor *ex;    /* analyses articles: with the syntax models, without an attribution model */
} sayso_attr_train_opts;

/* Trains and writes o->out, reporting each epoch on progress (may be NULL).
 * Returns 0, or -1 with a message in err. */
int sayso_attr_train(const sayso_attr_train_opts *o, FILE *progress, char *err, size_t errlen);

#endif
