/*
 * mapvfs.h — a SQLite VFS that maps the whole store file into memory for
 * readers.
 *
 * SQLite's own memory-mapped I/O stops at SQLITE_MAX_MMAP_SIZE, a compile
 * time limit of 2 GB in Debian's build: on a store of several GB every
 * page past it is read with a system call and copied into each
 * connection's page cache, which on the big store of `make bench-store`
 * was a quarter of the server's CPU time. This VFS wraps the default one
 * and answers SQLite's page fetches (xFetch) from a map of its own, up to
 * the connection's PRAGMA mmap_size, which it does not cap. Everything
 * else (locking, the WAL, writes) is the default VFS's.
 */
#ifndef SAYSO_MAPVFS_H
#define SAYSO_MAPVFS_H

/* Registers the VFS once per process (not as the default) and returns its
 * name for sqlite3_open_v2(), or NULL when it cannot (then open with the
 * default VFS: only slower). Thread-safe. */
const char *sayso_mapvfs_name(void);

#endif
