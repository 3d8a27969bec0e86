/*
 * setting.c — channel, addressee and time of a quote, from the words near its cue.
 *
 * The words that set a quote are few and close to the cue: "she said in a
 * statement on Friday", "he took to Instagram to write:", "told CNN on
 * Sunday". Looking further invites the setting of another sentence, so the
 * scan stays in the cue's sentence, a bounded number of tokens either side
 * of the cue, and skips the quoted words themselves (a quote that mentions
 * Twitter was not thereby said on Twitter).
 */
#include <string.h>
#include "setting.h"

#define REACH 16 /* tokens either side of the cue */

/* Whether token k is reported words. A reported clause opens with its
 * "that" or "whether": what a content span holds before it ("wrote in a
 * letter to season-pass holders on Dec. 30 that …") is the saying's
 * circumstances, read as the cue's. */
static int in_content(const doc *d, const attribution *a, int32_t k)
{
    for (int i = 0; i < a->ncontent; i++) {
        int32_t f = a->content[i].first, l = a->content[i].last;
        if (k < f || k > l) continue;
        if (i == 0 && a->type != SAYSO_DIRECT && f > a->cue_last && a->cue_last >= 0 && !(d->t[k].flags & TF_INQUOTE)) {
            for (int32_t j = k + 1; j <= l && j <= k + 12; j++) {
                if (d->t[j].flags & TF_INQUOTE) break;
                if (tok_word_eq(d, j, "that") || tok_word_eq(d, j, "whether")) return 0;
            }
        }
        return 1;
    }
    return 0;
}

static int outside(const doc *d, const attribution *a, int32_t k)
{
    return !(d->t[k].flags & TF_INQUOTE) && d->t[k].kind != TK_MARK && !in_content(d, a, k);
}

static int is_tell(const doc *d, int32_t k)
{
    return tok_word_eq(d, k, "told") || tok_word_eq(d, k, "tells") || tok_word_eq(d, k, "tell") ||
           tok_word_eq(d, k, "telling");
}

/* A capitalised run after k0: "CNN", "The Huffington Post", "NBC's
 * Today show" (up to the possessive). Returns its last token or -1. */
static int32_t outlet_run(const doc *d, int32_t k0, int32_t limit, int *is_outlet)
{
    int32_t k = k0, last = -1;
    *is_outlet = 0;
    if (tok_word_eq(d, k, "the")) k++;
    for (; k <= limit && k < k0 + 6; k++) {
        const tok *t = &d->t[k];
        if (t->kind != TK_WORD || !(t->flags & TF_CAP) || (t->flags & TF_INQUOTE)) break;
        const sayso_lex *lx = tok_lex(d, t);
        if (lx && lx->outlet) *is_outlet = 1;
        if ((t->lf & LX_ORGWORD)) *is_outlet = 1;
        last = k;
        if (t->flags & TF_POSS) break;
    }
    /* "Glow magazine", "the Sentinel newspaper" */
    static const char *const kinds[] = { "magazine", "newspaper", "paper", "network", "station", "channel", NULL };
    if (last >= 0 && last < limit && !(d->t[last].flags & TF_POSS))
        for (int i = 0; kinds[i]; i++)
            if (tok_word_eq(d, last + 1, kinds[i])) { *is_outlet = 1; return last + 1; }
    return last;
}

/* "told reporters", "told the crowd", "told a rally in Ohio": a short noun
 * phrase of lower-case words. */
static int32_t plain_np(const doc *d, int32_t k0, int32_t limit)
{
    int32_t k = k0, last = -1;
    if (tok_word_eq(d, k, "the") || tok_word_eq(d, k, "a") || tok_word_eq(d, k, "an")) k++;
    for (; k <= limit && k < k0 + 4; k++) {
        const tok *t = &d->t[k];
        if (t->kind != TK_WORD || (t->flags & (TF_CAP | TF_INQUOTE))) break;
        if (tok_lexflags(d, k) & (LX_FUNC | LX_CUE | LX_PRONOUN | LX_CALENDAR)) break;
        if (tok_word_eq(d, k, "last") || tok_word_eq(d, k, "next") || tok_word_eq(d, k, "earlier") ||
            tok_word_eq(d, k, "later") || tok_word_eq(d, k, "recently") || tok_word_eq(d, k, "again"))
            break; /* "told investors last year" */
        last = k;
    }
    return last;
}

/* Also says whether the window holds anything a date could hang on (a
 * number, a day, month or time word), so that most quotes skip the date
 * scan. */
static int channel_and_addressee(const doc *d, const attribution *a, int32_t lo, int32_t hi, setting *out)
{
    uint8_t best = 0;
    int told_outlet = 0, timely = 0;
    for (int32_t k = lo; k <= hi; k++) {
        const tok *t = &d->t[k];
        timely |= t->kind == TK_NUM;
        if (!(t->lf & LX_SETTING)) continue; /* most words: one test */
        timely |= (t->lf & (LX_TIME | LX_CALENDAR)) != 0;
        /* "…, according to the celebrity site GlowDaily": who reported
         * the words, not where they were said. */
        if (t->e - t->b == 9 && (d->text[t->b] | 0x20) == 'a' && tok_word_eq(d, k, "according") &&
            tok_word_eq(d, k + 1, "to")) {
            while (k < hi && d->t[k + 1].kind != TK_PUNCT) k++;
            continue;
        }
        const sayso_lex *lx = tok_lex(d, t);
        if (!lx) continue;
        char c0 = (char)(d->text[t->b] | 0x20);
        int tell = (t->lf & LX_CUE) && c0 == 't' && is_tell(d, k);
        /* "in an interview with People magazine" */
        int with = (t->lf & LX_FUNC) && c0 == 'w' && tok_word_eq(d, k, "with") &&
                   (tok_word_eq(d, k - 1, "interview") || tok_word_eq(d, k - 1, "interviews"));
        if ((!tell && !with && !lx->channel) || !outside(d, a, k)) continue;
        if (tell || with) {
            if (out->addr_first >= 0) continue;
            int outlet;
            int32_t e = outlet_run(d, k + 1, hi, &outlet);
            if (e < 0 && tell) {
                e = plain_np(d, k + 1, hi);
                outlet = 0;
            }
            if (e >= 0) {
                out->addr_first = k + 1;
                out->addr_last = e;
                /* Telling an outlet is giving it an interview; telling a
                 * person or "reporters" names no channel. */
                told_outlet |= tell && outlet;
            }
            continue;
        }
        if (lx->outlet) {
            /* "on CBS", "on NBC's Today show": the outlet's own channel.
             * Any other outlet (the source, "according to the Post")
             * sets nothing. */
            int32_t p = k - 1;
            if (tok_word_eq(d, p, "the")) p--;
            if ((t->flags & TF_CAP) && (tok_word_eq(d, p, "on") || tok_word_eq(d, p, "to")) &&
                (!best || lx->channel < best))
                best = lx->channel; /* (and "took to X") */
            continue;
        }
        if (!best || lx->channel < best) best = lx->channel;
    }
    if (told_outlet) {
        /* An interview, unless a more telling channel was named ("told
         * CNN in a statement", "told Vogue on Instagram"). */
        const sayso_lex *iv = sayso_lexicon_get(d->lx, "interview", 9);
        uint8_t c = iv ? iv->channel : 0;
        if (!best || best > c) best = c;
    }
    out->channel = best;
    return timely;
}

/* Whether token k may belong to a time expression: a day or month name, a
 * day or year number, or a time word where it means time ("this week",
 * "at the time", not "this plan" or "time to act"). */
static int time_anchor(const doc *d, int32_t k)
{
    const tok *t = &d->t[k];
    if (t->kind == TK_NUM) {
        /* A day after its month ("Oct. 15", "October 15"), a count before
         * a unit of time ("two days ago" has none; "3 weeks ago"), a year
         * after a preposition or a month ("in 2016", "October 2019"). */
        uint32_t n = t->e - t->b;
        const char *s = d->text + t->b;
        int32_t p = k > 0 && tok_is(d, k - 1, '.') ? k - 2 : k - 1;
        uint32_t pf = p >= 0 ? tok_lexflags(d, p) : 0;
        if (pf & LX_CALENDAR) return 1;
        if (n <= 2) return (tok_lexflags(d, k + 1) & (LX_TIME | LX_CALENDAR)) != 0;
        if (n == 4 && (s[0] == '1' || s[0] == '2')) return (pf & LX_FUNC) || tok_is(d, k - 1, ',');
        return 0;
    }
    uint32_t f = tok_lexflags(d, k);
    if (f & LX_CALENDAR) return 1;
    if (!(f & LX_TIME)) return 0;
    if (tok_word_eq(d, k, "this") || tok_word_eq(d, k, "last"))
        return (size_t)k + 1 < d->nt && (tok_lexflags(d, k + 1) & (LX_TIME | LX_CALENDAR));
    if (tok_word_eq(d, k, "time") || tok_word_eq(d, k, "past")) return k > 0 && tok_word_eq(d, k - 1, "the");
    if (tok_word_eq(d, k, "then")) return k > 0 && tok_word_eq(d, k - 1, "back");
    /* Units only count a number before them ("3 weeks ago"), and "ago"
     * anchors "two days ago" by itself. */
    size_t n = t->e - t->b;
    if (n >= 4 && d->text[t->e - 1] == 's') return 0;
    return 1;
}

/* The last token of the source and its apposition, which describe the
 * speaker, not the moment: "said Tobias Lind, a council member since 2009," was
 * not said in 2012. "Harker, wrote …" is no apposition: a verb follows the
 * comma. -1 without a source. */
static int32_t source_end(const doc *d, const attribution *a)
{
    if (!a->has_src) return -1;
    int32_t se = a->src.last, x = se + 2;
    /* A source that already holds the start of its apposition ("Tobias
     * Lind, a council member" of "…, a council member since 2009 and a
     * regular since 1998, on Wednesday") goes on to the apposition's end. */
    int inside = 0;
    for (int32_t j = a->src.first; j < se && !inside; j++) inside = tok_is(d, j, ',');
    /* One that holds it up to its comma ("Tobias Lind, a council member
     * since 2009 and a regular since 1998") is whole: what follows the
     * comma is the saying's own (", on Wednesday"). */
    if (inside && tok_is(d, se + 1, ',')) return se;
    if (inside) x = se + 1;
    if ((inside || tok_is(d, se + 1, ',')) && (size_t)x < d->nt && !(d->t[x].lf & LX_CUE) && x != a->cue_first)
        for (int32_t j = x; (size_t)j < d->nt && j < se + 30; j++) {
            if ((d->t[j].flags & (TF_SENT | TF_INQUOTE)) || d->t[j].kind == TK_MARK || j == a->cue_first)
                return j - 1; /* to the end of the sentence, or the quote */
            if (tok_is(d, j, ',') || tok_is(d, j, ')')) return j;
        }
    return se;
}

/* The first time expression in tokens lo..hi outside the quote: when.c
 * reads a few words around each anchor ("at the time", "in 2016", "on
 * Oct. 15"), most clauses having none at all, which the token flags tell
 * for free. */
static int find_when(const doc *d, const attribution *a, int32_t lo, int32_t hi, const char *date, sayso_when *w)
{
    int32_t sb = a->has_src ? a->src.first : -1, se = source_end(d, a);
    int rel = 0;
    for (int32_t j = lo; j <= hi; j++) {
        if (j >= sb && j <= se) continue;
        /* A relative clause dates its own events: in "Brooke, whose
         * ballad spent eleven weeks at number one last year, shared…",
         * last year is not when she shared it. */
        const tok *t = &d->t[j];
        if (!(t->lf & LX_SETTING) && t->kind != TK_NUM && !(rel && t->kind == TK_PUNCT)) continue;
        if ((t->lf & LX_FUNC) && (d->text[t->b] | 0x20) == 'w' &&
            (tok_word_eq(d, j, "who") || tok_word_eq(d, j, "whose") || tok_word_eq(d, j, "which")))
            rel = 1;
        else if (rel && tok_is(d, j, ','))
            rel = 0;
        if (rel || !(t->kind == TK_NUM || (t->lf & (LX_CALENDAR | LX_TIME)))) continue;
        if (!time_anchor(d, j) || !outside(d, a, j)) continue;
        int32_t b = j, e = j;
        while (b > lo && b > j - 3 && outside(d, a, b - 1)) b--;
        while (e < hi && e < j + 7 && outside(d, a, e + 1)) e++;
        uint32_t bb = d->t[b].b, eb = d->t[e].e;
        /* An expression holding the anchor starts at most three words
         * before it ("at the time", "the day before yesterday"). */
        if (sayso_when_find_at(d->text + bb, eb - bb, date, (size_t)(j - b + 1), w)) {
            w->start += bb;
            w->end += bb;
            return 1;
        }
        if (w->stopped) {
            /* "said last week": a time, but no date we can give; nothing
             * later in the clause is the time of these words either. */
            w->blocked = 1;
            return 1;
        }
    }
    return 0;
}

/* Whether channel c is a social platform (where posts, captions and
 * stories live). */
static int platform(const doc *d, uint8_t c)
{
    static const char *const names[] = { "instagram", "twitter", "facebook", "tiktok", "youtube", "snapchat", NULL };
    const char *name = c ? sayso_lexicon_channel(d->lx, c) : NULL;
    for (int i = 0; name && names[i]; i++)
        if (strcmp(name, names[i]) == 0) return 1;
    return 0;
}

/* "In the caption, she wrote:", "she captioned the clip", "shared to her
 * Story": a caption, story or post with no platform of its own is on the
 * platform named last before it, within the two paragraphs before. */
static uint8_t caption_platform(const doc *d, int32_t lo, int32_t hi)
{
    /* (lo..hi: the cue's window, not its whole sentence, which in text
     * without sentence ends would make this quadratic) */
    int caption = 0;
    for (int32_t k = lo; k <= hi && !caption; k++)
        caption = !(d->t[k].flags & TF_INQUOTE) && d->t[k].kind == TK_WORD &&
                  memchr("cCsSpP", d->text[d->t[k].b], 6) != NULL &&
                  (tok_word_eq(d, k, "caption") || tok_word_eq(d, k, "captioned") || tok_word_eq(d, k, "captions") ||
                   tok_word_eq(d, k, "captioning") || tok_word_eq(d, k, "story") || tok_word_eq(d, k, "stories") ||
                   tok_word_eq(d, k, "post") || tok_word_eq(d, k, "posted") || tok_word_eq(d, k, "comment") ||
                   tok_word_eq(d, k, "comments"));
    if (!caption) return 0;
    int32_t para = d->t[lo].para;
    for (int32_t k = lo - 1, n = 0; k >= 0 && n < 400 && d->t[k].para >= para - 2; k--, n++) {
        const tok *t = &d->t[k];
        if (!(t->lf & LX_SETTING) || (t->flags & TF_INQUOTE)) continue;
        const sayso_lex *lx = tok_lex(d, t);
        if (lx && platform(d, lx->channel) && (!lx->outlet || (t->flags & TF_CAP))) return lx->channel;
    }
    return 0;
}

void sayso_setting(const doc *d, const attribution *a, int32_t e, const char *article_date, setting *out)
{
    memset(out, 0, sizeof *out);
    out->addr_first = out->addr_last = -1;
    int32_t anchor = a->cue_first >= 0 ? a->cue_first : a->has_src ? a->src.first : -1;
    if (anchor < 0) return;
    const range *s = &d->sent[d->t[anchor].sent];
    int32_t lo = anchor - REACH > s->first ? anchor - REACH : s->first;
    int32_t hi = anchor + REACH < s->last ? anchor + REACH : s->last;
    if (a->has_src && a->src.first < lo && a->src.first >= s->first) lo = a->src.first;
    /* A long apposition after the source ("said Tobias Lind, a council
     * member since 2009 and …, on Wednesday") does not use up the reach. */
    int32_t se = source_end(d, a);
    if (se > anchor && se + REACH / 2 > hi) hi = se + REACH / 2 < s->last ? se + REACH / 2 : s->last;
    if (channel_and_addressee(d, a, lo, hi, out)) out->has_when = find_when(d, a, lo, hi, article_date, &out->when);
    if (!out->channel) out->channel = caption_platform(d, lo, hi);
    if (out->has_when && out->channel) return;
    /* The sentence before, in the same paragraph, when it is about the
     * same speaker (its first mention): "Durango answered on Instagram.
     * “…,” KD wrote." gives the channel; and for a quotation opened by a
     * colon ("John paid tribute to his wife on Thursday … Along with the
     * clip, he took to Instagram to write:") the time too. */
    int32_t ps = d->t[anchor].sent - 1;
    if (e < 0 || ps < 0 || d->t[d->sent[ps].first].para != d->t[anchor].para) return;
    const range *p = &d->sent[ps];
    for (int32_t k = p->first; k <= p->last; k++) {
        if (d->t[k].ment < 0) continue;
        if (d->m[d->t[k].ment].entity != e) return;
        if (!out->channel && p->last - p->first < 200) { /* (bounded: no quadratic scans of huge sentences) */
            setting before;
            memset(&before, 0, sizeof before);
            before.addr_first = before.addr_last = -1;
            channel_and_addressee(d, a, p->first, p->last, &before);
            out->channel = before.channel;
        }
        if (!out->has_when && tok_is(d, s->last, ':'))
            out->has_when = find_when(d, a, p->first, p->last, article_date, &out->when);
        return;
    }
}

int sayso_setting_carries(const doc *d, const attribution *a)
{
    if (a->cue_first < 0 || !(d->t[a->cue_first].lf & LX_CUE)) return 0;
    const char *lemma = sayso_lexicon_lemma(d->lx, tok_lex(d, &d->t[a->cue_first])->lemma);
    return strncmp(lemma, "continue ", 9) == 0 || strncmp(lemma, "add ", 4) == 0;
}
