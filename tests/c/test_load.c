/* Load, held: two processes, every byte checked, the time and both
 * processes' peak RSS printed.  The first argument picks the workload.
 *
 * stream: TEST_CONNS one-to-one connections (500) through one listener,
 * TEST_BYTES (1 MiB) each, driven by edge-triggered epoll at both ends,
 * as an event-loop server and client are.  Writers send messages of 1
 * byte to 64 KiB until EAGAIN and then wait for the next EPOLLOUT edge:
 * each EAGAIN must be followed by a new edge once room appears, or the
 * connection stalls for ever (it did, for 29 to 83 of 500).
 *
 * many: TEST_ASSOCS associations (2000) on one one-to-many socket.  The
 * server holds the one-to-many socket and echoes every message to where
 * it came from; the client opens one one-to-one socket per association,
 * all at once, sends TEST_MSGS (8) messages of 16 bytes to 4 KiB on each,
 * and checks every echo, in order, as the server checks what it gets. */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/resource.h>

#include "testlib.h"

static double t0;

/* The end of a run: the server ended well; the time since the start and
 * both processes' peak RSS. */
static void report(pid_t server, const char *what)
{
    int st;
    struct rusage sru, cru;
    CHECK_EQ(wait4(server, &st, 0, &sru), server);
    CHECK(WIFEXITED(st));
    CHECK_EQ(WEXITSTATUS(st), 0);
    getrusage(RUSAGE_SELF, &cru);
    fprintf(stderr, "  %s: %.2f s; peak RSS client %ld MiB, server %ld MiB\n",
            what, t_now() - t0, cru.ru_maxrss / 1024, sru.ru_maxrss / 1024);
}

/* ---- stream ---- */
#define HDR 8
#define MAXMSG 65536

static int conns, bytes;

static unsigned char pattern(uint32_t conn, uint64_t off)
{
    return (unsigned char)(off * 131 + conn * 7 + (off >> 9));
}

static void stream_params(void)
{
    const char *c = getenv("TEST_CONNS"), *b = getenv("TEST_BYTES");
    conns = c ? atoi(c) : 500;
    bytes = b ? atoi(b) : 1 << 20;
}

/* The server: accepts every connection and reads it to its end. */
struct rconn {
    int fd;
    uint32_t id;     /* from the header */
    uint64_t got;    /* bytes of the stream, header included */
    unsigned char hdr[HDR];
    int done;
};

static int stream_server(void)
{
    stream_params();
    int lsn = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, IPPROTO_SCTP);
    CHECK(lsn >= 0);
    struct sockaddr_in a = t_addr(t_port(0));
    CHECK_EQ(bind(lsn, (struct sockaddr *)&a, sizeof a), 0);
    CHECK_EQ(listen(lsn, 4096), 0);
    int ep = epoll_create1(EPOLL_CLOEXEC);
    CHECK(ep >= 0);
    struct epoll_event ev = {.events = EPOLLIN | EPOLLET, .data.ptr = NULL};
    CHECK_EQ(epoll_ctl(ep, EPOLL_CTL_ADD, lsn, &ev), 0);
    t_ready();
    static unsigned char buf[MAXMSG * 2];
    int finished = 0, accepted = 0;
    double last = t_now();
    while (finished < conns) {
        struct epoll_event evs[64];
        int n = epoll_wait(ep, evs, 64, 1000);
        CHECK(n >= 0);
        if (n == 0 && t_now() - last > 30) {
            fprintf(stderr, "server: no progress for 30 s: %d accepted, "
                    "%d finished\n", accepted, finished);
            return 1;
        }
        for (int i = 0; i < n; i++) {
            struct rconn *c = evs[i].data.ptr;
            if (!c) {
                int fd;
                while ((fd = accept4(lsn, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
                    c = calloc(1, sizeof *c);
                    CHECK(c != NULL);
                    c->fd = fd;
                    struct epoll_event e = {.events = EPOLLIN | EPOLLRDHUP | EPOLLET,
                                            .data.ptr = c};
                    CHECK_EQ(epoll_ctl(ep, EPOLL_CTL_ADD, fd, &e), 0);
                    accepted++;
                    last = t_now();
                }
                CHECK_EQ(errno, EAGAIN);
                continue;
            }
            for (;;) { /* edge-triggered: read until EAGAIN or the end */
                ssize_t r = recv(c->fd, buf, sizeof buf, 0);
                if (r < 0) {
                    CHECK_EQ(errno, EAGAIN);
                    break;
                }
                last = t_now();
                if (r == 0) {
                    CHECK_EQ(c->got, (uint64_t)HDR + (uint64_t)bytes);
                    CHECK_EQ(c->done, 0);
                    c->done = 1;
                    finished++;
                    close(c->fd);
                    break;
                }
                for (ssize_t k = 0; k < r; k++, c->got++) {
                    if (c->got < HDR) {
                        c->hdr[c->got] = buf[k];
                        if (c->got == HDR - 1)
                            memcpy(&c->id, c->hdr, 4);
                        continue;
                    }
                    if (buf[k] != pattern(c->id, c->got - HDR)) {
                        fprintf(stderr, "server: connection %u, byte %llu wrong\n",
                                c->id, (unsigned long long)(c->got - HDR));
                        return 1;
                    }
                }
            }
        }
    }
    close(lsn);
    return 0;
}

/* The client: all connections at once, each writing its stream. */
struct wconn {
    int fd;
    uint32_t id;
    uint64_t sent;   /* header included */
    int eagain;      /* its last send said EAGAIN */
    int closed;
};

static void stream_client(int ep, pid_t server)
{
    stream_params();
    struct wconn *w = calloc((size_t)conns, sizeof *w);
    CHECK(w != NULL);
    for (int i = 0; i < conns; i++) {
        w[i].id = (uint32_t)i;
        w[i].fd = t_connect_nb(t_port(0));
        struct epoll_event e = {.events = EPOLLOUT | EPOLLET, .data.ptr = &w[i]};
        CHECK_EQ(epoll_ctl(ep, EPOLL_CTL_ADD, w[i].fd, &e), 0);
    }
    static unsigned char msg[MAXMSG];
    unsigned seed = 12345;
    int finished = 0;
    double last = t_now();
    while (finished < conns) {
        struct epoll_event evs[64];
        int n = epoll_wait(ep, evs, 64, 1000);
        CHECK(n >= 0);
        if (n == 0 && t_now() - last > 20) {
            int stalled = 0, writable = 0;
            for (int i = 0; i < conns; i++) {
                if (w[i].closed)
                    continue;
                stalled++;
                struct pollfd pf = {w[i].fd, POLLOUT, 0};
                if (w[i].eagain && poll(&pf, 1, 0) == 1)
                    writable++;
            }
            fprintf(stderr, "client: %d connections stalled, %d of them after "
                    "EAGAIN while poll() says writable\n", stalled, writable);
            CHECK_EQ(stalled, 0);
        }
        for (int i = 0; i < n; i++) {
            struct wconn *c = evs[i].data.ptr;
            if (c->closed)
                continue;
            if (evs[i].events & (EPOLLERR | EPOLLHUP)) {
                int err = 0;
                socklen_t l = sizeof err;
                getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &l);
                fprintf(stderr, "client: connection %u failed: %s\n", c->id,
                        strerror(err));
                CHECK(0);
            }
            /* edge-triggered: write until EAGAIN or the end */
            while (c->sent < (uint64_t)HDR + (uint64_t)bytes) {
                size_t len;
                if (c->sent == 0) {
                    memset(msg, 0, HDR);
                    memcpy(msg, &c->id, 4);
                    len = HDR;
                } else {
                    uint64_t off = c->sent - HDR;
                    len = 1 + (size_t)rand_r(&seed) % MAXMSG;
                    if (len > (uint64_t)bytes - off)
                        len = (size_t)((uint64_t)bytes - off);
                    for (size_t k = 0; k < len; k++)
                        msg[k] = pattern(c->id, off + k);
                }
                ssize_t r = send(c->fd, msg, len, 0);
                if (r < 0) {
                    CHECK(errno == EAGAIN || errno == ENOTCONN);
                    c->eagain = 1;
                    break;
                }
                CHECK_EQ(r, len);
                c->eagain = 0;
                c->sent += (uint64_t)r;
                last = t_now();
            }
            if (c->sent == (uint64_t)HDR + (uint64_t)bytes) {
                CHECK_EQ(close(c->fd), 0);
                c->closed = 1;
                finished++;
            }
        }
    }
    char what[96];
    snprintf(what, sizeof what, "%d connections x %d bytes", conns, bytes);
    report(server, what);
}

/* ---- many ---- */
#define MAXLEN 4096

static int assocs, msgs;

static void many_params(void)
{
    const char *a = getenv("TEST_ASSOCS"), *m = getenv("TEST_MSGS");
    assocs = a ? atoi(a) : 2000;
    msgs = m ? atoi(m) : 8;
}

/* Message seq of association id: a header and a pattern, of a length
 * both sides derive from (id, seq). */
static size_t msg_len(uint32_t id, uint32_t seq)
{
    return 16 + (id * 2654435761u + seq * 40503u) % (MAXLEN - 16);
}

static void fill(char *m, uint32_t id, uint32_t seq)
{
    size_t len = msg_len(id, seq);
    memcpy(m, &id, 4);
    memcpy(m + 4, &seq, 4);
    for (size_t i = 8; i < len; i++)
        m[i] = (char)(id * 13 + seq * 7 + i);
}

static int intact(const char *m, size_t n, uint32_t *id, uint32_t *seq)
{
    if (n < 8)
        return 0;
    memcpy(id, m, 4);
    memcpy(seq, m + 4, 4);
    if (*id >= (uint32_t)assocs || *seq >= (uint32_t)msgs ||
        n != msg_len(*id, *seq))
        return 0;
    char want[MAXLEN];
    fill(want, *id, *seq);
    return memcmp(m, want, n) == 0;
}

static int many_server(void)
{
    many_params();
    int s = socket(AF_INET, SOCK_SEQPACKET, IPPROTO_SCTP);
    CHECK(s >= 0);
    struct sockaddr_in a = t_addr(t_port(0));
    CHECK_EQ(bind(s, (struct sockaddr *)&a, sizeof a), 0);
    CHECK_EQ(listen(s, 1), 0);
    t_ready();
    uint32_t *next = calloc((size_t)assocs, sizeof *next);
    CHECK(next != NULL);
    long total = (long)assocs * msgs, got = 0;
    static char buf[MAXLEN + 64];
    for (;;) {
        struct pollfd p = {s, POLLIN, 0};
        CHECK(poll(&p, 1, 60000) == 1);
        struct sockaddr_in from;
        socklen_t fl = sizeof from;
        ssize_t r = recvfrom(s, buf, sizeof buf, MSG_DONTWAIT,
                             (struct sockaddr *)&from, &fl);
        if (r < 0 && errno == EAGAIN)
            continue;
        CHECK(r > 0);
        if (r == 3 && memcmp(buf, "bye", 3) == 0)
            break;
        uint32_t id, seq;
        CHECK(intact(buf, (size_t)r, &id, &seq));
        CHECK_EQ(seq, next[id]);
        next[id]++;
        got++;
        CHECK_EQ(sendto(s, buf, (size_t)r, 0, (struct sockaddr *)&from, fl), r);
    }
    CHECK_EQ(got, total);
    fprintf(stderr, "  server: %ld messages from %d associations\n", got, assocs);
    close(s);
    return 0;
}

struct conn {
    int fd;
    uint32_t sent, back;
};

static void many_client(int ep, pid_t server)
{
    many_params();
    double t_start = t_now();
    struct conn *c = calloc((size_t)assocs, sizeof *c);
    CHECK(c != NULL);
    for (int i = 0; i < assocs; i++) {
        c[i].fd = t_connect_nb(t_port(0));
        struct epoll_event e = {.events = EPOLLIN | EPOLLOUT, .data.u32 = (uint32_t)i};
        CHECK_EQ(epoll_ctl(ep, EPOLL_CTL_ADD, c[i].fd, &e), 0);
    }
    double t_conn = t_now() - t_start;
    long total = (long)assocs * msgs, back = 0;
    static char buf[MAXLEN + 64];
    double last = t_now();
    while (back < total) {
        struct epoll_event evs[64];
        int n = epoll_wait(ep, evs, 64, 1000);
        CHECK(n >= 0);
        if (n == 0 && t_now() - last > 60) {
            fprintf(stderr, "client: no progress for 60 s, %ld of %ld back\n",
                    back, total);
            CHECK(0);
        }
        for (int k = 0; k < n; k++) {
            struct conn *x = &c[evs[k].data.u32];
            uint32_t id = evs[k].data.u32;
            CHECK(!(evs[k].events & (EPOLLERR | EPOLLHUP)));
            if (evs[k].events & EPOLLOUT) {
                while (x->sent < (uint32_t)msgs) {
                    fill(buf, id, x->sent);
                    size_t len = msg_len(id, x->sent);
                    ssize_t r = send(x->fd, buf, len, 0);
                    if (r < 0) {
                        CHECK(errno == EAGAIN || errno == ENOTCONN);
                        break;
                    }
                    CHECK_EQ(r, len);
                    x->sent++;
                    last = t_now();
                }
                if (x->sent == (uint32_t)msgs) { /* reading only, now */
                    struct epoll_event e = {.events = EPOLLIN, .data.u32 = id};
                    CHECK_EQ(epoll_ctl(ep, EPOLL_CTL_MOD, x->fd, &e), 0);
                }
            }
            if (evs[k].events & EPOLLIN) {
                for (;;) {
                    ssize_t r = recv(x->fd, buf, sizeof buf, 0);
                    if (r < 0) {
                        CHECK_EQ(errno, EAGAIN);
                        break;
                    }
                    CHECK(r > 0);
                    uint32_t rid, seq;
                    CHECK(intact(buf, (size_t)r, &rid, &seq));
                    CHECK_EQ(rid, id);
                    CHECK_EQ(seq, x->back);
                    x->back++;
                    back++;
                    last = t_now();
                }
            }
        }
    }
    CHECK_EQ(send(c[0].fd, "bye", 3, 0), 3);
    char what[128];
    snprintf(what, sizeof what, "%d associations on one one-to-many socket, "
             "%ld messages each way (sockets opened in %.2f s)", assocs, total,
             t_conn);
    report(server, what);
    for (int i = 0; i < assocs; i++)
        close(c[i].fd);
}

int main(int argc, char **argv)
{
    signal(SIGPIPE, SIG_IGN);
    t_more_descriptors();
    const char *role = t_role(argc, argv);
    if (role)
        return strcmp(role, "stream") == 0 ? stream_server() : many_server();
    const char *mode = argc > 1 ? argv[1] : "stream";
    t0 = t_now();
    pid_t server = t_spawn_ready(mode);
    int ep = epoll_create1(EPOLL_CLOEXEC);
    CHECK(ep >= 0);
    if (strcmp(mode, "stream") == 0)
        stream_client(ep, server);
    else
        many_client(ep, server);
    t_done(mode);
    return 0;
}
