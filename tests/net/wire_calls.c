/* The sending side of tests/net/wire.sh: libsctp and sendmsg calls whose
 * every DATA, ABORT and SHUTDOWN chunk the script then finds in a capture.
 * The receiving side is checked here: what the peer application sees. */
#include "wirelib.h"

static struct sockaddr_in srv_addr;

/* Client sets up an association to the server with a first message and
 * returns the client's association id; *srv_id gets the server's. */
static sctp_assoc_t associate(int cli, int srv, const char *first, int sid,
                              uint32_t ppid, sctp_assoc_t *srv_id)
{
    struct w_msg m;
    CHECK_EQ(sctp_sendmsg(cli, first, strlen(first), (struct sockaddr *)&srv_addr,
                          sizeof srv_addr, ppid, 0, (uint16_t)sid, 0, 0),
             (ssize_t)strlen(first));
    union sctp_notification *n = w_expect_notif(cli, &m, SCTP_ASSOC_CHANGE, 5000);
    CHECK_EQ(n->sn_assoc_change.sac_state, SCTP_COMM_UP);
    sctp_assoc_t id = n->sn_assoc_change.sac_assoc_id;
    n = w_expect_notif(srv, &m, SCTP_ASSOC_CHANGE, 5000);
    CHECK_EQ(n->sn_assoc_change.sac_state, SCTP_COMM_UP);
    *srv_id = n->sn_assoc_change.sac_assoc_id;
    w_expect_data(srv, &m, first, sid, ppid, 5000);
    return id;
}

int main(void)
{
    srv_addr = t_addr(t_port(0));
    int srv = w_socket(t_port(0));
    int cli = w_socket(0);
    /* The server's adaptation layer indication goes out in its INIT ACK. */
    struct sctp_setadaptation ad = {.ssb_adaptation_ind = 0xfeedbeef};
    CHECK_EQ(setsockopt(srv, SOL_SCTP, SCTP_ADAPTATION_LAYER, &ad, sizeof ad), 0);
    struct sctp_event_subscribe ev = {.sctp_data_io_event = 1,
                                      .sctp_association_event = 1,
                                      .sctp_shutdown_event = 1};
    CHECK_EQ(setsockopt(srv, SOL_SCTP, SCTP_EVENTS, &ev, sizeof ev), 0);
    CHECK_EQ(setsockopt(cli, SOL_SCTP, SCTP_EVENTS, &ev, sizeof ev), 0);
    struct w_msg m;

    /* PPIDs go out as the program passes them: 0x11223344 in memory on a
     * little-endian host is 44 33 22 11 on the wire, htonl(46) is 46. */
    sctp_assoc_t srv_id;
    sctp_assoc_t id = associate(cli, srv, "WIRE-PPID-RAW", 1, 0x11223344, &srv_id);
    CHECK_EQ(sctp_sendmsg(cli, "WIRE-PPID-NET", 13, (struct sockaddr *)&srv_addr,
                          sizeof srv_addr, htonl(46), 0, 2, 0, 0), 13);
    w_expect_data(srv, &m, "WIRE-PPID-NET", 2, htonl(46), 5000);
    CHECK_EQ(m.info.sinfo_flags & SCTP_UNORDERED, 0);

    /* sctp_send, SCTP_UNORDERED: the U bit. */
    struct sctp_sndrcvinfo si = {.sinfo_stream = 3, .sinfo_ppid = htonl(0xa1),
                                 .sinfo_flags = SCTP_UNORDERED,
                                 .sinfo_assoc_id = id};
    CHECK_EQ(sctp_send(cli, "WIRE-UNORDERED", 14, &si, 0), 14);
    w_expect_data(srv, &m, "WIRE-UNORDERED", 3, htonl(0xa1), 5000);
    CHECK(m.info.sinfo_flags & SCTP_UNORDERED);

    /* sendmsg + SCTP_SNDINFO, SCTP_SACK_IMMEDIATELY: the I bit. */
    char cbuf[CMSG_SPACE(sizeof(struct sctp_sndinfo))];
    memset(cbuf, 0, sizeof cbuf);
    struct iovec iv = {"WIRE-SACK-NOW", 13};
    struct msghdr h = {.msg_iov = &iv, .msg_iovlen = 1, .msg_control = cbuf,
                       .msg_controllen = sizeof cbuf};
    struct cmsghdr *c = CMSG_FIRSTHDR(&h);
    c->cmsg_level = IPPROTO_SCTP;
    c->cmsg_type = SCTP_SNDINFO;
    c->cmsg_len = CMSG_LEN(sizeof(struct sctp_sndinfo));
    struct sctp_sndinfo snd = {.snd_sid = 4, .snd_ppid = htonl(0xb2),
                               .snd_flags = SCTP_SACK_IMMEDIATELY,
                               .snd_assoc_id = id};
    memcpy(CMSG_DATA(c), &snd, sizeof snd);
    CHECK_EQ(sendmsg(cli, &h, 0), 13);
    w_expect_data(srv, &m, "WIRE-SACK-NOW", 4, htonl(0xb2), 5000);
    CHECK_EQ(m.info.sinfo_flags & SCTP_UNORDERED, 0);

    /* sendmsg + SCTP_SNDRCV, both bits at once. */
    struct sctp_sndrcvinfo both = {.sinfo_stream = 5, .sinfo_ppid = htonl(0xc3),
                                   .sinfo_flags = SCTP_UNORDERED | SCTP_SACK_IMMEDIATELY,
                                   .sinfo_assoc_id = id};
    CHECK_EQ(w_send_sndrcv(cli, "WIRE-BOTH-BITS", 14, &both, NULL), 14);
    w_expect_data(srv, &m, "WIRE-BOTH-BITS", 5, htonl(0xc3), 5000);
    CHECK(m.info.sinfo_flags & SCTP_UNORDERED);

    /* SCTP_EOF: two messages queued, then a zero-length message asks for
     * the graceful shutdown, which must follow the data. */
    struct sctp_sndrcvinfo q = {.sinfo_stream = 6, .sinfo_ppid = htonl(0xd4),
                                .sinfo_assoc_id = id};
    CHECK_EQ(sctp_send(cli, "WIRE-EOF-1", 10, &q, 0), 10);
    CHECK_EQ(sctp_send(cli, "WIRE-EOF-2", 10, &q, 0), 10);
    struct sctp_sndrcvinfo eof = {.sinfo_flags = SCTP_EOF, .sinfo_assoc_id = id};
    CHECK_EQ(w_send_sndrcv(cli, "", 0, &eof, NULL), 0);
    w_expect_data(srv, &m, "WIRE-EOF-1", 6, htonl(0xd4), 5000);
    w_expect_data(srv, &m, "WIRE-EOF-2", 6, htonl(0xd4), 5000);
    union sctp_notification *n = w_expect_notif(srv, &m, SCTP_SHUTDOWN_EVENT, 5000);
    CHECK_EQ(n->sn_shutdown_event.sse_assoc_id, srv_id);
    n = w_expect_notif(srv, &m, SCTP_ASSOC_CHANGE, 5000);
    CHECK_EQ(n->sn_assoc_change.sac_state, SCTP_SHUTDOWN_COMP);
    CHECK_EQ(n->sn_assoc_change.sac_assoc_id, srv_id);
    n = w_expect_notif(cli, &m, SCTP_ASSOC_CHANGE, 5000);
    CHECK_EQ(n->sn_assoc_change.sac_state, SCTP_SHUTDOWN_COMP);
    CHECK_EQ(n->sn_assoc_change.sac_assoc_id, id);

    /* SCTP_ABORT from a second client: the body is the abort reason; the
     * peer loses the association. */
    int cli2 = w_socket(0);
    CHECK_EQ(setsockopt(cli2, SOL_SCTP, SCTP_EVENTS, &ev, sizeof ev), 0);
    id = associate(cli2, srv, "WIRE-BEFORE-ABORT", 7, htonl(0xe5), &srv_id);
    struct sctp_sndrcvinfo ab = {.sinfo_flags = SCTP_ABORT, .sinfo_assoc_id = id};
    /* 0, as Linux: the reason went into the ABORT, no data was sent */
    CHECK_EQ(sctp_send(cli2, "WIRE-ABORT-REASON", 17, &ab, 0), 0);
    n = w_expect_notif(srv, &m, SCTP_ASSOC_CHANGE, 5000);
    CHECK_EQ(n->sn_assoc_change.sac_state, SCTP_COMM_LOST);
    CHECK_EQ(n->sn_assoc_change.sac_assoc_id, srv_id);
    fprintf(stderr, "  COMM_LOST: sac_error %u, %zu info bytes\n",
            n->sn_assoc_change.sac_error,
            (size_t)(n->sn_header.sn_length - sizeof n->sn_assoc_change));
    close(cli2);
    close(cli);
    close(srv);
    t_done("wire_calls");
    return 0;
}
