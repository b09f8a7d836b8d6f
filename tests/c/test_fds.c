/* Descriptors and memory: an SCTP socket costs the program one descriptor
 * number, as on a kernel, and EMFILE comes at the kernel's count; the
 * shim's own descriptors (one per socket, one per claimed port) take
 * numbers above the program's soft limit.  Where the limits leave no room
 * above, EMFILE still comes as EMFILE, at once, from socket, bind and the
 * implicit binds.  Memory per idle socket and per association is
 * measured and printed. */
#include <linux/capability.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "testlib.h"

#define MAXS 4096

/* Distinct open files behind this process's descriptors. */
static int count_files(void)
{
    static unsigned long long seen[3 * MAXS];
    int n = 0;
    DIR *d = opendir("/proc/self/fd");
    CHECK(d != NULL);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        struct stat st;
        char path[300];
        if (e->d_name[0] == '.' || atoi(e->d_name) == dirfd(d))
            continue;
        snprintf(path, sizeof path, "/proc/self/fd/%s", e->d_name);
        if (stat(path, &st) < 0)
            continue;
        unsigned long long id = (unsigned long long)st.st_dev << 40 ^ st.st_ino;
        int i;
        for (i = 0; i < n && seen[i] != id; i++)
            ;
        if (i == n && n < 3 * MAXS)
            seen[n++] = id;
    }
    closedir(d);
    return n;
}

static long rss_kib(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    CHECK(f != NULL);
    char line[256];
    long kib = -1;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "VmRSS: %ld", &kib) == 1)
            break;
    fclose(f);
    return kib;
}

static int sctp_socket(void)
{
    return socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP);
}

static int bind_any(int s)
{
    struct sockaddr_in a = t_addr(0);
    a.sin_addr.s_addr = htonl(INADDR_ANY);
    return bind(s, (struct sockaddr *)&a, sizeof a);
}

/* One descriptor per socket for the shim, and one file: the program's
 * descriptor and the shim's are the same socket.  A bound socket adds its
 * port's name (one descriptor, its map name in flight). */
TEST(per_socket)
{
    enum { N = 40 };
    int s[N];
    close(sctp_socket()); /* the stack is up */
    int fds = t_count_fds(), files = count_files();
    for (int i = 0; i < N; i++)
        CHECK((s[i] = sctp_socket()) >= 0);
    int dfds = t_count_fds() - fds, dfiles = count_files() - files;
    fprintf(stderr, "    %d idle sockets: %d descriptors, %d files\n", N, dfds, dfiles);
    CHECK(dfds <= 2 * N);
    CHECK(dfiles <= N + 1); /* the shim's sink, made once */
    for (int i = 0; i < N; i++)
        CHECK_EQ(bind_any(s[i]), 0);
    dfds = t_count_fds() - fds;
    fprintf(stderr, "    bound: %d descriptors\n", dfds);
    CHECK(dfds <= 3 * N);
    for (int i = 0; i < N; i++)
        close(s[i]);
    /* Accepted sockets share their listener's port. */
    int lsn = t_listener(SOCK_STREAM, t_port(0));
    fds = t_count_fds();
    int c[N / 2], a[N / 2];
    for (int i = 0; i < N / 2; i++) {
        c[i] = t_connect(SOCK_STREAM, t_port(0));
        CHECK((a[i] = accept(lsn, NULL, NULL)) >= 0);
    }
    dfds = t_count_fds() - fds;
    fprintf(stderr, "    %d associations (both ends here): %d descriptors\n",
            N / 2, dfds);
    /* client: its own port; accepted: none; the look-ups: one socket */
    CHECK(dfds <= (N / 2) * (3 + 2) + 1);
    for (int i = 0; i < N / 2; i++) {
        close(c[i]);
        close(a[i]);
    }
    close(lsn);
}

/* Resident memory of idle sockets and of associations. */
TEST(memory)
{
    enum { IDLE = 500, ASSOC = 200 };
    static int s[IDLE], c[ASSOC], a[ASSOC];
    close(sctp_socket());
    long r0 = rss_kib();
    for (int i = 0; i < IDLE; i++)
        CHECK((s[i] = sctp_socket()) >= 0);
    long r1 = rss_kib();
    for (int i = 0; i < IDLE; i++)
        close(s[i]);
    int lsn = t_listener(SOCK_STREAM, t_port(1));
    CHECK_EQ(listen(lsn, ASSOC), 0);
    long r2 = rss_kib();
    for (int i = 0; i < ASSOC; i++) {
        c[i] = t_connect(SOCK_STREAM, t_port(1));
        CHECK((a[i] = accept(lsn, NULL, NULL)) >= 0);
        CHECK_EQ(send(c[i], "x", 1, 0), 1);
        char b;
        CHECK_EQ(recv(a[i], &b, 1, 0), 1);
    }
    long r3 = rss_kib();
    fprintf(stderr, "    memory: %.1f KiB per idle socket, %.1f KiB per "
            "association (both ends, %d)\n", (double)(r1 - r0) / IDLE,
            (double)(r3 - r2) / ASSOC, ASSOC);
    for (int i = 0; i < ASSOC; i++) {
        close(c[i]);
        close(a[i]);
    }
    close(lsn);
}

static int fd_limit(void)
{
    struct rlimit rl;
    CHECK_EQ(getrlimit(RLIMIT_NOFILE, &rl), 0);
    return (int)rl.rlim_cur;
}

/* How many kernel sockets this process can still open: the kernel's
 * count, closed again. */
static int kernel_count(void)
{
    static int k[MAXS];
    int n = 0;
    while (n < MAXS && (k[n] = socket(AF_INET, SOCK_DGRAM, 0)) >= 0)
        n++;
    CHECK_EQ(errno, EMFILE);
    for (int i = 0; i < n; i++)
        close(k[i]);
    return n;
}

/* SCTP sockets until socket (or, bound, bind) fails: the count, errno
 * in *err; all closed again. */
static int sctp_count(int bound, int *err)
{
    static int s[MAXS];
    int n = 0, ok = 0;
    for (;;) {
        CHECK(n < MAXS);
        int fd = sctp_socket();
        if (fd < 0)
            break;
        s[n++] = fd;
        if (bound && bind_any(fd) < 0)
            break;
        ok++;
    }
    *err = errno;
    for (int i = 0; i < n; i++)
        close(s[i]);
    return ok;
}

/* With the usual soft limit under a larger hard one: as many SCTP
 * sockets as kernel sockets (the shim's first socket may use one more
 * number for a moment), bound or not; EMFILE then.  With every number
 * taken, an SCTP socket made before still binds and listens, and accept
 * says EMFILE, as on a kernel. */
static int role_kernel_count(void)
{
    struct rlimit rl;
    CHECK_EQ(getrlimit(RLIMIT_NOFILE, &rl), 0);
    if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max <= 300) {
        fprintf(stderr, "    (hard limit %ld: no room to test)\n", (long)rl.rlim_max);
        return 0;
    }
    rl.rlim_cur = 256;
    CHECK_EQ(setrlimit(RLIMIT_NOFILE, &rl), 0);
    close(sctp_socket()); /* the stack is up */
    int k = kernel_count(), err;
    int n = sctp_count(0, &err);
    fprintf(stderr, "    limit %d: %d kernel sockets, %d SCTP sockets, then %s\n",
            fd_limit(), k, n, strerror(err));
    CHECK_EQ(err, EMFILE);
    CHECK(n >= k - 1);
    int b = sctp_count(1, &err);
    fprintf(stderr, "    %d bound SCTP sockets, then %s\n", b, strerror(err));
    CHECK_EQ(err, EMFILE);
    CHECK(b >= k - 1);
    /* Every number taken: what needs no descriptor on a kernel works. */
    static int f[MAXS];
    int s = sctp_socket(), nf = 0;
    CHECK(s >= 0);
    while (nf < MAXS && (f[nf] = socket(AF_INET, SOCK_DGRAM, 0)) >= 0)
        nf++;
    CHECK_EQ(errno, EMFILE);
    CHECK_ERR(sctp_socket(), EMFILE);
    struct sockaddr_in a = t_addr(t_port(10));
    CHECK_EQ(bind(s, (struct sockaddr *)&a, sizeof a), 0);
    CHECK_EQ(listen(s, 4), 0);
    /* Linux takes the number before it looks for a connection. */
    CHECK_ERR(accept4(s, NULL, NULL, SOCK_NONBLOCK), EMFILE);
    for (int i = 0; i < nf; i++)
        close(f[i]);
    close(s);
    return 0;
}

/* Drops CAP_SYS_RESOURCE, which lets the shim raise the hard limit for a
 * moment. */
static void drop_sys_resource(void)
{
    struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct d[2];
    CHECK_EQ(syscall(SYS_capget, &h, d), 0);
    d[0].effective &= ~(1u << CAP_SYS_RESOURCE);
    d[0].permitted &= ~(1u << CAP_SYS_RESOURCE);
    d[0].inheritable &= ~(1u << CAP_SYS_RESOURCE);
    CHECK_EQ(syscall(SYS_capset, &h, d), 0);
}

/* Soft limit = hard limit and no right to raise it: the shim's own
 * descriptors take the program's numbers, and EMFILE comes earlier, but
 * as EMFILE and at once: from socket, from bind (it needs a name for the
 * port), from listen and connect (their implicit bind). */
static int role_no_room(void)
{
    drop_sys_resource();
    struct rlimit rl = {128, 128};
    CHECK_EQ(setrlimit(RLIMIT_NOFILE, &rl), 0);
    int lsn = t_listener(SOCK_STREAM, t_port(20));
    static int s[MAXS];
    int n = 0;
    while (n < MAXS && (s[n] = sctp_socket()) >= 0)
        n++;
    CHECK_EQ(errno, EMFILE);
    CHECK(n > 0);
    fprintf(stderr, "    limit 128, no room above: %d SCTP sockets, then EMFILE\n", n);
    struct sockaddr_in to = t_addr(t_port(20));
    double t0 = t_now();
    CHECK_ERR(bind_any(s[0]), EMFILE);
    CHECK_ERR(listen(s[1], 4), EMFILE);
    CHECK_ERR(connect(s[2], (struct sockaddr *)&to, sizeof to), EMFILE);
    double took = t_now() - t0;
    fprintf(stderr, "    bind, listen, connect: EMFILE in %.1f ms\n", took * 1000);
    CHECK(took < 2);
    for (int i = 0; i < n; i++)
        close(s[i]);
    close(lsn);
    return 0;
}

static void run_role(const char *role)
{
    t_wait_ok(t_spawn(role));
}

TEST(emfile_at_kernel_count)
{
    run_role("kernel_count");
}

TEST(emfile_without_room)
{
    run_role("no_room");
}

int main(int argc, char **argv)
{
    signal(SIGPIPE, SIG_IGN);
    static const struct t_role roles[] = {
        {"kernel_count", role_kernel_count},
        {"no_room", role_no_room},
        {NULL, NULL},
    };
    t_run_role(argc, argv, roles);
    RUN(per_socket);
    RUN(memory);
    RUN(emfile_at_kernel_count);
    RUN(emfile_without_room);
    t_done("test_fds");
    return 0;
}
