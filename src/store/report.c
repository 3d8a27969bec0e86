/*
 * report.c — the fixed reports (stats, speakers, a speaker's page, an
 * article's page, a quotation's reports, export) and the counts of
 * sayso_store_count, all read from maintained rows or one run of an
 * index, never from a scan of every quote.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include "store_impl.h"

int sayso_store_count(sayso_store *s, sayso_store_counts *c)
{
    sqlite3_stmt *q = s->st[S_COUNTS];
    if (sqlite3_step(q) != SQLITE_ROW) {
        sqlite3_reset(q);
        sayso_store_set_err(s, "cannot count");
        return -1;
    }
    long long *out[4] = { &c->articles, &c->quotes, &c->speakers, &c->quotations };
    for (int i = 0; i < 4; i++) *out[i] = sqlite3_column_int64(q, i);
    sqlite3_reset(q);
    return 0;
}

/* A speaker's profile for each row of TOP (its ids, in order): counts
 * from the speaker's row (maintained), first and last date from the ends
 * of its run of the speaker index; aliases (how articles named them, pronouns
 * aside, up to a comma: a source span keeps its apposition, "Moreno,
 * speaking as she left", the alias is "Moreno"), descriptors and channels
 * from their latest RECENT quotes, or a speaker quoted 300,000 times would
 * take seconds: each is a row read at random from the file, and 2,000 of
 * them made `sayso speakers --top 10` take half a second on a store of
 * 3.8 M quotes. A list of speakers reads their latest 50, one speaker's
 * page 200: enough to show what they are called and where they speak now. */
#define SPEAKER_PROFILES(TOP, RECENT) \
    "WITH top AS MATERIALIZED (" TOP ")" \
    " SELECT t.id, s.name, s.quotes, s.quotations, s.articles," \
    " (SELECT min(date) FROM quotes WHERE speaker_id = t.id) AS first," \
    " (SELECT max(date) FROM quotes WHERE speaker_id = t.id) AS last," \
    " (SELECT group_concat(channel, ', ') FROM (SELECT DISTINCT channel FROM (SELECT channel FROM quotes" \
    "   WHERE speaker_id = t.id ORDER BY date DESC LIMIT " RECENT ") WHERE channel IS NOT NULL LIMIT 8)) AS channels," \
    " (SELECT group_concat(src, '; ') FROM (SELECT src, count(*) AS c FROM (SELECT CASE WHEN instr(source, ', ') > 0" \
    "   THEN substr(source, 1, instr(source, ', ') - 1) ELSE source END AS src FROM quotes" \
    "   WHERE speaker_id = t.id ORDER BY date DESC LIMIT " RECENT ") WHERE src IS NOT NULL AND lower(src) NOT IN" \
    "   ('he', 'she', 'they', 'i', 'we', 'it', 'you', 'him', 'her', 'them', 'who')" \
    "   GROUP BY lower(src) ORDER BY c DESC LIMIT 6)) AS aliases," \
    " (SELECT group_concat(d, '; ') FROM (SELECT j.value AS d, count(*) AS c" \
    "   FROM (SELECT descriptors FROM quotes WHERE speaker_id = t.id" \
    "   ORDER BY date DESC LIMIT " RECENT ") q2, json_each(q2.descriptors) j WHERE q2.descriptors IS NOT NULL" \
    "   GROUP BY j.value ORDER BY c DESC LIMIT 6)) AS descriptors" \
    " FROM top t JOIN speakers s ON s.id = t.id ORDER BY s.quotes DESC, s.name"

long long sayso_store_report(sayso_store *s, sayso_report which, const char *param, long long n, sayso_row_fn fn,
                             void *arg)
{
    static const char *const SQLS[] = {
        /* The counts row, and the ends of the date index. */
        [SAYSO_REPORT_STATS] =
            "SELECT c.articles, c.quotes, c.quotations, c.speakers,"
            " (SELECT min(date) FROM articles WHERE date >= '0000') AS first_date,"
            " (SELECT max(date) FROM articles WHERE date >= '0000') AS last_date,"
            " c.quotes_without_speaker,"
            " (SELECT page_count * page_size FROM pragma_page_count, pragma_page_size) AS bytes FROM counts c",
        /* Most quoted: down speakers_top. With a prefix, the range of the
         * unique index on the folded key, then the few it holds ranked. */
        [SAYSO_REPORT_SPEAKERS] = SPEAKER_PROFILES(
            "SELECT id FROM speakers INDEXED BY speakers_top WHERE ?1 IS NULL AND quotes > 0"
            " ORDER BY quotes DESC LIMIT ?2", "50"),
        [SAYSO_REPORT_SPEAKER] = SPEAKER_PROFILES("SELECT id FROM speakers WHERE id = ?2", "200"),
        /* Quotes per month: the timeline of a speaker page. */
        [SAYSO_REPORT_SPEAKER_MONTHS] =
            "SELECT month, quotes FROM speaker_months WHERE speaker_id = ?2 AND quotes > 0 ORDER BY month",
        [SAYSO_REPORT_NAMES] =
            "SELECT id, name, quotes FROM speakers WHERE ?1 IS NULL AND quotes > 0"
            " ORDER BY quotes DESC LIMIT ?2",
        [SAYSO_REPORT_SPEAKER_QUOTES] =
            "SELECT q.quotation_id AS quotation, q.article_id AS article, a.doc, q.date, q.channel, q.type, q.text FROM"
            " (SELECT id FROM quotes WHERE speaker_id = ?2 ORDER BY date DESC LIMIT 50) r"
            " JOIN quotes q ON q.id = r.id JOIN articles a ON a.id = q.article_id ORDER BY q.date DESC, q.id DESC",
        [SAYSO_REPORT_ARTICLE] =
            "SELECT id, doc, date, title, url, authors, site, lang, text FROM articles WHERE id = ?2",
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
    sayso_store_start_budget(s);
    /* A prefix: the speakers whose key starts with it (the range of the
     * unique key index), then the most quoted of those ("+quotes": not by
     * walking speakers_top, the planner's other choice, which reads every
     * speaker when few match). */
    static const char SPEAKERS_PREFIX[] = SPEAKER_PROFILES(
        "SELECT id FROM speakers WHERE key >= ?1 AND key < ?1 || x'ff' AND quotes > 0"
        " ORDER BY +quotes DESC LIMIT ?2", "50");
    static const char NAMES_PREFIX[] =
        "SELECT id, name, quotes FROM speakers WHERE key >= ?1 AND key < ?1 || x'ff' AND quotes > 0"
        " ORDER BY +quotes DESC LIMIT ?2";
    const char *sql = SQLS[which];
    if (param && which == SAYSO_REPORT_SPEAKERS) sql = SPEAKERS_PREFIX;
    if (param && which == SAYSO_REPORT_NAMES) sql = NAMES_PREFIX;
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(s->db, sql, -1, &q, NULL) != SQLITE_OK) {
        sayso_store_set_err(s, "cannot report");
        return -1;
    }
    char key[512];
    if ((which == SAYSO_REPORT_SPEAKERS || which == SAYSO_REPORT_NAMES) && param) {
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
        if (s->over_budget)
            snprintf(s->err, sizeof s->err, "the report took longer than its budget of %.0f ms", s->budget_ms);
        else
            sayso_store_set_err(s, "cannot report");
        rows = -1;
    }
    sqlite3_finalize(q);
    return rows;
}

