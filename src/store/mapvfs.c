/*
 * mapvfs.c — whole-file memory map for the store's readers (see mapvfs.h).
 *
 * How SQLite uses it: with PRAGMA mmap_size > 0 the pager asks the file
 * for each page it reads (xFetch) and reads it with xRead only when it
 * gets no pointer back; it returns the pointer (xUnfetch with the page)
 * when done, and asks for the whole map to go (xUnfetch with NULL) when
 * another connection changed the file, so that the next fetch maps the
 * file at its new size. SQLite tells the file its mmap_size through
 * SQLITE_FCNTL_MMAP_SIZE before it caps it; the default VFS caps it at
 * SQLITE_MAX_MMAP_SIZE, this one does not.
 *
 * Only main database files opened read-only are mapped, PROT_READ: a
 * stray write through the map is a crash, never a damaged store. A page
 * past the end of the map (the file grew since) is not fetched, so SQLite
 * reads it; the map is never longer than the file was when it was made,
 * and it is remade only when no page of it is out (as the default VFS
 * does), so a file that shrinks under a reader is remapped before any
 * page past its end is touched.
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sqlite3.h>
#include "mapvfs.h"

#define MAPVFS_NAME "sayso-map"

/* One map of a file, shared by the connections of the process that want
 * the same length of it (the server's workers): the kernel sets up each
 * page of it once, and the process's resident size counts it once. */
typedef struct shared_map {
    dev_t dev;
    ino_t ino;
    unsigned char *base;
    sqlite3_int64 len;
    int refs; /* connections using it; under maps_mu */
    struct shared_map *next;
} shared_map;

static pthread_mutex_t maps_mu = PTHREAD_MUTEX_INITIALIZER;
static shared_map *maps;

typedef struct {
    sqlite3_file base;    /* pMethods: map_io, or NULL when the open failed */
    sqlite3_file *real;   /* the default VFS's file, right after this struct */
    int fd;               /* our own descriptor of a mappable file, or -1 */
    shared_map *map;      /* what this connection reads from, or NULL */
    sqlite3_int64 limit;  /* PRAGMA mmap_size; 0: no map */
    int out;              /* pages fetched and not yet given back */
} map_file;

static sqlite3_vfs *parent;
static sqlite3_vfs map_vfs;

static void unmap(map_file *f)
{
    shared_map *m = f->map;
    f->map = NULL;
    if (!m) return;
    pthread_mutex_lock(&maps_mu);
    if (--m->refs == 0) {
        shared_map **p = &maps;
        while (*p != m) p = &(*p)->next;
        *p = m->next;
        munmap(m->base, (size_t)m->len);
        free(m);
    }
    pthread_mutex_unlock(&maps_mu);
}

/* Takes a map of min(file size, limit) bytes, another connection's if it
 * has one of that length; on any failure, none, and the pager reads. */
static void remap(map_file *f)
{
    unmap(f);
    struct stat st;
    if (f->fd < 0 || f->limit <= 0 || fstat(f->fd, &st) != 0 || st.st_size <= 0) return;
    sqlite3_int64 n = st.st_size < f->limit ? st.st_size : f->limit;
    if ((uint64_t)n > SIZE_MAX / 2) n = (sqlite3_int64)(SIZE_MAX / 2);
    pthread_mutex_lock(&maps_mu);
    shared_map *m = maps;
    while (m && !(m->dev == st.st_dev && m->ino == st.st_ino && m->len == n)) m = m->next;
    if (!m && (m = calloc(1, sizeof *m)) != NULL) {
        void *p = mmap(NULL, (size_t)n, PROT_READ, MAP_SHARED, f->fd, 0);
        if (p == MAP_FAILED) {
            free(m);
            m = NULL;
        } else {
            *m = (shared_map){ st.st_dev, st.st_ino, p, n, 0, maps };
            maps = m;
        }
    }
    if (m) m->refs++;
    f->map = m;
    pthread_mutex_unlock(&maps_mu);
}

static int m_close(sqlite3_file *pf)
{
    map_file *f = (map_file *)pf;
    unmap(f);
    if (f->fd >= 0) close(f->fd);
    f->fd = -1;
    return f->real->pMethods->xClose(f->real);
}

static int m_read(sqlite3_file *pf, void *buf, int n, sqlite3_int64 off)
{
    map_file *f = (map_file *)pf;
    return f->real->pMethods->xRead(f->real, buf, n, off);
}

static int m_write(sqlite3_file *pf, const void *buf, int n, sqlite3_int64 off)
{
    map_file *f = (map_file *)pf;
    return f->real->pMethods->xWrite(f->real, buf, n, off);
}

static int m_truncate(sqlite3_file *pf, sqlite3_int64 size)
{
    map_file *f = (map_file *)pf;
    return f->real->pMethods->xTruncate(f->real, size);
}

static int m_sync(sqlite3_file *pf, int flags)
{
    map_file *f = (map_file *)pf;
    return f->real->pMethods->xSync(f->real, flags);
}

static int m_file_size(sqlite3_file *pf, sqlite3_int64 *size)
{
    map_file *f = (map_file *)pf;
    return f->real->pMethods->xFileSize(f->real, size);
}

static int m_lock(sqlite3_file *pf, int lock)
{
    map_file *f = (map_file *)pf;
    return f->real->pMethods->xLock(f->real, lock);
}

static int m_unlock(sqlite3_file *pf, int lock)
{
    map_file *f = (map_file *)pf;
    return f->real->pMethods->xUnlock(f->real, lock);
}

static int m_check_reserved(sqlite3_file *pf, int *out)
{
    map_file *f = (map_file *)pf;
    return f->real->pMethods->xCheckReservedLock(f->real, out);
}

static int m_file_control(sqlite3_file *pf, int op, void *arg)
{
    map_file *f = (map_file *)pf;
    if (op == SQLITE_FCNTL_MMAP_SIZE && f->fd >= 0) {
        /* Ours, uncapped; the default VFS maps nothing of this file. */
        sqlite3_int64 *v = arg, old = f->limit;
        if (*v >= 0) {
            f->limit = *v;
            if (f->limit != old && f->out == 0) unmap(f); /* the next fetch maps anew */
        }
        *v = old;
        return SQLITE_OK;
    }
    return f->real->pMethods->xFileControl(f->real, op, arg);
}

static int m_sector_size(sqlite3_file *pf)
{
    map_file *f = (map_file *)pf;
    return f->real->pMethods->xSectorSize(f->real);
}

static int m_device_characteristics(sqlite3_file *pf)
{
    map_file *f = (map_file *)pf;
    return f->real->pMethods->xDeviceCharacteristics(f->real);
}

static int m_shm_map(sqlite3_file *pf, int pg, int pgsz, int extend, void volatile **pp)
{
    map_file *f = (map_file *)pf;
    return f->real->pMethods->xShmMap(f->real, pg, pgsz, extend, pp);
}

static int m_shm_lock(sqlite3_file *pf, int offset, int n, int flags)
{
    map_file *f = (map_file *)pf;
    return f->real->pMethods->xShmLock(f->real, offset, n, flags);
}

static void m_shm_barrier(sqlite3_file *pf)
{
    map_file *f = (map_file *)pf;
    f->real->pMethods->xShmBarrier(f->real);
}

static int m_shm_unmap(sqlite3_file *pf, int del)
{
    map_file *f = (map_file *)pf;
    return f->real->pMethods->xShmUnmap(f->real, del);
}

static int m_fetch(sqlite3_file *pf, sqlite3_int64 off, int n, void **pp)
{
    map_file *f = (map_file *)pf;
    *pp = NULL;
    if (f->fd < 0) return f->real->pMethods->iVersion >= 3 ? f->real->pMethods->xFetch(f->real, off, n, pp) : SQLITE_OK;
    if (!f->map && f->out == 0) remap(f);
    if (f->map && off >= 0 && n >= 0 && off + n <= f->map->len) {
        *pp = f->map->base + off;
        f->out++;
    }
    return SQLITE_OK;
}

static int m_unfetch(sqlite3_file *pf, sqlite3_int64 off, void *p)
{
    map_file *f = (map_file *)pf;
    if (f->fd < 0) return f->real->pMethods->iVersion >= 3 ? f->real->pMethods->xUnfetch(f->real, off, p) : SQLITE_OK;
    if (p) {
        if (f->out > 0) f->out--;
    } else if (f->out == 0) {
        unmap(f); /* the file changed: the next fetch maps it at its new size */
    }
    return SQLITE_OK;
}

static const sqlite3_io_methods map_io = {
    3,          m_close,     m_read,         m_write,       m_truncate,    m_sync,
    m_file_size, m_lock,     m_unlock,       m_check_reserved, m_file_control, m_sector_size,
    m_device_characteristics, m_shm_map, m_shm_lock, m_shm_barrier, m_shm_unmap, m_fetch,
    m_unfetch,
};

static int v_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *pf, int flags, int *out_flags)
{
    (void)vfs;
    map_file *f = (map_file *)pf;
    memset(f, 0, sizeof *f);
    f->fd = -1;
    f->real = (sqlite3_file *)(f + 1);
    int rc = parent->xOpen(parent, name, f->real, flags, out_flags);
    if (rc != SQLITE_OK || !f->real->pMethods) {
        /* SQLite calls xClose only when pMethods is set; the default VFS
         * has cleaned up after itself. */
        f->base.pMethods = NULL;
        return rc != SQLITE_OK ? rc : SQLITE_CANTOPEN;
    }
    if (name && (flags & SQLITE_OPEN_MAIN_DB) && (flags & SQLITE_OPEN_READONLY)) f->fd = open(name, O_RDONLY | O_CLOEXEC);
    f->base.pMethods = &map_io;
    return SQLITE_OK;
}

static int v_delete(sqlite3_vfs *vfs, const char *name, int sync)
{
    (void)vfs;
    return parent->xDelete(parent, name, sync);
}

static int v_access(sqlite3_vfs *vfs, const char *name, int flags, int *out)
{
    (void)vfs;
    return parent->xAccess(parent, name, flags, out);
}

static int v_full_pathname(sqlite3_vfs *vfs, const char *name, int n, char *out)
{
    (void)vfs;
    return parent->xFullPathname(parent, name, n, out);
}

static void *v_dlopen(sqlite3_vfs *vfs, const char *name)
{
    (void)vfs;
    return parent->xDlOpen(parent, name);
}

static void v_dlerror(sqlite3_vfs *vfs, int n, char *msg)
{
    (void)vfs;
    parent->xDlError(parent, n, msg);
}

static void (*v_dlsym(sqlite3_vfs *vfs, void *h, const char *sym))(void)
{
    (void)vfs;
    return parent->xDlSym(parent, h, sym);
}

static void v_dlclose(sqlite3_vfs *vfs, void *h)
{
    (void)vfs;
    parent->xDlClose(parent, h);
}

static int v_randomness(sqlite3_vfs *vfs, int n, char *out)
{
    (void)vfs;
    return parent->xRandomness(parent, n, out);
}

static int v_sleep(sqlite3_vfs *vfs, int us)
{
    (void)vfs;
    return parent->xSleep(parent, us);
}

static int v_current_time(sqlite3_vfs *vfs, double *t)
{
    (void)vfs;
    return parent->xCurrentTime(parent, t);
}

static int v_last_error(sqlite3_vfs *vfs, int n, char *msg)
{
    (void)vfs;
    return parent->xGetLastError ? parent->xGetLastError(parent, n, msg) : 0;
}

static int v_current_time64(sqlite3_vfs *vfs, sqlite3_int64 *t)
{
    (void)vfs;
    if (parent->iVersion >= 2 && parent->xCurrentTimeInt64) return parent->xCurrentTimeInt64(parent, t);
    double d;
    int rc = parent->xCurrentTime(parent, &d);
    *t = (sqlite3_int64)(d * 86400000.0);
    return rc;
}

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int registered;

static void register_vfs(void)
{
    parent = sqlite3_vfs_find(NULL);
    if (!parent || parent->iVersion < 1) return;
    map_vfs.iVersion = 2;
    map_vfs.szOsFile = (int)sizeof(map_file) + parent->szOsFile;
    map_vfs.mxPathname = parent->mxPathname;
    map_vfs.zName = MAPVFS_NAME;
    map_vfs.xOpen = v_open;
    map_vfs.xDelete = v_delete;
    map_vfs.xAccess = v_access;
    map_vfs.xFullPathname = v_full_pathname;
    map_vfs.xDlOpen = v_dlopen;
    map_vfs.xDlError = v_dlerror;
    map_vfs.xDlSym = v_dlsym;
    map_vfs.xDlClose = v_dlclose;
    map_vfs.xRandomness = v_randomness;
    map_vfs.xSleep = v_sleep;
    map_vfs.xCurrentTime = v_current_time;
    map_vfs.xGetLastError = v_last_error;
    map_vfs.xCurrentTimeInt64 = v_current_time64;
    registered = sqlite3_vfs_register(&map_vfs, 0) == SQLITE_OK;
}

const char *sayso_mapvfs_name(void)
{
    pthread_once(&once, register_vfs);
    return registered ? MAPVFS_NAME : NULL;
}
