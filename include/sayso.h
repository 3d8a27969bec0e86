/*
 * sayso.h — the public API of libsayso, a quotation extractor for news text.
 *
 * One call does the whole job: give sayso_extract() an article (UTF-8 text,
 * plus an optional id and date) and it returns every quotation it found, with
 * the spans of its content, its cue ("said", "wrote on Instagram:") and its
 * source mention, and the speaker that mention belongs to.
 *
 * Ownership is explicit and simple:
 *   - an extractor owns all memory it returns; a result stays valid until the
 *     next sayso_extract() on the same extractor, or until it is freed;
 *   - an extractor is not thread-safe, but extractors are independent: use
 *     one per thread.
 *
 * Offsets come twice: in Unicode code points (what the JSON output and
 * PolNeAR use; text[s:e] in Python) and in bytes (what C callers slice with).
 * All spans are half-open [start, end).
 */
#ifndef SAYSO_H
#define SAYSO_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SAYSO_VERSION "0.1.0"

/* A half-open span of the article text. */
typedef struct {
    size_t start, end;           /* code points */
    size_t byte_start, byte_end; /* bytes into sayso_article.text */
} sayso_span;

typedef enum {
    SAYSO_DIRECT = 0,   /* the content is all inside quotation marks */
    SAYSO_MIXED = 1,    /* a reported clause that quotes part of the words */
    SAYSO_INDIRECT = 2  /* reported speech without quotation marks */
} sayso_quote_type;

/* A quotation interrupted by its cue ("“A,” he said, “B.”") has several
 * content fragments; more than this many are merged into the last one. */
#define SAYSO_MAX_FRAGMENTS 8

typedef struct {
    sayso_span content[SAYSO_MAX_FRAGMENTS]; /* with the quotation marks */
    int n_content;
    sayso_span cue;      /* valid when has_cue */
    int has_cue;
    sayso_span source;   /* the mention the quote is attributed to */
    int has_source;
    const char *speaker; /* the source's entity under its fullest name, or NULL */
    const char *text;    /* the quoted words, without the enclosing marks,
                            fragments joined by " … " */
    sayso_quote_type type;
    double confidence;   /* 0..1: how sure the attribution is */

    /* Who the speaker is, as this article describes them. */
    int speaker_id;      /* the speaker's entity within this article (equal
                            ids: the same person), or -1. Someone described
                            but never named ("a spokeswoman for the
                            singer") has an id and descriptors, and a NULL
                            speaker */
    const char *const *descriptors; /* "41-year-old", "singer", "momma of
                            two": every description the article gives of
                            the speaker, in order of first appearance */
    size_t n_descriptors;
    int speaker_age;     /* when the article states it, else -1 */

    /* Where and when the words were said. */
    const char *channel;   /* "instagram", "twitter", "interview",
                              "statement", ... (see data/channels.txt), or
                              NULL when the text does not say */
    const char *addressee; /* "CNN" in "told CNN", or NULL */
    const char *said_on;   /* "YYYY-MM-DD", "YYYY-MM" or "YYYY", relative
                              to the article date, or NULL */
    const char *said_on_text; /* the words that place it ("on Thursday") */
} sayso_quote;

/* An article as the caller hands it in. Only text and len are required. */
typedef struct {
    const char *id;    /* document id, or NULL */
    const char *date;  /* YYYY-MM-DD, or NULL */
    const char *title; /* or NULL */
    const char *url;   /* or NULL */
    const char *text;  /* UTF-8; invalid sequences are tolerated but should
                          have been repaired by the reader */
    size_t len;        /* bytes */
    size_t body;       /* byte offset where the article body starts (after a
                          " date YYYY-MM-DD " header), 0 if none */
    /* What a web page or a JSONL record says about itself, or NULL. */
    const char *authors; /* bylines joined by "; " */
    const char *site;    /* the site's name ("The Daily Planet") */
    const char *lang;    /* language tag ("en", "en-GB") */
} sayso_article;

typedef struct sayso_extractor sayso_extractor;

/*
 * The trained models: a part-of-speech tagger and a dependency parser
 * (trained on the Universal Dependencies English Web Treebank) and the
 * attribution model (trained on PolNeAR), which together find attributions
 * without quotation marks. They are compiled into the library; `sayso
 * train` makes new ones. A set of models is read-only once loaded and can
 * be shared by any number of extractors and threads.
 */
typedef struct sayso_models sayso_models;

/* The models compiled into the library, loaded on first use and kept for
 * the life of the process (do not free them). NULL, with a message in err,
 * if they cannot be used. */
const sayso_models *sayso_models_builtin(char *err, size_t errlen);

/* Models from directory dir: each of tagger.model, parser.model and
 * attribution.model found there replaces the built-in one. NULL, with a
 * message naming the file, when one is damaged, truncated, of another
 * version, or does not fit the others. Free with sayso_models_free(). */
sayso_models *sayso_models_load(const char *dir, char *err, size_t errlen);
void sayso_models_free(sayso_models *m);

/* An extractor with the built-in models (or, if they cannot be loaded, the
 * hand-written rules alone). Returns NULL only when out of memory. */
sayso_extractor *sayso_extractor_new(void);

/* An extractor with models m, which must outlive it; NULL: the
 * hand-written rules alone, quotations with quotation marks and the
 * clearest reported speech. Returns NULL only when out of memory. */
sayso_extractor *sayso_extractor_new_with(const sayso_models *m);
void sayso_extractor_free(sayso_extractor *ex);

/*
 * Finds the quotations of one article, in document order (by first content
 * span). On success returns 0 and sets *quotes and *n; the array and every
 * string in it belong to the extractor and live until its next call.
 * Returns -1 when out of memory (then *n is 0).
 */
int sayso_extract(sayso_extractor *ex, const sayso_article *art,
                  const sayso_quote **quotes, size_t *n);

/* "direct", "mixed" or "indirect". */
const char *sayso_quote_type_name(sayso_quote_type t);

/*
 * Parses the optional header at the very start of a plain-text article:
 * " date YYYY-MM-DD " (the leading space is optional). On a match copies the
 * date into date_out (11 bytes, NUL-terminated) and returns the byte offset
 * where the body starts; otherwise returns 0 and leaves date_out empty.
 */
size_t sayso_parse_date_header(const char *text, size_t len, char date_out[11]);

#ifdef __cplusplus
}
#endif
#endif
