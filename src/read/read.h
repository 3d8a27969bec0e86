/*
 * read.h — reading articles: files, directories, stdin, JSONL and gzip.
 *
 * Owns everything between a command-line PATH and a clean sayso_article:
 * walking directories (sorted, recursive: *.txt, *.jsonl, *.html, *.htm,
 * *.warc and their .gz),
 * splitting JSONL into articles, the " date YYYY-MM-DD " header of text
 * files, and repairing bad bytes (invalid UTF-8 and NUL become U+FFFD) so that
 * later stages only ever see valid UTF-8. Problems are reported on the
 * caller's error stream as "FILE:LINE: message" and counted; reading always
 * goes on with the next article or file.
 */
#ifndef SAYSO_READ_H
#define SAYSO_READ_H

#include <stdio.h>
#include "html.h"
#include "sayso.h"

typedef struct sayso_reader sayso_reader;

/* paths: files, directories or "-" (stdin); n == 0 means stdin.
 * err: where warnings go (usually stderr); NULL silences them. */
sayso_reader *sayso_reader_new(const char *const *paths, size_t n, FILE *err);
void sayso_reader_free(sayso_reader *r);

/* Fills *art with the next article; its strings belong to the reader and
 * live until the next call. Returns 1 for an article, 0 at the end. */
int sayso_reader_next(sayso_reader *r, sayso_article *art);

/* A web page not yet extracted (see sayso_reader_next_item): its bytes and
 * what the input says about it. */
typedef struct {
    const char *html;
    size_t len;
    const char *charset; /* from an HTTP header, or NULL */
    const char *url;     /* WARC-Target-URI, or NULL */
    const char *id;      /* the article's id */
    const char *date;    /* a fallback date ("2024-03-05T10:20:30Z"), or NULL */
} sayso_raw_page;

/* Like sayso_reader_next, but a web page (an HTML file, a WARC response)
 * comes out as it is: returns 2 with *page set (its strings live until
 * the next call) and art untouched, so that the costly extraction can run
 * on another thread (sayso_page_article). 1: an article, 0: the end. */
int sayso_reader_next_item(sayso_reader *r, sayso_article *art, sayso_raw_page *page);

/* A raw page made an article: sayso_html_extract, then the id, url and
 * fallback date the input gave. Thread-safe. Its strings live in *page (and
 * date, 11 bytes) until sayso_page_clear. 0, or -1 with a message in err;
 * on success err holds a warning, or "". */
int sayso_page_article(const sayso_raw_page *raw, sayso_page *page, char date[11], sayso_article *art,
                       char *err, size_t errlen);

/* Reports a page that sayso_page_article could not use (counted as
 * skipped) or warned about (skipped = 0), by file and line or record. */
void sayso_reader_page_message(sayso_reader *r, const char *file, size_t line, const char *msg, int skipped);

/* Where the current article came from (for messages): file and line. */
const char *sayso_reader_file(const sayso_reader *r);
size_t sayso_reader_line(const sayso_reader *r);

/* Inputs or articles skipped (unreadable files, malformed JSON lines, ...).
 * Repaired articles are processed and only warned about, not counted. */
size_t sayso_reader_skipped(const sayso_reader *r);
/* Total bytes of article text delivered so far (for throughput figures). */
size_t sayso_reader_bytes(const sayso_reader *r);

/* Replaces invalid UTF-8 sequences and NUL bytes in buf[0..len) by U+FFFD,
 * writing into *out (malloc'd, caller frees) when a change was needed.
 * Returns the number of replacements (0: *out untouched, buf is clean). */
size_t sayso_utf8_repair(const char *buf, size_t len, char **out, size_t *out_len);

/* Reads a whole file, NUL-terminated (the NUL not counted in *len), for
 * the corpora that training and evaluation read whole. NULL with errno set
 * when it cannot. */
char *sayso_read_file(const char *path, size_t *len);

#endif
