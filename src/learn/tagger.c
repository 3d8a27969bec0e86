/*
 * tagger.c — the part-of-speech tagger: greedy, left to right, averaged
 * perceptron.
 *
 * Each word is scored from hashed features of itself (form, lower case,
 * prefixes, suffixes, shape), its neighbours two either side, the tags
 * already given to the two words before it, and the tags the training data
 * allows for it and its neighbours (its "ambiguity class", from the word
 * list in the model). Words the training data saw often with a single tag
 * take that tag without being scored, which is most of the commonest words
 * and a large part of the time.
 *
 * The model ("TAGR" version 1) holds:
 *   meta     nupos (17), word list slots, thresholds it was built with
 *   lex      the word list: open addressing on the hash of the lower-case
 *            form, {fingerprint, tag mask | (sure tag + 1) << 24}
 *   tag.*    the packed feature table (learn.h), dense, 17 classes
 */
#include <stdlib.h>
#include <string.h>
#include "learn.h"
#include "tagger.h"

/* A word enters the word list when seen this often; rarer words look like
 * unknown ones, which is what teaches the model about unknown words. */
#define LEX_MIN 3
/* A tag belongs to a word's class when it has at least this share (per
 * mille) of the word's occurrences. */
#define LEX_SHARE 20
/* A word is "sure" (tagged without scoring) when seen this often with one
 * tag in this share (per mille) of its occurrences. */
#define SURE_MIN 20
#define SURE_SHARE 997
/* Rows whose weights span less than this (quantised: the largest weight
 * is 127) are dropped from the shipped table. */
#define PRUNE 1

#define BOS_TAG SAYSO_NUPOS
#define NTAGF 40 /* room for the features of one word */

typedef struct {
    uint32_t nupos, lexslots, lex_min, sure_min;
    uint32_t lex_share, sure_share, pad[2];
} meta;

struct sayso_tagger {
    sayso_ptab tab;
    const uint32_t *lex; /* fingerprint, value */
    uint32_t lexmask;
};

/* One position of the sentence as the features see it; two padding
 * positions either side. */
typedef struct {
    sayso_wfeat wf;
    uint32_t amb;   /* tags the word list allows, 0 when unknown */
    uint32_t sure;  /* tag + 1 when the word is sure, else 0 */
} tword;

#define PAD 2

static uint32_t lex_find(const uint32_t *lex, uint32_t mask, uint64_t key)
{
    uint32_t fp = (uint32_t)(key >> 32);
    if (!fp) fp = 1;
    for (uint32_t i = (uint32_t)key & mask;; i = (i + 1) & mask) {
        if (lex[2 * (size_t)i] == fp) return lex[2 * (size_t)i + 1];
        if (!lex[2 * (size_t)i]) return 0;
    }
}

/* Fills c[PAD .. PAD + n) from the words and the padding around them. */
static void prepare(tword *c, const uint32_t *lex, uint32_t lexmask, sayso_word *w, size_t n)
{
    for (size_t k = 0; k < PAD; k++) {
        tword *b = &c[k], *e = &c[PAD + n + k];
        memset(b, 0, sizeof *b);
        memset(e, 0, sizeof *e);
        b->wf.form = b->wf.lower = b->wf.shape = UINT64_C(0x1111) + k;
        e->wf.form = e->wf.lower = e->wf.shape = UINT64_C(0x2222) + k;
        b->amb = 1u << 20;
        e->amb = 1u << 21;
    }
    for (size_t i = 0; i < n; i++) {
        tword *t = &c[PAD + i];
        sayso_word_features(w[i].s, w[i].n, &t->wf);
        w[i].lex = (uint32_t)t->wf.lower;
        uint32_t v = lex_find(lex, lexmask, t->wf.lower);
        t->amb = v & 0xFFFFFFu;
        t->sure = v >> 24;
    }
}

/* The features of word c[0] (a pointer into the padded array) after tags
 * p1 (previous word) and p2 (the one before). */
static size_t features(const tword *c, uint32_t p1, uint32_t p2, int first, uint64_t *f)
{
    const sayso_wfeat *w = &c[0].wf, *l1 = &c[-1].wf, *l2 = &c[-2].wf, *r1 = &c[1].wf, *r2 = &c[2].wf;
    size_t k = 0;
    f[k++] = sayso_f1(1, 0);
    f[k++] = sayso_f1(2, w->form);
    f[k++] = sayso_f1(3, w->lower);
    f[k++] = sayso_f1(4, w->pre[0]);
    f[k++] = sayso_f1(5, w->pre[1]);
    f[k++] = sayso_f1(6, w->pre[2]);
    f[k++] = sayso_f1(7, w->suf[0]);
    f[k++] = sayso_f1(8, w->suf[1]);
    f[k++] = sayso_f1(9, w->suf[2]);
    f[k++] = sayso_f1(10, w->suf[3]);
    f[k++] = sayso_f1(11, w->shape);
    f[k++] = sayso_f2(12, w->flags, (uint64_t)first);
    f[k++] = sayso_f1(13, p1);
    f[k++] = sayso_f1(14, p2);
    f[k++] = sayso_f2(15, p1, p2);
    f[k++] = sayso_f2(16, p1, w->lower);
    f[k++] = sayso_f1(17, l1->lower);
    f[k++] = sayso_f1(18, l1->suf[2]);
    f[k++] = sayso_f1(19, l2->lower);
    f[k++] = sayso_f1(20, r1->lower);
    f[k++] = sayso_f1(21, r1->suf[2]);
    f[k++] = sayso_f1(22, r2->lower);
    f[k++] = sayso_f1(23, c[0].amb);
    f[k++] = sayso_f1(24, c[1].amb);
    f[k++] = sayso_f2(25, p1, c[0].amb);
    f[k++] = sayso_f2(26, c[0].amb, c[1].amb);
    f[k++] = sayso_f1(27, r1->shape);
    f[k++] = sayso_f1(28, l1->shape);
    f[k++] = sayso_f2(29, l1->lower, w->lower);
    f[k++] = sayso_f2(30, w->lower, r1->lower);
    f[k++] = sayso_f1(31, c[2].amb);
    f[k++] = sayso_f2(32, p1, r1->lower);
    f[k++] = sayso_f2(33, first, w->shape);
    f[k++] = sayso_f3(34, p1, c[0].amb, c[1].amb);
    f[k++] = sayso_f2(35, w->suf[2], r1->lower);
    f[k++] = sayso_f2(36, l1->lower, w->suf[2]);
    return k;
}

/* ---- run time ----------------------------------------------------------- */

sayso_tagger *sayso_tagger_open(const sayso_model *m, char *err, size_t errlen)
{
    const meta *mt = sayso_model_need(m, "meta", sizeof(meta), NULL, err, errlen);
    if (!mt) return NULL;
    if (mt->nupos != SAYSO_NUPOS || mt->lexslots < 2 || (mt->lexslots & (mt->lexslots - 1)) ||
        mt->lexslots > (1u << 28)) {
        snprintf(err, errlen, "corrupt tagger model: bad meta section");
        return NULL;
    }
    const uint32_t *lex = sayso_model_need(m, "lex", (size_t)mt->lexslots * 8, NULL, err, errlen);
    if (!lex) return NULL;
    size_t empty = 0;
    for (size_t i = 0; i < mt->lexslots; i++) {
        uint32_t v = lex[2 * i + 1];
        if (!lex[2 * i]) empty++;
        else if ((v & 0xFFFFFFu) >= (1u << SAYSO_NUPOS) || (v >> 24) > SAYSO_NUPOS) {
            snprintf(err, errlen, "corrupt tagger model: word list entry %zu out of range", i);
            return NULL;
        }
    }
    if (!empty) {
        snprintf(err, errlen, "corrupt tagger model: word list is full");
        return NULL;
    }
    sayso_tagger *t = calloc(1, sizeof *t);
    if (!t) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    if (sayso_ptab_open(&t->tab, m, "tag", err, errlen) < 0) {
        sayso_tagger_free(t);
        return NULL;
    }
    if (t->tab.nclass != SAYSO_NUPOS) {
        snprintf(err, errlen, "corrupt tagger model: %u classes, not %d", t->tab.nclass, SAYSO_NUPOS);
        sayso_tagger_free(t);
        return NULL;
    }
    t->lex = lex;
    t->lexmask = mt->lexslots - 1;
    return t;
}

void sayso_tagger_free(sayso_tagger *t)
{
    if (!t) return;
    sayso_ptab_close(&t->tab);
    free(t);
}

static uint32_t argmax_i32(const int32_t *s, uint32_t n)
{
    uint32_t best = 0;
    for (uint32_t c = 1; c < n; c++)
        if (s[c] > s[best]) best = c;
    return best;
}

int sayso_tagger_tag(const sayso_tagger *t, sayso_syntax_ws *ws, sayso_word *w, size_t n)
{
    if (!n) return 0;
    if (n > SIZE_MAX / sizeof(tword) - 2 * PAD ||
        sayso_syntax_reserve(&ws->tag, &ws->tagcap, (n + 2 * PAD) * sizeof(tword)) < 0)
        return -1;
    tword *c = ws->tag;
    prepare(c, t->lex, t->lexmask, w, n);
    uint32_t p1 = BOS_TAG, p2 = BOS_TAG;
    uint64_t f[NTAGF];
    for (size_t i = 0; i < n; i++) {
        const tword *ci = &c[PAD + i];
        uint32_t tag;
        if (ci->sure) {
            tag = ci->sure - 1;
        } else {
            int32_t s[SAYSO_NUPOS] = { 0 };
            size_t nf = features(ci, p1, p2, i == 0, f);
            sayso_ptab_score(&t->tab, f, nf, s);
            tag = argmax_i32(s, SAYSO_NUPOS);
        }
        w[i].upos = (uint8_t)tag;
        p2 = p1;
        p1 = tag;
    }
    return 0;
}

/* ---- training ----------------------------------------------------------- */

struct sayso_tagger_trainer {
    const sayso_conllu *tb;
    size_t *order, nsent;
    uint32_t *lex, lexmask;
    sayso_percep *pc;
    uint64_t rng;
    sayso_syntax_ws ws;
    sayso_word *words; /* copy of one sentence, tagged by the trainer */
    size_t wordscap;
};

/* The word list: counts of each tag per lower-case form, in order of first
 * appearance so that the table built from it depends only on the data. */
typedef struct {
    uint64_t *keys;
    uint32_t *slot;
    uint32_t mask;
    uint64_t *key;       /* per entry */
    uint32_t (*count)[SAYSO_NUPOS];
    size_t n, cap;
} counter;

static long counter_add(counter *ct, uint64_t k)
{
    if (!k) k = 1;
    if ((ct->n + 1) * 2 > (size_t)ct->mask + 1 || !ct->keys) {
        uint32_t nm = ct->keys ? ct->mask * 2 + 1 : 65535;
        uint64_t *nk = calloc((size_t)nm + 1, sizeof *nk);
        uint32_t *ns = calloc((size_t)nm + 1, sizeof *ns);
        if (!nk || !ns) { free(nk); free(ns); return -1; }
        for (size_t e = 0; e < ct->n; e++) {
            uint32_t i = (uint32_t)ct->key[e] & nm;
            while (nk[i]) i = (i + 1) & nm;
            nk[i] = ct->key[e];
            ns[i] = (uint32_t)e;
        }
        free(ct->keys);
        free(ct->slot);
        ct->keys = nk;
        ct->slot = ns;
        ct->mask = nm;
    }
    uint32_t i = (uint32_t)k & ct->mask;
    for (; ct->keys[i]; i = (i + 1) & ct->mask)
        if (ct->keys[i] == k) return ct->slot[i];
    if (ct->n == ct->cap) {
        size_t nc = ct->cap ? ct->cap * 2 : 4096;
        uint64_t *nk = realloc(ct->key, nc * sizeof *nk);
        if (!nk) return -1;
        ct->key = nk;
        uint32_t (*nco)[SAYSO_NUPOS] = realloc(ct->count, nc * sizeof *nco);
        if (!nco) return -1;
        ct->count = nco;
        ct->cap = nc;
    }
    ct->keys[i] = k;
    ct->slot[i] = (uint32_t)ct->n;
    ct->key[ct->n] = k;
    memset(ct->count[ct->n], 0, sizeof ct->count[0]);
    return (long)ct->n++;
}

static void counter_free(counter *ct)
{
    free(ct->keys);
    free(ct->slot);
    free(ct->key);
    free(ct->count);
}

static int build_lex(sayso_tagger_trainer *tr, const size_t *sents, size_t nsents)
{
    const sayso_conllu *tb = tr->tb;
    counter ct = { 0 };
    sayso_wfeat wf;
    for (size_t s = 0; s < nsents; s++) {
        for (size_t i = tb->sent[sents[s]]; i < tb->sent[sents[s] + 1]; i++) {
            sayso_word_features(tb->w[i].s, tb->w[i].n, &wf);
            long e = counter_add(&ct, wf.lower);
            if (e < 0) { counter_free(&ct); return -1; }
            ct.count[e][tb->w[i].upos]++;
        }
    }
    size_t kept = 0;
    for (size_t e = 0; e < ct.n; e++) {
        uint32_t total = 0;
        for (int t = 0; t < SAYSO_NUPOS; t++) total += ct.count[e][t];
        if (total >= LEX_MIN) kept++;
    }
    size_t slots = 1024;
    while (slots < kept * 2 + 1) slots *= 2;
    tr->lex = calloc(slots * 2, sizeof *tr->lex);
    if (!tr->lex) { counter_free(&ct); return -1; }
    tr->lexmask = (uint32_t)slots - 1;
    for (size_t e = 0; e < ct.n; e++) {
        uint32_t total = 0, top = 0, mask = 0;
        for (int t = 0; t < SAYSO_NUPOS; t++) {
            total += ct.count[e][t];
            if (ct.count[e][t] > ct.count[e][top]) top = (uint32_t)t;
        }
        if (total < LEX_MIN) continue;
        for (int t = 0; t < SAYSO_NUPOS; t++)
            if (ct.count[e][t] && (uint64_t)ct.count[e][t] * 1000 >= (uint64_t)total * LEX_SHARE) mask |= 1u << t;
        uint32_t v = mask;
        if (total >= SURE_MIN && (uint64_t)ct.count[e][top] * 1000 >= (uint64_t)total * SURE_SHARE)
            v |= (top + 1) << 24;
        uint64_t k = ct.key[e];
        uint32_t fp = (uint32_t)(k >> 32);
        if (!fp) fp = 1;
        uint32_t i = (uint32_t)k & tr->lexmask;
        while (tr->lex[2 * (size_t)i]) i = (i + 1) & tr->lexmask;
        tr->lex[2 * (size_t)i] = fp;
        tr->lex[2 * (size_t)i + 1] = v;
    }
    counter_free(&ct);
    return 0;
}

sayso_tagger_trainer *sayso_tagger_trainer_new(const sayso_conllu *tb, const size_t *sents, size_t nsents,
                                               uint64_t seed)
{
    sayso_tagger_trainer *tr = calloc(1, sizeof *tr);
    if (!tr) return NULL;
    tr->tb = tb;
    tr->rng = seed;
    tr->nsent = nsents;
    tr->order = malloc((nsents ? nsents : 1) * sizeof *tr->order);
    tr->pc = sayso_percep_new(SAYSO_NUPOS);
    if (!tr->order || !tr->pc || build_lex(tr, sents, nsents) < 0) {
        sayso_tagger_trainer_free(tr);
        return NULL;
    }
    memcpy(tr->order, sents, nsents * sizeof *sents);
    return tr;
}

void sayso_tagger_trainer_free(sayso_tagger_trainer *tr)
{
    if (!tr) return;
    free(tr->order);
    free(tr->lex);
    sayso_percep_free(tr->pc);
    sayso_syntax_ws_free(&tr->ws);
    free(tr->words);
    free(tr);
}

static uint32_t argmax_f(const float *s, uint32_t n)
{
    uint32_t best = 0;
    for (uint32_t c = 1; c < n; c++)
        if (s[c] > s[best]) best = c;
    return best;
}

int sayso_tagger_trainer_epoch(sayso_tagger_trainer *tr, double *acc)
{
    const sayso_conllu *tb = tr->tb;
    for (size_t i = tr->nsent; i > 1; i--) {
        size_t j = (size_t)(sayso_rand(&tr->rng) % i);
        size_t t = tr->order[i - 1];
        tr->order[i - 1] = tr->order[j];
        tr->order[j] = t;
    }
    size_t right = 0, total = 0;
    uint64_t f[NTAGF];
    for (size_t s = 0; s < tr->nsent; s++) {
        size_t first = tb->sent[tr->order[s]], n = tb->sent[tr->order[s] + 1] - first;
        const sayso_word *gold = tb->w + first;
        if (sayso_syntax_reserve(&tr->ws.tag, &tr->ws.tagcap, (n + 2 * PAD) * sizeof(tword)) < 0) return -1;
        if (n > tr->wordscap) {
            free(tr->words);
            tr->words = malloc(n * sizeof *tr->words);
            if (!tr->words) { tr->wordscap = 0; return -1; }
            tr->wordscap = n;
        }
        memcpy(tr->words, gold, n * sizeof *gold);
        tword *c = tr->ws.tag;
        prepare(c, tr->lex, tr->lexmask, tr->words, n);
        uint32_t p1 = BOS_TAG, p2 = BOS_TAG;
        for (size_t i = 0; i < n; i++) {
            const tword *ci = &c[PAD + i];
            uint32_t tag, want = gold[i].upos;
            if (ci->sure) {
                tag = ci->sure - 1;
            } else {
                float sc[SAYSO_NUPOS] = { 0 };
                size_t nf = features(ci, p1, p2, i == 0, f);
                sayso_percep_score(tr->pc, f, nf, sc);
                tag = argmax_f(sc, SAYSO_NUPOS);
                if (tag != want && (sayso_percep_update(tr->pc, f, nf, want, 1.0f) < 0 ||
                                    sayso_percep_update(tr->pc, f, nf, tag, -1.0f) < 0))
                    return -1;
                sayso_percep_tick(tr->pc);
            }
            right += tag == want;
            total++;
            p2 = p1;
            p1 = tag;
        }
    }
    *acc = total ? (double)right / (double)total : 0;
    return 0;
}

sayso_model_writer *sayso_tagger_trainer_model(const sayso_tagger_trainer *tr)
{
    sayso_model_writer *w = sayso_model_writer_new(SAYSO_TAGGER_KIND, SAYSO_TAGGER_VERSION);
    if (!w) return NULL;
    meta mt = { SAYSO_NUPOS, tr->lexmask + 1, LEX_MIN, SURE_MIN, LEX_SHARE, SURE_SHARE, { 0, 0 } };
    if (sayso_model_writer_add(w, "meta", &mt, sizeof mt) < 0 ||
        sayso_model_writer_add(w, "lex", tr->lex, ((size_t)tr->lexmask + 1) * 8) < 0 ||
        sayso_percep_write_packed(tr->pc, w, "tag", SAYSO_PTAB_DENSE, PRUNE) < 0) {
        sayso_model_writer_free(w);
        return NULL;
    }
    return w;
}
