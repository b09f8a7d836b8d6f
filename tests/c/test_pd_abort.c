/* usrsctp's timer thread against the program's reads.  An association
 * aborted while a program call holds a reference on it is freed later by
 * usrsctp's timer thread; if a partially delivered message of it was read
 * to its end in between, the reader freed it while it was still queued on
 * its stream, and the timer thread's sctp_free_assoc ->
 * sctp_clean_up_stream then walked freed memory (SIGSEGV in the timer
 * thread, about once in 20 runs of the events test).  Here a reader
 * thread reads a message larger than the receive buffer piece by piece
 * while the sender aborts, ROUNDS times; the shim's gate keeps program
 * calls and usrsctp's packet and timer work apart (usrsctp/gate.h). */
#include "testlib.h" /* <netinet/in.h> before <netinet/sctp.h> */

#include <netinet/sctp.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>

#define ROUNDS 500
#define BIG (256 * 1024)

struct reader {
    int fd;
    atomic_int pieces;     /* data pieces read */
    long got;
    int ended;             /* a partial delivery event, end of file or error */
};

static void *reader(void *arg)
{
    struct reader *r = arg;
    static __thread char buf[65536];
    double until = t_now() + 10;
    while (!r->ended && t_now() < until) {
        struct iovec iv = {buf, sizeof buf};
        struct msghdr m = {.msg_iov = &iv, .msg_iovlen = 1};
        ssize_t n = recvmsg(r->fd, &m, MSG_DONTWAIT);
        if (n < 0 && errno == EAGAIN)
            continue;
        if (n <= 0) {
            r->ended = 1; /* the association is gone */
        } else if (m.msg_flags & MSG_NOTIFICATION) {
            union sctp_notification *sn = (void *)buf;
            if (sn->sn_header.sn_type == SCTP_PARTIAL_DELIVERY_EVENT ||
                sn->sn_header.sn_type == SCTP_ASSOC_CHANGE)
                r->ended = sn->sn_header.sn_type == SCTP_PARTIAL_DELIVERY_EVENT ||
                           sn->sn_assoc_change.sac_state != SCTP_COMM_UP;
        } else {
            r->got += n;
            atomic_fetch_add(&r->pieces, 1);
        }
    }
    return NULL;
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    int lsn = t_listener(SOCK_STREAM, t_port(0));
    int rcvbuf = 65536;
    CHECK_EQ(setsockopt(lsn, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf), 0);
    struct sctp_event_subscribe ev = {.sctp_association_event = 1,
                                      .sctp_partial_delivery_event = 1};
    CHECK_EQ(setsockopt(lsn, SOL_SCTP, SCTP_EVENTS, &ev, sizeof ev), 0);
    char *big = malloc(BIG);
    CHECK(big != NULL);
    memset(big, 'p', BIG);
    unsigned seed = 99;
    int aborted_mid = 0;
    for (int round = 0; round < ROUNDS; round++) {
        int c = socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP);
        CHECK(c >= 0);
        int sndbuf = 1 << 20;
        CHECK_EQ(setsockopt(c, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf), 0);
        struct sockaddr_in a = t_addr(t_port(0));
        CHECK_EQ(connect(c, (struct sockaddr *)&a, sizeof a), 0);
        struct reader r = {.fd = accept(lsn, NULL, NULL)};
        CHECK(r.fd >= 0);
        pthread_t t;
        CHECK_EQ(pthread_create(&t, NULL, reader, &r), 0);
        CHECK_EQ(send(c, big, BIG, 0), BIG);
        /* Abort while the message is being read in pieces. */
        while (atomic_load(&r.pieces) < 1)
            sched_yield();
        struct timespec ts = {0, (long)(rand_r(&seed) % 2000) * 1000};
        nanosleep(&ts, NULL);
        struct linger lg = {1, 0};
        CHECK_EQ(setsockopt(c, SOL_SOCKET, SO_LINGER, &lg, sizeof lg), 0);
        CHECK_EQ(close(c), 0);
        CHECK_EQ(pthread_join(t, NULL), 0);
        CHECK(r.ended);
        if (r.got < BIG)
            aborted_mid++;
        close(r.fd);
    }
    /* usrsctp's timer frees what the rounds left, every 10 ms. */
    struct timespec ts = {0, 300 * 1000 * 1000};
    nanosleep(&ts, NULL);
    fprintf(stderr, "  %d of %d messages aborted part-way\n", aborted_mid, ROUNDS);
    CHECK(aborted_mid > 0);
    free(big);
    close(lsn);
    t_done("pd_abort");
    return 0;
}
