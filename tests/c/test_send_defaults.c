/* Default send parameters per association, as Linux keeps them: with an
 * association id, SCTP_DEFAULT_SEND_PARAM / SNDINFO / PRINFO set that
 * association's alone; FUTURE sets the socket's, which an association
 * copies when it is set up (so existing ones keep theirs); CURRENT sets
 * every existing association's; ALL both. */
#include "wirelib.h"

static void set_param(int s, sctp_assoc_t id, uint16_t sid, uint32_t ppid)
{
    struct sctp_sndrcvinfo d = {.sinfo_stream = sid, .sinfo_ppid = ppid,
                                .sinfo_assoc_id = id};
    CHECK_EQ(setsockopt(s, SOL_SCTP, SCTP_DEFAULT_SEND_PARAM, &d, sizeof d), 0);
}

static struct sctp_sndrcvinfo get_param(int s, sctp_assoc_t id)
{
    struct sctp_sndrcvinfo d = {.sinfo_assoc_id = id};
    socklen_t l = sizeof d;
    CHECK_EQ(getsockopt(s, SOL_SCTP, SCTP_DEFAULT_SEND_PARAM, &d, &l), 0);
    CHECK_EQ(l, sizeof d);
    return d;
}

/* A plain sendto with no send parameters of its own. */
static void plain_send(int srv, int port, const char *body)
{
    struct sockaddr_in to = t_addr(port);
    CHECK_EQ(sendto(srv, body, strlen(body), 0, (struct sockaddr *)&to, sizeof to),
             (ssize_t)strlen(body));
}

static int client_port(int cli)
{
    struct sockaddr_in a;
    socklen_t l = sizeof a;
    CHECK_EQ(getsockname(cli, (struct sockaddr *)&a, &l), 0);
    return ntohs(a.sin_port);
}

TEST(per_association)
{
    int srv = w_socket(t_port(0));
    struct sctp_event_subscribe ev = {.sctp_data_io_event = 1,
                                      .sctp_association_event = 1};
    CHECK_EQ(setsockopt(srv, SOL_SCTP, SCTP_EVENTS, &ev, sizeof ev), 0);
    struct sockaddr_in to = t_addr(t_port(0));
    int cli[3], port[3];
    sctp_assoc_t sid[3];
    for (int i = 0; i < 2; i++) {
        cli[i] = w_socket(0);
        CHECK_EQ(setsockopt(cli[i], SOL_SCTP, SCTP_EVENTS, &ev, sizeof ev), 0);
        w_associate(cli[i], srv, &to, "hello", &sid[i]);
        port[i] = client_port(cli[i]);
    }
    struct w_msg *m = malloc(sizeof *m);
    CHECK(m != NULL);

    /* Association 0's own; then the socket's, which association 1 (set
     * up before) does not take. */
    set_param(srv, sid[0], 3, htonl(0x33));
    set_param(srv, SCTP_FUTURE_ASSOC, 5, htonl(0x55));
    CHECK_EQ(get_param(srv, sid[0]).sinfo_stream, 3);
    CHECK_EQ(get_param(srv, sid[1]).sinfo_stream, 0);
    CHECK_EQ(get_param(srv, SCTP_FUTURE_ASSOC).sinfo_stream, 5);
    CHECK_EQ(get_param(srv, SCTP_FUTURE_ASSOC).sinfo_ppid, htonl(0x55));
    plain_send(srv, port[0], "to zero");
    w_expect_data(cli[0], m, "to zero", 3, htonl(0x33), 5000);
    plain_send(srv, port[1], "to one");
    w_expect_data(cli[1], m, "to one", 0, 0, 5000);

    /* A new association copies the socket's. */
    cli[2] = w_socket(0);
    CHECK_EQ(setsockopt(cli[2], SOL_SCTP, SCTP_EVENTS, &ev, sizeof ev), 0);
    w_associate(cli[2], srv, &to, "hello", &sid[2]);
    port[2] = client_port(cli[2]);
    CHECK_EQ(get_param(srv, sid[2]).sinfo_stream, 5);
    plain_send(srv, port[2], "to two");
    w_expect_data(cli[2], m, "to two", 5, htonl(0x55), 5000);

    /* CURRENT: the three, not the socket. */
    set_param(srv, SCTP_CURRENT_ASSOC, 6, htonl(0x66));
    for (int i = 0; i < 3; i++)
        CHECK_EQ(get_param(srv, sid[i]).sinfo_stream, 6);
    CHECK_EQ(get_param(srv, SCTP_FUTURE_ASSOC).sinfo_stream, 5);
    plain_send(srv, port[1], "current");
    w_expect_data(cli[1], m, "current", 6, htonl(0x66), 5000);
    /* ALL: the socket and the three. */
    set_param(srv, SCTP_ALL_ASSOC, 7, htonl(0x77));
    for (int i = 0; i < 3; i++)
        CHECK_EQ(get_param(srv, sid[i]).sinfo_stream, 7);
    CHECK_EQ(get_param(srv, SCTP_FUTURE_ASSOC).sinfo_stream, 7);

    /* A message's own parameters win over the association's defaults. */
    struct sctp_sndrcvinfo own = {.sinfo_stream = 2, .sinfo_ppid = htonl(0x22)};
    CHECK_EQ(w_send_sndrcv(srv, "own", 3, &own, &(struct sockaddr_in){
                               .sin_family = AF_INET,
                               .sin_port = htons((uint16_t)port[0]),
                               .sin_addr.s_addr = htonl(INADDR_LOOPBACK)}), 3);
    w_expect_data(cli[0], m, "own", 2, htonl(0x22), 5000);

    /* SCTP_DEFAULT_PRINFO for one association; SCTP_DEFAULT_SNDINFO then
     * clears its policy (Linux keeps the policy in the default flags,
     * which SNDINFO sets) but not its lifetime. */
    struct sctp_default_prinfo pi = {.pr_policy = SCTP_PR_SCTP_TTL,
                                     .pr_value = 1000, .pr_assoc_id = sid[0]};
    CHECK_EQ(setsockopt(srv, SOL_SCTP, SCTP_DEFAULT_PRINFO, &pi, sizeof pi), 0);
    struct sctp_default_prinfo q = {.pr_assoc_id = sid[1]};
    socklen_t l = sizeof q;
    CHECK_EQ(getsockopt(srv, SOL_SCTP, SCTP_DEFAULT_PRINFO, &q, &l), 0);
    CHECK_EQ(q.pr_policy, SCTP_PR_SCTP_NONE);
    q.pr_assoc_id = sid[0];
    CHECK_EQ(getsockopt(srv, SOL_SCTP, SCTP_DEFAULT_PRINFO, &q, &l), 0);
    CHECK_EQ(q.pr_policy, SCTP_PR_SCTP_TTL);
    CHECK_EQ(q.pr_value, 1000);
    CHECK_EQ(get_param(srv, sid[0]).sinfo_flags, SCTP_PR_SCTP_TTL);
    CHECK_EQ(get_param(srv, sid[0]).sinfo_timetolive, 1000);
    struct sctp_sndinfo si = {.snd_sid = 9, .snd_assoc_id = sid[0]};
    CHECK_EQ(setsockopt(srv, SOL_SCTP, SCTP_DEFAULT_SNDINFO, &si, sizeof si), 0);
    CHECK_EQ(getsockopt(srv, SOL_SCTP, SCTP_DEFAULT_PRINFO, &q, &l), 0);
    CHECK_EQ(q.pr_policy, SCTP_PR_SCTP_NONE);
    CHECK_EQ(q.pr_value, 1000);
    struct sctp_sndinfo sq = {.snd_assoc_id = sid[0]};
    l = sizeof sq;
    CHECK_EQ(getsockopt(srv, SOL_SCTP, SCTP_DEFAULT_SNDINFO, &sq, &l), 0);
    CHECK_EQ(sq.snd_sid, 9);
    CHECK_EQ(get_param(srv, sid[1]).sinfo_stream, 7);
    free(m);
    for (int i = 0; i < 3; i++)
        close(cli[i]);
    close(srv);
}

/* The kernel's checks. */
TEST(validation)
{
    int srv = w_socket(t_port(1));
    struct sctp_sndrcvinfo d = {.sinfo_stream = 1};
    /* Exactly the structure's size. */
    char big[sizeof d + 4];
    memset(big, 0, sizeof big);
    CHECK_ERR(setsockopt(srv, SOL_SCTP, SCTP_DEFAULT_SEND_PARAM, big, sizeof big), EINVAL);
    CHECK_ERR(setsockopt(srv, SOL_SCTP, SCTP_DEFAULT_SEND_PARAM, &d, sizeof d - 4), EINVAL);
    /* Default flags: UNORDERED, ADDR_OVER, ABORT, EOF and nothing else. */
    d.sinfo_flags = SCTP_PR_SCTP_TTL;
    CHECK_ERR(setsockopt(srv, SOL_SCTP, SCTP_DEFAULT_SEND_PARAM, &d, sizeof d), EINVAL);
    d.sinfo_flags = SCTP_SACK_IMMEDIATELY;
    CHECK_ERR(setsockopt(srv, SOL_SCTP, SCTP_DEFAULT_SEND_PARAM, &d, sizeof d), EINVAL);
    d.sinfo_flags = SCTP_UNORDERED;
    CHECK_EQ(setsockopt(srv, SOL_SCTP, SCTP_DEFAULT_SEND_PARAM, &d, sizeof d), 0);
    struct sctp_default_prinfo pi = {.pr_policy = 0x40};
    CHECK_ERR(setsockopt(srv, SOL_SCTP, SCTP_DEFAULT_PRINFO, &pi, sizeof pi), EINVAL);
    /* Reading CURRENT or ALL on a one-to-many socket names no one. */
    struct sctp_sndrcvinfo q = {.sinfo_assoc_id = SCTP_CURRENT_ASSOC};
    socklen_t l = sizeof q;
    CHECK_ERR(getsockopt(srv, SOL_SCTP, SCTP_DEFAULT_SEND_PARAM, &q, &l), EINVAL);
    q.sinfo_assoc_id = SCTP_ALL_ASSOC;
    CHECK_ERR(getsockopt(srv, SOL_SCTP, SCTP_DEFAULT_SEND_PARAM, &q, &l), EINVAL);
    close(srv);
}

int main(void)
{
    RUN(per_association);
    RUN(validation);
    t_done("test_send_defaults");
    return 0;
}
