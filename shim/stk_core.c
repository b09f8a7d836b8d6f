/* usrsctp side: the stack's lifetime and the socket calls.  Only this file
 * and the other stk_*.c files see <usrsctp.h>. */
#include <errno.h>
#include <netinet/in.h>
#include <stddef.h>
#include <sys/un.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "gate.h"
#include "log.h"
#include "real.h"
#include "stack.h"
#include "stk_internal.h"
#include "usr_api.h"

static pthread_mutex_t stk_init_lock = PTHREAD_MUTEX_INITIALIZER;
static int stk_ready;
static int stk_forked; /* this process is a fork child of a stack user */
static int raw_mode;
static uint16_t udp_port; /* host order */
__thread int stk_in_stack;

/* Descriptors usrsctp opened during init, noted by the socket() hook. */
static int stack_fds[8];
static int n_stack_fds;

void stk_note_stack_fd(int fd)
{
    if (n_stack_fds < (int)(sizeof stack_fds / sizeof stack_fds[0]))
        stack_fds[n_stack_fds++] = fd;
}

/* usrsctp gives its UDP sockets a fixed 128 KiB receive buffer, which a
 * busy association overflows on loopback; a lost SHUTDOWN-COMPLETE is
 * never retransmitted.  The shim owns the process, so it enlarges them
 * (beyond rmem_max where it may, as root). */
static void enlarge_stack_buffers(void)
{
    int size = 8 << 20;
    for (int i = 0; i < n_stack_fds; i++) {
        int fd = stack_fds[i];
        if (real.setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size) < 0)
            real.setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
        if (real.setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &size, sizeof size) < 0)
            real.setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
    }
}

uint16_t stk_local_udp_port(void) { return udp_port; }
int stk_is_raw_mode(void) { return raw_mode; }

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
        nanosleep(&ts, NULL);
    }
    return fd; /* after 2 s, go ahead unlocked */
}

/* True when one of the stack's sockets is bound to the UDP port. */
static int stack_holds_port(uint16_t port)
{
    for (int i = 0; i < n_stack_fds; i++) {
        struct sockaddr_storage ss;
        socklen_t l = sizeof ss;
        int type = 0;
        socklen_t tl = sizeof type;
        if (real.getsockopt(stack_fds[i], SOL_SOCKET, SO_TYPE, &type, &tl) == 0 &&
            type == SOCK_DGRAM &&
            real.getsockname(stack_fds[i], (struct sockaddr *)&ss, &l) == 0 &&
            ((struct sockaddr_in *)&ss)->sin_port == htons(port))
            return 1;
    }
    return 0;
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
    if (usr_load(stk_forked) < 0) {
        pthread_mutex_unlock(&stk_init_lock);
        return -1;
    }
    const char *t = getenv("SCTPSHIM_TRANSPORT");
    raw_mode = t && strcmp(t, "raw") == 0;
    int lock = raw_mode ? -1 : take_start_lock();
    udp_port = raw_mode ? 0 : pick_udp_port();
    if (!raw_mode && !udp_port) {
        if (lock >= 0)
            real.close(lock);
        pthread_mutex_unlock(&stk_init_lock);
        SHIM_LOG("no free UDP port for encapsulation");
        errno = EADDRINUSE;
        return -1;
    }
    n_stack_fds = 0;
    stk_in_stack++;
    usr.usrsctp_init(udp_port, NULL, shim_debug ? stk_debug_printf : NULL);
    stk_in_stack--;
    if (lock >= 0)
        real.close(lock);
    if (!raw_mode && !stack_holds_port(udp_port))
        shim_log("usrsctp could not bind UDP port %u: SCTP over UDP will not "
                 "receive (set SCTPSHIM_UDP_PORT to a free port)", udp_port);
    enlarge_stack_buffers();
    /* With raw IP every process sees every SCTP packet on the host: only
     * the owner of the port may answer, so the others stay silent (the
     * registry refuses connections to unclaimed local ports instead). */
    usr.usrsctp_sysctl_set_sctp_blackhole(raw_mode ? 2 : 0);
    /* PR-SCTP must be offered in INIT for the TTL, RTX and priority
     * policies to mean anything: on by default in 0.9.5, said explicitly
     * so that a build or a sysctl with another default cannot drop it. */
    usr.usrsctp_sysctl_set_sctp_pr_enable(1);
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
    if (stk_ready || stk_forked) {
        stk_forked = 1;
        stk_ready = 0;
    }
}

void stk_drain_at_exit(int linger_ms)
{
    if (!stk_ready)
        return;
    struct timespec ts = {0, 5 * 1000 * 1000};
    int waited = 0;
    stk_in_stack++;
    /* usrsctp_finish refuses while endpoints exist; closed sockets stay
     * until their data is acknowledged and the SHUTDOWN is complete. */
    while (usr.usrsctp_finish() != 0 && waited < linger_ms) {
        nanosleep(&ts, NULL);
        waited += 5;
    }
    stk_in_stack--;
    if (waited >= linger_ms)
        SHIM_LOG("exit: associations still open after %d ms", linger_ms);
    stk_ready = 0;
}

static void usr_upcall(struct socket *so, void *arg, int flags)
{
    (void)so;
    (void)flags;
    struct stk_sock *s = arg;
    s->fn(s->arg);
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
    usr.usrsctp_set_non_blocking(so, 1);
    /* Receive info is always asked of usrsctp; the Linux side decides
     * which ancillary data the program sees. */
    int one = 1;
    usr.usrsctp_setsockopt(so, IPPROTO_SCTP, SCTP_RECVRCVINFO, &one,
                           sizeof one);
    usr.usrsctp_set_upcall(so, usr_upcall, s);
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

void stk_detach_upcall(struct stk_sock *s)
{
    /* Not NULL: usrsctp keeps the sockets' upcall flags and would call
     * a NULL function on the next wake-up (seen crashing its receive
     * thread under connection churn). */
    usr.usrsctp_set_upcall(s->so, no_upcall, NULL);
}

void stk_close(struct stk_sock *s, int abortive)
{
    if (abortive) {
        struct linger l = {1, 0};
        usr.usrsctp_setsockopt(s->so, SOL_SOCKET, SO_LINGER, &l, sizeof l);
    }
    usr.usrsctp_close(s->so);
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
    int r = usr.usrsctp_bind(s->so, (struct sockaddr *)&ss, len);
    if (r == 0)
        s->bound = ss;
    return r;
}

int stk_bindx(struct stk_sock *s, const struct sockaddr *addrs, int cnt,
              int add)
{
    /* More addresses: the listener's MTU must suit all of them. */
    memset(&s->bound, 0, sizeof s->bound);
    return usr.usrsctp_bindx(s->so, (struct sockaddr *)addrs, cnt,
                             add ? SCTP_BINDX_ADD_ADDR : SCTP_BINDX_REM_ADDR);
}

int stk_listen(struct stk_sock *s, int backlog)
{
    stk_mtu_for_listener(s, (struct sockaddr *)&s->bound);
    return usr.usrsctp_listen(s->so, backlog);
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
    return wrap(so, s->family, 0, fn, arg);
}

int stk_set_remote_udp_port(struct stk_sock *s, uint16_t port)
{
    /* A one-to-many sender names its peer on every send: setting the same
     * port again would be a stack call per message for nothing. */
    if (raw_mode || port == s->encaps_port)
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
        *assoc_id = id;
    return r;
}

int stk_shutdown(struct stk_sock *s, int how)
{
    return usr.usrsctp_shutdown(s->so, how);
}

int stk_getaddrs(struct stk_sock *s, int peer, uint32_t assoc_id,
                 struct sockaddr **out)
{
    struct sockaddr *addrs = NULL;
    int n = peer ? usr.usrsctp_getpaddrs(s->so, assoc_id, &addrs)
                 : usr.usrsctp_getladdrs(s->so, assoc_id, &addrs);
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
