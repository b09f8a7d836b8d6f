/* net_usrsctp_peer PORT OUT: an SCTP stack that is not the shim's, on
 * this host: usrsctp linked directly (never run under the shim), on the
 * RFC 6951 UDP port 9899, the way a kernel with net.sctp.udp_port or
 * another userland stack would be.  Listens on SCTP port PORT, writes
 * what one association brings to the file OUT until its end, exits. */
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <usrsctp.h>

int main(int argc, char **argv)
{
    if (argc != 3)
        return 64;
    FILE *out = fopen(argv[2], "wb");
    if (!out)
        return 1;
    usrsctp_init(9899, NULL, NULL);
    struct socket *l = usrsctp_socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP, NULL,
                                      NULL, 0, NULL);
    struct sockaddr_in a = {.sin_family = AF_INET,
                            .sin_port = htons((uint16_t)atoi(argv[1]))};
    if (!l || usrsctp_bind(l, (struct sockaddr *)&a, sizeof a) < 0 ||
        usrsctp_listen(l, 1) < 0) {
        perror("net_usrsctp_peer");
        return 1;
    }
    fprintf(stderr, "LISTENING\n");
    struct socket *c = usrsctp_accept(l, NULL, NULL);
    if (!c)
        return 1;
    char buf[65536];
    ssize_t n, total = 0;
    struct sockaddr_storage from;
    socklen_t fl;
    struct sctp_rcvinfo ri;
    socklen_t il;
    unsigned int it;
    int flags;
    for (;;) {
        fl = sizeof from;
        il = sizeof ri;
        flags = 0;
        n = usrsctp_recvv(c, buf, sizeof buf, (struct sockaddr *)&from, &fl, &ri,
                          &il, &it, &flags);
        if (n < 0)
            perror("net_usrsctp_peer: usrsctp_recvv");
        if (n <= 0)
            break;
        if (flags & MSG_NOTIFICATION)
            continue;
        if (fwrite(buf, 1, (size_t)n, out) != (size_t)n)
            return 1;
        total += n;
    }
    fclose(out);
    fprintf(stderr, "RECEIVED %zd\n", total);
    usrsctp_close(c);
    usrsctp_close(l);
    while (usrsctp_finish() != 0)
        ;
    return 0;
}
