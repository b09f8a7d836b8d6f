/* Threads churning SCTP sockets: 16 threads create, bind, listen,
 * connect, send, receive, poll, dup2 over and close sockets of a shared
 * table at random, for TEST_SECONDS (20 by default).  Nothing may crash
 * or hang, and once every socket is closed, every descriptor the shim
 * opened for them is gone. */
#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>

#include "testlib.h"

#define THREADS 16
#define SLOTS 48
#define PORTS 40 /* t_port(0) .. t_port(PORTS - 1) */

/* The shared table.  A thread uses a slot's descriptor only while it
 * counts itself among the slot's users, and a descriptor leaves the
 * table by a dup2 of /dev/null over it (the socket goes, as by close,
 * while other threads may be in calls on it) and is closed once the
 * slot has no users: so no thread ever calls on a number that the
 * process has reused for something else (glibc's netlink socket, the
 * stack's own descriptors), which no program could do safely on a
 * kernel either. */
struct slot {
    _Atomic int fd;
    atomic_int users;
};
static struct slot slots[SLOTS];
static int devnull;
static atomic_int stop;
static atomic_long ops, sent, got, accepted, dup2s, closes;

static int count_fds(void)
{
    int n = 0;
    DIR *d = opendir("/proc/self/fd");
    CHECK(d != NULL);
    while (readdir(d))
        n++;
    closedir(d);
    return n - 3; /* ".", ".." and the directory's own descriptor */
}

/* The descriptor count once the closed sockets are gone: those with an
 * association shut it down first (the shim's linger), and a new close
 * reaps the ones done. */
static int settle(int want, int tries)
{
    int now = 0;
    for (int i = 0; i < tries; i++) {
        int s = socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP);
        CHECK(s >= 0);
        close(s);
        now = count_fds();
        if (now <= want)
            break;
        struct timespec w = {0, 50 * 1000 * 1000};
        nanosleep(&w, NULL);
    }
    return now;
}

static int use(int i)
{
    atomic_fetch_add(&slots[i].users, 1);
    return atomic_load(&slots[i].fd);
}

static void unuse(int i)
{
    atomic_fetch_sub(&slots[i].users, 1);
}

static void retire(int i, int fd)
{
    /* The socket's last descriptor may go while others use it. */
    CHECK_EQ(dup2(devnull, fd), fd);
    atomic_fetch_add(&closes, 1);
    while (atomic_load(&slots[i].users))
        sched_yield();
    close(fd);
}

static void put(int i, int fd)
{
    int old = atomic_exchange(&slots[i].fd, fd);
    if (old >= 0)
        retire(i, old);
}

static void one_op(unsigned *seed)
{
    int i = (int)(rand_r(seed) % SLOTS);
    int op = (int)(rand_r(seed) % 12);
    char buf[2048];
    memset(buf, 'c', sizeof buf);
    if (op == 0 || op == 1) { /* a new socket, often non-blocking so that
                               * connects do not hold a thread long */
        int type = rand_r(seed) % 3 ? SOCK_STREAM : SOCK_SEQPACKET;
        int nb = rand_r(seed) % 4 ? SOCK_NONBLOCK : 0;
        int s = socket(AF_INET, type | nb, IPPROTO_SCTP);
        if (s >= 0) {
            struct timeval tv = {0, 20000};
            setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
            setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
            put(i, s);
        }
        atomic_fetch_add(&ops, 1);
        return;
    }
    if (op == 10) {
        int s = atomic_exchange(&slots[i].fd, -1);
        if (s >= 0)
            retire(i, s);
        atomic_fetch_add(&ops, 1);
        return;
    }
    int fd = use(i);
    if (fd < 0) {
        unuse(i);
        return;
    }
    /* What goes into the table waits until this thread uses no slot:
     * a thread that waits for a slot's users never holds one itself. */
    int put_slot = -1, put_fd = -1;
    switch (op) {
    case 2: { /* bind to a port of the range, or an ephemeral one */
        struct sockaddr_in a = t_addr(rand_r(seed) % 3 ? t_port((int)(rand_r(seed) % PORTS)) : 0);
        if (bind(fd, (struct sockaddr *)&a, sizeof a) == 0 && rand_r(seed) % 2)
            listen(fd, 4);
        break;
    }
    case 3:
        listen(fd, 4);
        break;
    case 4: {
        struct sockaddr_in a = t_addr(t_port((int)(rand_r(seed) % PORTS)));
        connect(fd, (struct sockaddr *)&a, sizeof a);
        break;
    }
    case 5: {
        int c = accept4(fd, NULL, NULL, SOCK_NONBLOCK);
        if (c >= 0) {
            atomic_fetch_add(&accepted, 1);
            put_slot = (int)(rand_r(seed) % SLOTS);
            put_fd = c;
        }
        break;
    }
    case 6: {
        struct sockaddr_in a = t_addr(t_port((int)(rand_r(seed) % PORTS)));
        size_t n = 1 + rand_r(seed) % sizeof buf;
        ssize_t r = rand_r(seed) % 2
                        ? send(fd, buf, n, MSG_NOSIGNAL)
                        : sendto(fd, buf, n, MSG_NOSIGNAL, (struct sockaddr *)&a,
                                 sizeof a);
        if (r > 0)
            atomic_fetch_add(&sent, 1);
        break;
    }
    case 7: {
        ssize_t r = recv(fd, buf, sizeof buf, rand_r(seed) % 2 ? MSG_DONTWAIT : 0);
        if (r > 0)
            atomic_fetch_add(&got, 1);
        break;
    }
    case 8: {
        struct pollfd p = {fd, POLLIN | POLLOUT, 0};
        poll(&p, 1, (int)(rand_r(seed) % 3));
        break;
    }
    case 9: { /* dup2 this socket over another slot's, which others may
               * be using */
        int j = (int)(rand_r(seed) % SLOTS);
        if (j == i)
            break;
        int dst = atomic_exchange(&slots[j].fd, -1);
        if (dst < 0)
            break;
        if (dup2(fd, dst) == dst)
            atomic_fetch_add(&dup2s, 1);
        /* dst's old socket may live on in calls still running */
        put_slot = j;
        put_fd = dst;
        break;
    }
    case 11: {
        put_fd = dup(fd);
        put_slot = (int)(rand_r(seed) % SLOTS);
        break;
    }
    }
    unuse(i);
    if (put_fd >= 0)
        put(put_slot, put_fd);
    atomic_fetch_add(&ops, 1);
}

static void *churn(void *arg)
{
    unsigned seed = (unsigned)(uintptr_t)arg * 7919u + (unsigned)time(NULL);
    while (!atomic_load(&stop))
        one_op(&seed);
    return NULL;
}

int main(void)
{
    const char *e = getenv("TEST_SECONDS");
    int seconds = e ? atoi(e) : 20;
    signal(SIGPIPE, SIG_IGN);
    for (int i = 0; i < SLOTS; i++)
        atomic_init(&slots[i].fd, -1);
    devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
    CHECK(devnull >= 0);

    /* Start the stack and look a peer up once, so that the stack's and
     * the registry's own descriptors count in the baseline. */
    int lsn = t_listener(SOCK_STREAM, t_port(PORTS + 1));
    for (int i = 0; i < 2; i++) { /* the second look-up is a cached one */
        int cli = t_connect(SOCK_STREAM, t_port(PORTS + 1));
        int srv = accept(lsn, NULL, NULL);
        CHECK(srv >= 0);
        close(cli);
        close(srv);
    }
    close(lsn);
    int base = count_fds(), was;
    do { /* until the associations' shutdowns are done */
        was = base;
        base = settle(was - 1, 20);
    } while (base < was);
    if (getenv("TEST_VERBOSE"))
        CHECK(system("ls -l /proc/$PPID/fd >&2") >= 0);

    t_watchdog((unsigned)seconds + 90);
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++)
        CHECK_EQ(pthread_create(&t[i], NULL, churn, (void *)(uintptr_t)i), 0);
    struct timespec ts = {seconds, 0};
    nanosleep(&ts, NULL);
    atomic_store(&stop, 1);
    for (int i = 0; i < THREADS; i++)
        CHECK_EQ(pthread_join(t[i], NULL), 0);
    for (int i = 0; i < SLOTS; i++) {
        int s = atomic_exchange(&slots[i].fd, -1);
        if (s >= 0)
            close(s);
    }
    fprintf(stderr, "  %ld operations: %ld sends, %ld receives, %ld accepted, "
            "%ld dup2, %ld closes\n", ops, sent, got, accepted, dup2s, closes);
    CHECK(ops > 1000);

    /* Closed sockets with an association shut it down first (the
     * shim's linger), for a while. */
    int now = settle(base, 800);
    if (now > base) {
        fprintf(stderr, "  %d descriptors left open (baseline %d)\n", now - base, base);
        CHECK(system("ls -l /proc/$PPID/fd >&2; cat /proc/net/unix /proc/net/udp >&2") >= 0);
    }
    CHECK_EQ(now, base);
    alarm(0); /* the watchdog */
    t_done("churn");
    return 0;
}
