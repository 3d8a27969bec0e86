/*
 * lexicon.c — builds the word table from the lists embedded from data/.
 *
 * The table is open addressing with linear probing over a power-of-two array;
 * it is filled once and only read afterwards, so lookups need no locking and
 * never allocate.
 */
#include <stdlib.h>
#include <string.h>
#include "lexicon.h"

#include "lists.h"

typedef struct {
    char key[SAYSO_LEX_MAXLEN + 1];
} slot;

/* The probe table holds one 32-bit word per position, a 16-bit tag of the
 * hash and the entry's index + 1, so that a probe is one memory access and
 * the table stays in cache (64 KiB) while every word of every article is
 * looked up; the entries themselves are touched only on a tag match. */
struct sayso_lexicon {
    uint32_t *probe;  /* tag << 16 | (index + 1); 0: empty */
    slot *slots;      /* keys */
    sayso_lex *vals;  /* what is known of each key, in an array of its own
                         so that a token can name its entry by a 2-byte id */
    size_t nslots;
    size_t mask;
    const char **lemmas;
    size_t nlemmas, caplemmas;
    char channels[64][24];   /* channel names, from index 1 */
    size_t nchannels;
    uint32_t *nick;   /* short form id << 16 | full form id, sorted */
    size_t nnick;
};

/* ASCII upper-case letters of 8 bytes to lower case at once (SWAR): every
 * word of every article is looked up, so the lookup hashes and compares a
 * word 8 bytes at a time instead of byte by byte. Bytes >= 0x80 (UTF-8)
 * are left alone. */
static inline uint64_t fold8(uint64_t w)
{
    const uint64_t hi = UINT64_C(0x8080808080808080);
    uint64_t low7 = w & ~hi;
    uint64_t above_z = low7 + UINT64_C(0x2525252525252525); /* high bit set where byte > 'Z' */
    uint64_t from_a = low7 + UINT64_C(0x3F3F3F3F3F3F3F3F);  /* high bit set where byte >= 'A' */
    uint64_t upper = (from_a ^ above_z) & ~w & hi;
    return w | (upper >> 2);
}

static inline uint64_t load8(const char *s)
{
    uint64_t w;
    memcpy(&w, s, 8);
    return w;
}

/* The last 1..7 bytes, without reading past them (a word may end the
 * buffer): built byte by byte, which the compiler unrolls, where a
 * variable-length memcpy would be a call. */
static inline uint64_t load_tail(const char *s, size_t n)
{
    uint64_t w = 0;
    for (size_t k = 0; k < n; k++) w |= (uint64_t)(unsigned char)s[k] << (8 * k);
    return w;
}

/* The same, when 8 bytes may be read from s: one load and a mask. */
static inline uint64_t load_tail_fast(const char *s, size_t n, int overread)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    if (overread) return load8(s) & (~UINT64_C(0) >> (64 - 8 * n));
#else
    (void)overread;
#endif
    return load_tail(s, n);
}

static uint64_t hash_word(const char *s, size_t n, int overread)
{
    uint64_t h = UINT64_C(0x9E3779B97F4A7C15) ^ n;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        h = (h ^ fold8(load8(s + i))) * UINT64_C(0xff51afd7ed558ccd);
        h ^= h >> 32;
    }
    if (i < n) {
        h = (h ^ fold8(load_tail_fast(s + i, n - i, overread))) * UINT64_C(0xff51afd7ed558ccd);
        h ^= h >> 32;
    }
    return h ^ (h >> 29);
}

/* Whether word[0..len) equals key (lower case, zero-padded) ignoring ASCII case. */
static inline int key_eq(const char *key, const char *word, size_t len, int overread)
{
    size_t i = 0;
    for (; i + 8 <= len; i += 8)
        if (fold8(load8(word + i)) != load8(key + i)) return 0;
    if (i < len && fold8(load_tail_fast(word + i, len - i, overread)) != load_tail_fast(key + i, len - i, 1)) return 0;
    return key[len] == 0;
}

/* overread: 8 bytes may be read from any position of the word, which saves
 * assembling its last bytes one by one. */
/* The id (index + 1) of a word's entry, or 0; with create, a new entry
 * is made for a word not yet in (building only). overread: 8 bytes may be
 * read from any position of the word. */
static uint32_t find_id(const sayso_lexicon *lx_const, const char *word, size_t len, int create, int overread)
{
    if (len == 0 || len > SAYSO_LEX_MAXLEN) return 0;
    uint64_t h = hash_word(word, len, overread);
    uint32_t tag = (uint32_t)(h >> 48) << 16;
    for (size_t i = (size_t)h & lx_const->mask;; i = (i + 1) & lx_const->mask) {
        uint32_t p = lx_const->probe[i];
        if (!p) {
            if (!create) return 0;
            /* Creating only happens while building, on a mutable table. */
            sayso_lexicon *lx = (sayso_lexicon *)lx_const;
            if (lx->nslots >= lx->mask / 2 || lx->nslots >= 0xFFFF) return 0;
            slot *s = &lx->slots[lx->nslots];
            memset(s, 0, sizeof *s);
            for (size_t k = 0; k < len; k++) {
                char c = word[k];
                s->key[k] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
            }
            lx->probe[i] = tag | (uint32_t)(++lx->nslots);
            return (uint32_t)lx->nslots;
        }
        if ((p & 0xFFFF0000u) == tag && key_eq(lx_const->slots[(p & 0xFFFF) - 1].key, word, len, overread))
            return p & 0xFFFF;
    }
}

/* The entry of a word, created if new (building only). */
static sayso_lex *find_val(sayso_lexicon *lx, const char *word, size_t len)
{
    uint32_t id = find_id(lx, word, len, 1, 0);
    return id ? &lx->vals[id - 1] : NULL;
}

/* Calls fn for each space-separated word of each line of a list. */
typedef void (*word_fn)(sayso_lexicon *lx, const char *w, size_t n, size_t idx, const char *line, void *arg);

static void each_word(sayso_lexicon *lx, const char *const *list, word_fn fn, void *arg)
{
    for (size_t li = 0; list[li]; li++) {
        const char *p = list[li];
        size_t idx = 0;
        while (*p) {
            while (*p == ' ' || *p == '\t') p++;
            const char *w = p;
            while (*p && *p != ' ' && *p != '\t') p++;
            if (p > w) fn(lx, w, (size_t)(p - w), idx++, list[li], arg);
        }
    }
}

static void add_flag(sayso_lexicon *lx, const char *w, size_t n, size_t idx, const char *line, void *arg)
{
    (void)idx; (void)line;
    sayso_lex *v = find_val(lx, w, n);
    if (v) v->flags |= *(uint32_t *)arg;
}

static uint8_t gender_code(const char *g, size_t n)
{
    if (n != 1) return G_UNKNOWN;
    switch (g[0]) {
    case 'm': return G_MALE;
    case 'f': return G_FEMALE;
    case 'p': return G_PLURAL;
    case 'n': return G_NEUTER;
    case 'x': return G_FIRST;
    default: return G_UNKNOWN;
    }
}

/* Lists of "word gender" lines: the second word is the gender. */
static void add_gendered(sayso_lexicon *lx, const char *const *list, uint32_t flag, int which)
{
    for (size_t li = 0; list[li]; li++) {
        const char *line = list[li];
        const char *sp = strchr(line, ' ');
        size_t n = sp ? (size_t)(sp - line) : strlen(line);
        sayso_lex *v = find_val(lx, line, n);
        if (!v) continue;
        uint8_t g = G_UNKNOWN;
        if (sp) {
            while (*sp == ' ') sp++;
            g = gender_code(sp, strlen(sp));
        }
        v->flags |= flag;
        if (which == 0) v->pron_gender = g;
        else if (which == 1) v->noun_gender = g;
        else v->title_gender = g;
        if (which == 1 && g == G_NEUTER) { v->flags &= ~(uint32_t)LX_PERSON; v->flags |= LX_ORGNOUN; }
    }
}

static void add_cue(sayso_lexicon *lx, const char *w, size_t n, size_t idx, const char *line, void *arg)
{
    (void)idx; (void)arg;
    if (n && w[0] == '+') { w++; n--; }
    sayso_lex *v = find_val(lx, w, n);
    if (!v) return;
    v->flags |= LX_CUE;
    if (line[0] == '+') v->flags |= LX_REPORT;
    v->lemma = (uint16_t)(lx->nlemmas - 1);
}

static void add_attr(sayso_lexicon *lx, const char *w, size_t n, size_t idx, const char *line, void *arg)
{
    (void)idx; (void)line; (void)arg;
    sayso_lex *v = find_val(lx, w, n);
    if (!v) return;
    v->flags |= LX_ATTR;
    v->alemma = (uint16_t)(lx->nlemmas - 1);
}

/* Appends a lemma to the table; -1 when out of memory. */
static int push_lemma(sayso_lexicon *lx, const char *line)
{
    if (lx->nlemmas == lx->caplemmas) {
        size_t cap = lx->caplemmas ? lx->caplemmas * 2 : 256;
        const char **nl = realloc(lx->lemmas, cap * sizeof *nl);
        if (!nl) return -1;
        lx->lemmas = nl;
        lx->caplemmas = cap;
    }
    lx->lemmas[lx->nlemmas++] = line;
    return 0;
}

static void add_name(sayso_lexicon *lx, const char *w, size_t n, size_t idx, const char *line, void *arg)
{
    (void)idx; (void)line;
    uint8_t g = *(uint8_t *)arg;
    sayso_lex *v = find_val(lx, w, n);
    if (!v) return;
    if (v->flags & LX_FIRSTNAME) {
        if (v->name_gender != g) v->name_gender = G_UNKNOWN; /* Kim, Taylor */
    } else {
        v->flags |= LX_FIRSTNAME;
        v->name_gender = g;
    }
}

/* "CLASS: word word": every word a determiner, of the line's class. */
static void add_determiners(sayso_lexicon *lx)
{
    for (size_t li = 0; sayso_list_determiners[li]; li++) {
        const char *line = sayso_list_determiners[li], *colon = strchr(line, ':');
        if (!colon) continue;
        uint32_t f = LX_DET;
        if (strncmp(line, "article:", 8) == 0) f |= LX_ARTICLE;
        else if (strncmp(line, "possessive:", 11) == 0) f |= LX_POSSDET;
        const char *one[] = { colon + 1, NULL };
        each_word(lx, one, add_flag, &f);
    }
}

/* "particle: de van …", "suffix: jr …", "postnominal: qc mp …" */
static void add_name_parts(sayso_lexicon *lx)
{
    for (size_t li = 0; sayso_list_name_parts[li]; li++) {
        const char *line = sayso_list_name_parts[li], *colon = strchr(line, ':');
        if (!colon) continue;
        uint32_t f = strncmp(line, "particle:", 9) == 0      ? LX_PARTICLE
                     : strncmp(line, "suffix:", 7) == 0      ? LX_SUFFIX
                     : strncmp(line, "postnominal:", 12) == 0 ? LX_POSTNOM
                     : strncmp(line, "royal:", 6) == 0       ? LX_ROYAL
                                                              : 0;
        const char *one[] = { colon + 1, NULL };
        if (f) each_word(lx, one, add_flag, &f);
    }
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* "short: full full ...": pairs of entry ids, sorted for a binary search.
 * Both words get an entry (most are first names already). */
static int add_nicknames(sayso_lexicon *lx)
{
    size_t cap = 0;
    for (size_t li = 0; sayso_list_nicknames[li]; li++)
        for (const char *p = sayso_list_nicknames[li]; *p; p++) cap += *p == ' ';
    lx->nick = malloc((cap + 1) * sizeof *lx->nick);
    if (!lx->nick) return -1;
    for (size_t li = 0; sayso_list_nicknames[li]; li++) {
        const char *line = sayso_list_nicknames[li], *colon = strchr(line, ':');
        if (!colon) continue;
        uint32_t s = find_id(lx, line, (size_t)(colon - line), 1, 0);
        if (s) lx->vals[s - 1].flags |= LX_NICK;
        for (const char *p = colon + 1; *p;) {
            while (*p == ' ') p++;
            const char *w = p;
            while (*p && *p != ' ') p++;
            uint32_t f = p > w ? find_id(lx, w, (size_t)(p - w), 1, 0) : 0;
            if (s && f && s < 65536 && f < 65536 && lx->nnick < cap) lx->nick[lx->nnick++] = s << 16 | f;
        }
    }
    qsort(lx->nick, lx->nnick, sizeof *lx->nick, cmp_u32);
    return 0;
}

int sayso_lexicon_short_form(const sayso_lexicon *lx, uint16_t short_id, uint16_t full_id)
{
    if (!short_id || !full_id) return 0;
    uint32_t key = (uint32_t)short_id << 16 | full_id;
    return bsearch(&key, lx->nick, lx->nnick, sizeof *lx->nick, cmp_u32) != NULL;
}

/* "CHANNEL: word @outlet ...": the channel is the part before the colon. */
static void add_channels(sayso_lexicon *lx)
{
    for (size_t li = 0; sayso_list_channels[li] && lx->nchannels + 1 < 64; li++) {
        const char *line = sayso_list_channels[li], *colon = strchr(line, ':');
        if (!colon || (size_t)(colon - line) >= sizeof lx->channels[0]) continue;
        size_t c = ++lx->nchannels;
        memcpy(lx->channels[c], line, (size_t)(colon - line));
        lx->channels[c][colon - line] = 0;
        const char *p = colon + 1;
        while (*p) {
            while (*p == ' ') p++;
            const char *w = p;
            while (*p && *p != ' ') p++;
            int outlet = p > w && *w == '@';
            if (outlet) w++;
            sayso_lex *v = p > w ? find_val(lx, w, (size_t)(p - w)) : NULL;
            if (!v || v->channel) continue; /* the first line wins */
            v->channel = (uint8_t)c;
            v->outlet = (uint8_t)outlet;
        }
    }
}

const char *sayso_lexicon_channel(const sayso_lexicon *lx, uint8_t c)
{
    return c && c <= lx->nchannels ? lx->channels[c] : NULL;
}

/* The setting stage scans the words around every cue; one flag tells it
 * which words can matter, so that the rest cost one test each. Besides the
 * channel, time and calendar words of the lists: the forms of "tell" (an
 * addressee follows), "with" ("an interview with"), "according" (its
 * outlet is no channel) and the relative pronouns (their clause dates
 * other events). */
static void mark_setting_words(sayso_lexicon *lx)
{
    static const char *const words[] = { "told", "tells", "tell", "telling", "with", "according",
                                         "who", "whose", "which", NULL };
    uint32_t f = LX_SETTING;
    for (int i = 0; words[i]; i++) add_flag(lx, words[i], strlen(words[i]), 0, NULL, &f);
    for (size_t i = 0; i < lx->nslots; i++)
        if (lx->vals[i].channel || (lx->vals[i].flags & (LX_TIME | LX_CALENDAR))) lx->vals[i].flags |= LX_SETTING;
}

sayso_lexicon *sayso_lexicon_new(void)
{
    sayso_lexicon *lx = calloc(1, sizeof *lx);
    if (!lx) return NULL;
    lx->mask = 16383; /* a few thousand entries at most: keep the load low */
    lx->probe = calloc(lx->mask + 1, sizeof *lx->probe);
    lx->slots = calloc((lx->mask + 1) / 2, sizeof(slot));
    lx->vals = calloc((lx->mask + 1) / 2, sizeof(sayso_lex));
    if (!lx->probe || !lx->slots || !lx->vals) { sayso_lexicon_free(lx); return NULL; }

    /* Cue verbs: one line per lemma; the lemma is the line's first word. */
    for (size_t li = 0; sayso_list_cue_verbs[li]; li++) {
        const char *line = sayso_list_cue_verbs[li];
        if (push_lemma(lx, line[0] == '+' ? line + 1 : line) < 0) { sayso_lexicon_free(lx); return NULL; }
        const char *one[] = { line, NULL };
        each_word(lx, one, add_cue, NULL);
    }
    for (size_t li = 0; sayso_list_attribution_words[li]; li++) {
        const char *line = sayso_list_attribution_words[li];
        if (push_lemma(lx, line) < 0) { sayso_lexicon_free(lx); return NULL; }
        const char *one[] = { line, NULL };
        each_word(lx, one, add_attr, NULL);
    }
    uint32_t f;
    f = LX_ABBREV;    each_word(lx, sayso_list_abbreviations, add_flag, &f);
    f = LX_TITLECUE;  each_word(lx, sayso_list_title_cues, add_flag, &f);
    f = LX_FUNC;      each_word(lx, sayso_list_function_words, add_flag, &f);
    f = LX_CALENDAR;  each_word(lx, sayso_list_calendar, add_flag, &f);
    f = LX_ORGWORD;   each_word(lx, sayso_list_org_words, add_flag, &f);
    f = LX_TIME;      each_word(lx, sayso_list_time_words, add_flag, &f);
    uint8_t g;
    g = G_FEMALE; each_word(lx, sayso_list_names_female, add_name, &g);
    g = G_MALE;   each_word(lx, sayso_list_names_male, add_name, &g);
    add_gendered(lx, sayso_list_pronouns, LX_PRONOUN, 0);
    add_gendered(lx, sayso_list_person_nouns, LX_PERSON, 1);
    add_gendered(lx, sayso_list_titles, LX_TITLE, 2);
    add_channels(lx);
    add_determiners(lx);
    add_name_parts(lx);
    if (add_nicknames(lx) < 0) { sayso_lexicon_free(lx); return NULL; }
    mark_setting_words(lx);
    return lx;
}

void sayso_lexicon_free(sayso_lexicon *lx)
{
    if (!lx) return;
    free(lx->slots);
    free(lx->vals);
    free(lx->probe);
    free(lx->lemmas);
    free(lx->nick);
    free(lx);
}

const sayso_lex *sayso_lexicon_get(const sayso_lexicon *lx, const char *word, size_t len)
{
    uint32_t id = find_id(lx, word, len, 0, 0);
    return id ? &lx->vals[id - 1] : NULL;
}

uint16_t sayso_lexicon_find_in(const sayso_lexicon *lx, const char *word, size_t len, size_t avail)
{
    return (uint16_t)find_id(lx, word, len, 0, avail >= len + 8);
}

const sayso_lex *sayso_lexicon_values(const sayso_lexicon *lx)
{
    return lx->vals;
}

const char *sayso_lexicon_lemma(const sayso_lexicon *lx, uint16_t lemma)
{
    /* Lemma strings are whole list lines; callers print up to the first space. */
    return lemma < lx->nlemmas ? lx->lemmas[lemma] : "";
}
