/* Several threads receiving and sending on one socket, as programs with
 * a pool of workers do.  usrsctp's userland build has no receive-buffer
 * lock (sblock), so two threads in usrsctp_recvv on one socket corrupted
 * its queue; the shim serialises calls per socket as the kernel's socket
 * lock does.  8 threads send tagged messages and receive on one socket
 * (one-to-one, then one-to-many), and 8 more on a socket each; a peer
 * thread echoes every message.  Every message must come back exactly
 * once, whole (MSG_EOR) and byte for byte. */
#include "testlib.h" /* <netinet/in.h> before <netinet/sctp.h> */

#include <netinet/sctp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>

#define THREADS 8
#define PER_THREAD 1500
#define MAXLEN 1800

struct tag {
    uint32_t thread, seq, len;
};

static void fill(char *buf, const struct tag *t)
{
    memcpy(buf, t, sizeof *t);
    for (uint32_t i = sizeof *t; i < t->len; i++)
        buf[i] = (char)(t->thread * 31 + t->seq * 7 + i);
}

static int intact(const char *buf, size_t n)
{
    struct tag t;
    if (n < sizeof t)
        return 0;
    memcpy(&t, buf, sizeof t);
    if (t.len != n || t.thread >= THREADS || t.seq >= PER_THREAD)
        return 0;
    for (uint32_t i = sizeof t; i < t.len; i++)
        if (buf[i] != (char)(t.thread * 31 + t.seq * 7 + i))
            return 0;
    return 1;
}

struct shared {
    int fd;                      /* the socket the workers use */
    int one_to_many;
    struct sockaddr_in peer;     /* one-to-many: where to send */
    atomic_int sent;             /* messages out, over all workers */
    atomic_int received;         /* messages back, over all workers */
    atomic_uchar seen[THREADS][PER_THREAD];
    atomic_int bad;
};

struct worker {
    struct shared *sh;
    int id;
};

static void *worker(void *arg)
{
    struct worker *w = arg;
    struct shared *sh = w->sh;
    char out[MAXLEN], in[MAXLEN + 64];
    unsigned seed = (unsigned)w->id * 2654435761u;
    int sent = 0;
    /* Send and receive in turns, with a bounded number of messages on
     * the way, so the echo never waits for room that only a receive
     * would make while every worker waits in send. */
    while (atomic_load(&sh->received) < THREADS * PER_THREAD) {
        int ahead = atomic_load(&sh->sent) - atomic_load(&sh->received);
        if (sent < PER_THREAD && ahead < 32) {
            struct tag t = {(uint32_t)w->id, (uint32_t)sent,
                            (uint32_t)(sizeof t + rand_r(&seed) % (MAXLEN - sizeof t))};
            fill(out, &t);
            ssize_t r = sh->one_to_many
                            ? sendto(sh->fd, out, t.len, 0,
                                     (struct sockaddr *)&sh->peer, sizeof sh->peer)
                            : send(sh->fd, out, t.len, 0);
            CHECK_EQ(r, t.len);
            sent++;
            atomic_fetch_add(&sh->sent, 1);
        }
        struct pollfd p = {sh->fd, POLLIN, 0};
        if (poll(&p, 1, sent < PER_THREAD && ahead < 32 ? 0 : 50) != 1)
            continue;
        struct iovec iv = {in, sizeof in};
        struct msghdr m = {.msg_iov = &iv, .msg_iovlen = 1};
        ssize_t r = recvmsg(sh->fd, &m, MSG_DONTWAIT);
        if (r < 0) {
            CHECK_EQ(errno, EAGAIN); /* another worker took it */
            continue;
        }
        struct tag t;
        if (!(m.msg_flags & MSG_EOR) || !intact(in, (size_t)r)) {
            atomic_fetch_add(&sh->bad, 1);
            continue;
        }
        memcpy(&t, in, sizeof t);
        if (atomic_fetch_add(&sh->seen[t.thread][t.seq], 1) != 0)
            atomic_fetch_add(&sh->bad, 1);
        atomic_fetch_add(&sh->received, 1);
    }
    return NULL;
}

/* The peer: sends every message back where it came from. */
struct echo {
    int fd;
    int one_to_many;
    atomic_int stop;
};

static void *echo(void *arg)
{
    struct echo *e = arg;
    char buf[MAXLEN + 64];
    while (!atomic_load(&e->stop)) {
        struct pollfd p = {e->fd, POLLIN, 0};
        if (poll(&p, 1, 50) != 1)
            continue;
        struct sockaddr_in from;
        socklen_t fl = sizeof from;
        ssize_t r = recvfrom(e->fd, buf, sizeof buf, MSG_DONTWAIT,
                             (struct sockaddr *)&from, &fl);
        if (r <= 0)
            continue;
        ssize_t w = e->one_to_many
                        ? sendto(e->fd, buf, (size_t)r, 0, (struct sockaddr *)&from, fl)
                        : send(e->fd, buf, (size_t)r, 0);
        CHECK_EQ(w, r);
    }
    return NULL;
}

/* Small messages back and forth: without SCTP_NODELAY, Nagle's wait
 * for a SACK that the peer delays (200 ms) paces the exchange. */
static void nodelay(int fd)
{
    int one = 1;
    CHECK_EQ(setsockopt(fd, IPPROTO_SCTP, SCTP_NODELAY, &one, sizeof one), 0);
}

static void run_workers(struct shared **sh, int nsh)
{
    pthread_t t[THREADS];
    struct worker w[THREADS];
    for (int i = 0; i < THREADS; i++) {
        w[i].sh = sh[i % nsh];
        w[i].id = i;
        CHECK_EQ(pthread_create(&t[i], NULL, worker, &w[i]), 0);
    }
    for (int i = 0; i < THREADS; i++)
        CHECK_EQ(pthread_join(t[i], NULL), 0);
}

static void check_all_back(struct shared *sh, int threads)
{
    CHECK_EQ(atomic_load(&sh->bad), 0);
    for (int i = 0; i < threads; i++)
        for (int j = 0; j < PER_THREAD; j++)
            CHECK_EQ(atomic_load(&sh->seen[i][j]), 1);
}

TEST(eight_on_one_stream_socket)
{
    int lsn, cli, srv;
    t_pair(t_port(0), &lsn, &cli, &srv);
    nodelay(cli);
    nodelay(srv);
    struct echo e = {.fd = srv};
    pthread_t et;
    CHECK_EQ(pthread_create(&et, NULL, echo, &e), 0);
    struct shared *sh = calloc(1, sizeof *sh);
    CHECK(sh != NULL);
    sh->fd = cli;
    run_workers(&sh, 1);
    atomic_store(&e.stop, 1);
    CHECK_EQ(pthread_join(et, NULL), 0);
    CHECK_EQ(atomic_load(&sh->received), THREADS * PER_THREAD);
    check_all_back(sh, THREADS);
    free(sh);
    close(cli);
    close(srv);
    close(lsn);
}

TEST(eight_on_one_seqpacket_socket)
{
    int srv = t_listener(SOCK_SEQPACKET, t_port(1));
    int cli = socket(AF_INET, SOCK_SEQPACKET, IPPROTO_SCTP);
    CHECK(cli >= 0);
    nodelay(cli);
    nodelay(srv);
    struct echo e = {.fd = srv, .one_to_many = 1};
    pthread_t et;
    CHECK_EQ(pthread_create(&et, NULL, echo, &e), 0);
    struct shared *sh = calloc(1, sizeof *sh);
    CHECK(sh != NULL);
    sh->fd = cli;
    sh->one_to_many = 1;
    sh->peer = t_addr(t_port(1));
    run_workers(&sh, 1);
    atomic_store(&e.stop, 1);
    CHECK_EQ(pthread_join(et, NULL), 0);
    check_all_back(sh, THREADS);
    free(sh);
    close(cli);
    close(srv);
}

/* A socket each: the threads share only the stack. */
TEST(eight_on_eight_sockets)
{
    int lsn = t_listener(SOCK_STREAM, t_port(2));
    struct shared *sh[THREADS];
    struct echo e[THREADS];
    pthread_t et[THREADS];
    int srv[THREADS];
    for (int i = 0; i < THREADS; i++) {
        sh[i] = calloc(1, sizeof *sh[i]);
        CHECK(sh[i] != NULL);
        sh[i]->fd = t_connect(SOCK_STREAM, t_port(2));
        srv[i] = accept(lsn, NULL, NULL);
        CHECK(srv[i] >= 0);
        nodelay(sh[i]->fd);
        nodelay(srv[i]);
        e[i] = (struct echo){.fd = srv[i]};
        CHECK_EQ(pthread_create(&et[i], NULL, echo, &e[i]), 0);
    }
    /* Each worker i is the only one on sh[i]: its tags say thread i. */
    pthread_t t[THREADS];
    struct worker w[THREADS];
    for (int i = 0; i < THREADS; i++) {
        w[i] = (struct worker){sh[i], i};
        /* a worker stops once its block has all THREADS * PER_THREAD */
        atomic_store(&sh[i]->received, (THREADS - 1) * PER_THREAD);
        atomic_store(&sh[i]->sent, (THREADS - 1) * PER_THREAD);
        CHECK_EQ(pthread_create(&t[i], NULL, worker, &w[i]), 0);
    }
    for (int i = 0; i < THREADS; i++)
        CHECK_EQ(pthread_join(t[i], NULL), 0);
    for (int i = 0; i < THREADS; i++) {
        atomic_store(&e[i].stop, 1);
        CHECK_EQ(pthread_join(et[i], NULL), 0);
        CHECK_EQ(atomic_load(&sh[i]->bad), 0);
        for (int j = 0; j < PER_THREAD; j++)
            CHECK_EQ(atomic_load(&sh[i]->seen[i][j]), 1);
        close(sh[i]->fd);
        close(srv[i]);
        free(sh[i]);
    }
    close(lsn);
}

int main(void)
{
    t_watchdog(150);
    RUN(eight_on_one_stream_socket);
    RUN(eight_on_one_seqpacket_socket);
    RUN(eight_on_eight_sockets);
    t_done("recv_threads");
    return 0;
}
