/*
 * htmlint.h — what the three parts of HTML reading share: html.c (parsing,
 * charset, the public function), content.c (the article body) and meta.c
 * (title, date, authors, site, language, canonical url). Internal to
 * src/read/.
 *
 * All three work on libxml2's tree without copying it: attribute values and
 * text are read in place, and the only allocations are the growing output
 * buffers and one array of per-element facts in content.c.
 */
#ifndef SAYSO_HTMLINT_H
#define SAYSO_HTMLINT_H

#include <stddef.h>
#include <libxml/tree.h>
#include "html.h"

/* The elements the extractor tells apart; everything else is T_OTHER. */
enum {
    T_OTHER, T_A, T_ABBR, T_ARTICLE, T_ASIDE, T_B, T_BLOCKQUOTE, T_BODY, T_BR, T_BUTTON,
    T_CAPTION, T_CODE, T_DD, T_DIV, T_DL, T_DT, T_EM, T_EMBED, T_FIELDSET, T_FIGCAPTION,
    T_FIGURE, T_FOOTER, T_FORM, T_H1, T_H2, T_H3, T_H4, T_H5, T_H6, T_HEAD, T_HEADER,
    T_HR, T_HTML, T_I, T_IFRAME, T_IMG, T_INPUT, T_LI, T_LINK, T_MAIN, T_META, T_NAV,
    T_NOSCRIPT, T_OBJECT, T_OL, T_OPTION, T_P, T_PRE, T_SCRIPT, T_SECTION, T_SELECT,
    T_SPAN, T_STRONG, T_STYLE, T_SVG, T_TABLE, T_TBODY, T_TD, T_TEMPLATE, T_TEXTAREA,
    T_TH, T_THEAD, T_TIME, T_TITLE, T_TR, T_UL, T_MATH, T_CANVAS, T_VIDEO, T_AUDIO,
    T_MENU, T_DIALOG, T_LABEL, T_SUMMARY, T_DETAILS, T_TFOOT, T_CENTER, T_ADDRESS
};

/* The tag of an element node (libxml2's HTML parser lower-cases names). */
int html_tag(const xmlNode *n);

/* An attribute's value in place (no copy), or NULL. */
const char *html_attr(const xmlNode *n, const char *name);

/* A growing UTF-8 buffer; s is NUL-terminated when len > 0. */
typedef struct {
    char *s;
    size_t len, cap;
    int oom;
} html_buf;

void hb_put(html_buf *b, const char *s, size_t n);
void hb_puts(html_buf *b, const char *s);
/* Appends s[0..n) with whitespace runs collapsed to one space and
 * no space at the start of the buffer or doubled at the join. */
void hb_put_collapsed(html_buf *b, const char *s, size_t n);
/* The buffer's contents trimmed, as a malloc'd string (NULL if empty), and
 * the buffer emptied for reuse. */
char *hb_take(html_buf *b);

/* Every text below n (skipping script, style and the like), whitespace
 * collapsed and trimmed, appended to b. Iterative: depth does not matter. */
void html_text(const xmlNode *n, html_buf *b);

/* Case-insensitive substring test on ASCII. */
int html_has_word(const char *hay, const char *needle);

/* Metadata, in two steps around content extraction: html_meta reads
 * everything but the byline found in the body, which html_content reports;
 * html_meta_byline then fills page->authors, if nothing better was found,
 * from that byline or else from *author_el, the text of the page's first
 * rel=author link or itemprop=author element (malloc'd, or NULL). */
void html_meta(xmlDoc *doc, const char *url, sayso_page *page, char **author_el);
void html_meta_byline(sayso_page *page, const char *byline, const char *author_el);

/* The article body of doc into page->text and page->len (and
 * page->embeds); title, when known, drops a heading that repeats it.
 * *byline receives the text of a byline element found (malloc'd) or NULL.
 * Returns 0, or -1 when out of memory. */
int html_content(xmlDoc *doc, const char *title, sayso_page *page, char **byline);

/* "2019-04-28T06:01" and friends to "YYYY-MM-DD" in out[11]; 1 on success. */
int html_parse_date(const char *s, char out[11]);

#endif
