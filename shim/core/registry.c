#include "core/registry.h"

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

#include "base/log.h"
#include "base/real.h"
#include "core/privfd.h"
#include "usrsctp/stack.h"

/* A claim is one descriptor: the socket that holds the port's name.  The
 * map name's socket travels in that socket's own receive queue (sent to
 * itself with SCM_RIGHTS): a descriptor in flight is alive and keeps its
 * name, takes no number in any table, and goes with the queue when the
 * port's socket is closed, by the program or by the process's death. */
struct claim {
    uint16_t port;
    int refs;
    int port_fd, map_fd; /* map_fd -1 once it is in flight */
    UT_hash_handle hh;
};

static struct claim *claims;
static pthread_mutex_t reg_lock = PTHREAD_MUTEX_INITIALIZER;

static void abstract_name(struct sockaddr_un *sun, socklen_t *len,
                          const char *name)
{
    size_t n = strlen(name);
    memset(sun, 0, sizeof *sun);
    sun->sun_family = AF_UNIX;
    memcpy(sun->sun_path + 1, name, n);
    *len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + n);
}

static int bind_abstract(const char *name)
{
    struct sockaddr_un sun;
    socklen_t len;
    abstract_name(&sun, &len, name);
    int fd = privfd_socket(AF_UNIX, SOCK_DGRAM, 0);
    if (fd < 0)
        return -1;
    if (real.bind(fd, (struct sockaddr *)&sun, len) < 0) {
        int e = errno;
        privfd_close(fd);
        errno = e;
        return -1;
    }
    return fd;
}

/* Hands fd over to the queue of the socket bound to name (whose
 * descriptor is holder): 0, or -1 when it stays a descriptor (a user may
 * have no more than RLIMIT_NOFILE descriptors in flight without
 * CAP_SYS_RESOURCE). */
static int stow(int holder, const char *name, int fd)
{
    struct sockaddr_un sun;
    socklen_t len;
    abstract_name(&sun, &len, name);
    char one = 0;
    struct iovec iv = {&one, 1};
    union {
        struct cmsghdr h;
        char buf[CMSG_SPACE(sizeof(int))];
    } c;
    memset(&c, 0, sizeof c);
    struct msghdr mh = {.msg_name = &sun, .msg_namelen = len, .msg_iov = &iv,
                        .msg_iovlen = 1, .msg_control = c.buf,
                        .msg_controllen = sizeof c.buf};
    struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);
    cm->cmsg_level = SOL_SOCKET;
    cm->cmsg_type = SCM_RIGHTS;
    cm->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(cm), &fd, sizeof fd);
    if (real.sendmsg(holder, &mh, MSG_DONTWAIT | MSG_NOSIGNAL) != 1)
        return -1;
    privfd_close(fd);
    return 0;
}

static void close_claim(struct claim *c)
{
    privfd_close(c->port_fd);
    privfd_close(c->map_fd);
    free(c);
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
    char pname[64], mname[64];
    snprintf(pname, sizeof pname, "sctpshim/port/%u", port);
    int pfd = bind_abstract(pname);
    if (pfd < 0) {
        /* Only a name in use is a port in use: running out of
         * descriptors or memory is said as such. */
        if (errno != EADDRINUSE)
            SHIM_LOG("registry: cannot claim port %u: %s", port, strerror(errno));
        return -1;
    }
    snprintf(mname, sizeof mname, "sctpshim/map/%u/%u", port,
             stk_local_udp_port());
    int mfd = bind_abstract(mname);
    c = calloc(1, sizeof *c);
    if (!c || mfd < 0) {
        int e = mfd < 0 ? errno : ENOBUFS;
        free(c);
        privfd_close(pfd);
        privfd_close(mfd);
        errno = e == EADDRINUSE ? ENOBUFS : e;
        return -1;
    }
    c->port = port;
    c->refs = 1;
    c->port_fd = pfd;
    c->map_fd = stow(pfd, pname, mfd) == 0 ? -1 : mfd;
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
        close_claim(c);
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
    errno = 0;
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
        if (errno != EADDRINUSE)
            break; /* EMFILE, ENFILE, ENOBUFS: no other port would do */
    }
    if (errno == 0)
        errno = EADDRINUSE;
    pthread_mutex_unlock(&reg_lock);
    return 0;
}

/* Reading /proc/net/unix costs time in proportion to every abstract name
 * on the host, and a one-to-many sender looks its peer up on each send:
 * with 1,000 associations that scan was the whole cost of sending.  So
 * answers are cached and each use is confirmed with a single connect() to
 * the published name, which succeeds exactly while its owner lives.
 *
 * A scan also misses names: the kernel lists the table one page at a
 * time, resuming each page at the same index in a hash chain, and a
 * chain that lost sockets in between (any process's, closed meanwhile)
 * has shifted, so the name after the page break is skipped.  Seen as 5
 * misses in 9,000 scans under load, and as ECONNREFUSED from a port that
 * was listening.  So the scan only finds the UDP port; whether the SCTP
 * port is held at all is asked of its own name, exactly, and a scan that
 * found nothing for a held port is read again. */
struct known {
    uint16_t port, udp;
    UT_hash_handle hh;
};

static struct known *known;
static int probe_fd = -1;

/* Whether a process in this network namespace has the abstract name
 * bound: a datagram connect() to it succeeds exactly then. */
static int name_alive(const char *name, size_t n)
{
    struct sockaddr_un sun = {.sun_family = AF_UNIX};
    if (n > sizeof sun.sun_path - 1)
        return 0;
    memcpy(sun.sun_path + 1, name, n);
    if (probe_fd < 0 && (probe_fd = privfd_socket(AF_UNIX, SOCK_DGRAM, 0)) < 0)
        return 0;
    return real.connect(probe_fd, (struct sockaddr *)&sun,
                        (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 +
                                    n)) == 0;
}

static int map_name_alive(uint16_t port, uint16_t udp)
{
    char name[64];
    int n = snprintf(name, sizeof name, "sctpshim/map/%u/%u", port, udp);
    return name_alive(name, (size_t)n);
}

static int port_name_alive(uint16_t port)
{
    char name[64];
    int n = snprintf(name, sizeof name, "sctpshim/port/%u", port);
    return name_alive(name, (size_t)n);
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

/* Scans until the port's map name is seen alive, as long as the port
 * itself is held (its owner binds the map name just after the port name,
 * so a look-up can also fall in between).  Bounded: about a second. */
static int find_udp_port(uint16_t port, uint16_t *udp_port)
{
    for (int tries = 0; tries < 200; tries++) {
        if (scan_proc(port, udp_port) && map_name_alive(port, *udp_port))
            return 1;
        if (!port_name_alive(port))
            return 0;
        if (tries)
            real.nanosleep(&(struct timespec){0, 5 * 1000 * 1000}, NULL);
    }
    SHIM_LOG("registry: port %u is held, but its UDP port was not found", port);
    return 0;
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
    int found = find_udp_port(port, udp_port);
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
        close_claim(c);
    }
}
