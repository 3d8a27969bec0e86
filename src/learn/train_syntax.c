/*
 * train_syntax.c — the training recipe for the tagger and the parser, and
 * their measurement on a treebank.
 *
 * The parser must learn from the tags it will see at run time, which are
 * the tagger's, mistakes included. Tagging the training set with a tagger
 * trained on it would give nearly perfect tags, so the training set is
 * jackknifed: cut into contiguous folds (documents stay together, as unseen
 * text would be), each fold tagged by a tagger trained on the others. The
 * shipped tagger is trained on everything.
 *
 * The shipped parser is the mean of a few parsers, each trained on its own
 * jackknifing (the folds shifted, so each sees other tag errors) in its own
 * order: +0.2 point of UAS on dev over one parser, for the same size and
 * speed (a mean of linear models is one linear model).
 *
 * Every random choice comes from the seed, sentences are read in file
 * order, and the feature tables are written in an order that depends only
 * on the features, so the same data and seed give the same model bytes.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "train_syntax.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* A model just written, opened from memory (the container wants its bytes
 * 64-byte aligned). */
typedef struct {
    sayso_model m;
    void *buf;
} fresh_model;

static int open_fresh(sayso_model_writer *w, uint32_t kind, uint32_t version, fresh_model *fm, char *err,
                      size_t errlen)
{
    memset(fm, 0, sizeof *fm);
    size_t len;
    const void *bytes = w ? sayso_model_writer_bytes(w, &len) : NULL;
    if (!bytes || posix_memalign(&fm->buf, 64, len) != 0) {
        snprintf(err, errlen, "out of memory");
        fm->buf = NULL;
        return -1;
    }
    memcpy(fm->buf, bytes, len);
    if (sayso_model_open_mem(&fm->m, fm->buf, len, kind, version, err, errlen) < 0) {
        free(fm->buf);
        fm->buf = NULL;
        return -1;
    }
    return 0;
}

static void close_fresh(fresh_model *fm)
{
    sayso_model_close(&fm->m);
    free(fm->buf);
    fm->buf = NULL;
}

static int same_universal(const char *a, const char *b)
{
    size_t na = strcspn(a, ":"), nb = strcspn(b, ":");
    return na == nb && memcmp(a, b, na) == 0;
}

/* Tags (unless tagged gives tb's words already tagged), parses and scores
 * tb. */
static int score(const sayso_tagger *t, const sayso_parser *p, const sayso_conllu *tb, const sayso_word *tagged,
                 sayso_syntax_scores *out)
{
    memset(out, 0, sizeof *out);
    sayso_word *w = malloc((tb->nw ? tb->nw : 1) * sizeof *w);
    if (!w) return -1;
    memcpy(w, tagged ? tagged : tb->w, tb->nw * sizeof *w);
    sayso_syntax_ws ws = { 0 };
    int rc = 0;
    double t0 = now();
    if (t && !tagged)
        for (size_t s = 0; s < tb->nsent && rc == 0; s++)
            rc = sayso_tagger_tag(t, &ws, w + tb->sent[s], tb->sent[s + 1] - tb->sent[s]);
    double t1 = now();
    if (p)
        for (size_t s = 0; s < tb->nsent && rc == 0; s++)
            rc = sayso_parser_parse(p, &ws, w + tb->sent[s], tb->sent[s + 1] - tb->sent[s]);
    double t2 = now();
    sayso_syntax_ws_free(&ws);
    if (rc < 0) {
        free(w);
        return -1;
    }
    size_t tag = 0, ua = 0, la = 0, lu = 0, np = 0, uanp = 0, lanp = 0;
    for (size_t i = 0; i < tb->nw; i++) {
        const sayso_word *g = &tb->w[i];
        tag += w[i].upos == g->upos;
        int punct = g->upos == SAYSO_PUNCT;
        np += !punct;
        if (!p || w[i].head != g->head) continue;
        ua++;
        uanp += !punct;
        const char *rel = sayso_parser_label(p, w[i].rel);
        if (rel && strcmp(rel, tb->rel[i]) == 0) {
            la++;
            lanp += !punct;
        }
        if (rel && same_universal(rel, tb->rel[i])) lu++;
    }
    double nw = tb->nw ? (double)tb->nw : 1, nnp = np ? (double)np : 1;
    out->sentences = tb->nsent;
    out->words = tb->nw;
    out->upos = (double)tag / nw;
    out->uas = (double)ua / nw;
    out->las = (double)la / nw;
    out->las_universal = (double)lu / nw;
    out->uas_nopunct = (double)uanp / nnp;
    out->las_nopunct = (double)lanp / nnp;
    out->tag_seconds = t1 - t0;
    out->parse_seconds = t2 - t1;
    free(w);
    return 0;
}

int sayso_syntax_eval_tb(const sayso_tagger *t, const sayso_parser *p, const sayso_conllu *tb,
                         sayso_syntax_scores *out)
{
    return score(t, p, tb, NULL, out);
}

int sayso_syntax_eval(const sayso_tagger *t, const sayso_parser *p, const char *conllu, sayso_syntax_scores *out,
                      FILE *err)
{
    sayso_conllu tb;
    if (sayso_conllu_read(&tb, conllu, err) < 0) return -1;
    int rc = score(t, p, &tb, NULL, out);
    if (rc < 0 && err) fprintf(err, "%s: out of memory\n", conllu);
    sayso_conllu_free(&tb);
    return rc;
}

/* Trains a tagger on sents[0..ns) for the given epochs; reports each
 * epoch when label is not NULL (and the dev score when dev is). */
static sayso_model_writer *train_tagger(const sayso_conllu *tb, const size_t *sents, size_t ns, int epochs,
                                        uint64_t seed, const sayso_conllu *dev, FILE *progress, const char *label,
                                        double start, char *err, size_t errlen)
{
    sayso_tagger_trainer *tr = sayso_tagger_trainer_new(tb, sents, ns, seed);
    if (!tr) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    sayso_model_writer *w = NULL;
    int report = label && progress;
    for (int e = 0; e < epochs; e++) {
        double acc;
        if (sayso_tagger_trainer_epoch(tr, &acc) < 0) {
            snprintf(err, errlen, "out of memory");
            goto fail;
        }
        if (e == epochs - 1 || (report && dev)) {
            sayso_model_writer_free(w);
            w = sayso_tagger_trainer_model(tr);
            if (!w) {
                snprintf(err, errlen, "out of memory");
                goto fail;
            }
        }
        if (!report) continue;
        fprintf(progress, "%s epoch %d/%d  %6.1fs  train %.4f", label, e + 1, epochs, now() - start, acc);
        if (dev) {
            fresh_model fm;
            if (open_fresh(w, SAYSO_TAGGER_KIND, SAYSO_TAGGER_VERSION, &fm, err, errlen) < 0) goto fail;
            sayso_tagger *t = sayso_tagger_open(&fm.m, err, errlen);
            sayso_syntax_scores sc;
            int opened = t != NULL, rc = t ? score(t, NULL, dev, NULL, &sc) : -1;
            sayso_tagger_free(t);
            close_fresh(&fm);
            if (rc < 0) {
                if (opened) snprintf(err, errlen, "out of memory");
                goto fail;
            }
            fprintf(progress, "  dev UPOS %.4f", sc.upos);
        }
        fputc('\n', progress);
        fflush(progress);
    }
    sayso_tagger_trainer_free(tr);
    return w;
fail:
    sayso_model_writer_free(w);
    sayso_tagger_trainer_free(tr);
    return NULL;
}

/* Tags the sentences sents[0..ns) of tb with the tagger of w: into the
 * same places of tagged, a copy of tb's words. */
static int tag_with(sayso_model_writer *w, const sayso_conllu *tb, const size_t *sents, size_t ns,
                    sayso_word *tagged, char *err, size_t errlen)
{
    fresh_model fm;
    if (open_fresh(w, SAYSO_TAGGER_KIND, SAYSO_TAGGER_VERSION, &fm, err, errlen) < 0) return -1;
    sayso_tagger *t = sayso_tagger_open(&fm.m, err, errlen);
    sayso_syntax_ws ws = { 0 };
    int rc = t ? 0 : -1;
    for (size_t k = 0; k < ns && rc == 0; k++) {
        size_t first = tb->sent[sents[k]], n = tb->sent[sents[k] + 1] - first;
        memcpy(tagged + first, tb->w + first, n * sizeof *tagged);
        rc = sayso_tagger_tag(t, &ws, tagged + first, n);
        if (rc < 0) snprintf(err, errlen, "out of memory");
    }
    sayso_syntax_ws_free(&ws);
    sayso_tagger_free(t);
    close_fresh(&fm);
    return rc;
}

static int save(sayso_model_writer *w, const char *dir, const char *name, char *err, size_t errlen)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *path = malloc(n);
    if (!path) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    snprintf(path, n, "%s/%s", dir, name);
    int rc = sayso_model_writer_save(w, path, err, errlen);
    free(path);
    return rc;
}

/* Tags the training set by jackknifing into tagged: fold k is the
 * sentences whose index, rotated by shift, falls in [k n / K, (k + 1) n / K),
 * tagged by a tagger trained on the other folds. */
static int jackknife(const sayso_conllu *tb, int folds, size_t shift, int tepochs, uint64_t *rng, sayso_word *tagged,
                     FILE *progress, const char *label, double start, char *err, size_t errlen)
{
    size_t n = tb->nsent, *sents = malloc((n ? n : 1) * sizeof *sents);
    if (!sents) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (int k = 0; k < folds; k++) {
        size_t lo = n * (size_t)k / (size_t)folds, hi = n * (size_t)(k + 1) / (size_t)folds, ns = 0, nh = 0;
        for (size_t s = 0; s < n; s++) {
            size_t r = (s + shift) % n;
            if (r < lo || r >= hi) sents[ns++] = s;
        }
        sayso_model_writer *w = train_tagger(tb, sents, ns, tepochs, sayso_rand(rng), NULL, NULL, NULL, start, err,
                                             errlen);
        if (!w) {
            free(sents);
            return -1;
        }
        for (size_t s = 0; s < n; s++) {
            size_t r = (s + shift) % n;
            if (r >= lo && r < hi) sents[nh++] = s;
        }
        int rc = tag_with(w, tb, sents, nh, tagged, err, errlen);
        sayso_model_writer_free(w);
        if (rc < 0) {
            free(sents);
            return -1;
        }
        if (progress) {
            size_t right = 0, all = 0;
            for (size_t j = 0; j < nh; j++)
                for (size_t i = tb->sent[sents[j]]; i < tb->sent[sents[j] + 1]; i++, all++)
                    right += tagged[i].upos == tb->w[i].upos;
            fprintf(progress, "%sjackknife fold %d/%d  %6.1fs  held-out UPOS %.4f\n", label, k + 1, folds,
                    now() - start, all ? (double)right / (double)all : 0);
            fflush(progress);
        }
    }
    free(sents);
    return 0;
}

/* Scores the parser of w on dev (tagged by the tagger) into sc. */
static int dev_scores(sayso_model_writer *w, const sayso_conllu *dev, const sayso_word *devtagged,
                      sayso_syntax_scores *sc, char *err, size_t errlen)
{
    fresh_model fm;
    if (open_fresh(w, SAYSO_PARSER_KIND, SAYSO_PARSER_VERSION, &fm, err, errlen) < 0) return -1;
    sayso_parser *p = sayso_parser_open(&fm.m, err, errlen);
    int rc = p ? score(NULL, p, dev, devtagged, sc) : -1;
    if (p && rc < 0) snprintf(err, errlen, "out of memory");
    sayso_parser_free(p);
    close_fresh(&fm);
    return rc;
}

int sayso_syntax_train(const sayso_syntax_train_opts *o, FILE *progress, char *err, size_t errlen)
{
    int tepochs = o->tagger_epochs > 0 ? o->tagger_epochs : SAYSO_TAGGER_EPOCHS;
    int pepochs = o->parser_epochs > 0 ? o->parser_epochs : SAYSO_PARSER_EPOCHS;
    int folds = o->folds > 0 ? o->folds : SAYSO_SYNTAX_FOLDS;
    int members = o->parsers > 0 ? o->parsers : SAYSO_SYNTAX_PARSERS;
    uint64_t rng = (uint64_t)o->seed * UINT64_C(0x9e3779b97f4a7c15) + 12345;
    double start = now();
    int rc = -1;
    sayso_conllu tb = { 0 }, dev = { 0 };
    size_t *sents = NULL;
    sayso_word *tagged = NULL, *devtagged = NULL;
    sayso_model_writer *tw = NULL, *pw = NULL;
    sayso_parser_trainer *ptr = NULL, *mean = NULL;
    fresh_model tfm = { 0 };
    sayso_tagger *tagger = NULL;
    char label[32] = "";

    if (sayso_conllu_read(&tb, o->train, progress) < 0) {
        snprintf(err, errlen, "%s: cannot read the training treebank", o->train);
        goto done;
    }
    if (o->dev && sayso_conllu_read(&dev, o->dev, progress) < 0) {
        snprintf(err, errlen, "%s: cannot read the dev treebank", o->dev);
        goto done;
    }
    if (tb.nsent == 0) {
        snprintf(err, errlen, "%s: no usable sentence", o->train);
        goto done;
    }
    if ((size_t)folds > tb.nsent) folds = (int)tb.nsent;
    sents = malloc(tb.nsent * sizeof *sents);
    tagged = malloc((tb.nw ? tb.nw : 1) * sizeof *tagged);
    if (!sents || !tagged) {
        snprintf(err, errlen, "out of memory");
        goto done;
    }

    /* The tagger, trained on everything. */
    for (size_t s = 0; s < tb.nsent; s++) sents[s] = s;
    tw = train_tagger(&tb, sents, tb.nsent, tepochs, sayso_rand(&rng), o->dev ? &dev : NULL, progress, "tagger",
                      start, err, errlen);
    if (!tw || save(tw, o->out_dir, "tagger.model", err, errlen) < 0) goto done;
    if (o->dev) {
        if (open_fresh(tw, SAYSO_TAGGER_KIND, SAYSO_TAGGER_VERSION, &tfm, err, errlen) < 0) goto done;
        tagger = sayso_tagger_open(&tfm.m, err, errlen);
        devtagged = malloc((dev.nw ? dev.nw : 1) * sizeof *devtagged);
        if (!tagger || !devtagged) {
            if (tagger) snprintf(err, errlen, "out of memory");
            goto done;
        }
        sayso_syntax_ws ws = { 0 };
        int r = 0;
        memcpy(devtagged, dev.w, dev.nw * sizeof *devtagged);
        for (size_t s = 0; s < dev.nsent && r == 0; s++)
            r = sayso_tagger_tag(tagger, &ws, devtagged + dev.sent[s], dev.sent[s + 1] - dev.sent[s]);
        sayso_syntax_ws_free(&ws);
        if (r < 0) {
            snprintf(err, errlen, "out of memory");
            goto done;
        }
    }

    /* The parser: the mean of several, each trained on its own
     * jackknifing (folds rotated so that each sees different tag errors). */
    for (int m = 0; m < members; m++) {
        if (members > 1) snprintf(label, sizeof label, "parser %d/%d ", m + 1, members);
        if (folds > 1) {
            size_t shift = tb.nsent * (size_t)m / ((size_t)folds * (size_t)members);
            if (jackknife(&tb, folds, shift, tepochs, &rng, tagged, progress, label, start, err, errlen) < 0)
                goto done;
        } else {
            memcpy(tagged, tb.w, tb.nw * sizeof *tagged); /* nothing to hold out: gold tags */
        }
        ptr = sayso_parser_trainer_new(&tb, tagged, sayso_rand(&rng), err, errlen);
        if (!ptr) goto done;
        for (int e = 0; e < pepochs; e++) {
            double uas, las;
            if (sayso_parser_trainer_epoch(ptr, e, &uas, &las) < 0) {
                snprintf(err, errlen, "out of memory");
                goto done;
            }
            if (!progress) continue;
            fprintf(progress, "%sparser epoch %d/%d  %6.1fs  train UAS %.4f LAS %.4f", label, e + 1, pepochs,
                    now() - start, uas, las);
            if (o->dev && (e == pepochs - 1 || members == 1)) {
                sayso_syntax_scores sc;
                sayso_model_writer_free(pw);
                pw = sayso_parser_trainer_model(ptr);
                if (!pw) {
                    snprintf(err, errlen, "out of memory");
                    goto done;
                }
                if (dev_scores(pw, &dev, devtagged, &sc, err, errlen) < 0) goto done;
                fprintf(progress, "  dev UAS %.4f LAS %.4f (universal %.4f)", sc.uas, sc.las, sc.las_universal);
            }
            fputc('\n', progress);
            fflush(progress);
        }
        if (members == 1) {
            mean = ptr;
            ptr = NULL;
            break;
        }
        if (!mean) {
            mean = sayso_parser_trainer_new(&tb, tagged, 0, err, errlen);
            if (!mean) goto done;
        }
        if (sayso_parser_trainer_add(mean, ptr, 1.0 / members) < 0) {
            snprintf(err, errlen, "out of memory");
            goto done;
        }
        sayso_parser_trainer_free(ptr);
        ptr = NULL;
        if (progress && o->dev) {
            sayso_syntax_scores sc;
            sayso_model_writer_free(pw);
            pw = sayso_parser_trainer_model(mean);
            if (!pw) {
                snprintf(err, errlen, "out of memory");
                goto done;
            }
            if (dev_scores(pw, &dev, devtagged, &sc, err, errlen) < 0) goto done;
            fprintf(progress, "mean of %d parsers  %6.1fs  dev UAS %.4f LAS %.4f (universal %.4f)\n", m + 1,
                    now() - start, sc.uas, sc.las, sc.las_universal);
            fflush(progress);
        }
    }
    sayso_model_writer_free(pw);
    pw = sayso_parser_trainer_model(mean);
    if (!pw) {
        snprintf(err, errlen, "out of memory");
        goto done;
    }
    if (save(pw, o->out_dir, "parser.model", err, errlen) < 0) goto done;
    rc = 0;
done:
    sayso_parser_trainer_free(ptr);
    sayso_parser_trainer_free(mean);
    sayso_model_writer_free(tw);
    sayso_model_writer_free(pw);
    sayso_tagger_free(tagger);
    if (tfm.buf) close_fresh(&tfm);
    free(sents);
    free(tagged);
    free(devtagged);
    sayso_conllu_free(&tb);
    sayso_conllu_free(&dev);
    return rc;
}
