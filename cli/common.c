/*
 * common.c — the helpers the CLI's commands share (cli.h).
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"

int cli_usage_error(const char *fmt, ...)
{
    va_list ap;
    fputs("sayso: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs("\ntry 'sayso --help'\n", stderr);
    return EXIT_USAGE;
}

int cli_print_help(const char *text)
{
    fputs(text, stdout);
    return fflush(stdout) == 0 ? EXIT_OK : EXIT_OUTPUT;
}

void cli_buffer_stdout(void)
{
    static char buf[1 << 20];
    if (!isatty(STDOUT_FILENO)) setvbuf(stdout, buf, _IOFBF, sizeof buf);
}

int cli_finish_output(int rc, int write_errno)
{
    if (fflush(stdout) != 0 && !write_errno) write_errno = errno ? errno : EIO;
    if (ferror(stdout) || write_errno) {
        fprintf(stderr, "sayso: error writing output: %s\n", strerror(write_errno ? write_errno : EIO));
        return EXIT_OUTPUT;
    }
    return rc;
}

int cli_is_flag(const char *arg, const char *short_name, const char *long_name)
{
    return (short_name && strcmp(arg, short_name) == 0) || strcmp(arg, long_name) == 0;
}

/* Room for a command's operands (at most argc), or NULL after saying that
 * memory ran out. */
const char **cli_operand_list(int argc)
{
    const char **paths = malloc(((size_t)argc + 1) * sizeof *paths);
    if (!paths) fputs("sayso: out of memory\n", stderr);
    return paths;
}

int cli_is_operand(const char *a, int options_done)
{
    return options_done || a[0] != '-' || strcmp(a, "-") == 0;
}

int cli_number_option(const char *arg, const char *name, int argc, char **argv, int *i, long lo, long hi,
                         long *out)
{
    size_t n = strlen(name);
    if (strncmp(arg, name, n) != 0 || (arg[n] && arg[n] != '=')) return 0;
    const char *v = arg[n] == '=' ? arg + n + 1 : (*i + 1 < argc ? argv[++*i] : NULL);
    char *end = NULL;
    long x = v && *v ? strtol(v, &end, 10) : 0;
    *out = v && *v && !*end && x >= lo && x <= hi ? x : LONG_MIN;
    return 1;
}

int cli_models_option(const char *arg, int argc, char **argv, int *i, const char **dir, int *rules_only)
{
    if (strcmp(arg, "--rules-only") == 0) {
        *rules_only = 1;
        return 1;
    }
    if (strcmp(arg, "--models") != 0) return 0;
    if (*i + 1 >= argc) return -1;
    *dir = argv[++*i];
    return 1;
}

int cli_pick_models(const char *dir, int rules_only, const sayso_models **m, sayso_models **owned)
{
    char err[512];
    *m = NULL;
    *owned = NULL;
    if (rules_only) return 0;
    if (!dir) dir = getenv("SAYSO_MODELS");
    if (dir && *dir) {
        if (!(*owned = sayso_models_load(dir, err, sizeof err))) {
            fprintf(stderr, "sayso: %s\n", err);
            return EXIT_USAGE;
        }
        *m = *owned;
        return 0;
    }
    if (!(*m = sayso_models_builtin(err, sizeof err))) {
        fprintf(stderr, "sayso: %s\n", err);
        return EXIT_USAGE;
    }
    return 0;
}

int cli_threads_option(const char *a, int argc, char **argv, int *i, long *threads, int *bad)
{
    if (!cli_number_option(a, "--threads", argc, argv, i, 1, 256, threads)) return 0;
    *bad = *threads == LONG_MIN;
    return 1;
}
