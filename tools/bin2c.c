/*
 * bin2c.c — a build-time tool: turns the model files of models/ into one C
 * file holding their bytes, so that the library carries its models and a
 * fresh checkout works without ../shared.
 *
 *   bin2c OUT.c NAME=FILE [NAME=FILE...]
 *
 * Each file becomes a 64-byte-aligned array (models are read in place) in a
 * table sayso_builtin_models[] ended by a NULL name. The bytes are written
 * as string literals, which compilers read far faster than a list of
 * numbers. A missing file is left out of the table (the library then runs
 * without that model).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bin2c OUT.c NAME=FILE...\n");
        return 2;
    }
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", argv[1]);
    FILE *out = fopen(tmp, "w");
    if (!out) { perror(tmp); return 1; }
    fprintf(out, "/* Generated from models/ by tools/bin2c.c. Do not edit. */\n#include <stddef.h>\n"
                 "typedef struct { const char *name; const unsigned char *bytes; size_t len; } sayso_builtin_model;\n");
    int n = 0;
    char *names[64];
    long lens[64];
    for (int a = 2; a < argc && n < 64; a++) {
        char *eq = strchr(argv[a], '=');
        if (!eq) { fprintf(stderr, "bin2c: %s: not NAME=FILE\n", argv[a]); return 2; }
        *eq = 0;
        FILE *f = fopen(eq + 1, "rb");
        if (!f) continue;
        fprintf(out, "_Alignas(64) static const unsigned char m%d[] =\n\"", n);
        int c, col = 0;
        long len = 0;
        while ((c = getc(f)) != EOF) {
            fprintf(out, "\\%03o", (unsigned)c);
            len++;
            if (++col == 40) { fputs("\"\n\"", out); col = 0; }
        }
        fclose(f);
        fputs("\";\n", out);
        names[n] = argv[a];
        lens[n] = len;
        n++;
    }
    fprintf(out, "const sayso_builtin_model sayso_builtin_models[] = {\n");
    for (int i = 0; i < n; i++) fprintf(out, "    { \"%s\", m%d, %ld },\n", names[i], i, lens[i]);
    fprintf(out, "    { NULL, NULL, 0 }\n};\n");
    if (fclose(out) != 0) { perror(tmp); return 1; }
    /* Replace the output only when it changed, so that nothing rebuilds
     * for nothing. */
    FILE *o = fopen(argv[1], "rb"), *t = fopen(tmp, "rb");
    int same = o && t;
    while (same) {
        int x = getc(o), y = getc(t);
        if (x != y) same = 0;
        if (x == EOF || y == EOF) break;
    }
    if (o) fclose(o);
    if (t) fclose(t);
    if (same) { remove(tmp); return 0; }
    if (rename(tmp, argv[1]) != 0) { perror(argv[1]); return 1; }
    return 0;
}
