/*
 * mentions.c — names, pronouns and descriptions, and the entities they form.
 *
 * Entities are keyed by the lower-cased first and last word of their names,
 * so that linking a mention is a hash lookup, not a scan of all earlier
 * names: an article with a hundred thousand names costs no more per name
 * than one with ten.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "mentions.h"
#include "entities.h"
#include "syntax.h"

/* ---- token text helpers ---------------------------------------------- */

/* Length of the word without a possessive 's / ’s. */
static size_t bare_len(const doc *d, int32_t k)
{
    const tok *t = &d->t[k];
    size_t n = t->e - t->b;
    if (t->flags & TF_POSS) n -= ((unsigned char)d->text[t->e - 2] == '\'') ? 2 : 4;
    return n;
}

static uint64_t word_hash(const doc *d, int32_t k, uint64_t salt)
{
    const char *s = d->text + d->t[k].b;
    size_t n = bare_len(d, k);
    uint64_t h = 1469598103934665603ull ^ salt;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 'A' && c <= 'Z') c = (unsigned char)(c + 32);
        h = (h ^ c) * 1099511628211ull;
    }
    return h | 1; /* 0 marks an empty slot */
}

static int word_eq(const doc *d, int32_t a, int32_t b)
{
    size_t na = bare_len(d, a), nb = bare_len(d, b);
    if (na != nb) return 0;
    const char *x = d->text + d->t[a].b, *y = d->text + d->t[b].b;
    for (size_t i = 0; i < na; i++) {
        unsigned char c1 = (unsigned char)x[i], c2 = (unsigned char)y[i];
        if (c1 >= 'A' && c1 <= 'Z') c1 = (unsigned char)(c1 + 32);
        if (c2 >= 'A' && c2 <= 'Z') c2 = (unsigned char)(c2 + 32);
        if (c1 != c2) return 0;
    }
    return 1;
}

enum { KEY_LAST = 0x5a5a, KEY_FIRST = 0xa5a5 };

#define EUSED(d, j) ((d)->emap[(j)].gen == (d)->emapgen)

static int emap_put(doc *d, uint64_t h, int32_t ent)
{
    if ((d->nemap + 1) * 2 > d->emapcap) {
        size_t cap = d->emapcap ? d->emapcap * 2 : 256;
        struct ekey *nm = calloc(cap, sizeof *nm);
        if (!nm) return -1;
        for (size_t i = 0; i < d->emapcap; i++) {
            if (!EUSED(d, i)) continue;
            size_t j = d->emap[i].h & (cap - 1);
            while (nm[j].gen == d->emapgen) j = (j + 1) & (cap - 1);
            nm[j] = d->emap[i];
        }
        free(d->emap);
        d->emap = nm;
        d->emapcap = cap;
    }
    size_t j = h & (d->emapcap - 1);
    int same = 0;
    while (EUSED(d, j)) {
        if (d->emap[j].h == h) {
            if (d->emap[j].ent == ent) return 0;
            /* Lookups read only 64 entries per key (emap_find): more
             * would never be found, and would make each insert slower. */
            if (++same >= 64) return 0;
        }
        j = (j + 1) & (d->emapcap - 1);
    }
    d->emap[j].h = h;
    d->emap[j].ent = ent;
    d->emap[j].gen = d->emapgen;
    d->nemap++;
    return 0;
}

static int32_t key_last(const doc *d, int32_t nf, int32_t nl);

/* The most recently seen entity whose first (or last) name word equals
 * token k, or -1. */
static int32_t emap_find_g(const doc *d, int32_t k, int which, uint8_t g);
static int32_t emap_find(const doc *d, int32_t k, int which) { return emap_find_g(d, k, which, G_UNKNOWN); }

/* As emap_find, for a mention whose title gives gender g ("Mrs. Ostrander"):
 * never someone of the other gender, and someone of g before anyone else. */
static int32_t emap_find_g(const doc *d, int32_t k, int which, uint8_t g)
{
    if (!d->emapcap) return -1;
    uint64_t h = word_hash(d, k, (uint64_t)which);
    int32_t best = -1, seen = 0;
    /* Bounded: an adversarial article with thousands of people of one
     * surname must not make every lookup scan them all. */
    for (size_t j = h & (d->emapcap - 1); EUSED(d, j) && seen < 64; j = (j + 1) & (d->emapcap - 1)) {
        if (d->emap[j].h != h) continue;
        seen++;
        const entity *e = &d->ent[d->emap[j].ent];
        int32_t w = which == KEY_LAST ? e->name_key : e->name_first;
        if (!word_eq(d, w, k)) continue;
        if ((g == G_MALE || g == G_FEMALE) && (e->gender == G_MALE || e->gender == G_FEMALE)) {
            if (e->gender != g) continue;
            if (best >= 0 && d->ent[best].gender != g) best = -1; /* a fit beats a maybe */
        } else if ((g == G_MALE || g == G_FEMALE) && best >= 0 && d->ent[best].gender == g) {
            continue;
        }
        if (best < 0 || e->last_seen > d->ent[best].last_seen) best = d->emap[j].ent;
    }
    return best;
}

/* ---- what a name is --------------------------------------------------- */

/* Whether word k opens a handle: "@" glued before it, and nothing glued
 * before the "@" (not the domain of "mara@example.com"). */
static inline int is_handle(const doc *d, int32_t k)
{
    return k > 0 && d->t[k - 1].kind == TK_PUNCT && d->t[k - 1].ch == '@' && d->t[k - 1].e == d->t[k].b &&
           (k < 2 || d->t[k - 2].e != d->t[k - 1].b);
}

/* The last token of the handle that opens at k: its pieces are glued
 * by "_" and "." ("@keepitreal.lou"). */
static int32_t handle_end(const doc *d, int32_t k)
{
    while ((size_t)k + 2 < d->nt && d->t[k + 1].b == d->t[k].e && d->t[k + 2].b == d->t[k + 1].e &&
           (d->t[k + 1].ch == '_' || d->t[k + 1].ch == '.') && d->t[k + 1].kind == TK_PUNCT &&
           (d->t[k + 2].kind == TK_WORD || d->t[k + 2].kind == TK_NUM))
        k += 2;
    return k;
}

/* Whether token k can be part of a name: a capitalised word that is no
 * function, calendar or pronoun word (unless a first name: "Will"). Asked
 * for nearly every capitalised token, hence inline here. */
static inline int name_token(const doc *d, int32_t k)
{
    if (k < 0 || (size_t)k >= d->nt) return 0;
    const tok *t = &d->t[k];
    if (t->kind != TK_WORD) return 0;
    if (!(t->flags & TF_CAP)) {
        /* "@mara_q": a handle names its owner, in whatever case; its first
         * piece stands for it (speakers.c names it as written). Not the
         * domain of an address: "mara@example.com". */
        return is_handle(d, k);
    }
    /* "Rep. Ana Ruiz, D-Vt.," or "(D-Vt.)": a party and state set off
     * after a name label the name, and are none. */
    if (tok_party_label(d, k) && (tok_is(d, k - 1, ',') || tok_is(d, k - 1, '('))) return 0;
    /* "No1", "G7", "4K": letters with digits are ranks and codes, not names. */
    for (uint32_t b = t->b + 1; b < t->e; b++)
        if ((unsigned char)(d->text[b] - '0') < 10) return 0;
    uint32_t f = t->lf;
    if (f & (LX_FUNC | LX_CALENDAR | LX_PRONOUN)) {
        /* "US Senator Jeff Sessions": capitals before a capitalised word
         * are an abbreviation, not the pronoun. */
        if ((t->flags & TF_ALLCAPS) && (size_t)k + 1 < d->nt && (d->t[k + 1].flags & TF_CAP) &&
            !(d->t[k + 1].flags & TF_ALLCAPS) && d->t[k + 1].kind == TK_WORD)
            return 1;
        return (f & LX_FIRSTNAME) && !(f & LX_FUNC);
    }
    return 1;
}

static int is_particle(const doc *d, int32_t k)
{
    return (d->t[k].lf & LX_PARTICLE) && !(d->t[k].flags & TF_CAP);
}

/* A particle that leads on to a name: "de" in "Ana de la Vega". */
static int particle_run(const doc *d, int32_t k)
{
    if (!is_particle(d, k)) return 0;
    if (name_token(d, k + 1)) return 1;
    return (size_t)k + 2 < d->nt && is_particle(d, k + 1) && name_token(d, k + 2);
}

int sayso_is_name_token(const doc *d, int32_t k)
{
    return name_token(d, k);
}

/* "SC" of "Alan Reyes QC": a rank in capitals after a name. */
static int is_postnominal(const doc *d, int32_t k)
{
    return (d->t[k].flags & TF_ALLCAPS) && (tok_lexflags(d, k) & LX_POSTNOM);
}

static int is_title_at(const doc *d, int32_t k)
{
    return d->t[k].kind == TK_WORD && (d->t[k].flags & TF_CAP) && (tok_lexflags(d, k) & LX_TITLE);
}

static int is_suffix(const doc *d, int32_t k)
{
    return (tok_lexflags(d, k) & LX_SUFFIX) != 0 || is_postnominal(d, k);
}

/* A capitalised verb with a contraction: "KO’ing", "DM’d", "X’ed". The
 * letters after the apostrophe are lower case ("O’Neal" has a capital). */
static int contracted_verb(const doc *d, int32_t k)
{
    const tok *t = &d->t[k];
    const char *s = d->text + t->b;
    size_t n = t->e - t->b;
    for (size_t i = 1; i + 1 < n; i++) {
        size_t ap = s[i] == '\'' ? 1 : (i + 3 < n && (unsigned char)s[i] == 0xE2 && (unsigned char)s[i + 1] == 0x80 &&
                                        (unsigned char)s[i + 2] == 0x99) ? 3 : 0;
        if (!ap) continue;
        const char *r = s + i + ap;
        size_t rn = n - i - ap;
        return (rn == 3 && memcmp(r, "ing", 3) == 0) || (rn == 1 && r[0] == 'd') || (rn == 2 && memcmp(r, "ed", 2) == 0);
    }
    return 0;
}

/* The first word of a sentence that is an -ing form and no first name
 * ("Flying", "Trailing"); "King" and "Manning" are too short or are
 * followed by no name. */
static int opening_participle(const doc *d, int32_t k)
{
    const tok *t = &d->t[k];
    if (d->sent[t->sent].first != k || (t->lf & LX_FIRSTNAME) || (t->flags & TF_ALLCAPS)) return 0;
    size_t n = t->e - t->b;
    return n >= 6 && memcmp(d->text + t->e - 3, "ing", 3) == 0;
}

/* Scans a name run starting at k: [titles][name words, initials, particles]
 * [suffix]. Returns the index after the run; sets the name's first and last
 * word (-1 if the run is titles only) and the gender a title implies. */
static int32_t scan_name(const doc *d, int32_t k, int32_t ceil, int32_t *nf, int32_t *nl, uint8_t *tgender)
{
    int32_t i = k;
    *nf = *nl = -1;
    *tgender = G_UNKNOWN;
    /* Titles, each maybe with its period: "Sen.", "Vice President". */
    while (i <= ceil && is_title_at(d, i) && i + 1 <= ceil &&
           (name_token(d, i + 1) || tok_is(d, i + 1, '.'))) {
        if (tok_lex(d, &d->t[i])->title_gender) *tgender = tok_lex(d, &d->t[i])->title_gender;
        i++;
        if (tok_is(d, i, '.')) i++;
    }
    while (i <= ceil) {
        /* A nickname in quotation marks inside a name: Marcus “Bulldog”
         * Reyes. It is no part of the name. */
        if (*nf >= 0 && d->t[i].kind == TK_MARK && d->t[i].q >= 0) {
            const qspan *q = &d->qs[d->t[i].q];
            if (q->open == i && q->close > i && q->nwords <= 3 && q->close + 1 <= ceil &&
                q->para_first == q->para_last && name_token(d, q->close + 1)) {
                i = q->close + 1;
                continue;
            }
        }
        if (d->t[i].flags & TF_INQUOTE) break;
        if (i > k && (d->t[i].flags & TF_PARA)) break;
        if (*nf >= 0 && is_postnominal(d, i)) {
            i++; /* "Alan Reyes QC": the rank ends the name, outside it */
            break;
        }
        /* "Flying Dublin half-back Tom Rourke": a capitalised participle
         * opening the sentence describes the name after it. */
        if (*nf < 0 && name_token(d, i) && opening_participle(d, i) && name_token(d, i + 1) &&
            !(d->t[i + 1].flags & TF_PARA)) {
            i++;
            continue;
        }
        /* "Democratic Sen. Claire Moss", "Texas Gov. X": one capitalised
         * word before a title is no part of the name the title opens. */
        if (*nf >= 0 && *nf == *nl && is_title_at(d, i) && !(tok_lexflags(d, *nf) & LX_FIRSTNAME) &&
            !(tok_lexflags(d, i) & LX_FIRSTNAME) && i + 1 <= ceil &&
            ((tok_is(d, i + 1, '.') && name_token(d, i + 2)) || (name_token(d, i + 1) && !is_suffix(d, i + 1)))) {
            *nf = *nl = -1;
            continue;
        }
        if (name_token(d, i) && contracted_verb(d, i)) {
            if (*nf >= 0) break;
            i++; /* "from KO’ing Jake": the verb is no part of the name */
            continue;
        }
        /* "Beauty Guru Tara Wells", "Fitness Coach Dana Pike": a
         * capitalised description before the name, after other capitalised
         * words, ends them; the name is what follows. */
        if (*nf >= 0 && name_token(d, i) && (tok_lexflags(d, i) & LX_PERSON) && !(tok_lexflags(d, i) & LX_FIRSTNAME) &&
            !(d->t[i].flags & (TF_ALLCAPS | TF_POSS)) && i + 2 <= ceil && name_token(d, i + 1) && name_token(d, i + 2) &&
            !(d->t[i + 1].flags & TF_PARA) && !(d->t[i + 2].flags & TF_PARA) && d->t[i + 1].kind == TK_WORD) {
            *nf = *nl = -1;
            i++;
            continue;
        }
        if (name_token(d, i)) {
            /* "Singer Mara Quill", "Deputy Mayor ...": capitalised titles and
             * descriptions before the name are not part of it. */
            if (*nf < 0 && (tok_lexflags(d, i) & (LX_TITLE | LX_PERSON)) && !(tok_lexflags(d, i) & LX_FIRSTNAME) &&
                !(d->t[i].flags & TF_ALLCAPS)) {
                if (tok_lex(d, &d->t[i])->title_gender) *tgender = tok_lex(d, &d->t[i])->title_gender;
                i++;
                if (tok_is(d, i, '.') && (d->t[i].flags & TF_NOEND)) i++;
                continue;
            }
            if (*nf < 0) *nf = i;
            *nl = i;
            int poss = (d->t[i].flags & TF_POSS) != 0;
            i++;
            if (poss) break;
            /* An initial or abbreviation period inside the name: "John F. Kennedy". */
            if (tok_is(d, i, '.') && (d->t[i].flags & TF_NOEND) && name_token(d, i + 1)) i++;
            continue;
        }
        /* "Theresa May said": a capitalised month right after a first name,
         * not before a day's number, is a surname. */
        if (*nf >= 0 && *nl == i - 1 && (tok_lexflags(d, *nl) & LX_FIRSTNAME) && d->t[i].kind == TK_WORD &&
            (d->t[i].flags & TF_CAP) && !(d->t[i].flags & (TF_SENT | TF_PARA | TF_ALLCAPS)) &&
            (d->t[i].lf & LX_CALENDAR) && !((size_t)i + 1 < d->nt && d->t[i + 1].kind == TK_NUM)) {
            *nl = i;
            i++;
            continue;
        }
        if (*nf >= 0 && particle_run(d, i)) { i++; continue; }
        if (*nf >= 0 && tok_is(d, i, ',') && is_suffix(d, i + 1)) { *nl = i + 1; i += 2; if (tok_is(d, i, '.')) i++; break; }
        break;
    }
    return i;
}

/* Words that describe rather than name (capitalised "Republican", "Senate"
 * when alone). */
static int descriptive_only(const doc *d, int32_t nf, int32_t nl)
{
    for (int32_t k = nf; k <= nl; k++) {
        if (d->t[k].kind != TK_WORD) continue;
        if (!(tok_lexflags(d, k) & (LX_PERSON | LX_ORGNOUN | LX_TITLE | LX_CUE))) return 0;
    }
    return 1;
}

/* The key word of a name: its last word, but not a suffix ("King" of
 * "Martin Luther King Jr."). */
static int32_t key_last(const doc *d, int32_t nf, int32_t nl)
{
    while (nl > nf && (is_suffix(d, nl) || d->t[nl].kind != TK_WORD)) nl--;
    return nl;
}

static int nwords(const doc *d, int32_t nf, int32_t nl)
{
    int n = 0;
    for (int32_t k = nf; k <= nl; k++) n += d->t[k].kind == TK_WORD;
    return n;
}

static uint8_t first_name_gender(const doc *d, int32_t nf, int32_t nl)
{
    if (nwords(d, nf, nl) < 1) return G_UNKNOWN;
    uint32_t f = tok_lexflags(d, nf);
    return (f & LX_FIRSTNAME) ? tok_lex(d, &d->t[nf])->name_gender : G_UNKNOWN;
}

/* Whether word k occurs in entity x's name: "De" in "Ana de la Vega", so
 * that "De la Vega" is her and not a person called De. */
static int word_in_name(const doc *d, int32_t k, const entity *x)
{
    for (int32_t j = x->name_first + 1; j <= x->name_last; j++)
        if (d->t[j].kind == TK_WORD && word_eq(d, j, k)) return 1;
    return 0;
}

/* Whether one-word name k is a short form of the first name at token f:
 * its beginning ("Shaq", "Chris": three letters at least, and no first
 * name of the other gender), or a listed diminutive ("Liz", "Bill"). */
static int short_first_name(const doc *d, int32_t k, int32_t f)
{
    size_t nk = bare_len(d, k), nf = bare_len(d, f);
    if ((d->t[k].lf & LX_NICK) && sayso_lexicon_short_form(d->lx, d->t[k].li, d->t[f].li)) return 1;
    if (nk < 3 || nk >= nf) return 0;
    const char *a = d->text + d->t[k].b, *b = d->text + d->t[f].b;
    for (size_t i = 0; i < nk; i++) {
        unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];
        if (x >= 'A' && x <= 'Z') x = (unsigned char)(x + 32);
        if (y >= 'A' && y <= 'Z') y = (unsigned char)(y + 32);
        if (x != y) return 0;
    }
    uint8_t gk = (tok_lexflags(d, k) & LX_FIRSTNAME) ? tok_lex(d, &d->t[k])->name_gender : G_UNKNOWN;
    uint8_t gf = (tok_lexflags(d, f) & LX_FIRSTNAME) ? tok_lex(d, &d->t[f])->name_gender : G_UNKNOWN;
    return !(gk && gf && gk != gf); /* "Chris" is not Christina */
}

/* Whether capitals k ("KD") are the initials of entity x's name words. */
static int initials_of(const doc *d, int32_t k, const entity *x)
{
    const tok *t = &d->t[k];
    size_t n = t->e - t->b;
    if (!(t->flags & TF_ALLCAPS) || n < 2 || n > 3 || (t->lf & ~(uint32_t)LX_SETTING)) return 0;
    size_t i = 0;
    for (int32_t j = x->name_first; j <= x->name_last; j++) {
        if (d->t[j].kind != TK_WORD) continue;
        if (i >= n || d->text[d->t[j].b] != d->text[t->b + i]) return 0;
        i++;
    }
    return i == n;
}

/* The person a one-word name the article has not used before stands for,
 * by a short form or initials of the fullest name of someone named
 * earlier: "Shaquille O'Neal" ... "Shaq", "Kevin Durant" ... "KD",
 * "Elizabeth Hurley" ... "Liz". Only people with a first and last name
 * qualify, the most recent first; bounded to the last few hundred
 * entities so that a long article stays linear. */
static int32_t short_form_entity(const doc *d, int32_t k, uint8_t g)
{
    const tok *t = &d->t[k];
    if (t->kind != TK_WORD || (t->flags & TF_POSS && bare_len(d, k) < 2)) return -1;
    /* Cheap tests first: every unknown one-word name comes here. */
    int nick = (t->lf & LX_NICK) != 0;
    if (!nick && bare_len(d, k) < 3 && !(t->flags & TF_ALLCAPS)) return -1;
    unsigned char c0 = (unsigned char)d->text[t->b];
    if (c0 >= 'A' && c0 <= 'Z') c0 = (unsigned char)(c0 + 32);
    for (size_t i = d->nent, seen = 0; i-- > 0 && seen < 256; seen++) {
        const entity *x = &d->ent[i];
        if (x->org || x->handle || x->name_first < 0) continue;
        unsigned char f0 = (unsigned char)d->text[d->t[x->name_first].b];
        if (f0 >= 'A' && f0 <= 'Z') f0 = (unsigned char)(f0 + 32);
        if (f0 != c0 && !nick) continue; /* initials and prefixes share the first letter */
        if (nwords(d, x->name_first, x->name_last) < 2) continue;
        if ((g == G_MALE || g == G_FEMALE) && (x->gender == G_MALE || x->gender == G_FEMALE) && g != x->gender)
            continue;
        if (initials_of(d, k, x) || short_first_name(d, k, x->name_first)) return (int32_t)i;
    }
    return -1;
}

/* Whether the name at nf is the place of a title: "the Duke of Sussex",
 * "the Princess of Wales". The person is the description, resolved like
 * "the singer"; the place is nobody. */
static int peer_place(const doc *d, int32_t nf)
{
    return nf >= 2 && tok_word_eq(d, nf - 1, "of") && (d->t[nf - 2].flags & TF_CAP) &&
           (tok_lexflags(d, nf - 2) & LX_PERSON) && !(tok_lexflags(d, nf - 2) & LX_FIRSTNAME) &&
           tok_lex(d, &d->t[nf - 2])->noun_gender != G_NEUTER && tok_lex(d, &d->t[nf - 2])->noun_gender != G_PLURAL;
}

/* By how much the entities model takes the name nf..nl for an
 * organisation, a place or a thing named ("Los Angeles Rams", "Brooklyn
 * Nets", "Disney World") rather than a person (-1000 when it is not asked
 * or says it is no entity at all). It reads the words of
 * the name and of its sentence around it, as it was trained (CoreNLP's
 * tokens of political news). Its errors on soft news are mostly one-word
 * names and nicknames ("LeBron" for an organisation), so it is asked only
 * about names of two words or more that start with no listed first name. */
static float nonperson_margin(const doc *d, int32_t nf, int32_t nl)
{
    enum { REACH = 3, MAXW = 48 };
    if (!d->ents || nl - nf + 1 > MAXW - 2 * REACH || nwords(d, nf, nl) < 2 || (tok_lexflags(d, nf) & LX_FIRSTNAME))
        return -1000.0f;
    const range *s = &d->sent[d->t[nf].sent];
    int32_t lo = nf - REACH > s->first ? nf - REACH : s->first;
    int32_t hi = nl + REACH < s->last ? nl + REACH : s->last;
    sayso_ent_word w[MAXW];
    size_t n = 0;
    for (int32_t k = lo; k <= hi && n < MAXW; k++) {
        w[n].s = d->text + d->t[k].b;
        w[n].len = d->t[k].e - d->t[k].b;
        n++;
    }
    float sc[SAYSO_ENT_COUNT];
    sayso_entities_classify(d->ents, w, n, (size_t)(nf - lo), (size_t)(nl - lo), sc);
    float other = sc[SAYSO_ENT_ORG];
    if (sc[SAYSO_ENT_LOC] > other) other = sc[SAYSO_ENT_LOC];
    if (sc[SAYSO_ENT_MISC] > other) other = sc[SAYSO_ENT_MISC];
    if (other < sc[SAYSO_ENT_NONE]) return -1000.0f;
    return other - sc[SAYSO_ENT_PERSON];
}

static int is_determiner(const doc *d, int32_t k);

/* Whether an apposition after the name says it is a person: "X, political
 * science professor at ...", "X, a spokeswoman for ...", "X, 45, said". */
static int person_apposition(const doc *d, int32_t nl)
{
    int32_t k = nl + 1;
    if ((size_t)k + 1 >= d->nt || !tok_is(d, k, ',')) return 0;
    int32_t sent = d->t[nl].sent;
    if (d->t[k + 1].kind == TK_NUM && (size_t)k + 2 < d->nt && tok_is(d, k + 2, ',')) return 1;
    for (int32_t j = k + 1; (size_t)j < d->nt && j <= k + 6 && d->t[j].sent == sent; j++) {
        const tok *t = &d->t[j];
        if (t->kind != TK_WORD || (t->flags & TF_INQUOTE)) return 0;
        uint32_t f = tok_lexflags(d, j);
        if ((f & LX_PERSON) && !(t->flags & TF_CAP)) return 1;
        if ((f & (LX_FUNC | LX_CUE)) && !is_determiner(d, j)) return 0;
    }
    return 0;
}

/* Links a name (tokens nf..nl) to an entity, creating one if needed. */
/* The entity of the handle that opens at k, among the last 256 handles
 * seen: the whole handle must match, case aside ("@mara_q" is not
 * "@mara_fan22"). */
static int32_t handle_entity(const doc *d, int32_t k)
{
    uint32_t b = d->t[k].b, e = d->t[handle_end(d, k)].e;
    for (size_t i = d->nent, seen = 0; i-- > 0 && seen < 256;) {
        const entity *x = &d->ent[i];
        if (!x->handle) continue;
        seen++;
        uint32_t xb = d->t[x->name_first].b, xe = d->t[handle_end(d, x->name_first)].e;
        if (xe - xb == e - b && strncasecmp(d->text + xb, d->text + b, e - b) == 0) return (int32_t)i;
    }
    return -1;
}

static int32_t link_name(doc *d, int32_t nf, int32_t nl, uint8_t tgender)
{
    if (is_handle(d, nf)) {
        /* A handle is its own someone: "@mara_fan22" is no Mara Quill,
         * whatever first name it starts with. */
        int32_t e = handle_entity(d, nf);
        if (e < 0) {
            entity *x = DOC_PUSH(d->ent, d->nent, d->capent);
            if (!x) return -1;
            memset(x, 0, sizeof *x);
            x->age = -1;
            x->name_first = x->name_key = nf;
            x->name_last = nl;
            x->handle = x->person = 1;
            e = (int32_t)(x - d->ent);
        }
        d->ent[e].nmentions++;
        return e;
    }
    int32_t kl = key_last(d, nf, nl);
    int n = nwords(d, nf, kl);
    int32_t e = -1;
    if (n >= 2) {
        e = emap_find(d, kl, KEY_LAST);
        /* Same surname but another first name: another person (Robert and
         * Gail Ostrander). A one-word entity of that surname is merged. */
        if (e >= 0) {
            entity *x = &d->ent[e];
            if (nwords(d, x->name_first, x->name_last) >= 2 && !word_eq(d, x->name_first, nf) && !word_in_name(d, nf, x))
                e = -1;
        }
        if (e < 0) {
            /* "John" seen first, then "John Legend". */
            int32_t f = emap_find(d, nf, KEY_FIRST);
            if (f >= 0 && nwords(d, d->ent[f].name_first, d->ent[f].name_last) == 1) e = f;
        }
    } else {
        e = emap_find_g(d, kl, KEY_LAST, tgender);
        if (e < 0) e = emap_find_g(d, kl, KEY_FIRST, tgender);
        if (e < 0) e = short_form_entity(d, kl, tgender);
    }
    if (e < 0) {
        entity *x = DOC_PUSH(d->ent, d->nent, d->capent);
        if (!x) return -1;
        memset(x, 0, sizeof *x);
        x->age = -1;
        x->name_first = nf;
        x->name_last = nl;
        x->name_key = key_last(d, nf, nl);
        e = (int32_t)(x - d->ent);
    } else {
        entity *x = &d->ent[e];
        if (n > nwords(d, x->name_first, x->name_key)) {
            x->name_first = nf;
            x->name_last = nl;
            x->name_key = key_last(d, nf, nl);
        }
    }
    entity *x = &d->ent[e];
    if (!x->gender || (x->gender_weak && (tgender == G_MALE || tgender == G_FEMALE))) {
        uint8_t g = tgender ? tgender : first_name_gender(d, x->name_first, x->name_last);
        if (g == G_MALE || g == G_FEMALE) { x->gender = g; x->person = 1; x->gender_weak = !tgender; }
    }
    if (tgender == G_MALE || tgender == G_FEMALE) x->person = 1;
    /* Two or three capitalised words with no organisation word among them
     * are taken for a person's name ("Sasha Brenner"); "Northfold Rail" and
     * "Billboard Music Awards" are not. */
    int org = 0;
    for (int32_t k = x->name_first; k <= x->name_last; k++) org |= (tok_lexflags(d, k) & LX_ORGWORD) != 0;
    /* (Once the entities model said organisation, later mentions of the
     * name do not make a person of it again.) */
    if (org) { x->person = 0; x->org = 1; }
    else if (n >= 2 && n <= 4 && !x->org) x->person = 1;
    if (n >= 2 && (tok_lexflags(d, nf) & LX_FIRSTNAME) && !org && !x->org) x->person = 1;
    /* A description right before the name: "tennis player Sasha Brenner". */
    if (!org && nf > 0 && (tok_lexflags(d, nf - 1) & LX_PERSON)) x->person = 1;
    /* Where a person works: "a curator at the Harbour Textile Trust", "a
     * spokesman for Vantix", "an analyst with Halden Capital". A name after
     * at/for/with that follows a person noun is the employer, not a person,
     * unless it starts with a known first name or a title said who it is. */
    if (nf > 1 && !tgender && !(tok_lexflags(d, nf) & LX_FIRSTNAME) &&
        (tok_word_eq(d, nf - 1, "at") || tok_word_eq(d, nf - 1, "for") || tok_word_eq(d, nf - 1, "with"))) {
        int32_t j = nf - 2;
        if (j > 0 && tok_word_eq(d, j, "the")) j--;
        for (int32_t back = 0; j >= 0 && back < 2 && d->t[j].kind == TK_WORD; j--, back++)
            if ((tok_lexflags(d, j) & LX_PERSON) && !(d->t[j].flags & TF_CAP)) {
                x->person = 0;
                x->org = 1;
                break;
            }
    }
    /* The entities model overrules the guess above (two or three
     * capitalised words are a person's name) on a new entity's first
     * mention, unless a title said who it is. */
    if (!x->nmentions && !tgender) {
        /* The margin is in the model's own units (summed int16 weights
         * scaled back): 15 keeps every person of the soft-news dev set. A
         * smaller lead still counts where the text supports it
         * (modifies_person). */
        float margin = nonperson_margin(d, nf, nl);
        if (margin > 0 && person_apposition(d, nl)) margin = -1000.0f;
        x->maybe_org = margin > 0;
        if (margin >= 15.0f) {
            x->person = 0;
            x->org = 1;
        }
    }
    x->nmentions++;
    if (emap_put(d, word_hash(d, x->name_key, KEY_LAST), e) < 0) return -1;
    if (emap_put(d, word_hash(d, x->name_first, KEY_FIRST), e) < 0) return -1;
    return e;
}

static void fill(mention *m, int32_t first, int32_t last, int32_t nf, int32_t nl, uint8_t kind, uint8_t g)
{
    m->first = first;
    m->last = last;
    m->name_first = nf;
    m->name_last = nl;
    m->kind = kind;
    m->gender = g;
    m->age = -1;
    m->head = -1;
    m->subject = 0;
    m->modifier = 0;
    m->entity = -1;
    m->sent = -1;
}

static int add_mention(doc *d, int32_t first, int32_t last, int32_t nf, int32_t nl, uint8_t kind,
                       uint8_t gender, int32_t ent)
{
    mention *m = DOC_PUSH(d->m, d->nm, d->capm);
    if (!m) return -1;
    fill(m, first, last, nf, nl, kind, gender);
    m->entity = ent;
    m->sent = d->t[first].sent;
    d->t[first].ment = (int32_t)(m - d->m);
    return 0;
}

/* Index of the last mention starting before token k, or -1. */
static int32_t mention_before(const doc *d, int32_t k)
{
    size_t lo = 0, hi = d->nm;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (d->m[mid].first < k) lo = mid + 1; else hi = mid;
    }
    return (int32_t)lo - 1;
}

/* Can entity e be referred to by a word of gender g? A person whose gender
 * the article never showed can be he or she: first-name lists are never
 * complete, and an unknown name is more often a person than not. */
static int compatible(const entity *e, uint8_t g)
{
    /* "Kerry Group": a first name's gender says nothing of an organisation. */
    uint8_t eg = e->org && e->gender_weak ? G_UNKNOWN : e->gender;
    if (g == G_UNKNOWN) return e->person || eg == G_MALE || eg == G_FEMALE;
    if (g == G_MALE || g == G_FEMALE) return eg == g || (eg == G_UNKNOWN && e->person && !e->org);
    return 0;
}

/* What a description asks of its entity. */
typedef struct {
    uint8_t gender;
    int16_t age;        /* -1: any */
    int same_sentence;  /* may it be someone named earlier in its own sentence? */
    int named;          /* only someone with a name: a description ("the
                           athlete") is not a nameless someone brought in
                           by another noun ("a fourth employee") */
} wanted;

static int is_possessive_pronoun(const doc *d, int32_t k)
{
    return (tok_lexflags(d, k) & LX_POSSDET) != 0;
}

/* Whether title t ("Dr.", "Sen.", "Congresswoman") and head noun h
 * ("doctor", "senator", "congresswoman") name the same office: the same
 * word, or an abbreviation whose letters run through the noun in order.
 * Forms of address (Mr., Mrs.) name no office. */
static int title_names(const doc *d, int32_t t, int32_t h)
{
    if ((d->text[d->t[t].b] | 0x20) != (d->text[d->t[h].b] | 0x20)) return 0; /* the common case */
    if (word_eq(d, t, h)) return 1;
    if (!tok_lex(d, &d->t[t]) || tok_lex(d, &d->t[t])->title_gender || !(tok_lexflags(d, h) & LX_PERSON)) return 0;
    const char *a = d->text + d->t[t].b, *b = d->text + d->t[h].b;
    size_t na = d->t[t].e - d->t[t].b, nb = d->t[h].e - d->t[h].b, j = 0;
    if (na < 2 || na > 5 || nb <= na || ((a[0] | 0x20) != (b[0] | 0x20))) return 0;
    for (size_t i = 0; i < na; i++) {
        char c = (char)(a[i] | 0x20);
        while (j < nb && (char)(b[j] | 0x20) != c) j++;
        if (j++ >= nb) return 0;
    }
    return 1;
}

static int age_fits(const entity *e, int16_t age) { return age < 0 || e->age < 0 || e->age == age; }

/* Whether name mention m only modifies a person noun: "the Brooklyn
 * rhymer", "Hawks stroke Jon Hollis", "Jazz star Dale Mercer". The
 * team or place is neither the subject of its sentence nor the person a
 * pronoun stands for. */
static int modifies_person(const doc *d, const mention *m)
{
    if (m->kind != MK_NAME) return 0;
    int32_t j = m->last + 1, n = (int32_t)d->nt;
    if (d->t[m->last].flags & TF_POSS) return 0;
    int32_t head = -1;
    /* After "the", the rest of a title may come first: "the Nothing
     * Compares 2 U singer". */
    int art = m->first > 0 && (d->t[m->first - 1].lf & LX_ARTICLE);
    for (int w = 0; j < n && w < 3 + art; j++, w++) {
        const tok *t = &d->t[j];
        if (t->flags & (TF_INQUOTE | TF_SENT)) break;
        if (art && head < 0 && (t->kind == TK_NUM || (t->kind == TK_WORD && (t->flags & TF_CAP)))) continue;
        if (t->kind != TK_WORD || (t->flags & TF_CAP)) break;
        if (t->lf & (LX_CUE | LX_FUNC | LX_PRONOUN | LX_DET | LX_ATTR | LX_TIME | LX_REPORT)) break;
        if (t->lf & LX_PERSON) head = j;
    }
    if (head < 0) {
        /* "Patriots defensive end Trey Flowers": an organisation's name,
         * a few lower-case words (a position the lists do not know), then
         * a name. */
        if (art || m->entity < 0 || j == m->last + 1) return 0;
        if (!(j < n && name_token(d, j) && !(d->t[j].flags & TF_SENT) && d->t[j].ment >= 0 &&
              d->m[d->t[j].ment].entity >= 0 && d->ent[d->m[d->t[j].ment].entity].person))
            return 0;
        if (d->ent[m->entity].org || d->ent[m->entity].maybe_org) return 1;
        /* With the parse: nouns and adjectives between the names ("Atlanta
         * Falcons safety Ricardo Allen"), no verb ("Federer beat Rafael
         * Nadal"). */
        if (!d->has_syn) return 0;
        for (int32_t x = m->last + 1; x < j; x++)
            if (d->syn[x].upos != SAYSO_NOUN && d->syn[x].upos != SAYSO_ADJ) return 0;
        return 1;
    }
    if (art) return 1;
    return head + 1 < n && name_token(d, head + 1) && !(d->t[head + 1].flags & TF_SENT);
}

int32_t sayso_name_ending(const doc *d, int32_t k)
{
    if (k < 0 || (size_t)k >= d->nt || d->t[k].kind != TK_WORD) return -1;
    /* Mentions are indexed by their first token: a name is a few words. */
    for (int32_t j = k, n = 0; j >= 0 && n < 6; j--, n++) {
        int32_t x = d->t[j].ment;
        if (x < 0) continue;
        const mention *m = &d->m[x];
        return m->kind == MK_NAME && m->last == k && m->entity >= 0 ? x : -1;
    }
    return -1;
}

int32_t sayso_named_org(const doc *d, int32_t k)
{
    if (k < 0 || (size_t)k >= d->nt || d->t[k].kind != TK_WORD || (d->t[k].flags & TF_CAP) ||
        (d->t[k].lf & (LX_PERSON | LX_FUNC | LX_PRONOUN)))
        return -1;
    int32_t e = emap_find(d, k, KEY_LAST);
    return e >= 0 && d->ent[e].org && nwords(d, d->ent[e].name_first, d->ent[e].name_last) >= 2 ? e : -1;
}

int sayso_modifies_person(const doc *d, const mention *m)
{
    return modifies_person(d, m);
}

static int32_t fronted_clause_end(const doc *d, int32_t k);

int32_t sayso_fronted_clause_end(const doc *d, int32_t k)
{
    return fronted_clause_end(d, k);
}

/* Whether pronoun k is the subject of a cue set off by commas inside a
 * sentence: ", he said," */
static int parenthetical_cue(const doc *d, int32_t k)
{
    return k > 0 && tok_is(d, k - 1, ',') && (size_t)k + 2 < d->nt && (d->t[k + 1].lf & LX_CUE) &&
           tok_is(d, k + 2, ',') && !(d->t[k].flags & TF_SENT);
}

/* The entity before token k that fits w: the most recent sentence subject
 * (first mention of a sentence) within the last three sentences, else the
 * most recent fitting mention at all. Subjects first because news keeps
 * its topic in subject position: in "Dev praised his wife, the mother
 * of their son, Sami. He wrote:" he is Dev, not Sami. A description
 * is never someone already named in its own sentence: in "with the talk-show
 * host opening the night, followed by a set by the singer", the singer
 * is not the host. Looks back a bounded number of mentions, which
 * keeps long articles linear. */
static int32_t recent_fit(const doc *d, int32_t k, const wanted *w)
{
    int32_t i = mention_before(d, k), steps = 0;
    int32_t recent = -1, fallback = -1, subject_fallback = -1;
    int32_t ksent = (size_t)k < d->nt ? d->t[k].sent : 0;
    int32_t excl[8];
    int nexcl = 0;
    if (!w->same_sentence)
        for (int32_t j = i; j >= 0 && nexcl < 8 && d->m[j].sent == ksent; j--)
            if (d->m[j].entity >= 0) excl[nexcl++] = d->m[j].entity;
    /* "Kerry, he said, have been a force": the name before a cue set off
     * by commas is what the words are about, not who said them. */
    if ((size_t)k < d->nt && parenthetical_cue(d, k) && i >= 0 && d->m[i].last == k - 2 && d->m[i].entity >= 0 &&
        nexcl < 8)
        excl[nexcl++] = d->m[i].entity;
    for (; i >= 0 && steps < 200; i--, steps++) {
        const mention *m = &d->m[i];
        int32_t msent = m->sent;
        if (recent >= 0 && ksent - msent > 2) break;
        if (m->entity < 0) continue;
        if (m->modifier) continue;
        int skip = 0;
        for (int x = 0; x < nexcl && !skip; x++) skip = excl[x] == m->entity;
        if (skip) continue;
        const entity *e = &d->ent[m->entity];
        if (!age_fits(e, w->age)) continue;
        if (w->named && e->name_first < 0) continue;
        if (compatible(e, w->gender)) {
            int subject = m->subject;
            if (subject && ksent - msent <= 2) return m->entity;
            if (recent < 0) recent = m->entity;
            continue;
        }
        /* A name of unknown gender that is not known to be a person is the
         * fallback for he/she when nobody of the right gender was named. */
        if (fallback < 0 && (w->gender == G_MALE || w->gender == G_FEMALE) && e->gender == G_UNKNOWN && !e->org &&
            m->kind == MK_NAME && nwords(d, e->name_first, e->name_last) >= 2)
            fallback = m->entity;
        /* A one-word name may be a place or a team ("Kerry"), unless it
         * is the subject of a recent sentence: "Clinton leaned in,
         * painting Trump as … She started". */
        if (subject_fallback < 0 && (w->gender == G_MALE || w->gender == G_FEMALE) && e->gender == G_UNKNOWN &&
            !e->org && !e->maybe_org && m->kind == MK_NAME && m->subject && ksent - msent <= 1)
            subject_fallback = m->entity;
    }
    return recent >= 0 ? recent : fallback >= 0 ? fallback : subject_fallback;
}

static int32_t recent_entity(const doc *d, int32_t k, uint8_t g)
{
    wanted w = { g, -1, 1, 0 };
    return recent_fit(d, k, &w);
}

/* A stated age: "41-year-old" gives 41, anything else -1. */
static int16_t age_of_word(const doc *d, int32_t k)
{
    if (k < 0 || (size_t)k >= d->nt || d->t[k].kind != TK_WORD || !(d->t[k].flags & TF_HYPHEN)) return -1;
    const char *s = d->text + d->t[k].b;
    size_t n = d->t[k].e - d->t[k].b, i = 0;
    int v = 0;
    while (i < n && i < 3 && s[i] >= '0' && s[i] <= '9') v = v * 10 + (s[i++] - '0');
    if (i == 0 || v == 0 || v > 125) return -1;
    static const char tail[] = "-year-old";
    if (n - i != sizeof tail - 1) return -1;
    for (size_t j = 0; j < sizeof tail - 1; j++) {
        char c = s[i + j];
        if (c >= 'A' && c <= 'Z') c = (char)(c + 32);
        if (c != tail[j]) return -1;
    }
    return (int16_t)v;
}

static int is_determiner(const doc *d, int32_t k);

/* Whether two descriptions say the same words after their determiners. */
static int same_words(const doc *d, const mention *x, const mention *y)
{
    int32_t a = x->first + is_determiner(d, x->first), b = y->first + is_determiner(d, y->first);
    if (x->last - a != y->last - b) return 0;
    for (int32_t i = 0; a + i <= x->last; i++)
        if (d->t[a + i].kind != d->t[b + i].kind || !word_eq(d, a + i, b + i)) return 0;
    return 1;
}

/* The entity a description refers to when nothing ties it to a name: one
 * the article already described by the same head word or the same age
 * ("the singer" again, "the 41-year-old"), else the most recent fitting
 * entity, of the right gender and not of another stated age ("the
 * 34-year-old model" is not the man the article called 41). */
/* Whether, between an earlier description x and m with the same head
 * ("the athlete" ... "The athlete said"), m's own paragraph has named
 * another person as the subject of the sentence before m, when x is in an
 * earlier paragraph: then the paragraph's subject is the better reading. */
static int subject_between(const doc *d, const mention *x, const mention *m)
{
    int32_t mp = d->t[m->first].para, ms = d->t[m->first].sent;
    if (d->t[x->first].para == mp) return 0;
    for (int32_t i = mention_before(d, m->first), n = 0; i >= 0 && n < 24; i--, n++) {
        const mention *y = &d->m[i];
        if (d->t[y->first].para != mp || y->sent < ms - 1) break;
        if (y->sent == ms - 1 && y->subject && y->entity >= 0 && y->entity != x->entity &&
            d->ent[y->entity].person && d->ent[y->entity].name_first >= 0)
            return 1;
    }
    return 0;
}

static int32_t resolve_desc(const doc *d, const mention *m)
{
    /* Does a name stand among the description's modifiers ("the Chicago
     * rhymer", "the former New Mexico governor")? */
    int proper = 0;
    for (int32_t k = m->first + 1; k < m->head; k++) {
        const sayso_lex *lx = tok_lex(d, &d->t[k]);
        if (name_token(d, k) && !(d->t[k].flags & TF_SENT) && !(lx && lx->channel)) proper = 1;
    }
    int32_t i = mention_before(d, m->first);
    for (int steps = 0; i >= 0 && steps < 40; i--, steps++) {
        const mention *x = &d->m[i];
        if (x->entity < 0 || x->first >= m->first) continue;
        /* "Dr. Ife Banjo" … "the doctor"; "former Congresswoman Diane
         * Whitlock" … "the former congresswoman". */
        if (x->kind == MK_NAME && x->head >= 0 && m->head >= 0 && m->age < 0 && title_names(d, x->head, m->head))
            return x->entity;
        if (x->kind != MK_DESC) continue;
        if (m->age >= 0 && x->age == m->age) return x->entity;
        /* A title as head ("the president", "the secretary") may be
         * anyone's; it names the same person only in the same words. */
        /* "the Brooklyn rhymer" is not "the Leeds rapper": with a name
         * among the modifiers, only the same words are the same person. */
        if (m->age < 0 && m->head >= 0 && x->head >= 0 && word_eq(d, x->head, m->head) &&
            (!(tok_lexflags(d, m->head) & LX_TITLE) || same_words(d, x, m)) && (!proper || same_words(d, x, m)) &&
            !subject_between(d, x, m))
            return x->entity;
    }
    /* "the Grammy winner" after "Kessler won a Grammy": a name among the
     * description's modifiers points to the subject of the sentence that
     * last named it, when that was three paragraphs ago at most ("the
     * four-time NBA champion" is not whoever spoke of the NBA five
     * paragraphs before). Bounded look-back over mentions, not tokens. */
    int32_t mpara = d->t[m->first].para;
    for (int32_t k = m->first + 1; k < m->head; k++) {
        int32_t x = d->t[k].ment;
        if (x < 0 || d->m[x].kind != MK_NAME || d->m[x].entity < 0 || (d->t[k].flags & TF_SENT)) continue;
        int32_t named = d->m[x].entity;
        for (int32_t j = x - 1, steps = 0; j >= 0 && steps < 80; j--, steps++) {
            if (d->m[j].entity != named || d->m[j].kind != MK_NAME) continue;
            int32_t sent = d->m[j].sent;
            if (d->t[d->m[j].first].para < mpara - 3) break;
            for (int32_t c = j; c >= 0 && d->m[c].sent == sent; c--)
                if (d->m[c].subject && d->m[c].entity >= 0 && d->m[c].entity != named &&
                    compatible(&d->ent[d->m[c].entity], m->gender))
                    return d->m[c].entity;
            break;
        }
    }
    /* "the former New Mexico governor", "the Democratic nominee": a
     * description that names a place or a party identifies someone the
     * nearest person need not be; without a match above, only the subject
     * of the sentence just before, which such an epithet picks up in
     * celebrity and sports news ("Quill blasted Okafor … The Leeds rapper
     * tweeted"), and no guess further back. A platform ("the Twitter
     * queen") identifies nobody. */
    if (proper) {
        int32_t ksent = d->t[m->first].sent;
        for (int32_t j = mention_before(d, m->first), steps = 0; j >= 0 && steps < 40; j--, steps++) {
            const mention *x = &d->m[j];
            if (x->sent < ksent - 1) break;
            if (x->sent == ksent - 1 && x->subject && x->entity >= 0 &&
                compatible(&d->ent[x->entity], m->gender) && age_fits(&d->ent[x->entity], m->age)) {
                /* "The comedian stepped in to praise the Lakers legend": not
                 * whom its own sentence has already named. */
                int named = 0;
                for (int32_t c = mention_before(d, m->first), n = 0; c >= 0 && n < 16 && d->m[c].sent == ksent && !named;
                     c--, n++)
                    named = d->m[c].entity == x->entity;
                if (named) return -1;
                return x->entity;
            }
        }
        return -1;
    }
    if (m->age >= 0) {
        /* An age given in apposition ("Teigen, 34,"). */
        for (int32_t e = (int32_t)d->nent - 1, n = 0; e >= 0 && n < 64; e--, n++)
            if (d->ent[e].age == m->age && d->ent[e].last_seen < m->first && compatible(&d->ent[e], m->gender))
                return e;
    }
    /* "Prince Harry's decision ... as the Duke of Sussex announced": a
     * title of a place names the person of its own sentence too. */
    int peer = m->head >= 0 && tok_word_eq(d, m->head + 1, "of") && peer_place(d, m->head + 2);
    wanted w = { m->gender, m->age, peer, 1 };
    return recent_fit(d, m->first, &w);
}

/* The description mention of the pass that covers token k, or NULL. */
static const mention *desc_mention_at(const doc *d, int32_t k)
{
    int32_t i = mention_before(d, k + 1);
    for (int n = 0; i >= 0 && n < 4; i--, n++) {
        const mention *x = &d->m[i];
        if (x->kind == MK_DESC && x->head >= 0 && x->first <= k && k <= x->last) return x;
    }
    return NULL;
}

int32_t sayso_resolve(const doc *d, const mention *m)
{
    if (m->kind == MK_NAME || m->kind == MK_ORG) {
        if (m->name_first < 0) return -1;
        if (is_handle(d, m->name_first)) return handle_entity(d, m->name_first);
        int32_t kl = key_last(d, m->name_first, m->name_last);
        int32_t e = emap_find_g(d, kl, KEY_LAST, m->gender);
        if (e < 0) e = emap_find_g(d, kl, KEY_FIRST, m->gender);
        if (e < 0 && nwords(d, m->name_first, kl) == 1) e = short_form_entity(d, kl, m->gender);
        if (e >= 0 && nwords(d, m->name_first, kl) >= 2 &&
            !word_eq(d, d->ent[e].name_first, m->name_first) && !word_in_name(d, m->name_first, &d->ent[e]) &&
            nwords(d, d->ent[e].name_first, d->ent[e].name_last) >= 2)
            e = -1;
        return e;
    }
    if (m->kind == MK_PRONOUN) {
        if (m->gender == G_MALE || m->gender == G_FEMALE) return recent_entity(d, m->first, m->gender);
        return -1; /* they, we, I: groups and first persons stay unnamed */
    }
    /* Descriptions: the pass below has already tied most of them to their
     * entity; a noun phrase that the pass did not see gets the same rules. */
    if (m->gender == G_PLURAL || m->gender == G_NEUTER) return -1;
    const mention *x = desc_mention_at(d, m->last);
    if (x) return x->entity;
    mention tmp = *m;
    for (int32_t k = m->first; k <= m->last; k++) {
        int16_t a = age_of_word(d, k);
        if (a >= 0) { tmp.age = a; tmp.head = k; }
        else if (tok_lexflags(d, k) & LX_PERSON) tmp.head = k;
    }
    return resolve_desc(d, &tmp);
}

/* ---- descriptions ------------------------------------------------------ */

static int is_number_word(const doc *d, int32_t k)
{
    static const char *const w[] = { "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
                                     "ten", "eleven", "twelve", NULL };
    if (d->t[k].kind == TK_NUM) return 1;
    for (int i = 0; w[i]; i++)
        if (tok_word_eq(d, k, w[i])) return 1;
    return 0;
}

/* Whether word k ends like a verb or an adverb (-s, -ed, -ing, -ly). */
static int ends_with_any(const doc *d, int32_t k)
{
    const char *w = d->text + d->t[k].b;
    size_t n = d->t[k].e - d->t[k].b;
    if (n >= 3 && w[n - 1] == 's') return 1;
    if (n >= 4 && w[n - 2] == 'e' && w[n - 1] == 'd') return 1;
    if (n >= 4 && w[n - 2] == 'l' && w[n - 1] == 'y') return 1;
    return n >= 5 && w[n - 3] == 'i' && w[n - 2] == 'n' && w[n - 1] == 'g';
}

/* A description at token k: "the singer", "a spokeswoman for Vantix",
 * "the 41-year-old model", "the momma of two", "the former secretary of
 * state"; without a determiner when det is 0 ("senior associate at the
 * Harbor Institute" after "Kim,"). Sets the words w0..w1 (no
 * determiner), the head noun and the age. */
static int desc_at(const doc *d, int32_t k, int det, int32_t *w0, int32_t *w1, int32_t *head, int16_t *age)
{
    int32_t n = (int32_t)d->nt, j = det ? k + 1 : k, h = -1, stop = j + 5;
    int16_t a = -1;
    for (; j < n && j < stop; j++) {
        const tok *t = &d->t[j];
        if ((t->flags & TF_INQUOTE) || (t->kind != TK_WORD && t->kind != TK_NUM)) break;
        if (j > k && (t->flags & TF_SENT)) break;
        uint32_t f = tok_lexflags(d, j);
        if (f & (LX_CUE | LX_PRONOUN | LX_FUNC)) break;
        int16_t ag = age_of_word(d, j);
        if (ag >= 0) { a = ag; h = j; continue; }
        if ((f & LX_PERSON) && !(t->flags & TF_ALLCAPS)) {
            h = j;
            if (t->flags & TF_POSS) break;
            /* "the celebrity site": a person noun that modifies the plain
             * noun after it is no head. Verbs after a head ("the singer
             * releases", "the mayor agreed") are let through by form. */
            if (j + 1 < n && d->t[j + 1].kind == TK_WORD && !(d->t[j + 1].flags & (TF_CAP | TF_INQUOTE)) &&
                !(d->t[j + 1].lf & (LX_FUNC | LX_CUE | LX_PRONOUN | LX_PERSON | LX_TIME)) && !ends_with_any(d, j + 1))
                return 0;
            continue;
        }
        if (h >= 0) break; /* "the singer John Legend": the name is next */
        if (!det && (t->flags & TF_CAP)) return 0;
    }
    if (h < 0) return 0;
    int32_t end = h;
    if (!(d->t[h].flags & TF_POSS) &&
        (tok_word_eq(d, h + 1, "of") || tok_word_eq(d, h + 1, "for"))) {
        int32_t x = h + 2;
        if (x < n && tok_word_eq(d, x, "the")) x++;
        if (x < n && !(d->t[x].flags & (TF_INQUOTE | TF_SENT))) {
            if (is_number_word(d, x) || tok_word_eq(d, x, "state")) end = x;
            else if (name_token(d, x)) {
                /* "at the Center of Media Justice": a capitalised run,
                 * with "of", "and", "for" inside. */
                int32_t y = x, last = x;
                while (y < n && y < x + 8) {
                    if (name_token(d, y) && !(d->t[y].flags & TF_SENT)) { last = y++; continue; }
                    if ((tok_word_eq(d, y, "of") || tok_word_eq(d, y, "and") || tok_word_eq(d, y, "for") ||
                         tok_word_eq(d, y, "the")) && name_token(d, y + 1)) { y++; continue; }
                    if (tok_is(d, y, '.') && (d->t[y].flags & TF_NOEND)) { y++; continue; }
                    break;
                }
                end = last;
            } else {
                /* "a spokeswoman for the campaign,": a short lower-case
                 * phrase, when punctuation closes it. */
                int32_t y = x;
                while (y < n && y < x + 4 && d->t[y].kind == TK_WORD && !(d->t[y].flags & (TF_CAP | TF_INQUOTE)) &&
                       !(tok_lexflags(d, y) & (LX_CUE | LX_PRONOUN | LX_FUNC)))
                    y++;
                if (y > x && y < n && d->t[y].kind == TK_PUNCT &&
                    (d->t[y].ch == ',' || d->t[y].ch == '.' || d->t[y].ch == ';' || d->t[y].ch == ')'))
                    end = y - 1;
            }
        }
    }
    *w0 = det ? k + 1 : k;
    *w1 = end;
    *head = h;
    *age = a;
    return 1;
}

/* Index of the name mention among the first n1 mentions that ends at token
 * k, or -1 (pass 1 leaves them sorted). */
static int32_t name_ending(const doc *d, size_t n1, int32_t k)
{
    size_t lo = 0, hi = n1;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (d->m[mid].first <= k) lo = mid + 1; else hi = mid;
    }
    if (lo > 0) {
        const mention *m = &d->m[lo - 1];
        if (m->kind == MK_NAME && m->last == k && m->entity >= 0) return (int32_t)(lo - 1);
    }
    /* Pass 2 appends in token order: "Okoro, a two-term city councilman,"
     * where Okoro opens the sentence. */
    for (size_t i = d->nm; i > n1 && i > d->nm - 3; i--) {
        const mention *m = &d->m[i - 1];
        if (m->kind == MK_NAME && m->last == k && m->entity >= 0) return (int32_t)(i - 1);
    }
    return -1;
}

/* The name mention an apposition at token k hangs on: "Teigen, 34,",
 * "Rydell, a top adviser,", "Ana Ortiz (D-Ore.), a committee
 * member,". Returns its entity or -1. */
static int32_t apposition_of(const doc *d, size_t n1, int32_t k)
{
    int32_t c = k - 1;
    if (c < 1 || !tok_is(d, c, ',')) return -1;
    int32_t p = c - 1;
    /* "Walter Brigham, 61, a retired ferry mechanic," */
    if (d->t[p].kind == TK_NUM && p >= 2 && tok_is(d, p - 1, ',') && d->t[p].e - d->t[p].b <= 3) p -= 2;
    if (tok_is(d, p, ')')) {
        int32_t j = p - 1;
        while (j > 0 && j > p - 10 && !tok_is(d, j, '(')) j--;
        if (!tok_is(d, j, '(')) return -1;
        p = j - 1;
    }
    int32_t mi = p >= 0 ? name_ending(d, n1, p) : -1;
    return mi >= 0 ? d->m[mi].entity : -1;
}

/* An apposition ends the phrase: "Legend, the singer, said", "…, the
 * singer." A description followed by its verb ("In a letter to Smith, a
 * spokesman said") is the subject of its own clause instead. */
static int closes_apposition(const doc *d, int32_t k)
{
    if ((size_t)k >= d->nt || (d->t[k].flags & TF_SENT)) return 1;
    if (d->t[k].kind == TK_PUNCT) return d->t[k].ch == ',' || d->t[k].ch == '.' || d->t[k].ch == ';' ||
                                         d->t[k].ch == ')' || d->t[k].ch == ':';
    /* "Lind, a council member since 2009," "Kim, the director at the
     * Harbor Trust": the apposition goes on with a phrase. */
    return tok_word_eq(d, k, "who") || tok_word_eq(d, k, "and") || tok_word_eq(d, k, "since") ||
           tok_word_eq(d, k, "at") || tok_word_eq(d, k, "in") || tok_word_eq(d, k, "from");
}

static int add_desc(doc *d, int32_t ent, int32_t w0, int32_t w1)
{
    entity *e = &d->ent[ent];
    if (e->ndesc >= 12) return 0; /* enough to describe anyone; bounds memory */
    edesc *x = DOC_PUSH(d->desc, d->ndesc, d->capdesc);
    if (!x) return -1;
    x->ent = ent;
    x->first = w0;
    x->last = w1;
    e->ndesc++;
    return 0;
}

/* Descriptions written before a name: "Singer Mara Quill", "tennis player
 * Sasha Brenner", "Republican nominee Ana Ortiz" (not bare titles such as
 * "Sen." or "Mr."). */
static int prename_desc(doc *d, const mention *m)
{
    if (m->entity < 0 || m->name_first < 0) return 0;
    int32_t end = m->name_first - 1, b = m->first;
    while (end >= b && tok_is(d, end, '.')) end--;
    if (end < b || !(tok_lexflags(d, end) & LX_PERSON)) {
        /* Lower-case words before the mention: "commuter Bea Lindqvist". */
        if (m->first != m->name_first) return 0;
        end = m->first - 1;
        if (end < 0 || !(tok_lexflags(d, end) & LX_PERSON) || (d->t[end].flags & (TF_CAP | TF_INQUOTE))) return 0;
        b = end + 1;
    }
    while (b - 1 >= 0 && b > end - 2 && d->t[b - 1].kind == TK_WORD && !(d->t[b].flags & TF_SENT) &&
           !(d->t[b - 1].flags & (TF_CAP | TF_INQUOTE)) &&
           !(tok_lexflags(d, b - 1) & (LX_FUNC | LX_CUE | LX_PRONOUN)))
        b--;
    /* Titles in front ("Sen.", "Mr.") are forms of address, not descriptions. */
    while (b < end && (tok_lexflags(d, b) & LX_TITLE) && !(tok_lexflags(d, b) & LX_PERSON)) {
        b++;
        if (tok_is(d, b, '.')) b++;
    }
    if (b - 1 >= 0 && is_determiner(d, b - 1)) return 0; /* the description pass has it */
    return add_desc(d, m->entity, b, end);
}

/* ---- the mention pass -------------------------------------------------- */
/* ---- the mention pass -------------------------------------------------- */

/* "After receiving the cup from Christy Cooney, captain Bryan Cullen
 * praised ...", "Disagreeing with the 80-year-old, Goldman shot back":
 * a sentence that opens with a subordinate or participle clause has its
 * subject after the clause's comma. Returns that comma's token for the
 * sentence of token k, or -1. */
static int32_t fronted_clause_end(const doc *d, int32_t k)
{
    int32_t n = (int32_t)d->nt;
    if (k < 0 || k >= n) return -1;
    int32_t s = d->sent[d->t[k].sent].first;
    if (d->t[s].kind != TK_WORD || (d->t[s].flags & TF_INQUOTE)) return -1;
    /* Asked once per sentence: most sentences open with no function word
     * and no -ing word, and are done here. */
    size_t len0 = d->t[s].e - d->t[s].b;
    if (!(d->t[s].lf & LX_FUNC) && !(len0 > 3 && d->text[d->t[s].e - 1] == 'g') &&
        !(memchr("AaUuOoWwLl", d->text[d->t[s].b], 10) &&
          (tok_word_eq(d, s, "amid") || tok_word_eq(d, s, "unlike") || tok_word_eq(d, s, "once") ||
           tok_word_eq(d, s, "whilst") || tok_word_eq(d, s, "later"))))
        return -1;
    /* "However, speaking to Brendan O'Connor, the singer said" */
    static const char *const links[] = { "however", "but", "and", "meanwhile", "still", "later", "then", "yet",
                                         "instead", "now", NULL };
    for (int i = 0; links[i]; i++)
        if (tok_word_eq(d, s, links[i])) {
            s += tok_is(d, s + 1, ',') ? 2 : 1;
            break;
        }
    if (s >= n || d->t[s].kind != TK_WORD) return -1;
    static const char *const openers[] = { "after", "before", "while", "when", "following", "despite", "since",
                                           "although", "though", "upon", "unlike", "during", "amid", "once",
                                           "whilst", "having", "if", NULL };
    int open = 0;
    for (int i = 0; openers[i] && !open; i++) open = tok_word_eq(d, s, openers[i]);
    size_t len = d->t[s].e - d->t[s].b;
    if (!open && len > 5 && !(d->t[s].lf & (LX_FIRSTNAME | LX_PERSON | LX_TITLE)) &&
        memcmp(d->text + d->t[s].e - 3, "ing", 3) == 0 && memcmp(d->text + d->t[s].e - 5, "thing", 5) != 0 &&
        !tok_is(d, s + 1, ','))
        open = 1; /* "Speaking to reporters, ..." */
    if (!open) return -1;
    for (int32_t j = s + 1; j < n && j < s + 40; j++) {
        if (d->t[j].flags & TF_SENT) return -1;
        if (d->t[j].flags & TF_INQUOTE) continue;
        if (tok_is(d, j, ',')) return j;
    }
    return -1;
}

int sayso_find_mentions(doc *d)
{
    d->nm = d->nent = d->nemap = 0;
    /* A new generation empties the map; generation 0 is never used, so the
     * zeroed slots of a new map are empty too. */
    if (++d->emapgen == 0) {
        if (d->emapcap) memset(d->emap, 0, d->emapcap * sizeof *d->emap);
        d->emapgen = 1;
    }
    int32_t n = (int32_t)d->nt;

    /* Pass 1: multi-word names and names not at a sentence start. One-word
     * names at a sentence start wait for pass 2: "Watching" is not a name,
     * "Legend" is when "John Legend" is in the article. */
    for (int32_t k = 0; k < n; k++) {
        tok *t = &d->t[k];
        if (t->flags & TF_INQUOTE || t->kind != TK_WORD) continue;
        if (!(t->flags & TF_CAP) && !(k > 0 && d->t[k - 1].ch == '@')) continue;
        if (!is_title_at(d, k) && !name_token(d, k)) continue;
        int32_t nf, nl;
        uint8_t tg;
        int32_t end = scan_name(d, k, n - 1, &nf, &nl, &tg);
        if (nf < 0) { k = end > k ? end - 1 : k; continue; }
        int words = nwords(d, nf, nl);
        int initial = (d->t[k].flags & TF_SENT) && nf == k;
        if (descriptive_only(d, nf, nl)) { k = end - 1; continue; }
        if (words == 1 && initial && !(tok_lexflags(d, nf) & LX_FIRSTNAME)) { k = end - 1; continue; }
        if (peer_place(d, nf)) { k = end - 1; continue; }
        /* "Most Valuable Promotions", "The Weeknd": a capitalised small
         * word before a name, mid-sentence, is its first word. */
        if (nf == k && k > 0 && (d->t[k - 1].flags & TF_CAP) && d->t[k - 1].kind == TK_WORD &&
            !(d->t[k - 1].flags & (TF_SENT | TF_ALLCAPS | TF_INQUOTE)) && (d->t[k - 1].lf & LX_FUNC) &&
            !(d->t[k - 1].lf & (LX_PRONOUN | LX_CALENDAR)) && d->t[k - 1].ment < 0 &&
            (k < 2 || d->t[k - 2].kind != TK_WORD || !(d->t[k - 2].flags & TF_CAP))) {
            k--;
            nf = k;
            words++;
        }
        int32_t e = link_name(d, nf, nl, tg);
        if (e < 0) return -1;
        for (int32_t j = k; j < nf && words == 1 && !d->ent[e].royal; j++)
            if (tok_lexflags(d, j) & LX_ROYAL) d->ent[e].royal = j + 1;
        if (add_mention(d, k, end - 1, nf, nl, MK_NAME, d->ent[e].gender, e) < 0) return -1;
        k = end - 1;
    }
    /* Pass 2: sentence-initial one-word names confirmed by pass 1, then
     * pronouns; mentions must end up in token order, so rebuild. */
    size_t n1 = d->nm;
    for (int32_t k = 0; k < n; k++) {
        tok *t = &d->t[k];
        if (t->flags & TF_INQUOTE || t->kind != TK_WORD) continue;
        /* Most words are none of what this pass looks for: one test. */
        if (!(t->flags & TF_SENT) && !(t->lf & (LX_PRONOUN | LX_DET)) && !(k > 0 && t[-1].ch == ',')) continue;
        if ((t->flags & TF_SENT) && (t->flags & TF_CAP) && t->ment < 0 && name_token(d, k) &&
            !name_token(d, k + 1) && !descriptive_only(d, k, k)) {
            int32_t e = emap_find(d, k, KEY_LAST);
            if (e < 0) e = emap_find(d, k, KEY_FIRST);
            if (e < 0) e = short_form_entity(d, k, G_UNKNOWN);
            if (e >= 0) {
                d->ent[e].nmentions++;
                if (add_mention(d, k, k, k, k, MK_NAME, d->ent[e].gender, e) < 0) return -1;
            }
            continue;
        }
        if ((t->lf & LX_PRONOUN) && t->ment < 0) {
            uint8_t g = tok_lex(d, t)->pron_gender;
            if (add_mention(d, k, k, -1, -1, MK_PRONOUN, g, -1) < 0) return -1;
            if (!is_possessive_pronoun(d, k)) continue;
        }
        /* Descriptions, tied to a name when they stand in apposition to
         * it ("Legend, the singer,") or right before it ("the singer John
         * Legend"); the others are resolved in order below. */
        uint32_t lf = t->lf;
        /* (Only a comma token has ',' for its first character.) */
        if (!(lf & LX_DET) && !(k > 0 && t[-1].ch == ',')) continue;
        int det = (lf & LX_ARTICLE) != 0;
        /* "her longtime engineer, Íñigo Peñalver-Ruiz,": a possessive
         * determiner only with the name it announces (below). */
        int poss = !det && is_possessive_pronoun(d, k);
        det |= poss;
        int32_t appo = -1;
        if (!det && k > 0 && tok_is(d, k - 1, ',') && !(t->flags & TF_CAP) && !(tok_lexflags(d, k) & LX_FUNC))
            appo = apposition_of(d, n1, k);
        if (det || appo >= 0) {
            int32_t w0, w1, h;
            int16_t age;
            if (!desc_at(d, k, det, &w0, &w1, &h, &age)) continue;
            uint8_t g = (d->t[h].lf & LX_PERSON) ? tok_lex(d, &d->t[h])->noun_gender : G_UNKNOWN;
            if (g == G_PLURAL || g == G_NEUTER) { k = w1; continue; }
            int32_t e = -1;
            if (det && closes_apposition(d, w1 + 1)) e = apposition_of(d, n1, k);
            else if (!det) e = closes_apposition(d, w1 + 1) ? appo : -1;
            if (!det && e < 0) continue;
            if (e < 0 && w1 == h && d->t[h + 1].ment >= 0 && d->m[d->t[h + 1].ment].kind == MK_NAME)
                e = d->m[d->t[h + 1].ment].entity; /* "the singer John Legend" */
            /* "The chair of the prize jury, Søren Åberg-Holm, said" */
            if (e < 0 && tok_is(d, w1 + 1, ',')) {
                /* ", Søren Åberg-Holm," or ", the television host Marcus
                 * Dale," (a description before the name, lower case). */
                int32_t x = w1 + 2;
                if ((size_t)x < d->nt && (d->t[x].lf & LX_ARTICLE))
                    for (int32_t y = x + 1; (size_t)y < d->nt && y < x + 5; y++)
                        if (d->t[y].ment >= 0 || d->t[y].kind != TK_WORD || (d->t[y].flags & TF_CAP)) { x = y; break; }
                if ((size_t)x < d->nt && d->t[x].ment >= 0 && d->m[d->t[x].ment].kind == MK_NAME) {
                    const mention *nm = &d->m[d->t[x].ment];
                    if (closes_apposition(d, nm->last + 1) || (tok_lexflags(d, nm->last + 1) & LX_CUE)) e = nm->entity;
                }
            }
            if (poss && e < 0) continue;
            if (add_mention(d, poss ? w0 : k, w1, -1, -1, MK_DESC, g, e) < 0) return -1;
            d->m[d->nm - 1].head = h;
            d->m[d->nm - 1].age = age;
            k = w1;
            continue;
        }
    }
    if (d->nm > n1) {
        /* Merge the two sorted runs (pass 1, pass 2) into token order. */
        size_t total = d->nm;
        mention *tmp = malloc(total * sizeof *tmp);
        if (!tmp) return -1;
        size_t a = 0, b = n1, o = 0;
        while (a < n1 || b < total) {
            if (b >= total || (a < n1 && d->m[a].first < d->m[b].first)) tmp[o++] = d->m[a++];
            else tmp[o++] = d->m[b++];
        }
        memcpy(d->m, tmp, total * sizeof *tmp);
        free(tmp);
        for (size_t i = 0; i < total; i++) d->t[d->m[i].first].ment = (int32_t)i;
    }

    /* The subject of each sentence: its first mention that is not a
     * possessive ("Marsh's mother, Diane Whitlock, introduced": Whitlock). */
    int32_t fronted_end = -1; /* the comma that closes a fronted clause */
    int32_t first_poss = -1;  /* the sentence's first possessive name */
    for (size_t i = 0, seen = 0; i < d->nm; i++) {
        mention *m = &d->m[i];
        if (i == 0 || m->sent != d->m[i - 1].sent) {
            seen = 0;
            first_poss = -1;
            fronted_end = fronted_clause_end(d, m->first);
        }
        m->subject = 0;
        m->modifier = (uint8_t)modifies_person(d, m);
        if (m->first >= fronted_end) {
            /* (nor "it": "But it was Rohan's own reply that ...") */
            int poss = (d->t[m->last].flags & TF_POSS) ||
                       (m->kind == MK_PRONOUN && is_possessive_pronoun(d, m->first)) || m->modifier ||
                       (m->kind == MK_PRONOUN && m->gender == G_NEUTER);
            m->subject = !seen && !poss;
            if (!poss) seen = 1;
            if (first_poss < 0 && m->kind == MK_NAME && (d->t[m->last].flags & TF_POSS)) first_poss = (int32_t)i;
        }
        /* A sentence whose people are all possessors ("But it was
         * Rohan's own reply that got the most likes") is about its first
         * one. */
        if ((i + 1 == d->nm || d->m[i + 1].sent != m->sent) && !seen && first_poss >= 0) d->m[first_poss].subject = 1;
    }
    /* The fullest name may be given only inside a quotation: "Rohan"
     * everywhere in the text, "why Rohan Batra is suddenly everywhere" in a
     * post. A person known by one word takes the two or three capitalised
     * words inside quotation marks that start with it. */
    for (int32_t k = 0; k + 1 < n; k++) {
        const tok *t = &d->t[k];
        if (!(t->flags & TF_INQUOTE) || !(t->flags & TF_CAP) || t->kind != TK_WORD || (t->flags & TF_POSS)) continue;
        if (!(d->t[k + 1].flags & TF_INQUOTE) || !name_token(d, k) || !name_token(d, k + 1) ||
            (d->t[k + 1].flags & TF_SENT) || (d->t[k].lf & (LX_TITLE | LX_PERSON)))
            continue;
        int32_t e = emap_find(d, k, KEY_FIRST);
        if (e < 0) continue;
        entity *x = &d->ent[e];
        if (x->org || nwords(d, x->name_first, x->name_last) != 1 || x->name_first == k) continue;
        int32_t l = k + 1;
        if (l + 1 < n && (d->t[l + 1].flags & TF_INQUOTE) && name_token(d, l + 1) && !(d->t[l].flags & TF_POSS)) l++;
        x->name_first = k;
        x->name_last = l;
        x->name_key = key_last(d, k, l);
        x->person = 1; /* a first and a last name, as link_name takes them */
        if (emap_put(d, word_hash(d, x->name_key, KEY_LAST), e) < 0) return -1;
        k = l;
    }
    /* Ages in apposition: "Chrissy Teigen, 34,", "Scott (69)". */
    for (size_t i = 0; i < d->nm; i++) {
        const mention *m = &d->m[i];
        if (m->kind != MK_NAME || m->entity < 0) continue;
        int32_t k = m->last + 1;
        if (!(tok_is(d, k, ',') || tok_is(d, k, '(')) || (size_t)k + 2 >= d->nt || d->t[k + 1].kind != TK_NUM) continue;
        const tok *num = &d->t[k + 1];
        if (num->e - num->b > 3 || !(tok_is(d, k + 2, ',') || tok_is(d, k + 2, ')') || tok_is(d, k + 2, '.'))) continue;
        int v = 0;
        for (uint32_t b = num->b; b < num->e; b++) v = v * 10 + (d->text[b] - '0');
        if (v > 0 && v <= 125 && d->ent[m->entity].age < 0) d->ent[m->entity].age = (int16_t)v;
    }
    /* Gender from the article: a he/his or she/her right after a named
     * person (same or next sentence, nobody else named in between) votes
     * for that person's gender when no list or title has said. */
    for (size_t i = 1; i < d->nm; i++) {
        mention *m = &d->m[i];
        if (m->kind != MK_PRONOUN || (m->gender != G_MALE && m->gender != G_FEMALE)) continue;
        if (parenthetical_cue(d, m->first)) continue; /* "Kerry, he said, have been" */
        size_t pi = i - 1;
        while (pi > 0 && d->m[pi].kind == MK_DESC) pi--; /* "Legend, the singer, ... He" */
        mention *p = &d->m[pi];
        if (p->kind != MK_NAME || p->entity < 0) continue;
        if (m->sent - p->sent > 1) continue;
        /* Only a subject votes: the first mention of its sentence. */
        if (pi >= 1 && d->m[pi - 1].sent == p->sent) continue;
        entity *e = &d->ent[p->entity];
        /* A sentence that opens with the pronoun overrules the name
         * list's guess ("Ali Brennan ... Brennan told the newspaper. She
         * continued"): names are given to either sex. */
        int overrule = e->gender_weak && e->gender != m->gender && (d->t[m->first].flags & TF_SENT);
        if ((!e->gender || overrule) && !e->org) { e->gender = m->gender; e->person = 1; e->gender_weak = 0; }
    }
    /* Pronouns and descriptions resolved in order, each one becoming a
     * mention of its entity for the ones after it. */
    for (size_t i = 0; i < d->nm; i++) {
        mention *m = &d->m[i];
        if (m->kind == MK_NAME && m->entity >= 0) {
            d->ent[m->entity].last_seen = m->first;
            for (int32_t j = m->first; j < m->name_first; j++)
                if (tok_lexflags(d, j) & (LX_TITLE | LX_PERSON)) m->head = j;
            if (m->first < m->name_first || (m->first > 0 && (tok_lexflags(d, m->first - 1) & LX_PERSON)))
                if (prename_desc(d, m) < 0) return -1;
        }
        if (m->kind == MK_DESC) {
            /* "A spokeswoman for the singer", "a photographer outside the
             * hospital": an indefinite description brings in someone new,
             * nameless, whom "she said" may then refer to. */
            if (m->entity < 0 && (tok_word_eq(d, m->first, "a") || tok_word_eq(d, m->first, "an"))) {
                entity *x = DOC_PUSH(d->ent, d->nent, d->capent);
                if (!x) return -1;
                memset(x, 0, sizeof *x);
                x->name_first = x->name_last = x->name_key = -1;
                x->age = -1;
                x->person = 1;
                x->gender = m->gender == G_MALE || m->gender == G_FEMALE ? m->gender : G_UNKNOWN;
                m->entity = (int32_t)(x - d->ent);
            }
            if (m->entity < 0) m->entity = resolve_desc(d, m);
            if (m->entity < 0) continue;
            entity *e = &d->ent[m->entity];
            e->last_seen = m->first;
            e->person = 1;
            if (m->age >= 0 && e->age < 0) e->age = m->age;
            if ((m->gender == G_MALE || m->gender == G_FEMALE) && !e->gender) e->gender = m->gender;
            if (add_desc(d, m->entity, m->first + (is_determiner(d, m->first) ? 1 : 0), m->last) < 0) return -1;
            continue;
        }
        if (m->kind != MK_PRONOUN) continue;
        m->entity = sayso_resolve(d, m);
        /* What a pronoun found tells about its entity: "she" makes a person
         * of unknown gender female for the pronouns after it. Not from
         * inside a quotation, whose "he" is mostly someone the speaker
         * talks about: “If he is asked …,” she said. */
        if (m->entity >= 0 && (m->gender == G_MALE || m->gender == G_FEMALE) && !d->ent[m->entity].gender &&
            !(d->t[m->first].flags & TF_INQUOTE))
            d->ent[m->entity].gender = m->gender;
    }
    return 0;
}

/* ---- noun phrases around cues ----------------------------------------- */

static int is_skippable_adverb(const doc *d, int32_t k)
{
    static const char *const w[] = { "also", "later", "then", "previously", "once", "again", "recently", "first",
                                     "still", "just", "had", "has", "have", "would", "will", "did", "does", "do",
                                     "already", "further", "repeatedly", "subsequently", "separately", "simply",
                                     "even", "finally", "initially", "earlier", "quickly", "reportedly", "allegedly",
                                     "never", "often", "frequently", "publicly", "privately", "bluntly", "flatly",
                                     "has", "was", "is", "were", "are", "been", "be", "had", "not", "could", "may",
                                     "might", "should", "can", "must", "shall", "ultimately", "originally", NULL };
    if (d->t[k].kind != TK_WORD) return 0;
    size_t n = d->t[k].e - d->t[k].b;
    const char *s = d->text + d->t[k].b;
    if (!(d->t[k].flags & TF_CAP) && n > 4 && s[n - 2] == 'l' && s[n - 1] == 'y') return 1;
    for (int i = 0; w[i]; i++)
        if (tok_word_eq(d, k, w[i])) return 1;
    return 0;
}

static int is_determiner(const doc *d, int32_t k)
{
    return (tok_lexflags(d, k) & LX_DET) && !tok_word_eq(d, k, "your");
}

static uint8_t desc_gender(const doc *d, int32_t first, int32_t last, int *person)
{
    uint8_t g = G_UNKNOWN;
    *person = 0;
    /* Only the head counts: the last word, or the word before "of" ("the
     * momma of two", "a spokeswoman for the campaign" keeps its first noun
     * through "for"). "the spate of police shootings" is no person. */
    for (int32_t k = first + 1; k <= last; k++)
        if (tok_word_eq(d, k, "of") || tok_word_eq(d, k, "for") || tok_word_eq(d, k, "at") ||
            tok_word_eq(d, k, "with") || tok_word_eq(d, k, "from") || tok_word_eq(d, k, "in")) {
            last = k - 1;
            break;
        }
    first = last;
    for (int32_t k = first; k <= last; k++) {
        uint32_t f = tok_lexflags(d, k);
        if (f & LX_PERSON) {
            *person = 1;
            uint8_t x = tok_lex(d, &d->t[k])->noun_gender;
            if (x) g = x;
            /* The head is the last noun before "of": "the momma of two". */
            if (tok_word_eq(d, k + 1, "of")) break;
        } else if (f & LX_ORGNOUN) {
            if (!*person) g = G_NEUTER;
        } else if ((d->t[k].flags & TF_HYPHEN) && d->t[k].e - d->t[k].b > 4 &&
                   memcmp(d->text + d->t[k].e - 4, "-old", 4) == 0) {
            *person = 1; /* "the 41-year-old" */
        }
    }
    return g;
}

/* A name run ending at token 'end' (inclusive): walk left over name words,
 * initials and titles. */
static int name_ending_at(const doc *d, int32_t end, int32_t floor, mention *m)
{
    /* "@mara_fan22" ends at its last piece; the handle is the name. */
    int32_t h = end;
    while (h - 2 >= floor && d->t[h - 1].e == d->t[h].b && d->t[h - 2].e == d->t[h - 1].b &&
           (tok_is(d, h - 1, '_') || tok_is(d, h - 1, '.')) && (d->t[h - 2].kind == TK_WORD || d->t[h - 2].kind == TK_NUM))
        h -= 2;
    if (h - 1 >= floor && is_handle(d, h)) {
        fill(m, h - 1, end, h, h, MK_NAME, G_UNKNOWN);
        m->entity = handle_entity(d, h);
        return 1;
    }
    if (!name_token(d, end)) return 0;
    /* "Officials said", "Democrats say": a capital only because the
     * sentence starts there, on a noun for people, is no name. */
    if ((d->t[end].flags & TF_SENT) && (d->t[end].lf & LX_PERSON) && !(d->t[end].lf & LX_FIRSTNAME) &&
        emap_find(d, end, KEY_LAST) < 0 && emap_find(d, end, KEY_FIRST) < 0)
        return 0;
    int32_t k = end;
    while (k - 1 >= floor) {
        int32_t p = k - 1;
        if (name_token(d, p) && !(d->t[k].flags & TF_SENT)) { k = p; continue; }
        if (tok_is(d, p, '.') && (d->t[p].flags & TF_NOEND) && p - 1 >= floor &&
            (name_token(d, p - 1) || is_title_at(d, p - 1))) { k = p - 1; continue; }
        if (particle_run(d, p) && p - 1 >= floor && (name_token(d, p - 1) || is_particle(d, p - 1))) { k = p - 1; continue; }
        if (is_title_at(d, p)) { k = p; continue; }
        break;
    }
    if (peer_place(d, k)) return 0;
    /* Strip leading titles (and sentence-initial function words) for the name. */
    int32_t nf = k;
    /* ("the Governor's Office": a possessive title is part of the name.) */
    while (nf < end && !(d->t[nf].flags & TF_POSS) &&
           (is_title_at(d, nf) || tok_is(d, nf, '.') || !name_token(d, nf) ||
            ((tok_lexflags(d, nf) & LX_PERSON) && !(tok_lexflags(d, nf) & LX_FIRSTNAME))))
        nf++;
    /* "Beauty Guru Tara Wells": the name starts after a capitalised
     * description inside the run (as in scan_name). */
    for (int32_t j = nf + 1; j + 2 <= end; j++)
        if ((tok_lexflags(d, j) & LX_PERSON) && !(tok_lexflags(d, j) & LX_FIRSTNAME) &&
            !(d->t[j].flags & (TF_ALLCAPS | TF_POSS)) && name_token(d, j + 1) && name_token(d, j + 2))
            nf = j + 1;
    /* Capitalised descriptive words before the name ("Republican nominee
     * Mike Pence"): keep them in the source span, not in the name. */
    int32_t first = k;
    while (first - 1 >= floor && d->t[first - 1].kind == TK_WORD && !(d->t[first].flags & TF_SENT) &&
           (tok_lexflags(d, first - 1) & (LX_PERSON | LX_TITLE)) && first > k - 4)
        first--;
    /* Lower-case descriptions before it: "the engineer Colm Devereux",
     * "commuter Bea Lindqvist", "owner Hal Becket". */
    int32_t lw = first;
    while (lw - 1 >= floor && lw > first - 3 && d->t[lw - 1].kind == TK_WORD && !(d->t[lw - 1].flags & TF_CAP) &&
           !(tok_lexflags(d, lw - 1) & (LX_FUNC | LX_CUE | LX_PRONOUN)) && !(d->t[lw].flags & TF_SENT))
        lw--;
    if (lw < first && (lw == floor || is_determiner(d, lw - 1) || (tok_lexflags(d, lw) & LX_PERSON))) first = lw;
    /* "Quill campaign spokesman Dev Okafor", "Rydell lawyer Marc
     * Kasowitz": modifiers of any case, when they fill the space up to
     * the floor (which callers set where the noun phrase must begin). */
    if (first > floor && first - floor <= 5) {
        int ok = 1;
        for (int32_t j = floor; j < first && ok; j++)
            ok = (d->t[j].kind == TK_WORD || tok_is(d, j, '.')) && !(d->t[j].flags & TF_INQUOTE) &&
                 !(tok_lexflags(d, j) & (LX_CUE | LX_PRONOUN)) && !(j > floor && (d->t[j].flags & TF_SENT)) &&
                 !(tok_lexflags(d, j) & LX_FUNC && !is_determiner(d, j));
        if (ok && (tok_lexflags(d, first) & (LX_PERSON | LX_TITLE))) first = floor;
    }
    if (first - 1 >= floor && is_determiner(d, first - 1) && first <= k) first--;
    uint8_t g = G_UNKNOWN, tg = G_UNKNOWN;
    for (int32_t j = k; j < nf; j++)
        if (is_title_at(d, j) && tok_lex(d, &d->t[j])->title_gender) tg = tok_lex(d, &d->t[j])->title_gender;
    int32_t e = -1;
    mention tmp;
    fill(&tmp, first, end, nf, end, MK_NAME, tg);
    e = sayso_resolve(d, &tmp);
    if (e >= 0) g = d->ent[e].gender;
    fill(m, first, end, nf, end, MK_NAME, g);
    m->entity = e;
    return 1;
}

/* A description ending at 'end': walk left to its determiner. */
static int desc_ending_at(const doc *d, int32_t end, int32_t floor, mention *m)
{
    int32_t k = end;
    int steps = 0;
    while (k >= floor && steps < 8) {
        if (is_determiner(d, k)) break;
        if (k < end && (d->t[k].flags & TF_POSS) && name_token(d, k)) break; /* "Quill's former strategist" */
        const tok *t = &d->t[k];
        if (t->kind == TK_PUNCT && t->ch != '-' && !(t->ch == '.' && (t->flags & TF_NOEND))) return 0;
        if (t->kind == TK_MARK || (t->flags & TF_INQUOTE)) return 0;
        if (tok_lexflags(d, k) & LX_CUE && k != end) return 0;
        if (k < end && (t->flags & TF_SENT)) break;
        k--;
        steps++;
    }
    if (k < floor) k = floor;
    /* A noun phrase does not end in, or run through, a function word:
     * "the protest in Leeds and", "this weekend in Dublin", "a veteran's
     * widow Monday night by" are pieces of clauses. */
    for (int32_t j = k + 1; j <= end; j++)
        if ((tok_lexflags(d, j) & LX_FUNC) && !(tok_word_eq(d, j, "of") && j < end) && !is_number_word(d, j)) return 0;
    int poss_det = k < end && (d->t[k].flags & TF_POSS) && name_token(d, k);
    if (!is_determiner(d, k) && !poss_det && !(d->t[k].flags & TF_SENT)) {
        /* Bare plurals: "officials said", "Democrats say". */
        int person;
        uint8_t g = desc_gender(d, end, end, &person);
        if ((person || g == G_NEUTER) && (g == G_PLURAL || tok_lexflags(d, end) & LX_PERSON)) {
            fill(m, end, end, -1, -1, MK_DESC, g);
            return 1;
        }
        return 0;
    }
    int person;
    uint8_t g = desc_gender(d, k, end, &person);
    if (!person && g != G_NEUTER) {
        /* "the poll", "a Vantix poll": a named organisation inside. */
        for (int32_t j = k; j <= end; j++)
            if (name_token(d, j)) { fill(m, k, end, j, j, MK_ORG, G_NEUTER); return 1; }
        return 0;
    }
    fill(m, k, end, -1, -1, person ? MK_DESC : MK_ORG, g);
    if (!person) {
        /* "the Riverside Tenants Union": the organisation's name. */
        int32_t nf = -1, nl = -1;
        for (int32_t j = k; j <= end; j++)
            if (name_token(d, j) && !(d->t[j].flags & TF_SENT && j == k)) {
                if (nf < 0) nf = j;
                nl = j;
            } else if (nf >= 0) {
                break;
            }
        if (nf >= 0 && nl == end) { m->name_first = nf; m->name_last = nl; }
    }
    return 1;
}

int sayso_np_before(const doc *d, int32_t end, int32_t floor, mention *m)
{
    int32_t k = end - 1;
    /* Adverbs and auxiliaries between subject and verb: "he also said",
     * "Smith has repeatedly said", "Rydell on Friday said". */
    for (int guard = 0; k >= floor && guard < 6; guard++) {
        if (is_skippable_adverb(d, k)) { k--; continue; }
        if ((d->t[k].lf & LX_CALENDAR) && k - 1 >= floor &&
            (tok_word_eq(d, k - 1, "on") || tok_word_eq(d, k - 1, "last") || tok_word_eq(d, k - 1, "this"))) {
            k -= 2;
            continue;
        }
        if (tok_is(d, k, ')')) {
            int32_t j = k - 1;
            while (j >= floor && j > k - 12 && !tok_is(d, j, '(')) j--;
            if (j >= floor && tok_is(d, j, '(')) { k = j - 1; continue; }
        }
        /* "who in 2010 said" */
        if (d->t[k].kind == TK_NUM && k - 1 >= floor && tok_word_eq(d, k - 1, "in")) { k -= 2; continue; }
        break;
    }
    if (k < floor) return 0;
    /* "Rydell, now the party's leader, who in 2010 said": the
     * relative pronoun is the source; its antecedent the speaker. */
    if (tok_word_eq(d, k, "who") && k > floor) {
        fill(m, k, k, -1, -1, MK_PRONOUN, G_UNKNOWN);
        int32_t i = mention_before(d, k);
        for (int n = 0; i >= 0 && n < 4; i--, n++) {
            const mention *x = &d->m[i];
            if (x->sent != d->t[k].sent) break;
            if ((x->kind == MK_NAME || x->kind == MK_DESC) && x->entity >= 0) { m->entity = x->entity; break; }
        }
        return 1;
    }
    /* An apposition: "Rydell, a top Quill surrogate, said". */
    if (tok_is(d, k, ',')) {
        int32_t j = k - 1;
        while (j >= floor && j > k - 16 && !tok_is(d, j, ',') && d->t[j].kind != TK_MARK) j--;
        if (j >= floor && tok_is(d, j, ',') && j - 1 >= floor) {
            mention head;
            /* "Her campaign manager, Dean Pruitt, said": the name is the
             * apposition; "Rydell, a top adviser, said": the name is the head. */
            if (name_ending_at(d, k - 1, j + 1, &head) && head.name_first >= 0 && head.first == j + 1 &&
                !(d->t[head.name_first].flags & TF_SENT && head.name_first == head.name_last && head.entity < 0)) {
                mention h2;
                int32_t start = j;
                if (desc_ending_at(d, j - 1, floor, &h2)) start = h2.first;
                *m = head;
                m->first = start < head.first ? start : head.first;
                return 1;
            }
            if (name_ending_at(d, j - 1, floor, &head) ||
                (tok_lex(d, &d->t[j - 1]) && d->t[j - 1].lf != LX_ATTR && (d->t[j - 1].lf & LX_PRONOUN) == 0 &&
                 desc_ending_at(d, j - 1, floor, &head))) {
                *m = head;
                m->last = k - 1; /* the source span keeps the apposition */
                return 1;
            }
        }
        return 0;
    }
    const tok *t = &d->t[k];
    if (t->flags & TF_INQUOTE || t->kind == TK_MARK) return 0;
    if ((t->lf & LX_PRONOUN)) {
        uint8_t g = tok_lex(d, t)->pron_gender;
        /* Object and possessive forms are not subjects. */
        if (tok_word_eq(d, k, "him") || tok_word_eq(d, k, "them") || tok_word_eq(d, k, "his") ||
            tok_word_eq(d, k, "their") || tok_word_eq(d, k, "its") || tok_word_eq(d, k, "it"))
            return 0;
        if (tok_word_eq(d, k, "her")) return 0;
        fill(m, k, k, -1, -1, MK_PRONOUN, g);
        m->entity = sayso_resolve(d, m);
        return 1;
    }
    if (t->flags & TF_POSS) return 0; /* "Mr. Rydell's remarks": not a subject */
    if (name_ending_at(d, k, floor, m)) {
        /* "Maya Dalton sister of Carl Dalton said": the name before
         * the relation is the subject, the one after it is whose sister. */
        int32_t r = m->first - 2;
        mention h;
        if (r - 1 >= floor && tok_word_eq(d, m->first - 1, "of") && d->t[r].kind == TK_WORD &&
            !(d->t[r].flags & TF_CAP) && (d->t[r].lf & LX_PERSON) && name_ending_at(d, r - 1, floor, &h) &&
            h.name_first >= 0) {
            h.last = m->last;
            *m = h;
        }
        return 1;
    }
    if (t->kind == TK_WORD || t->kind == TK_NUM) return desc_ending_at(d, k, floor, m);
    return 0;
}

/* The name starting at token x as a mention whose span starts at 'first'
 * (descriptors before the name stay in the span). Returns 0 if no name. */
static int name_mention_at(const doc *d, int32_t first, int32_t x, int32_t ceil, mention *m)
{
    int32_t nf, nl;
    uint8_t tg;
    int32_t e = scan_name(d, x, ceil, &nf, &nl, &tg);
    if (nf < 0) return 0;
    fill(m, first, e - 1, nf, nl, MK_NAME, tg);
    m->entity = sayso_resolve(d, m);
    if (m->entity >= 0 && d->ent[m->entity].gender) m->gender = d->ent[m->entity].gender;
    return 1;
}

int sayso_np_after(const doc *d, int32_t start, int32_t ceil, mention *m)
{
    int32_t k = start;
    if (k > ceil || (size_t)k >= d->nt) return 0;
    const tok *t = &d->t[k];
    if (t->flags & TF_INQUOTE || t->kind == TK_MARK) return 0;
    if ((t->lf & LX_PRONOUN)) {
        fill(m, k, k, -1, -1, MK_PRONOUN, tok_lex(d, t)->pron_gender);
        m->entity = sayso_resolve(d, m);
        return 1;
    }
    if ((name_token(d, k) || is_title_at(d, k)) && name_mention_at(d, k, k, ceil, m)) return 1;
    /* "said 9/11 widow Terry Strada", "said retired general Lloyd Newton". */
    for (int32_t x = k; x <= ceil && x < k + 5; x++) {
        const tok *u = &d->t[x];
        if (name_token(d, x) && x > k) {
            if (name_mention_at(d, k, x, ceil, m)) return 1;
            break;
        }
        /* (Capitalised descriptions too: "said Republican party boss X".) */
        int descriptor = u->kind == TK_NUM || tok_is(d, x, '/') ||
                         (u->kind == TK_WORD && (!(u->flags & TF_CAP) || (u->lf & (LX_PERSON | LX_TITLE))) &&
                          !(tok_lexflags(d, x) & (LX_FUNC | LX_CUE)));
        if (!descriptor) break;
    }
    if (is_determiner(d, k) || (t->kind == TK_WORD && !(t->flags & TF_CAP))) {
        /* A description up to the next punctuation, cue or clause word. */
        int32_t j = k + 1;
        while (j <= ceil && j < k + 8 && (d->t[j].kind == TK_WORD || d->t[j].kind == TK_NUM) &&
               !(d->t[j].flags & TF_INQUOTE) && !tok_word_eq(d, j, "that") && !tok_word_eq(d, j, "who") &&
               !(tok_lexflags(d, j) & LX_CUE))
            j++;
        int32_t end = j - 1;
        /* A name inside ("owner Hal Becket") or in apposition after it ("the
         * band's drummer, Kofi Amankwah") is the mention to resolve. */
        for (int32_t x = k; x <= end + 2 && x <= ceil; x++) {
            if (x == end + 1 && !tok_is(d, x, ',')) break;
            if (x > end + 1 || x <= end) {
                if (!name_token(d, x) || (tok_lexflags(d, x) & LX_PERSON)) continue;
                /* "a Vantix poll": the name modifies the noun after it, and
                 * the phrase is the poll's (below), not Vantix's. */
                if (name_mention_at(d, k, x, ceil, m)) {
                    int32_t after = m->last + 1;
                    if (after <= end && d->t[after].kind == TK_WORD && !(d->t[after].flags & TF_CAP)) break;
                    return 1;
                }
            }
        }
        int person;
        uint8_t g = desc_gender(d, k, end, &person);
        if (!person && g != G_NEUTER) {
            for (int32_t x = k; x <= end; x++)
                if (name_token(d, x)) {
                    mention tmp;
                    if (name_ending_at(d, x, x, &tmp)) { fill(m, k, end, x, x, MK_ORG, G_NEUTER); return 1; }
                }
            return 0;
        }
        fill(m, k, end, -1, -1, person ? MK_DESC : MK_ORG, g);
        m->entity = person ? sayso_resolve(d, m) : -1;
        return 1;
    }
    return 0;
}

int sayso_np_first(const doc *d, int32_t start, int32_t ceil, mention *m)
{
    /* Skip an opening adverbial up to its comma ("Along with the clip, he
     * took to Instagram") when a subject follows it. */
    for (int32_t k = start; k <= ceil && k < start + 40; k++) {
        /* A quotation opening the sentence is not its subject: in "“…,” the
         * mayor said, adding that …" the subject comes after it. */
        if ((d->t[k].flags & TF_INQUOTE) || d->t[k].kind == TK_MARK) continue;
        if (d->t[k].ment >= 0) {
            const mention *x = &d->m[d->t[k].ment];
            if (x->kind == MK_NAME || x->kind == MK_PRONOUN) {
                if (x->kind == MK_PRONOUN && (tok_word_eq(d, k, "his") || tok_word_eq(d, k, "her") ||
                                              tok_word_eq(d, k, "their") || tok_word_eq(d, k, "him") ||
                                              tok_word_eq(d, k, "them") || tok_word_eq(d, k, "its")))
                    continue;
                *m = *x;
                return 1;
            }
        }
        /* A noun phrase inside an opening prepositional phrase ("In a
         * statement, the union said") is no subject. */
        if (is_determiner(d, k) && k > start &&
            (tok_word_eq(d, k - 1, "in") || tok_word_eq(d, k - 1, "on") || tok_word_eq(d, k - 1, "at") ||
             tok_word_eq(d, k - 1, "with") || tok_word_eq(d, k - 1, "from") || tok_word_eq(d, k - 1, "during") ||
             tok_word_eq(d, k - 1, "after") || tok_word_eq(d, k - 1, "before") || tok_word_eq(d, k - 1, "by")))
            continue;
        if (is_determiner(d, k)) {
            /* The head: the first person noun or age ("the 31-year-old",
             * "the momma of two"), else the last word before the verb. */
            int32_t j = k + 1, head = -1;
            while (j <= ceil && j < k + 7 && (d->t[j].kind == TK_WORD || d->t[j].kind == TK_NUM) &&
                   !(tok_lexflags(d, j) & LX_CUE)) {
                int person_word = (tok_lexflags(d, j) & (LX_PERSON | LX_ORGNOUN)) ||
                                  ((d->t[j].flags & TF_HYPHEN) && d->t[j].e - d->t[j].b > 4 &&
                                   memcmp(d->text + d->t[j].e - 4, "-old", 4) == 0);
                if (person_word && head < 0) {
                    head = j;
                    if (tok_word_eq(d, j + 1, "of") && j + 2 <= ceil && d->t[j + 2].kind != TK_PUNCT) head = j + 2;
                }
                j++;
            }
            if (head < 0) head = j - 1;
            /* "The palace, which is the summer residence ...": the
             * organisation the article named ("Buckingham Palace"). */
            int32_t org = tok_word_eq(d, k, "the") && head == k + 1 ? sayso_named_org(d, head) : -1;
            if (org >= 0) {
                fill(m, k, head, -1, -1, MK_ORG, G_NEUTER);
                m->entity = org;
                return 1;
            }
            if (desc_ending_at(d, head, k, m)) {
                if (m->kind == MK_DESC) m->entity = sayso_resolve(d, m);
                return 1;
            }
        }
        if (tok_is(d, k, ',') && k > start) continue;
    }
    return 0;
}
