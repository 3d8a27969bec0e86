/*
 * output.c — quotations as JSON lines, as text for people, and by speaker.
 *
 * Owns the output formats of `sayso extract`:
 *
 *   JSON: one object per quotation, fields in a fixed order,
 *     {"doc": "…", "date": "YYYY-MM-DD"|null, "quote": "…",
 *      "content": [[s, e], …], "cue": [[s, e]]|null, "cue_text": "…"|null,
 *      "source": [[s, e]]|null, "source_text": "…"|null, "speaker": "…"|null,
 *      "type": "direct"|"mixed"|"indirect", "confidence": 0.87,
 *      "speaker_descriptors": ["…", …]|null, "speaker_age": 41|null,
 *      "channel": "…"|null, "addressee": "…"|null,
 *      "said_on": "YYYY-MM-DD"|"YYYY-MM"|"YYYY"|null, "said_on_text": "…"|null}
 *   with offsets in code points and the texts sliced by byte offsets;
 *
 *   text: "# DOC (DATE)" before the quotes of each article, then one line
 *     per quote: SPEAKER — “QUOTE” (CUE; CHANNEL; to ADDRESSEE; SAID_ON)
 *     for a direct quote; a mixed or indirect one is reported speech and
 *     is not put in marks of ours: SPEAKER — CLAUSE (KIND; CUE; …), KIND
 *     "partly quoted" (mixed) or "reported speech" (indirect);
 *
 *   speakers: "# DOC (DATE)", then per speaker of the article, most quoted
 *     first: NAME — N quotes (K partly quoted, J reported speech), age A /
 *     descriptors: … / channels: …
 *
 * Output goes through a small buffer on the caller's stack and reaches the
 * FILE in large fwrite calls: this is the hot path, and per-character stdio
 * calls would lock the stream for every byte.
 */
#include <stdint.h>
#include <string.h>

#include "output.h"

#define QUOTE_LIMIT 200 /* code points of a quote in the text format */

typedef struct {
    FILE *f;
    size_t n;
    char b[32768];
} sink;

static void sink_flush(sink *s)
{
    if (s->n) fwrite(s->b, 1, s->n, s->f);
    s->n = 0;
}

static void put(sink *s, const char *p, size_t len)
{
    if (len > sizeof s->b - s->n) {
        sink_flush(s);
        if (len >= sizeof s->b) { /* long quote: no point copying it */
            fwrite(p, 1, len, s->f);
            return;
        }
    }
    memcpy(s->b + s->n, p, len);
    s->n += len;
}

static inline void put_c(sink *s, char c)
{
    if (s->n == sizeof s->b) sink_flush(s);
    s->b[s->n++] = c;
}

#define PUT_LIT(s, lit) put((s), (lit), sizeof(lit) - 1)

static void put_size(sink *s, size_t v)
{
    char tmp[24];
    size_t i = sizeof tmp;
    do {
        tmp[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    put(s, tmp + i, sizeof tmp - i);
}

#define ONES UINT64_C(0x0101010101010101)
#define HIGHS UINT64_C(0x8080808080808080)
#define HAS_ZERO(w) (((w) - ONES) & ~(w) & HIGHS)

/* Whether any of the 8 bytes in w may need escaping: below 0x20, '"' or
 * '\\' (false positives are possible, misses are not). */
static inline int has_special(uint64_t w)
{
    return ((((w - 0x20 * ONES) & ~w) | HAS_ZERO(w ^ ('"' * ONES)) | HAS_ZERO(w ^ ('\\' * ONES))) & HIGHS) != 0;
}

/* RFC 8259: '"', '\\' and C0 controls must be escaped; everything else,
 * non-ASCII UTF-8 included, is written as is, in runs found 8 bytes at a
 * time (quotes are long and mostly plain). */
static void put_json(sink *s, const char *p, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    size_t run = 0, i = 0;
    put_c(s, '"');
    while (i < len) {
        while (i + 8 <= len) {
            uint64_t w;
            memcpy(&w, p + i, 8);
            if (has_special(w)) break;
            i += 8;
        }
        size_t stop = i + 8 < len ? i + 8 : len;
        for (; i < stop; i++) {
            unsigned char c = (unsigned char)p[i];
            if (c >= 0x20 && c != '"' && c != '\\') continue;
            put(s, p + run, i - run);
            run = i + 1;
            switch (c) {
            case '"': PUT_LIT(s, "\\\""); break;
            case '\\': PUT_LIT(s, "\\\\"); break;
            case '\n': PUT_LIT(s, "\\n"); break;
            case '\r': PUT_LIT(s, "\\r"); break;
            case '\t': PUT_LIT(s, "\\t"); break;
            case '\b': PUT_LIT(s, "\\b"); break;
            case '\f': PUT_LIT(s, "\\f"); break;
            default: {
                char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
                put(s, u, sizeof u);
            }
            }
        }
    }
    put(s, p + run, len - run);
    put_c(s, '"');
}

static void put_json_or_null(sink *s, const char *str)
{
    if (str) put_json(s, str, strlen(str));
    else PUT_LIT(s, "null");
}

/* The bytes of a span, clamped to the text: a bad span from the extractor
 * must not make the writer read outside the article. */
static size_t span_bytes(const sayso_article *art, const sayso_span *sp, const char **p)
{
    size_t b = sp->byte_start, e = sp->byte_end;
    if (e > art->len) e = art->len;
    if (b > e) b = e;
    *p = art->text + b;
    return e - b;
}

static void put_span(sink *s, const sayso_span *sp)
{
    put_c(s, '[');
    put_size(s, sp->start);
    PUT_LIT(s, ", ");
    put_size(s, sp->end);
    put_c(s, ']');
}

static void put_confidence(sink *s, double c)
{
    if (!(c >= 0)) c = 0; /* NaN too */
    if (c > 1) c = 1;
    int x = (int)(c * 100 + 0.5);
    char d[4] = {(char)('0' + x / 100), '.', (char)('0' + x / 10 % 10), (char)('0' + x % 10)};
    put(s, d, sizeof d);
}

static void write_json(sink *s, const sayso_article *art, const sayso_quote *q)
{
    const char *p;
    size_t len;
    int n = q->n_content < 0 ? 0 : q->n_content > SAYSO_MAX_FRAGMENTS ? SAYSO_MAX_FRAGMENTS : q->n_content;

    PUT_LIT(s, "{\"doc\": ");
    put_json_or_null(s, art->id);
    PUT_LIT(s, ", \"date\": ");
    put_json_or_null(s, art->date);
    PUT_LIT(s, ", \"quote\": ");
    put_json(s, q->text ? q->text : "", q->text ? strlen(q->text) : 0);
    PUT_LIT(s, ", \"content\": [");
    for (int i = 0; i < n; i++) {
        if (i) PUT_LIT(s, ", ");
        put_span(s, &q->content[i]);
    }
    PUT_LIT(s, "], \"cue\": ");
    if (q->has_cue) {
        put_c(s, '[');
        put_span(s, &q->cue);
        PUT_LIT(s, "], \"cue_text\": ");
        len = span_bytes(art, &q->cue, &p);
        put_json(s, p, len);
    } else {
        PUT_LIT(s, "null, \"cue_text\": null");
    }
    PUT_LIT(s, ", \"source\": ");
    if (q->has_source) {
        put_c(s, '[');
        put_span(s, &q->source);
        PUT_LIT(s, "], \"source_text\": ");
        len = span_bytes(art, &q->source, &p);
        put_json(s, p, len);
    } else {
        PUT_LIT(s, "null, \"source_text\": null");
    }
    PUT_LIT(s, ", \"speaker\": ");
    put_json_or_null(s, q->speaker);
    PUT_LIT(s, ", \"type\": \"");
    const char *type = sayso_quote_type_name(q->type);
    put(s, type, strlen(type));
    PUT_LIT(s, "\", \"confidence\": ");
    put_confidence(s, q->confidence);
    PUT_LIT(s, ", \"speaker_descriptors\": ");
    if (q->n_descriptors && q->descriptors) {
        put_c(s, '[');
        for (size_t i = 0; i < q->n_descriptors; i++) {
            if (i) PUT_LIT(s, ", ");
            put_json_or_null(s, q->descriptors[i]);
        }
        put_c(s, ']');
    } else {
        PUT_LIT(s, "null");
    }
    PUT_LIT(s, ", \"speaker_age\": ");
    if (q->speaker_age > 0) put_size(s, (size_t)q->speaker_age);
    else PUT_LIT(s, "null");
    PUT_LIT(s, ", \"channel\": ");
    put_json_or_null(s, q->channel);
    PUT_LIT(s, ", \"addressee\": ");
    put_json_or_null(s, q->addressee);
    PUT_LIT(s, ", \"said_on\": ");
    put_json_or_null(s, q->said_on);
    PUT_LIT(s, ", \"said_on_text\": ");
    put_json_or_null(s, q->said_on_text);
    PUT_LIT(s, "}\n");
}

/* ---- Text format -------------------------------------------------------- */

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\v' || c == '\f';
}

/*
 * Writes p[0..len) as part of one line: trimmed, each run of white space
 * (newlines included) as one space. With limit > 0, text longer than limit
 * code points is cut at the last space before the limit (or at the limit
 * itself when that space would lose more than half) and ends with "…".
 */
static void put_oneline(sink *s, const char *p, size_t len, size_t limit)
{
    const unsigned char *u = (const unsigned char *)p;
    size_t end = len;
    int cut = 0;
    if (limit) {
        size_t cps = 0, space = 0, space_cps = 0;
        int in_space = 1; /* leading space is not counted */
        for (size_t i = 0; i < len; i++) {
            if (is_space(u[i])) {
                if (!in_space) {
                    space = i;
                    space_cps = cps;
                    cps++;
                }
                in_space = 1;
                continue;
            }
            in_space = 0;
            if ((u[i] & 0xC0) == 0x80) continue; /* inside a character */
            if (cps >= limit) {
                cut = 1;
                end = space_cps >= limit / 2 ? space : i;
                break;
            }
            cps++;
        }
    }
    int pending = 0, any = 0;
    size_t run = 0;
    for (size_t i = 0; i < end; i++) {
        if (!is_space(u[i])) {
            if (pending) {
                if (any) put_c(s, ' ');
                pending = 0;
                run = i;
            }
            any = 1;
            continue;
        }
        if (!pending) put(s, p + run, i - run);
        pending = 1;
    }
    if (!pending) put(s, p + run, end - run);
    if (cut) PUT_LIT(s, "…");
}

const char *sayso_quote_type_label(sayso_quote_type t)
{
    switch (t) {
    case SAYSO_DIRECT: return NULL;
    case SAYSO_MIXED: return "partly quoted";
    default: return "reported speech";
    }
}

/*
 * A direct quote is put in quotation marks: those words were said. A mixed
 * or indirect one is the article's clause, and marks around it would claim
 * the same of words the journalist chose; its text already holds the
 * article's own marks around what it quotes ("the council would “fight for
 * every vote”"), so it is written as it is, and the kind comes first in
 * the parenthesis for the reader who would otherwise take it for a quote.
 */
static void write_text(sink *s, const sayso_article *art, const sayso_quote *q)
{
    const char *p;
    size_t len;
    if (q->speaker && *q->speaker) {
        put_oneline(s, q->speaker, strlen(q->speaker), 0);
    } else if (q->speaker_id >= 0 && q->n_descriptors && q->descriptors) {
        PUT_LIT(s, "(unnamed ");
        put_oneline(s, q->descriptors[0], strlen(q->descriptors[0]), 0);
        put_c(s, ')');
    } else if (q->has_source && (len = span_bytes(art, &q->source, &p)) > 0) {
        put_oneline(s, p, len, 0);
    } else {
        PUT_LIT(s, "(unknown)");
    }
    const char *kind = sayso_quote_type_label(q->type);
    if (kind) {
        PUT_LIT(s, " — ");
        if (q->text) put_oneline(s, q->text, strlen(q->text), QUOTE_LIMIT);
        PUT_LIT(s, " (");
        put(s, kind, strlen(kind));
        PUT_LIT(s, "; ");
    } else {
        PUT_LIT(s, " — “");
        if (q->text) put_oneline(s, q->text, strlen(q->text), QUOTE_LIMIT);
        PUT_LIT(s, "” (");
    }
    if (q->has_cue && (len = span_bytes(art, &q->cue, &p)) > 0)
        put_oneline(s, p, len, 0);
    else
        PUT_LIT(s, "no cue");
    if (q->channel) {
        PUT_LIT(s, "; ");
        put(s, q->channel, strlen(q->channel));
    }
    if (q->addressee) {
        PUT_LIT(s, "; to ");
        put_oneline(s, q->addressee, strlen(q->addressee), 0);
    }
    if (q->said_on) {
        PUT_LIT(s, "; ");
        put(s, q->said_on, strlen(q->said_on));
    }
    PUT_LIT(s, ")\n");
}

/* ---- Speakers format ---------------------------------------------------- */

/* Adds str to a list of distinct strings (at most cap of them). */
static void add_distinct(const char **list, size_t *n, size_t cap, const char *str)
{
    if (!str) return;
    for (size_t i = 0; i < *n; i++)
        if (strcmp(list[i], str) == 0) return;
    if (*n < cap) list[(*n)++] = str;
}

static void put_list(sink *s, const char *label, const char **list, size_t n)
{
    if (!n) return;
    PUT_LIT(s, "  ");
    put(s, label, strlen(label));
    PUT_LIT(s, ": ");
    for (size_t i = 0; i < n; i++) {
        if (i) PUT_LIT(s, ", ");
        put_oneline(s, list[i], strlen(list[i]), 0);
    }
    put_c(s, '\n');
}

/*
 * One block per speaker, most quoted first (then by first quote):
 *   John Legend — 5 quotes (1 partly quoted), age 41
 *     descriptors: singer, 41-year-old, poppa of two
 *     channels: instagram
 * How many of the quotes are reported speech, when any are: "5 quotes"
 * alone would let a reader believe all five are words in quotation marks.
 * Quotes without a speaker are counted on a last "(unknown)" line, those
 * of speakers beyond the first MAX_SPEAKERS on an "(other speakers)" line. The
 * grouping is by speaker_id, so one pass over an article's quotes with a
 * small table: quadratic only in the number of distinct speakers of one
 * article, which the table size bounds.
 */
#define MAX_SPEAKERS 256
static void write_speakers(sink *s, const sayso_quote *q, size_t n)
{
    struct sp { int id; size_t first, count, mixed, indirect; } tab[MAX_SPEAKERS];
    size_t nt = 0, unknown = 0, more = 0;
    for (size_t i = 0; i < n; i++) {
        if (q[i].speaker_id < 0 || (!q[i].speaker && !q[i].n_descriptors)) { unknown++; continue; }
        size_t j = 0;
        while (j < nt && tab[j].id != q[i].speaker_id) j++;
        if (j == nt) {
            if (nt == MAX_SPEAKERS) { more++; continue; }
            tab[nt].id = q[i].speaker_id;
            tab[nt].first = i;
            tab[nt].mixed = tab[nt].indirect = 0;
            tab[nt++].count = 0;
        }
        tab[j].count++;
        if (q[i].type == SAYSO_MIXED) tab[j].mixed++;
        else if (q[i].type != SAYSO_DIRECT) tab[j].indirect++;
    }
    /* Insertion sort by count, stable: speakers are few. */
    for (size_t i = 1; i < nt; i++) {
        struct sp x = tab[i];
        size_t j = i;
        while (j > 0 && tab[j - 1].count < x.count) { tab[j] = tab[j - 1]; j--; }
        tab[j] = x;
    }
    for (size_t t = 0; t < nt; t++) {
        const sayso_quote *f = &q[tab[t].first];
        const char *channels[16];
        size_t nch = 0;
        for (size_t i = tab[t].first; i < n; i++)
            if (q[i].speaker_id == tab[t].id) add_distinct(channels, &nch, 16, q[i].channel);
        if (f->speaker) {
            put_oneline(s, f->speaker, strlen(f->speaker), 0);
        } else { /* described, never named */
            PUT_LIT(s, "(unnamed ");
            put_oneline(s, f->descriptors[0], strlen(f->descriptors[0]), 0);
            put_c(s, ')');
        }
        PUT_LIT(s, " — ");
        put_size(s, tab[t].count);
        if (tab[t].count == 1) PUT_LIT(s, " quote");
        else PUT_LIT(s, " quotes");
        if (tab[t].mixed || tab[t].indirect) {
            PUT_LIT(s, " (");
            if (tab[t].mixed) {
                put_size(s, tab[t].mixed);
                PUT_LIT(s, " partly quoted");
            }
            if (tab[t].indirect) {
                if (tab[t].mixed) PUT_LIT(s, ", ");
                put_size(s, tab[t].indirect);
                PUT_LIT(s, " reported speech");
            }
            put_c(s, ')');
        }
        if (f->speaker_age > 0) {
            PUT_LIT(s, ", age ");
            put_size(s, (size_t)f->speaker_age);
        }
        put_c(s, '\n');
        put_list(s, "descriptors", (const char **)f->descriptors, f->descriptors ? f->n_descriptors : 0);
        put_list(s, "channels", channels, nch);
    }
    if (more) { /* an article quoting more people than the table holds */
        PUT_LIT(s, "(other speakers) — ");
        put_size(s, more);
        if (more == 1) PUT_LIT(s, " quote\n");
        else PUT_LIT(s, " quotes\n");
    }
    if (unknown) {
        PUT_LIT(s, "(unknown) — ");
        put_size(s, unknown);
        if (unknown == 1) PUT_LIT(s, " quote\n");
        else PUT_LIT(s, " quotes\n");
    }
}

/* ---- Public interface --------------------------------------------------- */

void sayso_write_quotes(FILE *out, sayso_format fmt, const sayso_article *art,
                        const sayso_quote *q, size_t n)
{
    if (!n) return;
    sink s;
    s.f = out;
    s.n = 0;
    if (fmt == SAYSO_FORMAT_TEXT || fmt == SAYSO_FORMAT_SPEAKERS) {
        PUT_LIT(&s, "# ");
        if (art->id) put_oneline(&s, art->id, strlen(art->id), 0);
        else PUT_LIT(&s, "(no id)");
        if (art->date) {
            PUT_LIT(&s, " (");
            put(&s, art->date, strlen(art->date));
            put_c(&s, ')');
        }
        put_c(&s, '\n');
        if (fmt == SAYSO_FORMAT_SPEAKERS) write_speakers(&s, q, n);
        else
            for (size_t i = 0; i < n; i++) write_text(&s, art, &q[i]);
    } else {
        for (size_t i = 0; i < n; i++) write_json(&s, art, &q[i]);
    }
    sink_flush(&s);
}

void sayso_json_string(FILE *out, const char *str, size_t len)
{
    sink s;
    s.f = out;
    s.n = 0;
    put_json(&s, str, len);
    sink_flush(&s);
}
