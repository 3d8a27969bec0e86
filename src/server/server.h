/*
 * server.h — `sayso serve`: the store over HTTP, as a JSON API.
 *
 * Owns the HTTP side (libmicrohttpd, a queue and its workers), the routes and their
 * parameters, the limits on what a request may ask, the one error shape
 * ({"error": {"status": 404, "message": "..."}}) and the security headers.
 * Every worker reads the store through a read-only connection of its own,
 * so the server keeps answering while `sayso ingest` writes (WAL).
 */
#ifndef SAYSO_SERVER_H
#define SAYSO_SERVER_H

#include <stddef.h>

/* Defaults, for the options left at 0. */
#define SAYSO_SERVE_BUDGET_MS 1000 /* per search or report */
#define SAYSO_SERVE_QUEUE 64       /* API requests waiting for a worker */
#define SAYSO_SERVE_CACHE_MB 16    /* SQLite page cache per worker (private) */
#define SAYSO_SERVE_MMAP_MB 65536  /* of the store mapped (shared, the OS's page cache): all of it */

typedef struct {
    const char *db;   /* the store */
    const char *bind; /* an IPv4 address; NULL: 127.0.0.1 */
    int port;         /* 0: any free port (see sayso_server_port) */
    int threads;      /* workers, each with a store connection; 0: two per CPU, at least 2 */
    int budget_ms;    /* time a search or report may take; 0: the default, < 0: no limit */
    int queue;        /* requests waiting for a worker before 503; 0: the default */
    int cache_mb;     /* page cache per worker; 0: the default */
    int mmap_mb;      /* MB of the store mapped into memory, shared; 0: the default, < 0: none */
} sayso_serve_opts;

typedef struct sayso_server sayso_server;

/* Checks that the store opens, binds and starts serving. NULL with a
 * message in err when it cannot (bad address, port in use, not a store). */
sayso_server *sayso_server_start(const sayso_serve_opts *o, char *err, size_t errlen);

/* The port it listens on (the chosen one when asked for 0). */
int sayso_server_port(const sayso_server *s);

/* Stops accepting, finishes the requests in flight, frees everything. */
void sayso_server_stop(sayso_server *s);

#endif
