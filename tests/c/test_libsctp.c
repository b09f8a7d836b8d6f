/* The real, unmodified libsctp.so.1 over the shim: its calls are sockopts
 * and cmsgs with Linux numbers and layouts, which the shim must honour
 * byte for byte. */
#include "testlib.h" /* <netinet/in.h> must come before <netinet/sctp.h> */

#include <netinet/sctp.h>
#include <poll.h>

static void subscribe_events(int s)
{
    struct sctp_event_subscribe ev;
    memset(&ev, 0, sizeof ev);
    ev.sctp_data_io_event = 1;
    ev.sctp_association_event = 1;
    ev.sctp_shutdown_event = 1;
    CHECK_EQ(setsockopt(s, SOL_SCTP, SCTP_EVENTS, &ev, sizeof ev), 0);
    struct sctp_event_subscribe back;
    socklen_t l = sizeof back;
    CHECK_EQ(getsockopt(s, SOL_SCTP, SCTP_EVENTS, &back, &l), 0);
    CHECK(back.sctp_data_io_event == 1 && back.sctp_association_event == 1 &&
          back.sctp_address_event == 0 && back.sctp_shutdown_event == 1);
}

/* A packed address list as libsctp returns it: one IPv4 address shown
 * v4-mapped (Linux's default on AF_INET6 sockets) and ::1, both on port. */
static void check_addr_list(struct sockaddr *list, int n, int port)
{
    int mapped = 0, loop6 = 0;
    char *p = (char *)list;
    for (int i = 0; i < n; i++) {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)p;
        CHECK_EQ(a->sin6_family, AF_INET6);
        CHECK_EQ(ntohs(a->sin6_port), port);
        if (IN6_IS_ADDR_V4MAPPED(&a->sin6_addr) && a->sin6_addr.s6_addr[12] == 127)
            mapped++;
        if (IN6_IS_ADDR_LOOPBACK(&a->sin6_addr))
            loop6++;
        p += sizeof *a;
    }
    CHECK_EQ(mapped, 1);
    CHECK_EQ(loop6, 1);
}

/* Reads until a notification arrives and returns its header type. */
static union sctp_notification *next_notification(int s, char *buf, size_t cap,
                                                  ssize_t *len)
{
    for (int i = 0; i < 20; i++) {
        struct iovec iv = {buf, cap};
        struct msghdr m = {.msg_iov = &iv, .msg_iovlen = 1};
        ssize_t n = recvmsg(s, &m, 0);
        CHECK(n > 0);
        if (m.msg_flags & MSG_NOTIFICATION) {
            CHECK(m.msg_flags & MSG_EOR);
            *len = n;
            return (union sctp_notification *)buf;
        }
    }
    CHECK(!"no notification");
    return NULL;
}

TEST(one_to_many_with_libsctp)
{
    /* Server: one-to-many, bound with sctp_bindx to two addresses, an
     * IPv4 and an IPv6 one, as Linux allows on an AF_INET6 socket. */
    int srv = socket(AF_INET6, SOCK_SEQPACKET, IPPROTO_SCTP);
    struct sockaddr_in v4 = t_addr(t_port(0));
    struct sockaddr_in6 v6;
    memset(&v6, 0, sizeof v6);
    v6.sin6_family = AF_INET6;
    v6.sin6_port = htons((uint16_t)t_port(0));
    v6.sin6_addr = in6addr_loopback;
    /* libsctp takes the addresses packed back to back */
    static char two[sizeof v4 + sizeof v6] __attribute__((aligned(8)));
    memcpy(two, &v4, sizeof v4);
    memcpy(two + sizeof v4, &v6, sizeof v6);
    CHECK_EQ(sctp_bindx(srv, (struct sockaddr *)two, 2, SCTP_BINDX_ADD_ADDR), 0);
    subscribe_events(srv);
    CHECK_EQ(listen(srv, 4), 0);
    struct sockaddr *la = NULL;
    int nl = sctp_getladdrs(srv, 0, &la);
    CHECK_EQ(nl, 2);
    check_addr_list(la, nl, t_port(0));
    sctp_freeladdrs(la);

    /* Client: subscribes with SCTP_EVENT, asks for 5 outbound streams. */
    int cli = socket(AF_INET6, SOCK_SEQPACKET, IPPROTO_SCTP);
    struct sctp_event se = {.se_assoc_id = 0, .se_type = SCTP_ASSOC_CHANGE,
                            .se_on = 1};
    CHECK_EQ(setsockopt(cli, SOL_SCTP, SCTP_EVENT, &se, sizeof se), 0);
    struct sctp_initmsg im = {.sinit_num_ostreams = 5, .sinit_max_instreams = 7};
    CHECK_EQ(setsockopt(cli, SOL_SCTP, SCTP_INITMSG, &im, sizeof im), 0);
    int one = 1;
    CHECK_EQ(setsockopt(cli, SOL_SCTP, SCTP_RECVRCVINFO, &one, sizeof one), 0);
    sctp_assoc_t id = 0;
    CHECK_EQ(sctp_connectx(cli, (struct sockaddr *)two, 2, &id), 0);
    CHECK(id != 0);

    /* COMM_UP in the Linux layout, flagged MSG_NOTIFICATION. */
    char buf[1024];
    ssize_t n;
    union sctp_notification *sn = next_notification(cli, buf, sizeof buf, &n);
    CHECK_EQ(sn->sn_header.sn_type, SCTP_ASSOC_CHANGE);
    CHECK_EQ(sn->sn_header.sn_type, 0x8001);
    CHECK_EQ(sn->sn_assoc_change.sac_state, SCTP_COMM_UP);
    CHECK_EQ(sn->sn_assoc_change.sac_state, 0);
    CHECK_EQ(sn->sn_assoc_change.sac_outbound_streams, 5);
    CHECK_EQ(sn->sn_assoc_change.sac_assoc_id, id);
    CHECK(sn->sn_header.sn_length >= sizeof(struct sctp_assoc_change));
    CHECK_EQ(n, sn->sn_header.sn_length);

    /* The server's COMM_UP, through sctp_recvmsg. */
    struct sctp_sndrcvinfo sri;
    int flags = 0;
    struct sockaddr_in6 from;
    socklen_t fl = sizeof from;
    n = sctp_recvmsg(srv, buf, sizeof buf, (struct sockaddr *)&from, &fl, &sri,
                     &flags);
    CHECK(n > 0);
    CHECK_EQ(fl, sizeof from);
    CHECK_EQ(from.sin6_family, AF_INET6);
    CHECK(flags & MSG_NOTIFICATION);
    sn = (union sctp_notification *)buf;
    CHECK_EQ(sn->sn_header.sn_type, SCTP_ASSOC_CHANGE);
    CHECK_EQ(sn->sn_assoc_change.sac_state, SCTP_COMM_UP);
    CHECK_EQ(sn->sn_assoc_change.sac_inbound_streams, 5);
    sctp_assoc_t srv_id = sn->sn_assoc_change.sac_assoc_id;

    /* sctp_getpaddrs: both server addresses, with the server's port. */
    struct sockaddr *pa = NULL;
    int np = sctp_getpaddrs(cli, id, &pa);
    CHECK_EQ(np, 2);
    check_addr_list(pa, np, t_port(0));
    sctp_freepaddrs(pa);

    /* sctp_sendmsg: stream and PPID arrive byte for byte. */
    uint32_t ppid = 0x11223344;
    CHECK_EQ(sctp_sendmsg(cli, "hello", 5, (struct sockaddr *)&v6,
                          sizeof v6, ppid, 0, 3, 0, 0), 5);
    flags = 0;
    memset(&sri, 0, sizeof sri);
    n = sctp_recvmsg(srv, buf, sizeof buf, NULL, NULL, &sri, &flags);
    CHECK_EQ(n, 5);
    CHECK(memcmp(buf, "hello", 5) == 0);
    CHECK(flags & MSG_EOR);
    CHECK(!(flags & MSG_NOTIFICATION));
    CHECK_EQ(sri.sinfo_stream, 3);
    CHECK_EQ(sri.sinfo_ppid, 0x11223344);
    CHECK_EQ(sri.sinfo_assoc_id, srv_id);
    CHECK_EQ(sri.sinfo_flags & SCTP_UNORDERED, 0);

    /* sctp_send with SCTP_UNORDERED on stream 1. */
    struct sctp_sndrcvinfo si;
    memset(&si, 0, sizeof si);
    si.sinfo_stream = 1;
    si.sinfo_ppid = 0xa0b0c0d0;
    si.sinfo_flags = SCTP_UNORDERED;
    si.sinfo_assoc_id = id;
    CHECK_EQ(sctp_send(cli, "unordered", 9, &si, 0), 9);
    flags = 0;
    memset(&sri, 0, sizeof sri);
    CHECK_EQ(sctp_recvmsg(srv, buf, sizeof buf, NULL, NULL, &sri, &flags), 9);
    CHECK_EQ(sri.sinfo_stream, 1);
    CHECK_EQ(sri.sinfo_ppid, 0xa0b0c0d0);
    CHECK(sri.sinfo_flags & SCTP_UNORDERED);

    /* Server answers with sendmsg + SCTP_SNDINFO; the client reads the
     * SCTP_RCVINFO cmsg it asked for with SCTP_RECVRCVINFO. */
    char cbuf[CMSG_SPACE(sizeof(struct sctp_sndinfo))];
    memset(cbuf, 0, sizeof cbuf);
    struct iovec iv = {"reply", 5};
    struct msghdr m = {.msg_iov = &iv, .msg_iovlen = 1, .msg_control = cbuf,
                       .msg_controllen = sizeof cbuf};
    struct cmsghdr *c = CMSG_FIRSTHDR(&m);
    c->cmsg_level = IPPROTO_SCTP;
    c->cmsg_type = SCTP_SNDINFO;
    c->cmsg_len = CMSG_LEN(sizeof(struct sctp_sndinfo));
    struct sctp_sndinfo snd = {.snd_sid = 2, .snd_ppid = 0x01020304,
                               .snd_assoc_id = srv_id};
    memcpy(CMSG_DATA(c), &snd, sizeof snd);
    CHECK_EQ(sendmsg(srv, &m, 0), 5);
    char rcv_c[CMSG_SPACE(sizeof(struct sctp_rcvinfo)) + 64];
    char data[64];
    struct iovec riv = {data, sizeof data};
    struct msghdr rm = {.msg_iov = &riv, .msg_iovlen = 1, .msg_control = rcv_c,
                        .msg_controllen = sizeof rcv_c};
    CHECK_EQ(recvmsg(cli, &rm, 0), 5);
    CHECK(memcmp(data, "reply", 5) == 0);
    struct cmsghdr *rc = CMSG_FIRSTHDR(&rm);
    CHECK(rc != NULL);
    CHECK_EQ(rc->cmsg_level, IPPROTO_SCTP);
    CHECK_EQ(rc->cmsg_type, SCTP_RCVINFO);
    struct sctp_rcvinfo ri;
    memcpy(&ri, CMSG_DATA(rc), sizeof ri);
    CHECK_EQ(ri.rcv_sid, 2);
    CHECK_EQ(ri.rcv_ppid, 0x01020304);
    CHECK_EQ(ri.rcv_assoc_id, id);
    CHECK(CMSG_NXTHDR(&rm, rc) == NULL); /* no SCTP_SNDRCV: not subscribed */

    /* SCTP_STATUS in the Linux layout. */
    struct sctp_status st;
    memset(&st, 0, sizeof st);
    st.sstat_assoc_id = id;
    socklen_t sl = sizeof st;
    CHECK_EQ(getsockopt(cli, SOL_SCTP, SCTP_STATUS, &st, &sl), 0);
    CHECK_EQ(st.sstat_state, SCTP_ESTABLISHED);
    CHECK_EQ(st.sstat_outstrms, 5);
    CHECK_EQ(((struct sockaddr_in6 *)&st.sstat_primary.spinfo_address)->sin6_port,
             htons((uint16_t)t_port(0)));
    CHECK_EQ(st.sstat_primary.spinfo_address.ss_family, AF_INET6);

    /* Closing the client: the server sees SHUTDOWN_EVENT, then
     * SHUTDOWN_COMP, a graceful end. */
    close(cli);
    sn = next_notification(srv, buf, sizeof buf, &n);
    CHECK_EQ(sn->sn_header.sn_type, SCTP_SHUTDOWN_EVENT);
    CHECK_EQ(sn->sn_shutdown_event.sse_assoc_id, srv_id);
    sn = next_notification(srv, buf, sizeof buf, &n);
    CHECK_EQ(sn->sn_header.sn_type, SCTP_ASSOC_CHANGE);
    CHECK_EQ(sn->sn_assoc_change.sac_state, SCTP_SHUTDOWN_COMP);
    close(srv);
}

TEST(one_to_one_with_libsctp)
{
    int lsn = t_listener(SOCK_STREAM, t_port(1));
    int c = socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP);
    struct sockaddr_in a = t_addr(t_port(1));
    sctp_assoc_t id = 0;
    CHECK_EQ(sctp_connectx(c, (struct sockaddr *)&a, 1, &id), 0);
    int s = accept(lsn, NULL, NULL);
    CHECK(s >= 0);
    struct sctp_event_subscribe ev;
    memset(&ev, 0, sizeof ev);
    ev.sctp_data_io_event = 1;
    CHECK_EQ(setsockopt(s, SOL_SCTP, SCTP_EVENTS, &ev, sizeof ev), 0);
    CHECK_EQ(sctp_sendmsg(c, "x", 1, NULL, 0, htonl(99), 0, 0, 0, 0), 1);
    struct sctp_sndrcvinfo sri;
    int flags = 0;
    char b[8];
    CHECK_EQ(sctp_recvmsg(s, b, sizeof b, NULL, NULL, &sri, &flags), 1);
    CHECK_EQ(sri.sinfo_ppid, htonl(99)); /* no byte-order change */
    /* A stream beyond the negotiated count is refused. */
    CHECK_ERR(sctp_sendmsg(c, "x", 1, NULL, 0, 0, 0, 60000, 0, 0), EINVAL);
    close(c);
    close(s);
    close(lsn);
}

int main(void)
{
    RUN(one_to_many_with_libsctp);
    RUN(one_to_one_with_libsctp);
    t_done("test_libsctp");
    return 0;
}
