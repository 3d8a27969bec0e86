/*
 * search.c — full-text search over quotations: the FTS5 query with its
 * filters as index words, BM25 ranking (sayso_rank), one hit per
 * quotation, and each hit's details (speakers, first report and its
 * sentence) read from maintained rows and index seeks.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include "store_impl.h"
#include <math.h>

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

/* Reports ranked per search, at most: see CANDIDATES. Each costs a
 * position list, a document size and a report → quotation lookup; on the
 * 3.8 M-report store, 1,000 of them made a common word's search take 30
 * to 60 ms through HTTP, 300 take a third of the CPU time (storebench,
 * side by side) and still rank every match of all but common words. */
#define SEARCH_WINDOW 300

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
    int nunits;
    double avgdl;
    double idf[SAYSO_RANK_UNITS];
    unsigned char unit[SAYSO_RANK_PHRASES]; /* of each of the user's phrases */
} rank_data;

static int count_row(const Fts5ExtensionApi *api, Fts5Context *fts, void *ud)
{
    (void)api;
    (void)fts;
    return ++*(long *)ud >= DF_CAP ? SQLITE_DONE : SQLITE_OK;
}

/* A unit's rows, counted once each however many of its words a row
 * holds: an open-addressed set of row ids, big enough for DF_CAP. */
#define DF_SLOTS 32768
typedef struct {
    long n;
    sqlite3_int64 *ids; /* 0: free (FTS5 row ids of quotes start at 1) */
} df_set;

static int count_distinct_row(const Fts5ExtensionApi *api, Fts5Context *fts, void *ud)
{
    df_set *d = ud;
    sqlite3_int64 id = api->xRowid(fts);
    for (unsigned h = (unsigned)(id * 0x9E3779B97F4A7C15ull >> 49);; h = (h + 1) & (DF_SLOTS - 1)) {
        if (d->ids[h] == id) return SQLITE_OK;
        if (d->ids[h] == 0) {
            d->ids[h] = id;
            break;
        }
    }
    return ++d->n >= DF_CAP ? SQLITE_DONE : SQLITE_OK;
}

/* sayso_rank(quotes_fts, nmeta, units): Okapi BM25 (k1 1.2, b 0.75, as
 * FTS5's bm25()) of the row's text column for the query's phrases but its
 * last nmeta, which are filters on the meta column and say nothing about
 * relevance. Lower is better, as with bm25(). Unlike bm25(), which counts
 * every row of every phrase before it scores the first row, document
 * frequencies are counted up to DF_CAP.
 *
 * units, when not NULL, has a byte per user phrase: phrases of one unit
 * are the words a prefix was expanded into (words.c) and count as that
 * one prefix did: their instances add up, and its document frequency is
 * that of the rows holding any of them. */
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
        int nuser = api->xPhraseCount(fts) - nmeta;
        if (nuser > SAYSO_RANK_PHRASES) nuser = SAYSO_RANK_PHRASES;
        if (nuser < 0) nuser = 0;
        const unsigned char *units = nval > 1 ? sqlite3_value_blob(val[1]) : NULL;
        /* A map that does not fit the query (it cannot, unless words.c
         * read the query otherwise than FTS5): a unit per phrase. */
        if (units && sqlite3_value_bytes(val[1]) != nuser) units = NULL;
        d->nunits = 0;
        for (int p = 0; p < nuser; p++) {
            d->unit[p] = units ? units[p] : (unsigned char)(p < SAYSO_RANK_UNITS ? p : SAYSO_RANK_UNITS);
            if (d->unit[p] < SAYSO_RANK_UNITS && d->unit[p] + 1 > d->nunits) d->nunits = d->unit[p] + 1;
        }
        for (int p = nuser; p < SAYSO_RANK_PHRASES; p++) d->unit[p] = SAYSO_RANK_UNITS; /* counts for nothing */
        sqlite3_int64 rows = 0, tokens = 0;
        api->xRowCount(fts, &rows);
        api->xColumnTotalSize(fts, 0, &tokens);
        d->avgdl = rows > 0 ? (double)tokens / (double)rows : 1.0;
        long df[SAYSO_RANK_UNITS] = { 0 };
        /* One unit: its weight scales every score alike, so the order
         * needs no count (for "the women" the count cost more than the
         * search). A unit of several words counts the rows that hold any
         * of them, as FTS5 counts those of the prefix. */
        if (d->nunits > 1) {
            df_set set = { 0 };
            for (int u = 0; u < d->nunits; u++) {
                int words = 0;
                for (int p = 0; p < nuser; p++) words += d->unit[p] == u;
                if (words > 1 && !set.ids && !(set.ids = sqlite3_malloc(DF_SLOTS * sizeof *set.ids))) {
                    sqlite3_free(d);
                    sqlite3_result_error_nomem(ctx);
                    return;
                }
                if (words > 1) {
                    memset(set.ids, 0, DF_SLOTS * sizeof *set.ids);
                    set.n = 0;
                }
                for (int p = 0; p < nuser; p++) {
                    if (d->unit[p] != u) continue;
                    if (words == 1) {
                        api->xQueryPhrase(fts, p, &df[u], count_row);
                        break;
                    }
                    if (set.n < DF_CAP) api->xQueryPhrase(fts, p, &set, count_distinct_row);
                }
                if (words > 1) df[u] = set.n;
            }
            sqlite3_free(set.ids);
        }
        for (int u = 0; u < d->nunits; u++) {
            double idf = log(((double)rows - (double)df[u] + 0.5) / ((double)df[u] + 0.5));
            d->idf[u] = d->nunits == 1 ? 1.0 : idf > 1e-6 ? idf : 1e-6;
        }
        if (api->xSetAuxdata(fts, d, sqlite3_free) != SQLITE_OK) {
            sqlite3_result_error_nomem(ctx);
            return;
        }
    }
    int tf[SAYSO_RANK_UNITS + 1] = { 0 }, ninst = 0, dl = 0;
    api->xInstCount(fts, &ninst);
    for (int i = 0; i < ninst; i++) {
        int ip, ic, io;
        if (api->xInst(fts, i, &ip, &ic, &io) == SQLITE_OK && ic == 0 && ip < SAYSO_RANK_PHRASES) tf[d->unit[ip]]++;
    }
    api->xColumnSize(fts, 0, &dl);
    double score = 0, norm = 1.2 * (0.25 + 0.75 * (double)dl / d->avgdl);
    for (int u = 0; u < d->nunits; u++)
        if (tf[u]) score += d->idf[u] * (tf[u] * 2.2) / (tf[u] + norm);
    sqlite3_result_double(ctx, -score);
}

/* Registers sayso_rank with the connection's FTS5. */
int sayso_add_rank(sqlite3 *db)
{
    fts5_api *api = sayso_fts5(db);
    if (!api) return -1;
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
        sayso_store_set_err(s, "cannot search");
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

/* Candidates are reports; hits are quotations, each at its best report's
 * score, best first, ties by quotation id. Turns cs[0..nc) (report ids)
 * into the first `want` quotations of that order, in place, and returns
 * how many there are. A report's quotation costs an index seek, so they
 * are looked up in score order and only until `want` are found (some 20
 * of the 300 for a page of ten, not all 300): reports of equal score are
 * looked up together and taken by quotation id, which is the order that
 * grouping them all first would give. */
static int best_quotations(sayso_store *s, cand *cs, int nc, int want)
{
    if (!s->hit[3] && sqlite3_prepare_v3(s->db, "SELECT quotation_id FROM quotes INDEXED BY quotes_to_quotation WHERE id = ?1",
                                         -1, SQLITE_PREPARE_PERSISTENT, &s->hit[3], NULL) != SQLITE_OK)
        return -1;
    sqlite3_stmt *q = s->hit[3];
    qsort(cs, (size_t)nc, sizeof *cs, cmp_cand_score);
    int nq = 0;
    for (int i = 0; i < nc && nq < want;) {
        int j = i, g = i; /* [i, j): one score; [i, g): its reports still in the store, as quotations */
        while (j < nc && cs[j].score == cs[i].score) j++;
        for (int k = i; k < j; k++) {
            sqlite3_bind_int64(q, 1, cs[k].id);
            if (sqlite3_step(q) == SQLITE_ROW) /* else gone since: a replace in another process */
                cs[g++] = (cand){ sqlite3_column_int64(q, 0), cs[k].score };
            sqlite3_reset(q);
        }
        qsort(cs + i, (size_t)(g - i), sizeof *cs, cmp_cand_id);
        for (int k = i; k < g && nq < want; k++) {
            int seen = 0;
            for (int m = 0; m < nq && !seen; m++) seen = cs[m].id == cs[k].id;
            if (!seen) cs[nq++] = cs[k]; /* nq <= k: never overwrites what is still to be read */
        }
        i = j;
    }
    return nq;
}

int sayso_store_search(sayso_store *s, const sayso_search_opts *o, sayso_hit_fn fn, void *arg)
{
    sayso_store_start_budget(s);
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
    unsigned char *units = malloc(SAYSO_RANK_PHRASES);
    int nphrases = 0;
    char *expanded = units ? sayso_words_expand(s, o->query, units, &nphrases) : NULL;
    const char *query = expanded ? expanded : o->query;
    int grouped = expanded != NULL;
    size_t cap = strlen(query) + 8192, n = 0;
    char *match = malloc(cap);
    if (!match) {
        free(expanded);
        free(units);
        snprintf(s->err, sizeof s->err, "out of memory");
        return -1;
    }
    int nmeta = 0;
    n += (size_t)snprintf(match + n, cap - n, "{text} : (%s)", query);
    free(expanded);
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
            free(units);
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
        "SELECT rowid, sayso_rank(quotes_fts, ?2, ?4) FROM quotes_fts WHERE quotes_fts MATCH ?1"
        " ORDER BY rowid DESC LIMIT ?3";
    cand *cs = NULL;
    int nc = 0, rc;
    if (sqlite3_prepare_v2(s->db, CANDIDATES, -1, &q, NULL) != SQLITE_OK) {
        free(match);
        free(units);
        goto sqlerr;
    }
    sqlite3_bind_text(q, 1, match, (int)n, SQLITE_STATIC);
    sqlite3_bind_int(q, 2, nmeta);
    sqlite3_bind_int(q, 3, SEARCH_WINDOW);
    if (grouped) sqlite3_bind_blob(q, 4, units, nphrases, SQLITE_STATIC);
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
        if (s->over_budget)
            snprintf(s->err, sizeof s->err, "the search took longer than its budget of %.0f ms", s->budget_ms);
        else if (sqlite3_extended_errcode(s->db) == SQLITE_ERROR)
            snprintf(s->err, sizeof s->err, "bad query '%.200s': %s (words, \"a phrase\", prefix*, AND, OR, NOT)",
                     o->query, m);
        else
            sayso_store_set_err(s, "cannot search");
        sqlite3_finalize(q);
        free(units);
        free(cs);
        return -1;
    }
    sqlite3_finalize(q);
    free(units);
    q = NULL;
    int limit = o->limit > 0 ? o->limit : 10, skip = o->offset > 0 ? o->offset : 0;
    int nq = best_quotations(s, cs, nc, skip + limit + 1);
    if (nq < 0) {
        free(cs);
        goto sqlerr;
    }
    if (o->has_more) *o->has_more = nq > skip + limit;
    if (nq > skip + limit) nq = skip + limit;
    /* Each hit's details, by statements prepared once per connection:
     * the quotation's words and article count (maintained), its speakers
     * (quotation_speakers, a handful of rows however often it was
     * reported), and its first report, found at the start of its run of
     * quotes_quotation (ordered by date): neither reads every report of a
     * quotation reported thousands of times. */
    static const char *const HIT_SQL[3] = {
        "SELECT g.text, c.articles FROM quotations g LEFT JOIN quotation_counts c ON c.quotation_id = g.id"
        " WHERE g.id = ?1",
        "SELECT s.name, x.quotes FROM quotation_speakers x LEFT JOIN speakers s ON s.id = x.speaker_id"
        " WHERE x.quotation_id = ?1 AND x.quotes > 0 ORDER BY x.quotes DESC, x.speaker_id = 0, x.speaker_id LIMIT 4",
        /* The hit's type is its first report's, as its channel and
         * context are: that report's sentence is what the reader sees
         * beneath it. Reports of one quotation can differ in kind
         * (quotation marks do not count when grouping). Dated reports
         * first, then undated ones. */
        "SELECT a.doc, a.date, a.url, a.text, q.content, a.id, q.channel, q.type, a.title, a.site FROM quotes q"
        " JOIN articles a ON a.id = q.article_id WHERE q.id = coalesce("
        " (SELECT id FROM quotes WHERE quotation_id = ?1 AND date IS NOT NULL ORDER BY date, article_id LIMIT 1),"
        " (SELECT id FROM quotes WHERE quotation_id = ?1 AND date IS NULL ORDER BY article_id LIMIT 1))",
    };
    for (int i = 0; i < 3; i++)
        if (!s->hit[i] && sqlite3_prepare_v3(s->db, HIT_SQL[i], -1, SQLITE_PREPARE_PERSISTENT, &s->hit[i], NULL) != SQLITE_OK) {
            free(cs);
            goto sqlerr;
        }
    sqlite3_stmt *qg = s->hit[0], *qs = s->hit[1], *qf = s->hit[2];
    int hits = 0;
    for (int i = skip; i < nq; i++) {
        sayso_hit h;
        memset(&h, 0, sizeof h);
        h.id = cs[i].id;
        h.rank = cs[i].score;
        sqlite3_bind_int64(qg, 1, h.id);
        if (sqlite3_step(qg) != SQLITE_ROW) { /* gone since: a replace in another process */
            sqlite3_reset(qg);
            continue;
        }
        h.text = (const char *)sqlite3_column_text(qg, 0);
        h.n_articles = sqlite3_column_int64(qg, 1);
        sqlite3_bind_int64(qs, 1, h.id);
        while (h.n_speakers < 4 && sqlite3_step(qs) == SQLITE_ROW) {
            const unsigned char *nm = sqlite3_column_text(qs, 0);
            h.speakers[h.n_speakers].name = nm ? strdup((const char *)nm) : NULL;
            h.speakers[h.n_speakers++].count = sqlite3_column_int64(qs, 1);
        }
        sqlite3_reset(qs);
        sqlite3_bind_int64(qf, 1, h.id);
        char *ctx = NULL;
        if (sqlite3_step(qf) == SQLITE_ROW) {
            h.doc = (const char *)sqlite3_column_text(qf, 0);
            h.date = (const char *)sqlite3_column_text(qf, 1);
            h.first_seen = h.date;
            h.url = (const char *)sqlite3_column_text(qf, 2);
            h.article = sqlite3_column_int64(qf, 5);
            h.channel = (const char *)sqlite3_column_text(qf, 6);
            h.type = type_of((const char *)sqlite3_column_text(qf, 7));
            h.title = (const char *)sqlite3_column_text(qf, 8);
            h.site = (const char *)sqlite3_column_text(qf, 9);
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
        sqlite3_reset(qg);
        free(ctx);
        for (int k = 0; k < h.n_speakers; k++) free((char *)h.speakers[k].name);
        hits++;
        if (stop) break;
    }
    free(cs);
    if (s->over_budget) {
        snprintf(s->err, sizeof s->err, "the search took longer than its budget of %.0f ms", s->budget_ms);
        return -1;
    }
    return hits;
sqlerr:
    sayso_store_set_err(s, "cannot search");
    sqlite3_finalize(q);
    return -1;
}

