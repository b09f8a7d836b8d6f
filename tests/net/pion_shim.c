/* The shim side of tests/net/pion.sh, against tests/net/pion/peer.go on
 * pion/sctp.  pion 1.8.6 always uses SCTP port 5000.
 *   talk PORT      accepts one association and checks, echoing each
 *                  message with its stream, PPID and U bit: stream 1
 *                  PPID 51, stream 2 unordered, a 61,440-byte message,
 *                  PION-AFTER after the peer abandoned PION-LOST; sends
 *                  PR-LOST (PR-SCTP TTL, dropped by the script) and
 *                  PR-AFTER on stream 4; then the peer's ABORT arrives
 *                  as COMM_LOST carrying its cause and reason
 *   graceful PORT  echoes one message, then closes (SHUTDOWN)
 *   shutdown PORT  echoes one message, then waits for the peer's SHUTDOWN:
 *                  exit 0 on end of file, 4 when the association was lost
 *   connect ADDR PORT  tries to set up an association within 5 s (pion
 *                  as the server); exit 0 if it came up, 3 if not */
#include "testlib.h" /* <netinet/in.h> must come before <netinet/sctp.h> */

#include <fcntl.h>
#include <netinet/sctp.h>
#include <poll.h>

static char buf[128 * 1024];

struct got {
    ssize_t len;
    int flags;
    struct sctp_sndrcvinfo info;
};

static struct got next_msg(int s)
{
    struct got g;
    memset(&g, 0, sizeof g);
    struct pollfd p = {s, POLLIN, 0};
    CHECK_EQ(poll(&p, 1, 20000), 1);
    g.len = sctp_recvmsg(s, buf, sizeof buf, NULL, NULL, &g.info, &g.flags);
    return g;
}

/* The next data message, which must be body on sid with PPID ppid (the
 * wire's value), and echoes it the same way. */
static void echo_expect(int s, const char *body, size_t len, int sid, uint32_t ppid,
                        int unordered)
{
    struct got g = next_msg(s);
    CHECK(!(g.flags & MSG_NOTIFICATION));
    CHECK(g.flags & MSG_EOR);
    CHECK_EQ(g.len, (long long)len);
    CHECK(memcmp(buf, body, len) == 0);
    CHECK_EQ(g.info.sinfo_stream, sid);
    CHECK_EQ(g.info.sinfo_ppid, htonl(ppid));
    CHECK_EQ(!!(g.info.sinfo_flags & SCTP_UNORDERED), unordered);
    CHECK_EQ(sctp_sendmsg(s, buf, len, NULL, 0, g.info.sinfo_ppid,
                          unordered ? SCTP_UNORDERED : 0, (uint16_t)sid, 0, 0),
             (long long)len);
    printf("shim: %zu bytes on stream %d, PPID %u%s: received and echoed\n", len, sid,
           ppid, unordered ? ", unordered" : "");
    fflush(stdout);
}

static int accept_one(int port)
{
    int l = socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP);
    CHECK(l >= 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    CHECK_EQ(bind(l, (struct sockaddr *)&a, sizeof a), 0);
    /* Lost packets are noticed within a second. */
    struct sctp_rtoinfo rto = {.srto_initial = 300, .srto_max = 1000, .srto_min = 200};
    CHECK_EQ(setsockopt(l, IPPROTO_SCTP, SCTP_RTOINFO, &rto, sizeof rto), 0);
    struct sctp_event_subscribe ev = {.sctp_data_io_event = 1, .sctp_association_event = 1};
    CHECK_EQ(setsockopt(l, IPPROTO_SCTP, SCTP_EVENTS, &ev, sizeof ev), 0);
    CHECK_EQ(listen(l, 1), 0);
    printf("listening\n");
    fflush(stdout);
    int s = accept(l, NULL, NULL);
    CHECK(s >= 0);
    close(l);
    struct got g = next_msg(s);
    CHECK(g.flags & MSG_NOTIFICATION);
    union sctp_notification *n = (void *)buf;
    CHECK_EQ(n->sn_header.sn_type, SCTP_ASSOC_CHANGE);
    CHECK_EQ(n->sn_assoc_change.sac_state, SCTP_COMM_UP);
    printf("shim: association up, %u streams out, %u in\n",
           n->sn_assoc_change.sac_outbound_streams, n->sn_assoc_change.sac_inbound_streams);
    return s;
}

static void *find(const void *hay, size_t n, const char *needle)
{
    return memmem(hay, n, needle, strlen(needle));
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    CHECK(argc >= 3);
    if (strcmp(argv[1], "talk") == 0) {
        int s = accept_one(atoi(argv[2]));
        echo_expect(s, "PION-ORDERED", 12, 1, 51, 0);
        echo_expect(s, "PION-UNORDERED", 14, 2, 51, 1);
        static char big[60 * 1024];
        for (size_t i = 0; i < sizeof big; i++)
            big[i] = (char)('a' + i % 26);
        echo_expect(s, big, sizeof big, 3, 53, 0);
        /* PION-LOST was abandoned by pion: the next message is this. */
        echo_expect(s, "PION-AFTER", 10, 6, 51, 0);
        struct got g = next_msg(s);
        CHECK_EQ(g.len, 7);
        CHECK(memcmp(buf, "SEND-PR", 7) == 0);
        CHECK_EQ(sctp_sendmsg(s, "PR-LOST", 7, NULL, 0, htonl(51), SCTP_PR_SCTP_TTL, 4,
                              300, 0), 7);
        CHECK_EQ(sctp_sendmsg(s, "PR-AFTER", 8, NULL, 0, htonl(51), 0, 4, 0, 0), 8);
        printf("shim: sent PR-LOST (TTL 300 ms) and PR-AFTER on stream 4\n");
        g = next_msg(s);
        CHECK(g.flags & MSG_NOTIFICATION);
        union sctp_notification *n = (void *)buf;
        CHECK_EQ(n->sn_header.sn_type, SCTP_ASSOC_CHANGE);
        CHECK_EQ(n->sn_assoc_change.sac_state, SCTP_COMM_LOST);
        CHECK(find(buf, (size_t)g.len, "pion says bye") != NULL);
        printf("shim: the peer's ABORT: COMM_LOST, error 0x%04x, reason \"pion says bye\"\n",
               n->sn_assoc_change.sac_error);
        CHECK_ERR(sctp_sendmsg(s, "x", 1, NULL, 0, 0, 0, 0, 0, 0), ECONNRESET);
        return 0;
    }
    if (strcmp(argv[1], "graceful") == 0) {
        /* The shim closes: SHUTDOWN from this side. */
        int s = accept_one(atoi(argv[2]));
        echo_expect(s, "PION-BYE", 8, 0, 51, 0);
        CHECK_EQ(close(s), 0);
        printf("shim: closed after the echo\n");
        return 0;
    }
    if (strcmp(argv[1], "shutdown") == 0) {
        /* The peer shuts down: end of file (and SHUTDOWN_COMP, in either
         * order), or COMM_LOST when the stack refused its SHUTDOWN. */
        int s = accept_one(atoi(argv[2]));
        echo_expect(s, "PION-BYE", 8, 0, 51, 0);
        struct got g;
        while ((g = next_msg(s)).flags & MSG_NOTIFICATION) {
            union sctp_notification *n = (void *)buf;
            CHECK_EQ(n->sn_header.sn_type, SCTP_ASSOC_CHANGE);
            printf("shim: SCTP_ASSOC_CHANGE %s\n",
                   n->sn_assoc_change.sac_state == SCTP_SHUTDOWN_COMP ? "SCTP_SHUTDOWN_COMP"
                   : n->sn_assoc_change.sac_state == SCTP_COMM_LOST   ? "SCTP_COMM_LOST"
                                                                       : "other");
            if (n->sn_assoc_change.sac_state == SCTP_COMM_LOST)
                return 4;
        }
        CHECK_EQ(g.len, 0);
        printf("shim: end of file after the peer's SHUTDOWN\n");
        return 0;
    }
    if (strcmp(argv[1], "connect") == 0) {
        int c = socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP);
        CHECK(c >= 0);
        struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(argv[3]))};
        CHECK_EQ(inet_pton(AF_INET, argv[2], &a.sin_addr), 1);
        CHECK_EQ(fcntl(c, F_SETFL, O_NONBLOCK), 0);
        CHECK_ERR(connect(c, (struct sockaddr *)&a, sizeof a), EINPROGRESS);
        struct pollfd p = {c, POLLOUT, 0};
        int err = 0;
        socklen_t l = sizeof err;
        if (poll(&p, 1, 5000) == 1 && getsockopt(c, SOL_SOCKET, SO_ERROR, &err, &l) == 0 &&
            err == 0) {
            printf("shim: association up with %s\n", argv[2]);
            return 0;
        }
        printf("shim: no association with %s within 5 s\n", argv[2]);
        struct linger lg = {1, 0};
        setsockopt(c, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
        return 3;
    }
    return 2;
}
