/* An association that dies by retransmission timeout (run by
 * tests/net/netns_run.sh in a private network namespace): every packet
 * is dropped while a message waits for its acknowledgement, with a small
 * RTO and retransmission limit.  As on Linux, the receive reports
 * ETIMEDOUT once (never an end of file) and ENOTCONN after it; the send,
 * by the man pages' rule, ETIMEDOUT once and then EPIPE. */
#include "wirelib.h"

#include <poll.h>
#include <pthread.h>

static void quick_failure(int s)
{
    struct sctp_rtoinfo rto = {.srto_initial = 100, .srto_max = 200,
                               .srto_min = 100};
    CHECK_EQ(setsockopt(s, SOL_SCTP, SCTP_RTOINFO, &rto, sizeof rto), 0);
    struct sctp_assocparams ap = {.sasoc_asocmaxrxt = 3};
    CHECK_EQ(setsockopt(s, SOL_SCTP, SCTP_ASSOCINFO, &ap, sizeof ap), 0);
}

struct reader {
    int fd;
    ssize_t r;
    int err;
};

static void *blocked_recv(void *arg)
{
    struct reader *rd = arg;
    char buf[64];
    rd->r = recv(rd->fd, buf, sizeof buf, 0);
    rd->err = errno;
    return NULL;
}

/* Sets up a one-to-one pair whose client gives up quickly. */
static void pair(int port, int lsn, int *cli, int *srv)
{
    *cli = socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP);
    CHECK(*cli >= 0);
    quick_failure(*cli);
    struct sockaddr_in a = t_addr(port);
    CHECK_EQ(connect(*cli, (struct sockaddr *)&a, sizeof a), 0);
    *srv = accept(lsn, NULL, NULL);
    CHECK(*srv >= 0);
    CHECK_EQ(send(*cli, "up", 2, 0), 2);
    char buf[8];
    CHECK_EQ(recv(*srv, buf, sizeof buf, 0), 2);
}

static void drop_server(int srv)
{
    struct linger lg = {1, 0};
    CHECK_EQ(setsockopt(srv, SOL_SOCKET, SO_LINGER, &lg, sizeof lg), 0);
    close(srv);
}

int main(void)
{
    char buf[64];
    int cli, srv;
    int lsn = t_listener(SOCK_STREAM, t_port(0));

    /* A reader blocked in recv while the association times out. */
    pair(t_port(0), lsn, &cli, &srv);
    struct reader rd = {.fd = cli};
    pthread_t th;
    CHECK_EQ(pthread_create(&th, NULL, blocked_recv, &rd), 0);
    w_iptables("-A INPUT -p udp -j DROP");
    double t0 = t_now();
    CHECK_EQ(send(cli, "held", 4, 0), 4);
    pthread_join(th, NULL);
    fprintf(stderr, "  blocked recv returned after %.1f s\n", t_now() - t0);
    errno = rd.err;
    CHECK_EQ(rd.r, -1);
    CHECK_EQ(rd.err, ETIMEDOUT);
    CHECK_ERR(recv(cli, buf, sizeof buf, 0), ENOTCONN);
    CHECK_ERR(recv(cli, buf, sizeof buf, MSG_DONTWAIT), ENOTCONN);
    CHECK_ERR(send(cli, "x", 1, MSG_NOSIGNAL), ETIMEDOUT);
    CHECK_ERR(send(cli, "x", 1, MSG_NOSIGNAL), EPIPE);
    w_iptables("-D INPUT -p udp -j DROP");
    close(cli);
    drop_server(srv);

    /* The sender learns it first; the receive still reports it once. */
    pair(t_port(0), lsn, &cli, &srv);
    w_iptables("-A INPUT -p udp -j DROP");
    CHECK_EQ(send(cli, "held", 4, 0), 4);
    struct pollfd p = {cli, POLLIN, 0};
    CHECK_EQ(poll(&p, 1, 20000), 1);
    ssize_t r;
    for (int i = 0; i < 200; i++) {
        r = send(cli, "x", 1, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (r < 0 && errno != EAGAIN)
            break;
        struct timespec ts = {0, 50 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    CHECK_EQ(r, -1);
    CHECK_EQ(errno, ETIMEDOUT);
    CHECK_ERR(send(cli, "x", 1, MSG_NOSIGNAL), EPIPE);
    CHECK_ERR(recv(cli, buf, sizeof buf, 0), ETIMEDOUT);
    CHECK_ERR(recv(cli, buf, sizeof buf, 0), ENOTCONN);
    w_iptables("-D INPUT -p udp -j DROP");
    close(cli);
    drop_server(srv);
    close(lsn);
    t_done("wire_timeout");
    return 0;
}
