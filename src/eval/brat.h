/*
 * brat.h — annotated attribution corpora: BRAT standoff files and the
 * directories that hold them (PolNeAR's layout).
 *
 * Owns which files make a corpus (GOLD_DIR/text/DOC.txt with, for each,
 * the first GOLD_DIR/attributions/DOC_ANN.ann in sorted order: the first
 * annotator) and how an .ann file becomes attributions: Content, Cue and
 * Source spans tied together by E records, each span a list of
 * code-point fragments. Both `sayso eval` and `sayso train` read gold data
 * through here, so they agree on what the gold is.
 */
#ifndef SAYSO_BRAT_H
#define SAYSO_BRAT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "read.h" /* sayso_read_file */

enum { BR_CONTENT = 0, BR_SOURCE = 1, BR_CUE = 2, BR_NROLES = 3 };

typedef struct { uint32_t s, e; } brat_frag; /* code points, half-open */

/* One attribution: per role, fragments [off, off + n) of the file's
 * fragment array; present is 0 when the E record has no such argument. */
typedef struct {
    uint32_t off[BR_NROLES], n[BR_NROLES];
    uint8_t present[BR_NROLES];
    size_t line;   /* of its E record */
} brat_attr;

typedef struct {
    brat_frag *fr;  size_t nfr, capfr;
    brat_attr *a;   size_t na, capa;
} brat_file;

/* Reads the attributions of one .ann file whose text has ncp code points.
 * Problems (malformed lines, spans outside the text, references to missing
 * spans) are reported on err as "path:line: ..." and skipped. Returns the
 * number of problems, or -1 (with a message) when the file cannot be read
 * or memory runs out. f is emptied first; free it with brat_file_free. */
long sayso_brat_read(const char *path, size_t ncp, brat_file *f, FILE *err);
void sayso_brat_file_free(brat_file *f);

/* A corpus directory: its documents in name order, each with its text file
 * and its first annotation file (NULL when it has none). */
typedef struct {
    char *id, *text, *ann;
} brat_doc;

typedef struct {
    brat_doc *d;
    size_t n;
    char *text_dir, *ann_dir;
} brat_corpus;

/* Lists the .txt files of dir/text and the .ann files of
 * dir/attributions. Returns 0, or -1 with
 * a message on err when the directory is unusable (no text/ or
 * attributions/ folder, or no .txt file). */
int sayso_brat_corpus(const char *dir, brat_corpus *c, FILE *err);
void sayso_brat_corpus_free(brat_corpus *c);

#endif
