/*
 * lexicon.h — the word lists of the data/ folder, compiled in and looked up by word.
 *
 * Owns the mapping from a word (case-insensitive for ASCII letters) to what
 * the pipeline knows about it: is it a cue verb (and of which lemma), a
 * pronoun, a title, a head noun for people, a first name of known gender, a
 * closed-class word... One hash table, built once per extractor from the
 * embedded lists; a lookup is a hash of at most SAYSO_LEX_MAXLEN bytes.
 */
#ifndef SAYSO_LEXICON_H
#define SAYSO_LEXICON_H

#include <stddef.h>
#include <stdint.h>

enum {
    LX_CUE       = 1u << 0,  /* speech verb form; lemma says which */
    LX_PRONOUN   = 1u << 1,
    LX_TITLE     = 1u << 2,  /* precedes a name: Sen., President */
    LX_PERSON    = 1u << 3,  /* head noun of a description: singer, official */
    LX_ORGNOUN   = 1u << 4,  /* head noun of a group/institution: campaign */
    LX_TITLECUE  = 1u << 5,  /* before a quoted title: song, show, titled */
    LX_FUNC      = 1u << 6,  /* closed-class word */
    LX_CALENDAR  = 1u << 7,  /* Monday, October */
    LX_FIRSTNAME = 1u << 8,  /* a first name; gender in name_gender */
    LX_ABBREV    = 1u << 9,  /* takes a period without ending a sentence */
    LX_ORGWORD   = 1u << 10, /* makes a name an organisation or place: Inc, Party */
    LX_REPORT    = 1u << 11, /* cue that also reports speech without marks */
    LX_TIME      = 1u << 12, /* anchors a time expression: ago, last, yesterday */
    LX_DET       = 1u << 13, /* opens a noun phrase: the, his, several */
    LX_ARTICLE   = 1u << 14, /* the, a, an */
    LX_POSSDET   = 1u << 15, /* his, her, their, its, our, my, your */
    LX_PARTICLE  = 1u << 16, /* de, van, bin: inside names */
    LX_SUFFIX    = 1u << 17, /* Jr, Sr, III: end names */
    LX_SETTING   = 1u << 18, /* a word setting.c looks at: a channel, time
                                or calendar word, "told", "with", "who" … */
    LX_ATTR      = 1u << 19, /* signals an attribution (data/attribution_words.txt):
                                said, believes, denied, poll, according; alemma
                                says which lemma. Read by the learned model only */
    LX_POSTNOM   = 1u << 20, /* SC, QC, MP, OBE: after a name, not part of it */
    LX_ROYAL     = 1u << 21, /* Prince, Queen: stays with a one-word name */
    LX_NICK      = 1u << 22  /* a short form of first names: Liz, Bill */
};

/* Genders and numbers a word can agree with. */
enum { G_UNKNOWN = 0, G_MALE = 1, G_FEMALE = 2, G_PLURAL = 3, G_NEUTER = 4, G_FIRST = 5 };

typedef struct {
    uint32_t flags;
    uint16_t lemma;        /* index into sayso_lex_lemma(), for LX_CUE */
    uint8_t pron_gender;   /* for LX_PRONOUN */
    uint8_t noun_gender;   /* for LX_PERSON / LX_ORGNOUN */
    uint8_t title_gender;  /* for LX_TITLE */
    uint8_t name_gender;   /* for LX_FIRSTNAME: G_MALE, G_FEMALE or G_UNKNOWN if both */
    uint8_t channel;       /* a channel word: index for sayso_lexicon_channel(), 0 if none */
    uint8_t outlet;        /* 1: names a news outlet ("CNN", "Post") */
    uint16_t alemma;       /* for LX_ATTR: its lemma, as sayso_lexicon_lemma() reads it */
} sayso_lex;

#define SAYSO_LEX_MAXLEN 32

typedef struct sayso_lexicon sayso_lexicon;

sayso_lexicon *sayso_lexicon_new(void);
void sayso_lexicon_free(sayso_lexicon *lx);

/* Looks up word[0..len) (UTF-8; ASCII letters fold to lower case). Returns
 * NULL for unknown words and words longer than SAYSO_LEX_MAXLEN. */
const sayso_lex *sayso_lexicon_get(const sayso_lexicon *lx, const char *word, size_t len);

/* The id of a word's entry (1-based; 0: in no list), for a word inside a
 * buffer with avail bytes from word on: the lookup may then read a few
 * bytes past the word, which is faster. Entry id i is
 * sayso_lexicon_values(lx)[i - 1]: tokens keep the 2-byte id, not a
 * pointer. */
uint16_t sayso_lexicon_find_in(const sayso_lexicon *lx, const char *word, size_t len, size_t avail);
const sayso_lex *sayso_lexicon_values(const sayso_lexicon *lx);

/* Whether the word of entry short_id is a short form of the first name of
 * entry full_id (data/nicknames.txt: "Liz", "Elizabeth"). */
int sayso_lexicon_short_form(const sayso_lexicon *lx, uint16_t short_id, uint16_t full_id);

/* The name of channel c ("instagram", "press conference"), or NULL. */
const char *sayso_lexicon_channel(const sayso_lexicon *lx, uint8_t c);

/* The lemma of a cue verb ("say" for "said"). */
const char *sayso_lexicon_lemma(const sayso_lexicon *lx, uint16_t lemma);

#endif
