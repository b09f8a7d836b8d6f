/* Event subscriptions per association, as Linux keeps them: SCTP_EVENTS
 * applies to the socket and every existing association (a program that
 * subscribes after its associations are up still hears of their end);
 * SCTP_EVENT follows se_assoc_id: one association, FUTURE (the socket,
 * for associations to come), CURRENT (those that exist) or ALL. */
#include "wirelib.h"

static int event_on(int s, sctp_assoc_t id, int type)
{
    struct sctp_event q = {.se_assoc_id = id, .se_type = (uint16_t)type};
    socklen_t l = sizeof q;
    CHECK_EQ(getsockopt(s, SOL_SCTP, SCTP_EVENT, &q, &l), 0);
    return q.se_on;
}

static void set_event(int s, sctp_assoc_t id, int type, int on)
{
    struct sctp_event e = {.se_assoc_id = id, .se_type = (uint16_t)type,
                           .se_on = (uint8_t)on};
    CHECK_EQ(setsockopt(s, SOL_SCTP, SCTP_EVENT, &e, sizeof e), 0);
}

/* The client ends association cid gracefully (SCTP_EOF). */
static void client_eof(int cli, sctp_assoc_t cid)
{
    struct sctp_sndrcvinfo eof = {.sinfo_flags = SCTP_EOF, .sinfo_assoc_id = cid};
    CHECK_EQ(sctp_send(cli, NULL, 0, &eof, 0), 0);
}

/* The server's events up to association id's SHUTDOWN_COMP: whether a
 * SHUTDOWN_EVENT for it came first. */
static int shutdown_then_comp(int srv, sctp_assoc_t id, struct w_msg *m)
{
    int seen = 0;
    double end = t_now() + 5;
    while (t_now() < end) {
        CHECK(w_recv(srv, m, 5000));
        CHECK(m->flags & MSG_NOTIFICATION);
        union sctp_notification *n = w_notif(m);
        if (n->sn_header.sn_type == SCTP_SHUTDOWN_EVENT) {
            CHECK_EQ(n->sn_shutdown_event.sse_assoc_id, id);
            seen = 1;
        } else if (n->sn_header.sn_type == SCTP_ASSOC_CHANGE) {
            CHECK_EQ(n->sn_assoc_change.sac_assoc_id, id);
            CHECK_EQ(n->sn_assoc_change.sac_state, SCTP_SHUTDOWN_COMP);
            return seen;
        }
    }
    CHECK(!"no SHUTDOWN_COMP");
    return 0;
}

TEST(sctp_events_after_connect)
{
    int srv, cli;
    w_pair(&srv, &cli, 1);
    struct sockaddr_in to = t_addr(t_port(0));
    sctp_assoc_t sid, cid = w_associate(cli, srv, &to, "hello", &sid);
    /* Subscribed once the association is up. */
    struct sctp_event_subscribe ev = {.sctp_data_io_event = 1,
                                      .sctp_association_event = 1,
                                      .sctp_shutdown_event = 1};
    CHECK_EQ(setsockopt(srv, SOL_SCTP, SCTP_EVENTS, &ev, sizeof ev), 0);
    CHECK_EQ(event_on(srv, sid, SCTP_SHUTDOWN_EVENT), 1);
    CHECK_EQ(event_on(srv, SCTP_FUTURE_ASSOC, SCTP_SHUTDOWN_EVENT), 1);
    client_eof(cli, cid);
    struct w_msg *m = malloc(sizeof *m);
    CHECK(m != NULL);
    CHECK_EQ(shutdown_then_comp(srv, sid, m), 1);
    free(m);
    close(cli);
    close(srv);
}

/* Two associations; SCTP_EVENT names one of them. */
TEST(sctp_event_one_association)
{
    int srv = w_socket(t_port(1));
    int cli[2];
    sctp_assoc_t sid[2], cid[2];
    struct sctp_event_subscribe ev = {.sctp_data_io_event = 1,
                                      .sctp_association_event = 1};
    CHECK_EQ(setsockopt(srv, SOL_SCTP, SCTP_EVENTS, &ev, sizeof ev), 0);
    struct sockaddr_in to = t_addr(t_port(1));
    for (int i = 0; i < 2; i++) {
        cli[i] = w_socket(0);
        CHECK_EQ(setsockopt(cli[i], SOL_SCTP, SCTP_EVENTS, &ev, sizeof ev), 0);
        cid[i] = w_associate(cli[i], srv, &to, "hello", &sid[i]);
    }
    set_event(srv, sid[0], SCTP_SHUTDOWN_EVENT, 1);
    CHECK_EQ(event_on(srv, sid[0], SCTP_SHUTDOWN_EVENT), 1);
    CHECK_EQ(event_on(srv, sid[1], SCTP_SHUTDOWN_EVENT), 0);
    CHECK_EQ(event_on(srv, SCTP_FUTURE_ASSOC, SCTP_SHUTDOWN_EVENT), 0);
    /* Reading CURRENT or ALL, or another socket's association: EINVAL. */
    struct sctp_event q = {.se_assoc_id = SCTP_CURRENT_ASSOC,
                           .se_type = SCTP_SHUTDOWN_EVENT};
    socklen_t l = sizeof q;
    CHECK_ERR(getsockopt(srv, SOL_SCTP, SCTP_EVENT, &q, &l), EINVAL);
    q.se_assoc_id = cid[0];
    CHECK_ERR(getsockopt(srv, SOL_SCTP, SCTP_EVENT, &q, &l), EINVAL);
    q.se_on = 1;
    CHECK_ERR(setsockopt(srv, SOL_SCTP, SCTP_EVENT, &q, sizeof q), EINVAL);

    struct w_msg *m = malloc(sizeof *m);
    CHECK(m != NULL);
    client_eof(cli[1], cid[1]);
    CHECK_EQ(shutdown_then_comp(srv, sid[1], m), 0);
    client_eof(cli[0], cid[0]);
    CHECK_EQ(shutdown_then_comp(srv, sid[0], m), 1);
    free(m);
    for (int i = 0; i < 2; i++)
        close(cli[i]);
    close(srv);
}

/* CURRENT: the associations there are, each reporting SENDER_DRY at
 * once (usrsctp itself refuses SENDER_DRY for CURRENT); the socket, and
 * so a later association, stays unsubscribed.  ALL: both. */
TEST(sctp_event_current_and_all)
{
    int srv = w_socket(t_port(2));
    struct sctp_event_subscribe ev = {.sctp_data_io_event = 1,
                                      .sctp_association_event = 1};
    CHECK_EQ(setsockopt(srv, SOL_SCTP, SCTP_EVENTS, &ev, sizeof ev), 0);
    struct sockaddr_in to = t_addr(t_port(2));
    int cli[3];
    sctp_assoc_t sid[3];
    for (int i = 0; i < 2; i++) {
        cli[i] = w_socket(0);
        CHECK_EQ(setsockopt(cli[i], SOL_SCTP, SCTP_EVENTS, &ev, sizeof ev), 0);
        w_associate(cli[i], srv, &to, "hello", &sid[i]);
    }
    set_event(srv, SCTP_CURRENT_ASSOC, SCTP_SENDER_DRY_EVENT, 1);
    struct w_msg *m = malloc(sizeof *m);
    CHECK(m != NULL);
    int dry[2] = {0, 0};
    for (int k = 0; k < 2; k++) {
        union sctp_notification *n = w_expect_notif(srv, m, SCTP_SENDER_DRY_EVENT, 5000);
        for (int i = 0; i < 2; i++)
            if (n->sn_sender_dry_event.sender_dry_assoc_id == sid[i])
                dry[i]++;
    }
    CHECK_EQ(dry[0], 1);
    CHECK_EQ(dry[1], 1);
    CHECK_EQ(event_on(srv, sid[0], SCTP_SENDER_DRY_EVENT), 1);
    CHECK_EQ(event_on(srv, sid[1], SCTP_SENDER_DRY_EVENT), 1);
    CHECK_EQ(event_on(srv, SCTP_FUTURE_ASSOC, SCTP_SENDER_DRY_EVENT), 0);
    cli[2] = w_socket(0);
    CHECK_EQ(setsockopt(cli[2], SOL_SCTP, SCTP_EVENTS, &ev, sizeof ev), 0);
    w_associate(cli[2], srv, &to, "hello", &sid[2]);
    CHECK_EQ(event_on(srv, sid[2], SCTP_SENDER_DRY_EVENT), 0);
    CHECK(!w_recv(srv, m, 300)); /* no SENDER_DRY for the newcomer */

    /* ALL: the socket and all three (each idle one reports at once). */
    set_event(srv, SCTP_ALL_ASSOC, SCTP_SHUTDOWN_EVENT, 1);
    for (int i = 0; i < 3; i++)
        CHECK_EQ(event_on(srv, sid[i], SCTP_SHUTDOWN_EVENT), 1);
    CHECK_EQ(event_on(srv, SCTP_FUTURE_ASSOC, SCTP_SHUTDOWN_EVENT), 1);
    /* FUTURE only: the existing associations keep what they have. */
    set_event(srv, SCTP_FUTURE_ASSOC, SCTP_SHUTDOWN_EVENT, 0);
    CHECK_EQ(event_on(srv, SCTP_FUTURE_ASSOC, SCTP_SHUTDOWN_EVENT), 0);
    for (int i = 0; i < 3; i++)
        CHECK_EQ(event_on(srv, sid[i], SCTP_SHUTDOWN_EVENT), 1);
    free(m);
    for (int i = 0; i < 3; i++)
        close(cli[i]);
    close(srv);
}

int main(void)
{
    RUN(sctp_events_after_connect);
    RUN(sctp_event_one_association);
    RUN(sctp_event_current_and_all);
    t_done("test_assoc_events");
    return 0;
}
