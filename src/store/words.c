/*
 * words.c — the index's vocabulary, so that a prefix search reads only
 * the newest reports of the words it names.
 *
 * FTS5 (3.40, Debian's) answers "with*" by merging the whole postings of
 * every word that starts so before it returns its first row: on the
 * 3.8 M-report store of `make bench-store` that took 50 ms, however few
 * rows the search wanted. The same words asked for by name, ("with" OR
 * "within" OR "without" ...), are read lazily, newest first, and stop
 * when the search has its window of reports: 1.5 ms. So the store keeps
 * the words of its text column in the table words (schema 5): added as
 * quotes are indexed, in the same transaction; never taken away, since a
 * word no report holds any more costs one seek that finds nothing. A
 * search names a prefix's words when they are few (WORDS_MAX); when there
 * are more, each costs a seek per index segment, and FTS5's merge is the
 * cheaper way.
 *
 * Words are the tokens of the index's own tokenizer (unicode61,
 * diacritics removed), asked for through FTS5: case and diacritics are
 * folded exactly as the index folds them.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include "store_impl.h"

/* Words a prefix may stand for, at most, before FTS5's own prefix merge
 * is used: a named word costs some 40 µs (a seek in every segment of
 * the index), so 200 of them cost what a merge of common words does. */
#define WORDS_MAX 200

fts5_api *sayso_fts5(sqlite3 *db)
{
    fts5_api *api = NULL;
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &q, NULL) != SQLITE_OK) return NULL;
    sqlite3_bind_pointer(q, 1, (void *)&api, "fts5_api_ptr", NULL);
    sqlite3_step(q);
    sqlite3_finalize(q);
    return api && api->iVersion >= 2 ? api : NULL;
}

int sayso_words_open(sayso_store *s)
{
    fts5_api *api = sayso_fts5(s->db);
    void *ud = NULL;
    /* As the index was made (store.c): tokenize='unicode61 remove_diacritics 2'. */
    const char *args[] = { "remove_diacritics", "2" };
    if (!api || api->xFindTokenizer(api, "unicode61", &ud, &s->tokenizer) != SQLITE_OK ||
        s->tokenizer.xCreate(ud, args, 2, &s->tok) != SQLITE_OK) {
        s->tok = NULL;
        return -1;
    }
    return 0;
}

void sayso_words_close(sayso_store *s)
{
    if (s->tok) s->tokenizer.xDelete(s->tok);
    s->tok = NULL;
}

void sayso_words_forget(sayso_store *s)
{
    memset(s->words, 0, sizeof s->words);
}

static uint64_t word_hash(const char *w, int n)
{
    uint64_t h = 1469598103934665603ull;
    for (int i = 0; i < n; i++) h = (h ^ (unsigned char)w[i]) * 1099511628211ull;
    /* FNV's high bits barely move for a short word ("to", "so" and "no"
     * shared a set): splitmix64's finaliser spreads every bit. */
    h ^= h >> 30;
    h *= 0xbf58476d1ce4e5b9ull;
    h ^= h >> 27;
    h *= 0x94d049bb133111ebull;
    h ^= h >> 31;
    return h | 1; /* 0 marks an empty slot */
}

static int add_token(void *ctx, int flags, const char *tok, int n, int start, int end)
{
    (void)start;
    (void)end;
    sayso_store *s = ctx;
    if (flags & FTS5_TOKEN_COLOCATED) return SQLITE_OK;
    /* Two ways per set, the newest first: two common words that share a
     * set would otherwise take turns to push each other out, each time
     * costing a statement. */
    uint64_t h = word_hash(tok, n), *set = &s->words[(h >> 32) & (WORD_SLOTS - 2)];
    if (set[0] == h || set[1] == h) return SQLITE_OK;
    sqlite3_stmt *q = s->st[S_WORD];
    sqlite3_bind_text(q, 1, tok, n, SQLITE_STATIC);
    int rc = sqlite3_step(q);
    sqlite3_reset(q);
    if (rc != SQLITE_DONE) return rc;
    set[1] = set[0];
    set[0] = h;
    return SQLITE_OK;
}

static int ascii_alnum(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* unicode61 splits at every ASCII character that is not a letter or a
 * digit and lower-cases ASCII letters, so a run of ASCII letters and
 * digits between two such characters is a word as it stands, lower-cased;
 * only runs with other characters in them (é, ’) go through the tokenizer,
 * and most words of English quotes are plain ASCII. */
int sayso_words_add(sayso_store *s, const char *text, size_t len)
{
    if (len > INT32_MAX) return -1;
    char low[64];
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)text[i];
        if (c < 0x80 && !ascii_alnum(c)) {
            i++;
            continue;
        }
        size_t j = i;
        int plain = 1;
        while (j < len && ((unsigned char)text[j] >= 0x80 || ascii_alnum((unsigned char)text[j]))) {
            plain &= (unsigned char)text[j] < 0x80;
            j++;
        }
        int rc;
        if (plain && j - i <= sizeof low) {
            for (size_t k = i; k < j; k++) low[k - i] = (char)(text[k] >= 'A' && text[k] <= 'Z' ? text[k] + 32 : text[k]);
            rc = add_token(s, 0, low, (int)(j - i), 0, 0);
        } else {
            rc = s->tokenizer.xTokenize(s->tok, s, FTS5_TOKENIZE_DOCUMENT, text + i, (int)(j - i), add_token);
        }
        if (rc != SQLITE_OK) {
            sayso_store_set_err(s, "cannot keep the index's words");
            return -1;
        }
        i = j;
    }
    return 0;
}

/* ---- prefix expansion -------------------------------------------------- */

typedef struct {
    char *buf;
    size_t len, cap;
    int failed;
} strbuf;

static void put(strbuf *b, const char *p, size_t n)
{
    if (b->failed) return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1) cap *= 2;
        char *m = realloc(b->buf, cap);
        if (!m) {
            b->failed = 1;
            return;
        }
        b->buf = m;
        b->cap = cap;
    }
    memcpy(b->buf + b->len, p, n);
    b->len += n;
    b->buf[b->len] = 0;
}

static void cut(strbuf *b, size_t len)
{
    b->len = len;
    if (b->buf) b->buf[len] = 0;
}

/* FTS5's bareword characters (fts5_expr.c). */
static int bareword(unsigned char c)
{
    return c >= 0x80 || c == '_' || c == 0x1a || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
           (c >= 'A' && c <= 'Z');
}

typedef struct {
    char tok[256];
    int n, count;
} one_token;

static int one_token_cb(void *ctx, int flags, const char *tok, int n, int start, int end)
{
    (void)start;
    (void)end;
    one_token *t = ctx;
    if (flags & FTS5_TOKEN_COLOCATED) return SQLITE_OK;
    if (t->count++ == 0 && n < (int)sizeof t->tok) {
        memcpy(t->tok, tok, (size_t)n);
        t->n = n;
    }
    return SQLITE_OK;
}

/* The words that start with the prefix w[0..n), as "a" OR "b" ..., into
 * out; 0 when there are none or more than WORDS_MAX (or the prefix is not
 * one token), and FTS5 is to expand it. */
static int expand(sayso_store *s, const char *w, size_t n, strbuf *out)
{
    one_token t = { .n = -1 };
    if (s->tokenizer.xTokenize(s->tok, &t, FTS5_TOKENIZE_QUERY | FTS5_TOKENIZE_PREFIX, w, (int)n, one_token_cb) !=
            SQLITE_OK ||
        t.count != 1 || t.n <= 0)
        return 0;
    /* Every word from the prefix up to, not including, the prefix with
     * its last byte one higher: a range of the words' primary key. */
    char hi[256];
    memcpy(hi, t.tok, (size_t)t.n);
    int k = t.n;
    while (k > 0 && (unsigned char)hi[k - 1] == 0xff) k--;
    if (k == 0) return 0;
    hi[k - 1] = (char)((unsigned char)hi[k - 1] + 1);
    if (!s->words_q && sqlite3_prepare_v3(s->db, "SELECT term FROM words WHERE term >= ?1 AND term < ?2 LIMIT ?3",
                                          -1, SQLITE_PREPARE_PERSISTENT, &s->words_q, NULL) != SQLITE_OK)
        return 0;
    sqlite3_stmt *q = s->words_q;
    sqlite3_bind_text(q, 1, t.tok, t.n, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, hi, k, SQLITE_STATIC);
    sqlite3_bind_int(q, 3, WORDS_MAX + 1);
    size_t mark = out->len;
    int count = 0;
    put(out, "(", 1);
    while (sqlite3_step(q) == SQLITE_ROW) {
        const char *term = (const char *)sqlite3_column_text(q, 0);
        if (!term || ++count > WORDS_MAX) break;
        if (count > 1) put(out, " OR ", 4);
        put(out, "\"", 1);
        for (const char *p = term; *p; p++) {
            if (*p == '"') put(out, "\"\"", 2); /* none in unicode61's words; the quoting is FTS5's all the same */
            else put(out, p, 1);
        }
        put(out, "\"", 1);
    }
    sqlite3_reset(q);
    if (count == 0 || count > WORDS_MAX || out->failed) {
        cut(out, mark);
        return 0;
    }
    put(out, ")", 1);
    return count;
}

/* FTS5 ANDs phrases side by side ("bridg* june"), but not a parenthesised
 * group and a phrase: "(\"bridge\" OR \"bridges\") june" is a syntax error.
 * So an expanded prefix gets an AND with its neighbours, which means the
 * same (side by side binds tighter than OR, as AND does) unless NOT is in
 * the query (it binds tighter than AND): such a query stays as it is. */
/* A phrase or a group into out, after an AND if an expanded prefix came
 * just before it (*after == 2). */
static void put_operand(strbuf *out, const char *p, size_t n, int *after, int *anded)
{
    if (*after == 2) {
        put(out, " AND ", 5);
        *anded = 1;
    }
    put(out, p, n);
    *after = 1;
}

char *sayso_words_expand(sayso_store *s, const char *query, unsigned char *units, int *nphrases)
{
    if (!s->tok) return NULL;
    strbuf out = { 0 };
    int phrases = 0, nunits = 0, changed = 0, anded = 0, not = 0;
    int after = 0; /* what came last: 0 nothing to AND with, 1 a phrase or group, 2 an expanded prefix */
    for (const char *p = query; *p;) {
        unsigned char c = (unsigned char)*p;
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            put(&out, p++, 1);
            continue;
        }
        if (c == '(' || c == ')') {
            if (c == '(') put_operand(&out, p, 1, &after, &anded);
            else put(&out, p, 1);
            after = c == ')';
            p++;
            continue;
        }
        if (phrases >= SAYSO_RANK_PHRASES || nunits >= SAYSO_RANK_UNITS) goto keep;
        if (c == '"') {
            /* A phrase as written ("" is a quotation mark inside it). */
            const char *e = p + 1;
            for (; *e; e++)
                if (*e == '"') {
                    if (e[1] != '"') break;
                    e++;
                }
            if (!*e) goto keep;
            e++;
            if (*e == '*') e++;
            put_operand(&out, p, (size_t)(e - p), &after, &anded);
            units[phrases++] = (unsigned char)nunits++;
            p = e;
            continue;
        }
        if (!bareword(c)) goto keep; /* column filters, NEAR, +, ^: as FTS5 reads them */
        const char *e = p;
        while (bareword((unsigned char)*e)) e++;
        size_t n = (size_t)(e - p);
        if ((n == 2 && !memcmp(p, "OR", 2)) || (n == 3 && (!memcmp(p, "AND", 3) || !memcmp(p, "NOT", 3)))) {
            not |= n == 3 && p[0] == 'N';
            put(&out, p, n);
            after = 0;
            p = e;
            continue;
        }
        if (*e == '(' || (n == 4 && !memcmp(p, "NEAR", 4))) goto keep;
        int k = 0;
        size_t mark = out.len;
        if (*e == '*') {
            if (after) put(&out, " AND ", 5);
            k = expand(s, p, n, &out);
            if (k > SAYSO_RANK_PHRASES - phrases) goto keep;
            if (k) {
                for (int i = 0; i < k; i++) units[phrases++] = (unsigned char)nunits;
                nunits++;
                changed = 1;
                anded |= after;
                after = 2;
            } else {
                cut(&out, mark);
            }
            e++;
        }
        if (!k) {
            put_operand(&out, p, (size_t)(e - p), &after, &anded);
            units[phrases++] = (unsigned char)nunits++;
        }
        p = e;
    }
    if (!changed || out.failed || (anded && not)) goto keep;
    *nphrases = phrases;
    return out.buf;
keep:
    free(out.buf);
    return NULL;
}
