/*
 * html.h — one web page in, one article out.
 *
 * Owns the public face of HTML reading: charset detection and conversion to
 * UTF-8 (html.c), main-content extraction (content.c) and metadata (meta.c).
 * Callers (the file reader, the WARC reader) hand over a page's raw bytes and
 * get back the article body and its metadata, all valid UTF-8.
 *
 * Embedded social posts (Twitter/X, Instagram, TikTok, Facebook) inside the
 * article are kept as their own paragraphs. When the poster is recoverable,
 * the post is introduced by one added line that the quotation pipeline
 * attributes, and the post's words are put in quotation marks:
 *
 *     NAME (@handle) posted on Twitter:
 *
 *     "the post's words"
 *
 * (NAME alone or "@handle posted on ..." when only one is known; the platform
 * is one of Twitter, Instagram, TikTok, Facebook). Those few words and the
 * quotation marks are the only text that extraction adds (double quotation
 * marks inside the post become single ones, as a nested quotation is
 * written); without a recoverable poster the post is kept as a plain
 * paragraph.
 */
#ifndef SAYSO_HTML_H
#define SAYSO_HTML_H

#include <stddef.h>

typedef struct {
    char *text; size_t len; /* UTF-8 article body: paragraphs, headings, list items separated by "\n\n" */
    char *title, *date /* YYYY-MM-DD or NULL */, *authors /* "A; B" */, *site, *lang, *url /* canonical */;
    size_t embeds;          /* embedded social posts kept */
} sayso_page;

/* html[0..len): the page's bytes; charset: from an HTTP Content-Type header,
 * or NULL; url: where it came from, or NULL (used for dates in URLs and
 * relative canonical links). Returns 0, or -1 with a message in err (page
 * unusable). On success err holds a warning worth showing (an unknown
 * charset, read as UTF-8), or is empty. Every string in *page is malloc'd and owned by the page (NULL
 * when absent); clear it with sayso_page_clear. Thread-safe: pages may be
 * extracted concurrently on different threads. */
int sayso_html_extract(const char *html, size_t len, const char *charset, const char *url, sayso_page *page, char *err, size_t errlen);
void sayso_page_clear(sayso_page *page); /* frees the strings, zeroes */

#endif
