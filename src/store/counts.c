/*
 * counts.c — the maintained counts of schema 4: kept by the write path,
 * and checked against a full recount.
 *
 * Keeping them. Triggers on quotes did it first, and made an ingest 60 %
 * slower in CPU (five statements per quote). Instead the write path tells
 * this file each quote it adds or takes away (ingest.c), and the changes
 * are summed in memory, per quotation, per quotation and speaker, per
 * speaker, per speaker and month, and in all, over a whole batch: a
 * quotation reported by three articles of the batch, or a speaker quoted
 * in a hundred, costs one statement at the end. They are written just
 * before the batch commits, in its transaction (a crash loses both or
 * neither), or sooner when they grow past TALLY_MAX entries, so memory
 * stays bounded whatever --batch is. An article's own changes are staged
 * apart and join the batch's only when the article is in: a failed
 * article, undone, leaves none. Speakers are counted by a trigger on their
 * table (a speaker row stays when the article that made it fails).
 *
 * Checking them: sayso_store_recount counts everything again from the
 * quotes themselves, the way schema 3 answered every query, and compares.
 * It reads the whole store (seconds on millions of quotes): for tests and
 * for an operator who doubts, not for a request.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include "store_impl.h"

/* Entries of all maps together past which the batch's changes are written. */
#define TALLY_MAX (1 << 18)

/* A map from a pair of ids to up to three sums: open addressing, linear
 * probing, doubled at half full. */
typedef struct {
    long long a, b;
    long long v[3];
    int used;
} entry;

typedef struct {
    entry *e;
    size_t cap, n;
} map;

/* One staged quote of the article being put. */
typedef struct {
    long long q, s; /* s: 0 for none */
    int month;      /* yyyymm, 0 when undated */
    int sign;
} staged;

struct tally {
    map quotations; /* quotation: reports, articles, and 1 when made in this batch */
    map pairs;      /* quotation, speaker: quotes */
    map speakers;   /* speaker: quotes, articles, quotations (those at the flush) */
    map months;     /* speaker, yyyymm: quotes */
    long long articles, quotes, without_speaker;
    staged *st;
    size_t n_st, cap_st;
};

static uint64_t mix(long long a, long long b)
{
    uint64_t h = (uint64_t)a * 0x9E3779B97F4A7C15ull ^ ((uint64_t)b + 0x632BE59BD9B4E019ull) * 0xC2B2AE3D27D4EB4Full;
    return h ^ (h >> 31);
}

/* The entry for (a, b), made when missing; NULL without memory. */
static entry *slot(map *m, long long a, long long b)
{
    if (2 * (m->n + 1) > m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 1024;
        entry *e = calloc(cap, sizeof *e);
        if (!e) return NULL;
        for (size_t i = 0; i < m->cap; i++) {
            if (!m->e[i].used) continue;
            size_t k = mix(m->e[i].a, m->e[i].b) & (cap - 1);
            while (e[k].used) k = (k + 1) & (cap - 1);
            e[k] = m->e[i];
        }
        free(m->e);
        m->e = e;
        m->cap = cap;
    }
    size_t k = mix(a, b) & (m->cap - 1);
    while (m->e[k].used && (m->e[k].a != a || m->e[k].b != b)) k = (k + 1) & (m->cap - 1);
    if (!m->e[k].used) {
        m->e[k].used = 1;
        m->e[k].a = a;
        m->e[k].b = b;
        m->n++;
    }
    return &m->e[k];
}

/* The entry for (a, b), or NULL. */
static const entry *find(const map *m, long long a, long long b)
{
    if (!m->cap) return NULL;
    size_t k = mix(a, b) & (m->cap - 1);
    while (m->e[k].used) {
        if (m->e[k].a == a && m->e[k].b == b) return &m->e[k];
        k = (k + 1) & (m->cap - 1);
    }
    return NULL;
}

static int fresh(const struct tally *t, long long quotation)
{
    const entry *e = find(&t->quotations, quotation, 0);
    return e && e->v[2];
}

static void map_clear(map *m)
{
    if (m->n) memset(m->e, 0, m->cap * sizeof *m->e);
    m->n = 0;
}

static struct tally *get(sayso_store *s)
{
    if (!s->tally) s->tally = calloc(1, sizeof *s->tally);
    return s->tally;
}

static void no_memory(sayso_store *s)
{
    snprintf(s->err, sizeof s->err, "%s: out of memory", s->path);
}

/* YYYY-MM... as yyyymm, 0 when there is no month. */
static int month_of(const char *d)
{
    if (!d || strlen(d) < 7) return 0;
    for (int i = 0; i < 7; i++)
        if (i == 4 ? d[i] != '-' : (d[i] < '0' || d[i] > '9')) return 0;
    return atoi(d) * 100 + atoi(d + 5);
}

int sayso_tally_stage(sayso_store *s, long long quotation, long long speaker, const char *date, int sign)
{
    struct tally *t = get(s);
    if (!t) return no_memory(s), -1;
    if (t->n_st == t->cap_st) {
        size_t cap = t->cap_st ? t->cap_st * 2 : 64;
        staged *st = realloc(t->st, cap * sizeof *st);
        if (!st) return no_memory(s), -1;
        t->st = st;
        t->cap_st = cap;
    }
    t->st[t->n_st++] = (staged){ quotation, speaker > 0 ? speaker : 0, month_of(date), sign };
    return 0;
}

int sayso_tally_fresh(sayso_store *s, long long quotation)
{
    struct tally *t = get(s);
    entry *e = t ? slot(&t->quotations, quotation, 0) : NULL;
    if (!e) return no_memory(s), -1;
    e->v[2] = 1;
    return 0;
}

void sayso_tally_unstage(sayso_store *s)
{
    if (s->tally) s->tally->n_st = 0;
}

int sayso_tally_article(sayso_store *s, int articles)
{
    struct tally *t = get(s);
    if (!t) return no_memory(s), -1;
    t->articles += articles;
    for (size_t i = 0; i < t->n_st; i++) {
        const staged *x = &t->st[i];
        /* The first quote of its quotation (or speaker) among the
         * article's quotes of the same sign counts the article once. */
        int first_q = 1, first_s = 1;
        for (size_t j = 0; j < i; j++) {
            if (t->st[j].sign != x->sign) continue;
            if (t->st[j].q == x->q) first_q = 0;
            if (t->st[j].s == x->s) first_s = 0;
        }
        entry *e;
        if (!(e = slot(&t->quotations, x->q, 0))) return no_memory(s), -1;
        e->v[0] += x->sign;
        e->v[1] += first_q ? x->sign : 0;
        if (!(e = slot(&t->pairs, x->q, x->s))) return no_memory(s), -1;
        e->v[0] += x->sign;
        t->quotes += x->sign;
        if (!x->s) {
            t->without_speaker += x->sign;
            continue;
        }
        if (!(e = slot(&t->speakers, x->s, 0))) return no_memory(s), -1;
        e->v[0] += x->sign;
        e->v[1] += first_s ? x->sign : 0;
        if (x->month) {
            if (!(e = slot(&t->months, x->s, x->month))) return no_memory(s), -1;
            e->v[0] += x->sign;
        }
    }
    t->n_st = 0;
    return 0;
}

int sayso_tally_full(const sayso_store *s)
{
    const struct tally *t = s->tally;
    return t && t->quotations.n + t->pairs.n + t->speakers.n + t->months.n > TALLY_MAX;
}

void sayso_tally_clear(sayso_store *s)
{
    struct tally *t = s->tally;
    if (!t) return;
    map_clear(&t->quotations);
    map_clear(&t->pairs);
    map_clear(&t->speakers);
    map_clear(&t->months);
    t->articles = t->quotes = t->without_speaker = 0;
    t->n_st = 0;
}

void sayso_tally_free(sayso_store *s)
{
    struct tally *t = s->tally;
    if (!t) return;
    free(t->quotations.e);
    free(t->pairs.e);
    free(t->speakers.e);
    free(t->months.e);
    free(t->st);
    free(t);
    s->tally = NULL;
}

/* Runs q (bound) and returns its one returned integer in *out, if any. */
static int step_value(sqlite3_stmt *q, long long *out)
{
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        if (out) *out = sqlite3_column_int64(q, 0);
        rc = sqlite3_step(q);
    }
    sqlite3_reset(q);
    return rc == SQLITE_DONE ? 0 : -1;
}

/* Adds delta[0..nd) to a kept row: the statements at first (read), +1
 * (update), +2 (insert) and, when del, +3 (delete) of sayso_store_sql,
 * whose ?1 is key a and ?2 key b (a number, or the text bt when not
 * NULL) where nkey is 2, then the deltas. A row that falls to zero or
 * below is deleted when del, and one that is missing is inserted unless
 * it would start at zero or below and del. When missing, the row is known
 * not to be there (its quotation was made in this batch) and is not read.
 * *before: the row's first value before, 0 when missing. */
static int add_kept(sayso_store *s, int first, int del, int missing, long long a, long long b, const char *bt,
                    int nkey, const long long *delta, int nd, long long *before)
{
    sqlite3_stmt *get = s->st[first], *upd = s->st[first + 1], *ins = s->st[first + 2];
    sqlite3_stmt *rm = del ? s->st[first + 3] : NULL, *all[4] = { get, upd, ins, rm };
    for (int i = 0; i < 4 && all[i]; i++) {
        sqlite3_bind_int64(all[i], 1, a);
        if (nkey == 2 && bt) sqlite3_bind_text(all[i], 2, bt, -1, SQLITE_TRANSIENT);
        else if (nkey == 2) sqlite3_bind_int64(all[i], 2, b);
    }
    for (int j = 0; j < nd; j++) {
        sqlite3_bind_int64(upd, nkey + 1 + j, delta[j]);
        sqlite3_bind_int64(ins, nkey + 1 + j, delta[j]);
    }
    *before = 0;
    int rc = missing ? SQLITE_DONE : sqlite3_step(get), found = rc == SQLITE_ROW;
    if (found) *before = sqlite3_column_int64(get, 0);
    if (!missing) sqlite3_reset(get);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return -1;
    if (found) return step_value(del && *before + delta[0] <= 0 ? rm : upd, NULL);
    return del && delta[0] <= 0 ? 0 : step_value(ins, NULL);
}

int sayso_tally_flush(sayso_store *s)
{
    struct tally *t = s->tally;
    if (!t) return 0;
    long long quotations = 0;
    sqlite3_stmt *q;
    /* Per quotation; one that gains its first report, or loses its last,
     * changes the count of quotations. */
    for (size_t i = 0; i < t->quotations.cap; i++) {
        const entry *e = &t->quotations.e[i];
        if (!e->used || (!e->v[0] && !e->v[1])) continue;
        long long before;
        if (add_kept(s, S_T_QC, 0, (int)e->v[2], e->a, 0, NULL, 1, e->v, 2, &before) < 0) goto fail;
        long long now = before + e->v[0];
        quotations += (now > 0) - (before > 0);
    }
    /* Per quotation and speaker; a speaker's distinct quotations follow. */
    for (size_t i = 0; i < t->pairs.cap; i++) {
        const entry *e = &t->pairs.e[i];
        if (!e->used || !e->v[0]) continue;
        long long before;
        if (add_kept(s, S_T_QS, 1, fresh(t, e->a), e->a, e->b, NULL, 2, e->v, 1, &before) < 0) goto fail;
        long long now = before + e->v[0];
        if (e->b && (now > 0) != (before > 0)) {
            entry *sp = slot(&t->speakers, e->b, 0);
            if (!sp) {
                no_memory(s);
                return -1;
            }
            sp->v[2] += (now > 0) - (before > 0);
        }
    }
    q = s->st[S_T_SP];
    for (size_t i = 0; i < t->speakers.cap; i++) {
        const entry *e = &t->speakers.e[i];
        if (!e->used || (!e->v[0] && !e->v[1] && !e->v[2])) continue;
        sqlite3_bind_int64(q, 1, e->a);
        sqlite3_bind_int64(q, 2, e->v[0]);
        sqlite3_bind_int64(q, 3, e->v[2]);
        sqlite3_bind_int64(q, 4, e->v[1]);
        if (step_value(q, NULL) < 0) goto fail;
    }
    for (size_t i = 0; i < t->months.cap; i++) {
        const entry *e = &t->months.e[i];
        if (!e->used || !e->v[0]) continue;
        char m[48];
        snprintf(m, sizeof m, "%04lld-%02lld", e->b / 100, e->b % 100);
        long long before;
        if (add_kept(s, S_T_MON, 1, 0, e->a, 0, m, 2, e->v, 1, &before) < 0) goto fail;
    }
    q = s->st[S_T_COUNTS];
    sqlite3_bind_int64(q, 1, t->articles);
    sqlite3_bind_int64(q, 2, t->quotes);
    sqlite3_bind_int64(q, 3, quotations);
    sqlite3_bind_int64(q, 4, t->without_speaker);
    if (step_value(q, NULL) < 0) goto fail;
    sayso_tally_clear(s);
    return 0;
fail:
    sayso_store_set_err(s, "cannot keep the counts");
    return -1;
}

/* Each check is a query of the rows on which the maintained values and the
 * recount differ (rows that count nothing, at zero, are as good as absent);
 * its first row, if any, describes the first difference. */
static const struct {
    const char *what, *sql;
} CHECKS[] = {
    /* References to rows that are not there (the writer does not have
     * SQLite enforce them: store.c). */
    { "references",
      "SELECT \"table\" || ' row ' || rowid || ' names a missing ' || parent FROM pragma_foreign_key_check LIMIT 1" },
    { "counts",
      "SELECT 'articles ' || c.articles || ' kept, ' || (SELECT count(*) FROM articles) || ' counted' FROM counts c"
      "  WHERE c.articles <> (SELECT count(*) FROM articles)"
      " UNION ALL SELECT 'quotes ' || c.quotes || ' kept, ' || (SELECT count(*) FROM quotes) || ' counted' FROM counts c"
      "  WHERE c.quotes <> (SELECT count(*) FROM quotes)"
      " UNION ALL SELECT 'quotations ' || c.quotations || ' kept, ' || (SELECT count(DISTINCT quotation_id) FROM quotes)"
      "  || ' counted' FROM counts c WHERE c.quotations <> (SELECT count(DISTINCT quotation_id) FROM quotes)"
      " UNION ALL SELECT 'speakers ' || c.speakers || ' kept, ' || (SELECT count(*) FROM speakers) || ' counted'"
      "  FROM counts c WHERE c.speakers <> (SELECT count(*) FROM speakers)"
      " UNION ALL SELECT 'quotes without speaker ' || c.quotes_without_speaker || ' kept' FROM counts c"
      "  WHERE c.quotes_without_speaker <> (SELECT count(*) FROM quotes WHERE speaker_id IS NULL)"
      " UNION ALL SELECT 'no counts row' WHERE (SELECT count(*) FROM counts) <> 1" },
    { "quotation_counts",
      "WITH kept AS (SELECT quotation_id, reports, articles FROM quotation_counts WHERE reports <> 0 OR articles <> 0),"
      " real AS (SELECT quotation_id, count(*) AS reports, count(DISTINCT article_id) AS articles FROM quotes"
      "  GROUP BY quotation_id)"
      " SELECT 'quotation ' || quotation_id FROM (SELECT * FROM kept EXCEPT SELECT * FROM real"
      "  UNION ALL SELECT * FROM (SELECT * FROM real EXCEPT SELECT * FROM kept)) LIMIT 1" },
    { "quotation_speakers",
      "WITH kept AS (SELECT quotation_id, speaker_id, quotes FROM quotation_speakers WHERE quotes <> 0),"
      " real AS (SELECT quotation_id, coalesce(speaker_id, 0), count(*) FROM quotes GROUP BY 1, 2)"
      " SELECT 'quotation ' || quotation_id || ', speaker ' || speaker_id FROM (SELECT * FROM kept EXCEPT SELECT * FROM real"
      "  UNION ALL SELECT * FROM (SELECT * FROM real EXCEPT SELECT * FROM kept)) LIMIT 1" },
    { "speakers",
      "WITH kept AS (SELECT id, quotes, quotations, articles FROM speakers),"
      " real AS (SELECT s.id, count(q.id), count(DISTINCT q.quotation_id), count(DISTINCT q.article_id)"
      "  FROM speakers s LEFT JOIN quotes q ON q.speaker_id = s.id GROUP BY s.id)"
      " SELECT 'speaker ' || id FROM (SELECT * FROM kept EXCEPT SELECT * FROM real"
      "  UNION ALL SELECT * FROM (SELECT * FROM real EXCEPT SELECT * FROM kept)) LIMIT 1" },
    { "speaker_months",
      "WITH kept AS (SELECT speaker_id, month, quotes FROM speaker_months WHERE quotes <> 0),"
      " real AS (SELECT speaker_id, substr(date, 1, 7), count(*) FROM quotes"
      "  WHERE speaker_id IS NOT NULL AND length(date) >= 7 GROUP BY 1, 2)"
      " SELECT 'speaker ' || speaker_id || ', ' || month FROM (SELECT * FROM kept EXCEPT SELECT * FROM real"
      "  UNION ALL SELECT * FROM (SELECT * FROM real EXCEPT SELECT * FROM kept)) LIMIT 1" },
    /* The words table (schema 5, words.c) may hold more words than the
     * index, never fewer: a missing word would be missing from searches
     * of its prefix. */
    { "words",
      "SELECT 'word ' || quote(term) || ' is in the index, not in words' FROM temp.sayso_vocab"
      " WHERE col = 'text' AND term NOT IN (SELECT term FROM words) LIMIT 1" },
};

int sayso_store_recount(sayso_store *s, char *diff, size_t cap)
{
    if (cap) diff[0] = 0;
    if (sqlite3_exec(s->db, "CREATE VIRTUAL TABLE IF NOT EXISTS temp.sayso_vocab USING fts5vocab(main, quotes_fts, col)",
                     NULL, NULL, NULL) != SQLITE_OK) {
        sayso_store_set_err(s, "cannot recount");
        return -1;
    }
    for (size_t i = 0; i < sizeof CHECKS / sizeof CHECKS[0]; i++) {
        sqlite3_stmt *q;
        if (sqlite3_prepare_v2(s->db, CHECKS[i].sql, -1, &q, NULL) != SQLITE_OK) {
            sayso_store_set_err(s, "cannot recount");
            return -1;
        }
        int rc = sqlite3_step(q);
        if (rc == SQLITE_ROW) {
            snprintf(diff, cap, "%s: %s", CHECKS[i].what, (const char *)sqlite3_column_text(q, 0));
            sqlite3_finalize(q);
            return 1;
        }
        sqlite3_finalize(q);
        if (rc != SQLITE_DONE) {
            sayso_store_set_err(s, "cannot recount");
            return -1;
        }
    }
    return 0;
}
