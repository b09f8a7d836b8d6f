/* Threads sharing sockets while others dup, dup2, poll, shut down and
 * close them: 8 threads send on one socket, 8 more on a socket each, a
 * reader per socket checks every message, and four more threads keep
 * doing to the same sockets what programs do from other threads.  Run
 * under ThreadSanitizer as well (scripts/test): the shim's own state must
 * be free of data races.
 *
 *   socket 0          shared by the 8 "shared" senders
 *   sockets 1..8      one sender each; 7 is shut down (SHUT_WR) and 8 is
 *                     replaced by a dup2 of /dev/null part-way
 * Every message a send reported sent arrives, whole, in order per
 * sender; the undisturbed sockets deliver all of them. */
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>

#include "testlib.h"

#define SENDERS 8
#define SOCKS (1 + SENDERS)
#define MSGS 1500
#define LEN 1024
#define SHUT_SOCK 7
#define DROP_SOCK 8

struct conn {
    int cli, srv;
    atomic_long sent[SENDERS + 1];  /* per sender id, messages sent */
    long got[SENDERS + 1];          /* per sender id, messages received */
    atomic_int bad;
    atomic_int ended;               /* its sender(s) stopped */
};

static struct conn conns[SOCKS];
static atomic_int stop_others;

static void fill(char *m, int sender, long seq)
{
    memcpy(m, &sender, sizeof sender);
    memcpy(m + sizeof sender, &seq, sizeof seq);
    for (int i = (int)(sizeof sender + sizeof seq); i < LEN; i++)
        m[i] = (char)(sender * 29 + seq * 3 + i);
}

struct sender {
    struct conn *c;
    int id;
};

static void *sender(void *arg)
{
    struct sender *s = arg;
    char m[LEN];
    for (long seq = 0; seq < MSGS; seq++) {
        fill(m, s->id, seq);
        ssize_t r = send(s->c->cli, m, LEN, MSG_NOSIGNAL);
        if (r < 0) {
            /* shut down (EPIPE) or replaced by /dev/null (ENOTSOCK) */
            CHECK(errno == EPIPE || errno == ENOTSOCK || errno == ECONNRESET);
            break;
        }
        CHECK_EQ(r, LEN);
        atomic_fetch_add(&s->c->sent[s->id], 1);
        if ((s->id == SHUT_SOCK || s->id == DROP_SOCK) && seq >= MSGS / 3) {
            /* slower from here: the disturber comes in mid-stream, however
             * busy the machine */
            struct timespec ts = {0, 200 * 1000};
            nanosleep(&ts, NULL);
        }
    }
    return NULL;
}

static void *reader(void *arg)
{
    struct conn *c = arg;
    char m[LEN + 16];
    for (;;) {
        ssize_t r = recv(c->srv, m, sizeof m, 0);
        if (r == 0)
            break;
        CHECK_EQ(r, LEN);
        int id;
        long seq;
        memcpy(&id, m, sizeof id);
        memcpy(&seq, m + sizeof id, sizeof seq);
        char want[LEN];
        if (id < 0 || id > SENDERS || seq != c->got[id]) {
            atomic_fetch_add(&c->bad, 1);
            continue;
        }
        fill(want, id, seq);
        if (memcmp(m, want, LEN) != 0)
            atomic_fetch_add(&c->bad, 1);
        c->got[id]++;
    }
    return NULL;
}

/* poll() on every socket, all the time. */
static void *poller(void *arg)
{
    (void)arg;
    while (!atomic_load(&stop_others)) {
        struct pollfd p[SOCKS];
        for (int i = 0; i < SOCKS; i++)
            p[i] = (struct pollfd){conns[i].cli, POLLIN | POLLOUT, 0};
        poll(p, SOCKS, 1);
    }
    return NULL;
}

/* More descriptors for the same sockets, and dup2 between them: each
 * time the last of them goes, only a reference goes. */
static void *dupper(void *arg)
{
    (void)arg;
    unsigned seed = 5;
    while (!atomic_load(&stop_others)) {
        int a = conns[rand_r(&seed) % 7].cli; /* not the ones that change */
        int b = conns[rand_r(&seed) % 7].cli;
        int da = dup(a), db = dup(b);
        CHECK(da >= 0 && db >= 0);
        CHECK_EQ(dup2(da, db), db);
        int opt = 0;
        socklen_t l = sizeof opt;
        CHECK_EQ(getsockopt(db, SOL_SOCKET, SO_SNDBUF, &opt, &l), 0);
        CHECK_EQ(close(da), 0);
        CHECK_EQ(close(db), 0);
    }
    return NULL;
}

/* Part-way: one socket is shut down, another replaced, while their
 * senders send. */
static void *disturber(void *arg)
{
    (void)arg;
    while (atomic_load(&conns[SHUT_SOCK].sent[SHUT_SOCK]) < MSGS / 3)
        sched_yield();
    CHECK_EQ(shutdown(conns[SHUT_SOCK].cli, SHUT_WR), 0);
    while (atomic_load(&conns[DROP_SOCK].sent[DROP_SOCK]) < MSGS / 3)
        sched_yield();
    int n = open("/dev/null", O_WRONLY | O_CLOEXEC);
    CHECK(n >= 0);
    /* The socket's last descriptor goes while its sender is in send(). */
    CHECK_EQ(dup2(n, conns[DROP_SOCK].cli), conns[DROP_SOCK].cli);
    close(n);
    return NULL;
}

int main(void)
{
    t_watchdog(280);
    int lsn = t_listener(SOCK_STREAM, t_port(0));
    for (int i = 0; i < SOCKS; i++) {
        conns[i].cli = t_connect(SOCK_STREAM, t_port(0));
        conns[i].srv = accept(lsn, NULL, NULL);
        CHECK(conns[i].srv >= 0);
    }
    pthread_t rd[SOCKS], sd[2 * SENDERS], ot[4];
    struct sender sa[2 * SENDERS];
    for (int i = 0; i < SOCKS; i++)
        CHECK_EQ(pthread_create(&rd[i], NULL, reader, &conns[i]), 0);
    for (int i = 0; i < SENDERS; i++) {
        sa[i] = (struct sender){&conns[0], i};              /* shared */
        sa[SENDERS + i] = (struct sender){&conns[1 + i], 1 + i}; /* own */
    }
    for (int i = 0; i < 2 * SENDERS; i++)
        CHECK_EQ(pthread_create(&sd[i], NULL, sender, &sa[i]), 0);
    CHECK_EQ(pthread_create(&ot[0], NULL, poller, NULL), 0);
    CHECK_EQ(pthread_create(&ot[1], NULL, poller, NULL), 0);
    CHECK_EQ(pthread_create(&ot[2], NULL, dupper, NULL), 0);
    CHECK_EQ(pthread_create(&ot[3], NULL, disturber, NULL), 0);
    for (int i = 0; i < 2 * SENDERS; i++)
        CHECK_EQ(pthread_join(sd[i], NULL), 0);
    CHECK_EQ(pthread_join(ot[3], NULL), 0);
    atomic_store(&stop_others, 1);
    for (int i = 0; i < 3; i++)
        CHECK_EQ(pthread_join(ot[i], NULL), 0);
    /* The ends: readers see end of file once everything is delivered. */
    for (int i = 0; i < SOCKS; i++)
        if (i != DROP_SOCK)
            CHECK_EQ(close(conns[i].cli), 0);
    close(conns[DROP_SOCK].cli); /* /dev/null's now */
    for (int i = 0; i < SOCKS; i++) {
        CHECK_EQ(pthread_join(rd[i], NULL), 0);
        CHECK_EQ(atomic_load(&conns[i].bad), 0);
        for (int id = 0; id <= SENDERS; id++)
            CHECK_EQ(conns[i].got[id], atomic_load(&conns[i].sent[id]));
        close(conns[i].srv);
    }
    for (int id = 0; id < SENDERS; id++)
        CHECK_EQ(conns[0].got[id], MSGS);
    for (int i = 1; i < SOCKS; i++)
        if (i != SHUT_SOCK && i != DROP_SOCK)
            CHECK_EQ(conns[i].got[i], MSGS);
    CHECK(conns[SHUT_SOCK].got[SHUT_SOCK] < MSGS);
    CHECK(conns[DROP_SOCK].got[DROP_SOCK] < MSGS);
    fprintf(stderr, "  shut down after %ld messages, replaced after %ld\n",
            conns[SHUT_SOCK].got[SHUT_SOCK], conns[DROP_SOCK].got[DROP_SOCK]);
    close(lsn);
    t_done("thread_mix");
    return 0;
}
