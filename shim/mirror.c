/* Readiness mirror: keeps the program's AF_UNIX end (X) readable and
 * writable exactly when the usrsctp socket is.
 *   readable      one token byte written into Y shows up in X's queue
 *   not writable  X's (minimal) send buffer is filled with filler bytes
 *   read hang-up  shutdown(Y, SHUT_WR): X reports POLLIN|POLLRDHUP
 *   hang-up       shutdown(Y, SHUT_RDWR): X also reports POLLHUP
 * Each change is a syscall or two, so only transitions are applied. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "deadline.h"
#include "fdtab.h"
#include "real.h"
#include "sock.h"

int mirror_init(struct mirror *m, int *app_fd, int cloexec, int nonblock)
{
    int sv[2];
    int type = SOCK_STREAM | (cloexec ? SOCK_CLOEXEC : 0) |
               (nonblock ? SOCK_NONBLOCK : 0);
    memset(m, 0, sizeof *m);
    m->x = m->y = -1;
    if (real.socketpair(AF_UNIX, type, 0, sv) < 0)
        return -1;
    int zero = 0;
    /* The smallest send buffer makes "not writable" cheap to reach. */
    real.setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &zero, sizeof zero);
    real.setsockopt(sv[1], SOL_SOCKET, SO_RCVBUF, &zero, sizeof zero);
    m->x = real.fcntl(sv[0], F_DUPFD_CLOEXEC, 3);
    if (m->x < 0 || real.fcntl(sv[1], F_SETFD, FD_CLOEXEC) < 0) {
        int e = errno;
        real.close(sv[0]);
        real.close(sv[1]);
        if (m->x >= 0)
            real.close(m->x);
        errno = e;
        return -1;
    }
    /* The shim's ends never block, whatever the program does to X's
     * file status flags (they are shared with the private duplicate, so
     * calls on it pass MSG_DONTWAIT instead). */
    real.fcntl(sv[1], F_SETFL, O_NONBLOCK);
    m->y = sv[1];
    pthread_mutex_init(&m->lock, NULL);
    pthread_cond_init(&m->changed, NULL);
    fdtab_set(m->x, FDTAB_PRIVATE);
    fdtab_set(m->y, FDTAB_PRIVATE);
    *app_fd = sv[0];
    return 0;
}

void mirror_destroy(struct mirror *m)
{
    if (m->x >= 0) {
        fdtab_take(m->x);
        real.close(m->x);
    }
    if (m->y >= 0) {
        fdtab_take(m->y);
        real.close(m->y);
    }
    pthread_mutex_destroy(&m->lock);
    pthread_cond_destroy(&m->changed);
}

/* Tokens in X's queue; each one written is an edge for EPOLLET watchers,
 * as each arriving message is on Linux.  Bounded, since only the first
 * one matters to level-triggered readiness. */
#define MAX_TOKENS 64

static void set_readable(struct mirror *m, int on, int new_edge)
{
    char buf[64];
    if (on && (!m->readable || (new_edge && m->readable < MAX_TOKENS))) {
        if (real.send(m->y, "r", 1, MSG_DONTWAIT | MSG_NOSIGNAL) == 1)
            m->readable++;
    } else if (!on && m->readable) {
        /* Tokens are only added under the lock held here: a short read
         * has them all, and the usual one-token case costs one call. */
        while (real.recv(m->x, buf, sizeof buf, MSG_DONTWAIT) == (ssize_t)sizeof buf)
            ;
        m->readable = 0;
    }
}

static void set_writable(struct mirror *m, int on)
{
    static const char filler[4096];
    char buf[8192];
    if (!on && !m->write_blocked) {
        while (real.send(m->x, filler, sizeof filler,
                         MSG_DONTWAIT | MSG_NOSIGNAL) > 0)
            ;
        /* Top up with single bytes: the buffer may still take a few. */
        while (real.send(m->x, filler, 1, MSG_DONTWAIT | MSG_NOSIGNAL) > 0)
            ;
        m->write_blocked = 1;
    } else if (on && m->write_blocked) {
        while (real.recv(m->y, buf, sizeof buf, MSG_DONTWAIT) > 0)
            ;
        m->write_blocked = 0;
    }
}

/* Any thread may call this: usrsctp's (from the upcall), or the program's
 * after it consumed data.  Each caller takes a ticket before it reads the
 * stack's events; a caller that finds a newer ticket when it gets the lock
 * leaves the update to the newer one, whose reading is fresher.  So the
 * last reading always wins and no wake-up is lost, and no shim lock is
 * ever held across a usrsctp call. */
static void mirror_update(struct ssock *s, int from_upcall)
{
    struct mirror *m = &s->m;
    unsigned t = atomic_fetch_add(&m->ticket, 1) + 1;
    int ev = stk_events(s->stk);
    if (ev < 0)
        ev = STK_EV_READ | STK_EV_WRITE | STK_EV_ERROR;
    pthread_mutex_lock(&m->lock);
    if (atomic_load(&m->ticket) == t) {
        /* A one-to-one socket that is neither connected nor connecting
         * nor listening is not writable, as on Linux. */
        int wr = (ev & STK_EV_ERROR) ||
                 ((ev & STK_EV_WRITE) && !m->send_blocked);
        set_readable(m, (ev & (STK_EV_READ | STK_EV_ERROR)) != 0, from_upcall);
        set_writable(m, wr);
    }
    pthread_mutex_unlock(&m->lock);
}

void mirror_sync(struct ssock *s)
{
    mirror_update(s, 0);
}

void mirror_sync_upcall(struct ssock *s)
{
    mirror_update(s, 1);
}

void mirror_hangup(struct ssock *s, int both)
{
    struct mirror *m = &s->m;
    pthread_mutex_lock(&m->lock);
    if (!m->rd_hup) {
        real.shutdown(m->y, SHUT_WR);
        m->rd_hup = 1;
    }
    if (both && !m->hup) {
        real.shutdown(m->y, SHUT_RDWR);
        m->hup = 1;
    }
    pthread_mutex_unlock(&m->lock);
}

/* Waits in a real blocking call on X, not in poll: the kernel then applies
 * the program's O_NONBLOCK, SO_RCVTIMEO/SO_SNDTIMEO (set on X too) and
 * SA_RESTART rules exactly as it would for a kernel SCTP socket.  A wake-up
 * only means "try again": the caller re-checks the stack. */
int mirror_wait(struct ssock *s, int for_write)
{
    struct mirror *m = &s->m;
    ssize_t r;
    if (!for_write) {
        char c;
        r = real.recv(m->x, &c, 1, MSG_PEEK);
        if (r >= 0)
            return 0;
    } else {
        if (m->hup || !m->write_blocked)
            return 0;
        r = real.send(m->x, "w", 1, MSG_NOSIGNAL);
        if (r >= 0 || errno == EPIPE) {
            /* Our byte went into Y after the filler was drained: drain it
             * too, unless the mirror filled X again meanwhile. */
            char buf[64];
            pthread_mutex_lock(&m->lock);
            if (!m->write_blocked)
                while (real.recv(m->y, buf, sizeof buf, MSG_DONTWAIT) > 0)
                    ;
            pthread_mutex_unlock(&m->lock);
            return 0;
        }
    }
    return -1; /* EAGAIN (non-blocking or timeout) or EINTR */
}

void mirror_note_upcall(struct ssock *s)
{
    pthread_mutex_lock(&s->m.lock);
    s->m.upcalls++;
    s->m.send_blocked = 0;
    pthread_cond_broadcast(&s->m.changed);
    pthread_mutex_unlock(&s->m.lock);
}

void mirror_wait_upcall(struct ssock *s, unsigned seen, int ms)
{
    struct timespec ts = deadline_after(CLOCK_REALTIME, (long)ms * 1000L);
    pthread_mutex_lock(&s->m.lock);
    while (s->m.upcalls == seen)
        if (pthread_cond_timedwait(&s->m.changed, &s->m.lock, &ts) != 0)
            break;
    pthread_mutex_unlock(&s->m.lock);
}

int mirror_send_blocked(struct ssock *s, unsigned seen)
{
    pthread_mutex_lock(&s->m.lock);
    int blocked = s->m.upcalls == seen;
    if (blocked) {
        s->m.send_blocked = 1;
        set_writable(&s->m, 0);
    }
    pthread_mutex_unlock(&s->m.lock);
    return blocked;
}
