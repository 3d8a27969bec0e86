/*
 * clauses.h — the syntax of an article: its sentences tagged and parsed,
 * read back onto its tokens.
 *
 * Owns the step from the doc's tokens to treebank words (clitics such as
 * ’s and n't split off, hyphenated compounds split as the treebank splits
 * them), running the tagger and the parser sentence by sentence, and the
 * per-token result in d->syn (head token, relation, part of speech,
 * subtree extent) that the learned attribution model reads. Relations are
 * reduced here to the ones the model asks about (R_*).
 */
#ifndef SAYSO_CLAUSES_H
#define SAYSO_CLAUSES_H

#include "doc.h"

/* Relations as the attribution model sees them: the universal relations,
 * with the few subtypes that matter for who said what kept apart. */
enum {
    R_OTHER = 0, R_ROOT, R_NSUBJ, R_NSUBJ_PASS, R_CSUBJ, R_OBJ, R_IOBJ, R_CCOMP, R_XCOMP,
    R_OBL, R_OBL_AGENT, R_OBL_TMOD, R_ADVCL, R_ADVMOD, R_AUX, R_AUX_PASS, R_COP, R_MARK,
    R_NMOD, R_NMOD_POSS, R_APPOS, R_AMOD, R_NUMMOD, R_ACL, R_ACL_RELCL, R_DET, R_CASE,
    R_CONJ, R_CC, R_PARATAXIS, R_PUNCT, R_COMPOUND, R_COMPOUND_PRT, R_FLAT, R_FIXED,
    R_EXPL, R_DISCOURSE, R_VOCATIVE, R_LIST, R_DEP, R_NREL
};

struct sayso_tagger;
struct sayso_parser;

/* Working memory for one thread, reused from one article to the next. */
typedef struct sayso_clausework sayso_clausework;
sayso_clausework *sayso_clausework_new(void);
void sayso_clausework_free(sayso_clausework *cw);

/* Tags and parses every sentence of d, filling d->syn and setting
 * d->has_syn; without a tagger and a parser, leaves has_syn 0. Returns 0,
 * or -1 when out of memory. */
int sayso_clauses(doc *d, const struct sayso_tagger *tg, const struct sayso_parser *ps, sayso_clausework *cw);

/* The name of R_* r ("nsubj:pass"). */
const char *sayso_rel_name(int r);
/* The R_* of a treebank relation name ("nsubj:pass", "obl:unmarked"):
 * the subtype when it is one of R_*, else its universal part. */
int sayso_rel_of(const char *name);

#endif
