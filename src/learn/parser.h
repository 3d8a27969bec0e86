/*
 * parser.h — the dependency parser: a head and a relation (UD's, subtypes
 * included) for every word of a tagged sentence, read from a "PARS" model.
 *
 * The result is always a tree: one word has head -1 (the root, relation
 * "root"), every other word's head is another word, and following heads
 * from any word reaches the root. A loaded parser is immutable: any number
 * of threads may parse with it at once, each with its own sayso_syntax_ws.
 */
#ifndef SAYSO_PARSER_H
#define SAYSO_PARSER_H

#include <stdio.h>
#include "conllu.h"
#include "model.h"
#include "syntax.h"

#define SAYSO_PARSER_KIND SAYSO_MODEL_FOURCC('P', 'A', 'R', 'S')
#define SAYSO_PARSER_VERSION 1

typedef struct sayso_parser sayso_parser;

/* Opens the parser of model m (kind SAYSO_PARSER_KIND), which must stay
 * open while the parser is used. Every section and every index the file
 * holds is checked, so a damaged model is refused. Returns NULL with a
 * message in err. */
sayso_parser *sayso_parser_open(const sayso_model *m, char *err, size_t errlen);
void sayso_parser_free(sayso_parser *p);

/* Sets head and rel of w[0..n), which must have been tagged (upos and lex:
 * sayso_tagger_tag, or sayso_syntax_prepare for tags from elsewhere).
 * Returns 0, or -1 when n > SAYSO_SYNTAX_MAXWORDS or memory runs out (the
 * words are then left unparsed). */
int sayso_parser_parse(const sayso_parser *p, sayso_syntax_ws *ws, sayso_word *w, size_t n);

/* The relation names: ids 0 .. nlabels-1, as in the training data
 * ("nsubj", "nsubj:pass", "root", ...). */
unsigned sayso_parser_nlabels(const sayso_parser *p);
const char *sayso_parser_label(const sayso_parser *p, unsigned id); /* NULL when out of range */
int sayso_parser_label_id(const sayso_parser *p, const char *name); /* -1 when unknown */

/* ---- training ----------------------------------------------------------- */

typedef struct sayso_parser_trainer sayso_parser_trainer;

/* A trainer on every sentence of tb (which must outlive it). tagged[i] is
 * word tb->w[i] as the features see it: tagged by a tagger (so that the
 * parser learns to live with the tagger's errors), or NULL for the gold
 * tags. Returns NULL with a message in err. */
sayso_parser_trainer *sayso_parser_trainer_new(const sayso_conllu *tb, const sayso_word *tagged, uint64_t seed,
                                               char *err, size_t errlen);
void sayso_parser_trainer_free(sayso_parser_trainer *tr);

/* One pass over the sentences in a new order. epoch counts from 0: from
 * the second on, the trainer follows its own mistakes most of the time
 * (the dynamic oracle says what is best from there). Sets the attachment
 * scores of the parses it made. Returns 0, or -1 when out of memory. */
int sayso_parser_trainer_epoch(sayso_parser_trainer *tr, int epoch, double *uas, double *las);

/* Makes dst's model the sum of scale times the averaged models of the
 * trainers added to it (its own training is forgotten at the first call):
 * a mean of parsers trained in different orders, one model at run time.
 * Returns 0, or -1 when out of memory or the relations differ. */
int sayso_parser_trainer_add(sayso_parser_trainer *dst, const sayso_parser_trainer *src, double scale);

/* The model as it stands (averaged, quantised, pruned); NULL when out of
 * memory. The caller frees it. */
sayso_model_writer *sayso_parser_trainer_model(const sayso_parser_trainer *tr);

#endif
