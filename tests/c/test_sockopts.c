/* Socket options with the kernel's validation and answers: levels the
 * shim does not handle, SCTP_AUTOCLOSE, the socket buffer sizes, the
 * path options (SCTP_PEER_ADDR_PARAMS, SCTP_DELAYED_SACK,
 * SCTP_GET_PEER_ADDR_INFO, SCTP_PRIMARY_ADDR) and the single values. */
#include "wirelib.h"

#include <stddef.h>

TEST(unknown_levels)
{
    int v = 1;
    socklen_t l = sizeof v;
    int s4 = socket(AF_INET, SOCK_SEQPACKET, IPPROTO_SCTP);
    int s6 = socket(AF_INET6, SOCK_STREAM, IPPROTO_SCTP);
    CHECK(s4 >= 0 && s6 >= 0);
    /* The IP layer refuses a level it does not know: ENOPROTOOPT to a
     * set; to a get, IPv4 says EOPNOTSUPP and IPv6 ENOPROTOOPT. */
    for (int level = 6; level <= 12345; level += 12339) {
        CHECK_ERR(setsockopt(s4, level, 1, &v, sizeof v), ENOPROTOOPT);
        CHECK_ERR(setsockopt(s6, level, 1, &v, sizeof v), ENOPROTOOPT);
        l = sizeof v;
        CHECK_ERR(getsockopt(s4, level, 1, &v, &l), EOPNOTSUPP);
        l = sizeof v;
        CHECK_ERR(getsockopt(s6, level, 1, &v, &l), ENOPROTOOPT);
    }
    close(s4);
    close(s6);
}

TEST(autoclose_only_one_to_many)
{
    int v = 5;
    socklen_t l = sizeof v;
    int one = socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP);
    int many = socket(AF_INET, SOCK_SEQPACKET, IPPROTO_SCTP);
    CHECK(one >= 0 && many >= 0);
    CHECK_ERR(setsockopt(one, SOL_SCTP, SCTP_AUTOCLOSE, &v, sizeof v), EOPNOTSUPP);
    CHECK_ERR(getsockopt(one, SOL_SCTP, SCTP_AUTOCLOSE, &v, &l), EOPNOTSUPP);
    CHECK_EQ(setsockopt(many, SOL_SCTP, SCTP_AUTOCLOSE, &v, sizeof v), 0);
    v = 0;
    l = sizeof v;
    CHECK_EQ(getsockopt(many, SOL_SCTP, SCTP_AUTOCLOSE, &v, &l), 0);
    CHECK_EQ(v, 5);
    close(one);
    close(many);
}

/* Linux keeps twice what was asked (room for its bookkeeping) and
 * reports that. */
TEST(buffer_sizes_read_back_doubled)
{
    int s = socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP);
    CHECK(s >= 0);
    int names[] = {SO_SNDBUF, SO_RCVBUF};
    for (int i = 0; i < 2; i++) {
        int v = 65536;
        CHECK_EQ(setsockopt(s, SOL_SOCKET, names[i], &v, sizeof v), 0);
        v = 0;
        socklen_t l = sizeof v;
        CHECK_EQ(getsockopt(s, SOL_SOCKET, names[i], &v, &l), 0);
        CHECK_EQ(l, sizeof v);
        CHECK_EQ(v, 131072);
    }
    close(s);
}

static struct sctp_paddrparams paddr_get(int s, sctp_assoc_t id,
                                          const struct sockaddr_in *a)
{
    struct sctp_paddrparams p;
    memset(&p, 0, sizeof p);
    p.spp_assoc_id = id;
    if (a)
        memcpy(&p.spp_address, a, sizeof *a);
    socklen_t l = sizeof p;
    CHECK_EQ(getsockopt(s, SOL_SCTP, SCTP_PEER_ADDR_PARAMS, &p, &l), 0);
    CHECK_EQ(l, sizeof p);
    return p;
}

static int paddr_set(int s, sctp_assoc_t id, const struct sockaddr_in *a,
                     uint32_t flags, uint32_t hb, uint32_t sackdelay,
                     uint32_t pathmtu, socklen_t len)
{
    struct sctp_paddrparams p;
    memset(&p, 0, sizeof p);
    p.spp_assoc_id = id;
    if (a)
        memcpy(&p.spp_address, a, sizeof *a);
    p.spp_flags = flags;
    p.spp_hbinterval = hb;
    p.spp_sackdelay = sackdelay;
    p.spp_pathmtu = pathmtu;
    return setsockopt(s, SOL_SCTP, SCTP_PEER_ADDR_PARAMS, &p, len ? len : sizeof p);
}

TEST(peer_addr_params)
{
    int srv, cli;
    w_pair(&srv, &cli, 1);
    struct sockaddr_in to = t_addr(t_port(0));
    sctp_assoc_t sid, cid = w_associate(cli, srv, &to, "hello", &sid);
    (void)sid;
    /* The socket's defaults, as Linux reports them. */
    struct sctp_paddrparams p = paddr_get(cli, SCTP_FUTURE_ASSOC, NULL);
    CHECK(p.spp_flags & SPP_HB_ENABLE);
    CHECK(p.spp_flags & SPP_PMTUD_ENABLE);
    CHECK(p.spp_flags & SPP_SACKDELAY_ENABLE);
    CHECK(p.spp_hbinterval > 0);
    /* The socket's, an association's, one path's. */
    CHECK_EQ(paddr_set(cli, SCTP_FUTURE_ASSOC, NULL, 0, 4000, 0, 0, 0), 0);
    CHECK_EQ(paddr_get(cli, SCTP_FUTURE_ASSOC, NULL).spp_hbinterval, 4000);
    CHECK_EQ(paddr_set(cli, cid, NULL, SPP_HB_ENABLE, 7000, 120, 0, 0), 0);
    p = paddr_get(cli, cid, NULL);
    CHECK_EQ(p.spp_hbinterval, 7000);
    CHECK_EQ(p.spp_sackdelay, 120);
    CHECK(p.spp_flags & SPP_HB_ENABLE);
    CHECK_EQ(paddr_get(cli, SCTP_FUTURE_ASSOC, NULL).spp_hbinterval, 4000);
    CHECK_EQ(paddr_set(cli, 0, &to, SPP_HB_DISABLE, 0, 0, 0, 0), 0);
    CHECK(paddr_get(cli, 0, &to).spp_flags & SPP_HB_DISABLE);
    CHECK(paddr_get(cli, cid, &to).spp_pathmtu >= 512);
    /* SCTP_DELAYED_SACK is the same delay. */
    struct sctp_sack_info si = {.sack_assoc_id = cid};
    socklen_t l = sizeof si;
    CHECK_EQ(getsockopt(cli, SOL_SCTP, SCTP_DELAYED_SACK, &si, &l), 0);
    CHECK_EQ(si.sack_delay, 120);
    si.sack_delay = 0;
    si.sack_freq = 1; /* every packet acknowledged at once */
    CHECK_EQ(setsockopt(cli, SOL_SCTP, SCTP_DELAYED_SACK, &si, sizeof si), 0);
    CHECK(paddr_get(cli, cid, NULL).spp_flags & SPP_SACKDELAY_DISABLE);
    CHECK_EQ(getsockopt(cli, SOL_SCTP, SCTP_DELAYED_SACK, &si, &l), 0);
    CHECK_EQ(si.sack_delay, 0);
    CHECK_EQ(si.sack_freq, 1);
    CHECK_EQ(paddr_set(cli, cid, NULL, SPP_SACKDELAY_ENABLE, 0, 250, 0, 0), 0);
    CHECK_EQ(getsockopt(cli, SOL_SCTP, SCTP_DELAYED_SACK, &si, &l), 0);
    CHECK_EQ(si.sack_delay, 250);
    CHECK(si.sack_freq > 1);
    /* The old form of SCTP_DELAYED_ACK_TIME: the delay alone. */
    struct sctp_assoc_value av = {.assoc_id = cid, .assoc_value = 300};
    CHECK_EQ(setsockopt(cli, SOL_SCTP, SCTP_DELAYED_ACK_TIME, &av, sizeof av), 0);
    CHECK_EQ(paddr_get(cli, cid, NULL).spp_sackdelay, 300);
    si.sack_delay = 501;
    CHECK_ERR(setsockopt(cli, SOL_SCTP, SCTP_DELAYED_SACK, &si, sizeof si), EINVAL);

    /* Linux's checks. */
    struct sockaddr_in stranger = t_addr(t_port(9));
    CHECK_ERR(paddr_set(cli, 0, &stranger, 0, 5000, 0, 0, 0), EINVAL);
    CHECK_ERR(paddr_set(cli, cid + 1000, NULL, 0, 5000, 0, 0, 0), EINVAL);
    CHECK_ERR(paddr_set(cli, sid, NULL, 0, 5000, 0, 0, 0), EINVAL); /* the peer's id */
    CHECK_ERR(paddr_set(cli, cid, NULL, 0, 5000, 0, 0, sizeof p - 8), EINVAL);
    CHECK_ERR(paddr_set(cli, cid, NULL, 0, 0, 501, 0, 0), EINVAL);
    CHECK_ERR(paddr_set(cli, cid, NULL, SPP_PMTUD_DISABLE, 0, 0, 511, 0), EINVAL);
    CHECK_ERR(paddr_set(cli, cid, NULL, SPP_HB_ENABLE | SPP_HB_DISABLE, 0, 0, 0, 0), EINVAL);
    CHECK_ERR(paddr_set(cli, cid, NULL, SPP_PMTUD, 0, 0, 0, 0), EINVAL);
    CHECK_ERR(paddr_set(cli, cid, NULL, SPP_SACKDELAY, 0, 0, 0, 0), EINVAL);
    CHECK_ERR(paddr_set(cli, SCTP_FUTURE_ASSOC, NULL, SPP_HB_DEMAND, 0, 0, 0, 0), EINVAL);
    CHECK_EQ(paddr_set(cli, cid, NULL, SPP_HB_DEMAND, 0, 0, 0, 0), 0);
    /* The length before flow labels: accepted, without those flags. */
    size_t old = (offsetof(struct sctp_paddrparams, spp_ipv6_flowlabel) + 3) & ~3u;
    CHECK_EQ(paddr_set(cli, cid, NULL, 0, 6000, 0, 0, (socklen_t)old), 0);
    CHECK_ERR(paddr_set(cli, cid, NULL, SPP_DSCP, 6000, 0, 0, (socklen_t)old), EINVAL);
    p.spp_assoc_id = cid;
    l = sizeof p - 12;
    CHECK_ERR(getsockopt(cli, SOL_SCTP, SCTP_PEER_ADDR_PARAMS, &p, &l), EINVAL);
    close(cli);
    close(srv);
}

TEST(peer_addr_info_and_primary)
{
    int lsn = t_listener(SOCK_STREAM, t_port(1));
    int cli = t_connect(SOCK_STREAM, t_port(1));
    int acc = accept(lsn, NULL, NULL);
    CHECK(acc >= 0);
    struct sockaddr_in peer;
    socklen_t pl = sizeof peer;
    CHECK_EQ(getpeername(acc, (struct sockaddr *)&peer, &pl), 0);
    struct sockaddr_in srv_addr = t_addr(t_port(1));
    /* On one-to-one sockets, accepted or not, with id 0. */
    int fds[2] = {cli, acc};
    struct sockaddr_in *peers[2] = {&srv_addr, &peer};
    for (int i = 0; i < 2; i++) {
        struct sctp_paddrinfo pi;
        memset(&pi, 0, sizeof pi);
        memcpy(&pi.spinfo_address, peers[i], sizeof *peers[i]);
        socklen_t l = sizeof pi;
        CHECK_EQ(getsockopt(fds[i], SOL_SCTP, SCTP_GET_PEER_ADDR_INFO, &pi, &l), 0);
        CHECK_EQ(pi.spinfo_state, SCTP_ACTIVE);
        CHECK(pi.spinfo_mtu >= 512);
        CHECK(pi.spinfo_assoc_id > SCTP_ALL_ASSOC);
        CHECK(pi.spinfo_cwnd > 0);
        /* No address, or not the peer's: EINVAL. */
        memset(&pi.spinfo_address, 0, sizeof pi.spinfo_address);
        CHECK_ERR(getsockopt(fds[i], SOL_SCTP, SCTP_GET_PEER_ADDR_INFO, &pi, &l), EINVAL);
        struct sockaddr_in zero = t_addr(t_port(1));
        zero.sin_addr.s_addr = 0;
        memcpy(&pi.spinfo_address, &zero, sizeof zero);
        CHECK_ERR(getsockopt(fds[i], SOL_SCTP, SCTP_GET_PEER_ADDR_INFO, &pi, &l), EINVAL);
        struct sockaddr_in other = t_addr(t_port(8));
        memcpy(&pi.spinfo_address, &other, sizeof other);
        CHECK_ERR(getsockopt(fds[i], SOL_SCTP, SCTP_GET_PEER_ADDR_INFO, &pi, &l), EINVAL);

        struct sctp_prim pr;
        memset(&pr, 0, sizeof pr);
        l = sizeof pr;
        CHECK_EQ(getsockopt(fds[i], SOL_SCTP, SCTP_PRIMARY_ADDR, &pr, &l), 0);
        struct sockaddr_in got;
        memcpy(&got, &pr.ssp_addr, sizeof got);
        CHECK_EQ(got.sin_family, AF_INET);
        CHECK_EQ(got.sin_port, peers[i]->sin_port);
        CHECK_EQ(setsockopt(fds[i], SOL_SCTP, SCTP_PRIMARY_ADDR, &pr, sizeof pr), 0);
        memcpy(&pr.ssp_addr, &other, sizeof other);
        CHECK_ERR(setsockopt(fds[i], SOL_SCTP, SCTP_PRIMARY_ADDR, &pr, sizeof pr), EINVAL);
    }
    close(cli);
    close(acc);
    close(lsn);
}

TEST(single_values)
{
    int s = socket(AF_INET, SOCK_SEQPACKET, IPPROTO_SCTP);
    CHECK(s >= 0);
    int v = 0;
    socklen_t l = sizeof v;
    /* SCTP_MAXSEG: 0 (none of the socket's own) until set. */
    CHECK_EQ(getsockopt(s, SOL_SCTP, SCTP_MAXSEG, &v, &l), 0);
    CHECK_EQ(v, 0);
    struct sctp_assoc_value av = {.assoc_id = SCTP_FUTURE_ASSOC, .assoc_value = 1000};
    CHECK_EQ(setsockopt(s, SOL_SCTP, SCTP_MAXSEG, &av, sizeof av), 0);
    l = sizeof av;
    av.assoc_value = 0;
    CHECK_EQ(getsockopt(s, SOL_SCTP, SCTP_MAXSEG, &av, &l), 0);
    CHECK_EQ(av.assoc_value, 1000);
    av.assoc_value = 100;
    CHECK_ERR(setsockopt(s, SOL_SCTP, SCTP_MAXSEG, &av, sizeof av), EINVAL);
    av.assoc_id = SCTP_CURRENT_ASSOC;
    av.assoc_value = 1000;
    CHECK_ERR(setsockopt(s, SOL_SCTP, SCTP_MAXSEG, &av, sizeof av), EINVAL);
    /* SCTP_MAX_BURST and SCTP_CONTEXT, FUTURE and ALL. */
    av.assoc_id = SCTP_ALL_ASSOC;
    av.assoc_value = 7;
    CHECK_EQ(setsockopt(s, SOL_SCTP, SCTP_MAX_BURST, &av, sizeof av), 0);
    CHECK_EQ(setsockopt(s, SOL_SCTP, SCTP_CONTEXT, &av, sizeof av), 0);
    av.assoc_id = SCTP_FUTURE_ASSOC;
    l = sizeof av;
    CHECK_EQ(getsockopt(s, SOL_SCTP, SCTP_MAX_BURST, &av, &l), 0);
    CHECK_EQ(av.assoc_value, 7);
    CHECK_EQ(getsockopt(s, SOL_SCTP, SCTP_CONTEXT, &av, &l), 0);
    CHECK_EQ(av.assoc_value, 7);
    CHECK_ERR(setsockopt(s, SOL_SCTP, SCTP_CONTEXT, &av, sizeof(int)), EINVAL);
    /* The endpoint switches. */
    int sw[] = {SCTP_PR_SUPPORTED, SCTP_ECN_SUPPORTED, SCTP_RECONFIG_SUPPORTED};
    for (int i = 0; i < 3; i++) {
        av.assoc_id = SCTP_FUTURE_ASSOC;
        av.assoc_value = 1;
        CHECK_EQ(setsockopt(s, SOL_SCTP, sw[i], &av, sizeof av), 0);
        av.assoc_value = 0;
        l = sizeof av;
        CHECK_EQ(getsockopt(s, SOL_SCTP, sw[i], &av, &l), 0);
        CHECK_EQ(av.assoc_value, 1);
        av.assoc_id = SCTP_CURRENT_ASSOC;
        CHECK_ERR(setsockopt(s, SOL_SCTP, sw[i], &av, sizeof av), EINVAL);
    }
    av.assoc_id = SCTP_FUTURE_ASSOC;
    av.assoc_value = SCTP_ENABLE_RESET_STREAM_REQ | SCTP_ENABLE_CHANGE_ASSOC_REQ;
    CHECK_EQ(setsockopt(s, SOL_SCTP, SCTP_ENABLE_STREAM_RESET, &av, sizeof av), 0);
    av.assoc_value = 0;
    l = sizeof av;
    CHECK_EQ(getsockopt(s, SOL_SCTP, SCTP_ENABLE_STREAM_RESET, &av, &l), 0);
    CHECK_EQ(av.assoc_value, SCTP_ENABLE_RESET_STREAM_REQ | SCTP_ENABLE_CHANGE_ASSOC_REQ);
    av.assoc_value = 0x08;
    CHECK_ERR(setsockopt(s, SOL_SCTP, SCTP_ENABLE_STREAM_RESET, &av, sizeof av), EINVAL);
    /* Ints. */
    v = 1;
    CHECK_EQ(setsockopt(s, SOL_SCTP, SCTP_FRAGMENT_INTERLEAVE, &v, sizeof v), 0);
    long big = 1;
    CHECK_ERR(setsockopt(s, SOL_SCTP, SCTP_FRAGMENT_INTERLEAVE, &big, sizeof big), EINVAL);
    v = 0;
    l = sizeof v;
    CHECK_EQ(getsockopt(s, SOL_SCTP, SCTP_FRAGMENT_INTERLEAVE, &v, &l), 0);
    CHECK_EQ(v, 1);
    uint32_t pd = 1000;
    CHECK_EQ(setsockopt(s, SOL_SCTP, SCTP_PARTIAL_DELIVERY_POINT, &pd, sizeof pd), 0);
    pd = 0;
    l = sizeof pd;
    CHECK_EQ(getsockopt(s, SOL_SCTP, SCTP_PARTIAL_DELIVERY_POINT, &pd, &l), 0);
    CHECK_EQ(pd, 1000);
    pd = 1u << 30;
    CHECK_ERR(setsockopt(s, SOL_SCTP, SCTP_PARTIAL_DELIVERY_POINT, &pd, sizeof pd), EINVAL);
    /* SCTP_AUTO_ASCONF only on a socket bound to the wildcard address. */
    v = 1;
    CHECK_ERR(setsockopt(s, SOL_SCTP, SCTP_AUTO_ASCONF, &v, sizeof v), EINVAL);
    struct sockaddr_in any = t_addr(t_port(2));
    any.sin_addr.s_addr = INADDR_ANY;
    CHECK_EQ(bind(s, (struct sockaddr *)&any, sizeof any), 0);
    CHECK_EQ(setsockopt(s, SOL_SCTP, SCTP_AUTO_ASCONF, &v, sizeof v), 0);
    v = 0;
    l = sizeof v;
    CHECK_EQ(getsockopt(s, SOL_SCTP, SCTP_AUTO_ASCONF, &v, &l), 0);
    CHECK_EQ(v, 1);
    /* SCTP_REUSE_PORT: one-to-one sockets, before they are bound. */
    v = 1;
    CHECK_ERR(setsockopt(s, SOL_SCTP, SCTP_REUSE_PORT, &v, sizeof v), EOPNOTSUPP);
    close(s);
}

int main(void)
{
    RUN(peer_addr_params);
    RUN(peer_addr_info_and_primary);
    RUN(single_values);
    RUN(unknown_levels);
    RUN(autoclose_only_one_to_many);
    RUN(buffer_sizes_read_back_doubled);
    t_done("test_sockopts");
    return 0;
}
