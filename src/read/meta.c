/*
 * meta.c — what a page says about itself: title, publication date,
 * authors, site name, language and canonical url (htmlint.h).
 *
 * Each field is taken from the most trustworthy source the page has, in
 * this order:
 *   date:    JSON-LD datePublished of the article, <meta property=
 *            "article:published_time">, other <meta> dates (pubdate, dc.date,
 *            parsely-pub-date, ...), an element with itemprop=datePublished,
 *            <time datetime> (the first, or one marked pubdate), the url;
 *   title:   JSON-LD headline, dc:title, og:title, <meta name=title>,
 *            twitter:title, the <title> element, the first <h1>; the
 *            site's name is trimmed from its end or start;
 *   authors: JSON-LD author, dc:creator, <meta name=author>, parsely-author,
 *            article:author (when not a url), then the byline element that
 *            content.c found in the body; "By" and the like are dropped;
 *   site:    JSON-LD publisher, og:site_name, application-name;
 *   lang:    <html lang>, else <meta http-equiv=content-language>;
 *   url:     <link rel=canonical>, og:url (resolved against the page's url),
 *            else the page's url.
 * Values are read in place from libxml2's tree and copied once at the end.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cJSON.h>
#include <libxml/uri.h>

#include "htmlint.h"

/* Meta keys by field, most trusted first. */
static const char *const title_keys[] = {"dc:title", "dcterm:title", "og:title", "weibo:article:title",
                                         "weibo:webpage:title", "title", "twitter:title", "parsely-title",
                                         "sailthru.title", "headline", NULL};
static const char *const date_keys[] = {"article:published_time", "og:published_time", "parsely-pub-date",
                                        "datepublished", "article:published", "published_time",
                                        "publish-date", "publish_date", "publishdate", "pubdate",
                                        "publication_date", "date", "dc:date", "dc:date.issued",
                                        "dcterm:created", "dcterm:date", "dcterm:issued",
                                        "sailthru.date", "originalpublicationdate",
                                        "article.published", "datecreated", "og:updated_time",
                                        "article:modified_time", "datemodified", "lastmod", NULL};
static const char *const author_keys[] = {"dc:creator", "dcterm:creator", "author", "parsely-author",
                                          "article:author", "sailthru.author", "byl", "twitter:creator", NULL};
static const char *const site_keys[] = {"og:site_name", "application-name", "twitter:site", NULL};

#define N_TITLE (sizeof title_keys / sizeof *title_keys)
#define N_DATE (sizeof date_keys / sizeof *date_keys)
#define N_AUTHOR (sizeof author_keys / sizeof *author_keys)
#define N_SITE (sizeof site_keys / sizeof *site_keys)

typedef struct {
    const char *title[N_TITLE], *date[N_DATE], *author[N_AUTHOR], *site[N_SITE];
    int n_author_meta; /* <meta name=author> elements seen (several: several authors) */
    const char *canonical, *og_url, *lang, *content_lang;
    const char *itemprop_date, *time_date, *time_pub;
    const xmlNode *title_el, *h1;
    const xmlNode *author_el; /* the first rel=author link or itemprop=author */
    /* from JSON-LD */
    char *ld_title, *ld_date, *ld_site, *ld_any_date;
    char *ld_headline, *ld_name; /* both, when an article has both */
    html_buf ld_authors;
    html_buf meta_authors;
} meta_facts;

/* "dc.creator", "DC:Creator", "dcterms.created" -> "dc:creator",
 * "dcterm:created"; other keys are lower-cased. */
static void norm_key(const char *s, size_t n, char *out, size_t cap)
{
    size_t k = 0;
    for (size_t i = 0; i < n && k + 1 < cap; i++) out[k++] = (char)tolower((unsigned char)s[i]);
    out[k] = 0;
    if ((strncmp(out, "dc.", 3) == 0) || (strncmp(out, "dc-", 3) == 0)) out[2] = ':';
    if (strncmp(out, "og:article:", 11) == 0) memmove(out, out + 3, strlen(out + 3) + 1);
    if (strncmp(out, "dcterms", 7) == 0 && (out[7] == '.' || out[7] == ':')) {
        memmove(out + 6, out + 7, strlen(out + 7) + 1);
        out[6] = ':';
    }
}

static void take_key(meta_facts *m, const char *key, const char *content)
{
    for (size_t i = 0; title_keys[i]; i++)
        if (strcmp(key, title_keys[i]) == 0 && !m->title[i]) m->title[i] = content;
    for (size_t i = 0; date_keys[i]; i++)
        if (strcmp(key, date_keys[i]) == 0 && !m->date[i]) m->date[i] = content;
    for (size_t i = 0; author_keys[i]; i++)
        if (strcmp(key, author_keys[i]) == 0) {
            if (strcmp(key, "author") == 0 && *content) {
                /* several <meta name=author>: several authors */
                if (m->meta_authors.len) hb_puts(&m->meta_authors, "; ");
                hb_put_collapsed(&m->meta_authors, content, strlen(content));
            }
            if (!m->author[i]) m->author[i] = content;
        }
    for (size_t i = 0; site_keys[i]; i++)
        if (strcmp(key, site_keys[i]) == 0 && !m->site[i]) m->site[i] = content;
    if (strcmp(key, "og:url") == 0 && !m->og_url) m->og_url = content;
}

/* A <meta>: its name, property and itemprop may each hold several
 * space-separated keys. */
static void read_meta(meta_facts *m, const xmlNode *n)
{
    const char *content = html_attr(n, "content");
    const char *equiv = html_attr(n, "http-equiv");
    if (!content) return;
    if (equiv && html_has_word(equiv, "content-language") && !m->content_lang) m->content_lang = content;
    static const char *const attrs[] = {"property", "name", "itemprop"};
    for (size_t a = 0; a < 3; a++) {
        const char *v = html_attr(n, attrs[a]);
        while (v && *v) {
            while (*v && isspace((unsigned char)*v)) v++;
            size_t len = 0;
            while (v[len] && !isspace((unsigned char)v[len])) len++;
            if (len) {
                char key[64];
                norm_key(v, len, key, sizeof key);
                take_key(m, key, content);
            }
            v += len;
        }
    }
}

/* ---- JSON-LD ----------------------------------------------------------- */

static int is_article_type(const cJSON *t)
{
    if (cJSON_IsArray(t)) {
        const cJSON *e;
        cJSON_ArrayForEach(e, t) if (is_article_type(e)) return 1;
        return 0;
    }
    if (!cJSON_IsString(t)) return 0;
    const char *s = t->valuestring;
    return strstr(s, "Article") || strstr(s, "Posting") || strstr(s, "Report") || strcmp(s, "APIReference") == 0;
}

static const char *str_item(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) && v->valuestring[0] ? v->valuestring : NULL;
}

static char *dup_str(const char *s)
{
    return s ? strdup(s) : NULL;
}

static void ld_author(meta_facts *m, const cJSON *a)
{
    if (cJSON_IsArray(a)) {
        const cJSON *e;
        cJSON_ArrayForEach(e, a) ld_author(m, e);
        return;
    }
    const char *name = cJSON_IsString(a) ? a->valuestring : cJSON_IsObject(a) ? str_item(a, "name") : NULL;
    if (!name || !*name || strncmp(name, "http", 4) == 0) return;
    if (m->ld_authors.len) hb_puts(&m->ld_authors, "; ");
    hb_put_collapsed(&m->ld_authors, name, strlen(name));
}

static void ld_object(meta_facts *m, const cJSON *o, int depth)
{
    if (depth > 8) return;
    if (cJSON_IsArray(o)) {
        const cJSON *e;
        cJSON_ArrayForEach(e, o) ld_object(m, e, depth + 1);
        return;
    }
    if (!cJSON_IsObject(o)) return;
    const cJSON *graph = cJSON_GetObjectItemCaseSensitive(o, "@graph");
    if (graph) ld_object(m, graph, depth + 1);
    const char *any = str_item(o, "datePublished");
    if (any && !m->ld_any_date) m->ld_any_date = strdup(any);
    if (!is_article_type(cJSON_GetObjectItemCaseSensitive(o, "@type"))) return;
    if (!m->ld_title) {
        const char *h = str_item(o, "headline"), *nm = str_item(o, "name");
        m->ld_title = dup_str(h ? h : nm);
        if (h && nm) {
            m->ld_headline = dup_str(h);
            m->ld_name = dup_str(nm);
        }
    }
    if (!m->ld_date) m->ld_date = dup_str(str_item(o, "datePublished"));
    if (!m->ld_authors.len) ld_author(m, cJSON_GetObjectItemCaseSensitive(o, "author"));
    if (!m->ld_authors.len) ld_author(m, cJSON_GetObjectItemCaseSensitive(o, "creator"));
    const cJSON *pub = cJSON_GetObjectItemCaseSensitive(o, "publisher");
    if (cJSON_IsArray(pub)) pub = cJSON_GetArrayItem(pub, 0);
    if (!m->ld_site && cJSON_IsObject(pub)) m->ld_site = dup_str(str_item(pub, "name"));
}

static void read_ld(meta_facts *m, const xmlNode *script)
{
    html_buf b = {0}; /* the parser may split a long script into several text nodes */
    for (const xmlNode *t = script->children; t; t = t->next)
        if (t->content) hb_puts(&b, (const char *)t->content);
    /* step over a "<![CDATA[" or "<!--" wrapper; cJSON stops at the end of
     * the value, before its closing */
    const char *start = b.len && !b.oom ? b.s : NULL;
    while (start && isspace((unsigned char)*start)) start++;
    if (start && strncmp(start, "<![CDATA[", 9) == 0) start += 9;
    else if (start && strncmp(start, "<!--", 4) == 0) start += 4;
    cJSON *j = start && *start ? cJSON_ParseWithOpts(start, NULL, 0) : NULL;
    free(b.s);
    if (!j) return;
    ld_object(m, j, 0);
    cJSON_Delete(j);
}

/* ---- Dates ------------------------------------------------------------- */

static const char *const months[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                     "jul", "aug", "sep", "oct", "nov", "dec"};

static int month_at(const char *s)
{
    for (int i = 0; i < 12; i++)
        if (tolower((unsigned char)s[0]) == months[i][0] && tolower((unsigned char)s[1]) == months[i][1] &&
            tolower((unsigned char)s[2]) == months[i][2])
            return i + 1;
    return 0;
}

static int digits(const char *s, int n, int *v)
{
    int x = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i])) return 0;
        x = x * 10 + (s[i] - '0');
    }
    *v = x;
    return 1;
}

static int put_date(int y, int mo, int d, char out[11])
{
    if (y < 1800 || y > 2200 || mo < 1 || mo > 12 || d < 1 || d > 31) return 0;
    snprintf(out, 11, "%04d-%02d-%02d", y, mo, d);
    return 1;
}

int html_parse_date(const char *s, char out[11])
{
    int y, mo, d;
    if (!s) return 0;
    while (isspace((unsigned char)*s)) s++;
    /* 2019-04-28, 2019/04/28, 2019.04.28, 20190428 */
    if (digits(s, 4, &y)) {
        char sep = s[4];
        if ((sep == '-' || sep == '/' || sep == '.') && digits(s + 5, 2, &mo) && s[7] == sep && digits(s + 8, 2, &d) &&
            !isdigit((unsigned char)s[10]))
            return put_date(y, mo, d, out);
        if (digits(s + 4, 2, &mo) && digits(s + 6, 2, &d) && !isdigit((unsigned char)s[8]))
            return put_date(y, mo, d, out);
        return 0;
    }
    /* "Mon, 28 Apr 2019", "28 April 2019", "April 28, 2019" */
    const char *p = s;
    for (int tries = 0; *p && tries < 64; tries++, p++) {
        if (isalpha((unsigned char)p[0]) && (p == s || !isalpha((unsigned char)p[-1])) && (mo = month_at(p)) != 0) {
            const char *q = p;
            while (isalpha((unsigned char)*q) || *q == '.') q++;
            while (*q == ' ' || *q == ',') q++;
            int dl = q[0] && isdigit((unsigned char)q[1]) ? 2 : 1;
            if (digits(q, dl, &d) && !isdigit((unsigned char)q[dl])) {
                q += dl;
                while (isalpha((unsigned char)*q) && q - p < 40) q++; /* 28th */
                while (*q == ' ' || *q == ',') q++;
                if (digits(q, 4, &y)) return put_date(y, mo, d, out);
            }
            /* day before the month */
            const char *b = p;
            while (b > s && (b[-1] == ' ' || b[-1] == '.')) b--;
            if (b - s >= 1 && isdigit((unsigned char)b[-1])) {
                int dd = b[-1] - '0';
                if (b - s >= 2 && isdigit((unsigned char)b[-2])) dd += 10 * (b[-2] - '0');
                if (digits(q, 4, &y)) return put_date(y, mo, dd, out);
            }
        }
    }
    return 0;
}

/* /2019/04/28/ or /2019-04-28 in a url's path. */
static int url_date(const char *url, char out[11])
{
    if (!url) return 0;
    const char *p = strstr(url, "://");
    p = p ? strchr(p + 3, '/') : url;
    for (; p && *p; p++) {
        if (*p != '/' && *p != '-' && *p != '_') continue;
        int y, mo, d;
        const char *s = p + 1;
        if (digits(s, 4, &y) && (s[4] == '/' || s[4] == '-') && digits(s + 5, 2, &mo) && s[7] == s[4] &&
            digits(s + 8, 2, &d) && !isdigit((unsigned char)s[10]) && put_date(y, mo, d, out))
            return 1;
    }
    return 0;
}

/* ---- Titles, names ----------------------------------------------------- */

static int is_sep(const char *s, size_t *len)
{
    static const char *const seps[] = {" | ", " - ", " \xE2\x80\x93 ", " \xE2\x80\x94 ", " \xC2\xBB ", " / ",
                                       " :: ", " \xC2\xB7 ", " \xE2\x80\xA2 ", " > ", " \\ "};
    for (size_t i = 0; i < sizeof seps / sizeof *seps; i++) {
        size_t k = strlen(seps[i]);
        if (strncmp(s, seps[i], k) == 0) {
            *len = k;
            return 1;
        }
    }
    return 0;
}

static int same_text(const char *a, size_t an, const char *b)
{
    size_t bn = strlen(b);
    if (an != bn) return 0;
    for (size_t i = 0; i < an; i++)
        if (tolower((unsigned char)a[i]) != tolower((unsigned char)b[i])) return 0;
    return 1;
}

static size_t count_words(const char *s, size_t n)
{
    size_t w = 0;
    for (size_t i = 0; i < n; i++)
        if (!isspace((unsigned char)s[i]) && (i == 0 || isspace((unsigned char)s[i - 1]))) w++;
    return w;
}

/* Trims the site's name (or, for the <title> element without a known
 * site, the shorter segment after the last separator) from a title, in
 * place. */
static void trim_title(char *t, const char *site, int from_title_el)
{
    size_t n = strlen(t), first = 0, first_len = 0, last = 0, last_len = 0;
    int seps = 0;
    for (size_t i = 0; i < n; i++) {
        size_t k;
        if (is_sep(t + i, &k)) {
            if (!seps++) {
                first = i;
                first_len = k;
            }
            last = i;
            last_len = k;
        }
    }
    if (!seps) return;
    if (site && *site) {
        if (same_text(t + last + last_len, n - last - last_len, site)) {
            t[last] = 0;
            return;
        }
        if (same_text(t, first, site)) {
            memmove(t, t + first + first_len, n - first - first_len + 1);
            return;
        }
    }
    if (!from_title_el) return;
    /* Readability's rule: the part before the last separator, unless that
     * leaves fewer than three words, then the part after the first. */
    if (count_words(t, last) >= 3) {
        t[last] = 0;
    } else if (count_words(t + first + first_len, n - first - first_len) >= 3) {
        memmove(t, t + first + first_len, n - first - first_len + 1);
    }
}

static char *collapse(const char *s)
{
    html_buf b = {0};
    if (!s) return NULL;
    hb_put_collapsed(&b, s, strlen(s));
    char *r = hb_take(&b);
    free(b.s);
    return r;
}

static int is_word_start(const char *a, const char *p)
{
    return p == a || !isalnum((unsigned char)p[-1]);
}

/* Where a byline's names end: at a date, a time, a separator, or a comma
 * before a job title ("Jane Roe, Senior Editor"). */
static size_t names_end(const char *a)
{
    static const char *const roles[] = {"editor", "writer", "reporter", "correspondent", "staff", "columnist",
                                        "contributor", "senior", "chief", "producer", "director", "technologist",
                                        "analyst", "associate", "special to", "published", "updated", "posted",
                                        "last updated", NULL};
    static const char *const dates[] = {"published", "updated", "posted", "last updated", NULL};
    static const char *const days[] = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
                                       "sunday", NULL};
    size_t n = strlen(a);
    for (size_t i = 0; i < n; i++) {
        const char *p = a + i;
        if (is_word_start(a, p))
            for (size_t d = 0; days[d]; d++)
                if (strncasecmp(p, days[d], strlen(days[d])) == 0) return i;
        if (i == 0)
            for (size_t r = 0; dates[r]; r++)
                if (strncasecmp(p, dates[r], strlen(dates[r])) == 0) return 0;
        if (isdigit((unsigned char)*p) || *p == '|' || *p == '@' || strncmp(p, " - ", 3) == 0 ||
            strncmp(p, " \xE2\x80\x94", 4) == 0 || strncmp(p, " \xE2\x80\x93", 4) == 0 ||
            strncmp(p, "\xE2\x80\xA2", 3) == 0 || strncmp(p, "\xC2\xB7", 2) == 0)
            return i;
        if (i > 0 && is_word_start(a, p) && month_at(p)) { /* "May 2", "Jan. 5" */
            const char *q = p;
            while (isalpha((unsigned char)*q)) q++;
            if (*q == '.') q++;
            while (*q == ' ') q++;
            if (isdigit((unsigned char)*q)) return i;
        }
        if (*p == ',' || *p == ' ') {
            const char *q = p + 1;
            while (*q == ' ') q++;
            for (size_t r = 0; roles[r]; r++)
                if (strncasecmp(q, roles[r], strlen(roles[r])) == 0) return i;
        }
    }
    return n;
}

/* "A; B; A" -> "A; B", in place (pages list an author in several
 * places); NULL when nothing is left. */
static char *unique_names(char *s)
{
    char *o = s, *p = s;
    while (*p) {
        char *e = strstr(p, "; ");
        size_t k = e ? (size_t)(e - p) : strlen(p);
        int seen = k == 0;
        for (char *q = s; !seen && q < o;) {
            char *qe = strstr(q, "; ");
            size_t qk = qe && qe < o ? (size_t)(qe - q) : (size_t)(o - q);
            if (qk == k && strncasecmp(q, p, k) == 0) seen = 1;
            q += qk;
            if (q < o) q += 2;
        }
        if (!seen) {
            if (o > s) {
                memcpy(o, "; ", 2);
                o += 2;
            }
            memmove(o, p, k);
            o += k;
        }
        p += k;
        if (*p) p += 2;
    }
    *o = 0;
    if (!*s) {
        free(s);
        return NULL;
    }
    return s;
}

/* "By Jane Roe and John Doe, Staff Writers | May 2" -> "Jane Roe; John
 * Doe"; NULL when nothing is left or it is a url. */
static char *clean_author(const char *s)
{
    char *a = collapse(s);
    if (!a) return NULL;
    static const char *const lead[] = {"written by ", "posted by ", "by: ", "by ", "par ", "von ", "por ", "door ", "di "};
    /* "Tech Industry by Jane Roe": the names follow "by" */
    for (char *p = a; *p; p++)
        if (is_word_start(a, p) && (strncasecmp(p, "by ", 3) == 0 || strncasecmp(p, "by: ", 4) == 0) && p > a) {
            memmove(a, p, strlen(p) + 1);
            break;
        }
    for (size_t i = 0; i < sizeof lead / sizeof *lead; i++) {
        size_t k = strlen(lead[i]);
        if (strncasecmp(a, lead[i], k) == 0) {
            memmove(a, a + k, strlen(a + k) + 1);
            break;
        }
    }
    if (strncmp(a, "http", 4) == 0 || strlen(a) > 300) {
        free(a);
        return NULL;
    }
    size_t n = names_end(a);
    while (n > 0 && (a[n - 1] == ' ' || a[n - 1] == ',' || a[n - 1] == '-')) n--;
    a[n] = 0;
    /* names joined by ", ", " and ", " & ", " et ", " y ", " und " -> "; " */
    html_buf b = {0};
    static const char *const joins[] = {", ", " and ", " & ", " et ", " y ", " und ", " e ", "; ", NULL};
    for (const char *p = a; *p;) {
        size_t k = 0;
        for (size_t j = 0; joins[j] && !k; j++)
            if (strncmp(p, joins[j], strlen(joins[j])) == 0) k = strlen(joins[j]);
        if (k) {
            hb_puts(&b, "; ");
            p += k;
        } else {
            hb_put(&b, p++, 1);
        }
    }
    free(a);
    char *r = hb_take(&b);
    free(b.s);
    return r ? unique_names(r) : NULL;
}

/* ---- The walk ---------------------------------------------------------- */

static void read_element(meta_facts *m, const xmlNode *n, int tag)
{
    switch (tag) {
    case T_META:
        read_meta(m, n);
        break;
    case T_TITLE:
        if (!m->title_el) m->title_el = n;
        break;
    case T_H1:
        if (!m->h1) m->h1 = n;
        break;
    case T_LINK: {
        const char *rel = html_attr(n, "rel"), *href = html_attr(n, "href");
        if (rel && href && *href && !m->canonical && html_has_word(rel, "canonical")) m->canonical = href;
        break;
    }
    case T_SCRIPT: {
        const char *type = html_attr(n, "type");
        if (type && html_has_word(type, "ld+json")) read_ld(m, n);
        break;
    }
    case T_TIME: {
        const char *dt = html_attr(n, "datetime");
        if (!dt) break;
        if (!m->time_date) m->time_date = dt;
        if (!m->time_pub && (html_attr(n, "pubdate") || html_has_word(html_attr(n, "class") ? html_attr(n, "class") : "", "publish")))
            m->time_pub = dt;
        break;
    }
    case T_HTML: {
        const char *l = html_attr(n, "lang");
        if (!l) l = html_attr(n, "xml:lang");
        if (l && *l && !m->lang) m->lang = l;
        break;
    }
    default:
        break;
    }
    if (tag == T_A && !m->author_el) {
        const char *rel = html_attr(n, "rel");
        if (rel && strcmp(rel, "author") == 0) m->author_el = n;
    }
    const char *ip = html_attr(n, "itemprop");
    if (ip && !m->author_el && tag != T_META && tag != T_LINK && strstr(ip, "author")) m->author_el = n;
    if (!m->itemprop_date) {
        if (ip && html_has_word(ip, "datepublished") && tag != T_META) {
            const char *v = html_attr(n, "datetime");
            if (!v) v = html_attr(n, "content");
            if (v) m->itemprop_date = v;
        }
    }
}

void html_meta(xmlDoc *doc, const char *url, sayso_page *page, char **author_el)
{
    *author_el = NULL;
    meta_facts m;
    memset(&m, 0, sizeof m);
    xmlNode *root = xmlDocGetRootElement(doc), *n = root;
    while (n) {
        int descend = 0;
        if (n->type == XML_ELEMENT_NODE) {
            int tag = html_tag(n);
            read_element(&m, n, tag);
            descend = n->children && tag != T_SCRIPT && tag != T_STYLE && tag != T_SVG;
        }
        if (descend) {
            n = n->children;
            continue;
        }
        while (n && n != root && !n->next) n = n->parent;
        if (!n || n == root) break;
        n = n->next;
    }

    /* site first: titles are trimmed of it */
    const char *site = m.ld_site;
    for (size_t i = 0; !site && i < N_SITE; i++)
        if (m.site[i] && *m.site[i] && !(i == 2 && m.site[i][0] == '@')) site = m.site[i];
    page->site = collapse(site);

    char *title = collapse(m.ld_title);
    int from_title_el = 0;
    for (size_t i = 0; !title && i < N_TITLE; i++) title = collapse(m.title[i]);
    html_buf b = {0};
    char *title_el = NULL;
    if (m.title_el) {
        html_text(m.title_el, &b);
        title_el = hb_take(&b);
    }
    /* JSON-LD with a headline and a name: the one the <title> repeats */
    if (title && m.ld_name && title_el && !html_has_word(title_el, m.ld_headline) && html_has_word(title_el, m.ld_name) &&
        !(page->site && html_has_word(page->site, m.ld_name))) {
        free(title);
        title = collapse(m.ld_name);
    }
    if (!title && title_el) {
        title = title_el;
        title_el = NULL;
        from_title_el = 1;
    }
    free(title_el);
    if (!title && m.h1) {
        html_text(m.h1, &b);
        title = hb_take(&b);
    }
    if (title) trim_title(title, page->site, from_title_el);
    page->title = title;

    char d[11];
    const char *dates[] = {m.ld_date, NULL};
    int found = 0;
    for (size_t i = 0; !found && dates[i]; i++) found = html_parse_date(dates[i], d);
    for (size_t i = 0; !found && i < N_DATE; i++) found = html_parse_date(m.date[i], d);
    if (!found) found = html_parse_date(m.ld_any_date, d);
    if (!found) found = html_parse_date(m.itemprop_date, d);
    if (!found) found = html_parse_date(m.time_pub, d);
    if (!found) found = html_parse_date(m.time_date, d);
    if (!found) found = url_date(m.canonical, d) || url_date(m.og_url, d) || url_date(url, d);
    page->date = found ? strdup(d) : NULL;

    char *authors = NULL;
    if (m.ld_authors.len) authors = clean_author(m.ld_authors.s);
    for (size_t i = 0; !authors && author_keys[i]; i++) {
        if (i == N_AUTHOR - 2 && m.author[i] && m.author[i][0] == '@') continue; /* twitter:creator */
        if (strcmp(author_keys[i], "author") == 0 && m.meta_authors.len) authors = clean_author(m.meta_authors.s);
        else authors = clean_author(m.author[i]);
    }
    page->authors = authors;
    /* "Headline | Jane Roe": a title may end with its byline too */
    if (page->title && authors && !strchr(authors, ';')) trim_title(page->title, authors, 0);
    if (!authors && m.author_el) {
        html_text(m.author_el, &b);
        char *t = hb_take(&b);
        size_t chars = 0;
        for (const char *p = t; p && *p; p++) chars += ((unsigned char)*p & 0xC0) != 0x80;
        if (chars < 100) *author_el = t;
        else free(t);
    }
    free(b.s);
    free(m.ld_authors.s);
    free(m.meta_authors.s);

    const char *lang = m.lang ? m.lang : m.content_lang;
    page->lang = collapse(lang);

    const char *canon = m.canonical ? m.canonical : m.og_url;
    if (canon && *canon) {
        xmlChar *abs = url ? xmlBuildURI((const xmlChar *)canon, (const xmlChar *)url) : NULL;
        if (abs) {
            page->url = strdup((const char *)abs);
            xmlFree(abs);
        } else if (strstr(canon, "://")) {
            page->url = collapse(canon);
        }
    }
    if (!page->url && url) page->url = strdup(url);
    free(m.ld_title);
    free(m.ld_date);
    free(m.ld_site);
    free(m.ld_any_date);
    free(m.ld_headline);
    free(m.ld_name);
}

void html_meta_byline(sayso_page *page, const char *byline, const char *author_el)
{
    if (!page->authors && byline) page->authors = clean_author(byline);
    if (!page->authors && author_el) page->authors = clean_author(author_el);
}
