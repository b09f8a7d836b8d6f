#include "core/wait.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stddef.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/time.h>

#include "base/real.h"
#include "core/fdtab.h"

static __thread struct wait_call *current;

void wait_call_begin(struct wait_call *c)
{
    c->armed = 0;
    c->masked = 0;
    c->sfd = -1;
    c->prev = current;
    current = c;
}

void wait_call_end(struct wait_call *c)
{
    current = c->prev;
    if (c->sfd >= 0) {
        fdtab_take(c->sfd);
        real.close(c->sfd);
    }
    /* Signals that came while the call was busy are handled now, on its
     * way out, as the kernel does on the way out of a system call. */
    if (c->masked)
        pthread_sigmask(SIG_SETMASK, &c->saved, NULL);
}

static void arm(struct wait_call *c, int fd, int for_write)
{
    struct timeval tv = {0, 0};
    socklen_t l = sizeof tv;
    c->armed = 1;
    c->deadline.tv_sec = -1;
    if (real.getsockopt(fd, SOL_SOCKET, for_write ? SO_SNDTIMEO : SO_RCVTIMEO,
                        &tv, &l) < 0 ||
        (tv.tv_sec == 0 && tv.tv_usec == 0))
        return; /* no timeout: wait for ever */
    clock_gettime(CLOCK_MONOTONIC, &c->deadline);
    c->deadline.tv_sec += tv.tv_sec;
    c->deadline.tv_nsec += tv.tv_usec * 1000L;
    if (c->deadline.tv_nsec >= 1000000000L) {
        c->deadline.tv_sec++;
        c->deadline.tv_nsec -= 1000000000L;
    }
}

/* Milliseconds left before the deadline (rounded up), -1 for none, 0
 * when it has passed. */
static int time_left(const struct wait_call *c)
{
    if (c->deadline.tv_sec < 0)
        return -1;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    long long ns = (long long)(c->deadline.tv_sec - now.tv_sec) * 1000000000LL +
                   (c->deadline.tv_nsec - now.tv_nsec);
    if (ns <= 0)
        return 0;
    long long ms = (ns + 999999) / 1000000;
    return ms > 1 << 30 ? 1 << 30 : (int)ms;
}

/* From the first wait on: the program's signals stay blocked, and a
 * signalfd reports those it lets in. */
static void mask_signals(struct wait_call *c)
{
    sigset_t all, let_in;
    sigfillset(&all);
    if (pthread_sigmask(SIG_BLOCK, &all, &c->saved) != 0)
        return;
    c->masked = 1;
    sigfillset(&let_in);
    for (int sig = 1; sig < NSIG; sig++)
        if (sigismember(&c->saved, sig) == 1)
            sigdelset(&let_in, sig);
    c->sfd = signalfd(-1, &let_in, SFD_NONBLOCK | SFD_CLOEXEC);
    if (c->sfd >= 0 && fdtab_set(c->sfd, FDTAB_PRIVATE) < 0) {
        real.close(c->sfd);
        c->sfd = -1;
    }
}

/* Signals whose default action leaves a system call alone. */
static int default_is_harmless(int sig)
{
    return sig == SIGCHLD || sig == SIGURG || sig == SIGWINCH ||
           sig == SIGCONT || sig == SIGSTOP || sig == SIGTSTP ||
           sig == SIGTTIN || sig == SIGTTOU;
}

enum { NOTHING, RESTART, INTERRUPT };

/* Lets the pending signals in: their handlers run now.  Says what the
 * kernel would make of the call: interrupted, unless every handler that
 * ran has SA_RESTART and the call has no timeout (sock_intr_errno). */
static int let_signals_in(struct wait_call *c)
{
    sigset_t pending, all;
    int handled = 0, restart = 1;
    sigpending(&pending);
    for (int sig = 1; sig < NSIG; sig++) {
        if (sigismember(&pending, sig) != 1 || sigismember(&c->saved, sig) == 1)
            continue;
        struct sigaction sa;
        if (sigaction(sig, NULL, &sa) < 0)
            continue;
        if (!(sa.sa_flags & SA_SIGINFO) &&
            (sa.sa_handler == SIG_IGN ||
             (sa.sa_handler == SIG_DFL && default_is_harmless(sig))))
            continue; /* no handler runs; a deadly one ends the process */
        handled = 1;
        if (!(sa.sa_flags & SA_RESTART))
            restart = 0;
    }
    pthread_sigmask(SIG_SETMASK, &c->saved, NULL);
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, NULL);
    if (!handled)
        return NOTHING;
    return restart && c->deadline.tv_sec < 0 ? RESTART : INTERRUPT;
}

static __thread int bound_ms = -1;

void wait_fd_bound(int ms)
{
    bound_ms = ms;
}

static __thread int also_fd = -1;
static __thread int never;

void wait_fd_also(int fd)
{
    also_fd = fd;
}

void wait_never_here(void)
{
    never = 1;
}

int wait_fd(int fd, int for_write)
{
    struct wait_call *c = current;
    short ev = for_write ? POLLOUT : POLLIN;
    int bound = bound_ms, also = also_fd;
    bound_ms = -1;
    also_fd = -1;
    if (never) {
        errno = EAGAIN;
        return -1;
    }
    if (!c) { /* not inside a call: a plain wait */
        struct pollfd p[2] = {{fd, ev, 0}, {also, POLLIN, 0}};
        return real.poll(p, also >= 0 ? 2 : 1, bound) < 0 ? -1 : 0;
    }
    if (!c->armed)
        arm(c, fd, for_write);
    if (!c->masked)
        mask_signals(c);
    for (;;) {
        int ms = time_left(c);
        if (ms == 0) {
            errno = EAGAIN;
            return -1;
        }
        int capped = bound >= 0 && (ms < 0 || ms > bound);
        if (capped)
            ms = bound;
        struct pollfd p[3] = {{fd, ev, 0}, {c->sfd, POLLIN, 0}, {also, POLLIN, 0}};
        int n;
        if (c->sfd >= 0) {
            n = real.poll(p, also >= 0 ? 3 : 2, ms);
            if (n > 0 && also >= 0 && p[2].revents)
                return 0;
        } else {
            /* No signalfd (no descriptor left): let signals in while
             * waiting, and count any handler as interrupting. */
            struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
            n = ppoll(p, 1, ms < 0 ? NULL : &ts, c->masked ? &c->saved : NULL);
            if (n < 0 && errno == EINTR)
                return -1;
        }
        if (n < 0 && errno != EINTR)
            return -1;
        if (n == 0 && capped)
            return 0;
        /* As the kernel's wait loops: a receive takes data that is there
         * before it looks at signals (sctp_wait_for_packet), a send looks
         * at signals first (sctp_wait_for_sndbuf). */
        int sig = n > 0 && (p[1].revents & POLLIN);
        if (n > 0 && p[0].revents && !(sig && for_write))
            return 0;
        if (sig) {
            int v = let_signals_in(c);
            if (v == INTERRUPT) {
                errno = EINTR;
                return -1;
            }
            if (v == RESTART)
                return 1;
        }
    }
}
