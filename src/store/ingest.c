/*
 * ingest.c — the write path: putting articles and their quotes in.
 *
 * Every statement is prepared once per open store and bound, never built
 * from strings. An article goes in all or nothing (a new one undone by
 * deleting it, a replacement inside a savepoint), inside the caller's
 * batch transaction, so that thousands of articles cost one commit. The
 * maintained counts follow by triggers (counts.c), in the same
 * transaction.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include "store_impl.h"

const char *const sayso_store_sql[N_STMT] = {
    [S_FIND] = "SELECT id, hash FROM articles WHERE doc = ?1",
    [S_INS_ART] = "INSERT INTO articles(doc, date, title, url, file, hash, text, authors, site, lang)"
                  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    [S_UPD_ART] = "UPDATE articles SET date = ?2, title = ?3, url = ?4, file = ?5, hash = ?6, text = ?7, authors = ?8,"
                  " site = ?9, lang = ?10 WHERE id = ?1",
    [S_DEL_ART] = "DELETE FROM articles WHERE id = ?1",
    [S_DEL_QUOTES] = "DELETE FROM quotes WHERE article_id = ?1",
    /* A replaced article's quotes out of the index, with the values they
     * went in with (a contentless index keeps none). */
    [S_UNINDEX] = "INSERT INTO quotes_fts(quotes_fts, rowid, text, meta) SELECT 'delete', q.id, q.text, " META_SQL
                  " FROM quotes q JOIN articles a ON a.id = q.article_id WHERE q.article_id = ?1",
    [S_INDEX] = "INSERT INTO quotes_fts(rowid, text, meta) VALUES (?1, ?2, ?3)",
    [S_WORD] = "INSERT OR IGNORE INTO words(term) VALUES (?1)",
    /* Find, then insert or rename: an upsert rewrites the row even when
     * the name stays, which made it the costliest statement of an ingest. */
    [S_SPEAKER] = "SELECT id, length(CAST(name AS BLOB)) FROM speakers WHERE key = ?1",
    [S_SP_INS] = "INSERT INTO speakers(key, name) VALUES (?1, ?2)",
    [S_SP_SET] = "UPDATE speakers SET name = ?2 WHERE id = ?1",
    [S_KEY_FIND] = "SELECT quotation_id FROM quote_keys WHERE key = ?1",
    [S_KEY_INS] = "INSERT OR REPLACE INTO quote_keys(key, quotation_id) VALUES (?1, ?2)",
    [S_QT_INS] = "INSERT INTO quotations(text) VALUES (?1)",
    [S_QT_TEXT] = "SELECT text FROM quotations WHERE id = ?1",
    [S_QT_SET] = "UPDATE quotations SET text = ?2 WHERE id = ?1",
    /* One statement for the four bands (an IN list would build a
     * temporary table every time), and one for the four new entries. */
    [S_NEAR_FIND] = "SELECT * FROM (SELECT quotation_id FROM near WHERE h = ?1 LIMIT 8)"
                    " UNION ALL SELECT * FROM (SELECT quotation_id FROM near WHERE h = ?2 LIMIT 8)"
                    " UNION ALL SELECT * FROM (SELECT quotation_id FROM near WHERE h = ?3 LIMIT 8)"
                    " UNION ALL SELECT * FROM (SELECT quotation_id FROM near WHERE h = ?4 LIMIT 8)",
    [S_NEAR_INS] = "INSERT OR IGNORE INTO near(h, quotation_id) VALUES (?1, ?5), (?2, ?5), (?3, ?5), (?4, ?5)",
    [S_INS_QUOTE] = "INSERT INTO quotes(article_id, ord, text, content, cue, source, cue_start, cue_end,"
                    " source_start, source_end, speaker_id, speaker, descriptors, speaker_age, type, confidence,"
                    " channel, addressee, said_on, said_on_text, quotation_id, date)"
                    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21,"
                    " ?22)",
    [S_SAVE] = "SAVEPOINT article",
    [S_RELEASE] = "RELEASE article",
    [S_ROLLBACK] = "ROLLBACK TO article",
    /* The maintained counts (schema 4): quotations with a report, as one
     * whose article was replaced by text without it stays in its table
     * but counts for nothing. */
    /* What a replaced article's quotes counted for, before they go. */
    [S_OLD_QUOTES] = "SELECT quotation_id, speaker_id, date FROM quotes WHERE article_id = ?1",
    /* The maintained counts (counts.c), a batch's changes at a time: a
     * kept row is read, then updated, inserted or deleted. (One upsert
     * with RETURNING did it in one statement, but made SQLite open and
     * close a table for the returned row and a statement journal at
     * every call: 8 % of an ingest's time.) */
    [S_T_QC] = "SELECT reports FROM quotation_counts WHERE quotation_id = ?1",
    [S_T_QC_UPD] = "UPDATE quotation_counts SET reports = reports + ?2, articles = articles + ?3 WHERE quotation_id = ?1",
    [S_T_QC_INS] = "INSERT INTO quotation_counts(quotation_id, reports, articles) VALUES (?1, ?2, ?3)",
    [S_T_QS] = "SELECT quotes FROM quotation_speakers WHERE quotation_id = ?1 AND speaker_id = ?2",
    [S_T_QS_UPD] = "UPDATE quotation_speakers SET quotes = quotes + ?3 WHERE quotation_id = ?1 AND speaker_id = ?2",
    [S_T_QS_INS] = "INSERT INTO quotation_speakers(quotation_id, speaker_id, quotes) VALUES (?1, ?2, ?3)",
    [S_T_QS_DEL] = "DELETE FROM quotation_speakers WHERE quotation_id = ?1 AND speaker_id = ?2",
    [S_T_SP] = "UPDATE speakers SET quotes = quotes + ?2, quotations = quotations + ?3, articles = articles + ?4"
               " WHERE id = ?1",
    [S_T_MON] = "SELECT quotes FROM speaker_months WHERE speaker_id = ?1 AND month = ?2",
    [S_T_MON_UPD] = "UPDATE speaker_months SET quotes = quotes + ?3 WHERE speaker_id = ?1 AND month = ?2",
    [S_T_MON_INS] = "INSERT INTO speaker_months(speaker_id, month, quotes) VALUES (?1, ?2, ?3)",
    [S_T_MON_DEL] = "DELETE FROM speaker_months WHERE speaker_id = ?1 AND month = ?2",
    [S_T_COUNTS] = "UPDATE counts SET articles = articles + ?1, quotes = quotes + ?2, quotations = quotations + ?3,"
                   " quotes_without_speaker = quotes_without_speaker + ?4",
    [S_COUNTS] = "SELECT articles, quotes, speakers, quotations FROM counts",
};

static int step_done(sqlite3_stmt *q)
{
    int rc = sqlite3_step(q);
    sqlite3_reset(q);
    return rc == SQLITE_DONE ? 0 : -1;
}

/* Empties the caches: after a rollback their ids may name rows that are
 * gone; after another writer they may miss a longer name or text. */
static void forget(sayso_store *s)
{
    memset(s->speakers, 0, sizeof s->speakers);
    memset(s->spellings, 0, sizeof s->spellings);
    memset(s->quotations, 0, sizeof s->quotations);
    sayso_words_forget(s);
}

int sayso_store_begin(sayso_store *s)
{
    if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
        sayso_store_set_err(s, "cannot begin a transaction");
        return -1;
    }
    long long dv = sayso_query_int(s->db, "PRAGMA data_version");
    /* The caches start empty (calloc): clearing 7 MB that no one has
     * touched yet would only fault its pages in. */
    if (s->data_version && dv != s->data_version) forget(s);
    s->data_version = dv;
    s->pending.len = 0;
    sayso_tally_clear(s);
    return 0;
}

/* Adds a stored quote to what the index is to get. */
static int pend(sayso_store *s, long long rowid, const char *text, size_t tl, const char *meta, size_t ml)
{
    pending_fts *p = &s->pending;
    size_t need = sizeof rowid + 2 * sizeof(uint32_t) + tl + ml;
    if (tl > UINT32_MAX || ml > UINT32_MAX) return -1;
    if (p->len + need > p->cap) {
        size_t cap = p->cap ? p->cap : 65536;
        while (cap < p->len + need) cap *= 2;
        char *b = realloc(p->buf, cap);
        if (!b) return -1;
        p->buf = b;
        p->cap = cap;
    }
    uint32_t l[2] = { (uint32_t)tl, (uint32_t)ml };
    memcpy(p->buf + p->len, &rowid, sizeof rowid);
    memcpy(p->buf + p->len + sizeof rowid, l, sizeof l);
    memcpy(p->buf + p->len + sizeof rowid + sizeof l, text, tl);
    memcpy(p->buf + p->len + sizeof rowid + sizeof l + tl, meta, ml);
    p->len += need;
    return 0;
}

/* Puts the pending quotes into the full-text index. Only between
 * articles: inside an article's savepoint, a rollback would leave them
 * indexed. */
static int index_pending(sayso_store *s)
{
    pending_fts *p = &s->pending;
    sqlite3_stmt *q = s->st[S_INDEX];
    for (size_t at = 0; at < p->len;) {
        long long rowid;
        uint32_t l[2];
        memcpy(&rowid, p->buf + at, sizeof rowid);
        memcpy(l, p->buf + at + sizeof rowid, sizeof l);
        const char *text = p->buf + at + sizeof rowid + sizeof l;
        sqlite3_bind_int64(q, 1, rowid);
        sqlite3_bind_text(q, 2, text, (int)l[0], SQLITE_STATIC);
        sqlite3_bind_text(q, 3, text + l[0], (int)l[1], SQLITE_STATIC);
        if (sayso_words_add(s, text, l[0]) < 0 || step_done(q) < 0) {
            /* What went in stays in; a retry starts after it. */
            memmove(p->buf, p->buf + at, p->len - at);
            p->len -= at;
            sayso_store_set_err(s, "cannot index");
            return -1;
        }
        at += sizeof rowid + sizeof l + l[0] + l[1];
    }
    p->len = 0;
    return 0;
}

int sayso_store_commit(sayso_store *s)
{
    /* The batch's quotes into the full-text index, in the same
     * transaction: a crash leaves both or neither. */
    if (index_pending(s) < 0 || sayso_tally_flush(s) < 0) return -1;
    if (sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        sayso_store_set_err(s, "cannot commit");
        return -1;
    }
    return 0;
}

/* FNV-1a over the article's text and metadata: what makes it "changed".
 * Authors, site and lang count only when one is there, so that an article
 * stored before they existed is not "changed" by reading it again. */
static int64_t content_hash(const sayso_article *a)
{
    uint64_t h = 1469598103934665603ull;
    const char *parts[6] = { a->date, a->title, a->url, a->authors, a->site, a->lang };
    int n = a->authors || a->site || a->lang ? 6 : 3;
    for (int i = 0; i < n; i++) {
        for (const char *p = parts[i] ? parts[i] : ""; *p; p++) h = (h ^ (unsigned char)*p) * 1099511628211ull;
        h = (h ^ 0xff) * 1099511628211ull; /* separator: ("ab","c") ≠ ("a","bc") */
    }
    for (size_t i = 0; i < a->len; i++) h = (h ^ (unsigned char)a->text[i]) * 1099511628211ull;
    return (int64_t)h;
}

static void bind_text_or_null(sqlite3_stmt *q, int i, const char *s, int n)
{
    if (s) sqlite3_bind_text(q, i, s, n, SQLITE_TRANSIENT);
    else sqlite3_bind_null(q, i);
}

/* Looks the article up: 1 and its row id and hash when stored, 0 if not. */
static int find(sayso_store *s, const char *doc, long long *id, int64_t *hash)
{
    sqlite3_stmt *q = s->st[S_FIND];
    sqlite3_bind_text(q, 1, doc, -1, SQLITE_STATIC);
    int rc = sqlite3_step(q), found = 0;
    if (rc == SQLITE_ROW) {
        *id = sqlite3_column_int64(q, 0);
        *hash = sqlite3_column_int64(q, 1);
        found = 1;
    } else if (rc != SQLITE_DONE) {
        found = -1;
    }
    sqlite3_reset(q);
    sqlite3_clear_bindings(q);
    if (found < 0) sayso_store_set_err(s, "cannot read");
    return found;
}

int sayso_store_has(sayso_store *s, const sayso_article *art)
{
    s->seen_text = NULL;
    if (!art->id) return 0;
    int f = find(s, art->id, &s->seen_row, &s->seen_old);
    if (f < 0) return -1;
    s->seen_found = f;
    s->seen_hash = content_hash(art);
    s->seen_text = art->text;
    s->seen_len = art->len;
    s->seen_id = art->id;
    return f && s->seen_old == s->seen_hash;
}

/* The quote's spans as JSON, "[[s, e], ...]", into buf. */
static void spans_json(const sayso_quote *q, char *buf, size_t cap)
{
    size_t k = 0;
    int n = q->n_content < 0 ? 0 : q->n_content > SAYSO_MAX_FRAGMENTS ? SAYSO_MAX_FRAGMENTS : q->n_content;
    k += (size_t)snprintf(buf + k, cap - k, "[");
    for (int i = 0; i < n && k < cap; i++)
        k += (size_t)snprintf(buf + k, cap - k, "%s[%zu, %zu]", i ? ", " : "", q->content[i].start, q->content[i].end);
    if (k < cap) snprintf(buf + k, cap - k, "]");
}

/* A span's text, clamped to the article. */
static void bind_span_text(sqlite3_stmt *st, int i, const sayso_article *a, const sayso_span *sp, int has)
{
    if (!has) { sqlite3_bind_null(st, i); return; }
    size_t b = sp->byte_start, e = sp->byte_end;
    if (e > a->len) e = a->len;
    if (b > e) b = e;
    sqlite3_bind_text(st, i, a->text + b, (int)(e - b), SQLITE_STATIC); /* the article outlives the step */
}

static uint64_t fnv(const char *p, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)p[i]) * 1099511628211ull;
    return h | 1; /* never 0, the empty slot */
}

static int run(sqlite3_stmt *q)
{
    int rc = sqlite3_step(q);
    sqlite3_reset(q);
    sqlite3_clear_bindings(q);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : -1;
}

/* The speaker's row: from the cache, or found, made, or renamed (the
 * longest spelling of a name wins: "José" over "Jose"). -1 on error. */
static long long speaker_for(sayso_store *s, const char *name)
{
    /* A spelling met before: its row has this name or a longer one, so
     * there is nothing to do, and no key to make (folding and stripping a
     * name costs more than the rest of a cache hit). */
    size_t nl = strlen(name);
    uint64_t sp = fnv(name, nl);
    cache_slot *w = &s->spellings[sp % SPEAKER_SLOTS];
    if (w->key == sp) return w->id;
    char key[512];
    size_t kl = sayso_speaker_key(name, key, sizeof key);
    uint64_t h = fnv(key, kl);
    cache_slot *c = &s->speakers[h % SPEAKER_SLOTS];
    if (c->key == h && nl <= c->len) {
        w->key = sp;
        w->id = c->id;
        return c->id;
    }
    long long id = -1;
    size_t have = 0;
    sqlite3_stmt *q = s->st[S_SPEAKER];
    sqlite3_bind_text(q, 1, key, (int)kl, SQLITE_STATIC);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        id = sqlite3_column_int64(q, 0);
        have = (size_t)sqlite3_column_int64(q, 1);
    }
    sqlite3_reset(q);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) goto fail;
    if (id < 0) {
        q = s->st[S_SP_INS];
        sqlite3_bind_text(q, 1, key, (int)kl, SQLITE_STATIC);
        sqlite3_bind_text(q, 2, name, (int)nl, SQLITE_STATIC);
        if (run(q) < 0) goto fail;
        id = sqlite3_last_insert_rowid(s->db);
    } else if (nl > have) {
        q = s->st[S_SP_SET];
        sqlite3_bind_int64(q, 1, id);
        sqlite3_bind_text(q, 2, name, (int)nl, SQLITE_STATIC);
        if (run(q) < 0) goto fail;
    }
    c->key = h;
    c->id = id;
    c->len = nl > have ? nl : have;
    w->key = sp;
    w->id = id;
    return id;
fail:
    sayso_store_set_err(s, "cannot store a speaker");
    return -1;
}

/* The shingles of candidate quotation id into s->other (its signature is
 * not needed: it was found by it). 0, or -1 when it has no row. */
static int candidate_shingles(sayso_store *s, long long id)
{
    sqlite3_stmt *q = s->st[S_QT_TEXT];
    sqlite3_bind_int64(q, 1, id);
    int found = sqlite3_step(q) == SQLITE_ROW;
    if (found) {
        const char *t = (const char *)sqlite3_column_text(q, 0);
        sayso_sketch_shingles(t ? t : "", t ? (size_t)sqlite3_column_bytes(q, 0) : 0, &s->other);
    }
    sqlite3_reset(q);
    return found ? 0 : -1;
}

/* Makes text the quotation's text: a fuller report of words that were
 * first seen trimmed. */
static int lengthen(sayso_store *s, long long id, const char *text, size_t len)
{
    sqlite3_bind_int64(s->st[S_QT_SET], 1, id);
    sqlite3_bind_text(s->st[S_QT_SET], 2, text, (int)len, SQLITE_STATIC);
    return run(s->st[S_QT_SET]);
}

/* The quotation a quote's words belong to, -1 on error. In order: a form
 * seen before (cache, then quote_keys); a near-duplicate of a stored
 * quotation (candidates sharing a MinHash value, confirmed by
 * containment); else a new quotation. A new form is remembered under its
 * key and its MinHash values either way.
 *
 * A quotation keeps the text it was first seen with, unless a later report
 * holds all of its words and more (it was first seen trimmed): a lightly
 * edited or re-punctuated report does not rewrite it, which keeps the
 * full-text index still. */
static long long quotation_for(sayso_store *s, const char *text, size_t len)
{
    /* The words are walked once: for the key, and, when the key is new,
     * for the sketch. */
    long long key = sayso_sketch_start(text, len, &s->sk), id = -1;
    cache_slot *c = &s->quotations[(uint64_t)key % QUOTATION_SLOTS];
    if (c->key == (uint64_t)key) return c->id;
    sqlite3_stmt *q = s->st[S_KEY_FIND];
    sqlite3_bind_int64(q, 1, key);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) id = sqlite3_column_int64(q, 0);
    sqlite3_reset(q);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) goto fail;
    if (id < 0) {
        int near = sayso_sketch_finish(&s->sk);
        if (near) {
            /* The best-contained candidate, if good enough. */
            double best = SAYSO_NEAR_CONTAINMENT;
            int grow = 0;
            long long cand[16];
            int nc = 0;
            q = s->st[S_NEAR_FIND];
            for (int j = 0; j < SAYSO_NEAR_HASHES; j++) sqlite3_bind_int64(q, j + 1, s->sk.sig[j]);
            while ((rc = sqlite3_step(q)) == SQLITE_ROW && nc < 16) {
                long long v = sqlite3_column_int64(q, 0);
                int dup = 0;
                for (int i = 0; i < nc && !dup; i++) dup = cand[i] == v;
                if (!dup) cand[nc++] = v;
            }
            sqlite3_reset(q);
            if (rc != SQLITE_ROW && rc != SQLITE_DONE) goto fail;
            for (int i = 0; i < nc; i++) {
                if (candidate_shingles(s, cand[i]) < 0) continue;
                double k = sayso_containment(&s->sk, &s->other);
                if (k >= best) {
                    best = k;
                    id = cand[i];
                    grow = k >= 1.0 && s->other.n_shingles < s->sk.n_shingles;
                }
            }
            if (grow && lengthen(s, id, text, len) < 0) goto fail;
        }
        if (id < 0) {
            sqlite3_bind_text(s->st[S_QT_INS], 1, text, (int)len, SQLITE_STATIC);
            if (run(s->st[S_QT_INS]) < 0) goto fail;
            id = sqlite3_last_insert_rowid(s->db);
            if (sayso_tally_fresh(s, id) < 0) goto fail;
        }
        sqlite3_bind_int64(s->st[S_KEY_INS], 1, key);
        sqlite3_bind_int64(s->st[S_KEY_INS], 2, id);
        if (run(s->st[S_KEY_INS]) < 0) goto fail;
        if (near) {
            for (int j = 0; j < SAYSO_NEAR_HASHES; j++) sqlite3_bind_int64(s->st[S_NEAR_INS], j + 1, s->sk.sig[j]);
            sqlite3_bind_int64(s->st[S_NEAR_INS], 5, id);
            if (run(s->st[S_NEAR_INS]) < 0) goto fail;
        }
    }
    c->key = (uint64_t)key;
    c->id = id;
    return id;
fail:
    sayso_store_set_err(s, "cannot store a quotation's group");
    return -1;
}

/* JSON string of s into b (cap bytes, NUL-terminated); returns bytes
 * written, or cap when it did not fit. */
static size_t json_str(char *b, size_t cap, const char *str)
{
    size_t k = 0;
    if (k + 1 >= cap) return cap;
    b[k++] = '"';
    for (const unsigned char *p = (const unsigned char *)str; *p; p++) {
        if (k + 8 >= cap) return cap;
        if (*p == '"' || *p == '\\') { b[k++] = '\\'; b[k++] = (char)*p; }
        else if (*p < 0x20) k += (size_t)snprintf(b + k, cap - k, "\\u%04x", *p);
        else b[k++] = (char)*p;
    }
    if (k + 2 >= cap) return cap;
    b[k++] = '"';
    b[k] = 0;
    return k;
}

static int put_quote(sayso_store *s, long long article, int ord, const sayso_article *a, const sayso_quote *q)
{
    long long speaker = -1;
    if (q->speaker && *q->speaker && (speaker = speaker_for(s, q->speaker)) < 0) return -1;
    const char *qtext = q->text ? q->text : "";
    long long quotation = quotation_for(s, qtext, strlen(qtext));
    if (quotation < 0) return -1;
    char content[SAYSO_MAX_FRAGMENTS * 48 + 8];
    spans_json(q, content, sizeof content);
    /* Descriptors as a JSON array; what does not fit in 2 KB is left out. */
    char desc[2048];
    size_t dl = 0;
    if (q->n_descriptors && q->descriptors) {
        desc[dl++] = '[';
        for (size_t i = 0; i < q->n_descriptors; i++) {
            if (!q->descriptors[i]) continue;
            size_t mark = dl;
            if (dl > 1) desc[dl++] = ',';
            size_t w = json_str(desc + dl, sizeof desc - dl - 2, q->descriptors[i]);
            if (w >= sizeof desc - dl - 2) { dl = mark; break; }
            dl += w;
        }
        desc[dl++] = ']';
    }
    desc[dl] = 0;
    sqlite3_stmt *st = s->st[S_INS_QUOTE];
    sqlite3_bind_int64(st, 1, article);
    sqlite3_bind_int(st, 2, ord);
    sqlite3_bind_text(st, 3, q->text ? q->text : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, content, -1, SQLITE_STATIC);
    bind_span_text(st, 5, a, &q->cue, q->has_cue);
    bind_span_text(st, 6, a, &q->source, q->has_source);
    if (q->has_cue) { sqlite3_bind_int64(st, 7, (long long)q->cue.start); sqlite3_bind_int64(st, 8, (long long)q->cue.end); }
    else { sqlite3_bind_null(st, 7); sqlite3_bind_null(st, 8); }
    if (q->has_source) { sqlite3_bind_int64(st, 9, (long long)q->source.start); sqlite3_bind_int64(st, 10, (long long)q->source.end); }
    else { sqlite3_bind_null(st, 9); sqlite3_bind_null(st, 10); }
    if (speaker >= 0) sqlite3_bind_int64(st, 11, speaker);
    else sqlite3_bind_null(st, 11);
    bind_text_or_null(st, 12, q->speaker, -1);
    bind_text_or_null(st, 13, dl ? desc : NULL, (int)dl);
    if (q->speaker_age > 0) sqlite3_bind_int(st, 14, q->speaker_age);
    else sqlite3_bind_null(st, 14);
    sqlite3_bind_text(st, 15, sayso_quote_type_name(q->type), -1, SQLITE_STATIC);
    sqlite3_bind_double(st, 16, (double)(long)(q->confidence * 100 + 0.5) / 100.0); /* as printed: 0.85 */
    bind_text_or_null(st, 17, q->channel, -1);
    bind_text_or_null(st, 18, q->addressee, -1);
    bind_text_or_null(st, 19, q->said_on, -1);
    bind_text_or_null(st, 20, q->said_on_text, -1);
    sqlite3_bind_int64(st, 21, quotation);
    bind_text_or_null(st, 22, a->date, -1);
    int rc = step_done(st);
    sqlite3_clear_bindings(st);
    if (rc < 0) {
        sayso_store_set_err(s, "cannot store a quotation");
        return -1;
    }
    if (sayso_tally_stage(s, quotation, speaker, a->date, +1) < 0) return -1;
    char meta[160];
    size_t ml = sayso_meta_words(meta, sizeof meta, speaker, q->channel, a->date);
    if (pend(s, sqlite3_last_insert_rowid(s->db), qtext, strlen(qtext), meta, ml) < 0) {
        snprintf(s->err, sizeof s->err, "%s: out of memory", s->path);
        return -1;
    }
    return 0;
}

/* What the quotes of a replaced article counted for, staged to be taken
 * away (inside its savepoint: a rollback puts them back, and the stage is
 * dropped). */
static int stage_old_quotes(sayso_store *s, long long article)
{
    sqlite3_stmt *q = s->st[S_OLD_QUOTES];
    sqlite3_bind_int64(q, 1, article);
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        long long sp = sqlite3_column_type(q, 1) == SQLITE_NULL ? 0 : sqlite3_column_int64(q, 1);
        if (sayso_tally_stage(s, sqlite3_column_int64(q, 0), sp, (const char *)sqlite3_column_text(q, 2), -1) < 0) {
            sqlite3_reset(q);
            return -1;
        }
    }
    sqlite3_reset(q);
    if (rc != SQLITE_DONE) {
        sayso_store_set_err(s, "cannot replace an article");
        return -1;
    }
    return 0;
}

sayso_put_result sayso_store_put(sayso_store *s, const sayso_article *a, const char *file, const sayso_quote *q,
                                 size_t n)
{
    if (!a->id || !*a->id) {
        snprintf(s->err, sizeof s->err, "%s: an article without an id cannot be stored", s->path);
        return SAYSO_PUT_ERROR;
    }
    int64_t h, old = 0;
    long long id = 0;
    int found;
    if (s->seen_text && s->seen_text == a->text && s->seen_len == a->len && s->seen_id == a->id) {
        h = s->seen_hash;
        found = s->seen_found;
        id = s->seen_row;
        old = s->seen_old;
    } else {
        h = content_hash(a);
        found = find(s, a->id, &id, &old);
        if (found < 0) return SAYSO_PUT_ERROR;
    }
    s->seen_text = NULL;
    if (found && old == h) return SAYSO_PUT_UNCHANGED;
    sayso_tally_unstage(s);
    if (sayso_tally_full(s) && sayso_tally_flush(s) < 0) return SAYSO_PUT_ERROR;

    /* A replaced article's old quotes may still be pending: indexed first,
     * they can then be taken out like any other. */
    if ((found || s->pending.len > PENDING_MAX) && index_pending(s) < 0) return SAYSO_PUT_ERROR;
    size_t mark = s->pending.len;
    /* All or nothing. A replacement goes inside a savepoint: until the new
     * version is whole, the old one must be there to come back. A new
     * article does without one: a savepoint copies every page the article
     * touches before changing it (a tenth of an ingest's time), and a new
     * article that fails half-way is undone by deleting it, which takes
     * its quotes with it. What may stay behind then is only what no
     * count, search or report reaches: a quotation's words or a speaker's
     * name that no quote points to, as a replaced article leaves too. */
    int inserted = 0;
    if (found && step_done(s->st[S_SAVE]) < 0) {
        sayso_store_set_err(s, "cannot start an article");
        return SAYSO_PUT_ERROR;
    }
    sqlite3_stmt *st = s->st[found ? S_UPD_ART : S_INS_ART];
    if (found) {
        sqlite3_bind_int64(st, 1, id);
        /* The old reports go, from the index and the table; their
         * quotations stay, with the other reports they have (one without
         * any is found by no search and reported by nothing, and comes
         * back if its words do). */
        sqlite3_bind_int64(s->st[S_UNINDEX], 1, id);
        sqlite3_bind_int64(s->st[S_DEL_QUOTES], 1, id);
        if (stage_old_quotes(s, id) < 0 || step_done(s->st[S_UNINDEX]) < 0 || step_done(s->st[S_DEL_QUOTES]) < 0) {
            sayso_store_set_err(s, "cannot replace an article");
            goto fail;
        }
    } else {
        sqlite3_bind_text(st, 1, a->id, -1, SQLITE_STATIC);
    }
    bind_text_or_null(st, 2, a->date, -1);
    bind_text_or_null(st, 3, a->title, -1);
    bind_text_or_null(st, 4, a->url, -1);
    bind_text_or_null(st, 5, file, -1);
    sqlite3_bind_int64(st, 6, h);
    sqlite3_bind_text(st, 7, a->text ? a->text : "", (int)a->len, SQLITE_STATIC);
    bind_text_or_null(st, 8, a->authors, -1);
    bind_text_or_null(st, 9, a->site, -1);
    bind_text_or_null(st, 10, a->lang, -1);
    if (step_done(st) < 0) {
        sqlite3_clear_bindings(st);
        sayso_store_set_err(s, "cannot store an article");
        goto fail;
    }
    sqlite3_clear_bindings(st);
    if (!found) {
        id = sqlite3_last_insert_rowid(s->db);
        inserted = 1;
    }
    for (size_t i = 0; i < n; i++)
        if (put_quote(s, id, (int)i, a, &q[i]) < 0) goto fail;
    if (found && step_done(s->st[S_RELEASE]) < 0) {
        sayso_store_set_err(s, "cannot finish an article");
        goto fail;
    }
    /* In: its quotes count (a failure above drops them, below). */
    if (sayso_tally_article(s, found ? 0 : 1) < 0) goto fail;
    return found ? SAYSO_PUT_REPLACED : SAYSO_PUT_ADDED;
fail:
    /* Keep the message: undoing would overwrite the error state. */
    {
        char keep[sizeof s->err];
        memcpy(keep, s->err, sizeof keep);
        int undone = 1;
        if (found) {
            undone = step_done(s->st[S_ROLLBACK]) == 0;
            step_done(s->st[S_RELEASE]);
        } else if (inserted) {
            /* Its quotes first, explicitly (the triggers that keep the
             * counts see each one go), then the article. */
            sqlite3_bind_int64(s->st[S_DEL_QUOTES], 1, id);
            sqlite3_bind_int64(s->st[S_DEL_ART], 1, id);
            undone = step_done(s->st[S_DEL_QUOTES]) == 0 && step_done(s->st[S_DEL_ART]) == 0;
        }
        memcpy(s->err, keep, sizeof keep);
        s->pending.len = mark;
        sayso_tally_unstage(s);
        if (sqlite3_get_autocommit(s->db)) {
            /* SQLite gave up the whole batch (a full disk, an I/O error). */
            s->pending.len = 0;
            sayso_tally_clear(s);
            size_t k = strlen(s->err);
            snprintf(s->err + k, sizeof s->err - k, " (the batch was rolled back: put its articles again)");
        } else if (!undone) {
            size_t k = strlen(s->err);
            snprintf(s->err + k, sizeof s->err - k, " (and could not be undone: close the store without committing the batch)");
        }
        forget(s);
    }
    return SAYSO_PUT_ERROR;
}

