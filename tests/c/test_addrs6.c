/* IPv6 addresses the shim returns (getsockname, getpeername, recvfrom's
 * msg_name, address lists, SCTP_STATUS, notifications) have flow info 0
 * and scope id 0 for addresses that are not link-local, whatever the
 * program passed to connect or sendto. */
#include "wirelib.h"

static struct sockaddr_in6 loop6(int port, uint32_t flowinfo, uint32_t scope)
{
    struct sockaddr_in6 a;
    memset(&a, 0, sizeof a);
    a.sin6_family = AF_INET6;
    a.sin6_port = htons((uint16_t)port);
    a.sin6_addr = in6addr_loopback;
    a.sin6_flowinfo = flowinfo;
    a.sin6_scope_id = scope;
    return a;
}

static void check_clean(const void *sa, int port)
{
    struct sockaddr_in6 a;
    memcpy(&a, sa, sizeof a);
    CHECK_EQ(a.sin6_family, AF_INET6);
    if (port)
        CHECK_EQ(ntohs(a.sin6_port), port);
    CHECK_EQ(a.sin6_flowinfo, 0);
    CHECK_EQ(a.sin6_scope_id, 0);
}

TEST(one_to_one)
{
    int port = t_port(0);
    int lsn = socket(AF_INET6, SOCK_STREAM, IPPROTO_SCTP);
    CHECK(lsn >= 0);
    struct sockaddr_in6 b = loop6(port, 0, 0);
    CHECK_EQ(bind(lsn, (struct sockaddr *)&b, sizeof b), 0);
    CHECK_EQ(listen(lsn, 4), 0);
    int c = socket(AF_INET6, SOCK_STREAM, IPPROTO_SCTP);
    CHECK(c >= 0);
    /* Garbage where a careless program leaves it. */
    struct sockaddr_in6 to = loop6(port, 0xabcde, 0x55);
    CHECK_EQ(connect(c, (struct sockaddr *)&to, sizeof to), 0);
    int s = accept(lsn, NULL, NULL);
    CHECK(s >= 0);

    struct sockaddr_in6 a;
    socklen_t l = sizeof a;
    memset(&a, 0xee, sizeof a);
    CHECK_EQ(getpeername(c, (struct sockaddr *)&a, &l), 0);
    CHECK_EQ(l, sizeof a);
    check_clean(&a, port);
    CHECK(IN6_IS_ADDR_LOOPBACK(&a.sin6_addr));
    l = sizeof a;
    memset(&a, 0xee, sizeof a);
    CHECK_EQ(getsockname(c, (struct sockaddr *)&a, &l), 0);
    check_clean(&a, 0);
    l = sizeof a;
    CHECK_EQ(getpeername(s, (struct sockaddr *)&a, &l), 0);
    check_clean(&a, 0);

    struct sockaddr *list;
    int n = sctp_getpaddrs(c, 0, &list);
    CHECK(n >= 1);
    for (int i = 0; i < n; i++)
        check_clean((struct sockaddr_in6 *)list + i, port);
    sctp_freepaddrs(list);

    struct sctp_status st;
    memset(&st, 0, sizeof st);
    l = sizeof st;
    CHECK_EQ(getsockopt(c, SOL_SCTP, SCTP_STATUS, &st, &l), 0);
    check_clean(&st.sstat_primary.spinfo_address, port);
    close(c);
    close(s);
    close(lsn);
}

/* A one-to-many sender names the peer with garbage in every sendto: the
 * receiver's msg_name and the sender's own view are clean. */
TEST(one_to_many)
{
    int port = t_port(1);
    int srv = socket(AF_INET6, SOCK_SEQPACKET, IPPROTO_SCTP);
    int cli = socket(AF_INET6, SOCK_SEQPACKET, IPPROTO_SCTP);
    CHECK(srv >= 0 && cli >= 0);
    struct sockaddr_in6 b = loop6(port, 0, 0);
    CHECK_EQ(bind(srv, (struct sockaddr *)&b, sizeof b), 0);
    CHECK_EQ(listen(srv, 4), 0);
    w_subscribe(cli, SCTP_ASSOC_CHANGE);
    struct sockaddr_in6 to = loop6(port, 0x12345, 0x77);
    CHECK_EQ(sendto(cli, "six", 3, 0, (struct sockaddr *)&to, sizeof to), 3);
    char buf[16];
    struct sockaddr_in6 from;
    socklen_t fl = sizeof from;
    memset(&from, 0xee, sizeof from);
    struct pollfd p = {srv, POLLIN, 0};
    CHECK_EQ(poll(&p, 1, 5000), 1);
    CHECK_EQ(recvfrom(srv, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl), 3);
    CHECK_EQ(fl, sizeof from);
    check_clean(&from, 0);
    struct w_msg *m = malloc(sizeof *m);
    CHECK(m != NULL);
    union sctp_notification *n = w_expect_notif(cli, m, SCTP_ASSOC_CHANGE, 5000);
    sctp_assoc_t id = n->sn_assoc_change.sac_assoc_id;
    struct sockaddr *list;
    int cnt = sctp_getpaddrs(cli, id, &list);
    CHECK(cnt >= 1);
    for (int i = 0; i < cnt; i++)
        check_clean((struct sockaddr_in6 *)list + i, port);
    sctp_freepaddrs(list);
    free(m);
    close(cli);
    close(srv);
}

int main(void)
{
    RUN(one_to_one);
    RUN(one_to_many);
    t_done("test_addrs6");
    return 0;
}
