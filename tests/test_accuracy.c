/*
 * test_accuracy.c — the accuracy floors on PolNeAR dev (../shared, third-party
 * data read at run time; the test skips with exit 77 when it is absent), with
 * the models built into the library.
 *
 * All attributions, exact F1: content >= 0.56, source >= 0.72, cue >= 0.69
 * (measured 0.581, 0.739, 0.706 with the committed models: the floors sit
 * a point or two under, as a retrained model moves by about that).
 * The quotation-mark subset must not get worse than the rules alone made it:
 * quotes found >= 0.92, precision >= 0.877, source right given found >=
 * 0.889. A change that makes extraction worse fails here.
 *
 * On the soft-news dev set (../shared/corpora/softnews/dev, quotation lists
 * with speakers): quotes found >= 0.97, precision >= 0.93, speaker right
 * given found >= 0.92, end to end >= 0.90 (measured 0.981, 0.943, 0.943,
 * 0.933): issue 12's targets.
 */
#include "testutil.h"
#include <cJSON.h>
#include "eval.h"

static double number_at(const cJSON *root, const char *section, const char *group, const char *field)
{
    const cJSON *s = cJSON_GetObjectItemCaseSensitive(root, section);
    const cJSON *g = cJSON_GetObjectItemCaseSensitive(s, group);
    const cJSON *f = cJSON_GetObjectItemCaseSensitive(g, field);
    assert_non_null(f);
    assert_true(cJSON_IsNumber(f));
    return f->valuedouble;
}

/* `sayso eval --json GOLD_DIR` with the built-in models, parsed. */
static cJSON *eval_json(const char *dir)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    assert_non_null(out);
    sayso_eval_options opt = { .gold_dir = dir, .json = 1 };
    int rc = sayso_eval_run(&opt, out, stderr);
    fclose(out);
    assert_int_equal(rc, 0);
    cJSON *root = cJSON_Parse(buf);
    free(buf);
    assert_non_null(root);
    return root;
}

static void test_dev_subset_floor(void **state)
{
    const char *dev = *state;
    cJSON *root = eval_json(dev);

    double found = number_at(root, "subset", "quotes", "found_rate");
    double precision = number_at(root, "subset", "quotes", "precision");
    double source = number_at(root, "subset", "quotes", "source_right_rate");
    fprintf(stderr, "PolNeAR dev, quotation-mark subset: found %.3f, precision %.3f, source right %.3f\n",
            found, precision, source);
    assert_true(found >= 0.92);
    assert_true(precision >= 0.877);
    assert_true(source >= 0.889);
    double content = number_at(root, "all", "content", "exact_f1");
    double src = number_at(root, "all", "source", "exact_f1");
    double cue = number_at(root, "all", "cue", "exact_f1");
    fprintf(stderr, "PolNeAR dev, all attributions: exact F1 content %.3f, source %.3f, cue %.3f\n", content, src, cue);
    assert_true(content >= 0.56);
    assert_true(src >= 0.72);
    assert_true(cue >= 0.69);
    /* The subset is what the issue says it is: 625 gold quotes on dev. */
    assert_int_equal((int)number_at(root, "subset", "content", "gold"), 625);
    cJSON_Delete(root);
}

static double field(const cJSON *root, const char *name)
{
    const cJSON *f = cJSON_GetObjectItemCaseSensitive(root, name);
    assert_true(cJSON_IsNumber(f));
    return f->valuedouble;
}

static void test_softnews_floor(void **state)
{
    const char *dev = *state;
    if (!dev[0]) {
        fprintf(stderr, "../shared/corpora/softnews/dev not found: soft-news floor skipped\n");
        skip();
    }
    cJSON *root = eval_json(dev);
    double found = field(root, "found"), precision = field(root, "precision"),
           speaker = field(root, "speaker_right_given_found"), e2e = field(root, "end_to_end");
    fprintf(stderr, "soft-news dev: found %.3f, precision %.3f, speaker right %.3f, end to end %.3f\n", found,
            precision, speaker, e2e);
    assert_true(found >= 0.97);
    assert_true(precision >= 0.93);
    assert_true(speaker >= 0.92);
    assert_true(e2e >= 0.90);
    assert_int_equal((int)field(root, "gold_quotes"), 268);
    cJSON_Delete(root);
}

int main(void)
{
    const char *dev = tu_shared("corpora/polnear/dev");
    if (!dev) return TEST_SKIP_CODE;
    static char path[4096], soft[4096];
    snprintf(path, sizeof path, "%s", dev);
    const char *sn = tu_shared("corpora/softnews/dev");
    snprintf(soft, sizeof soft, "%s", sn ? sn : "");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_prestate(test_dev_subset_floor, path),
        cmocka_unit_test_prestate(test_softnews_floor, soft),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
