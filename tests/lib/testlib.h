/* Minimal helpers for the shim's C tests.  Each test program runs under the
 * shim (LD_PRELOAD set by the harness) and exits non-zero on the first
 * failed check, printing where and why. */
#ifndef SCTPSHIM_TESTLIB_H
#define SCTPSHIM_TESTLIB_H

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int t_checks;

#define CHECK(cond)                                                         \
    do {                                                                    \
        __atomic_fetch_add(&t_checks, 1, __ATOMIC_RELAXED); /* threads */   \
        if (!(cond)) {                                                      \
            fprintf(stderr, "%s:%d: CHECK failed: %s (errno %d %s)\n",      \
                    __FILE__, __LINE__, #cond, errno, strerror(errno));     \
            exit(1);                                                        \
        }                                                                   \
    } while (0)

#define CHECK_EQ(a, b)                                                      \
    do {                                                                    \
        long long _a = (long long)(a), _b = (long long)(b);                 \
        __atomic_fetch_add(&t_checks, 1, __ATOMIC_RELAXED); /* threads */   \
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
        __atomic_fetch_add(&t_checks, 1, __ATOMIC_RELAXED); /* threads */   \
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

/* A non-blocking one-to-one socket whose connect to port is under way
 * (or done). */
static inline int t_connect_nb(int port)
{
    int c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, IPPROTO_SCTP);
    CHECK(c >= 0);
    struct sockaddr_in a = t_addr(port);
    int r = connect(c, (struct sockaddr *)&a, sizeof a);
    CHECK(r == 0 || errno == EINPROGRESS);
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

/* The role this run plays (main's "--role NAME"), or NULL. */
static inline const char *t_role(int argc, char **argv)
{
    return argc == 3 && strcmp(argv[1], "--role") == 0 ? argv[2] : NULL;
}

/* t_spawn, then wait until the new process prints "ready" (on its
 * stdout, which is a pipe to this process meanwhile). */
static inline pid_t t_spawn_ready(const char *role)
{
    int p[2];
    CHECK_EQ(pipe(p), 0);
    int saved = dup(1);
    CHECK_EQ(dup2(p[1], 1), 1);
    pid_t pid = t_spawn(role);
    CHECK_EQ(dup2(saved, 1), 1);
    close(saved);
    close(p[1]);
    char line[16] = {0};
    CHECK(read(p[0], line, sizeof line - 1) > 0);
    CHECK(strncmp(line, "ready", 5) == 0);
    close(p[0]);
    return pid;
}

/* t_spawn, then wait until the new process has stopped itself
 * (raise(SIGSTOP)) once it is where the test wants it. */
static inline pid_t t_spawn_stopped(const char *role)
{
    pid_t pid = t_spawn(role);
    int st;
    CHECK_EQ(waitpid(pid, &st, WUNTRACED), pid);
    CHECK(WIFSTOPPED(st));
    return pid;
}

/* The other side of t_spawn_ready. */
static inline void t_ready(void)
{
    printf("ready\n");
    fflush(stdout);
}

/* As many descriptors as the hard limit allows (load tests). */
static inline void t_more_descriptors(void)
{
    struct rlimit rl;
    CHECK_EQ(getrlimit(RLIMIT_NOFILE, &rl), 0);
    rl.rlim_cur = rl.rlim_max;
    CHECK_EQ(setrlimit(RLIMIT_NOFILE, &rl), 0);
}

static inline void t_watchdog_fired(int sig)
{
    (void)sig;
    static const char msg[] = "watchdog: the test did not end in time\n";
    if (write(2, msg, sizeof msg - 1) < 0)
        _exit(3);
    abort(); /* a core dump names the thread that hangs */
}

/* A test that hangs aborts after seconds instead (SIGALRM). */
static inline void t_watchdog(unsigned seconds)
{
    signal(SIGALRM, t_watchdog_fired);
    alarm(seconds);
}

/* The process pid (a t_spawn or a fork) ended with status 0. */
static inline void t_wait_ok(pid_t pid)
{
    int st = 0;
    CHECK_EQ(waitpid(pid, &st, 0), pid);
    CHECK(WIFEXITED(st));
    CHECK_EQ(WEXITSTATUS(st), 0);
}

/* Descriptors this process has open. */
static inline int t_count_fds(void)
{
    DIR *d = opendir("/proc/self/fd");
    CHECK(d != NULL);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (e->d_name[0] != '.')
            n++;
    closedir(d);
    return n - 1; /* the directory's own descriptor */
}

/* A process started by t_spawn: main hands its arguments here first,
 * and the role named in them runs and gives the exit status. */
struct t_role {
    const char *name;
    int (*fn)(void);
};

static inline void t_run_role(int argc, char **argv, const struct t_role *r)
{
    if (argc != 3 || strcmp(argv[1], "--role") != 0)
        return;
    for (; r->name; r++)
        if (strcmp(r->name, argv[2]) == 0)
            exit(r->fn());
    exit(3);
}

#endif
