/*
 * extract.c — the pipeline behind sayso_extract(), and its result.
 *
 * Runs the stages in order (text → quotes → mentions → attribute →
 * speakers) over one article and turns their token-level attributions into
 * the public sayso_quote array. All working memory lives in the extractor
 * and is reused from one article to the next, so a long run allocates only
 * when an article is larger than every one before it.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "sayso.h"
#include "doc.h"
#include "text.h"
#include "quotes.h"
#include "mentions.h"
#include "attribute.h"
#include "speakers.h"

struct sayso_extractor {
    sayso_lexicon *lx;
    doc d;
    attributions at;
    sayso_quote *q;
    size_t capq;
    char *arena;     /* strings of the result; offsets until the end */
    size_t narena, caparena;
};

int sayso_grow(void **arr, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap) return 0;
    size_t n = *cap ? *cap : 16;
    while (n < need) n *= 2;
    void *p = realloc(*arr, n * elem);
    if (!p) return -1;
    *arr = p;
    *cap = n;
    return 0;
}

sayso_extractor *sayso_extractor_new(void)
{
    sayso_extractor *ex = calloc(1, sizeof *ex);
    if (!ex) return NULL;
    ex->lx = sayso_lexicon_new();
    if (!ex->lx) { free(ex); return NULL; }
    ex->d.lx = ex->lx;
    return ex;
}

void sayso_extractor_free(sayso_extractor *ex)
{
    if (!ex) return;
    sayso_lexicon_free(ex->lx);
    free(ex->d.t);
    free(ex->d.sent);
    free(ex->d.para);
    free(ex->d.qs);
    free(ex->d.m);
    free(ex->d.ent);
    free(ex->d.emap);
    free(ex->at.a);
    free(ex->q);
    free(ex->arena);
    free(ex);
}

const char *sayso_quote_type_name(sayso_quote_type t)
{
    switch (t) {
    case SAYSO_DIRECT: return "direct";
    case SAYSO_MIXED: return "mixed";
    default: return "indirect";
    }
}

size_t sayso_parse_date_header(const char *text, size_t len, char date_out[11])
{
    size_t i = 0;
    date_out[0] = 0;
    if (!text) return 0;
    if (i < len && text[i] == ' ') i++;
    if (len < i + 15 || memcmp(text + i, "date ", 5) != 0) return 0;
    i += 5;
    const char *d = text + i;
    for (int k = 0; k < 10; k++) {
        if (k == 4 || k == 7) { if (d[k] != '-') return 0; }
        else if (!isdigit((unsigned char)d[k])) return 0;
    }
    int month = (d[5] - '0') * 10 + (d[6] - '0'), day = (d[8] - '0') * 10 + (d[9] - '0');
    if (month < 1 || month > 12 || day < 1 || day > 31) return 0;
    i += 10;
    if (i < len && text[i] != ' ' && text[i] != '\n' && text[i] != '\r' && text[i] != '\t') return 0;
    memcpy(date_out, d, 10);
    date_out[10] = 0;
    while (i < len && (text[i] == ' ' || text[i] == '\t')) i++;
    return i;
}

/* ---- result building --------------------------------------------------- */

/* Appends bytes to the arena; returns the offset of the copy or -1. */
static long arena_put(sayso_extractor *ex, const char *s, size_t n)
{
    if (sayso_grow((void **)&ex->arena, &ex->caparena, ex->narena + n + 1, 1) < 0) return -1;
    long off = (long)ex->narena;
    memcpy(ex->arena + ex->narena, s, n);
    ex->narena += n;
    ex->arena[ex->narena++] = 0;
    return off;
}

static sayso_span tok_span(const doc *d, int32_t first, int32_t last)
{
    sayso_span s;
    s.start = d->t[first].cb;
    s.end = d->t[last].ce;
    s.byte_start = d->t[first].b;
    s.byte_end = d->t[last].e;
    return s;
}

/* The quoted words: content fragments without their enclosing marks. */
static long quote_text(sayso_extractor *ex, const attribution *a)
{
    const doc *d = &ex->d;
    size_t start = ex->narena;
    for (int i = 0; i < a->ncontent; i++) {
        int32_t f = a->content[i].first, l = a->content[i].last;
        /* Strip the marks that enclose the quoted words (the opening one of
         * each paragraph of a long quotation, and the closing one) but not
         * the marks of a quoted fragment inside a mixed quote. */
        int32_t fq = d->t[f].kind == TK_MARK ? d->t[f].q : -1;
        int32_t lq = d->t[l].kind == TK_MARK ? d->t[l].q : -1;
        int32_t q0 = d->t[a->content[0].first].q;
        int whole = fq >= 0 && fq == lq && d->qs[fq].open == f && d->qs[fq].close == l;
        if (whole) { f++; l--; }
        else {
            if (fq >= 0 && f < l && fq == q0 && d->t[l].q == fq &&
                (d->qs[fq].open == f || (d->t[f].flags & TF_PARA)))
                f++;
            if (lq >= 0 && l > f && (lq == q0 || i > 0) && d->qs[lq].close == l &&
                d->t[a->content[i].first].q == lq)
                l--;
        }
        if (i > 0) {
            /* A paragraph carried on reads as one text; an interruption
             * by the cue is shown as an ellipsis. */
            int carried = (d->t[a->content[i].first].flags & TF_PARA) != 0;
            const char *sep = carried ? " " : " … ";
            if (sayso_grow((void **)&ex->arena, &ex->caparena, ex->narena + 8, 1) < 0) return -1;
            memcpy(ex->arena + ex->narena, sep, strlen(sep));
            ex->narena += strlen(sep);
        }
        size_t n = d->t[l].e - d->t[f].b;
        if (sayso_grow((void **)&ex->arena, &ex->caparena, ex->narena + n + 1, 1) < 0) return -1;
        memcpy(ex->arena + ex->narena, d->text + d->t[f].b, n);
        ex->narena += n;
    }
    if (sayso_grow((void **)&ex->arena, &ex->caparena, ex->narena + 1, 1) < 0) return -1;
    ex->arena[ex->narena++] = 0;
    return (long)start;
}

static int cmp_attr(const void *x, const void *y)
{
    const attribution *a = x, *b = y;
    if (a->content[0].first != b->content[0].first) return a->content[0].first < b->content[0].first ? -1 : 1;
    return 0;
}

int sayso_extract(sayso_extractor *ex, const sayso_article *art, const sayso_quote **quotes, size_t *n)
{
    *quotes = NULL;
    *n = 0;
    if (!ex || !art || (!art->text && art->len)) return -1;
    doc *d = &ex->d;
    d->text = art->text ? art->text : "";
    /* 32-bit offsets: an article over 4 GiB is cut (no news article is). */
    d->len = art->len > 0xFFFFFFF0u ? 0xFFFFFFF0u : art->len;
    d->body = art->body <= d->len ? art->body : 0;
    d->nt = d->nsent = d->npara = d->nqs = d->nm = d->nent = 0;
    ex->at.n = 0;
    ex->narena = 0;

    if (sayso_segment(d) < 0 || sayso_find_quotes(d) < 0 || sayso_find_mentions(d) < 0 ||
        sayso_attribute(d, &ex->at) < 0)
        return -1;
    if (ex->at.n > 1) qsort(ex->at.a, ex->at.n, sizeof *ex->at.a, cmp_attr);
    if (sayso_grow((void **)&ex->q, &ex->capq, ex->at.n + 1, sizeof *ex->q) < 0) return -1;

    /* Strings go to the arena as offsets first: the arena may move while it
     * grows, so pointers are set only once it is complete. */
    long *text_off = NULL, *name_off = NULL;
    if (ex->at.n) {
        text_off = malloc(ex->at.n * 2 * sizeof *text_off);
        if (!text_off) return -1;
        name_off = text_off + ex->at.n;
    }
    char name[512];
    for (size_t i = 0; i < ex->at.n; i++) {
        const attribution *a = &ex->at.a[i];
        sayso_quote *q = &ex->q[i];
        memset(q, 0, sizeof *q);
        q->speaker_id = -1;
        q->speaker_age = -1;
        q->n_content = a->ncontent;
        for (int k = 0; k < a->ncontent; k++) q->content[k] = tok_span(d, a->content[k].first, a->content[k].last);
        if (a->cue_first >= 0) { q->cue = tok_span(d, a->cue_first, a->cue_last); q->has_cue = 1; }
        if (a->has_src) { q->source = tok_span(d, a->src.first, a->src.last); q->has_source = 1; }
        q->type = a->type;
        q->confidence = a->confidence;
        text_off[i] = quote_text(ex, a);
        int32_t e = sayso_speaker_entity(d, a);
        size_t nn = sayso_speaker_name(d, e, a, name, sizeof name);
        name_off[i] = nn ? arena_put(ex, name, nn) : -2;
        if (text_off[i] == -1 || name_off[i] == -1) { free(text_off); return -1; }
        if (e >= 0 && q->confidence > 0.3f && a->src.kind != MK_NAME) q->confidence -= 0.05;
        if (e < 0 && a->has_src && a->src.kind != MK_NAME) q->confidence -= 0.1;
    }
    for (size_t i = 0; i < ex->at.n; i++) {
        ex->q[i].text = ex->arena + text_off[i];
        ex->q[i].speaker = name_off[i] >= 0 ? ex->arena + name_off[i] : NULL;
    }
    free(text_off);
    *quotes = ex->q;
    *n = ex->at.n;
    return 0;
}
