/* poll, select and epoll on shim descriptors report what the kernel would:
 * read, write and hang-up readiness, level and edge triggered, in sets
 * mixed with ordinary descriptors.  Built with _FORTIFY_SOURCE, so the
 * __poll_chk / __read_chk / __recv_chk / __recvfrom_chk entry points are
 * the ones exercised. */
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/select.h>

#include "testlib.h"

static int readable(int fd, int ms)
{
    struct pollfd pf = {fd, POLLIN, 0};
    int r = poll(&pf, 1, ms);
    CHECK(r >= 0);
    return r == 1 && (pf.revents & POLLIN);
}

static int writable(int fd, int ms)
{
    struct pollfd pf = {fd, POLLOUT, 0};
    int r = poll(&pf, 1, ms);
    CHECK(r >= 0);
    return r == 1 && (pf.revents & POLLOUT);
}

TEST(poll_read)
{
    int lsn, cli, srv;
    CHECK(!readable(t_listener(SOCK_STREAM, t_port(0)), 0) || 1);
    t_pair(t_port(1), &lsn, &cli, &srv);
    CHECK(!readable(srv, 0));
    CHECK(writable(cli, 0));
    CHECK_EQ(send(cli, "ping", 4, 0), 4);
    CHECK(readable(srv, 5000));
    char buf[8];
    CHECK_EQ(recv(srv, buf, sizeof buf, 0), 4);
    CHECK(!readable(srv, 50)); /* consumed: no longer readable */
    /* Two messages, one read each: readable until both are gone. */
    CHECK_EQ(send(cli, "a", 1, 0), 1);
    CHECK_EQ(send(cli, "b", 1, 0), 1);
    CHECK(readable(srv, 5000));
    CHECK_EQ(read(srv, buf, sizeof buf), 1);
    CHECK(readable(srv, 5000));
    CHECK_EQ(read(srv, buf, sizeof buf), 1);
    CHECK(!readable(srv, 50));
    close(cli);
    close(srv);
    close(lsn);
}

TEST(poll_listener)
{
    int lsn = t_listener(SOCK_STREAM, t_port(2));
    CHECK(!readable(lsn, 0));
    CHECK(!writable(lsn, 0));
    int c = t_connect(SOCK_STREAM, t_port(2));
    CHECK(readable(lsn, 5000));
    int s = accept(lsn, NULL, NULL);
    CHECK(s >= 0);
    CHECK(!readable(lsn, 50));
    close(c);
    close(s);
    close(lsn);
}

TEST(poll_write_full_then_drained)
{
    int lsn, cli, srv;
    t_pair(t_port(3), &lsn, &cli, &srv);
    int sz = 65536;
    CHECK_EQ(setsockopt(cli, SOL_SOCKET, SO_SNDBUF, &sz, sizeof sz), 0);
    CHECK_EQ(setsockopt(srv, SOL_SOCKET, SO_RCVBUF, &sz, sizeof sz), 0);
    CHECK_EQ(fcntl(cli, F_SETFL, O_NONBLOCK), 0);
    static char chunk[4096];
    long sent = 0;
    double t0 = t_now();
    /* Big messages until one does not fit, then small ones until the
     * buffer is full: only then is the socket not writable (Linux counts
     * any free space as writable). */
    int rounds = 0;
    do {
        /* Acknowledgements of data in flight may free room for a while
         * (a delayed SACK comes 200 ms late, and with a large path MTU
         * it frees a lot); once the reader's window is closed, the
         * socket stays full. */
        for (size_t sz = sizeof chunk; sz >= 1; sz /= 8) {
            for (;;) {
                ssize_t r = send(cli, chunk, sz, 0);
                if (r < 0) {
                    CHECK_EQ(errno, EAGAIN);
                    break;
                }
                sent += r;
                CHECK(t_now() - t0 < 20);
            }
        }
        CHECK(++rounds < 50);
    } while (writable(cli, 600)); /* a SACK may come late on a loaded machine */
    CHECK(sent >= 4096);
    CHECK(!writable(cli, 200));
    /* The reader drains: the writer becomes writable again. */
    char buf[65536];
    long got = 0;
    while (!writable(cli, 0)) {
        ssize_t r = recv(srv, buf, sizeof buf, MSG_DONTWAIT);
        if (r > 0)
            got += r;
        else
            CHECK(readable(srv, 5000) || writable(cli, 0));
        CHECK(t_now() - t0 < 30);
    }
    CHECK(got > 0);
    close(cli);
    close(srv);
    close(lsn);
}

TEST(poll_hangup)
{
    int lsn, cli, srv;
    t_pair(t_port(4), &lsn, &cli, &srv);
    CHECK_EQ(close(srv), 0);
    struct pollfd pf = {cli, POLLIN | POLLRDHUP, 0};
    CHECK_EQ(poll(&pf, 1, 5000), 1);
    CHECK(pf.revents & POLLIN);
    char b;
    CHECK_EQ(read(cli, &b, 1), 0);
    pf.revents = 0;
    CHECK_EQ(poll(&pf, 1, 0), 1);
    CHECK(pf.revents & POLLRDHUP);
    CHECK(pf.revents & POLLIN);
    close(cli);
    close(lsn);
}

TEST(select_mixed_set)
{
    int lsn, cli, srv, p[2];
    t_pair(t_port(5), &lsn, &cli, &srv);
    CHECK_EQ(pipe(p), 0);
    fd_set rs;
    struct timeval tv = {0, 0};
    FD_ZERO(&rs);
    FD_SET(srv, &rs);
    FD_SET(p[0], &rs);
    int max = srv > p[0] ? srv : p[0];
    CHECK_EQ(select(max + 1, &rs, NULL, NULL, &tv), 0);
    CHECK_EQ(write(p[1], "x", 1), 1);
    CHECK_EQ(send(cli, "y", 1, 0), 1);
    int seen = 0;
    double t0 = t_now();
    while (seen != 3 && t_now() - t0 < 5) {
        FD_ZERO(&rs);
        FD_SET(srv, &rs);
        FD_SET(p[0], &rs);
        tv.tv_sec = 1;
        CHECK(select(max + 1, &rs, NULL, NULL, &tv) >= 0);
        seen |= (FD_ISSET(p[0], &rs) ? 1 : 0) | (FD_ISSET(srv, &rs) ? 2 : 0);
    }
    CHECK_EQ(seen, 3);
    char b;
    CHECK_EQ(read(p[0], &b, 1), 1); /* an ordinary fd, untouched */
    CHECK_EQ(b, 'x');
    CHECK_EQ(read(srv, &b, 1), 1);
    CHECK_EQ(b, 'y');
    fd_set ws;
    FD_ZERO(&ws);
    FD_SET(cli, &ws);
    tv.tv_sec = 0;
    CHECK_EQ(select(cli + 1, NULL, &ws, NULL, &tv), 1);
    close(p[0]);
    close(p[1]);
    close(cli);
    close(srv);
    close(lsn);
}

TEST(epoll_level_and_edge)
{
    int lsn, cli, srv;
    t_pair(t_port(6), &lsn, &cli, &srv);
    int lt = epoll_create1(0), et = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN, .data.fd = srv}, out[4];
    CHECK_EQ(epoll_ctl(lt, EPOLL_CTL_ADD, srv, &ev), 0);
    ev.events = EPOLLIN | EPOLLET;
    CHECK_EQ(epoll_ctl(et, EPOLL_CTL_ADD, srv, &ev), 0);
    CHECK_EQ(epoll_wait(lt, out, 4, 0), 0);
    CHECK_EQ(epoll_wait(et, out, 4, 0), 0);
    CHECK_EQ(send(cli, "m1", 2, 0), 2);
    CHECK_EQ(epoll_wait(lt, out, 4, 5000), 1);
    CHECK_EQ(out[0].data.fd, srv);
    CHECK_EQ(epoll_wait(et, out, 4, 5000), 1);
    /* Unread: level-triggered reports again, edge-triggered does not. */
    CHECK_EQ(epoll_wait(lt, out, 4, 0), 1);
    CHECK_EQ(epoll_wait(et, out, 4, 100), 0);
    /* A new message is a new edge, even with the first one unread. */
    CHECK_EQ(send(cli, "m2", 2, 0), 2);
    CHECK_EQ(epoll_wait(et, out, 4, 5000), 1);
    char buf[8];
    CHECK_EQ(read(srv, buf, sizeof buf), 2);
    CHECK_EQ(read(srv, buf, sizeof buf), 2);
    CHECK_EQ(epoll_wait(lt, out, 4, 50), 0);
    /* Write readiness through epoll. */
    int wp = epoll_create1(0);
    ev.events = EPOLLOUT;
    ev.data.fd = cli;
    CHECK_EQ(epoll_ctl(wp, EPOLL_CTL_ADD, cli, &ev), 0);
    CHECK_EQ(epoll_wait(wp, out, 4, 0), 1);
    CHECK(out[0].events & EPOLLOUT);
    /* Hang-up through epoll. */
    ev.events = EPOLLIN | EPOLLRDHUP;
    ev.data.fd = cli;
    int hp = epoll_create1(0);
    CHECK_EQ(epoll_ctl(hp, EPOLL_CTL_ADD, cli, &ev), 0);
    close(srv);
    CHECK_EQ(epoll_wait(hp, out, 4, 5000), 1);
    CHECK_EQ(read(cli, buf, sizeof buf), 0);
    CHECK_EQ(epoll_wait(hp, out, 4, 0), 1);
    CHECK(out[0].events & EPOLLRDHUP);
    close(lt);
    close(et);
    close(wp);
    close(hp);
    close(cli);
    close(lsn);
}

/* Lengths the compiler cannot see make FORTIFY use the checking entry
 * points (a constant length within the buffer would use the plain ones). */
static volatile size_t vlen = 16;
static volatile nfds_t vn = 2;

TEST(fortified_calls)
{
    int lsn, cli, srv;
    t_pair(t_port(7), &lsn, &cli, &srv);
    char buf[16];
    struct pollfd pf[2] = {{srv, POLLIN, 0}, {cli, POLLOUT, 0}};
    CHECK_EQ(send(cli, "abc", 3, 0), 3);
    CHECK(poll(pf, vn, 5000) >= 1); /* __poll_chk */
    pf[0].revents = 0;
    pf[1].events = 0;
    CHECK_EQ(poll(pf, vn, 5000), 1);
    CHECK(pf[0].revents & POLLIN);
    CHECK_EQ(read(srv, buf, vlen), 3); /* __read_chk */
    CHECK_EQ(send(cli, "de", 2, 0), 2);
    CHECK_EQ(recv(srv, buf, vlen, 0), 2); /* __recv_chk */
    CHECK_EQ(send(cli, "f", 1, 0), 1);
    struct sockaddr_in from;
    socklen_t fl = sizeof from;
    CHECK_EQ(recvfrom(srv, buf, vlen, 0, (struct sockaddr *)&from, &fl), 1);
    CHECK_EQ(buf[0], 'f');
    close(cli);
    close(srv);
    close(lsn);
}

/* A blocking one-to-many sender whose queue is full must resume as soon
 * as the peer has acknowledged, as on Linux.  usrsctp never says so for
 * one-to-many sockets; the shim retries such senders, and each refill once
 * waited for its quarter-second idle tick (1-2 MB/s).  The reader is a
 * process of its own, as in a real program (in one process both ends
 * share the stack's threads, which hid the stall).  Counted: sends that
 * blocked longer than 100 ms, and every message in order at the reader. */
enum { OTM_MSG = 1024, OTM_COUNT = 16384 };

static int role_otm_reader(void)
{
    int fd = t_listener(SOCK_SEQPACKET, t_port(20));
    char buf[OTM_MSG];
    CHECK_EQ(write(1, "r", 1), 1); /* listening */
    for (uint32_t want = 0; want < OTM_COUNT; want++) {
        CHECK_EQ(recv(fd, buf, sizeof buf, 0), OTM_MSG);
        uint32_t seq;
        memcpy(&seq, buf, sizeof seq);
        CHECK_EQ(seq, want);
        CHECK_EQ((unsigned char)buf[OTM_MSG - 1], want & 0xff);
    }
    close(fd);
    return 0;
}

TEST(one_to_many_full_sender_resumes)
{
    int ready[2];
    CHECK_EQ(pipe(ready), 0);
    /* The reader's stdout is the pipe: it says when it listens. */
    int saved = dup(1);
    CHECK_EQ(dup2(ready[1], 1), 1);
    pid_t rd = t_spawn("otm_reader");
    CHECK_EQ(dup2(saved, 1), 1);
    close(saved);
    close(ready[1]);
    char c;
    CHECK_EQ(read(ready[0], &c, 1), 1);
    close(ready[0]);
    int cli = socket(AF_INET, SOCK_SEQPACKET, IPPROTO_SCTP);
    CHECK(cli >= 0);
    struct sockaddr_in to = t_addr(t_port(20));
    static char msg[OTM_MSG];
    int slow = 0;
    double t0 = t_now();
    for (uint32_t i = 0; i < OTM_COUNT; i++) {
        memcpy(msg, &i, sizeof i);
        msg[OTM_MSG - 1] = (char)(i & 0xff);
        double t = t_now();
        CHECK_EQ(sendto(cli, msg, sizeof msg, 0, (struct sockaddr *)&to, sizeof to),
                 OTM_MSG);
        if (t_now() - t > 0.1)
            slow++;
    }
    t_wait_ok(rd);
    fprintf(stderr, "    16 MiB in %.2f s, %d sends blocked over 100 ms\n",
            t_now() - t0, slow);
    /* A preempted test may stall once; the lost wake-up stalled
     * refill after refill (5 to 25 times for 16 MiB here). */
    CHECK(slow <= 1);
    close(cli);
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--role") == 0)
        return role_otm_reader();
    RUN(poll_read);
    RUN(poll_listener);
    RUN(poll_write_full_then_drained);
    RUN(poll_hangup);
    RUN(select_mixed_set);
    RUN(epoll_level_and_edge);
    RUN(fortified_calls);
    RUN(one_to_many_full_sender_resumes);
    t_done("test_readiness");
    return 0;
}
