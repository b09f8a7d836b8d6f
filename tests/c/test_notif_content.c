/* What notifications carry, byte for byte as Linux lays them out:
 * COMM_LOST's sac_info (the peer's ABORT chunk's error causes, without the
 * chunk header); SEND_FAILED and SEND_FAILED_EVENT with the failed DATA
 * chunk's flags (E last fragment 0x01, B first 0x02, U 0x04, I 0x08) in
 * sinfo_flags / snd_flags. */
#include "wirelib.h"

/* The peer aborts with a reason: cause 12 (User-Initiated Abort) with
 * the reason is all that sac_info holds, and sac_error is the cause code
 * as on the wire. */
TEST(comm_lost_carries_the_causes)
{
    int srv, cli;
    w_pair(&srv, &cli, 1);
    struct sockaddr_in to = t_addr(t_port(0));
    sctp_assoc_t sid, cid = w_associate(cli, srv, &to, "hello", &sid);
    struct sctp_sndrcvinfo ab = {.sinfo_flags = SCTP_ABORT, .sinfo_assoc_id = cid};
    CHECK_EQ(sctp_send(cli, "bye-bye", 7, &ab, 0), 0);
    struct w_msg *m = malloc(sizeof *m);
    CHECK(m != NULL);
    union sctp_notification *n = w_expect_notif(srv, m, SCTP_ASSOC_CHANGE, 5000);
    struct sctp_assoc_change *ac = &n->sn_assoc_change;
    CHECK_EQ(ac->sac_state, SCTP_COMM_LOST);
    CHECK_EQ(ac->sac_assoc_id, sid);
    CHECK_EQ(ac->sac_error, htons(12));
    CHECK_EQ(m->len, sizeof *ac + 4 + 7);
    CHECK_EQ(ac->sac_length, sizeof *ac + 4 + 7);
    static const unsigned char cause[] = {0, 12, 0, 4 + 7, 'b', 'y', 'e', '-',
                                          'b', 'y', 'e'};
    CHECK_EQ(memcmp(ac->sac_info, cause, sizeof cause), 0);
    free(m);
    close(cli);
    close(srv);
}

/* A large message to a peer that reads nothing is aborted half-way: its
 * fragments come back failed, and a program reads them until the one
 * with the E flag, the last fragment. */
static void failed_fragments(int old_form, int port)
{
    int srv = w_socket(port);
    int rcvbuf = 4096;
    CHECK_EQ(setsockopt(srv, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf), 0);
    int cli = w_socket(0);
    w_subscribe(srv, SCTP_ASSOC_CHANGE);
    w_subscribe(cli, SCTP_ASSOC_CHANGE);
    struct sctp_event_subscribe ev = {.sctp_data_io_event = 1,
                                      .sctp_association_event = 1,
                                      .sctp_send_failure_event = 1};
    CHECK_EQ(setsockopt(srv, SOL_SCTP, SCTP_EVENTS, &ev, sizeof ev), 0);
    if (old_form)
        CHECK_EQ(setsockopt(cli, SOL_SCTP, SCTP_EVENTS, &ev, sizeof ev), 0);
    else
        w_subscribe(cli, SCTP_SEND_FAILED_EVENT);
    struct sockaddr_in to = t_addr(port);
    sctp_assoc_t sid, cid = w_associate(cli, srv, &to, "hello", &sid);
    enum { BIG = 100000 };
    char *big = malloc(BIG);
    CHECK(big != NULL);
    memset(big, 'f', BIG);
    struct sctp_sndrcvinfo si = {.sinfo_assoc_id = cid, .sinfo_stream = 1,
                                 .sinfo_ppid = htonl(33)};
    CHECK_EQ(sctp_send(cli, big, BIG, &si, 0), BIG);
    usleep(300000);
    struct sctp_sndrcvinfo ab = {.sinfo_flags = SCTP_ABORT, .sinfo_assoc_id = cid};
    CHECK_EQ(sctp_send(cli, NULL, 0, &ab, 0), 0);
    struct w_msg *m = malloc(sizeof *m);
    CHECK(m != NULL);
    int failed = 0, last = 0;
    size_t bytes = 0;
    double end = t_now() + 5;
    while (!last && t_now() < end) {
        /* Not w_expect_notif: a failed piece with more than about 4 KiB
         * of data comes cut short, without MSG_EOR (the receive path's
         * business); its header is what this test reads. */
        CHECK(w_recv(cli, m, 5000));
        CHECK(m->flags & MSG_NOTIFICATION);
        union sctp_notification *n = w_notif(m);
        if (n->sn_header.sn_type != (old_form ? SCTP_SEND_FAILED : SCTP_SEND_FAILED_EVENT))
            continue;
        uint16_t flags;
        size_t hdr;
        if (old_form) {
            flags = n->sn_send_failed.ssf_info.sinfo_flags;
            CHECK_EQ(n->sn_send_failed.ssf_info.sinfo_stream, 1);
            CHECK_EQ(n->sn_send_failed.ssf_info.sinfo_ppid, htonl(33));
            CHECK_EQ(n->sn_send_failed.ssf_assoc_id, cid);
            hdr = sizeof(struct sctp_send_failed);
        } else {
            struct sctp_send_failed_event *e = (void *)n;
            flags = e->ssfe_info.snd_flags;
            CHECK_EQ(e->ssfe_info.snd_sid, 1);
            CHECK_EQ(e->ssfe_info.snd_ppid, htonl(33));
            CHECK_EQ(e->ssf_assoc_id, cid);
            hdr = sizeof *e;
        }
        CHECK_EQ(flags & ~0x0f, 0);
        CHECK(m->len >= (ssize_t)hdr);
        bytes += (size_t)m->len - hdr;
        last = flags & 0x01;
        failed++;
    }
    fprintf(stderr, "    %d failed pieces, %zu bytes, the last with E\n",
            failed, bytes);
    CHECK(last);
    CHECK(bytes > 0 && bytes < BIG);
    free(m);
    free(big);
    close(cli);
    close(srv);
}

TEST(send_failed_event_has_chunk_flags)
{
    failed_fragments(0, t_port(1));
}

TEST(old_send_failed_has_chunk_flags)
{
    failed_fragments(1, t_port(2));
}

int main(void)
{
    RUN(comm_lost_carries_the_causes);
    RUN(send_failed_event_has_chunk_flags);
    RUN(old_send_failed_has_chunk_flags);
    t_done("test_notif_content");
    return 0;
}
