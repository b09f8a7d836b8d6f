/* PEER_ADDR_CHANGE for a path that fails (run by tests/net/netns_run.sh
 * in a private network namespace): every packet is dropped while a
 * message waits for its acknowledgement; after the path's retransmission
 * limit the sender reports the peer's address SCTP_ADDR_UNREACHABLE.
 * Subscribed with SCTP_EVENT.
 *
 * The recovery (SCTP_ADDR_AVAILABLE, then the message) does come, but only
 * with the next heartbeat, about 30 s later: the heartbeat interval is
 * set with SCTP_PEER_ADDR_PARAMS, which the shim does not support yet, so
 * the test stops at the failure. */
#include "wirelib.h"

static void expect_state(int cli, struct w_msg *m, int state, sctp_assoc_t id,
                         int port, int ms)
{
    union sctp_notification *n = w_expect_notif(cli, m, SCTP_PEER_ADDR_CHANGE, ms);
    struct sctp_paddr_change *p = &n->sn_paddr_change;
    CHECK_EQ(p->spc_type, SCTP_PEER_ADDR_CHANGE);
    CHECK_EQ(p->spc_flags, 0);
    CHECK_EQ(p->spc_length, sizeof *p);
    CHECK_EQ(p->spc_state, state);
    CHECK_EQ(p->spc_assoc_id, id);
    struct sockaddr_in a;
    memcpy(&a, &p->spc_aaddr, sizeof a);
    CHECK_EQ(a.sin_family, AF_INET);
    CHECK_EQ(ntohs(a.sin_port), port);
    CHECK_EQ(ntohl(a.sin_addr.s_addr), INADDR_LOOPBACK);
    fprintf(stderr, "  PEER_ADDR_CHANGE state %d, spc_error %d\n", p->spc_state,
            p->spc_error);
}

int main(void)
{
    struct sockaddr_in to = t_addr(t_port(0));
    int srv, cli;
    w_pair(&srv, &cli, 0);
    w_subscribe(cli, SCTP_ASSOC_CHANGE);
    w_subscribe(cli, SCTP_PEER_ADDR_CHANGE);
    w_fast_rtx(cli);
    sctp_assoc_t srv_id, id = w_associate(cli, srv, &to, "PADDR-SETUP", &srv_id);
    struct w_msg m;

    w_iptables("-A INPUT -p udp -j DROP");
    struct sctp_sndrcvinfo si = {.sinfo_stream = 1, .sinfo_ppid = 7,
                                 .sinfo_assoc_id = id};
    CHECK_EQ(sctp_send(cli, "PADDR-HELD", 10, &si, 0), 10);
    expect_state(cli, &m, SCTP_ADDR_UNREACHABLE, id, t_port(0), 15000);
    w_iptables("-D INPUT -p udp -j DROP");
    struct linger lg = {1, 0}; /* do not wait for the held message at exit */
    CHECK_EQ(setsockopt(cli, SOL_SOCKET, SO_LINGER, &lg, sizeof lg), 0);
    close(cli);
    close(srv);
    t_done("wire_paddr");
    return 0;
}
