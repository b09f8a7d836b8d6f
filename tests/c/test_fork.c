/* SCTP descriptors that survive fork and exec (README, "Process life"):
 * the patterns real servers use, each checked byte for byte.
 *   prefork_many    4 workers read one inherited one-to-many socket;
 *                   10 clients, 1,000 messages, each answered once
 *   prefork_stream  4 workers accept on one inherited listener; the same
 *   accept_fork     accept, fork, the child serves, the parent closes its
 *                   copy at once: 50 connections
 *   daemonize       bind and listen, fork, the creator _exits: the child
 *                   still accepts on the port
 *   daemon3         the same through glibc's daemon(3), whose own fork
 *                   no preload sees (the shim's daemon does it)
 *   exec            fork, then exec a helper that serves the inherited
 *                   listener; with FD_CLOEXEC the helper has nothing
 *   exec_owner      the listener's owner execs the helper itself: the new
 *                   image makes the idle listener again
 *   holder_calls    what a holder's calls do on an association it shares
 *                   with its owner: MSG_DONTWAIT, O_NONBLOCK, SO_RCVTIMEO
 *                   and SO_SNDTIMEO, epoll, FIONREAD, names, SCTP_STATUS,
 *                   sctp_recvmsg, sctp_sendmsg, sctp_sendv; connect
 *                   refused; the owner's close leaves it alone,
 *                   and the holder's close, the last, ends it after all
 *                   its data
 *   owner_death     the owner of an association is killed while a child
 *                   reads it: the child gets ECONNRESET, no hang; another
 *                   association the child only polls shows a hang-up; the
 *                   owner's idle listener keeps listening in the child */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <stdint.h>
#include <netinet/sctp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "testlib.h"

#define WORKERS 4
#define CLIENTS 10
#define PER_CLIENT 100
#define MSG 64

enum { P_MANY = 0, P_STREAM = 1, P_ACCEPT = 2, P_DAEMON = 3, P_EXEC = 4,
       P_EXEC_CLOEXEC = 5, P_DEATH = 6, P_EXEC_OWNER = 7, P_DEATH_IDLE = 8,
       P_DAEMON3 = 9, P_HOLDER = 10 };

/* Each pre-fork message goes on its own stream with its own PPID, both
 * derived from its text, so a reader can tell it got the right one. */
#define STREAMS 5
static uint16_t stream_of(int client, int seq)
{
    return (uint16_t)((client + seq) % STREAMS);
}

static uint32_t ppid_of(int client, int seq)
{
    return htonl(0x50000000u | (uint32_t)client << 12 | (uint32_t)seq);
}

static void fill(char *m, int client, int seq)
{
    memset(m, 'a' + (client + seq) % 26, MSG);
    snprintf(m, MSG, "c%d-s%d|", client, seq);
}

static void write_all(int fd, const void *p, size_t n)
{
    CHECK_EQ(write(fd, p, n), (ssize_t)n);
}

/* SCTP_RCVINFO on every message this socket reads. */
static void want_rcvinfo(int fd)
{
    int on = 1;
    CHECK_EQ(setsockopt(fd, IPPROTO_SCTP, SCTP_RECVRCVINFO, &on, sizeof on), 0);
}

/* sendmsg with SCTP_SNDINFO (stream, PPID, and on a one-to-many socket
 * the association and the peer's address). */
static ssize_t send_tagged(int fd, const void *p, size_t n, uint16_t stream,
                           uint32_t ppid, sctp_assoc_t id,
                           const struct sockaddr_storage *to, socklen_t tolen)
{
    union {
        char b[CMSG_SPACE(sizeof(struct sctp_sndinfo))];
        struct cmsghdr a;
    } ctl;
    memset(&ctl, 0, sizeof ctl);
    struct iovec v = {(void *)p, n};
    struct msghdr m = {.msg_name = (void *)to, .msg_namelen = to ? tolen : 0,
                       .msg_iov = &v, .msg_iovlen = 1,
                       .msg_control = ctl.b, .msg_controllen = sizeof ctl.b};
    struct cmsghdr *c = CMSG_FIRSTHDR(&m);
    c->cmsg_level = IPPROTO_SCTP;
    c->cmsg_type = SCTP_SNDINFO;
    c->cmsg_len = CMSG_LEN(sizeof(struct sctp_sndinfo));
    struct sctp_sndinfo si = {.snd_sid = stream, .snd_ppid = ppid,
                              .snd_assoc_id = id};
    memcpy(CMSG_DATA(c), &si, sizeof si);
    return sendmsg(fd, &m, 0);
}

/* recvmsg with its SCTP_RCVINFO (which must be there for data); *flags
 * gets msg_flags. */
static ssize_t recv_tagged(int fd, void *p, size_t cap, struct sctp_rcvinfo *ri,
                           struct sockaddr_storage *from, socklen_t *fromlen,
                           int *flags)
{
    union {
        char b[CMSG_SPACE(sizeof(struct sctp_rcvinfo))];
        struct cmsghdr a;
    } ctl;
    struct iovec v = {p, cap};
    struct msghdr m = {.msg_name = from, .msg_namelen = from ? *fromlen : 0,
                       .msg_iov = &v, .msg_iovlen = 1,
                       .msg_control = ctl.b, .msg_controllen = sizeof ctl.b};
    ssize_t n = recvmsg(fd, &m, 0);
    *flags = m.msg_flags;
    if (from)
        *fromlen = m.msg_namelen;
    if (n <= 0 || (m.msg_flags & MSG_NOTIFICATION))
        return n;
    struct cmsghdr *c = CMSG_FIRSTHDR(&m);
    CHECK(c != NULL);
    CHECK_EQ(c->cmsg_level, IPPROTO_SCTP);
    CHECK_EQ(c->cmsg_type, SCTP_RCVINFO);
    memcpy(ri, CMSG_DATA(c), sizeof *ri);
    return n;
}

/* A message's stream and PPID are those its text names. */
static void check_tags(const char *buf, ssize_t n, const struct sctp_rcvinfo *ri)
{
    int client, seq;
    CHECK_EQ(n, MSG);
    CHECK_EQ(sscanf(buf, "c%d-s%d|", &client, &seq), 2);
    char want[MSG];
    fill(want, client, seq);
    CHECK(memcmp(buf, want, MSG) == 0);
    CHECK_EQ(ri->rcv_sid, stream_of(client, seq));
    CHECK_EQ(ri->rcv_ppid, ppid_of(client, seq));
}

/* The number a worker reports on its pipe when it leaves. */
static int sum_reports(int rd, int n)
{
    int total = 0;
    for (int i = 0; i < n; i++) {
        int v = 0;
        CHECK_EQ(read(rd, &v, sizeof v), (ssize_t)sizeof v);
        total += v;
    }
    return total;
}

static void wait_children(pid_t *pids, int n)
{
    for (int i = 0; i < n; i++)
        t_wait_ok(pids[i]);
}

/* ---- clients (a process of their own: t_spawn) ---- */

struct client {
    int id, port;
};

/* PER_CLIENT messages, each on its stream with its PPID, each answered
 * byte for byte, on the same stream with the same PPID, before the next;
 * and nothing more after them. */
static void *client_run(void *arg)
{
    struct client *c = arg;
    int fd = t_connect(SOCK_STREAM, c->port);
    want_rcvinfo(fd);
    char m[MSG], r[MSG + 16];
    for (int seq = 0; seq < PER_CLIENT; seq++) {
        fill(m, c->id, seq);
        CHECK_EQ(send_tagged(fd, m, MSG, stream_of(c->id, seq),
                             ppid_of(c->id, seq), 0, NULL, 0), MSG);
        struct sctp_rcvinfo ri;
        int flags;
        ssize_t n = recv_tagged(fd, r, sizeof r, &ri, NULL, NULL, &flags);
        CHECK(!(flags & MSG_NOTIFICATION));
        CHECK(flags & MSG_EOR);
        check_tags(r, n, &ri);
        CHECK(memcmp(m, r, MSG) == 0);
    }
    /* Exactly once: no second answer to any of them. */
    struct pollfd p = {fd, POLLIN, 0};
    CHECK_EQ(poll(&p, 1, 200), 0);
    close(fd);
    return NULL;
}

static int role_clients(void)
{
    int port = atoi(getenv("FORK_PORT"));
    pthread_t t[CLIENTS];
    struct client c[CLIENTS];
    for (int i = 0; i < CLIENTS; i++) {
        c[i] = (struct client){i, port};
        CHECK_EQ(pthread_create(&t[i], NULL, client_run, &c[i]), 0);
    }
    for (int i = 0; i < CLIENTS; i++)
        pthread_join(t[i], NULL);
    return 0;
}

static pid_t spawn_role(const char *role, int port)
{
    char v[16];
    snprintf(v, sizeof v, "%d", port);
    setenv("FORK_PORT", v, 1);
    return t_spawn(role);
}

/* ---- pre-fork servers ---- */

/* A worker on the inherited one-to-many socket: echoes every message on
 * its association until it reads "quit". */
static int many_worker(int fd)
{
    int answered = 0;
    char buf[MSG + 16];
    /* A peeled-off descriptor would be the owner's: refused here. */
    sctp_peeloff_arg_t pa = {0, 0};
    socklen_t pl = sizeof pa;
    CHECK_ERR(getsockopt(fd, SOL_SCTP, SCTP_SOCKOPT_PEELOFF, &pa, &pl),
              EOPNOTSUPP);
    for (;;) {
        struct sockaddr_storage from;
        socklen_t fromlen = sizeof from;
        struct sctp_rcvinfo ri;
        int flags;
        ssize_t n = recv_tagged(fd, buf, sizeof buf, &ri, &from, &fromlen, &flags);
        CHECK(n > 0);
        if (flags & MSG_NOTIFICATION)
            continue;
        if (n == 4 && memcmp(buf, "quit", 4) == 0)
            return answered;
        check_tags(buf, n, &ri);
        /* Answered on the association it came on, same stream and PPID. */
        CHECK_EQ(send_tagged(fd, buf, (size_t)n, ri.rcv_sid, ri.rcv_ppid,
                             ri.rcv_assoc_id, &from, fromlen), n);
        answered++;
    }
}

/* A worker on the inherited one-to-one listener: serves each connection
 * it accepts to its end; a connection that says "quit" ends the worker. */
static int stream_worker(int lsn)
{
    int answered = 0;
    char buf[MSG + 16];
    for (;;) {
        int c = accept(lsn, NULL, NULL);
        CHECK(c >= 0);
        want_rcvinfo(c);
        ssize_t n;
        struct sctp_rcvinfo ri;
        int flags;
        while ((n = recv_tagged(c, buf, sizeof buf, &ri, NULL, NULL, &flags)) > 0) {
            if (flags & MSG_NOTIFICATION)
                continue;
            if (n == 4 && memcmp(buf, "quit", 4) == 0) {
                close(c);
                return answered;
            }
            check_tags(buf, n, &ri);
            CHECK_EQ(send_tagged(c, buf, (size_t)n, ri.rcv_sid, ri.rcv_ppid,
                                 0, NULL, 0), n);
            answered++;
        }
        CHECK_EQ(n, 0);
        close(c);
    }
}

static void quit_all(int type, int port)
{
    for (int i = 0; i < WORKERS; i++) {
        int c = t_connect(SOCK_STREAM, port);
        CHECK_EQ(send(c, "quit", 4, 0), 4);
        if (type == SOCK_STREAM) {
            char b[8];
            CHECK_EQ(recv(c, b, sizeof b, 0), 0); /* the worker closed */
        } else {
            usleep(100000); /* the quit reaches a worker before the close */
        }
        close(c);
    }
}

static void prefork(int type, int port)
{
    /* Room for every client at once: a full queue refuses (ABORT), as
     * Linux's does. */
    int lsn = socket(AF_INET, type, IPPROTO_SCTP);
    CHECK(lsn >= 0);
    struct sockaddr_in a = t_addr(port);
    CHECK_EQ(bind(lsn, (struct sockaddr *)&a, sizeof a), 0);
    CHECK_EQ(listen(lsn, 64), 0);
    if (type == SOCK_SEQPACKET)
        want_rcvinfo(lsn); /* before the fork: every worker reads with it */
    int rep[2];
    CHECK_EQ(pipe(rep), 0);
    pid_t w[WORKERS];
    for (int i = 0; i < WORKERS; i++) {
        w[i] = fork();
        CHECK(w[i] >= 0);
        if (w[i] == 0) {
            close(rep[0]);
            int n = type == SOCK_SEQPACKET ? many_worker(lsn) : stream_worker(lsn);
            write_all(rep[1], &n, sizeof n);
            _exit(0);
        }
    }
    close(rep[1]);
    pid_t cl = spawn_role("clients", port);
    t_wait_ok(cl);
    quit_all(type, port);
    CHECK_EQ(sum_reports(rep[0], WORKERS), CLIENTS * PER_CLIENT);
    wait_children(w, WORKERS);
    close(rep[0]);
    close(lsn);
}

TEST(prefork_many)
{
    prefork(SOCK_SEQPACKET, t_port(P_MANY));
}

TEST(prefork_stream)
{
    prefork(SOCK_STREAM, t_port(P_STREAM));
}

/* ---- fork per connection ---- */

#define CONNS 50
#define PER_CONN 3

static int role_conns(void)
{
    int port = atoi(getenv("FORK_PORT"));
    char m[MSG], r[MSG + 16];
    for (int i = 0; i < CONNS; i++) {
        int fd = t_connect(SOCK_STREAM, port);
        for (int seq = 0; seq < PER_CONN; seq++) {
            fill(m, i, seq);
            CHECK_EQ(send(fd, m, MSG, 0), MSG);
            CHECK_EQ(recv(fd, r, sizeof r, 0), MSG);
            CHECK(memcmp(m, r, MSG) == 0);
        }
        CHECK_EQ(shutdown(fd, SHUT_WR), 0);
        /* The child's close: end of file, or, as on Linux once the
         * association is gone after our own shutdown, ENOTCONN. */
        ssize_t n = recv(fd, r, sizeof r, 0);
        CHECK(n == 0 || (n < 0 && errno == ENOTCONN));
        close(fd);
    }
    return 0;
}

TEST(accept_fork)
{
    int port = t_port(P_ACCEPT);
    int lsn = t_listener(SOCK_STREAM, port);
    pid_t cl = spawn_role("conns", port);
    pid_t kids[CONNS];
    for (int i = 0; i < CONNS; i++) {
        int c = accept(lsn, NULL, NULL);
        CHECK(c >= 0);
        kids[i] = fork();
        CHECK(kids[i] >= 0);
        if (kids[i] == 0) {
            close(lsn);
            char buf[MSG + 16];
            ssize_t n;
            int served = 0;
            while ((n = recv(c, buf, sizeof buf, 0)) > 0) {
                if (send(c, buf, (size_t)n, 0) != n)
                    _exit(2);
                served++;
            }
            close(c);
            _exit(n == 0 && served == PER_CONN ? 0 : 1);
        }
        close(c); /* the child's copy carries on */
    }
    t_wait_ok(cl);
    wait_children(kids, CONNS);
    close(lsn);
}

/* ---- bind, then daemonize ---- */

/* Accepts one connection on lsn and echoes its one message until the
 * peer's end. */
static void serve_one(int lsn)
{
    int c = accept(lsn, NULL, NULL);
    CHECK(c >= 0);
    char buf[MSG + 16];
    ssize_t n = recv(c, buf, sizeof buf, 0);
    CHECK(n > 0);
    CHECK_EQ(send(c, buf, (size_t)n, 0), n);
    CHECK_EQ(recv(c, buf, sizeof buf, 0), 0);
    close(c);
}

/* The same, for a program that waits in poll first (an event loop): it
 * must be woken although its creator died without a word (_exit,
 * SIGKILL), so that its accept finds the listener and makes it its own. */
static void serve_one_polled(int lsn)
{
    struct pollfd p = {lsn, POLLIN, 0};
    CHECK_EQ(poll(&p, 1, 20000), 1);
    serve_one(lsn);
}

static int role_daemon(void)
{
    int port = atoi(getenv("FORK_PORT"));
    int lsn = t_listener(SOCK_STREAM, port);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid > 0)
        _exit(0); /* the creator goes, as daemons' parents do */
    setsid();
    serve_one_polled(lsn);
    close(lsn);
    return 0;
}

/* glibc's daemon(3): the fork inside it is glibc's own __fork. */
static int role_daemon3(void)
{
    int port = atoi(getenv("FORK_PORT"));
    int lsn = t_listener(SOCK_STREAM, port);
    CHECK_EQ(daemon(1, 1), 0); /* only the child returns */
    serve_one(lsn);
    close(lsn);
    return 0;
}

/* Connects, retrying while nobody listens yet. */
static int connect_retry(int port)
{
    struct sockaddr_in a = t_addr(port);
    for (int i = 0; i < 1000; i++) {
        int c = socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP);
        CHECK(c >= 0);
        if (connect(c, (struct sockaddr *)&a, sizeof a) == 0)
            return c;
        CHECK(errno == ECONNREFUSED);
        close(c);
        usleep(20000);
    }
    CHECK(!"nobody listens");
    return -1;
}

static void echo_once(int c, int id)
{
    char m[MSG], r[MSG + 16];
    fill(m, id, 0);
    CHECK_EQ(send(c, m, MSG, 0), MSG);
    CHECK_EQ(recv(c, r, sizeof r, 0), MSG);
    CHECK(memcmp(m, r, MSG) == 0);
}

TEST(daemonize)
{
    int port = t_port(P_DAEMON);
    t_wait_ok(spawn_role("daemon", port)); /* the creator is gone */
    int c = connect_retry(port);
    echo_once(c, 7);
    close(c);
}

TEST(daemon3)
{
    int port = t_port(P_DAEMON3);
    t_wait_ok(spawn_role("daemon3", port));
    int c = connect_retry(port);
    echo_once(c, 8);
    close(c);
}

/* ---- exec ---- */

static int role_exec_helper(void)
{
    int fd = atoi(getenv("FORK_FD"));
    if (getenv("FORK_CLOEXEC"))
        return fcntl(fd, F_GETFD) < 0 && errno == EBADF ? 0 : 1;
    if (getenv("FORK_SAY_READY"))
        t_ready(); /* before main, the listener was made again */
    serve_one(fd);
    return 0;
}

static void exec_case(int cloexec, int port)
{
    int lsn = t_listener(SOCK_STREAM, port);
    if (cloexec)
        CHECK_EQ(fcntl(lsn, F_SETFD, FD_CLOEXEC), 0);
    char v[16];
    snprintf(v, sizeof v, "%d", lsn);
    setenv("FORK_FD", v, 1);
    if (cloexec)
        setenv("FORK_CLOEXEC", "1", 1);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        char *argv[] = {"test_fork", "--role", "exec_helper", NULL};
        execv("/proc/self/exe", argv);
        _exit(4);
    }
    unsetenv("FORK_CLOEXEC");
    if (!cloexec) {
        int c = t_connect(SOCK_STREAM, port);
        echo_once(c, 9);
        close(c);
    }
    t_wait_ok(pid);
    close(lsn);
}

TEST(exec_keep)
{
    exec_case(0, t_port(P_EXEC));
}

TEST(exec_cloexec)
{
    exec_case(1, t_port(P_EXEC_CLOEXEC));
}

/* The owner itself execs the helper. */
static int role_exec_owner(void)
{
    int port = atoi(getenv("FORK_PORT"));
    int lsn = t_listener(SOCK_STREAM, port);
    char v[16];
    snprintf(v, sizeof v, "%d", lsn);
    setenv("FORK_FD", v, 1);
    char *argv[] = {"test_fork", "--role", "exec_helper", NULL};
    execv("/proc/self/exe", argv);
    return 4;
}

TEST(exec_owner)
{
    int port = t_port(P_EXEC_OWNER);
    char v[16];
    snprintf(v, sizeof v, "%d", port);
    setenv("FORK_PORT", v, 1);
    /* Not before the exec: an association the old image's stack took in
     * goes with that stack (README, "Differences from Linux"). */
    setenv("FORK_SAY_READY", "1", 1);
    pid_t pid = t_spawn_ready("exec_owner");
    unsetenv("FORK_SAY_READY");
    int c = connect_retry(port);
    echo_once(c, 11);
    close(c);
    t_wait_ok(pid);
}

/* ---- a holder's calls ---- */

static long long now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000LL + t.tv_nsec / 1000000;
}

static void set_timeo(int fd, int name, int ms)
{
    struct timeval tv = {ms / 1000, (ms % 1000) * 1000};
    CHECK_EQ(setsockopt(fd, SOL_SOCKET, name, &tv, sizeof tv), 0);
}

static int port_of(const struct sockaddr_storage *a)
{
    return ntohs(((const struct sockaddr_in *)a)->sin_port);
}

#define CHUNK 8192

/* The child: srv is the parent's accepted socket, cli its client. */
static void holder_child(int srv, int cli, int port, int up, int down)
{
    char b[CHUNK];
    /* Nothing queued: every non-blocking form says EAGAIN at once. */
    CHECK_ERR(recv(srv, b, sizeof b, MSG_DONTWAIT), EAGAIN);
    int fl = fcntl(srv, F_GETFL);
    CHECK_EQ(fcntl(srv, F_SETFL, fl | O_NONBLOCK), 0);
    CHECK_ERR(recv(srv, b, sizeof b, 0), EAGAIN);
    CHECK_EQ(fcntl(srv, F_SETFL, fl), 0);
    /* A receive timeout set here is the call's deadline here. */
    set_timeo(srv, SO_RCVTIMEO, 200);
    long long t0 = now_ms();
    CHECK_ERR(recv(srv, b, sizeof b, 0), EAGAIN);
    long long took = now_ms() - t0;
    CHECK(took >= 180 && took < 2000);
    set_timeo(srv, SO_RCVTIMEO, 0);
    int q = -1;
    CHECK_EQ(ioctl(srv, FIONREAD, &q), 0);
    CHECK_EQ(q, 0);
    /* Names and status, from the owner's stack. */
    struct sockaddr_storage a;
    socklen_t al = sizeof a;
    CHECK_EQ(getsockname(srv, (struct sockaddr *)&a, &al), 0);
    CHECK_EQ(port_of(&a), port);
    struct sockaddr_storage c;
    socklen_t cl = sizeof c;
    CHECK_EQ(getsockname(cli, (struct sockaddr *)&c, &cl), 0);
    al = sizeof a;
    CHECK_EQ(getpeername(srv, (struct sockaddr *)&a, &al), 0);
    CHECK_EQ(port_of(&a), port_of(&c));
    struct sctp_status st;
    socklen_t sl = sizeof st;
    memset(&st, 0, sizeof st);
    CHECK_EQ(getsockopt(srv, IPPROTO_SCTP, SCTP_STATUS, &st, &sl), 0);
    CHECK_EQ(st.sstat_state, SCTP_ESTABLISHED);
    /* Not forwarded: refused, not done behind the owner's back. */
    struct sockaddr_in to = t_addr(port);
    CHECK_ERR(connect(cli, (struct sockaddr *)&to, sizeof to), EOPNOTSUPP);
    CHECK_EQ(close(cli), 0); /* the child's copy only */
    write_all(up, "R", 1);
    /* The owner closes its srv now and sends "ping" from cli: epoll here
     * sees it. */
    int ep = epoll_create1(0);
    CHECK(ep >= 0);
    struct epoll_event ev = {.events = EPOLLIN, .data.fd = srv};
    CHECK_EQ(epoll_ctl(ep, EPOLL_CTL_ADD, srv, &ev), 0);
    CHECK_EQ(epoll_wait(ep, &ev, 1, 5000), 1);
    CHECK(ev.events & EPOLLIN);
    q = -1;
    CHECK_EQ(ioctl(srv, FIONREAD, &q), 0);
    CHECK(q > 0);
    /* libsctp's calls, through the owner too. */
    struct sctp_sndrcvinfo sri;
    int mflags = 0;
    CHECK_EQ(sctp_recvmsg(srv, b, sizeof b, NULL, NULL, &sri, &mflags), 4);
    CHECK(memcmp(b, "ping", 4) == 0);
    CHECK(mflags & MSG_EOR);
    close(ep);
    CHECK_EQ(sctp_sendmsg(srv, "by sctp_sendmsg", 15, NULL, 0, htonl(77), 0, 2,
                          0, 0), 15);
    struct sctp_sndinfo si = {.snd_sid = 3, .snd_ppid = htonl(78)};
    struct iovec sv[2] = {{"by sctp", 7}, {"_sendv", 6}};
    CHECK_EQ(sctp_sendv(srv, sv, 2, NULL, 0, &si, sizeof si, SCTP_SENDV_SNDINFO, 0),
             13);
    /* Fill the association while the owner does not read: blocking sends
     * with a send timeout, until one times out; then a MSG_DONTWAIT one
     * says EAGAIN at once. */
    set_timeo(srv, SO_SNDTIMEO, 200);
    long long sent = 0;
    for (int i = 0;; i++) {
        memset(b, 'A' + i % 26, sizeof b);
        t0 = now_ms();
        ssize_t n = send(srv, b, sizeof b, 0);
        if (n < 0) {
            CHECK_EQ(errno, EAGAIN);
            took = now_ms() - t0;
            CHECK(took >= 180 && took < 2000);
            break;
        }
        CHECK_EQ(n, CHUNK);
        sent += n;
        CHECK(sent < 64 << 20);
    }
    CHECK_ERR(send(srv, b, sizeof b, MSG_DONTWAIT), EAGAIN);
    write_all(up, &sent, sizeof sent);
    /* The last close anywhere: the association ends after every byte. */
    char go;
    CHECK_EQ(read(down, &go, 1), 1);
    CHECK_EQ(close(srv), 0);
}

TEST(holder_calls)
{
    int port = t_port(P_HOLDER);
    int lsn = t_listener(SOCK_STREAM, port);
    int cli = t_connect(SOCK_STREAM, port);
    int srv = accept(lsn, NULL, NULL);
    CHECK(srv >= 0);
    int up[2], down[2];
    CHECK_EQ(pipe(up), 0);
    CHECK_EQ(pipe(down), 0);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        close(up[0]);
        close(down[1]);
        close(lsn);
        holder_child(srv, cli, port, up[1], down[0]);
        _exit(0);
    }
    close(up[1]);
    close(down[0]);
    char r;
    CHECK_EQ(read(up[0], &r, 1), 1);
    /* The owner's close: its copy only, the child still holds srv. */
    CHECK_EQ(close(srv), 0);
    CHECK_EQ(send(cli, "ping", 4, 0), 4);
    want_rcvinfo(cli);
    static const struct {
        const char *text;
        uint16_t sid;
        uint32_t ppid;
    } lib[] = {{"by sctp_sendmsg", 2, 77}, {"by sctp_sendv", 3, 78}};
    for (int i = 0; i < 2; i++) {
        char t[64];
        struct sctp_rcvinfo ri;
        int flags;
        ssize_t n = recv_tagged(cli, t, sizeof t, &ri, NULL, NULL, &flags);
        CHECK_EQ(n, (ssize_t)strlen(lib[i].text));
        CHECK(memcmp(t, lib[i].text, (size_t)n) == 0);
        CHECK_EQ(ri.rcv_sid, lib[i].sid);
        CHECK_EQ(ri.rcv_ppid, htonl(lib[i].ppid));
    }
    int off = 0;
    CHECK_EQ(setsockopt(cli, IPPROTO_SCTP, SCTP_RECVRCVINFO, &off, sizeof off), 0);
    long long sent = -1;
    CHECK_EQ(read(up[0], &sent, sizeof sent), (ssize_t)sizeof sent);
    CHECK(sent > 0);
    write_all(down[1], "g", 1);
    /* Every byte the child sent, in order, then the end of file. */
    char b[CHUNK];
    long long got = 0;
    ssize_t n;
    while ((n = recv(cli, b, sizeof b, 0)) > 0) {
        int same = 1;
        for (ssize_t i = 0; i < n; i++)
            same &= b[i] == 'A' + (int)((got + i) / CHUNK) % 26;
        CHECK(same);
        got += n;
    }
    CHECK_EQ(n, 0);
    CHECK_EQ(got, sent);
    t_wait_ok(pid);
    close(cli);
    close(lsn);
    close(up[0]);
    close(down[1]);
}

/* ---- the owner dies ---- */

static int role_owner(void)
{
    int port = atoi(getenv("FORK_PORT"));
    int c = t_connect(SOCK_STREAM, port);
    echo_once(c, 3);
    /* A second association, which the child only polls. */
    int c2 = t_connect(SOCK_STREAM, port);
    echo_once(c2, 4);
    /* An idle listener too, which must outlive the owner in the child. */
    int idle = t_listener(SOCK_STREAM, port + (P_DEATH_IDLE - P_DEATH));
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        char buf[MSG];
        ssize_t n = recv(c, buf, sizeof buf, 0); /* the owner is killed */
        const char *what = n < 0 && errno == ECONNRESET ? "reset\n" : "other\n";
        write_all(1, what, strlen(what));
        n = send(c, "x", 1, MSG_NOSIGNAL);
        what = n < 0 && errno == ECONNRESET ? "reset\n" : "other\n";
        write_all(1, what, strlen(what));
        /* No call was made on c2 since: only the holder's watch on its
         * owner can have shown the hang-up. */
        struct pollfd pc = {c2, POLLIN, 0};
        what = poll(&pc, 1, 5000) == 1 && (pc.revents & POLLHUP) ? "hup\n" : "nohup\n";
        write_all(1, what, strlen(what));
        n = recv(c2, buf, sizeof buf, 0);
        what = n < 0 && errno == ECONNRESET ? "reset\n" : "other\n";
        write_all(1, what, strlen(what));
        serve_one_polled(idle);
        _exit(0);
    }
    t_ready();
    pause();
    return 0;
}

TEST(owner_death)
{
    int port = t_port(P_DEATH);
    int lsn = t_listener(SOCK_STREAM, port);
    int p[2];
    CHECK_EQ(pipe(p), 0);
    int saved = dup(1);
    CHECK_EQ(dup2(p[1], 1), 1);
    pid_t owner = spawn_role("owner", port);
    CHECK_EQ(dup2(saved, 1), 1);
    close(saved);
    close(p[1]);
    int srv[2];
    char buf[MSG + 16];
    ssize_t n;
    for (int i = 0; i < 2; i++) {
        srv[i] = accept(lsn, NULL, NULL);
        CHECK(srv[i] >= 0);
        n = recv(srv[i], buf, sizeof buf, 0);
        CHECK_EQ(n, MSG);
        CHECK_EQ(send(srv[i], buf, MSG, 0), MSG);
    }
    char line[64] = {0};
    CHECK(read(p[0], line, 6) == 6 && memcmp(line, "ready\n", 6) == 0);
    usleep(100000); /* the child is in its recv */
    CHECK_EQ(kill(owner, SIGKILL), 0);
    int st;
    CHECK_EQ(waitpid(owner, &st, 0), owner);
    /* Both of the child's calls say reset; the association it only
     * polled shows a hang-up, and then says reset too. */
    static const char want[] = "reset\nreset\nhup\nreset\n";
    size_t got = 0, len = sizeof want - 1;
    while (got < len && (n = read(p[0], line + got, len - got)) > 0)
        got += (size_t)n;
    CHECK_EQ(strcmp(line, want), 0);
    /* The idle listener still listens, now in the child: it serves one
     * client and exits, which ends the pipe. */
    int c = connect_retry(t_port(P_DEATH_IDLE));
    echo_once(c, 5);
    close(c);
    while ((n = read(p[0], line, sizeof line)) > 0)
        CHECK(!"more from the child");
    close(p[0]);
    close(srv[0]);
    close(srv[1]);
    close(lsn);
}

int main(int argc, char **argv)
{
    static const struct t_role roles[] = {
        {"clients", role_clients}, {"conns", role_conns},
        {"daemon", role_daemon},   {"daemon3", role_daemon3},
        {"exec_helper", role_exec_helper},
        {"owner", role_owner},     {"exec_owner", role_exec_owner},
        {NULL, NULL}};
    t_run_role(argc, argv, roles);
    t_watchdog(100);
    signal(SIGPIPE, SIG_IGN);
    const char *only = getenv("FORK_ONLY"); /* one case, for debugging */
    if (only && !*only)
        only = NULL;
#define MAYBE(t) if (!only || strcmp(only, #t) == 0) RUN(t)
    MAYBE(prefork_many);
    MAYBE(prefork_stream);
    MAYBE(accept_fork);
    MAYBE(daemonize);
    MAYBE(daemon3);
    MAYBE(exec_keep);
    MAYBE(exec_cloexec);
    MAYBE(exec_owner);
    MAYBE(holder_calls);
    MAYBE(owner_death);
    t_done(argv[0]);
    return 0;
}
