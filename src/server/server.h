/*
 * server.h — `sayso serve`: the store over HTTP, as a JSON API.
 *
 * Owns the HTTP side (libmicrohttpd, a thread pool), the routes and their
 * parameters, the limits on what a request may ask, the one error shape
 * ({"error": {"status": 404, "message": "..."}}) and the security headers.
 * Every worker reads the store through a read-only connection of its own,
 * so the server keeps answering while `sayso ingest` writes (WAL).
 */
#ifndef SAYSO_SERVER_H
#define SAYSO_SERVER_H

#include <stddef.h>

typedef struct {
    const char *db;   /* the store */
    const char *bind; /* an IPv4 address; NULL: 127.0.0.1 */
    int port;         /* 0: any free port (see sayso_server_port) */
    int threads;      /* worker threads; 0: one per CPU, at least 2 */
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
