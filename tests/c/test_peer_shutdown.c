/* The peer's SHUTDOWN ends what a one-to-one socket reads, as on Linux
 * (sctp_cmd_new_state sets RCV_SHUTDOWN on SHUTDOWN_RECEIVED), even while
 * the association itself lives on: here because our own data still waits
 * for the peer's window, so we cannot answer with SHUTDOWN-ACK yet.
 * usrsctp reports end of file only when the association is freed; a
 * program that reads to the end before it finishes writing waited for
 * ever, and a reader whose SHUTDOWN-COMPLETE was lost waited minutes. */
#include <fcntl.h>
#include <poll.h>

#include "testlib.h"

TEST(eof_while_our_data_waits)
{
    int lsn, a, b;
    t_pair(t_port(0), &lsn, &a, &b);
    /* b never reads: its window closes, and a keeps data it cannot send. */
    int small = 16384;
    CHECK_EQ(setsockopt(b, SOL_SOCKET, SO_RCVBUF, &small, sizeof small), 0);
    /* And a keeps little, so that b reads it soon at the end. */
    CHECK_EQ(setsockopt(a, SOL_SOCKET, SO_SNDBUF, &small, sizeof small), 0);
    CHECK_EQ(fcntl(a, F_SETFL, O_NONBLOCK), 0);
    static char buf[8192];
    memset(buf, 'x', sizeof buf);
    size_t sent = 0;
    double t0 = t_now();
    for (;;) {
        ssize_t n = send(a, buf, sizeof buf, 0);
        if (n < 0) {
            CHECK(errno == EAGAIN);
            if (t_now() - t0 > 1.0)
                break; /* the window has had time to close */
            usleep(10000);
            continue;
        }
        sent += (size_t)n;
    }
    CHECK(sent > 0);
    /* Nothing to read yet, and the peer still sends: EAGAIN. */
    CHECK_ERR(recv(a, buf, sizeof buf, 0), EAGAIN);
    /* b is done sending: its SHUTDOWN goes out (it has nothing queued). */
    CHECK_EQ(shutdown(b, SHUT_WR), 0);
    /* a: readable with end of file, within a generous bound (the shim
     * says so once the peer's SHUTDOWN has stood for a second, see
     * core/sock.c; a wake-up on the way is no failure). */
    struct pollfd p = {a, POLLIN | POLLRDHUP, 0};
    double t1 = t_now();
    while (!(p.revents & POLLRDHUP) && t_now() - t1 < 5.0) {
        p.revents = 0;
        CHECK(poll(&p, 1, 500) >= 0);
    }
    CHECK(p.revents & POLLIN);
    CHECK(p.revents & POLLRDHUP);
    CHECK_EQ(recv(a, buf, sizeof buf, 0), 0);
    CHECK_EQ(recv(a, buf, sizeof buf, 0), 0);
    /* A blocking reader is not left waiting either. */
    CHECK_EQ(fcntl(a, F_SETFL, 0), 0);
    CHECK_EQ(recv(a, buf, sizeof buf, 0), 0);
    /* Our data still goes out once b reads: every byte.  Then, b having
     * shut down first, Linux answers ENOTCONN once the association is
     * gone (only the side that received the SHUTDOWN reads 0). */
    CHECK_EQ(close(a), 0);
    size_t got = 0;
    for (;;) {
        ssize_t n = recv(b, buf, sizeof buf, 0);
        if (n < 0 && errno == ENOTCONN)
            break;
        CHECK(n > 0);
        got += (size_t)n;
    }
    CHECK_EQ(got, sent);
    close(b);
    close(lsn);
}

int main(void)
{
    t_watchdog(60);
    RUN(eof_while_our_data_waits);
    t_done("test_peer_shutdown");
    return 0;
}
