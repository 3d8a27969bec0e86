/*
 * quotelist.c — `sayso eval` on a quotation-list directory (quotelist.h).
 *
 * Everything is counted in code points of DOC.txt, as the predictions'
 * spans are. A gold quotation's words are the \w+ runs of its first
 * occurrence; a prediction covers a word when one of its content spans
 * holds the whole word. A gold quotation is matched to the prediction that
 * covers most of its words, the shortest of those on a tie (the innermost
 * of nested reports).
 */
#include "quotelist.h"

#include <cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <utf8proc.h>

#include "brat.h"

typedef struct { size_t s, e; } cspan; /* code points, half-open */

typedef struct {
    char *text, *speaker;   /* gold; speaker "UNKNOWN" for an unnamed voice */
    size_t s, e;            /* where the text first occurs; s == e: absent */
    cspan *w; size_t nw;    /* its words */
} gquote;

typedef struct {
    cspan c[SAYSO_MAX_FRAGMENTS]; int nc;
    char *speaker;          /* NULL: none */
    int marked;             /* direct or mixed */
    size_t line;            /* of the prediction file, or index + 1 */
} pquote;

typedef struct {
    size_t gold, found, named, named_found, speaker_right, end_to_end;
    size_t pred_marked, pred_right;
} counts;

#define xalloc sayso_eval_realloc

static char *xstrdup(const char *s) { return strcpy(xalloc(NULL, strlen(s) + 1), s); }

static int has_suffix(const char *s, const char *suf)
{
    size_t n = strlen(s), k = strlen(suf);
    return n > k && strcmp(s + n - k, suf) == 0;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* The DOC names of dir's *.json files, sorted; NULL when there are none. */
static char **list_docs(const char *dir, size_t *n)
{
    DIR *dp = opendir(dir);
    *n = 0;
    if (!dp) return NULL;
    char **v = NULL;
    struct dirent *de;
    while ((de = readdir(dp))) {
        if (de->d_name[0] == '.' || !has_suffix(de->d_name, ".json")) continue;
        v = xalloc(v, (*n + 1) * sizeof *v);
        size_t k = strlen(de->d_name) - 5;
        v[*n] = xalloc(NULL, k + 1);
        memcpy(v[*n], de->d_name, k);
        v[(*n)++][k] = 0;
    }
    closedir(dp);
    if (*n) qsort(v, *n, sizeof *v, cmp_str);
    return v;
}

int sayso_quotelist_is_gold(const char *dir)
{
    char p[4096];
    struct stat st;
    snprintf(p, sizeof p, "%s/text", dir);
    if (stat(p, &st) == 0 && S_ISDIR(st.st_mode)) return 0;
    size_t n;
    char **v = list_docs(dir, &n);
    for (size_t i = 0; i < n; i++) free(v[i]);
    free(v);
    return n > 0;
}

/* The code point offset of byte b of text (b on a character boundary). */
static size_t cp_at(const char *text, size_t b)
{
    size_t n = 0;
    for (size_t i = 0; i < b; i++) n += ((unsigned char)text[i] & 0xC0) != 0x80;
    return n;
}

/* The \w+ runs of text[bs, be), in code points from cs. */
static void words_of(const char *text, size_t bs, size_t be, size_t cs, gquote *g)
{
    size_t cap = 0, i = bs, cp = cs, start = 0;
    int in = 0;
    while (i <= be) {
        utf8proc_int32_t c = -1;
        utf8proc_ssize_t k = 1;
        if (i < be) {
            k = utf8proc_iterate((const utf8proc_uint8_t *)text + i, (utf8proc_ssize_t)(be - i), &c);
            if (k < 1) { k = 1; c = 0xFFFD; }
        }
        int w = i < be && sayso_eval_is_word(c);
        if (w && !in) { start = cp; in = 1; }
        if (!w && in) {
            if (g->nw == cap) g->w = xalloc(g->w, (cap = cap ? 2 * cap : 16) * sizeof *g->w);
            g->w[g->nw++] = (cspan){start, cp};
            in = 0;
        }
        if (i == be) break;
        i += (size_t)k;
        cp++;
    }
}

/* The first occurrence of needle[0, n) in hay[0, len), or NULL. */
static const char *find_bytes(const char *hay, size_t len, const char *needle, size_t n)
{
    for (const char *p = hay; n && (size_t)(hay + len - p) >= n; p++) {
        p = memchr(p, needle[0], (size_t)(hay + len - p) - n + 1);
        if (!p) return NULL;
        if (memcmp(p, needle, n) == 0) return p;
    }
    return NULL;
}

/* Reads DOC.json; returns the number of quotes (0 with a message when the
 * file is unusable: *bad is set). */
static size_t read_gold(const char *path, const char *text, size_t len, gquote **out, int *bad, FILE *err)
{
    size_t jl;
    char *js = sayso_read_file(path, &jl);
    *out = NULL;
    if (!js) { fprintf(err, "%s: %s; skipped\n", path, strerror(errno)); *bad = 1; return 0; }
    cJSON *j = cJSON_ParseWithLength(js, jl);
    free(js);
    const cJSON *qs = j ? cJSON_GetObjectItemCaseSensitive(j, "quotes") : NULL;
    if (!cJSON_IsArray(qs)) {
        fprintf(err, "%s: not a quotation list (no \"quotes\" array); skipped\n", path);
        cJSON_Delete(j);
        *bad = 1;
        return 0;
    }
    size_t n = 0, i = 0;
    gquote *g = xalloc(NULL, ((size_t)cJSON_GetArraySize(qs) + 1) * sizeof *g);
    const cJSON *q;
    cJSON_ArrayForEach(q, qs) {
        i++;
        const cJSON *t = cJSON_GetObjectItemCaseSensitive(q, "text"), *s = cJSON_GetObjectItemCaseSensitive(q, "speaker");
        if (!cJSON_IsString(t) || !cJSON_IsString(s) || !t->valuestring[0]) {
            fprintf(err, "%s: quote %zu: needs \"text\" and \"speaker\" strings; skipped\n", path, i);
            *bad = 1;
            continue;
        }
        gquote x = {xstrdup(t->valuestring), xstrdup(s->valuestring), 0, 0, NULL, 0};
        const char *at = find_bytes(text, len, x.text, strlen(x.text));
        if (!at) {
            fprintf(err, "%s: quote %zu: its text is not in the article; counted as missed\n", path, i);
            *bad = 1;
        } else {
            size_t b = (size_t)(at - text);
            x.s = cp_at(text, b);
            x.e = x.s + cp_at(x.text, strlen(x.text));
            words_of(text, b, b + strlen(x.text), x.s, &x);
        }
        g[n++] = x;
    }
    cJSON_Delete(j);
    *out = g;
    return n;
}

/* Words of g that p covers. */
static size_t covered(const gquote *g, const pquote *p)
{
    size_t n = 0;
    for (size_t k = 0; k < g->nw; k++)
        for (int c = 0; c < p->nc; c++)
            if (p->c[c].s <= g->w[k].s && g->w[k].e <= p->c[c].e) { n++; break; }
    return n;
}

/* Code points of p's content. */
static size_t extent(const pquote *p)
{
    size_t n = 0;
    for (int c = 0; c < p->nc; c++) n += p->c[c].e - p->c[c].s;
    return n;
}

/* The prediction that covers most of g's words, when it covers half. Of
 * predictions that cover as many, the shortest: in "A blog is reporting
 * that ... she called the user “rude”", the reporter's clause
 * and the speaker's both hold the quotation, and the words are the
 * innermost speaker's. */
static long best_cover(const gquote *g, const pquote *p, size_t np)
{
    long best = -1;
    size_t bc = 0, bx = 0;
    for (size_t i = 0; i < np; i++) {
        size_t c = covered(g, &p[i]);
        if (!c) continue;
        size_t x = extent(&p[i]);
        if (c > bc || (c == bc && x < bx)) { bc = c; bx = x; best = (long)i; }
    }
    return g->nw && bc * 2 >= g->nw ? best : -1;
}

/* Prints text from code point s to e, at most max code points of it. */
static void put_excerpt(FILE *f, const char *text, size_t len, size_t s, size_t e, size_t max)
{
    size_t cp = 0, i = 0;
    for (; i < len && cp < s; i++)
        if (((unsigned char)text[i] & 0xC0) != 0x80 && ++cp == s) {
            i++;
            break;
        }
    while (i < len && ((unsigned char)text[i] & 0xC0) == 0x80) i++;
    for (size_t k = 0; i < len && (cp < e || ((unsigned char)text[i] & 0xC0) == 0x80); i++) {
        if (((unsigned char)text[i] & 0xC0) != 0x80) {
            if (k++ == max) { fputs("…", f); return; }
            cp++;
        }
        fputc(text[i] == '\n' ? ' ' : text[i], f);
    }
}

static void score_doc(const char *id, const char *text, size_t len, const gquote *g, size_t ng, const pquote *p,
                      size_t np, counts *c, FILE *errs)
{
    c->gold += ng;
    for (size_t i = 0; i < ng; i++) {
        long b = best_cover(&g[i], p, np);
        int unknown = strcmp(g[i].speaker, "UNKNOWN") == 0;
        if (!unknown) c->named++;
        if (b < 0) {
            if (errs) {
                fprintf(errs, "MISS     %s  speaker %s  “", id, g[i].speaker);
                put_excerpt(errs, text, len, g[i].s, g[i].e, 100);
                fputs("”\n", errs);
            }
            continue;
        }
        c->found++;
        if (unknown) { c->end_to_end++; continue; }
        c->named_found++;
        const char *ps = p[b].speaker;
        if (ps && strcasecmp(ps, g[i].speaker) == 0) {
            c->speaker_right++;
            c->end_to_end++;
        } else if (errs) {
            fprintf(errs, "SPEAKER  %s  gold %s | predicted %s  “", id, g[i].speaker, ps ? ps : "(none)");
            put_excerpt(errs, text, len, g[i].s, g[i].e, 100);
            fputs("”\n", errs);
        }
    }
    for (size_t i = 0; i < np; i++) {
        if (!p[i].marked) continue;
        c->pred_marked++;
        int right = 0;
        for (size_t k = 0; k < ng && !right; k++) right = g[k].nw && covered(&g[k], &p[i]) * 2 >= g[k].nw;
        c->pred_right += right;
        if (!right && errs) {
            fprintf(errs, "FALSE    %s  speaker %s  ", id, p[i].speaker ? p[i].speaker : "(none)");
            put_excerpt(errs, text, len, p[i].c[0].s, p[i].c[p[i].nc - 1].e, 100);
            fputc('\n', errs);
        }
    }
}

/* ---- predictions from a file ---------------------------------------------- */

typedef struct {
    char *doc;
    pquote q;
} fpred;

static int cmp_fpred(const void *a, const void *b)
{
    const fpred *x = a, *y = b;
    int c = strcmp(x->doc, y->doc);
    return c ? c : (x->q.line > y->q.line) - (x->q.line < y->q.line);
}

static long read_preds(const char *path, fpred **out, size_t *nout, FILE *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) { fprintf(err, "%s: %s\n", path, strerror(errno)); return -1; }
    char *line = NULL;
    size_t cap = 0, lineno = 0, n = 0, pcap = 0;
    ssize_t got;
    long bad = 0;
    fpred *v = NULL;
    while ((got = getline(&line, &cap, f)) >= 0) {
        lineno++;
        if (strspn(line, " \t\r\n") == (size_t)got) continue;
        cJSON *j = cJSON_ParseWithLength(line, (size_t)got);
        const cJSON *d = j ? cJSON_GetObjectItemCaseSensitive(j, "doc") : NULL;
        const cJSON *ct = j ? cJSON_GetObjectItemCaseSensitive(j, "content") : NULL;
        const char *why = !j ? "not valid JSON" : !cJSON_IsString(d) ? "\"doc\" missing or not a string"
                        : !cJSON_IsArray(ct) || !cJSON_GetArraySize(ct) ? "\"content\" must be a non-empty list of [start, end] pairs"
                        : NULL;
        fpred x;
        memset(&x, 0, sizeof x);
        const cJSON *sp, *spans = why ? NULL : ct;
        cJSON_ArrayForEach(sp, spans) {
            const cJSON *a = cJSON_GetArrayItem(sp, 0), *b = cJSON_GetArrayItem(sp, 1);
            if (!cJSON_IsNumber(a) || !cJSON_IsNumber(b) || a->valuedouble < 0 || b->valuedouble < a->valuedouble) {
                why = "\"content\" must be a non-empty list of [start, end] pairs";
                break;
            }
            if (x.q.nc < SAYSO_MAX_FRAGMENTS) x.q.c[x.q.nc++] = (cspan){(size_t)a->valuedouble, (size_t)b->valuedouble};
        }
        if (why) {
            fprintf(err, "%s:%zu: %s; line skipped\n", path, lineno, why);
            bad++;
            cJSON_Delete(j);
            continue;
        }
        const cJSON *s = cJSON_GetObjectItemCaseSensitive(j, "speaker"), *t = cJSON_GetObjectItemCaseSensitive(j, "type");
        x.doc = xstrdup(d->valuestring);
        x.q.speaker = cJSON_IsString(s) ? xstrdup(s->valuestring) : NULL;
        x.q.marked = !cJSON_IsString(t) || strcmp(t->valuestring, "indirect") != 0;
        x.q.line = lineno;
        if (n == pcap) v = xalloc(v, (pcap = pcap ? 2 * pcap : 256) * sizeof *v);
        v[n++] = x;
        cJSON_Delete(j);
    }
    free(line);
    fclose(f);
    if (n) qsort(v, n, sizeof *v, cmp_fpred);
    *out = v;
    *nout = n;
    return bad;
}

/* ---- the run ---------------------------------------------------------------- */

static double ratio(size_t a, size_t b) { return b ? (double)a / (double)b : 0.0; }

int sayso_quotelist_run(const sayso_eval_options *opt, FILE *out, FILE *err)
{
    size_t ndocs;
    char **docs = list_docs(opt->gold_dir, &ndocs);
    if (!ndocs) {
        fprintf(err, "sayso eval: %s: no DOC.json quotation lists\n", opt->gold_dir);
        free(docs);
        return 2;
    }
    int rc = 0;
    fpred *fp = NULL;
    size_t nfp = 0, at = 0;
    sayso_extractor *ex = NULL;
    if (opt->pred_path) {
        long bad = read_preds(opt->pred_path, &fp, &nfp, err);
        if (bad < 0) rc = 2;
        else if (bad > 0) rc = 1;
    } else if (!(ex = sayso_eval_extractor(opt))) {
        fputs("sayso eval: out of memory\n", err);
        rc = 2;
    }
    counts c;
    memset(&c, 0, sizeof c);
    size_t scored = 0;
    char *errbuf = NULL;
    size_t errlen = 0;
    FILE *errs = opt->errors && rc != 2 ? open_memstream(&errbuf, &errlen) : NULL;
    for (size_t di = 0; rc != 2 && di < ndocs; di++) {
        char tpath[4096], jpath[4096];
        snprintf(tpath, sizeof tpath, "%s/%s.txt", opt->gold_dir, docs[di]);
        snprintf(jpath, sizeof jpath, "%s/%s.json", opt->gold_dir, docs[di]);
        size_t len;
        char *text = sayso_read_file(tpath, &len);
        if (!text) {
            fprintf(err, "%s: %s; skipped\n", tpath, strerror(errno));
            rc = 1;
            continue;
        }
        int bad = 0;
        gquote *g;
        size_t ng = read_gold(jpath, text, len, &g, &bad, err);
        if (bad) rc = 1;
        pquote *p = NULL;
        size_t np = 0;
        if (ex) {
            const sayso_quote *q;
            if (sayso_eval_extract(ex, docs[di], text, len, tpath, &q, &np, err) < 0) rc = 1;
            p = xalloc(NULL, (np + 1) * sizeof *p);
            for (size_t i = 0; i < np; i++) {
                memset(&p[i], 0, sizeof p[i]);
                for (int k = 0; k < q[i].n_content && k < SAYSO_MAX_FRAGMENTS; k++)
                    p[i].c[p[i].nc++] = (cspan){q[i].content[k].start, q[i].content[k].end};
                p[i].speaker = q[i].speaker ? xstrdup(q[i].speaker) : NULL;
                p[i].marked = q[i].type != SAYSO_INDIRECT;
                p[i].line = i + 1;
            }
        } else {
            while (at < nfp && strcmp(fp[at].doc, docs[di]) < 0) at++;
            size_t from = at;
            while (at < nfp && strcmp(fp[at].doc, docs[di]) == 0) at++;
            np = at - from;
            p = xalloc(NULL, (np + 1) * sizeof *p);
            for (size_t i = 0; i < np; i++) {
                p[i] = fp[from + i].q;
                p[i].speaker = p[i].speaker ? xstrdup(p[i].speaker) : NULL;
            }
        }
        score_doc(docs[di], text, len, g, ng, p, np, &c, errs);
        scored++;
        for (size_t i = 0; i < ng; i++) { free(g[i].text); free(g[i].speaker); free(g[i].w); }
        for (size_t i = 0; i < np; i++) free(p[i].speaker);
        free(g);
        free(p);
        free(text);
    }
    if (errs) fclose(errs);
    if (rc != 2) {
        double found = ratio(c.found, c.gold), prec = ratio(c.pred_right, c.pred_marked),
               spk = ratio(c.speaker_right, c.named_found), e2e = ratio(c.end_to_end, c.gold);
        if (opt->json) {
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "gold_dir", opt->gold_dir);
            cJSON_AddStringToObject(o, "predictions", opt->pred_path ? opt->pred_path : "extractor");
            cJSON_AddNumberToObject(o, "docs", (double)scored);
            cJSON_AddNumberToObject(o, "gold_quotes", (double)c.gold);
            cJSON_AddNumberToObject(o, "found", found);
            cJSON_AddNumberToObject(o, "precision", prec);
            cJSON_AddNumberToObject(o, "speaker_right_given_found", spk);
            cJSON_AddNumberToObject(o, "end_to_end", e2e);
            char *s = cJSON_Print(o);
            if (s) fprintf(out, "%s\n", s);
            free(s);
            cJSON_Delete(o);
        } else {
            fprintf(out, "%zu documents scored (quotation lists %s, predictions %s)\n\n", scored, opt->gold_dir,
                    opt->pred_path ? opt->pred_path : "from the extractor");
            fprintf(out, "  quotes found               %.3f (%zu/%zu)\n", found, c.found, c.gold);
            fprintf(out, "  precision                  %.3f (%zu/%zu predicted quotes with quotation marks)\n", prec,
                    c.pred_right, c.pred_marked);
            fprintf(out, "  speaker right | found      %.3f (%zu/%zu found with a named speaker)\n", spk,
                    c.speaker_right, c.named_found);
            fprintf(out, "  end to end                 %.3f (%zu/%zu found with the right speaker, or UNKNOWN)\n", e2e,
                    c.end_to_end, c.gold);
            if (errbuf) {
                fputs("\nErrors (MISS: gold quote not found, SPEAKER: found with a wrong speaker, FALSE: a predicted"
                      " quote with marks that is no gold quote)\n",
                      out);
                fwrite(errbuf, 1, errlen, out);
            }
        }
    }
    free(errbuf);
    if (ex) sayso_extractor_free(ex);
    for (size_t i = 0; i < nfp; i++) { free(fp[i].doc); free(fp[i].q.speaker); }
    free(fp);
    for (size_t i = 0; i < ndocs; i++) free(docs[i]);
    free(docs);
    return rc;
}
