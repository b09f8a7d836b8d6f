/* The two ends of tests/net/pcap.sh's known exchange, each a process of
 * its own (the address is IPv4 or IPv6):
 *   server ADDR PORT N  one-to-one; accepts N associations one after the
 *                       other and echoes every message with its stream
 *                       and PPID until end of file
 *   client ADDR PORT    sends "PCAP-ONE" (stream 1, PPID 0x11223344 on
 *                       the wire), "PCAP-TWO" (stream 2, PPID 7,
 *                       unordered) and 4000 bytes (stream 3, PPID 9,
 *                       fragmented on a 1500-byte path), checks each
 *                       echo, closes
 *   forker ADDR PORT    forks first; parent and child each send one
 *                       message ("FROM-PARENT", "FROM-CHILD") and check
 *                       its echo */
#include "testlib.h" /* <netinet/in.h> must come before <netinet/sctp.h> */

#include <netinet/sctp.h>

static socklen_t make_addr(const char *ip, int port, struct sockaddr_storage *ss)
{
    memset(ss, 0, sizeof *ss);
    if (strchr(ip, ':')) {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;
        a->sin6_family = AF_INET6;
        a->sin6_port = htons((uint16_t)port);
        CHECK_EQ(inet_pton(AF_INET6, ip, &a->sin6_addr), 1);
        return sizeof *a;
    }
    struct sockaddr_in *a = (struct sockaddr_in *)ss;
    a->sin_family = AF_INET;
    a->sin_port = htons((uint16_t)port);
    CHECK_EQ(inet_pton(AF_INET, ip, &a->sin_addr), 1);
    return sizeof *a;
}

static void exchange(int c, const char *body, size_t len, int sid, uint32_t ppid,
                     uint32_t flags)
{
    CHECK_EQ(sctp_sendmsg(c, body, len, NULL, 0, ppid, flags, (uint16_t)sid, 0, 0),
             (long long)len);
    static char buf[8192];
    struct sctp_sndrcvinfo info;
    int mflags = 0;
    memset(&info, 0, sizeof info);
    ssize_t n = sctp_recvmsg(c, buf, sizeof buf, NULL, NULL, &info, &mflags);
    CHECK_EQ(n, (long long)len);
    CHECK(memcmp(buf, body, len) == 0);
    CHECK_EQ(info.sinfo_stream, sid);
    CHECK_EQ(info.sinfo_ppid, ppid);
}

static int connect_to(const char *ip, int port)
{
    struct sockaddr_storage ss;
    socklen_t len = make_addr(ip, port, &ss);
    int c = socket(ss.ss_family, SOCK_STREAM, IPPROTO_SCTP);
    CHECK(c >= 0);
    struct sctp_event_subscribe ev = {.sctp_data_io_event = 1};
    CHECK_EQ(setsockopt(c, IPPROTO_SCTP, SCTP_EVENTS, &ev, sizeof ev), 0);
    CHECK_EQ(connect(c, (struct sockaddr *)&ss, len), 0);
    return c;
}

int main(int argc, char **argv)
{
    CHECK(argc >= 4);
    const char *role = argv[1], *ip = argv[2];
    int port = atoi(argv[3]);
    if (strcmp(role, "server") == 0) {
        struct sockaddr_storage ss;
        socklen_t len = make_addr(ip, port, &ss);
        int l = socket(ss.ss_family, SOCK_STREAM, IPPROTO_SCTP);
        CHECK(l >= 0);
        CHECK_EQ(bind(l, (struct sockaddr *)&ss, len), 0);
        CHECK_EQ(listen(l, 4), 0);
        printf("listening\n");
        fflush(stdout);
        for (int i = 0; i < atoi(argv[4]); i++) {
            int s = accept(l, NULL, NULL);
            CHECK(s >= 0);
            struct sctp_event_subscribe ev = {.sctp_data_io_event = 1};
            CHECK_EQ(setsockopt(s, IPPROTO_SCTP, SCTP_EVENTS, &ev, sizeof ev), 0);
            static char buf[8192];
            for (;;) {
                struct sctp_sndrcvinfo info;
                int flags = 0;
                ssize_t n = sctp_recvmsg(s, buf, sizeof buf, NULL, NULL, &info, &flags);
                if (n <= 0)
                    break;
                CHECK(flags & MSG_EOR);
                CHECK_EQ(sctp_sendmsg(s, buf, (size_t)n, NULL, 0, info.sinfo_ppid,
                                      info.sinfo_flags & SCTP_UNORDERED, info.sinfo_stream,
                                      0, 0), n);
            }
            close(s);
        }
        return 0;
    }
    if (strcmp(role, "client") == 0) {
        int c = connect_to(ip, port);
        exchange(c, "PCAP-ONE", 8, 1, htonl(0x11223344), 0);
        exchange(c, "PCAP-TWO", 8, 2, htonl(7), SCTP_UNORDERED);
        static char big[4000];
        memset(big, 'X', sizeof big);
        exchange(c, big, sizeof big, 3, htonl(9), 0);
        CHECK_EQ(close(c), 0);
        printf("client %d: 3 messages echoed\n", (int)getpid());
        return 0;
    }
    if (strcmp(role, "forker") == 0) {
        pid_t child = fork();
        CHECK(child >= 0);
        int c = connect_to(ip, port);
        exchange(c, child ? "FROM-PARENT" : "FROM-CHILD", child ? 11 : 10, 4, htonl(0x4040), 0);
        CHECK_EQ(close(c), 0);
        if (child == 0) {
            printf("child %d\n", (int)getpid());
            return 0;
        }
        t_wait_ok(child);
        printf("parent %d\n", (int)getpid());
        return 0;
    }
    return 2;
}
