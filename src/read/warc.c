/*
 * warc.c — records, HTTP responses and HTML pages from a WARC stream
 * (see warc.h).
 *
 * Three layers, each pulling from the one below:
 *   - bytes: the raw input, inflated one gzip member at a time with zlib
 *     (a gzip member that is corrupt or truncated ends at an error, and
 *     inflating resumes at the next gzip magic), or passed through;
 *   - records: "WARC/1.x" header, Content-Length bytes of block, the
 *     CRLF CRLF after it. A record whose Content-Length does not land on a
 *     record boundary is reported and the search for the next "WARC/1."
 *     line starts again right after its header, so a lie in either
 *     direction loses only that record;
 *   - pages: response (and resource) records with an HTML payload,
 *     chunked transfer and gzip/deflate content encoding undone, then
 *     articles through sayso_html_extract.
 *
 * The decompressed window holds the record being read and whatever follows
 * it in the last read; it is compacted at each record, so it grows to the
 * largest record (capped) and no further.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <zlib.h>

#include "html.h"
#include "read.h"
#include "warc.h"

#define RAW_CAP ((size_t)1 << 20)   /* raw (compressed) input buffer */
#define READ_SIZE ((size_t)1 << 18) /* decompressed bytes asked per read */
#define MAX_HEADER ((size_t)1 << 20) /* a WARC or HTTP header longer than this is garbage */
#define N_MEMBERS 64                /* member start offsets remembered */

typedef struct {
    uint64_t out; /* stream offset of the member's first decompressed byte */
    uint64_t in;  /* file offset of the member */
} member_mark;

struct sayso_warc {
    sayso_warc_source src;
    void *ctx;
    char *name;
    FILE *err;

    /* Raw input: in[in_beg..in_end), in[0] at file offset in_off. */
    unsigned char *in;
    size_t in_beg, in_end;
    uint64_t in_off;
    int in_eof;

    /* Gzip: 1 when the input is gzip; inflating, a member is open. */
    int gz, gz_known, inflating;
    z_stream zs;
    int zs_ready;
    uint64_t member_in; /* file offset of the open member */
    member_mark marks[N_MEMBERS];
    size_t n_marks; /* total ever made; the last N_MEMBERS are kept */

    /* Decompressed window: buf[pos..end) unread, buf[0] at stream offset
     * buf_off. gap: an inflate error cut the stream at buf[end] (message
     * in gap_msg); nothing is read on until the reader has got there. */
    char *buf;
    size_t cap, pos, end;
    uint64_t buf_off;
    int eof;
    int gap, gap_reported; /* reported: with the record it broke */
    char gap_msg[128];

    /* The current record's header values. */
    char type[64], date[64], content_type[256];
    char *uri;
    size_t uri_cap;
    size_t number;
    uint64_t rec_off;
    int quiet_resync; /* the rest of a broken record is no news */

    /* Decoded payloads and the article's strings. */
    char *dec;
    size_t dec_cap;
    char charset[64];
    sayso_page page;
    char art_date[11];

    sayso_warc_counts counts;
};

/* ---- Messages ---------------------------------------------------------- */

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void report(const sayso_warc *w, const char *fmt, ...)
{
    if (!w->err) return;
    va_list ap;
    fprintf(w->err, "sayso: %s: ", w->name);
    va_start(ap, fmt);
    vfprintf(w->err, fmt, ap);
    va_end(ap);
    putc('\n', w->err);
}

/* A broken record: reported by number and offset, counted. */
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void broken(sayso_warc *w, const char *fmt, ...)
{
    w->counts.broken++;
    w->quiet_resync = 1;
    if (w->gap) w->gap_reported = 1;
    if (!w->err) return;
    va_list ap;
    fprintf(w->err, "sayso: %s: record %zu (offset %llu): ", w->name, w->number, (unsigned long long)w->rec_off);
    va_start(ap, fmt);
    vfprintf(w->err, fmt, ap);
    va_end(ap);
    fputs("; skipped\n", w->err);
}

/* ---- Bytes ------------------------------------------------------------- */

static int grow(char **buf, size_t *cap, size_t need)
{
    if (need <= *cap) return 0;
    size_t c = *cap ? *cap : 65536;
    while (c < need) c *= 2;
    char *b = realloc(*buf, c);
    if (!b) return -1;
    *buf = b;
    *cap = c;
    return 0;
}

/* Reads more raw input; keeps in[keep..in_end). Returns the bytes added. */
static size_t raw_fill(sayso_warc *w, size_t keep)
{
    if (w->in_eof) return 0;
    if (keep > 0) {
        memmove(w->in, w->in + keep, w->in_end - keep);
        w->in_off += keep;
        w->in_beg -= keep;
        w->in_end -= keep;
    }
    if (w->in_end == RAW_CAP) return 0;
    ssize_t got;
    do got = w->src(w->ctx, w->in + w->in_end, RAW_CAP - w->in_end);
    while (got < 0 && errno == EINTR);
    if (got <= 0) {
        if (got < 0) report(w, "read error (%s)", strerror(errno));
        w->in_eof = 1;
        return 0;
    }
    w->in_end += (size_t)got;
    return (size_t)got;
}

/* What to keep of the raw buffer when refilling: from the open member's
 * start while it is near, so that after an error the search for the next
 * member can start inside this one (a truncated member's successor has
 * been inflated as if it belonged to it). */
static size_t raw_keep(const sayso_warc *w)
{
    if (w->gz && w->member_in >= w->in_off) {
        size_t m = (size_t)(w->member_in - w->in_off);
        if (m < w->in_beg && w->in_beg - m < RAW_CAP / 2) return m;
    }
    return w->in_beg;
}

/* Moves in_beg to the next gzip magic at or after it; 0 when none is left. */
static int seek_member(sayso_warc *w)
{
    for (;;) {
        while (w->in_beg + 3 <= w->in_end) {
            unsigned char *p = memchr(w->in + w->in_beg, 0x1f, w->in_end - w->in_beg - 2);
            if (!p) {
                w->in_beg = w->in_end - 2;
                break;
            }
            if (p[1] == 0x8b && p[2] == 8) {
                w->in_beg = (size_t)(p - w->in);
                return 1;
            }
            w->in_beg = (size_t)(p - w->in) + 1;
        }
        if (!raw_fill(w, w->in_beg)) {
            w->in_beg = w->in_end;
            return 0;
        }
    }
}

/* Stream offset of buf[pos]. */
static uint64_t stream_off(const sayso_warc *w, size_t pos)
{
    return w->buf_off + pos;
}

/* File offset to name for the stream offset s: the start of the gzip
 * member it came from, or s itself for a plain file. */
static uint64_t file_off(const sayso_warc *w, uint64_t s)
{
    if (!w->gz) return s;
    size_t first = w->n_marks > N_MEMBERS ? w->n_marks - N_MEMBERS : 0;
    for (size_t i = w->n_marks; i > first; i--) {
        const member_mark *m = &w->marks[(i - 1) % N_MEMBERS];
        if (m->out <= s) return m->in;
    }
    return w->member_in;
}

/* An inflate error: the open member's output ends here, the rest of it is
 * dropped, and inflating resumes at the next member after its start. A
 * newline marks the cut, so that the next member starts a line, as a
 * record must. (more() always leaves room for it.) */
static void member_error(sayso_warc *w, const char *what)
{
    snprintf(w->gap_msg, sizeof w->gap_msg, "gzip member at offset %llu %s", (unsigned long long)w->member_in,
             what);
    w->gap = 1;
    w->gap_reported = 0;
    w->buf[w->end++] = '\n';
    w->inflating = 0;
    inflateReset(&w->zs);
    if (w->member_in >= w->in_off && w->member_in + 1 <= w->in_off + w->in_end)
        w->in_beg = (size_t)(w->member_in - w->in_off) + 1;
    if (w->in_beg > w->in_end) w->in_beg = w->in_end;
}

/* Appends decompressed bytes to buf[end..). Returns the bytes added, 0 at
 * the end of the input (eof set). A gzip error sets gap instead. */
static size_t more(sayso_warc *w)
{
    if (w->eof) return 0;
    if (grow(&w->buf, &w->cap, w->end + READ_SIZE + 1) != 0) {
        report(w, "out of memory");
        w->eof = 1;
        return 0;
    }
    if (!w->gz_known) {
        while (w->in_end - w->in_beg < 2 && raw_fill(w, w->in_beg)) {}
        w->gz = w->in_end - w->in_beg >= 2 && w->in[w->in_beg] == 0x1f && w->in[w->in_beg + 1] == 0x8b;
        w->gz_known = 1;
    }
    if (!w->gz) {
        if (w->in_beg == w->in_end && !raw_fill(w, w->in_end)) {
            w->eof = 1;
            return 0;
        }
        size_t n = w->in_end - w->in_beg;
        if (n > READ_SIZE) n = READ_SIZE;
        memcpy(w->buf + w->end, w->in + w->in_beg, n);
        w->in_beg += n;
        w->end += n;
        return n;
    }
    size_t start = w->end;
    for (;;) {
        if (!w->inflating) {
            if (!seek_member(w)) {
                w->eof = 1;
                return 0;
            }
            w->member_in = w->in_off + w->in_beg;
            member_mark *m = &w->marks[w->n_marks++ % N_MEMBERS];
            m->out = stream_off(w, w->end);
            m->in = w->member_in;
            w->inflating = 1;
        }
        if (w->in_beg == w->in_end && !raw_fill(w, raw_keep(w))) {
            member_error(w, "is truncated");
            return w->end - start;
        }
        w->zs.next_in = w->in + w->in_beg;
        w->zs.avail_in = (uInt)(w->in_end - w->in_beg);
        w->zs.next_out = (unsigned char *)w->buf + w->end;
        w->zs.avail_out = (uInt)READ_SIZE;
        int rc = inflate(&w->zs, Z_NO_FLUSH);
        w->in_beg = w->in_end - w->zs.avail_in;
        w->end += READ_SIZE - w->zs.avail_out;
        if (rc == Z_STREAM_END) {
            w->inflating = 0;
            inflateReset(&w->zs);
            if (w->end > start) return w->end - start;
            continue; /* an empty member */
        }
        if (rc != Z_OK && rc != Z_BUF_ERROR) {
            char what[96];
            snprintf(what, sizeof what, "is corrupt (%s)", w->zs.msg ? w->zs.msg : "inflate error");
            member_error(w, what);
            return w->end - start;
        }
        if (w->end > start) return w->end - start;
    }
}

/* ---- Records ----------------------------------------------------------- */

/* Drops what was read, but the byte before pos: whether pos starts a line
 * is still known. */
static void compact(sayso_warc *w)
{
    if (w->pos <= 1) return;
    size_t drop = w->pos - 1;
    memmove(w->buf, w->buf + drop, w->end - drop);
    w->buf_off += drop;
    w->end -= drop;
    w->pos = 1;
}

/* Makes at least n bytes available at buf[pos..); 0 when the input ended
 * first or a gzip error cut it (gap set). */
static int need(sayso_warc *w, size_t n)
{
    while (w->end - w->pos < n) {
        if (w->gap || w->eof) return 0;
        more(w);
    }
    return 1;
}

static int starts_record(const char *p, size_t n)
{
    return n >= 7 && memcmp(p, "WARC/1.", 7) == 0;
}

static size_t count_visible(const char *p, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) k += !isspace((unsigned char)p[i]);
    return k;
}

/* Finds the next "WARC/1." at a line start, from pos, consuming what comes
 * before it (and a gzip cut on the way). Returns 0 at the end. */
static int resync(sayso_warc *w)
{
    uint64_t from = stream_off(w, w->pos);
    size_t junk = 0;
    int found = 0;
    while (!found) {
        while (w->end - w->pos >= 7) {
            if (starts_record(w->buf + w->pos, w->end - w->pos) && (w->pos == 0 || w->buf[w->pos - 1] == '\n')) {
                found = 1;
                break;
            }
            char *p = memchr(w->buf + w->pos + 1, 'W', w->end - w->pos - 1);
            size_t to = p ? (size_t)(p - w->buf) : w->end - 6;
            junk += count_visible(w->buf + w->pos, to - w->pos);
            w->pos = to;
        }
        if (found) break;
        if (w->gap || w->eof) { /* what is left cannot start a record */
            junk += count_visible(w->buf + w->pos, w->end - w->pos);
            w->pos = w->end;
            if (!w->gap) break;
            w->gap = 0;
            if (!w->gap_reported) { /* a member that gave nothing of a record */
                w->counts.broken++;
                report(w, "%s; skipped", w->gap_msg);
            }
        }
        compact(w);
        more(w);
    }
    if (junk && !w->quiet_resync) {
        w->counts.broken++;
        report(w, "offset %llu: %zu bytes that are no WARC record skipped", (unsigned long long)file_off(w, from), junk);
    }
    w->quiet_resync = 0;
    return found;
}

static int name_is(const char *p, size_t n, const char *name)
{
    size_t k = strlen(name);
    if (n != k) return 0;
    for (size_t i = 0; i < k; i++)
        if (tolower((unsigned char)p[i]) != tolower((unsigned char)name[i])) return 0;
    return 1;
}

/* Copies a header value into dst (cap bytes), printable ASCII only: other
 * bytes become '?', so that binary garbage never reaches an id or message. */
static void copy_value(char *dst, size_t cap, const char *v, size_t n)
{
    if (n >= cap) n = cap - 1;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)v[i];
        dst[i] = c >= 0x20 && c < 0x7f ? (char)c : '?';
    }
    dst[n] = 0;
}

/* The URI, with bytes outside printable ASCII percent-encoded (a URI is
 * ASCII; this keeps an id valid UTF-8 whatever the crawler wrote). */
static int set_uri(sayso_warc *w, const char *v, size_t n)
{
    if (grow(&w->uri, &w->uri_cap, 3 * n + 1) != 0) return -1;
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)v[i];
        if (c > 0x20 && c < 0x7f && c != '<' && c != '>') {
            w->uri[o++] = (char)c;
        } else {
            static const char hex[] = "0123456789ABCDEF";
            w->uri[o++] = '%';
            w->uri[o++] = hex[c >> 4];
            w->uri[o++] = hex[c & 15];
        }
    }
    w->uri[o] = 0;
    return 0;
}

/* Parses a decimal length; -1 when it is not one. */
static long long parse_length(const char *v, size_t n)
{
    long long x = 0;
    if (n == 0) return -1;
    for (size_t i = 0; i < n; i++) {
        if (v[i] < '0' || v[i] > '9' || x > (LLONG_MAX - 9) / 10) return -1;
        x = x * 10 + (v[i] - '0');
    }
    return x;
}

/* Trims spaces and tabs from both ends of [*v, *v + *n). */
static void trim(const char **v, size_t *n)
{
    while (*n && (**v == ' ' || **v == '\t')) (*v)++, (*n)--;
    while (*n && ((*v)[*n - 1] == ' ' || (*v)[*n - 1] == '\t' || (*v)[*n - 1] == '\r')) (*n)--;
}

/* The next "Name: value" line of the header block [*line, end), both
 * trimmed; lines without a colon are passed over. 0 at the end. */
static int next_field(const char **line, const char *end, const char **name, size_t *nn, const char **v,
                      size_t *vn)
{
    while (*line < end) {
        const char *l = *line;
        const char *eol = memchr(l, '\n', (size_t)(end - l));
        if (!eol) eol = end;
        *line = eol + 1;
        const char *colon = memchr(l, ':', (size_t)(eol - l));
        if (!colon) continue;
        *name = l;
        *nn = (size_t)(colon - l);
        *v = colon + 1;
        *vn = (size_t)(eol - *v);
        trim(name, nn);
        trim(v, vn);
        return 1;
    }
    return 0;
}

/* Where a header ends in p[0..n): the offset after its blank line, or 0. */
static size_t header_end(const char *p, size_t n)
{
    for (const char *q = p; (q = memchr(q, '\n', (size_t)(p + n - q))) != NULL; q++) {
        size_t i = (size_t)(q - p) + 1;
        if (i < n && p[i] == '\n') return i + 1;
        if (i + 1 < n && p[i] == '\r' && p[i + 1] == '\n') return i + 2;
    }
    return 0;
}

/* Skips a block too big to hold: len bytes from pos on, as they stream by,
 * until the input ends or is cut. */
static void skip_block(sayso_warc *w, uint64_t len)
{
    while (len > 0) {
        size_t have = w->end - w->pos;
        if (have == 0) {
            if (w->gap || w->eof) return;
            more(w);
            continue;
        }
        size_t k = have < len ? have : (size_t)len;
        w->pos += k;
        len -= k;
        compact(w);
    }
}

/* After a block ending at buf[at]: CRLF CRLF, or blank lines and then a
 * record or the end of the input. 1 when the boundary is there (with pos
 * moved past it), 0 when it is not. */
static int record_boundary(sayso_warc *w, size_t at)
{
    size_t off = at - w->pos;
    need(w, off + 4);
    const char *p = w->buf + w->pos + off;
    size_t have = w->end - w->pos - off;
    if (have >= 4 && memcmp(p, "\r\n\r\n", 4) == 0) {
        w->pos += off + 4;
        return 1;
    }
    size_t k = 0;
    while (k < have && k < 4 && (p[k] == '\r' || p[k] == '\n')) k++;
    need(w, off + k + 7);
    p = w->buf + w->pos + off;
    have = w->end - w->pos - off;
    if (have == k || starts_record(p + k, have - k)) {
        w->pos += off + k;
        return 1;
    }
    return 0;
}

int sayso_warc_next_record(sayso_warc *w, sayso_warc_record *rec)
{
    for (;;) {
        compact(w);
        if (!resync(w)) return 0;
        w->number++;
        w->counts.records++;
        w->rec_off = file_off(w, stream_off(w, w->pos));
        w->type[0] = w->date[0] = w->content_type[0] = 0;
        if (w->uri) w->uri[0] = 0;

        /* The header. */
        size_t hlen;
        for (;;) {
            hlen = header_end(w->buf + w->pos, w->end - w->pos);
            if (hlen || w->end - w->pos > MAX_HEADER || w->gap || w->eof) break;
            more(w);
        }
        if (!hlen) {
            if (w->gap) broken(w, "%s", w->gap_msg);
            else if (w->eof) broken(w, "the input ends inside the record's header");
            else broken(w, "header longer than %zu bytes", MAX_HEADER);
            w->pos++;
            continue;
        }
        const char *h = w->buf + w->pos;
        long long clen = -1;
        int has_length = 0;
        const char *line = memchr(h, '\n', hlen) + 1, *name, *v;
        size_t nn, vn;
        while (next_field(&line, h + hlen, &name, &nn, &v, &vn)) {
            if (name_is(name, nn, "Content-Length")) {
                has_length = 1;
                clen = parse_length(v, vn);
            } else if (name_is(name, nn, "WARC-Type")) {
                copy_value(w->type, sizeof w->type, v, vn);
            } else if (name_is(name, nn, "WARC-Target-URI")) {
                if (vn >= 2 && v[0] == '<' && v[vn - 1] == '>') v++, vn -= 2; /* WARC 1.0's <uri> */
                if (set_uri(w, v, vn) != 0) {
                    report(w, "out of memory");
                    return 0;
                }
            } else if (name_is(name, nn, "WARC-Date")) {
                copy_value(w->date, sizeof w->date, v, vn);
            } else if (name_is(name, nn, "Content-Type")) {
                copy_value(w->content_type, sizeof w->content_type, v, vn);
            }
        }
        if (!has_length || clen < 0) {
            broken(w, has_length ? "Content-Length is not a number" : "no Content-Length header");
            w->pos += hlen;
            continue;
        }
        size_t block = w->pos + hlen;
        if ((unsigned long long)clen > SAYSO_WARC_MAX_BLOCK) {
            w->pos = block;
            broken(w, "block of %lld bytes, more than the %zu MB a record may have", clen,
                   SAYSO_WARC_MAX_BLOCK >> 20);
            skip_block(w, (uint64_t)clen);
            continue;
        }

        /* The block and the boundary after it. */
        size_t len = (size_t)clen;
        if (grow(&w->buf, &w->cap, w->pos + hlen + len + READ_SIZE + 16) != 0) {
            broken(w, "out of memory");
            w->pos = block;
            continue;
        }
        if (!need(w, hlen + len)) {
            size_t have = w->end - block;
            if (w->gap) broken(w, "%s", w->gap_msg);
            else broken(w, "Content-Length %zu, but the input ends after %zu bytes", len, have);
            w->pos = block; /* whatever follows the header may hold the next records */
            continue;
        }
        if (!record_boundary(w, block + len)) {
            broken(w, "Content-Length %zu does not end at a record boundary", len);
            w->pos = block;
            continue;
        }
        if (!w->type[0]) {
            broken(w, "no WARC-Type header");
            continue;
        }
        rec->number = w->number;
        rec->offset = w->rec_off;
        rec->type = w->type;
        rec->uri = w->uri ? w->uri : "";
        rec->date = w->date;
        rec->content_type = w->content_type;
        rec->block = w->buf + block;
        rec->len = len;
        return 1;
    }
}

/* ---- HTTP and pages ---------------------------------------------------- */

/* Lower-cased media type of a Content-Type value and its charset. */
static void parse_content_type(const char *v, size_t n, char *type, size_t tcap, char *charset, size_t ccap)
{
    size_t i = 0, o = 0;
    while (i < n && (v[i] == ' ' || v[i] == '\t')) i++;
    while (i < n && v[i] != ';' && v[i] != ' ' && o + 1 < tcap) type[o++] = (char)tolower((unsigned char)v[i++]);
    type[o] = 0;
    if (charset) charset[0] = 0;
    for (; charset && i + 8 <= n; i++) {
        if (strncasecmp(v + i, "charset=", 8) != 0 || (i > 0 && isalnum((unsigned char)v[i - 1]))) continue;
        i += 8;
        if (i < n && (v[i] == '"' || v[i] == '\'')) i++;
        o = 0;
        while (i < n && o + 1 < ccap && (isalnum((unsigned char)v[i]) || strchr("-_.:", v[i])))
            charset[o++] = v[i++];
        charset[o] = 0;
        break;
    }
}

static int is_html_type(const char *t)
{
    return strcmp(t, "text/html") == 0 || strcmp(t, "application/xhtml+xml") == 0;
}

/* An untyped payload is HTML when it starts like a page. */
static int looks_like_html(const char *p, size_t n)
{
    size_t i = 0;
    if (n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) i = 3;
    while (i < n && isspace((unsigned char)p[i])) i++;
    return (n - i >= 14 && strncasecmp(p + i, "<!doctype html", 14) == 0) ||
           (n - i >= 5 && strncasecmp(p + i, "<html", 5) == 0);
}

/* Undoes chunked transfer encoding in place; the decoded length, or -1
 * when the chunks do not add up. */
static long long dechunk(char *p, size_t n)
{
    size_t i = 0, o = 0;
    for (;;) {
        size_t size = 0;
        int digits = 0;
        while (i < n && isxdigit((unsigned char)p[i])) {
            if (size > SAYSO_WARC_MAX_BLOCK) return -1;
            int c = tolower((unsigned char)p[i++]);
            size = size * 16 + (size_t)(c <= '9' ? c - '0' : c - 'a' + 10);
            digits++;
        }
        if (!digits) return -1;
        const char *eol = memchr(p + i, '\n', n - i); /* chunk extensions end with the line */
        if (!eol) return -1;
        i = (size_t)(eol - p) + 1;
        if (size == 0) return (long long)o; /* trailers ignored */
        if (size > n - i) return -1;
        memmove(p + o, p + i, size);
        o += size;
        i += size;
        if (i < n && p[i] == '\r') i++;
        if (i < n && p[i] == '\n') i++;
        if (i >= n) return (long long)o; /* no last chunk: take what came */
    }
}

/* Inflates a gzip, zlib or raw deflate body into w->dec; -1 on an error. */
static long long decode(sayso_warc *w, const char *p, size_t n, int raw)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (inflateInit2(&zs, raw ? -15 : 15 + 32) != Z_OK) return -1;
    size_t o = 0;
    int rc = Z_OK;
    zs.next_in = (unsigned char *)(uintptr_t)p;
    zs.avail_in = (uInt)n;
    while (rc == Z_OK) {
        if (o + 65536 > SAYSO_WARC_MAX_BLOCK + 65536 || grow(&w->dec, &w->dec_cap, o + 65536 + 1) != 0) {
            rc = Z_MEM_ERROR;
            break;
        }
        zs.next_out = (unsigned char *)w->dec + o;
        zs.avail_out = (uInt)(w->dec_cap - 1 - o);
        size_t before = zs.avail_out;
        rc = inflate(&zs, Z_NO_FLUSH);
        o += before - zs.avail_out;
        if (rc == Z_BUF_ERROR && zs.avail_in == 0) break; /* truncated: keep what came */
        if (rc == Z_BUF_ERROR) rc = Z_OK;
    }
    inflateEnd(&zs);
    if (rc != Z_STREAM_END && rc != Z_BUF_ERROR) return -1;
    if (o == 0 && rc != Z_STREAM_END) return -1;
    return (long long)o;
}

int sayso_warc_next_page(sayso_warc *w, sayso_warc_page *page)
{
    sayso_warc_record rec;
    while (sayso_warc_next_record(w, &rec)) {
        char mtype[128];
        int response = strcmp(rec.type, "response") == 0;
        if (!response && strcmp(rec.type, "resource") != 0) {
            w->counts.other_types++;
            continue;
        }
        parse_content_type(rec.content_type, strlen(rec.content_type), mtype, sizeof mtype, NULL, 0);
        char *body = (char *)rec.block;
        size_t len = rec.len;
        w->charset[0] = 0;
        /* A response holds an HTTP message (its Content-Type says so, or,
         * when it is missing, the block starts like one). */
        int http = response && (strncmp(mtype, "application/http", 16) == 0 ||
                                (!mtype[0] && len >= 5 && memcmp(body, "HTTP/", 5) == 0));
        if (!http) {
            /* A resource record, or a response that holds the payload
             * itself: the block is the page. */
            parse_content_type(rec.content_type, strlen(rec.content_type), mtype, sizeof mtype, w->charset,
                               sizeof w->charset);
            if (!is_html_type(mtype) && !(mtype[0] == 0 && looks_like_html(body, len))) {
                w->counts.not_html++;
                continue;
            }
        } else {
            /* The HTTP status line and headers. */
            size_t hl = header_end(body, len);
            if (len < 12 || memcmp(body, "HTTP/", 5) != 0 || !hl) {
                broken(w, hl ? "response without an HTTP status line" : "HTTP headers without an end");
                continue;
            }
            const char *sp = memchr(body, ' ', hl);
            int status = sp && sp + 4 <= body + hl ? atoi(sp + 1) : 0;
            if (status < 200 || status > 299) {
                w->counts.not_ok++;
                continue;
            }
            char encoding[64] = "", transfer[64] = "";
            int typed = 0;
            mtype[0] = 0;
            const char *line = memchr(body, '\n', hl) + 1, *name, *v;
            size_t nn, vn;
            while (next_field(&line, body + hl, &name, &nn, &v, &vn)) {
                if (name_is(name, nn, "Content-Type")) {
                    parse_content_type(v, vn, mtype, sizeof mtype, w->charset, sizeof w->charset);
                    typed = 1;
                } else if (name_is(name, nn, "Content-Encoding")) {
                    parse_content_type(v, vn, encoding, sizeof encoding, NULL, 0);
                } else if (name_is(name, nn, "Transfer-Encoding")) {
                    parse_content_type(v, vn, transfer, sizeof transfer, NULL, 0);
                }
            }
            body += hl;
            len -= hl;
            if (typed && !is_html_type(mtype)) {
                w->counts.not_html++;
                continue;
            }
            if (strstr(transfer, "chunked")) {
                long long n = dechunk(body, len);
                if (n < 0) {
                    broken(w, "bad chunked transfer encoding");
                    continue;
                }
                len = (size_t)n;
            }
            if (encoding[0] && strcmp(encoding, "identity") != 0) {
                int gz = strcmp(encoding, "gzip") == 0 || strcmp(encoding, "x-gzip") == 0;
                if (!gz && strcmp(encoding, "deflate") != 0) {
                    broken(w, "Content-Encoding %s is not supported", encoding);
                    continue;
                }
                long long n = decode(w, body, len, 0);
                if (n < 0 && !gz) n = decode(w, body, len, 1); /* deflate sent raw, as some servers do */
                if (n < 0) {
                    broken(w, "the %s content encoding is corrupt", encoding);
                    continue;
                }
                body = w->dec;
                len = (size_t)n;
            }
            if (!typed && !looks_like_html(body, len)) {
                w->counts.not_html++;
                continue;
            }
        }
        page->rec = rec;
        page->html = body;
        page->len = len;
        page->charset = w->charset[0] ? w->charset : NULL;
        w->counts.pages++;
        return 1;
    }
    return 0;
}

int sayso_warc_next_article(sayso_warc *w, sayso_article *art)
{
    sayso_warc_page pg;
    while (sayso_warc_next_page(w, &pg)) {
        sayso_raw_page raw = {pg.html, pg.len, pg.charset, pg.rec.uri[0] ? pg.rec.uri : NULL,
                              pg.rec.uri[0] ? pg.rec.uri : NULL, pg.rec.date[0] ? pg.rec.date : NULL};
        char err[256];
        if (sayso_page_article(&raw, &w->page, w->art_date, art, err, sizeof err) != 0) {
            w->counts.pages--;
            broken(w, "%s", err);
            continue;
        }
        if (err[0]) report(w, "record %zu: %s", w->number, err);
        return 1;
    }
    return 0;
}

/* ---- Life cycle -------------------------------------------------------- */

sayso_warc *sayso_warc_new(sayso_warc_source src, void *ctx, const char *name, FILE *err)
{
    sayso_warc *w = calloc(1, sizeof *w);
    if (!w) return NULL;
    w->src = src;
    w->ctx = ctx;
    w->err = err;
    w->name = strdup(name ? name : "stdin");
    w->in = malloc(RAW_CAP);
    if (!w->name || !w->in || inflateInit2(&w->zs, 16 + 15) != Z_OK) {
        sayso_warc_free(w);
        return NULL;
    }
    w->zs_ready = 1;
    return w;
}

void sayso_warc_free(sayso_warc *w)
{
    if (!w) return;
    if (w->zs_ready) inflateEnd(&w->zs);
    sayso_page_clear(&w->page);
    free(w->name);
    free(w->in);
    free(w->buf);
    free(w->uri);
    free(w->dec);
    free(w);
}

void sayso_warc_get_counts(const sayso_warc *w, sayso_warc_counts *c)
{
    *c = w->counts;
}

size_t sayso_warc_record_number(const sayso_warc *w)
{
    return w->number;
}

void sayso_warc_report_counts(const sayso_warc *w)
{
    const sayso_warc_counts *c = &w->counts;
    report(w, "%zu records: %zu pages read; skipped: %zu of other types (request, metadata, ...), %zu not HTML, "
              "%zu not HTTP 2xx, %zu broken",
           c->records, c->pages, c->other_types, c->not_html, c->not_ok, c->broken);
}

int sayso_warc_sniff(const char *data, size_t len)
{
    return len >= 5 && memcmp(data, "WARC/", 5) == 0;
}
