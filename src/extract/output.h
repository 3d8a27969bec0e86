/*
 * output.h — writing quotations: JSON lines and the human-readable text form.
 *
 * Owns the output format described in the README (field names, offsets in
 * code points, null for absent parts). JSON is written by hand rather than
 * through cJSON because this is the hot path of `sayso extract` and a tree per
 * quote would be an allocation per field; escaping follows RFC 8259.
 */
#ifndef SAYSO_OUTPUT_H
#define SAYSO_OUTPUT_H

#include <stdio.h>
#include "sayso.h"

typedef enum { SAYSO_FORMAT_JSON, SAYSO_FORMAT_TEXT, SAYSO_FORMAT_SPEAKERS } sayso_format;

/* Writes the quotes of one article to out. */
void sayso_write_quotes(FILE *out, sayso_format fmt, const sayso_article *art,
                        const sayso_quote *q, size_t n);

/* What a person is told a quote is when it is not a direct one:
 * "partly quoted" (mixed), "reported speech" (indirect); NULL for a direct
 * quote, which is shown in quotation marks instead. The text format, `sayso
 * search` and the web page (web/app.js) use these words. */
const char *sayso_quote_type_label(sayso_quote_type t);

/* Writes s[0..len) as a JSON string literal, quotes included. */
void sayso_json_string(FILE *out, const char *s, size_t len);

#endif
