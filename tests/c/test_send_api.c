/* The send calls of sctp_sendv(3), sctp_send(3) and sctp_sendmsg(3) with
 * what the man pages promise: sctp_sendv's iovec as one message and the
 * id of the association it set up, sctp_sendx/sctp_sendmsgx address lists
 * and the priority of an association id, SCTP_DSTADDRV6, SCTP_SENDALL of
 * any size, SCTP_EOF and SCTP_ABORT on one-to-many sockets, and what the
 * receiver sees: bytes, stream, PPID, flags, SCTP_RCVINFO/SCTP_NXTINFO
 * through libsctp's own sctp_recvv. */
#include "testlib.h" /* <netinet/in.h> must come before <netinet/sctp.h> */

#include <dlfcn.h>
#include <netinet/sctp.h>
#include <poll.h>

#include "sctpshim.h"

static void on(int s, int type)
{
    struct sctp_event ev = {.se_type = (uint16_t)type, .se_on = 1};
    CHECK_EQ(setsockopt(s, SOL_SCTP, SCTP_EVENT, &ev, sizeof ev), 0);
}

static void opt_on(int s, int name)
{
    int one = 1;
    CHECK_EQ(setsockopt(s, SOL_SCTP, name, &one, sizeof one), 0);
}

static struct sockaddr_in6 addr6(int port)
{
    struct sockaddr_in6 a;
    memset(&a, 0, sizeof a);
    a.sin6_family = AF_INET6;
    a.sin6_port = htons((uint16_t)port);
    a.sin6_addr = in6addr_loopback;
    return a;
}

static int listener6(int port)
{
    int s = socket(AF_INET6, SOCK_SEQPACKET, IPPROTO_SCTP);
    CHECK(s >= 0);
    struct sockaddr_in6 a = addr6(port);
    a.sin6_addr = in6addr_any;
    CHECK_EQ(bind(s, (struct sockaddr *)&a, sizeof a), 0);
    CHECK_EQ(listen(s, 8), 0);
    return s;
}

/* The next event on s, which must be of the given type. */
static ssize_t next_event(int s, void *buf, size_t cap, int type)
{
    for (int i = 0; i < 10; i++) {
        int flags = 0;
        ssize_t n = sctp_recvmsg(s, buf, cap, NULL, NULL, NULL, &flags);
        CHECK(n > 0);
        if (!(flags & MSG_NOTIFICATION))
            continue;
        CHECK(flags & MSG_EOR);
        if (((union sctp_notification *)buf)->sn_header.sn_type == type)
            return n;
    }
    CHECK(!"event not seen");
    return -1;
}

/* Reads events until an ASSOC_CHANGE to the given state. */
static void wait_assoc_state(int s, int state)
{
    char buf[512];
    for (int i = 0; i < 10; i++) {
        next_event(s, buf, sizeof buf, SCTP_ASSOC_CHANGE);
        if (((struct sctp_assoc_change *)buf)->sac_state == state)
            return;
    }
    CHECK(!"association state not reached");
}

static int readable(int s, int ms)
{
    struct pollfd p = {s, POLLIN, 0};
    return poll(&p, 1, ms) == 1;
}

TEST(sendv_sets_up_and_reports_id)
{
    Dl_info di;
    CHECK(dladdr((void *)sctp_sendv, &di) != 0);
    CHECK(strstr(di.dli_fname, "libsctpshim") != NULL); /* not libsctp's */

    int srv = t_listener(SOCK_SEQPACKET, t_port(0));
    opt_on(srv, SCTP_RECVRCVINFO);
    opt_on(srv, SCTP_RECVNXTINFO);
    int cli = socket(AF_INET, SOCK_SEQPACKET, IPPROTO_SCTP);
    on(cli, SCTP_ASSOC_CHANGE);
    opt_on(cli, SCTP_NODELAY); /* no message waits for a delayed SACK */
    struct sockaddr_in to = t_addr(t_port(0));

    struct iovec iov[3] = {{"abc", 3}, {"defg", 4}, {"hi", 2}};
    struct sctp_sendv_spa spa;
    memset(&spa, 0, sizeof spa);
    spa.sendv_flags = SCTP_SEND_SNDINFO_VALID | SCTP_SEND_PRINFO_VALID;
    spa.sendv_sndinfo.snd_sid = 1;
    spa.sendv_sndinfo.snd_ppid = 0x11223344;
    spa.sendv_sndinfo.snd_context = 77;
    spa.sendv_prinfo.pr_policy = SCTP_PR_SCTP_TTL;
    spa.sendv_prinfo.pr_value = 5000;
    CHECK_EQ(sctp_sendv(cli, iov, 3, (struct sockaddr *)&to, 1, &spa, sizeof spa,
                        SCTP_SENDV_SPA, MSG_NOSIGNAL), 9);
    sctp_assoc_t id = spa.sendv_sndinfo.snd_assoc_id;
    CHECK(id != 0);
    char buf[512];
    next_event(cli, buf, sizeof buf, SCTP_ASSOC_CHANGE);
    struct sctp_assoc_change *ac = (void *)buf;
    CHECK_EQ(ac->sac_state, SCTP_COMM_UP);
    CHECK_EQ(ac->sac_assoc_id, id);

    /* Two more by id, so that each message is read with a look at the
     * next one. */
    struct sctp_sndinfo snd = {.snd_sid = 0, .snd_ppid = 5, .snd_assoc_id = id};
    struct iovec one = {"second!", 7};
    CHECK_EQ(sctp_sendv(cli, &one, 1, NULL, 0, &snd, sizeof snd,
                        SCTP_SENDV_SNDINFO, 0), 7);
    snd.snd_sid = 3;
    snd.snd_ppid = 6;
    one = (struct iovec){"3rd", 3};
    CHECK_EQ(sctp_sendv(cli, &one, 1, NULL, 0, &snd, sizeof snd,
                        SCTP_SENDV_SNDINFO, 0), 3);
    CHECK(readable(srv, 2000));
    usleep(200000); /* all three queued at the server */
    /* SCTP_AUTHINFO names a key; with none set up, key 0 is the only one,
     * so it changes nothing (it still may not be malformed). */
    struct sctp_authinfo auth = {.auth_keynumber = 0};
    CHECK_ERR(sctp_sendv(cli, &one, 1, NULL, 0, &auth, sizeof auth - 1,
                         SCTP_SENDV_AUTHINFO, 0), EINVAL);

    /* libsctp's own sctp_recvv (its 64-byte control buffer holds the
     * SCTP_NXTINFO whole and the start of SCTP_RCVINFO, as on Linux). */
    struct sctp_recvv_rn rn;
    socklen_t infolen = sizeof rn;
    unsigned int infotype = 0;
    int flags = 0;
    struct iovec in = {buf, sizeof buf};
    memset(&rn, 0, sizeof rn);
    CHECK_EQ(sctp_recvv(srv, &in, 1, NULL, NULL, &rn, &infolen, &infotype, &flags), 9);
    CHECK(memcmp(buf, "abcdefghi", 9) == 0);
    CHECK(flags & MSG_EOR);
    CHECK_EQ(infotype, SCTP_RECVV_RN);
    CHECK_EQ(rn.recvv_rcvinfo.rcv_sid, 1);
    CHECK_EQ(rn.recvv_rcvinfo.rcv_ppid, 0x11223344); /* no byte swapping */
    CHECK_EQ(rn.recvv_nxtinfo.nxt_sid, 0);
    CHECK_EQ(rn.recvv_nxtinfo.nxt_ppid, 5);
    CHECK_EQ(rn.recvv_nxtinfo.nxt_length, 7);
    CHECK_EQ(rn.recvv_nxtinfo.nxt_flags & SCTP_NOTIFICATION, 0);

    /* recvmsg with room for everything: NXTINFO first, then RCVINFO. */
    union {
        struct cmsghdr h;
        char b[512];
    } ctl;
    struct msghdr m = {.msg_iov = &in, .msg_iovlen = 1, .msg_control = ctl.b,
                       .msg_controllen = sizeof ctl.b};
    CHECK_EQ(recvmsg(srv, &m, 0), 7);
    CHECK(memcmp(buf, "second!", 7) == 0);
    CHECK_EQ(m.msg_flags & MSG_CTRUNC, 0);
    struct cmsghdr *c = CMSG_FIRSTHDR(&m);
    CHECK(c && c->cmsg_level == IPPROTO_SCTP && c->cmsg_type == SCTP_NXTINFO);
    CHECK_EQ(c->cmsg_len, CMSG_LEN(sizeof(struct sctp_nxtinfo)));
    struct sctp_nxtinfo nx;
    memcpy(&nx, CMSG_DATA(c), sizeof nx);
    CHECK_EQ(nx.nxt_sid, 3);
    CHECK_EQ(nx.nxt_ppid, 6);
    CHECK_EQ(nx.nxt_length, 3);
    c = CMSG_NXTHDR(&m, c);
    CHECK(c && c->cmsg_type == SCTP_RCVINFO);
    struct sctp_rcvinfo ri;
    memcpy(&ri, CMSG_DATA(c), sizeof ri);
    CHECK_EQ(ri.rcv_sid, 0);
    CHECK_EQ(ri.rcv_ppid, 5);
    CHECK(ri.rcv_assoc_id != 0);
    CHECK(CMSG_NXTHDR(&m, c) == NULL);

    infolen = sizeof rn;
    CHECK_EQ(sctp_recvv(srv, &in, 1, NULL, NULL, &rn, &infolen, &infotype, &flags), 3);
    CHECK_EQ(infotype, SCTP_RECVV_RCVINFO); /* nothing after it */
    CHECK_EQ(rn.recvv_rcvinfo.rcv_sid, 3);
    CHECK_EQ(rn.recvv_rcvinfo.rcv_ppid, 6);
    close(cli);
    close(srv);
}

TEST(sendx_lists_and_id_priority)
{
    int a = listener6(t_port(1)), b = listener6(t_port(2));
    opt_on(a, SCTP_RECVRCVINFO);
    int cli = socket(AF_INET6, SOCK_SEQPACKET, IPPROTO_SCTP);
    on(cli, SCTP_ASSOC_CHANGE);
    /* Two addresses of server A, packed: one IPv4, one IPv6. */
    struct sockaddr_in a4 = t_addr(t_port(1));
    struct sockaddr_in6 a6 = addr6(t_port(1));
    static char list[sizeof a4 + sizeof a6] __attribute__((aligned(8)));
    memcpy(list, &a4, sizeof a4);
    memcpy(list + sizeof a4, &a6, sizeof a6);
    struct sctp_sndrcvinfo si;
    memset(&si, 0, sizeof si);
    si.sinfo_stream = 2;
    si.sinfo_ppid = 0xdeadbeef;
    CHECK_EQ(sctp_sendx(cli, "to A", 4, (struct sockaddr *)list, 2, &si, 0), 4);
    char buf[512];
    next_event(cli, buf, sizeof buf, SCTP_ASSOC_CHANGE);
    sctp_assoc_t ida = ((struct sctp_assoc_change *)buf)->sac_assoc_id;
    CHECK(ida != 0);
    struct sctp_rcvinfo ri;
    socklen_t il = sizeof ri;
    unsigned int it = 0;
    int flags = 0;
    struct iovec in = {buf, sizeof buf};
    CHECK_EQ(sctp_recvv(a, &in, 1, NULL, NULL, &ri, &il, &it, &flags), 4);
    CHECK(memcmp(buf, "to A", 4) == 0);
    CHECK_EQ(ri.rcv_sid, 2);
    CHECK_EQ(ri.rcv_ppid, 0xdeadbeef);

    /* An association id wins over the address it comes with. */
    struct sockaddr_in6 b6 = addr6(t_port(2));
    si.sinfo_assoc_id = ida;
    CHECK_EQ(sctp_sendx(cli, "id wins", 7, (struct sockaddr *)&b6, 1, &si, 0), 7);
    il = sizeof ri;
    CHECK_EQ(sctp_recvv(a, &in, 1, NULL, NULL, &ri, &il, &it, &flags), 7);
    CHECK(memcmp(buf, "id wins", 7) == 0);
    CHECK(!readable(b, 200));

    /* sctp_sendmsgx: its arguments reach the peer as given. */
    CHECK_EQ(sctp_sendmsgx(cli, "to B", 4, (struct sockaddr *)&b6, 1, 0x01020304,
                           SCTP_UNORDERED, 3, 0, 9), 4);
    opt_on(b, SCTP_RECVRCVINFO);
    il = sizeof ri;
    CHECK_EQ(sctp_recvv(b, &in, 1, NULL, NULL, &ri, &il, &it, &flags), 4);
    CHECK(memcmp(buf, "to B", 4) == 0);
    CHECK_EQ(it, SCTP_RECVV_RCVINFO);
    CHECK_EQ(ri.rcv_sid, 3);
    CHECK_EQ(ri.rcv_ppid, 0x01020304);
    CHECK(ri.rcv_flags & SCTP_UNORDERED);
    close(cli), close(a), close(b);
}

/* sendmsg with SCTP_DSTADDRV4 adds an address to the new association
 * (on msg_name's port); both belong to the server. */
TEST(dstaddr_cmsg)
{
    int srv = listener6(t_port(3));
    int cli = socket(AF_INET6, SOCK_SEQPACKET, IPPROTO_SCTP);
    struct sockaddr_in6 to = addr6(t_port(3));
    union {
        struct cmsghdr h;
        char b[CMSG_SPACE(sizeof(struct in_addr))];
    } ctl;
    memset(&ctl, 0, sizeof ctl);
    ctl.h.cmsg_level = IPPROTO_SCTP;
    ctl.h.cmsg_type = SCTP_DSTADDRV4;
    ctl.h.cmsg_len = CMSG_LEN(sizeof(struct in_addr));
    struct in_addr lo = {htonl(INADDR_LOOPBACK)};
    memcpy(CMSG_DATA(&ctl.h), &lo, sizeof lo);
    struct iovec iv = {"two paths", 9};
    struct msghdr m = {.msg_name = &to, .msg_namelen = sizeof to, .msg_iov = &iv,
                       .msg_iovlen = 1, .msg_control = ctl.b,
                       .msg_controllen = sizeof ctl.b};
    CHECK_EQ(sendmsg(cli, &m, 0), 9);
    char buf[64];
    CHECK_EQ(sctp_recvmsg(srv, buf, sizeof buf, NULL, NULL, NULL, NULL), 9);
    CHECK(memcmp(buf, "two paths", 9) == 0);
    /* A destination shorter than an address: the kernel looks at the
     * extra destinations only to set up an association
     * (sctp_sendmsg_new_asoc); on this one it goes unread. */
    ctl.h.cmsg_len = CMSG_LEN(2);
    m.msg_controllen = CMSG_SPACE(2);
    CHECK_EQ(sendmsg(cli, &m, 0), 9);
    CHECK_EQ(sctp_recvmsg(srv, buf, sizeof buf, NULL, NULL, NULL, NULL), 9);
    /* and refuses it where it would set one up */
    int fresh = socket(AF_INET6, SOCK_SEQPACKET, IPPROTO_SCTP);
    CHECK(fresh >= 0);
    CHECK_ERR(sendmsg(fresh, &m, 0), EINVAL);
    close(fresh), close(cli), close(srv);
}

/* SCTP_ADDR_OVER: the message goes to the address given, not to the
 * primary.  The server sees which path it came by in the source address
 * (the client answers from the same family it was sent to). */
TEST(addr_over_picks_the_path)
{
    int srv = listener6(t_port(6));
    int cli = socket(AF_INET6, SOCK_SEQPACKET, IPPROTO_SCTP);
    struct sockaddr_in v4 = t_addr(t_port(6));
    /* set up over IPv4: that address is the primary */
    CHECK_EQ(sctp_sendmsg(cli, "via v4", 6, (struct sockaddr *)&v4, sizeof v4, 0,
                          0, 0, 0, 0), 6);
    char buf[64];
    struct sockaddr_in6 from;
    socklen_t fl = sizeof from;
    int flags = 0;
    CHECK_EQ(sctp_recvmsg(srv, buf, sizeof buf, (struct sockaddr *)&from, &fl,
                          NULL, &flags), 6);
    CHECK(IN6_IS_ADDR_V4MAPPED(&from.sin6_addr));
    /* the same association, told to use the server's IPv6 address */
    struct sockaddr_in6 v6 = addr6(t_port(6));
    CHECK_EQ(sctp_sendmsg(cli, "via v6", 6, (struct sockaddr *)&v6, sizeof v6, 0,
                          SCTP_ADDR_OVER, 0, 0, 0), 6);
    fl = sizeof from;
    CHECK_EQ(sctp_recvmsg(srv, buf, sizeof buf, (struct sockaddr *)&from, &fl,
                          NULL, &flags), 6);
    CHECK(memcmp(buf, "via v6", 6) == 0);
    CHECK(IN6_IS_ADDR_LOOPBACK(&from.sin6_addr));
    /* without the flag the address only names the association */
    CHECK_EQ(sctp_sendmsg(cli, "primary", 7, (struct sockaddr *)&v6, sizeof v6, 0,
                          0, 0, 0, 0), 7);
    fl = sizeof from;
    CHECK_EQ(sctp_recvmsg(srv, buf, sizeof buf, (struct sockaddr *)&from, &fl,
                          NULL, &flags), 7);
    CHECK(IN6_IS_ADDR_V4MAPPED(&from.sin6_addr));
    close(cli), close(srv);
}

/* SCTP_SENDALL: one call, a full copy to every association, far beyond
 * the 1432 bytes usrsctp's own SENDALL takes; then SENDALL|SCTP_EOF
 * shuts them all down. */
TEST(sendall_any_size)
{
    enum { N = 3, LEN = 20000 };
    int srv = t_listener(SOCK_SEQPACKET, t_port(4));
    int cli[N];
    char buf[LEN + 100];
    for (int i = 0; i < N; i++) {
        cli[i] = t_connect(SOCK_STREAM, t_port(4));
        CHECK_EQ(send(cli[i], "hi", 2, 0), 2);
        CHECK_EQ(sctp_recvmsg(srv, buf, sizeof buf, NULL, NULL, NULL, NULL), 2);
    }
    uint32_t count = 0;
    socklen_t cl = sizeof count;
    CHECK_EQ(getsockopt(srv, SOL_SCTP, SCTP_GET_ASSOC_NUMBER, &count, &cl), 0);
    CHECK_EQ(count, N);
    union {
        struct sctp_assoc_ids ids;
        char b[sizeof(struct sctp_assoc_ids) + 8 * sizeof(sctp_assoc_t)];
    } list;
    cl = sizeof list;
    CHECK_EQ(getsockopt(srv, SOL_SCTP, SCTP_GET_ASSOC_ID_LIST, &list, &cl), 0);
    CHECK_EQ(list.ids.gaids_number_of_ids, N);
    CHECK(list.ids.gaids_assoc_id[0] != list.ids.gaids_assoc_id[1] &&
          list.ids.gaids_assoc_id[1] != list.ids.gaids_assoc_id[2] &&
          list.ids.gaids_assoc_id[0] != list.ids.gaids_assoc_id[2]);
    static char msg[LEN];
    for (int i = 0; i < LEN; i++)
        msg[i] = (char)(i * 7 + 3);
    struct sctp_sndrcvinfo si;
    memset(&si, 0, sizeof si);
    si.sinfo_flags = SCTP_SENDALL;
    si.sinfo_ppid = 42;
    CHECK_EQ(sctp_send(srv, msg, LEN, &si, 0), LEN);
    for (int i = 0; i < N; i++) {
        size_t got = 0;
        int flags = 0;
        struct sctp_sndrcvinfo ri;
        while (!(flags & MSG_EOR)) {
            flags = 0;
            ssize_t n = sctp_recvmsg(cli[i], buf + got, sizeof buf - got, NULL,
                                     NULL, &ri, &flags);
            CHECK(n > 0);
            got += (size_t)n;
        }
        CHECK_EQ(got, LEN);
        CHECK(memcmp(buf, msg, LEN) == 0);
    }
    si.sinfo_flags = SCTP_SENDALL | SCTP_EOF;
    CHECK_EQ(sctp_send(srv, NULL, 0, &si, 0), 0);
    for (int i = 0; i < N; i++) {
        CHECK(readable(cli[i], 3000));
        CHECK_EQ(recv(cli[i], buf, sizeof buf, 0), 0);
        close(cli[i]);
    }
    close(srv);
}

TEST(eof_and_abort_on_one_to_many)
{
    int srv = t_listener(SOCK_SEQPACKET, t_port(5));
    on(srv, SCTP_ASSOC_CHANGE);
    on(srv, SCTP_SHUTDOWN_EVENT);
    int cli = socket(AF_INET, SOCK_SEQPACKET, IPPROTO_SCTP);
    on(cli, SCTP_ASSOC_CHANGE);
    struct sockaddr_in to = t_addr(t_port(5));
    char buf[1024];

    /* SCTP_EOF with data (sctp_sendmsg(3): queue it, then shut down). */
    CHECK_EQ(sctp_sendmsg(cli, "last", 4, (struct sockaddr *)&to, sizeof to, 0,
                          0, 0, 0, 0), 4);
    next_event(srv, buf, sizeof buf, SCTP_ASSOC_CHANGE);
    CHECK_EQ(sctp_sendmsg(cli, "words", 5, (struct sockaddr *)&to, sizeof to, 0,
                          SCTP_EOF, 0, 0, 0), 5);
    int flags = 0;
    CHECK_EQ(sctp_recvmsg(srv, buf, sizeof buf, NULL, NULL, NULL, &flags), 4);
    CHECK_EQ(sctp_recvmsg(srv, buf, sizeof buf, NULL, NULL, NULL, &flags), 5);
    CHECK(memcmp(buf, "words", 5) == 0);
    next_event(srv, buf, sizeof buf, SCTP_SHUTDOWN_EVENT);
    next_event(cli, buf, sizeof buf, SCTP_ASSOC_CHANGE); /* COMM_UP */
    next_event(cli, buf, sizeof buf, SCTP_ASSOC_CHANGE);
    CHECK_EQ(((struct sctp_assoc_change *)buf)->sac_state, SCTP_SHUTDOWN_COMP);
    next_event(srv, buf, sizeof buf, SCTP_ASSOC_CHANGE);
    CHECK_EQ(((struct sctp_assoc_change *)buf)->sac_state, SCTP_SHUTDOWN_COMP);

    /* SCTP_EOF with no data, by address. */
    CHECK_EQ(sctp_sendmsg(cli, "again", 5, (struct sockaddr *)&to, sizeof to, 0,
                          0, 0, 0, 0), 5);
    next_event(srv, buf, sizeof buf, SCTP_ASSOC_CHANGE);
    CHECK_EQ(sctp_recvmsg(srv, buf, sizeof buf, NULL, NULL, NULL, &flags), 5);
    CHECK_EQ(sctp_sendmsg(cli, NULL, 0, (struct sockaddr *)&to, sizeof to, 0,
                          SCTP_EOF, 0, 0, 0), 0);
    next_event(srv, buf, sizeof buf, SCTP_SHUTDOWN_EVENT);
    next_event(srv, buf, sizeof buf, SCTP_ASSOC_CHANGE);
    CHECK_EQ(((struct sctp_assoc_change *)buf)->sac_state, SCTP_SHUTDOWN_COMP);

    /* SCTP_ABORT: the peer loses the association, and the ABORT it got
     * carries cause 12, User Initiated Abort, with our words. */
    CHECK_EQ(sctp_sendmsg(cli, "third", 5, (struct sockaddr *)&to, sizeof to, 0,
                          0, 0, 0, 0), 5);
    next_event(srv, buf, sizeof buf, SCTP_ASSOC_CHANGE);
    CHECK_EQ(sctp_recvmsg(srv, buf, sizeof buf, NULL, NULL, NULL, &flags), 5);
    CHECK_EQ(sctp_sendmsg(cli, "bye-bye", 7, (struct sockaddr *)&to, sizeof to, 0,
                          SCTP_ABORT, 0, 0, 0), 0);
    ssize_t n = next_event(srv, buf, sizeof buf, SCTP_ASSOC_CHANGE);
    struct sctp_assoc_change *ac = (void *)buf;
    CHECK_EQ(ac->sac_state, SCTP_COMM_LOST);
    CHECK((size_t)n > sizeof *ac);
    const unsigned char *info = ac->sac_info;
    size_t ilen = (size_t)n - sizeof *ac;
    const unsigned char *why = memmem(info, ilen, "bye-bye", 7);
    CHECK(why != NULL);
    CHECK(why - info >= 4);
    CHECK_EQ(why[-4], 0);
    CHECK_EQ(why[-3], 12); /* cause code, network order */
    CHECK_EQ((why[-2] << 8 | why[-1]), 4 + 7);

    /* An ABORT straight after the send that starts the handshake (usrsctp
     * alone refuses it until the handshake is done). */
    int early = socket(AF_INET, SOCK_SEQPACKET, IPPROTO_SCTP);
    CHECK_EQ(sctp_sendmsg(early, "early", 5, (struct sockaddr *)&to, sizeof to, 0,
                          0, 0, 0, 0), 5);
    CHECK_EQ(sctp_sendmsg(early, "too soon", 8, (struct sockaddr *)&to, sizeof to,
                          0, SCTP_ABORT, 0, 0, 0), 0);
    wait_assoc_state(srv, SCTP_COMM_LOST);
    close(early), close(cli), close(srv);
}

int main(void)
{
    RUN(sendv_sets_up_and_reports_id);
    RUN(sendx_lists_and_id_priority);
    RUN(dstaddr_cmsg);
    RUN(addr_over_picks_the_path);
    RUN(sendall_any_size);
    RUN(eof_and_abort_on_one_to_many);
    t_done("test_send_api");
    return 0;
}
