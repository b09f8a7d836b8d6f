/* SCTPSHIM_TCP (sctpshim --tcp): with TEST_EXPECT=sctp, TCP sockets are
 * SCTP one-to-one sockets: SO_PROTOCOL 132, the TCP calls work on them
 * and the peer is an SCTP association (SCTP_STATUS), TCP_NODELAY is
 * SCTP_NODELAY both ways, every other TCP option fails with ENOPROTOOPT
 * as the kernel answers on SCTP, and UDP and AF_UNIX sockets stay what
 * they are.  With TEST_EXPECT=tcp (no SCTPSHIM_TCP) they stay TCP. */
#include "testlib.h" /* <netinet/in.h> must come before <netinet/sctp.h> */

#include <netinet/sctp.h>
#include <netinet/tcp.h>

static int proto_of(int fd)
{
    int p = -1;
    socklen_t l = sizeof p;
    CHECK_EQ(getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &p, &l), 0);
    return p;
}

static int get_int(int fd, int level, int name)
{
    int v = -1;
    socklen_t l = sizeof v;
    CHECK_EQ(getsockopt(fd, level, name, &v, &l), 0);
    CHECK_EQ(l, sizeof v);
    return v;
}

TEST(tcp_stays_tcp)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    CHECK(s >= 0);
    CHECK_EQ(proto_of(s), IPPROTO_TCP);
    close(s);
}

TEST(which_sockets)
{
    int a = socket(AF_INET, SOCK_STREAM, 0);
    int b = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, IPPROTO_TCP);
    int u = socket(AF_INET, SOCK_DGRAM, 0);
    int x = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK(a >= 0 && b >= 0 && u >= 0 && x >= 0);
    CHECK_EQ(proto_of(a), IPPROTO_SCTP);
    CHECK_EQ(proto_of(b), IPPROTO_SCTP);
    CHECK_EQ(get_int(a, SOL_SOCKET, SO_TYPE), SOCK_STREAM);
    CHECK_EQ(get_int(b, SOL_SOCKET, SO_DOMAIN), AF_INET6);
    CHECK_EQ(proto_of(u), IPPROTO_UDP);
    CHECK_EQ(get_int(x, SOL_SOCKET, SO_DOMAIN), AF_UNIX);
    close(a);
    close(b);
    close(u);
    close(x);
}

TEST(options)
{
    int s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    CHECK(s >= 0);
    int one = 1, zero = 0;
    CHECK_EQ(get_int(s, IPPROTO_TCP, TCP_NODELAY), 0);
    CHECK_EQ(setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one), 0);
    CHECK_EQ(get_int(s, IPPROTO_TCP, TCP_NODELAY), 1);
    CHECK_EQ(get_int(s, IPPROTO_SCTP, SCTP_NODELAY), 1);
    CHECK_EQ(setsockopt(s, IPPROTO_SCTP, SCTP_NODELAY, &zero, sizeof zero), 0);
    CHECK_EQ(get_int(s, IPPROTO_TCP, TCP_NODELAY), 0);
    CHECK_ERR(setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, 1), EINVAL);
    /* What the kernel says to TCP options on an SCTP socket. */
    int idle = 60;
    CHECK_ERR(setsockopt(s, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof idle), ENOPROTOOPT);
    CHECK_ERR(setsockopt(s, IPPROTO_TCP, TCP_CORK, &one, sizeof one), ENOPROTOOPT);
    CHECK_ERR(setsockopt(s, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof one), ENOPROTOOPT);
    int v;
    socklen_t l = sizeof v;
    CHECK_ERR(getsockopt(s, IPPROTO_TCP, TCP_MAXSEG, &v, &l), ENOPROTOOPT);
    struct tcp_info ti;
    l = sizeof ti;
    CHECK_ERR(getsockopt(s, IPPROTO_TCP, TCP_INFO, &ti, &l), ENOPROTOOPT);
    /* SO_KEEPALIVE, which TCP programs set with those, is accepted. */
    CHECK_EQ(setsockopt(s, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof one), 0);
    close(s);
}

TEST(tcp_calls_make_an_association)
{
    int l = socket(AF_INET, SOCK_STREAM, 0);
    CHECK(l >= 0);
    int one = 1;
    CHECK_EQ(setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one), 0);
    struct sockaddr_in a = t_addr(t_port(0));
    CHECK_EQ(bind(l, (struct sockaddr *)&a, sizeof a), 0);
    CHECK_EQ(listen(l, 4), 0);
    int c = socket(AF_INET, SOCK_STREAM, 0);
    CHECK(c >= 0);
    CHECK_EQ(setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one), 0);
    CHECK_EQ(connect(c, (struct sockaddr *)&a, sizeof a), 0);
    int s = accept(l, NULL, NULL);
    CHECK(s >= 0);
    CHECK_EQ(proto_of(s), IPPROTO_SCTP);
    /* Accepted from a --tcp listener: its TCP options map too. */
    CHECK_EQ(setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one), 0);
    CHECK_EQ(get_int(s, IPPROTO_SCTP, SCTP_NODELAY), 1);
    CHECK_EQ(send(c, "over sctp", 9, 0), 9);
    char buf[16];
    CHECK_EQ(recv(s, buf, sizeof buf, 0), 9);
    CHECK(memcmp(buf, "over sctp", 9) == 0);
    struct sctp_status st;
    socklen_t sl = sizeof st;
    memset(&st, 0, sizeof st);
    CHECK_EQ(getsockopt(c, IPPROTO_SCTP, SCTP_STATUS, &st, &sl), 0);
    CHECK_EQ(st.sstat_state, SCTP_ESTABLISHED);
    CHECK(st.sstat_outstrms > 0);
    CHECK_EQ(shutdown(c, SHUT_WR), 0);
    CHECK_EQ(recv(s, buf, sizeof buf, 0), 0);
    close(c);
    close(s);
    close(l);
}

int main(void)
{
    const char *expect = getenv("TEST_EXPECT");
    if (expect && strcmp(expect, "tcp") == 0) {
        RUN(tcp_stays_tcp);
    } else {
        RUN(which_sockets);
        RUN(options);
        RUN(tcp_calls_make_an_association);
    }
    t_done("test_tcp_mode");
    return 0;
}
