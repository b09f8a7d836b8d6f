/* connect(), sctp_connectx() and an implicit set-up by sendto(), as on
 * Linux (__sctp_connect, sctp_wait_for_connect, sctp_sendmsg): a
 * one-to-many connect waits for its association, a second one says
 * EALREADY or EISCONN, a one-to-one socket whose connect failed connects
 * again, unusable addresses are refused, and a one-to-one sendto with a
 * destination connects. */
#include "testlib.h"

#include <fcntl.h>
#include <netinet/sctp.h>
#include <poll.h>
#include <signal.h>
#include <sys/time.h>

static void on_alarm(int sig)
{
    (void)sig;
    static const char msg[] = "test_connect_rules: a call hung (alarm)\n";
    if (write(2, msg, sizeof msg - 1) < 0)
        _exit(2);
    _exit(1);
}

/* A listener that stops itself (SIGSTOP) once it listens: a handshake
 * with it stays in progress until the parent lets it go on.  It then
 * accepts (one-to-one) or reads (one-to-many) until told to stop. */
static int role_stopped(int type, int port)
{
    int lsn = t_listener(type, port);
    raise(SIGSTOP);
    char buf[64];
    if (type == SOCK_STREAM) {
        int c = accept(lsn, NULL, NULL);
        CHECK(c >= 0);
        CHECK(recv(c, buf, sizeof buf, 0) >= 0);
        close(c);
    } else {
        CHECK(recv(lsn, buf, sizeof buf, 0) >= 0);
    }
    close(lsn);
    return 0;
}

static int assoc_state(int fd, sctp_assoc_t id)
{
    struct sctp_status st;
    socklen_t l = sizeof st;
    memset(&st, 0, sizeof st);
    st.sstat_assoc_id = id;
    if (getsockopt(fd, SOL_SCTP, SCTP_STATUS, &st, &l) < 0)
        return -1;
    return st.sstat_state;
}

static void set_sndtimeo(int fd, int ms)
{
    struct timeval tv = {ms / 1000, (ms % 1000) * 1000};
    CHECK_EQ(setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv), 0);
}

TEST(one_to_many_connect_waits)
{
    /* A peer that does not answer yet: the connect waits (here until
     * SO_SNDTIMEO: EINPROGRESS), a second one says EALREADY. */
    pid_t pid = t_spawn_stopped("stopped_many");
    struct sockaddr_in a = t_addr(t_port(0));
    int m = socket(AF_INET, SOCK_SEQPACKET, IPPROTO_SCTP);
    set_sndtimeo(m, 300);
    double t0 = t_now();
    CHECK_ERR(connect(m, (struct sockaddr *)&a, sizeof a), EINPROGRESS);
    CHECK(t_now() - t0 >= 0.25);
    CHECK_ERR(connect(m, (struct sockaddr *)&a, sizeof a), EALREADY);
    sctp_assoc_t id = 0;
    CHECK_ERR(sctp_connectx(m, (struct sockaddr *)&a, 1, &id), EALREADY);
    /* Once the peer answers, the association comes up: EISCONN. */
    CHECK_EQ(kill(pid, SIGCONT), 0);
    set_sndtimeo(m, 0);
    for (int i = 0; i < 500; i++) {
        errno = 0;
        if (connect(m, (struct sockaddr *)&a, sizeof a) < 0 && errno == EISCONN)
            break;
        CHECK_EQ(errno, EALREADY);
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    CHECK_ERR(connect(m, (struct sockaddr *)&a, sizeof a), EISCONN);
    CHECK_EQ(sendto(m, "bye", 3, 0, (struct sockaddr *)&a, sizeof a), 3);
    t_wait_ok(pid);
    close(m);

    /* With O_NONBLOCK: EINPROGRESS at once, and sctp_connectx still
     * gives the association's id. */
    pid = t_spawn_stopped("stopped_many");
    m = socket(AF_INET, SOCK_SEQPACKET | SOCK_NONBLOCK, IPPROTO_SCTP);
    t0 = t_now();
    id = 0;
    CHECK_ERR(sctp_connectx(m, (struct sockaddr *)&a, 1, &id), EINPROGRESS);
    CHECK(t_now() - t0 < 0.2);
    CHECK(id != 0);
    CHECK_EQ(assoc_state(m, id), SCTP_COOKIE_WAIT);
    CHECK_EQ(kill(pid, SIGCONT), 0);
    for (int i = 0; i < 500 && assoc_state(m, id) != SCTP_ESTABLISHED; i++) {
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    CHECK_EQ(assoc_state(m, id), SCTP_ESTABLISHED);
    CHECK_EQ(sendto(m, "bye", 3, 0, (struct sockaddr *)&a, sizeof a), 3);
    t_wait_ok(pid);
    close(m);

    /* A blocking connect returns with the association established. */
    int lsn = t_listener(SOCK_SEQPACKET, t_port(1));
    struct sockaddr_in b = t_addr(t_port(1));
    m = socket(AF_INET, SOCK_SEQPACKET, IPPROTO_SCTP);
    id = 0;
    CHECK_EQ(sctp_connectx(m, (struct sockaddr *)&b, 1, &id), 0);
    CHECK(id != 0);
    CHECK_EQ(assoc_state(m, id), SCTP_ESTABLISHED);
    int m2 = socket(AF_INET, SOCK_SEQPACKET, IPPROTO_SCTP);
    CHECK_EQ(connect(m2, (struct sockaddr *)&b, sizeof b), 0);
    CHECK_ERR(connect(m2, (struct sockaddr *)&b, sizeof b), EISCONN);
    close(m2);
    close(m);
    close(lsn);

    /* A port that is bound but does not listen answers with an ABORT:
     * the connect fails with ECONNREFUSED. */
    int bound = socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP);
    struct sockaddr_in c = t_addr(t_port(2));
    CHECK_EQ(bind(bound, (struct sockaddr *)&c, sizeof c), 0);
    m = socket(AF_INET, SOCK_SEQPACKET, IPPROTO_SCTP);
    CHECK_ERR(connect(m, (struct sockaddr *)&c, sizeof c), ECONNREFUSED);
    close(m);
    close(bound);
}

TEST(connect_again_after_failure)
{
    int b = socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP);
    struct sockaddr_in a = t_addr(t_port(3));
    CHECK_EQ(bind(b, (struct sockaddr *)&a, sizeof a), 0);
    int c = socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP);
    /* Options set before the failed connect are kept. */
    struct sctp_initmsg im = {.sinit_num_ostreams = 3, .sinit_max_instreams = 3};
    CHECK_EQ(setsockopt(c, SOL_SCTP, SCTP_INITMSG, &im, sizeof im), 0);
    int one = 1;
    CHECK_EQ(setsockopt(c, SOL_SCTP, SCTP_NODELAY, &one, sizeof one), 0);
    struct sockaddr_in local = t_addr(t_port(4));
    CHECK_EQ(bind(c, (struct sockaddr *)&local, sizeof local), 0);
    CHECK_ERR(connect(c, (struct sockaddr *)&a, sizeof a), ECONNREFUSED);
    CHECK_EQ(listen(b, 4), 0);
    CHECK_EQ(connect(c, (struct sockaddr *)&a, sizeof a), 0);
    int s = accept(b, NULL, NULL);
    CHECK(s >= 0);
    struct sockaddr_in got;
    socklen_t gl = sizeof got;
    CHECK_EQ(getsockname(c, (struct sockaddr *)&got, &gl), 0);
    CHECK_EQ(ntohs(got.sin_port), t_port(4));
    gl = sizeof got;
    CHECK_EQ(getpeername(s, (struct sockaddr *)&got, &gl), 0);
    CHECK_EQ(ntohs(got.sin_port), t_port(4));
    struct sctp_status st;
    socklen_t l = sizeof st;
    memset(&st, 0, sizeof st);
    CHECK_EQ(getsockopt(c, SOL_SCTP, SCTP_STATUS, &st, &l), 0);
    CHECK_EQ(st.sstat_outstrms, 3);
    int v = 0;
    l = sizeof v;
    CHECK_EQ(getsockopt(c, SOL_SCTP, SCTP_NODELAY, &v, &l), 0);
    CHECK_EQ(v, 1);
    char buf[16];
    CHECK_EQ(send(c, "again", 5, 0), 5);
    CHECK_EQ(recv(s, buf, sizeof buf, 0), 5);
    CHECK(memcmp(buf, "again", 5) == 0);
    CHECK_EQ(send(s, "back", 4, 0), 4);
    CHECK_EQ(recv(c, buf, sizeof buf, 0), 4);
    close(s);
    close(c);
    close(b);
}

TEST(unusable_addresses)
{
    const char *v4[] = {"0.0.0.0", "0.1.2.3", "255.255.255.255", "224.0.0.1",
                        "239.255.255.250", "192.88.99.1"};
    int types[] = {SOCK_STREAM, SOCK_SEQPACKET};
    for (int t = 0; t < 2; t++) {
        int s = socket(AF_INET, types[t], IPPROTO_SCTP);
        for (size_t i = 0; i < sizeof v4 / sizeof v4[0]; i++) {
            for (int port = 0; port < 2; port++) {
                struct sockaddr_in a = t_addr(port ? t_port(5) : 0);
                CHECK_EQ(inet_pton(AF_INET, v4[i], &a.sin_addr), 1);
                CHECK_ERR(connect(s, (struct sockaddr *)&a, sizeof a), EINVAL);
                sctp_assoc_t id;
                CHECK_ERR(sctp_connectx(s, (struct sockaddr *)&a, 1, &id), EINVAL);
            }
        }
        close(s);
        const char *v6[] = {"::", "ff02::1", "ff05::2", "::ffff:0.0.0.0",
                            "::ffff:255.255.255.255"};
        s = socket(AF_INET6, types[t], IPPROTO_SCTP);
        for (size_t i = 0; i < sizeof v6 / sizeof v6[0]; i++) {
            struct sockaddr_in6 a = {.sin6_family = AF_INET6,
                                     .sin6_port = htons((uint16_t)t_port(5))};
            CHECK_EQ(inet_pton(AF_INET6, v6[i], &a.sin6_addr), 1);
            CHECK_ERR(connect(s, (struct sockaddr *)&a, sizeof a), EINVAL);
        }
        close(s);
    }
}

TEST(sendto_connects_one_to_one)
{
    int lsn = t_listener(SOCK_STREAM, t_port(6));
    struct sockaddr_in a = t_addr(t_port(6));
    char buf[16];
    for (int nb = 0; nb < 2; nb++) {
        int c = socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP);
        CHECK_EQ(sendto(c, "hello", 5, nb ? MSG_DONTWAIT : 0,
                        (struct sockaddr *)&a, sizeof a), 5);
        int s = accept(lsn, NULL, NULL);
        CHECK(s >= 0);
        CHECK_EQ(recv(s, buf, sizeof buf, 0), 5);
        CHECK(memcmp(buf, "hello", 5) == 0);
        /* The socket is now connected to that peer. */
        struct pollfd p = {c, POLLOUT, 0};
        CHECK_EQ(poll(&p, 1, 5000), 1);
        struct sockaddr_in peer;
        socklen_t pl = sizeof peer;
        CHECK_EQ(getpeername(c, (struct sockaddr *)&peer, &pl), 0);
        CHECK_EQ(ntohs(peer.sin_port), t_port(6));
        CHECK_EQ(send(c, "more", 4, 0), 4);
        CHECK_EQ(recv(s, buf, sizeof buf, 0), 4);
        CHECK_ERR(connect(c, (struct sockaddr *)&a, sizeof a), EISCONN);
        close(s);
        close(c);
    }
    /* An unusable destination is refused. */
    int c = socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP);
    struct sockaddr_in z = t_addr(t_port(6));
    z.sin_addr.s_addr = htonl(INADDR_BROADCAST);
    CHECK_ERR(sendto(c, "x", 1, 0, (struct sockaddr *)&z, sizeof z), EINVAL);
    close(c);
    close(lsn);
}

TEST(listen_backlog)
{
    int lsn = socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP);
    struct sockaddr_in a = t_addr(t_port(7));
    CHECK_EQ(bind(lsn, (struct sockaddr *)&a, sizeof a), 0);
    CHECK_EQ(listen(lsn, 2), 0);
    /* backlog + 1 associations wait for accept, as on Linux... */
    int c[4];
    for (int i = 0; i < 3; i++)
        c[i] = t_connect(SOCK_STREAM, t_port(7));
    /* ...and a further connect is refused promptly. */
    c[3] = socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP);
    double t0 = t_now();
    CHECK_ERR(connect(c[3], (struct sockaddr *)&a, sizeof a), ECONNREFUSED);
    CHECK(t_now() - t0 < 5.0);
    close(c[3]);
    /* Non-blocking, the refusal comes as the socket's error. */
    int nb = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, IPPROTO_SCTP);
    CHECK_ERR(connect(nb, (struct sockaddr *)&a, sizeof a), EINPROGRESS);
    struct pollfd p = {nb, POLLOUT, 0};
    CHECK_EQ(poll(&p, 1, 5000), 1);
    int err = 0;
    socklen_t l = sizeof err;
    CHECK_EQ(getsockopt(nb, SOL_SOCKET, SO_ERROR, &err, &l), 0);
    CHECK_EQ(err, ECONNREFUSED);
    close(nb);
    /* Once one is accepted, there is room for one more. */
    int s0 = accept(lsn, NULL, NULL);
    CHECK(s0 >= 0);
    c[3] = t_connect(SOCK_STREAM, t_port(7));
    char buf[8];
    for (int i = 0; i < 4; i++) {
        int s = i ? accept(lsn, NULL, NULL) : s0;
        CHECK(s >= 0);
        CHECK_EQ(send(c[i], "x", 1, 0), 1);
        CHECK_EQ(recv(s, buf, sizeof buf, 0), 1);
        close(s);
        close(c[i]);
    }
    close(lsn);
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--role") == 0)
        return role_stopped(strcmp(argv[2], "stopped_many") == 0 ? SOCK_SEQPACKET
                                                                  : SOCK_STREAM,
                            t_port(0));
    signal(SIGALRM, on_alarm);
    signal(SIGPIPE, SIG_IGN);
    const char *only = getenv("TEST_ONLY");
#define RUN_BOUNDED(t)                                                      \
    do {                                                                    \
        if (!only || strcmp(only, #t) == 0) {                               \
            alarm(60);                                                      \
            RUN(t);                                                         \
        }                                                                   \
    } while (0)
    RUN_BOUNDED(one_to_many_connect_waits);
    RUN_BOUNDED(connect_again_after_failure);
    RUN_BOUNDED(unusable_addresses);
    RUN_BOUNDED(sendto_connects_one_to_one);
    RUN_BOUNDED(listen_backlog);
    alarm(0);
    t_done("test_connect_rules");
    return 0;
}
