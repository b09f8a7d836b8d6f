/* Protocol defaults as Linux's (net.sctp.auth_enable and addip_enable
 * are 0): neither AUTH nor ASCONF is negotiated unless the program asks,
 * and a socket subscribed to authentication events hears
 * SCTP_AUTH_NO_AUTH after COMM_UP, on both ends. */
#include "wirelib.h"

static uint32_t assoc_value(int s, int name, sctp_assoc_t id)
{
    struct sctp_assoc_value av = {.assoc_id = id};
    socklen_t l = sizeof av;
    CHECK_EQ(getsockopt(s, SOL_SCTP, name, &av, &l), 0);
    return av.assoc_value;
}

static void expect_no_auth(int s)
{
    struct w_msg *m = malloc(sizeof *m);
    CHECK(m != NULL);
    union sctp_notification *n = w_expect_notif(s, m, SCTP_ASSOC_CHANGE, 5000);
    CHECK_EQ(n->sn_assoc_change.sac_state, SCTP_COMM_UP);
    sctp_assoc_t id = n->sn_assoc_change.sac_assoc_id;
    n = w_expect_notif(s, m, SCTP_AUTHENTICATION_EVENT, 5000);
    CHECK_EQ(n->sn_header.sn_length, sizeof(struct sctp_authkey_event));
    CHECK_EQ(n->sn_authkey_event.auth_indication, SCTP_AUTH_NO_AUTH);
    CHECK_EQ(n->sn_authkey_event.auth_assoc_id, id);
    free(m);
}

TEST(no_auth_no_asconf_by_default)
{
    int lsn = t_listener(SOCK_STREAM, t_port(0));
    w_subscribe(lsn, SCTP_ASSOC_CHANGE);
    w_subscribe(lsn, SCTP_AUTHENTICATION_EVENT);
    int c = socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP);
    CHECK(c >= 0);
    CHECK_EQ(assoc_value(c, SCTP_AUTH_SUPPORTED, 0), 0);
    CHECK_EQ(assoc_value(c, SCTP_ASCONF_SUPPORTED, 0), 0);
    w_subscribe(c, SCTP_ASSOC_CHANGE);
    w_subscribe(c, SCTP_AUTHENTICATION_EVENT);
    struct sockaddr_in a = t_addr(t_port(0));
    CHECK_EQ(connect(c, (struct sockaddr *)&a, sizeof a), 0);
    int s = accept(lsn, NULL, NULL);
    CHECK(s >= 0);
    expect_no_auth(c);
    expect_no_auth(s);
    /* What the association negotiated. */
    CHECK_EQ(assoc_value(c, SCTP_AUTH_SUPPORTED, 0), 0);
    CHECK_EQ(assoc_value(c, SCTP_ASCONF_SUPPORTED, 0), 0);
    CHECK_EQ(assoc_value(s, SCTP_AUTH_SUPPORTED, 0), 0);
    close(c);
    close(s);
    close(lsn);
}

/* Asked for on both ends, AUTH is negotiated, and no NO_AUTH comes. */
TEST(auth_when_asked)
{
    int srv = w_socket(t_port(1));
    int cli = w_socket(0);
    struct sctp_assoc_value on = {.assoc_id = SCTP_FUTURE_ASSOC, .assoc_value = 1};
    CHECK_EQ(setsockopt(srv, SOL_SCTP, SCTP_AUTH_SUPPORTED, &on, sizeof on), 0);
    CHECK_EQ(setsockopt(cli, SOL_SCTP, SCTP_AUTH_SUPPORTED, &on, sizeof on), 0);
    CHECK_EQ(assoc_value(cli, SCTP_AUTH_SUPPORTED, 0), 1);
    w_subscribe(srv, SCTP_ASSOC_CHANGE);
    w_subscribe(srv, SCTP_AUTHENTICATION_EVENT);
    w_subscribe(cli, SCTP_ASSOC_CHANGE);
    w_subscribe(cli, SCTP_AUTHENTICATION_EVENT);
    struct sctp_event_subscribe ev = {.sctp_data_io_event = 1,
                                      .sctp_association_event = 1,
                                      .sctp_authentication_event = 1};
    CHECK_EQ(setsockopt(srv, SOL_SCTP, SCTP_EVENTS, &ev, sizeof ev), 0);
    struct sockaddr_in to = t_addr(t_port(1));
    sctp_assoc_t sid, cid = w_associate(cli, srv, &to, "authed", &sid);
    CHECK_EQ(assoc_value(cli, SCTP_AUTH_SUPPORTED, cid), 1);
    CHECK_EQ(assoc_value(srv, SCTP_AUTH_SUPPORTED, sid), 1);
    struct w_msg *m = malloc(sizeof *m);
    CHECK(m != NULL);
    while (w_recv(cli, m, 300))
        CHECK(!(m->flags & MSG_NOTIFICATION) ||
              w_notif(m)->sn_header.sn_type != SCTP_AUTHENTICATION_EVENT);
    free(m);
    close(cli);
    close(srv);
}

int main(void)
{
    RUN(no_auth_no_asconf_by_default);
    RUN(auth_when_asked);
    t_done("test_proto_defaults");
    return 0;
}
