/* Signals during blocking calls, as the kernel has them: a timer signal
 * at 10 kHz aimed at the thread in a blocking send, recv, accept or
 * connect.  Without SA_RESTART the call may fail with EINTR, and nothing
 * is lost or doubled by it; with SA_RESTART, recv, send and accept never
 * fail with EINTR, and a connect is restarted, which on Linux finds the
 * association under way: EALREADY (or EISCONN), as __sctp_connect says.
 * A receive timeout makes any signal an EINTR (sock_intr_errno). */
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <time.h>

#include "testlib.h"

static atomic_long handled;

static void on_tick(int sig)
{
    (void)sig;
    atomic_fetch_add(&handled, 1);
}

static timer_t timer;

/* SIGALRM every 100 us to this thread, with or without SA_RESTART. */
static void ticks_start(int restart)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_tick;
    sa.sa_flags = restart ? SA_RESTART : 0;
    CHECK_EQ(sigaction(SIGALRM, &sa, NULL), 0);
    struct sigevent sev;
    memset(&sev, 0, sizeof sev);
    sev.sigev_notify = SIGEV_THREAD_ID;
    sev.sigev_signo = SIGALRM;
    sev._sigev_un._tid = (pid_t)syscall(SYS_gettid); /* sigev_notify_thread_id */
    CHECK_EQ(timer_create(CLOCK_MONOTONIC, &sev, &timer), 0);
    struct itimerspec its = {{0, 100000}, {0, 100000}};
    CHECK_EQ(timer_settime(timer, 0, &its, NULL), 0);
}

static void ticks_stop(void)
{
    CHECK_EQ(timer_delete(timer), 0);
}

/* Helper threads leave the signal to the thread under test. */
static void start_helper(pthread_t *t, void *(*fn)(void *), void *arg)
{
    sigset_t s, old;
    sigemptyset(&s);
    sigaddset(&s, SIGALRM);
    pthread_sigmask(SIG_BLOCK, &s, &old);
    CHECK_EQ(pthread_create(t, NULL, fn, arg), 0);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
}

static void pause_us(unsigned *seed, int max)
{
    struct timespec ts = {0, (long)(rand_r(seed) % (unsigned)max) * 1000L};
    nanosleep(&ts, NULL);
}

#define RECV_MSGS 2000
#define SEND_MSGS 150
#define BIG 65536
#define ACCEPTS 40

struct peer {
    int fd;
    int port;
};

/* One round: a helper thread plays the other side while signals come. */
struct round {
    int restart;
    pthread_t helper;
    struct peer peer;
    long eintr, h0;
};

static void round_start(struct round *r, int restart, void *(*fn)(void *))
{
    r->restart = restart;
    r->eintr = 0;
    start_helper(&r->helper, fn, &r->peer);
    ticks_start(restart);
    r->h0 = atomic_load(&handled);
}

/* The call returned n: says whether it was interrupted, which only a
 * call without SA_RESTART may be. */
static int interrupted(struct round *r, long n)
{
    if (n >= 0)
        return 0;
    CHECK_EQ(errno, EINTR);
    CHECK(!r->restart);
    r->eintr++;
    return 1;
}

/* The signals stop, the helper is done; without SA_RESTART the signals
 * did interrupt the call. */
static void round_done(struct round *r)
{
    ticks_stop();
    CHECK_EQ(pthread_join(r->helper, NULL), 0);
    fprintf(stderr, "    %ld signals handled, %ld EINTR\n",
            atomic_load(&handled) - r->h0, r->eintr);
    CHECK(r->restart || r->eintr > 0);
}

static void *trickle_sender(void *arg)
{
    struct peer *p = arg;
    unsigned seed = 3;
    char m[2048];
    for (uint32_t i = 0; i < RECV_MSGS; i++) {
        size_t len = 4 + rand_r(&seed) % (sizeof m - 4);
        memcpy(m, &i, 4);
        memset(m + 4, (char)i, len - 4);
        CHECK_EQ(send(p->fd, m, len, 0), len);
        if (i % 4 == 0)
            pause_us(&seed, 300);
    }
    return NULL;
}

static void recv_under_signals(int restart, int port)
{
    int lsn, cli, srv;
    t_pair(port, &lsn, &cli, &srv);
    struct round rd = {.peer.fd = cli};
    round_start(&rd, restart, trickle_sender);
    char m[4096];
    for (uint32_t i = 0; i < RECV_MSGS;) {
        ssize_t r = recv(srv, m, sizeof m, 0);
        if (interrupted(&rd, r))
            continue;
        uint32_t seq;
        CHECK(r >= 4);
        memcpy(&seq, m, 4);
        CHECK_EQ(seq, i); /* none lost, none twice */
        for (ssize_t k = 4; k < r; k++)
            CHECK_EQ(m[k], (char)i);
        i++;
    }
    round_done(&rd);
    close(cli);
    close(srv);
    close(lsn);
}

TEST(recv_eintr_or_restart)
{
    fprintf(stderr, "   without SA_RESTART\n");
    recv_under_signals(0, t_port(0));
    fprintf(stderr, "   with SA_RESTART\n");
    recv_under_signals(1, t_port(1));
}

static void *slow_reader(void *arg)
{
    struct peer *p = arg;
    static char m[BIG];
    unsigned seed = 4;
    for (uint32_t i = 0; i < SEND_MSGS; i++) {
        size_t got = 0;
        while (got < BIG) { /* a message may come in pieces */
            ssize_t r = recv(p->fd, m + got, BIG - got, 0);
            CHECK(r > 0);
            got += (size_t)r;
        }
        uint32_t seq;
        memcpy(&seq, m, 4);
        CHECK_EQ(seq, i);
        CHECK_EQ(m[BIG - 1], (char)i);
        pause_us(&seed, 2000);
    }
    return NULL;
}

static void send_under_signals(int restart, int port)
{
    int lsn, cli, srv;
    t_pair(port, &lsn, &cli, &srv);
    struct round rd = {.peer.fd = srv};
    round_start(&rd, restart, slow_reader);
    static char m[BIG];
    for (uint32_t i = 0; i < SEND_MSGS;) {
        memcpy(m, &i, 4);
        memset(m + 4, (char)i, BIG - 4);
        ssize_t r = send(cli, m, BIG, 0);
        if (interrupted(&rd, r)) /* and nothing of it sent */
            continue;
        CHECK_EQ(r, BIG);
        i++;
    }
    round_done(&rd);
    close(cli);
    close(srv);
    close(lsn);
}

TEST(send_eintr_or_restart)
{
    fprintf(stderr, "   without SA_RESTART\n");
    send_under_signals(0, t_port(2));
    fprintf(stderr, "   with SA_RESTART\n");
    send_under_signals(1, t_port(3));
}

static void *connector(void *arg)
{
    struct peer *p = arg;
    unsigned seed = 5;
    for (int i = 0; i < ACCEPTS; i++) {
        pause_us(&seed, 3000);
        int c = t_connect(SOCK_STREAM, p->port);
        char b = (char)i;
        CHECK_EQ(send(c, &b, 1, 0), 1);
        CHECK_EQ(recv(c, &b, 1, 0), 0); /* the server closes */
        close(c);
    }
    return NULL;
}

static void accept_under_signals(int restart, int port)
{
    int lsn = t_listener(SOCK_STREAM, port);
    struct round rd = {.peer.port = port};
    round_start(&rd, restart, connector);
    for (int i = 0; i < ACCEPTS;) {
        int s = accept(lsn, NULL, NULL);
        if (interrupted(&rd, s))
            continue;
        char b;
        ssize_t r;
        while ((r = recv(s, &b, 1, 0)) < 0 && errno == EINTR && !restart)
            ;
        CHECK_EQ(r, 1);
        CHECK_EQ(b, (char)i);
        close(s);
        i++;
    }
    round_done(&rd);
    close(lsn);
}

TEST(accept_eintr_or_restart)
{
    fprintf(stderr, "   without SA_RESTART\n");
    accept_under_signals(0, t_port(4));
    fprintf(stderr, "   with SA_RESTART\n");
    accept_under_signals(1, t_port(5));
}

/* A peer that listens, and is stopped while a connect waits for it. */
static int role_listener(void)
{
    int lsn = t_listener(SOCK_STREAM, t_port(6));
    t_ready();
    int s = accept(lsn, NULL, NULL);
    CHECK(s >= 0);
    char b;
    CHECK_EQ(recv(s, &b, 1, 0), 1);
    CHECK_EQ(send(s, &b, 1, 0), 1);
    CHECK_EQ(recv(s, &b, 1, 0), 0);
    return 0;
}

/* Bounds the test on a shim that never lets the signal end connect(). */
static void *unstopper(void *arg)
{
    struct timespec ts = {3, 0};
    nanosleep(&ts, NULL);
    kill(*(pid_t *)arg, SIGCONT);
    return NULL;
}

static void connect_under_signals(int restart)
{
    pid_t peer = t_spawn_ready("listener");
    CHECK_EQ(kill(peer, SIGSTOP), 0);
    pthread_t u;
    start_helper(&u, unstopper, &peer);
    int c = socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP);
    CHECK(c >= 0);
    struct sockaddr_in a = t_addr(t_port(6));
    ticks_start(restart);
    double t0 = t_now();
    int r = connect(c, (struct sockaddr *)&a, sizeof a);
    int e = errno;
    double took = t_now() - t0;
    ticks_stop();
    CHECK_EQ(kill(peer, SIGCONT), 0);
    /* The peer cannot answer while stopped: the first signal ends the
     * call, restarted or not. */
    CHECK_EQ(r, -1);
    CHECK_EQ(e, restart ? EALREADY : EINTR);
    CHECK(took < 1.0);
    /* The association comes up once the peer runs again. */
    struct pollfd pf = {c, POLLOUT, 0};
    CHECK_EQ(poll(&pf, 1, 10000), 1);
    int err = -1;
    socklen_t l = sizeof err;
    CHECK_EQ(getsockopt(c, SOL_SOCKET, SO_ERROR, &err, &l), 0);
    CHECK_EQ(err, 0);
    CHECK_ERR(connect(c, (struct sockaddr *)&a, sizeof a), EISCONN);
    char b = 'c';
    CHECK_EQ(send(c, &b, 1, 0), 1);
    CHECK_EQ(recv(c, &b, 1, 0), 1);
    CHECK_EQ(b, 'c');
    close(c);
    t_wait_ok(peer);
    CHECK_EQ(pthread_join(u, NULL), 0);
}

TEST(connect_eintr_or_restart)
{
    connect_under_signals(0);
    connect_under_signals(1);
}

/* With a receive timeout the kernel never restarts: EINTR, even with
 * SA_RESTART, at the first signal. */
TEST(timeout_means_eintr)
{
    int lsn, cli, srv;
    t_pair(t_port(7), &lsn, &cli, &srv);
    struct timeval tv = {5, 0};
    CHECK_EQ(setsockopt(srv, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv), 0);
    ticks_start(1);
    char b;
    double t0 = t_now();
    CHECK_ERR(recv(srv, &b, 1, 0), EINTR);
    ticks_stop();
    CHECK(t_now() - t0 < 1.0);
    close(cli);
    close(srv);
    close(lsn);
}

int main(int argc, char **argv)
{
    signal(SIGPIPE, SIG_IGN);
    if (t_role(argc, argv))
        return role_listener();
    RUN(recv_eintr_or_restart);
    RUN(send_eintr_or_restart);
    RUN(accept_eintr_or_restart);
    RUN(connect_eintr_or_restart);
    RUN(timeout_means_eintr);
    t_done("signals");
    return 0;
}
