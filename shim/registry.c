#include "registry.h"

#include <errno.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include <uthash.h>

#include "fdtab.h"
#include "log.h"
#include "real.h"
#include "stack.h"

struct claim {
    uint16_t port;
    int refs;
    int port_fd, map_fd;
    UT_hash_handle hh;
};

static struct claim *claims;
static pthread_mutex_t reg_lock = PTHREAD_MUTEX_INITIALIZER;

static int bind_abstract(const char *name)
{
    struct sockaddr_un sun = {.sun_family = AF_UNIX};
    size_t n = strlen(name);
    memcpy(sun.sun_path + 1, name, n);
    int fd = real.socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    if (real.bind(fd, (struct sockaddr *)&sun,
                  (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + n)) < 0) {
        int e = errno;
        real.close(fd);
        errno = e;
        return -1;
    }
    fdtab_set(fd, FDTAB_PRIVATE);
    return fd;
}

static void close_private(int fd)
{
    if (fd >= 0) {
        fdtab_take(fd);
        real.close(fd);
    }
}

static int claim_locked(uint16_t port)
{
    struct claim *c;
    HASH_FIND(hh, claims, &port, sizeof port, c);
    if (c) {
        /* A second socket of this process on the same port: usrsctp
         * itself decides whether that bind is allowed. */
        c->refs++;
        return 0;
    }
    char name[64];
    snprintf(name, sizeof name, "sctpshim/port/%u", port);
    int pfd = bind_abstract(name);
    if (pfd < 0) {
        if (errno != EADDRINUSE)
            SHIM_LOG("registry: cannot claim port %u: %s", port, strerror(errno));
        errno = EADDRINUSE;
        return -1;
    }
    snprintf(name, sizeof name, "sctpshim/map/%u/%u", port,
             stk_local_udp_port());
    int mfd = bind_abstract(name);
    c = calloc(1, sizeof *c);
    if (!c || mfd < 0) {
        free(c);
        close_private(pfd);
        close_private(mfd);
        errno = ENOBUFS;
        return -1;
    }
    c->port = port;
    c->refs = 1;
    c->port_fd = pfd;
    c->map_fd = mfd;
    HASH_ADD(hh, claims, port, sizeof port, c);
    return 0;
}

int registry_claim(uint16_t port)
{
    pthread_mutex_lock(&reg_lock);
    int r = claim_locked(port);
    pthread_mutex_unlock(&reg_lock);
    return r;
}

void registry_release(uint16_t port)
{
    struct claim *c;
    pthread_mutex_lock(&reg_lock);
    HASH_FIND(hh, claims, &port, sizeof port, c);
    if (c && --c->refs == 0) {
        HASH_DEL(claims, c);
        close_private(c->port_fd);
        close_private(c->map_fd);
        free(c);
    }
    pthread_mutex_unlock(&reg_lock);
}

static void ephemeral_range(unsigned *lo, unsigned *hi)
{
    *lo = 32768;
    *hi = 60999;
    FILE *f = fopen("/proc/sys/net/ipv4/ip_local_port_range", "re");
    if (f) {
        if (fscanf(f, "%u %u", lo, hi) != 2 || *lo == 0 || *hi < *lo) {
            *lo = 32768;
            *hi = 60999;
        }
        fclose(f);
    }
}

static unsigned next_ephemeral; /* 1 + offset of the next port to try, 0: none yet */

uint16_t registry_claim_ephemeral(void)
{
    unsigned lo, hi;
    ephemeral_range(&lo, &hi);
    unsigned span = hi - lo + 1;
    pthread_mutex_lock(&reg_lock);
    /* Random start, then onwards: a port picked at random each time comes
     * back within a few hundred connections, while the peer may still be
     * shutting down the last association on that pair of ports; it then
     * ignores the new INIT and connect() waits for retransmissions. */
    if (!next_ephemeral) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        next_ephemeral = 1 + (unsigned)(ts.tv_nsec ^ (getpid() * 2654435761u));
    }
    unsigned start = (next_ephemeral - 1) % span;
    for (unsigned i = 0; i < span; i++) {
        uint16_t p = (uint16_t)(lo + (start + i) % span);
        struct claim *c;
        HASH_FIND(hh, claims, &p, sizeof p, c);
        if (c)
            continue;
        if (claim_locked(p) == 0) {
            next_ephemeral = start + i + 2;
            pthread_mutex_unlock(&reg_lock);
            return p;
        }
    }
    pthread_mutex_unlock(&reg_lock);
    return 0;
}

/* Reading /proc/net/unix costs time in proportion to every abstract name
 * on the host, and a one-to-many sender looks its peer up on each send:
 * with 1,000 associations that scan was the whole cost of sending.  So
 * answers are cached and each use is confirmed with a single connect() to
 * the published name, which succeeds exactly while its owner lives. */
struct known {
    uint16_t port, udp;
    UT_hash_handle hh;
};

static struct known *known;
static int probe_fd = -1;

static int map_name_alive(uint16_t port, uint16_t udp)
{
    struct sockaddr_un sun = {.sun_family = AF_UNIX};
    int n = snprintf(sun.sun_path + 1, sizeof sun.sun_path - 1,
                     "sctpshim/map/%u/%u", port, udp);
    if (probe_fd < 0) {
        probe_fd = real.socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (probe_fd < 0)
            return 0;
        fdtab_set(probe_fd, FDTAB_PRIVATE);
    }
    return real.connect(probe_fd, (struct sockaddr *)&sun,
                        (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 +
                                    (size_t)n)) == 0;
}

static int scan_proc(uint16_t port, uint16_t *udp_port)
{
    char want[48];
    int wl = snprintf(want, sizeof want, "@sctpshim/map/%u/", port);
    FILE *f = fopen("/proc/net/unix", "re");
    if (!f)
        return 0;
    char line[512];
    int found = 0;
    while (!found && fgets(line, sizeof line, f)) {
        char *p = strstr(line, want);
        if (p) {
            *udp_port = (uint16_t)atoi(p + wl);
            found = 1;
        }
    }
    fclose(f);
    return found;
}

int registry_lookup(uint16_t port, uint16_t *udp_port)
{
    struct known *k;
    pthread_mutex_lock(&reg_lock);
    HASH_FIND(hh, known, &port, sizeof port, k);
    if (k && map_name_alive(port, k->udp)) {
        *udp_port = k->udp;
        pthread_mutex_unlock(&reg_lock);
        return 1;
    }
    int found = scan_proc(port, udp_port);
    if (found && !k && (k = calloc(1, sizeof *k)) != NULL) {
        k->port = port;
        HASH_ADD(hh, known, port, sizeof port, k);
    }
    if (found && k)
        k->udp = *udp_port;
    else if (k) {
        HASH_DEL(known, k);
        free(k);
    }
    pthread_mutex_unlock(&reg_lock);
    return found;
}

void registry_forget_after_fork(void)
{
    struct claim *c, *tmp;
    struct known *k, *ktmp;
    pthread_mutex_init(&reg_lock, NULL);
    HASH_ITER(hh, known, k, ktmp) {
        HASH_DEL(known, k);
        free(k);
    }
    HASH_ITER(hh, claims, c, tmp) {
        HASH_DEL(claims, c);
        close_private(c->port_fd);
        close_private(c->map_fd);
        free(c);
    }
}
