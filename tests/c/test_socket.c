/* The socket calls on shim descriptors: creation, naming, connection,
 * every data call, message boundaries, descriptor operations. */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/uio.h>

#include "testlib.h"

TEST(creation_and_identity)
{
    int fams[] = {AF_INET, AF_INET6}, types[] = {SOCK_STREAM, SOCK_SEQPACKET};
    for (int f = 0; f < 2; f++)
        for (int t = 0; t < 2; t++) {
            int s = socket(fams[f], types[t], IPPROTO_SCTP);
            CHECK(s >= 0);
            int v = -1;
            socklen_t l = sizeof v;
            CHECK_EQ(getsockopt(s, SOL_SOCKET, SO_TYPE, &v, &l), 0);
            CHECK_EQ(v, types[t]);
            CHECK_EQ(getsockopt(s, SOL_SOCKET, SO_DOMAIN, &v, &l), 0);
            CHECK_EQ(v, fams[f]);
            CHECK_EQ(getsockopt(s, SOL_SOCKET, SO_PROTOCOL, &v, &l), 0);
            CHECK_EQ(v, IPPROTO_SCTP);
            struct stat st;
            CHECK_EQ(fstat(s, &st), 0);
            CHECK(S_ISSOCK(st.st_mode));
            CHECK_EQ(close(s), 0);
        }
    /* SOCK_NONBLOCK and SOCK_CLOEXEC are honoured on the descriptor. */
    int s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
                   IPPROTO_SCTP);
    CHECK(s >= 0);
    CHECK(fcntl(s, F_GETFL) & O_NONBLOCK);
    CHECK(fcntl(s, F_GETFD) & FD_CLOEXEC);
    close(s);
    CHECK_ERR(close(s), EBADF);
    CHECK_ERR(socketpair(AF_INET, SOCK_STREAM, IPPROTO_SCTP, (int[2]){0, 0}),
              EOPNOTSUPP);
}

TEST(bind_and_names)
{
    int s = socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP);
    struct sockaddr_in a = t_addr(t_port(0)), got;
    socklen_t l = sizeof got;
    CHECK_EQ(getsockname(s, (struct sockaddr *)&got, &l), 0);
    CHECK_EQ(got.sin_family, AF_INET);
    CHECK_EQ(got.sin_port, 0);
    CHECK_ERR(bind(s, (struct sockaddr *)&a, sizeof a - 1), EINVAL);
    CHECK_EQ(bind(s, (struct sockaddr *)&a, sizeof a), 0);
    CHECK_ERR(bind(s, (struct sockaddr *)&a, sizeof a), EINVAL);
    l = sizeof got;
    CHECK_EQ(getsockname(s, (struct sockaddr *)&got, &l), 0);
    CHECK_EQ(l, sizeof got);
    CHECK_EQ(ntohs(got.sin_port), t_port(0));
    CHECK_EQ(got.sin_addr.s_addr, htonl(INADDR_LOOPBACK));
    /* Another socket of this process cannot take the same port. */
    int s2 = socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP);
    CHECK_ERR(bind(s2, (struct sockaddr *)&a, sizeof a), EADDRINUSE);
    /* Port 0 picks an ephemeral port. */
    struct sockaddr_in any = t_addr(0);
    CHECK_EQ(bind(s2, (struct sockaddr *)&any, sizeof any), 0);
    l = sizeof got;
    CHECK_EQ(getsockname(s2, (struct sockaddr *)&got, &l), 0);
    CHECK(ntohs(got.sin_port) >= 1024);
    /* An IPv6 address on an IPv4 socket is refused. */
    int s3 = socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP);
    struct sockaddr_in6 a6 = {.sin6_family = AF_INET6, .sin6_port = htons(1)};
    CHECK_ERR(bind(s3, (struct sockaddr *)&a6, sizeof a6), EINVAL);
    CHECK_ERR(getpeername(s, (struct sockaddr *)&got, &l), ENOTCONN);
    close(s);
    close(s2);
    close(s3);
}

TEST(connect_accept_names)
{
    int lsn, cli, srv;
    t_pair(t_port(1), &lsn, &cli, &srv);
    struct sockaddr_in p, n;
    socklen_t pl = sizeof p, nl = sizeof n;
    CHECK_EQ(getpeername(cli, (struct sockaddr *)&p, &pl), 0);
    CHECK_EQ(ntohs(p.sin_port), t_port(1));
    CHECK_EQ(getsockname(cli, (struct sockaddr *)&n, &nl), 0);
    pl = sizeof p;
    CHECK_EQ(getpeername(srv, (struct sockaddr *)&p, &pl), 0);
    CHECK_EQ(p.sin_port, n.sin_port); /* the server sees the client's port */
    int v = 0;
    socklen_t l = sizeof v;
    CHECK_EQ(getsockopt(lsn, SOL_SOCKET, SO_ACCEPTCONN, &v, &l), 0);
    CHECK_EQ(v, 1);
    struct sockaddr_in a = t_addr(t_port(1));
    CHECK_ERR(connect(cli, (struct sockaddr *)&a, sizeof a), EISCONN);
    /* accept4 flags land on the new descriptor. */
    int c2 = t_connect(SOCK_STREAM, t_port(1));
    int s2 = accept4(lsn, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    CHECK(s2 >= 0);
    CHECK(fcntl(s2, F_GETFL) & O_NONBLOCK);
    CHECK(fcntl(s2, F_GETFD) & FD_CLOEXEC);
    CHECK_ERR(accept4(lsn, NULL, NULL, 0x4000000), EINVAL);
    /* One-to-many sockets do not accept. */
    int sp = t_listener(SOCK_SEQPACKET, t_port(2));
    CHECK_ERR(accept(sp, NULL, NULL), EOPNOTSUPP);
    close(sp);
    close(c2);
    close(s2);
    close(cli);
    close(srv);
    close(lsn);
}

TEST(refused_promptly)
{
    int c = socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP);
    struct sockaddr_in a = t_addr(t_port(9)); /* nobody listens here */
    double t0 = t_now();
    CHECK_ERR(connect(c, (struct sockaddr *)&a, sizeof a), ECONNREFUSED);
    CHECK(t_now() - t0 < 1.0);
    close(c);
    /* A bound port with no listener refuses too, through the stack: an
     * ABORT answers the INIT. */
    int b = socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP);
    struct sockaddr_in ba = t_addr(t_port(8));
    CHECK_EQ(bind(b, (struct sockaddr *)&ba, sizeof ba), 0);
    c = socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP);
    t0 = t_now();
    CHECK_ERR(connect(c, (struct sockaddr *)&ba, sizeof ba), ECONNREFUSED);
    CHECK(t_now() - t0 < 5.0);
    close(c);
    close(b);
}

TEST(nonblocking_connect)
{
    int lsn = t_listener(SOCK_STREAM, t_port(3));
    int c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, IPPROTO_SCTP);
    struct sockaddr_in a = t_addr(t_port(3));
    CHECK_ERR(connect(c, (struct sockaddr *)&a, sizeof a), EINPROGRESS);
    /* Still in progress, or already done: loopback is quick. */
    errno = 0;
    CHECK_EQ(connect(c, (struct sockaddr *)&a, sizeof a), -1);
    CHECK(errno == EALREADY || errno == EISCONN);
    struct pollfd pf = {c, POLLOUT, 0};
    CHECK_EQ(poll(&pf, 1, 5000), 1);
    CHECK(pf.revents & POLLOUT);
    int err = -1;
    socklen_t l = sizeof err;
    CHECK_EQ(getsockopt(c, SOL_SOCKET, SO_ERROR, &err, &l), 0);
    CHECK_EQ(err, 0);
    int s = accept(lsn, NULL, NULL);
    CHECK(s >= 0);
    CHECK_EQ(send(c, "x", 1, 0), 1);
    char b;
    CHECK_EQ(recv(s, &b, 1, 0), 1);
    close(c);
    close(s);
    close(lsn);

    /* Refused, non-blocking, on a port that is bound but not listening:
     * the error arrives through SO_ERROR. */
    int b2 = socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP);
    struct sockaddr_in ba = t_addr(t_port(7));
    CHECK_EQ(bind(b2, (struct sockaddr *)&ba, sizeof ba), 0);
    c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, IPPROTO_SCTP);
    CHECK_ERR(connect(c, (struct sockaddr *)&ba, sizeof ba), EINPROGRESS);
    pf.fd = c;
    pf.events = POLLOUT;
    CHECK_EQ(poll(&pf, 1, 5000), 1);
    l = sizeof err;
    CHECK_EQ(getsockopt(c, SOL_SOCKET, SO_ERROR, &err, &l), 0);
    CHECK_EQ(err, ECONNREFUSED);
    close(c);
    close(b2);
}

static void check_one(int from, int to, const char *msg)
{
    char buf[256];
    size_t n = strlen(msg);
    CHECK_EQ(write(from, msg, n), (long long)n);
    memset(buf, 0, sizeof buf);
    CHECK_EQ(read(to, buf, sizeof buf), (long long)n);
    CHECK(memcmp(buf, msg, n) == 0);
}

TEST(all_data_calls)
{
    int lsn, cli, srv;
    t_pair(t_port(4), &lsn, &cli, &srv);
    char buf[256];
    check_one(cli, srv, "write/read");
    CHECK_EQ(send(srv, "send", 4, 0), 4);
    CHECK_EQ(recv(cli, buf, sizeof buf, 0), 4);
    CHECK(memcmp(buf, "send", 4) == 0);
    CHECK_EQ(sendto(cli, "sendto", 6, 0, NULL, 0), 6);
    struct sockaddr_in from;
    socklen_t fl = sizeof from;
    CHECK_EQ(recvfrom(srv, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl), 6);
    CHECK_EQ(fl, sizeof from);
    CHECK_EQ(from.sin_family, AF_INET);
    CHECK_EQ(from.sin_addr.s_addr, htonl(INADDR_LOOPBACK));
    /* writev sends one message; readv scatters it. */
    struct iovec wv[3] = {{"ab", 2}, {"cde", 3}, {"f", 1}};
    CHECK_EQ(writev(cli, wv, 3), 6);
    char r1[4], r2[8];
    struct iovec rv[2] = {{r1, 4}, {r2, 8}};
    CHECK_EQ(readv(srv, rv, 2), 6);
    CHECK(memcmp(r1, "abcd", 4) == 0 && memcmp(r2, "ef", 2) == 0);
    struct iovec iv = {"msg", 3};
    struct msghdr mh = {.msg_iov = &iv, .msg_iovlen = 1};
    CHECK_EQ(sendmsg(srv, &mh, 0), 3);
    char rb[16];
    struct iovec riv = {rb, sizeof rb};
    struct msghdr rm = {.msg_iov = &riv, .msg_iovlen = 1};
    CHECK_EQ(recvmsg(cli, &rm, 0), 3);
    CHECK(rm.msg_flags & MSG_EOR);
    CHECK(memcmp(rb, "msg", 3) == 0);
    /* MSG_PEEK leaves the message in place. */
    CHECK_EQ(send(cli, "peek", 4, 0), 4);
    CHECK_EQ(recv(srv, buf, sizeof buf, MSG_PEEK), 4);
    CHECK_EQ(recv(srv, buf, sizeof buf, 0), 4);
    /* sendmmsg / recvmmsg */
    struct iovec m1 = {"one", 3}, m2 = {"two!", 4};
    struct mmsghdr mm[2];
    memset(mm, 0, sizeof mm);
    mm[0].msg_hdr.msg_iov = &m1;
    mm[0].msg_hdr.msg_iovlen = 1;
    mm[1].msg_hdr.msg_iov = &m2;
    mm[1].msg_hdr.msg_iovlen = 1;
    CHECK_EQ(sendmmsg(cli, mm, 2, 0), 2);
    char a1[8], a2[8];
    struct iovec q1 = {a1, 8}, q2 = {a2, 8};
    struct mmsghdr rmm[2];
    memset(rmm, 0, sizeof rmm);
    rmm[0].msg_hdr.msg_iov = &q1;
    rmm[0].msg_hdr.msg_iovlen = 1;
    rmm[1].msg_hdr.msg_iov = &q2;
    rmm[1].msg_hdr.msg_iovlen = 1;
    int got = recvmmsg(srv, rmm, 2, 0, NULL);
    if (got == 1) /* the second may still be on its way */
        got += recvmmsg(srv, rmm + 1, 1, 0, NULL);
    CHECK_EQ(got, 2);
    CHECK_EQ(rmm[0].msg_len, 3);
    CHECK_EQ(rmm[1].msg_len, 4);
    CHECK(memcmp(a1, "one", 3) == 0 && memcmp(a2, "two!", 4) == 0);
    /* MSG_OOB has no meaning for SCTP. */
    CHECK_ERR(send(cli, "x", 1, MSG_OOB), EOPNOTSUPP);
    /* FIONREAD answers the length of the next message. */
    CHECK_EQ(send(cli, "12345", 5, 0), 5);
    struct pollfd pf = {srv, POLLIN, 0};
    CHECK_EQ(poll(&pf, 1, 5000), 1);
    int avail = -1;
    CHECK_EQ(ioctl(srv, FIONREAD, &avail), 0);
    CHECK_EQ(avail, 5);
    CHECK_EQ(read(srv, buf, sizeof buf), 5);
    close(cli);
    close(srv);
    close(lsn);
}

TEST(message_boundaries)
{
    int types[] = {SOCK_STREAM, SOCK_SEQPACKET};
    for (int t = 0; t < 2; t++) {
        int lsn, cli, srv;
        if (types[t] == SOCK_STREAM) {
            t_pair(t_port(5), &lsn, &cli, &srv);
        } else {
            lsn = t_listener(SOCK_SEQPACKET, t_port(5));
            srv = lsn;
            cli = socket(AF_INET, SOCK_SEQPACKET, IPPROTO_SCTP);
            struct sockaddr_in a = t_addr(t_port(5));
            CHECK_EQ(connect(cli, (struct sockaddr *)&a, sizeof a), 0);
        }
        /* Two messages never merge: each read returns one. */
        char big[3000];
        for (size_t i = 0; i < sizeof big; i++)
            big[i] = (char)(i * 7);
        struct sockaddr_in a = t_addr(t_port(5));
        CHECK_EQ(sendto(cli, big, sizeof big, 0, (struct sockaddr *)&a, sizeof a),
                 (long long)sizeof big);
        CHECK_EQ(sendto(cli, "tail", 4, 0, (struct sockaddr *)&a, sizeof a), 4);
        /* A short buffer reads the message in pieces: MSG_EOR only on
         * the last piece, and the next read continues the same message. */
        char part[1000], all[3000];
        size_t got = 0;
        int pieces = 0, eor = 0;
        while (!eor) {
            struct iovec iv = {part, sizeof part};
            struct msghdr m = {.msg_iov = &iv, .msg_iovlen = 1};
            ssize_t n = recvmsg(srv, &m, 0);
            CHECK(n > 0);
            memcpy(all + got, part, (size_t)n);
            got += (size_t)n;
            pieces++;
            eor = (m.msg_flags & MSG_EOR) != 0;
            CHECK(got <= sizeof all);
        }
        CHECK_EQ(got, sizeof big);
        CHECK_EQ(pieces, 3);
        CHECK(memcmp(all, big, sizeof big) == 0);
        struct iovec iv = {part, sizeof part};
        struct msghdr m = {.msg_iov = &iv, .msg_iovlen = 1};
        CHECK_EQ(recvmsg(srv, &m, 0), 4);
        CHECK(m.msg_flags & MSG_EOR);
        CHECK(memcmp(part, "tail", 4) == 0);
        close(cli);
        if (srv != lsn)
            close(srv);
        close(lsn);
    }
}

TEST(shutdown_and_eof)
{
    int lsn, cli, srv;
    t_pair(t_port(6), &lsn, &cli, &srv);
    CHECK_ERR(shutdown(cli, 7), EINVAL);
    CHECK_EQ(send(cli, "last", 4, 0), 4);
    CHECK_EQ(shutdown(cli, SHUT_WR), 0);
    char buf[16];
    CHECK_EQ(read(srv, buf, sizeof buf), 4);
    CHECK_EQ(read(srv, buf, sizeof buf), 0); /* end of file */
    CHECK_EQ(read(srv, buf, sizeof buf), 0); /* and it stays there */
    /* Sending after our own shutdown: EPIPE, without a signal here. */
    CHECK_ERR(send(cli, "x", 1, MSG_NOSIGNAL), EPIPE);
    /* ... and with SIGPIPE otherwise, as the kernel does. */
    signal(SIGPIPE, SIG_IGN);
    CHECK_ERR(write(cli, "x", 1), EPIPE);
    signal(SIGPIPE, SIG_DFL);
    int one = socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP);
    CHECK_ERR(recv(one, buf, 1, 0), ENOTCONN);
    CHECK_ERR(shutdown(one, SHUT_RDWR), ENOTCONN);
    CHECK_ERR(send(one, "x", 1, 0), ENOTCONN);
    /* Linux's inet_shutdown applies the shutdown all the same. */
    CHECK_EQ(recv(one, buf, 1, 0), 0);
    close(one);
    close(cli);
    close(srv);
    close(lsn);
}

TEST(nonblocking_and_timeouts)
{
    int lsn, cli, srv;
    t_pair(t_port(10), &lsn, &cli, &srv);
    char buf[16];
    int fl = fcntl(srv, F_GETFL);
    CHECK_EQ(fcntl(srv, F_SETFL, fl | O_NONBLOCK), 0);
    CHECK_ERR(recv(srv, buf, sizeof buf, 0), EAGAIN);
    CHECK_EQ(fcntl(srv, F_SETFL, fl), 0);
    int on = 1;
    CHECK_EQ(ioctl(srv, FIONBIO, &on), 0);
    CHECK(fcntl(srv, F_GETFL) & O_NONBLOCK);
    CHECK_ERR(read(srv, buf, sizeof buf), EAGAIN);
    on = 0;
    CHECK_EQ(ioctl(srv, FIONBIO, &on), 0);
    CHECK_ERR(recv(srv, buf, sizeof buf, MSG_DONTWAIT), EAGAIN);
    /* SO_RCVTIMEO: a blocking read gives up after the timeout. */
    struct timeval tv = {0, 200000}, got;
    CHECK_EQ(setsockopt(srv, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv), 0);
    socklen_t l = sizeof got;
    CHECK_EQ(getsockopt(srv, SOL_SOCKET, SO_RCVTIMEO, &got, &l), 0);
    CHECK_EQ(got.tv_usec, 200000);
    double t0 = t_now();
    CHECK_ERR(read(srv, buf, sizeof buf), EAGAIN);
    double dt = t_now() - t0;
    CHECK(dt >= 0.18 && dt < 2.0);
    /* SO_SNDTIMEO: a full send buffer gives up too. */
    CHECK_EQ(setsockopt(cli, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv), 0);
    static char chunk[8192];
    ssize_t r;
    long sent = 0;
    t0 = t_now();
    while ((r = send(cli, chunk, sizeof chunk, 0)) > 0 && t_now() - t0 < 20)
        sent += r;
    CHECK_EQ(r, -1);
    CHECK_EQ(errno, EAGAIN);
    CHECK(sent > 0);
    close(cli);
    close(srv);
    close(lsn);
}

TEST(dup_and_close)
{
    int lsn, cli, srv;
    t_pair(t_port(11), &lsn, &cli, &srv);
    int d = dup(cli);
    CHECK(d >= 0);
    CHECK_EQ(close(cli), 0);
    check_one(d, srv, "through dup");
    int d2 = fcntl(d, F_DUPFD_CLOEXEC, 100);
    CHECK(d2 >= 100);
    check_one(d2, srv, "through F_DUPFD");
    int d3 = 200;
    CHECK_EQ(dup2(d2, d3), d3);
    check_one(d3, srv, "through dup2");
    int d4 = dup3(d3, 201, O_CLOEXEC);
    CHECK_EQ(d4, 201);
    CHECK(fcntl(d4, F_GETFD) & FD_CLOEXEC);
    close(d);
    close(d2);
    close(d3);
    check_one(d4, srv, "last reference");
    /* dup2 of another descriptor over a shim one closes the socket. */
    int devnull = open("/dev/null", O_RDONLY);
    CHECK_EQ(dup2(devnull, d4), d4);
    char b[8];
    CHECK_EQ(read(d4, b, sizeof b), 0); /* it is /dev/null now */
    close(d4);
    close(devnull);
    /* With every reference gone the association shuts down. */
    CHECK_EQ(read(srv, b, sizeof b), 0);
    close(srv);
    close(lsn);
}

TEST(ipv6)
{
    int l6 = socket(AF_INET6, SOCK_STREAM, IPPROTO_SCTP);
    struct sockaddr_in6 a = {.sin6_family = AF_INET6,
                             .sin6_port = htons((uint16_t)t_port(12)),
                             .sin6_addr = IN6ADDR_LOOPBACK_INIT};
    CHECK_EQ(bind(l6, (struct sockaddr *)&a, sizeof a), 0);
    CHECK_EQ(listen(l6, 4), 0);
    int c6 = socket(AF_INET6, SOCK_STREAM, IPPROTO_SCTP);
    CHECK_EQ(connect(c6, (struct sockaddr *)&a, sizeof a), 0);
    int s6 = accept(l6, NULL, NULL);
    CHECK(s6 >= 0);
    check_one(c6, s6, "over IPv6");
    struct sockaddr_in6 p;
    socklen_t pl = sizeof p;
    CHECK_EQ(getpeername(c6, (struct sockaddr *)&p, &pl), 0);
    CHECK_EQ(p.sin6_family, AF_INET6);
    CHECK(IN6_IS_ADDR_LOOPBACK(&p.sin6_addr));
    int v = -1;
    socklen_t l = sizeof v;
    CHECK_EQ(getsockopt(c6, IPPROTO_IPV6, IPV6_V6ONLY, &v, &l), 0);
    CHECK_EQ(v, 0);
    close(c6);
    close(s6);
    close(l6);
}

int main(void)
{
    signal(SIGPIPE, SIG_DFL);
    RUN(creation_and_identity);
    RUN(bind_and_names);
    RUN(connect_accept_names);
    RUN(refused_promptly);
    RUN(nonblocking_connect);
    RUN(all_data_calls);
    RUN(message_boundaries);
    RUN(shutdown_and_eof);
    RUN(nonblocking_and_timeouts);
    RUN(dup_and_close);
    RUN(ipv6);
    t_done("test_socket");
    return 0;
}
