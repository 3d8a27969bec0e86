/*
 * test_eval.c — `sayso eval`: BRAT reading, the matching rules and the scores,
 * on small gold directories written here (invented sentences), plus the gold
 * counts of PolNeAR dev when ../shared is present.
 */
#include "testutil.h"

#include <cJSON.h>
#include <math.h>

#include "eval.h"

/* ------------------------------------------------------------------------ */
/* helpers                                                                  */

static char *tmp_path(const char *name)
{
    static char buf[8][4096];
    static int k;
    char *b = buf[k++ % 8];
    snprintf(b, sizeof buf[0], "%s/eval_%s", tu_env("SAYSO_TMP", "/tmp"), name);
    return b;
}

/* A fresh gold directory with empty text/ and attributions/. */
static const char *gold_dir(const char *name)
{
    const char *dir = tmp_path(name);
    char cmd[9000];
    snprintf(cmd, sizeof cmd, "rm -rf '%s' && mkdir -p '%s/text' '%s/attributions'", dir, dir, dir);
    assert_int_equal(system(cmd), 0);
    return dir;
}

static void put(const char *dir, const char *rel, const char *data)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    assert_int_equal(tu_write_file(path, data, strlen(data)), 0);
}

static size_t cps(const char *s, size_t bytes)
{
    size_t n = 0;
    for (size_t i = 0; i < bytes; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80) n++;
    return n;
}

/* Finds pattern in text; the part in [brackets] (or all of it) is the span.
 * Returns code point offsets. */
static void spot(const char *text, const char *pattern, size_t *s, size_t *e)
{
    char lit[1024];
    size_t n = 0, open = 0, close = (size_t)-1;
    for (const char *p = pattern; *p; p++) {
        if (*p == '[') open = n;
        else if (*p == ']') close = n;
        else lit[n++] = *p;
    }
    lit[n] = 0;
    if (close == (size_t)-1) close = n;
    const char *hit = strstr(text, lit);
    if (!hit) fail_msg("pattern not in text: %s", pattern);
    size_t b = (size_t)(hit - text);
    *s = cps(text, b + open);
    *e = cps(text, b + close);
}

/* Appends fragments "s e;s e" for a pattern list separated by " || ". */
static void frags(char *out, size_t cap, const char *text, const char *patterns, int json)
{
    char tmp[1024];
    snprintf(tmp, sizeof tmp, "%s", patterns);
    out[0] = 0;
    if (json) strncat(out, "[", cap - strlen(out) - 1);
    int first = 1;
    for (char *p = tmp; p; ) {
        char *sep = strstr(p, " || ");
        if (sep) *sep = 0;
        size_t s, e;
        spot(text, p, &s, &e);
        char f[64];
        if (json) snprintf(f, sizeof f, "%s[%zu,%zu]", first ? "" : ",", s, e);
        else snprintf(f, sizeof f, "%s%zu %zu", first ? "" : ";", s, e);
        strncat(out, f, cap - strlen(out) - 1);
        first = 0;
        p = sep ? sep + 4 : NULL;
    }
    if (json) strncat(out, "]", cap - strlen(out) - 1);
}

/* Appends one attribution (T lines + E line) to an .ann buffer; source or
 * cue may be NULL. The span text column is a placeholder: offsets rule. */
static void ann_add(char *ann, size_t cap, int *t, int *ev, const char *text,
                    const char *content, const char *source, const char *cue)
{
    char line[2048], f[256], args[256] = "";
    const char *pat[3] = {content, source, cue};
    const char *type[3] = {"Content", "Source", "Cue"};
    int ids[3] = {0, 0, 0};
    for (int i = 0; i < 3; i++) {
        if (!pat[i]) continue;
        frags(f, sizeof f, text, pat[i], 0);
        ids[i] = ++*t;
        snprintf(line, sizeof line, "T%d\t%s %s\tspan %d\n", ids[i], type[i], f, ids[i]);
        strncat(ann, line, cap - strlen(ann) - 1);
    }
    int at = ++*t;
    if (cue) {
        frags(f, sizeof f, text, cue, 0);
        snprintf(line, sizeof line, "T%d\tAttribution %s\tcue\n", at, f);
    } else {
        snprintf(line, sizeof line, "T%d\tAttribution-no-source 0 1\tx\n", at);
    }
    strncat(ann, line, cap - strlen(ann) - 1);
    snprintf(args, sizeof args, "Attribution:T%d", at);
    for (int i = 0; i < 3; i++) {
        if (!ids[i]) continue;
        char a[32];
        snprintf(a, sizeof a, " %s:T%d", type[i], ids[i]);
        strncat(args, a, sizeof args - strlen(args) - 1);
    }
    snprintf(line, sizeof line, "E%d\t%s\n", ++*ev, args);
    strncat(ann, line, cap - strlen(ann) - 1);
}

/* Appends one prediction line to a JSONL buffer. */
static void pred_add(char *jl, size_t cap, const char *doc, const char *text,
                     const char *content, const char *source, const char *cue)
{
    char c[256], s[256] = "null", q[256] = "null", line[1024];
    frags(c, sizeof c, text, content, 1);
    if (source) frags(s, sizeof s, text, source, 1);
    if (cue) frags(q, sizeof q, text, cue, 1);
    snprintf(line, sizeof line, "{\"doc\":\"%s\",\"content\":%s,\"cue\":%s,\"source\":%s}\n",
             doc, c, q, s);
    strncat(jl, line, cap - strlen(jl) - 1);
}

typedef struct {
    int rc;
    char *out, *err;
    cJSON *json;
} run_result;

static run_result run(const char *gold, const char *pred, int json, int errors)
{
    sayso_eval_options opt = {.gold_dir = gold, .pred_path = pred, .errors = errors, .json = json};
    run_result r;
    size_t no, ne;
    FILE *out = open_memstream(&r.out, &no), *err = open_memstream(&r.err, &ne);
    assert_non_null(out);
    assert_non_null(err);
    r.rc = sayso_eval_run(&opt, out, err);
    fclose(out);
    fclose(err);
    r.json = json ? cJSON_Parse(r.out) : NULL;
    if (json && r.rc != 2 && !r.json) fail_msg("output is not JSON:\n%s", r.out);
    return r;
}

static void run_free(run_result *r)
{
    free(r->out);
    free(r->err);
    cJSON_Delete(r->json);
}

/* Number at a dotted path ("subset.quotes.found_rate"). */
static double num(const cJSON *j, const char *path)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", path);
    const cJSON *x = j;
    for (char *tok = strtok(buf, "."); tok; tok = strtok(NULL, "."))
        x = cJSON_GetObjectItemCaseSensitive(x, tok);
    if (!cJSON_IsNumber(x)) fail_msg("no number at %s", path);
    return x->valuedouble;
}

#define ASSERT_NUM(j, path, want)                                                      \
    do {                                                                               \
        double got_ = num((j), (path));                                                \
        if (fabs(got_ - (double)(want)) > 1e-9)                                        \
            fail_msg("%s: got %.6f, want %.6f", (path), got_, (double)(want));        \
    } while (0)

/* ------------------------------------------------------------------------ */
/* a small article used by several tests                                    */

static const char *const HARBOUR =
    "Mayor Ada Brook spoke on Monday.\n"
    "\n"
    "\xE2\x80\x9CThe new bridge will open in May,\xE2\x80\x9D Brook said at the harbour.\n"
    "\n"
    "Officials said the budget was tight.\n";

#define C_DIRECT "[\xE2\x80\x9CThe new bridge will open in May,\xE2\x80\x9D]"
#define C_INDIRECT "said [the budget was tight]"

static const char *harbour_gold(const char *name)
{
    const char *dir = gold_dir(name);
    char ann[4096] = "";
    int t = 0, e = 0;
    put(dir, "text/harbour.txt", HARBOUR);
    ann_add(ann, sizeof ann, &t, &e, HARBOUR, C_DIRECT, "[Brook] said", "Brook [said]");
    ann_add(ann, sizeof ann, &t, &e, HARBOUR, C_INDIRECT, "[Officials] said", "Officials [said]");
    put(dir, "attributions/harbour_abcd.ann", ann);
    return dir;
}

static const char *write_pred(const char *name, const char *jsonl)
{
    const char *path = tmp_path(name);
    assert_int_equal(tu_write_file(path, jsonl, strlen(jsonl)), 0);
    return path;
}

/* ------------------------------------------------------------------------ */
/* tests                                                                    */

static void test_perfect(void **state)
{
    (void)state;
    const char *dir = harbour_gold("perfect");
    char jl[4096] = "";
    pred_add(jl, sizeof jl, "harbour", HARBOUR, C_DIRECT, "[Brook] said", "Brook [said]");
    pred_add(jl, sizeof jl, "harbour", HARBOUR, C_INDIRECT, "[Officials] said", "Officials [said]");
    run_result r = run(dir, write_pred("perfect.jsonl", jl), 1, 0);
    assert_int_equal(r.rc, 0);
    ASSERT_NUM(r.json, "docs", 1);
    ASSERT_NUM(r.json, "all.gold", 2);
    ASSERT_NUM(r.json, "all.pred", 2);
    ASSERT_NUM(r.json, "subset.gold", 1);
    ASSERT_NUM(r.json, "subset.pred", 1);
    const char *tab[2] = {"all", "subset"};
    const char *comp[3] = {"content", "source", "cue"};
    const char *m[6] = {"exact_p", "exact_r", "exact_f1", "tok_p", "tok_r", "tok_f1"};
    char path[128];
    for (int i = 0; i < 2; i++) {
        for (int c = 0; c < 3; c++)
            for (int k = 0; k < 6; k++) {
                snprintf(path, sizeof path, "%s.%s.%s", tab[i], comp[c], m[k]);
                ASSERT_NUM(r.json, path, 1.0);
            }
        snprintf(path, sizeof path, "%s.quotes.found_rate", tab[i]);
        ASSERT_NUM(r.json, path, 1.0);
        snprintf(path, sizeof path, "%s.quotes.precision", tab[i]);
        ASSERT_NUM(r.json, path, 1.0);
        snprintf(path, sizeof path, "%s.quotes.source_right_rate", tab[i]);
        ASSERT_NUM(r.json, path, 1.0);
    }
    /* tokens: "The new bridge will open in May" = 7, "the budget was tight" = 4 */
    ASSERT_NUM(r.json, "all.content.gold_tokens", 11);
    ASSERT_NUM(r.json, "subset.content.gold_tokens", 7);
    run_free(&r);

    /* the text tables */
    r = run(dir, write_pred("perfect.jsonl", jl), 0, 0);
    assert_int_equal(r.rc, 0);
    assert_non_null(strstr(r.out, "All attributions (gold 2, predicted 2)"));
    assert_non_null(strstr(r.out, "Quotation-mark subset (gold 1, predicted 1)"));
    assert_non_null(strstr(r.out, "quotes found 1.000 (1/1)"));
    run_free(&r);
}

static void test_missed_quote(void **state)
{
    (void)state;
    const char *dir = harbour_gold("missed");
    char jl[4096] = "";
    pred_add(jl, sizeof jl, "harbour", HARBOUR, C_INDIRECT, "[Officials] said", "Officials [said]");
    run_result r = run(dir, write_pred("missed.jsonl", jl), 1, 0);
    assert_int_equal(r.rc, 0);
    ASSERT_NUM(r.json, "all.quotes.found", 1);
    ASSERT_NUM(r.json, "all.quotes.found_rate", 0.5);
    ASSERT_NUM(r.json, "all.quotes.precision", 1.0);
    ASSERT_NUM(r.json, "all.content.exact_p", 1.0);
    ASSERT_NUM(r.json, "all.content.exact_r", 0.5);
    ASSERT_NUM(r.json, "all.content.tok_r", 4.0 / 11.0);
    ASSERT_NUM(r.json, "subset.gold", 1);
    ASSERT_NUM(r.json, "subset.pred", 0);
    ASSERT_NUM(r.json, "subset.quotes.found_rate", 0.0);
    ASSERT_NUM(r.json, "subset.quotes.precision", 0.0);
    run_free(&r);
}

static void test_wrong_source(void **state)
{
    (void)state;
    const char *dir = harbour_gold("wrongsrc");
    char jl[4096] = "";
    /* "Ada" shares no token with the gold "Brook" */
    pred_add(jl, sizeof jl, "harbour", HARBOUR, C_DIRECT, "Mayor [Ada] Brook", "Brook [said]");
    run_result r = run(dir, write_pred("wrongsrc.jsonl", jl), 1, 1);
    assert_int_equal(r.rc, 0);
    ASSERT_NUM(r.json, "subset.quotes.found_rate", 1.0);
    ASSERT_NUM(r.json, "subset.quotes.source_right", 0);
    ASSERT_NUM(r.json, "subset.quotes.source_right_rate", 0.0);
    ASSERT_NUM(r.json, "subset.source.exact_p", 0.0);
    ASSERT_NUM(r.json, "subset.cue.exact_f1", 1.0);
    const cJSON *errs = cJSON_GetObjectItemCaseSensitive(r.json, "errors");
    assert_int_equal(cJSON_GetArraySize(errs), 1);
    const char *line = cJSON_GetArrayItem(errs, 0)->valuestring;
    assert_non_null(strstr(line, "SOURCE harbour "));
    assert_non_null(strstr(line, "\"Brook\""));
    assert_non_null(strstr(line, "\"Ada\""));
    run_free(&r);

    /* the full name shares "Brook": right, but not exact */
    jl[0] = 0;
    pred_add(jl, sizeof jl, "harbour", HARBOUR, C_DIRECT, "[Mayor Ada Brook]", "Brook [said]");
    r = run(dir, write_pred("rightsrc.jsonl", jl), 1, 0);
    ASSERT_NUM(r.json, "subset.quotes.source_right_rate", 1.0);
    ASSERT_NUM(r.json, "subset.source.exact_f1", 0.0);
    ASSERT_NUM(r.json, "subset.source.tok_p", 0.0); /* other mention: no positional overlap */
    run_free(&r);
}

static void test_source_case_and_absent(void **state)
{
    (void)state;
    static const char *const T =
        "BROOK, the mayor, spoke. \"Tolls will stay low,\" brook said. "
        "\"It is done,\" it was announced.\n";
    const char *dir = gold_dir("srccase");
    char ann[4096] = "", jl[4096] = "";
    int t = 0, e = 0;
    put(dir, "text/d.txt", T);
    ann_add(ann, sizeof ann, &t, &e, T, "[\"Tolls will stay low,\"]", "[BROOK], the", "brook [said]");
    ann_add(ann, sizeof ann, &t, &e, T, "[\"It is done,\"]", NULL, "it was [announced]");
    put(dir, "attributions/d_zz01.ann", ann);
    pred_add(jl, sizeof jl, "d", T, "[\"Tolls will stay low,\"]", "[brook] said", "brook [said]");
    pred_add(jl, sizeof jl, "d", T, "[\"It is done,\"]", NULL, "it was [announced]");
    run_result r = run(dir, write_pred("srccase.jsonl", jl), 1, 0);
    assert_int_equal(r.rc, 0);
    ASSERT_NUM(r.json, "subset.gold", 2);
    ASSERT_NUM(r.json, "subset.quotes.found", 2);
    ASSERT_NUM(r.json, "subset.quotes.source_right", 2);
    ASSERT_NUM(r.json, "subset.source.gold", 1);
    ASSERT_NUM(r.json, "subset.source.pred", 1);
    ASSERT_NUM(r.json, "subset.source.exact", 0);
    run_free(&r);
}

static void test_subset_rule(void **state)
{
    (void)state;
    static const char *const T =
        "\xE2\x80\x9CHello there,\xE2\x80\x9D the captain said. "
        "The crew said the sea was calm. "
        "The cook said the stew was \"legendary\" and cheap.\n";
    const char *dir = gold_dir("subset");
    char ann[4096] = "", jl[4096] = "";
    int t = 0, e = 0;
    put(dir, "text/ship.txt", T);
    /* content without its curly marks: in (widened by one code point) */
    ann_add(ann, sizeof ann, &t, &e, T, "\xE2\x80\x9C[Hello there,]", "the [captain] said",
            "captain [said]");
    /* indirect: out */
    ann_add(ann, sizeof ann, &t, &e, T, "crew said [the sea was calm]", "The [crew]", "crew [said]");
    /* mixed, with straight marks inside: in */
    ann_add(ann, sizeof ann, &t, &e, T, "cook said [the stew was \"legendary\" and cheap]",
            "The [cook]", "cook [said]");
    put(dir, "attributions/ship_ab12.ann", ann);
    pred_add(jl, sizeof jl, "ship", T, "crew said [the sea was calm]", "The [crew]", "crew [said]");
    run_result r = run(dir, write_pred("subset.jsonl", jl), 1, 0);
    assert_int_equal(r.rc, 0);
    ASSERT_NUM(r.json, "all.gold", 3);
    ASSERT_NUM(r.json, "all.pred", 1);
    ASSERT_NUM(r.json, "subset.gold", 2);
    ASSERT_NUM(r.json, "subset.pred", 0);
    ASSERT_NUM(r.json, "all.quotes.found", 1);
    run_free(&r);
}

static void test_trimming(void **state)
{
    (void)state;
    static const char *const T =
        "\xE2\x80\x9CHello.\xE2\x80\x9D she said. He said: \"Fine, thanks!\" and left.\n";
    const char *dir = gold_dir("trim");
    char ann[4096] = "", jl[4096] = "";
    int t = 0, e = 0;
    put(dir, "text/t.txt", T);
    ann_add(ann, sizeof ann, &t, &e, T, "[\xE2\x80\x9CHello.\xE2\x80\x9D]", "[she] said", "she [said]");
    ann_add(ann, sizeof ann, &t, &e, T, "[\"Fine, thanks!\"]", "[He] said", "He [said]");
    put(dir, "attributions/t_ab12.ann", ann);
    pred_add(jl, sizeof jl, "t", T, "\xE2\x80\x9C[Hello]", "[she] said", "she [said]");
    pred_add(jl, sizeof jl, "t", T, "said:[ \"Fine, thanks]!", "[He] said", "He [said]");
    run_result r = run(dir, write_pred("trim.jsonl", jl), 1, 0);
    assert_int_equal(r.rc, 0);
    ASSERT_NUM(r.json, "all.content.exact", 2);
    ASSERT_NUM(r.json, "subset.content.exact_f1", 1.0);
    ASSERT_NUM(r.json, "subset.content.tok_f1", 1.0);
    run_free(&r);
}

static void test_token_overlap(void **state)
{
    (void)state;
    static const char *const T =
        "Engineers said the new bridge will carry four lanes of traffic, "
        "and added that tolls would stay low for residents.\n";
    const char *dir = gold_dir("overlap");
    char ann[4096] = "", jl[4096] = "";
    int t = 0, e = 0;
    put(dir, "text/o.txt", T);
    /* 7 content tokens */
    ann_add(ann, sizeof ann, &t, &e, T, "said [the new bridge will carry four lanes] of",
            "[Engineers]", "Engineers [said]");
    /* 6 content tokens */
    ann_add(ann, sizeof ann, &t, &e, T, "that [tolls would stay low for residents]",
            "[Engineers]", "and [added]");
    put(dir, "attributions/o_ab12.ann", ann);
    /* covers 5 of the 7 gold tokens (71%): found; 7 predicted tokens */
    pred_add(jl, sizeof jl, "o", T, "the new [bridge will carry four lanes of traffic]",
             "[Engineers]", "Engineers [said]");
    /* a second prediction on the same gold quote: a false alarm */
    pred_add(jl, sizeof jl, "o", T, "the [new bridge] will", NULL, NULL);
    /* covers 1 of 6 tokens of the second quote: not found */
    pred_add(jl, sizeof jl, "o", T, "for [residents.]", "[Engineers]", NULL);
    run_result r = run(dir, write_pred("overlap.jsonl", jl), 1, 0);
    assert_int_equal(r.rc, 0);
    ASSERT_NUM(r.json, "all.content.gold_tokens", 13);
    ASSERT_NUM(r.json, "all.content.pred_tokens", 7 + 2 + 1);
    /* pairs: pred1-gold1 (5), pred3-gold2 (1); pred2 unpaired */
    ASSERT_NUM(r.json, "all.content.overlap_tokens", 6);
    ASSERT_NUM(r.json, "all.content.tok_p", 6.0 / 10.0);
    ASSERT_NUM(r.json, "all.content.tok_r", 6.0 / 13.0);
    ASSERT_NUM(r.json, "all.source.tok_p", 1.0);
    ASSERT_NUM(r.json, "all.source.tok_r", 1.0);
    ASSERT_NUM(r.json, "all.cue.tok_p", 1.0);
    ASSERT_NUM(r.json, "all.cue.tok_r", 0.5);
    ASSERT_NUM(r.json, "all.source.exact_p", 1.0);
    ASSERT_NUM(r.json, "all.source.exact_r", 1.0);
    ASSERT_NUM(r.json, "all.quotes.found", 1);
    ASSERT_NUM(r.json, "all.quotes.found_rate", 0.5);
    ASSERT_NUM(r.json, "all.quotes.precision", 1.0 / 3.0);
    ASSERT_NUM(r.json, "all.content.exact", 0);
    run_free(&r);
}

static void test_malformed_pred_line(void **state)
{
    (void)state;
    const char *dir = harbour_gold("badjson");
    char jl[4096] = "";
    pred_add(jl, sizeof jl, "harbour", HARBOUR, C_DIRECT, "[Brook] said", "Brook [said]");
    strcat(jl, "{\"doc\": \"harbour\", \"content\": [[1, 2]\n");      /* line 2: cut short */
    strcat(jl, "{\"doc\": \"harbour\", \"content\": \"12-40\"}\n");   /* line 3: wrong type */
    strcat(jl, "\n");
    strcat(jl, "{\"doc\": \"harbour\", \"content\": [[5, 999999]]}\n"); /* line 5: past the end */
    strcat(jl, "{\"doc\": \"elsewhere\", \"content\": [[0, 3]]}\n");   /* not in gold: ignored */
    pred_add(jl, sizeof jl, "harbour", HARBOUR, C_INDIRECT, "[Officials] said", "Officials [said]");
    const char *pred = write_pred("badjson.jsonl", jl);
    run_result r = run(dir, pred, 1, 0);
    assert_int_equal(r.rc, 1);
    char want[4200];
    for (int line = 2; line <= 5; line += (line == 3 ? 2 : 1)) {
        snprintf(want, sizeof want, "%s:%d:", pred, line);
        if (!strstr(r.err, want)) fail_msg("no message for line %d in:\n%s", line, r.err);
    }
    ASSERT_NUM(r.json, "all.pred", 2);
    ASSERT_NUM(r.json, "all.quotes.found_rate", 1.0);
    ASSERT_NUM(r.json, "all.quotes.precision", 1.0);
    run_free(&r);
}

static void test_multiline_ann(void **state)
{
    (void)state;
    /* a quote split by its cue, running over a line break */
    static const char *const T =
        "\xE2\x80\x9CThe plan has\nE3 stages,\xE2\x80\x9D Reyes said, \xE2\x80\x9C"
        "and\nT4 options.\xE2\x80\x9D\n";
    const char *dir = gold_dir("multiline");
    char f1[128], f2[128], fs[64], fc[64], ann[4096];
    put(dir, "text/m.txt", T);
    frags(f1, sizeof f1, T, "[\xE2\x80\x9CThe plan has\nE3 stages,\xE2\x80\x9D]", 0);
    frags(f2, sizeof f2, T, "[\xE2\x80\x9C" "and\nT4 options.\xE2\x80\x9D]", 0);
    frags(fs, sizeof fs, T, "[Reyes]", 0);
    frags(fc, sizeof fc, T, "Reyes [said]", 0);
    snprintf(ann, sizeof ann,
             "T1\tContent %s;%s\t\xE2\x80\x9CThe plan has\n"
             "E3 stages,\xE2\x80\x9D \xE2\x80\x9C" "and\n"
             "T4 options.\xE2\x80\x9D\n"
             "T2\tSource %s\tReyes\n"
             "T3\tCue %s\tsaid\n"
             "T5\tAttribution %s\tsaid\n"
             "#1\tAnnotatorNotes T1\ta note\n"
             "E1\tAttribution:T5 Content:T1 Cue:T3 Source:T2\n",
             f1, f2, fs, fc, fc);
    put(dir, "attributions/m_ab12.ann", ann);
    char jl[4096] = "";
    pred_add(jl, sizeof jl, "m", T,
             "[\xE2\x80\x9CThe plan has\nE3 stages,\xE2\x80\x9D] || [\xE2\x80\x9C" "and\nT4 options.\xE2\x80\x9D]",
             "[Reyes]", "Reyes [said]");
    run_result r = run(dir, write_pred("multiline.jsonl", jl), 1, 0);
    if (r.rc != 0) fail_msg("rc %d:\n%s", r.rc, r.err);
    ASSERT_NUM(r.json, "all.gold", 1);
    ASSERT_NUM(r.json, "subset.gold", 1);
    ASSERT_NUM(r.json, "subset.content.gold_tokens", 8);
    ASSERT_NUM(r.json, "subset.content.exact", 1);
    ASSERT_NUM(r.json, "subset.source.exact", 1);
    ASSERT_NUM(r.json, "subset.cue.exact", 1);
    run_free(&r);

    /* fragments in the other order, and trimmed: still the same set */
    jl[0] = 0;
    pred_add(jl, sizeof jl, "m", T,
             "\xE2\x80\x9C[and\nT4 options]. || \xE2\x80\x9C[The plan has\nE3 stages],",
             "[Reyes]", "Reyes [said]");
    r = run(dir, write_pred("multiline2.jsonl", jl), 1, 0);
    ASSERT_NUM(r.json, "subset.content.exact", 1);
    run_free(&r);
}

static void test_first_annotator(void **state)
{
    (void)state;
    static const char *const T = "Pat said the park will reopen. Lee said it will not.\n";
    const char *dir = gold_dir("annotators");
    char a1[4096] = "", a2[4096] = "";
    int t = 0, e = 0;
    put(dir, "text/x_y.txt", T);
    put(dir, "text/x.txt", T);
    ann_add(a1, sizeof a1, &t, &e, T, "said [the park will reopen]", "[Pat]", "Pat [said]");
    t = e = 0;
    ann_add(a2, sizeof a2, &t, &e, T, "said [the park will reopen]", "[Pat]", "Pat [said]");
    ann_add(a2, sizeof a2, &t, &e, T, "said [it will not]", "[Lee]", "Lee [said]");
    put(dir, "attributions/x_y_bbbb.ann", a2);
    put(dir, "attributions/x_y_aaaa.ann", a1); /* first in sorted order: 1 attribution */
    put(dir, "attributions/x_zzzz.ann", a2);   /* doc x: 2 attributions */
    run_result r = run(dir, write_pred("annotators.jsonl", ""), 1, 0);
    assert_int_equal(r.rc, 0);
    ASSERT_NUM(r.json, "docs", 2);
    ASSERT_NUM(r.json, "all.gold", 3);
    run_free(&r);
}

static void test_unusable_dirs(void **state)
{
    (void)state;
    run_result r = run(tmp_path("does_not_exist"), NULL, 1, 0);
    assert_int_equal(r.rc, 2);
    assert_non_null(strstr(r.err, "does_not_exist"));
    run_free(&r);

    const char *dir = gold_dir("noann");
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "rmdir '%s/attributions'", dir);
    assert_int_equal(system(cmd), 0);
    put(dir, "text/a.txt", "Someone said something.\n");
    r = run(dir, NULL, 1, 0);
    assert_int_equal(r.rc, 2);
    assert_non_null(strstr(r.err, "attributions"));
    run_free(&r);

    /* a text without annotations is skipped: 1, the rest is scored */
    dir = harbour_gold("orphan");
    put(dir, "text/orphan.txt", "Nobody said anything.\n");
    r = run(dir, write_pred("orphan.jsonl", ""), 1, 0);
    assert_int_equal(r.rc, 1);
    ASSERT_NUM(r.json, "docs", 1);
    ASSERT_NUM(r.json, "skipped_docs", 1);
    ASSERT_NUM(r.json, "all.gold", 2);
    assert_non_null(strstr(r.err, "orphan.txt"));
    run_free(&r);

    /* an unreadable prediction file */
    dir = harbour_gold("nopred");
    r = run(dir, tmp_path("no_such_pred.jsonl"), 1, 0);
    assert_int_equal(r.rc, 2);
    run_free(&r);
}

static void test_error_listing(void **state)
{
    (void)state;
    static const char *const T =
        "\xE2\x80\x9CWe won,\xE2\x80\x9D Kim said. \xE2\x80\x9CWe lost,\xE2\x80\x9D Joe said. "
        "\xE2\x80\x9CRain again\xE2\x80\x9D was the headline.\n";
    const char *dir = gold_dir("errlist");
    char ann[4096] = "", jl[4096] = "";
    int t = 0, e = 0;
    put(dir, "text/e.txt", T);
    ann_add(ann, sizeof ann, &t, &e, T, "[\xE2\x80\x9CWe won,\xE2\x80\x9D]", "[Kim] said", "Kim [said]");
    ann_add(ann, sizeof ann, &t, &e, T, "[\xE2\x80\x9CWe lost,\xE2\x80\x9D]", "[Joe] said", "Joe [said]");
    put(dir, "attributions/e_ab12.ann", ann);
    pred_add(jl, sizeof jl, "e", T, "[\xE2\x80\x9CWe won,\xE2\x80\x9D]", "[Joe] said", "Kim [said]");
    pred_add(jl, sizeof jl, "e", T, "[\xE2\x80\x9CRain again\xE2\x80\x9D]", NULL, NULL);
    run_result r = run(dir, write_pred("errlist.jsonl", jl), 0, 1);
    assert_int_equal(r.rc, 0);
    const char *s = strstr(r.out, "\nSOURCE e ");
    const char *m = strstr(r.out, "\nMISS   e ");
    const char *f = strstr(r.out, "\nFALSE  e ");
    if (!s || !m || !f) fail_msg("error lines missing:\n%s", r.out);
    assert_true(s < m && m < f); /* in text order */
    assert_non_null(strstr(f, "Rain again"));
    assert_non_null(strstr(m, "We lost"));
    run_free(&r);
}

static void test_extractor_mode(void **state)
{
    (void)state;
    const char *dir = harbour_gold("extractor");
    run_result r = run(dir, NULL, 1, 0);
    assert_int_equal(r.rc, 0);
    ASSERT_NUM(r.json, "all.gold", 2);
    ASSERT_NUM(r.json, "subset.gold", 1);
    run_free(&r);
}

/* Without ../shared the PolNeAR test is skipped (cmocka prints SKIPPED with
 * the reason); the other tests still run and decide the exit status. */

/* ------------------------------------------------------------------------ */
/* quotation lists (DOC.txt + DOC.json, the soft-news format)               */

static const char *const BISTRO =
    " date 2024-01-02 The chef Lena Ortiz opened her bistro on Friday.\n"
    "\n"
    "\xE2\x80\x9CWe cook what the market gives us,\xE2\x80\x9D Ortiz said.\n"
    "\n"
    "A neighbour said: \xE2\x80\x9CThe smell alone is worth the rent.\xE2\x80\x9D\n"
    "\n"
    "\xE2\x80\x9CNobody asked me,\xE2\x80\x9D wrote her rival, Marco Ruiz.\n";

static const char *list_dir(const char *name, const char *extra_quote)
{
    const char *dir = tmp_path(name);
    char cmd[9000], json[2048];
    snprintf(cmd, sizeof cmd, "rm -rf '%s' && mkdir -p '%s'", dir, dir);
    assert_int_equal(system(cmd), 0);
    put(dir, "bistro.txt", BISTRO);
    snprintf(json, sizeof json,
             "{\"doc\": \"bistro\", \"quotes\": ["
             "{\"text\": \"We cook what the market gives us,\", \"speaker\": \"Lena Ortiz\"},"
             "{\"text\": \"The smell alone is worth the rent.\", \"speaker\": \"UNKNOWN\"},"
             "{\"text\": \"Nobody asked me,\", \"speaker\": \"Marco Ruiz\"}%s]}",
             extra_quote ? extra_quote : "");
    put(dir, "bistro.json", json);
    return dir;
}

static void list_pred(char *jl, size_t cap, const char *content, const char *speaker, const char *type)
{
    char c[256], line[1024];
    frags(c, sizeof c, BISTRO, content, 1);
    snprintf(line, sizeof line, "{\"doc\":\"bistro\",\"content\":%s,\"speaker\":%s%s%s,\"type\":\"%s\"}\n", c,
             speaker ? "\"" : "", speaker ? speaker : "null", speaker ? "\"" : "", type);
    strncat(jl, line, cap - strlen(jl) - 1);
}

static void test_quote_list(void **state)
{
    (void)state;
    const char *dir = list_dir("list", NULL);
    char jl[4096] = "";
    /* the whole quote, the speaker in another case: found, right */
    list_pred(jl, sizeof jl, "[\xE2\x80\x9CWe cook what the market gives us,\xE2\x80\x9D]", "lena ortiz", "direct");
    /* four of its seven words: half or more, found; UNKNOWN counts for found only */
    list_pred(jl, sizeof jl, "The smell alone [is worth the rent]", "Lena Ortiz", "mixed");
    /* found with the wrong speaker */
    list_pred(jl, sizeof jl, "[Nobody asked me,]", "Lena Ortiz", "direct");
    /* a quote with marks that is nobody's gold quote: a false alarm */
    list_pred(jl, sizeof jl, "The chef [Lena Ortiz opened her bistro]", NULL, "direct");
    /* reported speech is not in the precision */
    list_pred(jl, sizeof jl, "[opened her bistro on Friday]", "Lena Ortiz", "indirect");
    run_result r = run(dir, write_pred("list.jsonl", jl), 1, 0);
    assert_int_equal(r.rc, 0);
    ASSERT_NUM(r.json, "gold_quotes", 3);
    ASSERT_NUM(r.json, "found", 1.0);
    ASSERT_NUM(r.json, "precision", 3.0 / 4.0);
    ASSERT_NUM(r.json, "speaker_right_given_found", 1.0 / 2.0);
    ASSERT_NUM(r.json, "end_to_end", 2.0 / 3.0);
    run_free(&r);

    /* three words of seven is less than half: not found */
    jl[0] = 0;
    list_pred(jl, sizeof jl, "The smell alone is [worth the rent]", "Lena Ortiz", "direct");
    r = run(dir, write_pred("list2.jsonl", jl), 1, 0);
    ASSERT_NUM(r.json, "found", 0.0);
    ASSERT_NUM(r.json, "precision", 0.0);
    run_free(&r);

    /* --errors names the miss, the wrong speaker and the false alarm */
    jl[0] = 0;
    list_pred(jl, sizeof jl, "[Nobody asked me,]", "Lena Ortiz", "direct");
    list_pred(jl, sizeof jl, "The chef [Lena Ortiz opened her bistro]", NULL, "direct");
    /* an excerpt that ends on a mark of three bytes prints all three */
    list_pred(jl, sizeof jl, "bistro [on Friday.\n\n\xE2\x80\x9C]We cook", NULL, "direct");
    r = run(dir, write_pred("list3.jsonl", jl), 0, 1);
    assert_non_null(strstr(r.out, "on Friday.  \xE2\x80\x9C\n"));
    assert_non_null(strstr(r.out, "MISS     bistro  speaker Lena Ortiz  \xE2\x80\x9CWe cook what the market"));
    assert_non_null(strstr(r.out, "SPEAKER  bistro  gold Marco Ruiz | predicted Lena Ortiz"));
    assert_non_null(strstr(r.out, "FALSE    bistro  speaker (none)  Lena Ortiz opened her bistro"));
    run_free(&r);

    /* Nested reports: a wider span and the quote itself both cover it
     * whole; the quote is matched to the tighter (innermost) prediction,
     * whichever comes first in the file. */
    for (int order = 0; order < 2; order++) {
        jl[0] = 0;
        const char *wide = "[\xE2\x80\x9CNobody asked me,\xE2\x80\x9D wrote her rival]";
        const char *tight = "[\xE2\x80\x9CNobody asked me,\xE2\x80\x9D] wrote";
        list_pred(jl, sizeof jl, order ? tight : wide, order ? "Marco Ruiz" : "Lena Ortiz", "mixed");
        list_pred(jl, sizeof jl, order ? wide : tight, order ? "Lena Ortiz" : "Marco Ruiz", "mixed");
        r = run(dir, write_pred(order ? "list5.jsonl" : "list4.jsonl", jl), 1, 0);
        ASSERT_NUM(r.json, "found", 1.0 / 3.0);
        ASSERT_NUM(r.json, "speaker_right_given_found", 1.0);
        run_free(&r);
    }
}

static void test_quote_list_bad_input(void **state)
{
    (void)state;
    /* a gold quote whose text is not in the article: a message, counted as missed */
    const char *dir = list_dir("listbad", ",{\"text\": \"Not in the article\", \"speaker\": \"X\"}");
    char jl[4096] = "";
    list_pred(jl, sizeof jl, "[Nobody asked me,]", "Marco Ruiz", "direct");
    strncat(jl, "{not json\n", sizeof jl - strlen(jl) - 1);
    run_result r = run(dir, write_pred("listbad.jsonl", jl), 1, 0);
    assert_int_equal(r.rc, 1);
    ASSERT_NUM(r.json, "gold_quotes", 4);
    ASSERT_NUM(r.json, "found", 1.0 / 4.0);
    assert_non_null(strstr(r.err, "bistro.json: quote 4: its text is not in the article"));
    assert_non_null(strstr(r.err, "listbad.jsonl:2: not valid JSON; line skipped"));
    run_free(&r);
    /* a DOC.json that is not a quotation list */
    put(dir, "bistro.json", "[1, 2]");
    r = run(dir, NULL, 1, 0);
    assert_int_equal(r.rc, 1);
    assert_non_null(strstr(r.err, "not a quotation list"));
    run_free(&r);
}

static void test_polnear_dev_counts(void **state)
{
    (void)state;
    const char *dev = tu_shared("corpora/polnear/dev");
    if (!dev) {
        skip();
    }
    char devdir[4096];
    snprintf(devdir, sizeof devdir, "%s", dev);
    run_result r = run(devdir, write_pred("empty.jsonl", ""), 1, 0);
    if (r.rc != 0) fail_msg("rc %d:\n%s", r.rc, r.err);
    ASSERT_NUM(r.json, "docs", 84);
    ASSERT_NUM(r.json, "all.gold", 2193);
    ASSERT_NUM(r.json, "subset.gold", 625);
    ASSERT_NUM(r.json, "all.pred", 0);
    run_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_perfect),
        cmocka_unit_test(test_missed_quote),
        cmocka_unit_test(test_wrong_source),
        cmocka_unit_test(test_source_case_and_absent),
        cmocka_unit_test(test_subset_rule),
        cmocka_unit_test(test_trimming),
        cmocka_unit_test(test_token_overlap),
        cmocka_unit_test(test_malformed_pred_line),
        cmocka_unit_test(test_multiline_ann),
        cmocka_unit_test(test_first_annotator),
        cmocka_unit_test(test_unusable_dirs),
        cmocka_unit_test(test_error_listing),
        cmocka_unit_test(test_extractor_mode),
        cmocka_unit_test(test_quote_list),
        cmocka_unit_test(test_quote_list_bad_input),
        cmocka_unit_test(test_polnear_dev_counts),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    return failed;
}
