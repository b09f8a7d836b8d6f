/* SCTP_UNORDERED under real loss (run by tests/net/netns_run.sh in a
 * private network namespace): a filter drops every packet carrying
 * ordered message A; the unordered message B sent after it on the same
 * stream is delivered at once, while ordered C, also behind A on that
 * stream, waits for A.  Ordered D on another stream does not wait.  Once
 * the filter goes, A arrives by retransmission, then C.
 *
 * The filter drops on INPUT, as a lossy network would: dropped on OUTPUT,
 * the sender's own sendto() fails with EPERM, and usrsctp then stops its
 * whole output pass, so B, C and D never leave until A gets through. */
#include "wirelib.h"

int main(void)
{
    struct sockaddr_in to = t_addr(t_port(0));
    int srv, cli;
    w_pair(&srv, &cli, 1);
    w_fast_rtx(cli);
    sctp_assoc_t srv_id, id = w_associate(cli, srv, &to, "UO-SETUP", &srv_id);
    struct w_msg m;

    w_iptables("-A INPUT -p udp -m string --algo bm --string UO-MARK-A -j DROP");
    struct sctp_sndrcvinfo si = {.sinfo_stream = 1, .sinfo_ppid = 1,
                                 .sinfo_assoc_id = id};
    CHECK_EQ(sctp_send(cli, "UO-MARK-A", 9, &si, 0), 9);
    usleep(50000); /* B in a packet of its own, not bundled with A */
    si.sinfo_flags = SCTP_UNORDERED;
    si.sinfo_ppid = 2;
    CHECK_EQ(sctp_send(cli, "UO-B-UNORDERED", 14, &si, 0), 14);
    si.sinfo_flags = 0;
    si.sinfo_ppid = 3;
    CHECK_EQ(sctp_send(cli, "UO-C-ORDERED", 12, &si, 0), 12);
    si.sinfo_stream = 2;
    si.sinfo_ppid = 4;
    CHECK_EQ(sctp_send(cli, "UO-D-OTHER-STREAM", 17, &si, 0), 17);

    /* B overtakes A; D, on stream 2, is not held up by stream 1. */
    w_expect_data(srv, &m, "UO-B-UNORDERED", 1, 2, 2000);
    CHECK(m.info.sinfo_flags & SCTP_UNORDERED);
    CHECK_EQ(m.info.sinfo_assoc_id, srv_id);
    w_expect_data(srv, &m, "UO-D-OTHER-STREAM", 2, 4, 2000);
    CHECK_EQ(m.info.sinfo_flags & SCTP_UNORDERED, 0);
    /* C is ordered behind A: nothing may arrive while A is dropped. */
    CHECK_EQ(w_recv(srv, &m, 700), 0);
    w_iptables("-D INPUT -p udp -m string --algo bm --string UO-MARK-A -j DROP");

    w_expect_data(srv, &m, "UO-MARK-A", 1, 1, 10000);
    CHECK_EQ(m.info.sinfo_flags & SCTP_UNORDERED, 0);
    w_expect_data(srv, &m, "UO-C-ORDERED", 1, 3, 5000);
    CHECK_EQ(m.info.sinfo_flags & SCTP_UNORDERED, 0);
    close(cli);
    close(srv);
    t_done("wire_unordered");
    return 0;
}
