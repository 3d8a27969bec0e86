/*
 * web.h — the web page `sayso serve` serves: the files of web/, compiled
 * into the binary at build time (cmake/embed_web.cmake), so that the
 * server needs nothing beside it and serves nothing but them.
 */
#ifndef SAYSO_WEB_H
#define SAYSO_WEB_H

#include <stddef.h>

typedef struct {
    const char *path; /* "/index.html" */
    const char *type; /* Content-Type */
    const unsigned char *data;
    size_t len;
} sayso_web_file;

/* Ends with an entry whose path is NULL. */
extern const sayso_web_file sayso_web_files[];

#endif
