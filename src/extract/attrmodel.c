/*
 * attrmodel.c — features, candidates and decoding of the learned
 * attribution model (attrmodel.h); training is attrtrain.c.
 *
 * Per article: one pass computes what each token offers the features
 * (word hashes, quotation state, mention, the rules' roles, syntax), then
 * each paragraph is tagged for cues (Viterbi over B/I/O), then each cue's
 * content and source are chosen among candidates by two rankers. All of it
 * works in the reusable arrays of a sayso_attrwork: nothing is allocated
 * per token once the arrays have grown to the largest article.
 */
#include <stdlib.h>
#include <string.h>
#include "attrmodel.h"
#include "attrint.h"
#include "clauses.h"
#include "syntax.h"
#include "mentions.h"
#include "sourcespan.h"

/* ---- per-token information ---------------------------------------------- */

static uint64_t word_hash(const doc *d, int32_t k)
{
    const tok *t = &d->t[k];
    const unsigned char *s = (const unsigned char *)d->text + t->b;
    size_t n = t->e - t->b;
    uint64_t h = UINT64_C(0xcbf29ce484222325);
    for (size_t i = 0; i < n; i++) {
        unsigned c = s[i];
        if (c >= 'A' && c <= 'Z') c += 32;
        /* ’ (E2 80 99) reads as ' so that both spellings share weights */
        if (c == 0xE2 && i + 2 < n && s[i + 1] == 0x80 && (s[i + 2] == 0x99 || s[i + 2] == 0x98)) { c = '\''; i += 2; }
        h = (h ^ c) * UINT64_C(0x100000001b3);
    }
    return sayso_mix64(h);
}

/* Word shape: Xx, x, X, d, with runs collapsed ("Obama" -> Xx, "41-year" -> d-x). */
static uint64_t shape_hash(const doc *d, int32_t k)
{
    const tok *t = &d->t[k];
    const unsigned char *s = (const unsigned char *)d->text + t->b;
    size_t n = t->e - t->b;
    uint64_t h = 7;
    int last = -1, runs = 0;
    for (size_t i = 0; i < n && runs < 6; i++) {
        unsigned c = s[i];
        int cls = c >= 'A' && c <= 'Z' ? 'X' : c >= 'a' && c <= 'z' ? 'x' : c >= '0' && c <= '9' ? 'd' : c >= 0x80 ? 'u' : (int)c;
        if (cls == last) continue;
        last = cls;
        runs++;
        h = h * 131 + (uint64_t)cls;
    }
    return h;
}

static uint64_t affix_hash(const doc *d, int32_t k, int suffix)
{
    const tok *t = &d->t[k];
    size_t n = t->e - t->b, m = n < 3 ? n : 3;
    const char *s = d->text + (suffix ? t->e - m : t->b);
    char buf[3];
    for (size_t i = 0; i < m; i++) buf[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
    return sayso_hash_bytes(buf, m) + (uint64_t)suffix;
}

/* Quotation state of a token: outside, inside, an opening or a closing mark. */
enum { QS_OUT = 0, QS_IN, QS_OPEN, QS_CLOSE, QS_MARK };

static uint8_t quote_state(const doc *d, int32_t k)
{
    const tok *t = &d->t[k];
    if (t->kind == TK_MARK && t->q >= 0) {
        const qspan *q = &d->qs[t->q];
        if (q->open == k) return QS_OPEN;
        if (q->close == k) return QS_CLOSE;
        return QS_MARK;
    }
    if (t->kind == TK_MARK) return QS_MARK;
    return (t->flags & TF_INQUOTE) ? QS_IN : QS_OUT;
}

/* ---- which attributions stand at which tokens --------------------------- */

/* Calls fn(k) for each token of attribution a's spans in the role. */
#define FOR_ROLE_TOKENS(a, role, k, body)                                                                   \
    do {                                                                                                 \
        if ((role) == AM_CONTENT) {                                                                      \
            for (int c_ = 0; c_ < (a)->ncontent; c_++)                                                   \
                for (int32_t k = (a)->content[c_].first; k <= (a)->content[c_].last; k++) body;          \
        } else if ((role) == AM_CUE) {                                                                   \
            if ((a)->cue_first >= 0)                                                                     \
                for (int32_t k = (a)->cue_first; k <= (a)->cue_last; k++) body;                          \
        } else if ((a)->has_src) {                                                                       \
            for (int32_t k = (a)->src.first; k <= (a)->src.last; k++) body;                              \
        }                                                                                                \
    } while (0)

/* Builds the index of the attributions of set for one role over nt tokens.
 * Linear in the tokens and the spans. */
static int attrmap_build(attrmap *m, const attributions *set, size_t nt, int role)
{
    m->of = set;
    if (sayso_grow((void **)&m->start, &m->capstart, nt + 2, sizeof *m->start) < 0) return -1;
    memset(m->start, 0, (nt + 2) * sizeof *m->start);
    size_t total = 0;
    for (size_t i = 0; set && i < set->n; i++)
        FOR_ROLE_TOKENS(&set->a[i], role, k, if (k >= 0 && (size_t)k < nt) { m->start[k + 2]++; total++; });
    for (size_t k = 0; k < nt; k++) m->start[k + 2] += m->start[k + 1];
    if (sayso_grow((void **)&m->idx, &m->capidx, total + 1, sizeof *m->idx) < 0) return -1;
    /* start[k + 1] is where token k's list is filled; it ends as start[k + 1]
     * of the next token, so that start[k] .. start[k + 1] is token k's. */
    for (size_t i = 0; set && i < set->n; i++)
        FOR_ROLE_TOKENS(&set->a[i], role, k, if (k >= 0 && (size_t)k < nt) m->idx[m->start[k + 1]++] = (int32_t)i);
    return 0;
}

static int cmp_i32(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

/* The attributions of m at any token of the nr ranges, ascending, without
 * repeats, into w->hits; returns how many (0 when out of memory). */
static size_t attrmap_find_ranges(sayso_attrwork *w, const attrmap *m, const range *r, int nr, size_t nt)
{
    size_t n = 0;
    for (int i = 0; i < nr; i++)
        for (int32_t k = r[i].first < 0 ? 0 : r[i].first; k <= r[i].last && (size_t)k < nt; k++)
            for (int32_t j = m->start[k]; j < m->start[k + 1]; j++) {
                if (sayso_grow((void **)&w->hits, &w->caphits, n + 1, sizeof *w->hits) < 0) return 0;
                w->hits[n++] = m->idx[j];
            }
    if (n > 1) qsort(w->hits, n, sizeof *w->hits, cmp_i32);
    size_t u = 0;
    for (size_t i = 0; i < n; i++)
        if (!u || w->hits[u - 1] != w->hits[i]) w->hits[u++] = w->hits[i];
    return u;
}

static size_t attrmap_find(sayso_attrwork *w, const attrmap *m, int32_t f, int32_t l, size_t nt)
{
    range r = {f, l};
    return attrmap_find_ranges(w, m, &r, 1, nt);
}

/* The attributions of m whose contents overlap a's, ascending, in w->hits. */
static size_t overlapping(sayso_attrwork *w, const attrmap *m, const doc *d, const attribution *a)
{
    return attrmap_find_ranges(w, m, a->content, a->ncontent, d->nt);
}

int sayso_attr_prepare(sayso_attrwork *w, const doc *d, const attributions *rules)
{
    size_t nt = d->nt;
    if (sayso_grow((void **)&w->ti, &w->capti, nt + 1, sizeof *w->ti) < 0) return -1;
    for (size_t k = 0; k < nt; k++) {
        tinfo *x = &w->ti[k];
        const tok *t = &d->t[k];
        x->w = word_hash(d, (int32_t)k);
        x->shape = shape_hash(d, (int32_t)k);
        x->suf = t->kind == TK_WORD ? affix_hash(d, (int32_t)k, 1) : x->w;
        x->pre = t->kind == TK_WORD ? affix_hash(d, (int32_t)k, 0) : x->w;
        x->qs = quote_state(d, (int32_t)k);
        x->ment = -1;
        x->rule = 0;
        x->cue = 0;
        const sayso_lex *lx = tok_lex(d, t);
        x->lemma = lx && (t->lf & LX_CUE) ? (uint64_t)lx->lemma + 1
                 : lx && (t->lf & LX_ATTR) ? (uint64_t)lx->alemma + 1 : 0;
    }
    for (size_t m = 0; m < d->nm; m++)
        for (int32_t k = d->m[m].first; k <= d->m[m].last && (size_t)k < nt; k++)
            if (w->ti[k].ment < 0) w->ti[k].ment = (int32_t)m;
    for (size_t i = 0; rules && i < rules->n; i++) {
        const attribution *a = &rules->a[i];
        uint16_t kind = a->type == SAYSO_DIRECT ? RR_DIRECT : a->type == SAYSO_MIXED ? RR_MIXED : RR_INDIRECT;
        for (int c = 0; c < a->ncontent; c++)
            for (int32_t k = a->content[c].first; k <= a->content[c].last; k++) w->ti[k].rule |= RR_CONTENT | kind;
        if (a->cue_first >= 0)
            for (int32_t k = a->cue_first; k <= a->cue_last; k++) w->ti[k].rule |= RR_CUE | kind;
        if (a->has_src)
            for (int32_t k = a->src.first; k <= a->src.last; k++) w->ti[k].rule |= RR_SOURCE;
    }
    for (int r = 0; r < AM_N; r++)
        if (attrmap_build(&w->rmap[r], rules, nt, r) < 0) return -1;
    return 0;
}

/* ---- cue tagger features ------------------------------------------------ */

/* Template numbers: part of every feature's hash, so they must not change
 * without a new model version. */
enum {
    F_BIAS = 1, F_W0, F_WM1, F_WP1, F_WM2, F_WP2, F_BI_M1, F_BI_P1, F_SHAPE, F_SUF, F_PRE, F_CAPS,
    F_LEX, F_LEM, F_LEM_P1, F_LEXM1, F_LEXP1, F_QS, F_QS_M1, F_QS_P1, F_W0_QS, F_RULE, F_RULE_M1,
    F_RULE_P1, F_MENT, F_MENT_M1, F_MENT_P1, F_PUNCT_P1, F_SPOS, F_LEFTCUE, F_RIGHTCUE, F_W_SENTQ,
    F_UPOS, F_UPOS_M1, F_UPOS_P1, F_UPOS_W, F_REL, F_REL_W, F_HEAD_W, F_HEAD_REL, F_KIDS, F_KID_REL,
    F_LEM_KID_REL, F_REL_HEADUPOS, F_SUBJ_KID, F_W_P1_UPOS, F_LEM_NEXT, F_W0_M1LEX, F_ATTRW_M3,
    F_ATTRW_P3, F_TRANS, F_SUBJ_TYPE, F_LEM_SUBJ, F_COMP_START, F_LEM_COMP, F_LEM_UPOS
};

static uint64_t mention_kind(const sayso_attrwork *w, const doc *d, int32_t k)
{
    if (k < 0 || (size_t)k >= d->nt || w->ti[k].ment < 0) return 0;
    const mention *m = &d->m[w->ti[k].ment];
    return 1 + (uint64_t)m->kind * 2 + (m->first == k);
}

static uint64_t lexclass(const doc *d, int32_t k)
{
    if (k < 0 || (size_t)k >= d->nt) return 99;
    uint32_t f = d->t[k].lf;
    return (f & (LX_CUE | LX_REPORT | LX_ATTR | LX_PRONOUN | LX_PERSON | LX_ORGNOUN | LX_TITLE | LX_ARTICLE |
                 LX_POSSDET | LX_CALENDAR | LX_FUNC));
}

/* For each token: the nearest attribution word to its left and right in
 * its sentence, as (token index) arrays, so that the cue features are one
 * lookup each. */
static void nearest_attr_words(sayso_attrwork *w, const doc *d)
{
    for (size_t s = 0; s < d->nsent; s++) {
        int32_t f = d->sent[s].first, l = d->sent[s].last, last = -1;
        for (int32_t k = f; k <= l; k++) {
            w->ti[k].left = last;
            if (d->t[k].lf & (LX_CUE | LX_ATTR)) last = k;
        }
        last = -1;
        for (int32_t k = l; k >= f; k--) {
            w->ti[k].right = last;
            if (d->t[k].lf & (LX_CUE | LX_ATTR)) last = k;
        }
    }
}

static uint64_t bucket(int32_t n)
{
    if (n < 0) n = -n;
    return n < 4 ? (uint64_t)n : n < 8 ? 4 : n < 16 ? 5 : n < 32 ? 6 : 7;
}

/* The cue tagger's features of token k; returns their number. */
static size_t cue_feats(const sayso_attrwork *w, const doc *d, int32_t k, uint64_t *f)
{
    size_t n = 0;
    const tinfo *x = &w->ti[k];
    int32_t nt = (int32_t)d->nt;
    uint64_t wm1 = k > 0 ? w->ti[k - 1].w : 1, wp1 = k + 1 < nt ? w->ti[k + 1].w : 2;
    uint64_t wm2 = k > 1 ? w->ti[k - 2].w : 1, wp2 = k + 2 < nt ? w->ti[k + 2].w : 2;
    const tok *t = &d->t[k];
    f[n++] = sayso_feat(F_BIAS, 0);
    f[n++] = sayso_feat(F_W0, x->w);
    f[n++] = sayso_feat(F_WM1, wm1);
    f[n++] = sayso_feat(F_WP1, wp1);
    f[n++] = sayso_feat(F_WM2, wm2);
    f[n++] = sayso_feat(F_WP2, wp2);
    f[n++] = sayso_feat2(F_BI_M1, wm1, x->w);
    f[n++] = sayso_feat2(F_BI_P1, x->w, wp1);
    f[n++] = sayso_feat(F_SHAPE, x->shape);
    f[n++] = sayso_feat(F_SUF, x->suf);
    f[n++] = sayso_feat(F_PRE, x->pre);
    f[n++] = sayso_feat(F_CAPS, (t->flags & (TF_CAP | TF_SENT | TF_ALLCAPS | TF_PARA)) | (uint64_t)t->kind << 16);
    f[n++] = sayso_feat(F_LEX, lexclass(d, k));
    f[n++] = sayso_feat(F_LEM, x->lemma);
    f[n++] = sayso_feat2(F_LEM_P1, x->lemma, wp1);
    f[n++] = sayso_feat(F_LEXM1, lexclass(d, k - 1));
    f[n++] = sayso_feat(F_LEXP1, lexclass(d, k + 1));
    f[n++] = sayso_feat(F_QS, x->qs);
    f[n++] = sayso_feat(F_QS_M1, k > 0 ? w->ti[k - 1].qs : 9);
    f[n++] = sayso_feat(F_QS_P1, k + 1 < nt ? w->ti[k + 1].qs : 9);
    f[n++] = sayso_feat2(F_W0_QS, x->w, x->qs);
    f[n++] = sayso_feat(F_RULE, x->rule);
    f[n++] = sayso_feat(F_RULE_M1, k > 0 ? w->ti[k - 1].rule : 0xffff);
    f[n++] = sayso_feat(F_RULE_P1, k + 1 < nt ? w->ti[k + 1].rule : 0xffff);
    f[n++] = sayso_feat(F_MENT, mention_kind(w, d, k));
    f[n++] = sayso_feat(F_MENT_M1, mention_kind(w, d, k - 1));
    f[n++] = sayso_feat(F_MENT_P1, mention_kind(w, d, k + 1));
    f[n++] = sayso_feat(F_PUNCT_P1, k + 1 < nt && d->t[k + 1].kind == TK_PUNCT ? d->t[k + 1].ch : 0);
    {
        int32_t sf = d->sent[t->sent].first, sl = d->sent[t->sent].last;
        f[n++] = sayso_feat(F_SPOS, bucket(k - sf) << 4 | bucket(sl - k));
    }
    f[n++] = sayso_feat2(F_LEFTCUE, x->left >= 0 ? w->ti[x->left].lemma : 0, bucket(x->left >= 0 ? k - x->left : 99));
    f[n++] = sayso_feat2(F_RIGHTCUE, x->right >= 0 ? w->ti[x->right].lemma : 0, bucket(x->right >= 0 ? x->right - k : 99));
    f[n++] = sayso_feat2(F_W0_M1LEX, x->w, lexclass(d, k - 1));
    {
        uint64_t a = 0, b = 0;
        for (int32_t j = 1; j <= 3; j++) {
            if (k - j >= 0 && (d->t[k - j].lf & (LX_CUE | LX_ATTR))) a |= 1u << (j - 1);
            if (k + j < nt && (d->t[k + j].lf & (LX_CUE | LX_ATTR))) b |= 1u << (j - 1);
        }
        f[n++] = sayso_feat(F_ATTRW_M3, a);
        f[n++] = sayso_feat(F_ATTRW_P3, b);
    }
    if (d->has_syn) {
        const tsyn *s = &d->syn[k];
        uint64_t um1 = k > 0 ? d->syn[k - 1].upos : 99, up1 = k + 1 < nt ? d->syn[k + 1].upos : 99;
        f[n++] = sayso_feat(F_UPOS, s->upos);
        f[n++] = sayso_feat2(F_UPOS_M1, um1, s->upos);
        f[n++] = sayso_feat2(F_UPOS_P1, s->upos, up1);
        f[n++] = sayso_feat2(F_UPOS_W, s->upos, x->w);
        f[n++] = sayso_feat(F_REL, s->rel);
        f[n++] = sayso_feat2(F_REL_W, s->rel, x->w);
        f[n++] = sayso_feat2(F_HEAD_W, s->head >= 0 ? w->ti[s->head].w : 0, s->rel);
        f[n++] = sayso_feat2(F_HEAD_REL, s->rel, s->head >= 0 ? d->syn[s->head].upos : 99);
        f[n++] = sayso_feat(F_KIDS, w->kidrels[k]);
        f[n++] = sayso_feat2(F_LEM_KID_REL, x->lemma ? x->lemma : x->w, w->kidrels[k]);
        f[n++] = sayso_feat2(F_W_P1_UPOS, x->w, up1);
        f[n++] = sayso_feat2(F_SUBJ_KID, s->upos, w->kidrels[k] & (1u << 0 | 1u << 1 | 1u << 2));
        uint64_t lem = x->lemma ? x->lemma : x->w;
        /* who does it, and what follows: speakers are people and groups,
         * and what they say is a clause */
        uint64_t st = 0;
        if (x->subj >= 0) {
            int32_t sj = x->subj;
            st = 1 + (uint64_t)mention_kind(w, d, sj) * 32 + lexclass(d, sj) % 31;
            st = st * 32 + d->syn[sj].upos;
        }
        f[n++] = sayso_feat(F_SUBJ_TYPE, st);
        f[n++] = sayso_feat2(F_LEM_SUBJ, lem, st);
        uint64_t cs = x->comp >= 0 ? w->ti[d->syn[x->comp].sub_first].w : 0;
        f[n++] = sayso_feat2(F_COMP_START, cs, s->upos);
        f[n++] = sayso_feat2(F_LEM_COMP, lem, x->comp >= 0 ? (uint64_t)d->syn[x->comp].rel : 0);
        f[n++] = sayso_feat2(F_LEM_UPOS, lem, s->upos);
    }
    return n;
}

/* Per token: which kinds of dependents it has (bits), for the features. */
enum { KB_SUBJ = 1u << 0, KB_CCOMP = 1u << 1, KB_XCOMP = 1u << 2, KB_OBJ = 1u << 3, KB_OBL = 1u << 4,
       KB_MARKTHAT = 1u << 5, KB_PARATAXIS = 1u << 6, KB_AGENT = 1u << 7, KB_POSS = 1u << 8,
       KB_ACL = 1u << 9, KB_COLON = 1u << 10, KB_QUOTE = 1u << 11 };

static void kid_bits(sayso_attrwork *w, const doc *d)
{
    for (size_t k = 0; k < d->nt; k++) {
        w->kidrels[k] = 0;
        w->ti[k].subj = w->ti[k].comp = -1;
    }
    if (!d->has_syn) return;
    for (size_t k = 0; k < d->nt; k++) {
        int32_t h = d->syn[k].head;
        if (h < 0) continue;
        int r = d->syn[k].rel;
        if ((r == R_NSUBJ || r == R_NSUBJ_PASS || r == R_CSUBJ) && w->ti[h].subj < 0) w->ti[h].subj = (int32_t)k;
        if ((r == R_CCOMP || r == R_XCOMP) && w->ti[h].comp < 0) w->ti[h].comp = (int32_t)k;
        uint32_t b = 0;
        switch (d->syn[k].rel) {
        case R_NSUBJ: case R_NSUBJ_PASS: case R_CSUBJ: b = KB_SUBJ; break;
        case R_CCOMP: b = KB_CCOMP; break;
        case R_XCOMP: b = KB_XCOMP; break;
        case R_OBJ: case R_IOBJ: b = KB_OBJ; break;
        case R_OBL: case R_OBL_TMOD: b = KB_OBL; break;
        case R_OBL_AGENT: b = KB_AGENT; break;
        case R_PARATAXIS: b = KB_PARATAXIS; break;
        case R_NMOD_POSS: b = KB_POSS; break;
        case R_ACL: b = KB_ACL; break;
        case R_PUNCT: b = tok_is(d, (int32_t)k, ':') ? KB_COLON : 0; break;
        default: break;
        }
        if (d->t[k].kind == TK_MARK) b |= KB_QUOTE;
        w->kidrels[h] |= b;
    }
}

/* ---- the cue tagger ------------------------------------------------------ */

/* Scores every token of [first, last] for every label into w->sc, with the
 * model's table (run time) or the training weights. */
static int score_tokens(sayso_attrwork *w, const doc *d, int32_t first, int32_t last, const sayso_ftab *tab,
                        const sayso_percep *train)
{
    size_t n = (size_t)(last - first + 1);
    if (sayso_grow((void **)&w->sc, &w->capsc, n * CL_N, sizeof *w->sc) < 0) return -1;
    uint64_t f[MAX_FEATS];
    for (int32_t k = first; k <= last; k++) {
        size_t nf = cue_feats(w, d, k, f);
        float *s = w->sc + (size_t)(k - first) * CL_N;
        if (tab) {
            int32_t acc[CL_N] = {0, 0, 0};
            sayso_ftab_score(tab, f, nf, acc);
            for (int c = 0; c < CL_N; c++) s[c] = (float)acc[c];
            w->ti[k].mb = (float)(acc[CL_B] - acc[CL_O]) * tab->scale;
            w->ti[k].mi = (float)(acc[CL_I] - acc[CL_O]) * tab->scale;
        } else {
            for (int c = 0; c < CL_N; c++) s[c] = 0;
            sayso_percep_score(train, f, nf, s);
            w->ti[k].mb = s[CL_B] - s[CL_O];
            w->ti[k].mi = s[CL_I] - s[CL_O];
        }
    }
    return 0;
}

/* Transition weights: from label p (CL_N: the start) to label c. */
static void transitions(const sayso_ftab *tab, const sayso_percep *train, float tr[CL_N + 1][CL_N])
{
    for (int p = 0; p <= CL_N; p++) {
        uint64_t f = sayso_feat(F_TRANS, (uint64_t)p);
        for (int c = 0; c < CL_N; c++) tr[p][c] = 0;
        if (tab) {
            int32_t acc[CL_N] = {0, 0, 0};
            sayso_ftab_score(tab, &f, 1, acc);
            for (int c = 0; c < CL_N; c++) tr[p][c] = (float)acc[c];
        } else {
            sayso_percep_score(train, &f, 1, tr[p]);
        }
    }
}

/* Viterbi over [first, last] with scores w->sc; labels into out. An I may
 * only follow a B or an I. */
static int viterbi(sayso_attrwork *w, int32_t first, int32_t last, float tr[CL_N + 1][CL_N], uint8_t *out)
{
    size_t n = (size_t)(last - first + 1);
    if (sayso_grow((void **)&w->vb, &w->capvb, n * CL_N, sizeof *w->vb) < 0 ||
        sayso_grow((void **)&w->bp, &w->capbp, n * CL_N, sizeof *w->bp) < 0)
        return -1;
    const float NEG = -1e30f;
    for (int c = 0; c < CL_N; c++) {
        w->vb[c] = c == CL_I ? NEG : w->sc[c] + tr[CL_N][c];
        w->bp[c] = CL_N;
    }
    for (size_t i = 1; i < n; i++) {
        for (int c = 0; c < CL_N; c++) {
            float best = NEG;
            uint8_t arg = 0;
            for (int p = 0; p < CL_N; p++) {
                if (c == CL_I && p == CL_O) continue;
                float v = w->vb[(i - 1) * CL_N + p] + tr[p][c];
                if (v > best) { best = v; arg = (uint8_t)p; }
            }
            w->vb[i * CL_N + c] = best + w->sc[i * CL_N + c];
            w->bp[i * CL_N + c] = arg;
        }
    }
    int c = 0;
    for (int k = 1; k < CL_N; k++)
        if (w->vb[(n - 1) * CL_N + k] > w->vb[(n - 1) * CL_N + c]) c = k;
    for (size_t i = n; i-- > 0;) {
        out[i] = (uint8_t)c;
        c = w->bp[i * CL_N + c];
    }
    return 0;
}

int sayso_attr_tag_cues(sayso_attrwork *w, const doc *d, const sayso_ftab *tab, const sayso_percep *train,
                        int32_t first, int32_t last, uint8_t *labels)
{
    float tr[CL_N + 1][CL_N];
    transitions(tab, train, tr);
    if (score_tokens(w, d, first, last, tab, train) < 0) return -1;
    return viterbi(w, first, last, tr, labels);
}

float sayso_attr_cue_margin(const sayso_attrwork *w, int32_t cf, int32_t cl)
{
    float m = w->ti[cf].mb;
    for (int32_t k = cf + 1; k <= cl; k++) m += w->ti[k].mi;
    return m;
}

size_t sayso_attr_cue_feats(const sayso_attrwork *w, const doc *d, int32_t k, uint64_t *f)
{
    return cue_feats(w, d, k, f);
}

uint64_t sayso_attr_trans_feat(int prev) { return sayso_feat(F_TRANS, (uint64_t)prev); }

/* ---- candidates ---------------------------------------------------------- */

static int32_t sfirst(const doc *d, int32_t k) { return d->sent[d->t[k].sent].first; }
static int32_t slast(const doc *d, int32_t k) { return d->sent[d->t[k].sent].last; }
static int32_t pfirst(const doc *d, int32_t k) { return d->para[d->t[k].para].first; }
static int32_t plast(const doc *d, int32_t k) { return d->para[d->t[k].para].last; }

/* How far from its cue a span may reach, and how long a candidate may be,
 * in tokens. Real reported clauses and quotations stay well inside (the
 * longest in PolNeAR train are about 150 tokens); text without sentence
 * ends (a list, a table, junk) would otherwise give every cue a span the
 * length of the text, and the work and the output would grow with the
 * square of its length. */
#define WINDOW 200
#define MAX_SPAN 400
static int32_t near_first(int32_t f, int32_t k) { return f < k - WINDOW ? k - WINDOW : f; }
static int32_t near_last(int32_t l, int32_t k) { return l > k + WINDOW ? k + WINDOW : l; }

static int trailing_junk(const doc *d, int32_t k)
{
    const tok *t = &d->t[k];
    if (t->kind == TK_MARK) return 1;
    return t->kind == TK_PUNCT && (t->ch == '.' || t->ch == ',' || t->ch == ';' || t->ch == ':' || t->ch == '!' ||
                                   t->ch == '?' || t->ch == 0x2014 || t->ch == 0x2013 || t->ch == '-');
}

void sayso_attr_trim(const doc *d, int32_t *f, int32_t *l)
{
    while (*f <= *l && (d->t[*f].kind == TK_MARK || tok_is(d, *f, ',') || tok_is(d, *f, ':'))) (*f)++;
    while (*l >= *f && trailing_junk(d, *l)) (*l)--;
}

/* Adds a candidate of one or two ranges (second: f2 > l2 when none), trimmed
 * and split at paragraph breaks, unless it is empty or already there. */
static void add_cand(sayso_attrwork *w, const doc *d, uint16_t kind, int32_t f1, int32_t l1, int32_t f2, int32_t l2)
{
    cand c;
    memset(&c, 0, sizeof c);
    c.kind = kind;
    c.cut = -1;
    int32_t fs[2] = {f1, f2}, ls[2] = {l1, l2};
    for (int r = 0; r < 2; r++) {
        int32_t f = fs[r], l = ls[r];
        if (f < 0 || l < f || (size_t)l >= d->nt) continue;
        if (l - f > MAX_SPAN) l = f + MAX_SPAN;
        sayso_attr_trim(d, &f, &l);
        while (f <= l && c.n < CAND_FRAGS) {
            int32_t e = plast(d, f) < l ? plast(d, f) : l;
            int32_t ff = f, ee = e;
            sayso_attr_trim(d, &ff, &ee);
            if (ff <= ee) {
                c.f[c.n] = ff;
                c.l[c.n] = ee;
                c.n++;
            }
            f = e + 1;
        }
    }
    if (!c.n || w->ncand >= MAX_CANDS) return;
    for (size_t i = 0; i < w->ncand; i++) {
        const cand *o = &w->cand[i];
        if (o->n != c.n) continue;
        int same = 1;
        for (int k = 0; k < c.n && same; k++) same = o->f[k] == c.f[k] && o->l[k] == c.l[k];
        if (same) { w->cand[i].kinds |= 1u << (kind & 31); return; }
    }
    c.kinds = 1u << (kind & 31);
    w->cand[w->ncand++] = c;
}

/* The head of the cue: its token whose syntactic head lies outside it. */
static int32_t cue_head(const doc *d, int32_t cf, int32_t cl)
{
    if (!d->has_syn) return cl;
    for (int32_t k = cf; k <= cl; k++)
        if (d->syn[k].head < cf || d->syn[k].head > cl) return k;
    return cl;
}

/* The subtree of k without the subtree of x (x inside it), as two ranges. */
static void subtree_minus(const doc *d, int32_t k, int32_t x, int32_t *f1, int32_t *l1, int32_t *f2, int32_t *l2)
{
    *f1 = d->syn[k].sub_first;
    *l2 = d->syn[k].sub_last;
    *l1 = d->syn[x].sub_first - 1;
    *f2 = d->syn[x].sub_last + 1;
}

static void parse_content_cands(sayso_attrwork *w, const doc *d, int32_t cf, int32_t cl, int32_t sf, int32_t sl);

void sayso_attr_content_cands(sayso_attrwork *w, const doc *d, const attributions *rules, int32_t cf, int32_t cl)
{
    w->ncand = 0;
    cand none;
    memset(&none, 0, sizeof none);
    none.kind = K_NONE;
    none.cut = -1;
    none.kinds = 1u << K_NONE;
    w->cand[w->ncand++] = none;
    int32_t sf = near_first(sfirst(d, cf), cf), sl = near_last(slast(d, cf), cl);
    int32_t pf = near_first(pfirst(d, cf), cf), pl = plast(d, cf);
    /* the rest of the sentence, from the cue on ("said (that) …") */
    add_cand(w, d, K_AFTER, cl + 1, sl, 0, -1);
    for (int32_t j = cl + 1; j <= sl && j <= cl + 10; j++) {
        if (d->t[j].kind == TK_MARK || (d->t[j].flags & TF_INQUOTE)) break;
        if (tok_word_eq(d, j, "that") || tok_word_eq(d, j, "whether") || tok_word_eq(d, j, "if")) {
            add_cand(w, d, K_AFTER_THAT, j, sl, 0, -1);
            break;
        }
    }
    /* the sentence before the cue ("…, she said") */
    for (int32_t j = cf - 1; j > sf && j >= cf - 12; j--) {
        if (tok_is(d, j, ',') || (d->t[j].kind == TK_MARK && w->ti[j].qs == QS_CLOSE)) {
            add_cand(w, d, K_BEFORE, sf, j, 0, -1);
            break;
        }
    }
    add_cand(w, d, K_PARA_REST, cl + 1, pl, 0, -1);
    /* "The breakwater, Vandermolen said on Tuesday, would protect …": the
     * clause around a cue set off by commas, in two pieces */
    {
        int32_t c1 = -1, c2 = -1;
        for (int32_t j = cf - 1; j > sf && j >= cf - 10; j--)
            if (tok_is(d, j, ',')) { c1 = j; break; }
        for (int32_t j = cl + 1; j < sl && j <= cl + 8; j++)
            if (tok_is(d, j, ',')) { c2 = j; break; }
        /* the first piece belongs to the reported clause, not to the
         * saying ("Later, Alders said, “…”": "Later" is when he said it) */
        int own = 0;
        if (c1 > sf && d->has_syn) {
            int32_t h = cue_head(d, cf, cl);
            /* an adverb or a prepositional or time phrase of the cue; a
             * bare noun phrase the parser hung on the cue is more often
             * the reported clause's subject ("The breakwater, he said,
             * would …") */
            int pp = d->syn[sf].upos == SAYSO_ADP || (d->t[sf].lf & LX_CALENDAR) || (d->t[sf + 1].lf & LX_CALENDAR);
            for (int32_t j = sf; j < c1 && !own; j++) {
                int r = d->syn[j].rel;
                own = d->syn[j].head == h &&
                      (r == R_ADVMOD || r == R_ADVCL || ((r == R_OBL || r == R_OBL_TMOD) && pp));
            }
        }
        if (c1 > sf && c2 > cl && !own) add_cand(w, d, K_AROUND, sf, c1 - 1, c2 + 1, sl);
    }
    /* "according to X, CLAUSE" / "CLAUSE, according to X" */
    if (tok_word_eq(d, cf, "according")) {
        for (int32_t j = cl + 1; j <= sl && j < cl + 20; j++)
            if (tok_is(d, j, ',')) { add_cand(w, d, K_ACCORDING, j + 1, sl, 0, -1); break; }
        if (cf > sf) add_cand(w, d, K_ACCORDING, sf, cf - 1, 0, -1);
    }
    /* quotations near the cue: in its paragraph, and the next paragraph
     * after a colon */
    int32_t qa = -1, qb = -1; /* first quote after, last quote before */
    /* A title of a work ("the ballad “Midnight Harbor”") is nobody's words. */
    for (int32_t j = cl + 1; j <= pl && j <= cl + 60; j++)
        if (w->ti[j].qs == QS_OPEN && !(d->qs[d->t[j].q].flags & QF_TITLE)) { qa = d->t[j].q; break; }
    for (int32_t j = cf - 1; j >= pf && j >= cf - 60; j--)
        if (w->ti[j].qs == QS_CLOSE && !(d->qs[d->t[j].q].flags & QF_TITLE)) { qb = d->t[j].q; break; }
    if (qa < 0 && (tok_is(d, cl, ':') || tok_is(d, cl + 1, ':')) && (size_t)pl + 1 < d->nt)
        if (w->ti[pl + 1].qs == QS_OPEN) qa = d->t[pl + 1].q;
    if (qa >= 0) {
        const qspan *q = &d->qs[qa];
        int32_t e = q->close >= 0 ? q->close : q->last;
        add_cand(w, d, K_QUOTE_AFTER, q->open, e, 0, -1);
        /* from the cue to the quotation's end: a mixed quote */
        add_cand(w, d, K_MIXED_AFTER, cl + 1, e > sl ? e : sl, 0, -1);
    }
    if (qb >= 0) {
        const qspan *q = &d->qs[qb];
        int32_t s = q->open >= 0 ? q->open : q->first;
        add_cand(w, d, K_QUOTE_BEFORE, s, q->close, 0, -1);
        if (qa >= 0) {
            const qspan *q2 = &d->qs[qa];
            add_cand(w, d, K_QUOTE_PAIR, s, q->close, q2->open, q2->close >= 0 ? q2->close : q2->last);
        }
        /* a mixed quote whose clause ends with the quotation, before the cue */
        add_cand(w, d, K_MIXED_BEFORE, sf, q->close, 0, -1);
    }
    if (tok_is(d, cl, ':') || tok_is(d, cl + 1, ':')) {
        if ((size_t)pl + 1 < d->nt) {
            int32_t np = d->t[pl + 1].para;
            add_cand(w, d, K_NEXT_PARA, d->para[np].first, d->para[np].last, 0, -1);
        }
    }
    /* the rules' content for this cue */
    size_t nh = rules ? attrmap_find(w, &w->rmap[AM_CUE], cf, cl, d->nt) : 0;
    for (size_t h = 0; h < nh; h++) {
        const attribution *a = &rules->a[w->hits[h]];
        if (a->ncontent == 1) add_cand(w, d, K_RULE, a->content[0].first, a->content[0].last, 0, -1);
        else if (a->ncontent >= 2)
            add_cand(w, d, K_RULE, a->content[0].first, a->content[0].last, a->content[1].first, a->content[1].last);
    }
    if (d->has_syn) parse_content_cands(w, d, cf, cl, sf, sl);
    /* Shorter variants: a reported clause often ends at a comma or a dash
     * where the sentence goes on with something else ("…, recently
     * telling", "— including"). The first few such cuts of each span. */
    size_t n0 = w->ncand;
    for (size_t i = 0; i < n0; i++) {
        if (w->cand[i].n != 1) continue;
        int32_t f = w->cand[i].f[0], l = w->cand[i].l[0];
        uint16_t kind = w->cand[i].kind;
        int cuts = 0;
        for (int32_t j = f + 2; j < l && cuts < 3; j++) {
            const tok *t = &d->t[j];
            if (t->kind != TK_PUNCT || (t->flags & TF_INQUOTE)) continue;
            if (t->ch != ',' && t->ch != ';' && t->ch != 0x2014 && t->ch != 0x2013 && t->ch != '-' && t->ch != '(' &&
                t->ch != ':')
                continue;
            size_t before = w->ncand;
            add_cand(w, d, kind, f, j - 1, 0, -1);
            if (w->ncand > before) w->cand[w->ncand - 1].cut = j;
            cuts++;
        }
    }
}

static void parse_content_cands(sayso_attrwork *w, const doc *d, int32_t cf, int32_t cl, int32_t sf, int32_t sl)
{
    /* the parse: the subtrees of the cue's complements, and for a cue that
     * hangs on the clause it reports ("…, he said" as parataxis), that
     * clause without the cue's own subtree */
    int32_t h = cue_head(d, cf, cl);
    for (int32_t k = sf; k <= sl; k++) {
        if (d->syn[k].head != h || (k >= cf && k <= cl)) continue;
        int r = d->syn[k].rel;
        uint16_t kind;
        switch (r) {
        case R_CCOMP: kind = K_SUB_CCOMP; break;
        case R_XCOMP: kind = K_SUB_XCOMP; break;
        case R_OBJ: case R_IOBJ: kind = K_SUB_OBJ; break;
        case R_CSUBJ: case R_NSUBJ_PASS: case R_NSUBJ: kind = K_SUB_SUBJ; break;
        case R_ADVCL: kind = K_SUB_ADVCL; break;
        case R_OBL: kind = K_SUB_OBL; break;
        case R_PARATAXIS: kind = K_SUB_PARA; break;
        case R_NMOD: case R_ACL: kind = K_SUB_NMOD; break;
        default: continue;
        }
        add_cand(w, d, kind, d->syn[k].sub_first, d->syn[k].sub_last, 0, -1);
        /* "said on Monday that …": from "that" in the complement */
        if (kind == K_SUB_OBL) continue;
        int32_t s0 = d->syn[k].sub_first;
        if (s0 < cl) continue;
    }
    int32_t hh = d->syn[h].head;
    if (hh >= 0 && hh >= sf && hh <= sl) {
        int32_t f1, l1, f2, l2;
        subtree_minus(d, hh, h, &f1, &l1, &f2, &l2);
        /* the source is the cue's subject inside its subtree: cut what is
         * left of the cue's subtree when it is only a comma */
        add_cand(w, d, K_HEAD_REST, f1, l1, f2, l2);
        if (l2 >= f2 && l1 >= f1) add_cand(w, d, K_HEAD_LEFT, f1, l1, 0, -1);
        if (l2 >= f2) add_cand(w, d, K_HEAD_RIGHT, f2, l2, 0, -1);
    }
    /* "according to X": X's head is an oblique of the clause */
    if (tok_word_eq(d, cf, "according")) {
        int32_t x = d->syn[cf].head;
        if (x >= 0 && d->syn[x].head >= 0) {
            int32_t v = d->syn[x].head, f1, l1, f2, l2;
            if (v >= sf && v <= sl) {
                subtree_minus(d, v, x, &f1, &l1, &f2, &l2);
                add_cand(w, d, K_ACCORDING_TREE, f1, l1, f2, l2);
            }
        }
    }
    /* "Mr. Rubio appeared to be on the upswing", "the plan, he said, would
     * fail": the subject and the complement, around the cue */
    int32_t subj = -1, comp = -1;
    for (int32_t k = sf; k <= sl; k++) {
        if (d->syn[k].head != h || (k >= cf && k <= cl)) continue;
        int r = d->syn[k].rel;
        if ((r == R_NSUBJ || r == R_NSUBJ_PASS) && subj < 0) subj = k;
        if ((r == R_XCOMP || r == R_CCOMP) && comp < 0) comp = k;
    }
    if (subj >= 0 && comp >= 0 && d->syn[subj].sub_last < cf && d->syn[comp].sub_first > cl)
        add_cand(w, d, K_SUBJ_COMP, d->syn[subj].sub_first, d->syn[subj].sub_last, d->syn[comp].sub_first,
                 d->syn[comp].sub_last);
}

/* Source candidates: "none" first, then spans. */
static void source_variants(sayso_attrwork *w, const doc *d);

void sayso_attr_source_cands(sayso_attrwork *w, const doc *d, const attributions *rules, int32_t cf, int32_t cl)
{
    w->ncand = 0;
    cand none;
    memset(&none, 0, sizeof none);
    none.kind = S_NONE;
    none.cut = -1;
    none.kinds = 1u << S_NONE;
    w->cand[w->ncand++] = none;
    int32_t sf = near_first(sfirst(d, cf), cf), sl = near_last(slast(d, cf), cl);
    mention m;
    if (sayso_np_before(d, cf, sf, &m)) add_cand(w, d, S_NP_BEFORE, m.first, m.last, 0, -1);
    if (sayso_np_after(d, cl + 1, sl, &m)) add_cand(w, d, S_NP_AFTER, m.first, m.last, 0, -1);
    if (tok_word_eq(d, cf, "according") && sayso_np_after(d, cf + 2, sl, &m))
        add_cand(w, d, S_ACCORDING, m.first, m.last, 0, -1);
    if (sayso_np_first(d, sf, cf - 1, &m)) add_cand(w, d, S_NP_FIRST, m.first, m.last, 0, -1);
    /* mentions of the sentence and of the one before */
    int32_t from = near_first(d->t[sf].sent > 0 ? d->sent[d->t[sf].sent - 1].first : sf, cf);
    for (int32_t k = from; k <= sl && w->ncand < MAX_CANDS; k++) {
        int32_t x = d->t[k].ment;
        if (x < 0) continue;
        add_cand(w, d, k < sf ? S_MENTION_PREV : k < cf ? S_MENTION_BEFORE : S_MENTION_AFTER, d->m[x].first,
                 d->m[x].last, 0, -1);
    }
    size_t nh = rules ? attrmap_find(w, &w->rmap[AM_CUE], cf, cl, d->nt) : 0;
    for (size_t h = 0; h < nh; h++) {
        const attribution *a = &rules->a[w->hits[h]];
        if (a->has_src) add_cand(w, d, S_RULE, a->src.first, a->src.last, 0, -1);
    }
    if (!d->has_syn) return;
    int32_t h = cue_head(d, cf, cl);
    /* the subject of the cue, or of the verb it is an infinitive or
     * conjunct of ("wants to say", "said and added") */
    for (int hop = 0, v = h; hop < 3 && v >= 0; hop++) {
        int found = 0;
        for (int32_t k = sf; k <= sl; k++) {
            if (d->syn[k].head != v) continue;
            int r = d->syn[k].rel;
            uint16_t kind = r == R_NSUBJ ? S_SUBJ : r == R_NSUBJ_PASS ? S_SUBJ_PASS : r == R_OBL_AGENT ? S_AGENT
                          : r == R_NMOD_POSS ? S_POSS : r == R_OBL || r == R_NMOD ? S_OBL : 0;
            if (!kind) continue;
            if (hop && kind != S_SUBJ) continue;
            add_cand(w, d, (uint16_t)(kind + (hop ? 8 : 0)), d->syn[k].sub_first, d->syn[k].sub_last, 0, -1);
            /* the subject without its relative clause or apposition */
            int32_t cut = -1;
            for (int32_t j = d->syn[k].sub_first; j <= d->syn[k].sub_last; j++)
                if (d->syn[j].head == k && (d->syn[j].rel == R_ACL_RELCL || d->syn[j].rel == R_APPOS || d->syn[j].rel == R_ACL) &&
                    j > k) { cut = d->syn[j].sub_first - 1; break; }
            if (cut >= d->syn[k].sub_first) add_cand(w, d, S_SUBJ_CUT, d->syn[k].sub_first, cut, 0, -1);
            found |= kind == S_SUBJ || kind == S_SUBJ_PASS;
        }
        if (found) break;
        int r = d->syn[v].rel;
        if (r != R_XCOMP && r != R_CONJ && r != R_ADVCL && r != R_CCOMP && r != R_ACL && r != R_ACL_RELCL) break;
        if (r == R_ACL || r == R_ACL_RELCL) {
            /* "officials who said": the noun the clause describes */
            int32_t nn = d->syn[v].head;
            if (nn >= 0) add_cand(w, d, S_ACL_NOUN, d->syn[nn].sub_first, nn, 0, -1);
            break;
        }
        v = d->syn[v].head;
    }
    source_variants(w, d);
}

/* Sources are noun phrases as the annotators read them: without the
 * preposition of an agent or a quoted outlet ("by the council", "as one
 * Twitter user"), and often without what follows the name: a relative
 * clause, a second apposition, a parenthesis. Variants of each candidate
 * so cut, for the ranker to choose from. */
static void source_variants(sayso_attrwork *w, const doc *d)
{
    size_t n0 = w->ncand;
    for (size_t i = 1; i < n0; i++) {
        if (w->cand[i].n != 1) continue;
        int32_t f = w->cand[i].f[0], l = w->cand[i].l[0];
        uint16_t kind = w->cand[i].kind;
        int32_t f2 = f;
        while (f2 < l && (tok_word_eq(d, f2, "by") || tok_word_eq(d, f2, "as") || tok_word_eq(d, f2, "from") ||
                          tok_word_eq(d, f2, "of") || tok_word_eq(d, f2, "both") || tok_word_eq(d, f2, "among")))
            f2++;
        if (f2 > f) add_cand(w, d, kind, f2, l, 0, -1);
        int cuts = 0;
        for (int32_t j = f2 + 1; j <= l && cuts < 3; j++) {
            const tok *t = &d->t[j];
            int stop = t->kind == TK_PUNCT && (t->ch == ',' || t->ch == '(' || t->ch == 0x2014 || t->ch == 0x2013);
            stop |= tok_word_eq(d, j, "who") || tok_word_eq(d, j, "which") || tok_word_eq(d, j, "whose");
            if (!stop) continue;
            size_t before = w->ncand;
            add_cand(w, d, kind, f2, j - 1, 0, -1);
            if (w->ncand > before) w->cand[w->ncand - 1].cut = j;
            cuts++;
        }
    }
}

/* ---- candidate features ---------------------------------------------------- */

enum {
    G_KIND = 200, G_KINDS, G_KIND_LEM, G_KIND_LEN, G_FIRST_W, G_LAST_W, G_BEFORE_W, G_AFTER_W, G_FIRST_UPOS,
    G_LAST_UPOS, G_DIR, G_DIST, G_NSENT, G_QUOTES, G_ENDS, G_RULE, G_NFRAG, G_KIND_QS, G_KIND_CUEW,
    G_STARTS_CUE, G_FIRST_REL, G_MENT, G_MENT_KIND, G_KIND_CUEPUNCT, G_LEN_LEM, G_CROSS_CUE, G_KIND_DIR,
    G_HEAD_REL, G_BIAS, G_CUT, G_CUT_NEXT, G_CUT_KIND, G_NEXT_ATTACH, G_BROKEN, G_LAST_REL, G_PREV_ATTACH,
    G_TREE_LEM, G_NONE_MARGIN, G_NONE_LEM, G_NONE_KIDS, G_NONE_RULE, G_NONE_UPOS, G_NONE_QS, G_OTHER_CUE, G_THAT_AT, G_FRAG_ROOT
};

static uint64_t margin_bucket(float m)
{
    /* the margins of one model run from a few units to a few hundred */
    int b = m < 0 ? -1 : 1;
    float a = m < 0 ? -m : m;
    int k = a < 0.5f ? 0 : a < 1 ? 1 : a < 2 ? 2 : a < 4 ? 3 : a < 8 ? 4 : a < 16 ? 5 : a < 32 ? 6 : a < 64 ? 7 : 8;
    return (uint64_t)(b * k + 16);
}

static uint64_t len_bucket(int32_t n) { return n < 1 ? 0 : n < 2 ? 1 : n < 3 ? 2 : n < 5 ? 3 : n < 9 ? 4 : n < 17 ? 5 : n < 33 ? 6 : 7; }

size_t sayso_attr_cand_feats(const sayso_attrwork *w, const doc *d, const attributions *rules, int32_t cf,
                             int32_t cl, const cand *c, int role, uint64_t *f)
{
    size_t n = 0;
    uint64_t base = (uint64_t)role << 40;
    uint64_t lem = w->ti[cl].lemma ? w->ti[cl].lemma : w->ti[cl].w;
    int32_t h = cue_head(d, cf, cl);
    uint64_t hlem = w->ti[h].lemma ? w->ti[h].lemma : w->ti[h].w;
    f[n++] = sayso_feat(G_KIND, base | c->kind);
    f[n++] = sayso_feat(G_KINDS, base | c->kinds);
    f[n++] = sayso_feat2(G_KIND_LEM, base | c->kind, hlem);
    f[n++] = sayso_feat2(G_KIND_CUEW, base | c->kinds, lem);
    f[n++] = sayso_feat2(G_KIND_CUEPUNCT, base | c->kind, (uint64_t)(tok_is(d, cl + 1, ':') | tok_is(d, cl, ':') << 1 |
                                                                      tok_is(d, cl + 1, ',') << 2 | tok_is(d, cf - 1, ',') << 3));
    if (c->kind == S_NONE) {
        if (role != ROLE_CONTENT) return n;
        /* how sure the tagger was, and what kind of word it is */
        uint64_t mb = margin_bucket(sayso_attr_cue_margin(w, cf, cl));
        f[n++] = sayso_feat(G_NONE_MARGIN, base | mb);
        f[n++] = sayso_feat2(G_NONE_LEM, base | mb, hlem);
        f[n++] = sayso_feat2(G_NONE_RULE, base | w->ti[h].rule, (uint64_t)(cl - cf > 3 ? 3 : cl - cf));
        f[n++] = sayso_feat2(G_NONE_QS, base | w->ti[h].qs, (uint64_t)((cl + 1 < (int32_t)d->nt) ? w->ti[cl + 1].qs : 9));
        if (d->has_syn) {
            f[n++] = sayso_feat2(G_NONE_KIDS, base | w->kidrels[h], mb);
            f[n++] = sayso_feat2(G_NONE_UPOS, base | d->syn[h].upos, (uint64_t)d->syn[h].rel);
        }
        return n;
    }
    int32_t first = c->f[0], last = c->l[c->n - 1];
    int32_t len = 0;
    for (int i = 0; i < c->n; i++) len += c->l[i] - c->f[i] + 1;
    f[n++] = sayso_feat2(G_KIND_LEN, base | c->kind, len_bucket(len));
    f[n++] = sayso_feat2(G_LEN_LEM, base | len_bucket(len), hlem);
    f[n++] = sayso_feat(G_FIRST_W, base | w->ti[first].w);
    f[n++] = sayso_feat(G_LAST_W, base | w->ti[last].w);
    f[n++] = sayso_feat(G_BEFORE_W, base | (first > 0 ? w->ti[first - 1].w : 1));
    f[n++] = sayso_feat(G_AFTER_W, base | ((size_t)last + 1 < d->nt ? w->ti[last + 1].w : 2));
    int dir = last < cf ? 0 : first > cl ? 1 : 2;
    f[n++] = sayso_feat2(G_DIR, base | (uint64_t)dir, hlem);
    f[n++] = sayso_feat2(G_KIND_DIR, base | c->kind, (uint64_t)dir);
    int32_t dist = dir == 0 ? cf - last : dir == 1 ? first - cl : 0;
    f[n++] = sayso_feat2(G_DIST, base | bucket(dist), (uint64_t)dir);
    f[n++] = sayso_feat(G_NSENT, base | (uint64_t)((d->t[last].sent - d->t[first].sent) > 3 ? 3 : d->t[last].sent - d->t[first].sent));
    /* quotation marks: none, the span is one quotation, it holds some */
    int marks = 0, whole = 0;
    for (int i = 0; i < c->n; i++)
        for (int32_t k = c->f[i]; k <= c->l[i]; k++) marks += d->t[k].kind == TK_MARK;
    int32_t q0 = d->t[first].q;
    if (q0 >= 0 && (d->t[first].flags & TF_INQUOTE)) {
        const qspan *q = &d->qs[q0];
        whole = q->first == first && (q->last == last || q->last == last + 1);
    }
    int inq_before = first > 0 && w->ti[first - 1].qs == QS_OPEN;
    int inq_after = (size_t)last + 1 < d->nt && w->ti[last + 1].qs == QS_CLOSE;
    f[n++] = sayso_feat2(G_QUOTES, base | (uint64_t)(marks > 3 ? 3 : marks), (uint64_t)(whole | inq_before << 1 | inq_after << 2));
    f[n++] = sayso_feat2(G_KIND_QS, base | c->kind, (uint64_t)(whole | inq_before << 1 | inq_after << 2 | (marks > 0) << 3));
    int ends_sent = last == slast(d, last) || trailing_junk(d, last + 1);
    int ends_para = last == plast(d, last) || ((size_t)last + 1 < d->nt && last + 1 == plast(d, last) && trailing_junk(d, last + 1));
    f[n++] = sayso_feat(G_ENDS, base | (uint64_t)(ends_sent | ends_para << 1 | (first == sfirst(d, first)) << 2));
    f[n++] = sayso_feat(G_NFRAG, base | (uint64_t)c->n);
    int cross = first < cf && last > cl;
    f[n++] = sayso_feat(G_CROSS_CUE, base | (uint64_t)cross);
    /* "X said A, and Y said B": a span that holds another cue holds
     * another attribution */
    int others = 0;
    for (int i = 0; i < c->n; i++)
        for (int32_t k = c->f[i]; k <= c->l[i]; k++) others += w->ti[k].cue && (k < cf || k > cl);
    f[n++] = sayso_feat2(G_OTHER_CUE, base | (uint64_t)(others > 2 ? 2 : others), c->kind);
    /* where the clause's "that" is: a reported clause starts with it, and
     * what stands before it ("told reporters on Friday that") is the cue's */
    int32_t that = -1;
    for (int32_t k = first; k <= c->l[0] && k < first + 12 && that < 0; k++)
        if (tok_word_eq(d, k, "that") || tok_word_eq(d, k, "whether")) that = k - first;
    f[n++] = sayso_feat2(G_THAT_AT, base | (uint64_t)(that < 0 ? 9 : that > 4 ? 5 : that), dir);
    /* the rules' view: same span as a rule's, or inside one */
    uint64_t rv = w->ti[first].rule | (uint64_t)w->ti[last].rule << 16;
    f[n++] = sayso_feat(G_RULE, base | rv);
    (void)rules;
    if (role == ROLE_SOURCE) {
        /* what the span is: a name, a pronoun, a description */
        int32_t best = -1;
        for (int32_t k = first; k <= last; k++)
            if (w->ti[k].ment >= 0) { best = w->ti[k].ment; if (d->m[best].kind == MK_NAME) break; }
        f[n++] = sayso_feat(G_MENT, base | (best < 0 ? 9 : d->m[best].kind));
        f[n++] = sayso_feat2(G_MENT_KIND, base | c->kind, best < 0 ? 9 : d->m[best].kind);
    }
    if (d->has_syn) {
        f[n++] = sayso_feat(G_FIRST_UPOS, base | d->syn[first].upos);
        f[n++] = sayso_feat(G_LAST_UPOS, base | d->syn[last].upos);
        f[n++] = sayso_feat2(G_FIRST_REL, base | d->syn[first].rel, c->kind);
        /* is the span one subtree, and how does its root hang on the cue */
        int32_t root = -1;
        for (int32_t k = first; k <= c->l[0]; k++) {
            int32_t hd = d->syn[k].head;
            if (hd < first || hd > last) { root = k; break; }
        }
        uint64_t hr = root < 0 ? 99 : (uint64_t)d->syn[root].rel | (uint64_t)(d->syn[root].head == h) << 8 |
                                      (uint64_t)(d->syn[root].sub_first == first && d->syn[root].sub_last == last) << 9;
        f[n++] = sayso_feat2(G_HEAD_REL, base | hr, hlem);
        /* Does the span stop where a subtree stops? What follows it hangs
         * on the cue (an adjunct of the saying: "in July", "before 10
         * judges"), on something inside it (the clause goes on), or
         * elsewhere; what precedes it likewise. */
        int32_t nx = last + 1;
        while ((size_t)nx < d->nt && d->t[nx].kind == TK_PUNCT && nx < last + 3) nx++;
        uint64_t na = 9;
        if ((size_t)nx < d->nt && d->t[nx].sent == d->t[last].sent) {
            int32_t hd = d->syn[nx].head;
            na = hd == h ? 1 : (hd >= first && hd <= last) ? 2 : hd > last ? 3 : 4;
            na = na << 8 | d->syn[nx].rel;
        }
        f[n++] = sayso_feat2(G_NEXT_ATTACH, base | na, c->kind);
        int32_t pv = first - 1;
        uint64_t pa = 9;
        if (pv >= 0 && d->t[pv].sent == d->t[first].sent) {
            int32_t hd = d->syn[pv].head;
            pa = hd == h ? 1 : (hd >= first && hd <= last) ? 2 : 3;
            pa = pa << 8 | d->syn[pv].rel;
        }
        f[n++] = sayso_feat2(G_PREV_ATTACH, base | pa, c->kind);
        int broken = 0;
        for (int i = 0; i < c->n; i++)
            for (int32_t k = c->f[i]; k <= c->l[i]; k++) {
                int32_t hd = d->syn[k].head;
                int inside = 0;
                for (int j = 0; j < c->n && !inside; j++) inside = hd >= c->f[j] && hd <= c->l[j];
                if (!inside) broken++;
            }
        f[n++] = sayso_feat2(G_BROKEN, base | (uint64_t)(broken > 3 ? 3 : broken), c->kind);
        f[n++] = sayso_feat2(G_TREE_LEM, base | (uint64_t)(broken > 2 ? 2 : broken), hlem);
        f[n++] = sayso_feat2(G_LAST_REL, base | d->syn[last].rel,
                             (uint64_t)(d->syn[last].head >= first && d->syn[last].head <= last));
        /* How each piece hangs on the cue: an object or a clause of the
         * saying is what was said; its adverb ("Later, Alders said") or
         * its time is not. */
        for (int i = 0; i < c->n && i < 2; i++) {
            int32_t rt = c->f[i];
            while (rt < c->l[i] && d->syn[rt].head >= c->f[i] && d->syn[rt].head <= c->l[i]) rt++;
            uint64_t on = d->syn[rt].head == h ? 1 : d->syn[rt].head < 0 ? 2 : 0;
            f[n++] = sayso_feat3(G_FRAG_ROOT, base | (uint64_t)i << 8 | (uint64_t)c->n, d->syn[rt].rel, on);
        }
    }
    if (c->cut >= 0) {
        int32_t j = c->cut;
        uint64_t nx = (size_t)j + 1 < d->nt ? w->ti[j + 1].w : 2;
        f[n++] = sayso_feat2(G_CUT, base | d->t[j].ch, d->has_syn && (size_t)j + 1 < d->nt ? d->syn[j + 1].upos : 99);
        f[n++] = sayso_feat2(G_CUT_NEXT, base | d->t[j].ch, nx);
        f[n++] = sayso_feat2(G_CUT_KIND, base | c->kind, d->has_syn && (size_t)j + 1 < d->nt ? d->syn[j + 1].rel : 99);
    } else {
        f[n++] = sayso_feat(G_CUT, base | 0xfffff);
    }
    f[n++] = sayso_feat(G_BIAS, base);
    return n;
}

/* ---- decoding --------------------------------------------------------------- */

struct sayso_attrmodel {
    sayso_ftab cue, content, source;
    int syntax;  /* trained on parsed articles */
};

int sayso_attrmodel_needs_syntax(const sayso_attrmodel *am) { return am->syntax; }
const sayso_ftab *am_content(const sayso_attrmodel *am) { return &am->content; }
const sayso_ftab *am_source(const sayso_attrmodel *am) { return &am->source; }

sayso_attrmodel *sayso_attrmodel_open(const sayso_model *m, char *err, size_t errlen)
{
    sayso_attrmodel *am = calloc(1, sizeof *am);
    if (!am) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    if (sayso_ftab_open(&am->cue, m, "cue", err, errlen) < 0 || sayso_ftab_open(&am->content, m, "content", err, errlen) < 0 ||
        sayso_ftab_open(&am->source, m, "source", err, errlen) < 0) {
        free(am);
        return NULL;
    }
    const uint32_t *meta = sayso_model_need(m, "meta", sizeof(uint32_t) * 4, NULL, err, errlen);
    if (!meta) {
        free(am);
        return NULL;
    }
    am->syntax = meta[0] != 0;
    if (am->cue.nclass != CL_N || am->content.nclass != 1 || am->source.nclass != 1) {
        snprintf(err, errlen, "corrupt model: attribution tables of the wrong shape");
        free(am);
        return NULL;
    }
    return am;
}

void sayso_attrmodel_free(sayso_attrmodel *am) { free(am); }

sayso_attrwork *sayso_attrwork_new(void) { return calloc(1, sizeof(sayso_attrwork)); }

void sayso_attrwork_free(sayso_attrwork *w)
{
    if (!w) return;
    free(w->ti);
    free(w->sc);
    free(w->vb);
    free(w->bp);
    free(w->lab);
    free(w->kidrels);
    for (int r = 0; r < AM_N; r++) {
        free(w->rmap[r].start);
        free(w->rmap[r].idx);
    }
    free(w->omap.start);
    free(w->omap.idx);
    free(w->hits);
    free(w->own);
    free(w);
}

int sayso_attr_begin(sayso_attrwork *w, const doc *d, const attributions *rules)
{
    if (sayso_attr_prepare(w, d, rules) < 0) return -1;
    if (sayso_grow((void **)&w->kidrels, &w->capkid, d->nt + 1, sizeof *w->kidrels) < 0 ||
        sayso_grow((void **)&w->lab, &w->caplab, d->nt + 1, sizeof *w->lab) < 0)
        return -1;
    nearest_attr_words(w, d);
    kid_bits(w, d);
    return 0;
}

/* The best candidate by the table (or the training weights). */
int sayso_attr_best(const sayso_attrwork *w, const doc *d, const attributions *rules, int32_t cf, int32_t cl, int role,
                    const sayso_ftab *tab, const sayso_percep *train, float *score)
{
    uint64_t f[MAX_FEATS];
    int best = -1;
    float bs = 0;
    for (size_t i = 0; i < w->ncand; i++) {
        size_t nf = sayso_attr_cand_feats(w, d, rules, cf, cl, &w->cand[i], role, f);
        float s = 0;
        if (tab) {
            int32_t acc = 0;
            sayso_ftab_score(tab, f, nf, &acc);
            s = (float)acc;
        } else {
            sayso_percep_score(train, f, nf, &s);
        }
        if (best < 0 || s > bs) { best = (int)i; bs = s; }
    }
    if (score) *score = bs;
    return best;
}

/* The name mention that ends at token k and can be the subject of a verb
 * right after it: a person's name (or one not known to be anything else),
 * not a possessive, not inside a quotation, in the same sentence. -1 if
 * none. */
static int32_t subject_name_ending(const doc *d, int32_t k)
{
    if (k < 0 || (size_t)k >= d->nt || (d->t[k].flags & (TF_INQUOTE | TF_POSS))) return -1;
    int32_t x = sayso_name_ending(d, k);
    if (x < 0) return -1;
    const mention *m = &d->m[x];
    const entity *e = &d->ent[m->entity];
    if (e->org && !e->person) return -1;
    /* "took to Instagram to write": the object of a preposition, or a
     * platform, is nobody's subject. */
    const sayso_lex *lx = tok_lex(d, &d->t[m->first]);
    if (lx && lx->channel) return -1;
    static const char *const preps[] = { "to", "on", "at", "in", "with", "from", "by", "for", "of", "about",
                                         "via", "against", NULL };
    for (int p = 0; preps[p]; p++)
        if (tok_word_eq(d, m->first - 1, preps[p])) return -1;
    return x;
}

/* The mention of source span [f, l], whose entity names the speaker. The
 * rules' reading of the same words comes first: it knows appositions
 * ("Kalani’s producer, Dev Okonkwo": Okonkwo), organisations and titles.
 * Then the noun phrase that ends the span, as the rules read a subject;
 * then a name inside it that is not a possessive; then any mention. The
 * mention keeps the span's own extent. */
static void source_mention(sayso_attrwork *w, const doc *d, const attributions *rules, int32_t f, int32_t l,
                           mention *m)
{
    int found = 0;
    int32_t f0 = f, l0 = l;
    if (d->has_syn) {
        /* "Callum Ives, the striker whose shot …" chosen as "the striker
         * whose shot …": the speaker is the name it stands in apposition
         * to. "the fund, which blames her": the noun the clause is about. */
        int32_t r = f;
        while (r <= l && d->syn[r].head >= f && d->syn[r].head <= l) r++;
        int32_t x = r <= l ? d->syn[r].head : -1;
        int32_t rm = r <= l ? w->ti[r].ment : -1;
        /* (A span that is itself a name keeps it: "Disagreeing with the
         * 80-year-old, Goldman, 67, shot back" parsed with Goldman in
         * apposition to the 80-year-old is still Goldman's.) */
        if (x >= 0 && d->syn[r].rel == R_APPOS && w->ti[x].ment >= 0 && !(rm >= 0 && d->m[rm].kind == MK_NAME)) {
            f = d->m[w->ti[x].ment].first;
            l = d->m[w->ti[x].ment].last;
        } else if (rm >= 0 && d->m[rm].kind == MK_NAME && d->m[rm].first >= f && d->m[rm].last < l &&
                   tok_is(d, d->m[rm].last + 1, ',')) {
            /* "Ali Brennan, a curator at the Harbour Textile Trust": the name
             * that heads the span, not the one its apposition ends with. */
            f = d->m[rm].first;
            l = d->m[rm].last;
        } else if (f == l && (tok_word_eq(d, f, "who") || tok_word_eq(d, f, "which") || tok_word_eq(d, f, "that")) &&
                   x >= 0 && d->syn[x].rel == R_ACL_RELCL && d->syn[x].head >= 0) {
            int32_t nn = d->syn[x].head;
            f = d->syn[nn].sub_first;
            l = nn;
        }
    }
    mention tmp;
    /* "The palace, which is the summer residence of the monarch, has
     * issued": a common noun that names an organisation of the article
     * ("Buckingham Palace"), not the place named inside its clause. */
    if (tok_word_eq(d, f, "the") && f + 1 <= l && (f + 1 == l || tok_is(d, f + 2, ','))) {
        int32_t e = sayso_named_org(d, f + 1);
        if (e >= 0) {
            memset(m, 0, sizeof *m);
            m->kind = MK_ORG;
            m->name_first = m->name_last = -1;
            m->head = f + 1;
            m->age = -1;
            m->gender = G_NEUTER;
            m->entity = e;
            m->sent = -1;
            m->first = f0;
            m->last = l0;
            return;
        }
    }
    if (f == l && f > 1 && (tok_word_eq(d, f, "who") || tok_word_eq(d, f, "which")) && tok_is(d, f - 1, ',') &&
        sayso_np_before(d, f - 1, sfirst(d, f), &tmp)) {
        /* A relative pronoun the parse did not tie to its noun: the noun
         * phrase before its comma ("…, who announced …"). */
        *m = tmp;
        m->first = f0;
        m->last = l0;
        return;
    }
    size_t nh = rules ? attrmap_find(w, &w->rmap[AM_SOURCE], f, l, d->nt) : 0;
    for (size_t h = 0; h < nh && !found; h++) {
        const attribution *a = &rules->a[w->hits[h]];
        if (!a->has_src || a->src.first < f || a->src.last > l) continue;
        *m = a->src;
        found = 1;
    }
    if (!found && sayso_np_before(d, l + 1, f, &tmp) && tmp.first >= f) {
        *m = tmp;
        found = 1;
    }
    int32_t best = -1;
    for (int32_t k = f; k <= l && !found; k++) {
        int32_t x = w->ti[k].ment;
        if (x < 0 || d->m[x].last > l || d->m[x].first < f) continue;
        int poss = (d->t[d->m[x].last].flags & TF_POSS) != 0;
        /* "Meghan's darling", "Trump's lawyer": someone else. */
        if (poss && (tok_lexflags(d, d->m[x].last + 1) & LX_PERSON) && !(d->t[d->m[x].last + 1].flags & TF_CAP))
            continue;
        if (best < 0 || (d->m[x].kind == MK_NAME && !poss &&
                         (d->m[best].kind != MK_NAME || (d->t[d->m[best].last].flags & TF_POSS))))
            best = x;
    }
    if (!found && best >= 0) {
        *m = d->m[best];
        found = 1;
    }
    if (!found && sayso_np_after(d, f, l, &tmp)) {
        *m = tmp;
        found = 1;
    }
    if (!found) {
        memset(m, 0, sizeof *m);
        m->kind = MK_DESC;
        m->name_first = m->name_last = -1;
        m->head = l;
        m->age = -1;
        m->entity = -1;
        m->sent = -1;
        /* A plain noun phrase ("the megastar") may be resolved like a
         * description; words that are more than one ("The couple, who
         * married in 2019") are not given to whoever was the last
         * subject: a wrong name is worse than none. */
        int plain = d->t[l].kind == TK_WORD && !(d->t[l].flags & TF_CAP);
        for (int32_t k = f; k <= l && plain; k++) plain = d->t[k].kind == TK_WORD;
        m->gender = plain ? G_UNKNOWN : G_NEUTER;
    }
    m->first = f0;
    m->last = l0;
}

static sayso_quote_type type_of(const doc *d, const attribution *a)
{
    int marks = 0, outside = 0;
    for (int i = 0; i < a->ncontent; i++)
        for (int32_t k = a->content[i].first; k <= a->content[i].last; k++) {
            if (d->t[k].kind == TK_MARK) marks++;
            else if (!(d->t[k].flags & TF_INQUOTE) && (d->t[k].kind == TK_WORD || d->t[k].kind == TK_NUM)) outside++;
        }
    if (!marks) return SAYSO_INDIRECT;
    return outside ? SAYSO_MIXED : SAYSO_DIRECT;
}

/* Does a's content share a token with b's? */
/* The model's attributions stand; a rule attribution is added when no
 * model attribution touches its content (the quotations the cue tagger
 * missed: pull quotes, colon paragraphs, continued quotations). */
/* Marks in w->own, per token, the first of out->a[0, n) whose content
 * holds it (-1: none). */
static int own_tokens(sayso_attrwork *w, const doc *d, const attributions *out, size_t n)
{
    if (sayso_grow((void **)&w->own, &w->capown, d->nt + 1, sizeof *w->own) < 0) return -1;
    for (size_t k = 0; k < d->nt; k++) w->own[k] = -1;
    for (size_t i = n; i-- > 0;)
        for (int c = 0; c < out->a[i].ncontent; c++)
            for (int32_t k = out->a[i].content[c].first; k <= out->a[i].content[c].last; k++) w->own[k] = (int32_t)i;
    return 0;
}

/* The first attribution (by w->own) whose content shares a token with
 * the ranges, or -1. */
static int32_t first_owner(const sayso_attrwork *w, const range *r, int nr)
{
    int32_t best = -1;
    for (int i = 0; i < nr; i++)
        for (int32_t k = r[i].first; k <= r[i].last; k++)
            if (w->own[k] >= 0 && (best < 0 || w->own[k] < best)) best = w->own[k];
    return best;
}

/* "“A,” Goldman said — Behr cut in to joke, “B!”": whether attribution b,
 * whose content is one piece and whose cue stands between two fragments of
 * a, holds a's fragment after its cue, and only from there on (not a
 * reported clause that runs into it). Then that fragment (and the ones
 * after) are b's: one speaker was interrupted by another, not by her own
 * cue. Returns the index of a's first such fragment, or 0. */
static int interrupted_by(const attribution *a, const attribution *b)
{
    if (b->ncontent != 1 || b->cue_first < 0 || b->cue_first <= a->cue_last) return 0;
    for (int k = 1; k < a->ncontent; k++)
        if (b->content[0].first <= a->content[k].first && b->content[0].first >= a->content[k].first - 1 &&
            b->content[0].last >= a->content[k].last &&
            b->cue_first > a->content[k - 1].last && b->cue_last < a->content[k].first)
            return k;
    return 0;
}

static int cue_near(const doc *d, const attribution *a);

/* Whether a's cue holds a word of the cue or attribution lists. */
static int lexicon_cue(const doc *d, const attribution *a)
{
    for (int32_t k = a->cue_first; k >= 0 && k <= a->cue_last; k++)
        if (d->t[k].lf & (LX_CUE | LX_ATTR | LX_REPORT)) return 1;
    return a->cue_first >= 0 && tok_word_eq(d, a->cue_first, "according");
}

static int merge_model_first(sayso_attrwork *w, const doc *d, const attributions *rules, attributions *out)
{
    size_t n = out->n;
    /* Which model attribution holds each token: the rules' attributions
     * are checked against it by their own words, not against every one. */
    if (own_tokens(w, d, out, n) < 0) return -1;
    for (size_t j = 0; j < rules->n; j++) {
        const attribution *r = &rules->a[j];
        int32_t clash = first_owner(w, r->content, r->ncontent);
        int cut = clash >= 0 ? interrupted_by(&out->a[clash], r) : 0;
        if (cut > 0) {
            attribution *m = &out->a[clash];
            for (int k = cut; k < m->ncontent; k++)
                for (int32_t t = m->content[k].first; t <= m->content[k].last; t++)
                    if (w->own[t] == clash) w->own[t] = -1;
            m->ncontent = cut;
            clash = first_owner(w, r->content, r->ncontent);
        }
        int rules_cue = lexicon_cue(d, r) || (r->cue_first >= 0 && r->cue_first == r->cue_last &&
                                              tok_is(d, r->cue_first, ':') && r->src.kind == MK_NAME);
        const attribution *mc = clash >= 0 ? &out->a[clash] : NULL;
        if (mc && r->has_src && rules_cue && !lexicon_cue(d, mc) && mc->ncontent >= 1 && r->ncontent >= 1 &&
            mc->content[0].first >= r->content[0].first &&
            mc->content[mc->ncontent - 1].last <= r->content[r->ncontent - 1].last) {
            /* "… read a letter to parents at Friday’s assembly:" with the
             * model's cue "assembly": a cue no word list knows loses to the
             * rules' speech verb, or their colon after a name, for the same
             * words. */
            out->a[clash] = *r;
            continue;
        }
        if (mc && r->type == SAYSO_DIRECT && r->ncontent == 1 && mc->ncontent == 1 && r->cue_first >= 0 &&
            mc->cue_first == r->cue_first && r->content[0].last < r->cue_first &&
            r->cue_first - r->content[0].last <= 3 && mc->content[0].first < r->content[0].first &&
            mc->content[0].last <= r->content[0].last && mc->content[0].last >= r->content[0].last - 1) {
            /* "X scolded the board: “…,” she said": the model's content
             * runs back over the sentence before the quotation; the words
             * of “…,” she said are the quotation. */
            out->a[clash].content[0] = r->content[0];
            out->a[clash].type = SAYSO_DIRECT;
            for (int32_t t = mc->content[0].first; t < r->content[0].first; t++)
                if (w->own[t] == clash) w->own[t] = -1;
            continue;
        }
        if (clash >= 0 && cue_near(d, r) && !cue_near(d, &out->a[clash]) && out->a[clash].ncontent == 1 &&
            r->ncontent >= 1 && out->a[clash].content[0].first >= r->content[0].first &&
            out->a[clash].content[0].last <= r->content[r->ncontent - 1].last) {
            /* "Another employee asked X if ... “Nah man, …,” he answered":
             * the model gave the quotation to a cue in another sentence,
             * the rules to the one beside it. The one beside it wins. */
            out->a[clash] = *r;
            continue;
        }
        if (clash >= 0) {
            /* A quotation the rules carried on over the next paragraphs
             * ("…,” she said. / “And …”): the paragraphs the model's
             * attribution does not hold join it. */
            attribution *m = &out->a[clash];
            for (int k = 0; k < r->ncontent && m->ncontent < SAYSO_MAX_FRAGMENTS; k++)
                if (r->content[k].first > m->content[m->ncontent - 1].last &&
                    first_owner(w, &r->content[k], 1) < 0) {
                    m->content[m->ncontent++] = r->content[k];
                    for (int32_t t = r->content[k].first; t <= r->content[k].last; t++)
                        if (w->own[t] < 0 || w->own[t] > clash) w->own[t] = clash;
                }
            continue;
        }
        attribution *slot = DOC_PUSH(out->a, out->n, out->cap);
        if (!slot) return -1;
        *slot = *r;
    }
    return 0;
}

/* Whether a's cue stands in a sentence where a piece of its content
 * starts or ends, or introduces it with a colon ("… wrote:" then the
 * quote). */
static int cue_near(const doc *d, const attribution *a)
{
    if (a->cue_first < 0 || a->ncontent < 1) return 0;
    int32_t cs = d->t[a->cue_first].sent;
    for (int k = 0; k < a->ncontent; k++)
        if (d->t[a->content[k].first].sent == cs || d->t[a->content[k].last].sent == cs) return 1;
    int32_t e = a->cue_last + 1;
    while ((size_t)e < d->nt && d->t[e].kind == TK_WORD && e < a->cue_last + 4) e++;
    return (size_t)e < d->nt && d->t[e].kind == TK_PUNCT && d->t[e].ch == ':';
}

/* "“What sleep?” he said, according to the celebrity site": the outlet
 * reports the saying, it did not say the words. When two attributions hold
 * the same content and one is an "according to", the speaker's stays. */
/* Two of the model's attributions of the same words, one with its cue
 * beside them and one with its cue in another sentence ("X weighed in.
 * The rapper said the song was “…”"): the far cue is not the saying. Done
 * before the rules' attributions join, so that theirs fill what goes. */
static int drop_far_cues(sayso_attrwork *w, const doc *d, attributions *out)
{
    /* w->own marks the tokens of the attributions whose cue is near */
    if (sayso_grow((void **)&w->own, &w->capown, d->nt + 1, sizeof *w->own) < 0) return -1;
    for (size_t k = 0; k < d->nt; k++) w->own[k] = -1;
    for (size_t i = 0; i < out->n; i++)
        if (cue_near(d, &out->a[i]))
            for (int c = 0; c < out->a[i].ncontent; c++)
                for (int32_t k = out->a[i].content[c].first; k <= out->a[i].content[c].last; k++) w->own[k] = 1;
    size_t kept = 0;
    for (size_t i = 0; i < out->n; i++) {
        int drop = !cue_near(d, &out->a[i]) && first_owner(w, out->a[i].content, out->a[i].ncontent) >= 0;
        if (!drop) out->a[kept++] = out->a[i];
    }
    out->n = kept;
    return 0;
}

static int drop_reporters(sayso_attrwork *w, const doc *d, attributions *out)
{
    if (attrmap_build(&w->omap, out, d->nt, AM_CONTENT) < 0) return -1;
    if (sayso_grow((void **)&w->own, &w->capown, out->n + 1, sizeof *w->own) < 0) return -1;
    int32_t *drop = w->own; /* per attribution here */
    memset(drop, 0, (out->n + 1) * sizeof *drop);
    for (size_t i = 0; i < out->n; i++) {
        const attribution *a = &out->a[i];
        if (a->cue_first < 0 || !tok_word_eq(d, a->cue_first, "according") || a->ncontent < 1) continue;
        /* the others whose content starts where a's does */
        size_t nh = attrmap_find(w, &w->omap, a->content[0].first, a->content[0].first, d->nt);
        for (size_t h = 0; h < nh && !drop[i]; h++) {
            const attribution *b = &out->a[w->hits[h]];
            if ((size_t)w->hits[h] == i || b->ncontent != a->ncontent || b->cue_first < 0 ||
                tok_word_eq(d, b->cue_first, "according"))
                continue;
            int same = 1;
            for (int k = 0; k < a->ncontent && same; k++)
                same = a->content[k].first == b->content[k].first && a->content[k].last == b->content[k].last;
            drop[i] = same;
        }
    }
    size_t kept = 0;
    for (size_t i = 0; i < out->n; i++)
        if (!drop[i]) out->a[kept++] = out->a[i];
    out->n = kept;
    return 0;
}

/* The model's own attributions interrupted by another of them
 * (interrupted_by): the later fragments go. */
static int split_fragments(sayso_attrwork *w, const doc *d, attributions *out)
{
    if (attrmap_build(&w->omap, out, d->nt, AM_CONTENT) < 0) return -1;
    for (size_t i = 0; i < out->n; i++) {
        attribution *a = &out->a[i];
        for (int k = 1; k < a->ncontent; k++) {
            const range *fr = &a->content[k];
            size_t nh = attrmap_find(w, &w->omap, fr->first, fr->first, d->nt);
            int other = 0;
            for (size_t h = 0; h < nh && !other; h++)
                other = (size_t)w->hits[h] != i && interrupted_by(a, &out->a[w->hits[h]]) == k;
            if (!other) continue;
            /* this fragment and the ones after it go */
            a->ncontent = k;
            break;
        }
    }
    return 0;
}

int sayso_attr_predict(const sayso_attrmodel *am, sayso_attrwork *w, doc *d, const attributions *rules,
                       attributions *out)
{
    if (sayso_attr_find(am, w, d, rules, out) < 0 || drop_far_cues(w, d, out) < 0 ||
        merge_model_first(w, d, rules, out) < 0 || drop_reporters(w, d, out) < 0 || split_fragments(w, d, out) < 0)
        return -1;
    return 0;
}

/* "The mayor said she would meet both sides, and her deputy said the vote
 * could wait": when a content holds another attribution's source and cue,
 * set off by a comma and "and"/"but" or by a semicolon, the two are
 * coordinated, not one inside the other, and the first content ends before
 * them. (A that-clause reporting someone else's words, "said that Y told
 * him …", has no such break, and keeps them.) Attributions come in cue
 * order, so each looks ahead only as far as its content reaches. */
static void split_coordinated(const doc *d, attributions *out)
{
    for (size_t i = 0; i < out->n; i++) {
        attribution *a = &out->a[i];
        if (a->ncontent != 1) continue;
        int32_t f = a->content[0].first, l = a->content[0].last;
        for (size_t j = i + 1; j < out->n; j++) {
            const attribution *b = &out->a[j];
            if (b->cue_first > l) break;
            if (b->cue_first < f || !b->has_src || b->src.first < f || b->src.first > l) continue;
            int32_t cut = -1;
            for (int32_t k = b->src.first - 1; k > f && k >= b->src.first - 3; k--) {
                if (tok_is(d, k, ';')) { cut = k; break; }
                if ((tok_word_eq(d, k, "and") || tok_word_eq(d, k, "but")) && tok_is(d, k - 1, ',')) { cut = k - 1; break; }
            }
            if (cut <= f) continue;
            int32_t nl = cut - 1;
            sayso_attr_trim(d, &f, &nl);
            if (nl >= f) a->content[0].last = nl;
            break;
        }
    }
}

/* Marks that may close a quotation. */
static int closing_shape(uint8_t mark)
{
    return mark == M_RDQ || mark == M_DQ || mark == M_RSQ || mark == M_SQ || mark == M_RGU;
}

/* The tokens around source [sf, sl] it may grow over: up to the nearest
 * content on either side (or no further than it is, where a content runs
 * on from inside it). */
static range source_room(const doc *d, const attribution *a, int32_t sf, int32_t sl)
{
    range r = { 0, (int32_t)d->nt - 1 };
    for (int i = 0; i < a->ncontent; i++) {
        const range *c = &a->content[i];
        if (c->last > sl) {
            int32_t to = c->first > sl ? c->first - 1 : sl;
            if (to < r.last) r.last = to;
        }
        if (c->first < sf) {
            int32_t from = c->last < sf ? c->last + 1 : sf;
            if (from > r.first) r.first = from;
        }
    }
    return r;
}

int sayso_attr_find(const sayso_attrmodel *am, sayso_attrwork *w, doc *d, const attributions *rules,
                    attributions *out)
{
    out->n = 0;
    if (d->nt == 0) return 0;
    if (sayso_attr_begin(w, d, rules) < 0) return -1;
    for (size_t p = 0; p < d->npara; p++) {
        int32_t pf = d->para[p].first, pl = d->para[p].last;
        if (sayso_attr_tag_cues(w, d, &am->cue, NULL, pf, pl, w->lab + pf) < 0) return -1;
    }
    for (size_t k = 0; k < d->nt; k++) w->ti[k].cue = w->lab[k] == CL_B;
    for (int32_t k = 0; (size_t)k < d->nt; k++) {
        if (w->lab[k] != CL_B) continue;
        int32_t cf = k, cl = k;
        while ((size_t)cl + 1 < d->nt && w->lab[cl + 1] == CL_I && d->t[cl + 1].para == d->t[cf].para) cl++;
        /* "The so-called “luxury” flats": distance from a word, never
         * anyone's report of it. */
        if (cf == cl && tok_word_eq(d, cf, "so-called")) {
            k = cl;
            continue;
        }
        attribution a;
        memset(&a, 0, sizeof a);
        a.cue_first = cf;
        a.cue_last = cl;
        a.q0 = -1;
        a.src.entity = -1;
        sayso_attr_content_cands(w, d, rules, cf, cl);
        if (!w->ncand) continue;
        float cs;
        int ci = sayso_attr_best(w, d, rules, cf, cl, ROLE_CONTENT, &am->content, NULL, &cs);
        if (ci <= 0) {
            k = cl;
            continue; /* no cue after all: it reports nothing */
        }
        const cand *c = &w->cand[ci];
        for (int i = 0; i < c->n && a.ncontent < SAYSO_MAX_FRAGMENTS; i++) {
            /* Candidates are compared trimmed; a quote's content keeps its
             * marks, and the punctuation inside them (“A,” he said). */
            int32_t f = c->f[i], l = c->l[i];
            if (f > 0 && w->ti[f - 1].qs == QS_OPEN) f--;
            int32_t e = l;
            while ((size_t)e + 1 < d->nt && d->t[e + 1].kind == TK_PUNCT && (d->t[e + 1].flags & TF_INQUOTE) &&
                   d->t[e + 1].para == d->t[l].para && e < l + 3)
                e++;
            /* All the marks that close it: a nested quotation's with the
             * outer one's (…all bets are off.'") and typewriter doubles
             * (''a misguided approach,''), one run of marks. */
            int32_t m = e, closed = 0;
            while ((size_t)m + 1 < d->nt && m < e + 3 && d->t[m + 1].kind == TK_MARK && closing_shape(d->t[m + 1].mark) &&
                   d->t[m + 1].para == d->t[l].para && (m == e || !(d->t[m + 1].flags & TF_SPACE))) {
                m++;
                closed |= w->ti[m].qs == QS_CLOSE;
            }
            if (closed) l = m;
            /* A candidate from the parse may start inside a cue of two
             * words ("against it" of "voted against"): the cue's words
             * are the saying, never what was said. */
            if (f <= cl && l >= cf) {
                if (f >= cf) f = cl + 1;
                else l = cf - 1;
                sayso_attr_trim(d, &f, &l);
                if (f > l) continue;
            }
            a.content[a.ncontent].first = f;
            a.content[a.ncontent].last = l;
            a.ncontent++;
        }
        if (!a.ncontent) {
            k = cl;
            continue;
        }
        sayso_attr_source_cands(w, d, rules, cf, cl);
        int si = sayso_attr_best(w, d, rules, cf, cl, ROLE_SOURCE, &am->source, NULL, NULL);
        if (si > 0) {
            int32_t sf = w->cand[si].f[0], sl = w->cand[si].l[0];
            /* "Disagreeing with the 80-year-old, Goldman, 67, shot back":
             * a source inside the clause that opens the sentence, before a
             * cue after it, is the subject after the clause instead. */
            int32_t fe = sayso_fronted_clause_end(d, sf);
            mention np;
            if (fe >= 0 && sl < fe && cf > fe + 1 && sayso_np_before(d, cf, fe + 1, &np) && np.first > fe) {
                sf = np.first;
                sl = np.last;
            }
            /* "One of many supportive comments, Geoff Dionisio wrote": a
             * name right before the cue is its subject, whatever span the
             * ranker liked better. */
            int32_t nb = cf - 1;
            while (nb > 0 && (tok_word_eq(d, nb, "also") || tok_word_eq(d, nb, "later") || tok_word_eq(d, nb, "then")))
                nb--;
            int32_t nm = nb >= 0 ? subject_name_ending(d, nb) : -1;
            if (nm >= 0 && (d->m[nm].last < sf || d->m[nm].first > sl) && d->m[nm].last < cf) {
                sf = d->m[nm].first;
                sl = d->m[nm].last;
            }
            /* A source that starts inside the content and runs on after
             * it ("…before the alarm even rings,” one reader wrote" taken
             * from inside the quotation): its words after the content. */
            for (int i = 0; i < a.ncontent; i++)
                if (sf >= a.content[i].first && sf <= a.content[i].last && sl > a.content[i].last) {
                    sf = a.content[i].last + 1;
                    while (sf < sl && (d->t[sf].kind == TK_PUNCT || d->t[sf].kind == TK_MARK)) sf++;
                }
            /* The whole noun phrase, without what opens the clause or an
             * adverbial after it (sourcespan.h): "But critics" as
             * "critics", "said Ana Ruiz, a lawyer for the union" whole. */
            sayso_source_span(d, cf, cl, source_room(d, &a, sf, sl), &sf, &sl);
            /* A time the ranker took for the source ("…, Friday
             * afternoon") is none; the rules' source may stand below. */
            if (!sayso_source_is_time(d, sf, sl)) {
                source_mention(w, d, rules, sf, sl, &a.src);
                a.has_src = 1;
            }
        }
        if (a.has_src && a.ncontent >= 1 && a.content[0].first >= a.src.first && a.content[0].first <= a.src.last &&
            a.src.last < a.content[0].last) {
            /* The content starts inside the source ("According to the
             * tour's promoter, Lakeline Live, the show …" with both taking
             * "Lakeline Live"): the source's words are not what was said. */
            int32_t f = a.src.last + 1;
            while (f < a.content[0].last && tok_is(d, f, ',')) f++;
            a.content[0].first = f;
        }
        if (a.has_src && a.ncontent >= 1 && a.content[0].first == a.src.last + 2 && tok_is(d, a.src.last + 1, ',')) {
            /* "According to the tour's promoter, Lakeline Live, the show
             * …": a name set off by commas between the source and the
             * clause is the source's apposition, and names the speaker. */
            int32_t x = w->ti[a.content[0].first].ment;
            if (x >= 0 && d->m[x].kind == MK_NAME && d->m[x].first == a.content[0].first &&
                d->m[x].last + 2 <= a.content[0].last && tok_is(d, d->m[x].last + 1, ',')) {
                int32_t f = a.src.first;
                a.src = d->m[x];
                a.src.first = f;
                a.content[0].first = d->m[x].last + 2;
            }
        }
        if (a.ncontent >= 1 && a.content[0].first == a.cue_last + 1 && a.content[0].first + 2 <= a.content[0].last &&
            d->t[a.content[0].first].kind == TK_WORD && tok_is(d, a.content[0].first + 1, ':') &&
            w->ti[a.content[0].first + 2].qs == QS_OPEN) {
            /* "replied on X: “Best team ever.”": the word before the colon
             * is where, not what. */
            a.content[0].first += 2;
        }
        for (int i = 0; a.has_src && i < a.ncontent; i++) {
            /* Whatever else overlaps: a source is never part of what it
             * said. A source at the end of the content is cut off it; one
             * inside it is dropped (no name rather than a wrong one). */
            range *ct = &a.content[i];
            if (a.src.last < ct->first || a.src.first > ct->last) continue;
            if (a.src.first > ct->first && a.src.last >= ct->last) {
                int32_t l = a.src.first - 1;
                while (l > ct->first && d->t[l].kind == TK_PUNCT && !(d->t[l].flags & TF_INQUOTE)) l--;
                ct->last = l;
            } else {
                a.has_src = 0;
            }
        }
        a.type = type_of(d, &a);
        size_t nh = a.has_src && rules ? overlapping(w, &w->rmap[AM_CONTENT], d, &a) : 0;
        for (size_t h = 0; h < nh; h++) {
            /* The model's source touches the rules' source for the same
             * words but leaves out its head ("Harbour master" of "Harbour
             * master Piet Alders told …"): one noun phrase cut in two, and
             * the rules' head names the speaker. */
            const attribution *r = &rules->a[w->hits[h]];
            if (!r->has_src || r->src.first > a.src.last + 1 ||
                a.src.first > r->src.last + 1 || (r->src.head >= a.src.first && r->src.head <= a.src.last))
                continue;
            int32_t f = a.src.first < r->src.first ? a.src.first : r->src.first;
            int32_t l = a.src.last > r->src.last ? a.src.last : r->src.last;
            /* (the words joined are cut as the model's own were) */
            sayso_source_span(d, cf, cl, source_room(d, &a, f, l), &f, &l);
            a.src = r->src;
            a.src.first = f;
            a.src.last = l;
            break;
        }
        if (!a.has_src) {
            /* No source, where the rules name one for the same quotation
             * ("…,” tweeted Callum Ives, the striker whose …). */
            size_t no = rules ? overlapping(w, &w->rmap[AM_CONTENT], d, &a) : 0;
            for (size_t h = 0; h < no; h++) {
                const attribution *r = &rules->a[w->hits[h]];
                if (!r->has_src) continue;
                /* (cut as the model's own would be) */
                int32_t f = r->src.first, l = r->src.last;
                sayso_source_span(d, cf, cl, source_room(d, &a, f, l), &f, &l);
                a.src = r->src;
                a.src.first = f;
                a.src.last = l;
                a.has_src = 1;
                break;
            }
        }
        a.confidence = 0.7f;
        /* The tagger may take the colon after "wrote" into the cue; it is
         * punctuation, not part of the saying. */
        while (a.cue_last > a.cue_first && d->t[a.cue_last].kind == TK_PUNCT) a.cue_last--;
        attribution *slot = DOC_PUSH(out->a, out->n, out->cap);
        if (!slot) return -1;
        *slot = a;
        k = cl;
    }
    split_coordinated(d, out);
    return 0;
}
