/*
 * attrint.h — the inside of the learned attribution model, shared by
 * attrmodel.c (features, candidates, decoding) and attrtrain.c (training):
 * both must compute exactly the same features, so they share the code.
 */
#ifndef SAYSO_ATTRINT_H
#define SAYSO_ATTRINT_H

#include "attrmodel.h"
#include "learn.h"

/* Cue tagger labels. */
enum { CL_O = 0, CL_B = 1, CL_I = 2, CL_N = 3 };

/* The rankers' roles (a part of every candidate feature). */
enum { ROLE_CONTENT = 1, ROLE_SOURCE = 2 };

/* Where a content candidate comes from (bit numbers of cand.kinds).
 * K_NONE: the cue is no cue after all, and reports nothing. */
enum {
    K_NONE = 0, K_AFTER = 1, K_AFTER_THAT, K_BEFORE, K_PARA_REST, K_ACCORDING, K_QUOTE_AFTER, K_MIXED_AFTER,
    K_QUOTE_BEFORE, K_QUOTE_PAIR, K_MIXED_BEFORE, K_NEXT_PARA, K_RULE, K_SUB_CCOMP, K_SUB_XCOMP,
    K_SUB_OBJ, K_SUB_SUBJ, K_SUB_ADVCL, K_SUB_OBL, K_SUB_PARA, K_SUB_NMOD, K_HEAD_REST, K_HEAD_LEFT,
    K_HEAD_RIGHT, K_ACCORDING_TREE, K_SUBJ_COMP, K_AROUND
};

/* Where a source candidate comes from. S_SUBJ + 8 and so on: the same
 * relation, of the verb the cue depends on. */
enum {
    S_NONE = 0, S_NP_BEFORE, S_NP_AFTER, S_ACCORDING, S_NP_FIRST, S_MENTION_PREV, S_MENTION_BEFORE,
    S_MENTION_AFTER, S_RULE, S_SUBJ = 10, S_SUBJ_PASS, S_AGENT, S_POSS, S_OBL, S_SUBJ_CUT = 24,
    S_ACL_NOUN = 25
};

/* Roles of a token in the rules' attributions (bits of tinfo.rule). */
enum { RR_CONTENT = 1, RR_CUE = 2, RR_SOURCE = 4, RR_DIRECT = 8, RR_MIXED = 16, RR_INDIRECT = 32 };

#define MAX_FEATS 96
#define MAX_CANDS 96
#define CAND_FRAGS 4

/* What each token offers the features, computed once per article. */
typedef struct {
    uint64_t w, shape, suf, pre;
    uint64_t lemma;     /* cue or attribution-word lemma + 1, or 0 */
    int32_t ment;       /* mention covering the token, or -1 */
    int32_t left, right;/* nearest attribution word in the sentence, or -1 */
    int32_t subj, comp; /* its subject and its clausal complement, or -1 */
    float mb, mi;       /* the cue tagger's margins, in weight units: its
                           score for B (I) over its score for O */
    uint16_t rule;      /* RR_* */
    uint8_t qs;         /* QS_* */
    uint8_t cue;        /* 1: the first word of a cue the tagger found
                           (jackknifed ones while training) */
} tinfo;

/* A candidate span: up to CAND_FRAGS token ranges, in order. */
typedef struct {
    int32_t f[CAND_FRAGS], l[CAND_FRAGS];
    uint8_t n;
    int32_t cut;        /* a shorter variant: the punctuation it stops
                           before, or -1 */
    uint16_t kind;      /* first generator that proposed it */
    uint32_t kinds;     /* every generator that did (bits) */
} cand;

/* Which attributions touch each token, for one role (content, cue or
 * source): a compressed index (start[k] .. start[k + 1] into idx, each
 * list ascending), so that "the rules' attributions at these words" costs
 * the words, not the number of attributions. */
enum { AM_CONTENT, AM_CUE, AM_SOURCE, AM_N };
typedef struct {
    int32_t *start;  size_t capstart;
    int32_t *idx;    size_t capidx;
    const attributions *of;
} attrmap;

struct sayso_attrwork {
    tinfo *ti;       size_t capti;
    attrmap rmap[AM_N];  /* the rules' attributions, by role */
    attrmap omap;        /* all attributions found, by content */
    int32_t *hits;   size_t caphits; /* scratch for attrmap_find */
    int32_t *own;    size_t capown;  /* per token: the first attribution
                                        whose content holds it, or -1 */
    uint32_t *kidrels; size_t capkid;
    float *sc;       size_t capsc;
    float *vb;       size_t capvb;
    uint8_t *bp;     size_t capbp;
    uint8_t *lab;    size_t caplab;
    cand cand[MAX_CANDS];
    size_t ncand;
};

/* Fills the per-token arrays of w for d (and the rules' roles). */
int sayso_attr_begin(sayso_attrwork *w, const doc *d, const attributions *rules);
int sayso_attr_prepare(sayso_attrwork *w, const doc *d, const attributions *rules);

/* Tags tokens [first, last] (a paragraph) with CL_* labels, by the table
 * tab or, when tab is NULL, the training weights. */
int sayso_attr_tag_cues(sayso_attrwork *w, const doc *d, const sayso_ftab *tab, const sayso_percep *train,
                        int32_t first, int32_t last, uint8_t *labels);
/* The tagger's margin for tokens [cf, cl] as one cue. */
float sayso_attr_cue_margin(const sayso_attrwork *w, int32_t cf, int32_t cl);
size_t sayso_attr_cue_feats(const sayso_attrwork *w, const doc *d, int32_t k, uint64_t *f);
uint64_t sayso_attr_trans_feat(int prev);

/* Candidates for cue [cf, cl] into w->cand. */
void sayso_attr_content_cands(sayso_attrwork *w, const doc *d, const attributions *rules, int32_t cf, int32_t cl);
void sayso_attr_source_cands(sayso_attrwork *w, const doc *d, const attributions *rules, int32_t cf, int32_t cl);
size_t sayso_attr_cand_feats(const sayso_attrwork *w, const doc *d, const attributions *rules, int32_t cf,
                             int32_t cl, const cand *c, int role, uint64_t *f);
int sayso_attr_best(const sayso_attrwork *w, const doc *d, const attributions *rules, int32_t cf, int32_t cl, int role,
                    const sayso_ftab *tab, const sayso_percep *train, float *score);

/* The model's ranking tables. */
const sayso_ftab *am_content(const sayso_attrmodel *am);
const sayso_ftab *am_source(const sayso_attrmodel *am);

/* The model's own attributions, before the rules' are merged in. */
int sayso_attr_find(const sayso_attrmodel *am, sayso_attrwork *w, doc *d, const attributions *rules,
                    attributions *out);

/* Trims a token range as the evaluation trims spans: marks and leading
 * commas or colons at the start, marks and punctuation at the end. */
void sayso_attr_trim(const doc *d, int32_t *f, int32_t *l);

#endif
