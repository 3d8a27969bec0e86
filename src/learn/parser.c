/*
 * parser.c — greedy transition-based dependency parsing: the arc-hybrid
 * system, an averaged perceptron for the transitions and another for the
 * relations, trained with a dynamic oracle.
 *
 * Why arc-hybrid (Kuhlmann et al. 2011) and not arc-eager: its oracle
 * costs are exact and cheap for every transition (Goldberg & Nivre 2013),
 * every sentence takes exactly 2n transitions, and with the root at the end
 * of the buffer a single root comes from one rule (a word may attach to the
 * root only when it is alone on the stack and the buffer holds nothing
 * else), where arc-eager needs extra transitions or repairs at the end of
 * the sentence. Three transitions, with b0 the front of the buffer and s0,
 * s1 the top of the stack:
 *   SHIFT  push b0
 *   LEFT   b0 becomes the head of s0; pop s0
 *   RIGHT  s1 becomes the head of s0; pop s0
 * A word is popped only once it has all its dependents, so when an arc is
 * made its dependent's subtree is complete.
 *
 * Labels are factored: a transition classifier (three classes, about 120
 * features) decides SHIFT, LEFT or RIGHT, and a relation classifier with a
 * smaller feature set (head, dependent, their dependents' relations,
 * direction, distance; 50 classes, few weights each) names the relation of
 * each arc. Scoring 3 classes with the rich features and 50 with the small
 * ones costs far less than scoring 100 labelled transitions with the rich
 * ones. Before each decision the relation classifier names the arcs LEFT
 * and RIGHT would make, and those names are features of the decision (a
 * LEFT that makes a "det" is not one that makes an "nsubj": +0.3 point of
 * UAS and LAS on dev, which labelled transitions would give at many times
 * the cost); the name of the arc made is its relation, and relations are
 * features of every later decision.
 *
 * Training: the dynamic oracle of Goldberg & Nivre tells, in any
 * configuration, which transitions lose no more gold arcs than the best
 * one; the model is updated towards the best-scoring of those when its own
 * choice is worse, and from the second epoch on the trainer follows its
 * own choice nine times in ten, so it learns to recover from its mistakes
 * (following it less often was worse on dev). It is also updated when its
 * choice is right but wins by less than a margin, which helped a little.
 * The system only builds projective trees, and the oracle's costs are only
 * exact for projective gold trees, so a non-projective training tree is
 * projectivised first by lifting its shortest non-projective arc to the
 * head's head until none is left (Nivre & Nilsson 2005, without encoding
 * the lift in the label): every other arc of the sentence still teaches,
 * and the lifted words learn the closest attachment the parser can make.
 * The tags the features read are the tagger's (see train_syntax.c), not
 * the gold ones. The shipped model is the mean of a few parsers trained
 * this way (train_syntax.c): for a linear model that is the same as
 * averaging their scores, at the run-time cost of one.
 *
 * The model ("PARS" version 1) holds:
 *   pmeta    number of relations, the id of "root"
 *   labels   the relation names, each NUL-terminated, in id order
 *   act.*    the transitions' packed table (learn.h), inline, 3 classes
 *   lab.*    the relations' packed table, sparse, one class per relation
 */
#include <stdlib.h>
#include <string.h>
#include "learn.h"
#include "parser.h"

enum { SHIFT, LEFT, RIGHT, NACT };

#define MAXLABELS 254 /* ids fit uint8_t, with room for "none" */
#define NTRANSF 160 /* room for the transition features */
#define NLABF 32 /* room for one arc's relation features */
#define EXPLORE_FROM 1 /* epoch (from 0) from which the trainer follows its mistakes */
#define EXPLORE_IN_TEN 9
#define MARGIN 20.0f
/* Pruning of the shipped tables, in quantised units (a table's largest
 * weight is 127): on dev, against no pruning, 0.1 point of UAS for half
 * the bytes. */
#define PRUNE_ACT 3
#define PRUNE_LAB 3

typedef struct {
    uint32_t nlabels, root, pad[2];
} pmeta;

struct sayso_parser {
    sayso_ptab act, lab;
    uint32_t nlabels, root;
    const char *names[MAXLABELS];
};

/* The relation last named for an arc h -> d, when h and d had hk and dk
 * dependents (arc_label). */
typedef struct {
    int32_t h;
    uint32_t hk, dk, lab;
} pmemo;

/* One word (or the root, or "nothing") as the features see it. */
typedef struct {
    uint32_t w;                  /* lex */
    uint8_t p;                   /* tag */
    uint8_t lab;                 /* relation of its arc, nlabels until attached */
    uint8_t verbs;               /* verbs from here to the end of the sentence: 0, 1, 2+ */
    uint8_t rest;                /* words from here to the end, bucketed */
    int32_t head;
    int32_t lc1, lc2, rc1, rc2;  /* leftmost two and rightmost two dependents */
    uint64_t lset, rset;         /* relations of its dependents on each side */
    uint32_t nkids;              /* dependents so far: a version of lc*, rc*, lset, rset */
    pmemo memo[2];               /* run time: arcs to it from the left [0] and the right [1] */
} pnode;

/* The configuration. Nodes 0..n-1 are the words, n the root (at the end of
 * the buffer), n+1 and n+2 "nothing", which positions off the stack or the
 * buffer and missing dependents read, so feature extraction never tests.
 * The stack likewise starts with three "nothing" entries. */
typedef struct {
    pnode *nd;
    int32_t *stack;  /* stack[0..2] are "nothing"; the top is stack[sp + 2] */
    int32_t sp, b, n;
    uint32_t lL, lR; /* relations the relation classifier gives the arcs LEFT
                        and RIGHT would make (nlabels: no such arc) */
} pstate;

#define ROOT_TAG 20
#define NONE_TAG 21

static size_t state_bytes(size_t n)
{
    return (n + 3) * sizeof(pnode) + (n + 4) * sizeof(int32_t) + 64;
}

static void state_init(pstate *st, void *mem, const sayso_word *w, size_t n, uint32_t nlabels)
{
    st->nd = mem;
    st->stack = (int32_t *)(st->nd + n + 3);
    st->n = (int32_t)n;
    st->sp = 0;
    st->b = 0;
    int32_t none = (int32_t)n + 1;
    for (size_t i = 0; i < n + 3; i++) {
        pnode *x = &st->nd[i];
        memset(x, 0, sizeof *x);
        x->head = -1;
        x->memo[0].h = x->memo[1].h = -1;
        x->lc1 = x->lc2 = x->rc1 = x->rc2 = none;
        x->lab = (uint8_t)nlabels;
        if (i < n) {
            x->w = w[i].lex;
            x->p = w[i].upos;
        } else if (i == n) {
            x->w = 0x524f4f54u;
            x->p = ROOT_TAG;
        } else {
            x->p = NONE_TAG;
        }
    }
    /* Whether a verb is still to come tells a main clause from the rest. */
    unsigned verbs = 0;
    for (size_t i = n; i-- > 0;) {
        verbs += st->nd[i].p == SAYSO_VERB;
        st->nd[i].verbs = (uint8_t)(verbs > 2 ? 2 : verbs);
        size_t r = n - i;
        st->nd[i].rest = (uint8_t)(r < 4 ? r : r < 8 ? 4 : r < 16 ? 5 : 6);
    }
    st->stack[0] = st->stack[1] = st->stack[2] = none;
}

#define S0(st) ((st)->stack[(st)->sp + 2])
#define S1(st) ((st)->stack[(st)->sp + 1])
#define S2(st) ((st)->stack[(st)->sp])

static unsigned valid_mask(const pstate *st)
{
    unsigned m = 0;
    if (st->b < st->n) m |= 1u << SHIFT;
    if (st->sp >= 1 && (st->b < st->n || st->sp == 1)) m |= 1u << LEFT;
    if (st->sp >= 2) m |= 1u << RIGHT;
    return m;
}

static void attach(pstate *st, int32_t h, int32_t d, uint32_t lab)
{
    pnode *H = &st->nd[h], *D = &st->nd[d];
    D->head = h;
    D->lab = (uint8_t)lab;
    H->nkids++;
    uint64_t bit = UINT64_C(1) << (lab & 63);
    /* Dependents arrive from the nearest outwards on both sides. */
    if (d < h) {
        H->lc2 = H->lc1;
        H->lc1 = d;
        H->lset |= bit;
    } else {
        H->rc2 = H->rc1;
        H->rc1 = d;
        H->rset |= bit;
    }
}

static void shift(pstate *st)
{
    st->sp++;
    S0(st) = st->b++;
}

/* The head and dependent of the arc that act would make. */
static void arc_of(const pstate *st, int act, int32_t *h, int32_t *d)
{
    *d = S0(st);
    *h = act == LEFT ? st->b : S1(st);
}

static uint64_t dist_bucket(int32_t d)
{
    static const uint8_t bucket[11] = { 0, 1, 2, 3, 4, 5, 6, 6, 6, 6, 7 };
    if (d < 0) d = 0;
    if (d > 10) d = 10;
    return bucket[d];
}

static inline uint64_t wp(const pnode *x) { return (uint64_t)x->w << 8 | x->p; }
static inline uint64_t pp(const pnode *x, const pnode *y) { return (uint64_t)x->p << 8 | y->p; }

/* The transition features: Zhang & Nivre (2011) adapted to arc-hybrid (the
 * pairs that can be joined are s1-s0 and s0-b0), without valency (no
 * gain on dev), plus more tag and word context and what is left of the
 * sentence. Feature groups in order of what removing them cost on dev: tag
 * triples (1.9 points), word pairs (0.8), dependents (0.7), distance
 * (0.3), relations of the dependents (0.1). */
static size_t trans_base_features(const pstate *st, uint64_t *f)
{
    const pnode *nd = st->nd;
    int32_t s0i = S0(st), s1i = S1(st), b = st->b;
    const pnode *s0 = &nd[s0i], *s1 = &nd[s1i], *s2 = &nd[S2(st)];
    const pnode *b0 = &nd[b], *b1 = &nd[b + 1], *b2 = &nd[b + 2];
    const pnode *s0l = &nd[s0->lc1], *s0r = &nd[s0->rc1], *s0l2 = &nd[s0->lc2], *s0r2 = &nd[s0->rc2];
    const pnode *s1l = &nd[s1->lc1], *s1r = &nd[s1->rc1], *s1r2 = &nd[s1->rc2];
    const pnode *b0l = &nd[b0->lc1], *b0l2 = &nd[b0->lc2];
    uint64_t d0 = st->sp >= 1 ? dist_bucket(b - s0i) : 0;
    uint64_t d1 = st->sp >= 2 ? dist_bucket(s0i - s1i) : 0;
    uint64_t s0wp = wp(s0), s1wp = wp(s1), b0wp = wp(b0), b1wp = wp(b1);
    size_t k = 0;
    /* single words */
    f[k++] = sayso_f1(1, s0wp);
    f[k++] = sayso_f1(2, s0->w);
    f[k++] = sayso_f1(3, s0->p);
    f[k++] = sayso_f1(4, s1wp);
    f[k++] = sayso_f1(5, s1->w);
    f[k++] = sayso_f1(6, s1->p);
    f[k++] = sayso_f1(7, b0wp);
    f[k++] = sayso_f1(8, b0->w);
    f[k++] = sayso_f1(9, b0->p);
    f[k++] = sayso_f1(10, b1wp);
    f[k++] = sayso_f1(11, b1->w);
    f[k++] = sayso_f1(12, b1->p);
    f[k++] = sayso_f1(13, wp(b2));
    f[k++] = sayso_f1(14, b2->p);
    f[k++] = sayso_f1(15, s2->p);
    f[k++] = sayso_f1(16, wp(s2));
    /* pairs */
    f[k++] = sayso_f2(20, s0wp, b0wp);
    f[k++] = sayso_f2(21, s0wp, b0->w);
    f[k++] = sayso_f2(22, s0->w, b0wp);
    f[k++] = sayso_f2(23, s0wp, b0->p);
    f[k++] = sayso_f2(24, s0->p, b0wp);
    f[k++] = sayso_f2(25, s0->w, b0->w);
    f[k++] = sayso_f2(26, s0->p, b0->p);
    f[k++] = sayso_f2(27, b0->p, b1->p);
    f[k++] = sayso_f2(28, s1wp, s0wp);
    f[k++] = sayso_f2(29, s1->w, s0->w);
    f[k++] = sayso_f2(30, s1->p, s0->p);
    f[k++] = sayso_f2(31, s1wp, s0->p);
    f[k++] = sayso_f2(32, s1->p, s0wp);
    f[k++] = sayso_f2(33, s1wp, b0->p);
    f[k++] = sayso_f2(34, s1->p, b0wp);
    f[k++] = sayso_f2(35, b0wp, b1wp);
    /* tag triples and quadruples */
    f[k++] = sayso_f2(40, pp(b0, b1), b2->p);
    f[k++] = sayso_f2(41, pp(s0, b0), b1->p);
    f[k++] = sayso_f2(42, pp(s1, s0), b0->p);
    f[k++] = sayso_f2(43, pp(s2, s1), s0->p);
    f[k++] = sayso_f2(44, pp(s0, s0l), b0->p);
    f[k++] = sayso_f2(45, pp(s0, s0r), b0->p);
    f[k++] = sayso_f2(46, pp(s0, b0), b0l->p);
    f[k++] = sayso_f2(47, pp(s1, s0), s0l->p);
    f[k++] = sayso_f2(48, pp(s1, s1r), s0->p);
    f[k++] = sayso_f2(49, pp(s1, s0), s0r->p);
    f[k++] = sayso_f2(50, pp(s1, s1l), s0->p);
    f[k++] = sayso_f2(51, pp(s2, s1), b0->p);
    f[k++] = sayso_f3(52, s0wp, b0->p, b1->p);
    f[k++] = sayso_f3(53, s1->p, s0wp, b0->p);
    f[k++] = sayso_f2(54, pp(s1, s0), pp(b0, b1));
    f[k++] = sayso_f2(55, pp(s0, b0), pp(b1, b2));
    f[k++] = sayso_f2(56, pp(s2, s1), pp(s0, b0));
    f[k++] = sayso_f2(57, pp(s0, s0l), pp(s0r, b0));
    f[k++] = sayso_f2(58, pp(s1, s1r), pp(s0, b0));
    f[k++] = sayso_f2(59, pp(s1, s0), pp(s0l, b0));
    f[k++] = sayso_f2(60, pp(s1, s0), pp(s0r, b0));
    f[k++] = sayso_f2(61, pp(s0, b0), pp(b0l, b1));
    /* words with tag context */
    f[k++] = sayso_f3(62, s0->w, b0->p, b1->p);
    f[k++] = sayso_f3(63, s0->p, b0->w, b1->p);
    f[k++] = sayso_f3(64, s1->w, s0->p, b0->p);
    f[k++] = sayso_f3(65, s1->p, s0->w, b0->p);
    f[k++] = sayso_f3(66, s1->p, s0->p, b0->w);
    /* distance */
    f[k++] = sayso_f2(70, s0->w, d0);
    f[k++] = sayso_f2(71, s0->p, d0);
    f[k++] = sayso_f2(72, b0->w, d0);
    f[k++] = sayso_f2(73, b0->p, d0);
    f[k++] = sayso_f3(74, s0->p, b0->p, d0);
    f[k++] = sayso_f2(75, s1->w, d1);
    f[k++] = sayso_f2(76, s1->p, d1);
    f[k++] = sayso_f2(77, s0->w, d1);
    f[k++] = sayso_f2(78, s0->p, d1);
    f[k++] = sayso_f3(79, s1->p, s0->p, d1);
    /* dependents */
    f[k++] = sayso_f1(80, s0l->w);
    f[k++] = sayso_f1(81, s0l->p);
    f[k++] = sayso_f1(82, s0l->lab);
    f[k++] = sayso_f1(83, s0r->w);
    f[k++] = sayso_f1(84, s0r->p);
    f[k++] = sayso_f1(85, s0r->lab);
    f[k++] = sayso_f1(86, s1l->w);
    f[k++] = sayso_f1(87, s1l->p);
    f[k++] = sayso_f1(88, s1l->lab);
    f[k++] = sayso_f1(89, s1r->w);
    f[k++] = sayso_f1(90, s1r->p);
    f[k++] = sayso_f1(91, s1r->lab);
    f[k++] = sayso_f1(92, b0l->w);
    f[k++] = sayso_f1(93, b0l->p);
    f[k++] = sayso_f1(94, b0l->lab);
    f[k++] = sayso_f1(95, s0l2->w);
    f[k++] = sayso_f1(96, s0l2->p);
    f[k++] = sayso_f1(97, s0l2->lab);
    f[k++] = sayso_f1(98, s0r2->w);
    f[k++] = sayso_f1(99, s0r2->p);
    f[k++] = sayso_f1(100, s0r2->lab);
    f[k++] = sayso_f1(101, s1r2->p);
    f[k++] = sayso_f1(102, s1r2->lab);
    f[k++] = sayso_f1(103, b0l2->p);
    f[k++] = sayso_f1(104, b0l2->lab);
    f[k++] = sayso_f3(105, s0->p, s0l->lab, s0l2->lab);
    f[k++] = sayso_f3(106, s0->p, s0r->lab, s0r2->lab);
    f[k++] = sayso_f3(107, s1->p, s1r->lab, s1r2->lab);
    f[k++] = sayso_f3(108, b0->p, b0l->lab, b0l2->lab);
    f[k++] = sayso_f3(109, s0->p, s0l->lab, s0r->lab);
    f[k++] = sayso_f3(110, s0->p, s0r->lab, b0->p);
    f[k++] = sayso_f3(111, s1->p, s1r->lab, s0->p);
    f[k++] = sayso_f3(112, s0->p, b0l->lab, b0->p);
    /* relations of the dependents so far */
    f[k++] = sayso_f2(120, s0->w, s0->lset);
    f[k++] = sayso_f2(121, s0->p, s0->lset);
    f[k++] = sayso_f2(122, s0->w, s0->rset);
    f[k++] = sayso_f2(123, s0->p, s0->rset);
    f[k++] = sayso_f2(124, s1->w, s1->rset);
    f[k++] = sayso_f2(125, s1->p, s1->rset);
    f[k++] = sayso_f2(126, s1->p, s1->lset);
    f[k++] = sayso_f2(127, b0->w, b0->lset);
    f[k++] = sayso_f2(128, b0->p, b0->lset);
    /* what is left of the sentence */
    f[k++] = sayso_f3(130, s0->p, b0->p, b0->verbs);
    f[k++] = sayso_f3(131, s1->p, s0->p, b0->verbs);
    f[k++] = sayso_f3(132, s0->p, b0->verbs, b0->rest);
    f[k++] = sayso_f3(133, s0->p, b0->p, b1->verbs);
    f[k++] = sayso_f2(134, s0->verbs, b0->verbs);
    return k;
}

/* The rest of the transition features: the relations the candidate arcs
 * would get (candidate_labels). Apart so that the others can be looked up
 * while those relations are being named. */
static size_t trans_label_features(const pstate *st, uint64_t *f)
{
    const pnode *nd = st->nd;
    const pnode *s0 = &nd[S0(st)], *s1 = &nd[S1(st)], *b0 = &nd[st->b];
    size_t k = 0;
    f[k++] = sayso_f1(140, st->lL);
    f[k++] = sayso_f1(141, st->lR);
    f[k++] = sayso_f2(142, st->lL, pp(s0, b0));
    f[k++] = sayso_f2(143, st->lR, pp(s1, s0));
    f[k++] = sayso_f2(144, st->lL, st->lR);
    f[k++] = sayso_f3(145, st->lL, st->lR, pp(s1, s0) << 8 | b0->p);
    return k;
}

static size_t trans_features(const pstate *st, uint64_t *f)
{
    size_t k = trans_base_features(st, f);
    return k + trans_label_features(st, f + k);
}

/* Features for naming the relation of the arc h -> d, whose dependent is
 * complete (arc-hybrid pops a word only when it has all its dependents). */
static size_t label_features(const pstate *st, int32_t h, int32_t d, uint64_t *f)
{
    const pnode *nd = st->nd;
    const pnode *H = &nd[h], *D = &nd[d];
    uint64_t dir = d < h;
    const pnode *dl = &nd[D->lc1], *dr = &nd[D->rc1];
    const pnode *dprev = &nd[d > 0 ? d - 1 : st->n + 1], *dnext = &nd[d + 1];
    uint64_t hp = (uint64_t)H->p << 1 | dir, dp = (uint64_t)D->p << 1 | dir;
    uint64_t dist = dist_bucket(d < h ? h - d : d - h);
    size_t k = 0;
    f[k++] = sayso_f2(1, dir, wp(H));
    f[k++] = sayso_f2(2, dir, H->w);
    f[k++] = sayso_f1(3, hp);
    f[k++] = sayso_f2(4, dir, wp(D));
    f[k++] = sayso_f2(5, dir, D->w);
    f[k++] = sayso_f1(6, dp);
    f[k++] = sayso_f2(7, hp, D->p);
    f[k++] = sayso_f2(8, H->w, dp);
    f[k++] = sayso_f2(9, hp, D->w);
    f[k++] = sayso_f3(10, dir, H->w, D->w);
    f[k++] = sayso_f3(11, hp, D->p, dist);
    f[k++] = sayso_f2(12, dp, dl->lab);
    f[k++] = sayso_f2(13, dp, dr->lab);
    f[k++] = sayso_f2(14, dp, D->lset);
    f[k++] = sayso_f2(15, dp, D->rset);
    f[k++] = sayso_f2(16, hp, H->lset);
    f[k++] = sayso_f2(17, hp, H->rset);
    f[k++] = sayso_f3(18, hp, D->p, dprev->p);
    f[k++] = sayso_f3(19, hp, D->p, dnext->p);
    f[k++] = sayso_f3(20, hp, D->p, dl->p);
    f[k++] = sayso_f3(21, hp, D->p, dr->p);
    f[k++] = sayso_f2(22, dp, dl->w);
    f[k++] = sayso_f3(23, hp, D->p, dl->w);
    f[k++] = sayso_f3(24, hp, D->lset, D->p);
    f[k++] = sayso_f3(26, H->w, D->p, dl->lab);
    return k;
}

/* ---- run time ----------------------------------------------------------- */

sayso_parser *sayso_parser_open(const sayso_model *m, char *err, size_t errlen)
{
    const pmeta *mt = sayso_model_need(m, "pmeta", sizeof(pmeta), NULL, err, errlen);
    if (!mt) return NULL;
    if (mt->nlabels == 0 || mt->nlabels > MAXLABELS || mt->root >= mt->nlabels) {
        snprintf(err, errlen, "corrupt parser model: bad pmeta section");
        return NULL;
    }
    size_t len;
    const char *names = sayso_model_need(m, "labels", 0, &len, err, errlen);
    if (!names) return NULL;
    sayso_parser *p = calloc(1, sizeof *p);
    if (!p) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    p->nlabels = mt->nlabels;
    p->root = mt->root;
    size_t off = 0;
    for (uint32_t i = 0; i < p->nlabels; i++) {
        const char *z = off < len ? memchr(names + off, 0, len - off) : NULL;
        if (!z || z == names + off) {
            snprintf(err, errlen, "corrupt parser model: relation names cut short");
            free(p);
            return NULL;
        }
        p->names[i] = names + off;
        off = (size_t)(z - names) + 1;
    }
    if (off != len || strcmp(p->names[p->root], "root") != 0) {
        snprintf(err, errlen, "corrupt parser model: relation names do not match pmeta");
        free(p);
        return NULL;
    }
    if (sayso_ptab_open(&p->act, m, "act", err, errlen) < 0 || sayso_ptab_open(&p->lab, m, "lab", err, errlen) < 0) {
        sayso_parser_free(p);
        return NULL;
    }
    if (p->act.nclass != NACT || p->lab.nclass != p->nlabels) {
        snprintf(err, errlen, "corrupt parser model: feature tables do not match the relations");
        sayso_parser_free(p);
        return NULL;
    }
    return p;
}

void sayso_parser_free(sayso_parser *p)
{
    if (!p) return;
    sayso_ptab_close(&p->act);
    sayso_ptab_close(&p->lab);
    free(p);
}

unsigned sayso_parser_nlabels(const sayso_parser *p) { return p->nlabels; }

const char *sayso_parser_label(const sayso_parser *p, unsigned id)
{
    return id < p->nlabels ? p->names[id] : NULL;
}

int sayso_parser_label_id(const sayso_parser *p, const char *name)
{
    for (uint32_t i = 0; i < p->nlabels; i++)
        if (strcmp(p->names[i], name) == 0) return (int)i;
    return -1;
}

/* The best relation for an arc between words: never "root", which only the
 * arc from the root has. */
static uint32_t pick_label(const int32_t *s, uint32_t nlabels, uint32_t root)
{
    uint32_t best = root == 0 ? 1 : 0;
    for (uint32_t c = 0; c < nlabels; c++)
        if (c != root && s[c] > s[best]) best = c;
    return best;
}

static int only_action(unsigned valid)
{
    return valid == (1u << SHIFT) ? SHIFT : valid == (1u << LEFT) ? LEFT : RIGHT;
}

/* The relation of the arc h -> d. Its features read only h and d and
 * their dependents, which only grow, so a relation named for the same pair
 * with the same numbers of dependents is the same: after LEFT pops s0, the
 * new RIGHT arc (s2 -> s1) is usually the one named before s0 was shifted,
 * and is not scored again. */
static int memo_get(const pstate *st, int32_t h, int32_t d, uint32_t *lab)
{
    const pnode *D = &st->nd[d];
    const pmemo *m = &D->memo[h > d];
    if (m->h != h || m->hk != st->nd[h].nkids || m->dk != D->nkids) return 0;
    *lab = m->lab;
    return 1;
}

static void memo_put(pstate *st, int32_t h, int32_t d, uint32_t lab)
{
    pnode *D = &st->nd[d];
    pmemo *m = &D->memo[h > d];
    m->h = h;
    m->hk = st->nd[h].nkids;
    m->dk = D->nkids;
    m->lab = lab;
}

/* The relations the arcs LEFT and RIGHT would make would get, into st:
 * features of the transition (a LEFT that makes a "det" is not one that
 * makes an "nsubj"), then the relation of the arc made. Both arcs' features
 * are prefetched before either is scored, so that their cache misses
 * overlap. */
static void candidate_labels(const sayso_parser *p, pstate *st, unsigned valid, uint64_t *f, int32_t *ls)
{
    st->lL = st->lR = p->nlabels;
    int32_t h[2], d = S0(st);
    uint32_t *out[2] = { &st->lL, &st->lR };
    size_t nf[2] = { 0, 0 };
    int need[2] = { (valid >> LEFT & 1) && st->b < st->n, (int)(valid >> RIGHT & 1) };
    h[0] = st->b;
    h[1] = S1(st);
    for (int i = 0; i < 2; i++) {
        if (!need[i] || memo_get(st, h[i], d, out[i])) {
            need[i] = 0;
            continue;
        }
        nf[i] = label_features(st, h[i], d, f + i * NLABF);
        sayso_ptab_prefetch(&p->lab, f + i * NLABF, nf[i]);
    }
    for (int i = 0; i < 2; i++) {
        if (!need[i]) continue;
        memset(ls, 0, p->nlabels * sizeof *ls);
        sayso_ptab_score(&p->lab, f + i * NLABF, nf[i], ls);
        *out[i] = pick_label(ls, p->nlabels, p->root);
        memo_put(st, h[i], d, *out[i]);
    }
}

int sayso_parser_parse(const sayso_parser *p, sayso_syntax_ws *ws, sayso_word *w, size_t n)
{
    if (!n) return 0;
    if (n > SAYSO_SYNTAX_MAXWORDS || sayso_syntax_reserve(&ws->parse, &ws->parsecap, state_bytes(n)) < 0)
        return -1;
    pstate st;
    state_init(&st, ws->parse, w, n, p->nlabels);
    uint64_t f[NTRANSF], fl[2 * NLABF];
    int32_t ls[MAXLABELS];
    while (st.b < st.n || st.sp > 0) {
        unsigned valid = valid_mask(&st);
        int act = only_action(valid);
        if (valid & (valid - 1)) {
            int32_t s[NACT] = { 0, 0, 0 };
            /* the transition's own features first, fetched while the
             * relations of its arcs are named */
            size_t nf = trans_base_features(&st, f);
            sayso_ptab_prefetch(&p->act, f, nf);
            candidate_labels(p, &st, valid, fl, ls);
            nf += trans_label_features(&st, f + nf);
            sayso_ptab_score(&p->act, f, nf, s);
            act = -1;
            for (int a = 0; a < NACT; a++)
                if ((valid >> a & 1) && (act < 0 || s[a] > s[act])) act = a;
        } else if (act != SHIFT) {
            candidate_labels(p, &st, valid, fl, ls);
        }
        if (act == SHIFT) {
            shift(&st);
            continue;
        }
        int32_t h, d;
        arc_of(&st, act, &h, &d);
        attach(&st, h, d, h == st.n ? p->root : act == LEFT ? st.lL : st.lR);
        st.sp--;
    }
    for (size_t i = 0; i < n; i++) {
        int32_t h = st.nd[i].head;
        w[i].head = (int16_t)(h == st.n ? -1 : h);
        w[i].rel = st.nd[i].lab;
    }
    return 0;
}

/* ---- training ----------------------------------------------------------- */

struct sayso_parser_trainer {
    const sayso_conllu *tb;
    const sayso_word *tagged;
    int32_t *ghead;       /* per word of tb: gold head, projectivised, sentence-relative; n = root */
    uint8_t *glab;        /* per word: gold relation id */
    char **names;
    uint32_t nlabels, root;
    size_t *order;
    sayso_percep *act, *lab;
    uint64_t rng;
    void *mem;
    size_t memcap;
    int32_t *bufdeps, *stackdeps;
    uint8_t *instack;
    size_t depcap;
    int merged;           /* act and lab hold a mean of other trainers' */
};

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The relations of the training data, sorted, so that ids depend only on
 * the set of names. */
static int collect_labels(sayso_parser_trainer *tr, char *err, size_t errlen)
{
    const sayso_conllu *tb = tr->tb;
    size_t cap = 64;
    tr->names = malloc(cap * sizeof *tr->names);
    if (!tr->names) goto oom;
    for (size_t i = 0; i < tb->nw; i++) {
        const char *r = tb->rel[i];
        size_t j = 0;
        while (j < tr->nlabels && strcmp(tr->names[j], r) != 0) j++;
        if (j < tr->nlabels) continue;
        if (tr->nlabels == MAXLABELS) {
            snprintf(err, errlen, "more than %d relations in the training data", MAXLABELS);
            return -1;
        }
        if (tr->nlabels == cap) {
            char **nn = realloc(tr->names, cap * 2 * sizeof *nn);
            if (!nn) goto oom;
            tr->names = nn;
            cap *= 2;
        }
        tr->names[tr->nlabels] = strdup(r);
        if (!tr->names[tr->nlabels]) goto oom;
        tr->nlabels++;
    }
    qsort(tr->names, tr->nlabels, sizeof *tr->names, cmp_str);
    for (tr->root = 0; tr->root < tr->nlabels && strcmp(tr->names[tr->root], "root") != 0; tr->root++) {}
    if (tr->root == tr->nlabels) {
        snprintf(err, errlen, "no \"root\" relation in the training data");
        return -1;
    }
    for (size_t i = 0; i < tb->nw; i++) {
        size_t lo = 0, hi = tr->nlabels;
        while (lo + 1 < hi) {
            size_t mid = (lo + hi) / 2;
            if (strcmp(tr->names[mid], tb->rel[i]) <= 0) lo = mid;
            else hi = mid;
        }
        tr->glab[i] = (uint8_t)lo;
    }
    return 0;
oom:
    snprintf(err, errlen, "out of memory");
    return -1;
}

/* Does some word strictly between d and its head h hang outside h's
 * subtree? head[] is sentence-relative with n for the root. */
static int nonprojective_arc(const int32_t *head, int32_t n, int32_t d)
{
    int32_t h = head[d];
    if (h == n) return 0;
    int32_t lo = d < h ? d : h, hi = d < h ? h : d;
    for (int32_t k = lo + 1; k < hi; k++) {
        int32_t a = k;
        while (a != n && a != h) a = head[a];
        if (a != h) return 1;
    }
    return 0;
}

static void projectivise(int32_t *head, int32_t n)
{
    for (;;) {
        int32_t best = -1, bestlen = 0;
        for (int32_t d = 0; d < n; d++) {
            if (!nonprojective_arc(head, n, d)) continue;
            int32_t len = head[d] > d ? head[d] - d : d - head[d];
            if (best < 0 || len < bestlen) { best = d; bestlen = len; }
        }
        if (best < 0) return;
        head[best] = head[head[best]];
    }
}

sayso_parser_trainer *sayso_parser_trainer_new(const sayso_conllu *tb, const sayso_word *tagged, uint64_t seed,
                                               char *err, size_t errlen)
{
    sayso_parser_trainer *tr = calloc(1, sizeof *tr);
    if (!tr) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    tr->tb = tb;
    tr->tagged = tagged ? tagged : tb->w;
    tr->rng = seed;
    tr->ghead = malloc((tb->nw ? tb->nw : 1) * sizeof *tr->ghead);
    tr->glab = malloc(tb->nw ? tb->nw : 1);
    tr->order = malloc((tb->nsent ? tb->nsent : 1) * sizeof *tr->order);
    if (!tr->ghead || !tr->glab || !tr->order) {
        snprintf(err, errlen, "out of memory");
        sayso_parser_trainer_free(tr);
        return NULL;
    }
    if (collect_labels(tr, err, errlen) < 0) {
        sayso_parser_trainer_free(tr);
        return NULL;
    }
    tr->act = sayso_percep_new(NACT);
    tr->lab = sayso_percep_new(tr->nlabels);
    if (!tr->act || !tr->lab) {
        snprintf(err, errlen, "out of memory");
        sayso_parser_trainer_free(tr);
        return NULL;
    }
    for (size_t s = 0; s < tb->nsent; s++) {
        size_t first = tb->sent[s];
        int32_t n = (int32_t)(tb->sent[s + 1] - first);
        int32_t *gh = tr->ghead + first;
        for (int32_t i = 0; i < n; i++) gh[i] = tb->w[first + i].head < 0 ? n : tb->w[first + i].head;
        /* Lifting is cubic at worst: a sentence longer than any real one
         * keeps its arcs, and the oracle's costs are then approximate. */
        if (n <= 1000) projectivise(gh, n);
        tr->order[s] = s;
    }
    return tr;
}

void sayso_parser_trainer_free(sayso_parser_trainer *tr)
{
    if (!tr) return;
    for (uint32_t i = 0; i < tr->nlabels; i++) free(tr->names[i]);
    free(tr->names);
    free(tr->ghead);
    free(tr->glab);
    free(tr->order);
    sayso_percep_free(tr->act);
    sayso_percep_free(tr->lab);
    free(tr->mem);
    free(tr->bufdeps);
    free(tr->stackdeps);
    free(tr->instack);
    free(tr);
}

static uint32_t pick_label_f(const float *s, uint32_t nlabels, uint32_t root)
{
    uint32_t best = root == 0 ? 1 : 0;
    for (uint32_t c = 0; c < nlabels; c++)
        if (c != root && s[c] > s[best]) best = c;
    return best;
}

/* candidate_labels, with the weights being trained. */
static void candidate_labels_f(const sayso_parser_trainer *tr, pstate *st, unsigned valid, uint64_t *f, float *ls)
{
    st->lL = st->lR = tr->nlabels;
    if ((valid >> LEFT & 1) && st->b < st->n) {
        memset(ls, 0, tr->nlabels * sizeof *ls);
        sayso_percep_score(tr->lab, f, label_features(st, st->b, S0(st), f), ls);
        st->lL = pick_label_f(ls, tr->nlabels, tr->root);
    }
    if (valid >> RIGHT & 1) {
        memset(ls, 0, tr->nlabels * sizeof *ls);
        sayso_percep_score(tr->lab, f, label_features(st, S1(st), S0(st), f), ls);
        st->lR = pick_label_f(ls, tr->nlabels, tr->root);
    }
}

/* Gold arcs each transition would lose from here (Goldberg & Nivre 2013,
 * arc-hybrid), with the root at the end of the buffer: bufdeps[x] counts
 * x's gold dependents still in the buffer, stackdeps[x] those on the
 * stack. The single-root rule adds one case: the root word can only reach
 * the root from the bottom of the stack, so shifting it onto anything
 * loses its arc (and later transitions must not count that arc again).
 * Checked: along random transition sequences the costs add up exactly to
 * the arcs lost. */
static void costs(const pstate *st, const int32_t *gh, const int32_t *bufdeps, const int32_t *stackdeps,
                  const uint8_t *instack, unsigned valid, int *cost)
{
    int32_t b = st->b, s0 = S0(st), s1 = S1(st);
    cost[SHIFT] = cost[LEFT] = cost[RIGHT] = 1 << 20;
    if (valid >> SHIFT & 1)
        cost[SHIFT] = stackdeps[b] + (gh[b] != s0 && gh[b] < st->n && instack[gh[b]]) +
                      (gh[b] == st->n && st->sp > 0);
    if (valid >> LEFT & 1)
        cost[LEFT] = bufdeps[s0] + (gh[s0] != b && (gh[s0] == s1 || (gh[s0] > b && (gh[s0] < st->n || st->sp == 1))));
    if (valid >> RIGHT & 1)
        cost[RIGHT] = bufdeps[s0] + (gh[s0] != s1 && gh[s0] >= b && gh[s0] < st->n);
}

/* One transition of training: scores, the oracle's costs, the update, and
 * the transition to follow. Returns it, or -1 when out of memory. */
static int train_step(sayso_parser_trainer *tr, const pstate *st, const int32_t *gh, int explore, uint64_t *f)
{
    unsigned valid = valid_mask(st);
    if (!(valid & (valid - 1))) return only_action(valid);
    float sc[NACT] = { 0, 0, 0 };
    size_t nf = trans_features(st, f);
    sayso_percep_score(tr->act, f, nf, sc);
    int cost[NACT];
    costs(st, gh, tr->bufdeps, tr->stackdeps, tr->instack, valid, cost);
    int mincost = 1 << 20, pred = -1, best = -1, rival = -1;
    for (int a = 0; a < NACT; a++) {
        if (!(valid >> a & 1)) continue;
        if (cost[a] < mincost) mincost = cost[a];
        if (pred < 0 || sc[a] > sc[pred]) pred = a;
    }
    for (int a = 0; a < NACT; a++) {
        if (!(valid >> a & 1)) continue;
        if (cost[a] == mincost && (best < 0 || sc[a] > sc[best])) best = a;
        if (cost[a] > mincost && (rival < 0 || sc[a] > sc[rival])) rival = a;
    }
    int next = pred, against = -1;
    if (cost[pred] > mincost) {
        against = pred;
        if (explore && sayso_rand(&tr->rng) % 10 >= EXPLORE_IN_TEN) next = best;
        else if (!explore) next = best;
    } else if (rival >= 0 && sc[best] - sc[rival] < MARGIN) {
        against = rival;
    }
    if (against >= 0 && (sayso_percep_update(tr->act, f, nf, (uint32_t)best, 1.0f) < 0 ||
                         sayso_percep_update(tr->act, f, nf, (uint32_t)against, -1.0f) < 0))
        return -1;
    sayso_percep_tick(tr->act);
    return next;
}

int sayso_parser_trainer_epoch(sayso_parser_trainer *tr, int epoch, double *uas, double *las)
{
    const sayso_conllu *tb = tr->tb;
    for (size_t i = tb->nsent; i > 1; i--) {
        size_t j = (size_t)(sayso_rand(&tr->rng) % i);
        size_t t = tr->order[i - 1];
        tr->order[i - 1] = tr->order[j];
        tr->order[j] = t;
    }
    int explore = epoch >= EXPLORE_FROM;
    size_t total = 0, uright = 0, lright = 0;
    uint64_t f[NTRANSF];
    float ls[MAXLABELS];
    for (size_t si = 0; si < tb->nsent; si++) {
        size_t s = tr->order[si], first = tb->sent[s];
        size_t n = tb->sent[s + 1] - first;
        if (sayso_syntax_reserve(&tr->mem, &tr->memcap, state_bytes(n)) < 0) return -1;
        if (n + 1 > tr->depcap) {
            free(tr->bufdeps);
            free(tr->stackdeps);
            free(tr->instack);
            tr->bufdeps = malloc((n + 1) * sizeof *tr->bufdeps);
            tr->stackdeps = malloc((n + 1) * sizeof *tr->stackdeps);
            tr->instack = malloc(n + 1);
            tr->depcap = n + 1;
            if (!tr->bufdeps || !tr->stackdeps || !tr->instack) {
                tr->depcap = 0;
                return -1;
            }
        }
        const int32_t *gh = tr->ghead + first;
        const uint8_t *gl = tr->glab + first;
        memset(tr->bufdeps, 0, (n + 1) * sizeof *tr->bufdeps);
        memset(tr->stackdeps, 0, (n + 1) * sizeof *tr->stackdeps);
        memset(tr->instack, 0, n + 1);
        for (size_t i = 0; i < n; i++) tr->bufdeps[gh[i]]++;
        pstate st;
        state_init(&st, tr->mem, tr->tagged + first, n, tr->nlabels);
        while (st.b < st.n || st.sp > 0) {
            candidate_labels_f(tr, &st, valid_mask(&st), f, ls);
            int act = train_step(tr, &st, gh, explore, f);
            if (act < 0) return -1;
            if (act == SHIFT) {
                int32_t b = st.b;
                tr->stackdeps[gh[b]]++;
                tr->bufdeps[gh[b]]--;
                tr->instack[b] = 1;
                shift(&st);
                continue;
            }
            int32_t h, d;
            arc_of(&st, act, &h, &d);
            uint32_t lab = h == st.n ? tr->root : act == LEFT ? st.lL : st.lR;
            if (h != st.n && gh[d] == h) {
                size_t nf = label_features(&st, h, d, f);
                if (lab != gl[d] && (sayso_percep_update(tr->lab, f, nf, gl[d], 1.0f) < 0 ||
                                     sayso_percep_update(tr->lab, f, nf, lab, -1.0f) < 0))
                    return -1;
                sayso_percep_tick(tr->lab);
                /* Until it explores, the parser sees the gold relations of
                 * the gold arcs, as it sees their gold transitions. */
                if (!explore) lab = gl[d];
            }
            /* Scored against the original (unlifted) heads. */
            int32_t orig = tb->w[first + (size_t)d].head;
            if (orig == (h == st.n ? -1 : h)) {
                uright++;
                lright += lab == gl[d];
            }
            total++;
            tr->stackdeps[gh[d]]--;
            tr->instack[d] = 0;
            attach(&st, h, d, lab);
            st.sp--;
        }
    }
    *uas = total ? (double)uright / (double)total : 0;
    *las = total ? (double)lright / (double)total : 0;
    return 0;
}

int sayso_parser_trainer_add(sayso_parser_trainer *dst, const sayso_parser_trainer *src, double scale)
{
    if (dst->nlabels != src->nlabels) return -1;
    if (!dst->merged) {
        sayso_percep *a = sayso_percep_new(NACT), *l = sayso_percep_new(dst->nlabels);
        if (!a || !l) {
            sayso_percep_free(a);
            sayso_percep_free(l);
            return -1;
        }
        sayso_percep_free(dst->act);
        sayso_percep_free(dst->lab);
        dst->act = a;
        dst->lab = l;
        dst->merged = 1;
    }
    return sayso_percep_add_averaged(dst->act, src->act, scale) < 0 ||
                   sayso_percep_add_averaged(dst->lab, src->lab, scale) < 0
               ? -1
               : 0;
}

sayso_model_writer *sayso_parser_trainer_model(const sayso_parser_trainer *tr)
{
    sayso_model_writer *w = sayso_model_writer_new(SAYSO_PARSER_KIND, SAYSO_PARSER_VERSION);
    if (!w) return NULL;
    pmeta mt = { tr->nlabels, tr->root, { 0, 0 } };
    size_t len = 0;
    for (uint32_t i = 0; i < tr->nlabels; i++) len += strlen(tr->names[i]) + 1;
    char *names = malloc(len ? len : 1), *p = names;
    if (!names) {
        sayso_model_writer_free(w);
        return NULL;
    }
    for (uint32_t i = 0; i < tr->nlabels; i++) {
        size_t k = strlen(tr->names[i]) + 1;
        memcpy(p, tr->names[i], k);
        p += k;
    }
    int bad = sayso_model_writer_add(w, "pmeta", &mt, sizeof mt) < 0 ||
              sayso_model_writer_add(w, "labels", names, len) < 0 ||
              sayso_percep_write_packed(tr->act, w, "act", SAYSO_PTAB_INLINE, PRUNE_ACT) < 0 ||
              sayso_percep_write_packed(tr->lab, w, "lab", SAYSO_PTAB_SPARSE, PRUNE_LAB) < 0;
    free(names);
    if (bad) {
        sayso_model_writer_free(w);
        return NULL;
    }
    return w;
}
