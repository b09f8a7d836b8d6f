#include "linux/conn.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/real.h"
#include "core/lifecycle.h"
#include "core/registry.h"
#include "core/sock.h"
#include "linux/addr.h"
#include "linux/peeloff.h"

static int addr_is_wildcard(const struct sockaddr *sa)
{
    if (sa->sa_family == AF_INET)
        return ((const struct sockaddr_in *)sa)->sin_addr.s_addr == INADDR_ANY;
    return IN6_IS_ADDR_UNSPECIFIED(&((const struct sockaddr_in6 *)sa)->sin6_addr);
}

int lx_nonblocking(struct ssock *s, int flags)
{
    return (flags & MSG_DONTWAIT) || (real.fcntl(s->m.x, F_GETFL) & O_NONBLOCK);
}

/* Before a receive or an accept says EAGAIN: on loopback Linux has
 * handled a same-host peer's packets inside the peer's system call, so
 * what the peer sent before is there.  Here it may still wait on this
 * stack's UDP socket, or be in the hands of a receive thread: let the
 * stack finish what is queued (bounded), then the caller tries again.
 * Nothing is added when nothing is queued but the look (stk_backlog). */
static int readable(void *s)
{
    return mirror_ready(&((struct ssock *)s)->m, 0);
}

static int settle(struct ssock *s, int for_write, int spins)
{
    if (for_write || spins > 1 || !stk_backlog())
        return 0;
    sock_call_pause(s);
    stk_settle(STK_SAMEHOST_MAX_US, readable, s);
    sock_call_resume(s);
    return 1;
}

int lx_block(struct ssock *s, int for_write, int dontwait, int spins)
{
    unsigned seen = __atomic_load_n(&s->m.upcalls, __ATOMIC_ACQUIRE);
    sock_sync(s);
    if (dontwait) {
        if (settle(s, for_write, spins))
            return 0;
        errno = EAGAIN;
        return -1;
    }
    if (real.fcntl(s->m.x, F_GETFL) & O_NONBLOCK) {
        /* One more try if the stack has moved since (the descriptor says
         * ready), then EAGAIN. */
        if (spins == 0 && mirror_ready(&s->m, for_write))
            return 0;
        if (settle(s, for_write, spins))
            return 0;
        errno = EAGAIN;
        return -1;
    }
    /* As the kernel's sk_wait_event: other calls on the socket go on
     * while this one waits (with its timeout and signals: core/wait.h). */
    sock_call_pause(s);
    if (spins > 0) {
        /* The stack says ready but the call would still block (a message
         * larger than the free space, say): wait for the stack to move
         * rather than spin.  The bound covers a wake-up lost in between. */
        mirror_wait_upcall(&s->m, seen, spins > 100 ? 20 : 2);
    }
    int r = mirror_wait(&s->m, for_write);
    int e = errno;
    sock_call_resume(s);
    errno = e;
    return r;
}

void lx_refresh_state(struct ssock *s)
{
    if (!s->connecting)
        return;
    /* One reading: WRITE and ERROR must describe the same moment. */
    int ev = stk_events(s->stk);
    if (!(ev & STK_EV_WRITE))
        return;
    int err = 0;
    size_t l = sizeof err;
    if (!(ev & STK_EV_ERROR)) {
        s->connected = 1;
        s->connecting = 0;
    } else if (stk_getopt(s->stk, STK_O_ERROR, &err, &l) == 0 && err) {
        s->connecting = 0;
    }
}

int lx_handshake_errno(int err)
{
    return err == ETIMEDOUT ? ETIMEDOUT : ECONNREFUSED;
}

static int is_conn_error(int e)
{
    return e == ECONNRESET || e == ETIMEDOUT || e == ECONNREFUSED;
}

int lx_conn_error(struct ssock *s, int stack_errno)
{
    if (s->conn_err)
        return s->conn_err;
    int e = 0;
    size_t l = sizeof e;
    if (is_conn_error(stack_errno))
        e = stack_errno;
    else if (stk_getopt(s->stk, STK_O_ERROR, &e, &l) < 0 || !is_conn_error(e))
        e = 0;
    s->conn_err = e;
    return e;
}

int lx_socket(int family, int type, int cloexec, int nonblock)
{
    /* The fork and exit handlers are in place before the first socket. */
    if (lifecycle_first_socket() < 0)
        return -1;
    return sock_create(family, type, cloexec, nonblock);
}

int lx_bind(struct ssock *s, const struct sockaddr *sa, socklen_t len)
{
    if (lx_addr_check(s, sa, len) < 0)
        return -1;
    if (s->bound_set) {
        errno = EINVAL;
        return -1;
    }
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof ss);
    memcpy(&ss, sa, lx_addr_len(sa));
    uint16_t port = lx_addr_port(sa);
    if (port == 0) {
        port = registry_claim_ephemeral();
        if (!port)
            return -1; /* errno from the registry */
        lx_addr_set_port((struct sockaddr *)&ss, port);
    } else if (registry_claim(port) < 0) {
        return -1;
    }
    if (stk_bind(s->stk, (struct sockaddr *)&ss, lx_addr_len(sa)) < 0) {
        int e = errno;
        registry_release(port);
        errno = e;
        return -1;
    }
    s->claimed_port = port;
    s->bound = ss;
    s->bound_set = 1;
    return 0;
}

int lx_autobind(struct ssock *s)
{
    if (s->bound_set)
        return 0;
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof ss);
    ss.ss_family = (sa_family_t)s->family;
    return lx_bind(s, (struct sockaddr *)&ss, lx_addr_len((struct sockaddr *)&ss));
}

int lx_addr_count(const struct ssock *s, const void *addrs, int bytes)
{
    int n = 0, off = 0;
    if (!addrs || bytes <= 0) {
        errno = EINVAL;
        return -1;
    }
    while (off < bytes) {
        const struct sockaddr *sa = (const struct sockaddr *)((const char *)addrs + off);
        socklen_t l;
        if (bytes - off < (int)sizeof(sa_family_t) || !(l = lx_addr_len(sa)) ||
            off + (int)l > bytes || (s->family == AF_INET && sa->sa_family != AF_INET)) {
            errno = EINVAL;
            return -1;
        }
        off += (int)l;
        n++;
    }
    return n;
}

/* Linux keeps at least one bound address: removing the last one (or
 * any from a wildcard binding, one entry) fails with EBUSY, where
 * usrsctp says EINVAL. */
static int lx_bindx_would_empty(struct ssock *s, int removing)
{
    int have = stk_bound_count(s->stk);
    if (have >= 0 && have <= removing) {
        errno = EBUSY;
        return 1;
    }
    return 0;
}

int lx_bindx(struct ssock *s, const void *addrs, int bytes, int add)
{
    int n = lx_addr_count(s, addrs, bytes);
    if (n < 0)
        return -1;
    const struct sockaddr *first = addrs;
    if (add && !s->bound_set) {
        /* The first address binds the socket (and claims the port); the
         * rest are added to it, all on that port, as Linux requires. */
        if (lx_bind(s, first, lx_addr_len(first)) < 0)
            return -1;
        if (n == 1)
            return 0;
        char buf[4096];
        int l0 = (int)lx_addr_len(first);
        if (bytes - l0 > (int)sizeof buf) {
            errno = EINVAL;
            return -1;
        }
        memcpy(buf, (const char *)addrs + l0, (size_t)(bytes - l0));
        for (int off = 0; off < bytes - l0;) {
            struct sockaddr *sa = (struct sockaddr *)(buf + off);
            if (lx_addr_port(sa) == 0)
                lx_addr_set_port(sa, s->claimed_port);
            off += (int)lx_addr_len(sa);
        }
        return stk_bindx(s->stk, (struct sockaddr *)buf, n - 1, 1);
    }
    if (!s->bound_set) {
        errno = EINVAL;
        return -1;
    }
    if (!add && lx_bindx_would_empty(s, n))
        return -1;
    return stk_bindx(s->stk, addrs, n, add);
}

int lx_listen(struct ssock *s, int backlog)
{
    if (s->type == SOCK_STREAM && (s->connected || s->connecting)) {
        errno = EINVAL;
        return -1;
    }
    if (lx_autobind(s) < 0)
        return -1;
    /* The socket layer takes a negative backlog as the largest one. */
    if (backlog < 0 || backlog > 4096)
        backlog = 4096;
    /* Linux admits backlog + 1 associations waiting for accept (a full
     * queue is one longer than the backlog); usrsctp admits as many as
     * its limit. */
    if (stk_listen(s->stk, backlog + 1) < 0)
        return -1;
    s->listening = backlog != 0 || s->type == SOCK_SEQPACKET;
    s->backlog = backlog;
    sock_sync(s);
    return 0;
}

int lx_accept(struct ssock *s, struct sockaddr *sa, socklen_t *len, int flags)
{
    if (s->type != SOCK_STREAM || s->peeled) {
        errno = EOPNOTSUPP;
        return -1;
    }
    if (!s->listening) {
        errno = EINVAL;
        return -1;
    }
    if (flags & ~(SOCK_CLOEXEC | SOCK_NONBLOCK)) {
        errno = EINVAL;
        return -1;
    }
    struct ssock *ns = sock_alloc(s->family, SOCK_STREAM);
    int nfd;
    if (!ns)
        return -1;
    if (mirror_init(&ns->m, &nfd, flags & SOCK_CLOEXEC, flags & SOCK_NONBLOCK) < 0) {
        sock_free(ns);
        return -1;
    }
    for (int spins = 0;; spins++) {
        struct sockaddr_storage ss;
        socklen_t sl = sizeof ss;
        if (s->shut_rd) {
            /* shutdown(SHUT_RD) on the listener cancels accept. */
            real.close(nfd);
            sock_free(ns);
            errno = EINVAL;
            return -1;
        }
        struct stk_sock *st = stk_accept(s->stk, (struct sockaddr *)&ss, &sl,
                                         sock_upcall, ns);
        if (st) {
            sock_sync(s);
            if (sa && len)
                lx_addr_out(s, (struct sockaddr *)&ss, sa, len);
            /* The association keeps the port in use after the listener
             * is closed, as on Linux. */
            if (s->claimed_port && registry_claim(s->claimed_port) == 0)
                ns->claimed_port = s->claimed_port;
            ns->bound = s->bound;
            ns->bound_set = s->bound_set;
            return sock_adopt(s, st, ns, nfd);
        }
        if (!stk_is_nonblocking_errno(errno) ||
            lx_block(s, 0, 0, spins) < 0) {
            int e = errno;
            sock_sync(s);
            real.close(nfd);
            sock_free(ns);
            errno = e;
            return -1;
        }
    }
}

/* The local address of a connected socket: bound to one address, that
 * one; bound to the wildcard, the source address the kernel's routing
 * picks for the peer's primary address, as Linux SCTP does. */
static int route_source(struct ssock *s, struct sockaddr_storage *ss)
{
    if (s->bound_set && !addr_is_wildcard((struct sockaddr *)&s->bound)) {
        *ss = s->bound;
        return 0;
    }
    struct sockaddr *peers = NULL;
    if (stk_getaddrs(s->stk, 1, 0, &peers) <= 0) {
        free(peers);
        return -1;
    }
    int fd = real.socket(peers->sa_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    socklen_t l = sizeof *ss;
    int r = fd >= 0 && real.connect(fd, peers, lx_addr_len(peers)) == 0 &&
                    real.getsockname(fd, (struct sockaddr *)ss, &l) == 0
                ? 0
                : -1;
    if (fd >= 0)
        real.close(fd);
    free(peers);
    return r;
}

int lx_getsockname(struct ssock *s, struct sockaddr *sa, socklen_t *len)
{
    struct sockaddr_storage ss;
    lx_refresh_state(s);
    if (s->connected && route_source(s, &ss) == 0) {
        if (s->bound_set)
            lx_addr_set_port((struct sockaddr *)&ss,
                             lx_addr_port((struct sockaddr *)&s->bound));
    } else if (s->bound_set) {
        ss = s->bound;
    } else {
        memset(&ss, 0, sizeof ss);
        ss.ss_family = (sa_family_t)s->family;
    }
    if (!lx_addr_len((struct sockaddr *)&ss))
        ss.ss_family = (sa_family_t)s->family;
    lx_addr_out(s, (struct sockaddr *)&ss, sa, len);
    return 0;
}

int lx_getpeername(struct ssock *s, struct sockaddr *sa, socklen_t *len)
{
    lx_refresh_state(s);
    struct sockaddr *addrs = NULL;
    if (s->type != SOCK_STREAM || !s->connected ||
        stk_getaddrs(s->stk, 1, 0, &addrs) <= 0) {
        free(addrs);
        errno = ENOTCONN;
        return -1;
    }
    lx_addr_out(s, addrs, sa, len);
    free(addrs);
    return 0;
}
