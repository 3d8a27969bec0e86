/* TEMPORARY STUB: replaced by the real pipeline. */
#include <stdlib.h>
#include <string.h>
#include <ctype.h>
#include "sayso.h"

struct sayso_extractor { sayso_quote *q; size_t cap; };

sayso_extractor *sayso_extractor_new(void) { return calloc(1, sizeof(sayso_extractor)); }
void sayso_extractor_free(sayso_extractor *ex) { if (ex) { free(ex->q); free(ex); } }

int sayso_extract(sayso_extractor *ex, const sayso_article *art, const sayso_quote **quotes, size_t *n)
{
    (void)ex; (void)art; *quotes = NULL; *n = 0; return 0;
}

const char *sayso_quote_type_name(sayso_quote_type t)
{
    switch (t) { case SAYSO_DIRECT: return "direct"; case SAYSO_MIXED: return "mixed"; default: return "indirect"; }
}

size_t sayso_parse_date_header(const char *text, size_t len, char date_out[11])
{
    size_t i = 0;
    date_out[0] = 0;
    if (i < len && text[i] == ' ') i++;
    if (len - i < 15 || memcmp(text + i, "date ", 5) != 0) return 0;
    i += 5;
    const char *d = text + i;
    for (int k = 0; k < 10; k++) {
        if (k == 4 || k == 7) { if (d[k] != '-') return 0; }
        else if (!isdigit((unsigned char)d[k])) return 0;
    }
    i += 10;
    if (i < len && text[i] != ' ' && text[i] != '\n' && text[i] != '\r') return 0;
    memcpy(date_out, d, 10); date_out[10] = 0;
    while (i < len && text[i] == ' ') i++;
    return i;
}
