/*
 * test_store.c — the quote store: idempotent and atomic ingest, refusals,
 * speaker keys, full-text index, how search shows reported speech, and an
 * ingest killed with SIGKILL.
 *
 * Articles are written here (invented text). The kill test builds a JSONL
 * corpus from the fixture articles under new ids, starts `sayso ingest` on
 * it, kills it mid-way with SIGKILL, runs it again, and checks that the
 * store is exactly what one clean run gives: same articles, same
 * quotations, nothing lost, nothing twice.
 *
 * What is checked is the store, so the extraction is the rules' alone
 * (sayso_extractor_new_with(NULL), --rules-only), whose output these
 * counts were read from: a retrained model must not move them. The test of
 * two ingest threads, which compares two runs, uses the models.
 */
#include "testutil.h"
#include "sayso.h"
#include "group.h"
#include "store.h"

#include <cJSON.h>
#include <dirent.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char g_tmp[2048];

static const char *tmp_path(const char *name)
{
    static char buf[4][4096];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", g_tmp, name);
    return buf[k];
}

static void remove_db(const char *path)
{
    char p[4200];
    unlink(path);
    snprintf(p, sizeof p, "%s-wal", path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", path);
    unlink(p);
}

static long long scalar(const char *db, const char *sql)
{
    sqlite3 *h;
    sqlite3_stmt *q;
    long long v = -1;
    /* A failed open still allocates the handle: closed, or LeakSanitizer
     * fails the suite when the kill -9 test stops an ingest before it made
     * its file (a loaded machine). */
    if (sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        sqlite3_close(h);
        return -2;
    }
    if (sqlite3_prepare_v2(h, sql, -1, &q, NULL) == SQLITE_OK && sqlite3_step(q) == SQLITE_ROW)
        v = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    sqlite3_close(h);
    return v;
}

/* Runs sql on a read-write connection: its result code. */
static int exec_rc(const char *db, const char *sql)
{
    sqlite3 *h;
    if (sqlite3_open(db, &h) != SQLITE_OK) {
        sqlite3_close(h);
        return -1;
    }
    int rc = sqlite3_exec(h, sql, NULL, NULL, NULL);
    sqlite3_close(h);
    return rc;
}

/* Puts one article of that date through the extractor into the store. */
/* Opens the store at db in mode, or fails the test with SQLite's message. */
static sayso_store *must_open(const char *db, int mode)
{
    char err[2300];
    sayso_store *st = sayso_store_open(db, mode, err, sizeof err);
    if (!st) fail_msg("%s", err);
    return st;
}

/* The maintained counts (schema 4) against a full recount: the first
 * difference, or "" when they agree. */
static void assert_counts_exact(const char *db)
{
    char diff[512];
    sayso_store *st = must_open(db, SAYSO_STORE_READ);
    int rc = sayso_store_recount(st, diff, sizeof diff);
    if (rc != 0) fail_msg("%s: maintained counts differ from a recount: %s", db, rc < 0 ? sayso_store_error(st) : diff);
    sayso_store_close(st);
}

/* Takes a store of the current schema back to schema 3, as sayso wrote it
 * before counts were kept: no triggers, no count tables or columns, no
 * article metadata. */
/* Schema 5 back to 4: without the index's words (words.c). */
#define DOWNGRADE_TO_4 "DROP TABLE words; PRAGMA user_version = 4;"
static const char DOWNGRADE_TO_3[] =
    DOWNGRADE_TO_4
    "DROP TRIGGER speakers_counted; DROP TRIGGER speakers_uncounted;"
    " DROP TABLE counts; DROP TABLE quotation_counts; DROP TABLE quotation_speakers; DROP TABLE speaker_months;"
    " DROP INDEX speakers_top;"
    " ALTER TABLE speakers DROP COLUMN quotes; ALTER TABLE speakers DROP COLUMN quotations;"
    " ALTER TABLE speakers DROP COLUMN articles;"
    " ALTER TABLE articles DROP COLUMN authors; ALTER TABLE articles DROP COLUMN site;"
    " ALTER TABLE articles DROP COLUMN lang; PRAGMA user_version = 3;";

static sayso_put_result put_dated(sayso_store *st, sayso_extractor *ex, const char *id, const char *date,
                                  const char *text)
{
    sayso_article a = { 0 };
    a.id = id;
    a.date = date;
    a.text = text;
    a.len = strlen(text);
    const sayso_quote *q;
    size_t n;
    assert_int_equal(sayso_extract(ex, &a, &q, &n), 0);
    return sayso_store_put(st, &a, "test", q, n);
}

static sayso_put_result put(sayso_store *st, sayso_extractor *ex, const char *id, const char *text)
{
    return put_dated(st, ex, id, "2023-05-01", text);
}

typedef struct {
    const char *id, *date, *text;
} doc;

/* A new store at db holding these articles, put in one batch. */
static void store_docs(const char *db, const doc *d, size_t n)
{
    remove_db(db);
    sayso_store *st = must_open(db, SAYSO_STORE_WRITE);
    sayso_extractor *ex = sayso_extractor_new_with(NULL);
    assert_int_equal(sayso_store_begin(st), 0);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(put_dated(st, ex, d[i].id, d[i].date ? d[i].date : "2023-05-01", d[i].text), SAYSO_PUT_ADDED);
    assert_int_equal(sayso_store_commit(st), 0);
    sayso_store_close(st);
    sayso_extractor_free(ex);
}

static const char ART1[] =
    "The harbour board voted to close the old pier on Tuesday.\n\n"
    "“The pier has served us for ninety years, and it is tired,” said Mirela Stan, the board's chair.\n\n"
    "“We will build a better one,” Stan added.\n";
static const char ART1B[] =
    "The harbour board voted to close the old pier on Tuesday.\n\n"
    "“The pier has served us for ninety years, and it is tired,” said Mirela Stan, the board's chair.\n";
static const char ART2[] =
    "“Nobody asked the fishermen,” JOSÉ RAMÍREZ told reporters.\n\n"
    "“We were the last to know,” said Jose Ramirez, who has fished here for thirty years.\n";

static int first_type(const sayso_hit *h, void *arg)
{
    *(sayso_quote_type *)arg = h->type;
    return 1;
}

static int count_hits(const sayso_hit *h, void *arg)
{
    (void)h;
    (void)arg;
    return 0;
}

/* A new, empty store for writing, at name in the test directory. */
static sayso_store *fresh_store(const char *name, const char **db)
{
    *db = tmp_path(name);
    remove_db(*db);
    char err[2300];
    sayso_store *st = sayso_store_open(*db, SAYSO_STORE_WRITE, err, sizeof err);
    if (!st) fail_msg("%s", err);
    return st;
}

static void test_put_is_idempotent_and_replaces(void **state)
{
    (void)state;
    const char *db;
    sayso_store *st = fresh_store("idem.db", &db);
    sayso_extractor *ex = sayso_extractor_new_with(NULL);
    assert_int_equal(sayso_store_begin(st), 0);
    assert_int_equal(put(st, ex, "a1", ART1), SAYSO_PUT_ADDED);
    assert_int_equal(put(st, ex, "a2", ART2), SAYSO_PUT_ADDED);
    assert_int_equal(sayso_store_commit(st), 0);
    sayso_store_counts c1;
    assert_int_equal(sayso_store_count(st, &c1), 0);
    assert_int_equal(c1.articles, 2);
    assert_int_equal(c1.quotes, 4);

    /* The same articles again: nothing changes. */
    assert_int_equal(sayso_store_begin(st), 0);
    assert_int_equal(put(st, ex, "a1", ART1), SAYSO_PUT_UNCHANGED);
    assert_int_equal(put(st, ex, "a2", ART2), SAYSO_PUT_UNCHANGED);
    assert_int_equal(sayso_store_commit(st), 0);
    sayso_store_counts c2;
    assert_int_equal(sayso_store_count(st, &c2), 0);
    assert_int_equal(c2.articles, c1.articles);
    assert_int_equal(c2.quotes, c1.quotes);
    assert_int_equal(c2.speakers, c1.speakers);

    /* a1 with new text: its old quotations go, the new ones come. */
    assert_int_equal(sayso_store_begin(st), 0);
    assert_int_equal(put(st, ex, "a1", ART1B), SAYSO_PUT_REPLACED);
    assert_int_equal(sayso_store_commit(st), 0);
    sayso_store_close(st);
    assert_int_equal(scalar(db, "SELECT count(*) FROM articles"), 2);
    assert_int_equal(scalar(db, "SELECT count(*) FROM quotes q JOIN articles a ON a.id = q.article_id WHERE a.doc = 'a1'"), 1);
    assert_int_equal(scalar(db, "SELECT count(*) FROM quotes"), 3);
    /* The full-text index holds each quotation once and agrees with its
     * table; search finds what the articles now say, not the replaced
     * quote. */
    assert_int_equal(scalar(db, "SELECT count(*) FROM quotes_fts WHERE quotes_fts MATCH 'text: ninety'"), 1);
    assert_int_equal(scalar(db, "SELECT count(*) FROM quotes_fts WHERE quotes_fts MATCH 'text: better'"), 0);
    assert_int_equal(scalar(db, "SELECT count(*) FROM quotes_fts WHERE quotes_fts MATCH 'text: fishermen'"), 1);
    assert_int_equal(exec_rc(db, "INSERT INTO quotes_fts(quotes_fts, rank) VALUES ('integrity-check', 1)"),
                     SQLITE_OK);
    st = must_open(db, SAYSO_STORE_READ);
    sayso_search_opts o = { .query = "better", .limit = 10 };
    assert_int_equal(sayso_store_search(st, &o, count_hits, NULL), 0);
    o.query = "ninety";
    assert_int_equal(sayso_store_search(st, &o, count_hits, NULL), 1);
    sayso_store_close(st);
    sayso_extractor_free(ex);
}

/* The index counts for a meta word ('meta: y2023') and for the rows it
 * should stand for must agree. */
static void expect_meta(const char *db, const char *word, const char *rows_sql)
{
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM quotes_fts WHERE quotes_fts MATCH 'meta: %s'", word);
    long long in_index = scalar(db, sql), in_table = scalar(db, rows_sql);
    if (in_index != in_table) fail_msg("meta word %s: %lld in the index, %lld rows", word, in_index, in_table);
}

/* An article replaced in the batch that stored it (its quotes are not yet
 * in the full-text index when the new text comes), with another date:
 * the index forgets the old quotes' words, text and filters alike. */
static void test_replaced_within_a_batch(void **state)
{
    (void)state;
    const char *db;
    sayso_store *st = fresh_store("rebatch.db", &db);
    sayso_extractor *ex = sayso_extractor_new_with(NULL);
    assert_int_equal(sayso_store_begin(st), 0);
    assert_int_equal(put_dated(st, ex, "b1", "2021-02-03", ART1), SAYSO_PUT_ADDED);
    assert_int_equal(put_dated(st, ex, "b2", "2021-02-03", ART2), SAYSO_PUT_ADDED);
    assert_int_equal(put_dated(st, ex, "b1", "2022-07-08", ART1B), SAYSO_PUT_REPLACED);
    assert_int_equal(put_dated(st, ex, "b3", "2022-07-09", ART2), SAYSO_PUT_ADDED);
    assert_int_equal(put_dated(st, ex, "b4", "2022-07-09",
                               "“Come and see the new pier before the winter,” Mirela Stan wrote on Instagram.\n"),
                     SAYSO_PUT_ADDED);
    assert_int_equal(sayso_store_commit(st), 0);
    sayso_store_close(st);
    sayso_extractor_free(ex);
    assert_int_equal(scalar(db, "SELECT count(*) FROM quotes"), 6);
    assert_int_equal(scalar(db, "SELECT count(*) FROM quotes_fts WHERE quotes_fts MATCH 'text: better'"), 0);
    assert_int_equal(scalar(db, "SELECT count(*) FROM quotes_fts WHERE quotes_fts MATCH 'text: ninety'"), 1);
    assert_int_equal(scalar(db, "SELECT count(*) FROM quotes_fts WHERE quotes_fts MATCH 'text: fishermen'"), 2);
    expect_meta(db, "y2021", "SELECT count(*) FROM quotes WHERE date LIKE '2021%'");
    expect_meta(db, "y2022", "SELECT count(*) FROM quotes WHERE date LIKE '2022%'");
    expect_meta(db, "m202102", "SELECT count(*) FROM quotes WHERE date LIKE '2021-02%'");
    expect_meta(db, "d20220708", "SELECT count(*) FROM quotes WHERE date = '2022-07-08'");
    expect_meta(db, "d20210203", "SELECT count(*) FROM quotes WHERE date = '2021-02-03'");
    expect_meta(db, "cinstagram", "SELECT count(*) FROM quotes WHERE channel = 'instagram'");
    assert_true(scalar(db, "SELECT count(*) FROM quotes WHERE date = '2022-07-08'") == 1);
    assert_true(scalar(db, "SELECT count(*) FROM quotes WHERE date = '2021-02-03'") == 2);
    assert_true(scalar(db, "SELECT count(*) FROM quotes WHERE channel = 'instagram'") == 1);
    /* Every speaker word counts that speaker's quotes. */
    for (long long sp = 1; sp <= 3; sp++) {
        char w[32], q[128];
        snprintf(w, sizeof w, "s%lld", sp);
        snprintf(q, sizeof q, "SELECT count(*) FROM quotes WHERE speaker_id = %lld", sp);
        expect_meta(db, w, q);
    }
}

/* All or nothing: an article whose third quote cannot be stored (a
 * trigger refuses it, as a full disk would) leaves no row, quote or index
 * entry behind, new or replacing an old version, and the batch goes on. */
static void test_failed_article_leaves_nothing(void **state)
{
    (void)state;
    const char *db;
    sayso_store_close(fresh_store("poison.db", &db));
    sayso_store *st;
    assert_int_equal(exec_rc(db, "CREATE TRIGGER poison BEFORE INSERT ON quotes WHEN NEW.text LIKE '%arsenic%'"
                                 " BEGIN SELECT RAISE(ABORT, 'poisoned quote'); END"),
                     SQLITE_OK);
    static const char bad[] =
        "“The harbour is ours,” said Mirela Stan.\n\n"
        "“We will fight for the pier,” Stan added.\n\n"
        "“Not a drop of arsenic was found in the water,” said Dev Okafor, the inspector.\n";
    st = must_open(db, SAYSO_STORE_WRITE);
    sayso_extractor *ex = sayso_extractor_new_with(NULL);
    assert_int_equal(sayso_store_begin(st), 0);
    assert_int_equal(put(st, ex, "good1", ART1), SAYSO_PUT_ADDED);
    assert_int_equal(put(st, ex, "bad", bad), SAYSO_PUT_ERROR);
    assert_non_null(strstr(sayso_store_error(st), "cannot store a quotation"));
    /* A known article replaced by a text that fails keeps its old version. */
    assert_int_equal(put(st, ex, "good2", ART2), SAYSO_PUT_ADDED);
    assert_int_equal(put(st, ex, "good2", bad), SAYSO_PUT_ERROR);
    assert_int_equal(put(st, ex, "good3", ART1B), SAYSO_PUT_ADDED);
    assert_int_equal(sayso_store_commit(st), 0);
    sayso_store_close(st);
    sayso_extractor_free(ex);
    assert_int_equal(scalar(db, "SELECT count(*) FROM articles"), 3);
    assert_int_equal(scalar(db, "SELECT count(*) FROM articles WHERE doc = 'bad'"), 0);
    assert_int_equal(scalar(db, "SELECT count(*) FROM quotes"), 5);
    assert_int_equal(scalar(db, "SELECT count(*) FROM quotes WHERE text LIKE '%harbour is ours%'"), 0);
    assert_int_equal(scalar(db, "SELECT count(*) FROM quotes q JOIN articles a ON a.id = q.article_id"
                                " WHERE a.doc = 'good2' AND q.text LIKE '%fishermen%'"), 1);
    assert_int_equal(scalar(db, "SELECT count(*) FROM quotes_fts WHERE quotes_fts MATCH 'text: harbour'"), 0);
    assert_int_equal(scalar(db, "SELECT count(*) FROM quotes_fts WHERE quotes_fts MATCH 'text: fishermen'"), 1);
    assert_int_equal(scalar(db, "SELECT count(*) FROM quotes_fts WHERE quotes_fts MATCH 'text: ninety'"), 2);
    /* Counted quotations are those with a report. */
    assert_int_equal(scalar(db, "SELECT count(DISTINCT quotation_id) FROM quotes"), 4);
    assert_counts_exact(db);
}

/* The named column of a report's first row, copied into out. */
typedef struct {
    const char *col;
    char out[512];
    int rows;
} first_value;

static int take_first(int ncol, const char *const *names, const char *const *vals, void *arg)
{
    first_value *f = arg;
    if (f->rows++ == 0)
        for (int i = 0; i < ncol; i++)
            if (strcmp(names[i], f->col) == 0) snprintf(f->out, sizeof f->out, "%s", vals[i] ? vals[i] : "");
    return 0;
}

/* A speaker's aliases are the names articles gave them, without what the
 * source span carries after a comma (an apposition, a clause), and
 * without pronouns. */
static void test_speaker_aliases(void **state)
{
    (void)state;
    const char *db;
    sayso_store *st = fresh_store("alias.db", &db);
    sayso_extractor *ex = sayso_extractor_new_with(NULL);
    assert_int_equal(sayso_store_begin(st), 0);
    assert_int_equal(put(st, ex, "v1",
                         "“We will reopen the library in June,” Ana Vidal, the head librarian, said on Monday.\n\n"
                         "“Every shelf will be back,” Vidal said.\n\n"
                         "“The roof is fixed,” she said.\n"),
                     SAYSO_PUT_ADDED);
    assert_int_equal(sayso_store_commit(st), 0);
    first_value f = { .col = "aliases" };
    assert_true(sayso_store_report(st, SAYSO_REPORT_SPEAKERS, NULL, 5, take_first, &f) >= 1);
    sayso_store_close(st);
    sayso_extractor_free(ex);
    if (!strstr(f.out, "Vidal")) fail_msg("aliases '%s' lack the surname", f.out);
    if (strchr(f.out, ',')) fail_msg("aliases '%s' keep an apposition", f.out);
    if (strstr(f.out, "she")) fail_msg("aliases '%s' hold a pronoun", f.out);
    assert_int_equal(scalar(db, "SELECT count(*) FROM quotes WHERE source LIKE 'Ana Vidal, %'"), 1);
}

static void test_speakers_merge_across_case_and_accents(void **state)
{
    (void)state;
    char a[64], b[64], c[64];
    sayso_speaker_key("José  Ramírez", a, sizeof a);
    sayso_speaker_key("JOSE RAMIREZ", b, sizeof b);
    sayso_speaker_key("Jose Ramos", c, sizeof c);
    assert_string_equal(a, b);
    assert_string_not_equal(a, c);
    assert_string_equal(a, "jose ramirez");
    /* In the store: one speaker for both spellings, under the first name seen. */
    const char *db = tmp_path("idem.db");
    assert_int_equal(scalar(db, "SELECT count(*) FROM speakers WHERE key = 'jose ramirez'"), 1);
}

static void test_refuses_what_is_not_a_store(void **state)
{
    (void)state;
    char err[2300];
    const char *txt = tmp_path("not-a-db.txt");
    assert_int_equal(tu_write_file(txt, "hello, world\n", 13), 0);
    assert_null(sayso_store_open(txt, SAYSO_STORE_WRITE, err, sizeof err));
    assert_non_null(strstr(err, "not-a-db.txt"));
    assert_non_null(strstr(err, "not a database"));

    /* Another program's SQLite database. */
    const char *other = tmp_path("other.db");
    remove_db(other);
    assert_int_equal(exec_rc(other, "CREATE TABLE t(x)"), SQLITE_OK);
    assert_null(sayso_store_open(other, SAYSO_STORE_WRITE, err, sizeof err));
    assert_non_null(strstr(err, "not a sayso store"));

    /* A store from a newer sayso. */
    const char *newer = tmp_path("newer.db");
    remove_db(newer);
    sayso_store *st = must_open(newer, SAYSO_STORE_WRITE);
    sayso_store_close(st);
    assert_int_equal(exec_rc(newer, "PRAGMA user_version = 99"), SQLITE_OK);
    assert_null(sayso_store_open(newer, SAYSO_STORE_WRITE, err, sizeof err));
    assert_non_null(strstr(err, "newer sayso"));

    /* Reading never creates. */
    const char *missing = tmp_path("missing.db");
    remove_db(missing);
    assert_null(sayso_store_open(missing, SAYSO_STORE_READ, err, sizeof err));
    assert_int_equal(access(missing, F_OK), -1);
}

/* One quotation, many reports: the same words with other punctuation,
 * quotation marks, case or spacing are one quotation. */
static const char REP1[] =
    "“The bridge will open in May, not a day later,” said Mayor Dana Kim.\n";
static const char REP2[] =
    "Mayor Dana Kim promised: \"the bridge will open in May -- not a day later!\"\n";
static const char REP3[] =
    "“The bridge will open in June,” said Mayor Dana Kim.\n";

static void test_quotations_group_reports(void **state)
{
    (void)state;
    const char *db = tmp_path("group.db");
    const doc d[] = { { "outlet-a", NULL, REP1 }, { "outlet-b", NULL, REP2 }, { "outlet-c", NULL, REP3 } };
    store_docs(db, d, 3);
    assert_int_equal(scalar(db, "SELECT count(*) FROM quotes"), 3);
    assert_int_equal(scalar(db, "SELECT count(*) FROM quotations"), 2);
    assert_int_equal(scalar(db, "SELECT count(DISTINCT article_id) FROM quotes WHERE quotation_id ="
                                " (SELECT quotation_id FROM quotes WHERE text LIKE '%May%' LIMIT 1)"), 2);
    assert_true(sayso_quote_key("It's OK,", 8) == sayso_quote_key("it\xE2\x80\x99s  ok", 10));
    assert_true(sayso_quote_key("Café", 5) == sayso_quote_key("CAFE", 4));
    assert_true(sayso_quote_key("one two", 7) != sayso_quote_key("onetwo", 6));
    /* Stores carry these keys, so their value must never change: FNV-1a
     * over the normalised words one space apart, each character as the
     * four bytes of its code point, shifted right by one. The numbers come
     * from a separate implementation of that definition (in Python), which
     * gives the keys stores already hold. */
    assert_true(sayso_quote_key("It's OK,", 8) == 6158297023689014361LL);
    assert_true(sayso_quote_key("Café", 5) == 5022027395031108369LL);
    assert_true(sayso_quote_key("We will build a better one", 26) == 1825473742938257227LL);
    assert_true(sayso_quote_key("Ñandú 2024", 12) == 957179223550419030LL);
}

typedef struct {
    int n;
    long long articles[8];
    char speaker[8][64];
    char context[8][512];
} hits;

static int collect(const sayso_hit *h, void *arg)
{
    hits *x = arg;
    if (x->n < 8) {
        x->articles[x->n] = h->n_articles;
        snprintf(x->speaker[x->n], sizeof x->speaker[0], "%s", h->n_speakers ? h->speakers[0].name : "-");
        snprintf(x->context[x->n], sizeof x->context[0], "%s", h->context ? h->context : "");
    }
    x->n++;
    return 0;
}

/* Search finds quotations, not reports: the bridge promise reported twice
 * is one hit with two articles; phrases, dates and speakers narrow it;
 * bad input is a message, not a crash or a raw SQLite error. */
static void test_search(void **state)
{
    (void)state;
    const char *db = tmp_path("group.db");
    sayso_store *st = must_open(db, SAYSO_STORE_READ);
    sayso_search_opts o = { 0 };
    o.limit = 10;
    hits x = { 0 };
    o.query = "bridge";
    assert_int_equal(sayso_store_search(st, &o, collect, &x), 2);
    memset(&x, 0, sizeof x);
    o.query = "\"not a day later\"";
    assert_int_equal(sayso_store_search(st, &o, collect, &x), 1);
    assert_int_equal(x.articles[0], 2);
    assert_string_equal(x.speaker[0], "Dana Kim");
    assert_non_null(strstr(x.context[0], "not a day later"));
    memset(&x, 0, sizeof x);
    o.query = "bridg* june";
    assert_int_equal(sayso_store_search(st, &o, collect, &x), 1);
    o.speaker = "DANA KIM";
    memset(&x, 0, sizeof x);
    assert_int_equal(sayso_store_search(st, &o, collect, &x), 1);
    o.from = "2024";
    memset(&x, 0, sizeof x);
    assert_int_equal(sayso_store_search(st, &o, collect, &x), 0);
    o.from = "2023-05";
    o.to = "2023";
    assert_int_equal(sayso_store_search(st, &o, collect, &x), 1);
    /* Bad input. */
    o.from = "2023-13";
    assert_int_equal(sayso_store_search(st, &o, collect, &x), -1);
    assert_non_null(strstr(sayso_store_error(st), "bad date"));
    o.from = NULL;
    o.speaker = "Nobody Here";
    assert_int_equal(sayso_store_search(st, &o, collect, &x), -1);
    assert_non_null(strstr(sayso_store_error(st), "no speaker"));
    o.speaker = NULL;
    o.query = "\"unclosed";
    assert_int_equal(sayso_store_search(st, &o, collect, &x), -1);
    assert_non_null(strstr(sayso_store_error(st), "bad query"));
    o.query = "nosuchcolumn:word";
    assert_int_equal(sayso_store_search(st, &o, collect, &x), -1);
    assert_non_null(strstr(sayso_store_error(st), "bad query"));
    sayso_store_close(st);
}

/* Each search's hits as one line each: quotation id and rank. */
static int list_hits(const sayso_hit *h, void *arg)
{
    char *out = arg;
    size_t n = strlen(out);
    snprintf(out + n, 4096 - n, "%lld %.9g\n", h->id, h->rank);
    return 0;
}

static void search_lines(const char *db, const char *query, char *out)
{
    sayso_store *st = must_open(db, SAYSO_STORE_READ);
    sayso_search_opts o = { .query = query, .limit = 50 };
    out[0] = 0;
    int n = sayso_store_search(st, &o, list_hits, out);
    if (n < 0) snprintf(out, 4096, "error: %s", sayso_store_error(st));
    sayso_store_close(st);
}

/* A prefix is searched as the words that have it (words.c), and finds
 * what FTS5's own prefix search finds, ranked alike: the same searches
 * with the words table emptied (so that FTS5 expands every prefix) give
 * the same hits in the same order, with the same scores. */
static void test_prefix_by_words(void **state)
{
    (void)state;
    const char *db = tmp_path("prefix.db");
    static const char MANY[] =
        "“Bridges are not built by bridging committees,” said Dana Kim.\n\n"
        "“Brídget Bridgewater bridged it twice, and BRIDGES fall,” said Ola Berg.\n\n"
        "“The bridge, the bridge and the bridge again,” said Ola Berg.\n";
    /* Other quotes, so that the prefixes' words are rare enough to weigh
     * something (BM25's idf is floored for words in half the rows). */
    static char other[30][160], ids[30][16];
    doc d[36] = { { "a", "2023-04-02", REP1 }, { "b", "2023-05-09", REP2 }, { "c", NULL, REP3 },
                  { "d", "2022-12-31", ART1 }, { "e", "2023-01-01", ART2 }, { "f", "2023-02-01", MANY } };
    for (int i = 0; i < 30; i++) {
        snprintf(other[i], sizeof other[i], "“Ferry %d leaves at %d and the harbour stays open,” said Ines Vale.\n",
                 i, 100 + i);
        snprintf(ids[i], sizeof ids[i], "o%d", i);
        d[6 + i] = (doc){ ids[i], "2023-03-03", other[i] };
    }
    store_docs(db, d, 36);
    assert_true(scalar(db, "SELECT count(*) FROM words WHERE term >= 'brid' AND term < 'brie'") >= 6);
    assert_int_equal(scalar(db, "SELECT count(*) FROM words WHERE term = 'bridget'"), 1); /* folded as indexed */
    static const char *const queries[] = {
        "brid*", "BRID*", "bridg*", "bridge*", "bri* june", "june bri*", "bri* OR wil*", "bri* AND open",
        "(bri*) may", "\"the bridge\" bri*", "bri* NOT may", "bri* june NOT may", "fish* OR tire*",
        "ninet* year*", "b*", "zzz*", "the bri*", "bridge bri*",
    };
    enum { NQ = sizeof queries / sizeof queries[0] };
    static char by_words[NQ][4096], by_fts5[NQ][4096];
    for (int i = 0; i < NQ; i++) search_lines(db, queries[i], by_words[i]);
    assert_int_equal(exec_rc(db, "DELETE FROM words"), SQLITE_OK);
    for (int i = 0; i < NQ; i++) {
        search_lines(db, queries[i], by_fts5[i]);
        if (strcmp(by_words[i], by_fts5[i]))
            fail_msg("'%s': by words\n%s\nby FTS5\n%s", queries[i], by_words[i], by_fts5[i]);
    }
    /* And the searches found something, so that equal means something. */
    assert_non_null(strchr(by_fts5[0], '\n'));
    assert_non_null(strchr(by_fts5[4], '\n'));
    assert_non_null(strchr(by_fts5[12], '\n'));
    /* A store of schema 4 (no words) gets them from its index when an
     * ingest opens it, and searches as before. */
    assert_int_equal(exec_rc(db, DOWNGRADE_TO_4), SQLITE_OK);
    sayso_store *st = must_open(db, SAYSO_STORE_WRITE);
    sayso_store_close(st);
    assert_int_equal(scalar(db, "PRAGMA user_version"), SAYSO_STORE_SCHEMA);
    assert_true(scalar(db, "SELECT count(*) FROM words WHERE term >= 'brid' AND term < 'brie'") >= 6);
    for (int i = 0; i < NQ; i++) {
        search_lines(db, queries[i], by_fts5[i]);
        if (strcmp(by_words[i], by_fts5[i]))
            fail_msg("'%s' after migration: \n%s\nbefore\n%s", queries[i], by_fts5[i], by_words[i]);
    }
    assert_counts_exact(db);
}

/* A store of schema 1 (as the first sayso wrote them) is migrated on open:
 * its quotes get their quotations, grouped as a new store groups them. */
static void test_migration_from_schema_1(void **state)
{
    (void)state;
    const char *db = tmp_path("group.db");
    long long groups = scalar(db, "SELECT count(*) FROM quotations");
    sqlite3 *h;
    assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
    assert_int_equal(sqlite3_exec(h, DOWNGRADE_TO_3, NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_exec(h, "DROP TABLE quotes_fts; DROP TABLE near; DROP TABLE quote_keys;"
                                     " DROP INDEX quotes_quotation; DROP INDEX quotes_to_quotation;"
                                     " DROP INDEX quotes_speaker; CREATE INDEX quotes_speaker ON quotes(speaker_id);"
                                     " ALTER TABLE quotes DROP COLUMN date; ALTER TABLE quotes DROP COLUMN quotation_id;"
                                     " DROP TABLE quotations;"
                                     " CREATE VIRTUAL TABLE quotes_fts USING fts5(text, content='quotes',"
                                     "   content_rowid='id', tokenize='unicode61 remove_diacritics 2');"
                                     " INSERT INTO quotes_fts(rowid, text) SELECT id, text FROM quotes;"
                                     " PRAGMA user_version = 1;",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(h);
    assert_int_equal(scalar(db, "PRAGMA user_version"), 1);
    char err[2300];
    /* A reader does not upgrade. */
    assert_null(sayso_store_open(db, SAYSO_STORE_READ, err, sizeof err));
    assert_non_null(strstr(err, "upgrade"));
    sayso_store *st = must_open(db, SAYSO_STORE_WRITE);
    sayso_store_close(st);
    assert_int_equal(scalar(db, "PRAGMA user_version"), SAYSO_STORE_SCHEMA);
    assert_int_equal(scalar(db, "SELECT count(*) FROM quotations"), groups);
    assert_int_equal(scalar(db, "SELECT count(*) FROM quotes WHERE quotation_id IS NULL"), 0);
    /* Schema 3: every quotation's key, its index entry, its sketch. */
    assert_int_equal(scalar(db, "SELECT count(*) FROM quote_keys"), groups);
    assert_int_equal(scalar(db, "SELECT count(*) FROM quotes WHERE date IS NOT '2023-05-01'"), 0);
    assert_int_equal(scalar(db, "SELECT count(*) FROM quotes_fts WHERE quotes_fts MATCH 'text: bridge'"), 3);
    assert_int_equal(scalar(db, "SELECT count(*) FROM quotes_fts WHERE quotes_fts MATCH 'meta: y2023'"), 3);
    assert_int_equal(scalar(db, "SELECT count(*) FROM near"), 2 * SAYSO_NEAR_HASHES);
    assert_int_equal(exec_rc(db, "INSERT INTO quotes_fts(quotes_fts, rank) VALUES ('integrity-check', 1)"),
                     SQLITE_OK);
    assert_counts_exact(db);
}

/* A store of schema 3 (before counts were kept) migrates in place: its
 * counts are made once from what it holds, and kept from then on; reports
 * answer as before. */
static void test_migration_from_schema_3(void **state)
{
    (void)state;
    const char *db = tmp_path("migrate3.db");
    const doc d[] = { { "outlet-a", "2023-04-02", REP1 }, { "outlet-b", "2023-05-09", REP2 },
                      { "outlet-c", NULL, REP3 }, { "outlet-d", "2022-12-31", ART2 } };
    store_docs(db, d, 4);
    long long quotes = scalar(db, "SELECT count(*) FROM quotes");
    long long groups = scalar(db, "SELECT count(DISTINCT quotation_id) FROM quotes");
    assert_int_equal(exec_rc(db, DOWNGRADE_TO_3), SQLITE_OK);
    assert_int_equal(scalar(db, "PRAGMA user_version"), 3);
    char err[2300];
    assert_null(sayso_store_open(db, SAYSO_STORE_READ, err, sizeof err));
    sayso_store *st = must_open(db, SAYSO_STORE_WRITE);
    sayso_store_counts c;
    assert_int_equal(sayso_store_count(st, &c), 0);
    assert_int_equal(c.articles, 4);
    assert_int_equal(c.quotes, quotes);
    assert_int_equal(c.quotations, groups);
    /* Kept from then on: one more article, one replaced. */
    sayso_extractor *ex = sayso_extractor_new_with(NULL);
    assert_int_equal(sayso_store_begin(st), 0);
    assert_int_equal(put_dated(st, ex, "outlet-e", "2023-06-01", ART1), SAYSO_PUT_ADDED);
    assert_int_equal(put_dated(st, ex, "outlet-a", "2023-04-02", REP3), SAYSO_PUT_REPLACED);
    assert_int_equal(sayso_store_commit(st), 0);
    sayso_extractor_free(ex);
    sayso_store_close(st);
    assert_int_equal(scalar(db, "PRAGMA user_version"), SAYSO_STORE_SCHEMA);
    assert_int_equal(scalar(db, "SELECT quotes FROM speakers WHERE key = 'dana kim'"),
                     scalar(db, "SELECT count(*) FROM quotes q JOIN speakers s ON s.id = q.speaker_id"
                                " WHERE s.key = 'dana kim'"));
    assert_true(scalar(db, "SELECT quotes FROM speakers WHERE key = 'dana kim'") > 0);
    assert_counts_exact(db);
}

/* The counts kept by every write equal a full recount after ingests,
 * unchanged puts, replacements (more quotes, fewer, none, a new date, a
 * quotation reported twice in one article), failed articles, and an
 * article replaced and replaced back within one batch. */
/* Damages the store at db by sql, then expects the recount to report a
 * difference that mentions what. */
static void assert_recount_finds(const char *db, const char *sql, const char *what)
{
    char diff[512];
    assert_int_equal(exec_rc(db, sql), SQLITE_OK);
    sayso_store *st = must_open(db, SAYSO_STORE_READ);
    assert_int_equal(sayso_store_recount(st, diff, sizeof diff), 1);
    if (!strstr(diff, what)) fail_msg("recount found '%s', not '%s'", diff, what);
    sayso_store_close(st);
}

static void test_counts_match_a_recount(void **state)
{
    (void)state;
    const char *db;
    sayso_store *st = fresh_store("counts.db", &db);
    sayso_extractor *ex = sayso_extractor_new_with(NULL);
    static const char twice[] =
        "“The bridge will open in May, not a day later,” said Mayor Dana Kim.\n\n"
        "“The bridge will open in May, not a day later,” Kim repeated.\n\n"
        "“Nobody asked the fishermen,” said Jose Ramirez.\n";
    static const char none[] = "The council met on Monday and adjourned without a vote.\n";
    assert_int_equal(sayso_store_begin(st), 0);
    assert_int_equal(put_dated(st, ex, "a", "2023-05-01", ART1), SAYSO_PUT_ADDED);
    assert_int_equal(put_dated(st, ex, "b", "2023-05-02", ART2), SAYSO_PUT_ADDED);
    assert_int_equal(put_dated(st, ex, "c", NULL, REP1), SAYSO_PUT_ADDED);
    assert_int_equal(put_dated(st, ex, "d", "2023-06-11", REP2), SAYSO_PUT_ADDED);
    assert_int_equal(put_dated(st, ex, "e", "2024-01-03", twice), SAYSO_PUT_ADDED);
    assert_int_equal(sayso_store_commit(st), 0);
    assert_counts_exact(db);
    assert_int_equal(sayso_store_begin(st), 0);
    assert_int_equal(put_dated(st, ex, "a", "2023-05-01", ART1), SAYSO_PUT_UNCHANGED);
    assert_int_equal(put_dated(st, ex, "a", "2023-05-01", ART1B), SAYSO_PUT_REPLACED); /* fewer */
    assert_int_equal(put_dated(st, ex, "b", "2022-02-02", ART2), SAYSO_PUT_REPLACED);  /* new month */
    assert_int_equal(put_dated(st, ex, "c", NULL, none), SAYSO_PUT_REPLACED);          /* none left */
    assert_int_equal(put_dated(st, ex, "e", "2024-01-03", REP3), SAYSO_PUT_REPLACED);  /* the double goes */
    assert_int_equal(put_dated(st, ex, "d", "2023-06-11", twice), SAYSO_PUT_REPLACED);
    assert_int_equal(put_dated(st, ex, "d", "2023-06-11", REP2), SAYSO_PUT_REPLACED);  /* and back */
    assert_int_equal(sayso_store_commit(st), 0);
    sayso_store_close(st);
    sayso_extractor_free(ex);
    assert_counts_exact(db);
    /* What the counts say, checked by hand once: the quotation reported
     * by "d" (REP2) and nowhere else now, and Dana Kim's rows. */
    assert_int_equal(scalar(db, "SELECT quotations FROM counts"), scalar(db, "SELECT count(DISTINCT quotation_id) FROM quotes"));
    assert_int_equal(scalar(db, "SELECT count(*) FROM speaker_months WHERE quotes > 0 AND month = '2023-05'"
                                " AND speaker_id = (SELECT id FROM speakers WHERE key = 'jose ramirez')"), 0);
    assert_int_equal(scalar(db, "SELECT count(*) FROM speaker_months WHERE quotes > 0 AND month = '2022-02'"
                                " AND speaker_id = (SELECT id FROM speakers WHERE key = 'jose ramirez')"), 1);
    /* The failure paths: a new article undone, a replacement rolled back. */
    assert_int_equal(exec_rc(db, "CREATE TRIGGER poison BEFORE INSERT ON quotes WHEN NEW.text LIKE '%arsenic%'"
                                 " BEGIN SELECT RAISE(ABORT, 'poisoned quote'); END"),
                     SQLITE_OK);
    static const char bad[] =
        "“The harbour is ours,” said Mirela Stan.\n\n"
        "“Not a drop of arsenic was found in the water,” said Dev Okafor, the inspector.\n";
    st = must_open(db, SAYSO_STORE_WRITE);
    ex = sayso_extractor_new_with(NULL);
    assert_int_equal(sayso_store_begin(st), 0);
    assert_int_equal(put_dated(st, ex, "f", "2023-07-01", bad), SAYSO_PUT_ERROR);
    assert_int_equal(put_dated(st, ex, "a", "2023-05-01", bad), SAYSO_PUT_ERROR);
    assert_int_equal(put_dated(st, ex, "g", "2023-07-02", ART1), SAYSO_PUT_ADDED);
    assert_int_equal(sayso_store_commit(st), 0);
    sayso_store_close(st);
    sayso_extractor_free(ex);
    assert_counts_exact(db);
    /* And the check can fail, each damage undoing the one before: a
     * count set wrong by hand, a word of the index missing from words, a
     * quote whose article is gone. */
    assert_recount_finds(db, "UPDATE speakers SET articles = articles + 1 WHERE key = 'mirela stan'", "speaker");
    assert_recount_finds(db, "UPDATE speakers SET articles = articles - 1 WHERE key = 'mirela stan';"
                             " DELETE FROM words WHERE term = 'tired'", "'tired'");
    assert_recount_finds(db, "INSERT INTO words(term) VALUES ('tired');"
                             " UPDATE quotes SET article_id = 999999 WHERE id = (SELECT min(id) FROM quotes)",
                         "references: quotes row");
}

/* Filters are words of the index's meta column: a speaker, a channel, and
 * date ranges made of years, months and days, leap days included. */
static void test_search_filters(void **state)
{
    (void)state;
    const char *db = tmp_path("filters.db");
    const doc d[] = {
        { "f1", "2016-02-29", "“The harbour is open again,” said Ines Varga.\n" },
        { "f2", "2016-03-01", "Ines Varga tweeted: “Harbour, harbour, harbour: we did it.”\n" },
        { "f3", "2017-01-15", "“The old harbour will need a new wall before the next winter comes,” said Piet Hol.\n" },
    };
    store_docs(db, d, 3);
    sayso_store *st = must_open(db, SAYSO_STORE_READ);
    sayso_search_opts o = { .query = "harbour", .limit = 10 };
    hits x = { 0 };
    assert_int_equal(sayso_store_search(st, &o, collect, &x), 3);
    /* BM25: three times in a short quote beats once in a long one. */
    assert_string_equal(x.speaker[0], "Ines Varga");
    assert_non_null(strstr(x.context[0], "we did it"));
    struct { const char *from, *to; int n; } ranges[] = {
        { "2016-03-01", "2016-03-01", 1 }, { "2016-02", "2016-03", 2 }, { "2016-02-29", NULL, 3 },
        { NULL, "2016-02-29", 1 },         { "2016", "2016", 2 },       { "2016-03-02", "2016-12-31", 0 },
        { "2017-01-15", "2017-01-15", 1 }, { "2018", NULL, 0 },         { "2016-03", "2016-02", 0 },
    };
    for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++) {
        o.from = ranges[i].from;
        o.to = ranges[i].to;
        memset(&x, 0, sizeof x);
        if (sayso_store_search(st, &o, collect, &x) != ranges[i].n)
            fail_msg("from %s to %s: %d hits, not %d", o.from ? o.from : "-", o.to ? o.to : "-", x.n, ranges[i].n);
    }
    o.from = o.to = NULL;
    o.channel = "twitter";
    assert_int_equal(sayso_store_search(st, &o, collect, &x), 1);
    o.channel = "TV";
    assert_int_equal(sayso_store_search(st, &o, collect, &x), 0);
    o.channel = "twitter; DROP";
    assert_int_equal(sayso_store_search(st, &o, collect, &x), -1);
    assert_non_null(strstr(sayso_store_error(st), "bad channel"));
    o.channel = NULL;
    o.speaker = "piet hol";
    o.from = "2017";
    assert_int_equal(sayso_store_search(st, &o, collect, &x), 1);
    o.from = "2016-12";
    o.to = "2016-12";
    assert_int_equal(sayso_store_search(st, &o, collect, &x), 0);
    sayso_store_close(st);
}

/* Near-duplicates: a trimmed report and one with a word changed join the
 * quotation; a quotation that shares a phrase with it does not. */
static const char NEAR1[] =
    "“We will rebuild the north wall of the harbour before the winter storms, and we will pay for it ourselves,”"
    " said Mirela Stan.\n";
static const char NEAR2[] = /* trimmed */
    "“We will rebuild the north wall of the harbour before the winter storms,” Stan said.\n";
static const char NEAR3[] = /* one word changed, other marks */
    "\"We will rebuild the north wall of the harbor before the winter storms, and we will pay for it ourselves,\""
    " Stan told the Gazette.\n";
static const char NEAR4[] = /* shares a phrase, says something else */
    "“The winter storms took the roof of the fish market and we will never rebuild it,” said Tomas Brel.\n";

static void test_near_duplicates(void **state)
{
    (void)state;
    static sayso_sketch a, b;
    const char *t1 = "we will rebuild the north wall of the harbour before the winter storms";
    const char *t2 = "rebuild the north wall of the harbour";
    assert_int_equal(sayso_sketch_of(t1, strlen(t1), &a), 1);
    assert_int_equal(a.n_words, 13);
    assert_int_equal(a.n_shingles, 10);
    assert_int_equal(sayso_sketch_of(t2, strlen(t2), &b), 1);
    assert_true(sayso_containment(&a, &b) > 0.99); /* all of b's shingles are in a */
    assert_int_equal(sayso_sketch_of("no comment", 10, &b), 0); /* too short to sketch */
    assert_true(b.key == sayso_quote_key("No comment!", 11));

    const char *db = tmp_path("near.db");
    remove_db(db);
    sayso_store *st = must_open(db, SAYSO_STORE_WRITE);
    sayso_extractor *ex = sayso_extractor_new_with(NULL);
    assert_int_equal(sayso_store_begin(st), 0);
    assert_int_equal(put(st, ex, "n2", NEAR2), SAYSO_PUT_ADDED);
    assert_int_equal(sayso_store_commit(st), 0);
    /* The next batch: the full quotation arrives after the trimmed one was
     * indexed, and becomes the quotation's text. */
    assert_int_equal(sayso_store_begin(st), 0);
    assert_int_equal(put(st, ex, "n1", NEAR1), SAYSO_PUT_ADDED);
    assert_int_equal(put(st, ex, "n3", NEAR3), SAYSO_PUT_ADDED);
    assert_int_equal(put(st, ex, "n4", NEAR4), SAYSO_PUT_ADDED);
    assert_int_equal(sayso_store_commit(st), 0);
    sayso_store_close(st);
    sayso_extractor_free(ex);
    assert_int_equal(scalar(db, "SELECT count(*) FROM quotes"), 4);
    assert_int_equal(scalar(db, "SELECT count(*) FROM quotations"), 2);
    assert_int_equal(scalar(db, "SELECT count(DISTINCT quotation_id) FROM quotes q JOIN articles a ON a.id = q.article_id"
                                " WHERE a.doc IN ('n1', 'n2', 'n3')"), 1);
    assert_int_equal(scalar(db, "SELECT count(*) FROM quote_keys"), 4); /* three forms of one, one of the other */
    /* The quotation's text is its longest form, and the index knows it. */
    assert_int_equal(scalar(db, "SELECT count(*) FROM quotations WHERE text LIKE '%pay for it ourselves%'"), 1);
    assert_int_equal(scalar(db, "SELECT count(*) FROM quotes_fts WHERE quotes_fts MATCH 'text: (harbour AND ourselves)'"), 1);
    assert_int_equal(exec_rc(db, "INSERT INTO quotes_fts(quotes_fts, rank) VALUES ('integrity-check', 1)"),
                     SQLITE_OK);
    assert_counts_exact(db);
}

/* The command line: usage errors exit 2, a file that is no store 3, with
 * its name in the message; an ingest twice stores once. */
static void test_cli_ingest(void **state)
{
    (void)state;
    const char *bin = tu_env("SAYSO_BIN", "sayso");
    char cmd[16384];
    int status;
    snprintf(cmd, sizeof cmd, "'%s' ingest 2>&1", bin);
    char *out = tu_run(cmd, &status);
    assert_int_equal(status, 2);
    assert_non_null(strstr(out, "needs a store"));
    free(out);

    const char *txt = tmp_path("not-a-db.txt");
    snprintf(cmd, sizeof cmd, "'%s' ingest '%s' '%s' 2>&1", bin, txt, tu_env("SAYSO_FIXTURES", "tests/fixtures"));
    out = tu_run(cmd, &status);
    assert_int_equal(status, 3);
    assert_non_null(strstr(out, "not-a-db.txt"));
    free(out);

    const char *db = tmp_path("cli.db");
    remove_db(db);
    snprintf(cmd, sizeof cmd, "'%s' ingest --rules-only '%s' '%s' 2>&1", bin, db, tu_env("SAYSO_FIXTURES", "tests/fixtures"));
    out = tu_run(cmd, &status);
    assert_int_equal(status, 0);
    assert_non_null(strstr(out, "added, 0 replaced, 0 unchanged"));
    free(out);
    long long a1 = scalar(db, "SELECT count(*) FROM articles"), q1 = scalar(db, "SELECT count(*) FROM quotes");
    out = tu_run(cmd, &status);
    assert_int_equal(status, 0);
    assert_non_null(strstr(out, " 0 added, 0 replaced,"));
    free(out);
    assert_int_equal(scalar(db, "SELECT count(*) FROM articles"), a1);
    assert_int_equal(scalar(db, "SELECT count(*) FROM quotes"), q1);
    assert_true(q1 > 100);
}

/* Browsing: stats, speakers, quote and export agree with what was stored. */
static void test_cli_browse(void **state)
{
    (void)state;
    const char *bin = tu_env("SAYSO_BIN", "sayso");
    const char *db = tmp_path("cli.db"); /* from test_cli_ingest */
    char cmd[16384];
    int status;
    snprintf(cmd, sizeof cmd, "'%s' stats '%s'", bin, db);
    char *out = tu_run(cmd, &status);
    assert_int_equal(status, 0);
    char want[128];
    snprintf(want, sizeof want, "quotes: %lld\n", scalar(db, "SELECT count(*) FROM quotes"));
    assert_non_null(strstr(out, want));
    free(out);

    snprintf(cmd, sizeof cmd, "'%s' export '%s'", bin, db);
    out = tu_run(cmd, &status);
    assert_int_equal(status, 0);
    long long lines = 0;
    for (char *p = out; *p; p++) lines += *p == '\n';
    assert_int_equal(lines, scalar(db, "SELECT count(*) FROM quotes"));
    assert_non_null(strstr(out, "\"content\": [["));
    free(out);

    snprintf(cmd, sizeof cmd, "'%s' speakers '%s' --top 3", bin, db);
    out = tu_run(cmd, &status);
    assert_int_equal(status, 0);
    lines = 0;
    for (char *p = out; *p; p++) lines += *p == '\n';
    assert_int_equal(lines, 4); /* header and three speakers */
    free(out);

    snprintf(cmd, sizeof cmd, "'%s' speakers '%s' 'ZOË MARCHETTI'", bin, db);
    out = tu_run(cmd, &status);
    assert_int_equal(status, 0);
    assert_non_null(strstr(out, "Zoë Marchetti-Lund"));
    /* Her profile: how the article named her, how it described her. */
    assert_non_null(strstr(out, "\tMarchetti-Lund\t"));
    assert_non_null(strstr(out, "architect"));
    free(out);

    long long qid = scalar(db, "SELECT quotation_id FROM quotes ORDER BY id LIMIT 1");
    snprintf(cmd, sizeof cmd, "'%s' quote '%s' %lld", bin, db, qid);
    out = tu_run(cmd, &status);
    assert_int_equal(status, 0);
    lines = 0;
    for (char *p = out; *p; p++) lines += *p == '\n';
    assert_int_equal(lines, 1 + scalar(db, "SELECT count(*) FROM quotes WHERE quotation_id = (SELECT quotation_id FROM quotes ORDER BY id LIMIT 1)"));
    free(out);

    snprintf(cmd, sizeof cmd, "'%s' quote '%s' 999999999 2>&1", bin, db);
    free(tu_run(cmd, &status));
    assert_int_equal(status, 1);
    snprintf(cmd, sizeof cmd, "'%s' quote '%s' abc 2>&1", bin, db);
    free(tu_run(cmd, &status));
    assert_int_equal(status, 2);
    snprintf(cmd, sizeof cmd, "'%s' search '%s' '\"unclosed' 2>&1", bin, db);
    out = tu_run(cmd, &status);
    assert_int_equal(status, 2);
    assert_non_null(strstr(out, "bad query"));
    free(out);
    snprintf(cmd, sizeof cmd, "'%s' search '%s' bridge --format json", bin, db);
    out = tu_run(cmd, &status);
    assert_int_equal(status, 0);
    assert_non_null(strstr(out, "\"first_report\": {"));
    free(out);
}

/* An article with the three kinds of report, written for this test: the
 * rules find an indirect report ("X said the pier would…"), a mixed one
 * (a reported clause quoting three words) and a direct quote. */
static const char FERRY[] =
    " date 2024-03-02 The ferry pier at Calloway Point has been closed since the January storm.\n\n"
    "Port officials said the pier would reopen in May after repairs to the pilings.\n\n"
    "Ines Okonkwo, the harbourmaster, said the port would \xE2\x80\x9C" "fight for every sailing\xE2\x80\x9D"
    " through the spring.\n\n"
    "\xE2\x80\x9CWe are not going to let one storm sink a hundred years of crossings,\xE2\x80\x9D"
    " Okonkwo told reporters on Friday.\n";

/* What `sayso search DB QUERY MORE...` prints (the caller frees it). */
static char *search_cli(const char *db, const char *query, const char *more, int *status)
{
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "'%s' search '%s' '%s' %s", tu_env("SAYSO_BIN", "sayso"), db, query, more);
    return tu_run(cmd, status);
}

/* Search shows reported speech as reported: the words as the article wrote
 * them, no quotation marks of sayso's around them (the article's own
 * inside a mixed one stay), the kind named; a direct quote in marks. The
 * report line beneath is the article's sentence as it is. JSON hits carry
 * the type, as the library's hits do. */
static void test_search_shows_reported_speech(void **state)
{
    (void)state;
    const char *txt = tmp_path("ferry.txt"), *db = tmp_path("ferry.db");
    assert_int_equal(tu_write_file(txt, FERRY, sizeof FERRY - 1), 0);
    remove_db(db);
    char cmd[8192];
    int status;
    snprintf(cmd, sizeof cmd, "'%s' ingest --rules-only '%s' --quiet '%s'", tu_env("SAYSO_BIN", "sayso"), db, txt);
    free(tu_run(cmd, &status));
    assert_int_equal(status, 0);
    assert_int_equal(scalar(db, "SELECT count(*) FROM quotes"), 3);

    char *out = search_cli(db, "pilings", "", &status);
    assert_int_equal(status, 0);
    const char *indirect = "1. the pier would reopen in May after repairs to the pilings (reported speech)\n";
    assert_true(strncmp(out, indirect, strlen(indirect)) == 0);
    assert_non_null(strstr(out, "\n   ferry (2024-03-02): Port officials said the pier would reopen in May after repairs"
                                " to the pilings.\n"));
    assert_null(strstr(out, "\xE2\x80\x9C"));
    free(out);

    out = search_cli(db, "sailing", "", &status);
    assert_int_equal(status, 0);
    const char *mixed = "1. the port would \xE2\x80\x9C" "fight for every sailing\xE2\x80\x9D through the spring"
                        " (partly quoted)\n";
    assert_true(strncmp(out, mixed, strlen(mixed)) == 0);
    assert_non_null(strstr(out, "Ines Okonkwo \xE2\x80\x94 1 article, first 2024-03-02 (quotation "));
    free(out);

    out = search_cli(db, "crossings", "", &status);
    assert_int_equal(status, 0);
    const char *direct = "1. \xE2\x80\x9CWe are not going to let one storm sink a hundred years of crossings,"
                         "\xE2\x80\x9D\n";
    assert_true(strncmp(out, direct, strlen(direct)) == 0);
    assert_null(strstr(out, "(partly quoted)"));
    assert_null(strstr(out, "(reported speech)"));
    free(out);

    out = search_cli(db, "pilings OR sailing OR crossings", "--format json", &status);
    assert_int_equal(status, 0);
    int seen = 0, lines = 0;
    for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n"), lines++) {
        cJSON *j = cJSON_Parse(line);
        assert_non_null(j);
        const char *quote = cJSON_GetObjectItem(j, "quote")->valuestring;
        cJSON *type = cJSON_GetObjectItem(j, "type");
        assert_true(cJSON_IsString(type));
        const char *want = strstr(quote, "pilings") ? "indirect" : strstr(quote, "sailing") ? "mixed" : "direct";
        assert_string_equal(type->valuestring, want);
        seen |= strcmp(want, "indirect") == 0 ? 1 : strcmp(want, "mixed") == 0 ? 2 : 4;
        cJSON_Delete(j);
    }
    assert_int_equal(lines, 3);
    assert_int_equal(seen, 7);
    free(out);

    /* The library's hit, which the CLI and the server print. */
    sayso_store *st = must_open(db, SAYSO_STORE_READ);
    sayso_search_opts o = { .query = "sailing", .limit = 10 };
    sayso_quote_type t = SAYSO_DIRECT;
    assert_int_equal(sayso_store_search(st, &o, first_type, &t), 1);
    assert_int_equal(t, SAYSO_MIXED);
    o.query = "pilings";
    assert_int_equal(sayso_store_search(st, &o, first_type, &t), 1);
    assert_int_equal(t, SAYSO_INDIRECT);
    o.query = "crossings";
    assert_int_equal(sayso_store_search(st, &o, first_type, &t), 1);
    assert_int_equal(t, SAYSO_DIRECT);
    sayso_store_close(st);
}

/* ---- kill -9 in the middle of an ingest ------------------------------- */

/* A JSONL corpus: every fixture article, many times, under new ids. */
static void write_corpus(const char *path, int copies)
{
    const char *dir = tu_env("SAYSO_FIXTURES", "tests/fixtures");
    DIR *dh = opendir(dir);
    assert_non_null(dh);
    FILE *out = fopen(path, "wb");
    assert_non_null(out);
    struct dirent *de;
    int n = 0;
    while ((de = readdir(dh))) {
        size_t len = strlen(de->d_name);
        if (len < 5 || strcmp(de->d_name + len - 4, ".txt") != 0) continue;
        char p[8192];
        snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
        size_t tl = 0;
        char *text = tu_read_file(p, &tl);
        assert_non_null(text);
        /* The text as a JSON string (the fixtures are plain UTF-8 prose). */
        size_t cap = tl * 6 + 16, k = 0;
        char *js = malloc(cap);
        for (size_t i = 0; i < tl; i++) {
            unsigned char c = (unsigned char)text[i];
            if (c == '"' || c == '\\') { js[k++] = '\\'; js[k++] = (char)c; }
            else if (c == '\n') { js[k++] = '\\'; js[k++] = 'n'; }
            else if (c < 0x20) k += (size_t)snprintf(js + k, cap - k, "\\u%04x", c);
            else js[k++] = (char)c;
        }
        js[k] = 0;
        for (int c = 0; c < copies; c++) fprintf(out, "{\"id\": \"%s#%d\", \"text\": \"%s\"}\n", de->d_name, c, js);
        free(js);
        free(text);
        n++;
    }
    closedir(dh);
    fclose(out);
    assert_true(n > 10);
}

/* What a store holds, as one checksum: every article and quote, and the
 * quotation and speaker each quote was grouped under. */
static unsigned long long store_digest(const char *db, long long *articles, long long *quotes)
{
    sqlite3 *h;
    sqlite3_stmt *q;
    unsigned long long d = 1469598103934665603ull;
    assert_int_equal(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(h,
                                        "SELECT a.doc, a.hash, q.ord, q.text, ifnull(q.speaker, ''), q.content,"
                                        " q.quotation_id, ifnull(q.speaker_id, ''), qt.text"
                                        " FROM articles a LEFT JOIN quotes q ON q.article_id = a.id"
                                        " LEFT JOIN quotations qt ON qt.id = q.quotation_id"
                                        " ORDER BY a.doc, q.ord",
                                        -1, &q, NULL),
                     SQLITE_OK);
    while (sqlite3_step(q) == SQLITE_ROW)
        for (int c = 0; c < 9; c++) {
            const unsigned char *s = sqlite3_column_text(q, c);
            for (; s && *s; s++) d = (d ^ *s) * 1099511628211ull;
            d = (d ^ 0xff) * 1099511628211ull;
        }
    sqlite3_finalize(q);
    sqlite3_close(h);
    *articles = scalar(db, "SELECT count(*) FROM articles");
    *quotes = scalar(db, "SELECT count(*) FROM quotes");
    return d;
}

static int run_ingest(const char *db, const char *corpus)
{
    char cmd[16384];
    snprintf(cmd, sizeof cmd, "'%s' ingest --rules-only --quiet --batch 50 '%s' '%s'", tu_env("SAYSO_BIN", "sayso"), db, corpus);
    int status;
    free(tu_run(cmd, &status));
    return status;
}

static void test_kill_9_then_resume(void **state)
{
    (void)state;
    const char *corpus = tmp_path("kill-corpus.jsonl");
    write_corpus(corpus, 150); /* some 8,000 articles: an ingest of a second or more */

    const char *clean = tmp_path("clean.db");
    remove_db(clean);
    assert_int_equal(run_ingest(clean, corpus), 0);
    long long ca, cq;
    unsigned long long want = store_digest(clean, &ca, &cq);
    assert_true(ca > 5000);

    const char *killed = tmp_path("killed.db");
    int interrupted = 0;
    for (int attempt = 0; attempt < 6 && !interrupted; attempt++) {
        remove_db(killed);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            execl(tu_env("SAYSO_BIN", "sayso"), "sayso", "ingest", "--rules-only", "--quiet", "--batch", "50", killed, corpus,
                  (char *)NULL);
            _exit(127);
        }
        /* Let it commit some batches, then kill it without warning. */
        struct timespec ts = { 0, (long)(150 + 100 * attempt) * 1000000L };
        nanosleep(&ts, NULL);
        kill(pid, SIGKILL);
        int status;
        waitpid(pid, &status, 0);
        interrupted = WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
    }
    if (!interrupted) {
        /* The machine ingested everything before the kill: nothing to test. */
        print_message("kill -9: the ingest finished before it could be killed; test not meaningful here\n");
        skip();
    }
    long long ka = scalar(killed, "SELECT count(*) FROM articles");
    print_message("kill -9 left %lld of %lld articles; resuming\n", ka, ca);
    assert_true(ka < ca); /* it was stopped half-way */
    assert_int_equal(run_ingest(killed, corpus), 0);
    long long ra, rq;
    unsigned long long got = store_digest(killed, &ra, &rq);
    assert_int_equal(ra, ca);
    assert_int_equal(rq, cq);
    assert_true(got == want);
    assert_int_equal(scalar(killed, "PRAGMA integrity_check") == -1, 0);
    /* The counts kept through the kill are those of a clean run. */
    assert_counts_exact(killed);
    assert_int_equal(scalar(killed, "SELECT quotations FROM counts"), scalar(clean, "SELECT quotations FROM counts"));
    assert_int_equal(scalar(killed, "SELECT speakers FROM counts"), scalar(clean, "SELECT speakers FROM counts"));
}

/* What a page says about itself (title, site, authors, language) is
 * stored with the article, shown with a hit's first report, and changes
 * the article when it changes. */
static int hit_meta(const sayso_hit *h, void *arg)
{
    char *out = arg;
    snprintf(out, 256, "%s|%s", h->title ? h->title : "-", h->site ? h->site : "-");
    return 0;
}

static int article_meta(int ncol, const char *const *names, const char *const *vals, void *arg)
{
    char *out = arg;
    size_t k = 0;
    for (int i = 0; i < ncol; i++)
        if (strcmp(names[i], "site") == 0 || strcmp(names[i], "authors") == 0 || strcmp(names[i], "lang") == 0)
            k += (size_t)snprintf(out + k, 256 - k, "%s;", vals[i] ? vals[i] : "-");
    return 0;
}

static void test_article_metadata(void **state)
{
    (void)state;
    const char *db;
    sayso_store *st = fresh_store("meta.db", &db);
    sayso_extractor *ex = sayso_extractor_new_with(NULL);
    sayso_article a = { 0 };
    a.id = "m1";
    a.date = "2024-02-03";
    a.title = "Harbour vote";
    a.site = "The Invented Gazette";
    a.authors = "Ana Pereira; Tom Lind";
    a.lang = "en";
    a.text = ART1;
    a.len = strlen(ART1);
    const sayso_quote *q;
    size_t n;
    assert_int_equal(sayso_extract(ex, &a, &q, &n), 0);
    assert_int_equal(sayso_store_begin(st), 0);
    assert_int_equal(sayso_store_put(st, &a, NULL, q, n), SAYSO_PUT_ADDED);
    assert_int_equal(sayso_store_put(st, &a, NULL, q, n), SAYSO_PUT_UNCHANGED);
    a.site = "The Invented Herald";
    assert_int_equal(sayso_store_put(st, &a, NULL, q, n), SAYSO_PUT_REPLACED);
    assert_int_equal(sayso_store_commit(st), 0);
    char got[256] = "";
    sayso_search_opts o = { .query = "pier", .limit = 5 };
    assert_int_equal(sayso_store_search(st, &o, hit_meta, got), 1);
    assert_string_equal(got, "Harbour vote|The Invented Herald");
    got[0] = 0;
    assert_int_equal(sayso_store_report(st, SAYSO_REPORT_ARTICLE, NULL, 1, article_meta, got), 1);
    assert_string_equal(got, "Ana Pereira; Tom Lind;The Invented Herald;en;");
    sayso_store_close(st);
    sayso_extractor_free(ex);
    assert_counts_exact(db);
}

/* A report that outlives its time budget stops with a message that says
 * so, and the next call has a budget of its own. */
static int slow_row(int ncol, const char *const *names, const char *const *vals, void *arg)
{
    (void)ncol;
    (void)names;
    (void)vals;
    if (++*(long *)arg == 1) {
        struct timespec ts = { 0, 30 * 1000000L };
        nanosleep(&ts, NULL);
    }
    return 0;
}

static int count_row_cb(int ncol, const char *const *names, const char *const *vals, void *arg)
{
    (void)ncol;
    (void)names;
    (void)vals;
    ++*(long *)arg;
    return 0;
}

static void test_time_budget(void **state)
{
    (void)state;
    const char *corpus = tmp_path("budget-corpus.jsonl");
    write_corpus(corpus, 4);
    const char *db = tmp_path("budget.db");
    remove_db(db);
    assert_int_equal(run_ingest(db, corpus), 0);
    long long quotes = scalar(db, "SELECT count(*) FROM quotes");
    assert_true(quotes > 500);
    sayso_store *st = must_open(db, SAYSO_STORE_READ);
    sayso_store_set_budget(st, 10);
    long rows = 0;
    assert_int_equal(sayso_store_report(st, SAYSO_REPORT_EXPORT, NULL, 0, slow_row, &rows), -1);
    assert_true(sayso_store_over_budget(st));
    assert_non_null(strstr(sayso_store_error(st), "budget of 10 ms"));
    assert_true(rows < quotes);
    /* A new call starts a new budget; without one, everything comes. */
    rows = 0;
    assert_int_equal(sayso_store_report(st, SAYSO_REPORT_STATS, NULL, 0, count_row_cb, &rows), 1);
    assert_false(sayso_store_over_budget(st));
    sayso_store_set_budget(st, 0);
    rows = 0;
    assert_int_equal(sayso_store_report(st, SAYSO_REPORT_EXPORT, NULL, 0, slow_row, &rows), quotes);
    sayso_store_close(st);
}

/* ---- one thread or two ------------------------------------------------ */

/* Runs `sayso ingest --threads T --batch B DB CORPUS`: exit status, and
 * its summary line in *summary (caller frees). */
static int ingest_threads(const char *db, const char *corpus, int threads, int batch, char **out)
{
    char cmd[16384];
    snprintf(cmd, sizeof cmd, "'%s' ingest --threads %d --batch %d '%s' '%s' 2>&1", tu_env("SAYSO_BIN", "sayso"),
             threads, batch, db, corpus);
    int status;
    *out = tu_run(cmd, &status);
    return status;
}

/* The line of out that starts with what, up to its end. */
static char *line_of(const char *out, const char *what)
{
    const char *p = strstr(out, what);
    if (!p) return strdup("(missing)");
    size_t n = strcspn(p, "\n");
    return strndup(p, n);
}

static void test_threads_make_the_same_store(void **state)
{
    (void)state;
    const char *corpus = tmp_path("threads-corpus.jsonl");
    write_corpus(corpus, 3);
    /* Awkward lines after the clean ones: a malformed line, an article
     * again as it was (unchanged), the same id with new words (replaced
     * inside the batch), bad bytes, an empty text. */
    FILE *f = fopen(corpus, "a");
    assert_non_null(f);
    fputs("{\"id\": \"broken\", \"text\": \"no end\n", f);
    fputs("{\"id\": \"twice\", \"text\": \"\u201cThe ferry runs at dawn,\u201d said Ana Pop, the captain.\"}\n", f);
    fputs("{\"id\": \"twice\", \"text\": \"\u201cThe ferry runs at dawn,\u201d said Ana Pop, the captain.\"}\n", f);
    fputs("{\"id\": \"twice\", \"text\": \"\u201cThe ferry runs at noon,\u201d said Ana Pop, the captain.\"}\n", f);
    fputs("{\"id\": \"bytes\", \"text\": \"\u201cWe sail \xff\xfe today,\u201d said Ana Pop.\"}\n", f);
    fputs("{\"id\": \"empty\", \"text\": \"\"}\n", f);
    fclose(f);

    const char *one = tmp_path("one-thread.db"), *two = tmp_path("two-threads.db");
    remove_db(one);
    remove_db(two);
    char *out1, *out2;
    /* Small batches: the second thread asks the store while batches commit. */
    int s1 = ingest_threads(one, corpus, 1, 7, &out1), s2 = ingest_threads(two, corpus, 2, 7, &out2);
    assert_int_equal(s1, 1); /* the malformed line was skipped */
    assert_int_equal(s2, 1);
    assert_non_null(strstr(out2, ":")); /* the skipped line is named by file and line */
    char *sum1 = line_of(out1, "articles read:"), *sum2 = line_of(out2, "articles read:");
    assert_string_equal(sum1, sum2);
    assert_non_null(strstr(sum1, "1 replaced, 1 unchanged"));
    free(sum2);
    free(out1);
    free(out2);
    long long a1, q1, a2, q2;
    unsigned long long d1 = store_digest(one, &a1, &q1), d2 = store_digest(two, &a2, &q2);
    assert_true(a1 > 40);
    assert_int_equal(a1, a2);
    assert_int_equal(q1, q2);
    assert_true(d1 == d2);
    assert_int_equal(exec_rc(two, "INSERT INTO quotes_fts(quotes_fts, rank) VALUES ('integrity-check', 1)"),
                     SQLITE_OK);

    /* Again with two threads: all is found unchanged but "twice", whose
     * two versions replace each other in turn, and the store is as it was. */
    s2 = ingest_threads(two, corpus, 2, 7, &out2);
    assert_int_equal(s2, 1);
    assert_non_null(strstr(out2, " 0 added, 2 replaced,"));
    free(out2);
    assert_true(store_digest(two, &a2, &q2) == d1);

    char *bad;
    assert_int_equal(ingest_threads(two, corpus, 0, 7, &bad), 2);
    assert_non_null(strstr(bad, "--threads"));
    free(bad);

    /* A store in memory has no second connection: one thread does it all,
     * with the same outcome. */
    char *mem;
    assert_int_equal(ingest_threads(":memory:", corpus, 2, 7, &mem), 1);
    char *sum_mem = line_of(mem, "articles read:");
    assert_string_equal(sum_mem, sum1);
    free(sum_mem);
    free(mem);
    free(sum1);
}

/* A store that fails half-way stops a two-thread ingest at once, with the
 * message, and keeps the batches committed before. */
static void test_threads_stop_on_a_store_error(void **state)
{
    (void)state;
    /* The poisoned article comes after 20 copies of the fixtures and
     * before 20 more, which the second thread is reading meanwhile. */
    const char *corpus = tmp_path("threads-fail.jsonl"), *tail = tmp_path("threads-fail-tail.jsonl");
    write_corpus(corpus, 20);
    write_corpus(tail, 20);
    FILE *f = fopen(corpus, "a");
    assert_non_null(f);
    fputs("{\"id\": \"poisoned\", \"text\": \"\u201cThere is arsenic in the well,\u201d said Ana Pop.\"}\n", f);
    fclose(f);
    const char *db;
    sayso_store_close(fresh_store("threads-fail.db", &db));
    char cmd[16384];
    int status;
    assert_int_equal(exec_rc(db, "CREATE TRIGGER poison BEFORE INSERT ON quotes WHEN NEW.text LIKE '%arsenic%'"
                                 " BEGIN SELECT RAISE(ABORT, 'poisoned quote'); END"),
                     SQLITE_OK);
    snprintf(cmd, sizeof cmd, "'%s' ingest --rules-only --threads 2 --batch 50 '%s' '%s' '%s' 2>&1", tu_env("SAYSO_BIN", "sayso"),
             db, corpus, tail);
    char *out = tu_run(cmd, &status);
    assert_int_equal(status, 3);
    assert_non_null(strstr(out, "poisoned quote"));
    free(out);
    long long kept = scalar(db, "SELECT count(*) FROM articles");
    assert_true(kept > 0);                      /* the batches before it */
    assert_int_equal(kept % 50, 0);             /* and nothing of the open one */
    assert_int_equal(scalar(db, "SELECT count(*) FROM articles WHERE doc = 'poisoned'"), 0);
}

/* Readers map the store through their own VFS (mapvfs.c), past SQLite's
 * 2 GB limit. What they find must not depend on how much is mapped, and a
 * file that grows under them (a writer's checkpoint) must be read past the
 * old end of the map: the same hits with the whole file mapped, with two
 * pages mapped (the rest read) and with nothing mapped, before and after
 * the store grows. */
static int collect_all(const sayso_hit *h, void *arg)
{
    char *out = arg;
    size_t n = strlen(out);
    snprintf(out + n, 8192 - n, "%lld|%s|%lld|%s\n", h->id, h->text ? h->text : "", h->n_articles,
             h->context ? h->context : "");
    return 0;
}

static void test_mapped_readers_see_the_file_grow(void **state)
{
    (void)state;
    const char *db;
    sayso_store *w = fresh_store("mapped.db", &db);
    sayso_extractor *ex = sayso_extractor_new_with(NULL);
    char text[512], id[32];
    assert_int_equal(sayso_store_begin(w), 0);
    for (int i = 0; i < 3; i++) {
        snprintf(id, sizeof id, "early-%d", i);
        snprintf(text, sizeof text, "“The ferry number %d will sail at dawn,” said Orla Penhale, the harbour pilot.\n", i);
        assert_int_equal(put(w, ex, id, text), SAYSO_PUT_ADDED);
    }
    assert_int_equal(sayso_store_commit(w), 0);
    assert_int_equal(exec_rc(db, "PRAGMA wal_checkpoint(TRUNCATE)"), SQLITE_OK);
    long long pages = scalar(db, "PRAGMA page_count");

    sayso_store *r[3];
    long long mmap[3] = { -1, 8192, 0 }; /* -1: as opened, the whole file */
    for (int k = 0; k < 3; k++) {
        r[k] = must_open(db, SAYSO_STORE_READ);
        if (mmap[k] >= 0) assert_int_equal(sayso_store_set_memory(r[k], -1, mmap[k]), 0);
    }
    sayso_search_opts o = { 0 };
    o.limit = 50;
    static char got[3][8192];
    o.query = "ferry";
    for (int k = 0; k < 3; k++) {
        got[k][0] = 0;
        assert_int_equal(sayso_store_search(r[k], &o, collect_all, got[k]), 3);
    }
    assert_string_equal(got[0], got[1]);
    assert_string_equal(got[0], got[2]);

    /* Many pages more, checkpointed into the file while the readers stay
     * open. */
    assert_int_equal(sayso_store_begin(w), 0);
    for (int i = 0; i < 400; i++) {
        snprintf(id, sizeof id, "late-%d", i);
        snprintf(text, sizeof text,
                 "The council met on the %dth evening of the inquiry.\n\n“Lantern %d stays lit until the fog lifts "
                 "over the quay,” said Tamsin Rowe, the keeper.\n",
                 i % 28 + 1, i);
        assert_int_equal(put(w, ex, id, text), SAYSO_PUT_ADDED);
    }
    assert_int_equal(sayso_store_commit(w), 0);
    assert_int_equal(exec_rc(db, "PRAGMA wal_checkpoint(TRUNCATE)"), SQLITE_OK);
    assert_true(scalar(db, "PRAGMA page_count") > pages + 20);
    o.query = "lantern AND fog";
    for (int k = 0; k < 3; k++) {
        got[k][0] = 0;
        assert_true(sayso_store_search(r[k], &o, collect_all, got[k]) >= 1);
    }
    /* Near-duplicates: one quotation, reported 400 times. */
    assert_non_null(strstr(got[0], "|400|"));
    assert_string_equal(got[0], got[1]);
    assert_string_equal(got[0], got[2]);
    o.query = "ferry";
    for (int k = 0; k < 3; k++) {
        got[k][0] = 0;
        assert_int_equal(sayso_store_search(r[k], &o, collect_all, got[k]), 3);
    }
    assert_string_equal(got[0], got[1]);
    assert_string_equal(got[0], got[2]);
    for (int k = 0; k < 3; k++) sayso_store_close(r[k]);
    sayso_store_close(w);
    sayso_extractor_free(ex);
}

/* A snapshot (a server's request) sees the store as its first query found
 * it while a writer commits, and the next one sees the commit. */
static void test_snapshot(void **state)
{
    (void)state;
    const char *db;
    sayso_store *w = fresh_store("snapshot.db", &db);
    sayso_extractor *ex = sayso_extractor_new_with(NULL);
    assert_int_equal(sayso_store_begin(w), 0);
    assert_int_equal(put(w, ex, "s1", "“The ferry sails at dawn,” said Orla Penhale, the harbour pilot.\n"), SAYSO_PUT_ADDED);
    assert_int_equal(sayso_store_commit(w), 0);
    sayso_store *r = must_open(db, SAYSO_STORE_READ);
    sayso_search_opts o = { 0 };
    o.limit = 10;
    hits x = { 0 };
    assert_int_equal(sayso_store_snapshot_begin(r), 0);
    o.query = "ferry";
    assert_int_equal(sayso_store_search(r, &o, collect, &x), 1);
    assert_int_equal(sayso_store_begin(w), 0);
    assert_int_equal(put(w, ex, "s2", "“The lantern stays lit until the fog lifts,” said Tamsin Rowe, the keeper.\n"),
                     SAYSO_PUT_ADDED);
    assert_int_equal(sayso_store_commit(w), 0);
    o.query = "lantern";
    assert_int_equal(sayso_store_search(r, &o, collect, &x), 0);
    sayso_store_snapshot_end(r);
    assert_int_equal(sayso_store_search(r, &o, collect, &x), 1);
    sayso_store_snapshot_end(r); /* without a begin: nothing to end */
    sayso_store_close(r);
    sayso_store_close(w);
    sayso_extractor_free(ex);
}

int main(void)
{
    snprintf(g_tmp, sizeof g_tmp, "%.2000s", tu_env("SAYSO_TMP", "/tmp"));
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_put_is_idempotent_and_replaces),
        cmocka_unit_test(test_replaced_within_a_batch),
        cmocka_unit_test(test_failed_article_leaves_nothing),
        cmocka_unit_test(test_speaker_aliases),
        cmocka_unit_test(test_speakers_merge_across_case_and_accents),
        cmocka_unit_test(test_refuses_what_is_not_a_store),
        cmocka_unit_test(test_quotations_group_reports),
        cmocka_unit_test(test_search),
        cmocka_unit_test(test_prefix_by_words),
        cmocka_unit_test(test_migration_from_schema_1),
        cmocka_unit_test(test_migration_from_schema_3),
        cmocka_unit_test(test_counts_match_a_recount),
        cmocka_unit_test(test_near_duplicates),
        cmocka_unit_test(test_search_filters),
        cmocka_unit_test(test_cli_ingest),
        cmocka_unit_test(test_cli_browse),
        cmocka_unit_test(test_search_shows_reported_speech),
        cmocka_unit_test(test_kill_9_then_resume),
        cmocka_unit_test(test_time_budget),
        cmocka_unit_test(test_article_metadata),
        cmocka_unit_test(test_threads_make_the_same_store),
        cmocka_unit_test(test_threads_stop_on_a_store_error),
        cmocka_unit_test(test_mapped_readers_see_the_file_grow),
        cmocka_unit_test(test_snapshot),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
