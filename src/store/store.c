/*
 * store.c — the quote store on SQLite: schema, migrations, and putting
 * articles in.
 *
 * A store is recognised by its application_id ('SAYS'); its schema version
 * is the user_version. Every statement is prepared once per open store and
 * bound, never built from strings. An article goes in all or nothing (a
 * new one undone by deleting it, a replacement inside a savepoint), inside
 * the caller's batch transaction, so that thousands of articles cost one
 * commit.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <sqlite3.h>
#include <utf8proc.h>
#include "group.h"

#include "store.h"

#define APP_ID 0x53415953 /* "SAYS" */

/* Schema version 1 (later versions are migrations from it, below).
 * Quotation spans are JSON arrays of [start, end] code
 * point pairs, as in `sayso extract`. quotes_fts indexes the quoted words
 * (external content: the text lives once, in quotes; version 3 makes it
 * contentless). It is filled per batch, not by a trigger per row (see
 * pending_fts). */
static const char SCHEMA_V1[] =
    "CREATE TABLE articles ("
    "  id INTEGER PRIMARY KEY,"
    "  doc TEXT NOT NULL UNIQUE,"
    "  date TEXT, title TEXT, url TEXT, file TEXT,"
    "  hash INTEGER NOT NULL,"
    "  text TEXT NOT NULL);"
    "CREATE INDEX articles_date ON articles(date);"
    "CREATE TABLE speakers ("
    "  id INTEGER PRIMARY KEY,"
    "  key TEXT NOT NULL UNIQUE,"
    "  name TEXT NOT NULL);"
    "CREATE TABLE quotes ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,"
    "  ord INTEGER NOT NULL,"
    "  text TEXT NOT NULL,"
    "  content TEXT NOT NULL,"
    "  cue TEXT, source TEXT,"
    "  cue_start INTEGER, cue_end INTEGER, source_start INTEGER, source_end INTEGER,"
    "  speaker_id INTEGER REFERENCES speakers(id),"
    "  speaker TEXT, descriptors TEXT, speaker_age INTEGER,"
    "  type TEXT NOT NULL, confidence REAL NOT NULL,"
    "  channel TEXT, addressee TEXT, said_on TEXT, said_on_text TEXT);"
    "CREATE INDEX quotes_article ON quotes(article_id);"
    "CREATE INDEX quotes_speaker ON quotes(speaker_id);"
    "CREATE VIRTUAL TABLE quotes_fts USING fts5(text, content='quotes', content_rowid='id',"
    "  tokenize='unicode61 remove_diacritics 2');";

/* migrations[v] takes a store from version v to v + 1.
 *
 * 1 → 2: quotations. The same words reported by many articles are one
 * quotation; each stored quote points to its quotation, found by a key of
 * the normalised words (sayso_quote_key: case, diacritics, punctuation,
 * quotation marks and spacing do not count). */
static const char MIGRATE_1_2[] =
    "CREATE TABLE quotations ("
    "  id INTEGER PRIMARY KEY,"
    "  key INTEGER NOT NULL UNIQUE,"
    "  text TEXT NOT NULL);"
    "ALTER TABLE quotes ADD COLUMN quotation_id INTEGER REFERENCES quotations(id);"
    "INSERT INTO quotations(key, text)"
    "  SELECT sayso_quote_key(text), text FROM quotes WHERE true"
    "  ON CONFLICT(key) DO UPDATE SET text = CASE WHEN length(excluded.text) > length(text)"
    "  THEN excluded.text ELSE text END;"
    "UPDATE quotes SET quotation_id = (SELECT id FROM quotations WHERE key = sayso_quote_key(quotes.text));"
    "CREATE INDEX quotes_quotation ON quotes(quotation_id);";

/* A quote's filters as index words, from quotes q and its article a:
 * s<speaker id>, c<channel without spaces>, and the article's date as
 * y<yyyy>, m<yyyymm>, d<yyyymmdd> (meta_words). A date range becomes an OR
 * of the fewest such words (date_words). Every path that puts a row into
 * the index or takes one out computes them with the same C function: a
 * contentless index can only forget the words it is told again. */
#define META_SQL "sayso_meta(q.speaker_id, q.channel, a.date)"

/* 2 → 3: near-duplicates. A quotation is no longer one key: every
 * normalised form seen (the whole quote, a trimmed one, one with a word
 * changed) maps to it in quote_keys, and its MinHash values (group.h) in
 * near find the candidates for a new form. quotations keeps its first
 * form as its text, or a later one that holds all of its words and more.
 * Forms stored before keep their exact groups.
 *
 * The full-text index gets a second column, meta: each quote's filters as
 * words (META_SQL), so that "this phrase, by this speaker, in March 2016"
 * is one FTS5 query whose posting lists are intersected inside the index,
 * instead of a check per matching row. It holds no copy of the text
 * (contentless): quotes has it.
 *
 * quotes gets its article's date, and the index by quotation holds the
 * date, article and speaker: a search hit's first report, article count
 * and speakers then come from one run of index entries, not from a row
 * read for each report, scattered over the file (a quotation reported a
 * thousand times cost a hundred milliseconds); so does the index by
 * speaker for a speaker's profile. quotes_to_quotation is the
 * same idea the other way: from the reports a search matched to their
 * quotations through a narrow index that stays in memory, not through
 * rows that are mostly quoted text. */
static const char MIGRATE_2_3[] =
    "CREATE TABLE quote_keys (key INTEGER PRIMARY KEY, quotation_id INTEGER NOT NULL);"
    "INSERT INTO quote_keys(key, quotation_id) SELECT key, id FROM quotations;"
    "CREATE TABLE quotations_3 (id INTEGER PRIMARY KEY, text TEXT NOT NULL);"
    "INSERT INTO quotations_3(id, text) SELECT id, text FROM quotations;"
    "DROP TABLE quotations;"
    "ALTER TABLE quotations_3 RENAME TO quotations;"
    "CREATE TABLE near (h INTEGER NOT NULL, quotation_id INTEGER NOT NULL,"
    "  PRIMARY KEY (h, quotation_id)) WITHOUT ROWID;"
    "INSERT OR IGNORE INTO near(h, quotation_id)"
    "  SELECT sayso_near(q.text, b.n), q.id FROM quotations q,"
    "  (SELECT 0 AS n UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3) b"
    "  WHERE sayso_near(q.text, b.n) IS NOT NULL;"
    "DROP TABLE quotes_fts;"
    "CREATE VIRTUAL TABLE quotes_fts USING fts5(text, meta, content='',"
    "  tokenize='unicode61 remove_diacritics 2');"
    "INSERT INTO quotes_fts(rowid, text, meta) SELECT q.id, q.text, " META_SQL
    "  FROM quotes q JOIN articles a ON a.id = q.article_id;"
    "ALTER TABLE quotes ADD COLUMN date TEXT;"
    "UPDATE quotes SET date = (SELECT date FROM articles WHERE id = quotes.article_id);"
    "DROP INDEX quotes_quotation;"
    "CREATE INDEX quotes_quotation ON quotes(quotation_id, date, article_id, speaker_id);"
    "DROP INDEX quotes_speaker;"
    "CREATE INDEX quotes_speaker ON quotes(speaker_id, date, quotation_id, article_id);"
    "CREATE INDEX quotes_to_quotation ON quotes(id, quotation_id);";

static const char *const migrations[] = { NULL, MIGRATE_1_2, MIGRATE_2_3 };

enum { S_FIND, S_INS_ART, S_UPD_ART, S_DEL_ART, S_DEL_QUOTES, S_UNINDEX, S_SPEAKER, S_INS_QUOTE, S_INDEX,
       S_SP_INS, S_SP_SET, S_KEY_FIND, S_KEY_INS, S_QT_INS, S_QT_TEXT, S_QT_SET, S_NEAR_FIND, S_NEAR_INS,
       S_SAVE, S_RELEASE, S_ROLLBACK, S_COUNT_A, S_COUNT_Q, S_COUNT_S, S_COUNT_G, N_STMT };

static const char *const SQL[N_STMT] = {
    [S_FIND] = "SELECT id, hash FROM articles WHERE doc = ?1",
    [S_INS_ART] = "INSERT INTO articles(doc, date, title, url, file, hash, text) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    [S_UPD_ART] = "UPDATE articles SET date = ?2, title = ?3, url = ?4, file = ?5, hash = ?6, text = ?7 WHERE id = ?1",
    [S_DEL_ART] = "DELETE FROM articles WHERE id = ?1",
    [S_DEL_QUOTES] = "DELETE FROM quotes WHERE article_id = ?1",
    /* A replaced article's quotes out of the index, with the values they
     * went in with (a contentless index keeps none). */
    [S_UNINDEX] = "INSERT INTO quotes_fts(quotes_fts, rowid, text, meta) SELECT 'delete', q.id, q.text, " META_SQL
                  " FROM quotes q JOIN articles a ON a.id = q.article_id WHERE q.article_id = ?1",
    [S_INDEX] = "INSERT INTO quotes_fts(rowid, text, meta) VALUES (?1, ?2, ?3)",
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
    [S_COUNT_A] = "SELECT count(*) FROM articles",
    [S_COUNT_Q] = "SELECT count(*) FROM quotes",
    [S_COUNT_S] = "SELECT count(*) FROM speakers",
    /* Quotations with a report: one whose article was replaced by text
     * without it stays in its table but counts for nothing. */
    [S_COUNT_G] = "SELECT count(DISTINCT quotation_id) FROM quotes",
};

/* What the ingest learnt of speakers and quotation keys, so that the next
 * report of a known one costs no statement. Direct-mapped and lossy: a
 * miss only means asking SQLite, and memory stays fixed however big the
 * store grows. Emptied whenever it may be wrong: after a rollback, and
 * when another connection has written (PRAGMA data_version). */
#define SPEAKER_SLOTS 32768
#define QUOTATION_SLOTS 262144
typedef struct {
    uint64_t key;   /* 0: empty */
    long long id;
    size_t len;     /* of the longest name or text stored for it */
} cache_slot;

/* Quotes stored but not yet in the full-text index: rowid, then the
 * lengths and bytes of text and meta. FTS5 writes out the terms it holds
 * at savepoints, and replacements use them: indexed together before the
 * commit (or when this holds PENDING_MAX bytes), a batch's quotes make one
 * segment, not one per savepoint. */
#define PENDING_MAX (16u << 20)
typedef struct {
    char *buf;
    size_t len, cap;
} pending_fts;

struct sayso_store {
    sqlite3 *db;
    sqlite3_stmt *st[N_STMT];
    pending_fts pending;
    /* What sayso_store_has() found, for the sayso_store_put() of the same
     * article that usually follows: one lookup and one hash, not two. */
    const char *seen_text, *seen_id;
    size_t seen_len;
    int64_t seen_hash, seen_old;
    long long seen_row;
    int seen_found;
    long long data_version;
    cache_slot speakers[SPEAKER_SLOTS];
    cache_slot spellings[SPEAKER_SLOTS]; /* by the name as written: no key to make */
    cache_slot quotations[QUOTATION_SLOTS];
    sayso_sketch sk, other; /* 10 KB each: here rather than on the stack */
    char path[512];  /* for messages; longer paths are cut */
    char err[2048];
};

static void set_err(sayso_store *s, const char *what)
{
    snprintf(s->err, sizeof s->err, "%s: %s: %s", s->path, what, sqlite3_errmsg(s->db));
}

const char *sayso_store_error(const sayso_store *st)
{
    return st ? st->err : "out of memory";
}

/* A scalar of an integer PRAGMA or query, or -1. */
static long long query_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *q;
    long long v = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK) return -1;
    if (sqlite3_step(q) == SQLITE_ROW) v = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    return v;
}

static void sql_quote_key(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const unsigned char *t = sqlite3_value_text(argv[0]);
    sqlite3_result_int64(ctx, t ? sayso_quote_key((const char *)t, (size_t)sqlite3_value_bytes(argv[0])) : 0);
}

/* sayso_near(text, n): the n-th MinHash value of text, or NULL when the
 * text is too short to be matched by anything but its key. */
static void sql_near(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const unsigned char *t = sqlite3_value_text(argv[0]);
    int n = sqlite3_value_int(argv[1]);
    sayso_sketch *sk = malloc(sizeof *sk);
    if (!sk) { sqlite3_result_error_nomem(ctx); return; }
    if (t && n >= 0 && n < SAYSO_NEAR_HASHES && sayso_sketch_of((const char *)t, (size_t)sqlite3_value_bytes(argv[0]), sk))
        sqlite3_result_int64(ctx, sk->sig[n]);
    else
        sqlite3_result_null(ctx);
    free(sk);
}

/* A quote's filter words (META_SQL) into out: " s<speaker id>" when it
 * has one, " c<channel>" without spaces, and " y<yyyy> m<yyyymm>
 * d<yyyymmdd>" for as much of the date as there is; the leading space
 * dropped. Returns the length. */
static size_t meta_words(char *out, size_t cap, long long speaker, const char *channel, const char *date)
{
    /* By hand, not snprintf: this runs for every quote stored. */
    char b[160];
    size_t n = 0;
    if (speaker >= 0) {
        char d[24];
        size_t k = 0;
        unsigned long long v = (unsigned long long)speaker;
        do d[k++] = (char)('0' + v % 10); while ((v /= 10) && k < sizeof d);
        b[n++] = ' ';
        b[n++] = 's';
        while (k) b[n++] = d[--k];
    }
    if (channel) {
        b[n++] = ' ';
        b[n++] = 'c';
        for (const char *p = channel; *p && n < 80; p++)
            if (*p != ' ') b[n++] = *p;
    }
    size_t dl = date ? strnlen(date, 10) : 0;
    /* y<yyyy>, m<yyyymm>, d<yyyymmdd>: the year, then the month after
     * its dash, then the day after the second. */
    static const struct { char tag; size_t need, parts[3][2]; } w[3] = {
        { 'y', 4, { { 0, 4 }, { 0, 0 }, { 0, 0 } } },
        { 'm', 7, { { 0, 4 }, { 5, 2 }, { 0, 0 } } },
        { 'd', 10, { { 0, 4 }, { 5, 2 }, { 8, 2 } } },
    };
    for (int i = 0; i < 3 && dl >= w[i].need; i++) {
        b[n++] = ' ';
        b[n++] = w[i].tag;
        for (int j = 0; j < 3 && w[i].parts[j][1]; j++) {
            memcpy(b + n, date + w[i].parts[j][0], w[i].parts[j][1]);
            n += w[i].parts[j][1];
        }
    }
    size_t k = n ? n - 1 : 0;
    if (k >= cap) k = cap - 1;
    memcpy(out, b + (n ? 1 : 0), k);
    out[k] = 0;
    return k;
}

/* sayso_meta(speaker_id, channel, date): meta_words, for SQL. */
static void sql_meta(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    char out[160];
    long long sp = sqlite3_value_type(argv[0]) == SQLITE_NULL ? -1 : sqlite3_value_int64(argv[0]);
    size_t n = meta_words(out, sizeof out, sp, (const char *)sqlite3_value_text(argv[1]),
                          (const char *)sqlite3_value_text(argv[2]));
    sqlite3_result_text(ctx, out, (int)n, SQLITE_TRANSIENT);
}

static int add_rank(sqlite3 *db);

/* Creates the schema in an empty database, or checks and migrates one. */
static int setup(sayso_store *s, int mode)
{
    long long app = query_int(s->db, "PRAGMA application_id");
    if (app < 0) {
        /* The first read of a file that is no database fails here. */
        set_err(s, "cannot read");
        return -1;
    }
    long long tables = query_int(s->db, "SELECT count(*) FROM sqlite_master");
    long long version = query_int(s->db, "PRAGMA user_version");
    if (app == 0 && tables == 0) {
        if (mode != SAYSO_STORE_WRITE) {
            snprintf(s->err, sizeof s->err, "%s: not a sayso store (empty)", s->path);
            return -1;
        }
        char sql[64];
        snprintf(sql, sizeof sql, "PRAGMA application_id = %d", APP_ID);
        /* 8 KB pages, set before the first table makes the file: an
         * ingest makes half as many page writes and log frames, and an
         * article's text mostly fits on its page instead of spilling to
         * overflow pages. Larger pages than SQLite's 4 KB made ingests of
         * 10 MB and 100 MB 8 to 15 % faster; 8 KB and 16 KB did equally
         * there, but on two threads the 2 GB store took 386 s with 8 KB
         * and 447 s with 16 KB, and 16 KB was 5-8 % slower to search
         * (each random index entry read or written is a whole page),
         * where 8 KB searched as fast as 4 KB. 64 KB was slower still
         * once the store outgrew the page cache. */
        if (sqlite3_exec(s->db, "PRAGMA page_size = 8192", NULL, NULL, NULL) != SQLITE_OK ||
            sqlite3_exec(s->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK ||
            sqlite3_exec(s->db, SCHEMA_V1, NULL, NULL, NULL) != SQLITE_OK ||
            sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK ||
            sqlite3_exec(s->db, "PRAGMA user_version = 1", NULL, NULL, NULL) != SQLITE_OK ||
            sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
            set_err(s, "cannot create the store");
            sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
            return -1;
        }
        /* A new store is made at version 1 and brought up to date by the
         * same migrations an old one goes through: they run every time. */
        app = APP_ID;
        version = 1;
    }
    if (app != APP_ID) {
        snprintf(s->err, sizeof s->err, "%s: not a sayso store (a SQLite database of something else)", s->path);
        return -1;
    }
    if (version > SAYSO_STORE_SCHEMA) {
        snprintf(s->err, sizeof s->err,
                 "%s: made by a newer sayso (store schema %lld; this sayso knows up to %d): upgrade sayso",
                 s->path, version, SAYSO_STORE_SCHEMA);
        return -1;
    }
    if (version < 1) {
        snprintf(s->err, sizeof s->err, "%s: damaged sayso store (schema version %lld)", s->path, version);
        return -1;
    }
    if (version < SAYSO_STORE_SCHEMA) {
        if (mode != SAYSO_STORE_WRITE) {
            snprintf(s->err, sizeof s->err, "%s: store schema %lld is old; run 'sayso ingest' on it once to upgrade",
                     s->path, version);
            return -1;
        }
        for (long long v = version; v < SAYSO_STORE_SCHEMA; v++) {
            char sql[64];
            snprintf(sql, sizeof sql, "PRAGMA user_version = %lld", v + 1);
            if (sqlite3_exec(s->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK ||
                (migrations[v] && sqlite3_exec(s->db, migrations[v], NULL, NULL, NULL) != SQLITE_OK) ||
                sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK ||
                sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
                set_err(s, "cannot upgrade the store");
                sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
                return -1;
            }
        }
    }
    return 0;
}

sayso_store *sayso_store_open(const char *path, int mode, char *err, size_t errlen)
{
    sayso_store *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, errlen, "%s: out of memory", path);
        return NULL;
    }
    snprintf(s->path, sizeof s->path, "%s", path);
    int flags = mode == SAYSO_STORE_WRITE ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY;
    if (sqlite3_open_v2(path, &s->db, flags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "%s: cannot open: %s", path, s->db ? sqlite3_errmsg(s->db) : "out of memory");
        sayso_store_close(s);
        return NULL;
    }
    sqlite3_create_function(s->db, "sayso_quote_key", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, sql_quote_key, NULL,
                            NULL);
    if (add_rank(s->db) < 0) {
        snprintf(err, errlen, "%s: this SQLite has no FTS5", path);
        sayso_store_close(s);
        return NULL;
    }
    sqlite3_create_function(s->db, "sayso_near", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, sql_near, NULL, NULL);
    sqlite3_create_function(s->db, "sayso_meta", 3, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, sql_meta, NULL, NULL);
    /* A reader waits for a writer's checkpoint instead of failing at once;
     * a second writer waits for the first one's batch, which on a big
     * store can take a while. */
    sqlite3_busy_timeout(s->db, mode == SAYSO_STORE_WRITE ? 120000 : 10000);
    sqlite3_extended_result_codes(s->db, 1);
    if (setup(s, mode) < 0) {
        snprintf(err, errlen, "%s", s->err);
        sayso_store_close(s);
        return NULL;
    }
    /* WAL: readers go on while an ingest writes; synchronous=NORMAL keeps
     * every committed batch through a crash of the process (a power cut
     * may lose the last ones, which a new ingest puts back). */
    /* A bigger page cache and rarer checkpoints: an ingest writes mostly
     * new pages, and each checkpoint writes them a second time. */
    if ((mode == SAYSO_STORE_WRITE &&
         (sqlite3_exec(s->db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL) != SQLITE_OK ||
          sqlite3_exec(s->db, "PRAGMA synchronous = NORMAL", NULL, NULL, NULL) != SQLITE_OK ||
          sqlite3_exec(s->db, "PRAGMA cache_size = -65536", NULL, NULL, NULL) != SQLITE_OK ||
          sqlite3_exec(s->db, "PRAGMA wal_autocheckpoint = 16384", NULL, NULL, NULL) != SQLITE_OK ||
          sqlite3_exec(s->db, "PRAGMA temp_store = MEMORY", NULL, NULL, NULL) != SQLITE_OK ||
          /* A batch on a big store logs a few hundred MB of pages; once
           * they are checkpointed, the log file shrinks back to 64 MB
           * instead of keeping its largest size on disk. */
          sqlite3_exec(s->db, "PRAGMA journal_size_limit = 67108864", NULL, NULL, NULL) != SQLITE_OK)) ||
        sqlite3_exec(s->db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL) != SQLITE_OK ||
        /* Searches read index pages all over a big file: mapped, they cost
         * no system call each, and the page cache of the OS is shared by
         * every reader (up to 2 GB of the file, SQLite's default limit).
         * Not for the writer: its resident size would grow with the file. */
        (mode == SAYSO_STORE_READ &&
         (sqlite3_exec(s->db, "PRAGMA mmap_size = 2147418112", NULL, NULL, NULL) != SQLITE_OK ||
          sqlite3_exec(s->db, "PRAGMA cache_size = -32768", NULL, NULL, NULL) != SQLITE_OK)) ||
        (mode == SAYSO_STORE_LOOKUP && sqlite3_exec(s->db, "PRAGMA cache_size = -2048", NULL, NULL, NULL) != SQLITE_OK)) {
        set_err(s, "cannot set up");
        snprintf(err, errlen, "%s", s->err);
        sayso_store_close(s);
        return NULL;
    }
    for (int i = 0; i < N_STMT; i++) {
        if (mode != SAYSO_STORE_WRITE && i != S_FIND && i < S_COUNT_A) continue;
        if (sqlite3_prepare_v3(s->db, SQL[i], -1, SQLITE_PREPARE_PERSISTENT, &s->st[i], NULL) != SQLITE_OK) {
            set_err(s, "cannot prepare");
            snprintf(err, errlen, "%s", s->err);
            sayso_store_close(s);
            return NULL;
        }
    }
    return s;
}

void sayso_store_close(sayso_store *s)
{
    if (!s) return;
    for (int i = 0; i < N_STMT; i++) sqlite3_finalize(s->st[i]);
    sqlite3_close(s->db);
    free(s->pending.buf);
    free(s);
}

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
}

int sayso_store_begin(sayso_store *s)
{
    if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
        set_err(s, "cannot begin a transaction");
        return -1;
    }
    long long dv = query_int(s->db, "PRAGMA data_version");
    /* The caches start empty (calloc): clearing 7 MB that no one has
     * touched yet would only fault its pages in. */
    if (s->data_version && dv != s->data_version) forget(s);
    s->data_version = dv;
    s->pending.len = 0;
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
        if (step_done(q) < 0) {
            /* What went in stays in; a retry starts after it. */
            memmove(p->buf, p->buf + at, p->len - at);
            p->len -= at;
            set_err(s, "cannot index");
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
    if (index_pending(s) < 0) return -1;
    if (sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        set_err(s, "cannot commit");
        return -1;
    }
    return 0;
}

/* FNV-1a over the article's text and metadata: what makes it "changed". */
static int64_t content_hash(const sayso_article *a)
{
    uint64_t h = 1469598103934665603ull;
    const char *parts[4] = { a->date, a->title, a->url, NULL };
    for (int i = 0; i < 3; i++) {
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
    if (found < 0) set_err(s, "cannot read");
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

size_t sayso_speaker_key(const char *name, char *out, size_t cap)
{
    if (cap == 0) return 0;
    utf8proc_uint8_t *m = NULL;
    utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)name, 0, &m,
                                      UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_DECOMPOSE |
                                          UTF8PROC_STRIPMARK | UTF8PROC_CASEFOLD);
    size_t k = 0;
    int space = 0;
    const char *src = n >= 0 && m ? (const char *)m : name;
    for (const char *p = src; *p && k + 1 < cap; p++) {
        if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') { space = k > 0; continue; }
        if (space && k + 2 < cap) out[k++] = ' ';
        space = 0;
        out[k++] = *p;
    }
    out[k] = 0;
    free(m);
    return k;
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
    set_err(s, "cannot store a speaker");
    return -1;
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
                q = s->st[S_QT_TEXT];
                sqlite3_bind_int64(q, 1, cand[i]);
                if (sqlite3_step(q) == SQLITE_ROW) {
                    const char *t = (const char *)sqlite3_column_text(q, 0);
                    size_t tl = (size_t)sqlite3_column_bytes(q, 0);
                    sayso_sketch_of(t ? t : "", t ? tl : 0, &s->other);
                    double k = sayso_containment(&s->sk, &s->other);
                    if (k >= best) {
                        best = k;
                        id = cand[i];
                        grow = k >= 1.0 && s->other.n_shingles < s->sk.n_shingles;
                    }
                }
                sqlite3_reset(q);
            }
            if (grow && lengthen(s, id, text, len) < 0) goto fail;
        }
        if (id < 0) {
            sqlite3_bind_text(s->st[S_QT_INS], 1, text, (int)len, SQLITE_STATIC);
            if (run(s->st[S_QT_INS]) < 0) goto fail;
            id = sqlite3_last_insert_rowid(s->db);
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
    set_err(s, "cannot store a quotation's group");
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
        set_err(s, "cannot store a quotation");
        return -1;
    }
    char meta[160];
    size_t ml = meta_words(meta, sizeof meta, speaker, q->channel, a->date);
    if (pend(s, sqlite3_last_insert_rowid(s->db), qtext, strlen(qtext), meta, ml) < 0) {
        snprintf(s->err, sizeof s->err, "%s: out of memory", s->path);
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
        set_err(s, "cannot start an article");
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
        if (step_done(s->st[S_UNINDEX]) < 0 || step_done(s->st[S_DEL_QUOTES]) < 0) {
            set_err(s, "cannot replace an article");
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
    if (step_done(st) < 0) {
        sqlite3_clear_bindings(st);
        set_err(s, "cannot store an article");
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
        set_err(s, "cannot finish an article");
        goto fail;
    }
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
            /* Its quotes go with it (ON DELETE CASCADE). */
            sqlite3_bind_int64(s->st[S_DEL_ART], 1, id);
            undone = step_done(s->st[S_DEL_ART]) == 0;
        }
        memcpy(s->err, keep, sizeof keep);
        s->pending.len = mark;
        if (sqlite3_get_autocommit(s->db)) {
            /* SQLite gave up the whole batch (a full disk, an I/O error). */
            s->pending.len = 0;
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

int sayso_store_count(sayso_store *s, sayso_store_counts *c)
{
    long long *out[4] = { &c->articles, &c->quotes, &c->speakers, &c->quotations };
    for (int i = 0; i < 4; i++) {
        sqlite3_stmt *q = s->st[S_COUNT_A + i];
        if (sqlite3_step(q) != SQLITE_ROW) {
            sqlite3_reset(q);
            set_err(s, "cannot count");
            return -1;
        }
        *out[i] = sqlite3_column_int64(q, 0);
        sqlite3_reset(q);
    }
    return 0;
}

/* ---- asking ------------------------------------------------------------ */

/* YYYY, YYYY-MM or YYYY-MM-DD, with plausible numbers. */
static int valid_date_prefix(const char *d)
{
    size_t n = strlen(d);
    if (n != 4 && n != 7 && n != 10) return 0;
    for (size_t i = 0; i < n; i++)
        if (i == 4 || i == 7 ? d[i] != '-' : (d[i] < '0' || d[i] > '9')) return 0;
    if (n >= 7) {
        int m = (d[5] - '0') * 10 + (d[6] - '0');
        if (m < 1 || m > 12) return 0;
    }
    if (n == 10) {
        int day = (d[8] - '0') * 10 + (d[9] - '0');
        if (day < 1 || day > 31) return 0;
    }
    return 1;
}

/* Byte offset of code point cp in text (clamped). */
static size_t cp_to_byte(const char *t, size_t len, long long cp)
{
    size_t i = 0;
    for (long long c = 0; i < len && c < cp; c++) {
        i++;
        while (i < len && ((unsigned char)t[i] & 0xC0) == 0x80) i++;
    }
    return i;
}

/* The sentence(s) of text[b..e): back to the previous sentence end or
 * paragraph, forward to the next, each way at most ~300 bytes, on one line. */
static char *context_of(const char *t, size_t len, size_t b, size_t e)
{
    size_t s = b, f = e;
    while (s > 0 && b - s < 300) {
        char c = t[s - 1];
        if (c == '\n') break;
        if ((c == ' ') && s >= 2 && (t[s - 2] == '.' || t[s - 2] == '?' || t[s - 2] == '!')) break;
        s--;
    }
    while (s < b && ((unsigned char)t[s] & 0xC0) == 0x80) s++;
    while (f < len && f - e < 300) {
        char c = t[f];
        if (c == '\n') break;
        f++;
        if ((c == '.' || c == '?' || c == '!') && (f >= len || t[f] == ' ' || t[f] == '\n')) break;
    }
    while (f < len && ((unsigned char)t[f] & 0xC0) == 0x80) f++;
    char *out = malloc(f - s + 8);
    if (!out) return NULL;
    size_t k = 0;
    if (s > 0 && t[s - 1] != '\n' && b - s >= 300) { memcpy(out, "\xE2\x80\xA6", 3); k = 3; }
    for (size_t i = s; i < f; i++) out[k++] = t[i] == '\n' || t[i] == '\r' || t[i] == '\t' ? ' ' : t[i];
    out[k] = 0;
    return out;
}

/* ---- ranking and filters ----------------------------------------------- */

/* Reports ranked per search, at most: see CANDIDATES. */
#define SEARCH_WINDOW 1000

/* Rows counted for a word's document frequency, at most: past this, a
 * word is simply common, and counting on would cost more than the rest of
 * the search. */
#define DF_CAP 10000

typedef struct {
    long long id;
    double score;
} cand;

static int cmp_cand_id(const void *a, const void *b)
{
    const cand *x = a, *y = b;
    return x->id < y->id ? -1 : x->id > y->id;
}

static int cmp_cand_score(const void *a, const void *b)
{
    const cand *x = a, *y = b;
    return x->score < y->score ? -1 : x->score > y->score ? 1 : (x->id > y->id) - (x->id < y->id);
}

typedef struct {
    int nuser;
    double avgdl;
    double idf[64];
} rank_data;

static int count_row(const Fts5ExtensionApi *api, Fts5Context *fts, void *ud)
{
    (void)api;
    (void)fts;
    return ++*(long *)ud >= DF_CAP ? SQLITE_DONE : SQLITE_OK;
}

/* sayso_rank(quotes_fts, nmeta): Okapi BM25 (k1 1.2, b 0.75, as FTS5's
 * bm25()) of the row's text column for the query's phrases but its last
 * nmeta, which are filters on the meta column and say nothing about
 * relevance. Lower is better, as with bm25(). Unlike bm25(), which counts
 * every row of every phrase before it scores the first row, document
 * frequencies are counted up to DF_CAP. */
static void sayso_rank(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx, int nval,
                       sqlite3_value **val)
{
    rank_data *d = api->xGetAuxdata(fts, 0);
    if (!d) {
        d = sqlite3_malloc(sizeof *d);
        if (!d) {
            sqlite3_result_error_nomem(ctx);
            return;
        }
        int nmeta = nval > 0 ? sqlite3_value_int(val[0]) : 0;
        d->nuser = api->xPhraseCount(fts) - nmeta;
        if (d->nuser > 64) d->nuser = 64;
        if (d->nuser < 0) d->nuser = 0;
        sqlite3_int64 rows = 0, tokens = 0;
        api->xRowCount(fts, &rows);
        api->xColumnTotalSize(fts, 0, &tokens);
        d->avgdl = rows > 0 ? (double)tokens / (double)rows : 1.0;
        for (int p = 0; p < d->nuser; p++) {
            /* One phrase: its weight scales every score alike, so the
             * order needs no count (for "the women" the count cost more
             * than the search). */
            if (d->nuser == 1) {
                d->idf[p] = 1.0;
                break;
            }
            long df = 0;
            api->xQueryPhrase(fts, p, &df, count_row);
            double idf = log(((double)rows - (double)df + 0.5) / ((double)df + 0.5));
            d->idf[p] = idf > 1e-6 ? idf : 1e-6;
        }
        if (api->xSetAuxdata(fts, d, sqlite3_free) != SQLITE_OK) {
            sqlite3_result_error_nomem(ctx);
            return;
        }
    }
    int tf[64] = { 0 }, ninst = 0, dl = 0;
    api->xInstCount(fts, &ninst);
    for (int i = 0; i < ninst; i++) {
        int ip, ic, io;
        if (api->xInst(fts, i, &ip, &ic, &io) == SQLITE_OK && ic == 0 && ip < d->nuser) tf[ip]++;
    }
    api->xColumnSize(fts, 0, &dl);
    double score = 0, norm = 1.2 * (0.25 + 0.75 * (double)dl / d->avgdl);
    for (int p = 0; p < d->nuser; p++)
        if (tf[p]) score += d->idf[p] * (tf[p] * 2.2) / (tf[p] + norm);
    sqlite3_result_double(ctx, -score);
}

/* Registers sayso_rank with the connection's FTS5. */
static int add_rank(sqlite3 *db)
{
    fts5_api *api = NULL;
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &q, NULL) != SQLITE_OK) return -1;
    sqlite3_bind_pointer(q, 1, (void *)&api, "fts5_api_ptr", NULL);
    sqlite3_step(q);
    sqlite3_finalize(q);
    if (!api || api->iVersion < 2) return -1;
    return api->xCreateFunction(api, "sayso_rank", NULL, sayso_rank, NULL) == SQLITE_OK ? 0 : -1;
}

/* YYYY[-MM[-DD]] as yyyymmdd: the first day it names, or the last. */
static long day_of(const char *d, int last)
{
    long y = atol(d), m = strlen(d) >= 7 ? atol(d + 5) : (last ? 12 : 1), dd;
    if (strlen(d) >= 10) dd = atol(d + 8);
    else dd = last ? 31 : 1;
    return y * 10000 + m * 100 + dd;
}

static int month_days(long y, long m)
{
    static const int n[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 ? 28 + leap : n[(m - 1) % 12];
}

/* The date filter as meta words: " AND {meta} : (y2016 OR m201703 OR
 * d20170401 ...)", the fewest words that cover [from, to] (either may be
 * NULL), clamped to the dates the store holds. Returns the number of
 * words, or -1 with a message. */
static int date_words(sayso_store *s, const char *from, const char *to, char *out, size_t cap)
{
    long lo = from ? day_of(from, 0) : 0, hi = to ? day_of(to, 1) : 99991231;
    sqlite3_stmt *q;
    /* Two subqueries: each is one step down the date index, where a
     * single SELECT min(), max() reads all of it. */
    if (sqlite3_prepare_v2(s->db,
                           "SELECT (SELECT min(date) FROM articles WHERE date >= '0000'),"
                           " (SELECT max(date) FROM articles WHERE date >= '0000')",
                           -1, &q, NULL) != SQLITE_OK) {
        set_err(s, "cannot search");
        return -1;
    }
    if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_type(q, 0) == SQLITE_TEXT) {
        long a = day_of((const char *)sqlite3_column_text(q, 0), 0), b = day_of((const char *)sqlite3_column_text(q, 1), 1);
        if (lo < a) lo = a;
        if (hi > b) hi = b;
    }
    sqlite3_finalize(q);
    size_t n = (size_t)snprintf(out, cap, " AND {meta} : (");
    int words = 0;
    long y = lo / 10000, m = lo / 100 % 100, d = lo % 100;
    if (m < 1) m = 1;
    if (d < 1) d = 1;
    while (y * 10000 + m * 100 + d <= hi && n + 32 < cap) {
        const char *sep = words ? " OR " : "";
        if (m == 1 && d == 1 && y * 10000 + 1231 <= hi) {
            n += (size_t)snprintf(out + n, cap - n, "%sy%04ld", sep, y);
            y++;
        } else if (d == 1 && y * 10000 + m * 100 + month_days(y, m) <= hi) {
            n += (size_t)snprintf(out + n, cap - n, "%sm%04ld%02ld", sep, y, m);
            if (++m > 12) { m = 1; y++; }
        } else {
            n += (size_t)snprintf(out + n, cap - n, "%sd%04ld%02ld%02ld", sep, y, m, d);
            if (++d > month_days(y, m)) {
                d = 1;
                if (++m > 12) { m = 1; y++; }
            }
        }
        words++;
    }
    if (words == 0) n += (size_t)snprintf(out + n, cap - n, "d00000000"), words = 1; /* nothing in range */
    if (n + 2 >= cap) {
        snprintf(s->err, sizeof s->err, "date range too wide");
        return -1;
    }
    snprintf(out + n, cap - n, ")");
    return words;
}

/* The quotes.type column, as sayso_quote_type_name() wrote it. */
static sayso_quote_type type_of(const char *name)
{
    if (name && strcmp(name, "mixed") == 0) return SAYSO_MIXED;
    if (name && strcmp(name, "indirect") == 0) return SAYSO_INDIRECT;
    return SAYSO_DIRECT;
}

int sayso_store_search(sayso_store *s, const sayso_search_opts *o, sayso_hit_fn fn, void *arg)
{
    if (!o->query || !*o->query) {
        snprintf(s->err, sizeof s->err, "empty query");
        return -1;
    }
    char to[16] = "";
    if (o->from && !valid_date_prefix(o->from)) {
        snprintf(s->err, sizeof s->err, "bad date '%.40s' for --from: use YYYY, YYYY-MM or YYYY-MM-DD", o->from);
        return -1;
    }
    if (o->to) {
        if (!valid_date_prefix(o->to)) {
            snprintf(s->err, sizeof s->err, "bad date '%.40s' for --to: use YYYY, YYYY-MM or YYYY-MM-DD", o->to);
            return -1;
        }
        /* "--to 2016" takes in all of 2016. */
        snprintf(to, sizeof to, "%s%s", o->to, strlen(o->to) == 4 ? "-12-31" : strlen(o->to) == 7 ? "-31" : "");
    }
    char key[512] = "";
    long long speaker = -1;
    sqlite3_stmt *q = NULL;
    if (o->speaker) {
        sayso_speaker_key(o->speaker, key, sizeof key);
        if (sqlite3_prepare_v2(s->db, "SELECT id FROM speakers WHERE key = ?1", -1, &q, NULL) != SQLITE_OK) goto sqlerr;
        sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
        if (sqlite3_step(q) == SQLITE_ROW) speaker = sqlite3_column_int64(q, 0);
        sqlite3_finalize(q);
        q = NULL;
        if (speaker < 0) {
            snprintf(s->err, sizeof s->err, "no speaker '%.200s' in %s", o->speaker, s->path);
            return -1;
        }
    }
    char chan[64] = "";
    if (o->channel) {
        /* As meta_words writes it: no spaces. */
        size_t k = 0;
        for (const char *p = o->channel; *p && k + 1 < sizeof chan; p++) {
            unsigned char c = (unsigned char)*p;
            if (c == ' ') continue;
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) {
                snprintf(s->err, sizeof s->err, "bad channel '%.40s': letters only (twitter, interview, ...)",
                         o->channel);
                return -1;
            }
            chan[k++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
        }
        chan[k] = 0;
    }

    /* The FTS5 query: the user's words on the text column, the filters as
     * words of the meta column. */
    size_t cap = strlen(o->query) + 8192, n = 0;
    char *match = malloc(cap);
    if (!match) {
        snprintf(s->err, sizeof s->err, "out of memory");
        return -1;
    }
    int nmeta = 0;
    n += (size_t)snprintf(match + n, cap - n, "{text} : (%s)", o->query);
    if (speaker >= 0) {
        n += (size_t)snprintf(match + n, cap - n, " AND {meta} : s%lld", speaker);
        nmeta++;
    }
    if (chan[0]) {
        n += (size_t)snprintf(match + n, cap - n, " AND {meta} : c%s", chan);
        nmeta++;
    }
    if (o->from || o->to) {
        int words = date_words(s, o->from, o->to ? to : NULL, match + n, cap - n);
        if (words < 0) {
            free(match);
            return -1;
        }
        n += strlen(match + n);
        nmeta += words;
    }

    /* Candidates: the newest SEARCH_WINDOW matching reports, scored by
     * sayso_rank (BM25); each quotation keeps its best report. Ranking
     * every match would cost a millisecond per thousand (a common name
     * matches hundreds of thousands of reports); when fewer match, this is
     * exact. INDEXED BY: the planner would read each quote's row. */
    static const char CANDIDATES[] =
        "SELECT q.quotation_id, r.score FROM (SELECT rowid AS id, sayso_rank(quotes_fts, ?2) AS score"
        " FROM quotes_fts WHERE quotes_fts MATCH ?1 ORDER BY rowid DESC LIMIT ?3) r JOIN quotes q INDEXED BY quotes_to_quotation ON q.id = r.id";
    cand *cs = NULL;
    int nc = 0, rc;
    if (sqlite3_prepare_v2(s->db, CANDIDATES, -1, &q, NULL) != SQLITE_OK) {
        free(match);
        goto sqlerr;
    }
    sqlite3_bind_text(q, 1, match, (int)n, SQLITE_STATIC);
    sqlite3_bind_int(q, 2, nmeta);
    sqlite3_bind_int(q, 3, SEARCH_WINDOW);
    cs = malloc(sizeof *cs * SEARCH_WINDOW);
    while (cs && (rc = sqlite3_step(q)) == SQLITE_ROW && nc < SEARCH_WINDOW) {
        cs[nc].id = sqlite3_column_int64(q, 0);
        cs[nc++].score = sqlite3_column_double(q, 1);
    }
    if (!cs) rc = SQLITE_NOMEM;
    free(match);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        /* FTS5 reports query errors when the query runs, as plain
         * SQLITE_ERROR ("fts5: syntax error near …", "unterminated
         * string", "no such column"); I/O trouble has codes of its own. */
        const char *m = sqlite3_errmsg(s->db);
        if (sqlite3_extended_errcode(s->db) == SQLITE_ERROR)
            snprintf(s->err, sizeof s->err, "bad query '%.200s': %s (words, \"a phrase\", prefix*, AND, OR, NOT)",
                     o->query, m);
        else
            set_err(s, "cannot search");
        sqlite3_finalize(q);
        free(cs);
        return -1;
    }
    sqlite3_finalize(q);
    q = NULL;
    /* One per quotation, its best score; then best first. */
    qsort(cs, (size_t)nc, sizeof *cs, cmp_cand_id);
    int nq = 0;
    for (int i = 0; i < nc; i++) {
        if (nq && cs[nq - 1].id == cs[i].id) {
            if (cs[i].score < cs[nq - 1].score) cs[nq - 1].score = cs[i].score;
        } else {
            cs[nq++] = cs[i];
        }
    }
    qsort(cs, (size_t)nq, sizeof *cs, cmp_cand_score);
    int limit = o->limit > 0 ? o->limit : 10;
    if (nq > limit) nq = limit;
    if (sqlite3_prepare_v2(s->db, "SELECT text FROM quotations WHERE id = ?1", -1, &q, NULL) != SQLITE_OK) {
        free(cs);
        goto sqlerr;
    }

    sqlite3_stmt *qs = NULL, *qa = NULL, *qf = NULL;
    if (sqlite3_prepare_v2(s->db,
                           /* These three read the quotation's run of quotes_quotation entries. */
                           "SELECT s.name, x.c FROM (SELECT speaker_id, count(*) AS c, min(id) AS m FROM quotes"
                           " WHERE quotation_id = ?1 GROUP BY speaker_id) x LEFT JOIN speakers s ON s.id = x.speaker_id"
                           " ORDER BY x.c DESC, x.m LIMIT 4",
                           -1, &qs, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(s->db,
                           "SELECT count(DISTINCT article_id), min(date) FROM quotes WHERE quotation_id = ?1",
                           -1, &qa, NULL) != SQLITE_OK ||
        /* The hit's type is its first report's, as its channel and
         * context are: that report's sentence is what the reader sees
         * beneath it, and its row is read here anyway, so the type costs
         * no lookup and no schema change. Reports of one quotation can
         * differ in kind (quotation marks do not count when grouping: an
         * outlet that quotes the words and one that reports them in its
         * own sentence make one quotation); a type of the quotation's own
         * would be one more column to keep right at every report. */
        sqlite3_prepare_v2(s->db,
                           "SELECT a.doc, a.date, a.url, a.text, q.content, a.id, q.channel, q.type FROM quotes q"
                           " JOIN articles a ON a.id = q.article_id WHERE q.id = (SELECT id FROM quotes"
                           "   WHERE quotation_id = ?1 ORDER BY date IS NULL, date, article_id LIMIT 1)",
                           -1, &qf, NULL) != SQLITE_OK) {
        sqlite3_finalize(qs);
        sqlite3_finalize(qa);
        sqlite3_finalize(qf);
        free(cs);
        goto sqlerr;
    }
    int hits = 0;
    for (int i = 0; i < nq; i++) {
        sayso_hit h;
        memset(&h, 0, sizeof h);
        h.id = cs[i].id;
        h.rank = cs[i].score;
        sqlite3_bind_int64(q, 1, h.id);
        if (sqlite3_step(q) != SQLITE_ROW) { /* gone since: a replace in another process */
            sqlite3_reset(q);
            continue;
        }
        h.text = (const char *)sqlite3_column_text(q, 0);
        sqlite3_bind_int64(qs, 1, h.id);
        while (h.n_speakers < 4 && sqlite3_step(qs) == SQLITE_ROW) {
            const unsigned char *nm = sqlite3_column_text(qs, 0);
            h.speakers[h.n_speakers].name = nm ? strdup((const char *)nm) : NULL;
            h.speakers[h.n_speakers++].count = sqlite3_column_int64(qs, 1);
        }
        sqlite3_reset(qs);
        sqlite3_bind_int64(qa, 1, h.id);
        char first[16] = "";
        if (sqlite3_step(qa) == SQLITE_ROW) {
            h.n_articles = sqlite3_column_int64(qa, 0);
            const unsigned char *d = sqlite3_column_text(qa, 1);
            if (d) { snprintf(first, sizeof first, "%s", (const char *)d); h.first_seen = first; }
        }
        sqlite3_reset(qa);
        sqlite3_bind_int64(qf, 1, h.id);
        char *ctx = NULL;
        if (sqlite3_step(qf) == SQLITE_ROW) {
            h.doc = (const char *)sqlite3_column_text(qf, 0);
            h.date = (const char *)sqlite3_column_text(qf, 1);
            h.url = (const char *)sqlite3_column_text(qf, 2);
            h.article = sqlite3_column_int64(qf, 5);
            h.channel = (const char *)sqlite3_column_text(qf, 6);
            h.type = type_of((const char *)sqlite3_column_text(qf, 7));
            const char *t = (const char *)sqlite3_column_text(qf, 3);
            size_t tl = (size_t)sqlite3_column_bytes(qf, 3);
            long long c0 = -1, c1 = -1;
            const char *spans = (const char *)sqlite3_column_text(qf, 4);
            /* "[[s, e], ...]": the first start and the last end. */
            if (spans) {
                const char *p = spans;
                while (*p) {
                    if (*p >= '0' && *p <= '9') {
                        long long v = strtoll(p, (char **)&p, 10);
                        if (c0 < 0) c0 = v;
                        else c1 = v;
                        continue;
                    }
                    p++;
                }
            }
            if (t && c0 >= 0 && c1 >= c0) ctx = context_of(t, tl, cp_to_byte(t, tl, c0), cp_to_byte(t, tl, c1));
            h.context = ctx;
        }
        int stop = fn(&h, arg);
        sqlite3_reset(qf);
        sqlite3_reset(q);
        free(ctx);
        for (int k = 0; k < h.n_speakers; k++) free((char *)h.speakers[k].name);
        hits++;
        if (stop) break;
    }
    sqlite3_finalize(qs);
    sqlite3_finalize(qa);
    sqlite3_finalize(qf);
    sqlite3_finalize(q);
    free(cs);
    return hits;
sqlerr:
    set_err(s, "cannot search");
    sqlite3_finalize(q);
    return -1;
}

/* A speaker's profile for each row of TOP (id, quotes): counts and dates
 * from the speaker index alone; aliases (how articles named them, pronouns
 * aside, up to a comma: a source span keeps its apposition, "Moreno,
 * speaking as she left", the alias is "Moreno"), descriptors and channels
 * from their latest 2,000 quotes, or a speaker quoted 300,000 times would
 * take seconds. */
#define SPEAKER_PROFILES(TOP) \
    "WITH top AS MATERIALIZED (" TOP ")" \
    " SELECT t.id, s.name, t.quotes," \
    " (SELECT count(DISTINCT quotation_id) FROM quotes WHERE speaker_id = t.id) AS quotations," \
    " (SELECT count(DISTINCT article_id) FROM quotes WHERE speaker_id = t.id) AS articles," \
    " (SELECT min(date) FROM quotes WHERE speaker_id = t.id) AS first," \
    " (SELECT max(date) FROM quotes WHERE speaker_id = t.id) AS last," \
    " (SELECT group_concat(channel, ', ') FROM (SELECT DISTINCT channel FROM (SELECT channel FROM quotes" \
    "   WHERE speaker_id = t.id ORDER BY date DESC LIMIT 2000) WHERE channel IS NOT NULL LIMIT 8)) AS channels," \
    " (SELECT group_concat(src, '; ') FROM (SELECT src, count(*) AS c FROM (SELECT CASE WHEN instr(source, ', ') > 0" \
    "   THEN substr(source, 1, instr(source, ', ') - 1) ELSE source END AS src FROM quotes" \
    "   WHERE speaker_id = t.id ORDER BY date DESC LIMIT 2000) WHERE src IS NOT NULL AND lower(src) NOT IN" \
    "   ('he', 'she', 'they', 'i', 'we', 'it', 'you', 'him', 'her', 'them', 'who')" \
    "   GROUP BY lower(src) ORDER BY c DESC LIMIT 6)) AS aliases," \
    " (SELECT group_concat(d, '; ') FROM (SELECT j.value AS d, count(*) AS c" \
    "   FROM (SELECT descriptors FROM quotes WHERE speaker_id = t.id AND descriptors IS NOT NULL" \
    "   ORDER BY date DESC LIMIT 2000) q2, json_each(q2.descriptors) j" \
    "   GROUP BY j.value ORDER BY c DESC LIMIT 6)) AS descriptors" \
    " FROM top t JOIN speakers s ON s.id = t.id ORDER BY t.quotes DESC, s.name"

long long sayso_store_report(sayso_store *s, sayso_report which, const char *param, long long n, sayso_row_fn fn,
                             void *arg)
{
    static const char *const SQLS[] = {
        [SAYSO_REPORT_STATS] =
            "SELECT (SELECT count(*) FROM articles) AS articles, (SELECT count(*) FROM quotes) AS quotes,"
            " (SELECT count(DISTINCT quotation_id) FROM quotes) AS quotations, (SELECT count(*) FROM speakers) AS speakers,"
            " (SELECT min(date) FROM articles) AS first_date, (SELECT max(date) FROM articles) AS last_date,"
            " (SELECT count(*) FROM quotes WHERE speaker_id IS NULL) AS quotes_without_speaker,"
            " (SELECT page_count * page_size FROM pragma_page_count, pragma_page_size) AS bytes",
        [SAYSO_REPORT_SPEAKERS] = SPEAKER_PROFILES(
            "SELECT speaker_id AS id, count(*) AS quotes FROM quotes"
            " WHERE speaker_id IS NOT NULL AND (?1 IS NULL OR speaker_id IN"
            "   (SELECT id FROM speakers WHERE key >= ?1 AND key < ?1 || x'ff'))"
            " GROUP BY speaker_id ORDER BY quotes DESC LIMIT ?2"),
        [SAYSO_REPORT_SPEAKER] = SPEAKER_PROFILES(
            "SELECT id, (SELECT count(*) FROM quotes WHERE speaker_id = ?2) AS quotes FROM speakers WHERE id = ?2"),
        /* Quotes per month: the timeline of a speaker page. */
        [SAYSO_REPORT_SPEAKER_MONTHS] =
            "SELECT substr(date, 1, 7) AS month, count(*) AS quotes FROM quotes"
            " WHERE speaker_id = ?2 AND date >= '0000' GROUP BY month ORDER BY month",
        [SAYSO_REPORT_SPEAKER_QUOTES] =
            "SELECT q.quotation_id AS quotation, q.article_id AS article, a.doc, q.date, q.channel, q.type, q.text FROM"
            " (SELECT id FROM quotes WHERE speaker_id = ?2 ORDER BY date DESC LIMIT 50) r"
            " JOIN quotes q ON q.id = r.id JOIN articles a ON a.id = q.article_id ORDER BY q.date DESC, q.id DESC",
        [SAYSO_REPORT_ARTICLE] =
            "SELECT id, doc, date, title, url, text FROM articles WHERE id = ?2",
        /* Spans in code points, as in `sayso extract`. */
        [SAYSO_REPORT_ARTICLE_QUOTES] =
            "SELECT quotation_id AS quotation, ord, content, cue_start, cue_end, source_start, source_end,"
            " speaker_id, speaker, type, channel, said_on FROM quotes WHERE article_id = ?2 ORDER BY ord",
        [SAYSO_REPORT_QUOTE] =
            "SELECT q.quotation_id AS quotation, a.doc, a.date, a.url, q.speaker, q.channel, q.said_on, q.cue,"
            " q.type, q.text, q.article_id AS article, q.speaker_id FROM quotes q JOIN articles a ON a.id = q.article_id"
            " WHERE q.quotation_id = ?2"
            " ORDER BY a.date IS NULL, a.date, a.id, q.ord",
        [SAYSO_REPORT_EXPORT] =
            "SELECT a.doc, a.date, a.url, q.quotation_id AS quotation, q.ord, q.text AS quote, q.content, q.cue,"
            " q.source, q.speaker, q.descriptors, q.speaker_age, q.type, q.confidence, q.channel, q.addressee,"
            " q.said_on, q.said_on_text FROM quotes q JOIN articles a ON a.id = q.article_id ORDER BY a.id, q.ord",
    };
    if ((int)which < 0 || (size_t)which >= sizeof SQLS / sizeof SQLS[0]) return -1;
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(s->db, SQLS[which], -1, &q, NULL) != SQLITE_OK) {
        set_err(s, "cannot report");
        return -1;
    }
    char key[512];
    if (which == SAYSO_REPORT_SPEAKERS && param) {
        sayso_speaker_key(param, key, sizeof key);
        sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
    }
    if (sqlite3_bind_parameter_count(q) >= 2) sqlite3_bind_int64(q, 2, n);
    int nc = sqlite3_column_count(q), rc;
    const char *names[32], *vals[32];
    if (nc > 32) nc = 32;
    for (int i = 0; i < nc; i++) names[i] = sqlite3_column_name(q, i);
    long long rows = 0;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        for (int i = 0; i < nc; i++) vals[i] = (const char *)sqlite3_column_text(q, i);
        rows++;
        if (fn(nc, names, vals, arg)) break;
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        set_err(s, "cannot report");
        rows = -1;
    }
    sqlite3_finalize(q);
    return rows;
}
