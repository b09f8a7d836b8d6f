/* Every errno the sctp_send(3), sctp_sendmsg(3) and sctp_sendv(3) pages
 * list, provoked for real through the real libsctp, sendmsg with SCTP
 * cmsgs and the plain calls; after each refusal the peer must have
 * received nothing. */
#include "testlib.h" /* <netinet/in.h> must come before <netinet/sctp.h> */

#include <fcntl.h>
#include <netinet/sctp.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>

#include "sctpshim.h"

static volatile sig_atomic_t sigpipes, alarms;
static void on_sigpipe(int sig) { (void)sig; sigpipes++; }
static void on_alarm(int sig) { (void)sig; alarms++; }

/* Nothing readable on fd for 150 ms: the refused send sent nothing. */
static void nothing_arrived(int fd)
{
    struct pollfd p = {fd, POLLIN, 0};
    CHECK_EQ(poll(&p, 1, 150), 0);
}

/* A good message goes through after the refusals, proving the pair is
 * still usable and that it is the first thing the peer sees. */
static void still_works(int cli, int srv)
{
    CHECK_EQ(send(cli, "after", 5, 0), 5);
    char buf[16];
    CHECK_EQ(recv(srv, buf, sizeof buf, 0), 5);
    CHECK(memcmp(buf, "after", 5) == 0);
}

/* A one-to-many pair with one association, the client's id in *cid
 * (from its COMM_UP event). */
static void many_pair(int port, int *srv, int *cli, sctp_assoc_t *cid)
{
    *srv = t_listener(SOCK_SEQPACKET, port);
    *cli = socket(AF_INET, SOCK_SEQPACKET, IPPROTO_SCTP);
    CHECK(*cli >= 0);
    struct sctp_event ev = {.se_type = SCTP_ASSOC_CHANGE, .se_on = 1};
    CHECK_EQ(setsockopt(*cli, SOL_SCTP, SCTP_EVENT, &ev, sizeof ev), 0);
    struct sockaddr_in a = t_addr(port);
    CHECK_EQ(sctp_sendmsg(*cli, "hello", 5, (struct sockaddr *)&a, sizeof a,
                          0, 0, 0, 0, 0), 5);
    char buf[256];
    CHECK_EQ(sctp_recvmsg(*srv, buf, sizeof buf, NULL, NULL, NULL, NULL), 5);
    int flags = 0;
    CHECK(sctp_recvmsg(*cli, buf, sizeof buf, NULL, NULL, NULL, &flags) > 0);
    CHECK(flags & MSG_NOTIFICATION);
    struct sctp_assoc_change *ac = (struct sctp_assoc_change *)buf;
    CHECK_EQ(ac->sac_type, SCTP_ASSOC_CHANGE);
    CHECK_EQ(ac->sac_state, SCTP_COMM_UP);
    *cid = ac->sac_assoc_id;
}

TEST(ebadf)
{
    int fd = open("/dev/null", O_RDONLY);
    close(fd); /* a number no descriptor has now */
    struct sctp_sndrcvinfo si = {0};
    CHECK_ERR(sctp_sendmsg(fd, "x", 1, NULL, 0, 0, 0, 0, 0, 0), EBADF);
    CHECK_ERR(sctp_send(fd, "x", 1, &si, 0), EBADF);
    CHECK_ERR(sctp_sendx(fd, "x", 1, NULL, 0, &si, 0), EBADF);
    CHECK_ERR(sctp_sendmsgx(fd, "x", 1, NULL, 0, 0, 0, 0, 0, 0), EBADF);
    struct iovec iv = {"x", 1};
    CHECK_ERR(sctp_sendv(fd, &iv, 1, NULL, 0, NULL, 0, SCTP_SENDV_NOINFO, 0), EBADF);
}

TEST(enotsock)
{
    int p[2];
    CHECK_EQ(pipe(p), 0);
    struct sctp_sndrcvinfo si = {0};
    CHECK_ERR(sctp_sendmsg(p[1], "x", 1, NULL, 0, 0, 0, 0, 0, 0), ENOTSOCK);
    CHECK_ERR(sctp_sendx(p[1], "x", 1, NULL, 0, &si, 0), ENOTSOCK);
    CHECK_ERR(sctp_sendmsgx(p[1], "x", 1, NULL, 0, 0, 0, 0, 0, 0), ENOTSOCK);
    struct iovec iv = {"x", 1};
    CHECK_ERR(sctp_sendv(p[1], &iv, 1, NULL, 0, NULL, 0, SCTP_SENDV_NOINFO, 0), ENOTSOCK);
    close(p[0]);
    close(p[1]);
}

TEST(efault)
{
    int lsn, cli, srv;
    t_pair(t_port(0), &lsn, &cli, &srv);
    /* Inaccessible, and kept so: an address just unmapped may be mapped
     * again by the next mmap of any thread (seen under ASan: the recv
     * below then succeeded). */
    char *gone = mmap(NULL, 8192, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(gone != MAP_FAILED);
    volatile size_t ten = 10;
    CHECK_ERR(send(cli, NULL, ten, 0), EFAULT);
    CHECK_ERR(write(cli, gone, ten), EFAULT);
    CHECK_ERR(sendmsg(cli, (struct msghdr *)gone, 0), EFAULT);
    struct iovec iv[2] = {{"ok", 2}, {gone + 100, 50}};
    struct msghdr m = {.msg_iov = iv, .msg_iovlen = 2};
    CHECK_ERR(sendmsg(cli, &m, 0), EFAULT);
    struct sctp_sndrcvinfo si = {0};
    CHECK_ERR(sctp_send(cli, gone, 5, &si, 0), EFAULT);
    CHECK_ERR(sctp_sendx(cli, "abc", 3, NULL, 0, (struct sctp_sndrcvinfo *)gone, 0),
              EFAULT);
    CHECK_ERR(sctp_sendv(cli, (struct iovec *)gone, 1, NULL, 0, NULL, 0,
                         SCTP_SENDV_NOINFO, 0), EFAULT);
    nothing_arrived(srv);
    /* and receiving into a bad buffer */
    CHECK_EQ(send(cli, "data", 4, 0), 4);
    struct pollfd p = {srv, POLLIN, 0};
    CHECK_EQ(poll(&p, 1, 2000), 1);
    CHECK_ERR(recv(srv, gone, 100, 0), EFAULT);
    char buf[8];
    CHECK_EQ(recv(srv, buf, sizeof buf, 0), 4);
    still_works(cli, srv);
    close(cli), close(srv), close(lsn);
}

TEST(emsgsize)
{
    int lsn, cli, srv;
    t_pair(t_port(1), &lsn, &cli, &srv);
    int sndbuf = 0;
    socklen_t l = sizeof sndbuf;
    CHECK_EQ(getsockopt(cli, SOL_SOCKET, SO_SNDBUF, &sndbuf, &l), 0);
    CHECK(sndbuf > 0);
    size_t big = (size_t)sndbuf + 1;
    char *buf = calloc(1, big);
    CHECK(buf != NULL);
    CHECK_ERR(send(cli, buf, big, 0), EMSGSIZE);
    CHECK_ERR(sctp_sendmsg(cli, buf, big, NULL, 0, 0, 0, 0, 0, 0), EMSGSIZE);
    /* With fragmentation off, a message over one packet cannot go. */
    int one = 1;
    CHECK_EQ(setsockopt(cli, SOL_SCTP, SCTP_DISABLE_FRAGMENTS, &one, sizeof one), 0);
    /* Bigger than any packet can be, even on loopback (MTU 65536). */
    size_t over = 70000;
    CHECK(over < big);
    CHECK_ERR(send(cli, buf, over, 0), EMSGSIZE);
    nothing_arrived(srv);
    int zero = 0;
    CHECK_EQ(setsockopt(cli, SOL_SCTP, SCTP_DISABLE_FRAGMENTS, &zero, sizeof zero), 0);
    CHECK_EQ(send(cli, buf, over, 0), (ssize_t)over);
    CHECK_EQ(recv(srv, buf, big, 0), (ssize_t)over);
    free(buf);
    still_works(cli, srv);
    close(cli), close(srv), close(lsn);
}

TEST(eagain_and_eintr)
{
    int lsn, cli, srv;
    t_pair(t_port(2), &lsn, &cli, &srv);
    static char chunk[8192];
    /* The peer does not read: its window and our send buffer fill, until
     * a round of sends after a pause takes nothing more. */
    long total = 0, round;
    ssize_t n;
    do {
        round = 0;
        while ((n = send(cli, chunk, sizeof chunk, MSG_DONTWAIT)) > 0)
            round += n;
        CHECK_EQ(n, -1);
        CHECK(errno == EAGAIN && EAGAIN == EWOULDBLOCK);
        total += round;
        usleep(200000);
    } while (round > 0);
    CHECK(total > 0);
    /* The same through libsctp on an O_NONBLOCK socket (a probe may
     * have made room for one more message meanwhile). */
    CHECK_EQ(fcntl(cli, F_SETFL, O_NONBLOCK), 0);
    while ((n = sctp_sendmsg(cli, chunk, sizeof chunk, NULL, 0, 0, 0, 0, 0, 0)) > 0)
        total += n;
    CHECK_EQ(n, -1);
    CHECK_EQ(errno, EAGAIN);
    CHECK_EQ(fcntl(cli, F_SETFL, 0), 0);
    /* Blocking now: a signal without SA_RESTART interrupts the wait for
     * room for a message as big as half the send buffer, which a peer
     * that reads nothing will not make. */
    int sndbuf = 0;
    socklen_t sl = sizeof sndbuf;
    CHECK_EQ(getsockopt(cli, SOL_SOCKET, SO_SNDBUF, &sndbuf, &sl), 0);
    char *half = calloc(1, (size_t)sndbuf / 2);
    CHECK(half != NULL);
    struct sigaction sa = {.sa_handler = on_alarm};
    sigemptyset(&sa.sa_mask);
    CHECK_EQ(sigaction(SIGALRM, &sa, NULL), 0);
    struct itimerval it = {.it_value = {0, 200000}};
    CHECK_EQ(setitimer(ITIMER_REAL, &it, NULL), 0);
    double t0 = t_now();
    CHECK_ERR(send(cli, half, (size_t)sndbuf / 2, 0), EINTR);
    free(half);
    CHECK(t_now() - t0 >= 0.15);
    CHECK_EQ(alarms, 1);
    /* Everything accepted arrives, nothing of the refused sends. */
    CHECK_EQ(fcntl(srv, F_SETFL, O_NONBLOCK), 0);
    long got = 0;
    char buf[16384];
    for (double end = t_now() + 5; got < total && t_now() < end;) {
        n = recv(srv, buf, sizeof buf, 0);
        if (n > 0)
            got += n;
        else
            usleep(1000);
    }
    CHECK_EQ(got, total);
    usleep(200000);
    CHECK_ERR(recv(srv, buf, sizeof buf, 0), EAGAIN);
    CHECK_EQ(fcntl(srv, F_SETFL, 0), 0);
    still_works(cli, srv);
    close(cli), close(srv), close(lsn);
}

TEST(enotconn_epipe_econnreset)
{
    int s = socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP);
    CHECK_ERR(sctp_sendmsg(s, "x", 1, NULL, 0, 0, 0, 0, 0, 0), ENOTCONN);
    CHECK_ERR(sctp_sendmsgx(s, "x", 1, NULL, 0, 0, 0, 0, 0, 0), ENOTCONN);
    /* With a destination too (sendto would set the association up, as
     * on Linux: test_connect_rules). */
    struct sockaddr_in a = t_addr(t_port(3));
    CHECK_ERR(sctp_sendmsg(s, "x", 1, (struct sockaddr *)&a, sizeof a, 0, 0, 0,
                           0, 0),
              ENOTCONN);
    CHECK_ERR(sctp_sendmsgx(s, "x", 1, (struct sockaddr *)&a, 1, 0, 0, 0, 0, 0),
              ENOTCONN);
    close(s);

    struct sigaction sa = {.sa_handler = on_sigpipe};
    sigemptyset(&sa.sa_mask);
    CHECK_EQ(sigaction(SIGPIPE, &sa, NULL), 0);
    int lsn, cli, srv;
    t_pair(t_port(4), &lsn, &cli, &srv);
    /* A listening one-to-one socket can never send. */
    sigpipes = 0;
    CHECK_ERR(send(lsn, "x", 1, 0), EPIPE);
    CHECK_EQ(sigpipes, 1);
    CHECK_EQ(shutdown(cli, SHUT_WR), 0);
    CHECK_ERR(send(cli, "x", 1, 0), EPIPE);
    CHECK_EQ(sigpipes, 2);
    CHECK_ERR(send(cli, "x", 1, MSG_NOSIGNAL), EPIPE);
    CHECK_EQ(sigpipes, 2);
    char buf[8];
    CHECK_EQ(recv(srv, buf, sizeof buf, 0), 0); /* the SHUTDOWN, no data */
    close(cli), close(srv);

    /* An ABORT from the peer: ECONNRESET once, then EPIPE. */
    cli = t_connect(SOCK_STREAM, t_port(4));
    srv = accept(lsn, NULL, NULL);
    CHECK(srv >= 0);
    struct linger lg = {1, 0};
    CHECK_EQ(setsockopt(srv, SOL_SOCKET, SO_LINGER, &lg, sizeof lg), 0);
    CHECK_EQ(close(srv), 0);
    struct pollfd p = {cli, POLLIN, 0};
    CHECK_EQ(poll(&p, 1, 3000), 1);
    CHECK_ERR(sctp_sendmsg(cli, "x", 1, NULL, 0, 0, 0, 0, 0, 0), ECONNRESET);
    CHECK_ERR(send(cli, "x", 1, MSG_NOSIGNAL), EPIPE);
    close(cli), close(lsn);
    signal(SIGPIPE, SIG_DFL);
}

/* A send blocked on a full buffer while another thread shuts the socket
 * down for writing: as the peer reads, Linux's sctp_wait_for_sndbuf
 * wakes in SHUTDOWN-PENDING and says EPIPE.  usrsctp refuses that send
 * with ECONNRESET, and the shim's look at the peer's state then asked an
 * option, which usrsctp 0.9.5 answers by setting errno to 0: the send
 * failed with errno 0 (thread_mix, about once in ten runs). */
struct blocked_send {
    int fd;
    ssize_t r;
    int err;
    atomic_int done;
};

static void *send_until_refused(void *arg)
{
    struct blocked_send *b = arg;
    static char big[8192];
    errno = 0;
    do
        b->r = send(b->fd, big, sizeof big, MSG_NOSIGNAL);
    while (b->r > 0);
    b->err = errno;
    atomic_store(&b->done, 1);
    return NULL;
}

TEST(epipe_while_blocked)
{
    int lsn, cli, srv;
    t_pair(t_port(10), &lsn, &cli, &srv);
    int small = 16384;
    CHECK_EQ(setsockopt(srv, SOL_SOCKET, SO_RCVBUF, &small, sizeof small), 0);
    CHECK_EQ(setsockopt(cli, SOL_SOCKET, SO_SNDBUF, &small, sizeof small), 0);
    struct blocked_send b = {.fd = cli};
    pthread_t t;
    CHECK_EQ(pthread_create(&t, NULL, send_until_refused, &b), 0);
    /* The sender fills both buffers and blocks: nothing comes back. */
    struct timespec ms100 = {0, 100 * 1000 * 1000};
    nanosleep(&ms100, NULL);
    CHECK_EQ(atomic_load(&b.done), 0);
    CHECK_EQ(shutdown(cli, SHUT_WR), 0);
    /* The peer reads: room appears, the sender wakes and is refused. */
    static char sink[65536];
    double t0 = t_now();
    while (!atomic_load(&b.done) && t_now() - t0 < 10) {
        struct pollfd p = {srv, POLLIN, 0};
        if (poll(&p, 1, 10) == 1)
            CHECK(recv(srv, sink, sizeof sink, 0) >= 0);
    }
    CHECK_EQ(pthread_join(t, NULL), 0);
    CHECK_EQ(b.r, -1);
    CHECK_EQ(b.err, EPIPE);
    close(cli), close(srv), close(lsn);
}

TEST(enoent)
{
    int srv, cli;
    sctp_assoc_t cid;
    many_pair(t_port(5), &srv, &cli, &cid);
    CHECK(cid != 0);
    /* No address and no association id. */
    CHECK_ERR(sctp_sendmsg(cli, "x", 1, NULL, 0, 0, 0, 0, 0, 0), ENOENT);
    CHECK_ERR(send(cli, "x", 1, 0), ENOENT);
    /* An association id that does not exist. */
    struct sctp_sndrcvinfo si = {0};
    si.sinfo_assoc_id = cid + 1000;
    CHECK_ERR(sctp_send(cli, "x", 1, &si, 0), ENOENT);
    /* SCTP_ABORT or SCTP_EOF for an association that does not exist,
     * by id and by address: nothing is set up to be torn down. */
    si.sinfo_flags = SCTP_ABORT;
    CHECK_ERR(sctp_send(cli, "x", 1, &si, 0), ENOENT);
    struct sockaddr_in none = t_addr(t_port(6));
    CHECK_ERR(sctp_sendmsg(cli, "why", 3, (struct sockaddr *)&none, sizeof none,
                           0, SCTP_ABORT, 0, 0, 0), ENOENT);
    CHECK_ERR(sctp_sendmsg(cli, NULL, 0, (struct sockaddr *)&none, sizeof none,
                           0, SCTP_EOF, 0, 0, 0), ENOENT);
    /* An address list with something that is not an IP address. */
    struct sockaddr_storage odd = {.ss_family = AF_UNIX};
    CHECK_ERR(sctp_sendmsgx(cli, "x", 1, (struct sockaddr *)&odd, 1, 0, 0, 0, 0, 0),
              EINVAL);
    nothing_arrived(srv);
    /* the association is intact */
    si.sinfo_flags = 0;
    si.sinfo_assoc_id = cid;
    CHECK_EQ(sctp_send(cli, "fine", 4, &si, 0), 4);
    char buf[8];
    CHECK_EQ(sctp_recvmsg(srv, buf, sizeof buf, NULL, NULL, NULL, NULL), 4);
    close(cli), close(srv);
}

TEST(einval)
{
    int lsn, cli, srv;
    t_pair(t_port(7), &lsn, &cli, &srv);
    struct sctp_sndrcvinfo si = {0};
    /* SCTP_EOF and SCTP_ABORT are for one-to-many sockets. */
    si.sinfo_flags = SCTP_EOF;
    CHECK_ERR(sctp_send(cli, NULL, 0, &si, 0), EINVAL);
    si.sinfo_flags = SCTP_ABORT;
    CHECK_ERR(sctp_send(cli, "x", 1, &si, 0), EINVAL);
    /* A flag Linux does not know. */
    si.sinfo_flags = 0x1000;
    CHECK_ERR(sctp_send(cli, "x", 1, &si, 0), EINVAL);
    /* An empty message without SCTP_EOF/SCTP_ABORT. */
    si.sinfo_flags = 0;
    CHECK_ERR(sctp_send(cli, "", 0, &si, 0), EINVAL);
    CHECK_ERR(send(cli, "", 0, 0), EINVAL);
    /* SCTP_ADDR_OVER with no address to override with. */
    si.sinfo_flags = SCTP_ADDR_OVER;
    CHECK_ERR(sctp_send(cli, "x", 1, &si, 0), EINVAL);
    /* A stream beyond the negotiated count. */
    struct sctp_status st;
    memset(&st, 0, sizeof st);
    socklen_t l = sizeof st;
    CHECK_EQ(getsockopt(cli, SOL_SCTP, SCTP_STATUS, &st, &l), 0);
    CHECK_ERR(sctp_sendmsg(cli, "x", 1, NULL, 0, 0, 0, st.sstat_outstrms, 0, 0), EINVAL);
    /* Malformed control messages. */
    union {
        struct cmsghdr h;
        char b[CMSG_SPACE(sizeof(struct sctp_sndinfo))];
    } ctl;
    memset(&ctl, 0, sizeof ctl);
    struct iovec iv = {"x", 1};
    struct msghdr m = {.msg_iov = &iv, .msg_iovlen = 1, .msg_control = ctl.b,
                       .msg_controllen = sizeof ctl.b};
    ctl.h.cmsg_level = IPPROTO_SCTP;
    ctl.h.cmsg_type = SCTP_SNDINFO;
    ctl.h.cmsg_len = CMSG_LEN(sizeof(struct sctp_sndinfo) - 2); /* short */
    CHECK_ERR(sendmsg(cli, &m, 0), EINVAL);
    ctl.h.cmsg_type = SCTP_PRINFO;
    ctl.h.cmsg_len = CMSG_LEN(sizeof(struct sctp_prinfo));
    struct sctp_prinfo bad = {.pr_policy = 0x7, .pr_value = 1};
    memcpy(CMSG_DATA(&ctl.h), &bad, sizeof bad);
    CHECK_ERR(sendmsg(cli, &m, 0), EINVAL);
    ctl.h.cmsg_type = 99; /* not an SCTP send cmsg */
    CHECK_ERR(sendmsg(cli, &m, 0), EINVAL);
    ctl.h.cmsg_len = sizeof ctl.b + 64; /* runs past the control area */
    ctl.h.cmsg_type = SCTP_SNDINFO;
    CHECK_ERR(sendmsg(cli, &m, 0), EINVAL);
    /* sctp_sendv's own arguments. */
    struct sctp_sndinfo snd = {0};
    CHECK_ERR(sctp_sendv(cli, &iv, 1, NULL, 0, &snd, sizeof snd, 42, 0), EINVAL);
    CHECK_ERR(sctp_sendv(cli, &iv, 1, NULL, 0, &snd, sizeof snd - 1,
                         SCTP_SENDV_SNDINFO, 0), EINVAL);
    CHECK_ERR(sctp_sendv(cli, &iv, 1, NULL, 0, &snd, sizeof snd,
                         SCTP_SENDV_NOINFO, 0), EINVAL);
    /* The same flag and policy checks on every way in. */
    snd.snd_flags = 0x1000;
    CHECK_ERR(sctp_sendv(cli, &iv, 1, NULL, 0, &snd, sizeof snd,
                         SCTP_SENDV_SNDINFO, 0), EINVAL);
    struct sctp_sendv_spa spa = {.sendv_flags = 0x80};
    CHECK_ERR(sctp_sendv(cli, &iv, 1, NULL, 0, &spa, sizeof spa,
                         SCTP_SENDV_SPA, 0), EINVAL);
    spa.sendv_flags = SCTP_SEND_PRINFO_VALID;
    spa.sendv_prinfo.pr_policy = 0x7;
    CHECK_ERR(sctp_sendv(cli, &iv, 1, NULL, 0, &spa, sizeof spa,
                         SCTP_SENDV_SPA, 0), EINVAL);
    si.sinfo_flags = 0x1000;
    CHECK_ERR(sctp_sendx(cli, "x", 1, NULL, 0, &si, 0), EINVAL);
    CHECK_ERR(sctp_sendmsgx(cli, "x", 1, NULL, 0, 0, 0x1000, 0, 0, 0), EINVAL);
    nothing_arrived(srv);
    still_works(cli, srv);
    close(cli), close(srv), close(lsn);
}

/* The shim gathers a message of several pieces into one buffer for
 * usrsctp: when the process cannot get that memory, ENOBUFS ("unable to
 * allocate an internal buffer"), and nothing is sent.  In a process of
 * its own, with its address space capped just above what it uses. */
static int role_enobufs(void)
{
    int lsn, cli, srv;
    t_pair(t_port(9), &lsn, &cli, &srv);
    /* Bigger than the 64 MiB a malloc arena can hand out without
     * mapping more memory. */
    int sndbuf = 256 << 20;
    CHECK_EQ(setsockopt(cli, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf), 0);
    socklen_t l = sizeof sndbuf;
    CHECK_EQ(getsockopt(cli, SOL_SOCKET, SO_SNDBUF, &sndbuf, &l), 0);
    size_t half = ((size_t)sndbuf - 1) / 2;
    char *a = calloc(1, half), *b = calloc(1, half);
    CHECK(a && b);
    struct iovec iv[2] = {{a, half}, {b, half}};
    struct msghdr m = {.msg_iov = iv, .msg_iovlen = 2};
    struct rlimit old, low;
    CHECK_EQ(getrlimit(RLIMIT_AS, &old), 0);
    FILE *f = fopen("/proc/self/statm", "r");
    unsigned long pages = 0;
    CHECK(f && fscanf(f, "%lu", &pages) == 1);
    fclose(f);
    low = old;
    low.rlim_cur = pages * 4096 + half / 2; /* not room for 2 * half */
    CHECK_EQ(setrlimit(RLIMIT_AS, &low), 0);
    errno = 0;
    ssize_t r = sendmsg(cli, &m, 0);
    int e = errno;
    CHECK_EQ(setrlimit(RLIMIT_AS, &old), 0);
    CHECK_EQ(r, -1);
    CHECK_EQ(e, ENOBUFS);
    nothing_arrived(srv);
    still_works(cli, srv);
    return 0;
}

TEST(enobufs)
{
    pid_t pid = t_spawn("enobufs");
    t_wait_ok(pid);
}

/* In a network namespace of its own with nothing but lo, a peer off the
 * host has no route. */
static int role_ehostunreach(void)
{
    if (unshare(CLONE_NEWNET) < 0 || system("ip link set lo up") != 0)
        return 77;
    int s = socket(AF_INET, SOCK_SEQPACKET, IPPROTO_SCTP);
    CHECK(s >= 0);
    struct sockaddr_in far = t_addr(t_port(8));
    far.sin_addr.s_addr = htonl(0xC0000201); /* 192.0.2.1, TEST-NET-1 */
    CHECK_ERR(sctp_sendmsg(s, "x", 1, (struct sockaddr *)&far, sizeof far,
                           0, 0, 0, 0, 0), EHOSTUNREACH);
    CHECK_ERR(sctp_sendmsgx(s, "x", 1, (struct sockaddr *)&far, 1,
                            0, 0, 0, 0, 0), EHOSTUNREACH);
    return 0;
}

TEST(ehostunreach)
{
    pid_t pid = t_spawn("ehostunreach");
    t_wait_ok(pid);
}

int main(int argc, char **argv)
{
    signal(SIGPIPE, SIG_IGN);
    if (argc == 3 && strcmp(argv[1], "--role") == 0)
        return strcmp(argv[2], "enobufs") == 0 ? role_enobufs() : role_ehostunreach();
    RUN(ebadf);
    RUN(enotsock);
    RUN(efault);
    RUN(emsgsize);
    RUN(eagain_and_eintr);
    RUN(enotconn_epipe_econnreset);
    RUN(epipe_while_blocked);
    RUN(enoent);
    RUN(einval);
    RUN(ehostunreach);
    RUN(enobufs);
    t_done("test_send_errors");
    return 0;
}
