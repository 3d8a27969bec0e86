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
#include <strings.h>
#include "sayso.h"
#include "doc.h"
#include "text.h"
#include "quotes.h"
#include "mentions.h"
#include "attribute.h"
#include "speakers.h"
#include "setting.h"
#include "when.h"
#include "extract.h"
#include "models.h"
#include "attrmodel.h"
#include "clauses.h"

/* Arena offsets of one quote's strings (-2: none). */
typedef struct {
    long text, name, addr, said_on, said_text;
    size_t dstart, dn;
} qoffsets;

/* What the result needs per entity: its descriptions (written once) and
 * the setting of its latest quote, which "he continued:" carries on. */
typedef struct {
    int32_t dfirst, dlast; /* list of its d->desc entries */
    long dstart;           /* index of its strings in doff, -1: not yet */
    size_t dn;
    int has_setting;
    const char *channel;
    long said_on, said_text;
} entstate;

struct sayso_extractor {
    sayso_lexicon *lx;
    const sayso_models *models; /* NULL: the rules alone */
    int no_attr;                /* analyse with the models, but attribute by the rules */
    sayso_attrwork *aw;
    sayso_clausework *cw;
    doc d;
    attributions at;      /* what the rules found */
    attributions learned; /* what the attribution model found */
    sayso_quote *q;
    size_t capq;
    char *arena;     /* strings of the result; offsets until the end */
    size_t narena, caparena;
    qoffsets *qo;    /* per quote: its strings as arena offsets */
    size_t capqo;
    entstate *es;    /* per entity of the article */
    size_t capes;
    int32_t *dnext;  /* per description: the next one of its entity */
    size_t capdnext;
    long *doff;      /* descriptor strings, grouped by entity */
    size_t ndoff, capdoff;
    const char **dptr;
    size_t capdptr;
    char date[11];   /* the article's date if valid, else "" */
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
    return sayso_extractor_new_with(sayso_models_builtin(NULL, 0));
}

sayso_extractor *sayso_extractor_new_analyser(const sayso_models *m)
{
    sayso_extractor *ex = sayso_extractor_new_with(m);
    if (!ex) return NULL;
    ex->no_attr = 1;
    if (m && m->tagger && m->parser && !ex->cw && !(ex->cw = sayso_clausework_new())) {
        sayso_extractor_free(ex);
        return NULL;
    }
    return ex;
}

sayso_extractor *sayso_extractor_new_with(const sayso_models *m)
{
    sayso_extractor *ex = calloc(1, sizeof *ex);
    if (!ex) return NULL;
    ex->models = m;
    ex->lx = sayso_lexicon_new();
    if (!ex->lx || (m && m->attr && !(ex->aw = sayso_attrwork_new())) ||
        /* the parse is read by the attribution model alone */
        (m && m->tagger && m->parser && m->attr && !(ex->cw = sayso_clausework_new()))) {
        sayso_attrwork_free(ex->aw);
        sayso_clausework_free(ex->cw);
        sayso_lexicon_free(ex->lx);
        free(ex);
        return NULL;
    }
    ex->d.lx = ex->lx;
    ex->d.lexv = sayso_lexicon_values(ex->lx);
    ex->d.ents = m ? m->entities : NULL;
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
    free(ex->d.desc);
    free(ex->d.emap);
    free(ex->at.a);
    free(ex->learned.a);
    free(ex->d.syn);
    sayso_attrwork_free(ex->aw);
    sayso_clausework_free(ex->cw);
    free(ex->q);
    free(ex->arena);
    free(ex->qo);
    free(ex->es);
    free(ex->dnext);
    free(ex->doff);
    free(ex->dptr);
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

/* The source's tokens, without the verb a pronoun is contracted with:
 * "He’s" of "He’s claiming", "you're" of "you're worried about" name "He"
 * and "you". (A pronoun's possessive is a word of its own, "his", so
 * only a contraction follows a pronoun's apostrophe.) */
static sayso_span source_span(const doc *d, int32_t first, int32_t last)
{
    static const char *const pron[] = { "i", "you", "he", "she", "it", "we", "they", "who", "that", NULL };
    static const char *const clitic[] = { "s", "re", "ve", "ll", "d", "m", NULL };
    sayso_span s = tok_span(d, first, last);
    const tok *t = &d->t[last];
    const char *w = d->text + t->b;
    size_t n = t->e - t->b, a = 0, alen = 0;
    for (size_t i = 1; i < n && !alen; i++) {
        if (w[i] == '\'') alen = 1;
        else if (i + 2 < n && (unsigned char)w[i] == 0xE2 && (unsigned char)w[i + 1] == 0x80 &&
                 (unsigned char)w[i + 2] == 0x99)
            alen = 3;
        if (alen) a = i;
    }
    if (!alen || t->kind != TK_WORD) return s;
    int is_pron = 0, is_clitic = 0;
    for (int k = 0; pron[k] && !is_pron; k++)
        is_pron = strlen(pron[k]) == a && strncasecmp(w, pron[k], a) == 0;
    for (int k = 0; clitic[k] && !is_clitic; k++)
        is_clitic = strlen(clitic[k]) == n - a - alen && strncasecmp(w + a + alen, clitic[k], n - a - alen) == 0;
    if (!is_pron || !is_clitic) return s;
    s.byte_end = t->b + a;
    s.end = t->cb + a; /* the pronoun's letters are ASCII */
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

/* Writes entity e's descriptions (once per article), skipping repeats. */
static int describe(sayso_extractor *ex, int32_t e)
{
    const doc *d = &ex->d;
    entstate *s = &ex->es[e];
    if (s->dstart >= 0) return 0;
    s->dstart = (long)ex->ndoff;
    s->dn = 0;
    char buf[256];
    for (int32_t i = s->dfirst; i >= 0; i = ex->dnext[i]) {
        size_t n = sayso_desc_text(d, &d->desc[i], buf, sizeof buf);
        if (!n) continue;
        int dup = 0;
        for (size_t j = 0; j < s->dn && !dup; j++) {
            const char *x = ex->arena + ex->doff[s->dstart + j];
            dup = strlen(x) == n && strncasecmp(x, buf, n) == 0;
        }
        if (dup) continue;
        long off = arena_put(ex, buf, n);
        if (off < 0 || sayso_grow((void **)&ex->doff, &ex->capdoff, ex->ndoff + 1, sizeof *ex->doff) < 0) return -1;
        ex->doff[ex->ndoff++] = off;
        s->dn++;
    }
    return 0;
}

/* Channel, addressee and date of attribution a (speaker e): its own words
 * first, then, for "he continued:", those of the speaker's previous quote. */
static int place(sayso_extractor *ex, const attribution *a, int32_t e, sayso_quote *q, qoffsets *o)
{
    const doc *d = &ex->d;
    setting st;
    sayso_setting(d, a, e, ex->date[0] ? ex->date : NULL, &st);
    q->channel = sayso_lexicon_channel(d->lx, st.channel);
    if (st.addr_first >= 0) {
        uint32_t b = d->t[st.addr_first].b, end = d->t[st.addr_last].e;
        if (d->t[st.addr_last].flags & TF_POSS) end -= (unsigned char)d->text[end - 2] == '\'' ? 2 : 4;
        if ((o->addr = arena_put(ex, d->text + b, end - b)) == -1) return -1;
    }
    if (st.has_when && !st.when.blocked && st.when.precision != SAYSO_WHEN_NONE) {
        if ((o->said_on = arena_put(ex, st.when.date, strlen(st.when.date))) == -1) return -1;
        if ((o->said_text = arena_put(ex, d->text + st.when.start, st.when.end - st.when.start)) == -1) return -1;
    }
    if (e < 0) return 0;
    entstate *s = &ex->es[e];
    if (sayso_setting_carries(d, a) && s->has_setting) {
        if (!q->channel) q->channel = s->channel;
        if (!st.has_when) { o->said_on = s->said_on; o->said_text = s->said_text; }
    }
    /* Remember the latest quote that said where or when (even "at the
     * time", which dates nothing but still sets the scene). */
    if (!st.channel && !st.has_when && !sayso_setting_carries(d, a)) return 0;
    s->has_setting = 1;
    s->channel = q->channel;
    s->said_on = o->said_on;
    s->said_text = o->said_text;
    return 0;
}

static int cmp_attr(const void *x, const void *y)
{
    const attribution *a = x, *b = y;
    if (a->content[0].first != b->content[0].first) return a->content[0].first < b->content[0].first ? -1 : 1;
    return 0;
}

int sayso_extract_analyse(sayso_extractor *ex, const sayso_article *art)
{
    if (!ex || !art || (!art->text && art->len)) return -1;
    doc *d = &ex->d;
    d->text = art->text ? art->text : "";
    /* 32-bit offsets: an article over 4 GiB is cut (no news article is). */
    d->len = art->len > 0xFFFFFFF0u ? 0xFFFFFFF0u : art->len;
    d->body = art->body <= d->len ? art->body : 0;
    d->nt = d->nsent = d->npara = d->nqs = d->nm = d->nent = d->ndesc = 0;
    d->has_syn = 0;
    ex->at.n = 0;
    ex->learned.n = 0;
    ex->narena = 0;

    /* The parse comes before the mentions, which read its word classes
     * ("Atlanta Falcons safety Ricardo Allen": a noun between two names). */
    if (sayso_segment(d) < 0 || sayso_find_quotes(d) < 0 ||
        (ex->cw && sayso_clauses(d, ex->models->tagger, ex->models->parser, ex->cw) < 0) ||
        sayso_find_mentions(d) < 0 || sayso_attribute(d, &ex->at) < 0)
        return -1;
    return 0;
}

doc *sayso_extract_doc(sayso_extractor *ex) { return &ex->d; }
attributions *sayso_extract_rules(sayso_extractor *ex) { return &ex->at; }

int sayso_extract(sayso_extractor *ex, const sayso_article *art, const sayso_quote **quotes, size_t *n)
{
    *quotes = NULL;
    *n = 0;
    if (sayso_extract_analyse(ex, art) < 0) return -1;
    doc *d = &ex->d;
    attributions *res = &ex->at;
    if (ex->models && ex->models->attr && !ex->no_attr) {
        if (sayso_attr_predict(ex->models->attr, ex->aw, d, &ex->at, &ex->learned) < 0) return -1;
        res = &ex->learned;
    }
    if (res->n > 1) qsort(res->a, res->n, sizeof *res->a, cmp_attr);
    if (sayso_grow((void **)&ex->q, &ex->capq, res->n + 1, sizeof *ex->q) < 0) return -1;

    if (sayso_grow((void **)&ex->qo, &ex->capqo, res->n + 1, sizeof *ex->qo) < 0 ||
        sayso_grow((void **)&ex->es, &ex->capes, d->nent + 1, sizeof *ex->es) < 0 ||
        sayso_grow((void **)&ex->dnext, &ex->capdnext, d->ndesc + 1, sizeof *ex->dnext) < 0)
        return -1;
    /* Each entity's descriptions as a list, built once: a speaker quoted
     * fifty times has them written once. */
    for (size_t e = 0; e < d->nent; e++) {
        ex->es[e].dfirst = ex->es[e].dlast = -1;
        ex->es[e].dstart = -1;
        ex->es[e].has_setting = 0;
    }
    for (size_t i = 0; i < d->ndesc; i++) {
        int32_t e = d->desc[i].ent;
        ex->dnext[i] = -1;
        if (ex->es[e].dlast >= 0) ex->dnext[ex->es[e].dlast] = (int32_t)i;
        else ex->es[e].dfirst = (int32_t)i;
        ex->es[e].dlast = (int32_t)i;
    }
    ex->ndoff = 0;
    int y, mo, dd;
    ex->date[0] = 0;
    if (art->date && strlen(art->date) == 10 && sayso_when_parse_date(art->date, &y, &mo, &dd))
        memcpy(ex->date, art->date, 11);

    /* Strings go to the arena as offsets first: the arena may move while it
     * grows, so pointers are set only once it is complete. */
    char buf[512];
    /* The last two speakers, most recent first, and the paragraph each
     * last spoke in. */
    int32_t last_e = -1, other_e = -1, last_p = -9, other_p = -9;
    for (size_t i = 0; i < res->n; i++) {
        const attribution *a = &res->a[i];
        sayso_quote *q = &ex->q[i];
        qoffsets *o = &ex->qo[i];
        memset(q, 0, sizeof *q);
        o->addr = o->said_on = o->said_text = -2;
        o->dstart = 0;
        o->dn = 0;
        q->n_content = a->ncontent;
        for (int k = 0; k < a->ncontent; k++) q->content[k] = tok_span(d, a->content[k].first, a->content[k].last);
        if (a->cue_first >= 0) { q->cue = tok_span(d, a->cue_first, a->cue_last); q->has_cue = 1; }
        if (a->has_src) { q->source = source_span(d, a->src.first, a->src.last); q->has_source = 1; }
        q->type = a->type;
        q->confidence = a->confidence;
        o->text = quote_text(ex, a);
        int32_t e = sayso_speaker_entity(d, a);
        /* "“He was right there!” the comedian retorted", after her
         * co-host spoke: a retort is the other party's. */
        int32_t para = a->ncontent ? d->t[a->content[0].first].para : -9;
        if (e >= 0 && e == last_e && other_e >= 0 && a->has_src && a->src.kind != MK_NAME &&
            para - last_p <= 1 && para - other_p <= 2 && sayso_cue_replies(d, a) && d->ent[other_e].person &&
            (d->ent[other_e].gender == a->src.gender || !a->src.gender || !d->ent[other_e].gender))
            e = other_e;
        if (e >= 0 && e != last_e) {
            other_e = last_e;
            other_p = last_p;
            last_e = e;
        }
        if (e >= 0) last_p = para;
        size_t nn = sayso_speaker_name(d, e, a, buf, sizeof buf);
        int32_t j1, j2;
        if (sayso_joint_speakers(d, a, &j1, &j2)) {
            /* "Jenna Lorde and Ben Affrey": both, as one speaker that is
             * neither entity. */
            size_t n1 = sayso_speaker_name(d, j1, NULL, buf, sizeof buf);
            if (n1 && n1 + 6 < sizeof buf) {
                memcpy(buf + n1, " and ", 5);
                size_t n2 = sayso_speaker_name(d, j2, NULL, buf + n1 + 5, sizeof buf - n1 - 5);
                if (n2) {
                    nn = n1 + 5 + n2;
                    e = -1;
                }
            }
            if (e >= 0) nn = sayso_speaker_name(d, e, a, buf, sizeof buf);
        }
        int32_t cf, cl;
        if (!nn && sayso_speaker_credit(d, a, &cf, &cl)) {
            /* "A fan wrote, ..." over "Credit: jo_b on Instagram": the
             * credited account, as written (not an entity of the text). */
            uint32_t b = d->t[cf].b, en = d->t[cl].e;
            nn = en - b < sizeof buf ? en - b : sizeof buf - 1;
            memcpy(buf, d->text + b, nn);
            e = -1;
        }
        o->name = nn ? arena_put(ex, buf, nn) : -2;
        if (o->text == -1 || o->name == -1) return -1;
        if (e >= 0 && q->confidence > 0.3f && a->src.kind != MK_NAME) q->confidence -= 0.05;
        if (e < 0 && a->has_src && a->src.kind != MK_NAME) q->confidence -= 0.1;
        q->speaker_id = e;
        q->speaker_age = e >= 0 ? d->ent[e].age : -1;
        if (e >= 0 && describe(ex, e) < 0) return -1;
        if (e >= 0) { o->dstart = (size_t)ex->es[e].dstart; o->dn = ex->es[e].dn; }
        if (place(ex, a, e, q, o) < 0) return -1;
    }
    if (sayso_grow((void **)&ex->dptr, &ex->capdptr, ex->ndoff + 1, sizeof *ex->dptr) < 0) return -1;
    for (size_t i = 0; i < ex->ndoff; i++) ex->dptr[i] = ex->arena + ex->doff[i];
    for (size_t i = 0; i < res->n; i++) {
        sayso_quote *q = &ex->q[i];
        const qoffsets *o = &ex->qo[i];
        q->text = ex->arena + o->text;
        q->speaker = o->name >= 0 ? ex->arena + o->name : NULL;
        q->addressee = o->addr >= 0 ? ex->arena + o->addr : NULL;
        q->said_on = o->said_on >= 0 ? ex->arena + o->said_on : NULL;
        q->said_on_text = o->said_text >= 0 ? ex->arena + o->said_text : NULL;
        q->descriptors = o->dn ? ex->dptr + o->dstart : NULL;
        q->n_descriptors = o->dn;
    }
    *quotes = ex->q;
    *n = res->n;
    return 0;
}
