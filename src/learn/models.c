/*
 * models.c — loading the model set: built in, or from a directory.
 *
 * The built-in models are arrays in the library (generated/models.c, made
 * from models/ at build time) read in place: opening them checks the
 * checksum and the shapes, and costs no copy. A directory's files are read
 * into memory. Either way a damaged file is refused with a message naming
 * it, and the set is only handed out whole.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "entities.h"
#include "models.h"
#include "parser.h"
#include "tagger.h"

typedef struct { const char *name; const unsigned char *bytes; size_t len; } sayso_builtin_model;
extern const sayso_builtin_model sayso_builtin_models[];

static const char *const names[SAYSO_M_COUNT] = {"tagger", "parser", "attribution", "entities"};
static const uint32_t kinds[SAYSO_M_COUNT] = {SAYSO_TAGGER_KIND, SAYSO_PARSER_KIND, SAYSO_ATTR_KIND,
                                              SAYSO_ENTITIES_KIND};
static const uint32_t versions[SAYSO_M_COUNT] = {SAYSO_TAGGER_VERSION, SAYSO_PARSER_VERSION, SAYSO_ATTR_VERSION,
                                                 SAYSO_ENTITIES_VERSION};

const char *sayso_models_file(int i)
{
    static const char *const files[SAYSO_M_COUNT] = {"tagger.model", "parser.model", "attribution.model",
                                                     "entities.model"};
    return i >= 0 && i < SAYSO_M_COUNT ? files[i] : NULL;
}

void sayso_models_free(sayso_models *m)
{
    if (!m) return;
    sayso_attrmodel_free(m->attr);
    sayso_entities_free(m->entities);
    sayso_tagger_free(m->tagger);
    sayso_parser_free(m->parser);
    for (int i = 0; i < SAYSO_M_COUNT; i++) sayso_model_close(&m->file[i]);
    free(m);
}

/* Opens the models of the containers in m; a message names the file. */
static int open_all(sayso_models *m, const char *dir, char *err, size_t errlen)
{
    char why[256];
    int bad = -1;
    if (m->file[SAYSO_M_TAGGER].data && !(m->tagger = sayso_tagger_open(&m->file[SAYSO_M_TAGGER], why, sizeof why)))
        bad = SAYSO_M_TAGGER;
    else if (m->file[SAYSO_M_PARSER].data && !(m->parser = sayso_parser_open(&m->file[SAYSO_M_PARSER], why, sizeof why)))
        bad = SAYSO_M_PARSER;
    else if (m->file[SAYSO_M_ATTRIBUTION].data &&
             !(m->attr = sayso_attrmodel_open(&m->file[SAYSO_M_ATTRIBUTION], why, sizeof why)))
        bad = SAYSO_M_ATTRIBUTION;
    else if (m->file[SAYSO_M_ENTITIES].data &&
             !(m->entities = sayso_entities_open(&m->file[SAYSO_M_ENTITIES], why, sizeof why)))
        bad = SAYSO_M_ENTITIES;
    if (bad < 0 && m->attr && sayso_attrmodel_needs_syntax(m->attr) && !(m->tagger && m->parser)) {
        bad = SAYSO_M_ATTRIBUTION;
        snprintf(why, sizeof why, "it was trained with the syntax models, and there are none");
    }
    if (bad < 0) return 0;
    if (m->from_dir[bad]) snprintf(err, errlen, "%s/%s: %s", dir, sayso_models_file(bad), why);
    else snprintf(err, errlen, "built-in %s: %s", sayso_models_file(bad), why);
    return -1;
}

static int builtin_index(const char *name)
{
    for (int k = 0; sayso_builtin_models[k].name; k++)
        if (strcmp(sayso_builtin_models[k].name, name) == 0) return k;
    return -1;
}

/* Opens the built-in container of model i into *f (absent: left empty). */
static int open_builtin(int i, sayso_model *f, char *err, size_t errlen)
{
    int k = builtin_index(names[i]);
    if (k < 0) return 0;
    char why[256];
    if (sayso_model_open_mem(f, sayso_builtin_models[k].bytes, sayso_builtin_models[k].len, kinds[i], versions[i], why,
                             sizeof why) < 0) {
        snprintf(err, errlen, "built-in %s: %s", sayso_models_file(i), why);
        return -1;
    }
    return 0;
}

static sayso_models *builtin;
static char builtin_err[512];
static pthread_once_t builtin_once = PTHREAD_ONCE_INIT;

static void load_builtin(void)
{
    sayso_models *m = calloc(1, sizeof *m);
    if (!m) {
        snprintf(builtin_err, sizeof builtin_err, "out of memory");
        return;
    }
    for (int i = 0; i < SAYSO_M_COUNT; i++)
        if (open_builtin(i, &m->file[i], builtin_err, sizeof builtin_err) < 0) {
            sayso_models_free(m);
            return;
        }
    if (open_all(m, NULL, builtin_err, sizeof builtin_err) < 0) {
        sayso_models_free(m);
        return;
    }
    builtin = m;
}

const sayso_models *sayso_models_builtin(char *err, size_t errlen)
{
    pthread_once(&builtin_once, load_builtin);
    if (!builtin && err) snprintf(err, errlen, "%s", builtin_err);
    return builtin;
}

sayso_models *sayso_models_load(const char *dir, char *err, size_t errlen)
{
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        snprintf(err, errlen, "%s: %s", dir, stat(dir, &st) != 0 ? strerror(errno) : "not a directory");
        return NULL;
    }
    sayso_models *m = calloc(1, sizeof *m);
    if (!m) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    for (int i = 0; i < SAYSO_M_COUNT; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, sayso_models_file(i));
        if (stat(path, &st) == 0) {
            if (sayso_model_open_file(&m->file[i], path, kinds[i], versions[i], err, errlen) < 0) {
                sayso_models_free(m);
                return NULL;
            }
            m->from_dir[i] = 1;
        } else if (open_builtin(i, &m->file[i], err, errlen) < 0) {
            sayso_models_free(m);
            return NULL;
        }
    }
    if (open_all(m, dir, err, errlen) < 0) {
        sayso_models_free(m);
        return NULL;
    }
    return m;
}
