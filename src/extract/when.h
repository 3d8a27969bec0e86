/*
 * when.h — "when was it said": finds the first time expression in a piece of
 * English news text ("on Thursday", "last month", "Oct. 15, 2019", "at the
 * time") and resolves it against the article's date to "YYYY-MM-DD",
 * "YYYY-MM" or "YYYY".
 *
 * Owns the English time-expression patterns and the calendar arithmetic
 * behind them; knows nothing of quotes, cues or articles. Pure functions on
 * the caller's buffers: no allocation, no global state, no locale or time
 * zone, work linear in the length of the text.
 */
#ifndef SAYSO_WHEN_H
#define SAYSO_WHEN_H

#include <stddef.h>

typedef enum { SAYSO_WHEN_NONE = 0, SAYSO_WHEN_DAY, SAYSO_WHEN_MONTH, SAYSO_WHEN_YEAR } sayso_when_precision;

typedef struct {
    size_t start, end;       /* byte range of the expression in the scanned text ("on Thursday") */
    sayso_when_precision precision;
    char date[11];           /* "YYYY-MM-DD", "YYYY-MM" or "YYYY" (NUL-terminated) per precision */
    int blocked;             /* 1 when an expression says the time is NOT the article's time and
                                cannot be resolved: "at the time", "back then", "years ago",
                                "once", "in the past" — the caller must then report no date */
    int stopped;             /* with a return of 0: the search ended at an expression that
                                places the time but cannot be resolved ("last week"); the
                                caller should look no further */
} sayso_when;

/* Parses "YYYY-MM-DD" into y/m/d; returns 1 if it is a valid calendar date.
 * A time may follow the date ("2020-10-16T09:30:00Z", "2020-10-16 09:30"). */
int sayso_when_parse_date(const char *s, int *y, int *m, int *d);

/* Scans text[0..len) for the first time expression and resolves it against
 * article_date ("YYYY-MM-DD"; NULL or invalid: only absolute expressions
 * with a year resolve). Returns 1 and fills *out when an expression was
 * found (resolved, or blocked), else 0.
 *
 * The first expression (by start offset) decides, with two exceptions that
 * are skipped because they cannot be the time something was said: the
 * future ("next Thursday", "tomorrow", "Oct. 15, 2021" in a 2020 article)
 * and spans ("since 2016", "between Monday and Wednesday", "every Friday").
 * A first expression that places the time but cannot be resolved — "last
 * week", "a few days ago", "the day before", "Feb. 30", or "on Thursday"
 * without an article date — ends the search: 0, so that a later, unrelated
 * date is not taken instead; out->stopped then says so. On 0, *out is
 * otherwise zeroed (precision NONE, date ""). */
int sayso_when_find(const char *text, size_t len, const char *article_date, sayso_when *out);

/* The same, for an expression that starts at one of the first 'starts'
 * words of the text (counting punctuation as words): for callers that
 * already know where a time expression may begin. */
int sayso_when_find_at(const char *text, size_t len, const char *article_date, size_t starts, sayso_when *out);

#endif
