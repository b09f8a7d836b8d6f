/* sctp_peeloff and sctp_peeloff_flags (libsctp's SCTP_SOCKOPT_PEELOFF and
 * SCTP_SOCKOPT_PEELOFF_FLAGS): the association and its queued data on a
 * descriptor of their own, a socket like any other (poll, dup, close),
 * with Linux's rules: SO_TYPE SOCK_SEQPACKET but one-to-one in behaviour
 * (sends ignore msg_name and the association id), listen EINVAL, connect
 * EISCONN, peel-off from it (or from a one-to-one socket) EINVAL, and the
 * parent refused (EADDRNOTAVAIL) a new association with the same peer. */
#include "wirelib.h"

#include <fcntl.h>

static int port_of(int s)
{
    struct sockaddr_in a;
    socklen_t l = sizeof a;
    CHECK_EQ(getsockname(s, (struct sockaddr *)&a, &l), 0);
    return ntohs(a.sin_port);
}

static void recv_exact(int s, const char *body, int sid)
{
    struct pollfd p = {s, POLLIN, 0};
    CHECK_EQ(poll(&p, 1, 5000), 1);
    char buf[256];
    struct sctp_sndrcvinfo si;
    int flags = 0;
    memset(&si, 0, sizeof si);
    ssize_t n = sctp_recvmsg(s, buf, sizeof buf, NULL, NULL, &si, &flags);
    CHECK_EQ(n, (ssize_t)strlen(body));
    CHECK_EQ(memcmp(buf, body, (size_t)n), 0);
    CHECK(flags & MSG_EOR);
    CHECK_EQ(si.sinfo_stream, sid);
}

TEST(peeloff)
{
    int srv, cli;
    w_pair(&srv, &cli, 1);
    struct sockaddr_in to = t_addr(t_port(0));
    sctp_assoc_t sid, cid = w_associate(cli, srv, &to, "hello", &sid);
    /* Defaults of the association go with it. */
    struct sctp_sndrcvinfo d = {.sinfo_stream = 4, .sinfo_assoc_id = sid};
    CHECK_EQ(setsockopt(srv, SOL_SCTP, SCTP_DEFAULT_SEND_PARAM, &d, sizeof d), 0);
    /* Two messages wait on the server when it peels off. */
    struct sctp_sndrcvinfo si = {.sinfo_assoc_id = cid, .sinfo_stream = 1};
    CHECK_EQ(sctp_send(cli, "queued-1", 8, &si, 0), 8);
    CHECK_EQ(sctp_send(cli, "queued-2", 8, &si, 0), 8);
    struct pollfd pf = {srv, POLLIN, 0};
    CHECK_EQ(poll(&pf, 1, 5000), 1);
    usleep(100000);

    CHECK_ERR(sctp_peeloff(srv, sid + 1000), EINVAL);
    CHECK_ERR(sctp_peeloff(srv, 0), EINVAL);
    int p = sctp_peeloff(srv, sid);
    CHECK(p >= 0);
    int type = 0;
    socklen_t l = sizeof type;
    CHECK_EQ(getsockopt(p, SOL_SOCKET, SO_TYPE, &type, &l), 0);
    CHECK_EQ(type, SOCK_SEQPACKET);
    recv_exact(p, "queued-1", 1);
    recv_exact(p, "queued-2", 1);
    /* The parent has it no more. */
    uint32_t cnt = 9;
    l = sizeof cnt;
    CHECK_EQ(getsockopt(srv, SOL_SCTP, SCTP_GET_ASSOC_NUMBER, &cnt, &l), 0);
    CHECK_EQ(cnt, 0);
    struct sctp_status st;
    memset(&st, 0, sizeof st);
    st.sstat_assoc_id = sid;
    l = sizeof st;
    CHECK_ERR(getsockopt(srv, SOL_SCTP, SCTP_STATUS, &st, &l), EINVAL);
    /* The peeled socket: the same association, by any id. */
    memset(&st, 0, sizeof st);
    l = sizeof st;
    CHECK_EQ(getsockopt(p, SOL_SCTP, SCTP_STATUS, &st, &l), 0);
    CHECK_EQ(st.sstat_assoc_id, sid);
    CHECK_EQ(st.sstat_state, SCTP_ESTABLISHED);
    struct sctp_paddrinfo pi;
    memset(&pi, 0, sizeof pi);
    struct sockaddr_in cli_addr = t_addr(port_of(cli));
    memcpy(&pi.spinfo_address, &cli_addr, sizeof cli_addr);
    l = sizeof pi;
    CHECK_EQ(getsockopt(p, SOL_SCTP, SCTP_GET_PEER_ADDR_INFO, &pi, &l), 0);
    CHECK_EQ(pi.spinfo_assoc_id, sid);
    struct sctp_sndrcvinfo dq;
    memset(&dq, 0, sizeof dq);
    l = sizeof dq;
    CHECK_EQ(getsockopt(p, SOL_SCTP, SCTP_DEFAULT_SEND_PARAM, &dq, &l), 0);
    CHECK_EQ(dq.sinfo_stream, 4);

    /* Sends ignore msg_name and the association id. */
    struct sockaddr_in nowhere = t_addr(t_port(9));
    struct w_msg *m = malloc(sizeof *m);
    CHECK(m != NULL);
    CHECK_EQ(sendto(p, "peeled", 6, 0, (struct sockaddr *)&nowhere, sizeof nowhere), 6);
    w_expect_data(cli, m, "peeled", 4, 0, 5000);
    struct sctp_sndrcvinfo other = {.sinfo_assoc_id = sid + 1000, .sinfo_stream = 2};
    CHECK_EQ(sctp_send(p, "any id", 6, &other, 0), 6);
    w_expect_data(cli, m, "any id", 2, 0, 5000);
    /* And the peer's messages come here, not to the parent. */
    CHECK_EQ(sctp_send(cli, "after", 5, &si, 0), 5);
    recv_exact(p, "after", 1);
    CHECK_EQ(poll(&pf, 1, 200), 0);

    /* Linux's refusals. */
    CHECK_ERR(listen(p, 5), EINVAL);
    CHECK_ERR(connect(p, (struct sockaddr *)&cli_addr, sizeof cli_addr), EISCONN);
    CHECK_ERR(sctp_peeloff(p, sid), EINVAL);
    CHECK_ERR(accept(p, NULL, NULL), EOPNOTSUPP);
    CHECK_ERR(connect(srv, (struct sockaddr *)&cli_addr, sizeof cli_addr), EADDRNOTAVAIL);
    int one = t_listener(SOCK_STREAM, t_port(1));
    CHECK_ERR(sctp_peeloff(one, 0), EINVAL);
    close(one);

    /* dup, then close both: the association ends. */
    int q = dup(p);
    CHECK(q >= 0);
    close(p);
    CHECK_EQ(send(q, "dup", 3, 0), 3);
    w_expect_data(cli, m, "dup", 4, 0, 5000);
    close(q);
    union sctp_notification *n = w_expect_notif(cli, m, SCTP_ASSOC_CHANGE, 5000);
    CHECK_EQ(n->sn_assoc_change.sac_state, SCTP_SHUTDOWN_COMP);
    CHECK_EQ(n->sn_assoc_change.sac_assoc_id, cid);
    free(m);
    close(cli);
    close(srv);
}

/* Debian's libsctp 1.0.19 has no sctp_peeloff_flags: what newer ones do. */
static int peel_flags(int s, sctp_assoc_t id, unsigned flags)
{
    sctp_peeloff_flags_arg_t a = {.p_arg = {.associd = id}, .flags = flags};
    socklen_t l = sizeof a;
    int r = getsockopt(s, SOL_SCTP, SCTP_SOCKOPT_PEELOFF_FLAGS, &a, &l);
    if (r < 0)
        return -1;
    CHECK_EQ(r, a.p_arg.sd); /* the kernel returns it too */
    return a.p_arg.sd;
}

TEST(peeloff_flags)
{
    int srv = w_socket(t_port(2));
    int cli = w_socket(0);
    struct sctp_event_subscribe ev = {.sctp_data_io_event = 1,
                                      .sctp_association_event = 1};
    CHECK_EQ(setsockopt(srv, SOL_SCTP, SCTP_EVENTS, &ev, sizeof ev), 0);
    CHECK_EQ(setsockopt(cli, SOL_SCTP, SCTP_EVENTS, &ev, sizeof ev), 0);
    struct sockaddr_in to = t_addr(t_port(2));
    sctp_assoc_t sid;
    w_associate(cli, srv, &to, "hello", &sid);
    CHECK_ERR(peel_flags(srv, sid + 1000, 0), EINVAL);
    int p = peel_flags(srv, sid, SOCK_NONBLOCK | SOCK_CLOEXEC);
    CHECK(p >= 0);
    CHECK(fcntl(p, F_GETFL) & O_NONBLOCK);
    CHECK(fcntl(p, F_GETFD) & FD_CLOEXEC);
    char b[8];
    CHECK_ERR(recv(p, b, sizeof b, 0), EAGAIN);
    struct pollfd pw = {p, POLLOUT, 0};
    CHECK_EQ(poll(&pw, 1, 1000), 1);
    close(p);
    close(cli);
    close(srv);
}

int main(void)
{
    RUN(peeloff);
    RUN(peeloff_flags);
    t_done("test_peeloff");
    return 0;
}
