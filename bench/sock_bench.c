/* One client/server program on the standard socket API.  Without the shim
 * and with --tcp it measures kernel TCP; under the shim with --sctp it
 * measures SCTP one-to-one (SOCK_STREAM) or, with --seqpacket, one-to-many.
 * The server is a forked child; results go to stdout as "name value". */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/sctp.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench_util.h"

static struct bench_args A;
static struct side side;
static struct sockaddr_in srv_addr;

static void die(const char *what)
{
    perror(what);
    exit(1);
}

static int new_socket(void)
{
    int type = A.seqpacket ? SOCK_SEQPACKET : SOCK_STREAM;
    int fd = socket(AF_INET, type, A.tcp ? IPPROTO_TCP : IPPROTO_SCTP);
    if (fd < 0)
        die("socket");
    int one = 1;
    /* Request/response programs turn Nagle off; so do these. */
    if (A.tcp)
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    else
        setsockopt(fd, IPPROTO_SCTP, SCTP_NODELAY, &one, sizeof one);
    return fd;
}

static int listener(void)
{
    int fd = new_socket();
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(fd, (struct sockaddr *)&srv_addr, sizeof srv_addr) < 0)
        die("bind");
    if (listen(fd, 1024) < 0)
        die("listen");
    return fd;
}

static int connected(void)
{
    int fd = new_socket();
    if (!A.seqpacket &&
        connect(fd, (struct sockaddr *)&srv_addr, sizeof srv_addr) < 0)
        die("connect");
    return fd;
}

/* One-to-many sockets name the server on every send, as such programs do. */
static ssize_t send_msg(int fd, const void *buf, size_t len)
{
    if (A.seqpacket)
        return sendto(fd, buf, len, 0, (struct sockaddr *)&srv_addr,
                      sizeof srv_addr);
    return send(fd, buf, len, MSG_NOSIGNAL);
}

static void send_all(int fd, const void *buf, size_t len)
{
    while (len) {
        ssize_t r = send_msg(fd, buf, len);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            die("send");
        if (A.seqpacket && (size_t)r != len)
            fprintf(stderr, "short send %zd of %zu\n", r, len);
        buf = (const char *)buf + r;
        len -= (size_t)r;
    }
}

/* A stream needs the whole reply; a message is whole by itself. */
static ssize_t recv_reply(int fd, void *buf, size_t len)
{
    size_t got = 0;
    do {
        ssize_t r = recv(fd, (char *)buf + got, len - got, 0);
        if (r <= 0)
            return r;
        got += (size_t)r;
    } while (!A.seqpacket && got < len);
    return (ssize_t)got;
}

/* ---- servers (forked child) ------------------------------------------ */

/* One-to-many: every message with its sender, to answer it. */
static ssize_t recv_from(int fd, void *buf, size_t len, struct sockaddr_in *from)
{
    socklen_t fl = sizeof *from;
    return recvfrom(fd, buf, len, 0, (struct sockaddr *)from, &fl);
}

static void serve_bulk(int lfd, char *buf, size_t cap)
{
    uint64_t bytes = 0;
    ssize_t r;
    if (A.seqpacket) {
        struct sockaddr_in from;
        /* The last message starts with 'E' (data is all zeroes). */
        while ((r = recv_from(lfd, buf, cap, &from)) > 0 && buf[0] != 'E')
            bytes += (uint64_t)r;
    } else {
        int fd = accept(lfd, NULL, NULL);
        while ((r = recv(fd, buf, cap, 0)) > 0)
            bytes += (uint64_t)r;
        close(fd);
    }
    side_report(&side, "%llu", (unsigned long long)bytes);
}

static void serve_rr(int lfd, char *buf)
{
    if (A.seqpacket) {
        struct sockaddr_in from;
        ssize_t r;
        while ((r = recv_from(lfd, buf, A.size, &from)) > 1)
            sendto(lfd, buf, (size_t)r, 0, (struct sockaddr *)&from, sizeof from);
    } else {
        int fd = accept(lfd, NULL, NULL);
        while (recv_reply(fd, buf, A.size) == (ssize_t)A.size)
            send_all(fd, buf, A.size);
        close(fd);
    }
    side_report(&side, "ok");
}

/* Each connection asks one byte and gets it back; 'Q' ends the test. */
static void serve_connect(int lfd)
{
    char c = 0;
    while (c != 'Q') {
        if (A.seqpacket) {
            struct sockaddr_in from;
            if (recv_from(lfd, &c, 1, &from) != 1)
                continue;
            sendto(lfd, &c, 1, 0, (struct sockaddr *)&from, sizeof from);
        } else {
            int fd = accept(lfd, NULL, NULL);
            if (fd < 0)
                continue;
            if (recv(fd, &c, 1, 0) == 1)
                send(fd, &c, 1, MSG_NOSIGNAL);
            close(fd);
        }
    }
    side_report(&side, "ok");
}

/* Counts A.msgs messages over all associations; TCP multiplexes its
 * connections with epoll, as a TCP server of many clients does. */
static void serve_many(int lfd, char *buf, size_t cap, long rss0)
{
    uint64_t want = (uint64_t)A.msgs * A.size, got = 0;
    if (A.seqpacket) {
        struct sockaddr_in from;
        ssize_t r;
        while (got < want && (r = recv_from(lfd, buf, cap, &from)) > 0)
            got += (uint64_t)r;
    } else {
        int ep = epoll_create1(0);
        struct epoll_event ev = {.events = EPOLLIN, .data.fd = lfd}, evs[64];
        epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev);
        while (got < want) {
            int n = epoll_wait(ep, evs, 64, -1);
            for (int i = 0; i < n; i++) {
                int fd = evs[i].data.fd;
                if (fd == lfd) {
                    int c = accept(lfd, NULL, NULL);
                    struct epoll_event ce = {.events = EPOLLIN, .data.fd = c};
                    if (c >= 0)
                        epoll_ctl(ep, EPOLL_CTL_ADD, c, &ce);
                    continue;
                }
                ssize_t r = recv(fd, buf, cap, 0);
                if (r > 0)
                    got += (uint64_t)r;
                else
                    epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL);
            }
        }
    }
    side_report(&side, "%ld", rss_kib() - rss0);
}

static void server(void)
{
    size_t cap = A.size > 65536 ? A.size : 65536;
    char *buf = malloc(cap * 4);
    int lfd = listener();
    long rss0 = rss_kib();
    side_ready(&side);
    if (!strcmp(A.test, "bulk"))
        serve_bulk(lfd, buf, cap * 4);
    else if (!strcmp(A.test, "rr"))
        serve_rr(lfd, buf);
    else if (!strcmp(A.test, "connect"))
        serve_connect(lfd);
    else
        serve_many(lfd, buf, cap, rss0);
    free(buf);
    /* Wait for the client to go: closing first would abort its
     * associations while their last SACKs are in flight. */
    side_wait_bye(&side);
    close(lfd);
}

/* ---- clients ------------------------------------------------------------ */

static void client_bulk(void)
{
    char *buf = calloc(1, A.size);
    char res[128];
    int fd = connected();
    uint64_t t0 = now_ns(), end = t0 + (uint64_t)(A.secs * 1e9);
    long n = 0;
    do {
        for (int i = 0; i < 16; i++, n++)
            send_all(fd, buf, A.size);
    } while (now_ns() < end);
    if (A.seqpacket) {
        buf[0] = 'E';
        send_all(fd, buf, A.size);
    } else {
        shutdown(fd, SHUT_WR);
    }
    side_result(&side, res, sizeof res);
    double secs = (double)(now_ns() - t0) / 1e9;
    unsigned long long bytes = strtoull(res, NULL, 10);
    if (bytes != (unsigned long long)n * A.size)
        fprintf(stderr, "bulk: sent %llu, received %llu\n",
                (unsigned long long)n * A.size, bytes);
    printf("bulk_MBps %.1f\nbulk_msgs_per_s %.0f\n", bytes / secs / 1e6,
           (double)n / secs);
    close(fd);
    free(buf);
}

static void client_rr(void)
{
    char *buf = calloc(1, A.size);
    char res[64];
    int fd = connected();
    /* Warm-up: the first exchanges include set-up. */
    for (int i = 0; i < 100; i++) {
        send_all(fd, buf, A.size);
        if (recv_reply(fd, buf, A.size) != (ssize_t)A.size)
            die("rr recv");
    }
    uint64_t t0 = now_ns(), end = t0 + (uint64_t)(A.secs * 1e9);
    long n = 0;
    do {
        send_all(fd, buf, A.size);
        if (recv_reply(fd, buf, A.size) != (ssize_t)A.size)
            die("rr recv");
        n++;
    } while ((n & 63) || now_ns() < end);
    double us = (double)(now_ns() - t0) / 1e3 / (double)n;
    if (A.seqpacket)
        send_all(fd, "E", 1);
    else
        shutdown(fd, SHUT_WR);
    side_result(&side, res, sizeof res);
    printf("rr_us %.2f\n", us);
    close(fd);
    free(buf);
}

static void one_connection(char c)
{
    int fd = connected();
    send_all(fd, &c, 1);
    if (recv_reply(fd, &c, 1) != 1)
        die("connect reply");
    close(fd);
}

static void client_connect(void)
{
    char res[64];
    uint64_t t0 = now_ns(), end = t0 + (uint64_t)(A.secs * 1e9);
    long n = 0;
    do {
        one_connection('c');
        n++;
    } while (now_ns() < end);
    double secs = (double)(now_ns() - t0) / 1e9;
    one_connection('Q');
    side_result(&side, res, sizeof res);
    printf("connect_per_s %.0f\n", (double)n / secs);
}

static void client_many(void)
{
    int n = A.assocs;
    int *fds = calloc((size_t)n, sizeof *fds);
    char *buf = calloc(1, A.size);
    char res[64];
    long rss0 = rss_kib();
    uint64_t t0 = now_ns();
    for (int i = 0; i < n; i++)
        fds[i] = connected();
    for (long m = 0; m < A.msgs; m++)
        send_all(fds[m % n], buf, A.size);
    side_result(&side, res, sizeof res);
    print_many(t0, A.msgs, n, res, rss0);
    for (int i = 0; i < n; i++)
        close(fds[i]);
    free(fds);
    free(buf);
}

static void *sleep_forever(void *arg)
{
    (void)arg;
    for (;;)
        pause();
    return NULL;
}

/* A process that opened an SCTP socket and does nothing: its CPU use. */
static void idle(void)
{
    int fd = listener();
    uint64_t c0 = cpu_ns(), t0 = now_ns();
    struct timespec ts = {(time_t)A.secs, (long)((A.secs - (time_t)A.secs) * 1e9)};
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
        ;
    printf("idle_cpu_pct %.3f\n",
           100.0 * (double)(cpu_ns() - c0) / (double)(now_ns() - t0));
    close(fd);
}

int main(int argc, char **argv)
{
    bench_parse(argc, argv, &A);
    raise_fd_limit();
    signal(SIGPIPE, SIG_IGN);
    setvbuf(stdout, NULL, _IOLBF, 0);
    srv_addr.sin_family = AF_INET;
    srv_addr.sin_port = htons((uint16_t)A.port);
    srv_addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (!strcmp(A.test, "pipe")) {
        /* With --sctp an SCTP socket is open, so the shim's descriptor
         * table is live while the pipe is used: the case that costs. */
        int fd = A.tcp ? -1 : new_socket();
        run_pipe_test(A.secs);
        if (fd >= 0)
            close(fd);
        return 0;
    }
    if (!strcmp(A.test, "pipe_thread")) {
        /* No shim, one idle thread: what being multi-threaded alone costs
         * ordinary I/O (an SCTP socket brings the stack's threads). */
        pthread_t t;
        if (pthread_create(&t, NULL, sleep_forever, NULL) != 0)
            die("pthread_create");
        run_pipe_test(A.secs);
        return 0;
    }
    if (!strcmp(A.test, "idle")) {
        idle();
        return 0;
    }
    if (strcmp(A.test, "bulk") && strcmp(A.test, "rr") &&
        strcmp(A.test, "connect") && strcmp(A.test, "many")) {
        fprintf(stderr, "unknown test %s\n", A.test);
        return 2;
    }
    side_open(&side);
    pid_t pid = fork();
    if (pid < 0)
        die("fork");
    if (pid == 0) {
        /* Each process of a pair needs its own encapsulation port; the
         * shim reads this at its first SCTP socket. */
        char port[16];
        snprintf(port, sizeof port, "%d", A.udp_port);
        setenv("SCTPSHIM_UDP_PORT", port, 1);
        side_child(&side);
        server();
        exit(0);
    }
    char port[16];
    snprintf(port, sizeof port, "%d", A.udp_port + 1);
    setenv("SCTPSHIM_UDP_PORT", port, 1);
    side_parent(&side);
    side_wait_ready(&side);
    if (!strcmp(A.test, "bulk"))
        client_bulk();
    else if (!strcmp(A.test, "rr"))
        client_rr();
    else if (!strcmp(A.test, "connect"))
        client_connect();
    else
        client_many();
    side_bye(&side);
    int st;
    waitpid(pid, &st, 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}
