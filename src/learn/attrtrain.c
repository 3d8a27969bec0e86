/*
 * attrtrain.c — training the attribution model on BRAT-annotated articles.
 *
 * Every epoch walks the training articles in an order shuffled by the seed,
 * analyses each one as sayso_extract() would (so the features are the ones
 * seen at run time), aligns the gold spans to its tokens, and updates three
 * averaged perceptrons: the cue tagger (structured, per paragraph), and the
 * content and source rankers (per gold attribution, over the candidates of
 * its gold cue: the rankers learn from the right cue, and at run time get
 * the tagger's). After each epoch the averaged, quantised model is scored
 * on the held-out articles, exactly as it would ship.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "attrtrain.h"
#include "attrint.h"
#include "brat.h"
#include "extract.h"
#include "text.h"

/* One article of a corpus, read once. */
typedef struct {
    char *id, *text;
    size_t len;
    brat_file gold;
} tdoc;

typedef struct {
    tdoc *v;
    size_t n;
} tcorpus;

/* What a cue tagger trained without an article finds in it (jackknifing):
 * its cues and its margins, as the tagger will behave on new text. */
typedef struct { int32_t cf, cl; } pcue;
typedef struct {
    pcue *v;
    size_t n;
    float *mb, *mi;
    size_t nt;
} jdoc;

static void corpus_free(tcorpus *c)
{
    for (size_t i = 0; i < c->n; i++) {
        free(c->v[i].id);
        free(c->v[i].text);
        sayso_brat_file_free(&c->v[i].gold);
    }
    free(c->v);
    memset(c, 0, sizeof *c);
}

static int corpus_load(const char *dir, tcorpus *c, FILE *err)
{
    memset(c, 0, sizeof *c);
    brat_corpus bc;
    if (sayso_brat_corpus(dir, &bc, err) < 0) return -1;
    c->v = calloc(bc.n + 1, sizeof *c->v);
    if (!c->v) { sayso_brat_corpus_free(&bc); return -1; }
    for (size_t i = 0; i < bc.n; i++) {
        if (!bc.d[i].ann) {
            fprintf(err, "%s: no annotation file; skipped\n", bc.d[i].text);
            continue;
        }
        tdoc *t = &c->v[c->n];
        t->text = sayso_read_file(bc.d[i].text, &t->len);
        if (!t->text) {
            fprintf(err, "%s: %s; skipped\n", bc.d[i].text, strerror(errno));
            continue;
        }
        long bad = sayso_brat_read(bc.d[i].ann, sayso_utf8_count(t->text, t->len), &t->gold, err);
        if (bad < 0) { free(t->text); t->text = NULL; continue; }
        t->id = strdup(bc.d[i].id);
        c->n++;
    }
    sayso_brat_corpus_free(&bc);
    return 0;
}

/* ---- gold spans as tokens ---------------------------------------------------- */

/* The token range a code-point span covers: tokens at least half inside. */
static int to_tokens(const doc *d, uint32_t s, uint32_t e, int32_t *f, int32_t *l)
{
    size_t lo = 0, hi = d->nt;
    while (lo < hi) { /* first token ending after s */
        size_t mid = lo + (hi - lo) / 2;
        if (d->t[mid].ce <= s) lo = mid + 1; else hi = mid;
    }
    *f = -1;
    *l = -2;
    for (size_t k = lo; k < d->nt && d->t[k].cb < e; k++) {
        uint32_t a = d->t[k].cb > s ? d->t[k].cb : s, b = d->t[k].ce < e ? d->t[k].ce : e;
        if (2 * (b - a) < d->t[k].ce - d->t[k].cb) continue;
        if (*f < 0) *f = (int32_t)k;
        *l = (int32_t)k;
    }
    return *f >= 0;
}

/* A gold attribution on tokens: trimmed, fragments in order. */
typedef struct {
    int32_t cf, cl;                       /* cue, or cf < 0 */
    int32_t sf, sl;                       /* source, or sf < 0 */
    int32_t f[CAND_FRAGS], l[CAND_FRAGS]; /* content */
    int n;
} gattr;

static int cmp_frag(const void *a, const void *b)
{
    const int32_t *x = a, *y = b;
    return x[0] < y[0] ? -1 : x[0] > y[0];
}

static void gold_on_tokens(const doc *d, const brat_file *g, size_t i, gattr *o)
{
    const brat_attr *a = &g->a[i];
    memset(o, 0, sizeof *o);
    o->cf = o->sf = -1;
    int32_t f, l;
    if (a->present[BR_CUE] && a->n[BR_CUE] &&
        to_tokens(d, g->fr[a->off[BR_CUE]].s, g->fr[a->off[BR_CUE] + a->n[BR_CUE] - 1].e, &f, &l)) {
        o->cf = f;
        o->cl = l;
    }
    if (a->present[BR_SOURCE] && a->n[BR_SOURCE] &&
        to_tokens(d, g->fr[a->off[BR_SOURCE]].s, g->fr[a->off[BR_SOURCE] + a->n[BR_SOURCE] - 1].e, &f, &l)) {
        sayso_attr_trim(d, &f, &l);
        if (f <= l) { o->sf = f; o->sl = l; }
    }
    int32_t fl[64][2];
    int nf = 0;
    for (uint32_t k = 0; a->present[BR_CONTENT] && k < a->n[BR_CONTENT] && nf < 64; k++) {
        const brat_frag *x = &g->fr[a->off[BR_CONTENT] + k];
        if (!to_tokens(d, x->s, x->e, &f, &l)) continue;
        sayso_attr_trim(d, &f, &l);
        if (f > l) continue;
        fl[nf][0] = f;
        fl[nf][1] = l;
        nf++;
    }
    qsort(fl, (size_t)nf, sizeof fl[0], cmp_frag);
    for (int k = 0; k < nf; k++) {
        if (o->n && fl[k][0] <= o->l[o->n - 1] + 1 && d->t[fl[k][0]].para == d->t[o->l[o->n - 1]].para) {
            if (fl[k][1] > o->l[o->n - 1]) o->l[o->n - 1] = fl[k][1];
            continue;
        }
        if (o->n == CAND_FRAGS) { o->l[o->n - 1] = fl[k][1]; continue; }
        o->f[o->n] = fl[k][0];
        o->l[o->n] = fl[k][1];
        o->n++;
    }
}

static int same_content(const cand *c, const gattr *g)
{
    if (c->n != g->n) return 0;
    for (int i = 0; i < c->n; i++)
        if (c->f[i] != g->f[i] || c->l[i] != g->l[i]) return 0;
    return 1;
}

/* Token overlap F1 of a candidate with gold fragments. */
static double overlap_f1(const cand *c, const int32_t *gf, const int32_t *gl, int gn)
{
    int32_t cn = 0, gt = 0, ov = 0;
    for (int i = 0; i < c->n; i++) cn += c->l[i] - c->f[i] + 1;
    for (int j = 0; j < gn; j++) gt += gl[j] - gf[j] + 1;
    for (int i = 0; i < c->n; i++)
        for (int j = 0; j < gn; j++) {
            int32_t a = c->f[i] > gf[j] ? c->f[i] : gf[j], b = c->l[i] < gl[j] ? c->l[i] : gl[j];
            if (b >= a) ov += b - a + 1;
        }
    if (!ov) return 0;
    double p = (double)ov / cn, r = (double)ov / gt;
    return 2 * p * r / (p + r);
}

/* ---- held-out scores ---------------------------------------------------------- */

typedef struct { size_t gold, pred, exact; } prf;
typedef struct { prf role[3]; size_t cue_in_cands, content_oracle, source_oracle, attrs; } scores;

typedef struct { int32_t f[CAND_FRAGS], l[CAND_FRAGS]; int n; } tspan;

static int cmp_tspan(const void *a, const void *b)
{
    const tspan *x = a, *y = b;
    if (x->n != y->n) return x->n < y->n ? -1 : 1;
    for (int i = 0; i < x->n; i++) {
        if (x->f[i] != y->f[i]) return x->f[i] < y->f[i] ? -1 : 1;
        if (x->l[i] != y->l[i]) return x->l[i] < y->l[i] ? -1 : 1;
    }
    return 0;
}

static size_t multiset_match(tspan *g, size_t ng, tspan *p, size_t np)
{
    qsort(g, ng, sizeof *g, cmp_tspan);
    qsort(p, np, sizeof *p, cmp_tspan);
    size_t i = 0, j = 0, m = 0;
    while (i < ng && j < np) {
        int c = cmp_tspan(&g[i], &p[j]);
        if (!c) { m++; i++; j++; }
        else if (c < 0) i++;
        else j++;
    }
    return m;
}

static void score_doc(const doc *d, const gattr *g, size_t ng, const attributions *p, scores *s)
{
    tspan *gs = malloc((ng + 1) * sizeof *gs), *ps = malloc((p->n + 1) * sizeof *ps);
    if (!gs || !ps) { free(gs); free(ps); return; }
    for (int role = 0; role < 3; role++) {
        size_t a = 0, b = 0;
        for (size_t i = 0; i < ng; i++) {
            tspan t;
            memset(&t, 0, sizeof t);
            if (role == 0) { if (!g[i].n) continue; t.n = g[i].n; memcpy(t.f, g[i].f, sizeof t.f); memcpy(t.l, g[i].l, sizeof t.l); }
            else if (role == 1) { if (g[i].sf < 0) continue; t.n = 1; t.f[0] = g[i].sf; t.l[0] = g[i].sl; }
            else { if (g[i].cf < 0) continue; t.n = 1; t.f[0] = g[i].cf; t.l[0] = g[i].cl; }
            gs[a++] = t;
        }
        for (size_t i = 0; i < p->n; i++) {
            const attribution *x = &p->a[i];
            tspan t;
            memset(&t, 0, sizeof t);
            if (role == 0) {
                for (int k = 0; k < x->ncontent && t.n < CAND_FRAGS; k++) {
                    int32_t f = x->content[k].first, l = x->content[k].last;
                    sayso_attr_trim(d, &f, &l);
                    if (f > l) continue;
                    t.f[t.n] = f; t.l[t.n] = l; t.n++;
                }
                if (!t.n) continue;
            } else if (role == 1) {
                if (!x->has_src) continue;
                int32_t f = x->src.first, l = x->src.last;
                sayso_attr_trim(d, &f, &l);
                t.n = 1; t.f[0] = f; t.l[0] = l;
            } else {
                if (x->cue_first < 0) continue;
                t.n = 1; t.f[0] = x->cue_first; t.l[0] = x->cue_last;
            }
            ps[b++] = t;
        }
        s->role[role].gold += a;
        s->role[role].pred += b;
        s->role[role].exact += multiset_match(gs, a, ps, b);
    }
    free(gs);
    free(ps);
}

static double f1of(const prf *x)
{
    double p = x->pred ? (double)x->exact / x->pred : 0, r = x->gold ? (double)x->exact / x->gold : 0;
    return p + r > 0 ? 2 * p * r / (p + r) : 0;
}

/* ---- training ------------------------------------------------------------------ */

typedef struct {
    sayso_percep *cue, *content, *source;
} learners;

/* The rankers learn in fewer passes than the cue tagger: on PolNeAR dev
 * they are best after five, and then slowly learn the training set by
 * heart, while the tagger gains until about twelve. */
#define RANK_EPOCHS 5
#define PRUNE_CUE 600
#define PRUNE_RANK 200

static int write_model(const learners *L, int syntax, sayso_model_writer *w)
{
    uint32_t meta[4] = {(uint32_t)syntax, 0, 0, 0};
    if (sayso_model_writer_add(w, "meta", meta, sizeof meta) < 0) return -1;
    /* Rows whose largest weight rounds below 2/32767 of the largest weight
     * of the model change no decision worth keeping. */
    /* Pruned where PolNeAR dev stops telling the difference: rows whose
     * largest weight is under 600/32767 of the table's largest (two thirds
     * of the cue tagger's rows; its table then stays in the cache, which is
     * what tagging speed depends on), a third of that for the rankers. */
    if (sayso_percep_write(L->cue, w, "cue", PRUNE_CUE) < 0 ||
        sayso_percep_write(L->content, w, "content", PRUNE_RANK) < 0 ||
        sayso_percep_write(L->source, w, "source", PRUNE_RANK) < 0)
        return -1;
    return 0;
}

static int update_feats(sayso_percep *p, const uint64_t *f, size_t n, uint32_t c, float delta)
{
    return sayso_percep_update(p, f, n, c, delta);
}

/* One ranking step: the candidate the weights prefer against the target. */
static int rank_update(sayso_percep *p, const sayso_attrwork *w, const doc *d, const attributions *rules, int32_t cf,
                       int32_t cl, int role, int target)
{
    int best = sayso_attr_best(w, d, rules, cf, cl, role, NULL, p, NULL);
    sayso_percep_tick(p);
    if (best == target || best < 0) return 0;
    uint64_t f[MAX_FEATS];
    size_t n = sayso_attr_cand_feats(w, d, rules, cf, cl, &w->cand[target], role, f);
    if (update_feats(p, f, n, 0, 1) < 0) return -1;
    n = sayso_attr_cand_feats(w, d, rules, cf, cl, &w->cand[best], role, f);
    return update_feats(p, f, n, 0, -1);
}

static uint64_t next_rand(uint64_t *s)
{
    *s += UINT64_C(0x9e3779b97f4a7c15);
    return sayso_mix64(*s);
}

static int analyse(sayso_extractor *ex, const tdoc *t);

/* The gold cue labels of d (B, I, O per token) into gl, and its gold
 * attributions on tokens into g[0 .. t->gold.na). */
static void gold_labels(const doc *d, const tdoc *t, gattr *g, uint8_t *gl)
{
    memset(gl, CL_O, d->nt);
    for (size_t i = 0; i < t->gold.na; i++) {
        gold_on_tokens(d, &t->gold, i, &g[i]);
        if (g[i].cf < 0) continue;
        gl[g[i].cf] = CL_B;
        for (int32_t k = g[i].cf + 1; k <= g[i].cl; k++) gl[k] = CL_I;
    }
}

/* One structured perceptron step of the cue tagger per paragraph of d:
 * gold labels gl, the tagger's own labels into pl. */
static int cue_update(sayso_percep *cue, sayso_attrwork *w, const doc *d, const uint8_t *gl, uint8_t *pl)
{
    uint64_t f[MAX_FEATS];
    for (size_t p = 0; p < d->npara; p++) {
        int32_t pf = d->para[p].first, plst = d->para[p].last;
        if (sayso_attr_tag_cues(w, d, NULL, cue, pf, plst, pl + pf) < 0) return -1;
        sayso_percep_tick(cue);
        for (int32_t k = pf; k <= plst; k++) {
            int gprev = k == pf ? CL_N : gl[k - 1], pprev = k == pf ? CL_N : pl[k - 1];
            if (gl[k] == pl[k] && gprev == pprev) continue;
            if (gl[k] != pl[k]) {
                size_t n = sayso_attr_cue_feats(w, d, k, f);
                if (update_feats(cue, f, n, gl[k], 1) < 0 || update_feats(cue, f, n, pl[k], -1) < 0) return -1;
            }
            uint64_t tg = sayso_attr_trans_feat(gprev), tp = sayso_attr_trans_feat(pprev);
            if (sayso_percep_update(cue, &tg, 1, gl[k], 1) < 0 || sayso_percep_update(cue, &tp, 1, pl[k], -1) < 0)
                return -1;
        }
    }
    return 0;
}

#define JK_FOLDS 4

static void jdocs_free(jdoc *jd, size_t n)
{
    for (size_t i = 0; jd && i < n; i++) {
        free(jd[i].v);
        free(jd[i].mb);
        free(jd[i].mi);
    }
    free(jd);
}

/* Trains a cue tagger on all folds but one and tags that one with it, for
 * each fold in turn. Returns the per-article results, or NULL. */
static jdoc *jackknife(const tcorpus *c, sayso_extractor *ex, sayso_attrwork *w, uint64_t seed, int epochs, FILE *progress)
{
    jdoc *jd = calloc(c->n + 1, sizeof *jd);
    gattr *g = NULL;
    size_t capg = 0;
    uint8_t *pl = NULL;
    size_t cappl = 0;
    size_t *order = malloc((c->n + 1) * sizeof *order);
    void *al = NULL;
    int ok = jd && order;
    for (int fold = 0; fold < JK_FOLDS && ok; fold++) {
        clock_t t0 = clock();
        sayso_percep *p = sayso_percep_new(CL_N);
        size_t n = 0;
        for (size_t i = 0; i < c->n; i++)
            if ((int)(i % JK_FOLDS) != fold) order[n++] = i;
        uint64_t rs = seed + (uint64_t)fold * 7919;
        for (int ep = 0; ep < epochs && ok && p; ep++) {
            for (size_t i = n; i > 1; i--) {
                size_t j = (size_t)(next_rand(&rs) % i);
                size_t tmp = order[i - 1]; order[i - 1] = order[j]; order[j] = tmp;
            }
            for (size_t i = 0; i < n && ok; i++) {
                const tdoc *t = &c->v[order[i]];
                if (analyse(ex, t) < 0) { ok = 0; break; }
                doc *d = sayso_extract_doc(ex);
                if (!d->nt) continue;
                ok = sayso_attr_begin(w, d, sayso_extract_rules(ex)) == 0 &&
                     sayso_grow((void **)&g, &capg, t->gold.na + 1, sizeof *g) == 0 &&
                     sayso_grow((void **)&pl, &cappl, d->nt + 1, 1) == 0;
                if (!ok) break;
                gold_labels(d, t, g, w->lab);
                ok = cue_update(p, w, d, w->lab, pl) == 0;
            }
        }
        sayso_model_writer *mw = p ? sayso_model_writer_new(SAYSO_ATTR_KIND, SAYSO_ATTR_VERSION) : NULL;
        size_t len = 0;
        const void *bytes = mw && sayso_percep_write(p, mw, "cue", 2) >= 0 ? sayso_model_writer_bytes(mw, &len) : NULL;
        free(al);
        al = NULL;
        sayso_model m;
        sayso_ftab tab;
        char err[256];
        ok = ok && bytes && posix_memalign(&al, 64, len) == 0;
        if (ok) memcpy(al, bytes, len);
        ok = ok && sayso_model_open_mem(&m, al, len, SAYSO_ATTR_KIND, SAYSO_ATTR_VERSION, err, sizeof err) == 0 &&
             sayso_ftab_open(&tab, &m, "cue", err, sizeof err) == 0;
        for (size_t i = fold; i < c->n && ok; i += JK_FOLDS) {
            const tdoc *t = &c->v[i];
            if (analyse(ex, t) < 0) { ok = 0; break; }
            doc *d = sayso_extract_doc(ex);
            jdoc *j = &jd[i];
            j->nt = d->nt;
            if (!d->nt) continue;
            j->mb = malloc(d->nt * sizeof *j->mb);
            j->mi = malloc(d->nt * sizeof *j->mi);
            ok = j->mb && j->mi && sayso_attr_begin(w, d, sayso_extract_rules(ex)) == 0;
            for (size_t q = 0; q < d->npara && ok; q++)
                ok = sayso_attr_tag_cues(w, d, &tab, NULL, d->para[q].first, d->para[q].last, w->lab + d->para[q].first) == 0;
            if (!ok) break;
            size_t capv = 0;
            for (int32_t k = 0; (size_t)k < d->nt; k++) {
                j->mb[k] = w->ti[k].mb;
                j->mi[k] = w->ti[k].mi;
                if (w->lab[k] != CL_B) continue;
                int32_t e = k;
                while ((size_t)e + 1 < d->nt && w->lab[e + 1] == CL_I) e++;
                if (sayso_grow((void **)&j->v, &capv, j->n + 1, sizeof *j->v) < 0) { ok = 0; break; }
                j->v[j->n++] = (pcue){k, e};
            }
            /* the margins were read above, before later tokens' labels */
        }
        sayso_model_writer_free(mw);
        sayso_percep_free(p);
        if (progress)
            fprintf(progress, "cue tagger, fold %d/%d (for the rankers' negative examples)  %5.1f s\n", fold + 1, JK_FOLDS,
                    (double)(clock() - t0) / CLOCKS_PER_SEC);
    }
    free(al);
    free(g);
    free(pl);
    free(order);
    if (!ok) {
        jdocs_free(jd, c->n);
        return NULL;
    }
    return jd;
}

static int analyse(sayso_extractor *ex, const tdoc *t)
{
    sayso_article art;
    char date[11];
    memset(&art, 0, sizeof art);
    art.id = t->id;
    art.text = t->text;
    art.len = t->len;
    art.body = sayso_parse_date_header(t->text, t->len, date);
    art.date = date[0] ? date : NULL;
    return sayso_extract_analyse(ex, &art);
}

static int train_doc(learners *L, sayso_attrwork *w, sayso_extractor *ex, const tdoc *t, const jdoc *jd, gattr **gv,
                     size_t *capg, scores *oracle, int rank)
{
    if (analyse(ex, t) < 0) return -1;
    doc *d = sayso_extract_doc(ex);
    const attributions *rules = sayso_extract_rules(ex);
    if (!d->nt) return 0;
    if (sayso_attr_begin(w, d, rules) < 0) return -1;
    size_t ng = t->gold.na;
    if (sayso_grow((void **)gv, capg, ng + 1, sizeof **gv) < 0) return -1;
    gattr *g = *gv;
    uint8_t *gl = w->lab; /* gold labels; predictions go after them */
    uint8_t *pl = malloc(d->nt + 1);
    if (!pl) return -1;
    gold_labels(d, t, g, gl);
    int rc = cue_update(L->cue, w, d, gl, pl);
    free(pl);
    if (!rank) return rc;
    /* The tagger's margins as they are on unseen text (jackknifed), for
     * the rankers' features; and the cues it would have proposed there
     * that are none, to teach the content ranker to say so. */
    if (jd && jd->nt == d->nt) {
        for (size_t k = 0; k < d->nt; k++) {
            w->ti[k].mb = jd->mb[k];
            w->ti[k].mi = jd->mi[k];
            w->ti[k].cue = 0;
        }
        for (size_t i = 0; i < jd->n; i++) w->ti[jd->v[i].cf].cue = 1;
    }
    for (size_t i = 0; jd && i < jd->n && rc == 0; i++) {
        int32_t cf = jd->v[i].cf, cl = jd->v[i].cl;
        int real = 0;
        for (size_t j = 0; j < ng && !real; j++) real = g[j].cf >= 0 && g[j].cf <= cl && cf <= g[j].cl;
        if (real) continue;
        sayso_attr_content_cands(w, d, rules, cf, cl);
        if (rank_update(L->content, w, d, rules, cf, cl, ROLE_CONTENT, 0) < 0) rc = -1;
    }
    for (size_t i = 0; i < ng && rc == 0; i++) {
        const gattr *a = &g[i];
        if (a->cf < 0) continue;
        oracle->attrs++;
        if (a->n) {
            sayso_attr_content_cands(w, d, rules, a->cf, a->cl);
            int target = -1;
            double bestf = 0.5;
            for (size_t c = 0; c < w->ncand; c++) {
                if (same_content(&w->cand[c], a)) { target = (int)c; bestf = 2; break; }
                double x = overlap_f1(&w->cand[c], a->f, a->l, a->n);
                if (x > bestf) { bestf = x; target = (int)c; }
            }
            if (bestf == 2) oracle->content_oracle++;
            if (target >= 0 && rank_update(L->content, w, d, rules, a->cf, a->cl, ROLE_CONTENT, target) < 0) rc = -1;
        }
        sayso_attr_source_cands(w, d, rules, a->cf, a->cl);
        int target = -1;
        if (a->sf < 0) target = 0;
        else {
            double bestf = 0.5;
            for (size_t c = 1; c < w->ncand; c++) {
                const cand *x = &w->cand[c];
                if (x->n == 1 && x->f[0] == a->sf && x->l[0] == a->sl) { target = (int)c; bestf = 2; break; }
                double v = overlap_f1(x, &a->sf, &a->sl, 1);
                if (v > bestf) { bestf = v; target = (int)c; }
            }
            if (bestf == 2) oracle->source_oracle++;
        }
        if (target >= 0 && rank_update(L->source, w, d, rules, a->cf, a->cl, ROLE_SOURCE, target) < 0) rc = -1;
    }
    return rc;
}

/* Scores the model in bytes on a corpus. */
static int evaluate(const void *bytes, size_t len, sayso_extractor *ex, sayso_attrwork *w, const tcorpus *c, scores *s,
                    char *err, size_t errlen)
{
    memset(s, 0, sizeof *s);
    void *al = NULL;
    if (posix_memalign(&al, 64, len) != 0) { snprintf(err, errlen, "out of memory"); return -1; }
    memcpy(al, bytes, len);
    sayso_model m;
    sayso_attrmodel *am = NULL;
    if (sayso_model_open_mem(&m, al, len, SAYSO_ATTR_KIND, SAYSO_ATTR_VERSION, err, errlen) < 0 ||
        !(am = sayso_attrmodel_open(&m, err, errlen))) {
        free(al);
        return -1;
    }
    attributions out;
    memset(&out, 0, sizeof out);
    gattr *g = NULL;
    size_t capg = 0;
    int rc = 0;
    for (size_t i = 0; i < c->n && rc == 0; i++) {
        if (analyse(ex, &c->v[i]) < 0) { rc = -1; break; }
        doc *d = sayso_extract_doc(ex);
        if (sayso_attr_find(am, w, d, sayso_extract_rules(ex), &out) < 0) { rc = -1; break; }
        size_t ng = c->v[i].gold.na;
        if (sayso_grow((void **)&g, &capg, ng + 1, sizeof *g) < 0) { rc = -1; break; }
        for (size_t k = 0; k < ng; k++) gold_on_tokens(d, &c->v[i].gold, k, &g[k]);
        score_doc(d, g, ng, &out, s);
        /* the rankers alone: given the gold cue, is the chosen span right? */
        for (size_t k = 0; k < ng; k++) {
            const gattr *a = &g[k];
            if (a->cf < 0) continue;
            s->attrs++;
            if (a->n) {
                sayso_attr_content_cands(w, d, sayso_extract_rules(ex), a->cf, a->cl);
                int best = sayso_attr_best(w, d, sayso_extract_rules(ex), a->cf, a->cl, ROLE_CONTENT, am_content(am), NULL, NULL);
                int orc = 0;
                for (size_t x = 0; x < w->ncand; x++) orc |= same_content(&w->cand[x], a);
                s->content_oracle += orc;
                if (best >= 0 && same_content(&w->cand[best], a)) s->cue_in_cands++;
            }
            sayso_attr_source_cands(w, d, sayso_extract_rules(ex), a->cf, a->cl);
            int best = sayso_attr_best(w, d, sayso_extract_rules(ex), a->cf, a->cl, ROLE_SOURCE, am_source(am), NULL, NULL);
            const cand *b = best >= 0 ? &w->cand[best] : NULL;
            if (b && ((a->sf < 0 && best == 0) || (a->sf >= 0 && best > 0 && b->f[0] == a->sf && b->l[0] == a->sl)))
                s->source_oracle++;
        }
    }
    free(g);
    free(out.a);
    sayso_attrmodel_free(am);
    free(al);
    if (rc) snprintf(err, errlen, "out of memory");
    return rc;
}

int sayso_attr_train(const sayso_attr_train_opts *o, FILE *progress, char *err, size_t errlen)
{
    tcorpus train, dev;
    memset(&dev, 0, sizeof dev);
    if (corpus_load(o->train_dir, &train, progress ? progress : stderr) < 0 || train.n == 0) {
        snprintf(err, errlen, "%s: no annotated articles", o->train_dir);
        corpus_free(&train);
        return -1;
    }
    if (o->dev_dir && corpus_load(o->dev_dir, &dev, progress ? progress : stderr) < 0) {
        snprintf(err, errlen, "%s: no annotated articles", o->dev_dir);
        corpus_free(&train);
        return -1;
    }
    learners L = {sayso_percep_new(CL_N), sayso_percep_new(1), sayso_percep_new(1)};
    sayso_attrwork *w = sayso_attrwork_new();
    size_t *order = malloc(train.n * sizeof *order);
    int rc = -1;
    gattr *g = NULL;
    size_t capg = 0;
    sayso_model_writer *mw = NULL;
    jdoc *jd = NULL;
    if (!L.cue || !L.content || !L.source || !w || !order) { snprintf(err, errlen, "out of memory"); goto done; }
    for (size_t i = 0; i < train.n; i++) order[i] = i;
    uint64_t rs = o->seed;
    int epochs = o->epochs > 0 ? o->epochs : SAYSO_ATTR_EPOCHS;
    if (!(jd = jackknife(&train, o->ex, w, o->seed, epochs < 6 ? epochs : 6, progress))) {
        snprintf(err, errlen, "out of memory");
        goto done;
    }
    for (int ep = 1; ep <= epochs; ep++) {
        clock_t t0 = clock();
        for (size_t i = train.n; i > 1; i--) { /* Fisher-Yates, seeded */
            size_t j = (size_t)(next_rand(&rs) % i);
            size_t tmp = order[i - 1]; order[i - 1] = order[j]; order[j] = tmp;
        }
        scores oracle;
        memset(&oracle, 0, sizeof oracle);
        for (size_t i = 0; i < train.n; i++)
            if (train_doc(&L, w, o->ex, &train.v[order[i]], &jd[order[i]], &g, &capg, &oracle, ep <= RANK_EPOCHS) < 0) {
                snprintf(err, errlen, "out of memory");
                goto done;
            }
        sayso_model_writer_free(mw);
        mw = sayso_model_writer_new(SAYSO_ATTR_KIND, SAYSO_ATTR_VERSION);
        if (!mw || write_model(&L, sayso_extract_doc(o->ex)->has_syn, mw) < 0) { snprintf(err, errlen, "out of memory"); goto done; }
        size_t len;
        const void *bytes = sayso_model_writer_bytes(mw, &len);
        if (progress) {
            fprintf(progress, "epoch %2d  %5.1f s  features %zu/%zu/%zu", ep, (double)(clock() - t0) / CLOCKS_PER_SEC,
                    sayso_percep_nfeatures(L.cue), sayso_percep_nfeatures(L.content), sayso_percep_nfeatures(L.source));
            if (oracle.attrs)
                fprintf(progress, "  candidates hold the gold content %.3f, source %.3f",
                        (double)oracle.content_oracle / oracle.attrs, (double)oracle.source_oracle / oracle.attrs);
            if (dev.n && (ep == epochs || o->dev_every)) {
                scores s;
                if (evaluate(bytes, len, o->ex, w, &dev, &s, err, errlen) < 0) goto done;
                fprintf(progress, "  held-out exact F1 content %.3f source %.3f cue %.3f", f1of(&s.role[0]),
                        f1of(&s.role[1]), f1of(&s.role[2]));
                fprintf(progress, "  (given the gold cue: content %.3f of %.3f possible, source %.3f)",
                        s.attrs ? (double)s.cue_in_cands / s.attrs : 0, s.attrs ? (double)s.content_oracle / s.attrs : 0,
                        s.attrs ? (double)s.source_oracle / s.attrs : 0);
            }
            fputc('\n', progress);
            fflush(progress);
        }
    }
    if (sayso_model_writer_save(mw, o->out, err, errlen) < 0) goto done;
    rc = 0;
done:
    jdocs_free(jd, train.n);
    sayso_model_writer_free(mw);
    free(g);
    free(order);
    sayso_attrwork_free(w);
    sayso_percep_free(L.cue);
    sayso_percep_free(L.content);
    sayso_percep_free(L.source);
    corpus_free(&train);
    corpus_free(&dev);
    return rc;
}
