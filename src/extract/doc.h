/*
 * doc.h — the working representation of one article, shared by the stages.
 *
 * text.c fills tokens, sentences and paragraphs; quotes.c adds the quotation
 * mark spans; mentions.c the mentions and entities; attribute.c turns them
 * into attributions; speakers.c names their speakers. Every array belongs to
 * the doc and is reused from one article to the next (no per-token
 * allocation on the hot path: arrays only grow). Offsets are 32-bit: longer
 * articles are cut at 4 GiB by extract.c.
 */
#ifndef SAYSO_DOC_H
#define SAYSO_DOC_H

#include <stddef.h>
#include <stdint.h>
#include "lexicon.h"

/* Token kinds. */
enum { TK_WORD = 0, TK_NUM, TK_PUNCT, TK_MARK, TK_OTHER };

/* Quotation mark shapes (TK_MARK tokens). */
enum {
    M_NONE = 0,
    M_LDQ,   /* “ or „ : opens */
    M_RDQ,   /* ” : closes */
    M_DQ,    /* " : either */
    M_LSQ,   /* ‘ : opens a single-quoted span */
    M_RSQ,   /* ’ standing alone (not inside a word): closes, or apostrophe */
    M_SQ,    /* ' standing alone */
    M_LGU,   /* « */
    M_RGU    /* » */
};

/* Token flags. */
enum {
    TF_SPACE    = 1u << 0,  /* white space before the token */
    TF_NL       = 1u << 1,  /* a line break before the token */
    TF_PARA     = 1u << 2,  /* first token of a paragraph */
    TF_SENT     = 1u << 3,  /* first token of a sentence */
    TF_CAP      = 1u << 4,  /* word starting with an upper-case letter */
    TF_ALLCAPS  = 1u << 5,  /* word of 2+ letters, all upper case */
    TF_NOEND    = 1u << 6,  /* a '.' that belongs to an abbreviation */
    TF_INQUOTE  = 1u << 7,  /* inside a quotation (set by quotes.c) */
    TF_POSS     = 1u << 8,  /* word ending in 's or ’s */
    TF_HYPHEN   = 1u << 9   /* word containing a hyphen (41-year-old) */
};

/* 48 bytes: every stage scans the tokens, often more than once, so the
 * token is kept small (an entry id, not a pointer, for the lexicon). */
typedef struct {
    uint32_t b, e;     /* bytes */
    uint32_t cb, ce;   /* code points */
    uint16_t flags;
    uint8_t kind;
    uint8_t mark;      /* for TK_MARK */
    uint32_t ch;       /* first code point (punctuation and marks) */
    uint32_t lf;       /* the lexicon entry's flags, or 0: read for nearly
                          every token by every stage, so kept here */
    uint16_t li;       /* lexicon entry id (tok_lex), 0: in no list */
    int32_t sent;      /* sentence index */
    int32_t para;      /* paragraph index */
    int32_t q;         /* quotation span index (quotes.c) or -1 */
    int32_t ment;      /* mention starting here (mentions.c) or -1 */
} tok;
_Static_assert(sizeof(tok) <= 48, "tok grew: every stage scans tokens, keep it small");

typedef struct { int32_t first, last; } range; /* inclusive token range */

/* A span enclosed by quotation marks, possibly over several paragraphs. */
typedef struct {
    int32_t open, close;  /* mark tokens; close == -1 when unbalanced */
    int32_t first, last;  /* content tokens inside the marks (first > last: empty) */
    int32_t para_first, para_last;
    uint16_t flags;
    int32_t nwords;
} qspan;

enum {
    QF_MULTIPARA = 1u << 0, /* continues over paragraphs */
    QF_UNCLOSED  = 1u << 1, /* no closing mark: ends at paragraph end */
    QF_NOOPEN    = 1u << 2, /* closing mark without an opening one */
    QF_TITLE     = 1u << 3, /* a title or name of a work, not a quotation */
    QF_FULL      = 1u << 4, /* a whole utterance (sentence-like), not a fragment */
    QF_USED      = 1u << 5  /* already part of an attribution */
};

/* Mention kinds. */
enum { MK_NAME = 0, MK_PRONOUN, MK_DESC, MK_ORG };

typedef struct {
    int32_t first, last;   /* tokens */
    int32_t name_first, name_last; /* the name inside (titles stripped), or -1 */
    uint8_t kind;
    uint8_t gender;
    uint8_t subject;       /* the first mention of its sentence that is not a
                              possessive: its likely subject (mentions.c) */
    uint8_t modifier;      /* a name that only modifies a person noun: "Rams"
                              of "Rams punter Jon Hollis" (mentions.c) */
    int16_t age;           /* stated age ("the 41-year-old"), or -1 */
    int32_t head;          /* head word of a description, or -1 */
    int32_t entity;        /* -1 until resolved */
    int32_t sent;          /* sentence of the first token (mentions of the
                              list only; -1 otherwise): resolution walks
                              back over mentions, and reading the tokens
                              for their sentences would miss the cache */
} mention;

typedef struct {
    int32_t name_first, name_last; /* tokens of the fullest name */
    int32_t name_key;      /* its surname token (no suffix): the key the
                              entity is found by; -1 for the nameless */
    uint8_t gender;
    uint8_t gender_weak;   /* the gender is the first-name list's guess,
                              which the article's own pronouns overrule */
    uint8_t person;        /* 1 if taken for a person */
    uint8_t org;           /* 1 if its name has an organisation word, or
                              the entities model is sure it is no person */
    uint8_t maybe_org;     /* the entities model leans that way */
    int16_t age;           /* stated in the article ("Teigen, 34,"), or -1 */
    uint16_t ndesc;        /* descriptions recorded in doc.desc */
    int32_t last_seen;     /* token index of the latest mention */
    int32_t nmentions;
    uint8_t handle;        /* a social-media handle ("@mara_q"): found by
                              its own key, never merged with a name */
    int32_t royal;         /* 1 + the token of a royal title that belongs
                              to a one-word name ("Prince Harry"), or 0 */
} entity;

/* A description of an entity ("the singer", "41-year-old"): tokens of its
 * words without the determiner. */
typedef struct { int32_t ent, first, last; } edesc;

/* The syntax of a token (clauses.c), when the syntax models are loaded. A
 * token the treebank splits ("Teigen’s", "don't", "41-year-old") is
 * represented by its word whose head lies outside the token. */
typedef struct {
    int32_t head;          /* head token, -1 for the root of its sentence */
    int32_t sub_first, sub_last; /* extent of its subtree (tokens) */
    uint8_t upos;          /* SAYSO_UPOS_* (syntax.h) */
    uint8_t rel;           /* R_* (clauses.h): the relation to its head */
    uint16_t nkids;        /* dependents */
} tsyn;

typedef struct {
    const char *text;      /* whole article */
    size_t len;
    size_t body;           /* where tokenisation starts */
    const sayso_lexicon *lx;
    const sayso_lex *lexv;  /* sayso_lexicon_values(lx) */
    const struct sayso_entities *ents; /* the entities model, or NULL */

    tok *t;        size_t nt, capt;
    range *sent;   size_t nsent, capsent;
    range *para;   size_t npara, cappara;
    qspan *qs;     size_t nqs, capqs;
    mention *m;    size_t nm, capm;
    entity *ent;   size_t nent, capent;
    edesc *desc;   size_t ndesc, capdesc;
    tsyn *syn;     size_t capsyn;  /* one per token when has_syn */
    int has_syn;
    /* Entity lookup by first or last name: open addressing over hashes of
     * the lower-cased word; several entities may share a key. */
    struct ekey { uint64_t h; int32_t ent; uint32_t gen; } *emap; size_t emapcap, nemap;
    uint32_t emapgen; /* entries of other generations (articles) are empty:
                         no clearing of the whole map for every article */
} doc;

/* Grows *arr (of elem-sized items) so that it holds at least need items.
 * Returns 0, or -1 when out of memory (the array is left as it was). */
int sayso_grow(void **arr, size_t *cap, size_t need, size_t elem);

#define DOC_PUSH(arr, n, cap) \
    ((n) < (cap) || sayso_grow((void **)&(arr), &(cap), (n) + 1, sizeof *(arr)) == 0 ? &(arr)[(n)++] : NULL)

/* The lexicon entry of token t, or NULL when the word is in no list. */
static inline const sayso_lex *tok_lex(const doc *d, const tok *t)
{
    return t->li ? &d->lexv[t->li - 1] : NULL;
}

/* Small token predicates used by several stages. */
/* Punctuation token c (a code point: ',' or 0x2014, the em dash). */
static inline int tok_is(const doc *d, int32_t i, uint32_t c)
{
    return i >= 0 && (size_t)i < d->nt && d->t[i].kind == TK_PUNCT && d->t[i].ch == c;
}
/* "D-Vt", "R-S": a party's initial, a hyphen and a state, the word of a
 * party label set off after a name ("Rep. Ana Ruiz, D-Vt., said"). */
static inline int tok_party_label(const doc *d, int32_t i)
{
    if (i < 0 || (size_t)i >= d->nt || d->t[i].kind != TK_WORD || d->t[i].e - d->t[i].b < 3) return 0;
    const char *w = d->text + d->t[i].b;
    return w[0] >= 'A' && w[0] <= 'Z' && w[1] == '-' && w[2] >= 'A' && w[2] <= 'Z';
}
static inline uint32_t tok_lexflags(const doc *d, int32_t i)
{
    return i >= 0 && (size_t)i < d->nt ? d->t[i].lf : 0;
}
static inline int tok_word_eq(const doc *d, int32_t i, const char *w)
{
    if (i < 0 || (size_t)i >= d->nt || d->t[i].kind != TK_WORD) return 0;
    size_t n = d->t[i].e - d->t[i].b, k;
    const char *s = d->text + d->t[i].b;
    for (k = 0; k < n && w[k]; k++) {
        char c = s[k];
        if (c >= 'A' && c <= 'Z') c = (char)(c + 32);
        if (c != w[k]) return 0;
    }
    return k == n && w[k] == 0;
}

#endif
