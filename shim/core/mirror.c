/* Readiness mirror.  The program's descriptor X is an AF_UNIX datagram
 * socket with an autobound name; the shim holds one private duplicate of
 * it (the same file: its threads never use the program's number, which
 * the program may close and reuse at any time) and nothing else of its
 * own per socket:
 *   readable      token datagrams that X sends to its own name sit in its
 *                 queue; draining them ends it
 *   not writable  X is connected to the sink, a socket of the process's
 *                 whose queue is kept full: the kernel reports a datagram
 *                 socket whose peer cannot take more as not writable, and
 *                 disconnecting wakes its writers (a new EPOLLOUT edge)
 *   read hang-up  shutdown(X, SHUT_RD): POLLIN|POLLRDHUP
 *   hang-up       shutdown(X, SHUT_RDWR): also POLLHUP
 * (X used to be one end of a socketpair, with the other end and a
 * duplicate kept: three descriptors and two files per socket, where a
 * kernel socket is one.)  Each change is a syscall or two, so only
 * transitions are applied. */
#include "core/mirror.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "base/deadline.h"
#include "base/log.h"
#include "base/real.h"
#include "core/fdtab.h"
#include "core/wait.h"
#include "core/privfd.h"
#include "usrsctp/stack.h"

/* Tokens in X's queue; each one sent is an edge for EPOLLET watchers, as
 * each arriving message is on Linux.  Bounded (below net.unix.
 * max_dgram_qlen's default of 10), since only the first one matters to
 * level-triggered readiness. */
#define MAX_TOKENS 8

static pthread_once_t sink_once = PTHREAD_ONCE_INIT;
static int sink_fd = -1;
static struct sockaddr_un sink_name;
static socklen_t sink_len;

static int autobind(int fd, struct sockaddr_un *name, socklen_t *len)
{
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    *len = sizeof *name;
    return real.bind(fd, (struct sockaddr *)&a, sizeof(sa_family_t)) < 0 ||
                   real.getsockname(fd, (struct sockaddr *)name, len) < 0
               ? -1
               : 0;
}

/* The sink's queue is filled to the kernel's limit by throwaway senders
 * (their datagrams stay charged to them after they are closed).  It also
 * sends the tokens of sockets connected to it, which accept datagrams
 * from their peer only, so its send buffer is made large. */
static void make_sink(void)
{
    int f = privfd_socket(AF_UNIX, SOCK_DGRAM, 0);
    if (f < 0 || autobind(f, &sink_name, &sink_len) < 0) {
        SHIM_LOG("mirror: no sink socket: %s", strerror(errno));
        privfd_close(f);
        return;
    }
    int big = 8 << 20;
    if (real.setsockopt(f, SOL_SOCKET, SO_SNDBUFFORCE, &big, sizeof big) < 0)
        real.setsockopt(f, SOL_SOCKET, SO_SNDBUF, &big, sizeof big);
    for (int i = 0; i < 64; i++) {
        int j = privfd_socket(AF_UNIX, SOCK_DGRAM, 0), n = 0;
        while (j >= 0 && real.sendto(j, "", 0, MSG_DONTWAIT, (struct sockaddr *)&sink_name,
                                     sink_len) == 0)
            n++;
        privfd_close(j);
        if (n == 0)
            break;
    }
    sink_fd = f;
}

int mirror_init(struct mirror *m, int *app_fd, int cloexec, int nonblock)
{
    int type = SOCK_DGRAM | (cloexec ? SOCK_CLOEXEC : 0) |
               (nonblock ? SOCK_NONBLOCK : 0);
    memset(m, 0, sizeof *m);
    m->x = -1;
    pthread_once(&sink_once, make_sink);
    /* The program's descriptor is the only one that takes one of the
     * program's numbers: EMFILE here is the kernel's EMFILE. */
    int fd = real.socket(AF_UNIX, type, 0);
    if (fd < 0)
        return -1;
    if (autobind(fd, &m->name, &m->namelen) < 0 || (m->x = privfd_dup(fd)) < 0) {
        int e = errno;
        real.close(fd);
        errno = e;
        return -1;
    }
    pthread_mutex_init(&m->lock, NULL);
    pthread_cond_init(&m->changed, NULL);
    *app_fd = fd;
    return 0;
}

void mirror_destroy(struct mirror *m)
{
    privfd_close(m->x);
    m->x = -1;
    pthread_mutex_destroy(&m->lock);
    pthread_cond_destroy(&m->changed);
}

static int self_token(struct mirror *m)
{
    return real.sendto(m->x, "r", 1, MSG_DONTWAIT | MSG_NOSIGNAL,
                       (struct sockaddr *)&m->name, m->namelen) == 1;
}

/* Disconnecting X from the sink drops what its queue holds (the kernel's
 * rule for a datagram socket whose peer changes): the tokens are sent
 * again. */
static void detach_sink(struct mirror *m)
{
    struct sockaddr un = {.sa_family = AF_UNSPEC};
    real.connect(m->x, &un, sizeof un);
    m->write_blocked = 0;
    int had = m->readable;
    m->readable = 0;
    while (m->readable < had && self_token(m))
        m->readable++;
}

static void add_token(struct mirror *m)
{
    if (!m->write_blocked) {
        if (self_token(m))
            m->readable++;
        return;
    }
    /* Connected to the sink, X takes datagrams from the sink only; if the
     * sink's own buffer is full, X leaves the sink for the moment. */
    if (real.sendto(sink_fd, "r", 1, MSG_DONTWAIT | MSG_NOSIGNAL,
                    (struct sockaddr *)&m->name, m->namelen) == 1) {
        m->readable++;
        return;
    }
    detach_sink(m);
    if (self_token(m))
        m->readable++;
    if (real.connect(m->x, (struct sockaddr *)&sink_name, sink_len) == 0)
        m->write_blocked = 1;
}

static void set_readable(struct mirror *m, int on, int new_edge)
{
    char buf[64];
    if (m->rd_hup)
        return; /* readable for good */
    if (on && (!m->readable || (new_edge && m->readable < MAX_TOKENS))) {
        add_token(m);
    } else if (!on && m->readable) {
        while (real.recv(m->x, buf, sizeof buf, MSG_DONTWAIT) >= 0)
            ;
        m->readable = 0;
    }
}

static void set_writable(struct mirror *m, int on)
{
    if (!on && !m->write_blocked && sink_fd >= 0) {
        if (real.connect(m->x, (struct sockaddr *)&sink_name, sink_len) == 0)
            m->write_blocked = 1;
        else
            SHIM_LOG("mirror: cannot mark not writable: %s", strerror(errno));
    } else if (on && m->write_blocked) {
        detach_sink(m);
    }
}

/* Any thread may call this: usrsctp's (from the upcall), or the program's
 * after it consumed data.  Each caller takes a ticket before it reads the
 * stack's events; a caller that finds a newer ticket when it gets the lock
 * leaves the update to the newer one, whose reading is fresher.  So the
 * last reading always wins and no wake-up is lost, and no shim lock is
 * ever held across a usrsctp call. */
static int mirror_update(struct mirror *m, struct stk_sock *stk,
                         int from_upcall)
{
    unsigned t = atomic_fetch_add(&m->ticket, 1) + 1;
    int ev = stk_events(stk);
    if (ev < 0)
        ev = STK_EV_READ | STK_EV_WRITE | STK_EV_ERROR;
    pthread_mutex_lock(&m->lock);
    if (atomic_load(&m->ticket) == t) {
        /* A one-to-one socket that is neither connected nor connecting
         * nor listening is not writable, as on Linux. */
        int wr = (ev & STK_EV_ERROR) ||
                 ((ev & STK_EV_WRITE) && !m->send_blocked);
        int drained = __atomic_load_n(&m->drained, __ATOMIC_ACQUIRE);
        int rd = (ev & (drained ? STK_EV_ERROR : STK_EV_READ | STK_EV_ERROR)) ||
                 __atomic_load_n(&m->pending, __ATOMIC_ACQUIRE);
        set_readable(m, rd, from_upcall);
        set_writable(m, wr);
    }
    pthread_mutex_unlock(&m->lock);
    return __atomic_load_n(&m->drained, __ATOMIC_ACQUIRE) && (ev & STK_EV_READ);
}

int mirror_sync(struct mirror *m, struct stk_sock *stk)
{
    return mirror_update(m, stk, 0);
}

int mirror_sync_upcall(struct mirror *m, struct stk_sock *stk)
{
    return mirror_update(m, stk, 1);
}

void mirror_poke(struct mirror *m)
{
    pthread_mutex_lock(&m->lock);
    add_token(m);
    pthread_mutex_unlock(&m->lock);
}

void mirror_hangup(struct mirror *m, int both)
{
    pthread_mutex_lock(&m->lock);
    if (!m->rd_hup) {
        real.shutdown(m->x, SHUT_RD);
        m->rd_hup = 1;
    }
    if (both && !m->hup) {
        real.shutdown(m->x, SHUT_RDWR);
        m->hup = 1;
    }
    pthread_mutex_unlock(&m->lock);
}

int mirror_quiet(struct mirror *m)
{
    pthread_mutex_lock(&m->lock);
    int quiet = !m->readable && !m->rd_hup;
    pthread_mutex_unlock(&m->lock);
    return quiet;
}

int mirror_read_hung(struct mirror *m)
{
    pthread_mutex_lock(&m->lock);
    int h = m->rd_hup;
    pthread_mutex_unlock(&m->lock);
    return h;
}

int mirror_ready(struct mirror *m, int for_write)
{
    struct pollfd p = {m->x, for_write ? POLLOUT : POLLIN, 0};
    return real.poll(&p, 1, 0) == 1;
}

/* X's readiness is the stack's, so waiting on X is waiting for the stack.
 * A wake-up only means "try again": the caller re-checks the stack. */
int mirror_wait(struct mirror *m, int for_write)
{
    /* X is made unwritable only while a sender is blocked (connected to
     * the full sink); a hangup never makes it writable again. */
    if (for_write) {
        pthread_mutex_lock(&m->lock);
        int never = m->hup || !m->write_blocked;
        pthread_mutex_unlock(&m->lock);
        if (never)
            return 0;
    }
    return wait_fd(m->x, for_write);
}

void mirror_note_upcall(struct mirror *m)
{
    pthread_mutex_lock(&m->lock);
    /* Written under the lock, read without it by senders and the watch
     * thread: atomic stores, for them. */
    __atomic_fetch_add(&m->upcalls, 1, __ATOMIC_RELEASE);
    __atomic_store_n(&m->send_blocked, 0, __ATOMIC_RELAXED);
    pthread_cond_broadcast(&m->changed);
    pthread_mutex_unlock(&m->lock);
}

void mirror_wait_upcall(struct mirror *m, unsigned seen, int ms)
{
    struct timespec ts = deadline_after(CLOCK_REALTIME, (long)ms * 1000L);
    pthread_mutex_lock(&m->lock);
    while (m->upcalls == seen)
        if (pthread_cond_timedwait(&m->changed, &m->lock, &ts) != 0)
            break;
    pthread_mutex_unlock(&m->lock);
}

int mirror_send_blocked(struct mirror *m, struct stk_sock *stk, unsigned seen,
                        int to_program)
{
    pthread_mutex_lock(&m->lock);
    int blocked = m->upcalls == seen;
    /* Even if X looks right as it is: an edge-triggered writer that got
     * EAGAIN waits for a transition, and only a filled X can make one. */
    if (blocked || to_program)
        set_writable(m, 0);
    if (blocked)
        __atomic_store_n(&m->send_blocked, 1, __ATOMIC_RELAXED);
    pthread_mutex_unlock(&m->lock);
    if (!blocked && to_program)
        mirror_update(m, stk, 0);
    return blocked;
}
