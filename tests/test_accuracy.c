/*
 * test_accuracy.c — the accuracy floor on PolNeAR dev (../shared, third-party
 * data read at run time; the test skips with exit 77 when it is absent).
 *
 * Runs `sayso eval` through the library on the dev split and checks the
 * quotation-mark subset against the figures the project promises in its
 * README: quotes found >= 0.91, predicted-quote precision >= 0.865, source
 * right given found >= 0.88 (the targets of the speaker issue: source right
 * >= 0.88 without losing the found and precision reached before it, 0.912
 * and 0.869; the floors sit just under those, as measurements round). A
 * change that makes extraction worse fails here.
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

static void test_dev_subset_floor(void **state)
{
    const char *dev = *state;
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    assert_non_null(out);
    sayso_eval_options opt = { .gold_dir = dev, .json = 1 };
    int rc = sayso_eval_run(&opt, out, stderr);
    fclose(out);
    assert_int_equal(rc, 0);
    cJSON *root = cJSON_Parse(buf);
    assert_non_null(root);

    double found = number_at(root, "subset", "quotes", "found_rate");
    double precision = number_at(root, "subset", "quotes", "precision");
    double source = number_at(root, "subset", "quotes", "source_right_rate");
    fprintf(stderr, "PolNeAR dev, quotation-mark subset: found %.3f, precision %.3f, source right %.3f\n",
            found, precision, source);
    assert_true(found >= 0.91);
    assert_true(precision >= 0.865);
    assert_true(source >= 0.88);
    /* The subset is what the issue says it is: 625 gold quotes on dev. */
    assert_int_equal((int)number_at(root, "subset", "content", "gold"), 625);
    cJSON_Delete(root);
    free(buf);
}

int main(void)
{
    const char *dev = tu_shared("corpora/polnear/dev");
    if (!dev) return TEST_SKIP_CODE;
    static char path[4096];
    snprintf(path, sizeof path, "%s", dev);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_prestate(test_dev_subset_floor, path),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
