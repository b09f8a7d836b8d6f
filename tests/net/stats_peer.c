/* The known transfer of tests/net/stats.sh, one process per end:
 *   server PORT  accepts one association, answers the 100th message with
 *                "BULK-OK" and "RTX-k" with "ACK-k", reads to the end
 *   client PORT  sends 100 messages of 1000 bytes, waits for "BULK-OK";
 *                three "RTX-k" one at
 *                a time, each waiting for its answer (the script's
 *                iptables drops every other packet with "RTX-": each is
 *                retransmitted once); four "PRDROP-k" with PR-SCTP RTX 0
 *                on stream 2 (always dropped: abandoned, never
 *                retransmitted); once they are reported failed, a
 *                graceful close.  Prints the sizes it sent. */
#include "testlib.h" /* <netinet/in.h> must come before <netinet/sctp.h> */

#include <netinet/sctp.h>

static void fast_rto(int s)
{
    /* Lost packets are found within a few hundred ms, not seconds. */
    struct sctp_rtoinfo rto = {.srto_initial = 200, .srto_max = 400, .srto_min = 200};
    CHECK_EQ(setsockopt(s, IPPROTO_SCTP, SCTP_RTOINFO, &rto, sizeof rto), 0);
}

static void expect(int s, const char *body)
{
    char buf[256];
    ssize_t n = read(s, buf, sizeof buf);
    CHECK_EQ(n, (long long)strlen(body));
    CHECK(memcmp(buf, body, (size_t)n) == 0);
}

int main(int argc, char **argv)
{
    CHECK(argc == 3);
    int port = atoi(argv[2]);
    if (strcmp(argv[1], "server") == 0) {
        int l = t_listener(SOCK_STREAM, port);
        fast_rto(l);
        printf("listening\n");
        fflush(stdout);
        int s = accept(l, NULL, NULL);
        CHECK(s >= 0);
        static char buf[4096];
        ssize_t n;
        long msgs = 0, bytes = 0;
        while ((n = read(s, buf, sizeof buf)) > 0) {
            msgs++;
            bytes += n;
            if (msgs == 100)
                CHECK_EQ(sctp_sendmsg(s, "BULK-OK", 7, NULL, 0, 0, SCTP_SACK_IMMEDIATELY,
                                      0, 0, 0), 7);
            /* With the I bit, the client acknowledges the answer in a
             * packet of its own, not in its next (dropped) one. */
            if (n == 5 && memcmp(buf, "RTX-", 4) == 0) {
                char ack[5] = {'A', 'C', 'K', '-', buf[4]};
                CHECK_EQ(sctp_sendmsg(s, ack, 5, NULL, 0, 0, SCTP_SACK_IMMEDIATELY, 0, 0, 0), 5);
            }
        }
        printf("server: %ld messages, %ld bytes\n", msgs, bytes);
        close(s);
        return 0;
    }
    int c = socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP);
    CHECK(c >= 0);
    fast_rto(c);
    struct sockaddr_in a = t_addr(port);
    CHECK_EQ(connect(c, (struct sockaddr *)&a, sizeof a), 0);
    static char bulk[1000];
    memset(bulk, 'B', sizeof bulk);
    for (int i = 0; i < 100; i++)
        CHECK_EQ(sctp_sendmsg(c, bulk, sizeof bulk, NULL, 0, 0, 0, 1, 0, 0), 1000);
    /* All of it is through before "RTX-0", which must not ride in a
     * packet of bulk data (the whole packet would be dropped). */
    expect(c, "BULK-OK");
    fprintf(stderr, "client: bulk acknowledged\n");
    for (int k = 0; k < 3; k++) {
        char m[6], ack[6];
        snprintf(m, sizeof m, "RTX-%d", k);
        snprintf(ack, sizeof ack, "ACK-%d", k);
        CHECK_EQ(sctp_sendmsg(c, m, 5, NULL, 0, 0, 0, 0, 0, 0), 5);
        expect(c, ack);
        fprintf(stderr, "client: %s answered\n", m);
    }
    struct sctp_event ev = {.se_type = SCTP_SEND_FAILED_EVENT, .se_on = 1};
    CHECK_EQ(setsockopt(c, IPPROTO_SCTP, SCTP_EVENT, &ev, sizeof ev), 0);
    for (int k = 0; k < 4; k++) {
        char m[9];
        snprintf(m, sizeof m, "PRDROP-%d", k);
        /* SCTP_PR_SCTP_RTX with 0 retransmissions. */
        CHECK_EQ(sctp_sendmsg(c, m, 8, NULL, 0, 0, SCTP_PR_SCTP_RTX, 2, 0, 0), 8);
    }
    /* Closed once all four are given up.  (A message sent on the same
     * stream right after, "LAST" in an earlier version, sometimes never
     * left usrsctp on a loaded machine: see README, PR-SCTP.) */
    for (int failed = 0; failed < 4;) {
        char buf[512];
        int flags = 0;
        ssize_t n = sctp_recvmsg(c, buf, sizeof buf, NULL, NULL, NULL, &flags);
        CHECK(n > 0 && (flags & MSG_NOTIFICATION));
        if (((union sctp_notification *)buf)->sn_header.sn_type == SCTP_SEND_FAILED_EVENT)
            fprintf(stderr, "client: %d given up\n", ++failed);
    }
    CHECK_EQ(close(c), 0);
    printf("client: sent 107 messages, 100047 bytes; received 4 messages, 22 bytes\n");
    return 0;
}
