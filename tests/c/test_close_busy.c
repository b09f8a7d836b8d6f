/* Closing a socket that another thread is using.  A call holds its
 * socket as a system call holds its file: on Linux, close() or dup2()
 * from another thread neither wakes nor breaks a call blocked on the
 * socket (checked on this machine's kernel with TCP: a blocked recv
 * returns the data that arrives after the close, a blocked accept the
 * connection that comes).  The socket goes when that call returns: the
 * peer then sees the association shut down. */
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>

#include "testlib.h"

struct blocked {
    int fd;
    int op;          /* 'r' recv, 's' send (len bytes), 'a' accept */
    size_t len;
    atomic_int started;
    ssize_t r;
    int err;
    char buf[65536];
};

static void *blocked_call(void *arg)
{
    struct blocked *b = arg;
    atomic_store(&b->started, 1);
    errno = 0;
    if (b->op == 'r')
        b->r = recv(b->fd, b->buf, sizeof b->buf, 0);
    else if (b->op == 's')
        b->r = send(b->fd, b->buf, b->len, MSG_NOSIGNAL);
    else
        b->r = accept(b->fd, NULL, NULL);
    b->err = errno;
    return NULL;
}

static void start(pthread_t *t, struct blocked *b)
{
    CHECK_EQ(pthread_create(t, NULL, blocked_call, b), 0);
    while (!atomic_load(&b->started))
        sched_yield();
    struct timespec ts = {0, 100 * 1000 * 1000}; /* let it block */
    nanosleep(&ts, NULL);
}

/* Gone for the peer: the association ends, as a closed socket's. */
static void expect_eof(int peer)
{
    char c[16];
    struct pollfd p = {peer, POLLIN, 0};
    CHECK_EQ(poll(&p, 1, 10000), 1);
    CHECK_EQ(recv(peer, c, sizeof c, 0), 0);
}

/* close() or dup2() over the descriptor: the way the socket leaves. */
static void drop(int fd, int by_dup2)
{
    if (!by_dup2) {
        CHECK_EQ(close(fd), 0);
        return;
    }
    int n = open("/dev/null", O_RDONLY);
    CHECK(n >= 0);
    CHECK_EQ(dup2(n, fd), fd);
    close(n);
    close(fd); /* now /dev/null's */
}

/* A recv blocked when its descriptor goes gets the data that comes. */
static void recv_survives(int port, int by_dup2)
{
    int lsn, cli, srv;
    t_pair(port, &lsn, &cli, &srv);
    struct blocked b = {.fd = srv, .op = 'r'};
    pthread_t t;
    start(&t, &b);
    drop(srv, by_dup2);
    /* The number is free for the next socket, as on Linux. */
    int again = socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP);
    CHECK(again >= 0);
    CHECK_EQ(send(cli, "after", 5, 0), 5);
    CHECK_EQ(pthread_join(t, NULL), 0);
    CHECK_EQ(b.r, 5);
    CHECK(memcmp(b.buf, "after", 5) == 0);
    /* ...and then the socket goes. */
    expect_eof(cli);
    close(again);
    close(cli);
    close(lsn);
}

/* A send blocked for room when its descriptor goes finishes once the
 * peer reads, and every byte arrives before the association ends. */
static void send_survives(int port, int by_dup2)
{
    int lsn, cli, srv;
    t_pair(port, &lsn, &cli, &srv);
    int fl = fcntl(cli, F_GETFL);
    CHECK_EQ(fcntl(cli, F_SETFL, fl | O_NONBLOCK), 0);
    char chunk[4096];
    size_t queued = 0;
    for (size_t i = 0; i < sizeof chunk; i++)
        chunk[i] = (char)i;
    while (send(cli, chunk, sizeof chunk, 0) == (ssize_t)sizeof chunk)
        queued += sizeof chunk;
    CHECK_EQ(errno, EAGAIN);
    CHECK_EQ(fcntl(cli, F_SETFL, fl), 0);
    struct blocked *b = calloc(1, sizeof *b);
    CHECK(b != NULL);
    b->fd = cli;
    b->op = 's';
    b->len = sizeof b->buf;
    memset(b->buf, 'z', sizeof b->buf);
    pthread_t t;
    start(&t, b);
    drop(cli, by_dup2);
    size_t total = 0, want = queued + sizeof b->buf;
    char buf[65536];
    for (;;) {
        ssize_t r = recv(srv, buf, sizeof buf, 0);
        CHECK(r >= 0);
        if (r == 0)
            break;
        total += (size_t)r;
    }
    CHECK_EQ(pthread_join(t, NULL), 0);
    CHECK_EQ(b->r, (ssize_t)sizeof b->buf);
    CHECK_EQ(total, want);
    free(b);
    close(srv);
    close(lsn);
}

/* close() and dup2() during a blocked recv and a blocked send. */
TEST(close_or_dup2_during_recv_or_send)
{
    recv_survives(t_port(0), 0);
    recv_survives(t_port(1), 1);
    send_survives(t_port(2), 0);
    send_survives(t_port(3), 1);
}

/* A blocked accept whose listener is closed still gets the connection
 * that comes (Linux keeps listening until the call returns). */
TEST(close_during_accept)
{
    int lsn = t_listener(SOCK_STREAM, t_port(4));
    struct blocked b = {.fd = lsn, .op = 'a'};
    pthread_t t;
    start(&t, &b);
    CHECK_EQ(close(lsn), 0);
    int cli = t_connect(SOCK_STREAM, t_port(4));
    CHECK_EQ(pthread_join(t, NULL), 0);
    CHECK((int)b.r >= 0);
    CHECK_EQ(send(cli, "x", 1, 0), 1);
    char c;
    CHECK_EQ(recv((int)b.r, &c, 1, 0), 1);
    close((int)b.r);
    close(cli);
}

/* With a receive timeout, the blocked call times out as usual. */
TEST(close_during_timed_recv)
{
    int lsn, cli, srv;
    t_pair(t_port(5), &lsn, &cli, &srv);
    struct timeval tv = {0, 300 * 1000};
    CHECK_EQ(setsockopt(srv, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv), 0);
    struct blocked b = {.fd = srv, .op = 'r'};
    pthread_t t;
    start(&t, &b);
    CHECK_EQ(close(srv), 0);
    CHECK_EQ(pthread_join(t, NULL), 0);
    CHECK_EQ(b.r, -1);
    CHECK_EQ(b.err, EAGAIN);
    expect_eof(cli);
    close(cli);
    close(lsn);
}

/* Many rounds of a close racing calls in other threads, at every
 * moment of their course: no crash (ASan: no use after free), and every
 * call returns. */
struct racer {
    int fd;
    atomic_int go;
};

static void *racer(void *arg)
{
    struct racer *r = arg;
    char buf[256];
    while (!atomic_load(&r->go))
        sched_yield();
    for (int i = 0; i < 50; i++) {
        send(r->fd, "y", 1, MSG_DONTWAIT | MSG_NOSIGNAL);
        recv(r->fd, buf, sizeof buf, MSG_DONTWAIT);
        int d;
        socklen_t l = sizeof d;
        getsockopt(r->fd, SOL_SOCKET, SO_SNDBUF, &d, &l);
    }
    return NULL;
}

TEST(close_races_calls)
{
    int lsn = t_listener(SOCK_STREAM, t_port(6));
    for (int round = 0; round < 200; round++) {
        int cli = t_connect(SOCK_STREAM, t_port(6));
        int srv = accept(lsn, NULL, NULL);
        CHECK(srv >= 0);
        struct racer r = {.fd = cli};
        pthread_t t[3];
        for (int i = 0; i < 3; i++)
            CHECK_EQ(pthread_create(&t[i], NULL, racer, &r), 0);
        atomic_store(&r.go, 1);
        for (volatile int spin = 0; spin < (round % 20) * 500; spin++)
            ;
        if (round % 2)
            drop(cli, 1);
        else
            close(cli);
        for (int i = 0; i < 3; i++)
            CHECK_EQ(pthread_join(t[i], NULL), 0);
        close(srv);
    }
    close(lsn);
}

int main(void)
{
    t_watchdog(100);
    RUN(close_or_dup2_during_recv_or_send);
    RUN(close_during_accept);
    RUN(close_during_timed_recv);
    RUN(close_races_calls);
    t_done("close_busy");
    return 0;
}
