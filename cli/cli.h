/*
 * cli.h — what the commands of the sayso CLI share: exit codes, messages,
 * option parsing, output buffering, and the models a command runs with.
 * The commands live in main.c (extract, ingest, search, store, serve, eval)
 * and train.c (train).
 */
#ifndef SAYSO_CLI_H
#define SAYSO_CLI_H

#include "sayso.h"

enum { EXIT_OK = 0, EXIT_SKIPPED = 1, EXIT_USAGE = 2, EXIT_OUTPUT = 3 };

/* "sayso: MESSAGE" and a pointer to --help on stderr; returns EXIT_USAGE. */
#if defined(__GNUC__)
__attribute__((format(printf, 1, 2)))
#endif
int cli_usage_error(const char *fmt, ...);

/* Prints a command's help on stdout; EXIT_OK, or EXIT_OUTPUT. */
int cli_print_help(const char *text);

/* Large blocks for stdout unless it is a terminal. */
void cli_buffer_stdout(void);

/* Flushes stdout; on failure says why and returns EXIT_OUTPUT, else rc. */
int cli_finish_output(int rc, int write_errno);

int cli_is_flag(const char *arg, const char *short_name, const char *long_name);

/* Room for a command's operands (at most argc), or NULL after saying that
 * memory ran out. */
const char **cli_operand_list(int argc);

/* An operand, not an option: after "--", a word without a leading dash,
 * or "-" (standard input). */
int cli_is_operand(const char *a, int options_done);

/* A number option, "--name N" or "--name=N": 1 when arg is that option,
 * with its value in *out, or LONG_MIN there when the value is missing or
 * not a whole number from lo to hi; 0 when arg is another one. */
int cli_number_option(const char *arg, const char *name, int argc, char **argv, int *i, long lo, long hi,
                      long *out);
/* "--threads N" (1 to 256) at argv[*i]: 1 when it is that option, with *bad
 * set when its value is no such number (a usage error for the caller). */
int cli_threads_option(const char *a, int argc, char **argv, int *i, long *threads, int *bad);

/* "--models DIR" or "--rules-only" at argv[*i] (advancing *i past DIR):
 * returns 0 when arg is neither, 1 when taken, -1 when DIR is missing. */
int cli_models_option(const char *arg, int argc, char **argv, int *i, const char **dir, int *rules_only);

/* The models a command runs with: --rules-only (none), --models DIR (or
 * $SAYSO_MODELS), else the built-in ones. Returns 0, or an exit code after
 * a message. *owned is what the caller frees. */
int cli_pick_models(const char *dir, int rules_only, const sayso_models **m, sayso_models **owned);

int cmd_train(int argc, char **argv);
int cmd_read(int argc, char **argv); /* read.c */

#endif
