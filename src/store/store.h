/*
 * store.h — the quote store: articles and their quotations in SQLite.
 *
 * Owns the file format of a store (one SQLite database, WAL journal, FTS5
 * index over quotation text), its schema version and the migrations from
 * older ones, and how an article gets in: all or nothing, skipped when the
 * same article (same id, same content) is already there, replaced with all
 * its quotations when its content changed. Speakers are shared across
 * articles under a key that ignores case and diacritics ("José Ramírez" and
 * "JOSE RAMIREZ" are one).
 *
 * Writers batch many articles in one transaction (sayso_store_begin /
 * sayso_store_commit): a crash loses at most the open batch, and ingesting
 * again puts it back; readers keep working meanwhile (WAL).
 *
 * Schema 4 keeps counts (per store, quotation, speaker, speaker and month)
 * as the quotes go in and out, in the same transaction, so that every read
 * below is an index seek or a few, whatever the store's size (counts.c).
 * The implementation is split by responsibility: store.c (schema,
 * migrations, opening), ingest.c (the write path), counts.c (the kept
 * counts), search.c (full-text search), report.c (reports).
 */
#ifndef SAYSO_STORE_H
#define SAYSO_STORE_H

#include <stddef.h>
#include "sayso.h"

#define SAYSO_STORE_SCHEMA 5

typedef struct sayso_store sayso_store;

/* SAYSO_STORE_LOOKUP is read-only and for sayso_store_has() alone: a small
 * page cache and no memory map, so that the connection an ingest's second
 * thread asks through adds little to the writer's memory. */
enum { SAYSO_STORE_READ = 0, SAYSO_STORE_WRITE = 1, SAYSO_STORE_LOOKUP = 2 };

/*
 * Opens (with SAYSO_STORE_WRITE: creates, or migrates to the current schema)
 * the store at path. Returns NULL and writes a message naming the file into
 * err (errlen bytes) when it cannot: not a SQLite file, a database that is
 * not a sayso store, a store from a newer sayso, I/O errors.
 */
sayso_store *sayso_store_open(const char *path, int mode, char *err, size_t errlen);
void sayso_store_close(sayso_store *st);

/* The message of the last failed call. */
const char *sayso_store_error(const sayso_store *st);

/* A batch: articles put between these are committed together. 0 or -1. */
int sayso_store_begin(sayso_store *st);
int sayso_store_commit(sayso_store *st);

typedef enum {
    SAYSO_PUT_ERROR = -1,
    SAYSO_PUT_UNCHANGED = 0, /* same id, same content: nothing to do */
    SAYSO_PUT_ADDED = 1,
    SAYSO_PUT_REPLACED = 2   /* same id, new content: old quotations gone */
} sayso_put_result;

/* Stores one article and its quotations (from sayso_extract on it), all or
 * nothing. file: where it was read from, or NULL. */
sayso_put_result sayso_store_put(sayso_store *st, const sayso_article *art, const char *file,
                                 const sayso_quote *q, size_t n);

/* Whether an article with this id and this content is stored: lets an
 * ingest skip extraction for what it has already seen. 1, 0, or -1. */
int sayso_store_has(sayso_store *st, const sayso_article *art);

typedef struct {
    long long articles, quotes, speakers;
    long long quotations; /* groups of quotes with the same words */
} sayso_store_counts;

int sayso_store_count(sayso_store *st, sayso_store_counts *c);

/* Compares the maintained counts (schema 4: stats, per quotation, per
 * speaker, per speaker and month) with a full recount of the quotes: 0
 * when they agree, 1 with the first difference in diff, -1 on error.
 * Reads the whole store. */
int sayso_store_recount(sayso_store *st, char *diff, size_t cap);

/* ---- asking ------------------------------------------------------------ */

/* Bounds what a reader may hold and spend, for a server. cache_kb: SQLite's
 * page cache of this connection (private memory); mmap_bytes: how much of
 * the file is mapped (shared with the OS page cache and every other
 * reader; 0: none). Either < 0 leaves it. 0 or -1. */
int sayso_store_set_memory(sayso_store *st, long long cache_kb, long long mmap_bytes);

/* A read snapshot around several calls (a server's request): everything
 * asked between these sees the store as the first query found it, however
 * an ingest commits meanwhile, and the whole costs one read lock of the
 * WAL and one look at the file's size instead of one per statement (a
 * search runs some forty). 0 or -1; end is harmless without a begin. */
int sayso_store_snapshot_begin(sayso_store *st);
void sayso_store_snapshot_end(sayso_store *st);

/* Every later search or report stops after ms milliseconds (0: no limit)
 * and fails; sayso_store_over_budget() then says why. */
void sayso_store_set_budget(sayso_store *st, int ms);
int sayso_store_over_budget(const sayso_store *st);

/* ---- asking ------------------------------------------------------------ */

typedef struct {
    const char *query;   /* FTS5 syntax: words, "phrases", prefix*, AND/OR/NOT */
    const char *speaker; /* a speaker's name (any case, accents optional), or NULL */
    const char *from, *to; /* article dates, YYYY[-MM[-DD]], or NULL */
    const char *channel; /* "twitter", ..., or NULL */
    int limit;           /* hits at most */
    int offset;          /* hits to pass over first (a later page): they cost no lookup */
    int *has_more;       /* or NULL: set to whether more hits follow the last one returned */
} sayso_search_opts;

typedef struct {
    const char *name;
    long long count;
} sayso_speaker_count;

/* One quotation found: its words, who said it (the speaker most reports
 * name, and the others), when it was first reported and how widely, and
 * its first report with the sentences around it, where it was said and
 * whether it quoted the words or reported them. Strings live until the
 * callback returns. */
typedef struct {
    long long id;
    const char *text;
    double rank;                   /* BM25: lower is better */
    sayso_speaker_count speakers[4];
    int n_speakers;                /* speakers[0] is the majority */
    long long n_articles;
    const char *first_seen;        /* earliest article date, or NULL */
    const char *doc, *date, *url;  /* the earliest report */
    const char *title, *site;      /* its article's, or NULL */
    long long article;             /* its article's id in the store */
    const char *channel;           /* where it was said, by that report, or NULL */
    sayso_quote_type type;         /* direct, mixed or indirect, by that report */
    const char *context;           /* its sentence(s) around the quotation */
} sayso_hit;

typedef int (*sayso_hit_fn)(const sayso_hit *h, void *arg);

/* Full-text search over quotations. Returns the number of hits (0 or
 * more), or -1 with a message for the user in sayso_store_error(): a bad
 * query, an unknown speaker, a bad date. */
int sayso_store_search(sayso_store *st, const sayso_search_opts *o, sayso_hit_fn fn, void *arg);

/* Reports: fixed queries whose rows go to a callback as column names and
 * text values (NULL for SQL NULL). A callback returning non-zero stops. */
typedef enum {
    SAYSO_REPORT_STATS,    /* one row: articles, quotes, quotations, speakers, first/last date, file size */
    SAYSO_REPORT_SPEAKERS, /* param: NULL, or a name (prefix, any case); n: how many */
    SAYSO_REPORT_QUOTE,    /* n: a quotation id; one row per report of it */
    SAYSO_REPORT_EXPORT,   /* every stored quote with its article's id, date, url */
    SAYSO_REPORT_SPEAKER,  /* n: a speaker id; one row, as SAYSO_REPORT_SPEAKERS */
    SAYSO_REPORT_SPEAKER_MONTHS, /* n: a speaker id; quotes per month (YYYY-MM) */
    SAYSO_REPORT_SPEAKER_QUOTES, /* n: a speaker id; their latest 50 quotes */
    SAYSO_REPORT_ARTICLE,  /* n: an article id; one row with its metadata and text */
    SAYSO_REPORT_ARTICLE_QUOTES, /* n: an article id; its quotes with spans (code points) */
    SAYSO_REPORT_NAMES     /* param, n: as SPEAKERS, but only id, name, quotes: autocomplete */
} sayso_report;

typedef int (*sayso_row_fn)(int ncol, const char *const *names, const char *const *vals, void *arg);

/* Returns the number of rows, or -1 with a message. */
long long sayso_store_report(sayso_store *st, sayso_report which, const char *param, long long n, sayso_row_fn fn,
                             void *arg);

/* The key quotations are grouped by: a hash of their words, case folded,
 * without diacritics, punctuation, quotation marks or spacing. */
long long sayso_quote_key(const char *text, size_t len);

/* The key speakers are merged by: NFKD, marks stripped, case folded,
 * white space collapsed. Writes at most cap - 1 bytes and a NUL; returns
 * the length. */
size_t sayso_speaker_key(const char *name, char *out, size_t cap);

#endif
