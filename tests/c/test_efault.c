/* Bad pointers never crash: every call that takes a pointer from the
 * program fails with EFAULT where the kernel's copy would (unmapped,
 * PROT_NONE, and for what the call writes, read-only memory), works where
 * the kernel's copy would (a read-only input), and leaves the socket
 * usable.  Before the shim checked access this way, getsockname into a
 * bad buffer and most socket options crashed the program. */
#include "testlib.h" /* <netinet/in.h> must come before <netinet/sctp.h> */

#include <fcntl.h>
#include <netinet/sctp.h>
#include <poll.h>
#include <sys/ioctl.h>

#include "badmem.h"

static const int types[] = {SOCK_STREAM, SOCK_SEQPACKET};

static void readable_within(int fd, int ms)
{
    struct pollfd p = {fd, POLLIN, 0};
    CHECK_EQ(poll(&p, 1, ms), 1);
}

/* One message from cli arrives at srv in full: the pair still works. */
static void still_works(int cli, int srv, const struct sockaddr_in *to)
{
    CHECK_EQ(sendto(cli, "after", 5, 0, (const struct sockaddr *)to,
                    to ? sizeof *to : 0), 5);
    char buf[16];
    readable_within(srv, 2000);
    CHECK_EQ(recv(srv, buf, sizeof buf, 0), 5);
    CHECK(memcmp(buf, "after", 5) == 0);
}

/* bind and connect read an address: bad memory is EFAULT, a read-only
 * copy of a good address is as good as any, and a length beyond a
 * sockaddr_storage is EINVAL before anything is read. */
TEST(address_in)
{
    for (int t = 0; t < 2; t++) {
        int port = t_port(t);
        struct sockaddr_in a = t_addr(port);
        int lsn = socket(AF_INET, types[t], IPPROTO_SCTP);
        CHECK(lsn >= 0);
        CHECK_ERR(bind(lsn, NULL, sizeof a), EFAULT);
        CHECK_ERR(bind(lsn, (struct sockaddr *)bm_page(BM_UNMAPPED, 0, 0), sizeof a), EFAULT);
        CHECK_ERR(bind(lsn, (struct sockaddr *)bm_page(BM_NONE, 0, 0), sizeof a), EFAULT);
        CHECK_ERR(bind(lsn, (struct sockaddr *)bm_edge(8), sizeof a), EFAULT);
        CHECK_ERR(bind(lsn, (struct sockaddr *)&a, 129), EINVAL);
        CHECK_EQ(bind(lsn, (struct sockaddr *)bm_page(BM_READONLY, &a, sizeof a), sizeof a), 0);
        CHECK_EQ(listen(lsn, 4), 0);
        int c = socket(AF_INET, types[t], IPPROTO_SCTP);
        CHECK(c >= 0);
        CHECK_ERR(connect(c, NULL, sizeof a), EFAULT);
        CHECK_ERR(connect(c, (struct sockaddr *)bm_page(BM_UNMAPPED, 0, 0), sizeof a), EFAULT);
        CHECK_ERR(connect(c, (struct sockaddr *)bm_page(BM_NONE, 0, 0), sizeof a), EFAULT);
        CHECK_ERR(connect(c, (struct sockaddr *)&a, 200), EINVAL);
        /* sctp_connectx is libsctp's setsockopt and getsockopt: the
         * address list behind them is read like any option value. */
        CHECK_ERR(setsockopt(c, SOL_SCTP, SCTP_SOCKOPT_CONNECTX,
                             bm_page(BM_NONE, 0, 0), sizeof a), EFAULT);
        CHECK_ERR(setsockopt(c, SOL_SCTP, SCTP_SOCKOPT_CONNECTX_OLD,
                             bm_page(BM_UNMAPPED, 0, 0), sizeof a), EFAULT);
        struct sctp_getaddrs_old p = {0, sizeof a, (struct sockaddr *)bm_page(BM_NONE, 0, 0)};
        socklen_t pl = sizeof p;
        CHECK_ERR(getsockopt(c, SOL_SCTP, SCTP_SOCKOPT_CONNECTX3, &p, &pl), EFAULT);
        p.addrs = (struct sockaddr *)&a;
        CHECK_ERR(getsockopt(c, SOL_SCTP, SCTP_SOCKOPT_CONNECTX3,
                             bm_page(BM_NONE, 0, 0), &pl), EFAULT);
        CHECK_EQ(connect(c, (struct sockaddr *)bm_page(BM_READONLY, &a, sizeof a), sizeof a), 0);
        int srv = -1;
        if (types[t] == SOCK_STREAM) {
            srv = accept(lsn, NULL, NULL);
            CHECK(srv >= 0);
            still_works(c, srv, NULL);
            close(srv);
        } else {
            still_works(c, lsn, &a);
        }
        /* An id that cannot be handed back: EFAULT, but as in the
         * kernel (sctp_getsockopt_connectx3) the association is set up. */
        int c2 = socket(AF_INET, types[t], IPPROTO_SCTP);
        CHECK(c2 >= 0);
        CHECK_ERR(getsockopt(c2, SOL_SCTP, SCTP_SOCKOPT_CONNECTX3,
                             bm_page(BM_READONLY, &p, sizeof p), &pl), EFAULT);
        if (types[t] == SOCK_STREAM) {
            readable_within(lsn, 5000);
            srv = accept(lsn, NULL, NULL);
            CHECK(srv >= 0);
            still_works(c2, srv, NULL);
            close(srv);
        } else {
            still_works(c2, lsn, &a);
        }
        close(c2);
        close(c);
        close(lsn);
    }
}

/* getsockname and getpeername write the address and its length, as the
 * kernel's move_addr_to_user: bad memory on either side is EFAULT; a
 * short length gets a cut address and the full length back. */
TEST(address_out)
{
    int lsn, cli, srv;
    t_pair(t_port(2), &lsn, &cli, &srv);
    int (*const calls[])(int, struct sockaddr *, socklen_t *) = {
        BM_DIRECT(getsockname), BM_DIRECT(getpeername)};
    for (int c = 0; c < 2; c++) {
        struct sockaddr_in sa;
        socklen_t l = sizeof sa;
        for (int k = 0; k < BM_KINDS; k++) {
            l = sizeof sa;
            CHECK_ERR(calls[c](cli, (struct sockaddr *)bm_page(k, 0, 0), &l), EFAULT);
            CHECK_ERR(calls[c](cli, (struct sockaddr *)&sa,
                               (socklen_t *)bm_page(k, &l, sizeof l)), EFAULT);
        }
        l = sizeof sa;
        CHECK_ERR(calls[c](cli, NULL, &l), EFAULT);
        CHECK_ERR(calls[c](cli, (struct sockaddr *)&sa, NULL), EFAULT);
        l = (socklen_t)-1;
        CHECK_ERR(calls[c](cli, (struct sockaddr *)&sa, &l), EINVAL);
        l = 0;
        CHECK_EQ(calls[c](cli, NULL, &l), 0);
        CHECK_EQ(l, sizeof sa);
        memset(&sa, 0x55, sizeof sa);
        l = 2;
        CHECK_EQ(calls[c](cli, (struct sockaddr *)&sa, &l), 0);
        CHECK_EQ(l, sizeof sa);
        CHECK_EQ(sa.sin_family, AF_INET);
        CHECK_EQ(sa.sin_port, 0x5555); /* only the two bytes asked for */
        l = sizeof sa;
        CHECK_EQ(calls[c](cli, (struct sockaddr *)&sa, &l), 0);
        CHECK_EQ(ntohs(sa.sin_port) == t_port(2), c == 1);
    }
    still_works(cli, srv, NULL);
    close(cli), close(srv), close(lsn);
}

/* accept and accept4 write the peer's address after the association is
 * taken: where that fails, the kernel closes the new socket again, and
 * the peer sees its association end. */
TEST(accept_out)
{
    int lsn = t_listener(SOCK_STREAM, t_port(3));
    for (int which = 0; which < 4; which++) {
        int cli = t_connect(SOCK_STREAM, t_port(3));
        struct sockaddr_in sa;
        socklen_t l = sizeof sa;
        readable_within(lsn, 2000);
        switch (which) {
        case 0:
            CHECK_ERR(BM_DIRECT(accept)(lsn, (struct sockaddr *)bm_page(BM_UNMAPPED, 0, 0), &l), EFAULT);
            break;
        case 1:
            CHECK_ERR(BM_DIRECT(accept)(lsn, (struct sockaddr *)bm_page(BM_READONLY, 0, 0), &l), EFAULT);
            break;
        case 2:
            CHECK_ERR(BM_DIRECT(accept4)(lsn, (struct sockaddr *)&sa,
                              (socklen_t *)bm_page(BM_NONE, 0, 0), SOCK_CLOEXEC), EFAULT);
            break;
        default:
            CHECK_ERR(BM_DIRECT(accept4)(lsn, (struct sockaddr *)&sa,
                              (socklen_t *)bm_page(BM_READONLY, &l, sizeof l), 0), EFAULT);
        }
        char buf[8];
        readable_within(cli, 5000);
        ssize_t r = recv(cli, buf, sizeof buf, 0);
        CHECK(r == 0 || (r < 0 && errno == ECONNRESET));
        close(cli);
    }
    /* without an address the length is not looked at */
    int cli = t_connect(SOCK_STREAM, t_port(3));
    int srv = BM_DIRECT(accept)(lsn, NULL, (socklen_t *)bm_page(BM_UNMAPPED, 0, 0));
    CHECK(srv >= 0);
    still_works(cli, srv, NULL);
    close(srv), close(cli);
    cli = t_connect(SOCK_STREAM, t_port(3));
    struct sockaddr_in sa;
    socklen_t l = sizeof sa;
    srv = accept4(lsn, (struct sockaddr *)&sa, &l, SOCK_NONBLOCK);
    CHECK(srv >= 0);
    CHECK_EQ(l, sizeof sa);
    CHECK_EQ(sa.sin_family, AF_INET);
    still_works(cli, srv, NULL);
    close(srv), close(cli), close(lsn);
}

/* Socket options: values and lengths at every level the shim answers. */
TEST(options)
{
    for (int t = 0; t < 2; t++) {
        int fd = socket(AF_INET, types[t], IPPROTO_SCTP);
        CHECK(fd >= 0);
        int one = 1;
        socklen_t l = sizeof one;
        for (int k = 0; k < BM_KINDS; k++) {
            char *p = bm_page(k, &one, sizeof one);
            if (k == BM_READONLY) { /* a value read only */
                CHECK_EQ(setsockopt(fd, SOL_SCTP, SCTP_NODELAY, p, sizeof one), 0);
                CHECK_EQ(setsockopt(fd, SOL_SOCKET, SO_SNDBUF, p, sizeof one), 0);
                CHECK_EQ(setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, p, sizeof one), 0);
            } else {
                CHECK_ERR(setsockopt(fd, SOL_SCTP, SCTP_NODELAY, p, sizeof one), EFAULT);
                CHECK_ERR(setsockopt(fd, SOL_SCTP, SCTP_INITMSG, p,
                                     sizeof(struct sctp_initmsg)), EFAULT);
                CHECK_ERR(setsockopt(fd, SOL_SOCKET, SO_SNDBUF, p, sizeof one), EFAULT);
                CHECK_ERR(setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, p, sizeof one), EFAULT);
            }
            l = sizeof one;
            CHECK_ERR(getsockopt(fd, SOL_SCTP, SCTP_NODELAY, p, &l), EFAULT);
            /* read-only, it is read: no association is EINVAL */
            l = sizeof(struct sctp_status);
            CHECK_ERR(getsockopt(fd, SOL_SCTP, SCTP_STATUS, p, &l),
                      k == BM_READONLY ? EINVAL : EFAULT);
            l = sizeof one;
            CHECK_ERR(getsockopt(fd, SOL_SOCKET, SO_SNDBUF, p, &l), EFAULT);
            CHECK_ERR(getsockopt(fd, SOL_SOCKET, SO_REUSEADDR, p, &l), EFAULT);
            /* the length */
            int v;
            socklen_t four = sizeof v;
            p = bm_page(k, &four, sizeof four);
            CHECK_ERR(getsockopt(fd, SOL_SCTP, SCTP_NODELAY, &v, (socklen_t *)p), EFAULT);
            CHECK_ERR(getsockopt(fd, SOL_SOCKET, SO_TYPE, &v, (socklen_t *)p), EFAULT);
        }
        CHECK_ERR(setsockopt(fd, SOL_SCTP, SCTP_NODELAY, NULL, sizeof one), EFAULT);
        CHECK_ERR(setsockopt(fd, SOL_SCTP, SCTP_NODELAY, &one, (socklen_t)-1), EINVAL);
        CHECK_ERR(getsockopt(fd, SOL_SCTP, SCTP_NODELAY, &one, NULL), EFAULT);
        l = (socklen_t)-1;
        CHECK_ERR(getsockopt(fd, SOL_SCTP, SCTP_NODELAY, &one, &l), EINVAL);
        /* and what was set through the read-only page took */
        int v = 0;
        l = sizeof v;
        CHECK_EQ(getsockopt(fd, SOL_SCTP, SCTP_NODELAY, &v, &l), 0);
        CHECK_EQ(v, 1);
        CHECK_EQ(l, sizeof v);
        /* a length larger than the value is fine, as the kernel reads and
         * writes only the option's size */
        char *edge = bm_edge(sizeof v);
        memcpy(edge, &one, sizeof one);
        CHECK_EQ(setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, edge, 64), 0);
        l = 64;
        CHECK_EQ(getsockopt(fd, SOL_SCTP, SCTP_NODELAY, edge, &l), 0);
        CHECK_EQ(l, sizeof v);
        /* but SCTP's setsockopt takes all it is given */
        CHECK_ERR(setsockopt(fd, SOL_SCTP, SCTP_NODELAY, edge, 64), EFAULT);
        close(fd);
    }
}

/* Sending reads the message, its iovec array, msg_name and the control
 * area; PROT_NONE used to pass the shim's check (mincore) and crash. */
TEST(send_in)
{
    int lsn, cli, srv;
    t_pair(t_port(4), &lsn, &cli, &srv);
    char *none = bm_page(BM_NONE, 0, 0);
    CHECK_ERR(send(cli, none, 10, 0), EFAULT);
    struct iovec iv[2] = {{"ok", 2}, {none + 100, 50}};
    struct msghdr m = {.msg_iov = iv, .msg_iovlen = 2};
    CHECK_ERR(sendmsg(cli, &m, 0), EFAULT);
    iv[1].iov_base = "data";
    iv[1].iov_len = 4;
    m.msg_control = none;
    m.msg_controllen = CMSG_SPACE(sizeof(struct sctp_sndinfo));
    CHECK_ERR(sendmsg(cli, &m, 0), EFAULT);
    m.msg_control = bm_page(BM_UNMAPPED, 0, 0);
    CHECK_ERR(sendmsg(cli, &m, 0), EFAULT);
    m.msg_control = NULL;
    m.msg_controllen = 0;
    CHECK_ERR(sendmsg(cli, (struct msghdr *)none, 0), EFAULT);
    /* read-only input is fine */
    char *ro = bm_page(BM_READONLY, "read-only", 9);
    CHECK_EQ(send(cli, ro, 9, 0), 9);
    char buf[64];
    readable_within(srv, 2000);
    CHECK_EQ(recv(srv, buf, sizeof buf, 0), 9);
    CHECK(memcmp(buf, "read-only", 9) == 0);
    still_works(cli, srv, NULL);
    close(cli), close(srv), close(lsn);
}

/* recvmsg on a one-to-many socket: the buffer, msg_name and the msghdr
 * itself must be writable (EFAULT, and the message stays queued); a
 * control area that is not gets no ancillary data, as the kernel's
 * put_cmsg fails silently. */
TEST(recv_out)
{
    int port = t_port(5);
    int srv = t_listener(SOCK_SEQPACKET, port);
    int on = 1;
    CHECK_EQ(setsockopt(srv, SOL_SCTP, SCTP_RECVRCVINFO, &on, sizeof on), 0);
    int cli = socket(AF_INET, SOCK_SEQPACKET, IPPROTO_SCTP);
    CHECK(cli >= 0);
    struct sockaddr_in a = t_addr(port);
    CHECK_EQ(sendto(cli, "first", 5, 0, (struct sockaddr *)&a, sizeof a), 5);
    readable_within(srv, 5000);
    char buf[64];
    struct sockaddr_in from;
    char ctl[CMSG_SPACE(sizeof(struct sctp_rcvinfo))];
    struct iovec iv = {buf, sizeof buf};
    struct msghdr m = {.msg_name = &from, .msg_namelen = sizeof from,
                       .msg_iov = &iv, .msg_iovlen = 1,
                       .msg_control = ctl, .msg_controllen = sizeof ctl};
    for (int k = 0; k < BM_KINDS; k++) {
        iv.iov_base = bm_page(k, 0, 0);
        CHECK_ERR(recvmsg(srv, &m, 0), EFAULT);
        iv.iov_base = buf;
        m.msg_name = bm_page(k, 0, 0);
        CHECK_ERR(recvmsg(srv, &m, 0), EFAULT);
        m.msg_name = &from;
        CHECK_ERR(recvmsg(srv, (struct msghdr *)bm_page(k, &m, sizeof m), 0), EFAULT);
        CHECK_ERR(BM_DIRECT(recvfrom)(srv, buf, sizeof buf, 0, (struct sockaddr *)&from,
                           (socklen_t *)bm_page(k, 0, 0)), EFAULT);
        CHECK_ERR(recv(srv, bm_page(k, 0, 0), sizeof buf, 0), EFAULT);
    }
    /* still queued: the control area is not writable, the rest is */
    m.msg_control = bm_page(BM_READONLY, 0, 0);
    CHECK_EQ(recvmsg(srv, &m, 0), 5);
    CHECK(memcmp(buf, "first", 5) == 0);
    CHECK_EQ(m.msg_controllen, 0);
    CHECK(!(m.msg_flags & MSG_CTRUNC));
    CHECK_EQ(m.msg_namelen, sizeof from);
    CHECK_EQ(from.sin_addr.s_addr, htonl(INADDR_LOOPBACK));
    /* with a good one, the ancillary data is there again */
    CHECK_EQ(sendto(cli, "second", 6, 0, (struct sockaddr *)&a, sizeof a), 6);
    readable_within(srv, 5000);
    m.msg_control = ctl;
    m.msg_controllen = sizeof ctl;
    CHECK_EQ(recvmsg(srv, &m, 0), 6);
    CHECK_EQ(m.msg_controllen, CMSG_SPACE(sizeof(struct sctp_rcvinfo)));
    struct cmsghdr *c = CMSG_FIRSTHDR(&m);
    CHECK(c && c->cmsg_level == IPPROTO_SCTP && c->cmsg_type == SCTP_RCVINFO);
    close(cli), close(srv);
}

/* A buffer the shim has seen good, then unmapped or protected by the
 * program: EFAULT, not a crash (the shim forgets what it knew when a
 * mapping changes). */
TEST(mapping_changes)
{
    int lsn, cli, srv;
    t_pair(t_port(6), &lsn, &cli, &srv);
    char *p = mmap(NULL, 2 * BM_PAGE, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(p != MAP_FAILED);
    memcpy(p, "mapped", 6);
    for (int i = 0; i < 3; i++)
        CHECK_EQ(send(cli, p, 6, 0), 6);
    for (int i = 0; i < 3; i++) {
        readable_within(srv, 2000);
        CHECK_EQ(recv(srv, p + BM_PAGE, 64, 0), 6);
    }
    CHECK_EQ(mprotect(p + BM_PAGE, BM_PAGE, PROT_READ), 0);
    CHECK_EQ(send(cli, p + BM_PAGE, 6, 0), 6); /* still readable */
    readable_within(srv, 2000);
    CHECK_ERR(recv(srv, p + BM_PAGE, 64, 0), EFAULT);
    CHECK_EQ(mprotect(p, BM_PAGE, PROT_NONE), 0);
    CHECK_ERR(send(cli, p, 6, 0), EFAULT);
    CHECK_EQ(munmap(p, 2 * BM_PAGE), 0);
    CHECK_ERR(send(cli, p, 6, 0), EFAULT);
    CHECK_ERR(recv(srv, p + BM_PAGE, 64, 0), EFAULT);
    char buf[8];
    CHECK_EQ(recv(srv, buf, sizeof buf, 0), 6);
    CHECK(memcmp(buf, "mapped", 6) == 0);
    int n;
    CHECK_ERR(ioctl(srv, FIONREAD, bm_page(BM_READONLY, 0, 0)), EFAULT);
    CHECK_EQ(ioctl(srv, FIONREAD, &n), 0);
    CHECK_EQ(n, 0);
    still_works(cli, srv, NULL);
    close(cli), close(srv), close(lsn);
}

/* With an argument, only the test of that name. */
int main(int argc, char **argv)
{
#define ONE(name) if (argc < 2 || !strcmp(argv[1], #name)) RUN(name)
    ONE(address_in);
    ONE(address_out);
    ONE(accept_out);
    ONE(options);
    ONE(send_in);
    ONE(recv_out);
    ONE(mapping_changes);
    t_done("efault");
    return 0;
}
