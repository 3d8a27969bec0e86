/*
 * models.h — the set of trained models an extractor runs with.
 *
 * Owns which models there are (tagger, parser, attribution, entities),
 * where each comes from (compiled into the library from models/, or a
 * directory the user trained with `sayso train`: a file there replaces the
 * built-in one, a missing file keeps it; a model in neither place is
 * simply absent, which the entities model may be), loading and checking
 * them once, and sharing them, read-only, between extractors and threads.
 * The built-in set is loaded on first use and lives as long as the
 * process.
 */
#ifndef SAYSO_MODELS_H
#define SAYSO_MODELS_H

#include "sayso.h"
#include "model.h"
#include "attrmodel.h"

enum { SAYSO_M_TAGGER = 0, SAYSO_M_PARSER, SAYSO_M_ATTRIBUTION, SAYSO_M_ENTITIES, SAYSO_M_COUNT };

struct sayso_models {
    sayso_model file[SAYSO_M_COUNT];  /* the containers; data NULL when absent */
    int from_dir[SAYSO_M_COUNT];      /* read from the user's directory */
    struct sayso_tagger *tagger;      /* NULL when absent */
    struct sayso_parser *parser;
    sayso_attrmodel *attr;
    struct sayso_entities *entities;  /* NULL when absent (model directories
                                         older than it have none) */
};

/* The file name of model i ("tagger.model"). */
const char *sayso_models_file(int i);

#endif
