/* Peer processes on this host, watched for death.
 *
 * When a process with SCTP associations dies, its kernel aborts them at
 * once; a shimmed process takes its stack with it, and its peers would
 * retransmit for minutes before giving up.  So every shimmed process
 * listens on the abstract name "sctpshim/life/<its UDP port>" (never
 * refusing: this thread accepts and closes each connection), and a
 * process whose stack starts an association with a shimmed peer on this
 * host connects there once, learns the listener's pid (SO_PEERCRED) and
 * watches it with a pidfd, which the kernel makes readable the moment the
 * process is gone, even by SIGKILL.  The stack then ends the
 * associations as a received ABORT would (stk_peer_gone).
 *
 * The same thread hears the kernel's address changes (rtnetlink), which
 * the stack must follow (stk_addrs_sync). */
#include "core/life.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/rtnetlink.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#include "base/log.h"
#include "base/real.h"
#include "base/thread.h"
#include "core/fdtab.h"
#include "usrsctp/stack.h"

struct watched {
    uint16_t udp;
    int pid, pidfd;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct watched *w;
static int n_w, cap_w;
static int running;
static int listen_fd = -1, wake_fd = -1, nl_fd = -1;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static socklen_t life_name(struct sockaddr_un *sun, uint16_t udp)
{
    memset(sun, 0, sizeof *sun);
    sun->sun_family = AF_UNIX;
    int n = snprintf(sun->sun_path + 1, sizeof sun->sun_path - 1,
                     "sctpshim/life/%u", udp);
    return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + (size_t)n);
}

static int private_fd(int fd)
{
    if (fd >= 0 && fdtab_set(fd, FDTAB_PRIVATE) < 0) {
        real.close(fd);
        return -1;
    }
    return fd;
}

static void close_private(int fd)
{
    if (fd >= 0) {
        fdtab_take(fd);
        real.close(fd);
    }
}

/* Held while the thread works: fork takes it (life_park). */
static pthread_mutex_t busy = PTHREAD_MUTEX_INITIALIZER;

static void *life_loop(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&busy);
    for (;;) {
        pthread_mutex_lock(&lock);
        int n = n_w;
        struct pollfd *p = calloc((size_t)n + 3, sizeof *p);
        uint16_t *udp = calloc((size_t)n + 1, sizeof *udp);
        int *pid = calloc((size_t)n + 1, sizeof *pid);
        if (!p || !udp || !pid) {
            pthread_mutex_unlock(&lock);
            free(p);
            free(udp);
            free(pid);
            sleep(1);
            continue;
        }
        p[0] = (struct pollfd){wake_fd, POLLIN, 0};
        p[1] = (struct pollfd){listen_fd, POLLIN, 0};
        for (int i = 0; i < n; i++) {
            p[i + 2] = (struct pollfd){w[i].pidfd, POLLIN, 0};
            udp[i] = w[i].udp;
            pid[i] = w[i].pid;
        }
        p[n + 2] = (struct pollfd){nl_fd, POLLIN, 0};
        pthread_mutex_unlock(&lock);
        pthread_mutex_unlock(&busy);
        int ready = real.poll(p, (nfds_t)n + 3, -1);
        pthread_mutex_lock(&busy);
        if (ready > 0) {
            if (p[n + 2].revents & POLLIN) {
                char buf[8192];
                while (real.recv(nl_fd, buf, sizeof buf, MSG_DONTWAIT) > 0)
                    ;
                stk_addrs_sync();
            }
            uint64_t v;
            if (p[0].revents & POLLIN)
                (void)!real.read(wake_fd, &v, sizeof v);
            if (p[1].revents & POLLIN) {
                /* A watcher took the pid from the connection: let it go. */
                int c;
                while ((c = real.accept4(listen_fd, NULL, NULL,
                                         SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0)
                    real.close(c);
            }
            for (int i = 0; i < n; i++) {
                if (!p[i + 2].revents)
                    continue;
                pthread_mutex_lock(&lock);
                for (int j = 0; j < n_w; j++)
                    if (w[j].pidfd == p[i + 2].fd) {
                        close_private(w[j].pidfd);
                        w[j] = w[--n_w];
                        break;
                    }
                pthread_mutex_unlock(&lock);
                SHIM_LOG("peer process %d with UDP port %u is gone", pid[i], udp[i]);
                stk_peer_gone(udp[i], pid[i]);
            }
        }
        free(p);
        free(udp);
        free(pid);
    }
    return NULL;
}

/* Address additions and removals, IPv4 and IPv6. */
static int open_rtnetlink(void)
{
    int fd = private_fd(real.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC |
                                                    SOCK_NONBLOCK, NETLINK_ROUTE));
    struct sockaddr_nl sa = {.nl_family = AF_NETLINK,
                             .nl_groups = RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR};
    if (fd >= 0 && real.bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
        close_private(fd);
        fd = -1;
    }
    return fd;
}

static void start(void)
{
    wake_fd = private_fd(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
    if (wake_fd < 0)
        return;
    nl_fd = open_rtnetlink();
    if (thread_start(life_loop, NULL, 128 * 1024, "sctpshim life") == 0)
        running = 1;
}

static void kick(void)
{
    uint64_t one = 1;
    if (wake_fd >= 0)
        (void)!real.write(wake_fd, &one, sizeof one);
}

void life_publish(uint16_t udp)
{
    if (!udp || listen_fd >= 0)
        return;
    struct sockaddr_un sun;
    socklen_t len = life_name(&sun, udp);
    int fd = private_fd(real.socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC |
                                                 SOCK_NONBLOCK, 0));
    if (fd < 0)
        return;
    if (real.bind(fd, (struct sockaddr *)&sun, len) < 0 ||
        real.listen(fd, SOMAXCONN) < 0) {
        SHIM_LOG("life: cannot publish sctpshim/life/%u: %s", udp, strerror(errno));
        close_private(fd);
        return;
    }
    listen_fd = fd;
    stk_on_local_peer(life_watch);
    pthread_once(&once, start);
    kick();
}

/* The pid of the process listening on the peer's life name, 0 when there
 * is none (not a shimmed process, or not in our pid namespace). */
static pid_t life_pid(uint16_t udp)
{
    struct sockaddr_un sun;
    socklen_t len = life_name(&sun, udp);
    int fd = real.socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    struct ucred cr = {0};
    socklen_t cl = sizeof cr;
    if (fd < 0)
        return 0;
    if (real.connect(fd, (struct sockaddr *)&sun, len) < 0 ||
        real.getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &cl) < 0)
        cr.pid = 0;
    real.close(fd);
    return cr.pid;
}

/* The watch of this port's process, if that process lives (lock held):
 * a port is only taken again once its holder is gone. */
static int live_watch(uint16_t udp)
{
    for (int i = 0; i < n_w; i++) {
        struct pollfd p = {w[i].pidfd, POLLIN, 0};
        if (w[i].udp == udp && real.poll(&p, 1, 0) == 0)
            return w[i].pid;
    }
    return 0;
}

int life_watch(uint16_t udp)
{
    pthread_mutex_lock(&lock);
    int known = live_watch(udp);
    pthread_mutex_unlock(&lock);
    if (known)
        return known;
    pid_t pid = life_pid(udp);
    int pidfd = pid > 0 ? (int)syscall(SYS_pidfd_open, pid, 0) : -1;
    if (pidfd < 0)
        return 0; /* not a shimmed peer, or gone already */
    real.fcntl(pidfd, F_SETFD, FD_CLOEXEC);
    pidfd = private_fd(pidfd);
    if (pidfd < 0)
        return 0;
    pthread_mutex_lock(&lock);
    int dup = 0;
    for (int i = 0; i < n_w && !dup; i++)
        dup = w[i].udp == udp && w[i].pid == pid;
    if (!dup && n_w == cap_w) {
        int c = cap_w ? cap_w * 2 : 8;
        struct watched *nw = realloc(w, (size_t)c * sizeof *nw);
        if (nw) {
            w = nw;
            cap_w = c;
        }
    }
    if (!dup && n_w < cap_w) {
        w[n_w++] = (struct watched){udp, pid, pidfd};
        pidfd = -1;
        SHIM_LOG("watching the peer process %d (UDP port %u)", (int)pid, udp);
    }
    pthread_mutex_unlock(&lock);
    close_private(pidfd);
    kick();
    return pid;
}

void life_park(void)
{
    if (running)
        pthread_mutex_lock(&busy);
}

void life_unpark(void)
{
    if (running)
        pthread_mutex_unlock(&busy);
}

void life_forget_after_fork(void)
{
    pthread_once_t fresh = PTHREAD_ONCE_INIT;
    pthread_mutex_init(&lock, NULL);
    pthread_mutex_init(&busy, NULL);
    running = 0;
    /* The parent's name and watches are the parent's: the child has no
     * thread for them, and holding the name would hide the parent's
     * death. */
    close_private(listen_fd);
    listen_fd = -1;
    for (int i = 0; i < n_w; i++)
        close_private(w[i].pidfd);
    n_w = 0;
    close_private(wake_fd);
    wake_fd = -1;
    close_private(nl_fd);
    nl_fd = -1;
    once = fresh;
}
