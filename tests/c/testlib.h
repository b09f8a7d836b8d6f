/* Minimal helpers for the shim's C tests.  Each test program runs under the
 * shim (LD_PRELOAD set by the harness) and exits non-zero on the first
 * failed check, printing where and why. */
#ifndef SCTPSHIM_TESTLIB_H
#define SCTPSHIM_TESTLIB_H

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int t_checks;

#define CHECK(cond)                                                         \
    do {                                                                    \
        t_checks++;                                                         \
        if (!(cond)) {                                                      \
            fprintf(stderr, "%s:%d: CHECK failed: %s (errno %d %s)\n",      \
                    __FILE__, __LINE__, #cond, errno, strerror(errno));     \
            exit(1);                                                        \
        }                                                                   \
    } while (0)

#define CHECK_EQ(a, b)                                                      \
    do {                                                                    \
        long long _a = (long long)(a), _b = (long long)(b);                 \
        t_checks++;                                                         \
        if (_a != _b) {                                                     \
            fprintf(stderr, "%s:%d: %s == %lld, expected %s == %lld "       \
                    "(errno %d %s)\n", __FILE__, __LINE__, #a, _a, #b, _b,  \
                    errno, strerror(errno));                                \
            exit(1);                                                        \
        }                                                                   \
    } while (0)

/* A call expected to fail with a given errno. */
#define CHECK_ERR(call, err)                                                \
    do {                                                                    \
        errno = 0;                                                          \
        long long _r = (long long)(call);                                   \
        t_checks++;                                                         \
        if (_r != -1 || errno != (err)) {                                   \
            fprintf(stderr, "%s:%d: %s returned %lld errno %d (%s), "       \
                    "expected -1 errno %d (%s)\n", __FILE__, __LINE__,      \
                    #call, _r, errno, strerror(errno), (err),               \
                    strerror(err));                                         \
            exit(1);                                                        \
        }                                                                   \
    } while (0)

#define TEST(name) static void name(void)
#define RUN(name)                                                           \
    do {                                                                    \
        fprintf(stderr, "  %s\n", #name);                                   \
        name();                                                             \
    } while (0)

static inline void t_done(const char *prog)
{
    printf("%s: %d checks passed\n", prog, t_checks);
}

/* Every test program gets its own port range from the harness. */
static inline int t_port(int off)
{
    const char *p = getenv("TEST_PORT");
    return (p ? atoi(p) : 20000) + off;
}

static inline struct sockaddr_in t_addr(int port)
{
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return a;
}

static inline double t_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static inline int t_listener(int type, int port)
{
    int s = socket(AF_INET, type, IPPROTO_SCTP);
    CHECK(s >= 0);
    struct sockaddr_in a = t_addr(port);
    CHECK_EQ(bind(s, (struct sockaddr *)&a, sizeof a), 0);
    CHECK_EQ(listen(s, 8), 0);
    return s;
}

static inline int t_connect(int type, int port)
{
    int c = socket(AF_INET, type, IPPROTO_SCTP);
    CHECK(c >= 0);
    struct sockaddr_in a = t_addr(port);
    CHECK_EQ(connect(c, (struct sockaddr *)&a, sizeof a), 0);
    return c;
}

/* A connected one-to-one pair inside this process. */
static inline void t_pair(int port, int *lsn, int *cli, int *srv)
{
    *lsn = t_listener(SOCK_STREAM, port);
    *cli = t_connect(SOCK_STREAM, port);
    *srv = accept(*lsn, NULL, NULL);
    CHECK(*srv >= 0);
}

/* Runs this test program again, as a process of its own that plays
 * role (main() hands "--role NAME" to the test's role function).  Tests
 * use it instead of fork() once the stack's threads run: a fresh process
 * is what two programs are, and AddressSanitizer's runtime (GCC 12) does
 * not survive fork() in a threaded process, its allocator locks can be
 * copied into the child locked. */
static inline pid_t t_spawn(const char *role)
{
    extern char **environ;
    char *argv[] = {"/proc/self/exe", "--role", (char *)role, NULL};
    pid_t pid;
    CHECK_EQ(posix_spawn(&pid, "/proc/self/exe", NULL, NULL, argv, environ), 0);
    return pid;
}

/* The process pid (a t_spawn or a fork) ended with status 0. */
static inline void t_wait_ok(pid_t pid)
{
    int st = 0;
    CHECK_EQ(waitpid(pid, &st, 0), pid);
    CHECK(WIFEXITED(st));
    CHECK_EQ(WEXITSTATUS(st), 0);
}

#endif
