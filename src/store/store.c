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
#include <time.h>
#include <sqlite3.h>
#include <utf8proc.h>
#include "store_impl.h"
#include "mapvfs.h"

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

/* 3 → 4: every read path O(log n), and the article's own metadata.
 *
 * Counts are kept, not counted: a store of millions of quotes took
 * seconds to count its quotations (count(DISTINCT)) or to rank its
 * speakers (a GROUP BY over every quote). The write path keeps them
 * (counts.c: each batch's changes, summed in memory, written in its
 * transaction, so a crash leaves both or neither):
 *
 *   counts               one row: articles, quotes, quotations that have a
 *                        report, speakers, quotes without a speaker (stats)
 *   quotation_counts     per quotation: reports, distinct articles (a hit's
 *                        "reported by N articles", and whether it counts)
 *   quotation_speakers   per quotation and speaker (0: none): reports; a
 *                        hit's speakers without reading its reports
 *   speakers.quotes, .quotations, .articles, with speakers_top on quotes:
 *                        most quoted (a walk down one index) and a
 *                        profile's counts; autocomplete walks the unique
 *                        index on the speaker key (case and diacritics
 *                        folded), a prefix range
 *   speaker_months       per speaker and month: quotes (the timeline)
 *
 * An article counts once for a quotation (or speaker) however many of its
 * quotes are of it: an article's quotes are put, and taken away, together.
 * Rows that fall to zero are deleted (quotation_counts keeps them, as the
 * quotation's row stays too, and counts them for nothing).
 * sayso_store_recount (counts.c) checks all of it against a full recount.
 *
 * articles get authors, site and lang (sayso_article): what the page or
 * record said about itself. */
/* Speakers are counted as their rows come and go: a speaker's row stays
 * when the article that made it fails (see ingest.c), so the write path's
 * tally could not know. */
#define COUNT_TRIGGERS \
    "CREATE TRIGGER speakers_counted AFTER INSERT ON speakers BEGIN" \
    "  UPDATE counts SET speakers = speakers + 1; END;" \
    "CREATE TRIGGER speakers_uncounted AFTER DELETE ON speakers BEGIN" \
    "  UPDATE counts SET speakers = speakers - 1; END;"

static const char MIGRATE_3_4[] =
    "ALTER TABLE articles ADD COLUMN authors TEXT;"
    "ALTER TABLE articles ADD COLUMN site TEXT;"
    "ALTER TABLE articles ADD COLUMN lang TEXT;"
    "ALTER TABLE speakers ADD COLUMN quotes INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE speakers ADD COLUMN quotations INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE speakers ADD COLUMN articles INTEGER NOT NULL DEFAULT 0;"
    "CREATE TABLE counts (id INTEGER PRIMARY KEY CHECK (id = 1), articles INTEGER NOT NULL,"
    "  quotes INTEGER NOT NULL, quotations INTEGER NOT NULL, speakers INTEGER NOT NULL,"
    "  quotes_without_speaker INTEGER NOT NULL);"
    "CREATE TABLE quotation_counts (quotation_id INTEGER PRIMARY KEY, reports INTEGER NOT NULL,"
    "  articles INTEGER NOT NULL);"
    "CREATE TABLE quotation_speakers (quotation_id INTEGER NOT NULL, speaker_id INTEGER NOT NULL,"
    "  quotes INTEGER NOT NULL, PRIMARY KEY (quotation_id, speaker_id)) WITHOUT ROWID;"
    "CREATE TABLE speaker_months (speaker_id INTEGER NOT NULL, month TEXT NOT NULL, quotes INTEGER NOT NULL,"
    "  PRIMARY KEY (speaker_id, month)) WITHOUT ROWID;"
    /* The counts of what is there, once; the triggers keep them after. */
    "INSERT INTO quotation_counts(quotation_id, reports, articles)"
    "  SELECT quotation_id, count(*), count(DISTINCT article_id) FROM quotes GROUP BY quotation_id;"
    "INSERT INTO quotation_speakers(quotation_id, speaker_id, quotes)"
    "  SELECT quotation_id, coalesce(speaker_id, 0), count(*) FROM quotes GROUP BY 1, 2;"
    "CREATE TEMP TABLE speaker_tally AS SELECT speaker_id AS id, count(*) AS quotes,"
    "  count(DISTINCT quotation_id) AS quotations, count(DISTINCT article_id) AS articles"
    "  FROM quotes WHERE speaker_id IS NOT NULL GROUP BY speaker_id;"
    "UPDATE speakers SET quotes = t.quotes, quotations = t.quotations, articles = t.articles"
    "  FROM speaker_tally t WHERE t.id = speakers.id;"
    "DROP TABLE speaker_tally;"
    "INSERT INTO speaker_months(speaker_id, month, quotes)"
    "  SELECT speaker_id, substr(date, 1, 7), count(*) FROM quotes"
    "  WHERE speaker_id IS NOT NULL AND length(date) >= 7 GROUP BY 1, 2;"
    "INSERT INTO counts(id, articles, quotes, quotations, speakers, quotes_without_speaker) SELECT 1,"
    "  (SELECT count(*) FROM articles), (SELECT count(*) FROM quotes),"
    "  (SELECT count(*) FROM quotation_counts WHERE reports > 0), (SELECT count(*) FROM speakers),"
    "  (SELECT count(*) FROM quotes WHERE speaker_id IS NULL);"
    "CREATE INDEX speakers_top ON speakers(quotes DESC);"
    COUNT_TRIGGERS;

/* 4 → 5: the words of the index's text column, for prefix searches
 * (words.c), listed once from the index itself; the write path adds
 * new ones after. */
static const char MIGRATE_4_5[] =
    "CREATE TABLE words (term TEXT PRIMARY KEY) WITHOUT ROWID;"
    "CREATE VIRTUAL TABLE temp.sayso_vocab USING fts5vocab(main, quotes_fts, col);"
    "INSERT INTO words(term) SELECT term FROM temp.sayso_vocab WHERE col = 'text';"
    "DROP TABLE temp.sayso_vocab;";

static const char *const migrations[] = { NULL, MIGRATE_1_2, MIGRATE_2_3, MIGRATE_3_4, MIGRATE_4_5 };

void sayso_store_set_err(sayso_store *s, const char *what)
{
    snprintf(s->err, sizeof s->err, "%s: %s: %s", s->path, what, sqlite3_errmsg(s->db));
}

const char *sayso_store_error(const sayso_store *st)
{
    return st ? st->err : "out of memory";
}

/* A scalar of an integer PRAGMA or query, or -1. */
long long sayso_query_int(sqlite3 *db, const char *sql)
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
size_t sayso_meta_words(char *out, size_t cap, long long speaker, const char *channel, const char *date)
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
    size_t n = sayso_meta_words(out, sizeof out, sp, (const char *)sqlite3_value_text(argv[1]),
                          (const char *)sqlite3_value_text(argv[2]));
    sqlite3_result_text(ctx, out, (int)n, SQLITE_TRANSIENT);
}


/* Creates the schema in an empty database, or checks and migrates one. */
static int setup(sayso_store *s, int mode)
{
    long long app = sayso_query_int(s->db, "PRAGMA application_id");
    if (app < 0) {
        /* The first read of a file that is no database fails here. */
        sayso_store_set_err(s, "cannot read");
        return -1;
    }
    long long tables = sayso_query_int(s->db, "SELECT count(*) FROM sqlite_master");
    long long version = sayso_query_int(s->db, "PRAGMA user_version");
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
            sayso_store_set_err(s, "cannot create the store");
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
                sayso_store_set_err(s, "cannot upgrade the store");
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
    /* Readers map the whole file (mapvfs.h), writers read and write it. */
    const char *vfs = mode == SAYSO_STORE_WRITE ? NULL : sayso_mapvfs_name();
    if (sqlite3_open_v2(path, &s->db, flags | SQLITE_OPEN_NOMUTEX, vfs) != SQLITE_OK) {
        snprintf(err, errlen, "%s: cannot open: %s", path, s->db ? sqlite3_errmsg(s->db) : "out of memory");
        sayso_store_close(s);
        return NULL;
    }
    sqlite3_create_function(s->db, "sayso_quote_key", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, sql_quote_key, NULL,
                            NULL);
    if (sayso_add_rank(s->db) < 0 || sayso_words_open(s) < 0) {
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
        /* References between tables are kept by the write path itself
         * (an article's quotes go before it, explicitly), and
         * sayso_store_recount checks them (foreign_key_check): enforced
         * on every write, they cost 2 % of an ingest's instructions, a
         * parent lookup and a statement journal per quote. */
        sqlite3_exec(s->db, "PRAGMA foreign_keys = OFF", NULL, NULL, NULL) != SQLITE_OK ||
        /* Searches read index pages all over a big file: mapped, they cost
         * no system call each, and the page cache of the OS is shared by
         * every reader (all of a store up to 64 GB, through mapvfs.c).
         * Not for the writer: its resident size would grow with the file. */
        (mode == SAYSO_STORE_READ &&
         (sqlite3_exec(s->db, "PRAGMA mmap_size = 68719476736", NULL, NULL, NULL) != SQLITE_OK ||
          sqlite3_exec(s->db, "PRAGMA cache_size = -32768", NULL, NULL, NULL) != SQLITE_OK)) ||
        (mode == SAYSO_STORE_LOOKUP && sqlite3_exec(s->db, "PRAGMA cache_size = -2048", NULL, NULL, NULL) != SQLITE_OK)) {
        sayso_store_set_err(s, "cannot set up");
        snprintf(err, errlen, "%s", s->err);
        sayso_store_close(s);
        return NULL;
    }
    for (int i = 0; i < N_STMT; i++) {
        if (mode != SAYSO_STORE_WRITE && i != S_FIND && i < S_COUNTS) continue;
        if (sqlite3_prepare_v3(s->db, sayso_store_sql[i], -1, SQLITE_PREPARE_PERSISTENT, &s->st[i], NULL) != SQLITE_OK) {
            sayso_store_set_err(s, "cannot prepare");
            snprintf(err, errlen, "%s", s->err);
            sayso_store_close(s);
            return NULL;
        }
    }
    return s;
}

static double mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Every few thousand steps of the VM: past the deadline, the statement
 * stops with SQLITE_INTERRUPT. A clock read costs some 20 ns; a step
 * a few. */
static int over_budget(void *arg)
{
    sayso_store *s = arg;
    if (s->deadline > 0 && mono_ms() > s->deadline) {
        s->over_budget = 1;
        return 1;
    }
    return 0;
}

int sayso_store_snapshot_begin(sayso_store *s)
{
    if (!sqlite3_get_autocommit(s->db)) return 0;
    /* DEFERRED: the snapshot is taken by the first statement that reads. */
    if (sqlite3_exec(s->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) {
        sayso_store_set_err(s, "cannot begin a read");
        return -1;
    }
    return 0;
}

void sayso_store_snapshot_end(sayso_store *s)
{
    /* An interrupted statement may have ended the transaction already. A
     * statement left stepping would keep it open, and every later request
     * would see this snapshot forever: reset them all, and end it. */
    if (sqlite3_get_autocommit(s->db)) return;
    if (sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK) return;
    for (sqlite3_stmt *q = sqlite3_next_stmt(s->db, NULL); q; q = sqlite3_next_stmt(s->db, q)) sqlite3_reset(q);
    if (sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

void sayso_store_set_budget(sayso_store *s, int ms)
{
    s->budget_ms = ms > 0 ? ms : 0;
    s->deadline = 0;
    sqlite3_progress_handler(s->db, ms > 0 ? 4000 : 0, ms > 0 ? over_budget : NULL, s);
}

void sayso_store_start_budget(sayso_store *s)
{
    s->over_budget = 0;
    s->deadline = s->budget_ms > 0 ? mono_ms() + s->budget_ms : 0;
}

int sayso_store_over_budget(const sayso_store *s)
{
    return s->over_budget;
}

int sayso_store_set_memory(sayso_store *s, long long cache_kb, long long mmap_bytes)
{
    char sql[96];
    if (cache_kb >= 0) {
        snprintf(sql, sizeof sql, "PRAGMA cache_size = -%lld", cache_kb);
        if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK) goto fail;
    }
    if (mmap_bytes >= 0) {
        snprintf(sql, sizeof sql, "PRAGMA mmap_size = %lld", mmap_bytes);
        if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK) goto fail;
    }
    return 0;
fail:
    sayso_store_set_err(s, "cannot set the memory limits");
    return -1;
}

void sayso_store_close(sayso_store *s)
{
    if (!s) return;
    for (int i = 0; i < N_STMT; i++) sqlite3_finalize(s->st[i]);
    for (int i = 0; i < 4; i++) sqlite3_finalize(s->hit[i]);
    sqlite3_finalize(s->words_q);
    sayso_words_close(s);
    sayso_tally_free(s);
    sqlite3_close(s->db);
    free(s->pending.buf);
    free(s);
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

