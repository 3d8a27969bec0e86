/*
 * train_syntax.h — training the tagger and the parser from a treebank, and
 * measuring them on one: the entry points the CLI calls.
 */
#ifndef SAYSO_TRAIN_SYNTAX_H
#define SAYSO_TRAIN_SYNTAX_H

#include <stdio.h>
#include "parser.h"
#include "tagger.h"

typedef struct {
    const char *train;     /* CoNLL-U file to learn from */
    const char *dev;       /* CoNLL-U file the progress report scores (never learned from), or NULL */
    const char *out_dir;   /* gets tagger.model and parser.model */
    unsigned seed;         /* same data and seed: the same bytes */
    int tagger_epochs;     /* 0: the default (SAYSO_TAGGER_EPOCHS) */
    int parser_epochs;     /* 0: the default (SAYSO_PARSER_EPOCHS) */
    int folds;             /* jackknifing folds for the parser's tags; 0: the default */
    int parsers;           /* parsers averaged into the one shipped; 0: the default */
} sayso_syntax_train_opts;

#define SAYSO_TAGGER_EPOCHS 8
#define SAYSO_PARSER_EPOCHS 12
#define SAYSO_SYNTAX_FOLDS 5
/* Five parsers averaged, seed 2: measured on EWT dev against three and
 * seven parsers and seed 1 (UAS 0.848, 0.847, 0.850, 0.850; LAS 0.811 to
 * 0.813), differences of the size that seeds make. */
#define SAYSO_SYNTAX_PARSERS 5
#define SAYSO_SYNTAX_SEED 2

/* Trains the tagger on the whole of o->train and writes
 * out_dir/tagger.model; then, o->parsers times, tags the training set by
 * jackknifing (each fold by a tagger trained on the others) and trains a
 * parser on those predicted tags; writes their mean as
 * out_dir/parser.model. Progress goes to progress (may be NULL), one line
 * per epoch and per fold: seconds so far, the score on the training pass,
 * and with o->dev the dev scores (the tagger's at every epoch, a parser's
 * at its last, the mean's after each parser). Returns 0, or -1 with a
 * message in err. */
int sayso_syntax_train(const sayso_syntax_train_opts *o, FILE *progress, char *err, size_t errlen);

typedef struct {
    size_t sentences, words;
    double upos;                /* share of words with the right tag */
    double uas, las;            /* every word, punctuation included, full relations */
    double las_universal;       /* relations compared before any ':' (CoNLL 2018) */
    double uas_nopunct, las_nopunct; /* words whose gold tag is not PUNCT */
    double tag_seconds, parse_seconds; /* time spent in tagging and in parsing */
} sayso_syntax_scores;

/* Tags (with t) and parses (with p, unless NULL) the sentences of the
 * CoNLL-U file conllu and scores the result against its annotation. With
 * t NULL, the parser reads the gold tags. Problems in the file are reported
 * to err and the sentences skipped. Returns 0, or -1 when the file cannot
 * be read. */
int sayso_syntax_eval(const sayso_tagger *t, const sayso_parser *p, const char *conllu, sayso_syntax_scores *out,
                      FILE *err);

/* The same on a treebank already read. */
int sayso_syntax_eval_tb(const sayso_tagger *t, const sayso_parser *p, const sayso_conllu *tb,
                         sayso_syntax_scores *out);

#endif
