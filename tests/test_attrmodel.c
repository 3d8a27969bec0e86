/*
 * test_attrmodel.c — the learned attribution model (attrmodel.c,
 * attrtrain.c) and its model files.
 *
 *   - trained on a tiny annotated corpus written here (original text, BRAT
 *     files made from the phrases' positions), the model finds its
 *     training attributions again: cues, contents and sources;
 *   - the same data and seed give the same bytes;
 *   - a damaged model file (truncated, foreign, of another version, a
 *     flipped byte, or whole and checksummed but of the wrong shape) is
 *     refused with a message naming the file, by the library and by the
 *     CLI, which exits 2.
 */
#include "modelutil.h"
#include <cJSON.h>
#include <errno.h>
#include <unistd.h>
#include "attrtrain.h"
#include "eval.h"
#include "extract.h"
#include "learn.h"
#include "model.h"
#include "models.h"

typedef struct { const char *cue, *content, *source; } ann;
typedef struct {
    const char *id, *text;
    ann a[4];
} article;

/* Reported speech in the shapes news uses, and two quotations. */
static const article corpus[] = {
    {"a1", "The ferry company said that the crossing would close for two weeks in March.\n\n"
           "Its director, Hanne Vik, told the council that repairs to the pier could not wait.\n",
     {{"said", "that the crossing would close for two weeks in March", "The ferry company"},
      {"told", "that repairs to the pier could not wait", "Its director, Hanne Vik"}}},
    {"a2", "According to the county's traffic survey, most drivers use the ferry twice a week.\n\n"
           "Residents of the island denied that they had been told about the closure.\n",
     {{"According to", "most drivers use the ferry twice a week", "the county's traffic survey"},
      {"denied", "that they had been told about the closure", "Residents of the island"}}},
    {"a3", "The mayor wants the company to run a night service instead.\n\n"
           "\"We cannot leave two thousand people without a road,\" the mayor said.\n",
     {{"wants", "the company to run a night service instead", "The mayor"},
      {"said", "\"We cannot leave two thousand people without a road,\"", "the mayor"}}},
    {"a4", "Vik said the company had offered a bus to the mainland.\n\n"
           "The council asked whether the bus would run at night.\n",
     {{"said", "the company had offered a bus to the mainland", "Vik"},
      {"asked", "whether the bus would run at night", "The council"}}},
    {"a5", "The repairs, Vik said, would cost about four million crowns.\n\n"
           "Shop owners on the island believe the closure will cost them the spring season.\n",
     {{"said", "The repairs", "Vik"},
      {"believe", "the closure will cost them the spring season", "Shop owners on the island"}}},
    {"a6", "The harbour master said the new pier would open in April.\n\n"
           "\"It is the best news we have had all year,\" said Lars Dahl, who runs the island shop.\n",
     {{"said", "the new pier would open in April", "The harbour master"},
      {"said", "\"It is the best news we have had all year,\"", "Lars Dahl, who runs the island shop"}}},
};

/* Code-point offset of byte offset b in s. */
static size_t cp_of(const char *s, size_t b)
{
    size_t n = 0;
    for (size_t i = 0; i < b; i++) n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

static char g_dir[4096];

static void write_corpus(const char *dir)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/text", dir);
    mkdir(dir, 0777);
    mkdir(path, 0777);
    snprintf(path, sizeof path, "%s/attributions", dir);
    mkdir(path, 0777);
    for (size_t i = 0; i < sizeof corpus / sizeof *corpus; i++) {
        const article *ar = &corpus[i];
        snprintf(path, sizeof path, "%s/text/%s.txt", dir, ar->id);
        assert_int_equal(tu_write_file(path, ar->text, strlen(ar->text)), 0);
        char ann_buf[4096];
        size_t n = 0;
        int t = 1, e = 1;
        for (int k = 0; k < 4 && ar->a[k].cue; k++) {
            const char *parts[3] = {ar->a[k].source, ar->a[k].cue, ar->a[k].content};
            const char *types[3] = {"Source", "Cue", "Content"};
            int ids[3];
            const char *src = strstr(ar->text, parts[0]);
            assert_non_null(src);
            /* the cue is the first such word of the source's paragraph */
            const char *para = ar->text;
            for (const char *q = ar->text; (q = strstr(q, "\n\n")) && q < src; q += 2) para = q + 2;
            for (int p = 0; p < 3; p++) {
                const char *at = strstr(p == 1 ? para : ar->text, parts[p]);
                assert_non_null(at);
                size_t b = (size_t)(at - ar->text);
                n += (size_t)snprintf(ann_buf + n, sizeof ann_buf - n, "T%d\t%s %zu %zu\t%s\n", t, types[p],
                                      cp_of(ar->text, b), cp_of(ar->text, b + strlen(parts[p])), parts[p]);
                ids[p] = t++;
            }
            n += (size_t)snprintf(ann_buf + n, sizeof ann_buf - n, "E%d\tAttribution:T%d Source:T%d Cue:T%d Content:T%d\n", e++,
                                  ids[1], ids[0], ids[1], ids[2]);
        }
        snprintf(path, sizeof path, "%s/attributions/%s_t1.ann", dir, ar->id);
        assert_int_equal(tu_write_file(path, ann_buf, n), 0);
    }
}

static int train_into(const char *out)
{
    sayso_extractor *ex = sayso_extractor_new_analyser(sayso_models_builtin(NULL, 0));
    assert_non_null(ex);
    char err[512] = "";
    sayso_attr_train_opts o = {.train_dir = g_dir, .out = out, .seed = 7, .epochs = 12, .ex = ex};
    int rc = sayso_attr_train(&o, NULL, err, sizeof err);
    if (rc) fprintf(stderr, "training failed: %s\n", err);
    sayso_extractor_free(ex);
    return rc;
}

static double f1_of(const cJSON *root, const char *comp)
{
    const cJSON *all = cJSON_GetObjectItemCaseSensitive(root, "all");
    const cJSON *c = cJSON_GetObjectItemCaseSensitive(all, comp);
    const cJSON *f = cJSON_GetObjectItemCaseSensitive(c, "exact_f1");
    assert_non_null(f);
    return f->valuedouble;
}

/* The model learns its training set: each attribution's cue, content and
 * source come back exactly. */
static void test_learns_training_set(void **state)
{
    (void)state;
    char mdir[4200], path[4300];
    snprintf(mdir, sizeof mdir, "%s/models", g_dir);
    mkdir(mdir, 0777);
    snprintf(path, sizeof path, "%s/attribution.model", mdir);
    assert_int_equal(train_into(path), 0);
    char err[512];
    sayso_models *m = sayso_models_load(mdir, err, sizeof err);
    if (!m) fail_msg("%s", err);
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    sayso_eval_options opt = {.gold_dir = g_dir, .json = 1, .models = m};
    assert_int_equal(sayso_eval_run(&opt, out, stderr), 0);
    fclose(out);
    cJSON *root = cJSON_Parse(buf);
    assert_non_null(root);
    double content = f1_of(root, "content"), source = f1_of(root, "source"), cue = f1_of(root, "cue");
    fprintf(stderr, "training set recovered: exact F1 content %.3f, source %.3f, cue %.3f\n", content, source, cue);
    assert_true(cue >= 0.9);
    assert_true(content >= 0.8);
    assert_true(source >= 0.8);
    cJSON_Delete(root);
    free(buf);
    sayso_models_free(m);
}

/* Same data, same seed: the same file, byte for byte. */
static void test_deterministic(void **state)
{
    (void)state;
    char a[4200], b[4200];
    snprintf(a, sizeof a, "%s/once.model", g_dir);
    snprintf(b, sizeof b, "%s/twice.model", g_dir);
    assert_int_equal(train_into(a), 0);
    assert_int_equal(train_into(b), 0);
    tu_expect_same_file(a, b);
}

/* A damaged DIR/attribution.model must be refused (modelutil.h). */
static void expect_refused(const char *name, const void *bytes, size_t len, const char *want)
{
    tu_expect_model_refused(g_dir, "attribution.model", name, bytes, len, want);
}

static void test_damaged_refused(void **state)
{
    (void)state;
    char path[4400];
    snprintf(path, sizeof path, "%s/good.model", g_dir);
    assert_int_equal(train_into(path), 0);
    size_t n = 0;
    unsigned char *good = tu_read_model(path, &n);

    tu_expect_damage_refused(g_dir, "attribution.model", good, n);

    /* Whole, checksummed, and wrong: a cue table of two classes. */
    sayso_model_writer *w = sayso_model_writer_new(SAYSO_ATTR_KIND, SAYSO_ATTR_VERSION);
    sayso_percep *two = sayso_percep_new(2), *one = sayso_percep_new(1);
    uint64_t f = 12345;
    assert_int_equal(sayso_percep_update(two, &f, 1, 1, 1), 0);
    assert_int_equal(sayso_percep_update(one, &f, 1, 0, 1), 0);
    uint32_t meta[4] = {0, 0, 0, 0};
    assert_int_equal(sayso_model_writer_add(w, "meta", meta, sizeof meta), 0);
    assert_true(sayso_percep_write(two, w, "cue", 0) >= 0);
    assert_true(sayso_percep_write(one, w, "content", 0) >= 0);
    assert_true(sayso_percep_write(one, w, "source", 0) >= 0);
    size_t len;
    const void *bytes = sayso_model_writer_bytes(w, &len);
    expect_refused("shape", bytes, len, "shape");
    sayso_model_writer_free(w);
    sayso_percep_free(two);
    sayso_percep_free(one);

    /* and the good one is taken */
    char dir[4200], err[512];
    snprintf(dir, sizeof dir, "%.4000s/good", g_dir);
    mkdir(dir, 0777);
    snprintf(path, sizeof path, "%s/attribution.model", dir);
    assert_int_equal(tu_write_file(path, (const char *)good, n), 0);
    sayso_models *m = sayso_models_load(dir, err, sizeof err);
    if (!m) fail_msg("a good model was refused: %s", err);
    sayso_models_free(m);
    free(good);
}

int main(void)
{
    tu_scratch_dir(g_dir, sizeof g_dir, "attrmodel");
    write_corpus(g_dir);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_learns_training_set),
        cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_damaged_refused),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    tu_remove_tree(g_dir);
    return rc;
}
