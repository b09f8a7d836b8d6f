/* The roles of tests/net/events.sh, each a process of its own, printing
 * its pid and descriptors for the script to find in the shim's log:
 *   server PORT      one-to-one listener on PORT, one-to-many on PORT+1;
 *                    accepts and reads each association to its end
 *   graceful PORT N  connects, sends N messages, closes (SHUTDOWN)
 *   hold PORT LPORT  connects from LPORT, sends one message, waits to be
 *                    killed (its next incarnation restarts the association)
 *   reset PORT LPORT connects from LPORT, sends one message, closes with
 *                    SO_LINGER 0 (ABORT)
 *   reason PORT      one-to-many: SCTP_ABORT with a reason to PORT+1 */
#include "testlib.h" /* <netinet/in.h> must come before <netinet/sctp.h> */

#include <netinet/sctp.h>
#include <poll.h>

static int connect_from(int port, int lport)
{
    int c = socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP);
    CHECK(c >= 0);
    if (lport) {
        struct sockaddr_in l = t_addr(lport);
        CHECK_EQ(bind(c, (struct sockaddr *)&l, sizeof l), 0);
    }
    struct sockaddr_in a = t_addr(port);
    CHECK_EQ(connect(c, (struct sockaddr *)&a, sizeof a), 0);
    printf("pid %d fd %d connected\n", (int)getpid(), c);
    fflush(stdout);
    return c;
}

static void server(int port)
{
    int lsn = t_listener(SOCK_STREAM, port);
    int many = t_listener(SOCK_SEQPACKET, port + 1);
    printf("pid %d listener fd %d one-to-many fd %d\n", (int)getpid(), lsn, many);
    fflush(stdout);
    char buf[4096];
    for (;;) {
        struct pollfd p[2] = {{lsn, POLLIN, 0}, {many, POLLIN, 0}};
        CHECK(poll(p, 2, -1) > 0);
        if (p[1].revents & POLLIN) {
            /* Drains the one-to-many socket (data and the abort). */
            int flags = 0;
            CHECK(sctp_recvmsg(many, buf, sizeof buf, NULL, NULL, NULL, &flags) >= 0);
        }
        if (!(p[0].revents & POLLIN))
            continue;
        struct sockaddr_in peer;
        socklen_t pl = sizeof peer;
        int s = accept(lsn, (struct sockaddr *)&peer, &pl);
        CHECK(s >= 0);
        printf("accepted fd %d peer port %d\n", s, ntohs(peer.sin_port));
        fflush(stdout);
        long total = 0;
        ssize_t n;
        while ((n = read(s, buf, sizeof buf)) > 0)
            total += n;
        printf("fd %d: %ld bytes, then %s\n", s, total, n == 0 ? "end of file" : strerror(errno));
        fflush(stdout);
        close(s);
    }
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    CHECK(argc >= 3);
    const char *role = argv[1];
    int port = atoi(argv[2]);
    if (strcmp(role, "server") == 0)
        server(port);
    if (strcmp(role, "graceful") == 0) {
        int c = connect_from(port, 0);
        int n = atoi(argv[3]);
        for (int i = 0; i < n; i++)
            CHECK_EQ(write(c, "0123456789abcdef", 16), 16);
        CHECK_EQ(close(c), 0);
        return 0;
    }
    if (strcmp(role, "hold") == 0 || strcmp(role, "reset") == 0) {
        int c = connect_from(port, atoi(argv[3]));
        CHECK_EQ(write(c, "hello", 5), 5);
        if (strcmp(role, "hold") == 0) {
            printf("holding\n");
            fflush(stdout);
            pause();
        }
        usleep(200000); /* the message is acknowledged */
        struct linger l = {1, 0};
        CHECK_EQ(setsockopt(c, SOL_SOCKET, SO_LINGER, &l, sizeof l), 0);
        CHECK_EQ(close(c), 0);
        return 0;
    }
    if (strcmp(role, "reason") == 0) {
        int s = socket(AF_INET, SOCK_SEQPACKET, IPPROTO_SCTP);
        CHECK(s >= 0);
        struct sockaddr_in a = t_addr(port + 1);
        CHECK_EQ(sctp_sendmsg(s, "first", 5, (struct sockaddr *)&a, sizeof a, 0, 0, 0, 0, 0), 5);
        printf("pid %d fd %d sent\n", (int)getpid(), s);
        fflush(stdout);
        usleep(200000);
        CHECK(sctp_sendmsg(s, "WHY-ABORT", 9, (struct sockaddr *)&a, sizeof a, 0,
                           SCTP_ABORT, 0, 0, 0) >= 0);
        usleep(200000);
        return 0;
    }
    fprintf(stderr, "unknown role %s\n", role);
    return 2;
}
