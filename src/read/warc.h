/*
 * warc.h — web crawls: articles from WARC files (*.warc, *.warc.gz).
 *
 * Owns the WARC layer of reading: gzip members (one per record, as Common
 * Crawl writes them, or one for the whole file), record headers and blocks,
 * the HTTP response inside a record (status line, headers, chunked transfer
 * encoding, gzip/deflate content encoding, charset) and the hand-over of an
 * HTML payload to sayso_html_extract (html.h). Records that are not HTML
 * responses (request, metadata, warcinfo, revisit, images, ...) are skipped
 * and counted; broken ones (a truncated gzip member, a Content-Length that
 * lies, a missing header, binary garbage) are reported as
 * "FILE: record N (offset X): message", and reading resumes at the next gzip
 * member or the next "WARC/1." line.
 *
 * Memory: at most one record is held (its block is capped at
 * SAYSO_WARC_MAX_BLOCK; a bigger one is skipped as it streams past), in
 * buffers reused from record to record.
 */
#ifndef SAYSO_WARC_H
#define SAYSO_WARC_H

#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
#include "sayso.h"

#define SAYSO_WARC_MAX_BLOCK ((size_t)64 << 20)

typedef struct sayso_warc sayso_warc;

/* Where the raw bytes come from: like read(2), it fills up to n bytes of buf
 * and returns how many, 0 at the end, -1 on an error (with errno set). The
 * bytes may be gzip (detected by the magic at the start) or plain. */
typedef ssize_t (*sayso_warc_source)(void *ctx, void *buf, size_t n);

/* name: the file, for messages; err: where messages go (NULL: silent).
 * NULL when out of memory. */
sayso_warc *sayso_warc_new(sayso_warc_source src, void *ctx, const char *name, FILE *err);
void sayso_warc_free(sayso_warc *w);

/* One record of the crawl, as the WARC layer sees it. Pointers live until
 * the next call. */
typedef struct {
    size_t number;        /* 1-based, counting every record of the file */
    uint64_t offset;      /* of the record, or of its gzip member, in the file */
    const char *type;     /* WARC-Type ("response", "request", ...) */
    const char *uri;      /* WARC-Target-URI, or "" */
    const char *date;     /* WARC-Date, or "" */
    const char *content_type; /* of the record's block */
    const char *block;    /* the block (for a response, the HTTP message) */
    size_t len;
} sayso_warc_record;

/* The next well-formed record (of any type), after reporting the broken
 * ones on the way: 1, or 0 at the end of the input. */
int sayso_warc_next_record(sayso_warc *w, sayso_warc_record *rec);

/* An HTML page of the crawl: the payload of a response record, its HTTP
 * encodings undone. Pointers live until the next call. */
typedef struct {
    sayso_warc_record rec;
    const char *html;
    size_t len;
    const char *charset; /* from the HTTP Content-Type, or NULL */
} sayso_warc_page;

/* The next HTML page, skipping and counting other records: 1, or 0 at the
 * end of the input. */
int sayso_warc_next_page(sayso_warc *w, sayso_warc_page *page);

/* The next article: the next HTML page through sayso_html_extract, with
 * WARC-Target-URI as its id and url and WARC-Date as the fallback date.
 * Its strings live until the next call. 1, or 0 at the end. */
int sayso_warc_next_article(sayso_warc *w, sayso_article *art);

typedef struct {
    size_t records;      /* every record met, broken ones included */
    size_t pages;        /* HTML pages handed out */
    size_t other_types;  /* request, metadata, warcinfo, revisit, ... */
    size_t not_html;     /* responses whose payload is not HTML */
    size_t not_ok;       /* responses with an HTTP status other than 2xx */
    size_t broken;       /* reported and skipped: bad record, gzip error,
                            bad HTTP message, unusable page */
} sayso_warc_counts;

void sayso_warc_get_counts(const sayso_warc *w, sayso_warc_counts *c);

/* The number of the record last handed out (for messages). */
size_t sayso_warc_record_number(const sayso_warc *w);

/* Prints the summary line of the counts ("sayso: FILE: N records: ...")
 * on the error stream, if any. */
void sayso_warc_report_counts(const sayso_warc *w);

/* Whether data (the first bytes of an input, already decompressed) starts
 * a WARC file. */
int sayso_warc_sniff(const char *data, size_t len);

#endif
