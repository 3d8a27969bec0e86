/*
 * test_when.c — "when was it said": each kind of time expression resolved
 * against a concrete article date, the byte range of the match, which
 * expression wins, word boundaries and names that look like dates, and
 * robustness (NUL bytes, bad UTF-8, truncated text, a megabyte of junk).
 *
 * Most tests use an article dated Friday 2020-10-16.
 */
#include "testutil.h"


#include "when.h"

#define FRI "2020-10-16"

/* Runs sayso_when_find on a private heap copy of exactly n bytes, so that
 * AddressSanitizer catches any read past the end. */
static int find_n(const char *s, size_t n, const char *date, sayso_when *w)
{
    char *copy = malloc(n ? n : 1);
    assert_non_null(copy);
    if (n) memcpy(copy, s, n);
    int r = sayso_when_find(copy, n, date, w);
    free(copy);
    return r;
}

static sayso_when_precision precision_of(const char *date)
{
    size_t n = strlen(date);
    return n == 10 ? SAYSO_WHEN_DAY : n == 7 ? SAYSO_WHEN_MONTH : n == 4 ? SAYSO_WHEN_YEAR : SAYSO_WHEN_NONE;
}

/* s resolves to date; when span is given, the match is exactly those bytes. */
static void expect_date_n(const char *s, size_t n, const char *article, const char *date, const char *span)
{
    sayso_when w;
    int r = find_n(s, n, article, &w);
    if (r != 1 || w.blocked || strcmp(w.date, date) != 0)
        print_error("text \"%s\" (article %s): got %d \"%s\" blocked=%d, want \"%s\"\n", s,
                    article ? article : "none", r, r ? w.date : "", w.blocked, date);
    assert_int_equal(r, 1);
    assert_int_equal(w.blocked, 0);
    assert_string_equal(w.date, date);
    assert_int_equal(w.precision, precision_of(date));
    assert_true(w.start < w.end && w.end <= n);
    if (span) {
        if (w.end - w.start != strlen(span) || memcmp(s + w.start, span, strlen(span)) != 0)
            print_error("text \"%s\": matched \"%.*s\", want \"%s\"\n", s, (int)(w.end - w.start), s + w.start, span);
        assert_int_equal(w.end - w.start, strlen(span));
        assert_memory_equal(s + w.start, span, strlen(span));
    }
}

static void expect_date(const char *s, const char *article, const char *date, const char *span)
{
    expect_date_n(s, strlen(s), article, date, span);
}

static void expect_nothing_n(const char *s, size_t n, const char *article)
{
    sayso_when w;
    memset(&w, 0x5a, sizeof w);
    int r = find_n(s, n, article, &w);
    if (r != 0)
        print_error("text \"%.*s\" (article %s): want nothing, got \"%s\" blocked=%d at %zu..%zu\n", (int)n, s,
                    article ? article : "none", w.date, w.blocked, w.start, w.end);
    assert_int_equal(r, 0);
    /* On 0 the result is zeroed, not left as garbage. */
    assert_int_equal(w.precision, SAYSO_WHEN_NONE);
    assert_int_equal(w.blocked, 0);
    assert_string_equal(w.date, "");
}

static void expect_nothing(const char *s, const char *article) { expect_nothing_n(s, strlen(s), article); }

static void expect_blocked(const char *s, const char *article, const char *span)
{
    sayso_when w;
    int r = find_n(s, strlen(s), article, &w);
    if (r != 1 || !w.blocked) print_error("text \"%s\": want blocked, got %d \"%s\"\n", s, r, w.date);
    assert_int_equal(r, 1);
    assert_int_equal(w.blocked, 1);
    assert_int_equal(w.precision, SAYSO_WHEN_NONE);
    assert_string_equal(w.date, "");
    assert_int_equal(w.end - w.start, strlen(span));
    assert_memory_equal(s + w.start, span, strlen(span));
}

/* ---- parse_date ----------------------------------------------------------- */

static void test_parse_date(void **state)
{
    (void)state;
    int y = 0, m = 0, d = 0;
    assert_int_equal(sayso_when_parse_date("2020-10-16", &y, &m, &d), 1);
    assert_int_equal(y, 2020);
    assert_int_equal(m, 10);
    assert_int_equal(d, 16);
    /* leap years: every 4th, not every 100th, but every 400th */
    assert_int_equal(sayso_when_parse_date("2020-02-29", &y, &m, &d), 1);
    assert_int_equal(sayso_when_parse_date("2021-02-29", &y, &m, &d), 0);
    assert_int_equal(sayso_when_parse_date("2100-02-29", &y, &m, &d), 0);
    assert_int_equal(sayso_when_parse_date("2000-02-29", &y, &m, &d), 1);
    assert_int_equal(sayso_when_parse_date("2020-04-31", &y, &m, &d), 0);
    assert_int_equal(sayso_when_parse_date("2020-13-01", &y, &m, &d), 0);
    assert_int_equal(sayso_when_parse_date("2020-00-10", &y, &m, &d), 0);
    assert_int_equal(sayso_when_parse_date("2020-10-00", &y, &m, &d), 0);
    assert_int_equal(sayso_when_parse_date("2020-1-16", &y, &m, &d), 0);
    assert_int_equal(sayso_when_parse_date("20201016", &y, &m, &d), 0);
    assert_int_equal(sayso_when_parse_date("2020-10-1", &y, &m, &d), 0);
    assert_int_equal(sayso_when_parse_date("2020-10-16x", &y, &m, &d), 0);
    assert_int_equal(sayso_when_parse_date("", &y, &m, &d), 0);
    assert_int_equal(sayso_when_parse_date(NULL, &y, &m, &d), 0);
    /* a feed's date-time: the date part counts */
    assert_int_equal(sayso_when_parse_date("2021-01-05T23:59:00Z", &y, &m, &d), 1);
    assert_int_equal(y * 10000 + m * 100 + d, 20210105);
}

/* ---- weekdays --------------------------------------------------------------- */

static void test_weekdays(void **state)
{
    (void)state;
    expect_date("The senator said on Thursday that", FRI, "2020-10-15", "on Thursday");
    /* the article's own weekday is the article's day */
    expect_date("he said on Friday", FRI, "2020-10-16", "on Friday");
    expect_date("last Friday", FRI, "2020-10-09", "last Friday");
    expect_date("last Thursday", FRI, "2020-10-15", "last Thursday");
    expect_date("Smith told reporters Monday.", FRI, "2020-10-12", "Monday");
    expect_date("on Saturday", FRI, "2020-10-10", "on Saturday");
    expect_date("Thursday night", FRI, "2020-10-15", "Thursday night");
    expect_date("late Wednesday afternoon", FRI, "2020-10-14", "Wednesday afternoon");
    expect_date("at Tuesday's hearing", FRI, "2020-10-13", "Tuesday");
    expect_date("this past Sunday", FRI, "2020-10-11", "this past Sunday");
    expect_date("MONDAY", FRI, "2020-10-12", "MONDAY");
    expect_date("posted on monday", FRI, "2020-10-12", "on monday");
    /* abbreviations need their period and an "on", or a date after them */
    expect_date("on Thu. he said", FRI, "2020-10-15", "on Thu.");
    expect_date("on Thurs. he said", FRI, "2020-10-15", "on Thurs.");
    expect_nothing("Sun. Wed. Thu.", FRI);
    expect_nothing("she told The Sun.", FRI);
    /* the full date after a weekday wins, with its span */
    expect_date("said on Thursday, Oct. 15, in a post", FRI, "2020-10-15", "on Thursday, Oct. 15");
    expect_date("Thu., Oct. 15, 2020", FRI, "2020-10-15", "Thu., Oct. 15, 2020");
    expect_date("on Thursday 15 October", FRI, "2020-10-15", "on Thursday 15 October");
    /* weekday and date disagree: the date is what the writer checked */
    expect_date("last Thursday, Oct. 8", FRI, "2020-10-08", "last Thursday, Oct. 8");
    expect_nothing("on Thursday, Feb. 30", FRI);
}

static void test_weekday_boundaries(void **state)
{
    (void)state;
    /* Friday 2021-01-01: back across the year */
    expect_date("on Thursday", "2021-01-01", "2020-12-31", NULL);
    expect_date("last Friday", "2021-01-01", "2020-12-25", NULL);
    expect_date("on Friday", "2021-01-01", "2021-01-01", NULL);
    /* Tuesday 2021-01-05 */
    expect_date("on Saturday", "2021-01-05", "2021-01-02", NULL);
    expect_date("last Tuesday", "2021-01-05", "2020-12-29", NULL);
    /* Sunday 2020-03-01: back across a leap day; Monday 2021-03-01: no leap day */
    expect_date("on Saturday", "2020-03-01", "2020-02-29", NULL);
    expect_date("on Sunday", "2021-03-01", "2021-02-28", NULL);
    /* far from 1970 in both directions */
    expect_date("on Monday", "1900-03-01", "1900-02-26", NULL);
    expect_date("on Wednesday", "2099-12-31", "2099-12-30", NULL);
}

/* ---- days ----------------------------------------------------------------- */

static void test_day_words(void **state)
{
    (void)state;
    expect_date("today", FRI, "2020-10-16", "today");
    expect_date("Today, he said", FRI, "2020-10-16", "Today");
    expect_date("in a statement this morning", FRI, "2020-10-16", "this morning");
    expect_date("this afternoon", FRI, "2020-10-16", NULL);
    expect_date("this evening", FRI, "2020-10-16", NULL);
    expect_date("tonight", FRI, "2020-10-16", NULL);
    expect_date("earlier today", FRI, "2020-10-16", "earlier today");
    expect_date("yesterday", FRI, "2020-10-15", "yesterday");
    expect_date("Yesterday morning", FRI, "2020-10-15", "Yesterday morning");
    expect_date("late last night", FRI, "2020-10-15", "last night");
    expect_date("yesterday", "2021-01-01", "2020-12-31", NULL);
    expect_date("yesterday", "2020-03-01", "2020-02-29", NULL);
    expect_date("the day before yesterday", FRI, "2020-10-14", "the day before yesterday");
    /* relative to an event we do not know, or the future */
    expect_nothing("the day before, he said", FRI);
    expect_nothing("the next day", FRI);
    expect_nothing("tomorrow", FRI);
    expect_nothing("later today", FRI);
}

static void test_ago(void **state)
{
    (void)state;
    expect_date("two days ago", FRI, "2020-10-14", "two days ago");
    expect_date("3 days ago", FRI, "2020-10-13", "3 days ago");
    expect_date("ten days ago", FRI, "2020-10-06", NULL);
    expect_date("a day ago", FRI, "2020-10-15", NULL);
    expect_date("an hour ago", FRI, "2020-10-16", NULL);
    expect_date("two days ago", "2020-03-02", "2020-02-29", NULL);
    /* week precision is not reported, nor a vague count */
    expect_nothing("a week ago", FRI);
    expect_nothing("two weeks ago", FRI);
    expect_nothing("a few days ago", FRI);
    expect_nothing("last week", FRI);
    expect_nothing("earlier this week", FRI);
    expect_nothing("this weekend", FRI);
    expect_nothing("over the weekend", FRI);
}

/* ---- months and years --------------------------------------------------------- */

static void test_months_years(void **state)
{
    (void)state;
    expect_date("last month", FRI, "2020-09", "last month");
    expect_date("last month", "2021-01-05", "2020-12", NULL);
    expect_date("this month", FRI, "2020-10", NULL);
    expect_date("earlier this month", FRI, "2020-10", "earlier this month");
    expect_date("last year", FRI, "2019", "last year");
    expect_date("this year", FRI, "2020", NULL);
    expect_date("earlier this year", "2021-01-05", "2021", "earlier this year");
    expect_date("in 2016", FRI, "2016", "in 2016");
    expect_date("In early 2016, she said", FRI, "2016", "In early 2016");
    expect_date("in mid-2016", FRI, "2016", "in mid-2016");
    expect_date("in 2016's election", FRI, "2016", "in 2016");
    expect_date("in 1999", FRI, "1999", NULL);
    /* a bare number is no year; out-of-range years and seasons are not taken */
    expect_nothing("the 2016 election", FRI);
    expect_nothing("in 1850", FRI);
    expect_nothing("in 2016-17", FRI);
    expect_nothing("in 2,016 cases", FRI);
    expect_nothing("in the 2010s", FRI);
    /* the future is not when anything was said */
    expect_nothing("in 2021", FRI);
    expect_nothing("next month", FRI);
    expect_nothing("next year", FRI);
}

static void test_month_dates(void **state)
{
    (void)state;
    expect_date("Oct. 15", FRI, "2020-10-15", "Oct. 15");
    expect_date("on Oct. 16", FRI, "2020-10-16", "on Oct. 16");
    expect_date("October 15", FRI, "2020-10-15", NULL);
    expect_date("Oct 15, 2019", FRI, "2019-10-15", "Oct 15, 2019");
    expect_date("Oct. 15, 2019, he said", FRI, "2019-10-15", "Oct. 15, 2019");
    expect_date("15 October 2019", FRI, "2019-10-15", "15 October 2019");
    expect_date("on October 15th", FRI, "2020-10-15", "on October 15th");
    expect_date("the 1st of October", FRI, "2020-10-01", "1st of October");
    expect_date("Sept. 3", FRI, "2020-09-03", "Sept. 3");
    /* no year: the most recent such date on or before the article */
    expect_date("Dec. 3", "2021-01-05", "2020-12-03", NULL);
    expect_date("Oct. 17", FRI, "2019-10-17", NULL);
    expect_date("Jan. 5", "2021-01-05", "2021-01-05", NULL);
    /* months */
    expect_date("in October", FRI, "2020-10", "in October");
    expect_date("in November", FRI, "2019-11", NULL);
    expect_date("last October", FRI, "2019-10", "last October");
    expect_date("last September", FRI, "2020-09", NULL);
    expect_date("this past October", FRI, "2019-10", "this past October");
    expect_date("in October 2019", FRI, "2019-10", "in October 2019");
    expect_date("October 2019", FRI, "2019-10", "October 2019");
    expect_date("in mid-October", FRI, "2020-10", "in mid-October");
    expect_date("early May", FRI, "2020-05", "early May");
    expect_date("in Oct. the", FRI, "2020-10", "in Oct.");
    /* after "in", a month and day is an event's name; the date alone counts */
    expect_nothing("trafficked in Sept. 11 conspiracy theories", FRI);
    expect_date("in Oct. 15 filings", FRI, "2020-10-15", "Oct. 15");
    /* invalid dates are not resolved */
    expect_nothing("Feb. 30", FRI);
    expect_nothing("April 31", FRI);
    expect_nothing("Oct. 45", FRI);
    expect_nothing("Oct. 15,000 people", FRI);
    expect_nothing("Oct. 15, 1850", FRI);
    /* leap days */
    expect_date("Feb. 29, 2020", FRI, "2020-02-29", "Feb. 29, 2020");
    expect_nothing("Feb. 29, 2021", "2021-10-16");
    expect_date("Feb. 29", "2020-03-01", "2020-02-29", NULL);
    expect_nothing("Feb. 29", "2021-03-01");
}

static void test_numeric_dates(void **state)
{
    (void)state;
    expect_date("10/15/2020", FRI, "2020-10-15", "10/15/2020");
    expect_date("on 10/5/2020,", FRI, "2020-10-05", "on 10/5/2020");
    expect_date("2020-10-15", FRI, "2020-10-15", "2020-10-15");
    expect_date("posted 2020-10-15T09:30:00Z", FRI, "2020-10-15", "2020-10-15");
    /* a first number above 12 can only be the day */
    expect_date("15/10/2020", FRI, "2020-10-15", NULL);
    expect_nothing("2/30/2020", FRI);
    expect_nothing("10/15/20", FRI);
    expect_nothing("1/10/15/2020", FRI);
    expect_nothing("2020-10-15-3", FRI);
    expect_nothing("a 3/4 majority", FRI);
}

/* ---- blocked ---------------------------------------------------------------- */

static void test_blocked(void **state)
{
    (void)state;
    expect_blocked("At the time, he said", FRI, "At the time");
    expect_blocked("he said back then", FRI, "back then");
    expect_blocked("at that time", FRI, "at that time");
    expect_blocked("years ago", FRI, "years ago");
    expect_blocked("two years ago", FRI, "two years ago");
    expect_blocked("a few months ago", FRI, "a few months ago");
    expect_blocked("long ago", FRI, "long ago");
    expect_nothing("not so long ago", FRI);
    expect_blocked("in the past, she said", FRI, "in the past");
    expect_blocked("as he once said", FRI, "once");
    expect_blocked("he once famously quipped", FRI, "once");
    expect_blocked("she previously told CNN", FRI, "previously");
    expect_blocked("as he had said previously", FRI, "previously");
    /* blocked needs no article date */
    expect_blocked("at the time", NULL, "at the time");
    /* not blocked: the article's own time, "once" that is no time, recent spans */
    expect_date("at the time of writing, on Tuesday", FRI, "2020-10-13", "on Tuesday");
    expect_date("once again, on Monday", FRI, "2020-10-12", "on Monday");
    expect_date("once the bill passes, he said Monday", FRI, "2020-10-12", "Monday");
    expect_date("Smith, who previously worked at Google, said Tuesday", FRI, "2020-10-13", "Tuesday");
    expect_date("in the past two years, and on Monday", FRI, "2020-10-12", "on Monday");
    expect_date("at the same time, on Monday", FRI, "2020-10-12", "on Monday");
}

/* ---- future and spans: skipped, the scan goes on ------------------------------ */

static void test_future_and_spans(void **state)
{
    (void)state;
    expect_nothing("next Thursday", FRI);
    expect_nothing("this coming Thursday", FRI);
    expect_nothing("this Thursday", FRI);
    expect_nothing("Thursday next week", FRI);
    expect_nothing("since 2016", FRI);
    expect_nothing("since Thursday", FRI);
    expect_nothing("Oct. 17, 2020", FRI);
    expect_nothing("every Friday", FRI);
    expect_nothing("Coming September 30th.", FRI);
    expect_nothing("the upcoming Oct. 20 debate", "2020-10-16");
    expect_date("the remarks, coming on Monday, drew", FRI, "2020-10-12", "on Monday");
    expect_nothing("on a Friday", FRI);
    expect_date("The vote is next Thursday, Smith said on Monday.", FRI, "2020-10-12", "on Monday");
    expect_date("Since 2016 he has said, and repeated in 2019,", FRI, "2019", "in 2019");
    expect_date("between Monday and Wednesday, she said Thursday", FRI, "2020-10-15", "Thursday");
    expect_date("from May to July, he said yesterday", FRI, "2020-10-15", "yesterday");
    expect_date("from 2016 to 2018, he said in 2019", FRI, "2019", "in 2019");
    expect_date("since Oct. 15, 2019 he has said so, most recently on Monday", FRI, "2020-10-12", "on Monday");
    expect_date("until May, and on Monday", FRI, "2020-10-12", "on Monday");
    /* but an expression we cannot resolve still wins: no later date */
    expect_nothing("Last week, she said the vote on Thursday", FRI);
    expect_nothing("the day before, he had said on Thursday", FRI);
    expect_nothing("she recently told CNN that on Thursday", FRI);
}

/* ---- which expression wins --------------------------------------------------- */

static void test_first_wins(void **state)
{
    (void)state;
    const char *s = "Yesterday he said he had voted on Thursday, Oct. 15, in 2016.";
    sayso_when w;
    assert_int_equal(sayso_when_find(s, strlen(s), FRI, &w), 1);
    assert_int_equal(w.start, 0);
    assert_int_equal(w.end, 9);
    assert_string_equal(w.date, "2020-10-15");

    /* the same text after the first expression: the next one */
    const char *rest = s + 9;
    assert_int_equal(sayso_when_find(rest, strlen(rest), FRI, &w), 1);
    assert_int_equal(w.start, strlen(" he said he had voted "));
    assert_int_equal(w.end - w.start, strlen("on Thursday, Oct. 15"));
    assert_string_equal(w.date, "2020-10-15");

    expect_date("On Thursday, he recalled what he said in 2016", FRI, "2020-10-15", "On Thursday");
    expect_blocked("At the time, she said yesterday", FRI, "At the time");
    expect_date("He said yesterday what he had said at the time", FRI, "2020-10-15", "yesterday");
    /* offsets are bytes: a multi-byte prefix shifts them */
    const char *u = "\xE2\x80\x9CWe won,\xE2\x80\x9D she said on Monday.";
    assert_int_equal(sayso_when_find(u, strlen(u), FRI, &w), 1);
    assert_int_equal(w.start, (size_t)(strstr(u, "on Monday") - u));
    assert_int_equal(w.end, w.start + 9);
}

/* ---- word boundaries and look-alikes --------------------------------------------- */

static void test_boundaries(void **state)
{
    (void)state;
    /* plural weekdays are habits, not dates */
    expect_nothing("She works Mondays", FRI);
    expect_nothing("on Mondays and Fridays", FRI);
    expect_date("Monday's vote", FRI, "2020-10-12", "Monday");
    expect_date("Thursday\xE2\x80\x99s vote", FRI, "2020-10-15", "Thursday");
    /* "May" and "March" are words and names */
    expect_nothing("Mayor Smith said", FRI);
    expect_nothing("Theresa May said", FRI);
    expect_nothing("in May's government", FRI);
    expect_nothing("we may march 15 miles", FRI);
    expect_nothing("Mayé 5", FRI);
    expect_nothing("Octopus 15", FRI);
    expect_date("in May", FRI, "2020-05", "in May");
    expect_date("May 5", FRI, "2020-05-05", "May 5");
    /* days that are names */
    expect_nothing("he told USA Today", FRI);
    expect_nothing("on NBC's Today show", FRI);
    expect_nothing("on ITV's This Morning", FRI);
    expect_nothing("Black Friday sales", FRI);
    expect_nothing("Good Friday", FRI);
    expect_nothing("told the Mail on Sunday", FRI);
    expect_nothing("the Sunday Times reported", FRI);
    expect_nothing("on Saturday Night Live", FRI);
    expect_nothing("the Sept. 11 attacks", FRI);
    expect_date("told USA Today on Monday", FRI, "2020-10-12", "on Monday");
    /* typeset punctuation and spaces around words */
    expect_date("\xE2\x80\x94on Thursday\xE2\x80\x94", FRI, "2020-10-15", "on Thursday");
    expect_date("on\xC2\xA0Thursday", FRI, "2020-10-15", "on\xC2\xA0Thursday");
    expect_date("(Thursday)", FRI, "2020-10-15", "Thursday");
    expect_date("\xE2\x80\x9CThursday", FRI, "2020-10-15", "Thursday");
    /* a phrase may wrap a line, but not cross a blank line */
    expect_date("said on\nThursday", FRI, "2020-10-15", "on\nThursday");
    expect_date("said on\n\nThursday", FRI, "2020-10-15", "Thursday");
    expect_date("said on\r\n \r\nThursday", FRI, "2020-10-15", "Thursday");
}

/* ---- no article date ---------------------------------------------------------- */

static void test_no_article_date(void **state)
{
    (void)state;
    expect_date("in 2016", NULL, "2016", "in 2016");
    expect_date("Oct. 15, 2019", NULL, "2019-10-15", NULL);
    expect_date("10/15/2020", NULL, "2020-10-15", NULL);
    expect_date("October 2019", NULL, "2019-10", NULL);
    /* nothing to compare with, so nothing is "the future" */
    expect_date("Oct. 15, 2031", NULL, "2031-10-15", NULL);
    expect_nothing("on Thursday", NULL);
    expect_nothing("Oct. 15", NULL);
    expect_nothing("yesterday", NULL);
    expect_nothing("last month", NULL);
    expect_nothing("in October", NULL);
    /* the first expression is relative: it wins, unresolved */
    expect_nothing("on Thursday, in 2016", NULL);
    /* an invalid article date counts as none */
    expect_nothing("on Thursday", "2020-13-45");
    expect_nothing("yesterday", "Oct 16 2020");
    expect_date("in 2016", "garbage", "2016", NULL);
}

/* ---- robustness ------------------------------------------------------------ */

static void test_robust_small(void **state)
{
    (void)state;
    sayso_when w;
    assert_int_equal(sayso_when_find("", 0, FRI, &w), 0);
    assert_int_equal(sayso_when_find(NULL, 0, FRI, &w), 0);
    assert_int_equal(sayso_when_find(NULL, 10, FRI, &w), 0);
    assert_int_equal(sayso_when_find("yesterday", 9, FRI, NULL), 1);
    expect_nothing("   ", FRI);

    /* NUL separates words but joins no phrase */
    expect_date_n("on\0Thursday", 11, FRI, "2020-10-15", "Thursday");
    expect_nothing_n("in 20\0" "16", 8, FRI);
    expect_date_n("\0\0\0yesterday\0", 13, FRI, "2020-10-15", NULL);

    /* invalid and truncated UTF-8 */
    expect_date("\xFF\xFE on Thursday \xC3", FRI, "2020-10-15", "on Thursday");
    expect_nothing("\xE2\x80", FRI);
    expect_nothing("Thursday\xC3\xA9", FRI);
    expect_nothing_n("on \xE2", 4, FRI);

    /* text cut short: never read past len */
    expect_nothing("said on Oct.", FRI);
    expect_nothing("Oct", FRI);
    expect_nothing_n("Oct. 15", 5, FRI);
    expect_date_n("Oct. 15", 6, FRI, "2020-10-01", "Oct. 1");
    expect_nothing_n("in 2016", 6, FRI);
    expect_date_n("Thursday", 8, FRI, "2020-10-15", "Thursday");
    expect_nothing_n("Thursday", 7, FRI);
    expect_date_n("Oct. 15, 2019", 12, FRI, "2020-10-15", "Oct. 15");
    expect_nothing_n("10/15/2020", 9, FRI);
}

#define MB (1u << 20)

/* A search that ends at an unresolvable time says so (stopped), so that a
 * caller does not go on to a later, unrelated date; a search that finds
 * nothing does not; and sayso_when_find_at tries only the first words. */
static void test_stopped_and_starts(void **state)
{
    (void)state;
    sayso_when w;
    assert_int_equal(sayso_when_find("said last week that the vote on Monday", 38, FRI, &w), 0);
    assert_int_equal(w.stopped, 1);
    assert_string_equal(w.date, "");
    assert_int_equal(sayso_when_find("said that the vote was close", 28, FRI, &w), 0);
    assert_int_equal(w.stopped, 0);
    assert_int_equal(sayso_when_find("said that it was on Thursday", 28, FRI, &w), 1);
    assert_int_equal(w.stopped, 0);
    assert_string_equal(w.date, "2020-10-15");
    /* "on" is the fifth word: not among the first three. */
    assert_int_equal(sayso_when_find_at("said that it was on Thursday", 28, FRI, 3, &w), 0);
    assert_int_equal(sayso_when_find_at("said that it was on Thursday", 28, FRI, 5, &w), 1);
    assert_string_equal(w.date, "2020-10-15");
}

static void test_robust_megabyte(void **state)
{
    (void)state;
    char *buf = malloc(MB);
    assert_non_null(buf);
    sayso_when w;

    /* pseudo-random bytes, biased toward letters, digits and separators */
    uint32_t x = 12345;
    static const char pool[] = "aeiMaOcTt0123 ,./-\n\0";
    for (size_t i = 0; i < MB; i++) {
        x = x * 1103515245u + 12345u;
        buf[i] = (x >> 24) & 1 ? pool[(x >> 16) % (sizeof pool - 1)] : (char)(x >> 8);
    }
    int r = sayso_when_find(buf, MB, FRI, &w);
    assert_true(r == 0 || (w.start < w.end && w.end <= MB));

    /* one word a megabyte long */
    memset(buf, 'a', MB);
    assert_int_equal(sayso_when_find(buf, MB, FRI, &w), 0);

    /* a megabyte of words that start patterns and never finish them */
    static const char *const starts[] = {"on ", "in the ", "since ", "last ", "a few ", "Oct. ", "2020-"};
    for (size_t s = 0; s < sizeof starts / sizeof *starts; s++) {
        size_t n = strlen(starts[s]);
        for (size_t i = 0; i < MB; i++) buf[i] = starts[s][i % n];
        r = sayso_when_find(buf, MB, FRI, &w);
        if (r) print_error("pattern \"%s\": found \"%s\" at %zu\n", starts[s], w.date, w.start);
        assert_int_equal(r, 0);
    }

    /* a megabyte of spaces, then the expression: offsets far into the text */
    memset(buf, ' ', MB);
    memcpy(buf + MB - 12, "on Thursday.", 12);
    assert_int_equal(sayso_when_find(buf, MB, FRI, &w), 1);
    assert_int_equal(w.start, MB - 12);
    assert_int_equal(w.end, MB - 1);
    assert_string_equal(w.date, "2020-10-15");

    /* ... and "on" paragraphs away from its weekday is no phrase */
    memset(buf, '\n', MB);
    memcpy(buf, "on", 2);
    memcpy(buf + MB - 12, "   Thursday.", 12);
    assert_int_equal(sayso_when_find(buf, MB, FRI, &w), 1);
    assert_int_equal(w.start, MB - 9);

    /* No timing here: speed belongs to bench/. A quadratic scan of these
     * megabytes would run into ctest's timeout instead. */
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_date),
        cmocka_unit_test(test_stopped_and_starts),
        cmocka_unit_test(test_weekdays),
        cmocka_unit_test(test_weekday_boundaries),
        cmocka_unit_test(test_day_words),
        cmocka_unit_test(test_ago),
        cmocka_unit_test(test_months_years),
        cmocka_unit_test(test_month_dates),
        cmocka_unit_test(test_numeric_dates),
        cmocka_unit_test(test_blocked),
        cmocka_unit_test(test_future_and_spans),
        cmocka_unit_test(test_first_wins),
        cmocka_unit_test(test_boundaries),
        cmocka_unit_test(test_no_article_date),
        cmocka_unit_test(test_robust_small),
        cmocka_unit_test(test_robust_megabyte),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
