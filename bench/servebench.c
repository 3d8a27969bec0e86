/*
 * servebench — loads `sayso serve` with a mix of requests and measures it
 * from the client's side (bench/serve.sh).
 *
 *   servebench HOST:PORT PATHS CONNECTIONS SECONDS
 *
 * PATHS holds "KIND<TAB>PATH" lines (storebench paths). CONNECTIONS
 * threads each keep one HTTP/1.1 connection alive and send the next path
 * of the mix as soon as the previous answer is in (a closed loop, as wrk
 * does), for SECONDS. Prints requests/s, and per kind of request and over
 * all: the count, p50, p95, p99 and max latency in ms, answers that were
 * not 200 (by status) and requests with no answer within 10 s (timeouts).
 * With one connection, every latency is that of a request alone.
 *
 * Why not wrk: wrk reports one latency distribution for the whole mix,
 * and the question is how each kind of request fares within it.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define MAX_KINDS 16
#define TIMEOUT_S 10

typedef struct {
    int kind;
    char *path;
} req;

static req *reqs;
static int n_reqs, n_kinds;
static char kinds[MAX_KINDS][32];
static atomic_int next_req;
static struct sockaddr_in addr;
static double t_end;

typedef struct {
    double *ms;
    int n, cap;
} samples;

typedef struct {
    samples lat[MAX_KINDS];
    long status[MAX_KINDS][6]; /* 2xx..5xx by hundreds; [0]: timeouts and broken connections */
} tally;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void add(samples *s, double v)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 1024;
        s->ms = realloc(s->ms, sizeof *s->ms * (size_t)s->cap);
        if (!s->ms) abort();
    }
    s->ms[s->n++] = v;
}

static int connect_once(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return -1;
    struct timeval tv = { TIMEOUT_S, 0 };
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* The first n-byte needle in hay[0..len), or NULL. */
static char *find(char *hay, size_t len, const char *needle, size_t n)
{
    for (size_t i = 0; i + n <= len; i++)
        if (memcmp(hay + i, needle, n) == 0) return hay + i;
    return NULL;
}

/* Sends one GET and reads its answer whole: the status, or 0 when the
 * connection broke or timed out. */
static int get(int fd, const char *path, char *buf, size_t cap)
{
    char head[2048];
    int hl = snprintf(head, sizeof head, "GET %s HTTP/1.1\r\nHost: bench\r\nAccept: application/json\r\n\r\n", path);
    if (send(fd, head, (size_t)hl, MSG_NOSIGNAL) != hl) return 0;
    size_t have = 0, head_end = 0;
    long body = 0;
    int status = 0;
    for (;;) {
        if (head_end && have >= head_end + (size_t)body) return status;
        if (have == cap) { /* a body bigger than the buffer: read past the rest */
            if (!head_end) return 0;
            long left = (long)(head_end + (size_t)body - have);
            while (left > 0) {
                ssize_t k = recv(fd, buf, (size_t)left < cap ? (size_t)left : cap, 0);
                if (k <= 0) return 0;
                left -= k;
            }
            return status;
        }
        ssize_t k = recv(fd, buf + have, cap - have, 0);
        if (k <= 0) return 0;
        have += (size_t)k;
        if (!head_end) {
            char *e = find(buf, have, "\r\n\r\n", 4);
            if (e) {
                head_end = (size_t)(e - buf) + 4;
                char *cl = find(buf, head_end, "Content-Length:", 15);
                if (!cl) cl = find(buf, head_end, "content-length:", 15);
                body = cl ? atol(cl + 15) : 0;
                sscanf(buf, "HTTP/1.%*d %d", &status);
            }
        }
    }
}

static void *client(void *arg)
{
    tally *t = arg;
    size_t cap = 1 << 20;
    char *buf = malloc(cap);
    int fd = connect_once();
    while (buf && now() < t_end) {
        int i = atomic_fetch_add(&next_req, 1) % n_reqs;
        if (fd < 0 && (fd = connect_once()) < 0) {
            t->status[reqs[i].kind][0]++;
            struct timespec ts = { 0, 10000000 };
            nanosleep(&ts, NULL);
            continue;
        }
        double t0 = now();
        int st = get(fd, reqs[i].path, buf, cap);
        double ms = (now() - t0) * 1e3;
        if (st == 0) {
            t->status[reqs[i].kind][0]++;
            close(fd);
            fd = -1;
            continue;
        }
        if (st >= 200 && st < 600) t->status[reqs[i].kind][st / 100]++;
        add(&t->lat[reqs[i].kind], ms);
    }
    if (fd >= 0) close(fd);
    free(buf);
    return NULL;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double pct(const samples *s, double p)
{
    return s->n ? s->ms[(int)(p * (s->n - 1) + 0.5)] : 0;
}

static int kind_of(const char *name)
{
    for (int k = 0; k < n_kinds; k++)
        if (strcmp(kinds[k], name) == 0) return k;
    if (n_kinds == MAX_KINDS) return MAX_KINDS - 1;
    snprintf(kinds[n_kinds], sizeof kinds[0], "%.31s", name);
    return n_kinds++;
}

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: servebench HOST:PORT PATHS CONNECTIONS SECONDS\n");
        return 2;
    }
    char host[64];
    int port = 0;
    if (sscanf(argv[1], "%63[^:]:%d", host, &port) != 2 || inet_pton(AF_INET, host, &addr.sin_addr) != 1) {
        fprintf(stderr, "servebench: '%s' is not IPV4:PORT\n", argv[1]);
        return 2;
    }
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)port);
    FILE *f = fopen(argv[2], "r");
    if (!f) {
        fprintf(stderr, "servebench: %s: %s\n", argv[2], strerror(errno));
        return 2;
    }
    char line[4096];
    int cap = 0;
    while (fgets(line, sizeof line, f)) {
        char *tab = strchr(line, '\t');
        if (!tab) continue;
        *tab = 0;
        tab[strcspn(tab + 1, "\r\n") + 1] = 0;
        if (n_reqs == cap) {
            cap = cap ? cap * 2 : 256;
            reqs = realloc(reqs, sizeof *reqs * (size_t)cap);
            if (!reqs) return 1;
        }
        reqs[n_reqs].kind = kind_of(line);
        reqs[n_reqs++].path = strdup(tab + 1);
    }
    fclose(f);
    int conns = atoi(argv[3]), seconds = atoi(argv[4]);
    if (n_reqs == 0 || conns < 1 || conns > 1024 || seconds < 1) {
        fprintf(stderr, "servebench: no requests in %s, or a bad number of connections or seconds\n", argv[2]);
        return 2;
    }
    tally *t = calloc((size_t)conns, sizeof *t);
    pthread_t *th = calloc((size_t)conns, sizeof *th);
    if (!t || !th) return 1;
    double t0 = now();
    t_end = t0 + seconds;
    for (int i = 0; i < conns; i++) pthread_create(&th[i], NULL, client, &t[i]);
    for (int i = 0; i < conns; i++) pthread_join(th[i], NULL);
    double wall = now() - t0;

    /* Everything into the first tally, then one line per kind. */
    samples all = { 0 };
    long total = 0, bad = 0, timeouts = 0;
    printf("  %-15s %8s %8s %8s %8s %8s   %s\n", "kind", "n", "p50 ms", "p95 ms", "p99 ms", "max ms",
           "not 200 (status: n), timeouts");
    for (int k = 0; k < n_kinds; k++) {
        samples s = { 0 };
        long st[6] = { 0 };
        for (int i = 0; i < conns; i++) {
            for (int j = 0; j < t[i].lat[k].n; j++) {
                add(&s, t[i].lat[k].ms[j]);
                add(&all, t[i].lat[k].ms[j]);
            }
            for (int j = 0; j < 6; j++) st[j] += t[i].status[k][j];
        }
        qsort(s.ms, (size_t)s.n, sizeof *s.ms, cmp_d);
        char errs[128] = "";
        size_t el = 0;
        for (int j = 3; j < 6; j++)
            if (st[j]) el += (size_t)snprintf(errs + el, sizeof errs - el, "%dxx: %ld  ", j, st[j]);
        snprintf(errs + el, sizeof errs - el, "timeouts: %ld", st[0]);
        printf("  %-15s %8d %8.2f %8.2f %8.2f %8.2f   %s\n", kinds[k], s.n, pct(&s, 0.5), pct(&s, 0.95), pct(&s, 0.99),
               s.n ? s.ms[s.n - 1] : 0, errs);
        total += s.n;
        bad += st[3] + st[4] + st[5];
        timeouts += st[0];
        free(s.ms);
    }
    qsort(all.ms, (size_t)all.n, sizeof *all.ms, cmp_d);
    printf("  %-15s %8d %8.2f %8.2f %8.2f %8.2f   not 200: %ld  timeouts: %ld\n", "all", all.n, pct(&all, 0.5),
           pct(&all, 0.95), pct(&all, 0.99), all.n ? all.ms[all.n - 1] : 0, bad, timeouts);
    printf("  %d connections, %.1f s: %.0f requests/s\n", conns, wall, total / wall);
    free(all.ms);
    for (int i = 0; i < conns; i++)
        for (int k = 0; k < MAX_KINDS; k++) free(t[i].lat[k].ms);
    free(t);
    free(th);
    for (int i = 0; i < n_reqs; i++) free(reqs[i].path);
    free(reqs);
    return 0;
}
