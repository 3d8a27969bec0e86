/*
 * modelutil.h — what the tests of trained models share: a damaged model
 * file must be refused, by the library and by the CLI, with a message that
 * names the file. Header-only, like testutil.h, which it needs first.
 */
#ifndef SAYSO_TEST_MODELUTIL_H
#define SAYSO_TEST_MODELUTIL_H

#include "testutil.h"
#include "models.h"

/* Writes bytes as ROOT/bad-NAME/FILE and expects loading that directory
 * to fail with a message naming FILE and holding want, and `sayso
 * extract --models` to exit 2 naming FILE. */
static inline void tu_expect_model_refused(const char *root, const char *file, const char *name, const void *bytes,
                                           size_t len, const char *want)
{
    char dir[4200], path[4400], err[512] = "";
    snprintf(dir, sizeof dir, "%s/bad-%s", root, name);
    mkdir(dir, 0777);
    snprintf(path, sizeof path, "%s/%s", dir, file);
    assert_int_equal(tu_write_file(path, bytes, len), 0);
    sayso_models *m = sayso_models_load(dir, err, sizeof err);
    if (m) fail_msg("%s: a damaged model was accepted", name);
    if (!strstr(err, file) || !strstr(err, want))
        fail_msg("%s: message '%s' does not name the file and say '%s'", name, err, want);
    char cmd[9000];
    snprintf(cmd, sizeof cmd, "printf 'x' | '%s' extract --models '%s' 2>&1", tu_env("SAYSO_BIN", "sayso"), dir);
    int st;
    char *o = tu_run(cmd, &st);
    assert_int_equal(st, 2);
    if (!o || !strstr(o, file)) fail_msg("%s: CLI said '%s'", name, o ? o : "");
    free(o);
}

/* The bytes of the sound model file at path (more than a header's worth),
 * for the damage tests to spoil; *n gets their length. Free them. */
static inline unsigned char *tu_read_model(const char *path, size_t *n)
{
    unsigned char *good = (unsigned char *)tu_read_file(path, n);
    assert_non_null(good);
    assert_true(*n > 200);
    return good;
}

/* The damage any model file can take, each refused: cut in half, a
 * foreign magic, the kind's version bumped, one byte flipped (the
 * checksum). good[0..n) is a sound model file. */
static inline void tu_expect_damage_refused(const char *root, const char *file, const unsigned char *good, size_t n)
{
    unsigned char *b = malloc(n);
    assert_non_null(b);
    tu_expect_model_refused(root, file, "truncated", good, n / 2, "truncated");
    memcpy(b, good, n);
    memcpy(b, "NOTSAYSO", 8);
    tu_expect_model_refused(root, file, "magic", b, n, "not a sayso model");
    memcpy(b, good, n);
    b[16] = (unsigned char)(b[16] + 1); /* the kind's version */
    tu_expect_model_refused(root, file, "version", b, n, "version");
    memcpy(b, good, n);
    b[n / 2] ^= 0x20;
    tu_expect_model_refused(root, file, "flipped", b, n, "checksum");
    free(b);
}

#endif
