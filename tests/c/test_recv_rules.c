/* What a receive answers when there is nothing ordinary to read, as on
 * Linux: zero-length reads, end of file against an aborted association,
 * errno after success, shut-down sockets, sockets with no association,
 * notifications read in pieces, shutdown on a listener. */
#include "testlib.h"

#include <fcntl.h>
#include <netinet/sctp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/uio.h>

/* Waits (bounded) until fd polls with one of the events; returns revents. */
static short wait_events(int fd, short events, int ms)
{
    struct pollfd p = {fd, events, 0};
    int r = poll(&p, 1, ms);
    return r == 1 ? p.revents : 0;
}

/* A call that must not block: a hang becomes a failed check. */
static void on_alarm(int sig)
{
    (void)sig;
    static const char msg[] = "test_recv_rules: a call hung (alarm)\n";
    if (write(2, msg, sizeof msg - 1) < 0)
        _exit(2);
    _exit(1);
}

TEST(zero_length_recv)
{
    int lsn, cli, srv;
    t_pair(t_port(0), &lsn, &cli, &srv);
    char buf[64];
    /* Nothing queued: a zero-length read waits like any other. */
    CHECK_ERR(recv(srv, buf, 0, MSG_DONTWAIT), EAGAIN);
    CHECK_EQ(send(cli, "hello", 5, 0), 5);
    CHECK(wait_events(srv, POLLIN, 5000) & POLLIN);
    struct iovec iv = {buf, 0};
    struct msghdr m = {.msg_iov = &iv, .msg_iovlen = 1};
    CHECK_EQ(recvmsg(srv, &m, 0), 0);
    CHECK(!(m.msg_flags & MSG_EOR));
    CHECK_EQ(recv(srv, buf, 0, 0), 0);
    CHECK_EQ(read(srv, buf, 0), 0);
    /* Not an end of file: no hang-up, and the message is still whole. */
    CHECK_EQ(wait_events(srv, POLLIN | POLLRDHUP, 0), POLLIN);
    iv.iov_len = sizeof buf;
    m.msg_flags = 0;
    CHECK_EQ(recvmsg(srv, &m, 0), 5);
    CHECK(m.msg_flags & MSG_EOR);
    CHECK(memcmp(buf, "hello", 5) == 0);
    /* Data keeps flowing, and the socket never reports a hang-up. */
    CHECK_EQ(send(cli, "again", 5, 0), 5);
    CHECK_EQ(recv(srv, buf, sizeof buf, 0), 5);
    CHECK(memcmp(buf, "again", 5) == 0);
    CHECK_EQ(wait_events(srv, POLLIN | POLLRDHUP, 100), 0);
    close(cli);
    close(srv);
    close(lsn);
}

/* A call that succeeds leaves errno as it was, as a system call does. */
#define KEEPS_ERRNO(call)                                                   \
    do {                                                                    \
        errno = EDOM;                                                       \
        long long _r = (long long)(call);                                   \
        t_checks++;                                                         \
        if (_r < 0 || errno != EDOM) {                                      \
            fprintf(stderr, "%s:%d: %s returned %lld and left errno %d "    \
                    "(%s), expected EDOM\n", __FILE__, __LINE__, #call, _r, \
                    errno, strerror(errno));                                \
            exit(1);                                                        \
        }                                                                   \
    } while (0)

static void *send_later(void *arg)
{
    struct timespec ts = {0, 100 * 1000 * 1000};
    nanosleep(&ts, NULL);
    CHECK_EQ(send(*(int *)arg, "late", 4, 0), 4);
    return NULL;
}

static void *connect_later(void *arg)
{
    struct timespec ts = {0, 100 * 1000 * 1000};
    nanosleep(&ts, NULL);
    int c = t_connect(SOCK_STREAM, *(int *)arg);
    return (void *)(long)c;
}

TEST(errno_kept)
{
    char buf[64];
    int v = 1;
    socklen_t vl = sizeof v;
    /* The first SCTP socket of the process starts the stack. */
    int lsn;
    KEEPS_ERRNO(lsn = socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP));
    struct sockaddr_in a = t_addr(t_port(2));
    KEEPS_ERRNO(setsockopt(lsn, SOL_SOCKET, SO_REUSEADDR, &v, sizeof v));
    KEEPS_ERRNO(bind(lsn, (struct sockaddr *)&a, sizeof a));
    KEEPS_ERRNO(listen(lsn, 4));
    int cli;
    KEEPS_ERRNO(cli = socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP));
    KEEPS_ERRNO(setsockopt(cli, SOL_SCTP, SCTP_NODELAY, &v, sizeof v));
    KEEPS_ERRNO(connect(cli, (struct sockaddr *)&a, sizeof a));
    int srv;
    KEEPS_ERRNO(srv = accept(lsn, NULL, NULL));
    /* A blocking accept that waits first. */
    pthread_t th;
    int port = t_port(2);
    CHECK_EQ(pthread_create(&th, NULL, connect_later, &port), 0);
    int srv2;
    KEEPS_ERRNO(srv2 = accept4(lsn, NULL, NULL, SOCK_CLOEXEC));
    void *cli2;
    pthread_join(th, &cli2);
    struct sockaddr_in got;
    socklen_t gl = sizeof got;
    KEEPS_ERRNO(getsockname(cli, (struct sockaddr *)&got, &gl));
    gl = sizeof got;
    KEEPS_ERRNO(getpeername(cli, (struct sockaddr *)&got, &gl));
    KEEPS_ERRNO(getsockopt(cli, SOL_SOCKET, SO_ERROR, &v, &vl));
    /* Nothing queued: FIONREAD says 0 (the shim peeks, and finds none). */
    KEEPS_ERRNO(ioctl(srv, FIONREAD, &v));
    CHECK_EQ(v, 0);
    KEEPS_ERRNO(send(cli, "one", 3, 0));
    KEEPS_ERRNO(recv(srv, buf, sizeof buf, 0));
    /* A blocking recv that waits first. */
    CHECK_EQ(pthread_create(&th, NULL, send_later, &cli), 0);
    KEEPS_ERRNO(recv(srv, buf, sizeof buf, 0));
    pthread_join(th, NULL);
    KEEPS_ERRNO(write(cli, "two", 3));
    KEEPS_ERRNO(read(srv, buf, sizeof buf));
    struct iovec iv = {buf, sizeof buf};
    struct msghdr m = {.msg_iov = &iv, .msg_iovlen = 1};
    iv.iov_len = 5;
    memcpy(buf, "three", 5);
    KEEPS_ERRNO(sendmsg(cli, &m, 0));
    iv.iov_len = sizeof buf;
    KEEPS_ERRNO(recvmsg(srv, &m, 0));
    KEEPS_ERRNO(sctp_sendmsg(cli, "four", 4, NULL, 0, 0, 0, 0, 0, 0));
    struct sctp_sndrcvinfo si;
    int fl = 0;
    KEEPS_ERRNO(sctp_recvmsg(srv, buf, sizeof buf, NULL, NULL, &si, &fl));
    int d;
    KEEPS_ERRNO(d = dup(srv));
    KEEPS_ERRNO(fcntl(d, F_SETFD, FD_CLOEXEC));
    KEEPS_ERRNO(close(d));
    /* Our own end first: the stack may say the peer is gone already. */
    KEEPS_ERRNO(shutdown(cli, SHUT_WR));
    KEEPS_ERRNO(recv(srv, buf, sizeof buf, 0)); /* end of file */
    KEEPS_ERRNO(shutdown(srv, SHUT_RDWR));
    KEEPS_ERRNO(close(cli));
    KEEPS_ERRNO(close(srv));
    KEEPS_ERRNO(close(srv2));
    KEEPS_ERRNO(close((int)(long)cli2));
    KEEPS_ERRNO(close(lsn));

    /* One-to-many: an implicit set-up, and a reader that waits. */
    int one, many;
    KEEPS_ERRNO(one = socket(AF_INET, SOCK_SEQPACKET, IPPROTO_SCTP));
    a = t_addr(t_port(3));
    KEEPS_ERRNO(bind(one, (struct sockaddr *)&a, sizeof a));
    KEEPS_ERRNO(listen(one, 1));
    KEEPS_ERRNO(many = socket(AF_INET, SOCK_SEQPACKET, IPPROTO_SCTP));
    KEEPS_ERRNO(sendto(many, "five", 4, 0, (struct sockaddr *)&a, sizeof a));
    struct sockaddr_in from;
    socklen_t fl2 = sizeof from;
    KEEPS_ERRNO(recvfrom(one, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl2));
    KEEPS_ERRNO(sendto(many, "six", 3, MSG_DONTWAIT, (struct sockaddr *)&a,
                       sizeof a));
    struct mmsghdr mm = {.msg_hdr = m};
    KEEPS_ERRNO(recvmmsg(one, &mm, 1, 0, NULL));
    KEEPS_ERRNO(close(many));
    KEEPS_ERRNO(close(one));
}

/* The peer closes with SO_LINGER {1, 0}: an ABORT. */
static void abort_close(int fd)
{
    struct linger lg = {1, 0};
    CHECK_EQ(setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg), 0);
    CHECK_EQ(close(fd), 0);
}

static void *abort_later(void *arg)
{
    struct timespec ts = {0, 200 * 1000 * 1000};
    nanosleep(&ts, NULL);
    abort_close(*(int *)arg);
    return NULL;
}

TEST(abort_is_not_eof)
{
    char buf[64];
    int lsn = t_listener(SOCK_STREAM, t_port(1));
    /* Nothing queued: the reset, once; then the association is gone. */
    int cli = t_connect(SOCK_STREAM, t_port(1));
    int srv = accept(lsn, NULL, NULL);
    CHECK(srv >= 0);
    abort_close(cli);
    CHECK(wait_events(srv, POLLIN, 5000) & POLLIN);
    CHECK_ERR(recv(srv, buf, sizeof buf, 0), ECONNRESET);
    CHECK_ERR(recv(srv, buf, sizeof buf, 0), ENOTCONN);
    CHECK_ERR(read(srv, buf, sizeof buf), ENOTCONN);
    close(srv);

    /* Data queued before the ABORT is read first. */
    cli = t_connect(SOCK_STREAM, t_port(1));
    srv = accept(lsn, NULL, NULL);
    CHECK(srv >= 0);
    CHECK_EQ(send(cli, "before", 6, 0), 6);
    CHECK(wait_events(srv, POLLIN, 5000) & POLLIN);
    abort_close(cli);
    CHECK_EQ(recv(srv, buf, sizeof buf, 0), 6);
    CHECK(memcmp(buf, "before", 6) == 0);
    CHECK_ERR(recv(srv, buf, sizeof buf, 0), ECONNRESET);
    CHECK_ERR(recv(srv, buf, sizeof buf, 0), ENOTCONN);
    close(srv);

    /* A send that reported the reset does not hide it from recv (Linux
     * keeps the socket error for the receive). */
    cli = t_connect(SOCK_STREAM, t_port(1));
    srv = accept(lsn, NULL, NULL);
    CHECK(srv >= 0);
    abort_close(cli);
    CHECK(wait_events(srv, POLLIN, 5000) & POLLIN);
    CHECK_ERR(send(srv, "x", 1, MSG_NOSIGNAL), ECONNRESET);
    CHECK_ERR(send(srv, "x", 1, MSG_NOSIGNAL), EPIPE);
    CHECK_ERR(recv(srv, buf, sizeof buf, 0), ECONNRESET);
    close(srv);

    /* A reader blocked when the ABORT comes wakes with the reset. */
    cli = t_connect(SOCK_STREAM, t_port(1));
    srv = accept(lsn, NULL, NULL);
    CHECK(srv >= 0);
    pthread_t th;
    CHECK_EQ(pthread_create(&th, NULL, abort_later, &cli), 0);
    CHECK_ERR(recv(srv, buf, sizeof buf, 0), ECONNRESET);
    pthread_join(th, NULL);
    close(srv);
    close(lsn);
}

/* Waits (bounded) until everything fd sent is acknowledged: it is then
 * in the peer's stack. */
static void wait_acked(int fd)
{
    for (int i = 0; i < 500; i++) {
        struct sctp_status st;
        socklen_t l = sizeof st;
        memset(&st, 0, sizeof st);
        CHECK_EQ(getsockopt(fd, SOL_SCTP, SCTP_STATUS, &st, &l), 0);
        if (st.sstat_unackdata == 0 && st.sstat_penddata == 0)
            return;
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    CHECK(!"data acknowledged within 5 s");
}

static void set_rcvtimeo(int fd, int ms)
{
    struct timeval tv = {ms / 1000, (ms % 1000) * 1000};
    CHECK_EQ(setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv), 0);
}

static void recv_is(int fd, const char *want, int flags)
{
    char buf[64];
    struct iovec iv = {buf, sizeof buf};
    struct msghdr m = {.msg_iov = &iv, .msg_iovlen = 1};
    ssize_t n = recvmsg(fd, &m, flags);
    CHECK_EQ(n, (ssize_t)strlen(want));
    CHECK(memcmp(buf, want, strlen(want)) == 0);
    CHECK(m.msg_flags & MSG_EOR);
}

TEST(recv_without_association)
{
    char buf[16];
    /* One-to-many, not listening, no association: nothing can come. */
    int one = socket(AF_INET, SOCK_SEQPACKET, IPPROTO_SCTP);
    CHECK(one >= 0);
    CHECK_ERR(recv(one, buf, sizeof buf, MSG_DONTWAIT), EAGAIN);
    CHECK_ERR(recv(one, buf, sizeof buf, 0), ENOTCONN);
    struct sockaddr_in a = t_addr(t_port(4));
    CHECK_EQ(bind(one, (struct sockaddr *)&a, sizeof a), 0);
    CHECK_ERR(recv(one, buf, sizeof buf, 0), ENOTCONN);
    /* Listening, it waits (and times out). */
    CHECK_EQ(listen(one, 1), 0);
    set_rcvtimeo(one, 100);
    CHECK_ERR(recv(one, buf, sizeof buf, 0), EAGAIN);
    /* With an association, it waits too. */
    int many = socket(AF_INET, SOCK_SEQPACKET, IPPROTO_SCTP);
    CHECK_EQ(sendto(many, "x", 1, 0, (struct sockaddr *)&a, sizeof a), 1);
    CHECK_EQ(recv(one, buf, sizeof buf, 0), 1);
    set_rcvtimeo(many, 100);
    CHECK_ERR(recv(many, buf, sizeof buf, 0), EAGAIN);
    close(many);
    close(one);
    /* A one-to-one socket that never connected: ENOTCONN, or EAGAIN
     * without waiting. */
    int s = socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP);
    CHECK_ERR(recv(s, buf, sizeof buf, 0), ENOTCONN);
    CHECK_ERR(recv(s, buf, sizeof buf, MSG_DONTWAIT), EAGAIN);
    close(s);
}

TEST(recv_after_shut_rd)
{
    char buf[16];
    int hows[] = {SHUT_RD, SHUT_RDWR};
    for (int k = 0; k < 2; k++) {
        int lsn, cli, srv;
        t_pair(t_port(5), &lsn, &cli, &srv);
        CHECK_EQ(send(cli, "queued1", 7, 0), 7);
        CHECK_EQ(send(cli, "queued2", 7, 0), 7);
        wait_acked(cli);
        CHECK_EQ(shutdown(srv, hows[k]), 0);
        /* (Linux's sctp_poll: POLLHUP once both ways are shut down.) */
        CHECK_EQ(wait_events(srv, POLLIN | POLLRDHUP, 0),
                 POLLIN | POLLRDHUP | (hows[k] == SHUT_RDWR ? POLLHUP : 0));
        /* What was queued stays readable, whole... */
        recv_is(srv, "queued1", 0);
        recv_is(srv, "queued2", MSG_DONTWAIT);
        /* ...then end of file, at once. */
        CHECK_EQ(recv(srv, buf, sizeof buf, 0), 0);
        CHECK_EQ(recv(srv, buf, sizeof buf, 0), 0);
        CHECK_EQ(recv(srv, buf, sizeof buf, MSG_DONTWAIT), 0);
        if (hows[k] == SHUT_RD) {
            /* What comes later is dropped, and sending still works. */
            CHECK_EQ(send(cli, "later", 5, 0), 5);
            wait_acked(cli);
            CHECK_EQ(recv(srv, buf, sizeof buf, 0), 0);
            CHECK_EQ(send(srv, "back", 4, 0), 4);
            recv_is(cli, "back", 0);
        }
        close(cli);
        close(srv);
        close(lsn);
    }
}

TEST(recv_after_own_shutdown)
{
    char buf[16];
    int lsn, cli, srv;
    t_pair(t_port(6), &lsn, &cli, &srv);
    CHECK_EQ(send(srv, "late", 4, 0), 4);
    wait_acked(srv);
    CHECK_EQ(shutdown(cli, SHUT_WR), 0);
    /* The side that received the peer's SHUTDOWN reads end of file... */
    CHECK_EQ(recv(srv, buf, sizeof buf, 0), 0);
    /* ...the one that shut down first reads what was queued, then
     * ENOTCONN once the association is gone (the read waits for that),
     * and nothing more: no read event, EAGAIN without waiting. */
    recv_is(cli, "late", 0);
    CHECK_ERR(recv(cli, buf, sizeof buf, 0), ENOTCONN);
    CHECK_ERR(recv(cli, buf, sizeof buf, 0), ENOTCONN);
    CHECK_EQ(wait_events(cli, POLLIN | POLLRDHUP, 300), 0);
    CHECK_ERR(recv(cli, buf, sizeof buf, MSG_DONTWAIT), EAGAIN);
    /* Shutting down after the peer's SHUTDOWN keeps the end of file. */
    CHECK_EQ(shutdown(srv, SHUT_WR), 0);
    CHECK_EQ(recv(srv, buf, sizeof buf, 0), 0);
    close(cli);
    close(srv);
    close(lsn);
}

/* A listener that stops itself (SIGSTOP) once it listens: a connect to
 * it stays in progress until the parent lets it go on. */
static int role_stopped_listener(void)
{
    int lsn = t_listener(SOCK_STREAM, t_port(7));
    raise(SIGSTOP);
    int c = accept(lsn, NULL, NULL);
    CHECK(c >= 0);
    CHECK_EQ(send(c, "hi", 2, 0), 2);
    char buf[8];
    CHECK_EQ(recv(c, buf, sizeof buf, 0), 0);
    close(c);
    close(lsn);
    return 0;
}

TEST(recv_while_connecting)
{
    char buf[16];
    pid_t pid = t_spawn_stopped("stopped_listener");
    int c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, IPPROTO_SCTP);
    struct sockaddr_in a = t_addr(t_port(7));
    CHECK_ERR(connect(c, (struct sockaddr *)&a, sizeof a), EINPROGRESS);
    /* In progress: no data yet, but not "not connected" either. */
    CHECK_ERR(recv(c, buf, sizeof buf, 0), EAGAIN);
    CHECK_EQ(fcntl(c, F_SETFL, 0), 0);
    set_rcvtimeo(c, 200);
    double t0 = t_now();
    CHECK_ERR(recv(c, buf, sizeof buf, 0), EAGAIN);
    CHECK(t_now() - t0 >= 0.15); /* it waited */
    set_rcvtimeo(c, 0);
    CHECK_EQ(kill(pid, SIGCONT), 0);
    recv_is(c, "hi", 0);
    close(c);
    t_wait_ok(pid);
}

static ssize_t recv_flags(int fd, void *buf, size_t len, int flags, int *mflags)
{
    struct iovec iv = {buf, len};
    struct msghdr m = {.msg_iov = &iv, .msg_iovlen = 1};
    ssize_t r = recvmsg(fd, &m, flags);
    *mflags = m.msg_flags;
    return r;
}

TEST(notification_in_pieces)
{
    int lsn = t_listener(SOCK_SEQPACKET, t_port(8));
    struct sctp_event ev = {.se_assoc_id = SCTP_FUTURE_ASSOC,
                            .se_type = SCTP_ASSOC_CHANGE, .se_on = 1};
    CHECK_EQ(setsockopt(lsn, SOL_SCTP, SCTP_EVENT, &ev, sizeof ev), 0);
    struct sockaddr_in a = t_addr(t_port(8));
    int c1 = socket(AF_INET, SOCK_SEQPACKET, IPPROTO_SCTP);
    CHECK_EQ(sendto(c1, "data1", 5, 0, (struct sockaddr *)&a, sizeof a), 5);
    /* The header first, as netperfmeter reads its control channel. */
    union sctp_notification n;
    unsigned char all[sizeof n + 64];
    int fl;
    struct sockaddr_in from;
    socklen_t froml = sizeof from;
    struct iovec iv = {all, sizeof n.sn_header};
    struct msghdr m = {.msg_name = &from, .msg_namelen = froml,
                       .msg_iov = &iv, .msg_iovlen = 1};
    CHECK_EQ(recvmsg(lsn, &m, 0), sizeof n.sn_header);
    CHECK(m.msg_flags & MSG_NOTIFICATION);
    CHECK(!(m.msg_flags & MSG_EOR));
    CHECK_EQ(m.msg_namelen, sizeof from);
    CHECK_EQ(ntohl(from.sin_addr.s_addr), INADDR_LOOPBACK);
    struct { uint16_t sn_type, sn_flags; uint32_t sn_length; } hdr;
    memcpy(&hdr, all, sizeof hdr);
    CHECK_EQ(hdr.sn_type, SCTP_ASSOC_CHANGE);
    CHECK(hdr.sn_length >= sizeof(struct sctp_assoc_change));
    /* A peek of the next piece leaves it. */
    CHECK_EQ(recv_flags(lsn, all + 8, 4, MSG_PEEK, &fl), 4);
    CHECK(fl & MSG_NOTIFICATION);
    /* Then the body in two more pieces, the last with MSG_EOR. */
    CHECK_EQ(recv_flags(lsn, all + 8, 4, 0, &fl), 4);
    CHECK_EQ(fl & (MSG_NOTIFICATION | MSG_EOR), MSG_NOTIFICATION);
    size_t rest = hdr.sn_length - 12;
    CHECK_EQ(recv_flags(lsn, all + 12, sizeof all - 12, 0, &fl), (ssize_t)rest);
    CHECK_EQ(fl & (MSG_NOTIFICATION | MSG_EOR), MSG_NOTIFICATION | MSG_EOR);
    memcpy(&n, all, sizeof n.sn_assoc_change);
    CHECK_EQ(n.sn_assoc_change.sac_state, SCTP_COMM_UP);
    CHECK_EQ(n.sn_assoc_change.sac_length, hdr.sn_length);
    CHECK(n.sn_assoc_change.sac_outbound_streams > 0);
    /* The message after it is intact. */
    char buf[16];
    CHECK_EQ(recv_flags(lsn, buf, sizeof buf, 0, &fl), 5);
    CHECK_EQ(fl & (MSG_NOTIFICATION | MSG_EOR), MSG_EOR);
    CHECK(memcmp(buf, "data1", 5) == 0);
    /* A second association's event read whole is the same length. */
    int c2 = socket(AF_INET, SOCK_SEQPACKET, IPPROTO_SCTP);
    CHECK_EQ(sendto(c2, "data2", 5, 0, (struct sockaddr *)&a, sizeof a), 5);
    CHECK_EQ(recv_flags(lsn, all, sizeof all, 0, &fl), (ssize_t)hdr.sn_length);
    CHECK_EQ(fl & (MSG_NOTIFICATION | MSG_EOR), MSG_NOTIFICATION | MSG_EOR);
    CHECK_EQ(recv_flags(lsn, buf, sizeof buf, 0, &fl), 5);
    close(c1);
    close(c2);
    close(lsn);
}

static void *accept_blocked(void *arg)
{
    int *p = arg;
    errno = 0;
    int r = accept(p[0], NULL, NULL);
    p[1] = r < 0 ? errno : 0;
    return NULL;
}

TEST(shutdown_listener)
{
    char buf[16];
    /* One-to-one: SHUT_WR does nothing, the listener still accepts. */
    int lsn = t_listener(SOCK_STREAM, t_port(9));
    CHECK_EQ(shutdown(lsn, SHUT_WR), 0);
    int c = t_connect(SOCK_STREAM, t_port(9));
    int a = accept(lsn, NULL, NULL);
    CHECK(a >= 0);
    close(a);
    close(c);
    /* SHUT_RD cancels a blocked accept, and every later one. */
    int hows[] = {SHUT_RD, SHUT_RDWR};
    for (int k = 0; k < 2; k++) {
        int arg[2] = {lsn, -1};
        pthread_t th;
        CHECK_EQ(pthread_create(&th, NULL, accept_blocked, arg), 0);
        struct timespec ts = {0, 100 * 1000 * 1000};
        nanosleep(&ts, NULL);
        CHECK_EQ(shutdown(lsn, hows[k]), 0);
        pthread_join(th, NULL);
        CHECK_EQ(arg[1], EINVAL);
        CHECK_ERR(accept(lsn, NULL, NULL), EINVAL);
        close(lsn);
        lsn = t_listener(SOCK_STREAM, t_port(9));
    }
    close(lsn);
    /* One-to-many listener: SHUT_WR does nothing, SHUT_RD is not
     * supported (sctp_disconnect), and it still receives. */
    lsn = t_listener(SOCK_SEQPACKET, t_port(10));
    CHECK_EQ(shutdown(lsn, SHUT_WR), 0);
    CHECK_ERR(shutdown(lsn, SHUT_RD), EOPNOTSUPP);
    CHECK_ERR(shutdown(lsn, SHUT_RDWR), EOPNOTSUPP);
    struct sockaddr_in addr = t_addr(t_port(10));
    int many = socket(AF_INET, SOCK_SEQPACKET, IPPROTO_SCTP);
    CHECK_EQ(sendto(many, "still", 5, 0, (struct sockaddr *)&addr, sizeof addr), 5);
    recv_is(lsn, "still", 0);
    /* Not listening: ENOTCONN, but reading is shut down all the same. */
    CHECK_ERR(shutdown(many, SHUT_WR), ENOTCONN);
    CHECK_ERR(shutdown(many, SHUT_RD), ENOTCONN);
    CHECK_EQ(recv(many, buf, sizeof buf, 0), 0);
    close(many);
    close(lsn);
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--role") == 0 &&
        strcmp(argv[2], "stopped_listener") == 0)
        return role_stopped_listener();
    signal(SIGALRM, on_alarm);
    signal(SIGPIPE, SIG_IGN);
    /* Each test has a minute: a call that hangs fails it.  TEST_ONLY=name
     * runs one. */
    const char *only = getenv("TEST_ONLY");
#define RUN_BOUNDED(t)                                                      \
    do {                                                                    \
        if (!only || strcmp(only, #t) == 0) {                               \
            alarm(60);                                                      \
            RUN(t);                                                         \
        }                                                                   \
    } while (0)
    RUN_BOUNDED(errno_kept);
    RUN_BOUNDED(zero_length_recv);
    RUN_BOUNDED(abort_is_not_eof);
    RUN_BOUNDED(recv_without_association);
    RUN_BOUNDED(recv_after_shut_rd);
    RUN_BOUNDED(recv_after_own_shutdown);
    RUN_BOUNDED(recv_while_connecting);
    RUN_BOUNDED(notification_in_pieces);
    RUN_BOUNDED(shutdown_listener);
    alarm(0);
    t_done("test_recv_rules");
    return 0;
}
