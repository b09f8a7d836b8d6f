/* The stack's lifetime and the socket calls (stack.h).  Only the files of
 * usrsctp/ see <usrsctp.h>. */
#include "usrsctp/stack.h"

#include <errno.h>
#include <netinet/in.h>
#include <stddef.h>
#include <sys/un.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/log.h"
#include "base/real.h"
#include "usrsctp/assoc_ids.h"
#include "usrsctp/gate.h"
#include "usrsctp/internal.h"
#include "usrsctp/mtu.h"
#include "usrsctp/track.h"
#include "usrsctp/usr.h"

static pthread_mutex_t stk_init_lock = PTHREAD_MUTEX_INITIALIZER;
/* Endpoints are bound, listen and go one at a time, as the kernel's port
 * hash lock has them.  usrsctp's sctp_listen() checks for another
 * listener on the port and marks itself listening in two steps under
 * different locks, and sctp_inpcb_free() takes an endpoint off the port
 * hash while binds and listens of other sockets look there. */
static pthread_mutex_t ep_lock = PTHREAD_MUTEX_INITIALIZER;
void usr_ep_lock(void)
{
    pthread_mutex_lock(&ep_lock);
}

void usr_ep_unlock(void)
{
    pthread_mutex_unlock(&ep_lock);
}

static int stk_ready;
__thread int stk_in_stack;

static void stk_debug_printf(const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    buf[strcspn(buf, "\n")] = 0;
    SHIM_LOG("usrsctp: %s", buf);
}

/* True when both the IPv4 and IPv6 wildcard UDP port are free now. */
static int udp_port_free(uint16_t port)
{
    int ok = 1;
    int f4 = real.socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in a4 = {.sin_family = AF_INET, .sin_port = htons(port)};
    if (f4 < 0 || real.bind(f4, (struct sockaddr *)&a4, sizeof a4) < 0)
        ok = 0;
    int f6 = real.socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in6 a6 = {.sin6_family = AF_INET6,
                              .sin6_port = htons(port)};
    int one = 1;
    if (f6 >= 0)
        real.setsockopt(f6, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
    if (ok && f6 >= 0 && real.bind(f6, (struct sockaddr *)&a6, sizeof a6) < 0)
        ok = 0;
    if (f4 >= 0)
        real.close(f4);
    if (f6 >= 0)
        real.close(f6);
    return ok;
}

/* The first process on a host takes the RFC 6951 well-known port, so that
 * peers elsewhere find it with no configuration; later ones take a free
 * port and are found through the local registry. */
static uint16_t pick_udp_port(void)
{
    const char *env = getenv("SCTPSHIM_UDP_PORT");
    if (env && *env)
        return (uint16_t)atoi(env);
    if (udp_port_free(STK_DEFAULT_UDP_PORT))
        return STK_DEFAULT_UDP_PORT;
    for (int i = 0; i < 64; i++) {
        int f = real.socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        struct sockaddr_in a = {.sin_family = AF_INET};
        socklen_t l = sizeof a;
        uint16_t p = 0;
        if (f >= 0 && real.bind(f, (struct sockaddr *)&a, sizeof a) == 0 &&
            real.getsockname(f, (struct sockaddr *)&a, &l) == 0)
            p = ntohs(a.sin_port);
        if (f >= 0)
            real.close(f);
        if (p && udp_port_free(p))
            return p;
    }
    return 0;
}

/* Holds an abstract name while this process picks its UDP port and
 * usrsctp binds it, so that two shimmed processes starting together do not
 * both pick the same free port.  The name dies with the process. */
static int take_start_lock(void)
{
    struct sockaddr_un sun = {.sun_family = AF_UNIX};
    static const char name[] = "sctpshim/start-lock";
    memcpy(sun.sun_path + 1, name, sizeof name - 1);
    socklen_t len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + sizeof name);
    int fd = real.socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    for (int i = 0; fd >= 0 && i < 2000; i++) {
        if (real.bind(fd, (struct sockaddr *)&sun, len) == 0)
            return fd;
        struct timespec ts = {0, 1000 * 1000};
        real.nanosleep(&ts, NULL);
    }
    return fd; /* after 2 s, go ahead unlocked */
}

/* A fork must not copy a stack thread half-way through its start (under
 * ASan its allocator's locks, which a child would find held): the stack
 * is ready once every receive thread (one per packet socket) and the
 * timer thread have come to their first wait.  Bounded, in case this
 * usrsctp starts fewer. */
static void wait_threads_started(void)
{
    int want = pk_count() + 1;
    for (int i = 0; i < 1000 && gate_arrived() < want; i++)
        real.poll(NULL, 0, 1);
    SHIM_LOG("stack threads started: %d of %d", gate_arrived(), want);
}

int stk_global_init(void)
{
    if (__atomic_load_n(&stk_ready, __ATOMIC_ACQUIRE))
        return 0;
    pthread_mutex_lock(&stk_init_lock);
    if (stk_ready) {
        pthread_mutex_unlock(&stk_init_lock);
        return 0;
    }
    if (usr_load() < 0) {
        pthread_mutex_unlock(&stk_init_lock);
        return -1;
    }
    const char *t = getenv("SCTPSHIM_TRANSPORT");
    int raw_mode = t && strcmp(t, "raw") == 0;
    int lock = raw_mode ? -1 : take_start_lock();
    uint16_t udp_port = raw_mode ? 0 : pick_udp_port();
    if (!raw_mode && !udp_port) {
        if (lock >= 0)
            real.close(lock);
        pthread_mutex_unlock(&stk_init_lock);
        SHIM_LOG("no free UDP port for encapsulation");
        errno = EADDRINUSE;
        return -1;
    }
    pk_start(raw_mode, udp_port);
    /* usrsctp's threads inherit this thread's signal mask.  The program's
     * signals are none of their business: a handler of the program's must
     * not run on them, and a signal meant to interrupt a blocking call
     * must reach the program's thread that waits (core/wait.h). */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    stk_in_stack++;
    usr.usrsctp_init(udp_port, NULL, shim_debug ? stk_debug_printf : NULL);
    stk_in_stack--;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (lock >= 0)
        real.close(lock);
    if (!raw_mode && !pk_holds_port())
        shim_log("usrsctp could not bind UDP port %u: SCTP over UDP will not "
                 "receive (set SCTPSHIM_UDP_PORT to a free port)", udp_port);
    pk_setup();
    wait_threads_started();
    addrs_start();
    /* With raw IP every process sees every SCTP packet on the host: only
     * the owner of the port may answer, so the others stay silent (the
     * registry refuses connections to unclaimed local ports instead). */
    usr.usrsctp_sysctl_set_sctp_blackhole(raw_mode ? 2 : 0);
    /* A one-to-one listener whose queue is full refuses with an ABORT,
     * as Linux does; usrsctp's default drops the COOKIE ECHO, and the
     * peer's connect hangs until its retransmissions run out. */
    usr.usrsctp_sysctl_set_sctp_abort_if_one_2_one_hits_limit(1);
    /* PR-SCTP must be offered in INIT for the TTL, RTX and priority
     * policies to mean anything: on by default in 0.9.5, said explicitly
     * so that a build or a sysctl with another default cannot drop it. */
    usr.usrsctp_sysctl_set_sctp_pr_enable(1);
    /* usrsctp takes a packet whose source is its destination for one that
     * never left the host and skips its CRC32c; over UDP the shim sees
     * the arrival interface and checks such packets from outside itself
     * (wire.c), in raw mode it cannot, so usrsctp checks them all. */
    if (raw_mode)
        usr.usrsctp_sysctl_set_sctp_no_csum_on_loopback(0);
    /* Linux negotiates neither AUTH nor ASCONF unless the program asks
     * (net.sctp.auth_enable and addip_enable are 0); usrsctp offers both.
     * Endpoints take these when they are made (SCTP_AUTH_SUPPORTED and
     * SCTP_ASCONF_SUPPORTED switch them on); ASCONF needs AUTH. */
    usr.usrsctp_sysctl_set_sctp_asconf_enable(0);
    usr.usrsctp_sysctl_set_sctp_auth_enable(0);
    /* Stream reconfiguration too (net.sctp.reconf_enable is 0):
     * SCTP_RECONFIG_SUPPORTED asks for it. */
    usr.usrsctp_sysctl_set_sctp_reconfig_enable(0);
    const char *dbg = getenv("SCTPSHIM_USRSCTP_DEBUG");
    if (dbg && *dbg)
        usr.usrsctp_sysctl_set_sctp_debug_on((uint32_t)strtoul(dbg, 0, 0));
    SHIM_LOG("stack up: %s, udp port %u", raw_mode ? "raw IP" : "UDP encapsulation",
             udp_port);
    __atomic_store_n(&stk_ready, 1, __ATOMIC_RELEASE);
    pthread_mutex_unlock(&stk_init_lock);
    return 0;
}

void stk_forget_after_fork(void)
{
    /* Nothing of the parent's stack may be touched again: its threads do
     * not exist here and its locks may be held.  The next socket() loads
     * a private copy. */
    pthread_mutex_init(&stk_init_lock, NULL);
    pthread_mutex_init(&ep_lock, NULL);
    ids_forget_after_fork();
    stk_ready = 0;
    socks_forget_after_fork();
    inject_forget_after_fork();
    binds_forget_after_fork();
    icmp_forget_after_fork();
    addrs_forget_after_fork();
    locals_forget_after_fork();
}

static void usr_upcall(struct socket *so, void *arg, int flags)
{
    (void)so;
    (void)flags;
    struct stk_sock *s = arg;
    s->fn(s->arg);
}

void stk_prepare(struct stk_sock *s)
{
    usr.usrsctp_set_non_blocking(s->so, 1);
    /* Receive info is always asked of usrsctp; the Linux side decides
     * which ancillary data the program sees. */
    int one = 1;
    usr.usrsctp_setsockopt(s->so, IPPROTO_SCTP, SCTP_RECVRCVINFO, &one,
                           sizeof one);
    usr.usrsctp_set_upcall(s->so, usr_upcall, s);
}

static struct stk_sock *wrap(struct socket *so, int family, int one_to_many,
                             stk_upcall_fn fn, void *arg)
{
    struct stk_sock *s = calloc(1, sizeof *s);
    if (!s) {
        usr.usrsctp_close(so);
        errno = ENOBUFS;
        return NULL;
    }
    s->so = so;
    s->family = family;
    s->one_to_many = one_to_many;
    s->fn = fn;
    s->arg = arg;
    s->ids_prune_at = 64;
    s->fd = -1;
    stk_prepare(s);
    socks_add(s);
    return s;
}

struct stk_sock *stk_socket(int family, int one_to_many, stk_upcall_fn fn,
                            void *arg)
{
    struct socket *so =
        usr.usrsctp_socket(family, one_to_many ? SOCK_SEQPACKET : SOCK_STREAM,
                           IPPROTO_SCTP, NULL, NULL, 0, NULL);
    if (!so)
        return NULL;
    return wrap(so, family, one_to_many, fn, arg);
}

static void no_upcall(struct socket *so, void *arg, int flags)
{
    (void)so;
    (void)arg;
    (void)flags;
}

void stk_set_fd(struct stk_sock *s, int fd)
{
    __atomic_store_n(&s->fd, fd, __ATOMIC_RELAXED);
}

void stk_detach_upcall(struct stk_sock *s)
{
    /* Not NULL: usrsctp keeps the sockets' upcall flags and would call
     * a NULL function on the next wake-up (seen crashing its receive
     * thread under connection churn). */
    usr.usrsctp_set_upcall(s->so, no_upcall, NULL);
}

void stk_close(struct stk_sock *s, int abortive)
{
    track_closing(s, 1);
    socks_remove(s);
    if (s->port)
        binds_release(s->port);
    if (abortive) {
        struct linger l = {1, 0};
        usr.usrsctp_setsockopt(s->so, SOL_SOCKET, SO_LINGER, &l, sizeof l);
    }
    pthread_mutex_lock(&ep_lock);
    usr.usrsctp_close(s->so);
    pthread_mutex_unlock(&ep_lock);
    ids_drop_sock(s);
    free(s);
}

void stk_close_gated(struct stk_sock *s, int abortive)
{
    gate_shut();
    stk_close(s, abortive);
    gate_open();
}

int stk_events(struct stk_sock *s)
{
    int e = usr.usrsctp_get_events(s->so);
    if (e < 0)
        return -1;
    /* usrsctp charges a one-to-many socket's send buffer for every message
     * but only credits one-to-one sockets back, so its WRITE event goes
     * out for good after a socket's first full buffer, with no upcall.
     * The limit that matters is per association: the mirror marks the
     * socket not writable when a send is refused, until the stack moves
     * (or the watch thread retries). */
    if (s->one_to_many)
        e |= SCTP_EVENT_WRITE;
    return (e & SCTP_EVENT_READ ? STK_EV_READ : 0) |
           (e & SCTP_EVENT_WRITE ? STK_EV_WRITE : 0) |
           (e & SCTP_EVENT_ERROR ? STK_EV_ERROR : 0);
}

int stk_bind(struct stk_sock *s, const struct sockaddr *sa, socklen_t len)
{
    struct sockaddr_storage ss;
    if (len > sizeof ss)
        len = sizeof ss;
    memcpy(&ss, sa, len);
    stk_addr_ensure((struct sockaddr *)&ss);
    pthread_mutex_lock(&ep_lock);
    int r = usr.usrsctp_bind(s->so, (struct sockaddr *)&ss, len);
    pthread_mutex_unlock(&ep_lock);
    if (r == 0) {
        s->bound = ss;
        track_bound(s, ntohs(((struct sockaddr_in *)&ss)->sin_port));
        s->port = ntohs(ss.ss_family == AF_INET6
                            ? ((struct sockaddr_in6 *)&ss)->sin6_port
                            : ((struct sockaddr_in *)&ss)->sin_port);
        binds_add(s->port, (struct sockaddr *)&ss, 1, 1);
    }
    return r;
}

int stk_bindx(struct stk_sock *s, const struct sockaddr *addrs, int cnt,
              int add)
{
    /* More addresses: the listener's MTU must suit all of them. */
    memset(&s->bound, 0, sizeof s->bound);
    const char *p = (const char *)addrs;
    for (int i = 0; add && i < cnt; i++) {
        const struct sockaddr *sa = (const struct sockaddr *)p;
        stk_addr_ensure(sa);
        p += sa->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
                                       : sizeof(struct sockaddr_in);
    }
    pthread_mutex_lock(&ep_lock);
    int r = usr.usrsctp_bindx(s->so, (struct sockaddr *)addrs, cnt,
                              add ? SCTP_BINDX_ADD_ADDR : SCTP_BINDX_REM_ADDR);
    pthread_mutex_unlock(&ep_lock);
    if (r == 0 && add)
        binds_add(s->port, addrs, cnt, 0);
    else if (r == 0)
        binds_remove(s->port, addrs, cnt);
    return r;
}

int stk_listen(struct stk_sock *s, int backlog)
{
    stk_mtu_for_listener(s, (struct sockaddr *)&s->bound);
    pthread_mutex_lock(&ep_lock);
    int r = usr.usrsctp_listen(s->so, backlog);
    pthread_mutex_unlock(&ep_lock);
    return r;
}

struct stk_sock *stk_accept(struct stk_sock *s, struct sockaddr *sa,
                            socklen_t *len, stk_upcall_fn fn, void *arg)
{
    gate_shut();
    struct socket *so = usr.usrsctp_accept(s->so, sa, len);
    int e = errno;
    gate_open();
    errno = e;
    if (!so)
        return NULL;
    struct stk_sock *n = wrap(so, s->family, 0, fn, arg);
    if (n)
        track_accepted(s, n, sa);
    if (n && s->port) {
        n->port = s->port;
        binds_ref(n->port);
    }
    return n;
}

struct stk_sock *stk_peeloff(struct stk_sock *s, uint32_t assoc_id,
                             stk_upcall_fn fn, void *arg)
{
    uint32_t local;
    if (ids_in_checked(s, assoc_id, &local) < 0)
        return NULL;
    /* It moves an association between endpoints, as accept does: kept
     * apart from packet handling the same way (gate.h). */
    gate_shut();
    struct socket *so = usr.usrsctp_peeloff(s->so, (sctp_assoc_t)local);
    int e = errno;
    gate_open();
    if (!so) {
        errno = e;
        return NULL;
    }
    struct stk_sock *n = wrap(so, s->family, 0, fn, arg);
    if (n) {
        ids_move(s, n, local);
        n->encaps_port = s->encaps_port;
        if (s->port) {
            n->port = s->port;
            binds_ref(n->port);
        }
    }
    return n;
}

int stk_assoc_id_in_use(uint32_t assoc_id)
{
    return ids_known(assoc_id);
}

int stk_set_remote_udp_port(struct stk_sock *s, uint16_t port)
{
    /* A one-to-many sender names its peer on every send: setting the same
     * port again would be a stack call per message for nothing. */
    if (pk_raw() || port == s->encaps_port)
        return 0;
    struct sctp_udpencaps enc;
    memset(&enc, 0, sizeof enc);
    enc.sue_address.ss_family = (sa_family_t)s->family;
    enc.sue_assoc_id = SCTP_FUTURE_ASSOC;
    enc.sue_port = port;
    int r = usr.usrsctp_setsockopt(s->so, IPPROTO_SCTP,
                                   SCTP_REMOTE_UDP_ENCAPS_PORT, &enc,
                                   sizeof enc);
    if (r == 0)
        s->encaps_port = port;
    return r;
}

int stk_connectx(struct stk_sock *s, const struct sockaddr *addrs, int cnt,
                 uint16_t remote_udp_port, uint32_t *assoc_id)
{
    if (remote_udp_port && stk_set_remote_udp_port(s, remote_udp_port) < 0)
        return -1;
    stk_mtu_for_peer(s, addrs);
    sctp_assoc_t id = 0;
    int r = usr.usrsctp_connectx(s->so, addrs, cnt, &id);
    if (assoc_id)
        *assoc_id = ids_out(s, (uint32_t)id);
    return r;
}

int stk_shutdown(struct stk_sock *s, int how)
{
    if (how != SHUT_RD)
        track_closing(s, 0);
    return usr.usrsctp_shutdown(s->so, how);
}

int stk_getaddrs(struct stk_sock *s, int peer, uint32_t assoc_id,
                 struct sockaddr **out)
{
    struct sockaddr *addrs = NULL;
    uint32_t local;
    if (ids_in(s, assoc_id, &local) < 0) {
        errno = EINVAL;
        return -1;
    }
    int n = peer ? usr.usrsctp_getpaddrs(s->so, (sctp_assoc_t)local, &addrs)
                 : usr.usrsctp_getladdrs(s->so, (sctp_assoc_t)local, &addrs);
    if (n <= 0) {
        *out = NULL;
        return n;
    }
    size_t total = 0;
    const char *p = (const char *)addrs;
    for (int i = 0; i < n; i++) {
        const struct sockaddr *sa = (const struct sockaddr *)(p + total);
        total += sa->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
                                           : sizeof(struct sockaddr_in);
    }
    *out = malloc(total ? total : 1);
    if (*out)
        memcpy(*out, addrs, total);
    if (peer)
        usr.usrsctp_freepaddrs(addrs);
    else
        usr.usrsctp_freeladdrs(addrs);
    if (!*out) {
        errno = ENOMEM;
        return -1;
    }
    return n;
}

int stk_inside(void) { return stk_in_stack; }

int stk_is_nonblocking_errno(int e)
{
    return e == EWOULDBLOCK || e == EAGAIN;
}
