/* Edge-triggered writers: every EAGAIN from a send is followed by a new
 * EPOLLOUT edge once room appears, as on Linux (where each freed chunk
 * wakes the writer).  The shim missed the edge when the stack moved
 * between the refused send and the mirror's update: the descriptor then
 * stayed writable with no transition to come, and the writer waited for
 * ever while poll() said writable.  Traffic the other way makes the stack
 * move often; the writer sends 1 byte to 64 KiB messages until EAGAIN,
 * then waits for its edge, ROUNDS times. */
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/epoll.h>

#include "testlib.h" /* <netinet/in.h> must come before <netinet/sctp.h> */

#include <netinet/sctp.h>

#define ROUNDS 2000

static atomic_int stop;

/* The peer reads everything (so room keeps appearing) and keeps
 * sending small messages back (so the writer's stack keeps calling). */
static void *peer(void *arg)
{
    int fd = *(int *)arg;
    static char buf[65536];
    while (!atomic_load(&stop)) {
        send(fd, "n", 1, MSG_DONTWAIT | MSG_NOSIGNAL);
        struct pollfd p = {fd, POLLIN, 0};
        if (poll(&p, 1, 1) == 1)
            while (recv(fd, buf, sizeof buf, MSG_DONTWAIT) > 0)
                ;
    }
    return NULL;
}

/* The writer's own incoming messages are read by another thread, which
 * keeps the way back open. */
static void *drain(void *arg)
{
    int fd = *(int *)arg;
    char buf[256];
    while (!atomic_load(&stop)) {
        struct pollfd p = {fd, POLLIN, 0};
        if (poll(&p, 1, 1) == 1)
            while (recv(fd, buf, sizeof buf, MSG_DONTWAIT) > 0)
                ;
    }
    return NULL;
}

/* When the edge does not come: where the association stands, seen from
 * one end (the window the peer offers, what waits unacknowledged). */
static void show_status(int fd, const char *end)
{
    struct sctp_status st = {0};
    union {
        struct sctp_assoc_ids ids;
        char b[sizeof(struct sctp_assoc_ids) + 4 * sizeof(sctp_assoc_t)];
    } list;
    socklen_t l = sizeof list;
    if (getsockopt(fd, SOL_SCTP, SCTP_GET_ASSOC_ID_LIST, &list, &l) == 0 &&
        list.ids.gaids_number_of_ids > 0)
        st.sstat_assoc_id = list.ids.gaids_assoc_id[0];
    l = sizeof st;
    if (getsockopt(fd, SOL_SCTP, SCTP_STATUS, &st, &l) < 0) {
        fprintf(stderr, "  %s: SCTP_STATUS: %s\n", end, strerror(errno));
        return;
    }
    fprintf(stderr, "  %s: state %d, peer rwnd %u, unacked %u, pending %u, "
            "primary cwnd %u, rto %u ms\n", end, st.sstat_state, st.sstat_rwnd,
            st.sstat_unackdata, st.sstat_penddata, st.sstat_primary.spinfo_cwnd,
            st.sstat_primary.spinfo_rto);
}

static void writer(int type, int port)
{
    int lsn = -1, cli, srv;
    struct sockaddr_in to = t_addr(port);
    if (type == SOCK_STREAM) {
        t_pair(port, &lsn, &cli, &srv);
    } else {
        srv = t_listener(SOCK_SEQPACKET, port);
        cli = socket(AF_INET, SOCK_SEQPACKET, IPPROTO_SCTP);
        CHECK(cli >= 0);
        CHECK_EQ(sendto(cli, "hello", 5, 0, (struct sockaddr *)&to, sizeof to), 5);
        char b[16];
        CHECK_EQ(recv(srv, b, sizeof b, 0), 5);
    }
    atomic_store(&stop, 0);
    pthread_t pt, dt;
    CHECK_EQ(pthread_create(&pt, NULL, peer, &srv), 0);
    CHECK_EQ(pthread_create(&dt, NULL, drain, &cli), 0);
    int ep = epoll_create1(EPOLL_CLOEXEC);
    CHECK(ep >= 0);
    struct epoll_event ev = {.events = EPOLLOUT | EPOLLET};
    CHECK_EQ(epoll_ctl(ep, EPOLL_CTL_ADD, cli, &ev), 0);
    static char msg[65536];
    memset(msg, 'w', sizeof msg);
    unsigned seed = 7;
    int eagains = 0;
    for (int round = 0; round < ROUNDS; round++) {
        struct epoll_event got;
        int n = epoll_wait(ep, &got, 1, 5000);
        if (n == 0) {
            struct pollfd p = {cli, POLLOUT, 0};
            fprintf(stderr, "  round %d: no EPOLLOUT edge for 5 s after "
                    "EAGAIN; poll() says %s\n", round,
                    poll(&p, 1, 0) == 1 ? "writable" : "not writable");
            show_status(cli, "writer");
            show_status(srv, "peer");
        }
        CHECK_EQ(n, 1);
        int nb = fcntl(cli, F_GETFL);
        CHECK_EQ(fcntl(cli, F_SETFL, round % 2 ? nb & ~O_NONBLOCK : nb | O_NONBLOCK), 0);
        ssize_t r;
        do {
            size_t len = 1 + rand_r(&seed) % sizeof msg;
            /* O_NONBLOCK and MSG_DONTWAIT in turns */
            int fl = round % 2 ? MSG_DONTWAIT : 0;
            r = type == SOCK_STREAM
                    ? send(cli, msg, len, fl)
                    : sendto(cli, msg, len, fl, (struct sockaddr *)&to, sizeof to);
        } while (r > 0);
        CHECK_EQ(errno, EAGAIN);
        eagains++;
    }
    atomic_store(&stop, 1);
    CHECK_EQ(pthread_join(pt, NULL), 0);
    CHECK_EQ(pthread_join(dt, NULL), 0);
    CHECK_EQ(eagains, ROUNDS);
    close(ep);
    close(cli);
    close(srv);
    if (lsn >= 0)
        close(lsn);
}

TEST(stream_writer_edges)
{
    writer(SOCK_STREAM, t_port(0));
}

TEST(seqpacket_writer_edges)
{
    writer(SOCK_SEQPACKET, t_port(1));
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    RUN(stream_writer_edges);
    RUN(seqpacket_writer_edges);
    t_done("epollet");
    return 0;
}
