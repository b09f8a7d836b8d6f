/* net_paths: the path a message takes, and local addresses added to and
 * removed from a live association, for tests/net/multihome.sh (which
 * checks the wire with tshark, one capture per link).
 *
 *   net_paths server PORT [-6]
 *     one-to-one listener on the wildcard address, ASCONF on (for the
 *     peers that turn it on too); echoes every message,
 *     except "ADDRS?", answered with the peer addresses it knows
 *     (sctp_getpaddrs), "a,b,..."; exits at end of file.
 *   net_paths client PEER1 PEER2 LOCAL2 PORT
 *     ASCONF on (SCTP_SET_PEER_PRIMARY_ADDR needs it: EPERM without, as
 *     on Linux), connects to PEER1, waits until PEER2 is confirmed too,
 *     then:
 *       SCTP_PRIMARY_ADDR PEER2, sends P2-1..5; PEER1, sends P1-1..5;
 *       SCTP_ADDR_OVER to PEER2 (primary still PEER1), sends OV2-1..5;
 *       SCTP_SET_PEER_PRIMARY_ADDR LOCAL2, then PP-1..5 (the server's
 *       echoes must come to LOCAL2);
 *     each message is echoed back and checked.
 *   net_paths bindx LOCAL1 LOCAL2 PEER PORT on|off
 *     bound to LOCAL1 alone, with ASCONF on or off (SCTP_ASCONF_SUPPORTED
 *     before the association), connects to PEER, then adds LOCAL2
 *     (sctp_bindx ADD) and removes it again (REM), asking the server
 *     which addresses it knows after each; with ASCONF off, as Linux:
 *     both calls succeed and the server's view does not change, and
 *     removing the last address fails with EBUSY.
 */
#include "testlib.h"

#include <netinet/sctp.h>
#include <poll.h>

static struct sockaddr_storage addr(const char *text, int port)
{
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof ss);
    struct sockaddr_in *a4 = (struct sockaddr_in *)&ss;
    struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&ss;
    if (inet_pton(AF_INET, text, &a4->sin_addr) == 1) {
        a4->sin_family = AF_INET;
        a4->sin_port = htons((uint16_t)port);
    } else {
        CHECK(inet_pton(AF_INET6, text, &a6->sin6_addr) == 1);
        a6->sin6_family = AF_INET6;
        a6->sin6_port = htons((uint16_t)port);
    }
    return ss;
}

static socklen_t alen(const struct sockaddr_storage *ss)
{
    return ss->ss_family == AF_INET6 ? sizeof(struct sockaddr_in6)
                                     : sizeof(struct sockaddr_in);
}

static void text_of(const struct sockaddr *sa, char *out, size_t len)
{
    if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, out,
                  (socklen_t)len);
    else
        inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, out,
                  (socklen_t)len);
}

static void list_peers(int s, char *out, size_t len)
{
    struct sockaddr *addrs = NULL;
    int n = sctp_getpaddrs(s, 0, &addrs);
    size_t off = 0;
    out[0] = 0;
    unsigned char *p = (unsigned char *)addrs;
    for (int i = 0; i < n; i++) {
        struct sockaddr *sa = (struct sockaddr *)p;
        char a[INET6_ADDRSTRLEN];
        text_of(sa, a, sizeof a);
        off += (size_t)snprintf(out + off, len - off, "%s%s", i ? "," : "", a);
        p += sa->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
                                       : sizeof(struct sockaddr_in);
    }
    if (n > 0)
        sctp_freepaddrs(addrs);
}

/* The next data message (notifications skipped), within 10 s. */
static ssize_t recv_data(int s, char *buf, size_t len)
{
    for (;;) {
        struct pollfd p = {s, POLLIN, 0};
        CHECK_EQ(poll(&p, 1, 10000), 1);
        struct iovec iv = {buf, len - 1};
        struct msghdr m = {.msg_iov = &iv, .msg_iovlen = 1};
        ssize_t r = recvmsg(s, &m, 0);
        if (r <= 0)
            return r;
        if (m.msg_flags & MSG_NOTIFICATION)
            continue;
        buf[r] = 0;
        return r;
    }
}

/* ASCONF needs AUTH on the association (RFC 5061; Linux drops ASCONF
 * from an association without it): both, as a program on Linux asks. */
static void asconf(int s, int on)
{
    struct sctp_assoc_value av = {.assoc_id = SCTP_FUTURE_ASSOC,
                                  .assoc_value = (uint32_t)on};
    CHECK_EQ(setsockopt(s, SOL_SCTP, SCTP_AUTH_SUPPORTED, &av, sizeof av), 0);
    CHECK_EQ(setsockopt(s, SOL_SCTP, SCTP_ASCONF_SUPPORTED, &av, sizeof av), 0);
}

static int server(int port, int family)
{
    int l = socket(family, SOCK_STREAM, IPPROTO_SCTP);
    CHECK(l >= 0);
    asconf(l, 1);
    struct sockaddr_in6 any = {.sin6_family = (sa_family_t)family,
                               .sin6_port = htons((uint16_t)port)};
    CHECK_EQ(bind(l, (struct sockaddr *)&any,
                  family == AF_INET ? sizeof(struct sockaddr_in) : sizeof any),
             0);
    CHECK_EQ(listen(l, 4), 0);
    fprintf(stderr, "LISTENING\n");
    int c = accept(l, NULL, NULL);
    CHECK(c >= 0);
    char buf[2048];
    ssize_t r;
    while ((r = recv_data(c, buf, sizeof buf)) > 0) {
        if (strcmp(buf, "ADDRS?") == 0) {
            char list[512];
            list_peers(c, list, sizeof list);
            CHECK(send(c, list, strlen(list) + 1, 0) > 0);
        } else {
            CHECK_EQ(send(c, buf, (size_t)r, 0), r);
        }
    }
    close(c);
    close(l);
    return 0;
}

static void echo(int s, const char *msg)
{
    char buf[256];
    CHECK_EQ(send(s, msg, strlen(msg), 0), (ssize_t)strlen(msg));
    CHECK_EQ(recv_data(s, buf, sizeof buf), (ssize_t)strlen(msg));
    CHECK(strcmp(buf, msg) == 0);
}

static void burst(int s, const char *tag)
{
    for (int i = 1; i <= 5; i++) {
        char m[32];
        snprintf(m, sizeof m, "%s-%d", tag, i);
        echo(s, m);
    }
    fprintf(stderr, "sent %s-1..5\n", tag);
}

static int path_active(int s, const struct sockaddr_storage *peer)
{
    struct sctp_paddrinfo pi;
    memset(&pi, 0, sizeof pi);
    memcpy(&pi.spinfo_address, peer, alen(peer));
    socklen_t l = sizeof pi;
    return getsockopt(s, SOL_SCTP, SCTP_GET_PEER_ADDR_INFO, &pi, &l) == 0 &&
           pi.spinfo_state == SCTP_ACTIVE;
}

static void set_primary(int s, const struct sockaddr_storage *peer)
{
    struct sctp_prim p;
    memset(&p, 0, sizeof p);
    memcpy(&p.ssp_addr, peer, sizeof p.ssp_addr);
    CHECK_EQ(setsockopt(s, SOL_SCTP, SCTP_PRIMARY_ADDR, &p, sizeof p), 0);
    struct sctp_prim back;
    memset(&back, 0, sizeof back);
    socklen_t l = sizeof back;
    CHECK_EQ(getsockopt(s, SOL_SCTP, SCTP_PRIMARY_ADDR, &back, &l), 0);
    CHECK_EQ(l, sizeof back);
    struct sockaddr_storage got;
    memcpy(&got, &back.ssp_addr, sizeof got);
    char a[64], b[64];
    text_of((struct sockaddr *)&got, a, sizeof a);
    text_of((const struct sockaddr *)peer, b, sizeof b);
    CHECK(strcmp(a, b) == 0);
}

static int connect_to(const struct sockaddr_storage *peer,
                      const struct sockaddr_storage *bound)
{
    int s = socket(peer->ss_family, SOCK_STREAM, IPPROTO_SCTP);
    CHECK(s >= 0);
    if (bound)
        CHECK_EQ(bind(s, (const struct sockaddr *)bound, alen(bound)), 0);
    return s;
}

static int client(const char *p1, const char *p2, const char *l2, int port)
{
    struct sockaddr_storage peer1 = addr(p1, port), peer2 = addr(p2, port);
    int s = connect_to(&peer1, NULL);
    asconf(s, 1);
    CHECK_EQ(connect(s, (struct sockaddr *)&peer1, alen(&peer1)), 0);
    double end = t_now() + 10;
    while (!(path_active(s, &peer1) && path_active(s, &peer2)) && t_now() < end)
        usleep(20000);
    CHECK(path_active(s, &peer2));
    fprintf(stderr, "both paths confirmed\n");

    set_primary(s, &peer2);
    burst(s, "P2");
    set_primary(s, &peer1);
    burst(s, "P1");

    for (int i = 1; i <= 5; i++) {
        char m[32], buf[64];
        snprintf(m, sizeof m, "OV2-%d", i);
        char cb[CMSG_SPACE(sizeof(struct sctp_sndinfo))];
        memset(cb, 0, sizeof cb);
        struct iovec iv = {m, strlen(m)};
        struct msghdr h = {.msg_name = &peer2, .msg_namelen = alen(&peer2),
                           .msg_iov = &iv, .msg_iovlen = 1,
                           .msg_control = cb, .msg_controllen = sizeof cb};
        struct cmsghdr *c = CMSG_FIRSTHDR(&h);
        c->cmsg_level = IPPROTO_SCTP;
        c->cmsg_type = SCTP_SNDINFO;
        c->cmsg_len = CMSG_LEN(sizeof(struct sctp_sndinfo));
        struct sctp_sndinfo si = {.snd_flags = SCTP_ADDR_OVER};
        memcpy(CMSG_DATA(c), &si, sizeof si);
        CHECK_EQ(sendmsg(s, &h, 0), (ssize_t)strlen(m));
        CHECK_EQ(recv_data(s, buf, sizeof buf), (ssize_t)strlen(m));
        CHECK(strcmp(buf, m) == 0);
    }
    fprintf(stderr, "sent OV2-1..5 with SCTP_ADDR_OVER\n");

    struct sctp_setpeerprim pp;
    memset(&pp, 0, sizeof pp);
    struct sockaddr_storage local2 = addr(l2, 0);
    memcpy(&pp.sspp_addr, &local2, sizeof pp.sspp_addr);
    CHECK_EQ(setsockopt(s, SOL_SCTP, SCTP_SET_PEER_PRIMARY_ADDR, &pp, sizeof pp), 0);
    usleep(300000); /* the ASCONF and its acknowledgement */
    burst(s, "PP");
    close(s);
    return 0;
}

static void ask_addrs(int s, char *out, size_t len)
{
    CHECK_EQ(send(s, "ADDRS?", 7, 0), 7);
    CHECK(recv_data(s, out, len) > 0);
}

static int bindx_case(const char *l1, const char *l2, const char *p, int port,
                      int on)
{
    struct sockaddr_storage local1 = addr(l1, 0), local2 = addr(l2, 0),
                            peer = addr(p, port);
    int s = connect_to(&peer, &local1);
    asconf(s, on);
    CHECK_EQ(connect(s, (struct sockaddr *)&peer, alen(&peer)), 0);
    char seen[512];
    ask_addrs(s, seen, sizeof seen);
    fprintf(stderr, "server knows %s\n", seen);
    CHECK(strstr(seen, l1) && !strstr(seen, l2));

    /* Linux: the port may be left 0, the socket's is meant. */
    CHECK_EQ(sctp_bindx(s, (struct sockaddr *)&local2, 1, SCTP_BINDX_ADD_ADDR), 0);
    struct sockaddr *la = NULL;
    int n = sctp_getladdrs(s, 0, &la);
    fprintf(stderr, "bindx ADD %s: %d local addresses\n", l2, n);
    if (la)
        sctp_freeladdrs(la);
    double end = t_now() + 5;
    do {
        usleep(100000);
        ask_addrs(s, seen, sizeof seen);
    } while (on && !strstr(seen, l2) && t_now() < end);
    fprintf(stderr, "server knows %s\n", seen);
    CHECK(on ? strstr(seen, l2) != NULL : strstr(seen, l2) == NULL);

    CHECK_EQ(sctp_bindx(s, (struct sockaddr *)&local2, 1, SCTP_BINDX_REM_ADDR), 0);
    end = t_now() + 5;
    do {
        usleep(100000);
        ask_addrs(s, seen, sizeof seen);
    } while (on && strstr(seen, l2) && t_now() < end);
    fprintf(stderr, "after bindx REM, server knows %s\n", seen);
    CHECK(strstr(seen, l1) && !strstr(seen, l2));
    /* The last address cannot go. */
    errno = 0;
    CHECK_EQ(sctp_bindx(s, (struct sockaddr *)&local1, 1, SCTP_BINDX_REM_ADDR), -1);
    CHECK_EQ(errno, EBUSY);
    echo(s, "still-up");
    close(s);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 3 && strcmp(argv[1], "server") == 0)
        return server(atoi(argv[2]), argc > 3 && strcmp(argv[3], "-6") == 0
                                         ? AF_INET6 : AF_INET);
    if (argc == 6 && strcmp(argv[1], "client") == 0)
        return client(argv[2], argv[3], argv[4], atoi(argv[5]));
    if (argc == 7 && strcmp(argv[1], "bindx") == 0)
        return bindx_case(argv[2], argv[3], argv[4], atoi(argv[5]),
                          strcmp(argv[6], "on") == 0);
    fprintf(stderr, "usage: see the comment at the top of net_paths.c\n");
    return 64;
}
