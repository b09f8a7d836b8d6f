/* What crosses process boundaries: port ownership between processes,
 * data queued by a process that exits, and fork. */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>

#include "testlib.h"

static void sync_read(int fd)
{
    char c;
    CHECK_EQ(read(fd, &c, 1), 1);
}

/* Two processes cannot bind the same SCTP port; the port is free again
 * when its owner dies, even by SIGKILL. */
TEST(port_owned_across_processes)
{
    int p[2];
    CHECK_EQ(pipe(p), 0);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        int s = socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP);
        struct sockaddr_in a = t_addr(t_port(0));
        if (bind(s, (struct sockaddr *)&a, sizeof a) != 0)
            _exit(2);
        if (write(p[1], "b", 1) != 1)
            _exit(3);
        pause(); /* until killed */
        _exit(0);
    }
    sync_read(p[0]);
    int s = socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP);
    struct sockaddr_in a = t_addr(t_port(0));
    CHECK_ERR(bind(s, (struct sockaddr *)&a, sizeof a), EADDRINUSE);
    /* Also on another local address of the same port. */
    struct sockaddr_in any = t_addr(t_port(0));
    any.sin_addr.s_addr = htonl(INADDR_ANY);
    CHECK_ERR(bind(s, (struct sockaddr *)&any, sizeof any), EADDRINUSE);
    CHECK_EQ(kill(pid, SIGKILL), 0);
    int st;
    CHECK_EQ(waitpid(pid, &st, 0), pid);
    CHECK(WIFSIGNALED(st));
    CHECK_EQ(bind(s, (struct sockaddr *)&a, sizeof a), 0);
    close(s);
    close(p[0]);
    close(p[1]);
}

/* A client in another process connects and talks; nothing but the
 * preload is configured. */
static int role_talk(void)
{
    int c = t_connect(SOCK_STREAM, t_port(1));
    char buf[32];
    CHECK_EQ(send(c, "ping", 4, 0), 4);
    CHECK_EQ(recv(c, buf, sizeof buf, 0), 4);
    CHECK(memcmp(buf, "pong", 4) == 0);
    close(c);
    return 0;
}

/* One talk child on lsn: its ping, our pong, its close (end of file). */
static void talk_once(int lsn)
{
    pid_t pid = t_spawn("talk");
    int s = accept(lsn, NULL, NULL);
    CHECK(s >= 0);
    char buf[32];
    CHECK_EQ(recv(s, buf, sizeof buf, 0), 4);
    CHECK(memcmp(buf, "ping", 4) == 0);
    CHECK_EQ(send(s, "pong", 4, 0), 4);
    CHECK_EQ(recv(s, buf, sizeof buf, 0), 0);
    t_wait_ok(pid);
    close(s);
}

TEST(two_processes_talk)
{
    int lsn = t_listener(SOCK_STREAM, t_port(1));
    talk_once(lsn);
    close(lsn);
}

/* A process that writes, closes and exits loses nothing: everything it
 * queued arrives and the peer sees a graceful end of file. */
static int role_write_exit(void)
{
    const size_t total = 4 << 20;
    int c = t_connect(SOCK_STREAM, t_port(2));
    static unsigned char chunk[65536];
    for (size_t off = 0; off < total; off += sizeof chunk) {
        for (size_t i = 0; i < sizeof chunk; i++)
            chunk[i] = (unsigned char)((off + i) * 131u >> 3);
        if (send(c, chunk, sizeof chunk, 0) != (ssize_t)sizeof chunk)
            return 4;
    }
    close(c);
    exit(0); /* right away, with data still queued */
}

TEST(write_close_exit_delivers)
{
    int lsn = t_listener(SOCK_STREAM, t_port(2));
    const size_t total = 4 << 20;
    pid_t pid = t_spawn("write_exit");
    int s = accept(lsn, NULL, NULL);
    CHECK(s >= 0);
    /* Read slowly at first, so that the writer exits with data queued
     * (the shim then lingers, bounded, as the kernel would). */
    usleep(300000);
    /* Silence from a vanished peer would block forever: fail instead. */
    struct timeval tv = {15, 0};
    CHECK_EQ(setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv), 0);
    static unsigned char buf[65536];
    size_t got = 0;
    for (;;) {
        ssize_t n = recv(s, buf, sizeof buf, 0);
        CHECK(n >= 0); /* an ABORT would be ECONNRESET here */
        if (n == 0)
            break;
        for (ssize_t i = 0; i < n; i++)
            if (buf[i] != (unsigned char)((got + (size_t)i) * 131u >> 3)) {
                fprintf(stderr, "byte %zu differs\n", got + (size_t)i);
                CHECK(0);
            }
        got += (size_t)n;
    }
    CHECK_EQ(got, total);
    t_wait_ok(pid);
    close(s);
    close(lsn);
}

/* After fork the child holds the inherited SCTP descriptors (issue 13;
 * tests/c/test_fork.c has the servers): its calls run in the parent's
 * stack, and its closes leave the parent's association alone.  It can
 * open new SCTP sockets of its own, on a stack of its own, under ASan too
 * (fork parks every thread first). */
TEST(fork_semantics)
{
    int lsn, cli, srv;
    lsn = t_listener(SOCK_STREAM, t_port(3));
    cli = t_connect(SOCK_STREAM, t_port(3));
    srv = accept(lsn, NULL, NULL);
    CHECK(srv >= 0);
    int lsn2 = t_listener(SOCK_STREAM, t_port(4));
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        char b[8];
        CHECK_EQ(send(cli, "x", 1, 0), 1);
        CHECK_EQ(recv(srv, b, sizeof b, 0), 1);
        CHECK_EQ(b[0], 'x');
        struct pollfd p = {lsn, POLLIN, 0};
        CHECK_EQ(poll(&p, 1, 0), 0); /* nothing to accept, here too */
        CHECK_EQ(close(cli), 0);
        CHECK_EQ(close(srv), 0);
        CHECK_EQ(close(lsn), 0);
        CHECK_EQ(close(lsn2), 0);
        int c = t_connect(SOCK_STREAM, t_port(4));
        CHECK_EQ(send(c, "from child", 10, 0), 10);
        CHECK_EQ(recv(c, b, sizeof b, 0), 2);
        CHECK(memcmp(b, "ok", 2) == 0);
        close(c);
        exit(0);
    }
    char buf[32];
    int s2 = accept(lsn2, NULL, NULL);
    CHECK(s2 >= 0);
    CHECK_EQ(recv(s2, buf, sizeof buf, 0), 10);
    CHECK(memcmp(buf, "from child", 10) == 0);
    CHECK_EQ(send(s2, "ok", 2, 0), 2);
    t_wait_ok(pid);
    /* The parent's own association is unharmed by the child's closes. */
    CHECK_EQ(send(cli, "still here", 10, 0), 10);
    CHECK_EQ(recv(srv, buf, sizeof buf, 0), 10);
    CHECK(memcmp(buf, "still here", 10) == 0);
    CHECK_EQ(recv(s2, buf, sizeof buf, 0), 0);
    close(s2);
    close(lsn2);
    close(cli);
    close(srv);
    close(lsn);
}

/* A same-host peer that talks, closes and exits, forty times over: each
 * new child takes the UDP port the one before left (9899), and the news
 * of a child's death must end only that child's association, and only
 * after what it sent before dying (the end of its shutdown).  Before, the
 * death's ABORT overtook the child's last packets, or ended the next
 * child's association on the same port: ECONNRESET instead of end of
 * file in about one round in fifteen. */
TEST(close_exit_rounds)
{
    int lsn = t_listener(SOCK_STREAM, t_port(1));
    for (int i = 0; i < 40; i++)
        talk_once(lsn);
    close(lsn);
}

int main(int argc, char **argv)
{
    signal(SIGPIPE, SIG_IGN);
    if (argc == 3 && strcmp(argv[1], "--role") == 0)
        return strcmp(argv[2], "talk") == 0 ? role_talk() : role_write_exit();
    RUN(port_owned_across_processes);
    RUN(two_processes_talk);
    RUN(write_close_exit_delivers);
    RUN(fork_semantics);
    RUN(close_exit_rounds);
    t_done("test_process");
    return 0;
}
