/* Two processes exchange data over the transport TEST_EXPECT names
 * ("udp": RFC 6951 encapsulation, the default; "raw": IP protocol 132),
 * and the process's own sockets show which one was really used. */
#include <dirent.h>
#include <signal.h>
#include <sys/wait.h>

#include "testlib.h"

/* How many of this process's sockets appear in a /proc/net table,
 * optionally only those whose local "port" (the protocol, for raw
 * sockets) is want_port. */
static int own_sockets_in(const char *table, int want_port)
{
    unsigned long inodes[256];
    int n = 0, found = 0;
    DIR *d = opendir("/proc/self/fd");
    struct dirent *e;
    while (d && (e = readdir(d)) && n < 256) {
        char path[300], link[64];
        snprintf(path, sizeof path, "/proc/self/fd/%s", e->d_name);
        ssize_t l = readlink(path, link, sizeof link - 1);
        if (l > 0) {
            link[l] = 0;
            if (sscanf(link, "socket:[%lu]", &inodes[n]) == 1)
                n++;
        }
    }
    if (d)
        closedir(d);
    FILE *f = fopen(table, "r");
    if (!f)
        return 0;
    char line[512];
    while (fgets(line, sizeof line, f)) {
        char local[128];
        unsigned long inode;
        if (sscanf(line, "%*d: %127s %*s %*s %*s %*s %*s %*s %*s %lu", local,
                   &inode) != 2)
            continue;
        unsigned port = 0;
        char *colon = strrchr(local, ':');
        if (colon)
            port = (unsigned)strtoul(colon + 1, NULL, 16);
        for (int i = 0; i < n; i++)
            if (inodes[i] == inode && (want_port < 0 || (int)port == want_port))
                found++;
    }
    fclose(f);
    return found;
}

int main(void)
{
    const char *expect = getenv("TEST_EXPECT");
    CHECK(expect != NULL);
    /* Two independent processes: fork before either opens a socket (what
     * a fork does to an open stack is test_process's subject). */
    int ready[2];
    CHECK_EQ(pipe(ready), 0);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        char go;
        CHECK_EQ(read(ready[0], &go, 1), 1);
        int c = t_connect(SOCK_STREAM, t_port(0));
        static char big[200000];
        for (size_t i = 0; i < sizeof big; i++)
            big[i] = (char)(i % 251);
        CHECK_EQ(send(c, big, sizeof big, 0), (long long)sizeof big);
        close(c);
        exit(0);
    }
    int lsn = t_listener(SOCK_STREAM, t_port(0));
    int raw = own_sockets_in("/proc/net/raw", IPPROTO_SCTP) +
              own_sockets_in("/proc/net/raw6", IPPROTO_SCTP);
    int udp = own_sockets_in("/proc/net/udp", -1) +
              own_sockets_in("/proc/net/udp6", -1);
    fprintf(stderr, "raw SCTP sockets %d, UDP sockets %d\n", raw, udp);
    if (strcmp(expect, "raw") == 0) {
        CHECK(raw >= 1);
        CHECK_EQ(udp, 0);
    } else {
        CHECK_EQ(raw, 0);
        CHECK(udp >= 1);
    }
    CHECK_EQ(write(ready[1], "g", 1), 1);
    int s = accept(lsn, NULL, NULL);
    CHECK(s >= 0);
    static char got[200000];
    /* A message this large may come in pieces (partial delivery, as on
     * Linux): only the last one carries MSG_EOR. */
    size_t n = 0;
    int eor = 0;
    while (!eor) {
        struct iovec iv = {got + n, sizeof got - n};
        struct msghdr m = {.msg_iov = &iv, .msg_iovlen = 1};
        ssize_t r = recvmsg(s, &m, 0);
        CHECK(r > 0);
        n += (size_t)r;
        eor = (m.msg_flags & MSG_EOR) != 0;
        CHECK(n <= sizeof got);
    }
    CHECK_EQ(n, (long long)sizeof got);
    for (size_t i = 0; i < sizeof got; i++)
        CHECK(got[i] == (char)(i % 251));
    CHECK_EQ(recv(s, got, sizeof got, 0), 0);
    int st;
    CHECK_EQ(waitpid(pid, &st, 0), pid);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    /* Nobody listens on the next port: refused at once in either mode. */
    int c = socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP);
    struct sockaddr_in a = t_addr(t_port(1));
    CHECK_ERR(connect(c, (struct sockaddr *)&a, sizeof a), ECONNREFUSED);
    close(c);
    close(s);
    close(lsn);
    t_done("test_transport");
    return 0;
}
