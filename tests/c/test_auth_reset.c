/* The authentication options (RFC 4895), stream reconfiguration (RFC
 * 6525) and PR-SCTP's counts, with Linux's checks: AUTH options answer
 * EACCES until AUTH is switched on, reconfiguration ENOPROTOOPT until
 * both ends take it and the request is enabled. */
#include "wirelib.h"

static void assoc_value(int s, int name, sctp_assoc_t id, uint32_t v)
{
    struct sctp_assoc_value av = {.assoc_id = id, .assoc_value = v};
    CHECK_EQ(setsockopt(s, SOL_SCTP, name, &av, sizeof av), 0);
}

static void set_key(int s, uint16_t number, const char *key)
{
    char buf[sizeof(struct sctp_authkey) + 64];
    struct sctp_authkey *k = (struct sctp_authkey *)buf;
    memset(buf, 0, sizeof buf);
    k->sca_assoc_id = SCTP_FUTURE_ASSOC;
    k->sca_keynumber = number;
    k->sca_keylength = (uint16_t)strlen(key);
    memcpy(k->sca_key, key, strlen(key));
    CHECK_EQ(setsockopt(s, SOL_SCTP, SCTP_AUTH_KEY, k, sizeof *k + strlen(key)), 0);
}

static int has_chunk(int s, int name, sctp_assoc_t id, uint8_t type)
{
    char buf[sizeof(struct sctp_authchunks) + 64];
    struct sctp_authchunks *c = (struct sctp_authchunks *)buf;
    memset(buf, 0, sizeof buf);
    c->gauth_assoc_id = id;
    socklen_t l = sizeof buf;
    CHECK_EQ(getsockopt(s, SOL_SCTP, name, c, &l), 0);
    CHECK_EQ(l, sizeof *c + c->gauth_number_of_chunks);
    for (uint32_t i = 0; i < c->gauth_number_of_chunks; i++)
        if (c->gauth_chunks[i] == type)
            return 1;
    return 0;
}

TEST(auth)
{
    int plain = socket(AF_INET, SOCK_SEQPACKET, IPPROTO_SCTP);
    struct sctp_authchunk dc = {.sauth_chunk = 0}; /* DATA */
    CHECK_ERR(setsockopt(plain, SOL_SCTP, SCTP_AUTH_CHUNK, &dc, sizeof dc), EACCES);
    char hbuf[sizeof(struct sctp_hmacalgo) + 8];
    socklen_t l = sizeof hbuf;
    CHECK_ERR(getsockopt(plain, SOL_SCTP, SCTP_HMAC_IDENT, hbuf, &l), EACCES);
    close(plain);

    int srv = w_socket(t_port(0)), cli = w_socket(0);
    int socks[2] = {srv, cli};
    for (int i = 0; i < 2; i++) {
        assoc_value(socks[i], SCTP_AUTH_SUPPORTED, SCTP_FUTURE_ASSOC, 1);
        CHECK_EQ(setsockopt(socks[i], SOL_SCTP, SCTP_AUTH_CHUNK, &dc, sizeof dc), 0);
        struct sctp_authchunk init = {.sauth_chunk = 1};
        CHECK_ERR(setsockopt(socks[i], SOL_SCTP, SCTP_AUTH_CHUNK, &init, sizeof init), EINVAL);
        struct sctp_hmacalgo *h = (struct sctp_hmacalgo *)hbuf;
        h->shmac_num_idents = 1;
        h->shmac_idents[0] = 3; /* SHA-256 alone: SHA-1 is mandatory */
        CHECK_ERR(setsockopt(socks[i], SOL_SCTP, SCTP_HMAC_IDENT, h, sizeof *h + 2), EINVAL);
        /* (Debian's usrsctp has no HMAC-SHA-256: SHA-1 alone.) */
        h->shmac_idents[0] = 1;
        CHECK_EQ(setsockopt(socks[i], SOL_SCTP, SCTP_HMAC_IDENT, h, sizeof *h + 2), 0);
        l = sizeof hbuf;
        memset(hbuf, 0, sizeof hbuf);
        CHECK_EQ(getsockopt(socks[i], SOL_SCTP, SCTP_HMAC_IDENT, hbuf, &l), 0);
        CHECK_EQ(h->shmac_num_idents, 1);
        CHECK_EQ(h->shmac_idents[0], 1);
        set_key(socks[i], 1, "sesame-open");
        struct sctp_authkeyid act = {.scact_assoc_id = SCTP_FUTURE_ASSOC, .scact_keynumber = 1};
        CHECK_EQ(setsockopt(socks[i], SOL_SCTP, SCTP_AUTH_ACTIVE_KEY, &act, sizeof act), 0);
        CHECK(has_chunk(socks[i], SCTP_LOCAL_AUTH_CHUNKS, SCTP_FUTURE_ASSOC, 0));
    }
    struct sctp_event_subscribe ev = {.sctp_data_io_event = 1,
                                      .sctp_association_event = 1};
    CHECK_EQ(setsockopt(srv, SOL_SCTP, SCTP_EVENTS, &ev, sizeof ev), 0);
    CHECK_EQ(setsockopt(cli, SOL_SCTP, SCTP_EVENTS, &ev, sizeof ev), 0);
    struct sockaddr_in to = t_addr(t_port(0));
    sctp_assoc_t sid, cid = w_associate(cli, srv, &to, "signed", &sid);
    /* The peer wants DATA authenticated; the active key is 1. */
    CHECK(has_chunk(cli, SCTP_PEER_AUTH_CHUNKS, cid, 0));
    CHECK(has_chunk(srv, SCTP_PEER_AUTH_CHUNKS, sid, 0));
    struct sctp_authkeyid act = {.scact_assoc_id = cid};
    l = sizeof act;
    CHECK_EQ(getsockopt(cli, SOL_SCTP, SCTP_AUTH_ACTIVE_KEY, &act, &l), 0);
    CHECK_EQ(act.scact_keynumber, 1);
    struct sctp_assoc_value av = {.assoc_id = cid};
    l = sizeof av;
    CHECK_EQ(getsockopt(cli, SOL_SCTP, SCTP_AUTH_SUPPORTED, &av, &l), 0);
    CHECK_EQ(av.assoc_value, 1);
    struct w_msg *m = malloc(sizeof *m);
    CHECK(m != NULL);
    struct sctp_sndrcvinfo si = {.sinfo_assoc_id = cid};
    CHECK_EQ(sctp_send(cli, "authed data", 11, &si, 0), 11);
    w_expect_data(srv, m, "authed data", 0, 0, 5000);
    free(m);
    close(cli);
    close(srv);
}

TEST(stream_reset)
{
    int srv = w_socket(t_port(1)), cli = w_socket(0);
    int socks[2] = {srv, cli};
    struct sctp_event_subscribe ev = {.sctp_data_io_event = 1,
                                      .sctp_association_event = 1,
                                      .sctp_stream_reset_event = 1,
                                      .sctp_stream_change_event = 1};
    for (int i = 0; i < 2; i++) {
        assoc_value(socks[i], SCTP_RECONFIG_SUPPORTED, SCTP_FUTURE_ASSOC, 1);
        CHECK_EQ(setsockopt(socks[i], SOL_SCTP, SCTP_EVENTS, &ev, sizeof ev), 0);
    }
    struct sockaddr_in to = t_addr(t_port(1));
    sctp_assoc_t sid, cid = w_associate(cli, srv, &to, "hello", &sid);
    char buf[sizeof(struct sctp_reset_streams) + 4];
    struct sctp_reset_streams *r = (struct sctp_reset_streams *)buf;
    r->srs_assoc_id = cid;
    r->srs_flags = SCTP_STREAM_RESET_OUTGOING;
    r->srs_number_streams = 1;
    r->srs_stream_list[0] = 0;
    /* Not enabled on the association yet. */
    CHECK_ERR(setsockopt(cli, SOL_SCTP, SCTP_RESET_STREAMS, r, sizeof buf), ENOPROTOOPT);
    /* Both ends: the peer takes a request only when enabled, as Linux. */
    assoc_value(cli, SCTP_ENABLE_STREAM_RESET, cid,
                SCTP_ENABLE_RESET_STREAM_REQ | SCTP_ENABLE_CHANGE_ASSOC_REQ);
    assoc_value(srv, SCTP_ENABLE_STREAM_RESET, sid,
                SCTP_ENABLE_RESET_STREAM_REQ | SCTP_ENABLE_CHANGE_ASSOC_REQ);
    r->srs_flags = 0;
    CHECK_ERR(setsockopt(cli, SOL_SCTP, SCTP_RESET_STREAMS, r, sizeof buf), EINVAL);
    r->srs_flags = SCTP_STREAM_RESET_OUTGOING;
    CHECK_ERR(setsockopt(cli, SOL_SCTP, SCTP_RESET_STREAMS, r, sizeof *r), EINVAL);
    CHECK_EQ(setsockopt(cli, SOL_SCTP, SCTP_RESET_STREAMS, r, sizeof buf), 0);
    struct w_msg *m = malloc(sizeof *m);
    CHECK(m != NULL);
    union sctp_notification *n = w_expect_notif(srv, m, SCTP_STREAM_RESET_EVENT, 5000);
    CHECK(n->sn_strreset_event.strreset_flags & SCTP_STREAM_RESET_INCOMING_SSN);
    CHECK_EQ(n->sn_strreset_event.strreset_assoc_id, sid);
    n = w_expect_notif(cli, m, SCTP_STREAM_RESET_EVENT, 5000);
    CHECK(n->sn_strreset_event.strreset_flags & SCTP_STREAM_RESET_OUTGOING_SSN);
    CHECK_EQ(n->sn_strreset_event.strreset_assoc_id, cid);

    /* PR-SCTP's counts: nothing abandoned; Linux's checks. */
    struct sctp_prstatus p = {.sprstat_assoc_id = cid, .sprstat_policy = SCTP_PR_SCTP_TTL};
    socklen_t l = sizeof p;
    CHECK_EQ(getsockopt(cli, SOL_SCTP, SCTP_PR_ASSOC_STATUS, &p, &l), 0);
    CHECK_EQ(p.sprstat_abandoned_unsent, 0);
    CHECK_EQ(p.sprstat_abandoned_sent, 0);
    p.sprstat_policy = SCTP_PR_SCTP_ALL;
    CHECK_EQ(getsockopt(cli, SOL_SCTP, SCTP_PR_ASSOC_STATUS, &p, &l), 0);
    p.sprstat_policy = 0;
    CHECK_ERR(getsockopt(cli, SOL_SCTP, SCTP_PR_ASSOC_STATUS, &p, &l), EINVAL);
    p.sprstat_policy = SCTP_PR_SCTP_ALL | SCTP_PR_SCTP_TTL;
    CHECK_ERR(getsockopt(cli, SOL_SCTP, SCTP_PR_ASSOC_STATUS, &p, &l), EINVAL);
    p.sprstat_policy = SCTP_PR_SCTP_ALL;
    p.sprstat_sid = 1;
    CHECK_EQ(getsockopt(cli, SOL_SCTP, SCTP_PR_STREAM_STATUS, &p, &l), 0);
    CHECK_EQ(p.sprstat_abandoned_unsent + p.sprstat_abandoned_sent, 0);
    /* One policy of one stream: usrsctp does not count that. */
    p.sprstat_policy = SCTP_PR_SCTP_RTX;
    CHECK_ERR(getsockopt(cli, SOL_SCTP, SCTP_PR_STREAM_STATUS, &p, &l), ENOPROTOOPT);
    p.sprstat_policy = SCTP_PR_SCTP_ALL;
    p.sprstat_sid = 60000;
    CHECK_ERR(getsockopt(cli, SOL_SCTP, SCTP_PR_STREAM_STATUS, &p, &l), EINVAL);
    /* Two more outgoing streams. */
    struct sctp_status st;
    memset(&st, 0, sizeof st);
    st.sstat_assoc_id = cid;
    l = sizeof st;
    CHECK_EQ(getsockopt(cli, SOL_SCTP, SCTP_STATUS, &st, &l), 0);
    struct sctp_add_streams add = {.sas_assoc_id = cid, .sas_outstrms = 2};
    CHECK_EQ(setsockopt(cli, SOL_SCTP, SCTP_ADD_STREAMS, &add, sizeof add), 0);
    n = w_expect_notif(cli, m, SCTP_STREAM_CHANGE_EVENT, 5000);
    CHECK_EQ(n->sn_strchange_event.strchange_assoc_id, cid);
    CHECK_EQ(n->sn_strchange_event.strchange_outstrms, st.sstat_outstrms + 2);
    /* RESET_ASSOC was not enabled. */
    CHECK_ERR(setsockopt(cli, SOL_SCTP, SCTP_RESET_ASSOC, &cid, sizeof cid), ENOPROTOOPT);

    free(m);
    close(cli);
    close(srv);
}

int main(void)
{
    RUN(auth);
    RUN(stream_reset);
    t_done("test_auth_reset");
    return 0;
}
