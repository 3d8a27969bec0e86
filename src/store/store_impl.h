/*
 * store_impl.h — what the files of the store share and nobody else sees:
 * the open store's structure, its prepared statements (ingest.c writes
 * them, store.c prepares them), and the small helpers every file uses.
 *
 *   store.c   schema, migrations, opening, SQL functions, speaker keys
 *   ingest.c  putting articles in (the write path), batches, the index
 *   counts.c  the maintained counts (schema 4) and their full recount
 *   search.c  full-text search, ranking, a hit's details
 *   words.c   the index's words (schema 5), for prefix searches
 *   report.c  stats, speakers, pages: the fixed reports
 */
#ifndef SAYSO_STORE_IMPL_H
#define SAYSO_STORE_IMPL_H

#include <stdint.h>
#include <sqlite3.h>
#include "group.h"
#include "store.h"

enum { S_FIND, S_INS_ART, S_UPD_ART, S_DEL_ART, S_DEL_QUOTES, S_UNINDEX, S_SPEAKER, S_INS_QUOTE, S_INDEX,
       S_SP_INS, S_SP_SET, S_KEY_FIND, S_KEY_INS, S_QT_INS, S_QT_TEXT, S_QT_SET, S_NEAR_FIND, S_NEAR_INS,
       S_SAVE, S_RELEASE, S_ROLLBACK, S_OLD_QUOTES, S_T_QC, S_T_QC_UPD, S_T_QC_INS, S_T_QS, S_T_QS_UPD, S_T_QS_INS,
       S_T_QS_DEL, S_T_SP, S_T_MON, S_T_MON_UPD, S_T_MON_INS, S_T_MON_DEL,
       S_T_COUNTS, S_WORD, S_COUNTS, N_STMT };

/* The statements of ingest.c, prepared when a store opens (readers get
 * the lookup and the counts only). */
extern const char *const sayso_store_sql[N_STMT];

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

/* Words put in the words table by this connection (words.c), by hash:
 * lossy like the caches above (sets of two), 1 MB. */
#define WORD_SLOTS 131072

/* A search's phrases, at most, once its prefixes are named word by word,
 * and its units: a phrase as written, or all the words of one prefix,
 * which sayso_rank counts as one. */
#define SAYSO_RANK_PHRASES 1024
#define SAYSO_RANK_UNITS 64

struct sayso_store {
    sqlite3 *db;
    sqlite3_stmt *st[N_STMT];
    sqlite3_stmt *hit[4]; /* a search hit's details and a report's quotation (search.c), prepared on first use */
    /* The time budget of a call (sayso_store_set_budget): 0, or when it ends. */
    double budget_ms, deadline;
    int over_budget;
    struct tally *tally; /* the batch's changes to the maintained counts (counts.c) */
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
    fts5_tokenizer tokenizer; /* the index's (words.c) */
    Fts5Tokenizer *tok;
    sqlite3_stmt *words_q;    /* a prefix's words, prepared on first use */
    uint64_t words[WORD_SLOTS];
    sayso_sketch sk, other; /* 10 KB each: here rather than on the stack */
    char path[512];  /* for messages; longer paths are cut */
    char err[2048];
};

/* A quote's filters as index words (see store.c). */
#define META_SQL "sayso_meta(q.speaker_id, q.channel, a.date)"
size_t sayso_meta_words(char *out, size_t cap, long long speaker, const char *channel, const char *date);

/* The maintained counts (counts.c). The quotes of the article being put
 * are staged (tally_stage, sign +1 for a new quote, -1 for one a
 * replacement takes away) and, once the article is in, added to the
 * batch's changes (tally_article); tally_flush writes those before the
 * batch commits, or earlier when they grow large (tally_full). A failed
 * article drops its stage (tally_unstage), a batch rolled back its
 * changes (tally_clear). -1: out of memory, or the SQL failed (message
 * set). */
int sayso_tally_stage(sayso_store *s, long long quotation, long long speaker, const char *date, int sign);
/* A quotation made in this batch: it has no kept rows yet, and the flush
 * writes them without looking (-1: out of memory). */
int sayso_tally_fresh(sayso_store *s, long long quotation);
void sayso_tally_unstage(sayso_store *s);
int sayso_tally_article(sayso_store *s, int articles);
int sayso_tally_full(const sayso_store *s);
int sayso_tally_flush(sayso_store *s);
void sayso_tally_clear(sayso_store *s);
void sayso_tally_free(sayso_store *s);

/* "PATH: what: SQLite's message" into s->err. */
void sayso_store_set_err(sayso_store *s, const char *what);
/* A scalar of an integer PRAGMA or query, or -1. */
long long sayso_query_int(sqlite3 *db, const char *sql);
/* Starts the time budget of a search or report (see sayso_store_set_budget). */
void sayso_store_start_budget(sayso_store *s);
/* Registers sayso_rank with the connection's FTS5 (search.c). */
int sayso_add_rank(sqlite3 *db);

/* The index's words (words.c). sayso_fts5: the connection's FTS5 API, or
 * NULL. open: the index's tokenizer, -1 without. add: puts the words of a
 * quote's text in the words table (the write path; -1 and message on
 * failure). forget: after a rollback. expand: the query with each bare
 * prefix ("trum*") replaced by its words when they are few, and in units
 * each of its phrases' unit (see SAYSO_RANK_UNITS), *nphrases of them; or
 * NULL, to search the query as it is. */
fts5_api *sayso_fts5(sqlite3 *db);
int sayso_words_open(sayso_store *s);
void sayso_words_close(sayso_store *s);
int sayso_words_add(sayso_store *s, const char *text, size_t len);
void sayso_words_forget(sayso_store *s);
char *sayso_words_expand(sayso_store *s, const char *query, unsigned char *units, int *nphrases);

#endif
