/*
 * train.c — `sayso train`: new models from annotated data.
 *
 *   sayso train syntax TRAIN.conllu [--dev DEV.conllu] [--out DIR] ...
 *       the part-of-speech tagger and the dependency parser, from a
 *       Universal Dependencies treebank: DIR/tagger.model, DIR/parser.model
 *   sayso train attribution TRAIN_DIR [--dev DEV_DIR] [--out DIR] ...
 *       the attribution model, from BRAT-annotated articles (PolNeAR's
 *       layout): DIR/attribution.model; articles are analysed with the
 *       syntax models of --models DIR (or the built-in ones), which the
 *       model then needs at run time
 *   sayso train entities TRAIN_DIR [--dev DEV_DIR] [--out DIR] ...
 *       the entity-type classifier (person, organisation, place, other
 *       name, none) from CoreNLP's named-entity labels on PolNeAR
 *       (TRAIN_DIR/corenlp-tokens/NAME.tsv): DIR/entities.model
 *
 * All are deterministic: the same data, seed and epochs give the same
 * bytes. `make model` runs both on ../shared and rewrites models/.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "cli.h"
#include "attrtrain.h"
#include "entities.h"
#include "extract.h"
#include "models.h"
#include "train_syntax.h"

static const char help_train[] =
    "Usage: sayso train syntax TRAIN.conllu [--dev DEV.conllu] [--out DIR] [--epochs N] [--seed N]\n"
    "       sayso train attribution TRAIN_DIR [--dev DEV_DIR] [--out DIR] [--epochs N] [--seed N]\n"
    "                   [--models DIR]\n"
    "       sayso train entities TRAIN_DIR [--dev DEV_DIR] [--out DIR] [--epochs N] [--seed N]\n"
    "\n"
    "Trains new models and writes them to DIR (default: the current directory).\n"
    "Use them with 'sayso extract --models DIR' (or SAYSO_MODELS=DIR): each model\n"
    "file found in DIR replaces the built-in one.\n"
    "\n"
    "  syntax        a part-of-speech tagger and a dependency parser from a\n"
    "                treebank in CoNLL-U (Universal Dependencies): writes\n"
    "                tagger.model and parser.model\n"
    "  attribution   the attribution model from annotated articles: TRAIN_DIR\n"
    "                holds text/DOC.txt and attributions/DOC_ANNOTATOR.ann (BRAT\n"
    "                standoff with Content, Cue and Source spans tied by\n"
    "                Attribution events, as in PolNeAR); writes\n"
    "                attribution.model. The articles are analysed with the\n"
    "                syntax models of --models DIR (default: the built-in ones),\n"
    "                which must then be used with it.\n"
    "  entities      the entity-type classifier (PERSON, ORG, LOC, MISC or NONE\n"
    "                for a capitalised name) from CoreNLP's named-entity labels:\n"
    "                TRAIN_DIR holds corenlp-tokens/DOC.tsv (or DOC.tsv), one\n"
    "                token a line, 'word begin end POS NER' tab-separated, a\n"
    "                blank line after each sentence, as in PolNeAR; writes\n"
    "                entities.model. With --dev, prints the held-out accuracy\n"
    "                and each class's precision, recall and F1.\n"
    "\n"
    "Options:\n"
    "  --dev PATH     held-out data: its scores are printed after training\n"
    "  --out DIR      where the model files go (created if missing)\n"
    "  --epochs N     passes over the training data (default: the model's own)\n"
    "  --seed N       the order of the examples in each pass (default: the seed\n"
    "                 the built-in models were trained with)\n"
    "  --models DIR   (attribution) the syntax models to analyse with\n"
    "  -h, --help     show this help\n"
    "\n"
    "Progress and scores go to stderr. Training is deterministic: the same data,\n"
    "seed and epochs give the same files, byte for byte.\n"
    "\n"
    "Examples:\n"
    "  sayso train syntax ud-ewt/train.conllu --dev ud-ewt/dev.conllu --out mymodels\n"
    "  sayso train attribution polnear/train --dev polnear/dev --models mymodels --out mymodels\n"
    "  sayso train entities polnear/train --dev polnear/dev --out mymodels\n"
    "  sayso eval polnear/dev --models mymodels\n"
    "\n"
    "Exit status: 0 trained; 2 usage error or unusable data; 3 the model could\n"
    "not be written.\n";

static int make_dir(const char *dir)
{
    struct stat st;
    if (stat(dir, &st) == 0) return S_ISDIR(st.st_mode) ? 0 : -1;
    return mkdir(dir, 0777);
}

static int train_attribution(const char *train, const char *dev, const char *out, long epochs, long seed,
                             const char *models_dir)
{
    const sayso_models *m;
    sayso_models *owned;
    int rc = cli_pick_models(models_dir, 0, &m, &owned);
    if (rc) return rc;
    sayso_extractor *ex = sayso_extractor_new_analyser(m);
    if (!ex) {
        sayso_models_free(owned);
        fputs("sayso: out of memory\n", stderr);
        return EXIT_USAGE;
    }
    char path[4096], err[512];
    snprintf(path, sizeof path, "%s/%s", out, sayso_models_file(SAYSO_M_ATTRIBUTION));
    sayso_attr_train_opts o = {.train_dir = train, .dev_dir = dev, .out = path,
                               .seed = seed < 0 ? SAYSO_ATTR_SEED : (unsigned)seed,
                               .epochs = (int)epochs, .ex = ex};
    rc = sayso_attr_train(&o, stderr, err, sizeof err) < 0 ? EXIT_USAGE : EXIT_OK;
    if (rc) fprintf(stderr, "sayso: %s\n", err);
    else fprintf(stderr, "sayso: wrote %s\n", path);
    sayso_extractor_free(ex);
    sayso_models_free(owned);
    return rc;
}

static int train_entities(const char *train, const char *dev, const char *out, long epochs, long seed)
{
    char path[4096], err[512];
    snprintf(path, sizeof path, "%s/%s", out, sayso_models_file(SAYSO_M_ENTITIES));
    sayso_entities_train_opts o = {.train_dir = train, .dev_dir = dev, .out = path,
                                   .seed = seed < 0 ? SAYSO_ENTITIES_SEED : (unsigned)seed, .epochs = (int)epochs};
    if (sayso_entities_train(&o, stderr, NULL, err, sizeof err) < 0) {
        fprintf(stderr, "sayso: %s\n", err);
        return EXIT_USAGE;
    }
    fprintf(stderr, "sayso: wrote %s\n", path);
    return EXIT_OK;
}

static int train_syntax(const char *train, const char *dev, const char *out, long epochs, long seed)
{
    char err[512];
    sayso_syntax_train_opts o = {.train = train, .dev = dev, .out_dir = out,
                                 .seed = seed < 0 ? SAYSO_SYNTAX_SEED : (unsigned)seed,
                                 .tagger_epochs = (int)epochs, .parser_epochs = (int)epochs};
    if (sayso_syntax_train(&o, stderr, err, sizeof err) < 0) {
        fprintf(stderr, "sayso: %s\n", err);
        return EXIT_USAGE;
    }
    fprintf(stderr, "sayso: wrote %s/%s and %s/%s\n", out, sayso_models_file(SAYSO_M_TAGGER), out,
            sayso_models_file(SAYSO_M_PARSER));
    return EXIT_OK;
}

int cmd_train(int argc, char **argv)
{
    const char *what = NULL, *data = NULL, *dev = NULL, *out = ".", *models_dir = NULL;
    long epochs = 0, seed = -1; /* -1: each model's own default */
    int options_done = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (cli_is_operand(a, options_done)) {
            if (!what) what = a;
            else if (!data) data = a;
            else return cli_usage_error("train takes one data path (extra: '%s')", a);
        } else if (strcmp(a, "--") == 0) {
            options_done = 1;
        } else if (cli_is_flag(a, "-h", "--help")) {
            return cli_print_help(help_train);
        } else if (strcmp(a, "--dev") == 0 || strcmp(a, "--out") == 0 || strcmp(a, "--models") == 0) {
            if (i + 1 >= argc) return cli_usage_error("option '%s' needs a path", a);
            const char *v = argv[++i];
            if (a[2] == 'd') dev = v;
            else if (a[2] == 'o') out = v;
            else models_dir = v;
        } else if (cli_number_option(a, "--epochs", argc, argv, &i, 1, 1000, &epochs)) {
            if (epochs == LONG_MIN) return cli_usage_error("option '--epochs' needs a number from 1 to 1000");
        } else if (cli_number_option(a, "--seed", argc, argv, &i, 0, 2147483647L, &seed)) {
            if (seed == LONG_MIN) return cli_usage_error("option '--seed' needs a whole number");
        } else {
            return cli_usage_error("unknown option '%s'", a);
        }
    }
    if (!what) return cli_usage_error("train needs what to train: syntax, attribution or entities");
    if (!data) return cli_usage_error("train %s needs the training data", what);
    if (make_dir(out) != 0) {
        fprintf(stderr, "sayso: %s: cannot make a directory there\n", out);
        return EXIT_OUTPUT;
    }
    if (strcmp(what, "attribution") == 0) return train_attribution(data, dev, out, epochs, seed, models_dir);
    if (models_dir && (strcmp(what, "syntax") == 0 || strcmp(what, "entities") == 0))
        return cli_usage_error("option '--models' is for training the attribution model");
    if (strcmp(what, "syntax") == 0) return train_syntax(data, dev, out, epochs, seed);
    if (strcmp(what, "entities") == 0) return train_entities(data, dev, out, epochs, seed);
    return cli_usage_error("unknown model '%s': syntax, attribution or entities", what);
}
