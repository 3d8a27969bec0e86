/*
 * bench — measures `sayso extract` on JSONL corpora.
 *
 *   bench [-r RUNS] [-x OPTION]... SAYSO CORPUS.jsonl...
 *
 * For each corpus, runs `SAYSO extract [OPTION...] CORPUS` as a child process
 * (threads as the options say), its stdout into a pipe whose newlines are counted (one JSON line
 * per quotation) and its stderr into CORPUS.stderr; measures the wall time
 * from fork to exit and the child's peak resident set size (wait4 →
 * ru_maxrss). Prints one row per corpus: input MB/s, articles/s, quotes/s,
 * peak RSS; with RUNS > 1 the fastest run is shown (and the largest RSS).
 * With several corpora it ends with how peak RSS changed from the smallest
 * corpus to the largest: streaming extraction should keep it flat.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* wait4 is BSD/GNU, not POSIX: declare it rather than widen the feature
 * macros for the whole file. */
pid_t wait4(pid_t pid, int *status, int options, struct rusage *rusage);

typedef struct {
    double wall, user, sys; /* seconds */
    long maxrss_kb;
    size_t quotes;
    int ok;
} result;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Counts lines (articles) and bytes; this also brings the file into the
 * page cache so that the first run does not pay for the disk. */
static int count_lines(const char *path, size_t *lines, size_t *bytes)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0) return -1;
    static char buf[1 << 16];
    ssize_t got;
    size_t nl = 0, total = 0;
    char last = '\n';
    while ((got = read(fd, buf, sizeof buf)) > 0) {
        for (ssize_t i = 0; i < got; i++) nl += buf[i] == '\n';
        total += (size_t)got;
        last = buf[got - 1];
    }
    close(fd);
    if (got < 0) return -1;
    *lines = nl + (last != '\n');
    *bytes = total;
    return 0;
}

/* -x: more arguments for `sayso extract` ("--rules-only", "--threads=2") */
static const char *options[8];
static int n_options;

static result run_once(const char *sayso, const char *corpus)
{
    result r = {0};
    char errpath[4096];
    snprintf(errpath, sizeof errpath, "%s.stderr", corpus);
    int p[2];
    if (pipe(p) != 0) {
        perror("bench: pipe");
        return r;
    }
    double t0 = now();
    pid_t pid = fork();
    if (pid < 0) {
        perror("bench: fork");
        return r;
    }
    if (pid == 0) {
        int efd = open(errpath, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (efd >= 0) { dup2(efd, 2); close(efd); }
        dup2(p[1], 1);
        close(p[0]);
        close(p[1]);
        const char *args[12] = {sayso, "extract"};
        int n = 2;
        for (int k = 0; k < n_options; k++) args[n++] = options[k];
        args[n++] = corpus;
        args[n] = NULL;
        execv(sayso, (char *const *)args);
        fprintf(stderr, "bench: cannot run %s: %s\n", sayso, strerror(errno));
        _exit(127);
    }
    close(p[1]);
    static char buf[1 << 16];
    ssize_t got;
    while ((got = read(p[0], buf, sizeof buf)) != 0) {
        if (got < 0) {
            if (errno == EINTR) continue;
            break;
        }
        for (ssize_t i = 0; i < got; i++) r.quotes += buf[i] == '\n';
    }
    close(p[0]);
    int status = 0;
    struct rusage ru;
    while (wait4(pid, &status, 0, &ru) < 0) {
        if (errno != EINTR) {
            perror("bench: wait4");
            return r;
        }
    }
    r.wall = now() - t0;
    r.user = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6;
    r.sys = ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
    r.maxrss_kb = ru.ru_maxrss; /* kilobytes on Linux */
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        r.ok = 1;
    } else if (WIFEXITED(status)) {
        fprintf(stderr, "bench: %s extract %s exited with status %d (see %s)\n", sayso, corpus,
                WEXITSTATUS(status), errpath);
    } else if (WIFSIGNALED(status)) {
        fprintf(stderr, "bench: %s extract %s killed by signal %d (%s)\n", sayso, corpus,
                WTERMSIG(status), strsignal(WTERMSIG(status)));
    }
    /* Mention the child's stderr, if any (warnings, its own statistics). */
    struct stat st;
    if (stat(errpath, &st) == 0 && st.st_size == 0) unlink(errpath);
    else if (r.ok) fprintf(stderr, "bench: note: the extractor wrote %lld bytes to %s\n",
                           (long long)st.st_size, errpath);
    return r;
}

static const char *base(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

int main(int argc, char **argv)
{
    int runs = 1, i = 1;
    for (;;) {
        if (i + 1 < argc && !strcmp(argv[i], "-r")) {
            runs = atoi(argv[i + 1]);
            if (runs < 1) runs = 1;
            i += 2;
        } else if (i + 1 < argc && !strcmp(argv[i], "-x") && n_options < 8) {
            options[n_options++] = argv[i + 1];
            i += 2;
        } else {
            break;
        }
    }
    if (argc - i < 2) {
        fprintf(stderr, "usage: bench [-r RUNS] [-x OPTION]... SAYSO CORPUS.jsonl...\n");
        return 2;
    }
    const char *sayso = argv[i++];
    if (access(sayso, X_OK) != 0) {
        fprintf(stderr, "bench: %s is not executable\n", sayso);
        return 2;
    }
    int ncorp = argc - i, failed = 0;
    long first_rss = 0, last_rss = 0;
    double first_mb = 0, last_mb = 0;

    printf("%-24s %9s %9s %8s %9s %11s %10s %12s %9s\n", "corpus", "MB", "articles", "wall s",
           "MB/s", "articles/s", "quotes", "quotes/s", "peak RSS");
    for (int c = 0; c < ncorp; c++) {
        const char *corpus = argv[i + c];
        size_t lines, bytes;
        if (count_lines(corpus, &lines, &bytes) != 0) {
            fprintf(stderr, "bench: cannot read %s: %s\n", corpus, strerror(errno));
            failed = 1;
            continue;
        }
        result best = {0};
        long rss = 0;
        for (int k = 0; k < runs; k++) {
            result r = run_once(sayso, corpus);
            if (!r.ok) { best.ok = 0; break; }
            if (r.maxrss_kb > rss) rss = r.maxrss_kb;
            if (!best.ok || r.wall < best.wall) best = r;
        }
        if (!best.ok) {
            failed = 1;
            continue;
        }
        double mb = bytes / 1e6, w = best.wall > 0 ? best.wall : 1e-9;
        printf("%-24s %9.1f %9zu %8.3f %9.2f %11.0f %10zu %12.0f %6.1f MB\n", base(corpus), mb, lines,
               best.wall, mb / w, lines / w, best.quotes, best.quotes / w, rss / 1024.0);
        printf("%-24s cpu: user %.2f s, sys %.2f s\n", "", best.user, best.sys);
        if (!first_rss) { first_rss = rss; first_mb = mb; }
        last_rss = rss;
        last_mb = mb;
        fflush(stdout);
    }
    if (ncorp > 1 && first_rss > 0 && last_rss > 0 && last_mb > first_mb) {
        printf("peak RSS: %.1f MB on %.0f MB of input, %.1f MB on %.0f MB (x%.2f for x%.1f the input)\n",
               first_rss / 1024.0, first_mb, last_rss / 1024.0, last_mb,
               (double)last_rss / first_rss, last_mb / first_mb);
    }
    return failed;
}
