/*
 * train_syntax.c — the training recipe for the tagger and the parser, and
 * their measurement on a treebank.
 *
 * The parser must learn from the tags it will see at run time, which are
 * the tagger's, mistakes included. Tagging the training set with a tagger
 * trained on it would give nearly perfect tags, so the training set is
 * jackknifed: cut into contiguous folds (documents stay together, as unseen
 * text would be), each fold tagged by a tagger trained on the others. The
 * shipped tagger is then trained on everything.
 *
 * Every random choice comes from the seed, sentences are read in file
 * order, and the feature tables are written in the order features were
 * first seen, so the same data and seed give the same model bytes.
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

/* Tags (unless tags is given: then those), parses and scores tb. */
static int score(const sayso_tagger *t, const sayso_parser *p, const sayso_conllu *tb, const uint8_t *tags,
                 sayso_syntax_scores *out)
{
    memset(out, 0, sizeof *out);
    sayso_word *w = malloc((tb->nw ? tb->nw : 1) * sizeof *w);
    if (!w) return -1;
    memcpy(w, tb->w, tb->nw * sizeof *w);
    if (tags)
        for (size_t i = 0; i < tb->nw; i++) w[i].upos = tags[i];
    sayso_syntax_ws ws = { 0 };
    int rc = 0;
    double t0 = now();
    if (t && !tags)
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

/* Tags the sentences sents[0..ns) of tb with the tagger of w into tags. */
static int tag_with(sayso_model_writer *w, const sayso_conllu *tb, const size_t *sents, size_t ns, uint8_t *tags,
                    char *err, size_t errlen)
{
    fresh_model fm;
    if (open_fresh(w, SAYSO_TAGGER_KIND, SAYSO_TAGGER_VERSION, &fm, err, errlen) < 0) return -1;
    sayso_tagger *t = sayso_tagger_open(&fm.m, err, errlen);
    sayso_syntax_ws ws = { 0 };
    sayso_word *buf = NULL;
    size_t cap = 0;
    int rc = t ? 0 : -1;
    for (size_t k = 0; k < ns && rc == 0; k++) {
        size_t first = tb->sent[sents[k]], n = tb->sent[sents[k] + 1] - first;
        if (n > cap) {
            free(buf);
            buf = malloc(n * sizeof *buf);
            cap = buf ? n : 0;
            if (!buf) { rc = -1; break; }
        }
        memcpy(buf, tb->w + first, n * sizeof *buf);
        if (sayso_tagger_tag(t, &ws, buf, n) < 0) { rc = -1; break; }
        for (size_t i = 0; i < n; i++) tags[first + i] = buf[i].upos;
    }
    if (rc < 0 && t) snprintf(err, errlen, "out of memory");
    free(buf);
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

int sayso_syntax_train(const sayso_syntax_train_opts *o, FILE *progress, char *err, size_t errlen)
{
    int tepochs = o->tagger_epochs > 0 ? o->tagger_epochs : SAYSO_TAGGER_EPOCHS;
    int pepochs = o->parser_epochs > 0 ? o->parser_epochs : SAYSO_PARSER_EPOCHS;
    int folds = o->folds > 0 ? o->folds : SAYSO_SYNTAX_FOLDS;
    uint64_t rng = (uint64_t)o->seed * UINT64_C(0x9e3779b97f4a7c15) + 12345;
    double start = now();
    int rc = -1;
    sayso_conllu tb = { 0 }, dev = { 0 };
    size_t *sents = NULL;
    uint8_t *tags = NULL, *devtags = NULL;
    sayso_model_writer *tw = NULL, *pw = NULL;
    sayso_parser_trainer *ptr = NULL;
    fresh_model tfm = { 0 };
    sayso_tagger *tagger = NULL;

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
    tags = malloc(tb.nw ? tb.nw : 1);
    if (!sents || !tags) {
        snprintf(err, errlen, "out of memory");
        goto done;
    }

    /* Jackknifing: fold k is sentences [k n / K, (k + 1) n / K). With one
     * fold there is nothing to hold out: the gold tags are used. */
    for (int k = 0; k < folds && folds > 1; k++) {
        size_t lo = tb.nsent * (size_t)k / (size_t)folds, hi = tb.nsent * (size_t)(k + 1) / (size_t)folds, ns = 0;
        for (size_t s = 0; s < tb.nsent; s++)
            if (s < lo || s >= hi) sents[ns++] = s;
        sayso_model_writer *w = train_tagger(&tb, sents, ns, tepochs, sayso_rand(&rng), NULL, NULL, NULL, start,
                                             err, errlen);
        if (!w) goto done;
        for (size_t s = lo; s < hi; s++) sents[s - lo] = s;
        int r = tag_with(w, &tb, sents, hi - lo, tags, err, errlen);
        sayso_model_writer_free(w);
        if (r < 0) goto done;
        size_t right = 0, all = tb.sent[hi] - tb.sent[lo];
        for (size_t i = tb.sent[lo]; i < tb.sent[hi]; i++) right += tags[i] == tb.w[i].upos;
        if (progress) {
            fprintf(progress, "jackknife fold %d/%d  %6.1fs  held-out UPOS %.4f\n", k + 1, folds, now() - start,
                    all ? (double)right / (double)all : 0);
            fflush(progress);
        }
    }
    if (folds <= 1)
        for (size_t i = 0; i < tb.nw; i++) tags[i] = tb.w[i].upos;

    for (size_t s = 0; s < tb.nsent; s++) sents[s] = s;
    tw = train_tagger(&tb, sents, tb.nsent, tepochs, sayso_rand(&rng), o->dev ? &dev : NULL, progress, "tagger",
                      start, err, errlen);
    if (!tw || save(tw, o->out_dir, "tagger.model", err, errlen) < 0) goto done;

    if (o->dev) {
        if (open_fresh(tw, SAYSO_TAGGER_KIND, SAYSO_TAGGER_VERSION, &tfm, err, errlen) < 0) goto done;
        tagger = sayso_tagger_open(&tfm.m, err, errlen);
        devtags = malloc(dev.nw ? dev.nw : 1);
        if (!tagger || !devtags) {
            if (tagger) snprintf(err, errlen, "out of memory");
            goto done;
        }
        sayso_word *w = malloc((dev.nw ? dev.nw : 1) * sizeof *w);
        sayso_syntax_ws ws = { 0 };
        int r = w ? 0 : -1;
        if (w) memcpy(w, dev.w, dev.nw * sizeof *w);
        for (size_t s = 0; s < dev.nsent && r == 0; s++)
            r = sayso_tagger_tag(tagger, &ws, w + dev.sent[s], dev.sent[s + 1] - dev.sent[s]);
        for (size_t i = 0; i < dev.nw && r == 0; i++) devtags[i] = w[i].upos;
        free(w);
        sayso_syntax_ws_free(&ws);
        if (r < 0) {
            snprintf(err, errlen, "out of memory");
            goto done;
        }
    }

    ptr = sayso_parser_trainer_new(&tb, tags, sayso_rand(&rng), err, errlen);
    if (!ptr) goto done;
    for (int e = 0; e < pepochs; e++) {
        double uas, las;
        if (sayso_parser_trainer_epoch(ptr, e, &uas, &las) < 0) {
            snprintf(err, errlen, "out of memory");
            goto done;
        }
        int last = e == pepochs - 1;
        if (last || o->dev) {
            sayso_model_writer_free(pw);
            pw = sayso_parser_trainer_model(ptr);
            if (!pw) {
                snprintf(err, errlen, "out of memory");
                goto done;
            }
        }
        if (!progress) continue;
        fprintf(progress, "parser epoch %d/%d  %6.1fs  train UAS %.4f LAS %.4f", e + 1, pepochs, now() - start, uas,
                las);
        if (o->dev) {
            fresh_model fm;
            if (open_fresh(pw, SAYSO_PARSER_KIND, SAYSO_PARSER_VERSION, &fm, err, errlen) < 0) goto done;
            sayso_parser *p = sayso_parser_open(&fm.m, err, errlen);
            sayso_syntax_scores sc;
            int opened = p != NULL, r = p ? score(NULL, p, &dev, devtags, &sc) : -1;
            sayso_parser_free(p);
            close_fresh(&fm);
            if (r < 0) {
                if (opened) snprintf(err, errlen, "out of memory");
                goto done;
            }
            fprintf(progress, "  dev UAS %.4f LAS %.4f (universal %.4f)", sc.uas, sc.las, sc.las_universal);
        }
        fputc('\n', progress);
        fflush(progress);
    }
    if (save(pw, o->out_dir, "parser.model", err, errlen) < 0) goto done;
    rc = 0;
done:
    sayso_parser_trainer_free(ptr);
    sayso_model_writer_free(tw);
    sayso_model_writer_free(pw);
    sayso_tagger_free(tagger);
    if (tfm.buf) close_fresh(&tfm);
    free(sents);
    free(tags);
    free(devtags);
    sayso_conllu_free(&tb);
    sayso_conllu_free(&dev);
    return rc;
}
