/*
 * html.c — one web page's bytes to one article (html.h).
 *
 * Owns parsing and character sets, and the helpers content.c and meta.c
 * share (htmlint.h). The page is turned into valid UTF-8 before libxml2
 * sees it, so that the parser never guesses: the charset comes from the
 * HTTP header when the caller has one, else a byte-order mark, else a
 * <meta charset> or http-equiv declaration near the top of the page, else
 * UTF-8 when the bytes are valid UTF-8 and windows-1252 (what browsers
 * assume for undeclared Western pages) when they are not. ISO-8859-1 and
 * US-ASCII are read as windows-1252, as the HTML standard prescribes,
 * because pages so labelled routinely use its curly quotes and dashes.
 * Invalid UTF-8 becomes U+FFFD; other charsets go through iconv.
 */
#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>

#include "htmlint.h"
#include "read.h"

/* ---- Shared helpers ---------------------------------------------------- */

typedef struct {
    const char *name;
    int tag;
} tag_name;

static const tag_name tags[] = {
    {"a", T_A}, {"abbr", T_ABBR}, {"address", T_ADDRESS}, {"article", T_ARTICLE},
    {"aside", T_ASIDE}, {"audio", T_AUDIO}, {"b", T_B}, {"blockquote", T_BLOCKQUOTE},
    {"body", T_BODY}, {"br", T_BR}, {"button", T_BUTTON}, {"canvas", T_CANVAS},
    {"caption", T_CAPTION}, {"center", T_CENTER}, {"code", T_CODE}, {"dd", T_DD},
    {"details", T_DETAILS}, {"dialog", T_DIALOG}, {"div", T_DIV}, {"dl", T_DL},
    {"dt", T_DT}, {"em", T_EM}, {"embed", T_EMBED}, {"fieldset", T_FIELDSET},
    {"figcaption", T_FIGCAPTION}, {"figure", T_FIGURE}, {"footer", T_FOOTER},
    {"form", T_FORM}, {"h1", T_H1}, {"h2", T_H2}, {"h3", T_H3}, {"h4", T_H4},
    {"h5", T_H5}, {"h6", T_H6}, {"head", T_HEAD}, {"header", T_HEADER}, {"hr", T_HR},
    {"html", T_HTML}, {"i", T_I}, {"iframe", T_IFRAME}, {"img", T_IMG},
    {"input", T_INPUT}, {"label", T_LABEL}, {"li", T_LI}, {"link", T_LINK},
    {"main", T_MAIN}, {"math", T_MATH}, {"menu", T_MENU}, {"meta", T_META},
    {"nav", T_NAV}, {"noscript", T_NOSCRIPT}, {"object", T_OBJECT}, {"ol", T_OL},
    {"option", T_OPTION}, {"p", T_P}, {"pre", T_PRE}, {"script", T_SCRIPT},
    {"section", T_SECTION}, {"select", T_SELECT}, {"span", T_SPAN},
    {"strong", T_STRONG}, {"style", T_STYLE}, {"summary", T_SUMMARY}, {"svg", T_SVG},
    {"table", T_TABLE}, {"tbody", T_TBODY}, {"td", T_TD}, {"template", T_TEMPLATE},
    {"textarea", T_TEXTAREA}, {"tfoot", T_TFOOT}, {"th", T_TH}, {"thead", T_THEAD},
    {"time", T_TIME}, {"title", T_TITLE}, {"tr", T_TR}, {"ul", T_UL}, {"video", T_VIDEO},
};

/* An open-addressing table over the names (a third full), so that a
 * lookup costs a hash of a few bytes and usually one strcmp. */
#define TAG_SLOTS 256
static unsigned char tag_slots[TAG_SLOTS]; /* index into tags + 1, 0: empty */
static pthread_once_t tag_once = PTHREAD_ONCE_INIT;

static unsigned tag_hash(const char *s)
{
    unsigned h = 2166136261u;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static void init_tags(void)
{
    for (size_t i = 0; i < sizeof tags / sizeof *tags; i++) {
        unsigned h = tag_hash(tags[i].name) % TAG_SLOTS;
        while (tag_slots[h]) h = (h + 1) % TAG_SLOTS;
        tag_slots[h] = (unsigned char)(i + 1);
    }
}

int html_tag(const xmlNode *n)
{
    if (n->type != XML_ELEMENT_NODE || !n->name) return T_OTHER;
    pthread_once(&tag_once, init_tags);
    const char *name = (const char *)n->name;
    for (unsigned h = tag_hash(name) % TAG_SLOTS; tag_slots[h]; h = (h + 1) % TAG_SLOTS)
        if (strcmp(tags[tag_slots[h] - 1].name, name) == 0) return tags[tag_slots[h] - 1].tag;
    return T_OTHER;
}

const char *html_attr(const xmlNode *n, const char *name)
{
    if (n->type != XML_ELEMENT_NODE) return NULL;
    for (const xmlAttr *a = n->properties; a; a = a->next)
        if (strcmp((const char *)a->name, name) == 0) {
            const xmlNode *v = a->children;
            return v && v->type == XML_TEXT_NODE && v->content ? (const char *)v->content : "";
        }
    return NULL;
}

int html_has_word(const char *hay, const char *needle)
{
    size_t k = strlen(needle);
    for (; *hay; hay++) {
        size_t i = 0;
        while (i < k && hay[i] && tolower((unsigned char)hay[i]) == tolower((unsigned char)needle[i])) i++;
        if (i == k) return 1;
    }
    return 0;
}

static void hb_grow(html_buf *b, size_t n)
{
    if (b->oom || b->len + n + 1 <= b->cap) return;
    size_t c = b->cap ? b->cap : 256;
    while (c < b->len + n + 1) c *= 2;
    char *s = realloc(b->s, c);
    if (!s) {
        b->oom = 1;
        return;
    }
    b->s = s;
    b->cap = c;
}

void hb_put(html_buf *b, const char *s, size_t n)
{
    hb_grow(b, n);
    if (b->oom) return;
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = 0;
}

void hb_puts(html_buf *b, const char *s)
{
    hb_put(b, s, strlen(s));
}

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

void hb_put_collapsed(html_buf *b, const char *s, size_t n)
{
    hb_grow(b, n + 1);
    if (b->oom) return;
    char *o = b->s + b->len;
    int space = b->len > 0 && b->s[b->len - 1] == ' ';
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (is_space(c)) {
            if (!space && o > b->s) *o++ = ' ';
            space = 1;
        } else {
            *o++ = (char)c;
            space = 0;
        }
    }
    b->len = (size_t)(o - b->s);
    b->s[b->len] = 0;
}

char *hb_take(html_buf *b)
{
    if (b->oom || !b->len) {
        b->len = 0;
        b->oom = 0;
        return NULL;
    }
    size_t i = 0, n = b->len;
    while (i < n && is_space((unsigned char)b->s[i])) i++;
    while (n > i && is_space((unsigned char)b->s[n - 1])) n--;
    char *s = NULL;
    if (n > i && (s = malloc(n - i + 1)) != NULL) {
        memcpy(s, b->s + i, n - i);
        s[n - i] = 0;
    }
    b->len = 0;
    return s;
}

static int is_hidden_text_tag(int t)
{
    return t == T_SCRIPT || t == T_STYLE || t == T_NOSCRIPT || t == T_TEMPLATE;
}

void html_text(const xmlNode *root, html_buf *b)
{
    const xmlNode *n = root->children;
    if (root->type == XML_TEXT_NODE || root->type == XML_CDATA_SECTION_NODE) {
        if (root->content) hb_put_collapsed(b, (const char *)root->content, strlen((const char *)root->content));
        return;
    }
    while (n && n != root) {
        if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
            if (n->content) hb_put_collapsed(b, (const char *)n->content, strlen((const char *)n->content));
        } else if (n->type == XML_ELEMENT_NODE && n->children && !is_hidden_text_tag(html_tag(n))) {
            if (html_tag(n) == T_BR || html_tag(n) == T_P) hb_put_collapsed(b, " ", 1);
            n = n->children;
            continue;
        }
        while (n != root && !n->next) n = n->parent;
        if (n == root) break;
        n = n->next;
    }
}

/* ---- Character sets ---------------------------------------------------- */

/* windows-1252's 0x80..0x9F; 0 where it has no character (those bytes map
 * to the C1 control of the same number, as browsers do). */
static const uint16_t cp1252_high[32] = {
    0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
    0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
};

static size_t put_utf8(char *o, unsigned cp)
{
    if (cp < 0x80) { o[0] = (char)cp; return 1; }
    if (cp < 0x800) {
        o[0] = (char)(0xC0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    o[0] = (char)(0xE0 | (cp >> 12));
    o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    o[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
}

static char *from_cp1252(const char *s, size_t n, size_t *out_len)
{
    char *o = malloc(n * 3 + 1);
    if (!o) return NULL;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            o[k++] = c ? (char)c : ' ';
            continue;
        }
        unsigned cp = c >= 0xA0 ? c : cp1252_high[c - 0x80];
        k += put_utf8(o + k, cp ? cp : c);
    }
    o[k] = 0;
    *out_len = k;
    return o;
}

/* Through iconv; an invalid or unconvertible byte becomes U+FFFD. NULL when
 * iconv does not know the charset (errno EINVAL) or memory ran out. */
static char *via_iconv(const char *cs, const char *s, size_t n, size_t *out_len)
{
    iconv_t cd = iconv_open("UTF-8", cs);
    if (cd == (iconv_t)-1) return NULL;
    size_t cap = n * 2 + 16;
    char *out = malloc(cap + 1);
    if (!out) {
        iconv_close(cd);
        return NULL;
    }
    char *in = (char *)s, *o = out;
    size_t inleft = n, oleft = cap;
    while (inleft > 0) {
        size_t r = iconv(cd, &in, &inleft, &o, &oleft);
        if (r != (size_t)-1) break;
        if (errno == E2BIG || oleft < 4) {
            size_t used = (size_t)(o - out);
            cap *= 2;
            char *no = realloc(out, cap + 1);
            if (!no) {
                free(out);
                iconv_close(cd);
                return NULL;
            }
            out = no;
            o = out + used;
            oleft = cap - used;
            continue;
        }
        /* EILSEQ or EINVAL (truncated at the end): skip a byte. */
        memcpy(o, "\xEF\xBF\xBD", 3);
        o += 3;
        oleft -= 3;
        in++;
        inleft--;
        iconv(cd, NULL, NULL, NULL, NULL);
    }
    iconv_close(cd);
    *out_len = (size_t)(o - out);
    out[*out_len] = 0;
    return out;
}

static int ascii_ieq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if ((*a | 0x20) != (*b | 0x20)) return 0;
    return *a == *b;
}

/* Copies a charset label (up to a quote, ';', space or '>') into out. */
static void copy_label(const char *p, const char *end, char *out, size_t cap)
{
    while (p < end && (is_space((unsigned char)*p) || *p == '"' || *p == '\'' || *p == '=')) p++;
    size_t k = 0;
    while (p < end && k + 1 < cap && !is_space((unsigned char)*p) && *p != '"' && *p != '\'' &&
           *p != ';' && *p != '>' && *p != '/' && *p != ',')
        out[k++] = *p++;
    out[k] = 0;
}

static const char *find_ci(const char *p, const char *end, const char *needle)
{
    size_t k = strlen(needle);
    for (; p + k <= end; p++) {
        size_t i = 0;
        while (i < k && (p[i] | 0x20) == needle[i]) i++;
        if (i == k) return p;
    }
    return NULL;
}

/* The charset a <meta> near the top declares ("<meta charset=x>" or
 * http-equiv content="text/html; charset=x"), or an XML declaration's. */
static void meta_charset(const char *s, size_t n, char *out, size_t cap)
{
    const char *end = s + (n < 8192 ? n : 8192), *p = s;
    out[0] = 0;
    if (n > 5 && memcmp(s, "<?xml", 5) == 0) {
        const char *q = memchr(s, '>', (size_t)(end - s));
        const char *e = q ? find_ci(s, q, "encoding") : NULL;
        if (e) {
            copy_label(e + 8, q, out, cap);
            return;
        }
    }
    while ((p = find_ci(p, end, "<meta")) != NULL) {
        const char *q = memchr(p, '>', (size_t)(end - p));
        if (!q) return;
        const char *c = find_ci(p, q, "charset");
        if (c) {
            copy_label(c + 7, q, out, cap);
            if (out[0]) return;
        }
        p = q;
    }
}

static int has_high(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] >= 0x80) return 1;
    return 0;
}

/* The page in UTF-8: *out is malloc'd when a conversion was needed, else
 * NULL: the input after *skip bytes of byte-order mark is clean UTF-8.
 * note gets a warning, if any. */
static int to_utf8(const char *s, size_t n, const char *hint, char **out, size_t *out_len, size_t *skip,
                   char *note, size_t notelen)
{
    char label[64] = "";
    int from_meta = 0;
    *out = NULL;
    *skip = 0;
    if (hint && *hint) {
        const char *c = find_ci(hint, hint + strlen(hint), "charset=");
        copy_label(c ? c + 8 : hint, hint + strlen(hint), label, sizeof label);
    }
    if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
        s += 3;
        n -= 3;
        *skip = 3;
        strcpy(label, "utf-8");
    } else if (n >= 2 && (memcmp(s, "\xFF\xFE", 2) == 0 || memcmp(s, "\xFE\xFF", 2) == 0)) {
        strcpy(label, s[0] == '\xFF' ? "UTF-16LE" : "UTF-16BE");
        s += 2;
        n -= 2;
    } else if (!label[0]) {
        meta_charset(s, n, label, sizeof label);
        from_meta = label[0] != 0;
    }
    /* Bytes above ASCII that are all valid UTF-8 are UTF-8 whatever the
     * label says: legacy encodings almost never form valid sequences by
     * accident, while pages re-saved as UTF-8 keep their old <meta> and
     * servers send a default charset for any page. */
    if (label[0] && !ascii_ieq(label, "utf-8") && !(html_has_word(label, "utf-16") && !from_meta) && has_high(s, n)) {
        size_t dummy;
        char *fixed = NULL;
        if (sayso_utf8_repair(s, n, &fixed, &dummy) == 0) strcpy(label, "utf-8");
        free(fixed);
    }
    static const char *const latin[] = {"iso-8859-1", "iso8859-1", "latin1", "l1", "us-ascii", "ascii",
                                        "windows-1252", "cp1252", "x-cp1252", "iso_8859-1", "cp819", "ibm819"};
    int cp1252 = 0, utf8 = 0;
    if (!label[0]) {
        /* Undeclared: windows-1252 when most bytes above ASCII are not
         * UTF-8 (in UTF-8 text each character takes two or more), else
         * UTF-8 with its few bad bytes replaced. */
        size_t dummy, high = 0;
        char *fixed = NULL;
        size_t bad = sayso_utf8_repair(s, n, &fixed, &dummy);
        free(fixed);
        for (size_t i = 0; bad && i < n; i++) high += (unsigned char)s[i] >= 0x80;
        if (bad && bad * 3 >= high) cp1252 = 1;
        else utf8 = 1;
    } else if (ascii_ieq(label, "utf-8") || ascii_ieq(label, "utf8") || ascii_ieq(label, "unicode-1-1-utf-8")) {
        utf8 = 1;
    } else {
        for (size_t i = 0; i < sizeof latin / sizeof *latin; i++)
            if (ascii_ieq(label, latin[i])) cp1252 = 1;
    }
    if (cp1252) {
        *out = from_cp1252(s, n, out_len);
        return *out ? 0 : -1;
    }
    if (!utf8) {
        /* A page declaring UTF-16 in a <meta> is not UTF-16 (the <meta>
         * was readable as ASCII); browsers read it as UTF-8. */
        if (!(from_meta && html_has_word(label, "utf-16"))) {
            *out = via_iconv(label, s, n, out_len);
            if (*out) return 0;
            if (errno == ENOMEM) return -1;
            snprintf(note, notelen, "unknown charset \"%s\", read as UTF-8", label);
        }
    }
    char *fixed = NULL;
    size_t fixed_len;
    if (sayso_utf8_repair(s, n, &fixed, &fixed_len)) {
        *out = fixed;
        *out_len = fixed_len;
        return 0;
    }
    *out_len = n;
    return 0;
}

/* ---- Raw text the extractor never reads --------------------------------- */

static int ci_prefix(const char *s, const char *end, const char *word)
{
    size_t k = strlen(word);
    if ((size_t)(end - s) < k) return 0;
    for (size_t i = 0; i < k; i++)
        if ((s[i] | 0x20) != word[i]) return 0;
    return 1;
}

/* The first "</tag" at or after p, or NULL. */
static const char *find_close(const char *p, const char *end, const char *tag)
{
    while ((p = memchr(p, '<', (size_t)(end - p))) != NULL) {
        if (p + 1 < end && p[1] == '/' && ci_prefix(p + 2, end, tag)) return p;
        p++;
    }
    return NULL;
}

/*
 * Copies s[0..n) to out (which may be s itself) without the contents of
 * <script> elements (JSON-LD excepted: meta.c reads it) and <style>
 * elements, and returns the new length. These raw-text elements are a
 * third to a half of a news page's bytes, none of it article text, and
 * libxml2 reads them a character at a time; their end is found here as
 * the HTML standard defines it (the first "</script" or "</style"), and
 * comments are stepped over whole so that a tag inside one is not taken
 * for real. Everything else is left to the parser.
 */
static size_t strip_raw_text(const char *s, size_t n, char *out)
{
    const char *p = s, *end = s + n, *run = s;
    char *o = out;
    int unclosed[2] = {0, 0}; /* no "</script" / "</style" left: stop looking (stays linear) */
    while ((p = memchr(p, '<', (size_t)(end - p))) != NULL) {
        if (ci_prefix(p, end, "<!--")) {
            const char *e = p + 4;
            while (e && (e = memchr(e, '-', (size_t)(end - e))) != NULL && !ci_prefix(e, end, "-->")) e++;
            if (!e) break;
            p = e + 3;
            continue;
        }
        const char *tag = ci_prefix(p + 1, end, "script") ? "script" : ci_prefix(p + 1, end, "style") ? "style" : NULL;
        const char *after = tag ? p + 1 + strlen(tag) : NULL;
        if (!tag || after >= end || !(*after == '>' || *after == '/' || *after == ' ' || *after == '\t' ||
                                     *after == '\n' || *after == '\r' || *after == '\f')) {
            p++;
            continue;
        }
        const char *gt = memchr(after, '>', (size_t)(end - after));
        if (!gt) break;
        int k = tag[1] == 'c' ? 0 : 1;
        const char *type = k == 0 ? find_ci(after, gt, "ld+json") : NULL;
        const char *close = type || unclosed[k] ? NULL : find_close(gt + 1, end, tag);
        if (!close) {
            if (!type) unclosed[k] = 1;
            p = gt + 1;
            continue;
        }
        memmove(o, run, (size_t)(gt + 1 - run));
        o += gt + 1 - run;
        run = p = close;
    }
    memmove(o, run, (size_t)(end - run));
    o += end - run;
    *o = 0;
    return (size_t)(o - out);
}

/* ---- The public function ----------------------------------------------- */

static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static void init_libxml(void)
{
    xmlInitParser();
}

void sayso_page_clear(sayso_page *page)
{
    if (!page) return;
    free(page->text);
    free(page->title);
    free(page->date);
    free(page->authors);
    free(page->site);
    free(page->lang);
    free(page->url);
    memset(page, 0, sizeof *page);
}

int sayso_html_extract(const char *html, size_t len, const char *charset, const char *url, sayso_page *page,
                       char *err, size_t errlen)
{
    memset(page, 0, sizeof *page);
    if (err && errlen) err[0] = 0;
    char note[128] = "";
    pthread_once(&init_once, init_libxml);
    if (len > (size_t)INT32_MAX) {
        snprintf(err, errlen, "page too large (%zu bytes)", len);
        return -1;
    }
    char *utf8 = NULL;
    size_t n = 0, skip = 0;
    if (to_utf8(html, len, charset, &utf8, &n, &skip, note, sizeof note) != 0) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    const char *src = utf8; /* converted in place, or copied from the input */
    if (!utf8) {
        src = html + skip;
        if (!(utf8 = malloc(n + 1))) {
            snprintf(err, errlen, "out of memory");
            return -1;
        }
    }
    n = strip_raw_text(src, n, utf8);
    int opts = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
               HTML_PARSE_COMPACT | HTML_PARSE_IGNORE_ENC | HTML_PARSE_NODEFDTD | XML_PARSE_HUGE;
    htmlDocPtr doc = htmlReadMemory(utf8, (int)n, url, "UTF-8", opts);
    free(utf8);
    if (!doc || !xmlDocGetRootElement(doc)) {
        if (doc) xmlFreeDoc(doc);
        snprintf(err, errlen, "no HTML content");
        return -1;
    }
    char *byline = NULL, *author_el = NULL;
    html_meta(doc, url, page, &author_el);
    int rc = html_content(doc, page->title, page, &byline);
    if (rc == 0) html_meta_byline(page, byline, author_el);
    free(byline);
    free(author_el);
    xmlFreeDoc(doc);
    if (rc != 0) {
        sayso_page_clear(page);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    if (note[0] && err) snprintf(err, errlen, "%s", note);
    return 0;
}
