/* Process life: a closed socket lets go of its descriptors and its port
 * as soon as its association is gone, without waiting for the program's
 * next SCTP call (Linux frees the port with the association). */
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>

#include "testlib.h"

#define CONNS 4
#define BYTES (128 * 1024)

static void fill(unsigned char *buf, size_t n, size_t off)
{
    for (size_t i = 0; i < n; i++)
        buf[i] = (unsigned char)((off + i) * 131u >> 3);
}

/* Reads one connection to its end, checking every byte. */
static void read_all(int s, size_t want)
{
    static unsigned char buf[65536], ref[65536];
    struct timeval tv = {15, 0};
    CHECK_EQ(setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv), 0);
    size_t got = 0;
    for (;;) {
        ssize_t n = recv(s, buf, sizeof buf, 0);
        CHECK(n >= 0);
        if (n == 0)
            break;
        fill(ref, (size_t)n, got);
        CHECK(memcmp(buf, ref, (size_t)n) == 0);
        got += (size_t)n;
    }
    CHECK_EQ(got, want);
}

static void send_all(int s, size_t n)
{
    static unsigned char buf[16384];
    for (size_t off = 0; off < n; off += sizeof buf) {
        fill(buf, sizeof buf, off);
        CHECK_EQ(send(s, buf, sizeof buf, 0), (ssize_t)sizeof buf);
    }
}

static int env_port(void)
{
    const char *p = getenv("LIFE_PORT");
    return p ? atoi(p) : 0;
}

/* Another process's view of a port: 0 when it could bind it. */
static int role_bind(void)
{
    int s = socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP);
    struct sockaddr_in a = t_addr(env_port());
    a.sin_addr.s_addr = htonl(INADDR_ANY);
    int r = bind(s, (struct sockaddr *)&a, sizeof a);
    if (r != 0 && errno != EADDRINUSE)
        return 2;
    return r == 0 ? 0 : 1;
}

static int port_free_elsewhere(int port)
{
    char v[16];
    snprintf(v, sizeof v, "%d", port);
    setenv("LIFE_PORT", v, 1);
    pid_t pid = t_spawn("bind");
    int st = 0;
    CHECK_EQ(waitpid(pid, &st, 0), pid);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) <= 1);
    return WEXITSTATUS(st) == 0;
}

/* Waits (bounded) until the port can be bound by another process and,
 * with fds >= 0, this process has no more descriptors than fds. */
static void wait_let_go(int port, int fds)
{
    double t0 = t_now();
    for (;;) {
        int n = t_count_fds();
        if ((fds < 0 || n <= fds) && port_free_elsewhere(port)) {
            fprintf(stderr, "    let go after %.2f s\n", t_now() - t0);
            return;
        }
        if (t_now() - t0 > 10) {
            fprintf(stderr, "    10 s after close: %d descriptors (before: %d), "
                    "port %d %s\n", n, fds, port,
                    port_free_elsewhere(port) ? "free" : "still in use");
            CHECK(0);
        }
        usleep(100000);
    }
}

/* Connects CONNS times to our listener, waits, then reads each to its
 * end: the other side closes while its data is still queued. */
static int role_slow_reader(void)
{
    int c[CONNS];
    for (int i = 0; i < CONNS; i++)
        c[i] = t_connect(SOCK_STREAM, t_port(0));
    usleep(300000);
    for (int i = 0; i < CONNS; i++) {
        read_all(c[i], BYTES);
        close(c[i]);
    }
    return 0;
}

/* A listener and its accepted sockets, closed with data in flight: the
 * port is free for another process and every descriptor is gone once the
 * associations are, with no further call into the shim. */
TEST(closed_server_lets_go)
{
    close(socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP)); /* the stack is up */
    int before = t_count_fds();
    int lsn = t_listener(SOCK_STREAM, t_port(0));
    pid_t pid = t_spawn("slow_reader");
    int s[CONNS];
    for (int i = 0; i < CONNS; i++) {
        s[i] = accept(lsn, NULL, NULL);
        CHECK(s[i] >= 0);
    }
    CHECK(!port_free_elsewhere(t_port(0)));
    for (int i = 0; i < CONNS; i++)
        send_all(s[i], BYTES);
    close(lsn);
    for (int i = 0; i < CONNS; i++)
        close(s[i]);
    wait_let_go(t_port(0), before);
    t_wait_ok(pid);
}

/* Accepts one connection, waits, and reads it to its end. */
static int role_slow_server(void)
{
    int lsn = t_listener(SOCK_STREAM, t_port(1));
    int s = accept(lsn, NULL, NULL);
    CHECK(s >= 0);
    usleep(300000);
    read_all(s, BYTES);
    close(s);
    close(lsn);
    return 0;
}

/* A client's ephemeral port is free again once its association is. */
TEST(closed_client_lets_go)
{
    pid_t pid = t_spawn("slow_server");
    int c = -1;
    for (int i = 0; i < 100 && c < 0; i++) {
        c = socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP);
        struct sockaddr_in a = t_addr(t_port(1));
        if (connect(c, (struct sockaddr *)&a, sizeof a) != 0) {
            CHECK_EQ(errno, ECONNREFUSED);
            close(c);
            c = -1;
            usleep(50000);
        }
    }
    CHECK(c >= 0);
    struct sockaddr_in me;
    socklen_t ml = sizeof me;
    CHECK_EQ(getsockname(c, (struct sockaddr *)&me, &ml), 0);
    int port = ntohs(me.sin_port);
    CHECK(!port_free_elsewhere(port));
    send_all(c, BYTES);
    close(c);
    wait_let_go(port, -1);
    t_wait_ok(pid);
}

/* A program that takes SIGTERM with sigwait once its SCTP sockets are
 * open: the signal must wait for it, not go to one of the stack's
 * threads (which would die by it, or run the shim's exit). */
static int role_sigwait(void)
{
    int s = socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP);
    CHECK(s >= 0);
    sigset_t term;
    sigemptyset(&term);
    sigaddset(&term, SIGTERM);
    CHECK_EQ(pthread_sigmask(SIG_BLOCK, &term, NULL), 0);
    CHECK_EQ(kill(getpid(), SIGTERM), 0);
    usleep(200000); /* time for another thread to take it, if it may */
    int sig = 0;
    CHECK_EQ(sigwait(&term, &sig), 0);
    CHECK_EQ(sig, SIGTERM);
    close(s);
    return 0;
}

TEST(sigterm_to_sigwait)
{
    t_wait_ok(t_spawn("sigwait"));
}

/* Keeps calling on the socket, as a program's other thread may while
 * main returns. */
static void *keep_asking(void *arg)
{
    int s = *(int *)arg;
    for (;;) {
        int v;
        socklen_t l = sizeof v;
        getsockopt(s, SOL_SOCKET, SO_SNDBUF, &v, &l);
    }
    return NULL;
}

/* Sends BYTES to our listener and returns from main at once, while
 * another thread keeps calling on the socket. */
static int role_busy_exit(void)
{
    int c = t_connect(SOCK_STREAM, t_port(2));
    static pthread_t t;
    static int cs;
    cs = c;
    CHECK_EQ(pthread_create(&t, NULL, keep_asking, &cs), 0);
    send_all(c, BYTES);
    return 0;
}

/* The exit takes the other thread's socket over, and that thread waits
 * in its next call for the process to end.  It waited holding the gate
 * (and the socket's lock): the stack's threads queued behind it, then
 * the exit behind them, and the process never ended. */
TEST(exit_while_a_thread_calls)
{
    int lsn = t_listener(SOCK_STREAM, t_port(2));
    pid_t pid = t_spawn("busy_exit");
    int s = accept(lsn, NULL, NULL);
    CHECK(s >= 0);
    usleep(300000); /* the exit finds data in flight, and waits */
    read_all(s, BYTES);
    double t0 = t_now();
    int st = 0;
    pid_t r;
    while ((r = waitpid(pid, &st, WNOHANG)) == 0 && t_now() - t0 < 20)
        usleep(50000);
    if (r == 0) {
        fprintf(stderr, "    still running 20 s after its data arrived\n");
        kill(pid, SIGKILL);
        waitpid(pid, &st, 0);
    }
    CHECK_EQ(r, pid);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    close(s);
    close(lsn);
}

int main(int argc, char **argv)
{
    signal(SIGPIPE, SIG_IGN);
    static const struct t_role roles[] = {
        {"bind", role_bind},
        {"slow_reader", role_slow_reader},
        {"slow_server", role_slow_server},
        {"sigwait", role_sigwait},
        {"busy_exit", role_busy_exit},
        {NULL, NULL},
    };
    t_run_role(argc, argv, roles);
    RUN(closed_server_lets_go);
    RUN(closed_client_lets_go);
    RUN(sigterm_to_sigwait);
    RUN(exit_while_a_thread_calls);
    t_done("test_life");
    return 0;
}
