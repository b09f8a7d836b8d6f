/* Same-host timing that programs and their test suites rely on: on
 * loopback Linux handles the peer's packets inside the system call, so
 *   - when a non-blocking connect to a same-host listener says
 *     EINPROGRESS, accept on the listener already succeeds;
 *   - after a same-host peer's send returns, a non-blocking recv has the
 *     message;
 *   - after a same-host peer's close returns, send gives EPIPE and recv
 *     gives 0.
 * Each race is run ROUNDS times, with the peer in this process and in
 * another one.  A miss is counted (and the test goes on once the late
 * event has come), so that the output says how often each race is lost;
 * any miss fails the test.  Before the shim let the stacks handle what
 * was already queued, each was lost 2 to 12 times in 12 (66 to 99 of
 * the 108 races of a run). */
#include "testlib.h"

#include <fcntl.h>
#include <netinet/sctp.h>
#include <poll.h>
#include <signal.h>

#define ROUNDS 12

enum { ACCEPT, RECV, EPIPE_SEND, EOF_RECV, MANY_RECV, N_RACES };
static const char *race_names[N_RACES] = {
    "accept after EINPROGRESS", "recv after the peer's send",
    "EPIPE after the peer's close", "end of file after the peer's close",
    "one-to-many recv after sendto"};
static int misses[2][N_RACES]; /* [same process, other process] */

/* One byte over the control pair between the two processes. */
static void say(int fd, char c)
{
    CHECK_EQ(write(fd, &c, 1), 1);
}

static char hear(int fd)
{
    char c = 0;
    CHECK_EQ(read(fd, &c, 1), 1);
    return c;
}

/* The late event: waits (bounded) until fd is readable. */
static void wait_in(int fd)
{
    struct pollfd p = {fd, POLLIN, 0};
    CHECK_EQ(poll(&p, 1, 5000), 1);
}

/* A non-blocking accept; a miss waits for the association. */
static int accept_now(int lsn, int *miss)
{
    int s = accept4(lsn, NULL, NULL, SOCK_NONBLOCK);
    if (s >= 0)
        return s;
    CHECK_EQ(errno, EAGAIN);
    (*miss)++;
    wait_in(lsn);
    s = accept4(lsn, NULL, NULL, SOCK_NONBLOCK);
    CHECK(s >= 0);
    return s;
}

/* A non-blocking recv of a message of len bytes. */
static void recv_now(int fd, size_t len, int *miss)
{
    char buf[16];
    ssize_t r = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
    if (r < 0) {
        CHECK_EQ(errno, EAGAIN);
        (*miss)++;
        wait_in(fd);
        r = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
    }
    CHECK_EQ(r, (ssize_t)len);
}

/* The peer has closed: send says EPIPE, recv says 0 (end of file).  A
 * miss of the first may make the second an error (the message went to
 * a peer that was going away, and it aborts): counted as a miss too. */
static void closed_now(int s, int *m)
{
    char buf[16];
    errno = 0;
    ssize_t w = send(s, "x", 1, MSG_NOSIGNAL);
    int send_ok = w < 0 && errno == EPIPE;
    m[EPIPE_SEND] += !send_ok;
    ssize_t r = recv(s, buf, sizeof buf, MSG_DONTWAIT);
    if (r < 0 && errno == EAGAIN) {
        m[EOF_RECV]++;
        wait_in(s);
        r = recv(s, buf, sizeof buf, MSG_DONTWAIT);
        CHECK(r == 0 || !send_ok);
        return;
    }
    if (r != 0) {
        CHECK(!send_ok);
        m[EOF_RECV]++;
    }
}

TEST(same_process)
{
    int *m = misses[0];
    int lsn = t_listener(SOCK_STREAM, t_port(0));
    CHECK_EQ(fcntl(lsn, F_SETFL, O_NONBLOCK), 0);
    struct sockaddr_in a = t_addr(t_port(0));
    for (int i = 0; i < ROUNDS; i++) {
        int c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, IPPROTO_SCTP);
        CHECK(c >= 0);
        CHECK_ERR(connect(c, (struct sockaddr *)&a, sizeof a), EINPROGRESS);
        int s = accept_now(lsn, &m[ACCEPT]);
        struct pollfd p = {c, POLLOUT, 0};
        CHECK_EQ(poll(&p, 1, 5000), 1);
        CHECK_EQ(send(c, "ping", 4, 0), 4);
        recv_now(s, 4, &m[RECV]);
        CHECK_EQ(send(s, "pong", 4, 0), 4);
        recv_now(c, 4, &m[RECV]);
        CHECK_EQ(close(c), 0);
        closed_now(s, m);
        close(s);
    }
    /* One-to-many: a message sent on an association set up by a
     * non-blocking connect is there at once. */
    int one = t_listener(SOCK_SEQPACKET, t_port(1));
    struct sockaddr_in b = t_addr(t_port(1));
    for (int i = 0; i < ROUNDS; i++) {
        int u = socket(AF_INET, SOCK_SEQPACKET | SOCK_NONBLOCK, IPPROTO_SCTP);
        CHECK(u >= 0);
        CHECK_ERR(connect(u, (struct sockaddr *)&b, sizeof b), EINPROGRESS);
        CHECK_EQ(sendto(u, "hi", 2, 0, (struct sockaddr *)&b, sizeof b), 2);
        recv_now(one, 2, &m[MANY_RECV]);
        close(u);
    }
    close(one);
    close(lsn);
}

/* The other process: a listener that accepts when told, and reports
 * whether accept succeeded at once. */
static int role_listener(int ctl)
{
    int lsn = t_listener(SOCK_STREAM, t_port(2));
    CHECK_EQ(fcntl(lsn, F_SETFL, O_NONBLOCK), 0);
    say(ctl, 'L');
    while (hear(ctl) != 'q') {
        int miss = 0;
        int s = accept_now(lsn, &miss);
        say(ctl, miss ? 'n' : 'y');
        close(s);
    }
    close(lsn);
    return 0;
}

/* The other process: a peer that connects, then sends or closes when
 * told, and says when its call has returned. */
static int role_peer(int ctl)
{
    int c = t_connect(SOCK_STREAM, t_port(3));
    say(ctl, 'C');
    for (;;) {
        char cmd = hear(ctl);
        if (cmd == 's') {
            CHECK_EQ(send(c, "ping", 4, 0), 4);
        } else if (cmd == 'c') {
            CHECK_EQ(close(c), 0);
            say(ctl, 'd');
            break;
        }
        say(ctl, 'd');
    }
    return 0;
}

static pid_t spawn_with(const char *role, int *ctl)
{
    int sv[2];
    CHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    char v[16];
    snprintf(v, sizeof v, "%d", sv[1]);
    setenv("CTL_FD", v, 1);
    pid_t pid = t_spawn(role);
    close(sv[1]);
    *ctl = sv[0];
    return pid;
}

TEST(other_process)
{
    int *m = misses[1];
    /* A non-blocking connect here, then accept in the listener's
     * process. */
    int ctl;
    pid_t pid = spawn_with("listener", &ctl);
    CHECK_EQ(hear(ctl), 'L');
    struct sockaddr_in a = t_addr(t_port(2));
    for (int i = 0; i < ROUNDS; i++) {
        int c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, IPPROTO_SCTP);
        CHECK(c >= 0);
        CHECK_ERR(connect(c, (struct sockaddr *)&a, sizeof a), EINPROGRESS);
        say(ctl, 'a');
        if (hear(ctl) != 'y')
            m[ACCEPT]++;
        close(c);
    }
    say(ctl, 'q');
    t_wait_ok(pid);
    close(ctl);

    /* The peer's send, then its close, each seen at once here. */
    int lsn = t_listener(SOCK_STREAM, t_port(3));
    for (int i = 0; i < ROUNDS; i++) {
        pid = spawn_with("peer", &ctl);
        CHECK_EQ(hear(ctl), 'C');
        int s = accept(lsn, NULL, NULL);
        CHECK(s >= 0);
        say(ctl, 's');
        CHECK_EQ(hear(ctl), 'd');
        recv_now(s, 4, &m[RECV]);
        say(ctl, 'c');
        CHECK_EQ(hear(ctl), 'd');
        closed_now(s, m);
        t_wait_ok(pid);
        close(ctl);
        close(s);
    }
    close(lsn);
}

int main(int argc, char **argv)
{
    const char *role = t_role(argc, argv);
    if (role) {
        int ctl = atoi(getenv("CTL_FD"));
        return strcmp(role, "listener") == 0 ? role_listener(ctl)
                                             : role_peer(ctl);
    }
    t_watchdog(100);
    signal(SIGPIPE, SIG_IGN);
    RUN(same_process);
    RUN(other_process);
    alarm(0);
    int total = 0;
    for (int w = 0; w < 2; w++)
        for (int r = 0; r < N_RACES; r++) {
            if (w == 1 && r == MANY_RECV)
                continue;
            printf("%s, %s: %d missed of %d\n",
                   w ? "other process" : "same process", race_names[r],
                   misses[w][r], r == RECV && !w ? 2 * ROUNDS : ROUNDS);
            total += misses[w][r];
        }
    CHECK_EQ(total, 0);
    t_done("test_same_host");
    return 0;
}
