/* Association ids are unique across the process, as Linux's are across
 * the system (and never 0-2): usrsctp numbers them per socket, so without
 * the shim's translation two sockets both have an association 3.  An id
 * that belongs to another socket is unknown to this one: EINVAL from the
 * socket options (SCTP_STATUS, SCTP_DEFAULT_SEND_PARAM,
 * SCTP_PEER_ADDR_PARAMS, SCTP_GET_PEER_ADDR_INFO), ENOENT from a send
 * (the man pages' errno). */
#include "wirelib.h"

/* The one association of a one-to-many socket, from the id list. */
static sctp_assoc_t only_id(int s)
{
    char buf[sizeof(struct sctp_assoc_ids) + 8 * sizeof(sctp_assoc_t)];
    struct sctp_assoc_ids *ids = (struct sctp_assoc_ids *)buf;
    socklen_t l = sizeof buf;
    CHECK_EQ(getsockopt(s, SOL_SCTP, SCTP_GET_ASSOC_ID_LIST, ids, &l), 0);
    CHECK_EQ(ids->gaids_number_of_ids, 1);
    return ids->gaids_assoc_id[0];
}

TEST(one_to_many_ids_differ_between_sockets)
{
    int srv[2], cli[2];
    sctp_assoc_t cid[2], sid[2];
    struct w_msg *m = malloc(sizeof *m);
    CHECK(m != NULL);
    for (int i = 0; i < 2; i++) {
        srv[i] = w_socket(t_port(i));
        cli[i] = w_socket(0);
        w_subscribe(srv[i], SCTP_ASSOC_CHANGE);
        w_subscribe(cli[i], SCTP_ASSOC_CHANGE);
        struct sctp_event_subscribe ev = {.sctp_data_io_event = 1,
                                          .sctp_association_event = 1};
        CHECK_EQ(setsockopt(srv[i], SOL_SCTP, SCTP_EVENTS, &ev, sizeof ev), 0);
        CHECK_EQ(setsockopt(cli[i], SOL_SCTP, SCTP_EVENTS, &ev, sizeof ev), 0);
        struct sockaddr_in to = t_addr(t_port(i));
        cid[i] = w_associate(cli[i], srv[i], &to, "hello", &sid[i]);
    }
    sctp_assoc_t all[4] = {cid[0], cid[1], sid[0], sid[1]};
    for (int i = 0; i < 4; i++) {
        CHECK(all[i] > SCTP_ALL_ASSOC);
        for (int j = 0; j < i; j++)
            CHECK(all[i] != all[j]);
    }
    for (int i = 0; i < 2; i++) {
        CHECK_EQ(only_id(cli[i]), cid[i]);
        CHECK_EQ(only_id(srv[i]), sid[i]);
    }

    /* The server's received message carries its own id. */
    struct sockaddr_in to0 = t_addr(t_port(0));
    CHECK_EQ(sctp_sendmsg(cli[0], "second", 6, (struct sockaddr *)&to0,
                          sizeof to0, 0, 0, 0, 0, 0), 6);
    w_expect_data(srv[0], m, "second", 0, 0, 5000);
    CHECK_EQ(m->info.sinfo_assoc_id, sid[0]);

    /* SCTP_STATUS: one's own id works, another socket's is unknown. */
    struct sctp_status st;
    memset(&st, 0, sizeof st);
    st.sstat_assoc_id = sid[0];
    socklen_t l = sizeof st;
    CHECK_EQ(getsockopt(srv[0], SOL_SCTP, SCTP_STATUS, &st, &l), 0);
    CHECK_EQ(st.sstat_assoc_id, sid[0]);
    CHECK_EQ(st.sstat_state, SCTP_ESTABLISHED);
    CHECK_EQ(st.sstat_primary.spinfo_assoc_id, sid[0]);
    memset(&st, 0, sizeof st);
    st.sstat_assoc_id = sid[1];
    l = sizeof st;
    CHECK_ERR(getsockopt(srv[0], SOL_SCTP, SCTP_STATUS, &st, &l), EINVAL);
    st.sstat_assoc_id = cid[0]; /* the peer's end: not this socket's either */
    l = sizeof st;
    CHECK_ERR(getsockopt(srv[0], SOL_SCTP, SCTP_STATUS, &st, &l), EINVAL);

    /* SCTP_DEFAULT_SEND_PARAM with another socket's id. */
    struct sctp_sndrcvinfo si = {.sinfo_stream = 1, .sinfo_assoc_id = sid[1]};
    CHECK_ERR(setsockopt(srv[0], SOL_SCTP, SCTP_DEFAULT_SEND_PARAM, &si,
                         sizeof si), EINVAL);
    l = sizeof si;
    CHECK_ERR(getsockopt(srv[0], SOL_SCTP, SCTP_DEFAULT_SEND_PARAM, &si, &l),
              EINVAL);

    /* The path options: another socket's id is unknown too. */
    struct sctp_paddrparams pp;
    memset(&pp, 0, sizeof pp);
    pp.spp_assoc_id = sid[1];
    l = sizeof pp;
    CHECK_ERR(getsockopt(srv[0], SOL_SCTP, SCTP_PEER_ADDR_PARAMS, &pp, &l), EINVAL);
    pp.spp_assoc_id = sid[0];
    CHECK_EQ(getsockopt(srv[0], SOL_SCTP, SCTP_PEER_ADDR_PARAMS, &pp, &l), 0);
    struct sctp_paddrinfo pi;
    memset(&pi, 0, sizeof pi);
    struct sockaddr_in peer0;
    socklen_t pl = sizeof peer0;
    CHECK_EQ(getsockname(cli[0], (struct sockaddr *)&peer0, &pl), 0);
    peer0.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    memcpy(&pi.spinfo_address, &peer0, sizeof peer0);
    pi.spinfo_assoc_id = sid[1];
    l = sizeof pi;
    CHECK_ERR(getsockopt(srv[0], SOL_SCTP, SCTP_GET_PEER_ADDR_INFO, &pi, &l), EINVAL);
    pi.spinfo_assoc_id = sid[0];
    CHECK_EQ(getsockopt(srv[0], SOL_SCTP, SCTP_GET_PEER_ADDR_INFO, &pi, &l), 0);
    CHECK_EQ(pi.spinfo_assoc_id, sid[0]);

    /* A send to another socket's association: ENOENT, nothing sent. */
    struct sctp_sndrcvinfo to_other = {.sinfo_assoc_id = sid[1]};
    CHECK_ERR(sctp_send(srv[0], "wrong", 5, &to_other, 0), ENOENT);
    struct sctp_sndrcvinfo to_own = {.sinfo_assoc_id = sid[0], .sinfo_ppid = htonl(7)};
    CHECK_EQ(sctp_send(srv[0], "right", 5, &to_own, 0), 5);
    w_expect_data(cli[0], m, "right", 0, htonl(7), 5000);
    CHECK(!w_recv(cli[1], m, 200));

    /* Peer addresses by id: another socket's id is unknown. */
    struct sockaddr *addrs;
    CHECK_EQ(sctp_getpaddrs(srv[0], sid[0], &addrs), 1);
    sctp_freepaddrs(addrs);
    CHECK(sctp_getpaddrs(srv[0], sid[1], &addrs) < 0);
    for (int i = 0; i < 2; i++) {
        close(cli[i]);
        close(srv[i]);
    }
    free(m);
}

/* Two associations accepted from one listener, and their connecting
 * ends: four ids, all different, the same at both ends of nothing. */
TEST(one_to_one_ids_differ)
{
    int lsn = t_listener(SOCK_STREAM, t_port(2));
    w_subscribe(lsn, SCTP_ASSOC_CHANGE);
    sctp_assoc_t ids[4];
    int fds[4];
    struct w_msg *m = malloc(sizeof *m);
    CHECK(m != NULL);
    for (int i = 0; i < 2; i++) {
        int c = socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP);
        CHECK(c >= 0);
        w_subscribe(c, SCTP_ASSOC_CHANGE);
        struct sockaddr_in a = t_addr(t_port(2));
        CHECK_EQ(connect(c, (struct sockaddr *)&a, sizeof a), 0);
        int s = accept(lsn, NULL, NULL);
        CHECK(s >= 0);
        union sctp_notification *n = w_expect_notif(c, m, SCTP_ASSOC_CHANGE, 5000);
        ids[2 * i] = n->sn_assoc_change.sac_assoc_id;
        n = w_expect_notif(s, m, SCTP_ASSOC_CHANGE, 5000);
        ids[2 * i + 1] = n->sn_assoc_change.sac_assoc_id;
        fds[2 * i] = c;
        fds[2 * i + 1] = s;
    }
    for (int i = 0; i < 4; i++) {
        CHECK(ids[i] > SCTP_ALL_ASSOC);
        for (int j = 0; j < i; j++)
            CHECK(ids[i] != ids[j]);
        /* SCTP_STATUS names the same id the event did; on a one-to-one
         * socket the id asked for does not matter, as on Linux. */
        struct sctp_status st;
        memset(&st, 0, sizeof st);
        st.sstat_assoc_id = ids[(i + 1) % 4];
        socklen_t l = sizeof st;
        CHECK_EQ(getsockopt(fds[i], SOL_SCTP, SCTP_STATUS, &st, &l), 0);
        CHECK_EQ(st.sstat_assoc_id, ids[i]);
    }
    for (int i = 0; i < 4; i++)
        close(fds[i]);
    close(lsn);
    free(m);
}

int main(void)
{
    RUN(one_to_many_ids_differ_between_sockets);
    RUN(one_to_one_ids_differ);
    t_done("test_assoc_ids");
    return 0;
}
